"""Evaluate ``srcscore._support.support`` on real support labels, offline.

Run from the repository root (after ``pip install -e .``), with the shared data
beside the repository (``../shared/data``, or ``--data DIR``)::

    python benchmarks/eval_support.py             # evaluation, about a minute
    python benchmarks/eval_support.py --tune      # also the parameter grid on the tuning half
    python benchmarks/eval_support.py --quick     # smoke run on a few claims

Data (read at run time, nothing is copied):

* **WiCE dev** (``wice/dev.jsonl``): a Wikipedia sentence and the sentences of
  the page it cites, labelled ``supported`` / ``partially_supported`` /
  ``not_supported``. The page is the sentences joined by newlines. It is split
  in two halves by a fixed seeded hash of the Wikipedia article title (claims
  of one article stay on one side): the **tune** half is the only data the
  parameters of ``_support._Params`` were chosen on (``--tune`` reruns that
  grid); the **report** half was not looked at while tuning.
* **ExpertQA dev** (``expertqa/expertqa_dev.jsonl``): claims whose evidence
  includes the retrieved passage (systems ``rr_*`` and ``post_hoc_*``), labels
  ``Complete`` against ``Partial`` / ``Incomplete`` (``N/A`` dropped). A claim
  citing several passages scores the best of them, as srcscore does. Not used
  for tuning.
* **liu2023-gensearch dev**: has no page text, only the annotator's quoted
  evidence for citations judged to support the statement completely or
  partially; the only contrast it allows is complete vs partial support *given
  the quote the annotator chose*. Small (n≈80) and selection-biased: a sanity
  check, not a benchmark.

Scorers compared: ``new`` (the current ``support``), ``baseline`` (a verbatim
copy of the previous lexical ``_support.py``, below), and ``tfidf`` (plain
TF-IDF cosine, scikit-learn, fitted on the page's sentences: the best cosine of
a window of up to three sentences). AUC is the Mann-Whitney probability that a
positive scores above a negative (ties count half), with a 95% bootstrap
interval (1,000 resamples, fixed seed). Runtime is the median per claim-page
pair, single-threaded, page parsing included.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import itertools
import json
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Final, NamedTuple

from srcscore import _support

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data"
SPLIT_SEED: Final = "srcscore-support-eval-v1"
MARKER = re.compile(r"\s*\[\d+\]")


# --- the previous lexical baseline, copied verbatim ----------------------------------------------

_B_WORD_RE: Final = re.compile(r"\$?\d+(?:[.,]\d+)*%?|[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_B_SENTENCE_RE: Final = re.compile(r"(?<=[.!?。])\s+|\n+")
_B_STOPWORDS: Final = frozenset(
    """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his
    how i if in into is it its itself just me more most my myself no nor not now of off
    on once only or other our ours ourselves out over own same she should so some such
    than that the their theirs them themselves then there these they this those through
    to too under until up very was we were what when where which while who whom why will
    with would you your yours yourself yourselves according reported report reportedly
    said says say per cent percent it's company's new
    """.split()
)
_B_NUMBER_WEIGHT: Final = 2.0
_B_WINDOW: Final = 3
_B_MAX_SENTENCES: Final = 5000


def _b_stem(word: str) -> str:
    for suffix in ("ing", "edly", "ed", "ly", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _b_terms(text: str) -> list[str]:
    out = []
    for token in _B_WORD_RE.findall(text.lower()):
        if token[0].isdigit() or token[0] == "$":
            out.append(token.lstrip("$").replace(",", ""))
        elif token not in _B_STOPWORDS and len(token) > 1:
            token = token.replace("’", "'").removesuffix("'s")
            if token not in _B_STOPWORDS:
                out.append(_b_stem(token))
    return out


def _b_is_number(term: str) -> bool:
    return term[:1].isdigit()


def baseline(claim: str, text: str) -> float:
    """The previous ``support(claim, text).score``."""
    wanted = list(dict.fromkeys(_b_terms(claim)))
    sentences = [s.strip() for s in _B_SENTENCE_RE.split(text) if s.strip()][:_B_MAX_SENTENCES]
    if not wanted or not sentences:
        return 0.0
    weights = {t: (_B_NUMBER_WEIGHT if _b_is_number(t) else 1.0) for t in wanted}
    total = sum(weights.values())
    sentence_terms = [set(_b_terms(s)) for s in sentences]
    best = (-1.0, 0, 1)
    for start in range(len(sentences)):
        seen: set[str] = set()
        for width in range(1, min(_B_WINDOW, len(sentences) - start) + 1):
            seen |= sentence_terms[start + width - 1]
            covered = sum(w for t, w in weights.items() if t in seen)
            if covered > best[0] or (covered == best[0] and width < best[2]):
                best = (covered, start, width)
    covered, start, width = best
    seen = set().union(*sentence_terms[start : start + width])
    missing = tuple(t for t in wanted if t not in seen)
    score = covered / total
    if any(_b_is_number(t) for t in missing):
        score = min(score, 0.5)
    return round(score, 4)


# --- a plain TF-IDF cosine baseline ------------------------------------------------------------


def tfidf(claim: str, text: str) -> float:
    """Best cosine of the claim with a window of up to 3 sentences, TF-IDF fitted on the page."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    sentences = [s.strip() for s in _B_SENTENCE_RE.split(text) if s.strip()][:_B_MAX_SENTENCES]
    if not sentences:
        return 0.0
    windows = [
        " ".join(sentences[i : i + w])
        for i in range(len(sentences))
        for w in range(1, _B_WINDOW + 1)
        if i + w <= len(sentences)
    ]
    vec = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    try:
        vec.fit(sentences)
    except ValueError:  # only stopwords
        return 0.0
    matrix = vec.transform(windows)
    query = vec.transform([claim])
    return float((matrix @ query.T).max()) if matrix.shape[0] else 0.0


def new(claim: str, text: str) -> float:
    # Timed cold: srcscore caches the last few parsed pages, which would flatter a repeat.
    _support._page.cache_clear()
    return _support.support(claim, text).score


# --- data ---------------------------------------------------------------------------------------


class Pair(NamedTuple):
    id: str
    claim: str
    texts: tuple[str, ...]  # one or more cited texts: the claim scores the best
    label: str
    group: str  # for the seeded split


def load_wice(data: Path) -> list[Pair]:
    path = data / "wice" / "dev.jsonl"
    out = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            meta = row["meta"]
            text = "\n".join(row["evidence"])
            out.append(Pair(meta["id"], row["claim"], (text,), row["label"], meta["claim_title"]))
    return out


def load_expertqa(data: Path) -> list[Pair]:
    path = data / "expertqa" / "expertqa_dev.jsonl"
    out = []
    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            row = json.loads(line)
            for system, answer in row["answers"].items():
                for k, claim in enumerate(answer["claims"]):
                    label = claim.get("support")
                    if label not in ("Complete", "Partial", "Incomplete"):
                        continue
                    passages = tuple(
                        e.split("\n\n", 1)[1]
                        for e in claim.get("evidence") or []
                        if "\n\n" in e and e.split("\n\n", 1)[1].strip()
                    )
                    if not passages:
                        continue
                    text = MARKER.sub("", claim["claim_string"]).strip()
                    out.append(
                        Pair(f"{n}/{system}/{k}", text, passages, label, row["annotator_id"])
                    )
    return out


def load_liu(data: Path) -> list[Pair]:
    path = data / "liu2023-gensearch" / "intrinsic_halls_dev.json"
    out = []
    wanted = {
        "Citation Completely Supports Statement": "complete",
        "Citation Partially Supports Statement": "partial",
    }
    for record in json.loads(path.read_text(encoding="utf-8")):
        for s, (statement, ann) in enumerate(
            record["annotation"]["statement_to_annotation"].items()
        ):
            for c, cite in enumerate(ann.get("citation_annotations") or []):
                label = wanted.get(cite["citation_supports"])
                if label and cite.get("evidence"):
                    text = MARKER.sub("", statement).strip()
                    out.append(
                        Pair(f"{record['id']}/{s}/{c}", text, (cite["evidence"],), label, "")
                    )
    return out


def half(group: str) -> str:
    digest = hashlib.sha256(f"{SPLIT_SEED}|{group}".encode()).digest()
    return "tune" if digest[0] % 2 == 0 else "report"


# --- metrics ------------------------------------------------------------------------------------


def auc(pos: Sequence[float], neg: Sequence[float]) -> float:
    """Mann-Whitney AUC, ties counting half."""
    if not pos or not neg:
        return float("nan")
    ranked = sorted([(s, 1) for s in pos] + [(s, 0) for s in neg])
    rank_sum, i = 0.0, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        mid = (i + j + 1) / 2.0  # average 1-based rank of the tie group
        rank_sum += mid * sum(1 for k in range(i, j) if ranked[k][1])
        i = j
    n_pos, n_neg = len(pos), len(neg)
    return (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)


def auc_ci(pos: Sequence[float], neg: Sequence[float], reps: int = 1000) -> tuple[float, float]:
    rng = random.Random(7)
    values = sorted(
        auc(rng.choices(pos, k=len(pos)), rng.choices(neg, k=len(neg))) for _ in range(reps)
    )
    return values[int(0.025 * reps)], values[int(0.975 * reps) - 1]


def paired_diff_ci(
    pos: Sequence[tuple[float, float]], neg: Sequence[tuple[float, float]], reps: int = 1000
) -> tuple[float, float, float]:
    """AUC(a) - AUC(b) for two scorers on the same claims (each item is (a, b)), with a
    95% paired bootstrap interval: the same resampled claims for both scorers."""
    rng = random.Random(11)

    def diff(p: Sequence[tuple[float, float]], n: Sequence[tuple[float, float]]) -> float:
        a = auc([x for x, _ in p], [x for x, _ in n])
        return a - auc([y for _, y in p], [y for _, y in n])

    values = sorted(
        diff(rng.choices(pos, k=len(pos)), rng.choices(neg, k=len(neg))) for _ in range(reps)
    )
    return diff(pos, neg), values[int(0.025 * reps)], values[int(0.975 * reps) - 1]


class Task(NamedTuple):
    name: str
    positive: frozenset[str]
    negative: frozenset[str]


WICE_TASKS = (
    Task("supported vs not", frozenset({"supported"}), frozenset({"not_supported"})),
    Task(
        "fully vs rest",
        frozenset({"supported"}),
        frozenset({"partially_supported", "not_supported"}),
    ),
    Task(
        "partial vs not",
        frozenset({"partially_supported"}),
        frozenset({"not_supported"}),
    ),
)
EXPERTQA_TASKS = (
    Task(
        "complete vs partial/incomplete",
        frozenset({"Complete"}),
        frozenset({"Partial", "Incomplete"}),
    ),
)
LIU_TASKS = (Task("complete vs partial (quote)", frozenset({"complete"}), frozenset({"partial"})),)

Scorer = Callable[[str, str], float]


def run(scorer: Scorer, pairs: Iterable[Pair]) -> tuple[dict[str, float], list[float]]:
    scores, times = {}, []
    for pair in pairs:
        best = 0.0
        for text in pair.texts:
            t0 = time.perf_counter()
            value = scorer(pair.claim, text)
            times.append(time.perf_counter() - t0)
            best = max(best, value)
        scores[pair.id] = best
    return scores, times


def task_auc(
    task: Task, pairs: Sequence[Pair], scores: dict[str, float], ci: bool = True
) -> tuple[float, tuple[float, float] | None, int, int]:
    pos = [scores[p.id] for p in pairs if p.label in task.positive]
    neg = [scores[p.id] for p in pairs if p.label in task.negative]
    return auc(pos, neg), (auc_ci(pos, neg) if ci else None), len(pos), len(neg)


def fmt_auc(value: float, ci: tuple[float, float] | None) -> str:
    if ci is None:
        return f"{value:.3f}"
    return f"{value:.3f} [{ci[0]:.2f}, {ci[1]:.2f}]"


# --- tuning -------------------------------------------------------------------------------------

GRID: Final[dict[str, list[Any]]] = {
    "idf_weight": [0.0, 0.25, 1.0],  # 0: IDF off, every word weighs the same
    "min_share": [0.0, 0.25, 0.5],
    "entity_cap": [0.6, 0.8, 1.0],
    "number_cap": [0.5, 0.7],
    "spread": [0, 1],
}
# The word-pair share (``pair_weight``, ``pair_gap``) came later; it is tuned on its own
# grid, the parameters above kept at their defaults, with the same objective and half.
PAIR_GRID: Final[dict[str, list[Any]]] = {
    "pair_weight": [0.0, 0.2, 0.35, 0.5, 0.65],
    "pair_gap": [2, 3, 5],
}
WICE_ORDER: Final = {"not_supported": 0, "partially_supported": 1, "supported": 2}


def concordance(pairs: Sequence[Pair], scores: dict[str, float]) -> float:
    """Harrell's C over the three WiCE labels: the share of differently labelled pairs
    that the scores order the same way as the labels (ties count half)."""
    by_label: dict[int, list[float]] = {}
    for p in pairs:
        by_label.setdefault(WICE_ORDER[p.label], []).append(scores[p.id])
    num = den = 0.0
    for lo, hi in itertools.combinations(sorted(by_label), 2):
        n = len(by_label[lo]) * len(by_label[hi])
        num += auc(by_label[hi], by_label[lo]) * n
        den += n
    return num / den


def tune(pairs: Sequence[Pair], grid: dict[str, list[Any]]) -> None:
    """Grid search on the WiCE tune half; the objective is the concordance (C) over the
    three labels, which uses every pair of differently labelled claims (the
    supported-vs-not AUC alone rests on 19 negatives there)."""
    print(f"\nGrid on the WiCE tune half ({len(pairs)} claims); objective: C over 3 labels")
    results = []
    for values in itertools.product(*grid.values()):
        params = dataclasses.replace(_support._DEFAULT, **dict(zip(grid, values, strict=True)))

        def scorer(claim: str, text: str, params: _support._Params = params) -> float:
            return _support._support(claim, text, params).score

        scores, _ = run(scorer, pairs)
        aucs = [task_auc(t, pairs, scores, ci=False)[0] for t in WICE_TASKS]
        results.append((concordance(pairs, scores), aucs, dict(zip(grid, values, strict=True))))
    results.sort(key=lambda r: -r[0])
    for c, aucs, setting in results[:12]:
        print(f"  C={c:.4f}  AUCs {', '.join(f'{a:.3f}' for a in aucs)}  {setting}")
    default = {k: getattr(_support._DEFAULT, k) for k in grid}
    rank = next((i for i, r in enumerate(results) if r[2] == default), None)
    where = f"rank {rank + 1} of {len(results)}" if rank is not None else "not on the grid"
    print(f"  current defaults {default}: {where}")
    scores, _ = run(baseline, pairs)
    print(f"  baseline C={concordance(pairs, scores):.4f}")


# --- main ---------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--tune", action="store_true", help="rerun the grid on the tune half")
    parser.add_argument(
        "--tune-pairs", action="store_true", help="rerun only the word-pair grid on the tune half"
    )
    parser.add_argument("--quick", action="store_true", help="a few claims per set")
    parser.add_argument("--no-tfidf", action="store_true", help="skip the TF-IDF baseline")
    args = parser.parse_args(argv)
    data: Path = args.data
    if not (data / "wice" / "dev.jsonl").is_file():
        print(f"no data at {data}", file=sys.stderr)
        return 2

    wice = load_wice(data)
    expertqa = load_expertqa(data) if (data / "expertqa").is_dir() else []
    liu = load_liu(data) if (data / "liu2023-gensearch").is_dir() else []
    if args.quick:
        wice, expertqa, liu = wice[:40], expertqa[:40], liu[:20]
    tune_half = [p for p in wice if half(p.group) == "tune"]
    report_half = [p for p in wice if half(p.group) == "report"]
    if args.tune:
        tune(tune_half, GRID)
    if args.tune or args.tune_pairs:
        tune(tune_half, PAIR_GRID)

    scorers: dict[str, Scorer] = {"new": new, "baseline": baseline}
    if not args.no_tfidf:
        scorers["tfidf"] = tfidf
    sets: list[tuple[str, Sequence[Pair], Sequence[Task]]] = [
        ("WiCE report half", report_half, WICE_TASKS),
        ("WiCE tune half", tune_half, WICE_TASKS),
        ("WiCE dev, all", wice, WICE_TASKS),
        ("ExpertQA dev", expertqa, EXPERTQA_TASKS),
        ("liu2023 dev (quotes)", liu, LIU_TASKS),
    ]
    all_scores: dict[str, dict[str, float]] = {}
    timings: dict[str, dict[str, list[float]]] = {}
    for name, scorer in scorers.items():
        all_scores[name] = {}
        timings[name] = {}
        for label, subset in (("wice", wice), ("expertqa", expertqa), ("liu", liu)):
            scores, times = run(scorer, subset)
            all_scores[name].update({f"{label}:{k}": v for k, v in scores.items()})
            timings[name][label] = times

    print("\n| set | task | n (pos/neg) | " + " | ".join(scorers) + " |")
    print("|---|---|---|" + "---|" * len(scorers))
    for set_name, pairs, tasks in sets:
        if not pairs:
            continue
        prefix = {"WiCE": "wice", "ExpertQA": "expertqa", "liu2023": "liu"}[set_name.split()[0]]
        for task in tasks:
            cells = []
            counts = ""
            for name in scorers:
                scores = {p.id: all_scores[name][f"{prefix}:{p.id}"] for p in pairs}
                value, ci, n_pos, n_neg = task_auc(task, pairs, scores)
                counts = f"{n_pos}/{n_neg}"
                cells.append(fmt_auc(value, ci))
            print(f"| {set_name} | {task.name} | {counts} | " + " | ".join(cells) + " |")

    print("\nPaired difference new - baseline in AUC, 95% paired bootstrap interval:")
    for set_name, pairs, tasks in sets:
        if not pairs or set_name.startswith("WiCE dev"):
            continue
        prefix = {"WiCE": "wice", "ExpertQA": "expertqa", "liu2023": "liu"}[set_name.split()[0]]
        both = {
            p.id: (
                all_scores["new"][f"{prefix}:{p.id}"],
                all_scores["baseline"][f"{prefix}:{p.id}"],
            )
            for p in pairs
        }
        for task in tasks:
            pos = [both[p.id] for p in pairs if p.label in task.positive]
            neg = [both[p.id] for p in pairs if p.label in task.negative]
            d, lo, hi = paired_diff_ci(pos, neg)
            print(f"  {set_name:22s} {task.name:32s} {d:+.3f} [{lo:+.3f}, {hi:+.3f}]")

    print("\nMedian per-pair runtime, ms (WiCE pages / ExpertQA passages):")
    for name in scorers:
        w = statistics.median(timings[name]["wice"]) * 1e3
        e = statistics.median(timings[name]["expertqa"]) * 1e3 if expertqa else float("nan")
        p95 = sorted(timings[name]["wice"])[int(0.95 * len(timings[name]["wice"])) - 1] * 1e3
        print(f"  {name:9s} {w:7.2f} / {e:6.2f}   (WiCE p95 {p95:.1f})")

    print("\nMean score by label (new / baseline), WiCE dev all and ExpertQA dev:")
    for prefix, pairs in (("wice", wice), ("expertqa", expertqa)):
        for label in sorted({p.label for p in pairs}):
            ids = [f"{prefix}:{p.id}" for p in pairs if p.label == label]
            means = [statistics.fmean(all_scores[n][i] for i in ids) for n in ("new", "baseline")]
            print(f"  {prefix:8s} {label:20s} n={len(ids):4d}  {means[0]:.3f} / {means[1]:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
