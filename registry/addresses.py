"""One rule for email addresses, everywhere one is taken in or written out.

Notices are sent without SMTPUTF8 unless the server offers it, and input cannot
know which server will carry the message: so every address the app accepts
(subscriber, objector, user) is ASCII, checked by the same pattern. An address
that reaches the send path some other way (an old row, an import) is checked
again there, and a header value again where the email is built.
"""

from __future__ import annotations

import re

from registry.errors import InvalidInput

MAX_ADDRESS = 254
ADDRESS_RE = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
# Anything a header line cannot carry: CR, LF, NUL and the other C0/C1 controls.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def is_address(value: str) -> bool:
    return len(value) <= MAX_ADDRESS and bool(ADDRESS_RE.match(value))


def check_address(value: str, field: str = "email") -> str:
    """The address, stripped and lower-cased, or InvalidInput naming `field`."""
    address = (value or "").strip().lower()
    if not is_address(address):
        raise InvalidInput(field, "is not an email address (ASCII letters, digits, one @)")
    return address


def header_safe(value: str) -> bool:
    """True when `value` can stand in a header line without starting another."""
    return not _CONTROL_RE.search(value)


class UnsafeHeader(ValueError):
    """A header value would break out of its line: the message is not built."""
