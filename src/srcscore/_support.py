"""Does a cited text support a claim? A lexical, offline measure.

The cited text is split into sentences (over-long ones into chunks of words).
The claim is split into **parts** at clause boundaries (``;``, ``, and``,
``, which``, `` but ``, `` — ``…) so that partial support shows. For each part:

1. **retrieval**: the page's sentences are ranked with BM25 (pure Python, its
   IDF computed over the page's own sentences) against the part's words; the
   passages considered are the windows of up to three consecutive sentences
   around the best-ranked ones;
2. **coverage**: a passage's support of the part is the share of the part's
   content words (lightly stemmed: ``released`` is ``release``) that it
   contains, a number counting as two words. Weighting the words by their IDF
   over the page's sentences is built in (``_Params.idf_weight``) but off by
   default: on the tuning half of WiCE it ranked claims worse than equal
   weights (see ``benchmarks/README.md``);
3. **exact parts**: numbers with their percent sign, currency and scale
   (``$53 billion`` is ``53 billion dollars`` is ``$53bn``; ``26%`` is
   ``26 percent`` but not a bare ``26``; ``1.2 million`` is anything that rounds
   to it), years and day numbers of dates (``25 December 2021`` is
   ``Dec. 25, 2021``), and named entities (capitalised multiword names such as
   ``Media Play News``; a passage may shorten a name the page gives in full)
   must be in the passage. One that is not is an unsupported part and caps
   the part's score (0.5 for a number, 0.6 for a name).

The parts' scores are combined by a soft minimum (a quarter the lowest
part, three quarters their mean weighted by size): an unsupported part pulls
the claim down, and ``parts`` says which one. Half of the claim's score is
then its **pair share**: the share of the claim's neighbouring content words
and numbers that the page has close together (within three content words, in
either order), so that a page that has the claim's words only scattered
scores lower than one that has its phrases. The pair share never lifts a
claim whose best passages lack a number or a name. ``missing`` names what the
passages lack in the claim's own words (``"26%"``, ``"$53 billion"``,
``"June quarter"``).

This is a lexical measure: it misses paraphrases and cannot tell a negation.
It is not calibrated as a probability; it is the share of the claim the cited
text is seen to cover.

This module combines the parts' scores and words the answer; the stages are
:mod:`srcscore._tokenize` (words and their keys), :mod:`srcscore._numbers`
(numbers, money, percentages, dates), :mod:`srcscore._claimparts` (clauses and
the items to find), :mod:`srcscore._passages` (sentences, BM25, the best
passage) and :mod:`srcscore._supportparams` (the tunable parameters).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import Final, NamedTuple

from ._claimparts import _exact, _Item, _parts
from ._exceptions import InputError
from ._passages import _Best, _best_passage, _Page, _pair_share, _sentences
from ._supportparams import _DEFAULT, BACKENDS, _Params
from ._tokenize import _DIGIT_RE

__all__ = ["PartSupport", "SupportResult", "support"]


class PartSupport(NamedTuple):
    """How well the text supports one part (clause) of the claim."""

    text: str
    score: float
    passage: str
    missing: tuple[str, ...] = ()


class SupportResult(NamedTuple):
    """How well one text supports one claim.

    ``score`` is in [0, 1]; ``passage`` is the best passage for the whole
    claim; ``missing`` names, in the claim's own words, what the best passages
    of its parts lack. ``parts`` scores each clause of the claim on its own,
    and the ``numbers_*`` and ``entities_missing`` fields list the parts that
    must match exactly.
    """

    score: float
    passage: str
    missing: tuple[str, ...]
    parts: tuple[PartSupport, ...] = ()
    numbers_matched: tuple[str, ...] = ()
    numbers_missing: tuple[str, ...] = ()
    entities_missing: tuple[str, ...] = ()


# Citation markers ("[3]", "[1, 2]", "[4–6]") point at sources; they assert nothing.
_MARKER_RE: Final = re.compile(r"\s*\[\d+(?:[,–-]\s*\d+)*\]")


# --- the answer -------------------------------------------------------------------------------


def _describe(items: Sequence[_Item], claim: str, lacking: Iterable[_Item]) -> list[str]:
    """Missing items as the claim words them: adjacent missing words form one phrase."""
    gone = {id(it) for it in lacking}
    phrases: list[str] = []
    run: list[_Item] = []

    def flush() -> None:
        if run:
            phrases.append(claim[run[0].start : run[-1].end])
            run.clear()

    for it in items:
        if id(it) not in gone:
            flush()
            continue
        if _exact(it) or it.entity:
            flush()
            phrases.append(it.surface)
            continue
        if run:
            gap = claim[run[-1].end : it.start]
            # a phrase bridges at most two small words, and no punctuation or number
            if (
                any(c in gap for c in ',;:()[]"“”—–')
                or len(gap.split()) > 2
                or _DIGIT_RE.search(gap)
            ):
                flush()
        run.append(it)
    flush()
    return phrases


def _passage(page: _Page, best: _Best) -> str:
    if best.score <= 0.0:
        return ""  # nothing of the claim is there: no passage to quote
    out = ""
    for n, i in enumerate(best.sentences):
        if n:
            out += " " if i == best.sentences[n - 1] + 1 else " … "
        out += page.sentences[i].text
    return out


@functools.lru_cache(maxsize=8)
def _page(text: str, params: _Params) -> _Page:
    """The parsed page; the last few are kept, as one cited text often backs several claims."""
    return _Page(_sentences(text), params)


def support(claim: str, text: str, *, backend: str = "lexical") -> SupportResult:
    """Score how well ``text`` supports ``claim``, in [0, 1], with the best passage.

    A claim with no content words gets 0; so does an empty text. See the module
    documentation for the method. ``backend="embedding"`` blends in the
    semantic similarity of :mod:`srcscore._embed` (the ``embed`` extra; an
    :class:`ImportError` says what to install when it is absent); the passage,
    the parts and the missing items stay the lexical ones.
    """
    if backend not in BACKENDS:
        raise InputError(f"backend must be one of {BACKENDS}, got {backend!r}")
    result = _support(claim, text, _DEFAULT)
    if backend == "lexical":
        return result
    from . import _embed

    weight = _DEFAULT.embed_weight
    semantic = _embed.similarity(_MARKER_RE.sub("", claim), text)
    blended = (1.0 - weight) * result.score + weight * semantic
    if result.numbers_missing or result.entities_missing:
        blended = min(blended, result.score)  # numbers and names stay lexical
    return result._replace(score=round(min(1.0, max(0.0, blended)), 4))


def _support(claim: str, text: str, params: _Params) -> SupportResult:
    claim = _MARKER_RE.sub("", claim)
    parts = _parts(claim, params)
    items = [it for p in parts for it in p.items]
    page = _page(text, params)
    if not items or not page.n:
        missing = tuple(dict.fromkeys(_describe(items, claim, items)))
        nums = tuple(it.surface for it in items if _exact(it))
        ents = tuple(it.surface for it in items if it.entity)
        part_results = tuple(
            PartSupport(p.text, 0.0, "", tuple(_describe(p.items, claim, p.items))) for p in parts
        )
        return SupportResult(0.0, "", missing, part_results, (), nums, ents)

    whole = _best_passage(page, items)
    bests = [whole] if len(parts) == 1 else [_best_passage(page, p.items) for p in parts]
    scores = [b.score for b in bests]
    part_results = tuple(
        PartSupport(
            p.text,
            round(score, 4),
            _passage(page, b),
            tuple(dict.fromkeys(_describe(p.items, claim, b.missing))),
        )
        for p, b, score in zip(parts, bests, scores, strict=True)
    )
    lacking = [it for b in bests for it in b.missing]
    sizes = [float(len(p.items)) for p in parts]
    mean = sum(s * v for s, v in zip(sizes, scores, strict=True)) / sum(sizes)
    low = min(scores)
    score = params.min_share * low + (1.0 - params.min_share) * mean
    gone = {id(it) for it in lacking}
    share = _pair_share(page, items) if params.pair_weight else None
    if share is not None:
        blended = (1.0 - params.pair_weight) * score + params.pair_weight * share
        # A missing number or name caps its part; the pair share may not lift that cap.
        capped = any(it.exact or it.entity for it in lacking)
        score = min(score, blended) if capped else blended
    return SupportResult(
        score=round(min(1.0, max(0.0, score)), 4),
        passage=_passage(page, whole),
        missing=tuple(dict.fromkeys(_describe(items, claim, lacking))),
        parts=part_results,
        numbers_matched=tuple(it.surface for it in items if _exact(it) and id(it) not in gone),
        numbers_missing=tuple(it.surface for it in items if _exact(it) and id(it) in gone),
        entities_missing=tuple(it.surface for it in items if it.entity and id(it) in gone),
    )
