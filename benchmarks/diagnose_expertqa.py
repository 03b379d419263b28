"""Why lexical support separates ExpertQA's labels so weakly: diagnostics, offline.

Run from the repository root, with the shared data beside the repository::

    python benchmarks/diagnose_expertqa.py            # about a minute

It reads the same claims as ``eval_support.py`` (ExpertQA dev, systems that
retrieved passages, ``Complete`` against ``Partial`` / ``Incomplete``) and prints:

1. **Label by score band**: the share of claims the experts judged
   ``Complete`` in each band of ``srcscore``'s support score. If the labels
   followed textual support, the share would climb from near 0 to near 1.
2. **AUC by answering system**: retrieve-and-read (``rr_*``) answers are written
   from the passage, post-hoc (``post_hoc_*``) ones are matched to a passage
   after the fact.
3. **Learned combiners**, the legitimate ways to fit something to these labels:
   a logistic regression over the support measure's features (the score, the
   lowest part, the pair share, the share of items missing, a missing number
   or name, the claim's size, TF-IDF cosine), (a) fitted on ExpertQA and
   evaluated out of fold, five folds grouped by annotator, so that no expert's
   judgments are on both sides; (b) fitted on all of WiCE dev (supported
   against the rest) and applied to ExpertQA unchanged (cross-dataset).

Nothing is written; nothing fitted here is shipped.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from eval_support import (
    DEFAULT_DATA,
    EXPERTQA_TASKS,
    Pair,
    auc,
    auc_ci,
    load_expertqa,
    load_wice,
    tfidf,
)

from srcscore import _support
from srcscore._claimparts import _parts
from srcscore._passages import _pair_share

FEATURES = (
    "score",
    "lowest part",
    "pair share",
    "share missing",
    "number or name missing",
    "claim items (log)",
    "tfidf",
)


def features(claim: str, text: str) -> list[float]:
    """The support measure's features for one claim and one cited text."""
    import math

    result = _support.support(claim, text)
    params = _support._DEFAULT
    clean = _support._MARKER_RE.sub("", claim)
    items = [it for p in _parts(clean, params) for it in p.items]
    page = _support._page(text, params)
    share = _pair_share(page, items) if page.n else None
    n_items = max(1, len(items))
    return [
        result.score,
        min((p.score for p in result.parts), default=0.0),
        share if share is not None else result.score,
        len(result.missing) / n_items,
        float(bool(result.numbers_missing or result.entities_missing)),
        math.log(n_items),
        tfidf(claim, text),
    ]


def best_features(pairs: Sequence[Pair]) -> list[list[float]]:
    """Per claim, the features of its best-supporting cited text (as srcscore scores it)."""
    out = []
    for pair in pairs:
        rows = [features(pair.claim, text) for text in pair.texts]
        out.append(max(rows, key=lambda r: r[0]))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    data: Path = args.data
    if not (data / "expertqa" / "expertqa_dev.jsonl").is_file():
        print(f"no ExpertQA data at {data}", file=sys.stderr)
        return 2
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    task = EXPERTQA_TASKS[0]
    pairs = [p for p in load_expertqa(data) if p.label in task.positive | task.negative]
    x = np.array(best_features(pairs))
    y = np.array([p.label in task.positive for p in pairs])
    score = x[:, 0]

    print(f"ExpertQA dev, {task.name}: {int(y.sum())} / {int((~y).sum())} claims")
    print("\n1. Share judged Complete, by band of the support score:")
    print("| score | claims | Complete |\n|---|---:|---:|")
    edges = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0001)
    for lo, hi in itertools.pairwise(edges):
        inside = (score >= lo) & (score < hi)
        if inside.any():
            share = float(y[inside].mean())
            print(f"| {lo:.1f}–{min(hi, 1.0):.1f} | {int(inside.sum())} | {share:.2f} |")

    print("\n2. AUC of the support score by answering system:")
    by_system: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pairs):
        by_system[p.id.split("/")[1]].append(i)
    print("| system | claims | Complete | AUC |\n|---|---:|---:|---:|")
    for system, idx in sorted(by_system.items()):
        pos = [float(score[i]) for i in idx if y[i]]
        neg = [float(score[i]) for i in idx if not y[i]]
        share = len(pos) / len(idx)
        print(f"| {system} | {len(idx)} | {share:.2f} | {auc(pos, neg):.3f} |")

    def report(name: str, values: Sequence[float]) -> None:
        pos = [float(v) for v, t in zip(values, y, strict=True) if t]
        neg = [float(v) for v, t in zip(values, y, strict=True) if not t]
        lo, hi = auc_ci(pos, neg)
        print(f"| {name} | {auc(pos, neg):.3f} [{lo:.2f}, {hi:.2f}] |")

    print("\n3. Single features and learned combiners (AUC, 95% bootstrap interval):")
    print("| scorer | AUC |\n|---|---|")
    for j, name in enumerate(FEATURES):
        sign = -1.0 if name in ("share missing", "number or name missing") else 1.0
        report(f"feature: {name}", sign * x[:, j])
    groups = [p.group for p in pairs]
    oof = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=5).split(x, y, groups):
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
        model.fit(x[train], y[train])
        oof[test] = model.decision_function(x[test])
    report("logistic, fitted on ExpertQA, out of fold (5 folds by annotator)", oof)

    wice = load_wice(data)
    xw = np.array(best_features(wice))
    yw = np.array([p.label == "supported" for p in wice])
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(xw, yw)
    report(
        "logistic, fitted on WiCE dev (supported vs rest), applied to ExpertQA",
        [float(v) for v in model.decision_function(x)],
    )
    print("\nMean support score by label:")
    for label in sorted({p.label for p in pairs}):
        values = [float(score[i]) for i, p in enumerate(pairs) if p.label == label]
        print(f"  {label:12s} n={len(values):4d}  {statistics.fmean(values):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
