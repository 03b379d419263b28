"""The visible text of an input, and its segmentation into claims and a Document.

Every format reads its input into a :class:`Visible`: the text a reader
sees, each character mapped back to its offset in the input, with the
citations anchored in it. :func:`finish` cuts that text into sentences, the
claims, and numbers the references (as the format numbers them, else in
order of first citation).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Final

from ._docrefs import Refs, find_urls
from ._models import Claim, Document, Reference, RefId
from ._parse import _blocks, _clean_claim, _is_title, _sentences

__all__ = ["Anchor", "Visible", "finish"]


# --- visible text -------------------------------------------------------------------------


@dataclass
class Anchor:
    """A citation at a position of the visible text: it cites the reference ``key``."""

    pos: int
    key: str
    label: str = ""  # how the input named it, for warnings: "[^9]"
    end: int = -1  # where the marker ends in the input, if it is one ("[^1]", "<ref>")


@dataclass
class Visible:
    """The visible text of an input, each character mapped to its offsets in the input.

    ``starts[i]``/``ends[i]`` are where character ``i`` comes from (``-1`` for
    characters that stand for no input, such as paragraph breaks). Citations
    are anchored at positions; ``titles`` are ranges that are headings,
    ``links`` ranges that are link texts (a block of links only is no claim),
    ``masks`` ranges whose text is removed before segmenting (reference
    markers: their citations stay), ``drops`` ranges removed with their
    citations, and ``keep``, if set, the only ranges that count (the main
    content of an HTML page).
    """

    chars: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    anchors: list[Anchor] = field(default_factory=list)
    titles: list[tuple[int, int]] = field(default_factory=list)
    links: list[tuple[int, int]] = field(default_factory=list)
    masks: list[tuple[int, int]] = field(default_factory=list)
    drops: list[tuple[int, int]] = field(default_factory=list)
    keep: list[tuple[int, int]] | None = None

    @property
    def pos(self) -> int:
        """The current length of the visible text."""
        return len(self.chars)

    def add(self, text: str, start: int = -1, end: int = -1) -> None:
        """Append ``text`` read from ``input[start:end]``.

        When ``text`` is exactly that slice, each character maps to its own
        offset; otherwise (an entity, a template's rendering) all characters
        map into ``[start, end)``.
        """
        if not text:
            return
        exact = start >= 0 and (end < 0 or end - start == len(text))
        for i, char in enumerate(text):
            self.chars.append(char)
            if exact:
                self.starts.append(start + i)
                self.ends.append(start + i + 1)
            else:
                self.starts.append(start)
                self.ends.append(end if end >= 0 else (start + 1 if start >= 0 else -1))

    def last(self) -> str:
        """The last visible character, or a newline at the start."""
        return self.chars[-1] if self.chars else "\n"

    def newline(self) -> None:
        """End the current line."""
        if self.last() != "\n":
            self.add("\n")

    def paragraph(self) -> None:
        """End the current paragraph: what follows is another block."""
        self.newline()
        if len(self.chars) >= 2 and self.chars[-2] != "\n":
            self.add("\n")

    def cite(self, key: str, label: str = "", end: int = -1) -> None:
        """Anchor a citation of reference ``key`` here (a marker ending at ``end``)."""
        self.anchors.append(Anchor(self.pos, key, label, end))

    def prose(self, text: str, start: int, refs: Refs) -> None:
        """Append running text; bare URLs and DOIs in it cite and are not claim text."""
        cursor = 0
        for a, b, url in find_urls(text):
            self.add(text[cursor:a], start + cursor)
            self.cite(refs.link(url))
            cursor = b
        self.add(text[cursor:], start + cursor)

    def final(self) -> Visible:
        """The text with ``masks``, ``drops`` and what is outside ``keep`` removed."""
        n = len(self.chars)
        hidden = bytearray(n)  # removed characters
        gone = bytearray(n + 1)  # removed characters whose citations go too
        for a, b in self.drops:
            gone[a:b] = b"\x01" * (max(a, b) - a)
        if self.keep is not None:
            inside = bytearray(n + 1)
            for a, b in self.keep:
                inside[a:b] = b"\x01" * (max(a, b) - a)
            for i in range(n + 1):
                if not inside[i]:
                    gone[i] = 1
        for a, b in self.masks:
            hidden[a:b] = b"\x01" * (max(a, b) - a)
        for i in range(n):
            hidden[i] |= gone[i]
        if not any(hidden) and not any(gone):
            return self
        index = [0] * (n + 1)
        out = Visible()
        for i in range(n):
            index[i] = out.pos
            if not hidden[i]:
                out.chars.append(self.chars[i])
                out.starts.append(self.starts[i])
                out.ends.append(self.ends[i])
        index[n] = out.pos
        out.anchors = [
            Anchor(index[a.pos], a.key, a.label, a.end) for a in self.anchors if not gone[a.pos]
        ]
        out.titles = [(index[a], index[b]) for a, b in self.titles]
        out.links = [(index[a], index[b]) for a, b in self.links]
        return out


# --- segmentation -------------------------------------------------------------------------

_EMPTY_BRACKETS_RE: Final = re.compile(r"\s*(?:\(\s*[,;:]?\s*\)|\[\s*[,;]?\s*\]|<\s*>)")
# "Wages rose: https://x." without its URL: the colon dangles.
_DANGLING_RE: Final = re.compile(r"\s*[:;,–—]\s*([.!?…])")
_SENTENCE_END: Final = ".!?…。！？"


def _claim_text(sentence: str) -> str:
    return _clean_claim(_DANGLING_RE.sub(r"\1", _EMPTY_BRACKETS_RE.sub("", sentence)))


def _mask(n: int, ranges: list[tuple[int, int]]) -> bytearray:
    mask = bytearray(n + 1)
    for r0, r1 in ranges:
        lo, hi = max(r0, 0), min(r1, n)
        if lo < hi:
            mask[lo:hi] = b"\x01" * (hi - lo)
    return mask


def _links_only(body: str, a: int, b: int, links: bytearray) -> bool:
    """A block whose words are all link texts, without a sentence end: a list of links."""
    if body[a:b].rstrip()[-1:] in _SENTENCE_END:
        return False
    return all(links[i] or not body[i].isalnum() for i in range(a, b))


def _span(vis: Visible, a: int, b: int) -> tuple[int, int] | None:
    while a < b and vis.starts[a] < 0:
        a += 1
    while b > a and vis.starts[b - 1] < 0:
        b -= 1
    if a >= b:
        return None
    start, end = vis.starts[a], vis.ends[b - 1]
    return (start, end) if start < end else None


def finish(
    vis: Visible,
    refs: Refs,
    source: str,
    warnings: list[str],
    url: str | None = None,
) -> Document:
    """Segment the visible text into claims, number the references, build the Document."""
    text = vis.final()
    body = "".join(text.chars)
    anchors = sorted(text.anchors, key=lambda anchor: anchor.pos)
    positions = [anchor.pos for anchor in anchors]
    found: list[tuple[str, tuple[int, int] | None, list[Anchor]]] = []
    blocks = _blocks(body)
    titles = _mask(len(body), text.titles)
    links = _mask(len(body), text.links)
    for number, (bs, be) in enumerate(blocks):
        last = number == len(blocks) - 1
        lo = bisect.bisect_left(positions, bs)
        hi = bisect.bisect_right(positions, be) if last else bisect.bisect_left(positions, be)
        mine = anchors[lo:hi]
        block = body[bs:be]
        if any(titles[bs:be]):
            continue
        if mine and _links_only(body, bs, be, links):
            continue
        if not mine and _is_title(block):
            continue
        sentences = _sentences(body, bs, be)
        kept_in_block: list[int] = []
        for k, (a, b) in enumerate(sentences):
            region_start = bs if k == 0 else a
            region_end = sentences[k + 1][0] if k + 1 < len(sentences) else be + 1
            cites = [x for x in mine if region_start <= x.pos < region_end]
            clean = _claim_text(body[a:b])
            if not any(c.isalpha() for c in clean):
                if cites and kept_in_block:  # "... said so. (https://x)": the URL cites it
                    found[kept_in_block[-1]][2].extend(cites)
                continue
            kept_in_block.append(len(found))
            span = _span(text, a, b)
            if span is not None:  # markers after the full stop belong to the sentence
                marker_end = max((x.end for x in cites if x.pos >= b), default=-1)
                span = (span[0], max(span[1], marker_end))
            found.append((clean, span, cites))
    return _document(found, refs, source, warnings, url)


def _document(
    found: list[tuple[str, tuple[int, int] | None, list[Anchor]]],
    refs: Refs,
    source: str,
    warnings: list[str],
    url: str | None,
) -> Document:
    # Number the references: the format's numbers, else in order of first citation.
    order: dict[str, None] = {}  # keys in order of first citation
    for number, (_, _, cites) in enumerate(found, start=1):
        for anchor in cites:
            if anchor.key not in refs.entries:
                label = anchor.label or anchor.key
                warnings.append(f"claim {number} cites {label}, which is not in the reference list")
            else:
                order.setdefault(anchor.key)
    uncited = [k for k, e in refs.entries.items() if e.defined and k not in order]
    taken = {str(e.fixed) for e in refs.entries.values() if e.fixed is not None}
    ids: dict[str, RefId] = {}
    counter = 0
    for key in [*order, *uncited]:
        entry = refs.entries[key]
        if entry.fixed is not None:
            ids[key] = entry.fixed
            continue
        counter += 1
        while str(counter) in taken:
            counter += 1
        ids[key] = counter
    claims = []
    for clean, span, cites in found:
        cited: list[RefId] = []
        for anchor in cites:
            ref_id = ids.get(anchor.key)
            if ref_id is not None and ref_id not in cited:
                cited.append(ref_id)
        claims.append(Claim(clean, tuple(cited), span))
    # Numbered references in number order, then the others (note 1, a...) as cited.
    keys = [*order, *uncited]
    numbered = sorted((k for k in keys if isinstance(ids[k], int)), key=lambda k: ids[k])
    keys = numbered + [k for k in keys if not isinstance(ids[k], int)]
    references = [Reference(ids[k], refs.entries[k].url, refs.entries[k].title) for k in keys]
    for key in uncited:
        warnings.append(f"reference [{ids[key]}] is never cited")
    if not claims:
        warnings.append("no claims found in the text")
    return Document(
        tuple(claims), tuple(references), url=url, text=source, warnings=tuple(warnings)
    )
