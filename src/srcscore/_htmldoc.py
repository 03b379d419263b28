"""HTML articles and rendered MediaWiki pages -> a Document, with the standard library only.

A walker over :class:`html.parser.HTMLParser` events keeps the visible text
of the page's main content, each character mapped to its offset in the HTML,
and anchors citations in it:

* an inline ``<a href>`` link cites its URL from the sentence that holds it;
* a link to a list item (``<sup><a href="#cite-1">[1]</a></sup>`` with
  ``<li id="cite-1">``) is a reference marker: its text is no claim text and
  it cites the item, whose first link (its DOI if it names one) is the URL.

Scripts, styles, navigation, headers, footers, asides, forms and elements
whose class, id or role says menu, share bar, cookie banner, comments or
adverts are not text; when the page marks its main content (``<main>``,
``<article>``, ``role="main"``, MediaWiki's ``mw-parser-output``) only that
counts. In MediaWiki pages, links to wiki pages are not citations, and
infoboxes, navigation boxes, hatnotes, tables and "citation needed" tags are
skipped.

The element rules (what is furniture, a reference list, the main content, a
wiki-internal link) live in :mod:`._htmlrules`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Final

from ._docrefs import RELATIVE, Refs, clean_title, entry_url, find_urls, web_url
from ._htmlrules import (
    _BLOCK,
    _CLOSES_P,
    _HARD_SKIP,
    _HEADINGS,
    _IMPLIED_END,
    _VOID,
    is_furniture,
    is_internal,
    is_main,
    is_reflist,
)
from ._models import Document, RefId
from ._visible import Anchor, Visible, finish

__all__ = ["parse_html"]

_SPACE_RUN_RE: Final = re.compile(r"\s+|\S+")
# Link text that only repeats an address: "https://x.org/a", "x.org", "10.1000/182".
_URLISH_RE: Final = re.compile(
    r"^(?:(?:https?:)?//\S+|www\.\S+|[\w-]+(?:\.[\w-]+)+(?:/\S*)?|(?:doi:\s*)?10\.\d+\S*)$", re.I
)
_MARKER_TEXT_MAX: Final = 12
_TITLE_MAX: Final = 200


@dataclass
class _Item:
    """A list item that may be a reference: its id, number, text and links."""

    dom_id: str
    position: int | None
    listed: bool  # inside a list the page calls its references
    texts: list[str] = field(default_factory=list)
    links: list[tuple[str, list[str]]] = field(default_factory=list)
    vis_range: tuple[int, int] | None = None


@dataclass
class _Link:
    start: int
    href: str
    url: str | None  # the web URL cited, if any
    fragment: str | None  # the target of an in-page link
    texts: list[str] = field(default_factory=list)
    in_body: bool = True
    sup: _Frame | None = None
    end: int = -1


@dataclass
class _Frame:
    tag: str
    start: int
    skip: bool = False
    hard: bool = False
    reflist: bool = False
    main: bool = False
    backlink: bool = False
    item: _Item | None = None
    link: _Link | None = None
    counter: int = 0  # list items seen (ol/ul)
    end: int = -1  # where its visible text ended, once closed


class _Walker(HTMLParser):
    def __init__(self, source: str, *, mediawiki: bool, base_url: str | None) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.mediawiki = mediawiki
        self.base_url = base_url
        self.page_url: str | None = None
        self.line_starts = [0]
        for match in re.finditer("\n", source):
            self.line_starts.append(match.end())
        self.vis = Visible()
        self.refs = Refs()
        self.stack: list[_Frame] = []
        self.skip = 0
        self.hard = 0
        self.reflist = 0
        self.backlink = 0
        self.items: list[_Item] = []
        self.open_items: list[_Item] = []
        self.open_links: list[_Link] = []
        self.markers: list[_Link] = []
        self.sups: list[_Frame] = []
        self.main_ranges: list[tuple[int, int]] = []
        self.relative = 0

    # Positions and text ----------------------------------------------------------------

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    @property
    def _emitting(self) -> bool:
        return not (self.skip or self.reflist)

    def _emit(self, text: str, start: int, end: int = -1) -> None:
        vis = self.vis
        if end >= 0:  # an entity: one unit
            if text.isspace():
                if vis.last() not in " \n":
                    vis.add(" ", start, end)
            else:
                vis.add(text, start, end)
            return
        for match in _SPACE_RUN_RE.finditer(text):
            chunk = match.group()
            if chunk[0].isspace():
                if vis.last() not in " \n":
                    vis.add(" ", start + match.start(), start + match.end())
            else:
                vis.add(chunk, start + match.start())

    def _collect(self, text: str) -> None:
        if self.hard:
            return
        if not self.backlink:
            for item in self.open_items:
                item.texts.append(text)
        for link in self.open_links:
            link.texts.append(text)

    def handle_data(self, data: str) -> None:
        """Text: visible if in the content, collected for open list items and links."""
        if self.hard:
            return
        self._collect(data)
        if not self._emitting:
            return
        start = self._offset()
        if any(link.in_body for link in self.open_links):
            self._emit(data, start)
            return
        cursor = 0  # a bare URL or DOI in the text cites, and is no claim text
        for a, b, url in find_urls(data):
            self._emit(data[cursor:a], start + cursor)
            self.vis.cite(self.refs.link(url))
            cursor = b
        self._emit(data[cursor:], start + cursor)

    def _entity(self, raw: str, decoded: str) -> None:
        if self.hard:
            return
        start = self._offset()
        end = start + len(raw)
        if self.source.startswith(raw + ";", start):
            end += 1
        self._collect(decoded)
        if self._emitting:
            self._emit(decoded, start, end)

    def handle_entityref(self, name: str) -> None:
        """``&amp;`` and friends."""
        decoded = html.unescape(f"&{name};")
        self._entity(f"&{name}", decoded)

    def handle_charref(self, name: str) -> None:
        """``&#233;`` and ``&#xE9;``."""
        decoded = html.unescape(f"&#{name};")
        self._entity(f"&#{name}", decoded)

    # Elements --------------------------------------------------------------------------

    def _page_address(self, tag: str, attrs: dict[str, str]) -> None:
        href = ""
        canonical = tag == "link" and "canonical" in attrs.get("rel", "").lower().split()
        if tag == "base" or canonical:
            href = attrs.get("href", "")
        elif tag == "meta" and attrs.get("property", "").lower() == "og:url":
            href = attrs.get("content", "")
        if self.page_url is None and href.lower().startswith(("http://", "https://")):
            self.page_url = href.strip()

    def _fragment(self, href: str) -> str | None:
        """The in-page target of a link (``#cite-1``, MediaWiki's ``./Page#cite_note-1``)."""
        if "#" not in href:
            return None
        path, _, fragment = href.partition("#")
        if not fragment:
            return None
        if not path:
            return fragment
        if self.mediawiki and fragment.startswith("cite_note"):
            return fragment
        own = self.base_url or self.page_url
        if own is not None and path == own.partition("#")[0]:
            return fragment
        return None

    def _implied_end(self, tag: str) -> None:
        if tag in _CLOSES_P:
            for index in range(len(self.stack) - 1, -1, -1):
                name = self.stack[index].tag
                if name == "p":
                    self._pop_to(index)
                    break
                if name in _BLOCK:
                    break
        rule = _IMPLIED_END.get(tag)
        if rule is not None:
            closes, bounds = rule
            for index in range(len(self.stack) - 1, -1, -1):
                name = self.stack[index].tag
                if name in closes:
                    self._pop_to(index)
                    break
                if name in bounds:
                    break

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """``<br/>`` and friends: a start tag without content."""
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open an element: decide whether its text counts and what it is."""
        named = {k.lower(): (v or "") for k, v in attrs}
        if tag in _VOID:
            self._page_address(tag, named)
            if tag in ("br", "hr") and not self.hard:
                self._collect(" ")
                if self._emitting:
                    if tag == "br":
                        self.vis.newline()
                    else:
                        self.vis.paragraph()
            return
        self._implied_end(tag)
        frame = _Frame(tag, self.vis.pos)
        if self.hard or tag in _HARD_SKIP:
            frame.skip = frame.hard = True
        elif is_furniture(tag, named, mediawiki=self.mediawiki):
            frame.skip = True
            if "mw-cite-backlink" in named.get("class", "").split():
                frame.backlink = True
        if is_reflist(tag, named):
            frame.reflist = True
        if is_main(tag, named) and not frame.skip:
            frame.main = True
        self._push(frame, named)

    def _push(self, frame: _Frame, attrs: dict[str, str]) -> None:
        tag = frame.tag
        self.stack.append(frame)
        self.skip += frame.skip
        self.hard += frame.hard
        self.reflist += frame.reflist
        self.backlink += frame.backlink
        if frame.hard:
            return
        if tag in _BLOCK and self._emitting:
            self.vis.paragraph()
            frame.start = self.vis.pos
        if tag in ("ol", "ul"):
            start = attrs.get("start", "1").strip()
            frame.counter = int(start) - 1 if start.lstrip("-").isdigit() else 0
        elif tag == "li":
            position = None
            for parent in reversed(self.stack[:-1]):
                if parent.tag in ("ol", "ul"):
                    parent.counter += 1
                    position = parent.counter
                    break
            dom_id = attrs.get("id", "").strip()
            if dom_id or self.reflist:
                frame.item = _Item(dom_id, position, bool(self.reflist))
                self.items.append(frame.item)
                self.open_items.append(frame.item)
                self._collect(" ")
        elif tag == "a" and "href" in attrs:
            self._open_link(frame, attrs)
        elif tag == "sup":
            self.sups.append(frame)

    def _open_link(self, frame: _Frame, attrs: dict[str, str]) -> None:
        href = attrs["href"].strip()
        fragment = self._fragment(href)
        url: str | None = None
        if fragment is None and not (self.mediawiki and is_internal(attrs, href)):
            url = web_url(href, self.base_url or self.page_url)
        if url == RELATIVE:
            if self._emitting:
                self.relative += 1
            url = None
        link = _Link(self.vis.pos, href, url, fragment, in_body=self._emitting)
        frame.link = link
        if fragment is not None and self.open_items:
            frame.backlink = True  # a link back to the text: not the reference's words
            self.backlink += 1
        self.open_links.append(link)
        if url is not None:
            for item in self.open_items:
                item.links.append((url, link.texts))
        if not link.in_body:
            return
        if fragment is not None:
            for parent in reversed(self.stack[:-1]):
                if parent.tag == "sup":
                    link.sup = parent
                    break
            self.markers.append(link)
        elif url is not None:
            self.vis.cite(self.refs.link(url, attrs.get("title") or None))

    def handle_endtag(self, tag: str) -> None:
        """Close the element (and any left open inside it)."""
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index].tag == tag:
                self._pop_to(index)
                return

    def _pop_to(self, index: int) -> None:
        while len(self.stack) > index:
            self._close(self.stack.pop())

    def _close(self, frame: _Frame) -> None:
        emitting = self._emitting
        vis = self.vis
        frame.end = vis.pos
        if not frame.hard:
            if frame.tag in _HEADINGS and emitting:
                vis.titles.append((frame.start, vis.pos))
            if frame.item is not None:
                frame.item.vis_range = (frame.start, vis.pos) if emitting else None
                self.open_items.remove(frame.item)
            if frame.link is not None:
                link = frame.link
                link.end = vis.pos
                self.open_links.remove(link)
                if link.in_body and link.url is not None:
                    vis.links.append((link.start, link.end))
            if frame.main and emitting:
                self.main_ranges.append((frame.start, vis.pos))
            if frame.tag in _BLOCK and emitting:
                vis.paragraph()
        self.skip -= frame.skip
        self.hard -= frame.hard
        self.reflist -= frame.reflist
        self.backlink -= frame.backlink

    def close(self) -> None:
        """End of input: close what is still open."""
        super().close()
        self._pop_to(0)

    # The document ----------------------------------------------------------------------

    def document(self) -> Document:
        vis, refs = self.vis, self.refs
        targets = {item.dom_id: item for item in self.items if item.dom_id}
        labels: dict[str, str] = {}
        cited: set[str] = set()
        in_sup: dict[int, list[_Link]] = {}
        for marker in self.markers:
            if marker.sup is not None and (marker.fragment or "") in targets:
                in_sup.setdefault(id(marker.sup), []).append(marker)
        for marker in self.markers:
            item = targets.get(marker.fragment or "")
            if item is None:
                continue  # an in-page link, not a reference marker: its text stays
            label = " ".join("".join(marker.texts).split()).strip("[] ")
            labels.setdefault(item.dom_id, label)
            cited.add(item.dom_id)
            vis.anchors.append(Anchor(marker.start, "li:" + item.dom_id, f"[{label}]"))
            vis.masks.append((marker.start, marker.end))
            sup = marker.sup
            if sup is not None and sup.end >= 0 and self._only_markers(sup, in_sup[id(sup)]):
                vis.masks.append((sup.start, sup.end))
        used: set[str] = set()
        for number, item in enumerate(self.items):
            if not (item.listed or item.dom_id in cited):
                continue
            fixed = self._item_id(item, labels.get(item.dom_id, ""), used)
            url, title = self._item_reference(item)
            key = "li:" + item.dom_id if item.dom_id else f"li#{number}"
            refs.define(key, url, title, fixed)
            if item.vis_range is not None:
                vis.drops.append(item.vis_range)
        if self.main_ranges:
            vis.keep = self.main_ranges
        warnings: list[str] = []
        if self.relative:
            warnings.append(
                f"{self.relative} relative link(s) ignored: give base_url to resolve them"
            )
        return finish(vis, refs, self.source, warnings, self.base_url or self.page_url)

    def _only_markers(self, sup: _Frame, markers: list[_Link]) -> bool:
        """Whether a ``<sup>`` holds reference markers only (and brackets, commas...)."""
        inside = bytearray(sup.end - sup.start)
        for marker in markers:
            lo, hi = max(marker.start, sup.start), min(marker.end, sup.end)
            inside[lo - sup.start : hi - sup.start] = b"\x01" * max(0, hi - lo)
        chars = self.vis.chars
        return all(
            inside[i - sup.start] or not chars[i].isalnum() for i in range(sup.start, sup.end)
        )

    def _item_id(self, item: _Item, label: str, used: set[str]) -> RefId:
        candidate: RefId
        if label and len(label) <= _MARKER_TEXT_MAX:
            candidate = int(label) if label.isdigit() else label
        elif item.position is not None:
            candidate = item.position
        else:
            candidate = item.dom_id or len(used) + 1
        if str(candidate) in used:
            candidate = item.dom_id or f"{candidate}-{len(used) + 1}"
        used.add(str(candidate))
        return candidate

    def _item_reference(self, item: _Item) -> tuple[str | None, str | None]:
        text = " ".join("".join(item.texts).split())
        urls = [url for url, _ in item.links]
        url = entry_url(text, urls)
        title: str | None = None
        for _, words in item.links:
            words_text = " ".join("".join(words).split())
            if words_text and not _URLISH_RE.match(words_text):
                title = words_text
                break
        if title is None:
            rest = text
            for a, b, _ in reversed(find_urls(text)):
                rest = rest[:a] + rest[b:]
            title = rest[:_TITLE_MAX]
        return url, clean_title(title)


def parse_html(text: str, *, mediawiki: bool = False, base_url: str | None = None) -> Document:
    """Read an HTML article (or a rendered MediaWiki page) into a Document."""
    walker = _Walker(text, mediawiki=mediawiki, base_url=base_url)
    walker.feed(text)
    walker.close()
    return walker.document()
