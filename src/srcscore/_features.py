"""Per-claim features for the learned scoring model.

Every feature is a plain float computed from a claim's evidence (its
independent witnesses, their priors, categories, flags and support), the URL
of its strongest witness, the article's own source, and the claim's text;
the last ones (:data:`CONTEXT_FEATURES`) describe the claim's document: how
many publishers the whole text cites, whether other claims cite the same
publisher, and so on. The names in :data:`FEATURES` are part of a saved
model's format: add new ones at the end, never rename.

No feature uses a label, and none names a publisher: they describe the kind
of evidence (its prior and where that prior came from, the shape of its URL,
what its text supports), not who published it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Final
from urllib.parse import SplitResult, urlsplit

import attrs

from ._evidence import ClaimEvidence, Witness
from ._exceptions import InvalidURLError
from ._priors import Prior
from ._scoring import Moments
from ._sources import source_of

__all__ = [
    "CONTEXT_FEATURES",
    "FEATURES",
    "DocumentContext",
    "claim_features",
    "context_features",
    "document_context",
]

_CATEGORY_GROUPS: Final = {
    "news": "news",
    "wire": "wire",
    "government": "government",
    "intergovernmental": "government",
    "academic": "academic",
    "journal": "journal",
    "reference": "reference",
    "health": "health",
    "legal": "government",
    "fact-check": "reference",
    "company": "company",
    "press-release": "company",
    "social": "ugc",
    "video": "ugc",
    "blog": "ugc",
    "forum": "ugc",
}
_GROUPS: Final = (
    "news", "wire", "government", "academic", "journal", "reference", "health",
    "company", "ugc", "unknown", "other",
)  # fmt: skip
_PATH_CUES: Final = {
    "pdf": re.compile(r"\.pdf$", re.I),
    "blog": re.compile(r"/(?:blog|blogs|posts?)/", re.I),
    "product": re.compile(r"/(?:products?|shop|store|item|dp|buy|p)/", re.I),
    "forum": re.compile(r"/(?:forums?|threads?|questions?|comments|answers?|discussions?)/", re.I),
    "press": re.compile(r"press[-_]?release|news[-_]?release|/press(?:room)?/", re.I),
    "wiki": re.compile(r"/wiki/", re.I),
    "scholarly": re.compile(r"/(?:doi|abs|article|articles|pmc|handle|full)/", re.I),
}
_REPOSITORY_HOSTS: Final = frozenset({"github.com", "gitlab.com", "bitbucket.org"})
_HEDGES: Final = re.compile(
    r"\b(?:may|might|could|possibly|perhaps|reportedly|allegedly|suggests?|likely|"
    r"unclear|estimated|approximately|around|some|believed|appears?|seems?)\b",
    re.I,
)
_NUMBER: Final = re.compile(r"\d+(?:[.,]\d+)?")
_PROVENANCES: Final = ("table", "rule", "learned", "neutral")
_TLD_KINDS: Final = ("government", "org", "com", "net", "country", "new")
_GOVERNMENT_LABELS: Final = frozenset({"gov", "mil", "edu", "int", "ac", "gouv", "go", "gob"})
_NET_LIKE: Final = frozenset({"net", "info", "biz"})
_DATE_PATH: Final = re.compile(r"(?:^|/)(?:19|20)\d\d[/-](?:0?[1-9]|1[0-2])(?:[/-]|$)")
_FIRST_PERSON: Final = re.compile(r"\b(?:I|[Ww]e|[Mm]y|[Oo]ur|[Yy]ou|[Yy]our)\b")
_ADVICE: Final = re.compile(
    r"\b(?:should|must|recommend\w*|important|essential|best|need to|ought)\b", re.I
)
_RESEARCH: Final = re.compile(
    r"\b(?:stud(?:y|ies)|research\w*|survey\w*|trials?|evidence|data|according)\b", re.I
)

_CLAIM_FEATURES: Final[tuple[str, ...]] = (
    "uncited",
    "n_witnesses",
    "n_cited",
    "self_cited",
    "unusable",
    "prior_max",
    "prior_mean",
    "prior_min",
    "strength_best",
    "hand_score",
    "hand_spread",
    "has_text",
    "support_max",
    "support_mean",
    "missing_numbers",
    *(f"category_{g}" for g in _GROUPS),
    "lookalike",
    "platform",
    "shortener",
    *(f"path_{c}" for c in _PATH_CUES),
    "path_repository",
    "path_depth",
    "article_prior",
    "position",
    "claim_words",
    "hedges",
    "claim_numbers",
    # Added later: where the strongest witness's prior came from (table row,
    # rule, learned guess, neutral), the kind of its public suffix, the parts
    # of its support, prior x support, the shape of its URL, and the claim's
    # register.
    *(f"provenance_{k}" for k in _PROVENANCES),
    *(f"tld_{k}" for k in _TLD_KINDS),
    "support_best",
    "support_min_part",
    "support_parts",
    "numbers_missing",
    "entities_missing",
    "prior_x_support",
    "prior_unchecked",
    "url_query",
    "url_length",
    "path_date",
    "home_page",
    "subdomain",
    "claim_word_length",
    "claim_first_person",
    "claim_advice",
    "claim_research",
)
#: Features of the claim's whole document (see :class:`DocumentContext`); they
#: close :data:`FEATURES`, so a model that does not use them is a prefix of it.
CONTEXT_FEATURES: Final[tuple[str, ...]] = (
    "source_shared",
    "url_shared",
    "doc_sources",
    "doc_cited_share",
    "doc_text_share",
    "doc_prior_mean",
    "doc_rated_share",
)
#: Every feature, in the order of a model's coefficients.
FEATURES: Final[tuple[str, ...]] = (*_CLAIM_FEATURES, *CONTEXT_FEATURES)


@attrs.frozen
class DocumentContext:
    """What a claim's document cites as a whole (see :func:`document_context`).

    Attributes:
        source_claims, url_claims: per publisher key and per witness URL, the
            number of the document's claims that cite it.
        claims: claims in the document.
        cited: claims with at least one witness.
        with_text: cited claims for which a cited text was given.
        prior_mean: mean prior of all the document's witnesses (0.5 if none).
        rated_share: share of those witnesses whose prior is a table row or a
            rule (not a learned guess or the neutral prior).

    """

    source_claims: Mapping[str, int]
    url_claims: Mapping[str, int]
    claims: int
    cited: int
    with_text: int
    prior_mean: float
    rated_share: float


def _provenance_kind(prior: Prior) -> str:
    text = prior.provenance
    if text.startswith("neutral"):
        return "neutral"
    if text.startswith("learned:"):
        return "learned"
    if text.startswith("rule:"):
        return "rule"
    return "table"


def document_context(evidences: Sequence[ClaimEvidence]) -> DocumentContext:
    """Summarise what the claims of one document cite, for :func:`context_features`."""
    sources: Counter[str] = Counter()
    urls: Counter[str] = Counter()
    witnesses: list[Witness] = []
    cited = with_text = 0
    for ev in evidences:
        sources.update({w.source for w in ev.witnesses})
        urls.update({w.url for w in ev.witnesses})
        witnesses.extend(ev.witnesses)
        if ev.witnesses:
            cited += 1
            with_text += bool(ev.supports)
    priors = [w.prior for w in witnesses]
    rated = sum(1 for p in priors if _provenance_kind(p) in {"table", "rule"})
    return DocumentContext(
        dict(sources),
        dict(urls),
        len(evidences),
        cited,
        with_text,
        sum(p.mean for p in priors) / len(priors) if priors else 0.5,
        rated / len(priors) if priors else 0.0,
    )


def context_features(evidence: ClaimEvidence, context: DocumentContext) -> list[float]:
    """The :data:`CONTEXT_FEATURES` of one claim of the document ``context`` describes."""
    best = evidence.witnesses[0] if evidence.witnesses else None
    shared_source = context.source_claims.get(best.source, 1) - 1 if best is not None else 0
    shared_url = context.url_claims.get(best.url, 1) - 1 if best is not None else 0
    return [
        math.log1p(max(0, shared_source)),
        math.log1p(max(0, shared_url)),
        math.log1p(len(context.source_claims)),
        context.cited / context.claims if context.claims else 0.0,
        context.with_text / context.cited if context.cited else 0.0,
        context.prior_mean,
        context.rated_share,
    ]


def _tld_kind(suffix: str) -> str | None:
    """The kind of a public suffix: government (and academic), org, com, net, country, new."""
    labels = suffix.split(".") if suffix else []
    if not labels:
        return None
    top = labels[-1]
    if any(label in _GOVERNMENT_LABELS for label in labels):
        return "government"
    if top in {"org", "com"}:
        return top
    if top in _NET_LIKE:
        return "net"
    return "country" if len(top) == 2 else "new"


def claim_features(
    evidence: ClaimEvidence,
    hand: Moments,
    position: float,
    article_prior: float | None,
    context: DocumentContext | None = None,
) -> list[float]:
    """The feature vector of one claim, in the order of :data:`FEATURES`.

    ``hand`` is the hand-set model's result for the claim, ``position`` the
    claim's relative place in its document (0 first, 1 last),
    ``article_prior`` the prior mean of the article's own source, if known,
    and ``context`` the summary of the claim's document
    (:func:`document_context`); without it the claim is taken as the only
    one of its document.
    """
    ws = evidence.witnesses
    priors = [w.prior.mean for w in ws]
    best = ws[0] if ws else None
    supports = list(evidence.supports)
    missing_numbers = 0
    if best is not None and best.support is not None:
        missing_numbers = len(best.support.numbers_missing) + len(best.support.entities_missing)
    group = "unknown"
    if best is not None:
        group = _CATEGORY_GROUPS.get(
            best.category, "unknown" if best.category == "unknown" else "other"
        )
    flags = " ".join(best.flags) if best is not None else ""
    parts = urlsplit(best.url) if best is not None else None
    path = parts.path if parts is not None else ""
    host = (parts.hostname or "") if parts is not None else ""
    text = evidence.claim.text
    features = [
        float(not evidence.claim.references),
        math.log1p(len(ws)),
        math.log1p(len(evidence.claim.references)),
        float(evidence.self_cited),
        float(evidence.unusable > 0),
        max(priors, default=0.0),
        sum(priors) / len(priors) if priors else 0.0,
        min(priors, default=0.0),
        math.log1p(best.prior.strength) if best is not None else 0.0,
        hand.mean,
        math.sqrt(hand.variance),
        float(bool(supports)),
        max(supports, default=0.0),
        sum(supports) / len(supports) if supports else 0.0,
        float(missing_numbers),
        *(float(group == g) for g in _GROUPS),
        float("lookalike" in flags),
        float("platform" in flags),
        float("shortener" in flags),
        *(float(bool(cue.search(path))) for cue in _PATH_CUES.values()),
        float(host.removeprefix("www.") in _REPOSITORY_HOSTS),
        float(len([s for s in path.split("/") if s])),
        article_prior if article_prior is not None else 0.5,
        position,
        math.log1p(len(text.split())),
        float(len(_HEDGES.findall(text))),
        math.log1p(len(_NUMBER.findall(text))),
    ]
    features += _added_features(evidence, priors, path, host, parts)
    if context is None:
        context = document_context([evidence])
    features += context_features(evidence, context)
    return features


def _added_features(
    evidence: ClaimEvidence,
    priors: list[float],
    path: str,
    host: str,
    parts: SplitResult | None,
) -> list[float]:
    """The features added after the first ones, from ``provenance_table`` to ``claim_research``."""
    ws = evidence.witnesses
    best = ws[0] if ws else None
    kind = _provenance_kind(best.prior) if best is not None else None
    suffix, domain_labels = "", 0
    if best is not None:
        try:
            found = source_of(best.url)
            suffix, domain_labels = found.suffix, found.domain.count(".") + 1
        except InvalidURLError:
            pass
    tld = _tld_kind(suffix)
    sup = best.support if best is not None else None
    prior_max = max(priors, default=0.0)
    supports = evidence.supports
    bare = host.removeprefix("www.")
    text = evidence.claim.text
    words = text.split()
    return [
        *(float(kind == k) for k in _PROVENANCES),
        *(float(tld == k) for k in _TLD_KINDS),
        sup.score if sup is not None else 0.0,
        min((p.score for p in sup.parts), default=sup.score) if sup is not None else 0.0,
        math.log1p(len(sup.parts)) if sup is not None else 0.0,
        float(len(sup.numbers_missing)) if sup is not None else 0.0,
        float(len(sup.entities_missing)) if sup is not None else 0.0,
        prior_max * max(supports) if supports else 0.0,
        prior_max if ws and not supports else 0.0,
        float(bool(parts is not None and parts.query)),
        math.log1p(len(path)) if best is not None else 0.0,
        float(bool(_DATE_PATH.search(path))),
        float(best is not None and not path.strip("/") and not (parts and parts.query)),
        float(bool(domain_labels) and bare.count(".") + 1 > domain_labels),
        sum(len(w) for w in words) / len(words) if words else 0.0,
        float(bool(_FIRST_PERSON.search(text))),
        float(bool(_ADVICE.search(text))),
        float(bool(_RESEARCH.search(text))),
    ]
