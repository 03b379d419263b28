"""Scoring a document: sources, priors, independence, support, explanation."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from ._evidence import ClaimEvidence, Resolved, Witness, gather, resolve
from ._exceptions import InputError, InvalidURLError
from ._features import claim_features
from ._fetchtypes import FetchOptions, FetchResult
from ._model import Model, load_model
from ._models import ClaimReport, Document, ReferenceReport, Report, document_from_dict
from ._options import ScoringOptions
from ._priors import Prior, Priors
from ._scoring import Moments, beta_interval, beta_moments, combine_witnesses, mean_interval
from ._sources import source_of

__all__ = ["ScoringOptions", "score_document", "score_text"]


def _final_url(url: str | None, fetched: Mapping[str, FetchResult] | None) -> str | None:
    got = fetched.get(url) if fetched and url is not None else None
    return got.final_url if got is not None and got.ok else None


def _reference_report(res: Resolved, fetched: FetchResult | None = None) -> ReferenceReport:
    src, prior = res.source, res.prior
    error = res.error
    if error is None and fetched is not None and not fetched.ok:
        error = f"not fetched: {fetched.error or 'no text'}"
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
        error=error,
        fetch=None
        if fetched is None
        else {
            "status": fetched.status,
            "final_url": fetched.final_url,
            "error": fetched.error,
            "from_cache": fetched.from_cache,
        },
    )


_LOOKALIKE = "rule: lookalike of "


def is_weak(prior: Prior, opts: ScoringOptions) -> bool:
    """A weak source: a low prior mean, or a guess (learned or neutral), not a rating."""
    return prior.mean < opts.weak_prior or prior.provenance.startswith(("learned:", "neutral"))


def _fmt(x: float) -> str:
    return f"{x:.2f}"


@attrs.frozen
class ScoredClaim:
    """A claim's evidence, the hand-set model's moments and its feature vector."""

    evidence: ClaimEvidence
    hand: Moments
    features: tuple[float, ...]


def assess(
    document: Document,
    table: Priors,
    opts: ScoringOptions,
    warnings: list[str],
    fetched: Mapping[str, FetchResult] | None = None,
    *,
    features: bool = True,
) -> tuple[list[ScoredClaim], list[Resolved]]:
    """Resolve references and gather each claim's evidence, hand score and features.

    ``features=False`` skips the feature vectors (empty), which only a learned
    model needs.
    """
    own = None
    article_prior = None
    if document.url is not None:
        try:
            own_source = source_of(document.url)
            own = own_source.source
            article_prior = own_source.prior(table).mean
        except InvalidURLError as exc:
            warnings.append(f"the article's own URL is unusable: {exc.reason}")
    resolved = {
        str(ref.id): resolve(ref, table, _final_url(ref.url, fetched))
        for ref in document.references
    }
    n = len(document.claims)
    out = []
    for number, claim in enumerate(document.claims, start=1):
        evidence = gather(claim, resolved, own, opts, warnings, number)
        hand = combine_witnesses([w.moments for w in evidence.witnesses], opts.discount)
        position = (number - 1) / (n - 1) if n > 1 else 0.0
        vector = claim_features(evidence, hand, position, article_prior) if features else ()
        out.append(ScoredClaim(evidence, hand, tuple(vector)))
    return out, list(resolved.values())


def score_claim(scored: ScoredClaim, opts: ScoringOptions, model: Model | None) -> ClaimReport:
    evidence = scored.evidence
    witnesses = list(evidence.witnesses)
    moments = scored.hand
    explanation = _explain(witnesses, list(evidence.notes), opts)
    # A model fitted on cited claims only knows nothing of uncited ones: they keep 0.
    cited_only = model is not None and bool(model.metrics.get("cited_only"))
    if model is not None and not (cited_only and not witnesses):
        x = model.vector(scored.features)
        learned = model.predict(x)
        # The learned mean keeps the hand model's evidential strength: the
        # Beta with the learned mean and the hand model's pseudo-count.
        mean, var = moments.mean, moments.variance
        strength = mean * (1.0 - mean) / var - 1.0 if var > 1e-12 else 50.0
        strength = min(max(strength, 2.0), 1000.0)
        moments = beta_moments(learned, strength)
        explanation += " " + _explain_model(model, x, learned)
    interval = beta_interval(moments, opts.level)
    claim = evidence.claim
    return ClaimReport(
        text=claim.text,
        references=claim.references,
        score=round(moments.mean, 4),
        interval=(round(interval[0], 4), round(interval[1], 4)),
        support=round(max(evidence.supports), 4) if evidence.supports else None,
        explanation=explanation,
        witnesses=tuple(w.source for w in witnesses),
        span=claim.span,
    )


def _explain_model(model: Model, x: list[float], learned: float) -> str:
    top = [(name, push) for name, push in model.contributions(x)[:2] if abs(push) > 0.05]
    moved = ", ".join(f"{name} ({'+' if push > 0 else '-'})" for name, push in top)
    text = f"Learned model ({model.label}): {_fmt(learned)}"
    return text + (f", moved most by {moved}." if moved else ".")


def _explain(witnesses: list[Witness], notes: list[str], opts: ScoringOptions) -> str:
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
            weakest = min(w.support.parts, key=lambda p: p.score, default=None)
            if weakest is not None and len(w.support.parts) > 1 and weakest.score < 0.5:
                bit += f", unsupported: {weakest.text!r}"
            bit += ")"
        if w.duplicates:
            bit += f" [{w.duplicates + 1} URLs counted once]"
        parts.append(bit)
    n = len(witnesses)
    text = f"{n} independent source{'s' if n > 1 else ''}: " + "; ".join(parts)
    if any(w.support is None for w in witnesses):
        text += f"; cited text not checked (support assumed {_fmt(opts.unverified_support)})"
    if n == 1 and is_weak(witnesses[0].prior, opts):
        text += "; rests on one weak source"
    if notes:
        text += "; " + "; ".join(notes)
    return text + "."


def resolve_priors(priors: Priors | str | os.PathLike[str] | None) -> Priors:
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
    model: Model | str | os.PathLike[str] | None = None,
    fetch: bool = False,
    fetch_options: FetchOptions | None = None,
    **overrides: Any,
) -> Report:
    """Score a document (a :class:`Document` or a mapping of the input JSON schema).

    ``priors`` is a :class:`Priors`, a path to a CSV that overrides the default
    table, or ``None`` for the default. ``model`` is a learned model (a
    :class:`Model` or the path of its JSON, see :func:`train`) whose calibrated
    probability replaces the hand-set score (``model="default"`` is the one
    shipped with srcscore); the hand-set model still explains
    the score and sets the interval's strength. With ``fetch=True`` the cited
    pages whose text was not given are fetched (the only time scoring uses the
    network; see :class:`FetchOptions` for the limits and the private-address
    guard) and their text is checked for support; a page that cannot be
    fetched is reported on its reference. Other keyword arguments override fields
    of :class:`ScoringOptions` (``level=0.95``). Raises
    :class:`~srcscore.InputError` if the document does not fit the schema; a bad
    reference URL is reported on that reference instead.
    """
    document = doc if isinstance(doc, Document) else document_from_dict(doc)
    table = resolve_priors(priors)
    opts = _options(options, overrides)
    fitted = resolve_model(model)
    warnings = list(document.warnings)
    fetched: Mapping[str, FetchResult] = {}
    if fetch:
        document, fetched = fetch_texts(document, fetch_options)
    claims, resolved = assess(document, table, opts, warnings, fetched, features=fitted is not None)
    scored = [(score_claim(c, opts, fitted), list(c.evidence.witnesses)) for c in claims]
    return _article_report(document, scored, resolved, warnings, opts, fetched)


def fetch_texts(
    document: Document,
    options: FetchOptions | None = None,
    results: Mapping[str, FetchResult] | None = None,
) -> tuple[Document, Mapping[str, FetchResult]]:
    """Fill in the text of references that have a URL and no text, by fetching them.

    Texts given in the input always win. ``results`` reuses fetches made
    earlier (a corpus fetched in one go).
    """
    urls = [r.url for r in document.references if r.url is not None and r.text is None]
    if results is None:
        from ._fetch import fetch_all

        results = fetch_all(urls, options) if urls else {}
    refs = []
    for ref in document.references:
        got = results.get(ref.url) if ref.url is not None and ref.text is None else None
        if got is not None and got.ok:
            ref = attrs.evolve(ref, text=got.text, title=ref.title or got.title)
        refs.append(ref)
    return attrs.evolve(document, references=tuple(refs)), results


def resolve_model(model: Model | str | os.PathLike[str] | None) -> Model | None:
    if model is None or isinstance(model, Model):
        return model
    if model == "default":
        from importlib import resources

        # The model shipped with srcscore (see benchmarks/README.md, Learned model).
        with resources.as_file(resources.files("srcscore") / "data/default_model.json") as path:
            return load_model(path)
    if isinstance(model, (str, os.PathLike)):
        return load_model(model)
    raise InputError(f"model: expected a Model, a path or None, got {type(model).__name__}")


def _article_report(
    document: Document,
    scored: list[tuple[ClaimReport, list[Witness]]],
    resolved: list[Resolved],
    warnings: list[str],
    opts: ScoringOptions,
    fetched: Mapping[str, FetchResult] | None = None,
) -> Report:
    fetched = fetched or {}
    claims = tuple(c for c, _ in scored)
    n = len(claims)
    uncited = sum(1 for c in claims if not c.witnesses)
    priors = {w.source: w.prior for _, ws in scored for w in ws}
    single_weak = [c for c, ws in scored if len(ws) == 1 and is_weak(ws[0].prior, opts)]
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
    if fetched:
        pages = [
            fetched[r.ref.url] for r in resolved if r.ref.url is not None and r.ref.url in fetched
        ]
        stats["fetched"] = sum(1 for p in pages if p.ok)
        stats["fetch_errors"] = sum(1 for p in pages if not p.ok)
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
        if stats.get("fetch_errors"):
            explanation += f"; {stats['fetch_errors']} cited page(s) could not be fetched"
        explanation += "."
    return Report(
        score=round(score, 4),
        interval=(round(interval[0], 4), round(interval[1], 4)),
        claims=claims,
        references=tuple(
            _reference_report(r, fetched.get(r.ref.url) if r.ref.url else None) for r in resolved
        ),
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
    model: Model | str | os.PathLike[str] | None = None,
    fetch: bool = False,
    fetch_options: FetchOptions | None = None,
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
    return score_document(
        document,
        priors=priors,
        options=options,
        model=model,
        fetch=fetch,
        fetch_options=fetch_options,
        **overrides,
    )
