"""Languages: the locale of the current request or message, and gettext over it.

Catalogs are Babel's, compiled into `registry/translations`. The current
locale lives in a context variable, so one Jinja environment serves every
language at once, in every thread and task.
"""

from __future__ import annotations

import contextvars
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import LazyProxy, NullTranslations, Translations

LANGUAGES = ("en", "ko")
DEFAULT_LANGUAGE = "en"
TRANSLATIONS_DIR = Path(__file__).parent / "translations"

log = logging.getLogger("registry")
_current: contextvars.ContextVar[str] = contextvars.ContextVar("lang", default=DEFAULT_LANGUAGE)


@cache
def translations(lang: str) -> NullTranslations:
    """The compiled catalog of `lang` (`make install` compiles every .po into its .mo).

    Where the .mo is missing or older than its .po (a fresh edit, a clone that
    skipped `make install`), the .po is compiled in memory instead, so no
    language is ever served from a stale catalog.
    """
    if lang == DEFAULT_LANGUAGE:
        return NullTranslations()
    folder = TRANSLATIONS_DIR / lang / "LC_MESSAGES"
    po, mo = folder / "messages.po", folder / "messages.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return Translations(handle, domain="messages")
    if not po.exists():
        log.warning("no message catalog for %r: showing English", lang)
        return NullTranslations()
    log.info("compiling %s in memory (run `make install` to build the .mo)", po)
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain="messages")


def current_language() -> str:
    return _current.get()


@contextmanager
def language(lang: str) -> Iterator[None]:
    token = _current.set(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _current.reset(token)


def use_language(lang: str) -> None:
    """Speak `lang` for the rest of the current context (one request's task and the
    threads it hands work to): for hooks that run before a handler."""
    _current.set(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)


def gettext(message: str, **variables: object) -> str:
    text = translations(_current.get()).ugettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: object) -> str:
    text = translations(_current.get()).ungettext(singular, plural, n)
    return text % variables if variables else text


def pgettext(context: str, message: str, **variables: object) -> str:
    """`gettext` for a word that reads differently by what it describes (msgctxt): "Active"
    is 이용 중 for a recipient, 활성 for a user account or a webhook."""
    text = str(translations(_current.get()).pgettext(context, message))
    return text % variables if variables else text


def lazy_gettext(message: str, **variables: object) -> LazyProxy:
    """A message translated when it is shown, in the language of that moment."""
    return LazyProxy(gettext, message, enable_cache=False, **variables)


_ = gettext


def negotiate(query_lang: str | None, cookie_lang: str | None, accept_language: str | None) -> str:
    """?lang=, then the cookie, then Accept-Language, else English."""
    for candidate in (query_lang, cookie_lang):
        if candidate in LANGUAGES:
            return str(candidate)
    for tag, _q in _parse_accept_language(accept_language or ""):
        primary = tag.split("-")[0].lower()
        if primary in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE


def _parse_accept_language(header: str) -> list[tuple[str, float]]:
    items: list[tuple[str, float]] = []
    for part in header.split(","):
        piece = part.strip()
        if not piece:
            continue
        tag, _sep, params = piece.partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if quality > 0:
            items.append((tag.strip(), quality))
    return sorted(items, key=lambda item: -item[1])
