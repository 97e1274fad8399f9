"""The message catalogs as files: what each language still lacks.

`make messages` runs this module after merging the template into the
catalogs, so whoever translates sees at once which entries are left; the test
suite fails while any is.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from registry.i18n import DEFAULT_LANGUAGE, LANGUAGES, TRANSLATIONS_DIR

TEMPLATE = TRANSLATIONS_DIR / "messages.pot"


def po_path(lang: str) -> Path:
    return TRANSLATIONS_DIR / lang / "LC_MESSAGES" / "messages.po"


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def untranslated(lang: str) -> list[str]:
    """The msgids of `lang`'s catalog that are empty or fuzzy, or missing from it."""
    catalog = read_catalog(po_path(lang))
    template = read_catalog(TEMPLATE)
    missing: list[str] = []
    for message in template:
        if not message.id:
            continue
        entry = catalog.get(message.id, message.context)
        string = None if entry is None else entry.string
        strings = list(string) if isinstance(string, tuple | list) else [string]
        if entry is None or entry.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def main() -> int:
    for lang in LANGUAGES:
        if lang == DEFAULT_LANGUAGE:
            continue
        left = untranslated(lang)
        if not left:
            print(f"{lang}: every message is translated")
            continue
        print(f"{lang}: {len(left)} message(s) to translate in {po_path(lang)}:")
        for msgid in left:
            print(f"  - {msgid}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
