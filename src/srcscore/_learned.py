"""A learned fallback prior for the long tail: reliability guessed from a URL's shape.

When no table row, lookalike rule or suffix rule knows a domain, the chain used
to end at the neutral prior. This module adds a weak, *learned* guess in between,
made from the **structure** of the domain and of the URL path, never from the
domain's identity: a logistic regression over a few hundred named features, fitted
offline by ``benchmarks/train_fallback.py`` with scikit-learn and shipped as plain
JSON (``srcscore/data/fallback_model.json``: no pickle). Inference here is pure
Python; scikit-learn is not imported at run time.

Features (all binary; the names below are the keys of the JSON's coefficients):

* **public suffix** -- ``suffix=com``, ``suffix=co.uk``, ``suffix=xyz``; for a
  multi-label suffix also its top-level label (``tld=uk``); and its kind,
  ``suffix_kind=generic`` (com, net, org...), ``cc`` (a two-letter country code),
  ``cc2`` (a second-level country suffix such as ``co.uk``) or ``new`` (the new
  generic suffixes: ``xyz``, ``top``, ``online``, ``news``...);
* **shape of the registrable label** (``example`` in ``example.co.uk``) -- its length
  (``len=5-7``...), its hyphens (``hyphens=0``, ``1``, ``2+``), whether it has
  digits (``digits``), and whether the host has a subdomain other than ``www``
  (``sub=blog``, ``sub=news``... for a few known labels, else ``sub=other``);
* **words in the name** -- the label is cut at hyphens and each part is segmented
  into English words of a fixed vocabulary (shipped in the JSON) by dynamic
  programming, fewest uncovered letters first, then fewest words
  (``dailypatriotnews`` -> daily, patriot, news): one feature per word
  (``word=news``), the number of words (``words=3``) and how much of the label
  they cover (``cover=full``, ``most``, ``some``, ``none``);
* **path patterns** -- path depth (``path_depth=2``), known path words
  (``path=blog``, ``path=product``, ``path=article``, ``path=wiki``, ``path=doi``,
  ``path=abs``...), the file extension (``path_ext=pdf``, ``html``, ``php``...), a
  date (``path_date``: ``/2021/03/`` or ``2021-03-04``), a year (``path_year``), a
  long number (``path_id``), a long hyphenated slug (``path_slug``), a language
  segment (``path_lang``: ``/en/``, ``/en-us/``) and a query string
  (``path_query``).

The model's probability ``p`` is mapped to a prior mean
``0.5 + gain * (logit(p) - center)``, clipped to ``[low, high]``: ``center`` is the
median logit over the training domains, so a typical unknown domain stays at the
neutral 0.5, and ``gain`` is set so that the middle 90% of training domains span
``0.5 +/- spread``. The strength is small (3 pseudo-counts, against 2 for the
neutral prior), so a learned guess moves a score a little and any table row or
rule overrides it. When the mean is within ``min_effect`` of 0.5 the features are
uninformative and :func:`learned_prior` returns ``None``.

Training data, protocol and results are recorded in the JSON's ``training``
block and in ``benchmarks/README.md`` (section "Priors"); in short: Lin et al.
(2023) ``pc1`` as a soft target, MBFC factuality (Baly et al.), the Iffy.news /
CRED-1 list of unreliable domains and the expert reliability labels of the
ExpertQA dev split (the only source of labelled URL paths), with the L2 penalty
chosen by cross-validation grouped by registrable domain.

Results (``benchmarks/eval_priors.py``; out of fold, so that no model is scored
on labels it was fitted on; default table of 24,845 rows): the default table
plus this fallback ranks MBFC high- against low-factuality sites with AUC 0.920
(0.879 with the neutral prior in its place; 0.719 on the sites the table does
not know) and raises the Spearman correlation with Lin et al. ``pc1`` over
11,520 domains from 0.555 to 0.592. It does not help on the ExpertQA experts'
per-claim reliability labels (AUC 0.588 against 0.591, grouped by annotator):
what it learns is the look of reliable and unreliable *news* sites; its path
weights rest on 785 URLs and are not validated.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any, Final

from ._priors import Prior

__all__ = [
    "MODEL_FORMAT",
    "FallbackModel",
    "FeatureSpec",
    "learned_prior",
    "load_model",
    "segment",
]

MODEL_FORMAT: Final = "srcscore-fallback-model"
_RESOURCE: Final = "data/fallback_model.json"
_CACHE_SIZE: Final = 100_000

_GENERIC_SUFFIXES: Final = frozenset(
    {"com", "net", "org", "info", "biz", "edu", "gov", "mil", "int", "name", "pro", "mobi"}
)
_SPLIT_RE: Final = re.compile(r"[^a-z0-9]+")
_DATE_RE: Final = re.compile(r"(?:^|[/_-])(?:19|20)\d\d(?:[/_-])(?:0?[1-9]|1[0-2])(?:[/_-]|$)")
_YEAR_RE: Final = re.compile(r"(?:^|[^0-9])(?:19|20)\d\d(?:[^0-9]|$)")
_LONGNUM_RE: Final = re.compile(r"\d{5,}")
_LANG_RE: Final = re.compile(r"^[a-z]{2}(?:[-_][a-z]{2})?$")
_LANGS: Final = frozenset(
    "en fr de es it pt nl sv da no fi pl ru ja zh ko ar tr el cs hu ro he hi id th vi uk".split()
)
_EXTENSIONS: Final = frozenset(
    {"pdf", "html", "htm", "php", "asp", "aspx", "jsp", "cms", "cfm", "shtml", "doc", "docx"}
)


def segment(text: str, vocab: frozenset[str], max_len: int) -> tuple[list[str], int]:
    """Cut ``text`` into words of ``vocab``: fewest uncovered letters, then fewest words.

    Returns the words in order and the number of letters no word covers.
    """
    n = len(text)
    # best[i] = (uncovered letters, words) for text[:i], with the back pointer.
    best: list[tuple[int, int]] = [(0, 0)] + [(n + 1, n + 1)] * n
    back: list[int] = [0] * (n + 1)
    for end in range(1, n + 1):
        unc, words = best[end - 1]
        best[end] = (unc + 1, words)
        back[end] = -1  # one uncovered letter
        for start in range(max(0, end - max_len), end):
            if text[start:end] in vocab:
                cand = (best[start][0], best[start][1] + 1)
                if cand < best[end]:
                    best[end] = cand
                    back[end] = start
    out: list[str] = []
    end = n
    while end > 0:
        start = back[end]
        if start < 0:
            end -= 1
        else:
            out.append(text[start:end])
            end = start
    out.reverse()
    return out, best[n][0]


def _bin(value: int, edges: Sequence[int]) -> str:
    """Name the bin of ``value``: ``edges`` are the lower bounds of the bins."""
    for lo, hi in zip(edges, [*edges[1:], None], strict=False):
        if hi is None:
            return f"{lo}+"
        if value < hi:
            return str(lo) if hi - lo == 1 else f"{lo}-{hi - 1}"
    return str(value)  # below the first edge: not reached with edges[0] == 0


class FeatureSpec:
    """How a URL becomes feature names; shared by training and inference.

    Built from the JSON's ``features`` block: the word vocabulary, the path words,
    the known subdomain labels and the bin edges.
    """

    __slots__ = ("len_edges", "max_word", "path_words", "spec", "sub_labels", "vocab")

    def __init__(self, spec: Mapping[str, Any]) -> None:
        try:
            vocab = spec["vocab"]
            path_words = spec["path_words"]
            sub_labels = spec["sub_labels"]
            len_edges = spec["len_edges"]
        except (KeyError, TypeError) as exc:
            raise ValueError(f"feature spec lacks {exc}") from None
        for name, words in (
            ("vocab", vocab),
            ("path_words", path_words),
            ("sub_labels", sub_labels),
        ):
            if not isinstance(words, list) or not all(
                isinstance(w, str) and w and w == w.lower() for w in words
            ):
                raise ValueError(f"feature spec: {name} must be a list of lower-case words")
        if (
            not isinstance(len_edges, list)
            or not len_edges
            or len_edges[0] != 0
            or not all(isinstance(e, int) for e in len_edges)
            or sorted(set(len_edges)) != len_edges
        ):
            raise ValueError("feature spec: len_edges must be increasing integers from 0")
        self.spec = dict(spec)
        self.vocab = frozenset(vocab)
        self.max_word = max((len(w) for w in vocab), default=1)
        self.path_words = frozenset(path_words)
        self.sub_labels = frozenset(sub_labels)
        self.len_edges = tuple(len_edges)

    def domain_features(self, host: str, domain: str, suffix: str) -> list[str]:
        """Features of the host name (suffix, label shape, words, subdomain)."""
        feats: list[str] = []
        if suffix:
            labels = suffix.split(".")
            feats.append(f"suffix={suffix}")
            top = labels[-1]
            if len(labels) > 1:
                feats.append(f"tld={top}")
                kind = "cc2" if len(top) == 2 else "generic"
            elif top in _GENERIC_SUFFIXES:
                kind = "generic"
            elif len(top) == 2:
                kind = "cc"
            else:
                kind = "new"
            feats.append(f"suffix_kind={kind}")
        label = domain[: -len(suffix) - 1] if suffix and domain.endswith("." + suffix) else domain
        feats.append(f"len={_bin(len(label), self.len_edges)}")
        hyphens = label.count("-")
        feats.append(f"hyphens={min(hyphens, 2)}{'+' if hyphens >= 2 else ''}")
        if any(c.isdigit() for c in label):
            feats.append("digits")
        if host != domain and host.endswith("." + domain):
            subs = [s for s in host[: -len(domain) - 1].split(".") if s != "www"]
            if subs:
                known = [s for s in subs if s in self.sub_labels]
                feats.extend(f"sub={s}" for s in dict.fromkeys(known))
                if len(known) < len(subs):
                    feats.append("sub=other")
        words: list[str] = []
        uncovered = 0
        letters = 0
        for part in _SPLIT_RE.split(label):
            if not part:
                continue
            letters += len(part)
            if part.isdigit():
                uncovered += len(part)
                continue
            got, unc = segment(part, self.vocab, self.max_word)
            words += got
            uncovered += unc
        feats.extend(f"word={w}" for w in dict.fromkeys(words))
        feats.append(f"words={min(len(words), 4)}{'+' if len(words) >= 4 else ''}")
        share = 1.0 - uncovered / letters if letters else 0.0
        cover = (
            "full" if share >= 1.0 else "most" if share >= 0.75 else "some" if share > 0 else "none"
        )
        feats.append(f"cover={cover}")
        return feats

    def path_features(self, path: str) -> list[str]:
        """Features of the URL path (and whether a query string follows it)."""
        path, _, query = path.partition("?")
        path = path.partition("#")[0].lower()
        feats: list[str] = []
        if query:
            feats.append("path_query")
        segments = [s for s in path.split("/") if s]
        depth = len(segments)
        feats.append(f"path_depth={min(depth, 4)}{'+' if depth >= 4 else ''}")
        if not segments:
            return feats
        last = segments[-1]
        _, dot, ext = last.rpartition(".")
        if dot and ext in _EXTENSIONS:
            feats.append(f"path_ext={'html' if ext in {'htm', 'shtml'} else ext}")
        if _LANG_RE.match(segments[0]) and segments[0][:2] in _LANGS:
            feats.append("path_lang")
        if _DATE_RE.search(path):
            feats.append("path_date")
        elif _YEAR_RE.search(path):
            feats.append("path_year")
        if _LONGNUM_RE.search(path):
            feats.append("path_id")
        if any(s.count("-") + s.count("_") >= 3 for s in segments):
            feats.append("path_slug")
        tokens = {t for s in segments for t in _SPLIT_RE.split(s) if t}
        feats.extend(f"path={t}" for t in sorted(tokens & self.path_words))
        return feats

    def features(self, host: str, domain: str, suffix: str, path: str | None) -> list[str]:
        """All feature names of a URL (``path=None``: the host's features only)."""
        feats = self.domain_features(host, domain, suffix)
        if path is not None:
            feats += self.path_features(path or "/")
        return feats


class FallbackModel:
    """A fitted fallback model: feature spec, coefficients and the mean mapping."""

    __slots__ = (
        "_cache",
        "_domain_cache",
        "_path_cache",
        "center",
        "coef",
        "data",
        "gain",
        "high",
        "intercept",
        "low",
        "min_effect",
        "spec",
        "strength",
        "version",
    )

    def __init__(self, data: Mapping[str, Any]) -> None:
        if not isinstance(data, Mapping) or data.get("format") != MODEL_FORMAT:
            raise ValueError(f"not a {MODEL_FORMAT} document")
        try:
            version = data["version"]
            coef = data["coefficients"]
            intercept = data["intercept"]
            mapping = data["mapping"]
            strength = data["strength"]
            spec = data["features"]
        except KeyError as exc:
            raise ValueError(f"fallback model lacks {exc}") from None
        if not isinstance(version, int) or version < 1:
            raise ValueError("fallback model: version must be a positive integer")
        if not isinstance(coef, Mapping) or not all(
            isinstance(k, str) and _finite(v) for k, v in coef.items()
        ):
            raise ValueError("fallback model: coefficients must map names to finite numbers")
        if not _finite(intercept):
            raise ValueError("fallback model: intercept must be a finite number")
        if not _finite(strength) or not 0 < strength <= 10:
            raise ValueError("fallback model: strength must be in (0, 10]")
        if not isinstance(mapping, Mapping) or not all(
            _finite(mapping.get(k)) for k in ("center", "gain", "low", "high", "min_effect")
        ):
            raise ValueError("fallback model: mapping needs center, gain, low, high, min_effect")
        if not 0 <= mapping["low"] <= 0.5 <= mapping["high"] <= 1 or mapping["gain"] < 0:
            raise ValueError("fallback model: mapping must keep means in [low, high] around 0.5")
        self.data = data
        self.version: int = version
        self.spec = FeatureSpec(spec)
        self.coef: dict[str, float] = {k: float(v) for k, v in coef.items()}
        self.intercept = float(intercept)
        self.center = float(mapping["center"])
        self.gain = float(mapping["gain"])
        self.low = float(mapping["low"])
        self.high = float(mapping["high"])
        self.min_effect = float(mapping["min_effect"])
        self.strength = float(strength)
        self._domain_cache: dict[tuple[str, str, str], tuple[float, tuple[tuple[str, float], ...]]]
        self._domain_cache = {}
        self._path_cache: dict[str, tuple[str, ...]] = {}
        self._cache: dict[tuple[str, str, str, tuple[str, ...]], Prior | None] = {}

    def logit(self, features: Sequence[str]) -> float:
        """The model's log-odds for these feature names (unknown names weigh 0)."""
        coef = self.coef
        return self.intercept + sum(coef.get(f, 0.0) for f in dict.fromkeys(features))

    def mean_of_logit(self, z: float) -> float:
        """Map the model's log-odds to a prior mean (clipped, centred on 0.5)."""
        return min(self.high, max(self.low, 0.5 + self.gain * (z - self.center)))

    def _domain_part(
        self, host: str, domain: str, suffix: str
    ) -> tuple[float, tuple[tuple[str, float], ...]]:
        key = (host, domain, suffix)
        found = self._domain_cache.get(key)
        if found is None:
            weights = [(f, self.coef[f]) for f in self.spec.domain_features(*key) if f in self.coef]
            found = (sum(w for _, w in weights), tuple(weights))
            if len(self._domain_cache) >= _CACHE_SIZE:
                self._domain_cache.clear()
            self._domain_cache[key] = found
        return found

    def _path_pattern(self, path: str) -> tuple[str, ...]:
        found = self._path_cache.get(path)
        if found is None:
            coef = self.coef
            found = tuple(f for f in self.spec.path_features(path or "/") if f in coef)
            if len(self._path_cache) >= _CACHE_SIZE:
                self._path_cache.clear()
            self._path_cache[path] = found
        return found

    def prior(self, host: str, domain: str, suffix: str, path: str) -> Prior | None:
        """The learned prior of a URL, or ``None`` when its features say nothing."""
        pattern = self._path_pattern(path)
        # The host matters only through its subdomain labels; the key keeps it whole
        # (hosts of one domain are few), and the path through its coarse pattern.
        key = (host, domain, suffix, pattern)
        if key in self._cache:
            return self._cache[key]
        if not domain or not suffix:
            found: Prior | None = None
        else:
            z_dom, weights = self._domain_part(host, domain, suffix)
            path_weights = tuple((f, self.coef[f]) for f in pattern)
            z = self.intercept + z_dom + sum(w for _, w in path_weights)
            mean = self.mean_of_logit(z)
            if abs(mean - 0.5) < self.min_effect:
                found = None
            else:
                top = sorted(weights + path_weights, key=lambda fw: (-abs(fw[1]), fw[0]))[:3]
                named = ", ".join(f"{f} {w:+.2f}" for f, w in top)
                found = Prior(
                    round(mean, 4),
                    self.strength,
                    "unknown",
                    f"learned: fallback model v{self.version} ({named})",
                )
        if len(self._cache) >= _CACHE_SIZE:
            self._cache.clear()
        self._cache[key] = found
        return found


def _finite(value: object) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


_MODEL: list[FallbackModel] = []


def load_model() -> FallbackModel:
    """Load the shipped model once (lazily) from the package data."""
    if not _MODEL:
        text = resources.files("srcscore").joinpath(_RESOURCE).read_text("utf-8")
        _MODEL.append(FallbackModel(json.loads(text)))
    return _MODEL[0]


def learned_prior(host: str, domain: str, suffix: str, path: str) -> Prior | None:
    """Return the learned fallback prior of a URL, or ``None`` if it is uninformative.

    ``host``, ``domain`` and ``suffix`` are those of :class:`srcscore.Source`;
    ``path`` is the URL's path, optionally followed by ``?query``. The prior is
    weak (strength 3) and its category is ``unknown``; its provenance names the
    model version and the features that weighed most.
    """
    return load_model().prior(host, domain, suffix, path)
