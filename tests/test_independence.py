"""Independent witnesses: one owner counts once, syndicated copies count once."""

from __future__ import annotations

import srcscore

STORY = (
    "The harbour authority said on Tuesday that the new ferry terminal will open in June, "
    "two years late and 40 million euros over budget, after a long dispute with the builder "
    "over the foundations and the cost of steel."
)
OTHER = (
    "A separate inquiry by the city's auditors found that the ferry terminal's opening had "
    "been pushed to June, and traced most of the overrun to the foundations and steel prices."
)
CLAIM = "The new ferry terminal will open in June, two years late."


def score(refs: list[dict[str, str]]) -> srcscore.ClaimReport:
    doc = {
        "references": [{"id": i + 1, **r} for i, r in enumerate(refs)],
        "claims": [{"text": CLAIM, "references": list(range(1, len(refs) + 1))}],
    }
    return srcscore.score_document(doc).claims[0]


def test_one_owner_is_one_witness() -> None:
    both = score([{"url": "https://www.bbc.co.uk/news/x"}, {"url": "https://www.bbc.com/news/y"}])
    one = score([{"url": "https://www.bbc.co.uk/news/x"}])
    assert len(both.witnesses) == 1
    assert both.score == one.score
    assert "counted with" in both.explanation and "one owner" in both.explanation


def test_syndicated_copies_count_once() -> None:
    copied = score(
        [
            {"url": "https://apnews.com/article/ferry", "text": STORY},
            {"url": "https://www.some-local-paper.example/ferry", "text": "Wire report. " + STORY},
        ]
    )
    assert len(copied.witnesses) == 1
    assert "near copy of apnews.com's" in copied.explanation


def test_independent_reporting_counts_twice() -> None:
    two = score(
        [
            {"url": "https://apnews.com/article/ferry", "text": STORY},
            {"url": "https://www.some-local-paper.example/ferry", "text": OTHER},
        ]
    )
    assert len(two.witnesses) == 2
    assert "near copy" not in two.explanation
