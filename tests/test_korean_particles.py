"""Korean particles follow the sound that ends the word before them."""

from __future__ import annotations

import pytest

from registry.korean import josa, particle
from registry.templating import build_environment


@pytest.mark.parametrize(
    ("word", "pair", "expected"),
    [
        ("토스페이먼츠", "은/는", "는"),
        ("당사", "이/가", "가"),
        ("대한민국", "은/는", "은"),
        ("서울", "으로/로", "로"),  # ㄹ takes 로
        ("미국", "으로/로", "으로"),
        ("버전 2", "을/를", "를"),  # 이
        ("버전 1", "을/를", "을"),  # 일
        ("버전 3", "이/가", "이"),  # 삼
        ("버전 7", "으로/로", "로"),  # 칠
        ("버전 10", "은/는", "은"),  # 십
        ("OBJ-3C366F5C", "을/를", "를"),  # 씨
        ("AlpacaX Inc.", "은/는", "는"),  # 씨, then the full stop skipped
        ("Google LLC", "과/와", "와"),  # 엘엘씨: ends in a vowel
        ("IBM", "은/는", "은"),  # 엠
        ("Auth0", "을/를", "을"),  # 영
        ("“내 버전으로 덮어쓰기”", "을/를", "를"),
        ("Amazon Web Services, Inc. (AWS)", "이/가", "가"),  # the bracket's last word: 에스
    ],
)
def test_the_particle_follows_the_final_sound(word: str, pair: str, expected: str) -> None:
    assert particle(word, pair) == expected


def test_the_josa_filter_is_in_the_one_environment() -> None:
    env = build_environment()
    assert env.filters["josa"] is josa
    assert josa("버전 2", "은/는") == "버전 2는"


def test_a_korean_heading_is_underlined_to_its_full_width() -> None:
    from registry.presentation import underline

    assert underline("변경 사항") == "=" * 9  # four Hangul letters count twice, the space once
    assert underline("What changes") == "=" * 12
