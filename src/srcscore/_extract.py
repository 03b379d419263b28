"""The main text and title of an HTML page, with the standard library only.

:func:`extract_text` drops what is never prose (scripts, styles, SVG,
templates), what is page furniture (``nav``, ``header``, ``footer``, ``aside``,
``form``, and elements whose class, id or role says navigation, menu, cookie
banner, share buttons, comments, adverts...), prefers the content of
``<main>``, ``role="main"`` or ``itemprop="articleBody"`` when the page has
one, else of its ``<article>`` elements when they hold a real share of the
page (not a few teasers), and keeps block boundaries (paragraphs,
headings, list items, line breaks) as newlines.

It is a heuristic for "what did the cited page say", good enough to check a
claim's words against; it is not a readability engine. Input that does not
look like HTML (no tags) is returned as it is, stripped and capped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Final

__all__ = ["DEFAULT_MAX_CHARS", "cap_text", "extract_text"]

DEFAULT_MAX_CHARS: Final = 500_000
"""Cap on the length of the extracted text (characters)."""

# Never prose: their content is dropped wherever they are.
_DROP_ALWAYS: Final = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "canvas",
        "iframe",
        "object",
        "embed",
        "select",
        "button",
    }
)
# Page furniture. ``header`` is kept inside an article (it holds the headline).
_DROP_FURNITURE: Final = frozenset({"nav", "footer", "aside", "form", "dialog", "menu"})
_DROP_HEADER: Final = frozenset({"header"})
_ARTICLE_TAGS: Final = frozenset({"article"})
_VOID: Final = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "keygen",
    }
)
# Elements whose start and end break the line.
_BLOCK: Final = frozenset(
    {
        "address",
        "article",
        "blockquote",
        "body",
        "caption",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "br",
        "footer",
        "nav",
        "aside",
        "form",
    }
)
# A start tag of one of these closes an open <p> (as browsers do).
_CLOSES_P: Final = _BLOCK - {"br", "td", "th", "tr", "tbody", "thead", "tfoot", "caption"}
# Implicitly closed siblings: tag -> (tags it closes, tags that bound the search).
_IMPLIED_END: Final[dict[str, tuple[frozenset[str], frozenset[str]]]] = {
    "li": (frozenset({"li"}), frozenset({"ul", "ol", "menu"})),
    "dt": (frozenset({"dt", "dd"}), frozenset({"dl"})),
    "dd": (frozenset({"dt", "dd"}), frozenset({"dl"})),
    "tr": (frozenset({"tr", "td", "th"}), frozenset({"table", "tbody", "thead", "tfoot"})),
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "option": (frozenset({"option"}), frozenset({"select", "datalist"})),
}
_BOILERPLATE_WORDS: Final = (
    "nav",
    "navbar",
    "navigation",
    "menu",
    "menubar",
    "footer",
    "header",
    "masthead",
    "sidebar",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "banner",
    "share",
    "sharing",
    "sharebar",
    "social",
    "related",
    "comment",
    "comments",
    "subscribe",
    "subscription",
    "newsletter",
    "advert",
    "advertisement",
    "adverts",
    "ad",
    "ads",
    "promo",
    "promos",
    "promotion",
    "breadcrumb",
    "breadcrumbs",
    "popup",
    "modal",
    "paywall",
    "skiplink",
)
# A class/id token is split on -, _ and camelCase; a part that is one of these
# words, or starts with one of the distinctive ones (``cookiebanner``,
# ``navbar-top``, ``sidebarLeft``), marks the element as furniture.
_BOILERPLATE_PART_RE: Final = re.compile(
    r"^(?:" + "|".join(re.escape(w) for w in _BOILERPLATE_WORDS) + r")$"
    r"|^(?:nav|cookie|sidebar|breadcrumb|advert|subscribe|newsletter|social)",
)
# A class token that starts with one of these describes state, not the element
# (``has-sidebar`` on <body>, ``no-ads``, ``is-nav-open``).
_MODIFIERS: Final = frozenset({"has", "with", "without", "no", "is", "js", "show", "enable"})
# Never dropped for their class or id: they are the page or its content.
_NEVER_FURNITURE: Final = frozenset({"html", "body", "main", "article"})

_HEADER_PART_RE: Final = re.compile(r"^(?:header|masthead)$")
_TOKEN_SPLIT_RE: Final = re.compile(r"[\-_:.]+|(?<=[a-z])(?=[A-Z])")
_BOILERPLATE_ROLES: Final = frozenset(
    {
        "navigation",
        "banner",
        "contentinfo",
        "complementary",
        "search",
        "menu",
        "menubar",
        "dialog",
        "alertdialog",
        "alert",
        "toolbar",
    }
)
_TAG_RE: Final = re.compile(r"<(?:!doctype|!--|/?[a-zA-Z][a-zA-Z0-9:-]*(?:\s[^<>]*)?/?)>", re.I)
_SPACES_RE: Final = re.compile(r"[^\S\n]+")
_NEWLINES_RE: Final = re.compile(r"\s*\n\s*")
_TITLE_METAS: Final = ("og:title", "twitter:title")
# The text of <article>s wins when it is at least this long, or this share of the page.
_ARTICLE_MIN_CHARS: Final = 140
_ARTICLE_MIN_SHARE: Final = 0.5


def _is_boilerplate(attrs: dict[str, str], *, in_main: bool) -> bool:
    role = attrs.get("role", "").strip().lower()
    if role in _BOILERPLATE_ROLES:
        return True
    if "hidden" in attrs or attrs.get("aria-hidden", "").strip().lower() == "true":
        return True
    style = attrs.get("style", "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    for key in ("class", "id"):
        for token in attrs.get(key, "").split():
            parts = [p.lower() for p in _TOKEN_SPLIT_RE.split(token) if p]
            if not parts or parts[0] in _MODIFIERS:
                continue
            for part in parts:
                if in_main and _HEADER_PART_RE.match(part):
                    continue  # an article's header holds its headline
                if _BOILERPLATE_PART_RE.match(part):
                    return True
    return False


def _is_main(tag: str, attrs: dict[str, str]) -> bool:
    return (
        tag == "main"
        or attrs.get("role", "").strip().lower() == "main"
        or attrs.get("itemprop", "").strip().lower() == "articlebody"
    )


class _Frame:
    __slots__ = ("article", "main", "pre", "skip", "tag")

    def __init__(self, tag: str, skip: bool, main: bool, article: bool, pre: bool) -> None:
        self.tag = tag
        self.skip = skip
        self.main = main
        self.article = article
        self.pre = pre


class _Extractor(HTMLParser):
    def __init__(self, *, furniture: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.furniture = furniture
        self.stack: list[_Frame] = []
        self.skip_depth = 0
        self.main_depth = 0
        self.article_depth = 0
        self.pre_depth = 0
        self.all_parts: list[str] = []
        self.main_parts: list[str] = []
        self.article_parts: list[str] = []
        self.title_parts: list[str] | None = None
        self.title: str | None = None
        self.meta_title: dict[str, str] = {}
        self.budget = 0  # set by feed_all: characters of text to collect at most

    # -- the element stack ------------------------------------------------
    def _push(self, tag: str, attrs: dict[str, str]) -> None:
        skip = tag in _DROP_ALWAYS
        if not skip and self.furniture:
            in_main = self.main_depth > 0 or self.article_depth > 0
            skip = (
                tag in _DROP_FURNITURE
                or (tag in _DROP_HEADER and not in_main)
                or (tag not in _NEVER_FURNITURE and _is_boilerplate(attrs, in_main=in_main))
            )
        main = not skip and _is_main(tag, attrs)
        article = not skip and tag in _ARTICLE_TAGS
        frame = _Frame(tag, skip, main, article, tag in ("pre", "textarea", "listing"))
        self.stack.append(frame)
        self.skip_depth += frame.skip
        self.main_depth += frame.main
        self.article_depth += frame.article
        self.pre_depth += frame.pre

    def _pop_to(self, index: int) -> None:
        while len(self.stack) > index:
            frame = self.stack.pop()
            self.skip_depth -= frame.skip
            self.main_depth -= frame.main
            self.article_depth -= frame.article
            self.pre_depth -= frame.pre
            if frame.tag in _BLOCK:
                self._break()

    def _find(self, tags: frozenset[str], bounds: frozenset[str]) -> int | None:
        for i in range(len(self.stack) - 1, -1, -1):
            tag = self.stack[i].tag
            if tag in tags:
                return i
            if tag in bounds:
                return None
        return None

    # -- text ---------------------------------------------------------------
    def _emit(self, text: str) -> None:
        if self.budget <= 0:
            return
        self.budget -= len(text)
        self._append(text)

    def _break(self) -> None:
        if not self.skip_depth:
            self._append("\n")

    def _append(self, text: str) -> None:
        self.all_parts.append(text)
        if self.main_depth:
            self.main_parts.append(text)
        if self.article_depth:
            self.article_parts.append(text)

    # -- parser callbacks ---------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        amap = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (amap.get("property") or amap.get("name") or "").strip().lower()
            if key in _TITLE_METAS and amap.get("content", "").strip():
                self.meta_title.setdefault(key, amap["content"])
            return
        if tag == "title":
            # The document title, not an SVG tooltip's.
            if self.title is None and not any(f.tag == "svg" for f in self.stack):
                self.title_parts = []
            return
        if tag in _VOID:
            if tag in ("br", "hr"):
                self._break()
            return
        if tag in ("head", "body", "html"):
            return  # structure only: <head> holds no text but the title
        if self.stack and self.stack[-1].tag == "p" and tag in _CLOSES_P:
            self._pop_to(len(self.stack) - 1)
        implied = _IMPLIED_END.get(tag)
        if implied is not None:
            index = self._find(*implied)
            if index is not None:
                self._pop_to(index)
        if tag in _BLOCK:
            self._break()
        self._push(tag, amap)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID or tag == "meta":
            self.handle_starttag(tag, attrs)
        # a self-closed non-void element (<div/>, <svg .../>) holds nothing

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            if self.title_parts is not None:
                self.title = _one_line("".join(self.title_parts))
                self.title_parts = None
            return
        if tag in _VOID:
            if tag == "br":
                self._break()  # browsers read </br> as <br>
            return
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].tag == tag:
                self._pop_to(i)
                return
        if tag == "p":
            self._break()

    def handle_data(self, data: str) -> None:
        if self.title_parts is not None:
            self.title_parts.append(data)
            return
        if self.skip_depth:
            return
        if self.pre_depth:
            self._emit(data.replace("\r\n", "\n"))
        else:
            self._emit(data.replace("\n", " ").replace("\r", " "))

    def close(self) -> None:
        super().close()
        self._pop_to(0)
        if self.title_parts is not None:  # an unclosed <title>
            self.title = _one_line("".join(self.title_parts))
            self.title_parts = None


def _collapse(text: str) -> str:
    return _SPACES_RE.sub(" ", text).strip()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _tidy(parts: list[str]) -> str:
    lines = (_collapse(line) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def cap_text(text: str, max_chars: int) -> str:
    """Cut ``text`` to at most ``max_chars`` characters, at a word boundary if one is near."""
    if len(text) <= max_chars:
        return text
    cut = text[:max_chars]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    return (cut[:space] if space > max_chars * 0.9 else cut).rstrip()


def _run(html: str, *, furniture: bool, max_chars: int) -> _Extractor:
    parser = _Extractor(furniture=furniture)
    # Collect a little more raw text than the cap: whitespace collapses later.
    parser.budget = max_chars * 2 + 1000
    start = html.rfind("<!--")
    if start != -1 and html.find("-->", start + 4) == -1:
        html = html[:start]  # an unterminated comment runs to the end, as in browsers
    parser.feed(html)
    parser.close()
    return parser


def extract_text(html: str, *, max_chars: int = DEFAULT_MAX_CHARS) -> tuple[str, str | None]:
    """Return the main text of an HTML page and its title: ``(text, title)``.

    The title is ``og:title`` (or ``twitter:title``) when the page has one,
    else its ``<title>``, else ``None``. Entities are decoded, whitespace is
    collapsed, blocks become lines, and the text is cut to ``max_chars``
    characters (at a word boundary). Input without any tag is plain text: it is
    returned stripped (line breaks kept) with no title.
    """
    if not isinstance(html, str):
        raise TypeError(f"html: expected str, got {type(html).__name__}")
    if not _TAG_RE.search(html):
        return cap_text(html.replace("\r\n", "\n").strip(), max_chars), None
    try:
        parser = _run(html, furniture=True, max_chars=max_chars)
    except Exception:  # html.parser is lenient; this is a last resort
        return cap_text(_tidy([re.sub(r"<[^>]*>", "\n", html)]), max_chars), None
    whole = _tidy(parser.all_parts)
    main = _tidy(parser.main_parts)
    article = _tidy(parser.article_parts)
    if main:  # <main>, role="main", itemprop="articleBody": the page says where it is
        text = main
    elif article and (
        len(article) >= _ARTICLE_MIN_CHARS or len(article) >= _ARTICLE_MIN_SHARE * len(whole)
    ):
        text = article  # <article>s, unless they are a few teasers on a longer page
    elif whole:
        text = whole
    else:
        # Everything looked like furniture (an unclosed <aside>, a page that is
        # one big form...): better the whole page than nothing.
        text = _tidy(_run(html, furniture=False, max_chars=max_chars).all_parts)
    title = next((parser.meta_title[k] for k in _TITLE_METAS if k in parser.meta_title), None)
    title = _one_line(title) if title else (parser.title or None)
    return cap_text(text, max_chars), title
