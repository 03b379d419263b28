"""From a URL to the publisher behind it: canonical URL, domain, source key, category."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

import attrs

from ._exceptions import InvalidURLError
from ._priors import Prior, Priors
from ._urls import canonicalize, clean_query, is_ip_host, registrable_domain
from ._wrappers import unwrap

__all__ = ["Source", "source_of"]

# Host prefixes that name the same publisher as the host without them.
_ALIAS_PREFIXES: Final = ("www.", "www1.", "www2.", "www3.", "m.", "mobile.", "amp.")

# Hosts that are other names of one publisher.
_HOST_ALIASES: Final = {
    "x.com": "twitter.com",
    "fb.com": "facebook.com",
    "youtu.be": "youtube.com",
    "youtube-nocookie.com": "youtube.com",
    "instagr.am": "instagram.com",
    "redd.it": "reddit.com",
    "old.reddit.com": "reddit.com",
    "new.reddit.com": "reddit.com",
    "nyti.ms": "nytimes.com",
    "wapo.st": "washingtonpost.com",
    "reut.rs": "reuters.com",
    "bbc.in": "bbc.co.uk",
    "on.ft.com": "ft.com",
    "cnb.cx": "cnbc.com",
}

# Link shorteners: offline, the publisher behind them is unknown.
_SHORTENERS: Final = frozenset(
    """
    t.co bit.ly bitly.com tinyurl.com ow.ly buff.ly goo.gl is.gd dlvr.it lnkd.in trib.al
    shorturl.at rebrand.ly cutt.ly tiny.cc s.id rb.gy t.ly v.gd tr.im su.pr bl.ink
    shor.by short.io amzn.to amzn.eu a.co fb.me aka.ms g.co forms.gle maps.app.goo.gl
    apple.co spoti.fi
    """.split()
)

# Platforms where each subdomain is its own publisher (foo.blogspot.com).
_SUBDOMAIN_PLATFORMS: Final = frozenset(
    {
        "blogspot.com",
        "wordpress.com",
        "substack.com",
        "github.io",
        "tumblr.com",
        "medium.com",
        "weebly.com",
        "wixsite.com",
        "livejournal.com",
        "typepad.com",
        "ghost.io",
        "beehiiv.com",
        "netlify.app",
        "vercel.app",
        "herokuapp.com",
        "neocities.org",
        "blogger.com",
        "squarespace.com",
        "webflow.io",
        "hashnode.dev",
        "gitlab.io",
        "pages.dev",
        "mystrikingly.com",
        "over-blog.com",
        "jimdosite.com",
    }
)

# Platforms where the first path segment(s) name the publisher: domain -> rule.
# A rule is (segments kept, segments that are not a publisher).
_PATH_PLATFORMS: Final[dict[str, tuple[int, frozenset[str]]]] = {
    "twitter.com": (
        1,
        frozenset(
            {
                "i",
                "home",
                "search",
                "hashtag",
                "intent",
                "share",
                "explore",
                "settings",
                "notifications",
                "messages",
            }
        ),
    ),
    "facebook.com": (
        1,
        frozenset(
            {
                "watch",
                "share",
                "sharer",
                "sharer.php",
                "story.php",
                "permalink.php",
                "photo.php",
                "profile.php",
                "events",
                "login",
                "help",
                "hashtag",
                "reel",
                "video.php",
            }
        ),
    ),
    "instagram.com": (1, frozenset({"p", "reel", "reels", "explore", "stories", "tv"})),
    "tiktok.com": (1, frozenset({"discover", "tag", "music", "embed"})),
    "medium.com": (1, frozenset({"tag", "topic", "search", "me", "m"})),
    "youtube.com": (
        2,
        frozenset({"watch", "embed", "shorts", "playlist", "results", "feed", "live"}),
    ),
    "linkedin.com": (2, frozenset({"feed", "posts", "pulse", "jobs", "search"})),
    "github.com": (
        1,
        frozenset(
            {
                "orgs",
                "topics",
                "search",
                "about",
                "features",
                "marketplace",
                "sponsors",
                "settings",
                "login",
            }
        ),
    ),
    "reddit.com": (2, frozenset({"comments", "search", "user"})),
    "t.me": (1, frozenset({"s", "joinchat"})),
    "threads.net": (1, frozenset()),
    "bsky.app": (2, frozenset()),
    "patreon.com": (1, frozenset({"posts", "home"})),
}
# Path segments that take the next one with them (youtube.com/channel/ID).
_TWO_PART_SEGMENTS: Final = frozenset(
    {"channel", "c", "user", "in", "company", "school", "r", "profile"}
)


# A canonical http(s) URL: lower-case host, no port, user info, query or fragment,
# and a path of plain characters that does not end in prose punctuation.
_FAST_URL_RE: Final = re.compile(
    r"(https?://([a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)"
    r"(?:/[A-Za-z0-9\-._~/!$&'*+,;=:@]*[A-Za-z0-9\-_~/$&'*+=@])?/?)"
    r"(?:\?([^#\s]*[^#\s.,;:!?)\]]))?(?:#\S*)?\Z"
)
_HOST_CACHE_SIZE: Final = 100_000
_HOSTS: dict[str, tuple[str, str, str, str, str, tuple[str, ...]]] = {}


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
        keys = [self.source] if self.source != self.domain else []
        host = self.host
        while host and host != self.domain and host.endswith("." + self.domain):
            if host not in keys:
                keys.append(host)
            host = host.split(".", 1)[1]
        keys.append(self.domain)
        return tuple(keys)

    def prior(self, priors: Priors | None = None) -> Prior:
        """Look up this source's prior in ``priors`` (default: the embedded table)."""
        table = priors if priors is not None else Priors.default()
        found = table.lookup(self.lookup_keys(), self.suffix, self.host)
        if found.category == "unknown" and self.category != "unknown":
            return attrs.evolve(found, category=self.category)
        return found


def _strip_alias(host: str) -> str:
    for prefix in _ALIAS_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            return host[len(prefix) :]
    return host


def _path_publisher(domain: str, path: str) -> str | None:
    rule = _PATH_PLATFORMS.get(domain)
    if rule is None:
        return None
    keep, reserved = rule
    segments = [s for s in path.lower().split("/") if s]
    if not segments or segments[0] in reserved:
        return None
    if segments[0] in _TWO_PART_SEGMENTS and keep >= 2:
        if len(segments) < 2:
            return None
        return f"{domain}/{segments[0]}/{segments[1]}"
    if domain == "reddit.com":
        return None
    return f"{domain}/{segments[0]}"


@lru_cache(maxsize=65536)
def _source_of(url: str) -> Source:
    inner, wrappers = unwrap(url.strip())
    flags = [f"unwrapped:{name}" for name in wrappers]
    try:
        canon = canonicalize(inner)
    except InvalidURLError:
        if not wrappers:
            raise
        canon = canonicalize(url)  # a wrapper around garbage is still the wrapper
        flags = []
    host = _strip_alias(canon.host)
    if host in _HOST_ALIASES:
        flags.append(f"alias:{host}")
        host = _HOST_ALIASES[host]
    if is_ip_host(host):
        return Source(canon.url, host, host, host, "ip", "", ("ip-address",))
    domain, suffix = registrable_domain(host)
    if domain in _HOST_ALIASES:
        flags.append(f"alias:{domain}")
        domain = _HOST_ALIASES[domain]
        host = domain if host == domain else host
    source = domain
    if domain in _SUBDOMAIN_PLATFORMS and host != domain:
        source = host
        flags.append("platform-subdomain")
    else:
        by_path = _path_publisher(domain, canon.path)
        if by_path is not None:
            source = by_path
            flags.append("platform-path")
    category = "unknown"
    if domain in _SHORTENERS or host in _SHORTENERS:
        flags.append("shortener")
        category = "shortener"
    found = Source(canon.url, host, domain, source, category, suffix, tuple(flags))
    prior = found.prior()
    if prior.provenance.startswith("rule: lookalike of "):
        target = prior.provenance.split()[3]
        flags.append(f"lookalike:{target}")
    return attrs.evolve(found, category=prior.category, flags=tuple(flags))


def source_of(url: str) -> Source:
    """Return the :class:`Source` (publisher) behind ``url``.

    Lenient on messy input (no scheme, ``www.``, tracking parameters, trailing
    punctuation); raises :class:`~srcscore.InvalidURLError` with the reason when
    the input cannot name a web page. Never touches the network.

    >>> s = source_of("https://www.Reuters.com/world/some-story/?utm_source=x")
    >>> s.url, s.domain, s.source, s.category
    ('https://www.reuters.com/world/some-story/', 'reuters.com', 'reuters.com', 'wire')
    """
    match = _FAST_URL_RE.match(url) if isinstance(url, str) else None
    if match is not None:
        # Fast path for a URL in (nearly) canonical form: its host's answer is cached.
        known = _HOSTS.get(match.group(2))
        if known is not None:
            base, query = match.group(1, 3)
            if query:
                query = clean_query(query)
            return Source(f"{base}?{query}" if query else base, *known)
    if not isinstance(url, str):
        raise InvalidURLError(url, f"expected a string, got {type(url).__name__}")
    found = _source_of(url)
    if match is not None and found.url.startswith(match.group(1)) and _host_level(found):
        if len(_HOSTS) >= _HOST_CACHE_SIZE:
            _HOSTS.clear()
        _HOSTS[match.group(2)] = (
            found.host,
            found.domain,
            found.source,
            found.category,
            found.suffix,
            found.flags,
        )
    return found


def _host_level(found: Source) -> bool:
    """Tell whether every URL on this host has this same publisher and category."""
    return (
        found.domain not in _PATH_PLATFORMS
        and not any(f.startswith("unwrapped:") for f in found.flags)
        and found.category != "shortener"
    )
