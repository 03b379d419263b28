"""Train srcscore's shipped learned model on the ExpertQA dev split, with honest nested CV.

Reads ``../shared/data`` at run time (nothing of it is copied into the
repository): the ExpertQA dev split, turned into labelled documents by
``benchmarks/expertqa_labels.py``'s ``convert``, and -- only to refit the
learned fallback prior inside the folds -- the rating sets that
``benchmarks/train_fallback.py`` reads.

Protocol
--------
* **Groups are annotators.** In ExpertQA the expert who wrote a question also
  judged its answer, and the experts differ a lot in how generous they are, so
  every split keeps an annotator's claims on one side. Outer folds: 5, by a
  salted SHA-256 of the annotator id (:data:`FOLD_SALT`).
* **The learned fallback prior is refitted without the held-out annotators.**
  The shipped fallback model (``srcscore/data/fallback_model.json``) was fitted
  on these very reliability labels, so features computed with it would leak the
  labels of a test fold into its priors (with it, ``srcscore train --label
  reliable`` reports CV AUC 0.62; with the fallback off, 0.59). Here every
  claim's features come from a fallback refitted (at the shipped C) without the
  annotators of the claim's own outer fold, and for the training claims of an
  outer fold also without the held-out fold ("cross-fitting"): no feature of
  any claim has seen that claim's label, in training or in test.
* **The recipe** (:data:`CALIBRATION`, :data:`OFFSET`): a logistic regression
  that learns corrections to the hand-set score (whose log-odds are an offset
  with coefficient 1), calibrated by a Platt map of its log-odds fitted on
  out-of-fold predictions grouped by annotator.
* **C is chosen inside each outer fold** from :data:`C_GRID` by the Brier score
  of the grouped (annotator) CV that :func:`srcscore._model.fit_model` runs on
  the training annotators; its calibration is fitted inside the fold
  too, and the fold's model then scores the held-out annotators. The reported CV numbers are
  these out-of-fold scores, pooled: AUC with a 95% interval by bootstrap over
  annotators, Brier score and expected calibration error (10 bins).
* **The shipped model** is fitted the same way on all annotators (cross-fitted
  features, C chosen by grouped CV) and predicts :data:`SHIP_LABEL`; its JSON
  records the nested-CV metrics above, including its AUC on the other labels.

Usage::

    python benchmarks/train_default_model.py           # evaluate, write the JSON (about 25 s)
    python benchmarks/train_default_model.py --check   # rebuild and compare with the shipped JSON
    python benchmarks/train_default_model.py --features all --no-write   # with context features
    python benchmarks/train_default_model.py --support-backend embedding   # embed extra; no write
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import math
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import expertqa_labels
import train_fallback as tf

import srcscore
from srcscore import _evidence, _learned
from srcscore._features import CONTEXT_FEATURES, FEATURES, context_features, document_context
from srcscore._learned import FallbackModel
from srcscore._model import Model, expected_calibration_error, fit_model
from srcscore._models import document_from_dict
from srcscore._options import ScoringOptions
from srcscore._priors import Priors
from srcscore._score import assess, score_claim

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "srcscore" / "data" / "default_model.json"
FOLDS = 5
FOLD_SALT = "srcscore-default-model-v1"
# Down to 0.0003: with the hand-set offset, a very small C means "the hand-set
# score, recalibrated", which the inner CV must be able to choose.
C_GRID = (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
SELECT_BY = "cv_brier"  # inner-CV criterion for C (lower is better)
# The shipped recipe: the regression learns corrections to the hand-set score
# (its log-odds are an offset with coefficient 1), and a Platt map of the
# log-odds, fitted on grouped out-of-fold predictions, calibrates it.
CALIBRATION = "platt"
OFFSET: str | None = "hand_score"
LABELS = ("reliable", "correct", "supported")
SHIP_LABEL = "reliable"
N_OLD = 42  # the features srcscore had before this script (``uncited`` .. ``claim_numbers``)
N_CLAIM = len(FEATURES) - len(CONTEXT_FEATURES)
FEATURE_SETS = {"original": N_OLD, "claim": N_CLAIM, "all": len(FEATURES)}
# The shipped model uses the claim's own features only: the document-context
# features need ``assess`` to pass a DocumentContext (see benchmarks/README.md).
SHIP_FEATURES = "claim"
BOOTSTRAP = 1000
SEED = 20240611
# Absolute, on every parameter: solver round-off differs by ~1e-6 across numpy and
# scikit-learn builds, while a real change of data or code moves them by far more.
TOLERANCE = 1e-4


def default_data_dir() -> Path:
    return ROOT.parent / "shared" / "data"


def set_salt(salt: str) -> None:
    """Use another salt for the outer folds (to see how much the split matters)."""
    global FOLD_SALT
    FOLD_SALT = salt


# Outer folds chosen by StratifiedGroupKFold (``--stratify``) instead of the hash.
_FOLD_MAP: dict[str, int] = {}


def set_stratified(documents: Sequence[Mapping[str, Any]], seed: int) -> None:
    """Outer folds of whole annotators whose shares of Reliable labels are balanced.

    A diagnostic protocol (``--stratify SEED``): it keeps the annotator grouping
    but stops the split from making one fold's judges much more generous than
    the others', which is what the hash folds' calibration error mostly
    measures (see :func:`base_rate`).
    """
    from sklearn.model_selection import StratifiedGroupKFold

    ys, gs = [], []
    for d in documents:
        for c in d["claims"]:
            if c.get(SHIP_LABEL) is not None:
                ys.append(int(c[SHIP_LABEL]))
                gs.append(str(d.get("annotator")))
    splitter = StratifiedGroupKFold(FOLDS, shuffle=True, random_state=seed)
    _FOLD_MAP.clear()
    for k, (_, test) in enumerate(splitter.split(ys, ys, gs)):
        _FOLD_MAP.update({gs[i]: k for i in test})


def fold_of(annotator: str) -> int:
    if annotator in _FOLD_MAP:
        return _FOLD_MAP[annotator]
    digest = hashlib.sha256(f"{FOLD_SALT}|{annotator}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % FOLDS


DATA_FILES = (
    "expertqa/expertqa_dev.jsonl",
    "lin2023/domain_pc1.csv",
    *(f"baly-mbfc/{n}" for n in tf.BALY_FILES),
    "iffy-cred1/cred1_current.csv",
)
# srcscore's own data that the features depend on: a model fitted on features
# computed with other priors no longer describes what srcscore computes.
PACKAGE_FILES = ("priors.csv", "fallback_model.json")


def data_fingerprint(data: Path) -> dict[str, str]:
    """SHA-256 (first 16 hex digits) of every shared-data file the run reads."""
    return {f: hashlib.sha256((data / f).read_bytes()).hexdigest()[:16] for f in DATA_FILES}


def package_fingerprint() -> dict[str, str]:
    """SHA-256 (first 16 hex digits) of the srcscore data files the features depend on."""
    base = Path(srcscore.__file__).resolve().parent / "data"
    return {f: hashlib.sha256((base / f).read_bytes()).hexdigest()[:16] for f in PACKAGE_FILES}


# ----------------------------------------------------------------------------- data


def labelled_documents(data: Path) -> list[dict[str, Any]]:
    """The ExpertQA dev records as labelled srcscore documents (with ``annotator``)."""
    path = data / "expertqa" / "expertqa_dev.jsonl"
    with path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return [expertqa_labels.convert(r, i) for i, r in enumerate(records)]


@dataclass
class Claim:
    """One claim: its features (under some fallback), hand-set score and labels."""

    features: tuple[float, ...]
    hand: float
    labels: Mapping[str, int]
    document: int
    annotator: str


class Featurizer:
    """Claim features of the documents under fallback priors fitted without some folds."""

    def __init__(
        self, documents: Sequence[Mapping[str, Any]], data: Path, support_backend: str = "lexical"
    ) -> None:
        self.documents = documents
        self.parsed = [document_from_dict(d) for d in documents]
        self.annotators = [str(d.get("annotator")) for d in documents]
        self.folds = [fold_of(a) for a in self.annotators]
        self.table = Priors.default()
        self.opts = ScoringOptions(support_backend=support_backend)
        self.rows, _ = tf.training_rows(data)
        self.row_feats = tf.row_features(self.rows)
        self.c = float(_learned.load_model().data["training"]["C"])
        self._models: dict[frozenset[int], FallbackModel] = {}
        self._claims: dict[tuple[frozenset[int] | None, int], list[Claim]] = {}

    def fallback(self, without: frozenset[int] | None) -> FallbackModel:
        """The fallback refitted at the shipped C without the ExpertQA rows of ``without``.

        ``None`` is the shipped fallback model itself (fitted on every annotator).
        """
        if without is None:
            return _learned.load_model()
        if without not in self._models:
            keep = [
                i
                for i, r in enumerate(self.rows)
                if r.origin != "expertqa" or fold_of(r.annotator) not in without
            ]
            doc = tf.fit_model(
                [self.rows[i] for i in keep], c=self.c, feats=[self.row_feats[i] for i in keep]
            )
            self._models[without] = FallbackModel(doc)
        return self._models[without]

    def claims(self, index: int, without: frozenset[int] | None) -> list[Claim]:
        """The labelled claims of document ``index``, priors from ``fallback(without)``."""
        key = (without, index)
        if key not in self._claims:
            model = self.fallback(without)
            saved = list(_learned._MODEL)
            _learned._MODEL[:] = [model]  # what the chain's learned step uses
            try:
                scored, _ = assess(self.parsed[index], self.table, self.opts, [])
            finally:
                _learned._MODEL[:] = saved
            context = document_context([s.evidence for s in scored])
            out = []
            for s, raw in zip(scored, self.documents[index]["claims"], strict=True):
                labels = {k: int(raw[k]) for k in LABELS if raw.get(k) is not None}
                if not labels:
                    continue
                full = (*s.features[:N_CLAIM], *context_features(s.evidence, context))
                hand = score_claim(s, self.opts, None).score
                out.append(Claim(full, hand, labels, index, self.annotators[index]))
            self._claims[key] = out
        return self._claims[key]

    def cross_fitted(self, docs: Iterable[int], held_out: frozenset[int]) -> list[Claim]:
        """Claims of ``docs``, each with priors fitted without its own fold and ``held_out``."""
        return [c for d in docs for c in self.claims(d, held_out | frozenset({self.folds[d]}))]


def _memoise_support() -> None:
    """Support does not depend on priors: compute it once per (claim, text)."""
    current = getattr(_evidence, "support")  # noqa: B009 (not re-exported)
    if not hasattr(current, "cache_info"):
        setattr(_evidence, "support", functools.lru_cache(maxsize=None)(current))  # noqa: B010


# ----------------------------------------------------------------------------- metrics


def auc(y: np.ndarray, p: np.ndarray) -> float:
    """Area under the ROC curve (midranks for ties); NaN with one class only."""
    from scipy.stats import rankdata

    pos = int(y.sum())
    neg = len(y) - pos
    if pos == 0 or neg == 0:
        return float("nan")
    ranks = rankdata(p)
    return float((ranks[y == 1].sum() - pos * (pos + 1) / 2) / (pos * neg))


def bootstrap_ci(y: np.ndarray, p: np.ndarray, groups: Sequence[str]) -> tuple[float, float]:
    """95% interval of the AUC, resampling annotators (clusters) with replacement."""
    rng = np.random.default_rng(SEED)
    names = sorted(set(groups))
    members: dict[str, list[int]] = {g: [] for g in names}
    for i, g in enumerate(groups):
        members[g].append(i)
    values = []
    for _ in range(BOOTSTRAP):
        pick = rng.integers(0, len(names), len(names))
        idx = np.fromiter((i for k in pick for i in members[names[k]]), dtype=int)
        value = auc(y[idx], p[idx])
        if not math.isnan(value):
            values.append(value)
    lo, hi = np.percentile(values, [2.5, 97.5])
    return round(float(lo), 4), round(float(hi), 4)


def summary(
    y: Sequence[int], p: Sequence[float], groups: Sequence[str], folds: Sequence[int] | None = None
) -> dict[str, Any]:
    ya, pa = np.asarray(y, dtype=int), np.asarray(p, dtype=float)
    out: dict[str, Any] = {
        "n": len(ya),
        "positives": int(ya.sum()),
        "auc": round(auc(ya, pa), 4),
        "auc_ci95": list(bootstrap_ci(ya, pa, groups)),
        "brier": round(float(np.mean((pa - ya) ** 2)), 4),
        "ece": round(expected_calibration_error(ya.tolist(), pa.tolist()), 4),
    }
    if folds is not None:
        fa = np.asarray(folds)
        per = [auc(ya[fa == k], pa[fa == k]) for k in sorted(set(fa.tolist()))]
        out["auc_fold_mean"] = round(float(np.nanmean(per)), 4)
    return out


# ----------------------------------------------------------------------------- fitting


@dataclass(frozen=True)
class Recipe:
    """How a model is fitted: its calibration and offset feature."""

    calibration: str = CALIBRATION
    offset: str | None = OFFSET


def fit_best(
    claims: Sequence[Claim], label: str, n_features: int, recipe: Recipe = Recipe()
) -> tuple[Model, float, dict[str, float]]:
    """Fit at every C of the grid; keep the best by fit_model's grouped (annotator) CV.

    The criterion is :data:`SELECT_BY` (the Brier score: the model's output is a
    probability, so a proper scoring rule picks it). Returns the model, its C and
    the criterion at every C (ties go to the smaller C).
    """
    rows = [(c.features[:n_features], c.labels[label]) for c in claims if label in c.labels]
    groups = [c.annotator for c in claims if label in c.labels]
    best: tuple[Model, float] | None = None
    by_c: dict[str, float] = {}
    for c in C_GRID:
        model = fit_model(
            rows,
            label=label,
            c=c,
            folds=FOLDS,
            groups=groups,
            calibration=recipe.calibration,
            offset=recipe.offset,
        )
        by_c[str(c)] = model.metrics[SELECT_BY]
        if best is None or model.metrics[SELECT_BY] < best[0].metrics[SELECT_BY] - 1e-9:
            best = (model, c)
    assert best is not None
    return best[0], best[1], by_c


@dataclass
class NestedResult:
    """Out-of-fold predictions of one (training label, feature set) recipe."""

    label: str
    features: str
    predictions: dict[int, list[tuple[Claim, float]]] = field(default_factory=dict)
    chosen_c: list[float] = field(default_factory=list)

    def scored(self, label: str) -> tuple[list[int], list[float], list[str], list[int]]:
        ys, ps, gs, fs = [], [], [], []
        for fold, items in sorted(self.predictions.items()):
            for claim, p in items:
                if label in claim.labels:
                    ys.append(claim.labels[label])
                    ps.append(p)
                    gs.append(claim.annotator)
                    fs.append(fold)
        return ys, ps, gs, fs


def nested_cv(
    feat: Featurizer, label: str, features: str, recipe: Recipe = Recipe()
) -> NestedResult:
    n_features = FEATURE_SETS[features]
    result = NestedResult(label, features)
    docs = range(len(feat.documents))
    for k in range(FOLDS):
        held = frozenset({k})
        train = feat.cross_fitted((d for d in docs if feat.folds[d] != k), held)
        test = [c for d in docs if feat.folds[d] == k for c in feat.claims(d, held)]
        model, chosen, _ = fit_best(train, label, n_features, recipe)
        result.chosen_c.append(chosen)
        result.predictions[k] = [(x, model.predict(x.features[:n_features])) for x in test]
    return result


def hand_set(feat: Featurizer) -> dict[int, list[Claim]]:
    """Per outer fold, the held-out claims with priors fitted without that fold."""
    docs = range(len(feat.documents))
    return {
        k: [c for d in docs if feat.folds[d] == k for c in feat.claims(d, frozenset({k}))]
        for k in range(FOLDS)
    }


def base_rate(feat: Featurizer, held: Mapping[int, list[Claim]], label: str) -> dict[str, Any]:
    """A constant model per outer fold: its training annotators' rate of ``label``.

    It ranks nothing (its pooled AUC only reflects the folds' differing rates),
    but its ECE is what the split alone costs a calibrated model that cannot
    see who will judge: the held-out annotators are more or less generous than
    the training ones.
    """
    ys, ps, gs, fs = [], [], [], []
    docs = range(len(feat.documents))
    for k, items in held.items():
        train = [
            c.labels[label]
            for d in docs
            if feat.folds[d] != k
            for c in feat.claims(d, frozenset({k}))
            if label in c.labels
        ]
        rate = sum(train) / len(train)
        for c in items:
            if label in c.labels:
                ys.append(c.labels[label])
                ps.append(rate)
                gs.append(c.annotator)
                fs.append(k)
    return summary(ys, ps, gs, fs)


# ----------------------------------------------------------------------------- build


def build(
    data: Path,
    features: str,
    labels: Sequence[str],
    log: bool = True,
    recipe: Recipe = Recipe(),
    support_backend: str = "lexical",
) -> dict[str, Any]:
    """Evaluate every label by nested CV and fit the shipped model: its JSON document."""
    t0 = time.perf_counter()
    _memoise_support()
    documents = labelled_documents(data)
    feat = Featurizer(documents, data, support_backend)

    def say(text: str) -> None:
        if log:
            print(f"[{time.perf_counter() - t0:5.1f} s] {text}", file=sys.stderr)

    say(f"{len(documents)} documents, {len(set(feat.annotators))} annotators, {FOLDS} folds")
    report: dict[str, Any] = {
        "hand_set": {},
        "hand_set_shipped_fallback": {},
        "base_rate": {},
        "learned": {},
    }
    held_claims = hand_set(feat)
    for label in LABELS:
        report["base_rate"][label] = base_rate(feat, held_claims, label)
        say(f"training base rate, {label}: ECE {report['base_rate'][label]['ece']:.3f}")
    leaky = [c for d in range(len(documents)) for c in feat.claims(d, None)]
    for label in LABELS:
        ys, ps, gs, fs = [], [], [], []
        for k, items in held_claims.items():
            for c in items:
                if label in c.labels:
                    ys.append(c.labels[label])
                    ps.append(c.hand)
                    gs.append(c.annotator)
                    fs.append(k)
        report["hand_set"][label] = summary(ys, ps, gs, fs)
        say(f"hand-set, {label}: {_fmt(report['hand_set'][label])}")
        report["hand_set_shipped_fallback"][label] = summary(
            [c.labels[label] for c in leaky if label in c.labels],
            [c.hand for c in leaky if label in c.labels],
            [c.annotator for c in leaky if label in c.labels],
        )
    for label in labels:
        nested = nested_cv(feat, label, features, recipe)
        block: dict[str, Any] = {"C_by_fold": nested.chosen_c}
        for target in LABELS:
            ys, ps, gs, fs = nested.scored(target)
            block[target] = summary(ys, ps, gs, fs)
            say(f"learned on {label} ({features}), {target}: {_fmt(block[target])}")
        report["learned"][label] = block

    # The shipped model: all annotators, cross-fitted features, C by grouped CV.
    claims = feat.cross_fitted(range(len(documents)), frozenset())
    n_features = FEATURE_SETS[features]
    model, shipped_c, by_c = fit_best(claims, SHIP_LABEL, n_features, recipe)
    say(f"shipped model: {SHIP_LABEL}, C {shipped_c} (grouped CV {SELECT_BY} by C {by_c})")
    nested_ship = report["learned"].get(SHIP_LABEL)
    metrics: dict[str, Any] = {
        "n": model.metrics["n"],
        "positives": model.metrics["positives"],
        "folds": FOLDS,
        "C": shipped_c,
        "features": features,
        "calibration": recipe.calibration,
        "offset": recipe.offset,
        # No uncited claim carries the label: the model knows nothing of them, and
        # scoring should keep the hand-set 0 for a claim nothing vouches for.
        "cited_only": not any(
            c.features[FEATURES.index("uncited")] > 0 for c in claims if SHIP_LABEL in c.labels
        ),
    }
    if nested_ship is not None:
        own = nested_ship[SHIP_LABEL]
        metrics.update(
            {
                "cv_auc": own["auc"],
                "cv_auc_ci95": own["auc_ci95"],
                "cv_auc_fold_mean": own["auc_fold_mean"],
                "cv_brier": own["brier"],
                "cv_ece": own["ece"],
                **{f"cv_auc_{t}": nested_ship[t]["auc"] for t in LABELS if t != SHIP_LABEL},
                "cv_C_by_fold": nested_ship["C_by_fold"],
            }
        )
    metrics.update(
        {f"hand_auc_{t}": report["hand_set"][t]["auc"] for t in LABELS if t in report["hand_set"]}
    )
    metrics["cv_protocol"] = (
        f"nested {FOLDS}-fold CV grouped by annotator (sha256 salt {FOLD_SALT!r}); C from "
        f"{list(C_GRID)} by inner grouped CV ({SELECT_BY}); offset {recipe.offset}; "
        f"{recipe.calibration} calibration on grouped out-of-fold log-odds inside each "
        "fold; learned fallback prior refitted without the held-out annotators (cross-fitted); "
        f"AUC 95% interval by bootstrap over annotators ({BOOTSTRAP} resamples, seed {SEED})"
    )
    metrics["C_selection"] = {"criterion": SELECT_BY, "by_C": by_c}
    metrics["data_sha256_16"] = data_fingerprint(data)
    metrics["srcscore_data_sha256_16"] = package_fingerprint()
    trained_on = (
        f"ExpertQA dev split (Malaviya et al. 2024; {len(documents)} answers, "
        f"{len(set(feat.annotators))} annotators): experts' source-reliability labels "
        "(Reliable = 1; Somewhat reliable, Not reliable at all = 0) of the claims with a "
        "cited URL; built by benchmarks/train_default_model.py"
    )
    shipped = Model(
        model.features,
        model.mean,
        model.scale,
        model.coef,
        model.intercept,
        model.calibration_x,
        model.calibration_y,
        SHIP_LABEL,
        metrics,
        trained_on,
        model.offset,
        model.platt,
    )
    say("done")
    return {"model": shipped.to_dict(), "report": report}


def _fmt(m: Mapping[str, Any]) -> str:
    lo, hi = m["auc_ci95"]
    return (
        f"n {m['n']} ({m['positives']} pos)  AUC {m['auc']:.3f} [{lo:.3f}, {hi:.3f}]"
        f" fold-mean {m.get('auc_fold_mean', float('nan')):.3f}"
        f"  Brier {m['brier']:.3f}  ECE {m['ece']:.3f}"
    )


def compare(a: Mapping[str, Any], b: Mapping[str, Any], tol: float = TOLERANCE) -> list[str]:
    """Differences between two model documents beyond ``tol`` (empty when they agree)."""
    out: list[str] = []

    def walk(x: Any, y: Any, where: str) -> None:
        if isinstance(x, Mapping) and isinstance(y, Mapping):
            for key in sorted(set(x) | set(y)):
                if key == "srcscore_version":
                    continue
                if key not in x or key not in y:
                    out.append(f"{where}{key}: only in one")
                else:
                    walk(x[key], y[key], f"{where}{key}.")
        elif isinstance(x, list) and isinstance(y, list):
            if len(x) != len(y):
                out.append(f"{where[:-1]}: {len(x)} values != {len(y)}")
            else:
                for i, (u, v) in enumerate(zip(x, y, strict=True)):
                    walk(u, v, f"{where}{i}.")
        elif isinstance(x, (int, float)) and isinstance(y, (int, float)):
            if abs(float(x) - float(y)) > tol:
                out.append(f"{where[:-1]}: {x} != {y}")
        elif x != y:
            out.append(f"{where[:-1]}: {x!r} != {y!r}")

    walk(a, b, "")
    return out


def print_table(report: Mapping[str, Any]) -> None:
    print(
        f"{'model':34s} {'trained on':10s} {'evaluated on':12s} {'AUC':>6s} {'95% CI':15s} "
        f"{'fold mean':>9s} {'Brier':>6s} {'ECE':>6s}"
    )

    def line(name: str, trained: str, target: str, m: Mapping[str, Any]) -> None:
        lo, hi = m["auc_ci95"]
        mean = m.get("auc_fold_mean")
        print(
            f"{name:34s} {trained:10s} {target:12s} {m['auc']:6.3f} [{lo:.3f}, {hi:.3f}] "
            f"{'' if mean is None else f'{mean:.3f}':>9s} {m['brier']:6.3f} {m['ece']:6.3f}"
        )

    for label, m in report["hand_set"].items():
        line("hand-set, fallback out of fold", "-", label, m)
    for label, m in report["hand_set_shipped_fallback"].items():
        line("hand-set, shipped fallback (leaky)", "-", label, m)
    for label, m in report["base_rate"].items():
        line("training folds' base rate", label, label, m)
    for label, block in report["learned"].items():
        for target in LABELS:
            line("learned, nested CV", label, target, block[target])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="the shared data directory")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the model JSON")
    parser.add_argument(
        "--check",
        action="store_true",
        help=f"rebuild (nested CV of {SHIP_LABEL} only) and compare with the shipped JSON",
    )
    parser.add_argument("--no-write", action="store_true", help="evaluate only")
    parser.add_argument(
        "--features", choices=sorted(FEATURE_SETS), default=SHIP_FEATURES, help="feature set"
    )
    parser.add_argument(
        "--labels",
        default=",".join(LABELS),
        help="labels to train and evaluate learned models on (comma-separated)",
    )
    parser.add_argument("--report", type=Path, default=None, help="write all metrics as JSON")
    parser.add_argument(
        "--salt",
        default=FOLD_SALT,
        help="salt of the outer folds' hash, for other fold assignments (implies --no-write)",
    )
    parser.add_argument(
        "--stratify",
        type=int,
        metavar="SEED",
        default=None,
        help="outer folds of annotators balanced by Reliable rate (diagnostic; implies --no-write)",
    )
    parser.add_argument(
        "--calibration",
        choices=("isotonic", "platt"),
        default=CALIBRATION,
        help=f"calibration map (default: {CALIBRATION})",
    )
    parser.add_argument(
        "--offset",
        default=OFFSET or "none",
        help=f"feature whose log-odds are the model's offset, or 'none' (default: {OFFSET})",
    )
    parser.add_argument(
        "--support-backend",
        choices=("lexical", "embedding"),
        default="lexical",
        help="how support features are computed; 'embedding' needs the embed extra and is a "
        "diagnostic (implies --no-write: the shipped model is fitted on the default, lexical)",
    )
    args = parser.parse_args(argv)
    data = args.data or default_data_dir()
    if not all((data / f).is_file() for f in DATA_FILES):
        print(f"training data not found under {data}", file=sys.stderr)
        return 2
    labels = [x for x in args.labels.split(",") if x]
    if SHIP_LABEL not in labels or any(x not in LABELS for x in labels):
        parser.error(f"--labels must include {SHIP_LABEL} and name only {', '.join(LABELS)}")
    if args.check:
        labels = [SHIP_LABEL]  # all the shipped JSON records
    # Diagnostic options: the shipped model records the shipped folds and the
    # default (lexical) support, so any of them means --no-write and no --check.
    diagnostics = {
        "--salt": ("folds", args.salt != FOLD_SALT),
        "--stratify": ("folds", args.stratify is not None),
        "--support-backend": ("model", args.support_backend != "lexical"),
    }
    for flag, (what, used) in diagnostics.items():
        if used:
            if args.check:
                parser.error(f"--check rebuilds the shipped {what}: leave {flag}")
            args.no_write = True
    if args.salt != FOLD_SALT:
        set_salt(args.salt)
    if args.stratify is not None:
        set_stratified(labelled_documents(data), args.stratify)
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    # One BLAS thread: several times faster for these small fits on a shared
    # machine, and the same floating-point reductions on every run.
    with threadpool_limits(limits=1):
        recipe = Recipe(args.calibration, None if args.offset == "none" else args.offset)
        if args.check and recipe != Recipe():
            parser.error("--check rebuilds the shipped recipe: leave --calibration and --offset")
        result = build(
            data, args.features, labels, recipe=recipe, support_backend=args.support_backend
        )
    doc = result["model"]
    srcscore.Model.from_dict(doc)  # validates
    print_table(result["report"])
    if args.report is not None:
        args.report.write_text(json.dumps(result["report"], indent=1) + "\n", encoding="utf-8")
    if args.check:
        shipped = json.loads(args.out.read_text(encoding="utf-8"))
        diffs = compare(shipped, doc)
        print("\n".join(diffs) or f"{args.out} is reproduced (tolerance {TOLERANCE})")
        return 1 if diffs else 0
    if not args.no_write:
        args.out.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
