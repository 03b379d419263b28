"""A claim as the things it asserts: its clauses (parts) and, in each, the items to find.

An item is a content word, a number, or a capitalised multiword name
(``Media Play News``); a number in digits and a name must match as a whole.
The claim is split into parts at clause boundaries (``;``, ``, and``,
``, which``, `` but ``, `` — ``...) so that partial support shows; a clause
too small to stand alone joins its neighbour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from ._numbers import _Num
from ._supportparams import _Params
from ._tokenize import _Tok, _tokens

_MIN_PART_TERMS: Final = 2  # a clause with fewer content items joins its neighbour
# Words that may sit inside a capitalised name: "Bank of America", "Leonardo da Vinci".
_NAME_LINKS: Final = frozenset({"of", "de", "da", "del", "della", "di", "du", "van", "von", "der"})
_LEADING_LINK_RE: Final = re.compile(
    r"^(?:and|but|while|whereas|which|although|though|where|who|yet|so)\s+", re.IGNORECASE
)
_PART_RE: Final = re.compile(
    r"\s*;\s*|\s+[—–]\s+|\s*—\s*"
    r"|,\s+(?:and|but|while|whereas|which|although|though|where|who|as well as|yet|so)\s+"
    r"|\s+(?:but|whereas|while|although)\s+",
    re.IGNORECASE,
)


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


def _exact(item: _Item) -> bool:
    """Whether the item must match exactly (a number in digits, not a spelt-out one)."""
    return item.exact


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
