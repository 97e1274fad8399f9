"""RFC 8785 (JCS): the library we use against the RFC's own examples, and our fast
path (the standard library's sorted JSON, where it is provably the same) against it."""

from __future__ import annotations

import json
import random
import struct

import pytest
import rfc8785

from registry.integrity.hashing import jcs_of_text

# RFC 8785, Appendix B: IEEE 754 doubles (as hex) and their JCS serialisation.
APPENDIX_B = [
    ("0000000000000000", "0"),
    ("8000000000000000", "0"),
    ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"),
    ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"),
    ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"),
    ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"),
    ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"),
    ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"),
    ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
    ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"),
    ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"),
    ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"),
    ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
]


@pytest.mark.parametrize(("ieee", "expected"), APPENDIX_B)
def test_numbers_serialise_as_rfc8785_appendix_b(ieee: str, expected: str) -> None:
    value = struct.unpack(">d", bytes.fromhex(ieee))[0]
    assert rfc8785.dumps(value) == expected.encode()


def test_the_rfc_example_of_section_3_2_2() -> None:
    text = (
        '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",'
        ' "literals": [null, true, false]}'
    )
    expected = (
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )
    assert rfc8785.dumps(json.loads(text)) == expected.encode()
    assert jcs_of_text(text) == expected.encode()


def test_keys_sort_by_utf16_code_units_as_in_section_3_2_3() -> None:
    text = (
        '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet",'
        ' "1": "One", "\\ud83d\\ude00": "Emoji", "\\u0080": "Control", "\\u00f6": "o umlaut"}'
    )
    ordered = [key for key in json.loads(jcs_of_text(text))]
    assert ordered == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]
    assert jcs_of_text(text) == rfc8785.dumps(json.loads(text))


def _random_value(rng: random.Random, depth: int = 0) -> object:
    alphabet = 'aZ09 "\\/\b\f\n\r\t\x00\x1f\x7f\u2028é한€\U0001f600'
    kind = rng.randrange(6 if depth < 3 else 3)
    if kind == 0:
        return "".join(rng.choice(alphabet) for _ in range(rng.randrange(8)))
    if kind == 1:
        return rng.choice([0, -1, 7, 2**53 - 1, -(2**53) + 1, True, False, None])
    if kind == 2:
        return rng.choice([0.5, -1.25, 1e21, 1e-7, 333333333.3333333, 5e-324])
    if kind == 3:
        return [_random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    keys = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 4))) for _ in range(4)]
    return {key: _random_value(rng, depth + 1) for key in keys}


def test_the_fast_path_equals_the_library_on_varied_data() -> None:
    rng = random.Random(8785)
    for _ in range(500):
        value = {"root": _random_value(rng)}
        text = json.dumps(value)
        assert jcs_of_text(text) == rfc8785.dumps(value), text


def test_integers_beyond_ieee_doubles_and_nan_are_refused() -> None:
    with pytest.raises(ValueError):
        jcs_of_text('{"n": 18014398509481985}')
    with pytest.raises(ValueError):
        jcs_of_text('{"n": NaN}')
