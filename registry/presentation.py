"""How frozen records read to people: the cells of the transfer table, in each language.

Pure functions over snapshot data, registered as Jinja filters in templating.py
and shared by pages, documents and emails.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_date, format_datetime
from babel.lists import format_list

from registry.enums import ListStyle
from registry.i18n import current_language


def translated(record: dict[str, Any], field: str, lang: str | None = None) -> Any:
    """A field in `lang`, falling back to English where no translation is written."""
    lang = lang or current_language()
    value = record.get(field)
    if lang != "en":
        candidate = record.get("translations", {}).get(lang, {}).get(field)
        if candidate:
            return candidate
    return value


#: A company's legal name, its address and its contact stay as the company writes them: a
#: Korean page prints them in the original, unmarked, unless legal gives a Korean form.
PROPER_FIELDS = frozenset({"name", "display_name", "address", "contact", "website"})


def is_fallback(record: dict[str, Any], field: str, lang: str | None = None) -> bool:
    """True where `lang` is not English and this field shows English for want of a translation."""
    lang = lang or current_language()
    if lang == "en" or not record.get(field) or field in PROPER_FIELDS:
        return False
    return not record.get("translations", {}).get(lang, {}).get(field)


def translated_item(record: dict[str, Any], field: str, key: str, lang: str | None = None) -> Any:
    """One entry of a keyed field (the company's `measures[heading]`), with English fallback."""
    lang = lang or current_language()
    if lang != "en":
        candidate = record.get("translations", {}).get(lang, {}).get(field, {}).get(key)
        if candidate:
            return candidate
    return record.get(field, {}).get(key)


def is_item_fallback(record: dict[str, Any], field: str, key: str, lang: str | None = None) -> bool:
    """True where that entry shows English for want of a translation into `lang`."""
    lang = lang or current_language()
    if lang == "en" or not record.get(field, {}).get(key):
        return False
    return not record.get("translations", {}).get(lang, {}).get(field, {}).get(key)


def _lower_initial(item: str) -> str:
    first_word = item.split(" ", 1)[0]
    if len(first_word) > 1 and (first_word[1:2].isupper() or first_word[1:2].isdigit()):
        return item  # an acronym ("MFA settings", "IP address") keeps its capitals
    return item[:1].lower() + item[1:]


def prose_list(items: list[str], style: str = ListStyle.COMMAS, lang: str | None = None) -> str:
    """A list as the policy writes it: "Email, user ID, MFA settings"."""
    lang = lang or current_language()
    if not items:
        return ""
    if lang != "en":
        # Each locale's own list pattern: Korean "a, b 및 c" with "and", else "a, b, c".
        if style == ListStyle.SERIES_AND and len(items) > 1:
            return format_list(list(items), style="standard", locale=lang)
        return ", ".join(items)
    words = [items[0], *(_lower_initial(item) for item in items[1:])]
    if style == ListStyle.SERIES_AND and len(words) > 1:
        return format_list(words, style="standard", locale="en")
    return ", ".join(words)


def recipient_cell(record: dict[str, Any], lang: str | None = None) -> str:
    """ "Auth0, Inc. (Auth0)": the legal name, then the services."""
    services = translated(record, "services", lang) or []
    name = translated(record, "name", lang)
    return f"{name} ({', '.join(services)})" if services else name


def country_name(code: str, countries: dict[str, dict[str, str]], lang: str | None = None) -> str:
    lang = lang or current_language()
    names = countries.get(code, {})
    return names.get(lang) or names.get("en") or code


def destination_names(
    record: dict[str, Any], countries: dict[str, dict[str, str]], lang: str | None = None
) -> str:
    """The destination countries alone, named in `lang`: "USA", "미국"."""
    return ", ".join(country_name(code, countries, lang) for code in record["destinations"])


def destinations_cell(
    record: dict[str, Any], countries: dict[str, dict[str, str]], lang: str | None = None
) -> str:
    """ "USA (default), other locations…": country names, then the qualifier."""
    names = destination_names(record, countries, lang)
    note = translated(record, "destination_note", lang)
    if not note:
        return names
    # Korean puts no space before a parenthesis: "미국(기본), …"; English does: "USA (default)".
    joined = (lang or current_language()) != "en" and note.startswith("(")
    return (
        f"{names}{note}"
        if joined and not is_fallback(record, "destination_note", lang)
        else f"{names} {note}"
    )


def _list_cell(record: dict[str, Any], field: str, lang: str | None) -> str:
    """A list field as prose: in English's own style where it falls back to English."""
    shown_in = "en" if is_fallback(record, field, lang) else lang
    return prose_list(translated(record, field, lang) or [], record["list_style"], shown_in)


def purposes_cell(record: dict[str, Any], lang: str | None = None) -> str:
    return _list_cell(record, "purposes", lang)


def categories_cell(record: dict[str, Any], lang: str | None = None) -> str:
    return _list_cell(record, "data_categories", lang)


def long_date(value: date | datetime | str | None, lang: str | None = None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    lang = lang or current_language()
    if isinstance(value, datetime):
        return format_datetime(value, format="long", locale=lang, tzinfo=value.tzinfo)
    return format_date(value, format="long", locale=lang)


def medium_date(value: date | str | None, lang: str | None = None) -> str:
    """A date where space is short (a select on a phone): "Nov 29, 2026", "2026. 11. 29."."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return format_date(value, format="medium", locale=lang or current_language())


def short_hash(value: str) -> str:
    return value[:12]


def query_for_language(params: Mapping[str, Any], lang: str) -> str:
    """The query string of this page in `lang`: its own parameters kept, `lang` replaced.

    Pass only the parameters the page's render depends on (those in its cache
    key), never the raw request query: cached bytes must not echo a caller's input.
    """
    kept = [(key, str(value)) for key, value in params.items() if key != "lang" and value != ""]
    return urlencode([*kept, ("lang", lang)])


def summary_text(version: Any, lang: str | None = None) -> str:
    """A version's summary in `lang`, or its English summary where none was written."""
    lang = lang or current_language()
    translations = getattr(version, "translations", None) or {}
    if lang != "en":
        written = translations.get(lang, {}).get("summary")
        if written:
            return str(written)
    return str(version.summary)


def summary_is_fallback(version: Any, lang: str | None = None) -> bool:
    """True where `lang` is not English and the summary shows English for want of a translation."""
    lang = lang or current_language()
    translations = getattr(version, "translations", None) or {}
    return lang != "en" and not translations.get(lang, {}).get("summary")


def translated_marked(
    context: Any, record: dict[str, Any], field: str, lang: str | None = None
) -> Any:
    """`translated`, for templates: in an HTML page, English shown for want of a translation
    comes marked (`<span lang="en" class="fallback">` and a visible "in English" tag), as
    `_macros/i18n.html`'s `in_english` marks it; text templates (emails) get it plain."""
    value = translated(record, field, lang)
    name = getattr(context, "name", "") or ""
    if name.endswith(".txt") or not isinstance(value, str) or not is_fallback(record, field, lang):
        return value
    from markupsafe import Markup, escape

    from registry.i18n import gettext

    return Markup(
        '<span class="fallback" lang="en">{}</span> <small class="fallback-tag">{}</small>'
    ).format(escape(value), gettext("in English"))


def underline(text: str, char: str = "=") -> str:
    """A rule as wide as `text` in a fixed-width font: Hangul and other wide letters count twice."""
    import unicodedata

    width = sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in str(text))
    return char * width
