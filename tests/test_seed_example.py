"""The seed example: a real AI-written finance article from ../shared/examples."""

from __future__ import annotations

import pytest

import srcscore
from _shared import SEED_EXAMPLE

pytestmark = pytest.mark.skipif(not SEED_EXAMPLE.is_file(), reason=f"{SEED_EXAMPLE} is absent")


@pytest.fixture(scope="module")
def text() -> str:
    return SEED_EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def report(text: str) -> srcscore.Report:
    return srcscore.score_text(text, id="alibaba")


def test_five_references_and_their_publishers(report: srcscore.Report) -> None:
    assert [r.id for r in report.references] == [1, 2, 3, 4, 5]
    assert [r.domain for r in report.references] == [
        "yahoo.com",
        "ainvest.com",
        "roic.ai",
        "eweek.com",
        "cnbc.com",
    ]
    assert all(r.error is None for r in report.references)


def test_roic_is_rated_below_cnbc(report: srcscore.Report) -> None:
    roic, cnbc = report.references[2], report.references[4]
    assert roic.prior is not None and cnbc.prior is not None
    assert roic.prior < cnbc.prior
    assert cnbc.category != "unknown"


def test_cnbc_claims_outscore_roic_only_claims(report: srcscore.Report) -> None:
    on_cnbc = [c for c in report.claims if 5 in c.references]
    only_roic = [c for c in report.claims if c.references == (3,)]
    assert on_cnbc and only_roic
    assert min(c.score for c in on_cnbc) > max(c.score for c in only_roic)
    assert "roic.ai" in only_roic[0].explanation


def test_every_claim_has_an_interval_and_an_explanation(report: srcscore.Report) -> None:
    assert len(report.claims) >= 15
    for claim in report.claims:
        lo, hi = claim.interval
        assert 0.0 <= lo <= claim.score <= hi <= 1.0
        assert claim.explanation.strip()
        if claim.references:
            assert lo < hi  # a cited claim is uncertain, never a point


def test_every_marker_is_attached(report: srcscore.Report, text: str) -> None:
    cited = [c for c in report.claims if c.references]
    body = text.split("References:")[0]
    assert sum(len(c.references) for c in cited) == body.count("[")
    assert not report.warnings


def test_first_paragraph_is_uncited_claims(report: srcscore.Report, text: str) -> None:
    first_paragraph = text.splitlines()[0]
    first = [c for c in report.claims if c.span and c.span[1] <= len(first_paragraph)]
    assert len(first) == 3
    assert all(c.references == () and c.score == 0.0 for c in first)
    assert first[2].text == "Alibaba's cloud revenue jumped 26% in the June quarter."


def test_boilerplate_after_the_references_is_not_a_claim(report: srcscore.Report) -> None:
    texts = [c.text.lower() for c in report.claims]
    assert not any("comment" in t for t in texts)
    assert not any("http" in t for t in texts)
    last = report.claims[-1]
    assert last.text.startswith("For investors, the key opportunities")


def test_report_is_json_ready(report: srcscore.Report) -> None:
    import json

    data = json.loads(json.dumps(report.to_dict(), allow_nan=False))
    assert data["id"] == "alibaba"
    assert len(data["references"]) == 5
