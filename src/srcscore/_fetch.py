"""Fetching cited pages: opt-in, bounded, cached, and safe to point at any URL.

Scoring never fetches by itself; this module is what ``fetch=True`` uses. It
downloads many pages at once with httpx (imported only when a fetch runs) and
returns, for every URL, a :class:`FetchResult` with the page's main text or a
short reason why there is none. One URL failing never affects the others.

Safety against server-side request forgery (a cited "page" at
``http://169.254.169.254/`` or ``http://localhost:8080/admin``):

* only ``http`` and ``https`` URLs are fetched;
* before any connection, and again on every redirect hop (redirects are
  followed here, never by httpx), the host is resolved and every address it
  resolves to must be public: loopback, private, link-local, multicast,
  reserved, unspecified, shared (CGNAT) addresses and the IPv4-mapped, 6to4,
  NAT64 and Teredo forms of those are refused, unless
  ``allow_private_addresses=True``;
* DNS rebinding: the connection goes to the very address that was vetted. The
  default transport is an httpcore connection pool whose network backend maps
  each host name to the addresses vetted for it in this run and connects to
  those IP literals (TLS still verifies the certificate against the host
  name, and SNI and ``Host`` carry the name), and refuses any host that was not
  vetted. A second DNS answer, between the check and the connect, is never
  asked for. Limits: environment proxies are ignored (``trust_env=False``; a
  proxy would resolve names itself); a host's vetted addresses are kept for
  one :func:`fetch_all` call; with a caller-supplied ``transport`` the check
  runs (through the ``resolver``) but the connection is the transport's
  business, so pinning cannot be guaranteed there.

Everything else: bounded concurrency (globally and per host), per-request and
per-URL timeouts, retries with exponential backoff on 429/502/503/504 and
connection failures honouring ``Retry-After``, a hard byte cap on the decoded
body (decompression included), a content-type check, charset detection, no
cookie kept beyond one URL's redirect chain, and an on-disk cache of the
extracted text keyed by canonical URL.
"""

from __future__ import annotations

import asyncio
import codecs
import concurrent.futures
import contextlib
import email.utils
import hashlib
import http.cookiejar
import ipaddress
import json
import math
import os
import re
import socket
import sys
import tempfile
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, Union

import attrs

from ._exceptions import InputError, InvalidURLError
from ._extract import DEFAULT_MAX_CHARS, cap_text, extract_text
from ._urls import canonicalize
from ._version import __version__

if TYPE_CHECKING:
    import httpx

__all__ = [
    "FetchOptions",
    "FetchResult",
    "Resolver",
    "address_refusal",
    "afetch_all",
    "default_cache_dir",
    "fetch_all",
    "system_resolver",
]

Resolver = Callable[[str], Awaitable[list[str]]]
"""Resolves a host name to IP address strings; an exception or ``[]`` means "DNS failure"."""

USER_AGENT: Final = f"srcscore/{__version__} (+https://srcscore.readthedocs.io)"
_ACCEPT: Final = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,"
    "application/json;q=0.5,*/*;q=0.1"
)
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
_REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})
_RETRY_STATUSES: Final = frozenset({429, 502, 503, 504})
_STATUS_REASONS: Final = {
    401: "paywall or login",
    402: "paywall",
    403: "paywall or blocked",
    404: "gone",
    410: "gone",
    429: "rate limited",
    451: "unavailable for legal reasons",
    500: "server error",
    502: "bad gateway",
    503: "unavailable",
    504: "gateway timeout",
}
_CACHE_VERSION: Final = 1
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
_NAT64: Final = (
    ipaddress.IPv6Network("64:ff9b::/96"),
    ipaddress.IPv6Network("64:ff9b:1::/48"),
)


def default_cache_dir() -> str | None:
    """Where fetched pages are cached: ``$XDG_CACHE_HOME/srcscore/pages``.

    ``XDG_CACHE_HOME`` counts only when it is an absolute path (as the XDG spec
    says); otherwise ``~/.cache``. ``None`` when there is no home directory.
    """
    base = os.environ.get("XDG_CACHE_HOME", "")
    if base and os.path.isabs(base):
        root = Path(base)
    else:
        try:
            root = Path.home() / ".cache"
        except RuntimeError:
            return None
    return str(root / "srcscore" / "pages")


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _positive(_: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not _is_number(value) or not value > 0:
        raise InputError(f"{attribute.name} must be a positive number, got {value!r}")


def _non_negative(_: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not _is_number(value) or not value >= 0:
        raise InputError(f"{attribute.name} must be a number >= 0, got {value!r}")


def _count(minimum: int) -> Callable[[object, attrs.Attribute[int], int], None]:
    def check(_: object, attribute: attrs.Attribute[int], value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise InputError(f"{attribute.name} must be an integer >= {minimum}, got {value!r}")

    return check


def _optional_bool(_: object, attribute: attrs.Attribute[bool | None], value: object) -> None:
    if value is not None and not isinstance(value, bool):
        raise InputError(f"{attribute.name} must be true, false or None, got {value!r}")


def _bool(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise InputError(f"{attribute.name} must be true or false, got {value!r}")


def _cache_dir(_: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None and not isinstance(value, (str, os.PathLike)):
        raise InputError(f"{attribute.name} must be a path or None, got {value!r}")


def _user_agent(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip() or "\n" in value or "\r" in value:
        raise InputError(f"{attribute.name} must be a one-line non-empty string, got {value!r}")


@attrs.frozen
class FetchResult:
    """What fetching one URL gave.

    Attributes:
        url: the URL as it was asked for.
        final_url: the URL the page was served from, after redirects (``None``
            if no request was made).
        status: the final HTTP status, or ``None`` if there was no response.
        text: the page's main text (see :func:`srcscore._extract.extract_text`),
            or ``None`` on error.
        title: the page's title, if it has one.
        content_type: the media type of the page (``text/html``), no parameters.
        error: why there is no text (``"HTTP 404 (gone)"``, ``"timeout"``,
            ``"refused: private address 10.0.0.1"``...), else ``None``.
        from_cache: whether the result came from the on-disk cache.

    """

    url: str
    final_url: str | None = None
    status: int | None = None
    text: str | None = None
    title: str | None = None
    content_type: str | None = None
    error: str | None = None
    from_cache: bool = False

    def raise_for_error(self) -> None:
        """Raise :class:`~srcscore.FetchError` (or ``UnsafeAddressError``) if this fetch failed."""
        from ._exceptions import FetchError, UnsafeAddressError

        if self.error is not None:
            kind = UnsafeAddressError if self.error.startswith("refused:") else FetchError
            raise kind(self.url, self.error)

    @property
    def ok(self) -> bool:
        """Whether the page's text was obtained."""
        return self.error is None and self.text is not None


@attrs.frozen
class FetchOptions:
    """How pages are fetched.

    Attributes:
        timeout: seconds for each network operation (connect, read, write, DNS).
        total_timeout: seconds one URL may take in all, redirects, retries and
            download included (time spent queueing for a slot does not count).
        max_bytes: the largest body accepted, after decompression ("too large").
        max_redirects: redirects followed per URL ("too many redirects").
        concurrency: requests in flight at once.
        per_host: requests in flight at once to one host.
        retries: further attempts after a 429/502/503/504 or a failed connection.
        backoff: the first retry waits this many seconds, then twice as long...
        max_retry_after: the longest wait a ``Retry-After`` header can impose.
        user_agent: the ``User-Agent`` header.
        allow_private_addresses: fetch loopback, private and link-local
            addresses too (for intranets and tests; unsafe on a server).
        cache_dir: the page cache directory (``None``: no cache).
        cache_ttl: seconds a cached page stays fresh.
        use_cache: read and write the cache (``False``: neither).
        progress: show a progress counter on stderr (``None``: if stderr is a terminal).

    """

    timeout: float = attrs.field(default=10.0, validator=_positive)
    total_timeout: float = attrs.field(default=30.0, validator=_positive)
    max_bytes: int = attrs.field(default=5_000_000, validator=_count(1))
    max_redirects: int = attrs.field(default=5, validator=_count(0))
    concurrency: int = attrs.field(default=16, validator=_count(1))
    per_host: int = attrs.field(default=2, validator=_count(1))
    retries: int = attrs.field(default=2, validator=_count(0))
    backoff: float = attrs.field(default=0.5, validator=_non_negative)
    max_retry_after: float = attrs.field(default=30.0, validator=_non_negative)
    user_agent: str = attrs.field(default=USER_AGENT, validator=_user_agent)
    allow_private_addresses: bool = attrs.field(default=False, validator=_bool)
    cache_dir: str | None = attrs.field(factory=default_cache_dir, validator=_cache_dir)
    cache_ttl: float = attrs.field(default=7 * 24 * 3600.0, validator=_non_negative)
    use_cache: bool = attrs.field(default=True, validator=_bool)
    progress: bool | None = attrs.field(default=None, validator=_optional_bool)


# -- addresses ------------------------------------------------------------------------


def _blocked(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if (
        not ip.is_global
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    ):
        return True
    return isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if any(ip in net for net in _NAT64):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_refusal(address: str) -> str | None:
    """Why an IP address may not be fetched (``"refused: private address ..."``), or ``None``.

    An IPv6 address that embeds an IPv4 one (IPv4-mapped, 6to4, NAT64) is
    judged by the IPv4 address it reaches; a Teredo address is refused if either
    IPv4 address in it is private, and is otherwise judged as IPv6. A string
    that is not an IP address is refused too.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0].strip("[]"))
    except ValueError:
        return f"refused: not an IP address {address!r}"
    refused = f"refused: private address {address}"
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            return refused if _blocked(inner) else None
        if ip.teredo is not None and any(_blocked(v4) for v4 in ip.teredo):
            return refused
    return refused if _blocked(ip) else None


async def system_resolver(host: str) -> list[str]:
    """Resolve a host name with the system resolver (``loop.getaddrinfo``)."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class _Failure(Exception):
    """One URL cannot be fetched; the message is its ``error``."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class _Vetter:
    """Resolves each host once per run, vets its addresses, and remembers the vetted ones.

    Concurrent requests for one host share one lookup, so a host has exactly one
    DNS answer per run: the one that was checked is the one connected to.
    """

    def __init__(self, resolver: Resolver, allow_private: bool, timeout: float) -> None:
        self._resolver = resolver
        self._allow_private = allow_private
        self._timeout = timeout
        self._vetted: dict[str, tuple[str, ...]] = {}
        self._lookups: dict[str, asyncio.Task[tuple[str, ...]]] = {}

    def pinned(self, host: str) -> tuple[str, ...]:
        """The vetted addresses of a host (empty if it was never vetted)."""
        return self._vetted.get(host.lower().strip("[]"), ())

    async def vet(self, host: str) -> tuple[str, ...]:
        """The addresses to connect to for ``host``; raises :class:`_Failure` if refused."""
        host = host.lower().strip("[]")
        task = self._lookups.get(host)
        if task is None:
            task = asyncio.ensure_future(self._vet(host))
            # retrieved here so that an outcome nobody awaits any more is not logged
            task.add_done_callback(lambda t: t.cancelled() or t.exception())
            self._lookups[host] = task
        # shielded: one caller timing out must not cancel the others' lookup
        return await asyncio.shield(task)

    async def _vet(self, host: str) -> tuple[str, ...]:
        try:
            ipaddress.ip_address(host)
        except ValueError:
            addresses = await self._resolve(host)
        else:
            addresses = (host,)
        if not self._allow_private:
            for address in addresses:
                reason = address_refusal(address)
                if reason is not None:
                    raise _Failure(reason)
        self._vetted[host] = addresses
        return addresses

    async def _resolve(self, host: str) -> tuple[str, ...]:
        try:
            found = await asyncio.wait_for(self._resolver(host), self._timeout)
        except asyncio.TimeoutError:
            raise _Failure("timeout") from None
        except Exception:  # gaierror, UnicodeError, a test's blocked socket...
            raise _Failure("DNS failure") from None
        addresses = tuple(dict.fromkeys(str(a) for a in found))
        if not addresses:
            raise _Failure("DNS failure")
        return addresses


# -- the pinned transport ----------------------------------------------------------------


def _pinned_transport(vetter: _Vetter, options: FetchOptions) -> httpx.AsyncBaseTransport:
    """An httpx transport that connects only to the addresses ``vetter`` vetted."""
    import httpcore
    import httpx

    errors: list[tuple[type[Exception], type[httpx.HTTPError]]] = [
        (httpcore.ConnectTimeout, httpx.ConnectTimeout),
        (httpcore.ReadTimeout, httpx.ReadTimeout),
        (httpcore.WriteTimeout, httpx.WriteTimeout),
        (httpcore.PoolTimeout, httpx.PoolTimeout),
        (httpcore.TimeoutException, httpx.TimeoutException),
        (httpcore.ConnectError, httpx.ConnectError),
        (httpcore.ReadError, httpx.ReadError),
        (httpcore.WriteError, httpx.WriteError),
        (httpcore.NetworkError, httpx.NetworkError),
        (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
        (httpcore.LocalProtocolError, httpx.LocalProtocolError),
        (httpcore.ProtocolError, httpx.ProtocolError),
        (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    ]

    @contextlib.contextmanager
    def mapped() -> Iterator[None]:
        try:
            yield
        except Exception as exc:
            for source, target in errors:
                if isinstance(exc, source):
                    raise target(str(exc)) from exc
            raise

    class PinnedBackend(httpcore.AsyncNetworkBackend):
        def __init__(self) -> None:
            self._inner = httpcore.AnyIOBackend()

        async def connect_tcp(
            self,
            host: str,
            port: int,
            timeout: float | None = None,
            local_address: str | None = None,
            socket_options: Any = None,
        ) -> httpcore.AsyncNetworkStream:
            addresses = vetter.pinned(host)
            if not addresses:
                raise httpcore.ConnectError(f"refused: {host} was not vetted")
            last: Exception | None = None
            for address in addresses:
                try:
                    return await self._inner.connect_tcp(
                        address,
                        port,
                        timeout=timeout,
                        local_address=local_address,
                        socket_options=socket_options,
                    )
                except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                    last = exc
            assert last is not None
            raise last

        async def connect_unix_socket(
            self, path: str, timeout: float | None = None, socket_options: Any = None
        ) -> httpcore.AsyncNetworkStream:
            raise httpcore.ConnectError("refused: unix sockets are never fetched")

        async def sleep(self, seconds: float) -> None:
            await self._inner.sleep(seconds)

    class Stream(httpx.AsyncByteStream):
        def __init__(self, inner: Any) -> None:
            self._inner = inner

        async def __aiter__(self) -> AsyncIterator[bytes]:
            with mapped():
                async for part in self._inner:
                    yield part

        async def aclose(self) -> None:
            if hasattr(self._inner, "aclose"):
                with mapped():
                    await self._inner.aclose()

    class PinnedTransport(httpx.AsyncBaseTransport):
        def __init__(self) -> None:
            self.backend = PinnedBackend()
            self._pool = httpcore.AsyncConnectionPool(
                ssl_context=httpx.create_ssl_context(),
                max_connections=options.concurrency + 4,
                max_keepalive_connections=options.concurrency,
                keepalive_expiry=5.0,
                http1=True,
                http2=False,
                network_backend=self.backend,
            )

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            assert isinstance(request.stream, httpx.AsyncByteStream)
            core_request = httpcore.Request(
                method=request.method,
                url=httpcore.URL(
                    scheme=request.url.raw_scheme,
                    host=request.url.raw_host,
                    port=request.url.port,
                    target=request.url.raw_path,
                ),
                headers=request.headers.raw,
                content=request.stream,
                extensions=request.extensions,
            )
            with mapped():
                response = await self._pool.handle_async_request(core_request)
            return httpx.Response(
                status_code=response.status,
                headers=response.headers,
                stream=Stream(response.stream),
                extensions=response.extensions,
            )

        async def aclose(self) -> None:
            await self._pool.aclose()

    return PinnedTransport()


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
    if re.match(
        rb"(?:\xef\xbb\xbf)?\s*<(?:!doctype|html|head|body|!--|p|div|title|meta)", head, re.I
    ):
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


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - _wall())


def _status_error(status: int) -> str:
    reason = _STATUS_REASONS.get(status)
    if reason is None:
        reason = "server error" if status >= 500 else "client error" if status >= 400 else "no page"
    return f"HTTP {status} ({reason})"


def _describe(exc: BaseException) -> tuple[str, bool]:
    """``(error, retryable)`` for an exception raised while fetching one URL."""
    import httpx

    if isinstance(exc, _Failure):
        return exc.message, False
    if isinstance(exc, httpx.ConnectTimeout):
        return "timeout", True
    if isinstance(exc, (httpx.TimeoutException, asyncio.TimeoutError)):
        return "timeout", False
    if isinstance(exc, httpx.ConnectError):
        detail = str(exc)
        if detail.startswith("refused:"):
            return detail, False
        lowered = detail.lower()
        if "ssl" in lowered or "certificate" in lowered or "tls" in lowered:
            return f"TLS error ({detail[:120]})", False
        if "name or service" in lowered or "nodename" in lowered or "getaddrinfo" in lowered:
            return "DNS failure", False
        return f"connection failed ({detail[:120]})" if detail else "connection failed", True
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        return f"invalid URL: {exc}", False
    if isinstance(exc, httpx.HTTPError):
        detail = str(exc)[:120]
        return f"network error ({detail})" if detail else "network error", False
    return f"error: {type(exc).__name__}: {str(exc)[:120]}", False


# -- the cache ---------------------------------------------------------------------------


def _wall() -> float:
    return time.time()


async def _sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


class _Cache:
    """Extracted pages on disk, one JSON file per canonical URL."""

    def __init__(self, directory: str | os.PathLike[str], ttl: float) -> None:
        self.directory = Path(directory)
        self.ttl = ttl

    def path(self, canonical: str) -> Path:
        digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        return self.directory / digest[:2] / f"{digest}.json"

    def get(self, canonical: str) -> FetchResult | None:
        try:
            with self.path(canonical).open(encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("version") != _CACHE_VERSION:
            return None
        fetched_at = data.get("fetched_at")
        if data.get("url") != canonical or not isinstance(fetched_at, (int, float)):
            return None
        if not math.isfinite(fetched_at):
            return None
        age = _wall() - fetched_at
        if age > self.ttl or age < -60:  # stale, or from the future (a minute of skew is fine)
            return None
        text, title = data.get("text"), data.get("title")
        final_url, ctype, status = (
            data.get("final_url"),
            data.get("content_type"),
            data.get("status"),
        )
        if not isinstance(text, str) or not all(
            v is None or isinstance(v, str) for v in (title, final_url, ctype)
        ):
            return None
        if status is not None and (isinstance(status, bool) or not isinstance(status, int)):
            return None
        return FetchResult(canonical, final_url, status, text, title, ctype, None, True)

    def put(self, canonical: str, result: FetchResult) -> None:
        if not result.ok:
            return
        record = {
            "version": _CACHE_VERSION,
            "url": canonical,
            "final_url": result.final_url,
            "status": result.status,
            "fetched_at": _wall(),
            "content_type": result.content_type,
            "title": result.title,
            "text": result.text,
        }
        target = self.path(canonical)
        tmp: str | None = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(record, handle, ensure_ascii=False)
            os.replace(tmp, target)
            tmp = None
        except OSError:
            pass  # the cache is best-effort: a read-only disk only costs refetches
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


# -- progress ----------------------------------------------------------------------------


class _Progress:
    def __init__(self, total: int, enabled: bool | None) -> None:
        stream: IO[str] | None = sys.stderr
        if enabled is None:
            isatty = getattr(stream, "isatty", None)
            enabled = bool(isatty and isatty())
        self.stream = stream if enabled and total else None
        self.total = total
        self.done = 0

    def tick(self) -> None:
        self.done += 1
        if self.stream is not None:
            self.stream.write(f"\rsrcscore: fetched {self.done}/{self.total}")
            self.stream.flush()

    def close(self) -> None:
        if self.stream is not None:
            self.stream.write("\n")
            self.stream.flush()


# -- fetching ----------------------------------------------------------------------------


@attrs.define
class _Clock:
    deadline: float


@attrs.frozen
class _Redirect:
    location: str


@attrs.frozen
class _Retry:
    status: int
    delay: float | None


@attrs.frozen
class _Page:
    status: int
    body: bytes
    media_type: str | None
    charset: str | None


_Outcome = Union[_Redirect, _Retry, _Page]  # noqa: UP007 (a runtime alias must work on 3.10)


class _Run:
    """One :func:`afetch_all` call: client, semaphores, vetter, cache and options."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        vetter: _Vetter,
        options: FetchOptions,
        cache: _Cache | None,
        progress: _Progress,
    ) -> None:
        self.client = client
        self.vetter = vetter
        self.options = options
        self.cache = cache
        self.progress = progress
        self.slots = asyncio.Semaphore(options.concurrency)
        self.hosts: dict[str, asyncio.Semaphore] = {}

    async def fetch(self, canonical: str) -> FetchResult:
        try:
            async with self.slots:
                loop = asyncio.get_running_loop()
                clock = _Clock(loop.time() + self.options.total_timeout)
                result = await self._follow(canonical, clock)
        except Exception as exc:  # one URL never takes the others down
            result = FetchResult(canonical, error=_describe(exc)[0])
        if self.cache is not None:
            self.cache.put(canonical, result)
        self.progress.tick()
        return result

    async def _follow(self, canonical: str, clock: _Clock) -> FetchResult:
        import httpx

        url = httpx.URL(canonical)
        cookies = httpx.Cookies()  # this URL's redirect chain only
        for _ in range(self.options.max_redirects + 1):
            try:
                outcome = await self._with_retries(url, cookies, clock)
            except Exception as exc:
                status = exc.status if isinstance(exc, _Failure) else None
                return FetchResult(canonical, str(url), status, error=_describe(exc)[0])
            if isinstance(outcome, _Page):
                return await self._page(canonical, str(url), outcome)
            if isinstance(outcome, _Retry):
                return FetchResult(
                    canonical, str(url), outcome.status, error=_status_error(outcome.status)
                )
            try:
                url = url.join(outcome.location).copy_with(fragment=None)
            except (httpx.InvalidURL, ValueError) as exc:
                return FetchResult(canonical, str(url), error=f"invalid URL: bad redirect ({exc})")
            if url.scheme not in ("http", "https"):
                return FetchResult(
                    canonical, str(url), error=f"invalid URL: redirect to a {url.scheme}: URL"
                )
        return FetchResult(canonical, str(url), error="too many redirects")

    async def _with_retries(
        self, url: httpx.URL, cookies: httpx.Cookies, clock: _Clock
    ) -> _Outcome:
        loop = asyncio.get_running_loop()
        opts = self.options
        for attempt in range(opts.retries + 1):
            failure: Exception | None = None
            try:
                outcome = await self._attempt(url, cookies, clock)
            except Exception as exc:
                if not _describe(exc)[1] or attempt == opts.retries:
                    raise
                failure, delay = exc, None
            else:
                if not isinstance(outcome, _Retry) or attempt == opts.retries:
                    return outcome
                delay = outcome.delay
            wait = min(opts.backoff * 2**attempt if delay is None else delay, opts.max_retry_after)
            if loop.time() + wait > clock.deadline:  # no time left to wait: give up now
                if failure is not None:
                    raise failure
                return outcome
            await _sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _attempt(self, url: httpx.URL, cookies: httpx.Cookies, clock: _Clock) -> _Outcome:
        loop = asyncio.get_running_loop()
        host = url.raw_host.decode("ascii")
        remaining = clock.deadline - loop.time()
        if remaining <= 0:
            raise _Failure("timeout")
        await asyncio.wait_for(self.vetter.vet(host), remaining)
        semaphore = self.hosts.setdefault(host, asyncio.Semaphore(self.options.per_host))
        queued = loop.time()
        async with semaphore:
            clock.deadline += loop.time() - queued  # waiting for the host is not its fault
            remaining = clock.deadline - loop.time()
            return await asyncio.wait_for(self._exchange(url, cookies), remaining)

    async def _exchange(self, url: httpx.URL, cookies: httpx.Cookies) -> _Outcome:
        request = self.client.build_request("GET", url)
        cookies.set_cookie_header(request)
        response = await self.client.send(request, stream=True)
        try:
            cookies.extract_cookies(response)
            status = response.status_code
            headers = response.headers
            if status in _REDIRECTS and headers.get("location"):
                return _Redirect(headers["location"])
            if status in _RETRY_STATUSES:
                return _Retry(status, _retry_after(headers.get("retry-after")))
            if not 200 <= status < 300:
                raise _Failure(_status_error(status), status=status)
            mime, charset = _media_type(headers.get("content-type"))
            if mime is not None and mime not in _TEXT_TYPES:
                raise _Failure(f"not text: {mime}", status=status)
            length = headers.get("content-length", "")
            if length.isdigit() and int(length) > self.options.max_bytes:
                raise _Failure("too large", status=status)
            try:
                body = await _read_capped(response, self.options.max_bytes)
            except _Failure as exc:
                exc.status = status
                raise
            return _Page(status, body, mime, charset)
        finally:
            await response.aclose()

    async def _page(self, canonical: str, final_url: str, page: _Page) -> FetchResult:
        mime = page.media_type or _sniff(page.body)
        if mime not in _TEXT_TYPES:
            return FetchResult(canonical, final_url, page.status, error=f"not text: {mime}")
        markup = mime in _MARKUP_TYPES
        text = decode_body(page.body, page.charset, markup=markup)
        title = None
        if markup:
            text, title = await asyncio.to_thread(extract_text, text)
        else:
            text = cap_text(text.replace("\r\n", "\n").strip(), DEFAULT_MAX_CHARS)
        if not text:
            return FetchResult(
                canonical, final_url, page.status, None, title, mime, error="no text"
            )
        return FetchResult(canonical, final_url, page.status, text, title, mime)


def _check_urls(urls: object) -> list[str]:
    if isinstance(urls, (str, bytes)) or not isinstance(urls, Sequence):
        raise InputError(f"urls: expected a sequence of URL strings, got {type(urls).__name__}")
    for i, url in enumerate(urls):
        if not isinstance(url, str):
            raise InputError(f"urls[{i}]: expected str, got {type(url).__name__}")
    return list(dict.fromkeys(urls))


async def afetch_all(
    urls: Sequence[str],
    options: FetchOptions | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    resolver: Resolver | None = None,
) -> dict[str, FetchResult]:
    """Fetch many pages concurrently; return ``{url: FetchResult}`` in input order.

    Duplicate URLs, and URLs with the same canonical form, are fetched once.
    ``transport`` replaces the network (tests pass an ``httpx.MockTransport``);
    the address check still runs, through ``resolver`` (default: the system
    resolver), so tests can simulate DNS answers. Raises
    :class:`~srcscore.InputError` only for unusable arguments; every per-URL
    problem is the ``error`` of that URL's result.
    """
    opts = FetchOptions() if options is None else options
    if not isinstance(opts, FetchOptions):
        raise InputError(f"options: expected FetchOptions, got {type(opts).__name__}")
    wanted = _check_urls(urls)
    results: dict[str, FetchResult] = {}
    targets: dict[str, list[str]] = {}
    for url in wanted:
        try:
            canonical = canonicalize(url).url
        except InvalidURLError as exc:
            results[url] = FetchResult(url, error=f"invalid URL: {exc.reason}")
            continue
        targets.setdefault(canonical, []).append(url)

    cache = (
        _Cache(opts.cache_dir, opts.cache_ttl)
        if opts.use_cache and opts.cache_dir is not None
        else None
    )
    pending: list[str] = []
    for canonical, inputs in targets.items():
        hit = cache.get(canonical) if cache is not None else None
        if hit is None:
            pending.append(canonical)
        else:
            results.update((url, attrs.evolve(hit, url=url)) for url in inputs)

    if pending:
        fetched = await _fetch_pending(pending, opts, transport, resolver, cache)
        for canonical, result in fetched.items():
            results.update((url, attrs.evolve(result, url=url)) for url in targets[canonical])
    return {url: results[url] for url in wanted}


async def _fetch_pending(
    pending: list[str],
    opts: FetchOptions,
    transport: httpx.AsyncBaseTransport | None,
    resolver: Resolver | None,
    cache: _Cache | None,
) -> dict[str, FetchResult]:
    import httpx

    vetter = _Vetter(resolver or system_resolver, opts.allow_private_addresses, opts.timeout)
    if transport is None:
        transport = _pinned_transport(vetter, opts)
    # A jar that refuses every cookie: nothing outlives one URL's redirect chain.
    jar = http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    progress = _Progress(len(pending), opts.progress)
    async with httpx.AsyncClient(
        transport=transport,
        trust_env=False,  # no environment proxies: they would resolve names themselves
        follow_redirects=False,
        timeout=httpx.Timeout(opts.timeout),
        cookies=jar,
        headers={
            "User-Agent": opts.user_agent,
            "Accept": _ACCEPT,
            "Accept-Encoding": "gzip, deflate",
        },
    ) as client:
        run = _Run(client, vetter, opts, cache, progress)
        try:
            done = await asyncio.gather(*(run.fetch(c) for c in pending))
        finally:
            progress.close()
    return dict(zip(pending, done, strict=True))


def fetch_all(
    urls: Sequence[str],
    options: FetchOptions | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    resolver: Resolver | None = None,
) -> dict[str, FetchResult]:
    """Fetch many pages; the blocking form of :func:`afetch_all`.

    Runs its own event loop; called from a thread whose event loop is running
    (a notebook, an async app), it runs that loop in a worker thread and
    blocks until it is done.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(afetch_all(urls, options, transport=transport, resolver=resolver))
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="srcscore-fetch") as pool:
        future = pool.submit(
            asyncio.run, afetch_all(urls, options, transport=transport, resolver=resolver)
        )
        return future.result()
