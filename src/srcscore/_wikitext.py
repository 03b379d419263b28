"""Wikipedia wikitext -> a Document: ``<ref>`` tags, citation templates, readable claims.

The source is cut into nodes (text, templates, links, ``<ref>`` tags,
headings...), each with its offsets in the input, by `mwparserfromhell
<https://github.com/earwig/mwparserfromhell>`_ when it is installed (the
``wiki`` extra) and otherwise by a built-in scanner that handles the common
cases. Either way the nodes are then read the same way:

* a ``<ref>`` cites from the sentence it ends; references are numbered as
  MediaWiki numbers them (in order of first use, a named ref reused with
  ``<ref name="a" />`` keeps its number; groups are numbered apart);
* a ref's URL is its citation template's ``doi`` (as ``https://doi.org/...``),
  else its ``url`` (or ``arxiv``, ``pmid``, ``pmc``, ``hdl``), else its first
  ``[http://url title]`` link or bare URL; its title is the template's
  ``title`` or the link's text;
* claim text is what a reader sees: ``[[Link|text]]`` is ``text``, bold and
  italics lose their quotes, most templates vanish and a few that print
  words (``{{convert}}``, ``{{lang}}``, ``{{nowrap}}``...) are rendered
  roughly; files, categories, tables and the reference, "External links",
  "See also" and "Further reading" sections are not claims.

The pieces: :mod:`._wikiscan` (the built-in scanner and :class:`Node`),
:mod:`._wikimw` (the mwparserfromhell engine), :mod:`._wikitemplates` (what
templates and nodes show as text) and :mod:`._wikirefs` (refs, their numbers
and URLs). This module picks the engine and renders the nodes into claims.
"""

from __future__ import annotations

import re
from typing import Final

from ._docrefs import _REFERENCE_HEADINGS_RE, Refs, reference_url
from ._exceptions import InputError
from ._models import Document
from ._visible import Visible, finish
from ._wikimw import _mwparser, _scan_mw
from ._wikirefs import _ref_table, _RefTable
from ._wikirefs import citation as citation
from ._wikiscan import _MAGIC_RE, _scan
from ._wikiscan import Node as Node
from ._wikitemplates import _plain_nodes_text, _template_text

__all__ = ["parse_wikitext"]


# mwparserfromhell's tokenizer retries from every unclosed <ref>, {{ or [http to the end of
# the text (or line): 800 unclosed refs in 29 kB take it 2.5 s, 10,000 "[http://a.com " 17 s.
# Past this many of one kind "auto" uses the built-in scanner, which is linear. A page
# shows each one as a red "Cite error" or as stray brackets, so a real page has a few at most.
_UNCLOSED_LIMIT: Final = 16
_REF_OPENING_RE: Final = re.compile(r"<ref\b[^<>]*(?<!/)>", re.IGNORECASE)
_REF_CLOSING_RE: Final = re.compile(r"</ref\b", re.IGNORECASE)
_EXTLINK_OPENING_RE: Final = re.compile(r"\[(?:https?:)?//", re.IGNORECASE)


def _hostile_to_mw(text: str) -> bool:
    """Whether ``text`` has so many unclosed constructs that mwparserfromhell goes quadratic.

    Linear: counts of openings against closings, and per line ``[http`` against ``]``.
    """
    if text.count("{{") - text.count("}}") >= _UNCLOSED_LIMIT:
        return True
    refs = sum(1 for _ in _REF_OPENING_RE.finditer(text))
    if refs - sum(1 for _ in _REF_CLOSING_RE.finditer(text)) >= _UNCLOSED_LIMIT:
        return True
    if text.count("[") < _UNCLOSED_LIMIT:
        return False
    unclosed = 0
    for line in text.split("\n"):
        if "[" in line:
            opened = sum(1 for _ in _EXTLINK_OPENING_RE.finditer(line))
            unclosed += max(0, opened - line.count("]"))
    return unclosed >= _UNCLOSED_LIMIT


def _nodes(text: str, engine: str) -> list[Node]:
    if engine not in ("auto", "mwparserfromhell", "builtin"):
        raise InputError(f"unknown wikitext engine {engine!r}")
    if engine == "auto" and _hostile_to_mw(text):
        return _scan(text)
    if engine != "builtin":
        module = _mwparser()
        if module is None:
            if engine == "mwparserfromhell":
                raise ImportError("mwparserfromhell is not installed: pip install 'srcscore[wiki]'")
        else:
            try:
                found = _scan_mw(module, text)
            except Exception:  # a parser bug must not lose the document: use the scanner
                if engine == "mwparserfromhell":
                    raise
                found = None
            if found is not None:
                return found
    return _scan(text)


# --- rendering ----------------------------------------------------------------------------

_SKIP_LINK_PREFIXES: Final = ("file:", "image:", "category:", "media:")
_INTERWIKI_RE: Final = re.compile(r"^[a-z]{2,3}(?:-[a-z]{2,8})*:", re.IGNORECASE)


class _Renderer:
    def __init__(self, source: str, table: _RefTable) -> None:
        self.source = source
        self.table = table
        self.vis = Visible()
        self.refs = Refs()
        self.skip_level = 0

    def top(self, nodes: list[Node]) -> None:
        for node in nodes:
            if node.kind == "heading":
                title = _plain_nodes_text(node.children or [])
                if self.skip_level and node.level > self.skip_level:
                    continue
                self.skip_level = node.level if _REFERENCE_HEADINGS_RE.match(title) else 0
                if not self.skip_level:
                    self.vis.paragraph()
                    start = self.vis.pos
                    self.render(node.children or [])
                    self.vis.titles.append((start, self.vis.pos))
                    self.vis.paragraph()
                continue
            if not self.skip_level:
                self.render([node])

    def render(self, nodes: list[Node]) -> None:
        vis = self.vis
        for node in nodes:
            kind = node.kind
            if kind == "text":
                if node.text == self.source[node.start : node.end]:
                    cursor = 0  # magic words (__NOTOC__) print nothing
                    for magic in _MAGIC_RE.finditer(node.text):
                        piece = node.text[cursor : magic.start()]
                        vis.prose(piece, node.start + cursor, self.refs)
                        cursor = magic.end()
                    vis.prose(node.text[cursor:], node.start + cursor, self.refs)
                else:
                    vis.add(node.text, node.start, node.end)
            elif kind == "entity":
                vis.add(node.text, node.start, node.end)
            elif kind == "template":
                vis.add(_template_text(node.text, node.params), node.start, node.end)
            elif kind == "wikilink":
                self._wikilink(node)
            elif kind == "extlink":
                url = reference_url(node.text if "://" in node.text else "https:" + node.text)
                start = vis.pos
                vis.cite(self.refs.link(url))
                if node.children:
                    self.render(node.children)
                    vis.links.append((start, vis.pos))
            elif kind == "ref":
                key = self.table.key_at.get(node.start)
                if key is not None:
                    vis.cite(key, self.table.label_at[node.start])
            elif kind == "list":
                if vis.chars[-2:] != ["-", " "]:  # "**" may come as one node or two
                    vis.newline()
                    if node.text[-1] in "*#":
                        vis.add("- ", node.start, node.end)
            elif kind == "br":
                vis.newline()
            elif kind == "para":
                vis.paragraph()
            elif kind == "tag" and node.children is not None:
                self.render(node.children)
            elif kind == "heading":
                vis.paragraph()
                start = vis.pos
                self.render(node.children or [])
                vis.titles.append((start, vis.pos))
                vis.paragraph()

    def _wikilink(self, node: Node) -> None:
        target = node.text.strip()
        low = target.lower()
        if low.startswith(_SKIP_LINK_PREFIXES) or (
            _INTERWIKI_RE.match(target) and not low.startswith(":")
        ):
            return
        if node.children is not None:
            self.render(node.children)
            return
        shown = target.lstrip(":")
        at = self.source.find(shown, node.start, node.end)
        self.vis.add(shown, at if at >= 0 else node.start, -1 if at >= 0 else node.end)


def parse_wikitext(text: str, *, base_url: str | None = None, engine: str = "auto") -> Document:
    """Read Wikipedia wikitext into a Document.

    ``engine`` is ``"auto"`` (mwparserfromhell when installed, else the
    built-in scanner; the scanner also for text with many unclosed ``<ref>``,
    ``{{`` or ``[http``, on which mwparserfromhell takes quadratic time),
    ``"mwparserfromhell"`` or ``"builtin"``; another name is an
    :class:`~srcscore.InputError`.
    """
    table = _ref_table(text)
    nodes = _nodes(text, engine)
    renderer = _Renderer(text, table)
    renderer.top(nodes)
    for key, ref_id in table.ids.items():
        content = table.contents.get(key)
        if content is None:
            continue  # used, never defined: claims citing it get a warning
        url, title = citation(content)
        renderer.refs.define(key, url, title, ref_id)
    return finish(renderer.vis, renderer.refs, text, [], base_url)
