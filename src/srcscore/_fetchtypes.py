"""The fetch API's values: :class:`FetchOptions`, :class:`FetchResult`, and one URL's failure.

They sit apart from the fetch loop so that the address guard, the body
decoding and the page cache can use them without importing it (or httpx).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Final

import attrs

from ._exceptions import InputError
from ._version import __version__

__all__ = ["USER_AGENT", "FetchOptions", "FetchResult", "default_cache_dir"]

USER_AGENT: Final = f"srcscore/{__version__} (+https://srcscore.readthedocs.io)"


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
        keep_markup: return an HTML page's markup instead of its main text (to
            read the page's own citations); such pages are not cached.

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
    keep_markup: bool = attrs.field(default=False, validator=_bool)


# -- one URL's failure ---------------------------------------------------------------------


class _Failure(Exception):
    """One URL cannot be fetched; the message is its ``error``."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
