"""Per-claim features for the learned scoring model.

Every feature is a plain float computed from a claim's evidence (its
independent witnesses, their priors, categories, flags and support), the URL
of its strongest witness, the article's own source, and the claim's text.
The names in :data:`FEATURES` are part of a saved model's format: add new
ones at the end, never rename.
"""

from __future__ import annotations

import math
import re
from typing import Final
from urllib.parse import urlsplit

from ._evidence import ClaimEvidence
from ._scoring import Moments

__all__ = ["FEATURES", "claim_features"]

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

FEATURES: Final[tuple[str, ...]] = (
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
)


def claim_features(
    evidence: ClaimEvidence,
    hand: Moments,
    position: float,
    article_prior: float | None,
) -> list[float]:
    """The feature vector of one claim, in the order of :data:`FEATURES`.

    ``hand`` is the hand-set model's result for the claim, ``position`` the
    claim's relative place in its document (0 first, 1 last) and
    ``article_prior`` the prior mean of the article's own source, if known.
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
    return features
