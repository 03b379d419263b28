"""canonicalize(): lenient on messy web URLs, strict on what is not one."""

from __future__ import annotations

import time

import pytest

import srcscore
from srcscore._urls import canonicalize, is_ip_host, registrable_domain, strip_prose


@pytest.mark.parametrize(
    ("raw", "url", "host"),
    [
        # scheme-less and protocol-relative input is read as https
        ("example.com/a", "https://example.com/a", "example.com"),
        ("www.example.com/a", "https://www.example.com/a", "www.example.com"),
        ("//example.com/a", "https://example.com/a", "example.com"),
        ("example.com", "https://example.com/", "example.com"),
        # scheme and host are case-insensitive, the path is not
        ("HTTPS://EXAMPLE.COM/Path/Case", "https://example.com/Path/Case", "example.com"),
        ("HTTP://Example.Com/x", "http://example.com/x", "example.com"),
        # internationalised names become punycode
        ("https://bücher.de/x", "https://xn--bcher-kva.de/x", "xn--bcher-kva.de"),
        ("https://BÜCHER.de/x", "https://xn--bcher-kva.de/x", "xn--bcher-kva.de"),
        ("https://xn--bcher-kva.de/x", "https://xn--bcher-kva.de/x", "xn--bcher-kva.de"),
        # trailing dot of a fully qualified name
        ("https://example.com./x", "https://example.com/x", "example.com"),
        # default ports go, others stay
        ("http://example.com:80/x", "http://example.com/x", "example.com"),
        ("https://example.com:443/x", "https://example.com/x", "example.com"),
        ("https://example.com:8443/x", "https://example.com:8443/x", "example.com"),
        ("http://example.com:443/x", "http://example.com:443/x", "example.com"),
        ("example.com:8080/x", "https://example.com:8080/x", "example.com"),
        # user info and fragment are not part of the page's address
        ("https://user:secret@example.com/x", "https://example.com/x", "example.com"),
        ("https://user@example.com/x", "https://example.com/x", "example.com"),
        ("https://example.com/x#section-2", "https://example.com/x", "example.com"),
        # IP literals
        ("http://192.168.0.1/a", "http://192.168.0.1/a", "192.168.0.1"),
        ("http://192.168.0.1:8080/a", "http://192.168.0.1:8080/a", "192.168.0.1"),
        ("http://[2001:DB8::1]/a", "http://[2001:db8::1]/a", "[2001:db8::1]"),
        ("https://[2001:db8:0:0:0:0:0:1]:443/", "https://[2001:db8::1]/", "[2001:db8::1]"),
    ],
)
def test_canonical_form(raw: str, url: str, host: str) -> None:
    canon = canonicalize(raw)
    assert canon.url == url
    assert canon.host == host


@pytest.mark.parametrize(
    ("raw", "url"),
    [
        ("https://example.com/x?utm_source=feed", "https://example.com/x"),
        (
            "https://example.com/x?utm_source=a&utm_medium=b&utm_campaign=c&utm_content=d",
            "https://example.com/x",
        ),
        ("https://example.com/x?UTM_Source=a&id=5", "https://example.com/x?id=5"),
        ("https://example.com/x?fbclid=IwAR0abc", "https://example.com/x"),
        ("https://example.com/x?gclid=EAIa&page=2", "https://example.com/x?page=2"),
        (
            "https://example.com/x?utm_source=a&id=5&fbclid=z&gclid=q&q=hello%20world",
            "https://example.com/x?id=5&q=hello%20world",
        ),
        # real parameters are kept, in their order
        ("https://example.com/watch?v=abc&t=30", "https://example.com/watch?v=abc&t=30"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?b=2&a=1"),
    ],
)
def test_tracking_parameters_stripped_real_ones_kept(raw: str, url: str) -> None:
    assert canonicalize(raw).url == url


@pytest.mark.parametrize(
    "raw",
    [
        "<https://example.com/x>",
        "(https://example.com/x)",
        "(https://example.com/x).",
        "https://example.com/x.",
        "https://example.com/x,",
        "https://example.com/x;",
        '"https://example.com/x",',
        "'https://example.com/x'",
        "“https://example.com/x”",
        "[https://example.com/x]",
        "  https://example.com/x \n",
        "\thttps://example.com/x)",
    ],
)
def test_surrounding_punctuation_and_brackets(raw: str) -> None:
    assert canonicalize(raw).url == "https://example.com/x"


def test_balanced_parentheses_in_the_path_are_kept() -> None:
    # Wikipedia titles end with a closing parenthesis that belongs to the URL.
    url = "https://en.wikipedia.org/wiki/Mercury_(planet)"
    assert canonicalize(url).url == url
    assert canonicalize(f"({url})").url == url
    assert canonicalize(f"<{url}>.").url == url
    # ... while an unbalanced closing parenthesis is the surrounding text's
    assert canonicalize("https://example.com/x)").url == "https://example.com/x"


def test_stripping_a_long_run_of_closing_brackets_is_linear() -> None:
    raw = "https://apnews.com/x" + ")" * 200_000 + "."
    started = time.perf_counter()
    assert strip_prose(raw) == "https://apnews.com/x"  # used to recount per character
    assert time.perf_counter() - started < 2.0
    assert strip_prose("(https://en.wikipedia.org/wiki/Mercury_(planet)).") == (
        "https://en.wikipedia.org/wiki/Mercury_(planet)"
    )


def test_result_fields_are_consistent() -> None:
    canon = canonicalize("https://www.Example.com:443/a/b?utm_source=x#f")
    assert canon == ("https://www.example.com/a/b", "www.example.com", "/a/b")


def test_canonicalize_is_idempotent() -> None:
    for raw in ["example.com/a?b=1&utm_source=x", "https://bücher.de/x", "//EXAMPLE.com."]:
        once = canonicalize(raw).url
        assert canonicalize(once).url == once


@pytest.mark.parametrize(
    ("raw", "reason_part"),
    [
        ("javascript:alert(1)", "javascript"),
        ("JavaScript:void(0)", "javascript"),
        ("mailto:someone@example.com", "mailto"),
        ("ftp://example.com/file.txt", "ftp"),
        ("data:text/plain,hello", "data"),
        ("file:///etc/passwd", "file"),
        ("", "empty"),
        ("   ", "empty"),
        ("\t\n", "empty"),
        ("http://exa mple.com", "space"),
        ("https://", "host"),
        ("http:example.com", "host"),
        ("https://-bad-.com/x", "host"),
        ("https://exa..mple.com/x", "host"),
        ("http://[zz::1]/", ""),
    ],
)
def test_rejections(raw: str, reason_part: str) -> None:
    with pytest.raises(srcscore.InvalidURLError) as info:
        canonicalize(raw)
    err = info.value
    assert isinstance(err, ValueError)
    assert isinstance(err, srcscore.SrcscoreError)
    assert isinstance(err, srcscore.InputError)
    assert err.url == raw
    assert reason_part in err.reason.lower()
    assert err.reason in str(err)


@pytest.mark.parametrize("raw", [None, 42, b"https://example.com/", ["https://example.com"]])
def test_non_string_is_rejected(raw: object) -> None:
    with pytest.raises(srcscore.InvalidURLError, match="expected a string"):
        canonicalize(raw)  # type: ignore[arg-type]


def test_rejection_is_catchable_as_value_error() -> None:
    with pytest.raises(ValueError):
        canonicalize("mailto:x@example.com")
    with pytest.raises(srcscore.SrcscoreError):
        canonicalize("mailto:x@example.com")


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("192.168.0.1", True),
        ("[2001:db8::1]", True),
        ("::1", True),
        ("example.com", False),
        ("1.2.3.example.com", False),
    ],
)
def test_is_ip_host(host: str, expected: bool) -> None:
    assert is_ip_host(host) is expected


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("news.bbc.co.uk", ("bbc.co.uk", "co.uk")),
        ("www.example.com", ("example.com", "com")),
        ("example.com", ("example.com", "com")),
        # ICANN section only: private suffixes such as blogspot.com are not suffixes
        ("foo.blogspot.com", ("blogspot.com", "com")),
        ("user.github.io", ("github.io", "io")),
        ("www.nature.com.evil.io", ("evil.io", "io")),
        ("localhost", ("localhost", "")),
        ("192.168.0.1", ("192.168.0.1", "")),
    ],
)
def test_registrable_domain(host: str, expected: tuple[str, str]) -> None:
    assert registrable_domain(host) == expected
