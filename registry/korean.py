"""Korean particles chosen by the sound that ends the word before them (받침).

Prefer sentences where no particle follows a variable ("이 버전(버전 2)은",
"%(email)s 주소로"). Where one must, the `josa` filter picks it:
`{{ name | josa("은/는") }}` gives "AlpacaX Inc.는", "토스페이먼츠는", "버전 1은".

The ending sound is read as a Korean reader says the word: Hangul by its final
consonant; digits by their Korean reading (0 영, 1 일, 3 삼, 6 육, 7 칠, 8 팔, 10 십,
100 백, 1000 천 end in a consonant; 1, 7, 8 in ㄹ); Latin letters by their Korean
names (L 엘, M 엠, N 엔, R 알 end in a consonant; L and R in ㄹ). Brackets,
quotes and punctuation at the end are skipped.
"""

from __future__ import annotations

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
RIEUL = 8  # the index of ㄹ among final consonants
PAIRS = {
    "은/는": ("은", "는"),
    "이/가": ("이", "가"),
    "을/를": ("을", "를"),
    "과/와": ("과", "와"),
    "으로/로": ("으로", "로"),
    "이에요/예요": ("이에요", "예요"),
}
_DIGIT_ENDS = {
    "0": "c",
    "1": "l",
    "2": "",
    "3": "c",
    "4": "",
    "5": "",
    "6": "c",
    "7": "l",
    "8": "l",
    "9": "",
}
_LETTER_ENDS = {"l": "l", "m": "c", "n": "c", "r": "l"}
_SKIPPED = " \t\n)]}>\"'’”».,;:!?·…"


def ending(word: str) -> str:
    """ "c" (a consonant), "l" (ㄹ) or "" (a vowel) for the sound that ends `word`."""
    text = word.rstrip(_SKIPPED)
    if not text:
        return ""
    last = text[-1]
    code = ord(last)
    if HANGUL_FIRST <= code <= HANGUL_LAST:
        final = (code - HANGUL_FIRST) % 28
        return "" if final == 0 else ("l" if final == RIEUL else "c")
    if last.isdigit():
        digits = text[len(text.rstrip("0123456789")) :]
        zeros = len(digits) - len(digits.rstrip("0"))
        if zeros and digits.strip("0"):
            # 10 십, 100 백, 1000 천 end in a consonant; 10000 만 too
            return "c"
        return _DIGIT_ENDS[last]
    if last.isascii() and last.isalpha():
        return _LETTER_ENDS.get(last.lower(), "")
    return ""


def particle(word: str, pair: str) -> str:
    """The form of `pair` ("은/는", "이/가", "을/를", "과/와", "으로/로") that follows `word`."""
    with_consonant, with_vowel = PAIRS[pair]
    sound = ending(word)
    if pair == "으로/로":
        return with_vowel if sound in ("", "l") else with_consonant
    return with_consonant if sound else with_vowel


def josa(word: object, pair: str) -> str:
    """`word` followed by its particle: the Jinja filter."""
    text = str(word)
    return text + particle(text, pair)
