"""Value objects: the input document and the report, with their JSON forms."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Union

import attrs

from ._exceptions import InputError

__all__ = [
    "Claim",
    "ClaimReport",
    "Document",
    "RefId",
    "Reference",
    "ReferenceReport",
    "Report",
    "document_from_dict",
]

RefId = Union[int, str]  # noqa: UP007 (a runtime alias must work on 3.10)
"""A reference id as the input gave it: ``1`` from ``[1]`` markers, or any JSON string/int."""


def _key(ref_id: RefId) -> str:
    return str(ref_id)


@attrs.frozen
class Reference:
    """A cited reference: its id, URL, and optionally its title and the cited page's text."""

    id: RefId
    url: str | None = None
    title: str | None = None
    text: str | None = None


@attrs.frozen
class Claim:
    """A claim (usually a sentence) and the ids of the references it cites.

    ``span`` is the claim's ``(start, end)`` character offsets in the document
    text when it was segmented from it, else ``None``.
    """

    text: str
    references: tuple[RefId, ...] = ()
    span: tuple[int, int] | None = None


@attrs.frozen
class Document:
    """An article, an LLM answer or any text with citations, in srcscore's model.

    ``url`` is the article's own address, used to spot self-citation.
    ``warnings`` carries what parsing noticed (unknown markers, ...).
    """

    claims: tuple[Claim, ...]
    references: tuple[Reference, ...]
    id: Any = None
    url: str | None = None
    text: str | None = None
    warnings: tuple[str, ...] = ()


def _expect(value: object, kind: type | tuple[type, ...], where: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise InputError(f"{where}: expected {names}, got {type(value).__name__}")
    return value


def _optional_str(data: Mapping[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    return None if value is None else _expect(value, str, f"{where}.{key}")


def _reference_from(raw: object, where: str) -> Reference:
    data: Mapping[str, Any] = _expect(raw, Mapping, where)
    if "id" not in data:
        raise InputError(f"{where}: missing 'id'")
    return Reference(
        id=_expect(data["id"], (int, str), f"{where}.id"),
        url=_optional_str(data, "url", where),
        title=_optional_str(data, "title", where),
        text=_optional_str(data, "text", where),
    )


def _claim_from(raw: object, where: str) -> Claim:
    data: Mapping[str, Any] = _expect(raw, Mapping, where)
    text = _expect(data.get("text"), str, f"{where}.text")
    refs = _expect(data.get("references", []), list, f"{where}.references")
    ids = tuple(_expect(r, (int, str), f"{where}.references[{i}]") for i, r in enumerate(refs))
    return Claim(text, ids)


def document_from_dict(raw: object) -> Document:
    """Validate a JSON-like mapping of the input schema and build a :class:`Document`.

    Claims given under ``claims`` are used as is; otherwise ``text`` is
    segmented into claims. Raises :class:`~srcscore.InputError` naming the
    offending field (``references[2].url: expected str, got int``).
    """
    from ._parse import parse_text

    data: Mapping[str, Any] = _expect(raw, Mapping, "document")
    text = _optional_str(data, "text", "document")
    url = _optional_str(data, "url", "document")
    refs_raw = _expect(data.get("references", []), list, "references")
    references = tuple(_reference_from(r, f"references[{i}]") for i, r in enumerate(refs_raw))
    seen: set[str] = set()
    for ref in references:
        if _key(ref.id) in seen:
            raise InputError(f"references: duplicate id {ref.id!r}")
        seen.add(_key(ref.id))
    claims_raw = data.get("claims")
    warnings: list[str] = []
    if claims_raw is not None:
        claims_raw = _expect(claims_raw, list, "claims")
        claims = tuple(_claim_from(c, f"claims[{i}]") for i, c in enumerate(claims_raw))
    elif text is not None:
        parsed = parse_text(text, references if references else None)
        claims = parsed.claims
        warnings.extend(parsed.warnings)
        references = parsed.references
    else:
        raise InputError("document: needs 'text' or 'claims'")
    return Document(claims, references, data.get("id"), url, text, tuple(warnings))


@attrs.frozen
class ReferenceReport:
    """A reference as srcscore understood it: its publisher, category and prior.

    ``error`` says why the reference could not be used (bad URL, ...) or its
    page not fetched, else ``None``; ``fetch`` tells how fetching went
    (``status``, ``final_url``, ``error``, ``from_cache``) when it was asked for.
    """

    id: RefId
    url: str | None
    domain: str | None
    source: str | None
    category: str
    prior: float | None
    prior_strength: float | None = None
    provenance: str | None = None
    title: str | None = None
    flags: tuple[str, ...] = ()
    error: str | None = None
    fetch: Mapping[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (see the report schema)."""
        return {
            "id": self.id,
            "url": self.url,
            "domain": self.domain,
            "source": self.source,
            "category": self.category,
            "prior": self.prior,
            "prior_strength": self.prior_strength,
            "provenance": self.provenance,
            "title": self.title,
            "flags": list(self.flags),
            "error": self.error,
            "fetch": dict(self.fetch) if self.fetch is not None else None,
        }


@attrs.frozen
class ClaimReport:
    """A claim's score in [0, 1], its interval, support and a one-line explanation.

    ``witnesses`` are the independent sources counted, strongest first;
    ``support`` is how well the given texts of its references support the
    claim (``None`` where no text was given).
    """

    text: str
    references: tuple[RefId, ...]
    score: float
    interval: tuple[float, float]
    support: float | None
    explanation: str
    witnesses: tuple[str, ...] = ()
    span: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (see the report schema)."""
        return {
            "text": self.text,
            "references": list(self.references),
            "score": self.score,
            "interval": list(self.interval),
            "support": self.support,
            "explanation": self.explanation,
            "witnesses": list(self.witnesses),
            "span": list(self.span) if self.span is not None else None,
        }


@attrs.frozen
class Report:
    """The verdict on one document: article score, interval, claims, references."""

    score: float
    interval: tuple[float, float]
    claims: tuple[ClaimReport, ...]
    references: tuple[ReferenceReport, ...]
    warnings: tuple[str, ...]
    explanation: str
    id: Any = None
    stats: Mapping[str, int] = attrs.field(factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: keys ``id, score, interval, claims, references, warnings`` and more."""
        return {
            "id": self.id,
            "score": self.score,
            "interval": list(self.interval),
            "explanation": self.explanation,
            "stats": dict(self.stats),
            "claims": [c.to_dict() for c in self.claims],
            "references": [r.to_dict() for r in self.references],
            "warnings": list(self.warnings),
        }


def ids_key(ids: Sequence[RefId]) -> list[str]:
    """Normalised keys of reference ids (``1`` and ``"1"`` name one reference)."""
    return [_key(i) for i in ids]
