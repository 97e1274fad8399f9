"""Countries: ISO 3166-1 alpha-2 codes checked with pycountry, and their names.

English names prefer the company's own short form where reference data gives
one (seed/countries.toml: "USA", "Republic of Korea"), then pycountry's common
name, then its name. Korean names come from pycountry's own translations.
"""

from __future__ import annotations

import gettext
from functools import cache

import pycountry


class UnknownCountry(ValueError):
    pass


def normalise_code(code: str) -> str:
    """The upper-case alpha-2 code, or UnknownCountry."""
    value = code.strip().upper() if isinstance(code, str) else ""
    if len(value) != 2 or pycountry.countries.get(alpha_2=value) is None:
        raise UnknownCountry(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
    return value


@cache
def _pycountry_translation(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def pycountry_name(code: str, lang: str = "en") -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    if lang == "en":
        return str(getattr(country, "common_name", None) or country.name)
    return _pycountry_translation(lang).gettext(country.name)


@cache
def all_countries(lang: str = "en") -> list[tuple[str, str]]:
    """(code, name) for every country, sorted by name, for pickers."""
    pairs = [(c.alpha_2, pycountry_name(c.alpha_2, lang)) for c in pycountry.countries]
    return sorted(pairs, key=lambda pair: pair[1])


@cache
def search_terms(code: str) -> str:
    """The English names a person may type to find a country beside the one shown:
    pycountry's common, short and official names ("united states" finds USA), each
    cut at its comma ("Korea, Republic of" is found as "korea")."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code.lower()
    names = {code} | {
        str(getattr(country, key, "")).split(",")[0]
        for key in ("common_name", "name", "official_name")
    }
    return " ".join(sorted(name.lower() for name in names if name))
