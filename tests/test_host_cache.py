"""The host-level shortcut of ``source_of`` and the public-suffix walk agree with the long way.

``source_of`` answers a URL in canonical form from its host alone (first
sight: :func:`_host_answer`; later: the host cache), skipping unwrapping and
canonicalisation. These tests check that the shortcut never says anything the
full pipeline (``_source_of``) would not, and that ``registrable_domain``'s own
suffix walk matches tldextract's, rule by rule.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import attrs
import idna
import pytest
import tldextract
from hypothesis import given, settings
from hypothesis import strategies as st

from srcscore import InvalidURLError, Source, _lookalike
from srcscore import _sources as sources
from srcscore._psl import label_walk, split_host
from srcscore._urls import registrable_domain

TABLE = Path(__file__).resolve().parent / "data" / "urls.csv"


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    sources._HOSTS.clear()
    sources._source_of.cache_clear()
    yield
    sources._HOSTS.clear()
    sources._source_of.cache_clear()


def _long_way(url: str) -> Source | str:
    try:
        return sources._source_of.__wrapped__(url)
    except InvalidURLError as exc:
        return f"error: {exc}"


def _short_way(url: str) -> Source | str:
    try:
        return sources.source_of(url)
    except InvalidURLError as exc:
        return f"error: {exc}"


def _table_urls() -> list[str]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return [row["url"] for row in csv.DictReader(handle)]


def _canonical(urls: list[str]) -> list[str]:
    out = []
    for url in urls:
        found = _long_way(url)
        if isinstance(found, Source):
            out.append(found.url)
    return out


CANONICAL = _canonical(_table_urls())


def test_the_table_reaches_the_shortcut() -> None:
    # Without hosts the shortcut takes, the tests below would prove nothing.
    for url in CANONICAL:
        sources.source_of(url)
    taken = [host for host, answer in sources._HOSTS.items() if answer is not None]
    refused = [host for host, answer in sources._HOSTS.items() if answer is None]
    assert len(taken) >= 100
    assert len(refused) >= 10  # wrappers, path platforms, shorteners, aliases


@pytest.mark.parametrize("url", CANONICAL)
def test_first_and_cached_answers_match_the_long_way(url: str) -> None:
    expected = _long_way(url)
    assert _short_way(url) == expected  # first sight of the host
    assert _short_way(url) == expected  # from the host cache


def test_a_host_answer_serves_other_urls_on_that_host() -> None:
    for url in CANONICAL:
        sources.source_of(url)  # every host cached
    for url in CANONICAL:
        for variant in (url.rstrip("/") + "/other/page", url.split("?")[0] + "?id=7&utm_source=x"):
            assert _short_way(variant) == _long_way(variant), variant


def test_a_bare_host_url_gets_its_slash() -> None:
    first = sources.source_of("https://example.org")
    again = sources.source_of("https://example.org")
    assert first.url == again.url == "https://example.org/"
    assert sources.source_of("https://example.org?a=1").url == "https://example.org/?a=1"


@pytest.mark.parametrize("end", ["'", '"', "(", ")", "[", "]", "{", "}", "<", ">", "`", ".'", ",)"])
@pytest.mark.parametrize("stem", ["https://bbc.com/news", "https://example.org/a?q=b"])
def test_what_prose_glues_to_the_end_is_taken_off_on_every_route(stem: str, end: str) -> None:
    url = stem + end
    expected = _long_way(url)
    assert _short_way(url) == expected  # first sight
    assert _short_way(url) == expected  # cached host
    assert isinstance(expected, Source) and not expected.url.endswith(end[-1])


@pytest.mark.parametrize(
    ("host", "target"),
    [
        ("no-w-afp.net", "afp.com"),
        ("snopesu-sa.net", "snopes.com"),
        ("upda-tecnbc.net", "cnbc.com"),
        ("thehillup-dates.de", "thehill.com"),
    ],
)
def test_a_hyphen_inside_the_filler_word_still_makes_a_lookalike(host: str, target: str) -> None:
    assert f"lookalike:{target}" in sources.source_of(f"https://{host}/x").flags


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="abcdefgmnorstvwxyz-01234567\u0430\u043e\u03bf\u0456\u0455", max_size=20))
def test_the_fast_skeleton_is_the_translation_table_s(label: str) -> None:
    # The bytes table for ASCII labels must say what the full table says.
    full = label.translate(_lookalike._CONFUSABLES)
    assert _lookalike._skeleton(label) == full.replace("rn", "m").replace("vv", "w").replace(
        "-", ""
    )


@pytest.mark.parametrize(
    ("host", "target"),
    [("reuter5.com", "reuters.com"), ("nytirnes.com", "nytimes.com"), ("b-b-c.com", "bbc.com")],
)
def test_confusable_spellings_are_still_caught_on_the_shortcut(host: str, target: str) -> None:
    assert f"lookalike:{target}" in sources.source_of(f"https://{host}/x").flags


_HOST_RE = re.compile(r"(?:(?!-)[a-z0-9-]{1,63}(?<!-)\.)*(?!-)[a-z0-9-]{1,63}(?<!-)\Z")


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet="ab0-.", min_size=1, max_size=30)
    | st.text(alphabet="ab-.", min_size=60, max_size=140)
)
def test_the_plain_host_test_is_the_label_grammar(host: str) -> None:
    assert sources._is_plain_host(host) == bool(_HOST_RE.match(host))


def test_invalid_hosts_are_refused_the_shortcut() -> None:
    too_long = "https://" + "a" * 64 + ".com/"
    for url in ("https://a..b.com/x", "https://-a.com/x", "https://a-.com/x", too_long):
        assert _short_way(url) == _long_way(url)
        assert isinstance(_long_way(url), str), url


_LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,12}[a-z0-9])?", fullmatch=True)
_TAILS = st.sampled_from(
    [
        "com", "co.uk", "de", "gov", "edu", "ac.uk", "com.co", "blogspot.com", "substack.com",
        "github.io", "medium.com", "twitter.com", "x.com", "bit.ly", "t.co", "archive.org",
        "google.com", "ampproject.org", "cdn.ampproject.org", "reuters.com", "nature.com",
        "nature.com.evil.io", "ck", "kawasaki.jp", "xn--fiqs8s", "localhost", "0.0.1",
    ]
)  # fmt: skip
_PREFIX = st.sampled_from(["", "www.", "m.", "amp.", "mobile.", "news.", "a.b."])
_PATH = st.from_regex(r"(/[A-Za-z0-9._~-]{0,10}){0,3}/?", fullmatch=True)
_QUERY = st.sampled_from(
    ["", "?utm_source=x", "?id=3", "?q=a+b&fbclid=1", "?url=https://bbc.com/x"]
)


@settings(max_examples=400, deadline=None)
@given(
    scheme=st.sampled_from(["http", "https"]),
    prefix=_PREFIX,
    label=_LABEL,
    tail=_TAILS,
    path=_PATH,
    query=_QUERY,
)
def test_generated_urls_agree(
    scheme: str, prefix: str, label: str, tail: str, path: str, query: str
) -> None:
    url = f"{scheme}://{prefix}{label}.{tail}{path}{query}"
    sources._HOSTS.clear()
    expected = _long_way(url)
    assert _short_way(url) == expected
    assert _short_way(url) == expected


# ---------------------------------------------------------------------------- suffix walk

_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@pytest.fixture(scope="module")
def extractor() -> tldextract.TLDExtract:
    return _EXTRACTOR


def _tldextract_split(extractor: tldextract.TLDExtract, host: str) -> tuple[str, str]:
    result = extractor(host)
    if result.domain and result.suffix:
        return f"{result.domain}.{result.suffix}", result.suffix
    return host, result.suffix


def _punycode(rule: str) -> str:
    return ".".join(
        label if label.isascii() else idna.encode(label, uts46=True).decode("ascii")
        for label in rule.split(".")
    )


def test_every_rule_of_the_list_splits_as_tldextract_splits_it(
    extractor: tldextract.TLDExtract,
) -> None:
    rules = extractor.tlds
    assert len(rules) > 5000
    checked = 0
    for rule in rules:
        try:
            base = _punycode(rule.lstrip("!*."))
        except idna.IDNAError:
            continue
        for prefix in ("", "a.", "www.a.", "x.y.z.", "city.", "www."):
            host = prefix + base
            assert registrable_domain.__wrapped__(host) == _tldextract_split(extractor, host), host
            checked += 1
    assert checked > 30_000


@settings(max_examples=300, deadline=None)
@given(labels=st.lists(_LABEL, min_size=1, max_size=5), tail=_TAILS)
def test_random_hosts_split_as_tldextract_splits_them(labels: list[str], tail: str) -> None:
    extractor = _EXTRACTOR
    host = ".".join([*labels, tail])
    assert registrable_domain.__wrapped__(host) == _tldextract_split(extractor, host)


_PSL_LABEL = st.sampled_from(
    ["", "a", "www", "co", "uk", "com", "ck", "www.ck", "jp", "kawasaki", "city", "bd", "xn--p1ai"]
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(_PSL_LABEL | _LABEL, min_size=1, max_size=6))
def test_the_string_walk_is_the_label_walk(labels: list[str]) -> None:
    # Empty labels and wildcard/exception rules (*.ck, !www.ck, *.kawasaki.jp) included.
    host = ".".join(labels)
    assert split_host(host) == label_walk(host), host


def test_the_filler_gate_sees_every_filler_word() -> None:
    # The two-letter heads and tails gate the word-by-word test: a one-letter
    # filler word would slip past it.
    assert min(len(word) for word in _lookalike._FILLER_WORDS) >= 2
    for word in _lookalike._FILLER_WORDS:
        host = f"cnn{word}.com"
        assert "lookalike:cnn.com" in sources.source_of(f"https://{host}/a").flags, host


def test_the_hot_path_builds_what_attrs_builds() -> None:
    # _known_source sets the slots itself: that is only right while Source has
    # these fields in this order, and nothing for attrs' __init__ to run.
    fields = attrs.fields(Source)
    names = [field.name for field in fields]
    assert names == ["url", "host", "domain", "source", "category", "suffix", "flags"]
    assert all(field.validator is None and field.converter is None for field in fields)
    assert not hasattr(Source, "__attrs_post_init__")
    assert not hasattr(Source, "__attrs_pre_init__")
    answer = ("www.a.co.uk", "a.co.uk", "a.co.uk/x", "news", "co.uk", ("platform-path",))
    made = sources._known_source("https://www.a.co.uk/x", answer)
    built = Source("https://www.a.co.uk/x", *answer)
    assert type(made) is Source
    assert made == built
    assert hash(made) == hash(built)
    assert repr(made) == repr(built)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        made.url = "https://elsewhere.example/"  # type: ignore[misc]
