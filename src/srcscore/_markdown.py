"""Markdown -> a Document: footnotes, inline and reference-style links, bare URLs.

Footnotes (``[^1]`` with ``[^1]: URL`` definitions), inline links
``[text](url)``, reference-style links ``[text][id]`` with ``[id]: url``
definitions, autolinks ``<https://...>`` and bare URLs and DOIs cite from the
sentence that holds them. Code, images, HTML tags and comments are not claim
text, and sections headed "References", "Sources", "See also"... are not
claims.
"""

from __future__ import annotations

import re
from typing import Final

from ._docrefs import (
    _DOI_TEXT_RE,
    _PROSE_URL_RE,
    _REFERENCE_HEADINGS_RE,
    RELATIVE,
    Refs,
    clean_title,
    entry_url,
    find_urls,
    web_url,
)
from ._models import Document, RefId
from ._searchmemo import SearchMemo
from ._visible import Visible, finish

__all__ = ["parse_markdown"]

_FENCE_RE: Final = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX_RE: Final = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)")
_SETEXT_RE: Final = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_HR_RE: Final = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_FOOTDEF_RE: Final = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:[ \t]?")
_LINKDEF_RE: Final = re.compile(
    r"^ {0,3}\[((?:[^\[\]\\]|\\.)+)\]:[ \t]*<?([^\s>]+)>?"
    r"(?:[ \t]+(?:\"([^\"]*)\"|'([^']*)'|\(([^)]*)\)))?[ \t]*$"
)
_QUOTE_RE: Final = re.compile(r"^ {0,3}>[ \t]?")
_COMMENT_RE: Final = re.compile(r"<!--.*?-->", re.DOTALL)
_HTML_TAG_RE: Final = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")
_SPACE_RE: Final = re.compile(r"\s")
_TICKS_RE: Final = re.compile(r"`+")
_AUTOLINK_RE: Final = re.compile(r"<((?:https?:)?//[^\s<>]+|www\.[^\s<>]+)>", re.IGNORECASE)
_ESCAPABLE: Final = frozenset("\\`*_{}[]()#+-.!|<>~^\"'$%&,/:;=?@")


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def _matching(
    text: str,
    start: int,
    end: int,
    open_: str,
    close: str,
    known: dict[tuple[str, int, int], int] | None = None,
) -> int:
    """Index of the bracket closing the one at ``start``, or -1 (escapes and nesting aware).

    ``known`` (for one ``text``) remembers the answer for every opening bracket
    the scan passes: a scan from any of them would walk the same positions, so
    ``[[[[...`` costs one scan, not one per bracket.
    """
    if known is not None and (open_, start, end) in known:
        return known[open_, start, end]
    opened: list[int] = []
    i = start
    while i < end:
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "`":  # code spans hide brackets
            close_tick = text.find("`", i + 1, end)
            if close_tick > 0:
                i = close_tick + 1
                continue
        if char == open_:
            opened.append(i)
        elif char == close and opened:
            where = opened.pop()
            if known is not None:
                known[open_, where, end] = i
            if not opened:
                return i
        i += 1
    if known is not None:
        for where in opened:
            known[open_, where, end] = -1
    return -1


class _Markdown:
    """One Markdown document being read: its visible text, references and link definitions."""

    def __init__(self, source: str, base_url: str | None) -> None:
        self.source = source
        self._closing: dict[tuple[str, int, int], int] = {}  # _matching's answers for source
        self._found: dict[tuple[str, int], int] = {}  # _last's answers for source
        self._searches = SearchMemo()  # for source only
        # The backtick run being read: (start, its end, the text's end, longest run after).
        self._run: tuple[int, int, int, int] = (-1, -1, -1, -1)
        self.base_url = base_url
        self.vis = Visible()
        self.refs = Refs()
        self.warnings: list[str] = []
        self.linkdefs: dict[str, tuple[str, str | None]] = {}
        self.footnotes: dict[str, str] = {}  # label -> key
        self.relative = 0

    # Block level -----------------------------------------------------------------------

    def parse(self) -> Document:
        lines = self.source.splitlines(keepends=True)
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line))
        kinds = self._classify(lines)
        skip_level = 0  # inside a "References" section of this heading level
        run: list[int] = []
        for i, kind in enumerate(kinds):
            line = lines[i]
            if kind == "text" and not skip_level:
                run.append(i)
                continue
            self._flush(run, offsets)
            run = []
            if kind[0] == "h" and kind[1:].isdigit():
                level = int(kind[1:])
                title = _ATX_RE.sub("", line).strip().rstrip("#").strip()
                if skip_level and level > skip_level:
                    continue
                skip_level = level if _REFERENCE_HEADINGS_RE.match(title) else 0
                if not skip_level:
                    self._heading(line, offsets[i])
            elif kind in ("s1", "s2"):  # a setext heading: this line, underlined by the next
                level = int(kind[1:])
                if skip_level and level > skip_level:
                    continue
                skip_level = level if _REFERENCE_HEADINGS_RE.match(line) else 0
                if not skip_level:
                    self._heading(line, offsets[i], atx=False)
            elif kind == "quote" and not skip_level:
                match = _QUOTE_RE.match(line)
                assert match is not None
                self.vis.newline()
                self._inline(self.source, offsets[i] + match.end(), offsets[i + 1])
            else:  # blank, fence, code, definition, rule: the paragraph ends
                self.vis.paragraph()
        self._flush(run, offsets)
        if self.relative:
            self.warnings.append(
                f"{self.relative} relative link(s) ignored: give base_url to resolve them"
            )
        return finish(self.vis, self.refs, self.source, self.warnings, self.base_url)

    def _classify(self, lines: list[str]) -> list[str]:
        """A kind per line: text, blank, fence, code, def, h1..h6, s1/s2, under, hr, quote."""
        kinds: list[str] = []
        fence: str | None = None
        footnote: tuple[str, list[str]] | None = None
        for i, line in enumerate(lines):
            stripped = line.strip()
            if fence is not None:
                kinds.append("code")
                if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                    fence = None
                continue
            if footnote is not None:
                if stripped and (line.startswith(("  ", "\t"))):
                    footnote[1].append(line)
                    kinds.append("def")
                    continue
                self._footnote(*footnote)
                footnote = None
            fence_match = _FENCE_RE.match(line)
            if fence_match:
                fence = fence_match.group(1)
                kinds.append("fence")
                continue
            if not stripped:
                kinds.append("blank")
                continue
            foot = _FOOTDEF_RE.match(line)
            if foot:
                footnote = (foot.group(1), [line[foot.end() :]])
                kinds.append("def")
                continue
            link = _LINKDEF_RE.match(line.rstrip("\r\n"))
            if link and not link.group(1).startswith("^"):
                title = link.group(3) or link.group(4) or link.group(5)
                self.linkdefs.setdefault(_label(link.group(1)), (link.group(2), title))
                kinds.append("def")
                continue
            atx = _ATX_RE.match(line)
            if atx:
                kinds.append(f"h{len(atx.group(1))}")
                continue
            if _SETEXT_RE.match(line) and kinds and kinds[-1] == "text" and "=" in line:
                kinds[-1] = "s1"
                kinds.append("under")
                continue
            if (
                _SETEXT_RE.match(line)
                and kinds
                and kinds[-1] == "text"
                and (i < 2 or kinds[-2] in ("blank", "under", "hr") or kinds[-2].startswith("h"))
            ):
                kinds[-1] = "s2"
                kinds.append("under")
                continue
            if _HR_RE.match(line):
                kinds.append("hr")
                continue
            if _QUOTE_RE.match(line):
                kinds.append("quote")
                continue
            kinds.append("text")
        if footnote is not None:
            self._footnote(*footnote)
        return kinds

    def _footnote(self, label: str, parts: list[str]) -> None:
        text = " ".join(p.strip() for p in parts)
        links: list[str] = []
        title: str | None = None
        # No "[" inside the parts: each try stops at the next "[" (no quadratic "[[[[...").
        for match in re.finditer(r"\[([^\[\]]*)\]\(\s*<?([^\s)>\[]+)>?[^)\[]*\)", text):
            target = web_url(match.group(2), self.base_url)
            if target is not None and target != RELATIVE:
                links.append(target)
                if title is None and not _PROSE_URL_RE.match(match.group(1)):
                    title = match.group(1)
        url = entry_url(text, links)
        if title is None:
            rest = text
            for _, _, found in find_urls(text):
                rest = rest.replace(found, " ")
            rest = _PROSE_URL_RE.sub(" ", _DOI_TEXT_RE.sub(" ", rest))
            rest = re.sub(r"\[([^\[\]]*)\]\([^)\[]*\)", r"\1", rest)
            title = rest
        fixed: RefId | None = int(label) if label.isdigit() else None
        key = "fn:" + label
        self.footnotes[label] = key
        self.refs.define(key, url, clean_title(title), fixed)

    def _heading(self, line: str, offset: int, *, atx: bool = True) -> None:
        self.vis.paragraph()
        start = self.vis.pos
        content_start = offset
        content_end = offset + len(line.rstrip("\r\n"))
        if atx:
            match = _ATX_RE.match(line)
            assert match is not None
            content_start = offset + match.end()
        self._inline(self.source, content_start, content_end)
        self.vis.titles.append((start, self.vis.pos))
        self.vis.paragraph()

    def _flush(self, run: list[int], offsets: list[int]) -> None:
        """Read a run of paragraph lines, contiguous in the input: links may span lines."""
        if run:
            self._inline(self.source, offsets[run[0]], offsets[run[-1] + 1])

    # Inline level ----------------------------------------------------------------------

    def _link_target(self, dest: str) -> str | None:
        target = web_url(dest, self.base_url)
        if target == RELATIVE:
            self.relative += 1
            return None
        return target

    def _inline(self, text: str, start: int, end: int, *, in_link: bool = False) -> None:
        # Bare URLs first: "_" or "*" inside a URL is no emphasis. Link texts keep theirs.
        urls = (
            [] if in_link else [(a + start, b + start, u) for a, b, u in find_urls(text[start:end])]
        )
        u = 0
        i = plain = start  # plain: start of pending plain text
        while i < end:
            while u < len(urls) and urls[u][0] < i:
                u += 1
            if u < len(urls) and urls[u][0] == i:
                self._plain(text, plain, i)
                self.vis.cite(self.refs.link(urls[u][2]))
                i = plain = urls[u][1]
                continue
            if text[i] not in "\\`[!<*_~":
                i += 1
                continue
            self._plain(text, plain, i)
            plain = i
            handled = self._construct(text, i, end, in_link)
            if handled is None:
                i += 1
                continue
            i = plain = handled
        self._plain(text, plain, end)

    def _plain(self, text: str, a: int, b: int) -> None:
        if a < b:
            self.vis.add(text[a:b], a)

    def _construct(self, text: str, i: int, end: int, in_link: bool) -> int | None:
        """Handle the inline construct at ``i``; return where plain text resumes, or None."""
        vis = self.vis
        char = text[i]
        if char == "\\":
            if i + 1 < end and text[i + 1] in _ESCAPABLE:
                vis.add(text[i + 1], i + 1)
                return i + 2
            return None
        if char == "`":
            close, ticks = self._code_close(text, i, end)
            if close < 0:
                return None
            vis.add(text[i + ticks : close], i + ticks)
            return close + ticks
        if char in "*_~":
            return self._emphasis(text, i, end)
        if char == "<":
            # Only when a "-->" follows somewhere: "<!--" * 10**5 must not rescan the rest.
            comment = self._last("-->", text, end) >= i + 4 and _COMMENT_RE.match(text, i, end)
            if comment:
                return comment.end()
            auto = _AUTOLINK_RE.match(text, i, end)
            if auto:
                target = self._link_target(auto.group(1))
                if target is not None:
                    vis.cite(self.refs.link(target))
                return auto.end()
            tag = _HTML_TAG_RE.match(text, i, end)
            if tag:
                if tag.group().lower().startswith("<br"):
                    vis.newline()
                return tag.end()
            return None
        if char == "!":
            if i + 1 < end and text[i + 1] == "[":
                close = self._match(text, i + 1, end, "[", "]")
                if close < 0:
                    return None
                after = self._destination(text, close + 1, end)
                if after is not None:
                    return after[0]  # an image is not a citation, nor claim text
                ref = self._reference_label(text, i + 1, close, end)
                if ref is not None:
                    return ref[0]
            return None
        if char == "[" and not in_link:
            return self._bracket(text, i, end)
        return None

    def _emphasis(self, text: str, i: int, end: int) -> int | None:
        run_end = i
        while run_end < end and text[run_end] == text[i]:
            run_end += 1
        before = text[i - 1] if i > 0 else " "
        after = text[run_end] if run_end < end else " "
        if text[i] == "~" and run_end - i < 2:
            return None
        if text[i] == "_" and before.isalnum() and after.isalnum():
            return None  # snake_case
        if before.isspace() and after.isspace():
            return None  # 2 * 3
        if text[i] == "*" and (i == 0 or text[i - 1] == "\n") and after in " \t":
            return None  # a bullet
        return run_end

    def _last(self, needle: str, text: str, end: int) -> int:
        """``text.rfind(needle, 0, end)``, computed once per ``end`` for the source."""
        if text is not self.source:
            return text.rfind(needle, 0, end)
        key = (needle, end)
        if key not in self._found:
            self._found[key] = text.rfind(needle, 0, end)
        return self._found[key]

    def _code_close(self, text: str, i: int, end: int) -> tuple[int, int]:
        """(where the code span opened by the backticks at ``i`` closes or -1, their count).

        The backtick run and, once no closing run was found, the longest run
        after it are remembered, so "`" * 10**5 is not rescanned per backtick.
        """
        start, stop, known_end, longest = self._run
        if not (text is self.source and start < i < stop and known_end == end):
            run = _TICKS_RE.match(text, i, end)
            assert run is not None
            start, stop, longest = i, run.end(), -1
        ticks = stop - i
        if 0 <= longest < ticks:
            close = -1
        else:
            close = text.find("`" * ticks, stop, end)
            if close < 0:
                longest = max((len(r) for r in _TICKS_RE.findall(text, stop, end)), default=0)
        if text is self.source:
            self._run = (start, stop, end, longest)
        return close, ticks

    def _match(self, text: str, start: int, end: int, open_: str, close: str) -> int:
        known = self._closing if text is self.source else None
        return _matching(text, start, end, open_, close, known)

    def _destination(self, text: str, i: int, end: int) -> tuple[int, str, str | None] | None:
        """``(dest "title")`` at ``i``: (end, destination, title) or None."""
        if i >= end or text[i] != "(":
            return None
        close = self._match(text, i, end, "(", ")")
        if close < 0:
            return None
        inner = text[i + 1 : close].strip()
        if inner.startswith("<"):
            gt = inner.find(">")
            dest, rest = (inner[1:gt], inner[gt + 1 :]) if gt > 0 else (inner, "")
        else:
            parts = inner.split(None, 1)
            dest = parts[0] if parts else ""
            rest = parts[1] if len(parts) > 1 else ""
        rest = rest.strip()
        title = rest[1:-1] if len(rest) >= 2 and rest[0] in "\"'(" else None
        return close + 1, dest, title

    def _reference_label(
        self, text: str, open_: int, close: int, end: int
    ) -> tuple[int, str, tuple[str, str | None]] | None:
        """A reference link's label after ``[text]``: ``[id]``, ``[]`` or nothing."""
        after = close + 1
        if after < end and text[after] == "[":
            close2 = text.find("]", after, end)
            if close2 > 0:
                label = text[after + 1 : close2] or text[open_ + 1 : close]
                found = self.linkdefs.get(_label(label))
                if found is not None:
                    return close2 + 1, label, found
        label = text[open_ + 1 : close]
        found = self.linkdefs.get(_label(label))
        if found is not None:
            return after, label, found
        return None

    def _bracket(self, text: str, i: int, end: int) -> int | None:
        vis = self.vis
        if text.startswith("[^", i):
            # The next "]" and the next space, remembered: "[^" * 10**5 is linear.
            if text is self.source:
                close = self._searches.find(text, "]", i, end)
                space = self._searches.search(text, _SPACE_RE, i + 2, end)
            else:
                close, space = text.find("]", i, end), _SPACE_RE.search(text, i + 2, end)
            if close > i + 2 and not (space is not None and space.start() < close):
                label = text[i + 2 : close]
                key = self.footnotes.get(label, "fn:" + label)
                vis.cite(key, f"[^{label}]", close + 1)
                return close + 1
            return None
        close = self._match(text, i, end, "[", "]")
        if close < 0:
            return None
        inline = self._destination(text, close + 1, end)
        if inline is not None:
            after, dest, title = inline
            return self._link(text, i + 1, close, dest, title, after)
        ref = self._reference_label(text, i, close, end)
        if ref is not None:
            after, _, (dest, title) = ref
            inner = text[i + 1 : close].strip()
            if inner.isdigit():  # "[1]" defined as a link: a citation marker, not words
                target = self._link_target(dest)
                if target is not None:
                    vis.cite(self.refs.link(target, title), f"[{inner}]", after)
                return after
            return self._link(text, i + 1, close, dest, title, after)
        return None

    def _link(self, text: str, a: int, b: int, dest: str, title: str | None, after: int) -> int:
        target = self._link_target(dest)
        start = self.vis.pos
        if target is not None:
            self.vis.cite(self.refs.link(target, title))
        self._inline(text, a, b, in_link=True)
        if target is not None:
            self.vis.links.append((start, self.vis.pos))
        return after


def parse_markdown(text: str, base_url: str | None = None) -> Document:
    """Read a Markdown article into a Document; ``base_url`` resolves relative links."""
    return _Markdown(text, base_url).parse()
