"""Scoring a document: sources, priors, independence, support, explanation."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, final

import attrs

from ._exceptions import InputError, InvalidURLError
from ._models import (
    Claim,
    ClaimReport,
    Document,
    Reference,
    ReferenceReport,
    Report,
    document_from_dict,
)
from ._priors import Prior, Priors
from ._scoring import (
    DEFAULT_DISCOUNT,
    DEFAULT_LEVEL,
    Moments,
    beta_interval,
    beta_moments,
    combine_witnesses,
    mean_interval,
    product_moments,
)
from ._sources import Source, source_of
from ._support import SupportResult, support

__all__ = ["ScoringOptions", "score_document", "score_text"]


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_unit(_: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not _is_number(value) or not 0.0 <= value <= 1.0:
        raise InputError(f"{attribute.name} must be a number in [0, 1], got {value!r}")


def _check_positive(_: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not _is_number(value) or not value > 0.0:
        raise InputError(f"{attribute.name} must be a positive number, got {value!r}")


@final
@attrs.frozen
class ScoringOptions:
    """The knobs of the scoring model (see the methodology page).

    Attributes:
        level: probability mass of the reported intervals.
        discount: weight factor of each further independent witness (1 = fully
            independent, 0 = only the strongest counts).
        unverified_support: assumed probability that a citation whose text was
            not given supports its claim.
        unverified_strength: pseudo-observations behind that assumption.
        support_strength: pseudo-observations behind a measured support score.
        weak_prior: a source whose prior mean is below this is "weak".

    """

    level: float = attrs.field(default=DEFAULT_LEVEL)
    discount: float = attrs.field(default=DEFAULT_DISCOUNT)
    unverified_support: float = attrs.field(default=0.8, validator=_check_unit)
    unverified_strength: float = attrs.field(default=5.0, validator=_check_positive)
    support_strength: float = attrs.field(default=20.0, validator=_check_positive)
    weak_prior: float = attrs.field(default=0.6, validator=_check_unit)

    @level.validator
    def _check_level(self, _: object, value: float) -> None:
        if not _is_number(value) or not 0.0 < value < 1.0:
            raise InputError(f"level must be in (0, 1), got {value}")

    @discount.validator
    def _check_discount(self, _: object, value: float) -> None:
        if not _is_number(value) or not 0.0 <= value <= 1.0:
            raise InputError(f"discount must be in [0, 1], got {value}")


@attrs.frozen
class _Resolved:
    ref: Reference
    source: Source | None
    prior: Prior | None
    error: str | None


@attrs.frozen
class _Witness:
    source: str
    category: str
    prior: Prior
    support: SupportResult | None
    moments: Moments
    duplicates: int


def _resolve(ref: Reference, priors: Priors) -> _Resolved:
    if ref.url is None:
        return _Resolved(ref, None, None, "no URL")
    try:
        src = source_of(ref.url)
    except InvalidURLError as exc:
        return _Resolved(ref, None, None, f"invalid URL: {exc.reason}")
    return _Resolved(ref, src, src.prior(priors), None)


def _reference_report(res: _Resolved) -> ReferenceReport:
    src, prior = res.source, res.prior
    return ReferenceReport(
        id=res.ref.id,
        url=src.url if src else res.ref.url,
        domain=src.domain if src else None,
        source=src.source if src else None,
        category=prior.category if prior else "unknown",
        prior=round(prior.mean, 4) if prior else None,
        prior_strength=prior.strength if prior else None,
        provenance=prior.provenance if prior else None,
        title=res.ref.title,
        flags=src.flags if src else (),
        error=res.error,
    )


_LOOKALIKE = "rule: lookalike of "


def _fmt(x: float) -> str:
    return f"{x:.2f}"


def _score_claim(
    claim: Claim,
    resolved: Mapping[str, _Resolved],
    own: str | None,
    opts: ScoringOptions,
    warnings: list[str],
    number: int,
) -> tuple[ClaimReport, list[_Witness]]:
    notes: list[str] = []
    groups: dict[str, list[tuple[_Resolved, SupportResult | None]]] = {}
    supports: list[float] = []
    for ref_id in claim.references:
        res = resolved.get(str(ref_id))
        if res is None:
            warnings.append(f"claim {number} cites {ref_id!r}, which is not in the references")
            notes.append(f"[{ref_id}] is not in the references")
            continue
        if res.source is None:
            notes.append(f"[{ref_id}] not usable: {res.error}")
            continue
        sup = support(claim.text, res.ref.text) if res.ref.text is not None else None
        if sup is not None:
            supports.append(sup.score)
        if own is not None and res.source.source == own:
            notes.append(f"{res.source.source} not counted: the article's own site")
            continue
        groups.setdefault(res.source.source, []).append((res, sup))

    witnesses = [_witness(key, members, opts) for key, members in groups.items()]
    witnesses.sort(key=lambda w: (-w.moments.mean, w.source))
    moments = combine_witnesses([w.moments for w in witnesses], opts.discount)
    interval = beta_interval(moments, opts.level)
    explanation = _explain(witnesses, notes, opts)
    report = ClaimReport(
        text=claim.text,
        references=claim.references,
        score=round(moments.mean, 4),
        interval=(round(interval[0], 4), round(interval[1], 4)),
        support=round(max(supports), 4) if supports else None,
        explanation=explanation,
        witnesses=tuple(w.source for w in witnesses),
        span=claim.span,
    )
    return report, witnesses


def _witness(
    key: str, members: list[tuple[_Resolved, SupportResult | None]], opts: ScoringOptions
) -> _Witness:
    def strength(item: tuple[_Resolved, SupportResult | None]) -> float:
        res, sup = item
        assert res.prior is not None
        return res.prior.mean * (sup.score if sup is not None else opts.unverified_support)

    # One publisher is one witness: its best-supported, most reliable URL speaks for it.
    res, sup = max(members, key=strength)
    assert res.prior is not None
    reliability = beta_moments(res.prior.mean, res.prior.strength)
    if sup is None:
        support_m = beta_moments(opts.unverified_support, opts.unverified_strength)
    else:
        support_m = beta_moments(sup.score, opts.support_strength)
    return _Witness(
        key,
        res.prior.category,
        res.prior,
        sup,
        product_moments(reliability, support_m),
        len(members) - 1,
    )


def _explain(witnesses: list[_Witness], notes: list[str], opts: ScoringOptions) -> str:
    if not witnesses:
        head = "No usable citation" if notes else "No citation"
        text = f"{head}: nothing vouches for this claim"
        return text + (f" ({'; '.join(notes)})." if notes else ".")
    parts = []
    for w in witnesses:
        bit = f"{w.source} ({w.category}, prior {_fmt(w.prior.mean)}"
        if w.prior.provenance.startswith(_LOOKALIKE):
            bit += ", " + w.prior.provenance[len("rule: ") :]
        elif w.category == "shortener":
            bit += ", a link shortener: the publisher behind it is unknown offline"
        if w.support is None:
            bit += ")"
        else:
            bit += f", support {_fmt(w.support.score)}"
            if w.support.missing:
                bit += f", missing {', '.join(repr(m) for m in w.support.missing[:3])}"
            bit += ")"
        if w.duplicates:
            bit += f" [{w.duplicates + 1} URLs counted once]"
        parts.append(bit)
    n = len(witnesses)
    text = f"{n} independent source{'s' if n > 1 else ''}: " + "; ".join(parts)
    if any(w.support is None for w in witnesses):
        text += f"; cited text not checked (support assumed {_fmt(opts.unverified_support)})"
    if n == 1 and witnesses[0].prior.mean < opts.weak_prior:
        text += "; rests on one weak source"
    if notes:
        text += "; " + "; ".join(notes)
    return text + "."


def _load_priors(priors: Priors | str | os.PathLike[str] | None) -> Priors:
    if priors is None:
        return Priors.default()
    if isinstance(priors, Priors):
        return priors
    if isinstance(priors, (str, os.PathLike)):
        return Priors.default().with_overrides(Priors.from_csv(Path(priors)))
    raise InputError(f"priors: expected a Priors, a path or None, got {type(priors).__name__}")


def _options(options: ScoringOptions | None, overrides: Mapping[str, Any]) -> ScoringOptions:
    base = options or ScoringOptions()
    if not overrides:
        return base
    known = {f.name for f in attrs.fields(ScoringOptions)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise TypeError(f"unknown scoring option(s): {', '.join(unknown)}")
    return attrs.evolve(base, **overrides)


def score_document(
    doc: Document | Mapping[str, Any],
    *,
    priors: Priors | str | os.PathLike[str] | None = None,
    options: ScoringOptions | None = None,
    **overrides: Any,
) -> Report:
    """Score a document (a :class:`Document` or a mapping of the input JSON schema).

    ``priors`` is a :class:`Priors`, a path to a CSV that overrides the default
    table, or ``None`` for the default. Other keyword arguments override fields
    of :class:`ScoringOptions` (``level=0.95``). Raises
    :class:`~srcscore.InputError` if the document does not fit the schema; a bad
    reference URL is reported on that reference instead.
    """
    document = doc if isinstance(doc, Document) else document_from_dict(doc)
    table = _load_priors(priors)
    opts = _options(options, overrides)
    warnings = list(document.warnings)
    own = None
    if document.url is not None:
        try:
            own = source_of(document.url).source
        except InvalidURLError as exc:
            warnings.append(f"the article's own URL is unusable: {exc.reason}")
    resolved = {str(ref.id): _resolve(ref, table) for ref in document.references}
    scored = [
        _score_claim(claim, resolved, own, opts, warnings, number)
        for number, claim in enumerate(document.claims, start=1)
    ]
    return _article_report(document, scored, list(resolved.values()), warnings, opts)


def _article_report(
    document: Document,
    scored: list[tuple[ClaimReport, list[_Witness]]],
    resolved: list[_Resolved],
    warnings: list[str],
    opts: ScoringOptions,
) -> Report:
    claims = tuple(c for c, _ in scored)
    n = len(claims)
    uncited = sum(1 for c in claims if not c.witnesses)
    priors = {w.source: w.prior for _, ws in scored for w in ws}
    single_weak = [c for c, ws in scored if len(ws) == 1 and ws[0].prior.mean < opts.weak_prior]
    errors = sum(1 for r in resolved if r.error)
    score = sum(c.score for c in claims) / n if n else 0.0
    interval = mean_interval([c.interval for c in claims])
    stats = {
        "claims": n,
        "cited": n - uncited,
        "uncited": uncited,
        "single_weak_source": len(single_weak),
        "references": len(resolved),
        "reference_errors": errors,
        "independent_sources": len(priors),
    }
    if n == 0:
        explanation = "No claims to score."
    else:
        explanation = (
            f"Mean of {n} claim score{'s' if n > 1 else ''}: {n - uncited} cited, "
            f"{uncited} uncited; {len(single_weak)} rest on one weak source"
        )
        weak = sorted({c.witnesses[0] for c in single_weak})
        if weak:
            explanation += f" ({', '.join(weak)})"
        ranked = sorted(priors.items(), key=lambda kv: (-kv[1].mean, kv[0]))
        if ranked:
            best = ", ".join(f"{k} {_fmt(p.mean)}" for k, p in ranked[:3])
            explanation += f"; most reliable sources: {best}"
        if errors:
            explanation += f"; {errors} unusable reference{'s' if errors > 1 else ''}"
        explanation += "."
    return Report(
        score=round(score, 4),
        interval=(round(interval[0], 4), round(interval[1], 4)),
        claims=claims,
        references=tuple(_reference_report(r) for r in resolved),
        warnings=tuple(warnings),
        explanation=explanation,
        id=document.id,
        stats=stats,
    )


def score_text(
    text: str,
    *,
    id: Any = None,
    url: str | None = None,
    priors: Priors | str | os.PathLike[str] | None = None,
    options: ScoringOptions | None = None,
    **overrides: Any,
) -> Report:
    """Score a plain-text or Markdown article with ``[n]`` markers and a reference list.

    ``url`` is the article's own address (citations of its own site count for
    nothing); ``id`` is passed through to the report. Other keywords as for
    :func:`score_document`.
    """
    if not isinstance(text, str):
        raise InputError(f"text: expected str, got {type(text).__name__}")
    from ._parse import parse_text

    parsed = parse_text(text)
    document = attrs.evolve(parsed, id=id, url=url)
    return score_document(document, priors=priors, options=options, **overrides)
