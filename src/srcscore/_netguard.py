"""Safety against server-side request forgery: which addresses may be fetched, and keeping to them.

A cited "page" may be ``http://169.254.169.254/`` or ``http://localhost:8080/admin``.
So, before any connection, and again on every redirect hop (redirects are
followed by the fetch loop, never by httpx), the host is resolved and every
address it resolves to must be public: loopback, private, link-local,
multicast, reserved, unspecified, shared (CGNAT) addresses and the
IPv4-mapped, 6to4, NAT64 and Teredo forms of those are refused, unless
``allow_private_addresses=True``.

DNS rebinding: the connection goes to the very address that was vetted. The
default transport is an httpcore connection pool whose network backend maps
each host name to the addresses vetted for it in this run and connects to
those IP literals (TLS still verifies the certificate against the host name,
and SNI and ``Host`` carry the name), and refuses any host that was not
vetted. A second DNS answer, between the check and the connect, is never
asked for. Limits: environment proxies are ignored (``trust_env=False``; a
proxy would resolve names itself); a host's vetted addresses are kept for one
:func:`~srcscore.fetch_all` call; with a caller-supplied ``transport`` the
check runs (through the ``resolver``) but the connection is the transport's
business, so pinning cannot be guaranteed there.

httpx and httpcore are imported only when a transport is built.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any, Final

from ._fetchtypes import FetchOptions, _Failure

if TYPE_CHECKING:
    import httpx

__all__ = ["Resolver", "address_refusal", "system_resolver"]

Resolver = Callable[[str], Awaitable[list[str]]]
"""Resolves a host name to IP address strings; an exception or ``[]`` means "DNS failure"."""

# NAT64 prefixes (RFC 6052, RFC 8215): the last 32 bits are the IPv4 address reached.
_NAT64: Final = (
    ipaddress.IPv6Network("64:ff9b::/96"),
    ipaddress.IPv6Network("64:ff9b:1::/48"),
)


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
