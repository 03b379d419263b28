"""Fetching cited pages: statuses, redirects, SSRF refusals, retries, caps, cache.

Every test but the loopback ones runs on ``httpx.MockTransport`` with a fake
resolver: no socket, no DNS. The loopback tests start their own server on
127.0.0.1 and may connect to nothing else.
"""

from __future__ import annotations

import asyncio
import email.utils
import gzip
import http.server
import json
import socket
import subprocess
import sys
import threading
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest

import srcscore
from srcscore import _fetch
from srcscore._exceptions import InputError
from srcscore._fetch import (
    FetchOptions,
    FetchResult,
    address_refusal,
    afetch_all,
    default_cache_dir,
    fetch_all,
)

PUBLIC_IP = "93.184.216.34"
PAGE = (
    "<html><head><title>Bridge | Example</title></head><body>"
    "<nav>Home News</nav><article><h1>Bridge to reopen</h1>"
    "<p>Officials confirmed the bridge will reopen in May.</p></article>"
    "<footer>(c) Example</footer></body></html>"
)
Handler = Callable[[httpx.Request], Any]


class Resolver:
    """A fake DNS: host -> addresses (default: one public address); counts lookups."""

    def __init__(self, answers: dict[str, list[str]] | None = None) -> None:
        self.answers = answers or {}
        self.calls: list[str] = []

    async def __call__(self, host: str) -> list[str]:
        self.calls.append(host)
        answer = self.answers.get(host, [PUBLIC_IP])
        if isinstance(answer, BaseException):
            raise answer
        return answer


class Recorder:
    """A MockTransport handler that records the requests it sees."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[httpx.Request] = []

    @property
    def urls(self) -> list[str]:
        return [str(r.url) for r in self.requests]

    def __call__(self, request: httpx.Request) -> Any:
        self.requests.append(request)
        return self.handler(request)


class Chunks(httpx.AsyncByteStream):
    """A streamed body (not read in advance, as a real response is not)."""

    def __init__(self, *chunks: bytes) -> None:
        self.chunks = chunks
        self.sent = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            self.sent += len(chunk)
            yield chunk


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Backoff waits are recorded, not slept."""
    waits: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(_fetch, "_sleep", fake_sleep)
    return waits


def options(cache_dir: Path | None = None, **kwargs: Any) -> FetchOptions:
    kwargs.setdefault("progress", False)
    if cache_dir is None:
        kwargs.setdefault("use_cache", False)
        kwargs.setdefault("cache_dir", None)
    else:
        kwargs.setdefault("cache_dir", str(cache_dir))
    return FetchOptions(**kwargs)


def fetch(
    handler: Handler,
    urls: list[str],
    opts: FetchOptions | None = None,
    resolver: Resolver | None = None,
) -> dict[str, FetchResult]:
    return fetch_all(
        urls,
        opts or options(),
        transport=httpx.MockTransport(handler),
        resolver=resolver or Resolver(),
    )


def one(handler: Handler, url: str = "https://example.com/a", **kwargs: Any) -> FetchResult:
    return fetch(handler, [url], **kwargs)[url]


def html(
    body: str = PAGE, status: int = 200, headers: dict[str, str] | None = None
) -> httpx.Response:
    return httpx.Response(
        status, content=body.encode(), headers={"content-type": "text/html", **(headers or {})}
    )


# -- success, statuses -------------------------------------------------------------------


def test_a_page_gives_its_main_text_title_and_metadata() -> None:
    seen = Recorder(lambda request: html())
    result = one(seen)
    assert result == FetchResult(
        url="https://example.com/a",
        final_url="https://example.com/a",
        status=200,
        text="Bridge to reopen\nOfficials confirmed the bridge will reopen in May.",
        title="Bridge | Example",
        content_type="text/html",
        error=None,
        from_cache=False,
    )
    assert result.ok
    request = seen.requests[0]
    assert request.headers["user-agent"].startswith(f"srcscore/{srcscore.__version__} (+")
    assert "text/html" in request.headers["accept"]
    assert "cookie" not in request.headers


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (404, "HTTP 404 (gone)"),
        (410, "HTTP 410 (gone)"),
        (401, "HTTP 401 (paywall or login)"),
        (403, "HTTP 403 (paywall or blocked)"),
        (451, "HTTP 451 (unavailable for legal reasons)"),
        (400, "HTTP 400 (client error)"),
        (500, "HTTP 500 (server error)"),
        (304, "HTTP 304 (no page)"),
    ],
)
def test_http_errors_are_named(status: int, error: str, sleeps: list[float]) -> None:
    seen = Recorder(lambda request: html("<p>error page</p>", status))
    result = one(seen)
    assert (result.status, result.error, result.text) == (status, error, None)
    assert len(seen.requests) == 1  # only 429/502/503/504 are retried
    assert not result.ok


def test_invalid_urls_are_reported_without_a_request() -> None:
    seen = Recorder(lambda request: html())
    urls = ["javascript:alert(1)", "", "ftp://example.com/file", "mailto:x@example.com"]
    results = fetch(seen, urls)
    assert list(results) == urls
    assert all(
        r.error is not None and r.error.startswith("invalid URL: ") for r in results.values()
    )
    assert results["ftp://example.com/file"].error == "invalid URL: not a web URL (scheme 'ftp')"
    assert seen.requests == []


def test_scheme_less_urls_are_fetched_as_https() -> None:
    seen = Recorder(lambda request: html())
    assert one(seen, "example.com/a").final_url == "https://example.com/a"
    assert seen.urls == ["https://example.com/a"]


def test_one_failure_never_affects_the_others() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/boom":
            raise RuntimeError("handler exploded")
        if request.url.path == "/timeout":
            raise httpx.ReadTimeout("slow", request=request)
        return html()

    urls = [
        "https://a.example/boom",
        "https://b.example/ok",
        "https://c.example/timeout",
        "not a url at all",
    ]
    results = fetch(handler, urls)
    assert results["https://a.example/boom"].error == "error: RuntimeError: handler exploded"
    assert results["https://b.example/ok"].ok
    assert results["https://c.example/timeout"].error == "timeout"
    assert results["not a url at all"].error is not None


def test_duplicate_and_equivalent_urls_are_fetched_once() -> None:
    seen = Recorder(lambda request: html())
    urls = [
        "https://example.com/a",
        "https://example.com/a",
        "https://EXAMPLE.com/a?utm_source=feed",
        "example.com/a#section",
    ]
    results = fetch(seen, urls)
    assert len(seen.requests) == 1
    assert list(results) == [urls[0], urls[2], urls[3]]  # one entry per distinct input
    assert {r.text for r in results.values()} == {results[urls[0]].text}
    assert [r.url for r in results.values()] == [urls[0], urls[2], urls[3]]


# -- redirects ---------------------------------------------------------------------------


def test_redirects_are_followed_to_the_final_url() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "t.co":
            return httpx.Response(301, headers={"location": "https://news.example/story?id=1"})
        if request.url.path == "/story":
            return httpx.Response(302, headers={"location": "/final#frag"})
        return html()

    seen = Recorder(handler)
    result = one(seen, "https://t.co/abc")
    assert result.ok
    assert result.final_url == "https://news.example/final"
    assert seen.urls == [
        "https://t.co/abc",
        "https://news.example/story?id=1",
        "https://news.example/final",
    ]
    assert result.url == "https://t.co/abc"


def test_too_many_redirects() -> None:
    seen = Recorder(lambda request: httpx.Response(302, headers={"location": "/again"}))
    result = one(seen, opts=options(max_redirects=3))
    assert result.error == "too many redirects"
    assert len(seen.requests) == 4  # the URL and three redirects


def test_a_redirect_to_a_private_address_is_refused_before_connecting() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "example.com":
            return httpx.Response(302, headers={"location": "http://169.254.169.254/latest/"})
        return html("secret credentials")

    seen = Recorder(handler)
    result = one(seen)
    assert result.error == "refused: private address 169.254.169.254"
    assert result.final_url == "http://169.254.169.254/latest/"
    assert seen.urls == ["https://example.com/a"]


def test_a_redirect_to_a_host_resolving_privately_is_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "example.com":
            return httpx.Response(307, headers={"location": "http://intranet.example/admin"})
        return html("internal")

    seen = Recorder(handler)
    resolver = Resolver({"intranet.example": ["10.0.0.1"]})
    result = one(seen, resolver=resolver)
    assert result.error == "refused: private address 10.0.0.1"
    assert seen.urls == ["https://example.com/a"]
    assert resolver.calls == ["example.com", "intranet.example"]


def test_a_redirect_to_another_scheme_is_refused() -> None:
    seen = Recorder(lambda request: httpx.Response(302, headers={"location": "file:///etc/passwd"}))
    assert one(seen).error == "invalid URL: redirect to a file: URL"
    assert len(seen.requests) == 1


# -- SSRF: addresses -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.1.2.3",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fe80::1%eth0",
        "fc00::1",
        "fd12:3456::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo, client 10.0.0.1
        "2001:db8::1",
    ],
)
def test_private_and_special_addresses_are_refused(address: str) -> None:
    assert address_refusal(address) == f"refused: private address {address}"
    seen = Recorder(lambda request: html())
    result = one(seen, resolver=Resolver({"example.com": [address]}))
    assert result.error == f"refused: private address {address}"
    assert result.status is None
    assert seen.requests == []


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", PUBLIC_IP, "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"],
)
def test_public_addresses_are_allowed(address: str) -> None:
    assert address_refusal(address) is None
    assert one(lambda request: html(), resolver=Resolver({"example.com": [address]})).ok


def test_not_an_address_is_refused() -> None:
    assert address_refusal("example.com") == "refused: not an IP address 'example.com'"


def test_one_private_address_among_public_ones_is_enough_to_refuse() -> None:
    resolver = Resolver({"example.com": [PUBLIC_IP, "127.0.0.1"]})
    assert one(lambda request: html(), resolver=resolver).error == (
        "refused: private address 127.0.0.1"
    )


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://10.0.0.1/", "10.0.0.1"),
        ("http://[::1]:8080/x", "::1"),
        ("http://[::ffff:127.0.0.1]/", "::ffff:7f00:1"),
        ("http://127.0.0.1:9/", "127.0.0.1"),
    ],
)
def test_ip_literal_urls_are_checked_without_dns(url: str, address: str) -> None:
    seen = Recorder(lambda request: html())
    resolver = Resolver()
    result = one(seen, url, resolver=resolver)
    assert result.error is not None
    assert result.error.startswith("refused: private address ")
    assert result.error.endswith(address) or "127.0.0.1" in result.error
    assert resolver.calls == []
    assert seen.requests == []


def test_allow_private_addresses_lets_them_through() -> None:
    resolver = Resolver({"intranet.example": ["10.0.0.7"]})
    result = one(
        lambda request: html(),
        "http://intranet.example/wiki",
        opts=options(allow_private_addresses=True),
        resolver=resolver,
    )
    assert result.ok
    assert one(
        lambda r: html(), "http://127.0.0.1:8000/", opts=options(allow_private_addresses=True)
    ).ok


def test_dns_failures() -> None:
    resolver = Resolver(
        {
            "nxdomain.example": socket.gaierror(socket.EAI_NONAME, "Name or service not known"),  # type: ignore[dict-item]
            "empty.example": [],
        }
    )
    seen = Recorder(lambda request: html())
    results = fetch(
        seen,
        ["https://nxdomain.example/", "https://empty.example/", "https://ok.example/"],
        resolver=resolver,
    )
    assert results["https://nxdomain.example/"].error == "DNS failure"
    assert results["https://empty.example/"].error == "DNS failure"
    assert results["https://ok.example/"].ok
    assert seen.urls == ["https://ok.example/"]


def test_a_host_is_resolved_once_per_run() -> None:
    # The check and every later connection use one DNS answer: a rebinding server
    # gets no second question to answer differently.
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/r":
            return httpx.Response(302, headers={"location": "/a"})
        return html()

    resolver = Resolver()
    results = fetch(
        handler,
        ["https://example.com/r", "https://example.com/b", "https://example.com/c"],
        resolver=resolver,
    )
    assert all(r.ok for r in results.values())
    assert resolver.calls == ["example.com"]


def test_the_pinned_transport_refuses_hosts_that_were_not_vetted() -> None:
    # The default transport connects only to vetted addresses; a host nobody
    # vetted (a bypass of the check) is refused before any socket is opened.
    async def go() -> str:
        vetter = _fetch._Vetter(Resolver(), allow_private=False, timeout=1.0)
        transport = _fetch._pinned_transport(vetter, options())
        async with httpx.AsyncClient(transport=transport) as client:
            with pytest.raises(httpx.ConnectError) as info:
                await client.get("http://unvetted.example/")
        return str(info.value)

    assert asyncio.run(go()) == "refused: unvetted.example was not vetted"


# -- retries -----------------------------------------------------------------------------


def test_retry_after_seconds_is_honoured(sleeps: list[float]) -> None:
    replies = iter([httpx.Response(503, headers={"retry-after": "3"}), html()])
    seen = Recorder(lambda request: next(replies))
    result = one(seen)
    assert result.ok
    assert len(seen.requests) == 2
    assert sleeps == [3.0]


def test_retry_after_http_date_is_honoured(
    sleeps: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    now = 1_700_000_000.0
    monkeypatch.setattr(_fetch, "_wall", lambda: now)
    when = email.utils.formatdate(now + 7, usegmt=True)
    replies = iter([httpx.Response(429, headers={"retry-after": when}), html()])
    assert one(lambda request: next(replies)).ok
    assert sleeps == [7.0]


def test_retry_after_is_capped(sleeps: list[float]) -> None:
    replies = iter([httpx.Response(429, headers={"retry-after": "86400"}), html()])
    assert one(lambda request: next(replies), opts=options(max_retry_after=4.0)).ok
    assert sleeps == [4.0]


def test_exponential_backoff_then_give_up(sleeps: list[float]) -> None:
    seen = Recorder(lambda request: httpx.Response(502))
    result = one(seen, opts=options(retries=3, backoff=0.25))
    assert result.error == "HTTP 502 (bad gateway)"
    assert result.status == 502
    assert len(seen.requests) == 4
    assert sleeps == [0.25, 0.5, 1.0]


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (429, "HTTP 429 (rate limited)"),
        (503, "HTTP 503 (unavailable)"),
        (504, "HTTP 504 (gateway timeout)"),
    ],
)
def test_retryable_statuses(status: int, error: str, sleeps: list[float]) -> None:
    seen = Recorder(lambda request: httpx.Response(status))
    assert one(seen, opts=options(retries=1)).error == error
    assert len(seen.requests) == 2


def test_connection_errors_are_retried(sleeps: list[float]) -> None:
    attempts = iter([httpx.ConnectError("Connection refused"), httpx.ConnectTimeout("slow")])

    def handler(request: httpx.Request) -> httpx.Response:
        error = next(attempts, None)
        if error is not None:
            raise error
        return html()

    seen = Recorder(handler)
    assert one(seen).ok
    assert len(seen.requests) == 3
    assert sleeps == [0.5, 1.0]


def test_connection_errors_give_up_with_a_reason(sleeps: list[float]) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused")

    assert one(handler, opts=options(retries=1)).error == (
        "connection failed ([Errno 111] Connection refused)"
    )
    assert one(handler, opts=options(retries=0)).error is not None


def test_no_retry_wait_beyond_the_url_budget(sleeps: list[float]) -> None:
    seen = Recorder(lambda request: httpx.Response(503, headers={"retry-after": "20"}))
    result = one(seen, opts=options(total_timeout=5.0))
    assert result.error == "HTTP 503 (unavailable)"
    assert sleeps == []
    assert len(seen.requests) == 1


# -- timeouts ------------------------------------------------------------------------------


def test_a_slow_url_times_out_alone() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "slow.example":
            await asyncio.sleep(10)
        return html()

    results = fetch(
        handler, ["https://slow.example/", "https://fast.example/"], options(total_timeout=0.5)
    )
    assert results["https://slow.example/"].error == "timeout"
    assert results["https://fast.example/"].ok


def test_read_and_connect_timeouts(sleeps: list[float]) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("connect took too long")

    assert one(handler).error == "timeout"
    assert len(sleeps) == 2  # connect timeouts are retried


def test_dns_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    async def slow_resolver(host: str) -> list[str]:
        await asyncio.sleep(10)
        return [PUBLIC_IP]

    result = fetch_all(
        ["https://example.com/"],
        options(timeout=0.05),
        transport=httpx.MockTransport(lambda request: html()),
        resolver=slow_resolver,
    )
    assert result["https://example.com/"].error == "timeout"


# -- bodies: size, type, charset -----------------------------------------------------------


def test_a_declared_length_over_the_cap_is_not_downloaded() -> None:
    stream = Chunks(b"x" * 100)
    response = httpx.Response(
        200, headers={"content-type": "text/html", "content-length": "2000"}, stream=stream
    )
    assert one(lambda request: response, opts=options(max_bytes=1000)).error == "too large"
    assert stream.sent == 0


def test_a_streamed_body_is_cut_at_the_cap() -> None:
    stream = Chunks(*[b"<p>" + b"a" * 97] * 50)
    response = httpx.Response(200, headers={"content-type": "text/html"}, stream=stream)
    result = one(lambda request: response, opts=options(max_bytes=1000))
    assert result.error == "too large"
    assert result.status == 200
    assert stream.sent <= 1100  # stopped right after the cap


def test_an_in_memory_body_over_the_cap() -> None:
    assert one(lambda request: html("<p>" + "a" * 5000), opts=options(max_bytes=1000)).error == (
        "too large"
    )


def test_a_gzip_bomb_is_cut_at_the_decoded_cap() -> None:
    bomb = gzip.compress(b"<p>" + b"a" * 2_000_000)
    assert len(bomb) < 5_000
    stream = Chunks(bomb)
    response = httpx.Response(
        200, headers={"content-type": "text/html", "content-encoding": "gzip"}, stream=stream
    )
    assert one(lambda request: response, opts=options(max_bytes=100_000)).error == "too large"


def test_gzip_and_deflate_bodies_are_decoded() -> None:
    import zlib

    page = b"<p>Compressed page text.</p>"
    bodies = {
        "gzip": gzip.compress(page),
        "deflate": zlib.compress(page),
        "identity": page,
    }

    def handler(request: httpx.Request) -> httpx.Response:
        encoding = request.url.path.strip("/")
        data = bodies.get(encoding, zlib.compress(page)[2:-4])  # raw deflate
        body = Chunks(data[:5], data[5:])
        enc = "deflate" if encoding == "raw" else encoding
        headers = {"content-type": "text/html", "content-encoding": enc}
        return httpx.Response(200, headers=headers, stream=body)

    urls = [f"https://example.com/{e}" for e in ("gzip", "deflate", "identity", "raw")]
    results = fetch(handler, urls)
    assert {u: r.text for u, r in results.items()} == dict.fromkeys(urls, "Compressed page text.")


def test_unsupported_content_encoding() -> None:
    response = httpx.Response(
        200, headers={"content-type": "text/html", "content-encoding": "br"}, stream=Chunks(b"x")
    )
    assert one(lambda request: response).error == "unsupported content encoding: br"


@pytest.mark.parametrize(
    ("content_type", "error"),
    [
        ("application/pdf", "not text: application/pdf"),
        ("image/png", "not text: image/png"),
        ("application/octet-stream", "not text: application/octet-stream"),
        ("video/mp4; codecs=avc1", "not text: video/mp4"),
    ],
)
def test_non_text_content_types_are_refused(content_type: str, error: str) -> None:
    stream = Chunks(b"%PDF-1.7 binary")
    response = httpx.Response(200, headers={"content-type": content_type}, stream=stream)
    result = one(lambda request: response)
    assert (result.error, result.text, result.status) == (error, None, 200)
    assert stream.sent == 0  # refused on the header alone


def test_missing_content_type_is_sniffed() -> None:
    bodies = {
        "/pdf": b"%PDF-1.4\n%binary",
        "/bin": b"\x00\x01\x02\x03",
        "/html": b"  <!DOCTYPE html><title>Sniffed</title><p>Hello</p>",
        "/text": b"Just words.",
    }
    results = fetch(
        lambda request: httpx.Response(200, content=bodies[request.url.path]),
        [f"https://example.com{p}" for p in bodies],
    )
    got = {u.rsplit("/", 1)[1]: (r.content_type, r.error, r.text) for u, r in results.items()}
    assert got == {
        "pdf": (None, "not text: application/pdf", None),
        "bin": (None, "not text: application/octet-stream", None),
        "html": ("text/html", None, "Hello"),
        "text": ("text/plain", None, "Just words."),
    }


def test_plain_text_and_json_pass_through() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/plain":
            return httpx.Response(
                200,
                text="  A <b>plain</b> note.\r\nSecond line.  ",
                headers={"content-type": "text/plain"},
            )
        return httpx.Response(200, json={"claim": "x < y"})

    results = fetch(handler, ["https://example.com/plain", "https://example.com/json"])
    plain = results["https://example.com/plain"]
    assert (plain.text, plain.content_type, plain.title) == (
        "A <b>plain</b> note.\nSecond line.",
        "text/plain",
        None,
    )
    assert results["https://example.com/json"].text == '{"claim":"x < y"}'
    assert results["https://example.com/json"].content_type == "application/json"


def test_an_empty_page_has_no_text() -> None:
    result = one(lambda request: html("<html><body><script>app()</script></body></html>"))
    assert (result.error, result.text, result.status) == ("no text", None, 200)


@pytest.mark.parametrize(
    ("headers", "body", "expected"),
    [
        # the header's charset wins
        ({"content-type": "text/html; charset=ISO-8859-1"}, "<p>Café à Paris</p>", "latin-1"),
        # a <meta charset> when the header has none
        (
            {"content-type": "text/html"},
            '<meta charset="windows-1252"><p>Café à Paris</p>',
            "cp1252",
        ),
        (
            {"content-type": "text/html"},
            '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
            "<p>Café à Paris</p>",
            "latin-1",
        ),
        # UTF-8 by default
        ({"content-type": "text/html"}, "<p>Café à Paris</p>", "utf-8"),
        # a BOM beats everything
        ({"content-type": "text/html; charset=latin-1"}, "<p>Café à Paris</p>", "utf-8-sig"),
        ({"content-type": "text/html"}, "<p>Café à Paris</p>", "utf-16"),
    ],
)
def test_charsets(headers: dict[str, str], body: str, expected: str) -> None:
    data = body.encode(expected)
    result = one(lambda request: httpx.Response(200, content=data, headers=headers))
    assert result.text == "Café à Paris"


def test_undecodable_bytes_become_replacement_characters() -> None:
    data = b"<p>bad \xff\xfe byte</p>"
    result = one(
        lambda request: httpx.Response(200, content=data, headers={"content-type": "text/html"})
    )
    assert result.text == "bad \ufffd\ufffd byte"


def test_unknown_charset_falls_back_to_utf8() -> None:
    data = "<p>naïve</p>".encode()
    headers = {"content-type": "text/html; charset=x-no-such-charset"}
    assert one(lambda request: httpx.Response(200, content=data, headers=headers)).text == "naïve"


# -- concurrency ---------------------------------------------------------------------------


def counting_handler(peaks: dict[str, int], per_host: int, overall: int) -> Handler:
    """Counts requests in flight; each waits (up to 1 s) until the expected bound is
    reached, so the peaks do not depend on the machine's speed."""
    in_flight: dict[str, int] = defaultdict(int)

    async def handler(request: httpx.Request) -> httpx.Response:
        host = request.url.host
        in_flight[host] += 1
        in_flight["*"] += 1
        peaks[host] = max(peaks.get(host, 0), in_flight[host])
        peaks["*"] = max(peaks.get("*", 0), in_flight["*"])
        for _ in range(1000):
            if in_flight[host] >= per_host and in_flight["*"] >= overall:
                break
            await asyncio.sleep(0.001)
        await asyncio.sleep(0.005)  # let any request that should not start, start
        in_flight[host] -= 1
        in_flight["*"] -= 1
        return html()

    return handler


def test_concurrency_per_host_is_bounded() -> None:
    peaks: dict[str, int] = {}
    urls = [f"https://{h}.example/{i}" for h in ("a", "b") for i in range(8)]
    handler = counting_handler(peaks, per_host=2, overall=2)
    results = fetch(handler, urls, options(per_host=2, concurrency=16))
    assert all(r.ok for r in results.values())
    assert (peaks["a.example"], peaks["b.example"]) == (2, 2)
    assert peaks["*"] <= 4


def test_concurrency_overall_is_bounded() -> None:
    peaks: dict[str, int] = {}
    urls = [f"https://host{i}.example/" for i in range(12)]
    handler = counting_handler(peaks, per_host=1, overall=3)
    results = fetch(handler, urls, options(concurrency=3))
    assert all(r.ok for r in results.values())
    assert peaks["*"] == 3


# -- cookies -------------------------------------------------------------------------------


def test_cookies_live_only_within_one_redirect_chain() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/login-wall":
            return httpx.Response(
                302, headers={"location": "/article", "set-cookie": "consent=yes; Path=/"}
            )
        return html(headers={"set-cookie": "tracker=1; Path=/; Domain=example.com"})

    seen = Recorder(handler)
    urls = [
        "https://www.example.com/login-wall",
        "https://www.example.com/other",
        "https://other.example/x",
    ]
    for url in urls:  # one after the other, to see whether anything persists
        assert fetch(seen, [url])[url].ok
    results = fetch(seen, urls)
    assert all(r.ok for r in results.values())
    cookies = {str(r.url): r.headers.get("cookie") for r in seen.requests}
    # the redirect target got the cookie set on the way; nothing else ever did
    assert cookies["https://www.example.com/article"] == "consent=yes"
    assert [c for u, c in cookies.items() if u != "https://www.example.com/article"] == [None] * 3


def test_cookies_do_not_cross_hosts_within_a_chain() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "a.example":
            return httpx.Response(
                302, headers={"location": "https://b.example/", "set-cookie": "session=s3cr3t"}
            )
        return html()

    seen = Recorder(handler)
    assert one(seen, "https://a.example/").ok
    assert seen.requests[1].headers.get("cookie") is None


# -- the cache -----------------------------------------------------------------------------


def test_a_second_run_is_served_from_the_cache(cache_dir: Path) -> None:
    seen = Recorder(lambda request: html())
    urls = ["https://example.com/a", "https://example.com/b?utm_source=x"]
    first = fetch(seen, urls, options(cache_dir))
    assert len(seen.requests) == 2
    assert not any(r.from_cache for r in first.values())
    second = fetch(seen, urls, options(cache_dir))
    assert len(seen.requests) == 2  # no request at all
    assert all(r.from_cache for r in second.values())
    for url in urls:
        assert second[url] == FetchResult(
            url=url,
            final_url=first[url].final_url,
            status=200,
            text=first[url].text,
            title=first[url].title,
            content_type="text/html",
            error=None,
            from_cache=True,
        )
    # equivalent URLs share the entry
    third = fetch(seen, ["https://example.com/b"], options(cache_dir))
    assert third["https://example.com/b"].from_cache
    assert len(seen.requests) == 2


def test_the_cache_file_holds_the_extracted_text(cache_dir: Path) -> None:
    import hashlib

    fetch(lambda request: html(), ["https://Example.com/a?utm_medium=x"], options(cache_dir))
    canonical = srcscore._urls.canonicalize("https://example.com/a").url
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    files = [p for p in cache_dir.rglob("*") if p.is_file()]
    assert [p.name for p in files] == [f"{digest}.json"]  # no temporary file left behind
    record = json.loads(files[0].read_text(encoding="utf-8"))
    assert set(record) >= {
        "url",
        "final_url",
        "status",
        "fetched_at",
        "content_type",
        "title",
        "text",
    }
    assert record["url"] == canonical == "https://example.com/a"
    assert record["text"] == "Bridge to reopen\nOfficials confirmed the bridge will reopen in May."
    assert "<" not in record["text"]


def test_failures_are_not_cached(cache_dir: Path, sleeps: list[float]) -> None:
    seen = Recorder(lambda request: httpx.Response(503))
    fetch(seen, ["https://example.com/a"], options(cache_dir, retries=0))
    fetch(seen, ["https://example.com/a"], options(cache_dir, retries=0))
    assert len(seen.requests) == 2
    assert not cache_dir.exists() or not any(p.is_file() for p in cache_dir.rglob("*"))


def test_the_cache_expires(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1_700_000_000.0]
    monkeypatch.setattr(_fetch, "_wall", lambda: clock[0])
    seen = Recorder(lambda request: html())
    opts = options(cache_dir, cache_ttl=3600)
    fetch(seen, ["https://example.com/a"], opts)
    clock[0] += 3599
    assert fetch(seen, ["https://example.com/a"], opts)["https://example.com/a"].from_cache
    clock[0] += 2
    refetched = fetch(seen, ["https://example.com/a"], opts)["https://example.com/a"]
    assert not refetched.from_cache
    assert len(seen.requests) == 2
    clock[0] += 10  # the refetch renewed the entry
    assert fetch(seen, ["https://example.com/a"], opts)["https://example.com/a"].from_cache


def test_use_cache_false_neither_reads_nor_writes(cache_dir: Path) -> None:
    seen = Recorder(lambda request: html())
    fetch(seen, ["https://example.com/a"], options(cache_dir))
    before = sorted(cache_dir.rglob("*"))
    for _ in range(2):
        result = fetch(
            seen,
            ["https://example.com/a", "https://example.com/new"],
            options(cache_dir, use_cache=False),
        )
        assert not any(r.from_cache for r in result.values())
    assert len(seen.requests) == 5
    assert sorted(cache_dir.rglob("*")) == before


def test_a_corrupt_cache_entry_is_ignored_and_replaced(cache_dir: Path) -> None:
    seen = Recorder(lambda request: html())
    fetch(seen, ["https://example.com/a"], options(cache_dir))
    (entry,) = [p for p in cache_dir.rglob("*.json")]
    for garbage in [
        "{not json",
        "[]",
        '{"version": 1}',
        json.dumps({"version": 1, "url": "https://example.com/a", "fetched_at": "x"}),
    ]:
        entry.write_text(garbage, encoding="utf-8")
        assert not fetch(seen, ["https://example.com/a"], options(cache_dir))[
            "https://example.com/a"
        ].from_cache
    assert len(seen.requests) == 5
    assert fetch(seen, ["https://example.com/a"], options(cache_dir))[
        "https://example.com/a"
    ].from_cache


def test_an_unwritable_cache_costs_only_refetches(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    seen = Recorder(lambda request: html())
    opts = options(blocker / "cache")
    assert fetch(seen, ["https://example.com/a"], opts)["https://example.com/a"].ok
    assert fetch(seen, ["https://example.com/a"], opts)["https://example.com/a"].ok
    assert len(seen.requests) == 2


def test_default_cache_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == str(tmp_path / "xdg" / "srcscore" / "pages")
    assert FetchOptions().cache_dir == str(tmp_path / "xdg" / "srcscore" / "pages")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == str(tmp_path / "home" / ".cache" / "srcscore" / "pages")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == str(tmp_path / "home" / ".cache" / "srcscore" / "pages")


# -- API -----------------------------------------------------------------------------------


def test_options_are_validated() -> None:
    for bad in (
        {"timeout": 0},
        {"timeout": float("nan")},
        {"total_timeout": -1},
        {"max_bytes": 0},
        {"max_redirects": -1},
        {"concurrency": 0},
        {"per_host": 1.5},
        {"retries": True},
        {"backoff": -0.1},
        {"cache_ttl": "1d"},
        {"user_agent": ""},
        {"user_agent": "a\r\nX-Injected: 1"},
        {"allow_private_addresses": "yes"},
        {"progress": 1},
        {"cache_dir": 3},
    ):
        with pytest.raises(InputError):
            FetchOptions(**bad)


def test_bad_arguments_raise_input_error() -> None:
    with pytest.raises(InputError, match="expected a sequence"):
        fetch_all("https://example.com/")
    with pytest.raises(InputError, match=r"urls\[1\]: expected str"):
        fetch_all(["https://example.com/", 3])  # type: ignore[list-item]
    with pytest.raises(InputError, match="options"):
        fetch_all([], {"timeout": 1})  # type: ignore[arg-type]
    assert fetch_all([], options()) == {}


def test_afetch_all_and_fetch_all_inside_a_running_loop() -> None:
    transport = httpx.MockTransport(lambda request: html())

    async def main() -> tuple[FetchResult, FetchResult]:
        direct = await afetch_all(
            ["https://example.com/a"], options(), transport=transport, resolver=Resolver()
        )
        # the blocking form, called while this loop runs, uses a worker thread
        blocking = fetch_all(
            ["https://example.com/a"], options(), transport=transport, resolver=Resolver()
        )
        return direct["https://example.com/a"], blocking["https://example.com/a"]

    direct, blocking = asyncio.run(main())
    assert direct.ok
    assert direct == blocking


def test_fetch_all_from_a_plain_thread() -> None:
    out: dict[str, FetchResult] = {}
    thread = threading.Thread(
        target=lambda: out.update(fetch(lambda request: html(), ["https://example.com/a"]))
    )
    thread.start()
    thread.join(10)
    assert out["https://example.com/a"].ok


def test_progress_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    urls = [f"https://example.com/{i}" for i in range(3)]
    fetch(lambda request: html(), urls, options(progress=True))
    err = capsys.readouterr().err
    assert err.startswith("\rsrcscore: fetched 1/3")
    assert err.endswith("\rsrcscore: fetched 3/3\n")
    fetch(lambda request: html(), urls, options(progress=None))  # stderr is not a TTY here
    fetch(lambda request: html(), urls, options(progress=False))
    assert capsys.readouterr().err == ""


def test_importing_srcscore_does_not_import_httpx(tmp_path: Path) -> None:
    code = (
        "import sys, srcscore, srcscore._fetch, srcscore._extract\n"
        "srcscore._fetch.FetchOptions(cache_dir=None)\n"
        "assert 'httpx' not in sys.modules, 'httpx imported'\n"
        "assert 'httpcore' not in sys.modules, 'httpcore imported'\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, timeout=60, check=False, cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr.decode()


# -- a real server on the loopback interface -----------------------------------------------


class _PageHandler(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[tuple[str, str]]] = []

    def do_GET(self) -> None:
        type(self).hits.append((self.path, self.headers.get("Host", "")))
        body = PAGE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def loopback_server() -> Iterator[tuple[int, list[tuple[str, str]]]]:
    hits: list[tuple[str, str]] = []
    handler = type("Handler", (_PageHandler,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield server.server_address[1], hits
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


# pytest-socket: sockets may connect to 127.0.0.1 only (``enable_socket`` would lift
# every restriction, so the narrower ``allow_hosts`` is used instead).
loopback = pytest.mark.allow_hosts(["127.0.0.1"])


@loopback
def test_loopback_is_refused_by_default(loopback_server: tuple[int, list[Any]]) -> None:
    port, hits = loopback_server
    url = f"http://127.0.0.1:{port}/page"
    result = fetch_all([url], options())[url]
    assert result.error == "refused: private address 127.0.0.1"
    assert hits == []  # no connection was even attempted


@loopback
def test_loopback_with_allow_private_addresses(loopback_server: tuple[int, list[Any]]) -> None:
    port, hits = loopback_server
    url = f"http://127.0.0.1:{port}/page"
    result = fetch_all([url], options(allow_private_addresses=True))[url]
    assert result.ok, result
    assert result.text == "Bridge to reopen\nOfficials confirmed the bridge will reopen in May."
    assert result.title == "Bridge | Example"
    assert hits == [("/page", f"127.0.0.1:{port}")]


@loopback
def test_the_connection_goes_to_the_vetted_address(
    loopback_server: tuple[int, list[Any]],
) -> None:
    # "pinned.invalid" exists only in our resolver's answer: the request can only
    # arrive if the transport connected to that vetted address and never asked
    # the system resolver again; the Host header still names the host.
    port, hits = loopback_server
    url = f"http://pinned.invalid:{port}/page"
    resolver = Resolver({"pinned.invalid": ["127.0.0.1"]})
    result = fetch_all([url], options(allow_private_addresses=True), resolver=resolver)[url]
    assert result.ok, result
    assert hits == [("/page", f"pinned.invalid:{port}")]
    assert resolver.calls == ["pinned.invalid"]


@loopback
@pytest.mark.parametrize("host", ["2130706433", "0x7f.1", "0177.0.0.1", "127.1", "localhost"])
def test_obfuscated_loopback_hosts_are_refused_by_the_system_resolver(
    host: str, loopback_server: tuple[int, list[Any]]
) -> None:
    # Numeric forms are parsed by getaddrinfo itself (no DNS query); the address
    # they reach is what is checked. "localhost" comes from /etc/hosts. (httpx
    # rejects 0177.0.0.1 as a malformed IPv4 address outright.)
    port, hits = loopback_server
    url = f"http://{host}:{port}/page"
    error = fetch_all([url], options())[url].error
    assert error is not None
    assert error.startswith(("refused: private address ", "invalid URL: ")), error
    assert hits == []
