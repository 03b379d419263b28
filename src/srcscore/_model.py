"""A learned, calibrated scoring model stored as plain JSON (no pickle).

The model is a logistic regression on standardised claim features
(:mod:`srcscore._features`) followed by a monotone calibration map fitted on
out-of-fold predictions (isotonic regression, or Platt scaling for small
data). Its JSON holds everything needed to predict, and is validated on load:

.. code-block:: json

    {"format": "srcscore-model", "version": 1, "label": "reliability",
     "features": [...], "mean": [...], "scale": [...], "coef": [...],
     "intercept": 0.0,
     "calibration": {"method": "isotonic", "x": [...], "y": [...]},
     "metrics": {...}, "trained_on": "...", "srcscore_version": "0.1.0"}

Training (:func:`train`) needs scikit-learn, imported only then.
"""

from __future__ import annotations

import bisect
import json
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, final

import attrs

from ._exceptions import ModelError
from ._features import FEATURES
from ._version import __version__

__all__ = ["FORMAT", "Model", "load_model"]

FORMAT: Final = "srcscore-model"
VERSION: Final = 1


def _floats(data: Mapping[str, Any], key: str, n: int | None, where: str) -> tuple[float, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not all(
        isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in value
    ):
        raise ModelError(f"{where}: '{key}' must be a list of finite numbers")
    if n is not None and len(value) != n:
        raise ModelError(f"{where}: '{key}' has {len(value)} values, expected {n}")
    return tuple(float(x) for x in value)


@final
@attrs.frozen
class Model:
    """A fitted model: standardisation, logistic coefficients and calibration.

    Attributes:
        features: feature names, in :data:`srcscore._features.FEATURES` order.
        mean, scale: standardisation of each feature.
        coef, intercept: the logistic regression on standardised features.
        calibration_x, calibration_y: a monotone map from the logistic
            probability to the calibrated one (linear interpolation, clipped).
        label: what the model predicts (e.g. the experts' reliability label).
        metrics: cross-validated metrics recorded at training time.
        trained_on: a description of the training data.

    """

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    calibration_x: tuple[float, ...] = ()
    calibration_y: tuple[float, ...] = ()
    label: str = "label"
    metrics: Mapping[str, Any] = attrs.field(factory=dict)
    trained_on: str = ""

    def raw(self, x: Sequence[float]) -> float:
        """The uncalibrated logistic probability for a feature vector."""
        z = self.intercept + sum(
            c * (v - m) / s for c, v, m, s in zip(self.coef, x, self.mean, self.scale, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def predict(self, x: Sequence[float]) -> float:
        """The calibrated probability for a feature vector."""
        p = self.raw(x)
        xs, ys = self.calibration_x, self.calibration_y
        if not xs:
            return p
        if p <= xs[0]:
            return ys[0]
        if p >= xs[-1]:
            return ys[-1]
        i = bisect.bisect_right(xs, p)
        x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
        return y0 if x1 == x0 else y0 + (y1 - y0) * (p - x0) / (x1 - x0)

    def contributions(self, x: Sequence[float]) -> list[tuple[str, float]]:
        """Each feature's push on the log-odds, largest in size first."""
        pushes = [
            (name, c * (v - m) / s)
            for name, c, v, m, s in zip(
                self.features, self.coef, x, self.mean, self.scale, strict=True
            )
        ]
        return sorted(pushes, key=lambda item: -abs(item[1]))

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of the model."""
        return {
            "format": FORMAT,
            "version": VERSION,
            "srcscore_version": __version__,
            "label": self.label,
            "trained_on": self.trained_on,
            "features": list(self.features),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "calibration": {
                "method": "isotonic" if self.calibration_x else "none",
                "x": list(self.calibration_x),
                "y": list(self.calibration_y),
            },
            "metrics": dict(self.metrics),
        }

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the model as JSON."""
        Path(path).write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def from_dict(cls, data: object, where: str = "model") -> Model:
        """Validate and build a model from its JSON form; raise :class:`ModelError`."""
        if not isinstance(data, Mapping) or data.get("format") != FORMAT:
            raise ModelError(f'{where}: not a srcscore model (no "format": "{FORMAT}")')
        if data.get("version") != VERSION:
            raise ModelError(
                f"{where}: model format version {data.get('version')!r} is not supported "
                f"(this srcscore reads version {VERSION})"
            )
        names = data.get("features")
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ModelError(f"{where}: 'features' must be a list of names")
        unknown = [n for n in names if n not in FEATURES]
        if unknown:
            raise ModelError(f"{where}: unknown features {', '.join(unknown[:5])}")
        if list(names) != list(FEATURES[: len(names)]):
            raise ModelError(f"{where}: features are not in srcscore's order")
        n = len(names)
        scale = _floats(data, "scale", n, where)
        if any(s <= 0 for s in scale):
            raise ModelError(f"{where}: 'scale' values must be positive")
        intercept = data.get("intercept")
        if not isinstance(intercept, (int, float)) or not math.isfinite(intercept):
            raise ModelError(f"{where}: 'intercept' must be a finite number")
        calibration = data.get("calibration") or {"method": "none"}
        if not isinstance(calibration, Mapping):
            raise ModelError(f"{where}: 'calibration' must be an object")
        xs: tuple[float, ...] = ()
        ys: tuple[float, ...] = ()
        if calibration.get("method") == "isotonic":
            xs = _floats(calibration, "x", None, f"{where}: calibration")
            ys = _floats(calibration, "y", len(xs), f"{where}: calibration")
            if list(xs) != sorted(xs) or list(ys) != sorted(ys) or not xs:
                raise ModelError(f"{where}: calibration must be non-empty and increasing")
            if not all(0.0 <= y <= 1.0 for y in ys):
                raise ModelError(f"{where}: calibrated values must be in [0, 1]")
        elif calibration.get("method") != "none":
            raise ModelError(f"{where}: unknown calibration {calibration.get('method')!r}")
        metrics = data.get("metrics", {})
        return cls(
            tuple(names),
            _floats(data, "mean", n, where),
            scale,
            _floats(data, "coef", n, where),
            float(intercept),
            xs,
            ys,
            str(data.get("label", "label")),
            dict(metrics) if isinstance(metrics, Mapping) else {},
            str(data.get("trained_on", "")),
        )

    def vector(self, full: Sequence[float]) -> list[float]:
        """Cut a full feature vector down to this model's features."""
        return list(full[: len(self.features)])


def load_model(path: str | os.PathLike[str]) -> Model:
    """Read and validate a model JSON file; raise :class:`ModelError` with the reason."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ModelError(f"model file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelError(f"cannot read model file {path}: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelError(f"{path}: invalid JSON: {exc.msg} (line {exc.lineno})") from None
    return Model.from_dict(data, str(path))


def fit_model(
    rows: Iterable[tuple[Sequence[float], int]],
    *,
    label: str = "label",
    c: float = 1.0,
    folds: int = 5,
    trained_on: str = "",
    groups: Sequence[object] | None = None,
) -> Model:
    """Fit a calibrated logistic model on ``(features, 0/1 label)`` rows (needs scikit-learn).

    The calibration map is fitted on out-of-fold probabilities, so it corrects
    the model as it behaves on data it has not seen; ``groups`` keeps related
    rows (one document's claims, one annotator's answers) in one fold.
    """
    import numpy as np
    from sklearn.isotonic import IsotonicRegression
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import brier_score_loss, roc_auc_score
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    data = list(rows)
    if not data:
        raise ModelError("no labelled claims to train on")
    x = np.asarray([list(f) for f, _ in data], dtype=float)
    y = np.asarray([int(lbl) for _, lbl in data], dtype=int)
    if len(set(y.tolist())) < 2:
        raise ModelError("training needs claims of both labels (0 and 1)")
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = (x - mean) / scale
    n_folds = max(2, min(folds, int(np.bincount(y).min())))
    if groups is not None and len(set(groups)) >= n_folds:
        splits = list(GroupKFold(n_splits=n_folds).split(z, y, groups=list(groups)))
    else:
        splits = list(StratifiedKFold(n_folds, shuffle=True, random_state=0).split(z, y))

    def calibrated_fit(idx: Any) -> tuple[Any, Any]:
        """Logistic model on ``idx`` and an isotonic map fitted on its own out-of-fold output."""
        inner = np.zeros(len(idx))
        inner_folds = StratifiedKFold(
            max(2, min(5, int(np.bincount(y[idx]).min()))), shuffle=True, random_state=1
        )
        for a, b in inner_folds.split(z[idx], y[idx]):
            part = LogisticRegression(C=c, max_iter=2000).fit(z[idx][a], y[idx][a])
            inner[b] = part.predict_proba(z[idx][b])[:, 1]
        iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(inner, y[idx])
        return LogisticRegression(C=c, max_iter=2000).fit(z[idx], y[idx]), iso

    # Outer folds measure the whole recipe (model and calibration) on unseen rows.
    raw = np.zeros(len(y))
    calibrated = np.zeros(len(y))
    for train_idx, test_idx in splits:
        fold, fold_iso = calibrated_fit(train_idx)
        raw[test_idx] = fold.predict_proba(z[test_idx])[:, 1]
        calibrated[test_idx] = fold_iso.predict(raw[test_idx])
    final, iso = calibrated_fit(np.arange(len(y)))
    metrics = {
        "n": len(y),
        "positives": int(y.sum()),
        "folds": n_folds,
        "cv_auc": round(float(roc_auc_score(y, calibrated)), 4),
        "cv_auc_uncalibrated": round(float(roc_auc_score(y, raw)), 4),
        "cv_brier": round(float(brier_score_loss(y, calibrated)), 4),
        "cv_ece": round(expected_calibration_error(y.tolist(), calibrated.tolist()), 4),
    }
    return Model(
        features=FEATURES[: x.shape[1]],
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        coef=tuple(float(v) for v in final.coef_[0]),
        intercept=float(final.intercept_[0]),
        calibration_x=tuple(float(v) for v in iso.X_thresholds_),
        calibration_y=tuple(float(v) for v in iso.y_thresholds_),
        label=label,
        metrics=metrics,
        trained_on=trained_on,
    )


def reliability_bins(
    labels: Sequence[int], probs: Sequence[float], bins: int = 10
) -> list[tuple[float, float, int, float, float]]:
    """Equal-width bins of predictions: ``(low, high, count, mean prediction, rate of 1s)``.

    Empty bins are left out; a prediction of exactly 1 falls in the last bin.
    """
    table = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        members = [
            (y, p)
            for y, p in zip(labels, probs, strict=True)
            if lo <= p < hi or (b == bins - 1 and p == 1.0)
        ]
        if members:
            n = len(members)
            table.append(
                (lo, hi, n, sum(p for _, p in members) / n, sum(y for y, _ in members) / n)
            )
    return table


def expected_calibration_error(
    labels: Sequence[int], probs: Sequence[float], bins: int = 10
) -> float:
    """ECE: the bin-size-weighted gap between mean prediction and outcome rate."""
    total = len(labels)
    if total == 0:
        return 0.0
    return sum(
        n / total * abs(mean - rate)
        for _, _, n, mean, rate in reliability_bins(labels, probs, bins)
    )
