"""The references of a document: URLs, DOIs and titles as every input format finds them.

DOIs (``doi:10.1234/x``, ``https://doi.org/...``, ``dx.doi.org``) are
recognised everywhere and become references whose URL is
``https://doi.org/<doi>``. :class:`Refs` collects a document's references,
keyed by what the format calls them (a footnote label, a list item's id, a
``<ref>`` name, an inline URL), so that the same URL cited twice is one
reference. Sections headed "References", "External links"... list
references, not claims.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final
from urllib.parse import quote, unquote, urljoin

from ._exceptions import InvalidURLError
from ._models import RefId
from ._urls import canonicalize, strip_prose

__all__ = [
    "RELATIVE",
    "Entry",
    "Refs",
    "clean_title",
    "doi_of",
    "doi_url",
    "entry_url",
    "find_urls",
    "reference_url",
    "web_url",
]

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


# The headings of sections that list references or links, not claims.
_REFERENCE_HEADINGS_RE: Final = re.compile(
    r"^\s*(?:references|sources|notes|citations|bibliography|works cited|footnotes|"
    r"endnotes|further reading|external links|see also|links)\s*:?\s*$",
    re.IGNORECASE,
)
