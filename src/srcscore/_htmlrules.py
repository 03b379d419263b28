"""What an HTML element is to the walker of :mod:`._htmldoc`: text, furniture, a block...

The element vocabulary (void, block and skipped elements, implied end tags)
and the rules that tell page furniture (navigation, menus, share bars,
cookie banners, comments, adverts, MediaWiki's infoboxes and navigation
boxes), a reference list, the page's main content and, in MediaWiki pages,
a link to a wiki page rather than a citation.
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import urlsplit

# The HTML vocabulary is shared with the main-text extractor.
from ._extract import _BLOCK as _EXTRACT_BLOCK
from ._extract import _BOILERPLATE_ROLES, _DROP_ALWAYS
from ._extract import _CLOSES_P as _CLOSES_P
from ._extract import _VOID as _VOID

__all__ = ["is_furniture", "is_internal", "is_main", "is_reflist"]

# What the extractor always drops, and the page's head, title and form fields.
_HARD_SKIP: Final = _DROP_ALWAYS | {"head", "title", "textarea"}
_FURNITURE_TAGS: Final = frozenset({"nav", "header", "footer", "aside", "form", "dialog", "menu"})
_HEADINGS: Final = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# The walker breaks lines at <br> itself, so it is not a block here.
_BLOCK: Final = _EXTRACT_BLOCK - {"br"}
_IMPLIED_END: Final[dict[str, tuple[frozenset[str], frozenset[str]]]] = {
    "li": (frozenset({"li"}), frozenset({"ul", "ol", "menu"})),
    "dt": (frozenset({"dt", "dd"}), frozenset({"dl"})),
    "dd": (frozenset({"dt", "dd"}), frozenset({"dl"})),
    "tr": (frozenset({"tr", "td", "th"}), frozenset({"table", "tbody", "thead", "tfoot"})),
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "option": (frozenset({"option"}), frozenset({"select", "datalist"})),
}
_FURNITURE_WORDS: Final = frozenset(
    """
    nav navbar navigation menu menubar footer header masthead sidebar cookie cookies consent
    gdpr banner share sharing sharebar social related comment comments subscribe subscription
    newsletter advert advertisement adverts ad ads promo promos promotion breadcrumb
    breadcrumbs popup modal paywall skiplink
    """.split()
)
# The extractor's boilerplate roles, but an "alert" may be the article's own news.
_FURNITURE_ROLES: Final = _BOILERPLATE_ROLES - {"alert"}
# MediaWiki classes of what is not article prose.
_MEDIAWIKI_SKIP: Final = frozenset(
    """
    noprint Inline-Template mw-editsection navbox vertical-navbox infobox sidebar hatnote
    toc metadata catlinks mw-jump-link printfooter ambox mw-empty-elt
    navigation-not-searchable shortdescription thumb mw-indicators gallery
    mw-cite-backlink reference-accessdate
    """.split()
)
_REFLIST_WORDS: Final = frozenset(
    {"references", "footnotes", "endnotes", "reflist", "citations", "bibliography"}
)
_MAIN_CLASSES: Final = frozenset({"mw-parser-output"})
_WIKI_HOSTS: Final = (
    "wikipedia.org",
    "wikimedia.org",
    "wikidata.org",
    "wiktionary.org",
    "wikisource.org",
    "wikibooks.org",
    "wikiquote.org",
    "wikinews.org",
    "wikiversity.org",
    "wikivoyage.org",
    "mediawiki.org",
)
_INTERNAL_CLASSES: Final = frozenset(
    {"extiw", "mw-redirect", "new", "image", "mw-file-description", "internal"}
)
_TOKEN_SPLIT_RE: Final = re.compile(r"[\-_:.]+|(?<=[a-z])(?=[A-Z])")


def _parts(value: str) -> list[str]:
    parts: list[str] = []
    for token in value.split():
        parts.extend(p.lower() for p in _TOKEN_SPLIT_RE.split(token) if p)
    return parts


def is_furniture(tag: str, attrs: dict[str, str], *, mediawiki: bool) -> bool:
    """Whether an element is page furniture (navigation, banners...), not article text."""
    if tag in _FURNITURE_TAGS or "hidden" in attrs:
        return True
    if attrs.get("role", "").lower() in _FURNITURE_ROLES:
        return True
    if attrs.get("aria-hidden", "").lower() == "true":
        return True
    classes = attrs.get("class", "").split()
    if mediawiki and (
        tag == "table"
        or any(c in _MEDIAWIKI_SKIP for c in classes)
        or attrs.get("id") in ("toc", "catlinks", "siteSub", "contentSub", "jump-to-nav")
    ):
        return True
    if tag in ("html", "body", "main", "article"):
        return False
    words = _parts(attrs.get("class", "")) + _parts(attrs.get("id", ""))
    return any(w in _FURNITURE_WORDS for w in words)


def is_reflist(tag: str, attrs: dict[str, str]) -> bool:
    """Whether an element is the page's list of references (notes, bibliography...)."""
    if attrs.get("role", "") in ("doc-endnotes", "doc-bibliography"):
        return True
    if tag not in ("ol", "ul", "div", "section", "dl"):
        return False
    words = set(_parts(attrs.get("class", "")) + _parts(attrs.get("id", "")))
    return bool(words & _REFLIST_WORDS) or "mw-references-wrap" in attrs.get("class", "")


def is_main(tag: str, attrs: dict[str, str]) -> bool:
    """Whether an element marks the page's main content."""
    if tag in ("main", "article") or attrs.get("role") == "main":
        return True
    if attrs.get("itemprop") == "articleBody":
        return True
    classes = set(attrs.get("class", "").split())
    return bool(classes & _MAIN_CLASSES) or attrs.get("id") == "mw-content-text"


def is_internal(attrs: dict[str, str], href: str) -> bool:
    """Whether a MediaWiki link goes to a wiki page, and so is not a citation."""
    classes = set(attrs.get("class", "").split())
    rel = attrs.get("rel", "")
    if "external" in classes or "mw:ExtLink" in rel:
        return False
    if "mw:WikiLink" in rel or classes & _INTERNAL_CLASSES:
        return True
    if not href.lower().startswith(("http://", "https://", "//")):
        return True
    try:
        host = (urlsplit(href if "://" in href else "https:" + href).hostname or "").lower()
    except ValueError:  # a malformed address names no wiki page, nor anything else
        return False
    return host.endswith(_WIKI_HOSTS)
