"""Words and numbers of a text, and the keys they are matched by.

A word's key is its lower-cased, lightly stemmed form (``released`` is
``release``), ``None`` for a stopword; a number's key is its value, so that
``$5m`` and ``5 million dollars`` share one.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Final

from ._numbers import _MONTHS, _NUMBER, _NUMBER_WORDS, _Num, _num_key, _number

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
_WORD: Final = r"[^\W\d_]+(?:['’][^\W\d_]+)*"
_TOKEN_RE: Final = re.compile(rf"{_NUMBER}|(?P<word>{_WORD})")
_WORD_RE: Final = re.compile(_WORD)
_DIGIT_RE: Final = re.compile(r"\d")


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


# A sentence with no digit may still hold a number when it has one of these keys ("three").
_NUMBER_WORD_KEYS: Final = frozenset(k for k in map(_word_key, _NUMBER_WORDS) if k)
