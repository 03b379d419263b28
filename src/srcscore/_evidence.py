"""What a claim rests on: its references as independent witnesses.

References are resolved to publishers and priors, grouped so that one
publisher is one witness, and paired with the support of their texts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

import attrs

from ._exceptions import InvalidURLError
from ._models import Claim, Reference
from ._options import ScoringOptions
from ._platforms import OWNERS
from ._priors import Prior, Priors
from ._scoring import Moments, beta_moments, product_moments
from ._sources import Source, source_of
from ._support import SupportResult, support

__all__ = ["ClaimEvidence", "Resolved", "Witness", "gather", "resolve"]

_WORD_RE: Final = re.compile(r"\w+")


@attrs.frozen
class Resolved:
    """A reference with its publisher and prior, or the reason it is unusable."""

    ref: Reference
    source: Source | None
    prior: Prior | None
    error: str | None


@attrs.frozen
class Witness:
    """One independent publisher backing a claim (several of its URLs count once)."""

    source: str
    category: str
    prior: Prior
    support: SupportResult | None
    moments: Moments
    duplicates: int
    url: str
    flags: tuple[str, ...] = ()


@attrs.frozen
class ClaimEvidence:
    """Everything the scoring models need to know about one claim."""

    claim: Claim
    witnesses: tuple[Witness, ...]
    notes: tuple[str, ...]
    supports: tuple[float, ...]
    self_cited: bool
    unusable: int


def resolve(ref: Reference, priors: Priors, final_url: str | None = None) -> Resolved:
    """Resolve a reference's URL to its publisher and prior (errors are kept, not raised).

    A shortened link whose page was fetched is resolved to where it led
    (``final_url``): the shortener is not the publisher.
    """
    if ref.url is None:
        return Resolved(ref, None, None, "no URL")
    try:
        src = source_of(ref.url)
        if final_url is not None and src.category == "shortener":
            target = source_of(final_url)
            src = attrs.evolve(target, flags=(*target.flags, f"resolved:{src.domain}"))
    except InvalidURLError as exc:
        return Resolved(ref, None, None, f"invalid URL: {exc.reason}")
    return Resolved(ref, src, src.prior(priors), None)


def gather(
    claim: Claim,
    resolved: Mapping[str, Resolved],
    own: str | None,
    opts: ScoringOptions,
    warnings: list[str],
    number: int,
) -> ClaimEvidence:
    """Group a claim's references into independent witnesses.

    One publisher is one witness; the article's own site is not a witness;
    unknown ids and unusable URLs are noted (and unknown ids warned about).
    """
    notes: list[str] = []
    groups: dict[str, list[tuple[Resolved, SupportResult | None]]] = {}
    supports: list[float] = []
    self_cited = False
    unusable = 0
    for ref_id in claim.references:
        res = resolved.get(str(ref_id))
        if res is None:
            warnings.append(f"claim {number} cites {ref_id!r}, which is not in the references")
            notes.append(f"[{ref_id}] is not in the references")
            unusable += 1
            continue
        if res.source is None:
            notes.append(f"[{ref_id}] not usable: {res.error}")
            unusable += 1
            continue
        sup = (
            support(claim.text, res.ref.text, backend=opts.support_backend)
            if res.ref.text is not None
            else None
        )
        if sup is not None:
            supports.append(sup.score)
        if own is not None and res.source.source == own:
            notes.append(f"{res.source.source} not counted: the article's own site")
            self_cited = True
            continue
        groups.setdefault(OWNERS.get(res.source.source, res.source.source), []).append((res, sup))
    for members in groups.values():
        names = list(dict.fromkeys(r.source.source for r, _ in members if r.source))
        if len(names) > 1:
            notes.append(f"{', '.join(names[1:])} counted with {names[0]}: one owner")
    merged = _merge_syndicated(list(groups.values()), notes)
    witnesses = sorted(
        (_witness(members, opts) for members in merged),
        key=lambda w: (-w.moments.mean, w.source),
    )
    return ClaimEvidence(
        claim, tuple(witnesses), tuple(notes), tuple(supports), self_cited, unusable
    )


_SHINGLE: Final = 5
_NEAR_COPY: Final = 0.8


def _shingles(text: str) -> frozenset[int]:
    words = _WORD_RE.findall(text.lower())
    return frozenset(
        hash(tuple(words[i : i + _SHINGLE])) for i in range(max(1, len(words) - _SHINGLE + 1))
    )


def _merge_syndicated(
    groups: list[list[tuple[Resolved, SupportResult | None]]], notes: list[str]
) -> list[list[tuple[Resolved, SupportResult | None]]]:
    """Merge witnesses whose cited texts are near copies (syndicated stories).

    Two texts are near copies when their sets of five-word shingles overlap by
    at least 80% (Jaccard). Without texts nothing can be told, and nothing merges.
    """
    texts = [
        next((_shingles(r.ref.text) for r, _ in members if r.ref.text), None) for members in groups
    ]
    parent = list(range(len(groups)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(groups)):
        for j in range(i + 1, len(groups)):
            a, b = texts[i], texts[j]
            if a and b and len(a & b) >= _NEAR_COPY * len(a | b) and find(i) != find(j):
                parent[find(j)] = find(i)
                first = groups[i][0][0].source
                second = groups[j][0][0].source
                if first is not None and second is not None:
                    notes.append(
                        f"{second.source} not counted as independent: "
                        f"its text is a near copy of {first.source}'s"
                    )
    merged: dict[int, list[tuple[Resolved, SupportResult | None]]] = {}
    for i, members in enumerate(groups):
        merged.setdefault(find(i), []).extend(members)
    return list(merged.values())


def _witness(members: list[tuple[Resolved, SupportResult | None]], opts: ScoringOptions) -> Witness:
    def strength(item: tuple[Resolved, SupportResult | None]) -> float:
        res, sup = item
        assert res.prior is not None
        return res.prior.mean * (sup.score if sup is not None else opts.unverified_support)

    # One publisher is one witness: its best-supported, most reliable URL speaks for it.
    res, sup = max(members, key=strength)
    assert res.prior is not None and res.source is not None
    reliability = beta_moments(res.prior.mean, res.prior.strength)
    if sup is None:
        support_m = beta_moments(opts.unverified_support, opts.unverified_strength)
    else:
        support_m = beta_moments(sup.score, opts.support_strength)
    return Witness(
        res.source.source,
        res.prior.category,
        res.prior,
        sup,
        product_moments(reliability, support_m),
        len({r.ref.url for r, _ in members}) - 1,
        res.source.url,
        res.source.flags,
    )
