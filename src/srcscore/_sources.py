"""From a URL to the publisher behind it: canonical URL, domain, source key, category."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

import attrs

from ._exceptions import InvalidURLError
from ._platforms import (
    ALIAS_PREFIXES,
    HOST_ALIASES,
    PATH_PLATFORMS,
    SHORT_LINK_HOSTS,
    SHORTENERS,
    SUBDOMAIN_AS_PATH,
    SUBDOMAIN_PLATFORM_LABELS,
    SUBDOMAIN_PLATFORMS,
    TWO_PART_ONLY,
    TWO_PART_SEGMENTS,
)
from ._priors import NEUTRAL, Prior, Priors
from ._psl import split_host
from ._urls import canonicalize, clean_query, is_ip_host, strip_prose
from ._wrappers import is_wrapper_host, unwrap

__all__ = ["Source", "source_of"]

# A URL that may be canonical: http(s), a lower-case host with no port or user
# info, a path of plain characters. Groups: host, path (maybe empty), query. The
# rest of "canonical" is checked after the match, which is cheaper than in it:
# the host by _is_plain_host on its first sight, the ends of path and query
# against what strip_prose would take off.
_FAST_URL_RE: Final = re.compile(
    r"https?://([a-z0-9.-]+)(/[A-Za-z0-9\-._~/!$&'*+,;=:@]*|)(?:\?([^#\s]*))?(?:#\S*)?\Z"
)
_PATH_PROSE_END: Final = frozenset(".!',;:")
_QUERY_PROSE_END: Final = frozenset(".,;:!?()[]{}<>\"'`")
_HOST_CACHE_SIZE: Final = 100_000
# host, domain, source, category, suffix, flags: a Source but its URL.
_HostAnswer = tuple[str, str, str, str, str, tuple[str, ...]]
_HOSTS: dict[str, _HostAnswer | None] = {}
_UNSEEN: Final[_HostAnswer] = ("", "", "", "", "", ())


@attrs.frozen
class Source:
    """The publisher behind a URL.

    Attributes:
        url: the canonical URL.
        host: the canonical host (lower case, punycode).
        domain: the registrable domain under the ICANN public suffixes, punycode.
        source: the publisher key: the domain, or the subdomain- or path-level
            publisher on platforms (``foo.substack.com``, ``twitter.com/nasa``).
        category: the kind of source (news, wire, government, blog...).
        suffix: the public suffix of the domain (``co.uk``).
        flags: notes on how the source was derived (``platform``, ``alias:x.com``...).

    """

    url: str
    host: str
    domain: str
    source: str
    category: str
    suffix: str = ""
    flags: tuple[str, ...] = ()

    def lookup_keys(self) -> tuple[str, ...]:
        """Keys to look the prior up by, most specific first."""
        return _lookup_keys(self.source, self.host, self.domain)

    def prior(self, priors: Priors | None = None, *, learned: bool = True) -> Prior:
        """Look up this source's prior in ``priors`` (default: the embedded table).

        The chain: the table (platform key, host, parents, domain), the
        lookalike rule, the suffix rules, then — for a source none of them
        knows — the learned fallback model (``learned=False`` skips it), then
        the neutral prior.
        """
        table = priors if priors is not None else Priors.default()
        found = table.lookup(self.lookup_keys(), self.suffix, self.host)
        if learned and found is NEUTRAL and self.category not in {"shortener", "ip"}:
            from ._learned import learned_prior

            rest = self.url.split("://", 1)[-1]
            slash = rest.find("/")
            path = rest[slash:] if slash >= 0 else "/"
            found = learned_prior(self.host, self.domain, self.suffix, path) or found
        if found.category == "unknown" and self.category != "unknown":
            return attrs.evolve(found, category=self.category)
        return found


# Source(url, *answer) on the hot path, without attrs' __init__, whose seven
# object.__setattr__ calls cost as much as the rest of a URL on a known host.
# Source has no validators, converters or post-init for this to skip: a test
# checks that, and that both ways build equal objects.
_new_object = object.__new__
(_set_url, _set_host, _set_domain, _set_source, _set_category, _set_suffix, _set_flags) = (
    Source.__dict__[field.name].__set__ for field in attrs.fields(Source)
)


def _known_source(url: str, answer: _HostAnswer) -> Source:
    made: Source = _new_object(Source)
    host, domain, source, category, suffix, flags = answer
    _set_url(made, url)
    _set_host(made, host)
    _set_domain(made, domain)
    _set_source(made, source)
    _set_category(made, category)
    _set_suffix(made, suffix)
    _set_flags(made, flags)
    return made


def _lookup_keys(source: str, host: str, domain: str) -> tuple[str, ...]:
    if host == domain:  # the common case: nothing between the publisher and its domain
        return (domain,) if source == domain else (source, domain)
    keys = [source] if source != domain else []
    while host and host != domain and host.endswith("." + domain):
        if host not in keys:
            keys.append(host)
        host = host.split(".", 1)[1]
    keys.append(domain)
    return tuple(keys)


def _strip_alias(host: str) -> str:
    if host.startswith(ALIAS_PREFIXES) and host.count(".") >= 2:  # one test for most hosts
        for prefix in ALIAS_PREFIXES:
            if host.startswith(prefix):
                return host[len(prefix) :]
    return host


def _path_publisher(domain: str, path: str) -> str | None:
    rule = PATH_PLATFORMS.get(domain)
    if rule is None:
        return None
    keep, reserved, skip = rule
    segments = [s for s in path.lower().split("/") if s]
    while segments and segments[0] in skip:
        segments = segments[1:]
    if not segments or segments[0] in reserved:
        return None
    if segments[0] in TWO_PART_SEGMENTS and keep >= 2:
        if len(segments) < 2:
            return None
        return f"{domain}/{segments[0]}/{segments[1]}"
    if domain in TWO_PART_ONLY:
        return None
    return f"{domain}/{segments[0]}"


def _platform_source(host: str, domain: str, path: str, short_link: bool) -> tuple[str, str]:
    """The publisher key on a platform, and the flag saying how it was found."""
    on_subdomain = domain in SUBDOMAIN_PLATFORMS or (
        domain.split(".", 1)[0] in SUBDOMAIN_PLATFORM_LABELS
    )
    if on_subdomain and host != domain:
        if domain in SUBDOMAIN_AS_PATH:
            account = host[: -len(domain) - 1]
            return f"{domain}/{SUBDOMAIN_AS_PATH[domain]}{account}", "platform-subdomain"
        return host, "platform-subdomain"
    by_path = None if short_link else _path_publisher(domain, path)
    if by_path is not None:
        return by_path, "platform-path"
    return domain, ""


@lru_cache(maxsize=65536)
def _source_of(url: str) -> Source:
    inner, wrappers = unwrap(strip_prose(url))
    flags = [f"unwrapped:{name}" for name in wrappers]
    try:
        canon = canonicalize(inner)
    except InvalidURLError:
        if not wrappers:
            raise
        canon = canonicalize(url)  # a wrapper around garbage is still the wrapper
        flags = []
    return Source(canon.url, *_identify(canon.host, canon.path, flags))


def _identify(host: str, path: str, flags: list[str]) -> _HostAnswer:
    """The publisher behind a canonical host and path: every field of a Source but the URL."""
    host = _strip_alias(host)
    short_link = host in SHORT_LINK_HOSTS
    if host in HOST_ALIASES:
        flags.append(f"alias:{host}")
        host = HOST_ALIASES[host]
    if is_ip_host(host):
        return (host, host, host, "ip", "", (*flags, "ip-address"))
    domain, suffix = split_host(host)
    if domain in HOST_ALIASES:
        flags.append(f"alias:{domain}")
        domain = HOST_ALIASES[domain]
        host = domain if host == domain else host
    source, how = _platform_source(host, domain, path, short_link)
    if how:
        flags.append(how)
    category = "unknown"
    if domain in SHORTENERS or host in SHORTENERS:
        flags.append("shortener")
        category = "shortener"
    # Category and flags need no guess: the learned fallback is left to Source.prior.
    prior = Priors.default().lookup(_lookup_keys(source, host, domain), suffix, host)
    if prior.provenance.startswith("rule: lookalike of "):
        flags.append(f"lookalike:{prior.provenance.split()[3]}")
    if prior.category != "unknown":
        category = prior.category
    return (host, domain, source, category, suffix, tuple(flags))


def source_of(url: str) -> Source:
    """Return the :class:`Source` (publisher) behind ``url``.

    Lenient on messy input (no scheme, ``www.``, tracking parameters, trailing
    punctuation); raises :class:`~srcscore.InvalidURLError` with the reason when
    the input cannot name a web page. Never touches the network.

    >>> s = source_of("https://www.Reuters.com/world/some-story/?utm_source=x")
    >>> s.url, s.domain, s.source, s.category
    ('https://www.reuters.com/world/some-story/', 'reuters.com', 'reuters.com', 'wire')
    """
    # Canonical URLs are ASCII: the rest (IRIs, lone surrogates) goes the long way.
    match = _FAST_URL_RE.match(url) if isinstance(url, str) and url.isascii() else None
    if match is not None:
        host = match[1]
        known = _HOSTS.get(host, _UNSEEN)  # one look-up: safe if another thread clears
        if known is _UNSEEN:
            known = _host_answer(host)
        end = match.end(2)
        # With no path, url[end - 1] ends the host: never prose, as hosts go here.
        if known is not None and url[end - 1] not in _PATH_PROSE_END:
            # A URL in canonical form: its host's answer is all that is left to find.
            # https://example.com is https://example.com/ (url[:end] is url when whole).
            base = url[:end] if match.start(2) != end else url[:end] + "/"
            if end == len(url):  # the common case: nothing after the path
                return _known_source(base, known)
            query = match[3]
            if query is None:  # only a fragment, which is dropped
                return _known_source(base, known)
            if query and query[-1] not in _QUERY_PROSE_END:
                query = clean_query(query)
                return _known_source(f"{base}?{query}" if query else base, known)
    if not isinstance(url, str):
        raise InvalidURLError(url, f"expected a string, got {type(url).__name__}")
    return _source_of(url)


def _is_plain_host(host: str) -> bool:
    """Tell whether ``host``, made of ``[a-z0-9.-]``, is as canonicalize leaves a host.

    That is: labels of 1 to 63 characters, none starting or ending in a hyphen.
    String tests, because a regular expression for it backtracks on every label.
    """
    return (
        host[:1] not in ".-"
        and host[-1:] not in ".-"
        and ".." not in host
        and ".-" not in host
        and "-." not in host
        and (len(host) <= 63 or max(map(len, host.split("."))) <= 63)
    )


def _host_answer(host: str) -> _HostAnswer | None:
    """Identify a host seen in a canonical URL, and remember it if the path cannot matter.

    Canonicalising such a URL changes nothing but its query, and unwrapping
    needs a wrapper host, so the publisher follows from the host alone: the
    costly URL steps are skipped. ``None`` when the path or the wrapper matters.
    """
    answer: _HostAnswer | None = None
    if _is_plain_host(host) and not is_wrapper_host(host):
        answer = _identify(host, "/", [])
        _, domain, _, category, _, flags = answer
        if (
            domain in PATH_PLATFORMS
            or category == "shortener"
            or (flags and any(f.startswith("alias:") for f in flags))
        ):
            answer = None  # the path names the publisher, or the URL stands for another
    if len(_HOSTS) >= _HOST_CACHE_SIZE:
        _HOSTS.clear()
    _HOSTS[host] = answer  # None too: the next URL on this host goes the long way at once
    return answer
