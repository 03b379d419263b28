"""Searches over one text that remember their last answer, so that scans stay linear.

A scanner that meets the same unclosed construct again and again (``[[[[...``,
``<ref>`` after ``<ref>``) would search from each one to the end of the text
for its close: quadratic on hostile input. Searching forward for a needle
from ``pos`` up to ``end`` gives the same answer from any later ``pos`` that
is not past it, so one answer per (needle, end) serves a whole scan.
"""

from __future__ import annotations

import re

__all__ = ["SearchMemo"]


class SearchMemo:
    """``str.find`` and ``Pattern.search`` over one text, each answer remembered per end.

    One memo serves one text: the caller makes a new one for another text.
    """

    __slots__ = ("_last",)

    def __init__(self) -> None:
        self._last: dict[tuple[object, int], tuple[int, int]] = {}

    def _recall(self, key: tuple[object, int], pos: int) -> int | None:
        last = self._last.get(key)
        if last is not None and last[0] <= pos and (last[1] < 0 or last[1] >= pos):
            return last[1]
        return None

    def find(self, text: str, needle: str, pos: int, end: int) -> int:
        """``text.find(needle, pos, end)``."""
        found = self._recall((needle, end), pos)
        if found is None:
            found = text.find(needle, pos, end)
            self._last[needle, end] = (pos, found)
        return found

    def search(
        self, text: str, pattern: re.Pattern[str], pos: int, end: int
    ) -> re.Match[str] | None:
        """``pattern.search(text, pos, end)``."""
        at = self._recall((pattern, end), pos)
        if at is not None:
            return None if at < 0 else pattern.search(text, at, end)
        found = pattern.search(text, pos, end)
        self._last[pattern, end] = (pos, -1 if found is None else found.start())
        return found
