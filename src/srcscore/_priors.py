"""Prior reliability of sources: the embedded table, user tables, rules, neutral.

A prior is a Beta distribution over "a factual claim this source publishes is
accurate", stored as its mean and its strength (pseudo-observations):
``Beta(mean * strength, (1 - mean) * strength)``.

Lookup walks a fallback chain and names the step that answered in
:attr:`Prior.provenance`: the platform publisher key (``medium.com/@user``), the
host and its parents down to the registrable domain (user tables before the
default table), rules on the public suffix (``.gov``, ``.edu``, ``.int``...),
and finally a neutral, weak prior.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Final, final

import attrs

from ._exceptions import InvalidURLError, PriorsError
from ._lookalike import find_lookalike
from ._version import __version__

__all__ = ["CATEGORIES", "NEUTRAL", "Prior", "Priors", "rule_prior"]

CATEGORIES: Final = frozenset(
    {
        "news",
        "wire",
        "government",
        "intergovernmental",
        "academic",
        "journal",
        "reference",
        "fact-check",
        "health",
        "legal",
        "nonprofit",
        "company",
        "press-release",
        "social",
        "video",
        "blog",
        "forum",
        "aggregator",
        "archive",
        "shortener",
        "satire",
        "state-media",
        "ip",
        "unknown",
    }
)
_LABELS: Final = {
    # Word labels accepted in user tables, mapped to a prior mean (MBFC-style wording).
    "very high": 0.92,
    "high": 0.82,
    "mostly factual": 0.7,
    "mixed": 0.5,
    "low": 0.25,
    "very low": 0.1,
    "reliable": 0.82,
    "unreliable": 0.2,
    # Wikipedia's perennial sources statuses.
    "generally reliable": 0.85,
    "marginally reliable": 0.6,
    "no consensus": 0.55,
    "generally unreliable": 0.2,
    "deprecated": 0.08,
    "blacklisted": 0.05,
}
_DEFAULT_STRENGTH: Final = 10.0
LOOKALIKE_MEAN: Final = 0.05
LOOKALIKE_STRENGTH: Final = 20.0


@attrs.frozen
class Prior:
    """A prior reliability: ``Beta(mean * strength, (1 - mean) * strength)``.

    Attributes:
        mean: expected probability that a factual claim from the source is accurate.
        strength: pseudo-observations behind the mean; larger is surer.
        category: the kind of source (see :data:`CATEGORIES`).
        provenance: which table or rule produced it, and under which key.
        note: the curator's note, if any.

    """

    mean: float
    strength: float
    category: str = "unknown"
    provenance: str = "neutral"
    note: str = ""

    @property
    def alpha(self) -> float:
        """Beta ``alpha`` parameter (pseudo-count of accurate claims)."""
        return self.mean * self.strength

    @property
    def beta(self) -> float:
        """Beta ``beta`` parameter (pseudo-count of inaccurate claims)."""
        return (1.0 - self.mean) * self.strength

    def __attrs_post_init__(self) -> None:
        # A bad Prior would poison every score built on it, far from where it was made.
        try:
            ok = 0.0 <= self.mean <= 1.0 and 0.0 < self.strength < math.inf
        except TypeError:
            ok = False
        if not ok:
            raise PriorsError(
                "a prior needs a mean in [0, 1] and a positive finite strength, "
                f"got mean={self.mean!r}, strength={self.strength!r}"
            )


NEUTRAL: Final = Prior(0.5, 2.0, "unknown", "neutral: no table or rule knows this source")

# (suffix test, category, mean, strength, rule name); first match wins.
_SUFFIX_RULES: Final = (
    ({"gov", "mil"}, "government", 0.8, 6.0, "government suffix"),
    ({"int"}, "intergovernmental", 0.8, 6.0, "intergovernmental suffix"),
    ({"edu"}, "academic", 0.75, 5.0, "academic suffix"),
)
_GOV_LABELS: Final = frozenset({"gov", "gob", "gouv", "govt", "go", "gv", "mil", "government"})
_ACADEMIC_LABELS: Final = frozenset({"edu", "ac", "univ", "uni"})


@lru_cache(maxsize=4096)  # a few hundred suffixes in practice; Prior is immutable
def rule_prior(suffix: str, category: str | None = None) -> Prior | None:
    """Return the rule-based prior for a public suffix, or ``None`` if no rule applies.

    ``gov``, ``mil``, ``gov.uk``, ``gouv.fr``, ``go.jp``... are government;
    ``int`` is intergovernmental; ``edu``, ``ac.uk``, ``edu.au``... are academic.
    """
    labels = suffix.split(".") if suffix else []
    if not labels:
        return None
    for names, cat, mean, strength, rule in _SUFFIX_RULES:
        if labels[-1] in names:
            return Prior(mean, strength, cat, f"rule: {rule} .{suffix}")
    if len(labels) >= 2 and labels[0] in _GOV_LABELS:
        return Prior(0.8, 6.0, "government", f"rule: government suffix .{suffix}")
    if len(labels) >= 2 and labels[0] in _ACADEMIC_LABELS:
        return Prior(0.75, 5.0, "academic", f"rule: academic suffix .{suffix}")
    return None


def _parse_mean(value: str, where: str) -> float:
    text = value.strip().lower()
    if text in _LABELS:
        return _LABELS[text]
    try:
        mean = float(text)
    except ValueError:
        raise PriorsError(
            f"{where}: score {value!r} is neither a number nor a known label"
        ) from None
    if not 0.0 <= mean <= 1.0 or math.isnan(mean):
        raise PriorsError(f"{where}: score {mean} is outside [0, 1]")
    return mean


def _parse_strength(value: str | None, where: str) -> float:
    if value is None or not value.strip():
        return _DEFAULT_STRENGTH
    try:
        strength = float(value)
    except ValueError:
        raise PriorsError(f"{where}: strength {value!r} is not a number") from None
    if not 0.0 < strength < 1e6 or math.isnan(strength):
        raise PriorsError(f"{where}: strength {strength} must be positive and finite")
    return strength


def _normalise_key(raw: str, where: str) -> str:
    from ._urls import canonicalize

    text = raw.strip().lower()
    if not text:
        raise PriorsError(f"{where}: empty domain")
    try:
        canon = canonicalize(text)
    except InvalidURLError as exc:
        raise PriorsError(f"{where}: {exc.reason} in domain {raw!r}") from None
    host = canon.host[4:] if canon.host.startswith("www.") else canon.host
    path = canon.path.rstrip("/").lower()
    return host + path


@final
class Priors:
    """An immutable stack of prior tables with a fallback chain.

    Build one with :meth:`default`, :meth:`from_csv` or :meth:`from_rows`, and
    layer tables with :meth:`with_overrides` (the overriding table wins for the
    keys it has). Instances are cheap to share across threads.
    """

    __slots__ = ("_cache", "_entries", "name", "warnings")

    def __init__(self, entries: Mapping[str, Prior], name: str = "custom") -> None:
        self._entries: dict[str, Prior] = dict(entries)
        self._cache: dict[tuple[str, ...], Prior] = {}
        self.name = name
        #: Rows skipped while reading a third-party rating set, with the reason.
        self.warnings: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __repr__(self) -> str:
        return f"<Priors {self.name!r}: {len(self)} entries>"

    def get(self, key: str) -> Prior | None:
        """Return the table entry stored under exactly ``key``, or ``None``."""
        return self._entries.get(key)

    @classmethod
    def default(cls) -> Priors:
        """Return the embedded default table (cached; the project's own curation)."""
        return _default_priors()

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]], name: str = "custom") -> Priors:
        """Build a table from mappings of ``domain``, ``score`` and optional fields.

        Optional fields: ``strength``, ``category``, ``note``; ``mean`` may stand
        for ``score``. Raises :class:`PriorsError` naming the first bad row.
        """
        return cls._build(((f"row {n}", row) for n, row in enumerate(rows, start=1)), name)

    @classmethod
    def _build(
        cls, rows: Iterable[tuple[str, Mapping[str, str]]], name: str, *, strict: bool = True
    ) -> Priors:
        entries: dict[str, Prior] = {}
        skipped: list[str] = []
        for place, row in rows:
            try:
                key, prior = cls._entry(place, row, name)
            except PriorsError as exc:
                if strict:
                    raise
                skipped.append(f"skipped {exc}")
                continue
            entries[key] = prior
        table = cls(entries, name)
        table.warnings = tuple(skipped)
        return table

    @staticmethod
    def _entry(place: str, row: Mapping[str, str], name: str) -> tuple[str, Prior]:
        where = f"{name}: {place}"
        domain = row.get("domain")
        score = row.get("score", row.get("mean"))
        if domain is None or score is None:
            raise PriorsError(f"{where}: needs a domain and a score")
        key = _normalise_key(domain, where)
        category = (row.get("category") or "unknown").strip().lower() or "unknown"
        if category not in CATEGORIES:
            raise PriorsError(f"{where}: unknown category {category!r}")
        return key, Prior(
            _parse_mean(score, where),
            _parse_strength(row.get("strength"), where),
            category,
            f"{name}: {key}",
            (row.get("note") or "").strip(),
        )

    @classmethod
    def from_csv(cls, path: str | Path, name: str | None = None) -> Priors:
        """Read a CSV table: ``domain,score[,strength[,category[,note]]]``.

        A header row is optional (it is recognised when its second field is not
        a score); ``score`` may be a number in [0, 1] or a label such as
        ``high``, ``mixed`` or ``low``. Raises :class:`PriorsError` naming the
        file and line of the first bad row.
        """
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise PriorsError(f"priors file not found: {path}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise PriorsError(f"cannot read priors file {path}: {exc}") from None
        return cls.from_csv_text(text, name or path.name)

    @classmethod
    def from_csv_text(cls, text: str, name: str = "custom") -> Priors:
        """Like :meth:`from_csv`, from the CSV's text."""
        if not isinstance(text, str):
            raise PriorsError(f"{name}: expected the CSV's text as str, got {type(text).__name__}")
        reader = csv.reader(io.StringIO(text))
        try:
            rows = [(reader.line_num, r) for r in reader if r and not r[0].lstrip().startswith("#")]
        except csv.Error as exc:  # a field over the csv module's limit
            raise PriorsError(f"{name}: line {reader.line_num}: {exc}") from None
        if not rows:
            return cls({}, name)
        columns = ["domain", "score", "strength", "category", "note"]
        first = [c.strip().lower() for c in rows[0][1]]
        if len(first) >= 2 and first[1] in {"score", "mean", "pc1", "rating"}:
            columns = ["score" if c in {"mean", "pc1", "rating"} else c for c in first]
            rows = rows[1:]
        numbered = ((f"line {line}", dict(zip(columns, r, strict=False))) for line, r in rows)
        return cls._build(numbered, name)

    def with_overrides(self, other: Priors) -> Priors:
        """Return a new stack where ``other``'s entries replace this one's."""
        merged = {**self._entries, **other._entries}
        return Priors(merged, f"{other.name}+{self.name}")

    def pooled_with(self, other: Priors) -> Priors:
        """Return a new table pooling pseudo-counts where both tables rate a key.

        For a key in both, ``alpha`` and ``beta`` add up: the mean is the
        strength-weighted mean and the strengths add. ``other``'s category and
        note win; keys in one table only are kept as they are.
        """
        merged = dict(self._entries)
        for key, theirs in other._entries.items():
            ours = merged.get(key)
            if ours is None:
                merged[key] = theirs
                continue
            strength = ours.strength + theirs.strength
            mean = (ours.alpha + theirs.alpha) / strength
            category = theirs.category if theirs.category != "unknown" else ours.category
            merged[key] = Prior(
                mean,
                strength,
                category,
                f"pooled: {ours.provenance} + {theirs.provenance}",
                theirs.note or ours.note,
            )
        return Priors(merged, f"{other.name}*{self.name}")

    def lookup(self, keys: Iterable[str], suffix: str = "", host: str = "") -> Prior:
        """Return the prior of the first key the table knows, else a rule, else neutral.

        ``keys`` go from most to least specific (platform publisher, host, parent
        hosts, registrable domain); ``suffix`` is the public suffix for the rules.
        Given the ``host``, an unknown domain that imitates a reliable one in this
        table gets a strongly lowered prior naming the outlet it imitates.
        """
        chain = tuple(keys)
        cache_key = (*chain, "|", suffix, host)
        found = self._cache.get(cache_key)
        if found is None:
            entries = self._entries
            for key in chain:
                found = entries.get(key)
                if found is not None:
                    break
            if found is None and host and chain:
                fake = find_lookalike(host, chain[-1], suffix, self)
                if fake is not None:
                    found = Prior(
                        LOOKALIKE_MEAN,
                        LOOKALIKE_STRENGTH,
                        "unknown",
                        f"rule: lookalike of {fake.target} ({fake.reason})",
                    )
            if found is None:
                found = rule_prior(suffix) or NEUTRAL
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[cache_key] = found
        return found


_DEFAULT: list[Priors] = []


def _default_priors() -> Priors:
    if not _DEFAULT:
        text = resources.files("srcscore").joinpath("data/priors.csv").read_text("utf-8")
        name = f"srcscore-default {__version__}"
        # The embedded table's keys are stored normalised (a test checks it), so
        # its ~25,000 rows are read without canonicalising each one: a faster start.
        entries: dict[str, Prior] = {}
        for row in csv.DictReader(io.StringIO(text)):
            key = row["domain"]
            entries[key] = Prior(
                float(row["mean"]),
                float(row["strength"]),
                row["category"],
                f"{name}: {key}",
                row["note"],
            )
        _DEFAULT.append(Priors(entries, name))
    return _DEFAULT[0]
