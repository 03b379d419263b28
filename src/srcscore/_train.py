"""Fit a scoring model to labelled documents, and measure any model on them.

Labelled documents are input documents (see the JSON schema) whose claims
carry a ``label`` (or another key): 1/true when the claim is trustworthy,
0/false when not; numbers in [0, 1] are read as 1 from 0.5 up.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, final

import attrs

from ._exceptions import InputError, ModelError
from ._model import Model, expected_calibration_error, fit_model, reliability_bins
from ._models import document_from_dict
from ._options import ScoringOptions
from ._score import assess, resolve_model, resolve_priors, score_claim

__all__ = ["Evaluation", "evaluate", "labelled_claims", "train"]


def _label_of(value: object, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)) and 0.0 <= value <= 1.0:
        return int(value >= 0.5)
    raise ModelError(f"{where}: label must be true/false or a number in [0, 1], got {value!r}")


def labelled_claims(
    documents: Iterable[Mapping[str, Any]],
    *,
    label: str = "label",
    priors: Any = None,
    options: ScoringOptions | None = None,
) -> list[tuple[tuple[float, ...], int, int, Any]]:
    """``(features, label, document index, scored claim)`` for every labelled claim.

    Documents must give their claims (``claims``), so that labels line up with
    them; a claim without the label key is skipped.
    """
    table = resolve_priors(priors)
    opts = options or ScoringOptions()
    rows = []
    for index, raw in enumerate(documents):
        where = f"document {index + 1}"
        if not isinstance(raw, Mapping) or not isinstance(raw.get("claims"), list):
            raise InputError(f"{where}: labelled documents need a 'claims' list")
        labels = [
            _label_of(c.get(label) if isinstance(c, Mapping) else None, f"{where}: claim {i + 1}")
            for i, c in enumerate(raw["claims"])
        ]
        document = document_from_dict(raw)
        scored, _ = assess(document, table, opts, [])
        for claim, value in zip(scored, labels, strict=True):
            if value is not None:
                rows.append((claim.features, value, index, claim))
    return rows


def train(
    documents: Iterable[Mapping[str, Any]],
    *,
    label: str = "label",
    priors: Any = None,
    c: float = 1.0,
    folds: int = 5,
    trained_on: str = "",
    calibration: str = "isotonic",
    offset: str | None = None,
) -> Model:
    """Fit a calibrated model on labelled documents (needs scikit-learn).

    Folds keep each document's claims together, so cross-validated metrics
    (recorded in ``model.metrics``) are not flattered by near-duplicate claims,
    and the calibration is fitted on out-of-fold predictions of held-out
    documents. ``calibration`` is ``"isotonic"`` or ``"platt"`` (steadier on a
    few hundred claims); ``offset="hand_score"`` makes the model learn
    corrections to the hand-set score instead of starting from nothing (the
    shipped default model does both).
    """
    rows = labelled_claims(documents, label=label, priors=priors)
    return fit_model(
        ((f, y) for f, y, _, _ in rows),
        label=label,
        c=c,
        folds=folds,
        trained_on=trained_on,
        groups=[d for _, _, d, _ in rows],
        calibration=calibration,
        offset=offset,
    )


@final
@attrs.frozen
class Evaluation:
    """How well scores rank and are calibrated against labels.

    Attributes:
        n: labelled claims.
        positives: claims labelled 1.
        auc: area under the ROC curve (``None`` with one label only).
        brier: mean squared error of the scores.
        ece: expected calibration error over ten equal-width bins.
        bins: per bin ``(low, high, count, mean score, rate of 1s)``.

    """

    n: int
    positives: int
    auc: float | None
    brier: float
    ece: float
    bins: tuple[tuple[float, float, int, float, float], ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return attrs.asdict(self)


def _auc(labels: Sequence[int], scores: Sequence[float]) -> float | None:
    pos = [s for s, y in zip(scores, labels, strict=True) if y == 1]
    neg = [s for s, y in zip(scores, labels, strict=True) if y == 0]
    if not pos or not neg:
        return None
    # Mann-Whitney U with midranks for ties.
    ranked = sorted((s, i) for i, s in enumerate(scores))
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(ranked):
        j = i
        while j + 1 < len(ranked) and ranked[j + 1][0] == ranked[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[ranked[k][1]] = (i + j) / 2.0 + 1.0
        i = j + 1
    rank_sum = sum(r for r, y in zip(ranks, labels, strict=True) if y == 1)
    return (rank_sum - len(pos) * (len(pos) + 1) / 2.0) / (len(pos) * len(neg))


def measure(labels: Sequence[int], scores: Sequence[float], bins: int = 10) -> Evaluation:
    """AUC, Brier score, ECE and reliability bins of scores against 0/1 labels."""
    n = len(labels)
    table = reliability_bins(labels, scores, bins)
    brier = sum((s - y) ** 2 for y, s in zip(labels, scores, strict=True)) / n if n else 0.0
    return Evaluation(
        n,
        sum(labels),
        _auc(labels, scores),
        brier,
        expected_calibration_error(labels, scores, bins),
        tuple(table),
    )


def evaluate(
    documents: Iterable[Mapping[str, Any]],
    *,
    model: Model | str | os.PathLike[str] | None = None,
    label: str = "label",
    priors: Any = None,
    plot: str | os.PathLike[str] | None = None,
) -> Evaluation:
    """Score labelled documents (hand-set model, or ``model``) and measure the scores.

    ``plot`` writes a reliability diagram as a PNG (needs matplotlib, the
    ``plot`` extra).
    """
    fitted = resolve_model(model)
    opts = ScoringOptions()
    rows = labelled_claims(documents, label=label, priors=priors, options=opts)
    if not rows:  # AUC, Brier and ECE of nothing would read as a perfect score
        raise InputError(f"no labelled claims to evaluate (no claim has a {label!r} label)")
    labels = [y for _, y, _, _ in rows]
    scores = [score_claim(claim, opts, fitted).score for _, _, _, claim in rows]
    result = measure(labels, scores)
    if plot is not None:
        reliability_diagram(result, Path(plot), title=fitted.label if fitted else "hand-set model")
    return result


def reliability_diagram(result: Evaluation, path: Path, title: str = "") -> None:
    """Draw the reliability diagram of an evaluation to a PNG file."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise InputError(
            "the reliability diagram needs matplotlib: pip install 'srcscore[plot]'"
        ) from None
    fig, ax = plt.subplots(figsize=(4.5, 4.5), dpi=120)
    ax.plot([0, 1], [0, 1], linestyle="--", color="#888888", label="perfect calibration")
    xs = [b[3] for b in result.bins]
    ys = [b[4] for b in result.bins]
    sizes = [20 + 180 * b[2] / max(1, result.n) for b in result.bins]
    ax.plot(xs, ys, color="#0072B2")
    ax.scatter(xs, ys, s=sizes, color="#0072B2", label="claims (area = count)")
    auc = f"{result.auc:.3f}" if result.auc is not None else "n/a"
    ax.set_title(f"{title}\nAUC {auc}  Brier {result.brier:.3f}  ECE {result.ece:.3f}", fontsize=9)
    ax.set_xlabel("mean score in bin")
    ax.set_ylabel("share labelled 1")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
