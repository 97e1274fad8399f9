"""Small parsers for values taken from query strings and forms, shared by routes.

Each refuses with InvalidInput naming its field (a 400), never a 500: no
Unicode digits (`²` is `isdigit()` but not an int), no number too long to
convert or too big for the database's integer columns.
"""

from __future__ import annotations

import re

from registry.errors import InvalidInput

MAX_ID = 2_147_483_647  # the largest value of a 32-bit integer column
# What XML 1.0 cannot hold, even escaped: C0 controls but tab/LF/CR, surrogates, U+FFFE/F.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def positive_id(text: str, field: str) -> int:
    value = text.strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 10:
        raise InvalidInput(field, f"must be a whole number from 1 to {MAX_ID}")
    number = int(value)
    if not 1 <= number <= MAX_ID:
        raise InvalidInput(field, f"must be a whole number from 1 to {MAX_ID}")
    return number


def xml_text(text: str) -> str:
    """`text` without the characters XML cannot carry (old versions keep them forever)."""
    return _NOT_XML.sub("", text)


def optional_id(text: str) -> int | None:
    """A form's or query's whole number from 1 to MAX_ID, or None for anything else."""
    value = (text or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 10:
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None
