"""Evaluate the optional embedding backend of the support measure, offline.

Needs the ``embed`` extra (``pip install -e '.[embed]'`` with a CPU build of
PyTorch, e.g. ``pip install torch==2.13.0`` first). Run from the repository root::

    python benchmarks/eval_embed.py              # ExpertQA and WiCE dev: slow on WiCE pages
    python benchmarks/eval_embed.py --no-wice    # ExpertQA only, about a minute

Same data, splits, labels and AUC as ``eval_support.py``. For every claim and
cited text it computes the lexical score (``support``), whether a number or name
is missing, and the semantic similarity (``_embed.similarity``); the blend is
``(1 - w) * lexical + w * semantic``, never above the lexical score when a number
or name is missing (as ``support(..., backend="embedding")`` does). The weight
``w`` is chosen on the **WiCE tune half** only (Harrell's C over its three
labels, as for every other parameter); the WiCE report half and ExpertQA test it.
With ``--no-wice`` the shipped weight (``_Params.embed_weight``) is used.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from eval_support import (
    DEFAULT_DATA,
    EXPERTQA_TASKS,
    WICE_TASKS,
    Pair,
    Task,
    concordance,
    fmt_auc,
    half,
    load_expertqa,
    load_wice,
    task_auc,
)

from srcscore import _embed, _support

WEIGHTS = (0.0, 0.2, 0.35, 0.5, 0.65, 0.8, 1.0)
Row = tuple[float, bool, float]  # lexical score, number or name missing, semantic similarity


def measure(pairs: Sequence[Pair]) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    for pair in pairs:
        rows = []
        for text in pair.texts:
            lexical = _support.support(pair.claim, text)
            capped = bool(lexical.numbers_missing or lexical.entities_missing)
            claim = _support._MARKER_RE.sub("", pair.claim)
            rows.append((lexical.score, capped, _embed.similarity(claim, text)))
        out[pair.id] = rows
    return out


def blend(rows: list[Row], w: float) -> float:
    """A claim's score: the best of its cited texts, each blended as the backend does."""
    best = 0.0
    for lexical, capped, semantic in rows:
        value = (1.0 - w) * lexical + w * semantic
        best = max(best, min(value, lexical) if capped else value)
    return best


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--no-wice", action="store_true", help="ExpertQA only")
    args = parser.parse_args(argv)
    if not _embed.available():
        print("the 'embed' extra is not installed", file=sys.stderr)
        return 2
    data: Path = args.data
    t0 = time.perf_counter()
    expertqa = load_expertqa(data)
    rows = measure(expertqa)
    n_texts = sum(len(p.texts) for p in expertqa)
    print(f"ExpertQA: {n_texts} claim-passage pairs in {time.perf_counter() - t0:.1f} s")
    weight = _support._DEFAULT.embed_weight
    sets: list[tuple[str, Sequence[Pair], Sequence[Task]]] = []
    if not args.no_wice:
        wice = load_wice(data)
        t0 = time.perf_counter()
        rows.update(measure(wice))
        print(f"WiCE dev: {len(wice)} claim-page pairs in {time.perf_counter() - t0:.1f} s")
        tune = [p for p in wice if half(p.group) == "tune"]
        print("\nGrid on the WiCE tune half; objective: C over 3 labels")
        best = None
        for w in WEIGHTS:
            c = concordance(tune, {p.id: blend(rows[p.id], w) for p in tune})
            print(f"  w={w:.2f}  C={c:.4f}")
            if best is None or c > best[0]:
                best = (c, w)
        assert best is not None
        weight = best[1]
        print(f"  chosen w={weight} (shipped default: {_support._DEFAULT.embed_weight})")
        sets += [
            ("WiCE report half", [p for p in wice if half(p.group) == "report"], WICE_TASKS),
            ("WiCE tune half", tune, WICE_TASKS),
            ("WiCE dev, all", wice, WICE_TASKS),
        ]
    sets.append(("ExpertQA dev", expertqa, EXPERTQA_TASKS))
    columns = {
        "lexical": 0.0,
        "semantic alone": 1.0,
        f"blend w={weight}": weight,
    }
    print("\n| set | task | n (pos/neg) | " + " | ".join(columns) + " |")
    print("|---|---|---|" + "---|" * len(columns))
    for name, pairs, tasks in sets:
        for task in tasks:
            cells, counts = [], ""
            for w in columns.values():
                scores = {p.id: blend(rows[p.id], w) for p in pairs}
                value, ci, n_pos, n_neg = task_auc(task, pairs, scores)
                counts = f"{n_pos}/{n_neg}"
                cells.append(fmt_auc(value, ci))
            print(f"| {name} | {task.name} | {counts} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
