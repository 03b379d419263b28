"""Fetching cited pages: opt-in, bounded, cached, and safe to point at any URL.

Scoring never fetches by itself; this module is what ``fetch=True`` uses. It
downloads many pages at once with httpx (imported only when a fetch runs) and
returns, for every URL, a :class:`FetchResult` with the page's main text or a
short reason why there is none. One URL failing never affects the others.

Only ``http`` and ``https`` URLs are fetched, and redirects are followed here,
never by httpx, so that every hop goes through the address check of
:mod:`srcscore._netguard` (server-side request forgery, DNS rebinding). Bodies
are decoded by :mod:`srcscore._decode`; extracted pages are kept by
:mod:`srcscore._pagecache`.

Everything else: bounded concurrency (globally and per host), per-request and
per-URL timeouts, retries with exponential backoff on 429/502/503/504 and
connection failures honouring ``Retry-After``, a hard byte cap on the decoded
body (decompression included), a content-type check, charset detection, no
cookie kept beyond one URL's redirect chain, and an on-disk cache of the
extracted text keyed by canonical URL.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import email.utils
import http.cookiejar
import sys
import time
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Final, Union

import attrs

from ._decode import _MARKUP_TYPES, _TEXT_TYPES, _media_type, _read_capped, _sniff, decode_body
from ._exceptions import InputError, InvalidURLError
from ._extract import DEFAULT_MAX_CHARS, cap_text, extract_text
from ._fetchtypes import FetchOptions, FetchResult, _Failure, default_cache_dir
from ._netguard import Resolver, _pinned_transport, _Vetter, address_refusal, system_resolver
from ._pagecache import _Cache
from ._urls import canonicalize

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

_ACCEPT: Final = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,"
    "application/json;q=0.5,*/*;q=0.1"
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


# -- responses and errors ----------------------------------------------------------------


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


# -- time: module-level so that tests can replace the clock and the waits -----------------


def _wall() -> float:
    return time.time()


async def _sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


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
        if markup and self.options.keep_markup:
            text = cap_text(text, self.options.max_bytes)  # the page itself, to find its links
        elif markup:
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
        _Cache(opts.cache_dir, opts.cache_ttl, _wall)
        if opts.use_cache and opts.cache_dir is not None and not opts.keep_markup
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
