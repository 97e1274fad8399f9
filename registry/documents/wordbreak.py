"""Korean words kept whole in PDFs: `word-break: keep-all` for WeasyPrint.

Browsers honour `word-break: keep-all` (pages and emails use it). WeasyPrint
(70) rejects the value, and Pango breaks Korean between any two syllables, so
"위탁계약" could end a line as "위탁계" and start the next with "약". Before
printing, each Korean word (a run of non-space characters holding Hangul) of
the body's text is wrapped in `<span class="kw">`, which the documents' style
sheet keeps on one line. A word longer than `MAX_KEPT` characters is left
alone, so it still wraps inside its cell (`overflow-wrap: anywhere`) instead
of running out of it.
"""

from __future__ import annotations

import re

#: Longer words are left breakable: no cell of a document is narrower than this many syllables.
MAX_KEPT = 12

_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
_WORD = re.compile(r"[^\s<>]+")
_TAG = re.compile(r"(<[^>]*>)")
#: Elements whose text is not laid out as words of the page.
_RAW = ("script", "style", "title", "textarea")


def _wrap(match: re.Match[str]) -> str:
    word = match.group(0)
    if len(word) > MAX_KEPT or not _HANGUL.search(word):
        return word
    return f'<span class="kw">{word}</span>'


def keep_korean_words(html: str) -> str:
    """`html` with every short Korean word of its body's text wrapped in `<span class="kw">`."""
    if not _HANGUL.search(html):
        return html
    start = html.find("<body")
    if start < 0:
        return html
    parts = _TAG.split(html[start:])
    raw: str | None = None
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            name = part[1:].split(None, 1)[0].strip("/>").lower() if len(part) > 2 else ""
            if raw is None and name in _RAW and not part.startswith("</"):
                raw = name
            elif raw is not None and part.lower().startswith(f"</{raw}"):
                raw = None
        elif raw is None and part:
            parts[index] = _WORD.sub(_wrap, part)
    return html[:start] + "".join(parts)
