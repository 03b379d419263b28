"""score_text / score_document end to end: structure, independence, support, errors."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

import srcscore
from srcscore import InputError, Priors, Report, ScoringOptions, score_document, score_text

# Known priors, so these tests do not depend on the curated default table.
TABLE = Priors.from_csv_text(
    "domain,score,strength,category\n"
    "srcscore-wire.com,0.92,40,wire\n"
    "srcscore-paper.com,0.85,30,news\n"
    "srcscore-daily.co.uk,0.85,30,news\n"
    "srcscore-tabloid.com,0.3,10,news\n"
    "srcscore-blog.net,0.5,2,blog\n",
    "test",
)

CLAIM_KEYS = {"text", "references", "score", "interval", "support", "explanation"}
REF_KEYS = {"id", "url", "domain", "source", "category", "prior", "error"}
TOP_KEYS = {"id", "score", "interval", "claims", "references", "warnings"}

ARTICLE = """Officials confirmed the bridge will reopen in May [1]. Traffic fell by half [1][2].
Nobody cited this sentence.

References:
[1] https://srcscore-wire.com/article/bridge-reopening
[2] https://www.srcscore-paper.com/world/bridge-traffic/
"""


def doc(claims: list[dict[str, Any]], refs: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"claims": claims, "references": refs, **extra}


def one_claim(*urls: str, text: str = "The bridge will reopen in May.", **extra: Any) -> Report:
    refs = [{"id": i, "url": u} for i, u in enumerate(urls, start=1)]
    d = doc([{"text": text, "references": [r["id"] for r in refs]}], refs, **extra)
    return score_document(d, priors=TABLE)


# --- structure --------------------------------------------------------------------------


def test_report_structure_and_types() -> None:
    report = score_text(ARTICLE, id="a1", priors=TABLE)
    assert isinstance(report, Report)
    assert report.id == "a1"
    assert isinstance(report.score, float)
    assert 0.0 <= report.interval[0] <= report.score <= report.interval[1] <= 1.0
    assert isinstance(report.explanation, str) and report.explanation
    assert len(report.claims) == 3
    for claim in report.claims:
        assert isinstance(claim, srcscore.ClaimReport)
        assert isinstance(claim.text, str) and claim.text
        assert isinstance(claim.references, tuple)
        assert 0.0 <= claim.interval[0] <= claim.score <= claim.interval[1] <= 1.0
        assert claim.support is None
        assert isinstance(claim.explanation, str) and claim.explanation
    assert [c.references for c in report.claims] == [(1,), (1, 2), ()]
    assert report.claims[2].score == 0.0
    assert report.claims[1].score > report.claims[0].score > 0
    for ref in report.references:
        assert isinstance(ref, srcscore.ReferenceReport)
        assert ref.error is None
        assert ref.category in srcscore.CATEGORIES
    assert [r.source for r in report.references] == ["srcscore-wire.com", "srcscore-paper.com"]
    assert [r.prior for r in report.references] == [0.92, 0.85]
    # the article score is the mean of the claim scores
    assert report.score == pytest.approx(sum(c.score for c in report.claims) / 3, abs=1e-3)


def test_to_dict_is_json_serialisable_with_the_contract_keys() -> None:
    bad = doc(
        [{"text": "The plan was approved.", "references": [1, 2]}],
        [{"id": 1, "url": "https://srcscore-wire.com/a"}, {"id": 2, "url": "javascript:x"}],
        id={"nested": ["id", 1]},
    )
    for report in [score_text(ARTICLE, priors=TABLE), score_document(bad, priors=TABLE)]:
        data = report.to_dict()
        text = json.dumps(data, allow_nan=False)
        back = json.loads(text)
        assert set(back) >= TOP_KEYS
        assert back["id"] == report.id
        assert isinstance(back["score"], float)
        assert isinstance(back["interval"], list) and len(back["interval"]) == 2
        assert isinstance(back["warnings"], list)
        assert all(isinstance(w, str) for w in back["warnings"])
        for claim in back["claims"]:
            assert set(claim) >= CLAIM_KEYS
            assert isinstance(claim["references"], list)
            assert isinstance(claim["interval"], list) and len(claim["interval"]) == 2
            assert claim["support"] is None or isinstance(claim["support"], float)
        for ref in back["references"]:
            assert set(ref) >= REF_KEYS
            assert ref["prior"] is None or isinstance(ref["prior"], float)
            assert ref["error"] is None or isinstance(ref["error"], str)


def test_explanation_names_the_sources() -> None:
    report = score_text(ARTICLE, priors=TABLE)
    assert "srcscore-wire.com" in report.claims[0].explanation
    assert "srcscore-paper.com" in report.claims[1].explanation
    assert "2 independent sources" in report.claims[1].explanation
    assert report.claims[2].explanation.startswith("No citation")


def test_uncited_claim_scores_zero() -> None:
    report = score_document(doc([{"text": "Nobody says so."}], []), priors=TABLE)
    (claim,) = report.claims
    assert claim.score == 0.0
    assert claim.interval == (0.0, 0.0)
    assert claim.references == ()


def test_reference_ids_may_be_strings_or_numbers() -> None:
    a = score_document(
        doc([{"text": "x y z", "references": ["1"]}], [{"id": 1, "url": "srcscore-wire.com/a"}]),
        priors=TABLE,
    )
    b = score_document(
        doc([{"text": "x y z", "references": [1]}], [{"id": "1", "url": "srcscore-wire.com/a"}]),
        priors=TABLE,
    )
    assert a.claims[0].score == b.claims[0].score > 0


# --- independence -----------------------------------------------------------------------


def test_self_citation_adds_nothing() -> None:
    own = "https://www.srcscore-paper.com/2024/this-article"
    alone = one_claim("https://srcscore-wire.com/a")
    with_self = one_claim(
        "https://srcscore-wire.com/a", "https://srcscore-paper.com/earlier-story", url=own
    )
    assert with_self.claims[0].score == alone.claims[0].score
    assert with_self.claims[0].interval == alone.claims[0].interval
    only_self = one_claim("https://m.srcscore-paper.com/earlier", url=own)
    assert only_self.claims[0].score == 0.0
    assert "own" in only_self.claims[0].explanation
    # without the document url the same citation does count
    assert one_claim("https://m.srcscore-paper.com/earlier").claims[0].score > 0


def test_self_citation_through_score_text() -> None:
    text = "The bridge reopens [1].\n\nReferences\n[1] https://srcscore-wire.com/old-story\n"
    assert score_text(text, url="https://srcscore-wire.com/new", priors=TABLE).claims[0].score == 0
    assert score_text(text, url="https://srcscore-paper.com/new", priors=TABLE).claims[0].score > 0


def test_several_urls_of_one_publisher_count_once() -> None:
    one = one_claim("https://srcscore-wire.com/a")
    many = one_claim(
        "https://srcscore-wire.com/a",
        "https://www.srcscore-wire.com/b",
        "https://m.srcscore-wire.com/c?utm_source=x",
        "srcscore-wire.com/d",
    )
    assert many.claims[0].score == one.claims[0].score
    assert many.claims[0].interval == one.claims[0].interval
    assert many.claims[0].witnesses == ("srcscore-wire.com",)
    assert many.stats["independent_sources"] == 1


def test_independent_publishers_add_up() -> None:
    one = one_claim("https://srcscore-wire.com/a")
    two = one_claim("https://srcscore-wire.com/a", "https://srcscore-daily.co.uk/b")
    assert two.claims[0].score > one.claims[0].score
    assert set(two.claims[0].witnesses) == {"srcscore-wire.com", "srcscore-daily.co.uk"}


def test_more_reliable_source_scores_higher() -> None:
    wire = one_claim("https://srcscore-wire.com/a").claims[0].score
    tabloid = one_claim("https://srcscore-tabloid.com/a").claims[0].score
    assert wire > tabloid > 0


# --- bad references -------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad_url", ["javascript:alert(1)", "http://exa mple.com", "", "ftp://x.org/"]
)
def test_bad_url_is_reported_on_its_reference_and_others_are_scored(bad_url: str) -> None:
    d = doc(
        [
            {"text": "The plan was approved.", "references": [1, 2]},
            {"text": "It cost a lot.", "references": [2]},
        ],
        [{"id": 1, "url": "https://srcscore-wire.com/a"}, {"id": 2, "url": bad_url}],
    )
    report = score_document(d, priors=TABLE)
    good, bad = report.references
    assert good.error is None and good.source == "srcscore-wire.com" and good.prior == 0.92
    assert isinstance(bad.error, str) and bad.error
    assert bad.source is None and bad.prior is None
    assert report.claims[0].score == one_claim("https://srcscore-wire.com/a").claims[0].score
    assert report.claims[1].score == 0.0
    assert "[2]" in report.claims[1].explanation


def test_reference_without_url_is_reported() -> None:
    d = doc([{"text": "A claim.", "references": [1]}], [{"id": 1, "title": "A printed book"}])
    report = score_document(d, priors=TABLE)
    assert report.references[0].error
    assert report.claims[0].score == 0.0


def test_unknown_reference_id_is_warned_about() -> None:
    report = score_document(doc([{"text": "A claim.", "references": [9]}], []), priors=TABLE)
    assert report.claims[0].score == 0.0
    assert any("9" in w for w in report.warnings)


# --- support ----------------------------------------------------------------------------

CLAIM = "The city council approved a budget of $4.2 million for the new library."
SUPPORTING = (
    "At Tuesday's meeting the city council approved a budget of $4.2 million for the new "
    "library. Construction starts next spring."
)
UNRELATED = "The football team won its third match of the season on Saturday evening."


def supported(text: str | None, url: str = "https://srcscore-wire.com/a") -> srcscore.ClaimReport:
    ref: dict[str, Any] = {"id": 1, "url": url}
    if text is not None:
        ref["text"] = text
    return score_document(doc([{"text": CLAIM, "references": [1]}], [ref]), priors=TABLE).claims[0]


def test_support_is_null_without_texts_and_a_number_with_texts() -> None:
    assert supported(None).support is None
    with_text = supported(SUPPORTING).support
    assert isinstance(with_text, float)
    assert 0.9 <= with_text <= 1.0
    low = supported(UNRELATED).support
    assert isinstance(low, float)
    assert 0.0 <= low < 0.3


def test_reliable_source_that_does_not_support_scores_lower() -> None:
    good, bad = supported(SUPPORTING), supported(UNRELATED)
    assert bad.score < good.score
    assert bad.score < supported(None).score
    assert "support" in bad.explanation


def test_misquoted_number_lowers_the_score() -> None:
    wrong = SUPPORTING.replace("4.2", "2.4")
    assert supported(wrong).score < supported(SUPPORTING).score
    assert "4.2" in supported(wrong).explanation


# --- options and input errors --------------------------------------------------------------


def test_options_change_the_result() -> None:
    base = score_text(ARTICLE, priors=TABLE).claims[1]
    wide = score_text(ARTICLE, priors=TABLE, level=0.99).claims[1]
    assert wide.interval[1] - wide.interval[0] > base.interval[1] - base.interval[0]
    assert wide.score == base.score
    lone = score_text(ARTICLE, priors=TABLE, discount=0.0).claims[1]
    assert lone.score < base.score
    via_object = score_text(ARTICLE, priors=TABLE, options=ScoringOptions(level=0.99))
    assert via_object.claims[1].interval == wide.interval


def test_unknown_option_raises_type_error() -> None:
    with pytest.raises(TypeError, match="bogus"):
        score_text(ARTICLE, bogus=1)
    with pytest.raises(TypeError):
        score_document(doc([], []), levle=0.9)


@pytest.mark.parametrize("level", [0, 1, 1.5, -0.2, math.nan, "0.9"])
def test_invalid_level_raises_input_error(level: object) -> None:
    with pytest.raises(InputError, match="level"):
        score_text(ARTICLE, level=level)


@pytest.mark.parametrize("discount", [-0.5, 1.5])
def test_invalid_discount_raises_input_error(discount: float) -> None:
    with pytest.raises(InputError, match="discount"):
        score_text(ARTICLE, discount=discount)


@pytest.mark.parametrize(
    ("document", "field"),
    [
        (None, "document"),
        ([], "document"),
        ("some text", "document"),
        ({}, "document"),
        ({"text": 5}, "text"),
        ({"text": "x", "url": 3}, "url"),
        ({"claims": "x"}, "claims"),
        ({"claims": [5]}, "claims[0]"),
        ({"claims": [{"text": 1}]}, "claims[0].text"),
        ({"claims": [{"references": [1]}]}, "claims[0].text"),
        ({"claims": [{"text": "a", "references": "1"}]}, "claims[0].references"),
        ({"claims": [{"text": "a", "references": [1.5]}]}, "claims[0].references[0]"),
        ({"claims": [{"text": "a", "references": [None]}]}, "claims[0].references[0]"),
        ({"claims": [], "references": {}}, "references"),
        ({"claims": [], "references": ["x"]}, "references[0]"),
        ({"claims": [], "references": [{"url": "x"}]}, "references[0]"),
        ({"claims": [], "references": [{"id": True}]}, "references[0].id"),
        ({"claims": [], "references": [{"id": 1, "url": 5}]}, "references[0].url"),
        ({"claims": [], "references": [{"id": 1, "title": 5}]}, "references[0].title"),
        ({"claims": [], "references": [{"id": 1, "text": ["a"]}]}, "references[0].text"),
        ({"claims": [], "references": [{"id": 1}, {"id": "1"}]}, "references"),
    ],
)
def test_wrong_types_raise_input_error_naming_the_field(document: object, field: str) -> None:
    with pytest.raises(InputError) as info:
        score_document(document, priors=TABLE)  # type: ignore[arg-type]
    message = str(info.value)
    assert message.startswith((field, f"document.{field}")), message
    assert "\n" not in message
    assert isinstance(info.value, ValueError)


def test_score_text_rejects_non_text() -> None:
    with pytest.raises(InputError, match="text"):
        score_text(b"bytes")  # type: ignore[arg-type]


def test_bad_priors_argument() -> None:
    with pytest.raises(InputError, match="priors"):
        score_text(ARTICLE, priors=5)  # type: ignore[arg-type]
    with pytest.raises(srcscore.PriorsError):
        score_text(ARTICLE, priors="/nonexistent/ratings.csv")


def test_json_document_with_text_is_segmented() -> None:
    report = score_document({"id": 7, "text": ARTICLE}, priors=TABLE)
    assert report.id == 7
    assert [c.references for c in report.claims] == [(1,), (1, 2), ()]
    assert report.claims[1].score == score_text(ARTICLE, priors=TABLE).claims[1].score


def test_json_text_markers_cite_the_json_references() -> None:
    # The schema: 'text' is segmented, "its [n] markers citing the references".
    document = {
        "text": "Officials confirmed the bridge will reopen in May [1]. Traffic fell [1][2].",
        "references": [
            {"id": 1, "url": "https://srcscore-wire.com/a"},
            {"id": 2, "url": "https://srcscore-paper.com/b"},
        ],
    }
    parsed = srcscore.document_from_dict(document)
    assert [c.references for c in parsed.claims] == [(1,), (1, 2)]
    assert not any("not in the reference list" in w for w in parsed.warnings)
    report = score_document(document, priors=TABLE)
    assert report.claims[0].score > 0
    assert report.claims[1].witnesses == ("srcscore-wire.com", "srcscore-paper.com")


def test_json_references_override_the_text_list_with_a_warning() -> None:
    report = score_document(
        {"text": ARTICLE, "references": [{"id": 1, "url": "https://srcscore-tabloid.com/x"}]},
        priors=TABLE,
    )
    assert [r.source for r in report.references] == ["srcscore-tabloid.com"]
    assert any("ignored" in w for w in report.warnings)


def test_document_object_is_accepted() -> None:
    parsed = srcscore.parse_text(ARTICLE)
    assert (
        score_document(parsed, priors=TABLE).to_dict()
        == score_text(ARTICLE, priors=TABLE).to_dict()
    )


def test_empty_document() -> None:
    report = score_document(doc([], []), priors=TABLE)
    assert report.claims == ()
    assert report.score == 0.0
    json.dumps(report.to_dict(), allow_nan=False)


def test_scores_are_deterministic() -> None:
    a = score_text(ARTICLE, priors=TABLE).to_dict()
    b = score_text(ARTICLE, priors=TABLE).to_dict()
    assert a == b


def test_default_priors_are_used_without_a_table() -> None:
    text = "Officials confirmed it [1].\n\nReferences\n[1] https://apnews.com/article/x\n"
    report = score_text(text)
    ref = report.references[0]
    assert ref.source == "apnews.com"
    assert ref.prior is not None and ref.prior > 0.5
    assert ref.category != "unknown"
