"""source_of(): from a URL to the publisher behind it."""

from __future__ import annotations

import pytest

import srcscore
from srcscore import Priors, source_of

# A small table with known values, so lookups do not depend on the curated default.
TABLE = Priors.from_csv_text(
    "domain,score,strength,category\n"
    "nature.com,0.95,40,journal\n"
    "bbc.co.uk,0.9,30,news\n"
    "twitter.com,0.4,5,social\n"
    "twitter.com/nasa,0.9,20,government\n"
    "medium.com,0.45,5,blog\n"
    "finance.yahoo.com,0.75,10,aggregator\n"
    "yahoo.com,0.6,10,aggregator\n",
    "test-table",
)


@pytest.mark.parametrize(
    ("url", "domain", "source"),
    [
        ("https://news.bbc.co.uk/x", "bbc.co.uk", "bbc.co.uk"),
        ("https://www.bbc.co.uk/news/world-123", "bbc.co.uk", "bbc.co.uk"),
        ("https://bbc.co.uk/", "bbc.co.uk", "bbc.co.uk"),
        ("https://www.example.com.au/story", "example.com.au", "example.com.au"),
        ("https://a.b.c.example.org/x", "example.org", "example.org"),
        ("https://finance.yahoo.com/news/x.html", "yahoo.com", "yahoo.com"),
    ],
)
def test_registrable_domain_under_icann_suffixes(url: str, domain: str, source: str) -> None:
    s = source_of(url)
    assert (s.domain, s.source) == (domain, source)


@pytest.mark.parametrize("prefix", ["", "www.", "m.", "mobile.", "amp."])
def test_host_aliases_name_one_publisher(prefix: str) -> None:
    s = source_of(f"https://{prefix}example-news.com/story/1")
    assert s.source == "example-news.com"
    assert s.host == "example-news.com"
    assert s.domain == "example-news.com"


def test_alias_prefix_on_a_bare_domain_is_not_stripped() -> None:
    # "m.co" or "www.com" style names are domains, not alias prefixes
    assert source_of("https://amp.dev/docs").source == "amp.dev"


def test_x_com_is_twitter() -> None:
    x = source_of("https://x.com/NASA/status/1")
    tw = source_of("https://twitter.com/nasa/status/2")
    mobile = source_of("https://mobile.twitter.com/NASA")
    assert x.domain == tw.domain == mobile.domain == "twitter.com"
    assert x.source == tw.source == mobile.source == "twitter.com/nasa"
    assert any(flag.startswith("alias:") for flag in x.flags)


@pytest.mark.parametrize(
    ("url", "domain", "source"),
    [
        ("https://foo.blogspot.com/2024/01/post.html", "blogspot.com", "foo.blogspot.com"),
        ("https://foo.substack.com/p/some-post", "substack.com", "foo.substack.com"),
        ("https://user.github.io/project/", "github.io", "user.github.io"),
        ("https://www.foo.blogspot.com/", "blogspot.com", "foo.blogspot.com"),
    ],
)
def test_platform_subdomains_are_their_own_publishers(url: str, domain: str, source: str) -> None:
    s = source_of(url)
    assert (s.domain, s.source) == (domain, source)
    assert "platform-subdomain" in s.flags


def test_two_blogs_on_one_platform_are_independent() -> None:
    assert source_of("https://alice.substack.com/p/a").source != (
        source_of("https://bob.substack.com/p/a").source
    )


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://medium.com/@someuser/a-post-123", "medium.com/@someuser"),
        ("https://twitter.com/SomeUser/status/1234", "twitter.com/someuser"),
        ("https://www.youtube.com/channel/UC123abc/videos", "youtube.com/channel/uc123abc"),
        ("https://www.facebook.com/SomePage/posts/987", "facebook.com/somepage"),
        ("https://m.facebook.com/SomePage", "facebook.com/somepage"),
    ],
)
def test_path_publishers(url: str, source: str) -> None:
    s = source_of(url)
    assert s.source == source
    assert "platform-path" in s.flags


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://twitter.com/i/web/status/1", "twitter.com"),
        ("https://twitter.com/search?q=x", "twitter.com"),
        ("https://www.youtube.com/watch?v=abc", "youtube.com"),
        ("https://www.facebook.com/watch?v=1", "facebook.com"),
        ("https://twitter.com/", "twitter.com"),
    ],
)
def test_platform_pages_that_name_no_publisher(url: str, source: str) -> None:
    assert source_of(url).source == source


@pytest.mark.parametrize(
    ("url", "category"),
    [
        ("https://www.srcscore-test-agency.gov/report", "government"),
        ("https://srcscore-test-base.mil/", "government"),
        ("https://www.srcscore-test-dept.gov.uk/x", "government"),
        ("https://srcscore-test-college.edu/paper.pdf", "academic"),
        ("https://www.srcscore-test-uni.ac.uk/research", "academic"),
        ("https://srcscore-test-body.int/news", "intergovernmental"),
    ],
)
def test_categories_by_suffix_rule(url: str, category: str) -> None:
    s = source_of(url)
    assert s.category == category
    prior = s.prior()
    assert prior.category == category
    assert prior.provenance.startswith("rule:")
    assert prior.mean > 0.5


@pytest.mark.parametrize("url", ["http://192.168.0.1/x", "http://[2001:db8::1]:8080/y"])
def test_ip_category(url: str) -> None:
    s = source_of(url)
    assert s.category == "ip"
    assert s.source == s.host == s.domain
    assert s.prior().category == "ip"


def test_lookalike_domain_gets_neither_source_nor_prior_of_the_real_one() -> None:
    evil = source_of("https://www.nature.com.evil.io/articles/x")
    real = source_of("https://www.nature.com/articles/x")
    assert evil.domain == "evil.io"
    assert evil.source == "evil.io"
    assert real.source == "nature.com"
    assert "nature.com" not in evil.lookup_keys()
    assert real.prior(TABLE).mean == 0.95
    fake = evil.prior(TABLE)
    assert fake.mean <= 0.5  # neutral at best: a lookalike earns no trust
    assert fake.provenance != real.prior(TABLE).provenance
    assert fake.category != "journal"
    assert evil.prior().mean <= 0.5


def test_lookup_keys_most_specific_first() -> None:
    s = source_of("https://a.b.example.co.uk/x")
    assert s.lookup_keys() == ("a.b.example.co.uk", "b.example.co.uk", "example.co.uk")
    tw = source_of("https://twitter.com/NASA/status/1")
    assert tw.lookup_keys() == ("twitter.com/nasa", "twitter.com")


def test_prior_follows_the_most_specific_key() -> None:
    assert source_of("https://twitter.com/NASA/status/1").prior(TABLE).mean == 0.9
    assert source_of("https://twitter.com/randomperson/status/1").prior(TABLE).mean == 0.4
    assert source_of("https://finance.yahoo.com/x").prior(TABLE).mean == 0.75
    assert source_of("https://news.yahoo.com/x").prior(TABLE).mean == 0.6


def test_platform_user_inherits_the_platform_prior_when_unlisted() -> None:
    prior = source_of("https://medium.com/@nobody/post").prior(TABLE)
    assert prior.mean == 0.45
    assert prior.provenance == "test-table: medium.com"


def test_source_fields() -> None:
    s = source_of("https://www.Reuters.com/world/some-story/?utm_source=x#top")
    assert isinstance(s, srcscore.Source)
    assert s.url == "https://www.reuters.com/world/some-story/"
    assert (s.domain, s.source, s.suffix) == ("reuters.com", "reuters.com", "com")
    assert s.category in srcscore.CATEGORIES


@pytest.mark.parametrize("url", ["javascript:alert(1)", "", "http://exa mple.com", "mailto:a@b.c"])
def test_bad_urls_raise(url: str) -> None:
    with pytest.raises(srcscore.InvalidURLError):
        source_of(url)


@pytest.mark.parametrize("value", [None, 3, ["https://example.com"], {"url": "x"}])
def test_non_string_raises(value: object) -> None:
    with pytest.raises(srcscore.InvalidURLError):
        source_of(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://web.archive.org/web/20240101000000/https://www.bbc.co.uk/news/x", "bbc.co.uk"),
        ("https://archive.ph/2024.01.01-000000/https://www.reuters.com/x", "reuters.com"),
        ("https://www.google.com/url?q=https://apnews.com/x&sa=D", "apnews.com"),
        ("https://l.facebook.com/l.php?u=https%3A%2F%2Fapnews.com%2Fx", "apnews.com"),
        ("https://www-cnn-com.cdn.ampproject.org/c/s/www.cnn.com/x", "cnn.com"),
    ],
)
def test_wrappers_are_unwrapped_to_the_publisher(url: str, source: str) -> None:
    s = source_of(url)
    assert s.source == source
    assert any(flag.startswith("unwrapped:") for flag in s.flags)


def test_a_wrapper_around_garbage_is_the_wrapper() -> None:
    s = source_of("https://web.archive.org/web/2024/javascript:alert(1)")
    assert s.domain == "archive.org"


def test_google_search_is_not_a_redirect() -> None:
    assert source_of("https://www.google.com/search?q=apnews.com").source == "google.com"


@pytest.mark.parametrize("url", ["https://t.co/abc123", "https://bit.ly/xyz"])
def test_shorteners_hide_the_publisher(url: str) -> None:
    s = source_of(url)
    assert s.category == "shortener"
    assert s.prior().mean <= 0.5
