"""Numbers as a claim and a page write them: digits, words, money, percentages, scales, dates.

``$53 billion``, ``53 billion dollars`` and ``$53bn`` are one value; ``26%``
is ``26 percent`` but not a bare ``26``; ``1.2 million`` is anything that
rounds to it, while ``2021`` is only itself; ``three`` is a number that may
also be written ``3``. A month's abbreviation (``Dec.``) stands for its name,
so that a date matches however it is written.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

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
_NUMBER_RE: Final = re.compile(_NUMBER)


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
