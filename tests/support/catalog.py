"""The English UI strings of the message catalog, and a check that a page shows none of them."""

from __future__ import annotations

import re
from functools import cache

from bs4 import BeautifulSoup, NavigableString, Tag

from registry.catalogs import TEMPLATE, read_catalog

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
# Attributes people read or hear: labels, tooltips, alternative text.
READ_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder", "data-label")
NOT_TEXT = ("script", "style", "code", "pre")


@cache
def english_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Every msgid as a pattern: its words in order, any text where a placeholder stands."""
    patterns = []
    for message in read_catalog(TEMPLATE):
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        parts = [re.escape(" ".join(part.split())) for part in PLACEHOLDER.split(msgid)]
        body = ".+?".join(part.replace(r"\ ", r"\s+") for part in parts)
        patterns.append((msgid, re.compile(rf"(?<![A-Za-z]){body}(?![A-Za-z])", re.DOTALL)))
    return tuple(patterns)


def _language_of(node: Tag | NavigableString) -> str:
    element = node if isinstance(node, Tag) else node.parent
    while element is not None:
        if isinstance(element, Tag) and element.get("lang"):
            return str(element["lang"]).lower()
        element = element.parent
    return ""


def texts_in(html: str, lang: str) -> list[str]:
    """What a reader of `lang` reads on the page: text and labels outside other-language parts."""
    soup = BeautifulSoup(html, "html.parser")
    texts: list[str] = []
    for string in soup.find_all(string=True):
        if string.find_parent(NOT_TEXT) or not string.strip():
            continue
        if _language_of(string).startswith(lang):
            texts.append(" ".join(string.split()))
    for element in soup.find_all(True):
        for attribute in READ_ATTRIBUTES:
            value = element.get(attribute)
            if value and _language_of(element).startswith(lang):
                texts.append(" ".join(str(value).split()))
    return texts


HANGUL = re.compile(r"[\uac00-\ud7a3]")


def english_ui_strings(texts: list[str]) -> list[tuple[str, str]]:
    """(msgid, text) for every catalog string found untranslated in the texts.

    In a Korean sentence, a one-word msgid is an English name or a quoted value
    (“None”, the Addendum's title), not an untranslated string; longer ones count.
    """
    return [
        (msgid, text)
        for text in texts
        for msgid, pattern in english_patterns()
        if pattern.search(text) and not (" " not in msgid and HANGUL.search(text))
    ]
