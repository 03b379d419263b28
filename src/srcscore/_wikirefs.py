"""The references of a wikitext page: ``<ref>`` tags numbered as MediaWiki does, and their URLs.

Refs are numbered in order of first use (a named ref reused with
``<ref name="a" />`` keeps its number; groups are numbered apart, as
``a``, ``iv`` or ``note 2``). A ref's URL is its citation template's ``doi``
(as ``https://doi.org/...``), else its ``url`` (or ``arxiv``, ``pmid``,
``pmc``, ``hdl``), else its first ``[http://url title]`` link or bare URL;
its title is the template's ``title`` or the link's text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Final

from ._docrefs import clean_title, doi_url, entry_url, find_urls, reference_url
from ._models import RefId
from ._wikiscan import _match_braces, _Memo, _scan
from ._wikitemplates import _plain, _plain_nodes, _positional, _template_name

__all__ = ["citation"]

_ATTR_RE: Final = re.compile(r"([a-zA-Z-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'/>]+))")
_REF_OPEN_RE: Final = re.compile(r"<ref\b((?:[^<>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>", re.IGNORECASE)
_REF_CLOSE_RE: Final = re.compile(r"</ref\s*>", re.IGNORECASE)
_HIDDEN_RE: Final = re.compile(
    r"<!--.*?(?:-->|\Z)|<nowiki\s*>.*?(?:</nowiki\s*>|\Z)", re.IGNORECASE | re.DOTALL
)
_DEFINITIONS_RE: Final = re.compile(
    r"<references\b[^<>]*?(?<!/)>.*?(?:</references\s*>|\Z)|\{\{\s*(?:reflist|references)\s*\|",
    re.IGNORECASE | re.DOTALL,
)
_CITATION_NAMES: Final = ("cite ", "citation", "vcite", "vancite", "harvc")
_ID_URLS: Final = (
    ("arxiv", "https://arxiv.org/abs/{}"),
    ("pmid", "https://pubmed.ncbi.nlm.nih.gov/{}/"),
    ("pmc", "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC{}/"),
    ("hdl", "https://hdl.handle.net/{}"),
)
_ALPHA: Final = "abcdefghijklmnopqrstuvwxyz"
_ROMAN: Final = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def _attrs(raw: str) -> dict[str, str]:
    return {
        m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None).strip()
        for m in _ATTR_RE.finditer(raw)
    }


def _group_label(group: str, number: int) -> RefId:
    """How MediaWiki labels the ``number``-th ref of ``group``: 3, "a", "iv", "note 2"."""
    if not group:
        return number
    if group in ("lower-alpha", "upper-alpha"):
        label, n = "", number
        while n > 0:
            n, rest = divmod(n - 1, 26)
            label = _ALPHA[rest] + label
        return label.upper() if group.startswith("upper") else label
    if group in ("lower-roman", "upper-roman"):
        label, n = "", number
        for value, letters in _ROMAN:
            while n >= value:
                label, n = label + letters, n - value
        return label.upper() if group.startswith("upper") else label
    return f"{group} {number}"


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: " " * len(m.group()), text)


def _definition_ranges(text: str) -> list[tuple[int, int]]:
    ranges = []
    memo = _Memo()  # many unclosed {{reflist| must not each read to the end
    for match in _DEFINITIONS_RE.finditer(text):
        if match.group().startswith("<"):
            ranges.append((match.start(), match.end()))
        else:
            close = _match_braces(text, match.start(), len(text), "{{", "}}", memo)
            ranges.append((match.start(), len(text) if close < 0 else close))
    return ranges


class _Covered:
    """Whether a position is in any of some ``[start, end)`` ranges, in log time."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        ranges = sorted(ranges)
        self.starts = [a for a, _ in ranges]
        self.reach: list[int] = []  # the furthest end among the ranges so far
        for _, b in ranges:
            self.reach.append(max(b, self.reach[-1]) if self.reach else b)

    def __contains__(self, pos: int) -> bool:
        k = bisect_right(self.starts, pos)
        return k > 0 and self.reach[k - 1] > pos


@dataclass
class _RefTable:
    """Every ``<ref>`` of a page: the key each tag cites and each key's id and content."""

    key_at: dict[int, str] = field(default_factory=dict)
    label_at: dict[int, str] = field(default_factory=dict)
    ids: dict[str, RefId] = field(default_factory=dict)
    contents: dict[str, str] = field(default_factory=dict)


def _ref_table(text: str) -> _RefTable:
    """Number the refs in order of first use, as MediaWiki does, and find their contents."""
    visible = _blank(text, _HIDDEN_RE)
    definitions = _Covered(_definition_ranges(visible))
    table = _RefTable()
    counters: dict[str, int] = {}
    anonymous = 0
    memo = _Memo()
    inside_until = 0  # a <ref> inside another's content is its text, as MediaWiki reads it
    for match in _REF_OPEN_RE.finditer(visible):
        if match.start() < inside_until:
            continue
        attrs = _attrs(match.group(1))
        name, group = attrs.get("name", ""), attrs.get("group", "")
        content = ""
        if not match.group(2):
            close = memo.search(visible, _REF_CLOSE_RE, match.end(), len(visible))
            if close is not None:
                content = text[match.end() : close.start()]
                inside_until = close.end()
        if name:
            key = f"ref:{group}:{name}"
            label = f'<ref name="{name}" />'
        else:
            anonymous += 1
            key = f"ref:{group}:#{anonymous}"
            label = "<ref>"
        if content.strip():
            table.contents.setdefault(key, content)
        if match.start() in definitions:
            continue  # a list-defined ref: its definition, not a use
        table.key_at[match.start()] = key
        table.label_at[match.start()] = label
        if key not in table.ids:
            counters[group] = counters.get(group, 0) + 1
            table.ids[key] = _group_label(group, counters[group])
    return table


def citation(content: str) -> tuple[str | None, str | None]:
    """The URL and title of a ref's content (a citation template, a link, a bare URL)."""
    nodes = _scan(content)
    for node in nodes:
        if node.kind != "template":
            continue
        name = _template_name(node.text)
        params = {
            key.strip().lower(): _strip_comments(value).strip()
            for key, value in node.params
            if key is not None
        }
        if name == "doi":
            args = _positional(node.params)
            if args and args[0]:
                return doi_url(args[0]), None
        if not name.startswith(_CITATION_NAMES):
            continue
        named = clean_title(_plain(params.get("title") or params.get("script-title") or ""))
        named = named or clean_title(_plain(params.get("chapter", "")))
        doi = params.get("doi", "")
        if doi:
            return doi_url(doi), named
        cite_url = params.get("url", "")
        if cite_url:
            return reference_url(cite_url), named
        if name == "cite tweet" and params.get("user") and params.get("number"):
            return f"https://twitter.com/{params['user']}/status/{params['number']}", named
        for key, pattern in _ID_URLS:
            value = params.get(key, "")
            if value:
                return pattern.format(value.removeprefix("PMC")), named
        return None, named
    links = [(node.text, node.children) for node in nodes if node.kind == "extlink"]
    text = _plain(content)
    url = entry_url(content, [reference_url(u) for u, _ in links])
    title: str | None = None
    for link_url, label in links:
        if label is not None and reference_url(link_url) == url:
            words: list[str] = []
            _plain_nodes(label, words)
            title = "".join(words)
    if title is None:
        rest = text
        for a, b, _ in reversed(find_urls(text)):
            rest = rest[:a] + rest[b:]
        title = rest
    return url, clean_title(title)


def _strip_comments(value: str) -> str:
    return _HIDDEN_RE.sub("", value)
