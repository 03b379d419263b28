"""Input formats: detect them and read each into the same :class:`Document`.

Five formats are read:

* ``"text"``: text with ``[n]`` markers and a reference list (:func:`parse_text`);
* ``"markdown"``: footnotes (``[^1]`` with ``[^1]: URL`` definitions), inline
  links ``[text](url)``, reference-style links ``[text][id]`` with
  ``[id]: url`` definitions, autolinks and bare URLs;
* ``"html"``: an HTML article, its inline ``<a href>`` links and ``<sup>``
  markers that point at a reference list (main text only);
* ``"mediawiki-html"``: a rendered Wikipedia (MediaWiki) page;
* ``"wikitext"``: Wikipedia source, ``<ref>`` tags and citation templates.

Every format yields sentences as claims, the references each one cites, and
``span`` offsets into the original input. DOIs (``doi:10.1234/x``,
``https://doi.org/...``, ``dx.doi.org``) are recognised everywhere and become
references whose URL is ``https://doi.org/<doi>``.

The machinery shared by the formats lives here: :class:`Visible` (the
visible text of an input, each character mapped back to its offset in the
input, with the citations anchored in it) and :class:`Refs` (the references,
numbered as the format numbers them, else in order of first citation).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import quote, unquote, urljoin

from ._exceptions import InputError, InvalidURLError
from ._models import Claim, Document, Reference, RefId
from ._parse import (
    _MARKER_RE,
    _blocks,
    _clean_claim,
    _is_title,
    _sentences,
    _split_reference_section,
    parse_text,
)
from ._urls import canonicalize, strip_prose

__all__ = ["FORMATS", "detect_format", "parse_document"]

FORMATS: Final = ("text", "markdown", "html", "mediawiki-html", "wikitext")
"""The formats :func:`parse_document` reads (``"auto"`` detects one of them)."""

# --- URLs and DOIs ------------------------------------------------------------------------

_DOI_BODY: Final = r"10\.\d{1,9}(?:\.\d+)*/[^\s\"<>]+"
_DOI_TEXT_RE: Final = re.compile(r"\bdoi\s*:\s*(" + _DOI_BODY + ")", re.IGNORECASE)
_DOI_URL_RE: Final = re.compile(
    r"^(?:https?:)?(?://)?(?:dx\.|www\.)?doi\.org/(10\.\d{1,9}(?:\.\d+)*/.+)$", re.IGNORECASE
)
# A URL in running text: a scheme, ``www.`` or a DOI resolver, up to a space or a
# character that may not stand raw in a URL. Prose punctuation is cut off after.
_PROSE_URL_RE: Final = re.compile(
    r"(?:https?://|www\.|(?:dx\.)?doi\.org/)[^\s<>\"'`\[\]{}|\\^]+", re.IGNORECASE
)
_OTHER_SCHEME_RE: Final = re.compile(r"^[a-z][a-z0-9+.\-]*:", re.IGNORECASE)
RELATIVE: Final = "relative"
"""What :func:`web_url` returns for a relative link when there is no base URL."""


def doi_url(doi: str) -> str:
    """The canonical resolver URL of a DOI: ``https://doi.org/<doi>``."""
    doi = strip_prose(unquote(doi.strip()))
    return "https://doi.org/" + quote(doi, safe="/:;()[]-._~!$&'*+,=@")


def doi_of(url: str) -> str | None:
    """The DOI a ``doi.org`` / ``dx.doi.org`` URL resolves, else ``None``."""
    match = _DOI_URL_RE.match(unquote(url.strip()))
    if match is None:
        return None
    doi = strip_prose(match.group(1).split("#", 1)[0])
    return doi or None


def reference_url(url: str) -> str:
    """The URL a reference keeps: a DOI's canonical resolver URL, else ``url`` as given."""
    doi = doi_of(url)
    return doi_url(doi) if doi is not None else url


def web_url(href: str, base_url: str | None) -> str | None:
    """The web URL a link points to, :data:`RELATIVE`, or ``None`` when it is no citation.

    In-page (``#x``), ``javascript:``, ``mailto:`` and other non-web links are
    ``None``; relative links are resolved against ``base_url`` when given.
    """
    href = href.strip()
    low = href.lower()
    if not href or href.startswith("#"):
        return None
    if low.startswith(("http://", "https://")):
        return href
    if low.startswith("//"):
        return "https:" + href
    if low.startswith(("www.", "doi.org/", "dx.doi.org/")):
        return "https://" + href
    if _OTHER_SCHEME_RE.match(href):
        return None  # javascript:, mailto:, tel:, data:, ftp: ...
    if base_url:
        try:
            resolved = urljoin(base_url, href)
        except ValueError:  # a malformed base or link ("http://[::1")
            return None
        return resolved if resolved.lower().startswith(("http://", "https://")) else None
    return RELATIVE


def _url_key(url: str) -> str:
    doi = doi_of(url)
    if doi is not None:
        return "doi:" + doi.lower()
    try:
        return "url:" + canonicalize(url).url
    except InvalidURLError:
        return "url:" + url


def find_urls(text: str) -> list[tuple[int, int, str]]:
    """Bare URLs and DOIs in running text: ``(start, end, reference URL)``, in order."""
    found: list[tuple[int, int, str]] = []
    for match in _PROSE_URL_RE.finditer(text):
        raw = match.group()
        cleaned = strip_prose(raw)
        if not cleaned or not raw.startswith(cleaned):
            continue
        url = cleaned if "://" in cleaned else "https://" + cleaned
        found.append((match.start(), match.start() + len(cleaned), reference_url(url)))
    for match in _DOI_TEXT_RE.finditer(text):
        if any(a <= match.start() < b for a, b, _ in found):
            continue
        doi = strip_prose(match.group(1))
        end = match.start(1) + len(doi)
        found.append((match.start(), end, doi_url(doi)))
    return sorted(found)


def entry_url(text: str, links: Iterable[str] = ()) -> str | None:
    """The URL of a reference entry: its DOI if it names one, else its first link or URL."""
    links = list(links)
    for candidate in links:
        if doi_of(candidate) is not None:
            return reference_url(candidate)
    urls = find_urls(text)
    for _, _, url in urls:
        if url.startswith("https://doi.org/"):
            return url
    if links:
        return links[0]
    return urls[0][2] if urls else None


_TITLE_STRIP: Final = " \t\r\n.,;:|-–—\"'“”‘’«»()[]"


def clean_title(title: str | None) -> str | None:
    """A reference title without surrounding quotes, brackets and separators."""
    if title is None:
        return None
    title = re.sub(r"\s+", " ", title.replace("**", "").replace("*", "")).strip(_TITLE_STRIP)
    if title.count('"') == 1:  # 'AP, "Bridge to reopen", https://...' lost its closing quote
        title = title.replace('"', "").strip(_TITLE_STRIP)
    return title or None


# --- references ---------------------------------------------------------------------------


@dataclass
class Entry:
    """A reference as a format found it, before it has its final id."""

    key: str
    url: str | None = None
    title: str | None = None
    fixed: RefId | None = None  # the id the format gives it (a footnote's number...)
    defined: bool = False  # listed by the document: kept (and warned about) if never cited


class Refs:
    """The references of a document, keyed by what the format calls them."""

    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}

    def define(
        self, key: str, url: str | None, title: str | None = None, fixed: RefId | None = None
    ) -> Entry:
        """Add (or complete) a listed reference: a footnote, a list item, a ``<ref>``."""
        entry = self.entries.get(key)
        if entry is None:
            entry = self.entries[key] = Entry(key)
        entry.defined = True
        if url is not None and entry.url is None:
            entry.url = url
        if title is not None and entry.title is None:
            entry.title = title
        if fixed is not None and entry.fixed is None:
            entry.fixed = fixed
        return entry

    def link(self, url: str, title: str | None = None) -> str:
        """Register a URL cited inline; the same URL twice is one reference. Return its key."""
        url = reference_url(url)
        key = _url_key(url)
        entry = self.entries.get(key)
        if entry is None:
            self.entries[key] = Entry(key, url, clean_title(title))
        elif entry.title is None and title:
            entry.title = clean_title(title)
        return key


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


# --- Markdown -----------------------------------------------------------------------------

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
_AUTOLINK_RE: Final = re.compile(r"<((?:https?:)?//[^\s<>]+|www\.[^\s<>]+)>", re.IGNORECASE)
_REFERENCE_HEADINGS_RE: Final = re.compile(
    r"^\s*(?:references|sources|notes|citations|bibliography|works cited|footnotes|"
    r"endnotes|further reading|external links|see also|links)\s*:?\s*$",
    re.IGNORECASE,
)
_ESCAPABLE: Final = frozenset("\\`*_{}[]()#+-.!|<>~^\"'$%&,/:;=?@")


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def _matching(text: str, start: int, end: int, open_: str, close: str) -> int:
    """Index of the bracket closing the one at ``start``, or -1 (escapes and nesting aware)."""
    depth = 0
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
            depth += 1
        elif char == close:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


class _Markdown:
    def __init__(self, source: str, base_url: str | None) -> None:
        self.source = source
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
        for match in re.finditer(r"\[([^\]]*)\]\(\s*<?([^\s)>]+)>?[^)]*\)", text):
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
            rest = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", rest)
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
            ticks = len(text[i:end]) - len(text[i:end].lstrip("`"))
            close = text.find("`" * ticks, i + ticks, end)
            if close < 0:
                return None
            vis.add(text[i + ticks : close], i + ticks)
            return close + ticks
        if char in "*_~":
            return self._emphasis(text, i, end)
        if char == "<":
            comment = _COMMENT_RE.match(text, i, end)
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
                close = _matching(text, i + 1, end, "[", "]")
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

    def _destination(self, text: str, i: int, end: int) -> tuple[int, str, str | None] | None:
        """``(dest "title")`` at ``i``: (end, destination, title) or None."""
        if i >= end or text[i] != "(":
            return None
        close = _matching(text, i, end, "(", ")")
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
            close = text.find("]", i, end)
            label = text[i + 2 : close] if close > 0 else ""
            if label and not any(c.isspace() for c in label):
                key = self.footnotes.get(label, "fn:" + label)
                vis.cite(key, f"[^{label}]", close + 1)
                return close + 1
            return None
        close = _matching(text, i, end, "[", "]")
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


# --- detection and dispatch ---------------------------------------------------------------

_HTML_START_RE: Final = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|\?xml)\b", re.I | re.S
)
_HTML_TAGS_RE: Final = re.compile(
    r"<(?:html|head|body|p|div|span|a|article|section|main|nav|header|footer|ul|ol|li|"
    r"h[1-6]|table|sup|em|strong|blockquote|figure)(?:\s[^<>]*)?>",
    re.IGNORECASE,
)
_MEDIAWIKI_HTML_RE: Final = re.compile(
    r"cite_note-|mw-parser-output|class=\"[^\"]*\bmw-|typeof=\"mw:|class=\"reference\"",
)
_WIKI_REF_RE: Final = re.compile(
    r"<ref(?:\s[^<>]*)?/?>|\{\{\s*(?:cite|citation|reflist|sfn)\b", re.I
)
_WIKI_HINT_RE: Final = re.compile(
    r"\[\[[^\[\]\n]+\]\]|^==+[^=\n]+==+[ \t]*$|'''[^'\n]+'''|\{\{[^{}\n]+\}\}", re.MULTILINE
)
_MARKDOWN_RE: Final = re.compile(
    r"\[\^[^\]\s]+\]|\]\([^)\s]+|\]\[(?![\d\s,;–-]+\])[^\]]*\]|<https?://"
    r"|^ {0,3}\[(?!\d+\])[^\]]+\]:[ \t]*\S",
    re.MULTILINE,
)


def detect_format(text: str) -> str:
    """Guess the format of ``text``: one of :data:`FORMATS`.

    A page that starts as HTML, or text with HTML block tags, is ``"html"``, or
    ``"mediawiki-html"`` when it carries MediaWiki's reference markup;
    ``<ref>`` tags and citation templates make ``"wikitext"``; footnotes,
    Markdown links or bare URLs make ``"markdown"``; anything else, including
    text with ``[n]`` markers and a reference list, is ``"text"``.
    """
    sample = text[:500_000]
    html_tags = len(_HTML_TAGS_RE.findall(sample, 0, 200_000))
    if _HTML_START_RE.match(sample) or (html_tags >= 2 and not _WIKI_REF_RE.search(sample)):
        return "mediawiki-html" if _MEDIAWIKI_HTML_RE.search(sample) else "html"
    if _WIKI_REF_RE.search(sample) or len(_WIKI_HINT_RE.findall(sample)) >= 2:
        return "wikitext"
    if html_tags >= 1 and re.search(r"<a\s[^<>]*href=", sample, re.IGNORECASE):
        return "mediawiki-html" if _MEDIAWIKI_HTML_RE.search(sample) else "html"
    lines = sample.splitlines()
    heading = _split_reference_section(lines)
    body = "\n".join(lines[:heading]) if heading is not None else sample
    if heading is not None and _MARKER_RE.search(body) and not _MARKDOWN_RE.search(body):
        return "text"
    if _MARKDOWN_RE.search(sample) or find_urls(body):
        return "markdown"
    return "text"


def parse_document(text: str, format: str = "auto", *, base_url: str | None = None) -> Document:
    """Read ``text`` in ``format`` (``"auto"``: :func:`detect_format`) into a Document.

    Sentences become claims, with ``span`` offsets into ``text``; links,
    footnotes and reference markers become references. ``base_url``, the
    document's own address, resolves relative links and becomes the
    Document's ``url`` (so citing the same site counts for nothing). Raises
    :class:`~srcscore.InputError` for an unknown format.
    """
    if not isinstance(text, str):
        raise InputError(f"expected text, got {type(text).__name__}")
    if format == "auto":
        format = detect_format(text)
    if format == "text":
        doc = parse_text(text)
        if base_url is not None:
            doc = Document(doc.claims, doc.references, doc.id, base_url, doc.text, doc.warnings)
        return doc
    if format == "markdown":
        return _Markdown(text, base_url).parse()
    if format in ("html", "mediawiki-html"):
        from ._htmldoc import parse_html

        return parse_html(text, mediawiki=format == "mediawiki-html", base_url=base_url)
    if format == "wikitext":
        from ._wikitext import parse_wikitext

        return parse_wikitext(text, base_url=base_url)
    choices = ", ".join(("auto", *FORMATS))
    raise InputError(f"unknown input format {format!r}: expected one of {choices}")
