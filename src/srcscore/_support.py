"""Does a cited text support a claim? A lexical, offline measure.

The cited text is split into sentences (over-long ones into chunks of words).
The claim is split into **parts** at clause boundaries (``;``, ``, and``,
``, which``, `` but ``, `` — ``…) so that partial support shows. For each part:

1. **retrieval**: the page's sentences are ranked with BM25 (pure Python, its
   IDF computed over the page's own sentences) against the part's words; the
   passages considered are the windows of up to three consecutive sentences
   around the best-ranked ones;
2. **coverage**: a passage's support of the part is the share of the part's
   content words (lightly stemmed: ``released`` is ``release``) that it
   contains, a number counting as two words. Weighting the words by their IDF
   over the page's sentences is built in (``_Params.idf_weight``) but off by
   default: on the tuning half of WiCE it ranked claims worse than equal
   weights (see ``benchmarks/README.md``);
3. **exact parts**: numbers with their percent sign, currency and scale
   (``$53 billion`` is ``53 billion dollars`` is ``$53bn``; ``26%`` is
   ``26 percent`` but not a bare ``26``; ``1.2 million`` is anything that rounds
   to it), years and day numbers of dates (``25 December 2021`` is
   ``Dec. 25, 2021``), and named entities (capitalised multiword names such as
   ``Media Play News``; a passage may shorten a name the page gives in full)
   must be in the passage. One that is not is an unsupported part and caps
   the part's score (0.5 for a number, 0.6 for a name).

The claim's score is a soft minimum of its parts' scores (a quarter the
lowest part, three quarters their mean weighted by size): an unsupported part
pulls the claim down, and ``parts`` says which one. ``missing`` names what the
passages lack in the claim's own words (``"26%"``, ``"$53 billion"``,
``"June quarter"``).

This is a lexical measure: it misses paraphrases and cannot tell a negation.
It is not calibrated as a probability; it is the share of the claim the cited
text is seen to cover.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, NamedTuple

__all__ = ["PartSupport", "SupportResult", "support"]


class PartSupport(NamedTuple):
    """How well the text supports one part (clause) of the claim."""

    text: str
    score: float
    passage: str
    missing: tuple[str, ...] = ()


class SupportResult(NamedTuple):
    """How well one text supports one claim.

    ``score`` is in [0, 1]; ``passage`` is the best passage for the whole
    claim; ``missing`` names, in the claim's own words, what the best passages
    of its parts lack. ``parts`` scores each clause of the claim on its own,
    and the ``numbers_*`` and ``entities_missing`` fields list the parts that
    must match exactly.
    """

    score: float
    passage: str
    missing: tuple[str, ...]
    parts: tuple[PartSupport, ...] = ()
    numbers_matched: tuple[str, ...] = ()
    numbers_missing: tuple[str, ...] = ()
    entities_missing: tuple[str, ...] = ()


# --- parameters -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Params:
    """The knobs of the measure; the defaults were chosen on half of WiCE dev."""

    window: int = 3  # sentences per passage, at most
    candidates: int = 20  # best BM25 sentences around which passages are tried
    idf_weight: float = 0.0  # weight of a word = 1 + idf_weight * its IDF over the page
    number_weight: float = 2.0  # a number weighs this many words of average weight
    number_cap: float = 0.5  # a part missing a number scores at most this
    entity_cap: float = 0.6  # a part missing a named entity scores at most this
    min_share: float = 0.25  # claim score = min_share * min(parts) + rest * weighted mean
    spread: int = 0  # further sentences, anywhere on the page, that may add what a window lacks
    spread_weight: float = 0.5  # what they add counts this much
    neutral_absent: bool = True  # a word missing from the page weighs as a typical word
    split_parts: bool = True  # score the claim's clauses one by one
    entities: bool = True  # capitalised multiword names must match as a whole
    k1: float = 1.2  # BM25
    b: float = 0.75  # BM25


_DEFAULT: Final = _Params()
_MAX_CHARS: Final = 2_000_000
_MAX_SENTENCES: Final = 10_000
_CHUNK_WORDS: Final = 60  # a "sentence" longer than this is cut into chunks
_MIN_PART_TERMS: Final = 2  # a clause with fewer content items joins its neighbour

# --- tokens -----------------------------------------------------------------------------------

_STOPWORDS: Final = frozenset(
    """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his
    how i if in into is it its itself just me more most my myself no nor not now of off
    on once only or other our ours ourselves out over own same she should so some such
    than that the their theirs them themselves then there these they this those through
    to too under until up very was we were what when where which while who whom why will
    with would you your yours yourself yourselves according reported report reportedly
    said says say per cent percent it's company's new one may might must shall upon via
    within without whose whether yet us also including include includes among
    """.split()
)
# Words that may sit inside a capitalised name: "Bank of America", "Leonardo da Vinci".
_NAME_LINKS: Final = frozenset({"of", "de", "da", "del", "della", "di", "du", "van", "von", "der"})
_MONTHS: Final = {
    "jan": "january",
    "feb": "february",
    "mar": "march",
    "apr": "april",
    "jun": "june",
    "jul": "july",
    "aug": "august",
    "sep": "september",
    "sept": "september",
    "oct": "october",
    "nov": "november",
    "dec": "december",
}
_NUMBER_WORDS: Final = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES: Final = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "k": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "tn": 1e12,
    "hundred": 1e2,
}
_CURRENCY_WORDS: Final = r"dollars?|euros?|pounds?|yen|yuan|rupees?|usd|eur|gbp|cad|aud"
_NUMBER: Final = (
    r"(?P<num>"
    r"(?P<cur>[$€£¥₹]|\b(?i:us\$|usd|eur|gbp)\s?)?"
    r"(?P<val>\d+(?:,\d{3})+(?:\.\d+)?|\d*\.\d+|\d+"
    rf"|\b(?i:{'|'.join(_NUMBER_WORDS)})\b)"
    r"(?:(?<=\d)(?:st|nd|rd|th|s)\b)?"
    r"(?P<pct>\s?(?:%|(?i:percent|per\s?cent)\b))?"
    r"(?P<scale>\s?(?i:thousand|million|billion|trillion|hundred)\b"
    r"|(?i:bn|mn|mln|tn)\b|(?<=\d)(?i:[kmb])\b)?"
    rf"(?P<cur2>\s(?i:{_CURRENCY_WORDS})\b)?"
    r")"
)
_WORD: Final = r"[^\W\d_]+(?:['’][^\W\d_]+)*"
_TOKEN_RE: Final = re.compile(rf"{_NUMBER}|(?P<word>{_WORD})")
_NUMBER_RE: Final = re.compile(_NUMBER)
_WORD_RE: Final = re.compile(_WORD)
_DIGIT_RE: Final = re.compile(r"\d")
_SENTENCE_RE: Final = re.compile(r"(?<=[.!?。])\s+|(?<=[.!?。][\"'”’)\]])\s+|\n+")
_MARKER_RE: Final = re.compile(r"\s*\[\d+(?:[,–-]\s*\d+)*\]")
_LEADING_LINK_RE: Final = re.compile(
    r"^(?:and|but|while|whereas|which|although|though|where|who|yet|so)\s+", re.IGNORECASE
)
_PART_RE: Final = re.compile(
    r"\s*;\s*|\s+[—–]\s+|\s*—\s*"
    r"|,\s+(?:and|but|while|whereas|which|although|though|where|who|as well as|yet|so)\s+"
    r"|\s+(?:but|whereas|while|although)\s+",
    re.IGNORECASE,
)


_VOWELS: Final = frozenset("aeiouy")
_KEEP_S: Final = frozenset({"news", "series", "species", "always", "perhaps", "whereas", "lens"})


def _stem(word: str) -> str:
    """A light, deterministic stemmer: enough to match inflections, not derivations."""
    if len(word) <= 3 or word in _KEEP_S:
        return word[:-1] if len(word) == 3 and word.endswith("e") else word
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("sses", "ss")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + repl
    for suffix in ("ingly", "edly", "ing", "ed", "ly"):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 2 and _VOWELS.intersection(stem):
            word = stem
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # "stopped" -> "stop"
            break
    else:
        if word.endswith("es") and word[-3:-2] in ("s", "x", "z", "h") and len(word) > 4:
            word = word[:-2]
        elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
            word = word[:-1]
    # "release", "released" and "releases" all give "releas"; "agree(d)" gives "agr"
    while word.endswith("e") and len(word) > 2:
        word = word[:-1]
    return word


@functools.lru_cache(maxsize=1 << 16)
def _word_key(word: str) -> str | None:
    """The matching key of a word, or None for a stopword."""
    low = word.lower().replace("’", "'")
    if low.endswith("'s"):
        low = low[:-2]
    if low in _STOPWORDS or len(low) < 2:
        return None
    low = _MONTHS.get(low, low)
    return _stem(low)


class _Num(NamedTuple):
    value: float
    kind: str  # "pct", "money" or "plain"
    tol: float  # how far a text's value may be and still match (rounding)
    word: bool = False  # spelt out ("three"): matches "three" or "3", and is not exact
    bare: float | None = None  # "1.2m" without a currency: 1.2 million, or 1.2 (metres?)


def _number(match: re.Match[str]) -> _Num | None:
    raw = match.group("val")
    low = raw.lower()
    if low in _NUMBER_WORDS:
        value, decimals = float(_NUMBER_WORDS[low]), 0
    else:
        digits = raw.replace(",", "")
        try:
            value = float(digits)
        except ValueError:  # pragma: no cover - the regex only lets numbers through
            return None
        decimals = len(digits.split(".")[1]) if "." in digits else 0
    spelt = low in _NUMBER_WORDS
    scale_word = (match.group("scale") or "").strip().lower()
    money = bool(match.group("cur") or match.group("cur2"))
    scale = _SCALES.get(scale_word, 1.0)
    # "$5m" is five million dollars; a bare "1.2m" is 1.2 million, or 1.2 metres.
    bare = value if len(scale_word) == 1 and not money else None
    value *= scale
    kind = "pct" if match.group("pct") else ("money" if money else "plain")
    # "1.2 million" stands for anything that rounds to it; "2021" only for itself.
    tol = 0.5 * 10.0**-decimals * scale if scale > 1.0 else 1e-9 * max(1.0, abs(value))
    return _Num(value, kind, tol, spelt and scale == 1.0 and kind == "plain", bare)


def _num_key(num: _Num) -> str:
    return f"#{num.value:.6g}"


def _num_matches(want: _Num, have: _Num) -> bool:
    if want.kind == "pct" and have.kind != "pct":
        return False
    if want.kind == "money" and have.kind == "pct":
        return False
    tol = max(want.tol, 1e-9 * max(1.0, abs(want.value)))
    if abs(want.value - have.value) <= tol:
        return True
    # "1.2m" may be metres on either side: then it matches 1.2 exactly
    wants = (want.value,) if want.bare is None else (want.value, want.bare)
    haves = (have.value,) if have.bare is None else (have.value, have.bare)
    return any(abs(w - h) <= 1e-9 * max(1.0, abs(w)) for w in wants for h in haves)


@dataclass
class _Tok:
    start: int
    end: int
    key: str | None  # None: a stopword
    num: _Num | None
    capital: bool


def _tokens(text: str) -> list[_Tok]:
    out = []
    for m in _TOKEN_RE.finditer(text):
        if m.group("num") is not None:
            num = _number(m)
            if num is not None:
                key = _word_key(m.group()) if num.word else _num_key(num)
                out.append(_Tok(m.start(), m.end(), key, num, False))
            continue
        word = m.group("word")
        key = _word_key(word)
        out.append(_Tok(m.start(), m.end(), key, None, word[:1].isupper()))
    return out


class _Sentence(NamedTuple):
    text: str
    keys: frozenset[str]
    nums: tuple[_Num, ...]
    length: int


def _sentences(text: str) -> list[_Sentence]:
    out: list[_Sentence] = []
    for piece in _SENTENCE_RE.split(text[:_MAX_CHARS]):
        piece = piece.strip()
        if not piece:
            continue
        words = _WORD_RE.findall(piece)
        if len(words) <= _CHUNK_WORDS:
            # Fast path: the keys _tokens gives (and a few harmless extra ones such as
            # "million" from "$5 million"), without a token object per word.
            keys = {k for k in map(_word_key, words) if k}
            nums: tuple[_Num, ...] = ()
            if _DIGIT_RE.search(piece) or not _NUMBER_WORD_KEYS.isdisjoint(keys):
                found = (_number(m) for m in _NUMBER_RE.finditer(piece))
                nums = tuple(n for n in found if n is not None)
                keys.update(_num_key(n) for n in nums if not n.word)
            if keys or nums:
                out.append(_Sentence(piece, frozenset(keys), nums, len(words) + len(nums)))
            if len(out) >= _MAX_SENTENCES:
                return out
            continue
        toks = _tokens(piece)
        # An over-long "sentence" (a page without punctuation) is cut into chunks.
        for i in range(0, max(len(toks), 1), _CHUNK_WORDS):
            chunk = toks[i : i + _CHUNK_WORDS]
            if not chunk:
                continue
            start = 0 if i == 0 else chunk[0].start
            end = len(piece) if i + _CHUNK_WORDS >= len(toks) else chunk[-1].end
            chunk_keys = frozenset(t.key for t in chunk if t.key)
            chunk_nums = tuple(t.num for t in chunk if t.num is not None)
            out.append(_Sentence(piece[start:end].strip(), chunk_keys, chunk_nums, len(chunk)))
            if len(out) >= _MAX_SENTENCES:
                return out
    return out


_NUMBER_WORD_KEYS: Final = frozenset(k for k in map(_word_key, _NUMBER_WORDS) if k)

# --- the claim --------------------------------------------------------------------------------


@dataclass
class _Item:
    """One thing the claim asserts that the passage must carry."""

    keys: tuple[str, ...]  # a word: its key; a name: its words' keys
    num: _Num | None
    surface: str
    start: int
    end: int
    entity: bool = False

    def __post_init__(self) -> None:
        # A number in digits must match exactly; a spelt-out one ("three") is a word.
        self.exact = self.num is not None and not self.num.word
        # The common case, one plain word, is checked fast.
        self.plain = self.num is None and not self.entity and len(self.keys) == 1


@dataclass
class _Part:
    text: str
    items: list[_Item]


def _entities(claim: str, toks: list[_Tok]) -> list[tuple[int, int]]:
    """Token index ranges of capitalised multiword names in the claim."""
    spans = []
    i = 0
    while i < len(toks):
        if not (toks[i].capital and toks[i].key):
            i += 1
            continue
        j = i + 1
        while j < len(toks):
            tok = toks[j]
            gap = claim[toks[j - 1].end : tok.start]
            if gap.strip(" -'") or "\n" in gap:
                break  # punctuation ends a name
            if tok.capital and (tok.key or tok.num is None):
                j += 1
                continue
            word = claim[tok.start : tok.end].lower()
            if (
                word in _NAME_LINKS
                and j + 1 < len(toks)
                and toks[j + 1].capital
                and not claim[tok.end : toks[j + 1].start].strip()
            ):
                j += 1
                continue
            break
        named = [t for t in toks[i:j] if t.key]
        if len(named) >= 2:
            spans.append((i, j))
        i = j
    return spans


def _items(claim: str, params: _Params) -> list[_Item]:
    toks = _tokens(claim)
    entity_of: dict[int, tuple[int, int]] = {}
    for lo, hi in _entities(claim, toks) if params.entities else ():
        for k in range(lo, hi):
            entity_of[k] = (lo, hi)
    items: list[_Item] = []
    k = 0
    while k < len(toks):
        tok = toks[k]
        if k in entity_of:
            lo, hi = entity_of[k]
            keys = tuple(dict.fromkeys(t.key for t in toks[lo:hi] if t.key and t.num is None))
            start, end = toks[lo].start, toks[hi - 1].end
            items.append(_Item(keys, None, claim[start:end], start, end, entity=True))
            k = hi
            continue
        if tok.key is not None:
            surface = claim[tok.start : tok.end]
            items.append(_Item((tok.key,), tok.num, surface, tok.start, tok.end))
        k += 1
    return items


def _parts(claim: str, params: _Params) -> list[_Part]:
    """Split the claim into clauses; a clause too small to stand alone joins its neighbour."""
    bounds = [0]
    for m in _PART_RE.finditer(claim) if params.split_parts else ():
        bounds += [m.start(), m.end()]
    bounds.append(len(claim))
    spans = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
    items = _items(claim, params)
    parts: list[tuple[int, int, list[_Item]]] = []
    for lo, hi in spans:
        own = [it for it in items if lo <= it.start < hi]
        if parts and (len(own) < _MIN_PART_TERMS or len(parts[-1][2]) < _MIN_PART_TERMS):
            plo, _, pitems = parts[-1]
            parts[-1] = (plo, hi, pitems + own)
        else:
            parts.append((lo, hi, own))
    out = []
    for lo, hi, own in parts:
        # A word or number said twice is asserted once.
        seen: set[tuple[tuple[str, ...], _Num | None]] = set()
        unique = []
        for it in own:
            if (it.keys, it.num) not in seen:
                seen.add((it.keys, it.num))
                unique.append(it)
        own = unique
        text = _LEADING_LINK_RE.sub("", claim[lo:hi].strip(" \t\n,;:.—–"))
        out.append(_Part(text, own))
    return [p for p in out if p.items] or [_Part(claim.strip(), [])]


# --- the page ---------------------------------------------------------------------------------


class _Page:
    def __init__(self, sentences: Sequence[_Sentence], params: _Params) -> None:
        self.sentences = sentences
        self.params = params
        self.n = len(sentences)
        self.postings: dict[str, list[int]] = {}
        for i, s in enumerate(sentences):
            for key in s.keys:
                self.postings.setdefault(key, []).append(i)
        self.df = {key: len(where) for key, where in self.postings.items()}
        self.avg_len = sum(s.length for s in sentences) / self.n if self.n else 1.0
        self._num_df: dict[_Num, int] = {}
        self._full: dict[tuple[str, ...], bool] = {}

    def has_all(self, keys: tuple[str, ...]) -> bool:
        """Whether one sentence of the page has all of ``keys``."""
        if keys not in self._full:
            where = [set(self.postings.get(k, ())) for k in keys]
            self._full[keys] = bool(where and set.intersection(*where))
        return self._full[keys]

    def idf(self, df: int) -> float:
        return math.log(1.0 + (self.n - df + 0.5) / (df + 0.5))

    def item_df(self, item: _Item) -> int:
        if _exact(item):
            assert item.num is not None
            if item.num not in self._num_df:
                want = item.num
                self._num_df[want] = sum(
                    1 for s in self.sentences if any(_num_matches(want, h) for h in s.nums)
                )
            return self._num_df[item.num]
        return min(self.df.get(k, 0) for k in item.keys)

    def bm25(self, keys: Iterable[tuple[str, float]]) -> list[float]:
        k1, b = self.params.k1, self.params.b
        scores = [0.0] * self.n
        for key, idf in keys:
            for i in self.postings.get(key, ()):
                norm = k1 * (1.0 - b + b * self.sentences[i].length / self.avg_len)
                scores[i] += idf * (k1 + 1.0) / (1.0 + norm)
        return scores


def _exact(item: _Item) -> bool:
    """Whether the item must match exactly (a number in digits, not a spelt-out one)."""
    return item.exact


def _found(item: _Item, keys: frozenset[str], nums: Sequence[_Num], page: _Page) -> bool:
    if item.num is not None and any(_num_matches(item.num, h) for h in nums):
        return True
    if item.exact:
        return False
    if all(k in keys for k in item.keys):
        return True
    # A name the page spells out in full may be shortened in the passage ("Aoki").
    return item.entity and any(k in keys for k in item.keys) and page.has_all(item.keys)


class _Best(NamedTuple):
    score: float
    sentences: tuple[int, ...]  # indices of the passage's sentences, in page order
    missing: tuple[_Item, ...]


def _evaluate(
    page: _Page, items: list[_Item], weights: list[float], idx: Iterable[int]
) -> tuple[float, tuple[_Item, ...]]:
    sents = [page.sentences[i] for i in idx]
    keys = frozenset().union(*(s.keys for s in sents)) if len(sents) > 1 else sents[0].keys
    nums = [n for s in sents for n in s.nums]
    total = covered = 0.0
    missing = []
    for it, w in zip(items, weights, strict=True):
        total += w
        if it.keys[0] in keys if it.plain else _found(it, keys, nums, page):
            covered += w
        else:
            missing.append(it)
    return (covered / total if total else 0.0), tuple(missing)


def _capped(score: float, missing: Sequence[_Item], params: _Params) -> float:
    for it in missing:
        if it.exact:
            score = min(score, params.number_cap)
        elif it.entity:
            score = min(score, params.entity_cap)
    return score


def _weights(page: _Page, items: list[_Item]) -> list[float]:
    """Each item's weight: 1 for a word (plus its IDF share), more for a number."""
    params = page.params
    dfs = [page.item_df(it) for it in items]
    on_page = [page.idf(df) for it, df in zip(items, dfs, strict=True) if df and not it.exact]
    # A word the page never uses weighs as a typical word of the claim the page does
    # use: its absence is the evidence, not its rarity.
    typical = sum(on_page) / len(on_page) if on_page else page.idf(0)
    idf = [
        page.idf(df) if df or not params.neutral_absent else typical
        for it, df in zip(items, dfs, strict=True)
    ]
    words = [w for it, w in zip(items, idf, strict=True) if not it.exact]
    mean_word = 1.0 + params.idf_weight * (sum(words) / len(words) if words else 1.0)
    return [
        params.number_weight * mean_word if it.exact else 1.0 + params.idf_weight * w
        for it, w in zip(items, idf, strict=True)
    ]


def _best_passage(page: _Page, items: list[_Item]) -> _Best:
    """The passage of the page that best covers ``items``, and what it lacks.

    The passage is the best window of up to ``window`` consecutive sentences,
    around the sentences BM25 ranks best. With ``spread`` > 0, words (not numbers
    or names) the window lacks may be found in that many further sentences
    elsewhere on the page, and count ``spread_weight`` times.
    """
    params = page.params
    weights = _weights(page, items)
    query: dict[str, float] = {}
    for it, w in zip(items, weights, strict=True):
        for k in it.keys:
            query[k] = max(query.get(k, 0.0), w)
    ranked = page.bm25(query.items())
    order = sorted(range(page.n), key=lambda i: -ranked[i])[: params.candidates]
    windows: set[tuple[int, int]] = set()
    for i in order:
        if ranked[i] <= 0.0 and windows:
            break
        for width in range(1, params.window + 1):
            for start in range(max(0, i - width + 1), min(i, page.n - width) + 1):
                windows.add((start, width))
    best: tuple[float, int, float, int] | None = None  # (score, -width, bm25, -start)
    for start, width in windows:
        raw, missing = _evaluate(page, items, weights, range(start, start + width))
        rank = sum(ranked[start : start + width])
        # On a tie the shorter passage wins (it is the one to quote), then the better ranked.
        key = (round(_capped(raw, missing, params), 9), -width, rank, -start)
        if best is None or key > best:
            best = key
    if best is None:
        return _Best(0.0, (), tuple(items))
    chosen = list(range(-best[3], -best[3] - best[1]))
    raw, missing = _evaluate(page, items, weights, chosen)
    extra = 0.0
    for _ in range(params.spread):
        # Numbers and names must be in the passage itself; only words may come from afar.
        loose = [it for it in missing if not it.exact and not it.entity]
        wanted = {k for it in loose for k in it.keys}
        pool = {i for k in wanted for i in page.postings.get(k, ())} - set(chosen)
        if not pool:
            break

        def gain(i: int, loose: list[_Item] = loose) -> tuple[float, float, int]:
            sentence = page.sentences[i]
            got = sum(
                w
                for it, w in zip(items, weights, strict=True)
                if any(it is x for x in loose) and _found(it, sentence.keys, sentence.nums, page)
            )
            return got, ranked[i], -i

        got, _, neg = max(gain(i) for i in pool)
        if got <= 0.0:
            break
        chosen.append(-neg)
        extra += got
        found_far = {id(it) for it in loose if _found(it, *_keys_nums(page, [-neg]), page)}
        missing = tuple(it for it in missing if id(it) not in found_far)
    total = sum(weights)
    score = raw + params.spread_weight * extra / total if total else 0.0
    return _Best(_capped(score, missing, params), tuple(sorted(chosen)), missing)


def _keys_nums(page: _Page, idx: Iterable[int]) -> tuple[frozenset[str], list[_Num]]:
    sents = [page.sentences[i] for i in idx]
    return frozenset().union(*(s.keys for s in sents)), [n for s in sents for n in s.nums]


# --- the answer -------------------------------------------------------------------------------


def _describe(items: Sequence[_Item], claim: str, lacking: Iterable[_Item]) -> list[str]:
    """Missing items as the claim words them: adjacent missing words form one phrase."""
    gone = {id(it) for it in lacking}
    phrases: list[str] = []
    run: list[_Item] = []

    def flush() -> None:
        if run:
            phrases.append(claim[run[0].start : run[-1].end])
            run.clear()

    for it in items:
        if id(it) not in gone:
            flush()
            continue
        if _exact(it) or it.entity:
            flush()
            phrases.append(it.surface)
            continue
        if run:
            gap = claim[run[-1].end : it.start]
            # a phrase bridges at most two small words, and no punctuation or number
            if (
                any(c in gap for c in ',;:()[]"“”—–')
                or len(gap.split()) > 2
                or _DIGIT_RE.search(gap)
            ):
                flush()
        run.append(it)
    flush()
    return phrases


def _passage(page: _Page, best: _Best) -> str:
    if best.score <= 0.0:
        return ""  # nothing of the claim is there: no passage to quote
    out = ""
    for n, i in enumerate(best.sentences):
        if n:
            out += " " if i == best.sentences[n - 1] + 1 else " … "
        out += page.sentences[i].text
    return out


@functools.lru_cache(maxsize=8)
def _page(text: str, params: _Params) -> _Page:
    """The parsed page; the last few are kept, as one cited text often backs several claims."""
    return _Page(_sentences(text), params)


def support(claim: str, text: str) -> SupportResult:
    """Score how well ``text`` supports ``claim``, in [0, 1], with the best passage.

    A claim with no content words gets 0; so does an empty text. See the module
    documentation for the method.
    """
    return _support(claim, text, _DEFAULT)


def _support(claim: str, text: str, params: _Params) -> SupportResult:
    claim = _MARKER_RE.sub("", claim)
    parts = _parts(claim, params)
    items = [it for p in parts for it in p.items]
    page = _page(text, params)
    if not items or not page.n:
        missing = tuple(dict.fromkeys(_describe(items, claim, items)))
        nums = tuple(it.surface for it in items if _exact(it))
        ents = tuple(it.surface for it in items if it.entity)
        part_results = tuple(
            PartSupport(p.text, 0.0, "", tuple(_describe(p.items, claim, p.items))) for p in parts
        )
        return SupportResult(0.0, "", missing, part_results, (), nums, ents)

    whole = _best_passage(page, items)
    bests = [whole] if len(parts) == 1 else [_best_passage(page, p.items) for p in parts]
    part_results = tuple(
        PartSupport(
            p.text,
            round(b.score, 4),
            _passage(page, b),
            tuple(dict.fromkeys(_describe(p.items, claim, b.missing))),
        )
        for p, b in zip(parts, bests, strict=True)
    )
    lacking = [it for b in bests for it in b.missing]
    sizes = [float(len(p.items)) for p in parts]
    mean = sum(s * b.score for s, b in zip(sizes, bests, strict=True)) / sum(sizes)
    low = min(b.score for b in bests)
    score = params.min_share * low + (1.0 - params.min_share) * mean
    gone = {id(it) for it in lacking}
    return SupportResult(
        score=round(min(1.0, max(0.0, score)), 4),
        passage=_passage(page, whole),
        missing=tuple(dict.fromkeys(_describe(items, claim, lacking))),
        parts=part_results,
        numbers_matched=tuple(it.surface for it in items if _exact(it) and id(it) not in gone),
        numbers_missing=tuple(it.surface for it in items if _exact(it) and id(it) in gone),
        entities_missing=tuple(it.surface for it in items if it.entity and id(it) in gone),
    )
