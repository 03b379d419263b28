"""Source identity, table-driven: ``tests/data/urls.csv``, plus canonicalisation properties.

Each row of the table is one URL as it shows up in the wild (prose punctuation,
wrappers, platforms, lookalikes...) and what :func:`srcscore.source_of` must say
about it. Columns: ``url,domain,source,category,flag,note``; an empty cell is not
checked. ``flag`` holds ``;``-separated expectations on :attr:`Source.flags`:
``x`` means some flag contains ``x``, ``!x`` means no flag contains ``x``.
``domain`` is the registrable domain under the ICANN section of the public
suffix list, in punycode; ``source`` is the publisher key.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, reject, settings
from hypothesis import strategies as st

import srcscore
from srcscore import Source, source_of

TABLE = Path(__file__).resolve().parent / "data" / "urls.csv"
COLUMNS = ["url", "domain", "source", "category", "flag", "note"]
MIN_ROWS = 170


def _read_table() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS, reader.fieldnames
        return list(reader)


ROWS = _read_table()
ROW_PARAMS = [pytest.param(row, id=row["url"]) for row in ROWS]


def _identity(source: Source) -> tuple[str, str, str, str]:
    return (source.url, source.domain, source.source, source.category)


# ---------------------------------------------------------------------------- the table


def test_table_is_well_formed() -> None:
    assert len(ROWS) >= MIN_ROWS
    urls = [row["url"] for row in ROWS]
    assert len(urls) == len(set(urls)), "duplicate URLs in the table"
    for row in ROWS:
        assert row["url"].strip(), row
        # A row that checks neither domain nor source says why.
        assert (row["domain"] and row["source"]) or row["note"], row
        assert not row["category"] or row["category"] in srcscore.CATEGORIES, row
        assert row["domain"] == row["domain"].lower(), row
        assert row["domain"].isascii(), "domains are punycode"


@pytest.mark.parametrize("row", ROW_PARAMS)
def test_source_identity(row: dict[str, str]) -> None:
    found = source_of(row["url"])
    got = {"domain": found.domain, "source": found.source, "category": found.category}
    want = {field: row[field] for field in got if row[field]}
    assert {field: got[field] for field in want} == want, row["note"]
    for expected in filter(None, row["flag"].split(";")):
        if expected.startswith("!"):
            assert not [f for f in found.flags if expected[1:] in f], found.flags
        else:
            assert [f for f in found.flags if expected in f], found.flags


@pytest.mark.parametrize("row", ROW_PARAMS)
def test_canonical_url_of_a_table_row_is_a_fixed_point(row: dict[str, str]) -> None:
    once = source_of(row["url"])
    assert _identity(source_of(once.url)) == _identity(once)


# Pairs on one wrapper host: a page that is not a wrapper, then a wrapped URL never
# asked before. Whatever was asked first, the wrapped URL names the inner publisher.
ORDER_PAIRS = [
    (
        "https://web.archive.org/web/2024/",
        "https://web.archive.org/web/20240202000000/https://www.bbc.co.uk/news/order-1",
        "bbc.co.uk",
    ),
    (
        "https://archive.ph/XyZ98",
        "https://archive.ph/newest/https://www.ft.com/content/order-2",
        "ft.com",
    ),
    (
        "https://www.google.com/maps/place/Paris",
        "https://www.google.com/url?q=https://apnews.com/article/order-3&sa=D",
        "apnews.com",
    ),
    (
        "https://www.google.com/search?q=order",
        "https://www.google.com/amp/s/www.independent.co.uk/news/order-4.html",
        "independent.co.uk",
    ),
    (
        "https://href.li/",
        "https://href.li/?https://www.npr.org/2024/01/01/order-5",
        "npr.org",
    ),
]


@pytest.mark.parametrize(
    ("first", "wrapped", "domain"), ORDER_PAIRS, ids=[p[1] for p in ORDER_PAIRS]
)
def test_answer_does_not_depend_on_earlier_calls(first: str, wrapped: str, domain: str) -> None:
    source_of(first)
    found = source_of(wrapped)
    assert found.domain == domain
    assert [f for f in found.flags if f.startswith("unwrapped:")], found.flags


# ---------------------------------------------------------------------------- properties

_LABEL = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
_UNICODE_LABEL = st.sampled_from(["bücher", "köln", "президент", "日本語", "新华网", "straße"])
_SUFFIX = st.sampled_from(
    [
        "com",
        "org",
        "net",
        "co.uk",
        "com.au",
        "co.jp",
        "com.br",
        "de",
        "fr",
        "in",
        "io",
        "gov",
        "mil",
        "edu",
        "ac.uk",
        "gov.uk",
        "gouv.fr",
        "go.jp",
        "int",
        "blogspot.com",
        "substack.com",
        "github.io",
        "medium.com",
        "xn--p1ai",
        "рф",
    ]
)
_KNOWN_HOST = st.sampled_from(
    [
        "www.bbc.co.uk",
        "edition.cnn.com",
        "www.reuters.com",
        "en.wikipedia.org",
        "twitter.com",
        "x.com",
        "mobile.twitter.com",
        "www.youtube.com",
        "youtu.be",
        "www.facebook.com",
        "m.facebook.com",
        "www.instagram.com",
        "www.tiktok.com",
        "www.linkedin.com",
        "old.reddit.com",
        "medium.com",
        "github.com",
        "t.me",
        "bsky.app",
        "nyti.ms",
        "t.co",
        "bit.ly",
        "www.nature.com.evil.io",
        "reuterss.com",
        "web.archive.org",
        "archive.ph",
        "www.google.com",
        "192.0.2.1",
        "[2001:db8::1]",
    ]
)
_PREFIX = st.sampled_from(["", "", "www.", "m.", "mobile.", "amp."])


@st.composite
def _hosts(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return draw(_KNOWN_HOST)
    labels = draw(st.lists(_LABEL | _UNICODE_LABEL, min_size=1, max_size=3))
    host = draw(_PREFIX) + ".".join(labels) + "." + draw(_SUFFIX)
    return host.upper() if draw(st.booleans()) else host


_SEGMENT = st.sampled_from(
    [
        "news",
        "world",
        "2024",
        "article-123.html",
        "@NASA",
        "channel",
        "UCabc_DEF",
        "c",
        "user",
        "in",
        "company",
        "r",
        "status",
        "p",
        "watch",
        "wiki",
        "Mercury_(planet)",
        "Apple_Inc.",
        "Washington,_D.C.",
        "a%20b",
        "%2F",
        "%25",
        "%2541",
        "%252F",
        "caf%C3%A9",
        "café",
        "~user",
        "a;b=c",
        "x'y",
    ]
)
_QUERY_KEY = st.sampled_from(["q", "id", "v", "page", "url", "utm_source", "fbclid", "s", "ref"])
_QUERY_VALUE = st.lists(
    st.sampled_from(
        ["a", "Z", "1", "+", "%2B", "%20", "%26", "%3D", "/", ":", "é", "%C3%A9", "~", ".", "%25"]
    ),
    max_size=4,
).map("".join)


@st.composite
def _urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["https://", "http://", "//", "", "HTTPS://"]))
    userinfo = draw(st.sampled_from(["", "", "reader@", "reader:pw@"]))
    host = draw(_hosts())
    port = draw(st.sampled_from(["", "", ":80", ":443", ":8080"]))
    path = "/" + "/".join(draw(st.lists(_SEGMENT, max_size=4)))
    pairs = draw(st.lists(st.tuples(_QUERY_KEY, _QUERY_VALUE), max_size=3))
    query = "?" + "&".join(f"{k}={v}" for k, v in pairs) if pairs else ""
    fragment = draw(st.sampled_from(["", "", "#top", "#!/x"]))
    return scheme + userinfo + host + port + path + query + fragment


_WRAPPERS: list[Callable[[str], str]] = [
    lambda u: u,
    lambda u: f"https://web.archive.org/web/20240101000000/{u}",
    lambda u: f"https://archive.ph/newest/{u}",
    lambda u: f"https://www.google.com/url?q={quote(u, safe='')}&sa=D",
    lambda u: f"https://l.facebook.com/l.php?u={quote(u, safe='')}&h=AT0",
    lambda u: f"https://www-example-com.cdn.ampproject.org/c/s/{u.split('//', 1)[-1]}",
    lambda u: f"https://www.google.com/amp/s/{u.split('//', 1)[-1]}",
]
_PROSE = st.sampled_from([("", ""), ("<", ">"), ("(", ")."), ('"', '",'), ("", "."), (" ", "\n")])


@st.composite
def _messy_urls(draw: st.DrawFn) -> str:
    url = draw(_urls())
    for wrap in draw(st.lists(st.sampled_from(_WRAPPERS), max_size=2)):
        url = wrap(url)
    before, after = draw(_PROSE)
    return before + url + after


_SETTINGS = settings(
    derandomize=True,
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@_SETTINGS
@given(_messy_urls())
def test_canonicalising_is_idempotent(raw: str) -> None:
    try:
        once = source_of(raw)
    except srcscore.InvalidURLError:
        reject()
    twice = source_of(once.url)
    assert _identity(twice) == _identity(once)


def _raises_only_invalid_url_error(text: str) -> None:
    try:
        found = source_of(text)
    except srcscore.InvalidURLError:
        return
    assert isinstance(found, Source)
    assert found.url.startswith(("http://", "https://"))


@_SETTINGS
@given(st.text())
def test_arbitrary_text_raises_nothing_but_invalid_url_error(text: str) -> None:
    _raises_only_invalid_url_error(text)


_URLISH_PREFIX = st.sampled_from(
    [
        "https://",
        "http://",
        "//",
        "www.",
        "https://example.com/",
        "https://example.com/?q=",
        "https://example.com:",
        "https://user@",
        "https://[",
        "https://web.archive.org/web/2020/",
        "https://archive.ph/newest/",
        "https://www.google.com/url?q=",
        "https://www.google.com/amp/s/",
        "https://l.facebook.com/l.php?u=",
        "https://www-x-com.cdn.ampproject.org/c/s/",
        "https://webcache.googleusercontent.com/search?q=cache:",
        "https://x.com/",
        "https://www.youtube.com/channel/",
        "https://foo.blogspot.com/",
    ]
)
# All of Unicode, lone surrogates included: JSON input can carry them ("\ud800").
_ANY_CHAR_TEXT = st.text(st.characters(exclude_categories=()))


@_SETTINGS
@given(_URLISH_PREFIX, _ANY_CHAR_TEXT)
@example("https://example.com/", "\ud800")
@example("https://example.com/?q=", "\udfff")
def test_urlish_text_raises_nothing_but_invalid_url_error(prefix: str, text: str) -> None:
    _raises_only_invalid_url_error(prefix + text)
