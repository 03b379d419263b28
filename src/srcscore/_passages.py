"""Finding the passage of a page that best covers a claim's items.

The page is split into sentences (over-long ones into chunks of words) and
ranked with BM25 (pure Python, its IDF computed over the page's own
sentences) against the items' words; the passages tried are the windows of up
to ``window`` consecutive sentences around the best-ranked ones, each scored
by the weighted share of the items it contains, capped when it lacks a
number or a name.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Iterable, Sequence
from typing import Final, NamedTuple

from ._claimparts import _exact, _Item
from ._numbers import _NUMBER_RE, _Num, _num_key, _num_matches, _number
from ._supportparams import _Params
from ._tokenize import _DIGIT_RE, _NUMBER_WORD_KEYS, _TOKEN_RE, _WORD_RE, _tokens, _word_key

_MAX_CHARS: Final = 2_000_000
_MAX_SENTENCES: Final = 10_000
_CHUNK_WORDS: Final = 60  # a "sentence" longer than this is cut into chunks
_SENTENCE_RE: Final = re.compile(r"(?<=[.!?。])\s+|(?<=[.!?。][\"'”’)\]])\s+|\n+")


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
        self._positions: dict[str, list[int]] | None = None
        self._num_at: list[int] = []  # positions of the page's numbers, ascending
        self._nums: list[_Num] = []  # and the numbers themselves
        self._num_where: dict[_Num, list[int]] = {}

    @property
    def positions(self) -> dict[str, list[int]]:
        """Where each word key occurs in the page's sequence of content tokens.

        Numbers take a place in the sequence too, kept apart (``_num_at``) because
        they match by value and rounding, not by key. Built on first use.
        """
        if self._positions is None:
            self._positions = {}
            n = 0
            positions = self._positions
            for s in self.sentences:
                if not s.nums:
                    # Fast path (most sentences): words only, keys from the cache.
                    for key in map(_word_key, _WORD_RE.findall(s.text)):
                        if key:
                            if key in positions:
                                positions[key].append(n)
                            else:
                                positions[key] = [n]
                            n += 1
                    continue
                # As _tokens does, without a token object per word.
                for m in _TOKEN_RE.finditer(s.text):
                    if m.group("num") is not None:
                        num = _number(m)
                        if num is None:
                            continue
                        self._num_at.append(n)
                        self._nums.append(num)
                    else:
                        key = _word_key(m.group("word"))
                        if not key:
                            continue
                        positions.setdefault(key, []).append(n)
                    n += 1
        return self._positions

    def _where(self, term: str | _Num) -> list[int]:
        if isinstance(term, str):
            return self.positions.get(term, [])
        if term not in self._num_where:
            self.positions  # noqa: B018 - builds the number positions
            pairs = zip(self._num_at, self._nums, strict=True)
            self._num_where[term] = [at for at, num in pairs if _num_matches(term, num)]
        return self._num_where[term]

    def near(self, a: str | _Num, b: str | _Num, gap: int) -> bool:
        """Whether ``a`` and ``b`` (keys or numbers) lie within ``gap`` tokens of each other."""
        pa, pb = self._where(a), self._where(b)
        if len(pa) > len(pb):
            pa, pb = pb, pa
        for x in pa:
            i = bisect.bisect_left(pb, x - gap)
            if i < len(pb) and pb[i] <= x + gap:
                return True
        return False

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


def _pair_share(page: _Page, items: Sequence[_Item]) -> float | None:
    """The share of the claim's neighbouring word pairs that the page has close together.

    Words and numbers that are neighbours in the claim (stopwords skipped) should
    be near each other on the page too (within ``pair_gap`` content words, in either
    order): "support vector machines" is more than "support", "vector" and
    "machines" scattered over the page. ``None`` when the claim has no such pair.
    """
    terms: list[str | _Num] = []
    for it in items:
        if it.num is not None:
            terms.append(it.num)
        else:
            terms.extend(it.keys)
    pairs = [(a, b) for a, b in itertools.pairwise(terms) if a != b]
    if not pairs:
        return None
    gap = page.params.pair_gap
    return sum(1 for a, b in pairs if page.near(a, b, gap)) / len(pairs)


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
