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

This module detects the format and dispatches to its reader
(:mod:`._markdown`, :mod:`._htmldoc`, :mod:`._wikitext`). The machinery the
readers share lives in :mod:`._docrefs` (URLs, DOIs and :class:`Refs`, the
references) and :mod:`._visible` (:class:`Visible`, the visible text of an
input with each character mapped back to its offset, and :func:`finish`,
which segments it into claims); its names stay importable from here.
"""

from __future__ import annotations

import re
from typing import Final

# Names imported as themselves are re-exported: they were defined here, and
# callers import them from here.
from ._docrefs import RELATIVE as RELATIVE
from ._docrefs import Entry as Entry
from ._docrefs import Refs as Refs
from ._docrefs import clean_title as clean_title
from ._docrefs import doi_of as doi_of
from ._docrefs import doi_url as doi_url
from ._docrefs import entry_url as entry_url
from ._docrefs import find_urls as find_urls
from ._docrefs import reference_url as reference_url
from ._docrefs import web_url as web_url
from ._exceptions import InputError
from ._markdown import parse_markdown
from ._models import Document
from ._parse import _MARKER_RE, _split_reference_section, parse_text
from ._visible import Anchor as Anchor
from ._visible import Visible as Visible
from ._visible import finish as finish

__all__ = ["FORMATS", "detect_format", "parse_document"]

FORMATS: Final = ("text", "markdown", "html", "mediawiki-html", "wikitext")
"""The formats :func:`parse_document` reads (``"auto"`` detects one of them)."""

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
    if not isinstance(text, str):
        raise InputError(f"text: expected str, got {type(text).__name__}")
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
        return parse_markdown(text, base_url)
    if format in ("html", "mediawiki-html"):
        from ._htmldoc import parse_html

        return parse_html(text, mediawiki=format == "mediawiki-html", base_url=base_url)
    if format == "wikitext":
        from ._wikitext import parse_wikitext

        return parse_wikitext(text, base_url=base_url)
    choices = ", ".join(("auto", *FORMATS))
    raise InputError(f"unknown input format {format!r}: expected one of {choices}")
