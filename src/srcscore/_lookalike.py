"""Lookalike domains: names built to pass for a reliable outlet.

A domain that no table knows is compared with the brands of the reliable
domains of the priors table (prior mean >= ``RELIABLE``):

- the brand inside another host (``www.nature.com.evil.io``);
- a suffix trick (``abcnews.com.co`` for ``abcnews.com``);
- confusable characters (Cyrillic ``о`` for ``o``, ``rn`` for ``m``, ``0`` for ``o``);
- a small edit distance on a long brand label (``reuterss.com``);
- the brand plus a word (``cnn-breaking.com``, ``bbcnewsdaily.com``).

Only unknown domains are checked, so an outlet's own subdomains never trip it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Final, NamedTuple

if TYPE_CHECKING:
    from ._priors import Priors

__all__ = ["RELIABLE", "Lookalike", "find_lookalike"]

RELIABLE: Final = 0.75
_MIN_BRAND: Final = 3
_FILLER_WORDS: Final = (
    "news",
    "daily",
    "today",
    "live",
    "breaking",
    "update",
    "updates",
    "online",
    "world",
    "now",
    "24",
    "247",
    "report",
    "reports",
    "media",
    "press",
    "post",
    "times",
    "tv",
    "official",
    "info",
    "alert",
    "alerts",
    "usa",
    "us",
    "uk",
    "global",
    "the",
    "real",
)
# The first and last two letters of the filler words: a cheap test that most
# names fail before the word-by-word one (no filler word is shorter than two).
_FILLER_HEADS: Final = frozenset(w[:2] for w in _FILLER_WORDS)
_FILLER_TAILS: Final = frozenset(w[-2:] for w in _FILLER_WORDS)
_GENERIC_LABELS: Final = frozenset({"com", "net", "org"})
# Name rules (typos, brand plus word) only for major outlets, whose names are
# worth imitating and distinctive enough not to be common words.
_FAMOUS_STRENGTH: Final = 20.0
_OUTLETS: Final = frozenset({"news", "wire", "fact-check", "reference", "journal"})
_CONFUSABLES: Final = str.maketrans(
    {
        "а": "a",
        "е": "e",
        "о": "o",
        "р": "p",
        "с": "c",
        "у": "y",
        "х": "x",
        "і": "i",
        "ј": "j",
        "ѕ": "s",
        "ԁ": "d",
        "ɡ": "g",
        "һ": "h",
        "ӏ": "l",
        "ո": "n",
        "ս": "u",
        "α": "a",
        "ο": "o",
        "ρ": "p",
        "ν": "v",
        "τ": "t",
        "κ": "k",
        "ι": "i",
        "0": "o",
        "1": "l",
        "3": "e",
        "5": "s",
        "7": "t",
    }
)
# The ASCII part of the table, for bytes.translate: str.translate looks every
# character up in a dict, which costs a first sight of a host more than the rest.
_ASCII_CONFUSABLES: Final = bytes.maketrans(b"01357", b"olest")


# Labels too generic to imitate anyone.
_COMMON_LABELS: Final = frozenset({"news", "blog", "www", "mail", "home", "info", "media"})


class Lookalike(NamedTuple):
    """A domain that imitates ``target``, and how."""

    target: str
    reason: str


def _brand(key: str) -> str:
    return key.split("/", 1)[0].split(".", 1)[0]


def _skeleton(label: str) -> str:
    if label.isascii():
        text = label.encode("ascii").translate(_ASCII_CONFUSABLES).decode("ascii")
    else:
        text = label.translate(_CONFUSABLES)
    return text.replace("rn", "m").replace("vv", "w").replace("-", "")


@lru_cache(maxsize=4096)
def _is_filler(text: str) -> bool:
    """Tell whether ``text`` is a run of filler words ("newsdaily", "live24")."""
    if not text.endswith(_FILLER_WORDS) or not text.startswith(_FILLER_WORDS):
        return False  # most names fail here, before the word-by-word search
    reachable = [True] + [False] * len(text)
    for end in range(1, len(text) + 1):
        reachable[end] = any(
            reachable[end - len(w)] for w in _FILLER_WORDS if text.endswith(w, 0, end)
        )
    return reachable[-1]


class _Index(NamedTuple):
    brands: dict[str, str]  # brand label -> reliable domain
    skeletons: dict[str, str]
    domains: frozenset[str]
    famous: dict[str, str]  # brands of major outlets, for the looser name rules
    typos: dict[str, tuple[str, str]]  # a doubled letter or a swap -> (brand, how)
    famous_lengths: tuple[int, ...]


@lru_cache(maxsize=8)
def _index(priors: Priors) -> _Index:
    from ._learned import load_model
    from ._urls import registrable_domain

    # Plain words (phoenix, gazette, support) name many innocent sites: a brand
    # must be a name, so an unknown "gazette.com.au" is not taken for a fake.
    words = load_model().spec.vocab | _COMMON_LABELS
    brands: dict[str, str] = {}
    ranks: dict[str, tuple[float, int, str]] = {}
    for key in priors:
        prior = priors.get(key)
        if prior is None or prior.mean < RELIABLE or "/" in key:
            continue
        brand = _brand(key)
        if len(brand) < _MIN_BRAND or brand in words or prior.category == "shortener":
            continue
        if registrable_domain(key)[0] != key:
            continue  # support.google.com: a section of a site, not a brand
        # The outlet's main domain: the surest entry, then the shortest.
        rank = (-prior.strength, len(key), key)
        if brand not in ranks or rank < ranks[brand]:
            ranks[brand] = rank
            brands[brand] = key
    skeletons = {_skeleton(b): d for b, d in brands.items()}
    domains = frozenset(
        key
        for key in priors
        if "/" not in key and "." in key and (p := priors.get(key)) and p.mean >= RELIABLE
    )
    famous = {}
    for brand, key in brands.items():
        prior = priors.get(key)
        if prior and prior.strength >= _FAMOUS_STRENGTH and prior.category in _OUTLETS:
            famous[brand] = key
    # Every typo of every major brand, made once, so that checking a name is a lookup.
    typos: dict[str, tuple[str, str]] = {}
    for brand in famous:
        if len(brand) < 5:
            continue
        for i in range(len(brand)):
            typos.setdefault(brand[: i + 1] + brand[i:], (brand, "with a doubled letter"))
        for i in range(len(brand) - 1):
            if brand[i] != brand[i + 1]:
                swap = brand[:i] + brand[i + 1] + brand[i] + brand[i + 2 :]
                typos.setdefault(swap, (brand, "with two letters swapped"))
    lengths = tuple(sorted({len(b) for b in famous}))
    return _Index(brands, skeletons, domains, famous, typos, lengths)


def _decode(label: str) -> str:
    if label.startswith("xn--"):
        try:
            return label.encode("ascii").decode("idna")
        except UnicodeError:
            return label
    return label


def _spelled_inside(host: str, domain: str, reliable: frozenset[str]) -> str | None:
    """A reliable domain spelled inside ``host`` (``nature.com.evil.io``), if any."""
    labels = host.split(".")
    n_sub = len(labels) - domain.count(".") - 1
    # In the subdomains, or reaching into a registrable "com"/"org" (cnn.com.de).
    last = n_sub + 1 if 0 <= n_sub < len(labels) and labels[n_sub] in _GENERIC_LABELS else n_sub
    # A spelled domain needs two labels before ``last`` or a glued hyphen: most hosts have neither.
    for i in range(len(labels) - 1 if last >= 2 or "-" in host else 0):
        for j in range(i + 2, min(i + 3, len(labels)) + 1):
            whole = ".".join(labels[i:j])
            # "nytimes.com-article.info": a domain glued to a word by a hyphen.
            glued = ".".join([*labels[i : j - 1], labels[j - 1].split("-", 1)[0]])
            for spelled in ((whole,) if j <= last else ()) + ((glued,) if glued != whole else ()):
                if spelled in reliable:
                    return spelled
    return None


def find_lookalike(host: str, domain: str, suffix: str, priors: Priors) -> Lookalike | None:
    """Return the reliable outlet that ``domain`` (served at ``host``) imitates, if any.

    Not cached here: :meth:`Priors.lookup`, its one caller, caches its answer.
    """
    index = _index(priors)
    # A registrable domain served at itself, with no hyphen, has nothing spelled inside it.
    if host != domain or "-" in host:
        spelled = _spelled_inside(host, domain, index.domains)
        if spelled is not None:
            return Lookalike(spelled, f"{spelled} is spelled inside the host")
    label = domain[: -len(suffix) - 1] if suffix and domain.endswith("." + suffix) else domain
    if "." in label or len(label) < _MIN_BRAND or label in _COMMON_LABELS:
        return None
    same_brand = index.brands.get(label)
    if same_brand is not None:
        # "abcnews.com.co": a generic label before a country code mimics ".com".
        if suffix.count(".") >= 1 and suffix.split(".")[0] in _GENERIC_LABELS:
            return Lookalike(same_brand, f"suffix trick: .{suffix}")
        return None  # same brand on another national suffix may be the outlet's own
    # A label with no confusable character is its own skeleton, which no brand matches:
    # ASCII letters without "rn" or "vv", most names, skip making it.
    plain = label.isascii() and label.isalpha() and "rn" not in label and "vv" not in label
    if not plain:
        skeleton = _skeleton(_decode(label) if label.startswith("xn--") else label)
        if skeleton != label and skeleton in index.skeletons:
            return Lookalike(index.skeletons[skeleton], "confusable characters")
    famous = index.famous
    typo = index.typos.get(label)
    if typo is not None and typo[0] != label:
        return Lookalike(famous[typo[0]], f"{typo[0]!r} {typo[1]}")
    # Brand plus filler: the label must end (brand first) or start (brand last) with a
    # filler word, which most names do not; then only cuts at a brand's length can match.
    bare = label.replace("-", "")  # hyphens may split a filler word: "no-w", "up-dates"
    first = bare[-2:] in _FILLER_TAILS and bare.endswith(_FILLER_WORDS)
    last_word = bare[:2] in _FILLER_HEADS and bare.startswith(_FILLER_WORDS)
    if not (first or last_word):
        return None
    for cut in index.famous_lengths:
        if cut >= len(label):
            break
        cuts: tuple[tuple[str, str], ...] = ((label[:cut], label[cut:]),) if first else ()
        cuts += ((label[-cut:], label[:-cut]),) if last_word else ()
        for brand, rest in cuts:
            if brand in famous and _is_filler(rest.replace("-", "")):
                return Lookalike(famous[brand], f"brand {brand!r} plus {rest.strip('-')!r}")
    return None
