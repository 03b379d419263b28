"""URL canonicalisation: lenient on messy input, strict on what is not a web URL.

Everything here is pure string work: no network, no DNS.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from ._exceptions import InvalidURLError
from ._psl import split_host

__all__ = [
    "CanonicalURL",
    "canonicalize",
    "clean_query",
    "is_ip_host",
    "registrable_domain",
    "strip_prose",
]

# Query parameters that identify a click or a campaign, never the page.
_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "ref_src",
        "ref_url",
        "cmpid",
        "ocid",
        "guccounter",
        "guce_referrer",
        "guce_referrer_sig",
        "smid",
        "sr_share",
        "share",
        "spm",
        "cid",
        "rss",
        "ncid",
        "s_cid",
        "ito",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "at_", "__hs")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_WEB_SCHEMES = frozenset(_DEFAULT_PORTS)
# Text around URLs leaks into them: brackets, quotes and sentence punctuation.
_STRIP_CHARS = " \t\r\n<>\"'`()[]{}«»“”‘’"
_TRAILING_PUNCT = ".,;:!?"
_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_PORT_RE = re.compile(r"^\d+(?:[/?#]|$)")
_HOST_LABEL_RE = re.compile(r"^(?!-)[a-z0-9_\-]{1,63}(?<!-)$")


class CanonicalURL(NamedTuple):
    """A canonical web URL and its host (lower case, punycode, no port if default)."""

    url: str
    host: str
    path: str


def strip_prose(raw: str) -> str:
    """Strip what the surrounding prose glued to a URL: quotes, brackets, punctuation."""
    text = raw.strip().lstrip(_STRIP_CHARS)
    # Quotes, brackets and a sentence's full stop glued to the URL are not part of
    # it, but a closing parenthesis that balances one in the path is (Mercury_(planet)).
    opened, closed = text.count("("), text.count(")")  # counted once: ")" * 10**5 is linear
    end = len(text)
    while end:
        last = text[end - 1]
        if last == ")" and opened >= closed:
            break
        if last not in _STRIP_CHARS and last not in _TRAILING_PUNCT:
            break
        opened -= last == "("
        closed -= last == ")"
        end -= 1
    return text[:end]


def _normalise_host(url: object, host: str) -> str:
    host = host.strip().rstrip(".").lower()
    if not host:
        raise InvalidURLError(url, "no host")
    if any(c.isspace() for c in host):
        raise InvalidURLError(url, "space in the host")
    if host.startswith("[") and host.endswith("]"):
        try:
            return "[" + str(ipaddress.IPv6Address(host[1:-1])) + "]"
        except ValueError:
            raise InvalidURLError(url, "malformed IPv6 address") from None
    if not host.isascii():
        host = _to_ascii(url, host)
    labels = host.split(".")
    if not all(_HOST_LABEL_RE.match(label) for label in labels):
        raise InvalidURLError(url, f"invalid host {host!r}")
    return host


def _to_ascii(url: object, host: str) -> str:
    """IDNA 2008 with UTS 46 mapping (as browsers do: straße.de keeps its ß)."""
    import idna

    try:
        return str(idna.encode(host, uts46=True, transitional=False).decode("ascii"))
    except idna.IDNAError:
        try:  # IDNA 2003, for names that 2008 refuses (symbols, emoji)
            return host.encode("idna").decode("ascii")
        except UnicodeError:
            raise InvalidURLError(url, "host is not a valid internationalised name") from None


_IP_CHARS_RE = re.compile(r"^\[?[0-9a-fA-F:.]+\]?$")
_PERCENT_RE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _normalise_path(path: str) -> str:
    """RFC 3986 normalisation: decode only unreserved octets, upper-case the rest.

    Then percent-encode what may not stand raw in a path; an existing ``%XX`` is
    kept as is, so that normalising twice changes nothing. A final ``.``, ``,``
    ... is encoded, or it would read as the prose's punctuation next time.
    """

    def fix(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    return _encode_last(quote(_PERCENT_RE.sub(fix, path), safe="/:@!$&'()*+,;=~%-._"))


def _encode_last(text: str) -> str:
    if text and text[-1] in _TRAILING_PUNCT:
        return text[:-1] + f"%{ord(text[-1]):02X}"
    return text


@lru_cache(maxsize=16384)
def clean_query(query: str) -> str:
    """Drop tracking parameters from a query string and re-encode the rest."""
    if not query:
        return ""
    kept = [
        (k, v)
        for k, v in parse_qsl(query, keep_blank_values=True)
        if k.lower() not in _TRACKING_PARAMS and not k.lower().startswith(_TRACKING_PREFIXES)
    ]
    query = urlencode(kept, doseq=True, quote_via=quote, safe="/:@,")
    # As in paths: a final "." or "," would read as the prose's punctuation.
    return _encode_last(query)


def canonicalize(raw: str) -> CanonicalURL:
    """Return the canonical form of a web URL, or raise :class:`InvalidURLError`.

    Scheme-less (``example.com/a``) and protocol-relative (``//example.com/a``)
    input is read as https. The host is lower-cased and IDNA-encoded, a trailing
    dot, default port, user info, fragment and tracking parameters are dropped.
    Non-web schemes (``javascript:``, ``mailto:``, ``ftp:``...) are rejected.
    """
    if not isinstance(raw, str):
        raise InvalidURLError(raw, f"expected a string, got {type(raw).__name__}")
    return _canonicalize(raw)


@lru_cache(maxsize=65536)
def _canonicalize(raw: str) -> CanonicalURL:
    text = strip_prose(raw)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidURLError(raw, "not valid Unicode text") from None
    if not text:
        raise InvalidURLError(raw, "empty")
    if text.startswith("//"):
        text = "https:" + text
    match = _SCHEME_RE.match(text)
    # "example.com:8080/x" parses as scheme "example.com": a scheme has no dot.
    if match and "." not in match.group(1) and not _PORT_RE.match(text[match.end() :]):
        scheme = match.group(1).lower()
        if scheme not in _WEB_SCHEMES:
            raise InvalidURLError(raw, f"not a web URL (scheme {scheme!r})")
        if not text[match.end() :].startswith("//"):
            raise InvalidURLError(raw, "no host after the scheme")
    else:
        scheme = "https"
        text = "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise InvalidURLError(raw, str(exc)) from None
    netloc_host = parts.netloc.rpartition("@")[2]
    if netloc_host.startswith("["):
        hostname = netloc_host[: netloc_host.find("]") + 1]
    else:
        hostname = netloc_host.rsplit(":", 1)[0] if ":" in netloc_host else netloc_host
    host = _normalise_host(raw, unquote(hostname))
    netloc = host if port is None or port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    path = _normalise_path(parts.path or "/")
    url = urlunsplit((scheme, netloc, path, clean_query(parts.query), ""))
    return CanonicalURL(url, host, path)


def is_ip_host(host: str) -> bool:
    """Tell whether a canonical host is an IPv4 or IPv6 literal."""
    if not _IP_CHARS_RE.match(host):
        return False  # most hosts have letters: skip the costly parse
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


@lru_cache(maxsize=1)
def _extractor() -> object:
    import tldextract

    # Offline by construction: the bundled public suffix snapshot, no cache files.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@lru_cache(maxsize=65536)
def registrable_domain(host: str) -> tuple[str, str]:
    """Split a canonical host into ``(registrable_domain, public_suffix)``.

    Uses the ICANN section of the public suffix list only, so ``foo.blogspot.com``
    belongs to ``blogspot.com``. A host that is itself a public suffix, or has
    none (``localhost``), is returned whole with an empty suffix.
    """
    return (host, "") if is_ip_host(host) else split_host(host)
