"""The tunable parameters of the support measure (:mod:`srcscore._support`).

A module of their own because every stage reads them (clause splitting,
passage search, scoring) and ``benchmarks/eval_support.py`` tunes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# How cited texts can be checked against claims (support(backend=...), ScoringOptions).
BACKENDS: Final = ("lexical", "embedding")


@dataclass(frozen=True)
class _Params:
    """The knobs of the measure; the defaults were chosen on half of WiCE dev."""

    window: int = 3  # sentences per passage, at most
    candidates: int = 20  # best BM25 sentences around which passages are tried
    idf_weight: float = 0.0  # weight of a word = 1 + idf_weight * its IDF over the page
    number_weight: float = 2.0  # a number weighs this many words of average weight
    number_cap: float = 0.5  # a part missing a number scores at most this
    entity_cap: float = 0.6  # a part missing a named entity scores at most this
    min_share: float = 0.25  # claim score = min_share * min(parts) + rest * weighted mean
    spread: int = 0  # further sentences, anywhere on the page, that may add what a window lacks
    spread_weight: float = 0.5  # what they add counts this much
    neutral_absent: bool = True  # a word missing from the page weighs as a typical word
    split_parts: bool = True  # score the claim's clauses one by one
    entities: bool = True  # capitalised multiword names must match as a whole
    pair_weight: float = 0.5  # claim score = rest * parts' score + pair_weight * pair share
    pair_gap: int = 3  # claim neighbours must be this close on the page (content words)
    embed_weight: float = 0.35  # backend "embedding": score = rest * lexical + this * semantic
    k1: float = 1.2  # BM25
    b: float = 0.75  # BM25


_DEFAULT: Final = _Params()
