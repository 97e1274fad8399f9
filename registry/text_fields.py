"""The text types every request body is made of, and the check of a translations map.

Each refuses control characters (PostgreSQL refuses NUL in text, and feeds and
emails cannot carry the others); lines refuse line breaks; all have a length limit.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def no_control_characters(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters")
    return value


def _single_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError("must be a single line")
    return value


Line = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=300),
    AfterValidator(no_control_characters),
    AfterValidator(_single_line),
]
RequiredLine = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
    AfterValidator(no_control_characters),
    AfterValidator(_single_line),
]
#: Any text a database column stores as sent: no NUL or other control character
#: (PostgreSQL refuses NUL in text, and the feeds and emails cannot carry them).
Text = Annotated[str, AfterValidator(no_control_characters)]
Paragraph = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=5000),
    AfterValidator(no_control_characters),
]
Item = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
    AfterValidator(no_control_characters),
    AfterValidator(_single_line),
]
Items = Annotated[list[Item], Field(max_length=50)]


def check_translation_languages(value: dict[str, Any]) -> dict[str, Any]:
    from registry.i18n import DEFAULT_LANGUAGE, LANGUAGES

    if not isinstance(value, dict):
        return value  # pydantic answers "Input should be a valid dictionary"
    others = [lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE]
    for lang in value:
        if lang not in others:
            raise ValueError(f"{lang!r} is not a translation language ({', '.join(others)})")
    return value
