"""The shipped learned model (src/srcscore/data/default_model.json) and its features.

The reproduction test reads ../shared/data at run time (skipped when absent) and
runs ``benchmarks/train_default_model.py --check`` (about 20 s).
"""

from __future__ import annotations

import hashlib
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import srcscore
from srcscore._features import (
    CONTEXT_FEATURES,
    FEATURES,
    claim_features,
    context_features,
    document_context,
)
from srcscore._models import document_from_dict
from srcscore._options import ScoringOptions
from srcscore._priors import Priors
from srcscore._score import assess

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "src" / "srcscore" / "data" / "default_model.json"
SCRIPT = ROOT / "benchmarks" / "train_default_model.py"
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
RETRAIN = "retrain with: python benchmarks/train_default_model.py"

# The features saved models depend on, in order; new ones may only be appended.
FIRST_FEATURES = (
    "uncited", "n_witnesses", "n_cited", "self_cited", "unusable", "prior_max",
    "prior_mean", "prior_min", "strength_best", "hand_score", "hand_spread", "has_text",
    "support_max", "support_mean", "missing_numbers", "category_news", "category_wire",
    "category_government", "category_academic", "category_journal", "category_reference",
    "category_health", "category_company", "category_ugc", "category_unknown",
    "category_other", "lookalike", "platform", "shortener", "path_pdf", "path_blog",
    "path_product", "path_forum", "path_press", "path_wiki", "path_scholarly",
    "path_repository", "path_depth", "article_prior", "position", "claim_words", "hedges",
    "claim_numbers",
)  # fmt: skip


def shipped() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(MODEL.read_text(encoding="utf-8"))
    return data


def test_feature_order_is_append_only() -> None:
    assert FEATURES[: len(FIRST_FEATURES)] == FIRST_FEATURES
    assert len(set(FEATURES)) == len(FEATURES)
    assert FEATURES[-len(CONTEXT_FEATURES) :] == CONTEXT_FEATURES


def test_shipped_model_loads_and_validates() -> None:
    model = srcscore.load_model(MODEL)
    assert model.label == "reliable"
    assert model.features == FEATURES[: len(model.features)]
    # It uses the claim's own features only: scoring needs no document context.
    assert not set(model.features) & set(CONTEXT_FEATURES)
    # The shipped recipe: corrections to the hand-set score, Platt-calibrated.
    assert model.offset == "hand_score"
    assert model.platt is not None and model.platt[0] > 0
    assert shipped()["version"] == 2
    assert "ExpertQA" in model.trained_on
    assert srcscore.Model.from_dict(model.to_dict()) == model


def test_recorded_cross_validated_metrics_are_present_and_sane() -> None:
    m = shipped()["metrics"]
    assert 0 < m["positives"] < m["n"]
    assert m["folds"] >= 2
    assert m["C"] > 0
    assert m["cited_only"] is True  # reliability labels exist only for cited claims
    for key in ("cv_auc", "cv_auc_correct", "cv_auc_supported", "hand_auc_reliable"):
        assert 0.4 <= m[key] <= 1.0, key
    lo, hi = m["cv_auc_ci95"]
    assert 0.0 <= lo <= m["cv_auc"] <= hi <= 1.0
    assert 0.0 <= m["cv_brier"] <= 0.25 + 0.05  # near or below the coin-flip 0.25
    assert 0.0 <= m["cv_ece"] <= 0.2
    assert "grouped by annotator" in m["cv_protocol"]
    assert m["calibration"] == "platt" and m["offset"] == "hand_score"
    assert set(m["data_sha256_16"]) >= {"expertqa/expertqa_dev.jsonl"}
    assert set(m["srcscore_data_sha256_16"]) == {"priors.csv", "fallback_model.json"}


def test_shipped_model_predicts_probabilities() -> None:
    model = srcscore.load_model(MODEL)
    n = len(model.features)
    for fill in (-1e6, -1.0, 0.0, 0.5, 1.0, 1e6):
        p = model.predict([fill] * n)
        assert 0.0 <= p <= 1.0
    assert model.platt is not None
    doc = {
        "references": [
            {"id": 1, "url": "https://www.nih.gov/news-events/some-study"},
            {"id": 2, "url": "https://my-health-tips.blogspot.com/2020/01/cure.html"},
            {"id": 3, "url": "https://en.wikipedia.org/wiki/Aspirin", "text": "Aspirin is a drug."},
        ],
        "claims": [
            {"text": "A study found that aspirin lowers the risk [1].", "references": [1]},
            {"text": "This may cure everything.", "references": [2]},
            {"text": "Aspirin is a drug.", "references": [3, 1]},
            {"text": "No citation here.", "references": []},
        ],
    }
    report = srcscore.score_document(doc, model=model)
    *cited, uncited = report.claims
    hand = srcscore.score_document(doc)
    for claim in cited:
        assert 0.0 < claim.score < 1.0
        assert 0.0 <= claim.interval[0] <= claim.score <= claim.interval[1] <= 1.0
        assert "Learned model (reliable)" in claim.explanation
    # Monotone in the hand-set score where the other features barely differ:
    # the NIH study (claim 1) beats the health-tips blog (claim 2) in both.
    assert hand.claims[0].score > hand.claims[1].score
    assert cited[0].score > cited[1].score
    # The model saw cited claims only: an uncited claim keeps the hand-set 0.
    assert model.metrics.get("cited_only")
    assert uncited.score == 0.0 and "Learned model" not in uncited.explanation


def _scored(doc: dict[str, Any]) -> list[Any]:
    scored, _ = assess(document_from_dict(doc), Priors.default(), ScoringOptions(), [])
    return scored


def test_context_features_describe_the_whole_document() -> None:
    doc = {
        "references": [
            {"id": 1, "url": "https://www.cdc.gov/flu/a"},
            {"id": 2, "url": "https://www.cdc.gov/flu/b"},
            {"id": 3, "url": "https://example-blog.net/post"},
        ],
        "claims": [
            {"text": "Flu spreads in winter.", "references": [1]},
            {"text": "Vaccines help.", "references": [2]},
            {"text": "Blogs say otherwise.", "references": [3]},
            {"text": "Uncited.", "references": []},
        ],
    }
    scored = _scored(doc)
    context = document_context([s.evidence for s in scored])
    values = [
        dict(zip(CONTEXT_FEATURES, context_features(s.evidence, context), strict=True))
        for s in scored
    ]
    assert values[0]["source_shared"] == pytest.approx(math.log1p(1))  # cdc.gov cited twice
    assert values[0]["url_shared"] == 0.0
    assert values[2]["source_shared"] == 0.0
    assert values[0]["doc_sources"] == pytest.approx(math.log1p(2))
    assert values[0]["doc_cited_share"] == pytest.approx(0.75)
    assert values[0]["doc_text_share"] == 0.0
    # Without a context a claim is read as the only one of its document.
    alone = claim_features(scored[0].evidence, scored[0].hand, 0.0, None)
    assert len(alone) == len(FEATURES)
    assert dict(zip(FEATURES, alone, strict=True))["doc_sources"] == pytest.approx(math.log1p(1))


def test_added_claim_features() -> None:
    doc = {
        "references": [
            {"id": 1, "url": "https://www.nature.com/articles/s41586-020-1234-5.pdf?x=1"},
            {
                "id": 2,
                "url": "https://news.example.org/2021/03/story",
                "text": "The plant opened in 2021. It employs 300 people.",
            },
        ],
        "claims": [
            {"text": "A study found we should test more [1].", "references": [1]},
            {"text": "The plant opened in 2021 and employs 500 people.", "references": [2]},
        ],
    }
    first, second = (dict(zip(FEATURES, s.features, strict=True)) for s in _scored(doc))
    assert first["provenance_table"] == 1.0
    assert first["tld_com"] == 1.0 and first["tld_org"] == 0.0
    assert first["url_query"] == 1.0 and first["home_page"] == 0.0
    assert first["claim_research"] == 1.0 and first["claim_advice"] == 1.0
    assert first["claim_first_person"] == 1.0
    assert first["prior_unchecked"] == first["prior_max"] > 0
    assert first["prior_x_support"] == 0.0
    assert second["tld_org"] == 1.0 and second["subdomain"] == 1.0
    assert second["path_date"] == 1.0
    assert second["numbers_missing"] >= 1.0  # 500 is not in the text
    assert 0.0 < second["support_min_part"] <= second["support_best"] <= 1.0
    assert second["prior_x_support"] == pytest.approx(second["prior_max"] * second["support_max"])


def _sha16(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def test_shipped_model_is_reproduced_by_the_training_script() -> None:
    if not (SHARED_DATA / "expertqa" / "expertqa_dev.jsonl").is_file():
        pytest.skip("../shared/data is absent")
    pytest.importorskip("sklearn")
    metrics = shipped()["metrics"]
    for name, digest in metrics["data_sha256_16"].items():
        assert _sha16(SHARED_DATA / name) == digest, f"{name} changed; {RETRAIN}"
    package = Path(srcscore.__file__).resolve().parent / "data"
    for name, digest in metrics["srcscore_data_sha256_16"].items():
        assert _sha16(package / name) == digest, f"srcscore's {name} changed; {RETRAIN}"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--check", "--data", str(SHARED_DATA)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"{done.stdout[-2000:]}\n{done.stderr[-2000:]}\n{RETRAIN}"
    assert "is reproduced" in done.stdout
