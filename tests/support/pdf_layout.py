"""Where each word of a PDF lands, read back with poppler's `pdftotext -bbox`.

A document is laid out badly when a word leaves its page (or the page's
printable area between the side margins) or when two words are drawn over each
other (text that ran out of its table cell into the next one).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

#: Points a glyph box may stick out (font bearings; rounding of the reported boxes).
TOLERANCE = 0.75
#: The documents' side margins (17 mm) in points, less a little slack.
SIDE_MARGIN = 17 * 72 / 25.4 - 2

PDFTOTEXT = shutil.which("pdftotext")


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Word) -> bool:
        """The two boxes share more than a sliver (a tolerance either way)."""
        dx = min(self.x1, other.x1) - max(self.x0, other.x0)
        dy = min(self.y1, other.y1) - max(self.y0, other.y0)
        return dx > TOLERANCE * 2 and dy > TOLERANCE * 2


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: list[Word]


def pages_of(body: bytes) -> list[Page]:
    """Every page and the box of every word on it."""
    assert PDFTOTEXT, "pdftotext (poppler-utils) is needed: make install"
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "document.pdf"
        path.write_bytes(body)
        xhtml = subprocess.run(
            [PDFTOTEXT, "-bbox", str(path), "-"], capture_output=True, check=True
        ).stdout
    root = ElementTree.fromstring(xhtml)  # noqa: S314 (poppler's output for our own PDF)
    pages = []
    for number, node in enumerate(root.iter("{http://www.w3.org/1999/xhtml}page"), start=1):
        words = [
            Word(
                number,
                word.text or "",
                float(word.get("xMin", 0)),
                float(word.get("yMin", 0)),
                float(word.get("xMax", 0)),
                float(word.get("yMax", 0)),
            )
            for word in node.iter("{http://www.w3.org/1999/xhtml}word")
        ]
        pages.append(Page(number, float(node.get("width", 0)), float(node.get("height", 0)), words))
    return pages


def layout_problems(body: bytes, side_margin: float = SIDE_MARGIN) -> list[str]:
    """Each word outside the page's printable width, and each pair of words drawn overlapping."""
    problems: list[str] = []
    for page in pages_of(body):
        left, right = side_margin - TOLERANCE, page.width - side_margin + TOLERANCE
        for word in page.words:
            if word.x0 < left or word.x1 > right or word.y0 < -TOLERANCE:
                problems.append(
                    f"page {page.number}: {word.text!r} at x {word.x0:.1f}–{word.x1:.1f} "
                    f"leaves the printable width {left:.1f}–{right:.1f}"
                )
            if word.y1 > page.height + TOLERANCE:
                problems.append(f"page {page.number}: {word.text!r} below the page")
        ordered = sorted(page.words, key=lambda w: w.y0)
        for index, word in enumerate(ordered):
            for other in ordered[index + 1 :]:
                if other.y0 >= word.y1:
                    break
                if word.overlaps(other):
                    problems.append(f"page {page.number}: {word.text!r} and {other.text!r} overlap")
    return problems
