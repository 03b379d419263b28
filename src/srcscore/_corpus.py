"""Corpus mode: sources that keep being corroborated earn trust.

Across a corpus the same facts recur. Claims are linked by their *template*
(the claim text lower-cased, punctuation and stop words dropped, numbers
masked), which is a truth-discovery *variable*; the numbers the claim states
are its *value*: "revenue jumped 26%" and "Revenue jumped 18%." share a
variable and conflict, two copies of "revenue jumped 26%" agree. Each
independent witness of a claim asserts ``(source, variable, value)``.
:func:`srcscore.truth_discovery` (``prior_sums``: seeded with, and pooled
towards, the priors) learns each source's trust, which becomes its prior for
scoring the corpus's documents a second time.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final, final

import attrs

from ._models import Document, Report, document_from_dict
from ._options import ScoringOptions
from ._priors import Prior, Priors
from ._score import assess, resolve_priors, score_document

__all__ = ["CorpusSource", "claim_key", "learn_sources", "score_corpus"]

_NUMBER_RE: Final = re.compile(
    r"[$€£¥]?\d+(?:[.,]\d+)*(?:\s?(?:%|percent|bn|billion|million|m|k))?"
)
_WORD_RE: Final = re.compile(r"[^\W\d_]+", re.UNICODE)
_STOP: Final = frozenset(
    "a an the of in on at to for and or by with from as is are was were be been it its this "
    "that these those has have had will would can could may might also said says".split()
)
_MIN_TEMPLATE_WORDS: Final = 3


def claim_key(text: str) -> tuple[str, str] | None:
    """The ``(variable, value)`` of a claim: its masked template and its numbers.

    ``None`` when the claim is too short to be linked meaningfully.
    """
    lowered = text.lower()
    numbers = [re.sub(r"\s+", "", n) for n in _NUMBER_RE.findall(lowered)]
    masked = _NUMBER_RE.sub(" # ", lowered)
    words = [w for w in _WORD_RE.findall(masked) if w not in _STOP]
    if len(words) < _MIN_TEMPLATE_WORDS:
        return None
    slots = masked.count("#")
    return " ".join(words) + (f" |{slots}" if slots else ""), " ".join(numbers)


@final
@attrs.frozen
class CorpusSource:
    """What the corpus taught about one source.

    Attributes:
        source: the publisher key.
        prior: its prior mean before the corpus.
        posterior: its trust learned from the corpus (the new prior mean).
        strength: pseudo-observations behind the posterior.
        claims: claims it backs as an independent witness.
        agreements: of those, claims another independent source also makes.
        conflicts: claims for which another source gives a different value.
        category: its category.

    """

    source: str
    prior: float
    posterior: float
    strength: float
    claims: int
    agreements: int
    conflicts: int
    category: str = "unknown"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (one line of the learned source table)."""
        return attrs.asdict(self)


def _documents(items: Iterable[Document | Mapping[str, Any]]) -> Iterator[Document]:
    for item in items:
        yield item if isinstance(item, Document) else document_from_dict(item)


def learn_sources(
    documents: Iterable[Document | Mapping[str, Any]],
    *,
    priors: Priors | str | None = None,
    options: ScoringOptions | None = None,
    iterations: int = 20,
) -> tuple[Priors, list[CorpusSource]]:
    """Learn source trust from a corpus; return the updated table and the source table.

    The returned :class:`Priors` lays the learned priors (``provenance``
    ``corpus: prior_sums``) over ``priors``; score the documents with it to
    let corroboration count. Documents are read once and not kept.
    """
    from ._truth import truth_discovery

    table = resolve_priors(priors)
    opts = options or ScoringOptions()
    triples: list[tuple[str, str, str]] = []
    base: dict[str, Prior] = {}
    for document in _documents(documents):
        scored, _ = assess(document, table, opts, [], features=False)
        for claim in scored:
            key = claim_key(claim.evidence.claim.text)
            if key is None:
                continue
            for witness in claim.evidence.witnesses:
                base.setdefault(witness.source, witness.prior)
                triples.append((witness.source, key[0], key[1]))
    if not triples:
        return table, []
    result = truth_discovery(
        triples, "prior_sums", iterations, {s: p for s, p in base.items()}, multiple="all"
    )
    values_by_variable: dict[str, Counter[str]] = defaultdict(Counter)
    for _, variable, value in set(triples):
        values_by_variable[variable][value] += 1
    claims: Counter[str] = Counter()
    agreements: Counter[str] = Counter()
    conflicts: Counter[str] = Counter()
    for source, variable, value in set(triples):
        claims[source] += 1
        values = values_by_variable[variable]
        if values[value] > 1:
            agreements[source] += 1
        if len(values) > 1:
            conflicts[source] += 1
    rows = []
    learned: dict[str, Prior] = {}
    for source, prior in sorted(base.items()):
        trust = float(result.trust.get(source, prior.mean))
        strength = (
            float(result.strength.get(source, prior.strength))
            if result.strength
            else prior.strength
        )
        rows.append(
            CorpusSource(source, round(prior.mean, 4), round(trust, 4), round(strength, 2),
                         claims[source], agreements[source], conflicts[source], prior.category)
        )  # fmt: skip
        learned[source] = Prior(
            trust, strength, prior.category, f"corpus: prior_sums over {prior.provenance}",
            prior.note,
        )  # fmt: skip
    return table.with_overrides(Priors(learned, "corpus")), rows


def score_corpus(
    documents: list[Document | Mapping[str, Any]],
    *,
    priors: Priors | str | None = None,
    options: ScoringOptions | None = None,
    iterations: int = 20,
) -> tuple[list[Report], list[CorpusSource]]:
    """Learn source trust from ``documents``, then score each with what was learned."""
    docs = list(_documents(documents))
    table, sources = learn_sources(docs, priors=priors, options=options, iterations=iterations)
    return [score_document(d, priors=table, options=options) for d in docs], sources
