"""Wikitext -> nodes with the built-in scanner: text, templates, links, ``<ref>`` tags...

The scanner handles the common cases of Wikipedia's markup without a
dependency; each :class:`Node` keeps its offsets in the input, so claims can
point back at their source. :mod:`._wikimw` makes the same nodes with
mwparserfromhell when it is installed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Final

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


def _match_braces(text: str, i: int, end: int, open_: str, close: str) -> int:
    """End (exclusive) of the ``open_ ... close`` construct at ``i``, nesting aware, or -1."""
    depth = 0
    j = i
    while j < end:
        if text.startswith("<!--", j):
            stop = text.find("-->", j + 4, end)
            j = end if stop < 0 else stop + 3
            continue
        if text.startswith("<nowiki>", j):
            stop = text.find("</nowiki>", j, end)
            j = end if stop < 0 else stop + 9
            continue
        if text.startswith(open_, j):
            depth += 1
            j += len(open_)
            continue
        if text.startswith(close, j):
            depth -= 1
            j += len(close)
            if depth == 0:
                return j
            continue
        j += 1
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


def _scan(text: str, start: int = 0, end: int | None = None) -> list[Node]:
    """The built-in scanner: wikitext nodes of ``text[start:end]``."""
    end = len(text) if end is None else end
    nodes: list[Node] = []
    plain = i = start

    def flush(stop: int) -> None:
        if plain < stop:
            nodes.append(Node("text", plain, stop, text[plain:stop]))

    while i < end:
        line_start = i == start or text[i - 1] == "\n"
        if line_start:
            found = _line_construct(text, i, end)
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
        found = _inline_construct(text, i, end)
        if found is None:
            i += 1
            continue
        flush(i)
        nodes.append(found)
        plain = i = found.end
    flush(end)
    return nodes


def _line_construct(text: str, i: int, end: int) -> Node | None:
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
                children=_scan(text, title_start, title_end),
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


def _inline_construct(text: str, i: int, end: int) -> Node | None:
    if text.startswith("<!--", i):
        stop = text.find("-->", i + 4, end)
        return Node("skip", i, end if stop < 0 else stop + 3)
    if text.startswith("{{", i):
        close = _match_braces(text, i, end, "{{", "}}")
        if close < 0:
            return None
        name, params = _template_params(text[i + 2 : close - 2])
        return Node("template", i, close, name, params=params)
    if text.startswith("[[", i):
        close = _match_braces(text, i, end, "[[", "]]")
        if close < 0:
            return None
        inner = text[i + 2 : close - 2]
        target, bar, _ = inner.partition("|")
        if bar and "[[" not in target and "{{" not in target:
            label_start = i + 2 + len(target) + 1
            return Node("wikilink", i, close, target, _scan(text, label_start, close - 2))
        return Node("wikilink", i, close, inner)
    if text[i] == "[":
        if not _EXTLINK_START_RE.match(text, i, end):
            return None
        close = text.find("]", i, end)
        newline = text.find("\n", i, end)
        if close < 0 or (0 <= newline < close):
            return None
        inner = text[i + 1 : close]
        url, space, _ = inner.partition(" ")
        label = _scan(text, i + 1 + len(url) + 1, close) if space else None
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
    return _tag(text, i, end)


def _tag(text: str, i: int, end: int) -> Node | None:
    match = _TAG_RE.match(text, i, end)
    if match is None:
        return None
    closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(4)
    if closing:
        return Node("para" if name in _BLOCK_TAGS else "skip", i, match.end())
    if name in ("ref", "references"):
        if self_closing:
            return Node(name, i, match.end())
        stop = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(text, match.end(), end)
        if stop is None:
            return Node("skip", i, match.end())
        return Node(name, i, stop.end(), text[match.end() : stop.start()])
    if name in ("nowiki", "pre") or name in _SKIP_CONTENT:
        if self_closing:
            return Node("skip", i, match.end())
        stop = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(text, match.end(), end)
        stop_end = end if stop is None else stop.end()
        if name in _SKIP_CONTENT:
            return Node("skip", i, stop_end)
        inner_end = end if stop is None else stop.start()
        return Node("text", i, stop_end, text[match.end() : inner_end])
    if name == "br":
        return Node("br", i, match.end())
    return Node("para" if name in _BLOCK_TAGS else "skip", i, match.end())
