"""Remembering the language a person chose.

A request carrying `?lang=en|ko` (the language switch on every page, and every
link a page makes) answers with a `lang` cookie, so the next page without
`?lang=` is in the same language. `registry.i18n.negotiate` reads it after
`?lang=` and before `Accept-Language`. Pages that depend on the language say
`Vary: Accept-Language, Cookie` (see `cached_response`). The cookie is set by
`registry.web.pipeline`.
"""

from __future__ import annotations

COOKIE_NAME = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


def language_cookie(lang: str) -> bytes:
    return (
        f"{COOKIE_NAME}={lang}; Max-Age={COOKIE_MAX_AGE}; Path=/; SameSite=Lax; HttpOnly"
    ).encode("latin-1")
