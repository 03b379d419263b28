"""Turning a response body into text: content types, decompression under a byte cap, charsets.

Nothing here trusts the server: the decoded size is capped while
decompressing (a small gzip bomb stops at ``max_bytes``), a missing content
type is sniffed from the first bytes, and the charset comes from the BOM, the
header, ``<meta charset>`` or UTF-8, in that order, with undecodable bytes
replaced rather than fatal.
"""

from __future__ import annotations

import codecs
import re
import zlib
from typing import TYPE_CHECKING, Any, Final

from ._fetchtypes import _Failure

if TYPE_CHECKING:
    import httpx

__all__ = ["decode_body"]

_TEXT_TYPES: Final = frozenset(
    {
        "text/html",
        "text/plain",
        "application/xhtml+xml",
        "application/xml",
        "text/xml",
        "application/json",
    }
)
_MARKUP_TYPES: Final = frozenset(
    {"text/html", "application/xhtml+xml", "application/xml", "text/xml"}
)
_SNIFF_BYTES: Final = 4096
_META_CHARSET_RE: Final = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:\-]+)"""
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:\-]+)""",
    re.IGNORECASE,
)
# WHATWG: these labels mean windows-1252 in a web page.
_CHARSET_ALIASES: Final = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "windows-1252": "cp1252",
}
_BOMS: Final = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_HTML_START_RE: Final = re.compile(
    rb"(?:\xef\xbb\xbf)?\s*<(?:!doctype|html|head|body|!--|p|div|title|meta)", re.I
)


# -- bodies ------------------------------------------------------------------------------


class _Decoder:
    """Incremental content decoding with a hard cap on the output."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        if encoding in ("gzip", "x-gzip"):
            self._obj: Any = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif encoding == "deflate":
            self._obj = zlib.decompressobj()
            self._first = True
        else:
            raise _Failure(f"unsupported content encoding: {encoding}")

    def feed(self, data: bytes, limit: int) -> bytes:
        try:
            out: bytes = self._obj.decompress(data, limit)
        except zlib.error:
            if self.encoding != "deflate" or not getattr(self, "_first", False):
                raise _Failure(f"bad {self.encoding} data") from None
            self._obj = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate
            self._first = False
            return self.feed(data, limit)
        self._first = False
        if self._obj.unconsumed_tail:
            raise _Failure("too large")
        return out

    def flush(self) -> bytes:
        try:
            return bytes(self._obj.flush())
        except zlib.error:
            raise _Failure(f"bad {self.encoding} data") from None


async def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    encodings = [
        e.strip().lower()
        for e in response.headers.get("content-encoding", "").split(",")
        if e.strip() and e.strip().lower() != "identity"
    ]
    if response.is_stream_consumed:  # built in memory (a mock): already read and decoded
        if len(response.content) > max_bytes:
            raise _Failure("too large")
        return response.content
    decoders = [_Decoder(e) for e in reversed(encodings)]
    body = bytearray()
    raw_total = 0
    async for chunk in response.aiter_raw():
        raw_total += len(chunk)
        if raw_total > max_bytes:
            raise _Failure("too large")
        data = chunk
        for decoder in decoders:
            data = decoder.feed(data, max_bytes - len(body) + 1)
        body += data
        if len(body) > max_bytes:
            raise _Failure("too large")
    tail = b""
    for decoder in decoders:  # each decoder's leftovers go through the next one
        tail = (decoder.feed(tail, max_bytes + 1) if tail else b"") + decoder.flush()
    body += tail
    if len(body) > max_bytes:
        raise _Failure("too large")
    return bytes(body)


def _media_type(header: str | None) -> tuple[str | None, str | None]:
    """``(type, charset)`` of a Content-Type header."""
    if not header:
        return None, None
    parts = header.split(";")
    mime = parts[0].strip().lower() or None
    charset = None
    for param in parts[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'").strip() or None
    return mime, charset


def _sniff(body: bytes) -> str:
    head = body[:_SNIFF_BYTES].lstrip()
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "application/octet-stream"
    if _HTML_START_RE.match(head):
        return "text/html"
    return "text/plain"


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_body(body: bytes, header_charset: str | None, *, markup: bool) -> str:
    """Decode a page: BOM, then the header's charset, then ``<meta charset>``, then UTF-8."""
    for bom, bom_codec in _BOMS:
        if body.startswith(bom):
            return body.decode(bom_codec, errors="replace")
    codec = _codec(header_charset)
    if codec is None and markup:
        match = _META_CHARSET_RE.search(body[:_SNIFF_BYTES])
        if match:
            label = (match.group(1) or match.group(2)).decode("ascii", "replace")
            codec = _codec(label)
            if codec is not None and codec.startswith("utf-16"):
                codec = "utf-8"  # a meta tag readable as ASCII is not UTF-16
    return body.decode(codec or "utf-8", errors="replace")
