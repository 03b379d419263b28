"""Does a cited text support a claim? A lexical, offline first measure.

For each passage (a window of up to three consecutive sentences) of the cited
text, support is the weighted share of the claim's content words the passage
contains; numbers (``26%``, ``$53 billion``, ``2024``) weigh twice and a number
the passage lacks is named as the unsupported part. The best passage wins.
This is a deliberately simple baseline; it is not calibrated.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

__all__ = ["SupportResult", "support"]

_WORD_RE: Final = re.compile(r"\$?\d+(?:[.,]\d+)*%?|[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_SENTENCE_RE: Final = re.compile(r"(?<=[.!?。])\s+|\n+")
_STOPWORDS: Final = frozenset(
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
_NUMBER_WEIGHT: Final = 2.0
_WINDOW: Final = 3
_MAX_SENTENCES: Final = 5000


class SupportResult(NamedTuple):
    """How well one text supports one claim."""

    score: float
    passage: str
    missing: tuple[str, ...]


def _stem(word: str) -> str:
    for suffix in ("ing", "edly", "ed", "ly", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _terms(text: str) -> list[str]:
    out = []
    for token in _WORD_RE.findall(text.lower()):
        if token[0].isdigit() or token[0] == "$":
            out.append(token.lstrip("$").replace(",", ""))
        elif token not in _STOPWORDS and len(token) > 1:
            token = token.replace("’", "'").removesuffix("'s")
            if token not in _STOPWORDS:
                out.append(_stem(token))
    return out


def _is_number(term: str) -> bool:
    return term[:1].isdigit()


def support(claim: str, text: str) -> SupportResult:
    """Score how well ``text`` supports ``claim``, in [0, 1], with the best passage.

    A claim with no content words gets 0; so does an empty text.
    """
    wanted = list(dict.fromkeys(_terms(claim)))
    sentences = [s.strip() for s in _SENTENCE_RE.split(text) if s.strip()][:_MAX_SENTENCES]
    if not wanted or not sentences:
        return SupportResult(0.0, "", tuple(wanted))
    weights = {t: (_NUMBER_WEIGHT if _is_number(t) else 1.0) for t in wanted}
    total = sum(weights.values())
    sentence_terms = [set(_terms(s)) for s in sentences]
    best = (-1.0, 0, 1)
    for start in range(len(sentences)):
        seen: set[str] = set()
        for width in range(1, min(_WINDOW, len(sentences) - start) + 1):
            seen |= sentence_terms[start + width - 1]
            covered = sum(w for t, w in weights.items() if t in seen)
            # Prefer the shorter passage on a tie: it is the one to quote.
            if covered > best[0] or (covered == best[0] and width < best[2]):
                best = (covered, start, width)
    covered, start, width = best
    seen = set().union(*sentence_terms[start : start + width])
    missing = tuple(t for t in wanted if t not in seen)
    score = covered / total
    # A number the passage lacks is a likely misquote: cap what the rest can earn.
    if any(_is_number(t) for t in missing):
        score = min(score, 0.5)
    return SupportResult(round(score, 4), " ".join(sentences[start : start + width]), missing)
