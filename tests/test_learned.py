"""The learned fallback prior: the shipped JSON, inference, and its reproducibility.

The reproduction test reads ../shared/data at run time (skipped when absent) and
refits the model with benchmarks/train_fallback.py; nothing is copied from it.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import math
import re
import sys
import time
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from srcscore import Prior
from srcscore._learned import (
    MODEL_FORMAT,
    FallbackModel,
    FeatureSpec,
    learned_prior,
    load_model,
    segment,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
TRAIN_SCRIPT = REPO_ROOT / "benchmarks" / "train_fallback.py"
FEATURE_FAMILIES = (
    "suffix=",
    "tld=",
    "suffix_kind=",
    "len=",
    "hyphens=",
    "digits",
    "sub=",
    "word=",
    "words=",
    "cover=",
    "path_depth=",
    "path=",
    "path_ext=",
    "path_lang",
    "path_date",
    "path_year",
    "path_id",
    "path_slug",
    "path_query",
)


def shared_data() -> Path | None:
    for base in (Path(__file__).resolve().parents[2], REPO_ROOT.parent):
        data = base / "shared" / "data"
        if data.is_dir():
            return data
    return None


def shipped() -> dict[str, Any]:
    text = resources.files("srcscore").joinpath("data/fallback_model.json").read_text("utf-8")
    doc: dict[str, Any] = json.loads(text)
    return doc


def prior(url_host: str, domain: str, suffix: str, path: str) -> Prior:
    found = learned_prior(url_host, domain, suffix, path)
    assert found is not None, (url_host, path)
    return found


# --- the shipped JSON -------------------------------------------------------------------


def test_json_loads_and_validates() -> None:
    doc = shipped()
    assert doc["format"] == MODEL_FORMAT
    assert isinstance(doc["version"], int) and doc["version"] >= 1
    model = load_model()
    assert model is load_model()  # loaded once
    assert model.version == doc["version"]
    assert 2.0 < model.strength <= 4.0  # weak: a few pseudo-counts
    assert 0.0 <= model.low < 0.5 < model.high <= 1.0
    assert model.coef and all(math.isfinite(w) for w in model.coef.values())
    assert all(name.startswith(FEATURE_FAMILIES) for name in model.coef)
    assert {"vocab", "path_words", "sub_labels", "len_edges"} <= set(doc["features"])
    training = doc["training"]
    assert training["script"] == "benchmarks/train_fallback.py"
    assert training["C"] > 0 and training["rows"] > 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="pickle"), "not a"),
        (lambda d: d.pop("coefficients"), "lacks"),
        (lambda d: d["coefficients"].update({"word=news": float("nan")}), "finite"),
        (lambda d: d["coefficients"].update({"word=news": "0.3"}), "finite"),
        (lambda d: d.update(intercept=None), "intercept"),
        (lambda d: d.update(strength=50), "strength"),
        (lambda d: d.update(version=0), "version"),
        (lambda d: d["mapping"].pop("gain"), "mapping"),
        (lambda d: d["mapping"].update(low=0.7), "mapping"),
        (lambda d: d["features"].pop("vocab"), "lacks"),
        (lambda d: d["features"].update(vocab=["News"]), "lower-case"),
        (lambda d: d["features"].update(len_edges=[3, 1]), "len_edges"),
    ],
)
def test_malformed_models_are_rejected(change: Any, message: str) -> None:
    doc = copy.deepcopy(shipped())
    change(doc)
    with pytest.raises(ValueError, match=message):
        FallbackModel(doc)


# --- features ---------------------------------------------------------------------------


def test_segment_prefers_covering_words() -> None:
    vocab = frozenset({"daily", "patriot", "news", "new", "the", "hill", "info", "wars"})
    assert segment("dailypatriotnews", vocab, 7) == (["daily", "patriot", "news"], 0)
    assert segment("thehill", vocab, 7) == (["the", "hill"], 0)
    assert segment("infowarsxyz", vocab, 7) == (["info", "wars"], 3)
    assert segment("", vocab, 7) == ([], 0)


def test_features_of_names_and_paths() -> None:
    spec = load_model().spec
    feats = spec.features(
        "blog.daily-health-news24.co.uk", "daily-health-news24.co.uk", "co.uk", "/"
    )
    assert {"suffix=co.uk", "tld=uk", "suffix_kind=cc2", "hyphens=2+", "digits"} <= set(feats)
    assert {"word=daily", "word=health", "word=news", "sub=blog", "path_depth=0"} <= set(feats)
    path = set(spec.path_features("/en/2021/03/04/some-long-article-slug/report.pdf?x=1"))
    assert {"path_lang", "path_date", "path_slug", "path_ext=pdf", "path_query"} <= path
    assert "path_depth=4+" in path
    assert set(spec.path_features("/doi/abs/10.1000/12345678")) >= {
        "path=doi",
        "path=abs",
        "path_id",
    }
    assert spec.features("x.com", "x.com", "com", None) == spec.domain_features(
        "x.com", "x.com", "com"
    )


def test_feature_spec_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        FeatureSpec({"vocab": []})


# --- inference --------------------------------------------------------------------------


CASES = [
    ("www.stateuniversity-library.org", "stateuniversity-library.org", "org", "/article/2019/05/x"),
    ("www.ministry.gov.br", "ministry.gov.br", "gov.br", "/article/x"),
    ("cheap-deals247.xyz", "cheap-deals247.xyz", "xyz", "/product/best-shoes"),
    ("www.dailypatriottruth.com", "dailypatriottruth.com", "com", "/2020/01/02/shocking"),
    ("www.citynewsherald.com", "citynewsherald.com", "com", "/news/local/story-123456"),
]


@pytest.mark.parametrize("case", CASES)
def test_inference_is_deterministic_bounded_and_weak(case: tuple[str, str, str, str]) -> None:
    model = load_model()
    first = learned_prior(*case)
    again = FallbackModel(shipped()).prior(*case)  # a fresh instance, no cache
    assert first is not None and first == again == learned_prior(*case)
    assert 0.0 <= model.low <= first.mean <= model.high <= 1.0
    assert first.strength == model.strength <= 4.0
    assert first.category == "unknown"
    assert re.fullmatch(rf"learned: fallback model v{model.version} \(.+\)", first.provenance)
    assert abs(first.mean - 0.5) >= model.min_effect


def test_learned_means_follow_the_shape_of_the_url() -> None:
    university = prior(*CASES[0])
    ministry = prior(*CASES[1])
    content_farm = prior(*CASES[2])
    patriot = prior(*CASES[3])
    herald = prior(*CASES[4])
    # A content-farm name on a new gTLD with a /product/ path is below an /article/
    # on a university-like or government-like name, by a clear margin.
    assert content_farm.mean + 0.15 < university.mean
    assert content_farm.mean + 0.15 < ministry.mean
    # Words typical of hyper-partisan sites weigh down; a newspaper-like name does not.
    assert patriot.mean + 0.15 < herald.mean
    assert "truth" in patriot.provenance or "patriot" in patriot.provenance


def test_uninformative_input_gives_none() -> None:
    assert learned_prior("localhost", "localhost", "", "/") is None
    assert learned_prior("10.0.0.1", "10.0.0.1", "", "/x") is None


def test_path_with_query_and_without_leading_slash() -> None:
    host, domain, suffix = "www.some-clinic.org", "some-clinic.org", "org"
    assert learned_prior(host, domain, suffix, "") == learned_prior(host, domain, suffix, "/")
    with_query = learned_prior(host, domain, suffix, "/conditions/x?id=1")
    assert with_query is None or 0 < with_query.mean < 1


def test_warm_calls_are_fast() -> None:
    args = ("www.example-health-news.org", "example-health-news.org", "org", "/article/x")
    learned_prior(*args)
    n = 20_000
    start = time.perf_counter()
    for _ in range(n):
        learned_prior(*args)
    per_call = (time.perf_counter() - start) / n
    assert per_call < 20e-6, f"{per_call * 1e6:.1f} µs per warm call"


# --- reproducibility --------------------------------------------------------------------


def _train_module() -> ModuleType:
    pytest.importorskip("sklearn")
    if not TRAIN_SCRIPT.is_file():
        pytest.skip(f"{TRAIN_SCRIPT} is absent")
    spec = importlib.util.spec_from_file_location("train_fallback", TRAIN_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("train_fallback", module)
    spec.loader.exec_module(module)
    return module


def test_shipped_model_is_reproduced_by_the_training_script() -> None:
    data = shared_data()
    if data is None:
        pytest.skip("../shared/data is absent")
    tf = _train_module()
    doc = shipped()
    training = doc["training"]
    retrain = "retrain with: python benchmarks/train_fallback.py"
    assert tf.data_fingerprint(data) == training["data_sha256_16"], (
        f"the shared data changed since the model was fitted; {retrain}"
    )
    assert tf.feature_spec() == doc["features"], f"the feature spec changed; {retrain}"
    rows, counts = tf.training_rows(data)
    assert counts == training["data"], f"URL parsing changed the training rows; {retrain}"
    # Refit with the recorded C (its grouped-CV choice is rerun by `--check`).
    refit = tf.fit_model(rows, c=training["C"])
    assert refit["training"]["rows"] == training["rows"]
    assert refit["training"]["features_kept"] == training["features_kept"]
    # 1e-4: lbfgs round-off differs by ~1e-5 across numpy and scikit-learn builds.
    assert tf.compare(doc, refit, tol=1e-4) == [], retrain
