"""Wikitext -> nodes with the built-in scanner: text, templates, links, ``<ref>`` tags...

The scanner handles the common cases of Wikipedia's markup without a
dependency; each :class:`Node` keeps its offsets in the input, so claims can
point back at their source. :mod:`._wikimw` makes the same nodes with
mwparserfromhell when it is installed.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

from ._searchmemo import SearchMemo

__all__ = ["Node"]


@dataclass
class Node:
    """A piece of wikitext at ``[start, end)`` of the input.

    ``kind`` is one of ``text``, ``entity``, ``template``, ``wikilink``,
    ``extlink``, ``ref``, ``references``, ``heading``, ``list``, ``br``,
    ``para``, ``tag`` (formatting around ``children``) and ``skip``.
    """

    kind: str
    start: int
    end: int
    text: str = ""  # text, entity: what is shown; wikilink: target; extlink: URL; list: markers
    children: list[Node] | None = None  # link label, heading title, tag contents
    params: list[tuple[str | None, str]] = field(default_factory=list)  # template
    level: int = 0  # heading


# --- the built-in scanner -----------------------------------------------------------------

_HEADING_LINE_RE: Final = re.compile(r"(={1,6})(.+?)(={1,6})[ \t]*(?:<!--.*?-->[ \t]*)*$", re.M)
_LIST_RE: Final = re.compile(r"[*#:;]+")
_HR_RE: Final = re.compile(r"-{4,}")
_TAG_RE: Final = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b((?:[^<>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>"
)
_ENTITY_RE: Final = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_MAGIC_RE: Final = re.compile(r"__[A-Z]+__")
_QUOTES_RE: Final = re.compile(r"'{2,5}")
_EXTLINK_START_RE: Final = re.compile(r"\[(?:https?:)?//", re.IGNORECASE)
_SKIP_CONTENT: Final = frozenset(
    """
    math gallery score syntaxhighlight source timeline imagemap templatedata graph mapframe
    maplink chem ce hiero inputbox categorytree charinsert indicator
    """.split()
)
_BLOCK_TAGS: Final = frozenset({"p", "div", "blockquote", "center", "table", "ul", "ol", "li"})
_SPECIAL: Final = re.compile(r"<|\{\{|\[|'{2}|&|__|\n")


class _Memo(SearchMemo):
    """What one scan of a text learned, so that unclosed constructs cost linear time.

    Without it every unclosed ``{{``, ``[[``, ``<ref>`` or ``[http`` searches to
    the end of the text for its close, which is quadratic on hostile input.
    One memo serves one text (a :func:`_scan` and its recursive calls).
    """

    __slots__ = ("braces",)

    def __init__(self) -> None:
        super().__init__()
        self.braces: dict[tuple[int, str, str], _BraceIndex] = {}


@dataclass
class _BraceIndex:
    """The tokens of one failed brace search: where each is and the depth after it.

    ``min_after[k]`` is the least depth after tokens ``k, k+1, ...``: a search
    that joins this token stream knows at once whether its close ever comes.
    """

    starts: list[int]
    ends: list[int]
    depths: list[int]
    min_after: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        low = 1 << 62
        self.min_after = [low] * (len(self.depths) + 1)
        for k in range(len(self.depths) - 1, -1, -1):
            low = min(low, self.depths[k])
            self.min_after[k] = low


_TOKEN_OVERHANG: Final = len("<nowiki>") - 1


@lru_cache(maxsize=8)
def _brace_tokens(open_: str, close: str) -> re.Pattern[str]:
    return re.compile("<!--|<nowiki>|" + re.escape(open_) + "|" + re.escape(close))


def _match_braces(
    text: str, i: int, end: int, open_: str, close: str, memo: _Memo | None = None
) -> int:
    """End (exclusive) of the ``open_ ... close`` construct at ``i``, nesting aware, or -1.

    Tokens are comments, ``<nowiki>`` spans, ``open_`` and ``close``, read
    from ``i`` on (a token may start before ``end`` and finish after it, as a
    plain character-by-character reading finds it). With a ``memo``, a search
    that fails keeps its tokens; a later search that falls in step with them
    answers "never closed" without reading to the end again.
    """
    tokens = _brace_tokens(open_, close)
    limit = min(len(text), end + _TOKEN_OVERHANG)
    index = None if memo is None else memo.braces.get((end, open_, close))
    if index is not None and index.starts and index.starts[0] > i:
        index = None
    starts: list[int] = []
    ends: list[int] = []
    depths: list[int] = []
    depth = 0
    j = i
    while j < end:
        if index is not None:
            n0 = bisect_left(index.starts, j)
            if n0 == 0 or index.ends[n0 - 1] <= j:  # in step with the failed search
                before = index.depths[n0 - 1] if n0 else 0
                if index.min_after[n0] > before - depth:
                    return -1
                index = None  # the close comes: read on to it
        match = tokens.search(text, j, limit)
        if match is None or match.start() >= end:
            break
        token, s = match.group(), match.start()
        if token == "<!--":
            stop = text.find("-->", s + 4, end)
            j = end if stop < 0 else stop + 3
        elif token == "<nowiki>":
            stop = text.find("</nowiki>", s, end)
            j = end if stop < 0 else stop + 9
        elif token == open_:
            depth += 1
            j = s + len(open_)
        else:
            depth -= 1
            j = s + len(close)
            if depth == 0:
                return j
        if memo is not None:
            starts.append(s)
            ends.append(j)
            depths.append(depth)
    if memo is not None:
        memo.braces[(end, open_, close)] = _BraceIndex(starts, ends, depths)
    return -1


def _split_top(text: str) -> list[str]:
    """Split on ``|`` outside nested templates, links and tags."""
    parts: list[str] = []
    depth_t = depth_l = 0
    current = 0
    j = 0
    while j < len(text):
        if text.startswith("<!--", j):
            stop = text.find("-->", j + 4)
            j = len(text) if stop < 0 else stop + 3
            continue
        if text.startswith("{{", j):
            depth_t += 1
            j += 2
            continue
        if text.startswith("}}", j) and depth_t:
            depth_t -= 1
            j += 2
            continue
        if text.startswith("[[", j):
            depth_l += 1
            j += 2
            continue
        if text.startswith("]]", j) and depth_l:
            depth_l -= 1
            j += 2
            continue
        if text[j] == "|" and not depth_t and not depth_l:
            parts.append(text[current:j])
            current = j + 1
        j += 1
    parts.append(text[current:])
    return parts


def _template_params(inner: str) -> tuple[str, list[tuple[str | None, str]]]:
    parts = _split_top(inner)
    params: list[tuple[str | None, str]] = []
    for part in parts[1:]:
        key, eq, value = part.partition("=")
        if eq and "{{" not in key and "[[" not in key and "<" not in key:
            params.append((key.strip(), value))
        else:
            params.append((None, part))
    return parts[0].strip(), params


def _scan(
    text: str, start: int = 0, end: int | None = None, memo: _Memo | None = None
) -> list[Node]:
    """The built-in scanner: wikitext nodes of ``text[start:end]``.

    ``memo`` is for the recursive calls on the same ``text``; each top-level
    call makes its own.
    """
    end = len(text) if end is None else end
    memo = _Memo() if memo is None else memo
    nodes: list[Node] = []
    plain = i = start

    def flush(stop: int) -> None:
        if plain < stop:
            nodes.append(Node("text", plain, stop, text[plain:stop]))

    while i < end:
        line_start = i == start or text[i - 1] == "\n"
        if line_start:
            found = _line_construct(text, i, end, memo)
            if found is not None:
                flush(i)
                nodes.append(found)
                plain = i = found.end
                continue
        match = _SPECIAL.search(text, i, end)
        if match is None:
            break
        i = match.start()
        if text[i] == "\n":
            i += 1
            continue
        found = _inline_construct(text, i, end, memo)
        if found is None:
            i += 1
            continue
        flush(i)
        nodes.append(found)
        plain = i = found.end
    flush(end)
    return nodes


def _line_construct(text: str, i: int, end: int, memo: _Memo) -> Node | None:
    char = text[i]
    if char == "=":
        heading = _HEADING_LINE_RE.match(text, i, end)
        if heading:
            level = min(len(heading.group(1)), len(heading.group(3)))
            title_start, title_end = i + level, heading.end(2) + len(heading.group(3)) - level
            return Node(
                "heading",
                i,
                heading.end(),
                children=_scan(text, title_start, title_end, memo),
                level=level,
            )
    if text.startswith("{|", i):
        depth, j = 0, i
        while j < end:
            if text.startswith("{|", j) and (j == 0 or text[j - 1] == "\n"):
                depth += 1
            elif text.startswith("|}", j) and (j == 0 or text[j - 1] in "\n \t"):
                depth -= 1
                if depth == 0:
                    return Node("skip", i, j + 2)
            j += 1
        return Node("skip", i, end)
    if char in "*#:;":
        markers = _LIST_RE.match(text, i, end)
        assert markers is not None
        return Node("list", i, markers.end(), markers.group())
    if char == "-":
        rule = _HR_RE.match(text, i, end)
        if rule:
            return Node("para", i, rule.end())
    return None


def _inline_construct(text: str, i: int, end: int, memo: _Memo) -> Node | None:
    if text.startswith("<!--", i):
        stop = text.find("-->", i + 4, end)
        return Node("skip", i, end if stop < 0 else stop + 3)
    if text.startswith("{{", i):
        close = _match_braces(text, i, end, "{{", "}}", memo)
        if close < 0:
            return None
        name, params = _template_params(text[i + 2 : close - 2])
        return Node("template", i, close, name, params=params)
    if text.startswith("[[", i):
        close = _match_braces(text, i, end, "[[", "]]", memo)
        if close < 0:
            return None
        inner = text[i + 2 : close - 2]
        target, bar, _ = inner.partition("|")
        if bar and "[[" not in target and "{{" not in target:
            label_start = i + 2 + len(target) + 1
            return Node("wikilink", i, close, target, _scan(text, label_start, close - 2, memo))
        return Node("wikilink", i, close, inner)
    if text[i] == "[":
        if not _EXTLINK_START_RE.match(text, i, end):
            return None
        close = memo.find(text, "]", i, end)
        newline = memo.find(text, "\n", i, end)
        if close < 0 or (0 <= newline < close):
            return None
        inner = text[i + 1 : close]
        url, space, _ = inner.partition(" ")
        label = _scan(text, i + 1 + len(url) + 1, close, memo) if space else None
        return Node("extlink", i, close + 1, url, label)
    if text.startswith("''", i):
        quotes = _QUOTES_RE.match(text, i, end)
        assert quotes is not None
        return Node("skip", i, quotes.end())
    if text[i] == "&":
        entity = _ENTITY_RE.match(text, i, end)
        if entity:
            return Node("entity", i, entity.end(), html.unescape(entity.group()))
        return None
    if text.startswith("__", i):
        magic = _MAGIC_RE.match(text, i, end)
        return Node("skip", i, magic.end()) if magic else None
    return _tag(text, i, end, memo)


@lru_cache(maxsize=64)
def _close_tag(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{name}\s*>", re.IGNORECASE)


def _tag(text: str, i: int, end: int, memo: _Memo) -> Node | None:
    match = _TAG_RE.match(text, i, end)
    if match is None:
        return None
    closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(4)
    if closing:
        return Node("para" if name in _BLOCK_TAGS else "skip", i, match.end())
    if name in ("ref", "references"):
        if self_closing:
            return Node(name, i, match.end())
        stop = memo.search(text, _close_tag(name), match.end(), end)
        if stop is None:
            return Node("skip", i, match.end())
        return Node(name, i, stop.end(), text[match.end() : stop.start()])
    if name in ("nowiki", "pre") or name in _SKIP_CONTENT:
        if self_closing:
            return Node("skip", i, match.end())
        stop = memo.search(text, _close_tag(name), match.end(), end)
        stop_end = end if stop is None else stop.end()
        if name in _SKIP_CONTENT:
            return Node("skip", i, stop_end)
        inner_end = end if stop is None else stop.start()
        return Node("text", i, stop_end, text[match.end() : inner_end])
    if name == "br":
        return Node("br", i, match.end())
    return Node("para" if name in _BLOCK_TAGS else "skip", i, match.end())
