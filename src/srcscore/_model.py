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

Version 2 adds two optional parts, and is written only by models that use
them (a model without them is still written as version 1, which older
srcscore releases read):

- ``"offset": "hand_score"``: the log-odds of that feature (a probability)
  enter the model with a fixed coefficient of 1, so the regression learns
  corrections to it rather than starting from nothing;
- ``"calibration": {"method": "platt", "a": 1.0, "b": 0.0}``: the calibrated
  probability is ``1 / (1 + exp(-(a * z + b)))`` of the model's log-odds ``z``.

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

__all__ = ["CALIBRATIONS", "FORMAT", "Model", "fit_model", "load_model"]

FORMAT: Final = "srcscore-model"
VERSION: Final = 2
#: The format versions this srcscore reads.
VERSIONS: Final = (1, 2)
#: An offset feature is a probability; clip it before taking its log-odds.
_OFFSET_CLIP: Final = 1e-4


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


def _logit(p: float) -> float:
    p = min(max(p, _OFFSET_CLIP), 1.0 - _OFFSET_CLIP)
    return math.log(p / (1.0 - p))


def _finite(x: object) -> bool:
    """A JSON number that is a finite float (``1e400`` as an integer overflows: not finite)."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return False
    try:
        return math.isfinite(x)
    except OverflowError:
        return False


def _floats(data: Mapping[str, Any], key: str, n: int | None, where: str) -> tuple[float, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not all(_finite(x) for x in value):
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
        offset: a feature (a probability) whose log-odds are added to the
            model's log-odds with coefficient 1, or ``None``.
        platt: ``(a, b)`` of a Platt calibration of the log-odds ``z``
            (``sigmoid(a * z + b)``); used instead of the isotonic knots.

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
    offset: str | None = None
    platt: tuple[float, float] | None = None

    def log_odds(self, x: Sequence[float]) -> float:
        """The uncalibrated log-odds for a feature vector (offset included)."""
        z = self.intercept + sum(
            c * (v - m) / s for c, v, m, s in zip(self.coef, x, self.mean, self.scale, strict=True)
        )
        if self.offset is not None:
            z += _logit(x[self.features.index(self.offset)])
        return z

    def raw(self, x: Sequence[float]) -> float:
        """The uncalibrated logistic probability for a feature vector."""
        return _sigmoid(self.log_odds(x))

    def predict(self, x: Sequence[float]) -> float:
        """The calibrated probability for a feature vector."""
        if self.platt is not None:
            a, b = self.platt
            return _sigmoid(a * self.log_odds(x) + b)
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
        """Each feature's push on the log-odds, largest in size first.

        The offset feature's push counts both its coefficient and its log-odds
        (measured from the log-odds of its training mean).
        """
        pushes = {
            name: c * (v - m) / s
            for name, c, v, m, s in zip(
                self.features, self.coef, x, self.mean, self.scale, strict=True
            )
        }
        if self.offset is not None:
            i = self.features.index(self.offset)
            pushes[self.offset] += _logit(x[i]) - _logit(self.mean[i])
        return sorted(pushes.items(), key=lambda item: -abs(item[1]))

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of the model (version 1 unless it needs version 2)."""
        calibration: dict[str, Any]
        if self.platt is not None:
            calibration = {"method": "platt", "a": self.platt[0], "b": self.platt[1]}
        else:
            calibration = {
                "method": "isotonic" if self.calibration_x else "none",
                "x": list(self.calibration_x),
                "y": list(self.calibration_y),
            }
        v2 = self.offset is not None or self.platt is not None
        out: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION if v2 else 1,
            "srcscore_version": __version__,
            "label": self.label,
            "trained_on": self.trained_on,
            "features": list(self.features),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
        }
        if self.offset is not None:
            out["offset"] = self.offset
        out["calibration"] = calibration
        out["metrics"] = dict(self.metrics)
        return out

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the model as JSON."""
        Path(path).write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def from_dict(cls, data: object, where: str = "model") -> Model:
        """Validate and build a model from its JSON form; raise :class:`ModelError`."""
        if not isinstance(data, Mapping) or data.get("format") != FORMAT:
            raise ModelError(f'{where}: not a srcscore model (no "format": "{FORMAT}")')
        version = data.get("version")
        if isinstance(version, bool) or version not in VERSIONS:
            raise ModelError(
                f"{where}: model format version {version!r} is not supported "
                f"(this srcscore reads versions {', '.join(map(str, VERSIONS))})"
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
        if not _finite(intercept):
            raise ModelError(f"{where}: 'intercept' must be a finite number")
        calibration = data.get("calibration") or {"method": "none"}
        if not isinstance(calibration, Mapping):
            raise ModelError(f"{where}: 'calibration' must be an object")
        offset = data.get("offset")
        if offset is not None and (version < 2 or offset not in names):
            raise ModelError(
                f"{where}: 'offset' must name one of the model's features (format version 2)"
            )
        xs: tuple[float, ...] = ()
        ys: tuple[float, ...] = ()
        platt: tuple[float, float] | None = None
        if calibration.get("method") == "platt" and version >= 2:
            a, b = (calibration.get(k) for k in ("a", "b"))
            if not all(_finite(v) for v in (a, b)):
                raise ModelError(f"{where}: Platt calibration needs finite numbers 'a' and 'b'")
            platt = (float(a), float(b))  # type: ignore[arg-type]
            if platt[0] < 0:
                raise ModelError(f"{where}: Platt calibration slope 'a' must not be negative")
        elif calibration.get("method") == "isotonic":
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
            float(intercept),  # type: ignore[arg-type]
            xs,
            ys,
            str(data.get("label", "label")),
            dict(metrics) if isinstance(metrics, Mapping) else {},
            str(data.get("trained_on", "")),
            str(offset) if offset is not None else None,
            platt,
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
    except RecursionError:
        raise ModelError(f"{path}: invalid JSON: nested too deeply") from None
    return Model.from_dict(data, str(path))


CALIBRATIONS: Final = ("isotonic", "platt")


def _fit_logistic(z: Any, y: Any, c: float, offset: Any) -> tuple[Any, float]:
    """L2-penalised logistic regression (scikit-learn's objective), with an optional offset.

    Without an offset this is scikit-learn's ``LogisticRegression``; with one,
    whose coefficient is fixed at 1, the same penalised log-loss minimised by
    L-BFGS (scikit-learn has no offsets).
    """
    import numpy as np

    if offset is None:
        from sklearn.linear_model import LogisticRegression

        fitted = LogisticRegression(C=c, max_iter=2000).fit(z, y)
        return fitted.coef_[0], float(fitted.intercept_[0])
    from scipy.optimize import minimize

    d = z.shape[1]

    def loss(theta: Any) -> tuple[float, Any]:
        w, b = theta[:d], theta[d]
        eta = z @ w + b + offset
        p = 1.0 / (1.0 + np.exp(-eta))
        value = float(np.sum(np.logaddexp(0.0, eta) - y * eta) + 0.5 / c * (w @ w))
        return value, np.append(z.T @ (p - y) + w / c, np.sum(p - y))

    found = minimize(loss, np.zeros(d + 1), jac=True, method="L-BFGS-B", options={"maxiter": 5000})
    return found.x[:d], float(found.x[d])


def fit_model(
    rows: Iterable[tuple[Sequence[float], int]],
    *,
    label: str = "label",
    c: float = 1.0,
    folds: int = 5,
    trained_on: str = "",
    groups: Sequence[object] | None = None,
    calibration: str = "isotonic",
    offset: str | None = None,
) -> Model:
    """Fit a calibrated logistic model on ``(features, 0/1 label)`` rows (needs scikit-learn).

    The calibration map is fitted on out-of-fold log-odds, so it corrects the
    model as it behaves on data it has not seen; ``groups`` keeps related rows
    (one document's claims, one annotator's answers) in one fold, both in the
    cross-validation recorded in the metrics and in the folds that feed the
    calibration (otherwise the map learns from rows of groups the model has
    seen, and comes out too steep). ``calibration`` is ``"isotonic"`` or
    ``"platt"`` (a sigmoid of the log-odds: two parameters, steadier on small
    data). ``offset`` names a feature (a probability, such as ``hand_score``)
    whose log-odds enter with a fixed coefficient of 1: the regression then
    learns corrections to it.
    """
    import numpy as np
    from sklearn.isotonic import IsotonicRegression
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import brier_score_loss, roc_auc_score
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    if calibration not in CALIBRATIONS:
        raise ModelError(f"unknown calibration {calibration!r} (use {' or '.join(CALIBRATIONS)})")
    if not c > 0:  # also NaN
        raise ModelError(f"c (inverse regularisation strength) must be positive, got {c!r}")
    data = list(rows)
    if not data:
        raise ModelError("no labelled claims to train on")
    x = np.asarray([list(f) for f, _ in data], dtype=float)
    y = np.asarray([int(lbl) for _, lbl in data], dtype=int)
    if len(set(y.tolist())) < 2:
        raise ModelError("training needs claims of both labels (0 and 1)")
    names = FEATURES[: x.shape[1]]
    off = None
    if offset is not None:
        if offset not in names:
            raise ModelError(f"offset {offset!r} is not one of the model's features")
        clipped = np.clip(x[:, names.index(offset)], _OFFSET_CLIP, 1.0 - _OFFSET_CLIP)
        off = np.log(clipped / (1.0 - clipped))
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = (x - mean) / scale
    group_list = list(groups) if groups is not None else None

    def splits(idx: Any, n: int, seed: int) -> list[tuple[Any, Any]]:
        """Folds of the rows ``idx`` (positions into ``idx``), grouped when groups are known."""
        k = max(2, min(n, int(np.bincount(y[idx], minlength=2).min())))
        if group_list is not None:
            g = [group_list[i] for i in idx]
            if len(set(g)) >= k:
                return list(GroupKFold(n_splits=k).split(z[idx], y[idx], groups=g))
        return list(StratifiedKFold(k, shuffle=True, random_state=seed).split(z[idx], y[idx]))

    def decision(w: Any, b: float, idx: Any) -> Any:
        eta = z[idx] @ w + b
        return eta if off is None else eta + off[idx]

    def calibrated_fit(idx: Any) -> tuple[Any, float, Any]:
        """Logistic model on ``idx`` and a calibration fitted on its own out-of-fold log-odds."""
        inner = np.zeros(len(idx))
        for a, b in splits(idx, 5, 1):
            w, b0 = _fit_logistic(z[idx[a]], y[idx[a]], c, None if off is None else off[idx[a]])
            inner[b] = decision(w, b0, idx[b])
        if calibration == "platt":
            sig = LogisticRegression(C=1e6, max_iter=1000).fit(inner.reshape(-1, 1), y[idx])
            cal: Any = (float(sig.coef_[0][0]), float(sig.intercept_[0]))
        else:
            cal = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(
                1.0 / (1.0 + np.exp(-inner)), y[idx]
            )
        w, b0 = _fit_logistic(z[idx], y[idx], c, None if off is None else off[idx])
        return w, b0, cal

    def apply(cal: Any, eta: Any) -> Any:
        if isinstance(cal, tuple):
            return 1.0 / (1.0 + np.exp(-(cal[0] * eta + cal[1])))
        return cal.predict(1.0 / (1.0 + np.exp(-eta)))

    # Outer folds measure the whole recipe (model and calibration) on unseen rows.
    everything = np.arange(len(y))
    raw = np.zeros(len(y))
    calibrated = np.zeros(len(y))
    n_folds = 0
    try:
        for train_idx, test_idx in splits(everything, folds, 0):
            n_folds += 1
            w, b0, cal = calibrated_fit(train_idx)
            eta = decision(w, b0, test_idx)
            raw[test_idx] = 1.0 / (1.0 + np.exp(-eta))
            calibrated[test_idx] = apply(cal, eta)
        w, b0, cal = calibrated_fit(everything)
    except ValueError as exc:  # scikit-learn: a fold with too few claims of one label
        counts = np.bincount(y, minlength=2)
        raise ModelError(
            f"too few claims of each label to cross-validate ({counts[1]} labelled 1, "
            f"{counts[0]} labelled 0): {exc}"
        ) from None
    metrics = {
        "n": len(y),
        "positives": int(y.sum()),
        "folds": n_folds,
        "cv_auc": round(float(roc_auc_score(y, calibrated)), 4),
        "cv_auc_uncalibrated": round(float(roc_auc_score(y, raw)), 4),
        "cv_brier": round(float(brier_score_loss(y, calibrated)), 4),
        "cv_ece": round(expected_calibration_error(y.tolist(), calibrated.tolist()), 4),
        "calibration": calibration,
    }
    if offset is not None:
        metrics["offset"] = offset
    return Model(
        features=names,
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        coef=tuple(float(v) for v in w),
        intercept=b0,
        calibration_x=() if isinstance(cal, tuple) else tuple(float(v) for v in cal.X_thresholds_),
        calibration_y=() if isinstance(cal, tuple) else tuple(float(v) for v in cal.y_thresholds_),
        label=label,
        metrics=metrics,
        trained_on=trained_on,
        offset=offset,
        platt=cal if isinstance(cal, tuple) else None,
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
