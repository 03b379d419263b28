"""Tables of who publishes where: aliases, shorteners and platforms.

Kept as data, read by :mod:`srcscore._sources`; add rows here, not branches there.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ALIAS_PREFIXES",
    "HOST_ALIASES",
    "OWNERS",
    "PATH_PLATFORMS",
    "SHORTENERS",
    "SHORT_LINK_HOSTS",
    "SUBDOMAIN_AS_PATH",
    "SUBDOMAIN_PLATFORMS",
    "SUBDOMAIN_PLATFORM_LABELS",
    "TWO_PART_ONLY",
    "TWO_PART_SEGMENTS",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _pairs(text: str) -> dict[str, str]:
    items = text.split()
    return dict(zip(items[::2], items[1::2], strict=True))


# Host prefixes that name the same publisher as the host without them.
ALIAS_PREFIXES: Final = ("www.", "www1.", "www2.", "www3.", "m.", "mobile.", "amp.")

# Hosts that are other names of one publisher: alias -> canonical host.
HOST_ALIASES: Final = _pairs(
    """
    x.com twitter.com            fb.com facebook.com          fb.watch facebook.com
    youtu.be youtube.com         youtube-nocookie.com youtube.com
    instagr.am instagram.com     redd.it reddit.com           old.reddit.com reddit.com
    new.reddit.com reddit.com    nyti.ms nytimes.com          wapo.st washingtonpost.com
    wpo.st washingtonpost.com    reut.rs reuters.com          bbc.in bbc.co.uk
    on.ft.com ft.com             cnb.cx cnbc.com              cnn.it cnn.com
    n.pr npr.org                 apne.ws apnews.com           bloom.bg bloomberg.com
    on.wsj.com wsj.com           econ.st economist.com        ti.me time.com
    abcn.ws abcnews.go.com       nbcnews.to nbcnews.com       cbsn.ws cbsnews.com
    politi.co politico.com       huffp.st huffpost.com        fxn.ws foxnews.com
    nyp.st nypost.com            lat.ms latimes.com           usat.ly usatoday.com
    theatln.tc theatlantic.com   tcrn.ch techcrunch.com       engt.co engadget.com
    zd.net zdnet.com             gu.com theguardian.com       aje.io aljazeera.com
    """
)

# Publishers with several domains: for independence they are one witness,
# though each domain keeps its own prior.
OWNERS: Final = _pairs(
    """
    bbc.com bbc.co.uk              guardian.co.uk theguardian.com   ap.org apnews.com
    reutersagency.com reuters.com  dw.de dw.com                     aljazeera.net aljazeera.com
    """
)

# Short-link hosts whose path is a link code, not a publisher.
SHORT_LINK_HOSTS: Final = _words("youtu.be fb.watch vm.tiktok.com vt.tiktok.com redd.it instagr.am")

# Link shorteners: offline, the publisher behind them is unknown.
SHORTENERS: Final = _words(
    """
    t.co bit.ly bitly.com tinyurl.com ow.ly buff.ly goo.gl is.gd dlvr.it lnkd.in trib.al
    shorturl.at rebrand.ly cutt.ly tiny.cc s.id rb.gy t.ly v.gd tr.im su.pr bl.ink
    shor.by short.io amzn.to amzn.eu a.co fb.me aka.ms g.co forms.gle maps.app.goo.gl
    apple.co spoti.fi
    """
)

# Platforms where each subdomain is its own publisher (foo.substack.com).
SUBDOMAIN_PLATFORMS: Final = _words(
    """
    blogspot.com wordpress.com substack.com github.io tumblr.com medium.com weebly.com
    wixsite.com livejournal.com typepad.com ghost.io beehiiv.com netlify.app vercel.app
    herokuapp.com neocities.org blogger.com squarespace.com webflow.io hashnode.dev
    gitlab.io pages.dev mystrikingly.com over-blog.com jimdosite.com
    """
)
# Platforms with a domain in many countries: blogspot.co.uk, blogspot.de...
SUBDOMAIN_PLATFORM_LABELS: Final = _words("blogspot")
# Platforms whose subdomain and path forms name the same publisher:
# jane.medium.com is medium.com/@jane.
SUBDOMAIN_AS_PATH: Final = {"medium.com": "@"}

# Platforms where the first path segment(s) name the publisher:
# domain -> (segments kept, segments that name no publisher, segments to skip).
PATH_PLATFORMS: Final[dict[str, tuple[int, frozenset[str], frozenset[str]]]] = {
    "twitter.com": (1, _words(
        "i home search hashtag intent share explore settings notifications messages"
    ), frozenset()),
    "facebook.com": (2, _words(
        "watch share sharer sharer.php story.php permalink.php photo.php photo photos "
        "profile.php events login help hashtag reel reels video.php marketplace gaming"
    ), frozenset()),
    "instagram.com": (1, _words("p reel reels explore stories tv accounts"), frozenset()),
    "tiktok.com": (1, _words("discover tag music embed t foryou"), frozenset()),
    "medium.com": (1, _words("tag topic search me m p"), frozenset()),
    "tumblr.com": (1, _words("tagged search dashboard explore post blog login"), frozenset()),
    "youtube.com": (2, _words(
        "watch embed shorts playlist results feed live hashtag premium gaming redirect"
    ), frozenset()),
    "linkedin.com": (2, _words("feed posts pulse jobs search"), frozenset()),
    "github.com": (1, _words(
        "orgs topics search about features marketplace sponsors settings login"
    ), frozenset()),
    "reddit.com": (2, _words("comments search user"), frozenset()),
    "t.me": (1, _words("joinchat"), _words("s")),
    "threads.net": (1, frozenset(), frozenset()),
    "bsky.app": (2, frozenset(), frozenset()),
    "patreon.com": (1, _words("posts home"), frozenset()),
}  # fmt: skip
# Platforms where only two-part paths (reddit.com/r/news) name a publisher.
TWO_PART_ONLY: Final = _words("reddit.com linkedin.com")
# Path segments that take the next one with them (youtube.com/channel/ID).
TWO_PART_SEGMENTS: Final = _words("channel c user in company school r profile groups")
