"""Wrapped links: archives, redirectors, AMP and web caches that carry another URL.

``unwrap`` peels them off, outermost first, up to a fixed depth; it is pure
string work (no request is made, so shorteners such as ``t.co`` stay wrapped).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Final
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = ["MAX_DEPTH", "is_wrapper_host", "unwrap"]

MAX_DEPTH: Final = 5

_ARCHIVE_PATH_RE: Final = re.compile(r"^/(?:web/)?(?:\d{1,14}[a-z_]*|\*)/(.+)$")
_ARCHIVE_TODAY_RE: Final = re.compile(
    r"^/(?:o/[A-Za-z0-9]+/|\d{8,14}/|\d{4}\.\d\d\.\d\d(?:-\d{6})?/|newest/|oldest/)(.+)$"
)
_GOOGLE_RE: Final = re.compile(r"^google\.(?:com?\.)?[a-z]{2,3}$")


def _query_param(*names: str) -> Callable[[str, str, str], str | None]:
    def get(host: str, path: str, query: str) -> str | None:
        params = parse_qs(query)
        for name in names:
            values = params.get(name)
            if values and values[0].strip():
                return values[0]
        return None

    return get


def _archive_org(host: str, path: str, query: str) -> str | None:
    match = _ARCHIVE_PATH_RE.match(path)
    if match is None:
        return None
    return match.group(1) + (f"?{query}" if query else "")


def _archive_today(host: str, path: str, query: str) -> str | None:
    match = _ARCHIVE_TODAY_RE.match(path)
    return match.group(1) + (f"?{query}" if query else "") if match else None


def _google_cache(host: str, path: str, query: str) -> str | None:
    q = parse_qs(query).get("q", [""])[0]
    if not q.startswith("cache:"):
        return None
    target = q[len("cache:") :].split(" ", 1)[0]
    # "cache:<id>:<url>": an opaque id may stand before the URL.
    match = re.match(r"[A-Za-z0-9_-]{8,16}:(?!//)(.+)$", target)
    return match.group(1) if match else target


def _urldefense_v3(host: str, path: str, query: str) -> str | None:
    match = re.match(r"^/v3/__(.+?)__;", path + ("?" + query if query else ""))
    return match.group(1) if match else None


def _urldefense_v2(host: str, path: str, query: str) -> str | None:
    encoded = parse_qs(query).get("u", [""])[0]
    if not encoded:
        return None
    # Proofpoint v2 writes "-" for "%" and "_" for "/".
    return unquote(encoded.replace("_", "/").replace("-", "%"))


def _amp_cache(host: str, path: str, query: str) -> str | None:
    # /c/s/www.cnn.com/x (s = https), /v/s/..., /i/s/... carry the origin URL.
    match = re.match(r"^/[cvi]/(s/)?(.+)$", path)
    if match is None:
        return None
    scheme = "https://" if match.group(1) else "http://"
    return scheme + match.group(2) + (f"?{query}" if query else "")


# host (exact, or a suffix starting with ".") -> (wrapper name, extractor)
_WRAPPERS: Final[dict[str, tuple[str, Callable[[str, str, str], str | None]]]] = {
    "web.archive.org": ("archive.org", _archive_org),
    "wayback.archive.org": ("archive.org", _archive_org),
    "archive.org": ("archive.org", _archive_org),
    "archive.ph": ("archive.today", _archive_today),
    "archive.today": ("archive.today", _archive_today),
    "archive.is": ("archive.today", _archive_today),
    "archive.li": ("archive.today", _archive_today),
    "webcache.googleusercontent.com": ("google-cache", _google_cache),
    "google.com": ("google-redirect", _query_param("url", "q")),
    "l.facebook.com": ("facebook-redirect", _query_param("u")),
    "lm.facebook.com": ("facebook-redirect", _query_param("u")),
    "l.messenger.com": ("facebook-redirect", _query_param("u")),
    "l.instagram.com": ("instagram-redirect", _query_param("u")),
    "out.reddit.com": ("reddit-redirect", _query_param("url")),
    "href.li": ("href.li", lambda h, p, q: q or None),
    "youtube.com": ("youtube-redirect", _query_param("q")),
    "news.google.com": ("google-news", _query_param("url")),
    "r.jina.ai": ("jina-reader", lambda h, p, q: p[1:] or None),
    ".safelinks.protection.outlook.com": ("outlook-safelinks", _query_param("url")),
    ".cdn.ampproject.org": ("amp-cache", _amp_cache),
    "urldefense.com": ("urldefense", _urldefense_v3),
    "urldefense.proofpoint.com": ("urldefense", _urldefense_v2),
}
_SUFFIX_WRAPPERS: Final = tuple(k for k in _WRAPPERS if k.startswith("."))
# Only these paths of general sites are redirectors (google.com/url, youtube.com/redirect).
_REDIRECT_PATHS: Final = {
    "google.com": ("/url", "/imgres", "/amp/s/"),
    "youtube.com": ("/redirect",),
}


def _bare(host: str) -> str:
    host = host.rstrip(".").lower()
    host = host[4:] if host.startswith("www.") else host
    # Google's country domains redirect like google.com: google.co.uk, google.de...
    return "google.com" if host.startswith("google.") and _GOOGLE_RE.match(host) else host


def is_wrapper_host(host: str) -> bool:
    """Tell whether URLs on ``host`` may carry another URL (archives, redirectors...)."""
    # Not through _wrapper_for's cache: asked once per new host, where a cache miss
    # costs more than the answer.
    return _find_wrapper(host) is not None


def _find_wrapper(host: str) -> tuple[str, Callable[[str, str, str], str | None]] | None:
    bare = _bare(host)
    if bare in _WRAPPERS:
        return _WRAPPERS[bare]
    if bare.endswith(_SUFFIX_WRAPPERS):
        return next(_WRAPPERS[k] for k in _SUFFIX_WRAPPERS if bare.endswith(k))
    return None


_wrapper_for = lru_cache(maxsize=65536)(_find_wrapper)


def _peel(url: str) -> tuple[str, str] | None:
    try:
        parts = urlsplit(url if "//" in url[:12] else "https://" + url.lstrip("/"))
    except ValueError:
        return None
    host = (parts.hostname or "").lower().rstrip(".")
    found = _wrapper_for(host)
    if found is None:
        return None
    name, extract = found
    bare = _bare(host)
    paths = _REDIRECT_PATHS.get(bare)
    if paths is not None and not parts.path.startswith(paths):
        return None
    if bare == "google.com" and parts.path.startswith("/amp/s/"):
        return ("google-amp", "https://" + parts.path[len("/amp/s/") :])
    inner = extract(host, parts.path, parts.query)
    if not inner:
        return None
    inner = unquote(inner) if "%3a" in inner[:12].lower() else inner
    return (name, inner)


def unwrap(url: str) -> tuple[str, tuple[str, ...]]:
    """Peel known wrappers off ``url``: return the innermost URL and the wrappers' names.

    >>> unwrap("https://web.archive.org/web/20240101000000/https://www.bbc.co.uk/news/x")
    ('https://www.bbc.co.uk/news/x', ('archive.org',))
    """
    names: list[str] = []
    for _ in range(MAX_DEPTH):
        peeled = _peel(url)
        if peeled is None:
            break
        names.append(peeled[0])
        url = peeled[1]
    return url, tuple(names)
