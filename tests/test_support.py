"""Lexical support: does a cited text say what the claim says?"""

from __future__ import annotations

import pytest

from srcscore._support import SupportResult, support

CLAIM = "Alibaba cloud revenue jumped 26% in the June quarter."
SUPPORTING = (
    "Shares moved little on Friday. Alibaba said its cloud revenue jumped 26% in the "
    "June quarter, driven by demand for AI services. Analysts had expected less."
)
UNRELATED = "The weather in Paris was mild and sunny all week. Tourists filled the cafes."


def test_supporting_text_scores_higher_than_unrelated() -> None:
    good = support(CLAIM, SUPPORTING)
    bad = support(CLAIM, UNRELATED)
    assert isinstance(good, SupportResult)
    assert good.score > bad.score
    assert good.score >= 0.9
    assert bad.score <= 0.1
    assert good.missing == ()


def test_partial_overlap_lies_in_between() -> None:
    partial = support(CLAIM, "Alibaba reported results for the June quarter.")
    assert support(CLAIM, UNRELATED).score < partial.score < support(CLAIM, SUPPORTING).score


def test_scores_are_in_unit_range() -> None:
    for text in [SUPPORTING, UNRELATED, "", CLAIM, CLAIM * 5, "26% 26% 26%"]:
        result = support(CLAIM, text)
        assert 0.0 <= result.score <= 1.0


def test_missing_number_caps_support_and_is_named() -> None:
    wrong = "Alibaba said its cloud revenue jumped 18% in the June quarter."
    result = support(CLAIM, wrong)
    assert result.score <= 0.5
    assert result.score < support(CLAIM, SUPPORTING).score
    assert "26%" in result.missing
    # every other content word is there: only the number is missing
    assert result.missing == ("26%",)


def test_missing_year_and_amount() -> None:
    claim = "The company invested $53 billion in AI in 2024."
    assert support(claim, "The company invested $53 billion in AI in 2024.").score == 1.0
    wrong_year = support(claim, "The company invested $53 billion in AI in 2025.")
    assert wrong_year.score <= 0.5
    assert "2024" in wrong_year.missing
    wrong_amount = support(claim, "The company invested $35 billion in AI in 2024.")
    assert wrong_amount.score <= 0.5
    assert "53" in wrong_amount.missing


def test_number_formatting_does_not_count_as_missing() -> None:
    result = support("Sales reached 1,200 units.", "Sales reached 1200 units last year.")
    assert result.missing == ()
    assert result.score == 1.0


def test_missing_word_without_number_is_not_capped() -> None:
    result = support(
        "Alibaba cloud revenue jumped strongly in the June quarter.",
        "Alibaba cloud revenue jumped in the June quarter.",
    )
    assert "strong" in " ".join(result.missing)
    assert 0.5 < result.score < 1.0


def test_passage_is_the_supporting_sentence() -> None:
    result = support(CLAIM, SUPPORTING)
    assert "26%" in result.passage
    assert "weather" not in result.passage
    # the shortest passage that carries the support is the one to quote
    assert result.passage.startswith("Alibaba said")
    assert "Analysts" not in result.passage
    assert "Shares moved" not in result.passage


def test_support_spread_over_adjacent_sentences() -> None:
    text = "Alibaba reported results. Its cloud revenue jumped 26%. That was the June quarter."
    result = support(CLAIM, text)
    assert result.score == 1.0
    assert result.missing == ()


def test_possessive_matches_the_bare_name() -> None:
    # "Alibaba's" in the claim is the same entity as "Alibaba" in the source
    for claim in ["Alibaba's cloud revenue jumped.", "Alibaba’s cloud revenue jumped."]:
        result = support(claim, "Alibaba said cloud revenue jumped.")
        assert result.missing == ()
        assert result.score == 1.0


def test_case_and_inflection_do_not_matter() -> None:
    result = support("Prices jumped sharply", "PRICES JUMP SHARPLY")
    assert result.score == 1.0


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_empty_text_gives_zero(text: str) -> None:
    result = support(CLAIM, text)
    assert result.score == 0.0
    assert result.passage == ""
    assert "26%" in result.missing


def test_claim_without_content_words_gives_zero() -> None:
    assert support("It was the one that is.", SUPPORTING).score == 0.0
