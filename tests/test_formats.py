"""Input formats: Markdown, HTML, MediaWiki HTML and wikitext read into the same Document."""

from __future__ import annotations

import importlib.util
import re
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import srcscore
from srcscore import Document, InputError, _wikiscan, _wikitext, parse_text
from srcscore._formats import FORMATS, detect_format, doi_of, doi_url, parse_document
from srcscore._wikitext import parse_wikitext

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples" / "formats"


def read(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def claims_and_urls(doc: Document) -> list[tuple[str, frozenset[str | None]]]:
    """Each claim's text and the URLs it cites: what equivalent inputs must agree on."""
    urls = {str(ref.id): ref.url for ref in doc.references}
    return [(c.text, frozenset(urls.get(str(r)) for r in c.references)) for c in doc.claims]


def cited(doc: Document) -> list[tuple[str, list[str | None]]]:
    urls = {str(ref.id): ref.url for ref in doc.references}
    return [(c.text, [urls.get(str(r)) for r in c.references]) for c in doc.claims]


AP = "https://apnews.com/article/harbour-bridge-reopening"
REUTERS = "https://www.reuters.com/world/harbour-bridge-traffic/"
DOI = "https://doi.org/10.5555/bridge.2023.7"
EXPECTED = [
    ("The Harbour Bridge will reopen to traffic in May, city officials confirmed.", {AP}),
    ("Traffic on the ring road fell by half during the closure.", {AP, REUTERS}),
    ("A 2023 survey found corrosion in 40% of the deck's cables.", {DOI}),
]


# --- the same article in every format -----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("harbour-bridge.txt", "text"),
        ("harbour-bridge-footnotes.markdown", "markdown"),
        ("harbour-bridge-links.markdown", "markdown"),
        ("harbour-bridge.html", "html"),
        ("harbour-bridge-wikipedia.html", "mediawiki-html"),
        ("harbour-bridge.wiki", "wikitext"),
    ],
)
def test_example_files_are_one_article(name: str, fmt: str) -> None:
    text = read(name)
    assert detect_format(text) == fmt
    doc = parse_document(text)
    assert claims_and_urls(doc) == claims_and_urls(parse_text(read("harbour-bridge.txt")))
    assert claims_and_urls(doc) == [(t, frozenset(u)) for t, u in EXPECTED]
    assert doc == parse_document(text, fmt)
    for claim in doc.claims:  # spans point into the original input
        assert claim.span is not None
        start, end = claim.span
        first_word, last_word = claim.text.split()[0], claim.text.rstrip(".").split()[-1]
        assert text[start:end].startswith(first_word) or first_word in text[start:end]
        assert last_word in text[start:end]


def test_scores_agree_across_formats() -> None:
    reports = {
        name: srcscore.score_document(parse_document(read(name)))
        for name in (
            "harbour-bridge.txt",
            "harbour-bridge-footnotes.markdown",
            "harbour-bridge-links.markdown",
            "harbour-bridge.html",
            "harbour-bridge-wikipedia.html",
            "harbour-bridge.wiki",
        )
    }
    baseline = [c.score for c in reports["harbour-bridge.txt"].claims]
    assert baseline[1] > baseline[0]  # two independent wires beat one
    for name, report in reports.items():
        assert [c.score for c in report.claims] == pytest.approx(baseline), name
        assert [sorted(c.witnesses) for c in report.claims] == [
            ["apnews.com"],
            ["apnews.com", "reuters.com"],
            ["doi.org"],
        ], name


def test_doi_references_are_scholarly() -> None:
    source = srcscore.source_of("https://doi.org/10.1/x")
    assert (source.domain, source.category) == ("doi.org", "journal")
    report = srcscore.score_document(parse_document(read("harbour-bridge.wiki")))
    survey = next(r for r in report.references if r.url == DOI)
    assert survey.category == "journal"


# --- small equivalent pairs ---------------------------------------------------------------

TEXT_PAIR = """Rates were held at 4% [1]. Inflation eased in March [1][2]. Wages rose [3].

References
[1] https://www.reuters.com/markets/rates-held/
[2] https://apnews.com/article/inflation-eases
[3] https://www.bbc.co.uk/news/wages
"""

PAIRS = {
    "markdown footnotes": """Rates were held at 4%[^1]. Inflation eased in March.[^1] [^ap]
Wages rose[^3].

[^1]: https://www.reuters.com/markets/rates-held/
[^ap]: AP, https://apnews.com/article/inflation-eases
[^3]: BBC News — <https://www.bbc.co.uk/news/wages>
""",
    "markdown inline links": (
        "[Rates were held](https://www.reuters.com/markets/rates-held/) at 4%. "
        "Inflation [eased](https://apnews.com/article/inflation-eases) in "
        "[March](https://www.reuters.com/markets/rates-held/). "
        "Wages [rose][bbc].\n\n[BBC]: https://www.bbc.co.uk/news/wages\n"
    ),
    "bare URLs": (
        "Rates were held at 4% (https://www.reuters.com/markets/rates-held/). Inflation eased "
        "in March (https://apnews.com/article/inflation-eases, "
        "<https://www.reuters.com/markets/rates-held/>). "
        "Wages rose: www.bbc.co.uk/news/wages.\n"
    ),
    "html": """<html><body><article>
<p>Rates were held at 4%<sup><a href="#r1">[1]</a></sup>. Inflation eased in
<a href="https://apnews.com/article/inflation-eases">March</a>.<sup>[<a href="#r1">1</a>]</sup>
<a href="https://www.bbc.co.uk/news/wages">Wages</a> rose.</p>
<ol class="references"><li id="r1"><a href="https://www.reuters.com/markets/rates-held/">Rates held</a></li></ol>
</article></body></html>""",  # noqa: E501
    "wikitext": """Rates were held at 4%.<ref name="r">{{Cite web|url=https://www.reuters.com/markets/rates-held/|title=Rates held}}</ref>
Inflation eased in March.<ref name = r/><ref>[https://apnews.com/article/inflation-eases AP]</ref> Wages rose.<ref>https://www.bbc.co.uk/news/wages</ref>

== References ==
<references />
""",  # noqa: E501
    "mediawiki html": """<div class="mw-parser-output"><p>Rates were held at 4%.<sup id="cite_ref-r_1-0" class="reference"><a href="#cite_note-r-1">[1]</a></sup>
Inflation eased in March.<sup class="reference"><a href="#cite_note-r-1">[1]</a></sup><sup class="reference"><a href="#cite_note-2">[2]</a></sup> Wages rose.<sup class="reference"><a href="#cite_note-3">[3]</a></sup></p>
<div class="reflist"><ol class="references">
<li id="cite_note-r-1"><span class="mw-cite-backlink">^ <a href="#cite_ref-r_1-0"><sup><i><b>a</b></i></sup></a></span> <span class="reference-text"><a class="external text" href="https://www.reuters.com/markets/rates-held/">"Rates held"</a></span></li>
<li id="cite_note-2"><span class="mw-cite-backlink"><b><a href="#cite_ref-2">^</a></b></span> <span class="reference-text"><a class="external text" href="https://apnews.com/article/inflation-eases">AP</a></span></li>
<li id="cite_note-3"><span class="mw-cite-backlink"><b><a href="#cite_ref-3">^</a></b></span> <span class="reference-text"><a class="external free" href="https://www.bbc.co.uk/news/wages">https://www.bbc.co.uk/news/wages</a></span></li>
</ol></div></div>""",  # noqa: E501
}
PAIR_FORMATS = {
    "markdown footnotes": "markdown",
    "markdown inline links": "markdown",
    "bare URLs": "markdown",
    "html": "html",
    "wikitext": "wikitext",
    "mediawiki html": "mediawiki-html",
}


@pytest.mark.parametrize("name", list(PAIRS))
def test_pair_parses_like_the_text_format(name: str) -> None:
    text = PAIRS[name]
    assert detect_format(text) == PAIR_FORMATS[name]
    doc = parse_document(text)
    assert claims_and_urls(doc) == claims_and_urls(parse_text(TEXT_PAIR))
    assert doc.warnings == ()
    assert doc.text == text


@pytest.mark.parametrize("name", list(PAIRS))
def test_pair_scores_like_the_text_format(name: str) -> None:
    want = srcscore.score_text(TEXT_PAIR)
    got = srcscore.score_document(parse_document(PAIRS[name]))
    assert [c.score for c in got.claims] == pytest.approx([c.score for c in want.claims])
    assert got.score == pytest.approx(want.score)


# --- detection ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("Rates rose [1].\n\nReferences\n[1] https://a.example/x\n", "text"),
        ("Just a sentence without sources.", "text"),
        ("", "text"),
        ("Rates rose.[^1]\n\n[^1]: https://a.example/x\n", "markdown"),
        ("Rates [rose](https://a.example/x).", "markdown"),
        ("Rates [rose][a].\n\n[a]: https://a.example/x\n", "markdown"),
        ("Rates rose, says https://a.example/x today.", "markdown"),
        ("<p>Rates <a href='https://a.example/x'>rose</a>.</p>", "html"),
        ("<!doctype html><title>x</title><p>Rates rose.</p>", "html"),
        ("<div><p>Rates rose.</p><p>Then fell.</p></div>", "html"),
        (
            '<p>Rates rose.<sup class="reference"><a href="#cite_note-1">[1]</a></sup></p>',
            "mediawiki-html",
        ),
        ("Rates rose.<ref>{{cite web|url=https://a.example/x}}</ref>", "wikitext"),
        ("Rates rose.<ref name=a/>", "wikitext"),
        ("'''Rates''' rose in [[France]].\n\n== History ==\nThey fell.", "wikitext"),
    ],
)
def test_detect_format(text: str, fmt: str) -> None:
    assert detect_format(text) == fmt
    assert fmt in FORMATS


def test_text_format_delegates_to_parse_text() -> None:
    text = read("harbour-bridge.txt")
    assert parse_document(text) == parse_text(text)
    assert parse_document(text, "text", base_url="https://x.example/a").url == "https://x.example/a"


def test_forcing_a_format() -> None:
    text = "Rates [rose](https://a.example/x)."
    assert parse_document(text, "markdown").claims[0].references == (1,)
    assert parse_document(text, "text").claims[0].references == ()
    with pytest.raises(InputError, match="unknown input format 'docx'"):
        parse_document(text, "docx")


# --- Markdown -----------------------------------------------------------------------------


def test_markdown_footnote_ids_and_warnings() -> None:
    doc = parse_document(
        "Rates rose.[^2] Wages fell.[^wages] Prices rose.[^9]\n\n"
        "[^2]: https://a.example/two\n[^wages]: https://b.example/w\n"
        "[^unused]: https://c.example/u\n"
    )
    assert [c.references for c in doc.claims] == [(2,), (1,), ()]
    assert [(r.id, r.url) for r in doc.references] == [
        (1, "https://b.example/w"),
        (2, "https://a.example/two"),
        (3, "https://c.example/u"),
    ]
    assert doc.warnings == (
        "claim 3 cites [^9], which is not in the reference list",
        "reference [3] is never cited",
    )


def test_markdown_same_url_twice_is_one_reference() -> None:
    doc = parse_document(
        "[Rates](https://www.reuters.com/a?utm_source=x) rose. "
        "Wages [fell](https://reuters.com/a) too. [Prices](https://www.reuters.com/a) rose."
    )
    assert len(doc.references) == 2  # www.reuters.com/a and reuters.com/a are two pages
    assert [c.references for c in doc.claims] == [(1,), (2,), (1,)]


def test_markdown_link_without_a_sentence_end_is_a_claim() -> None:
    doc = parse_document("Officials confirmed the reopening, [AP reports](https://apnews.com/a)")
    assert cited(doc) == [
        ("Officials confirmed the reopening, AP reports", ["https://apnews.com/a"])
    ]


def test_markdown_lists_of_links_and_headings_are_not_claims() -> None:
    doc = parse_document(
        "# [A headline](https://a.example/h)\n\n"
        "Rates rose [sharply](https://a.example/r).\n\n"
        "- [Related story](https://b.example/x)\n"
        "- [Another](https://c.example/y)\n\n"
        "## Further reading\n\nA [long read](https://d.example/z) on rates.\n"
    )
    assert cited(doc) == [("Rates rose sharply.", ["https://a.example/r"])]
    assert [r.url for r in doc.references] == ["https://a.example/r"]


def test_markdown_ignores_non_web_links_images_and_code() -> None:
    doc = parse_document(
        "Click [here](javascript:alert(1)) or [mail us](mailto:a@b.c). "
        "![chart](https://img.example/c.png) Rates [rose](#section).\n\n"
        "```\nSee [x](https://code.example/x).\n```\n\n"
        "Use `[y](https://inline.example/y)` in code."
    )
    assert doc.references == ()
    assert [c.text for c in doc.claims] == [
        "Click here or mail us.",
        "Rates rose.",
        "Use [y](https://inline.example/y) in code.",
    ]


def test_markdown_relative_links_need_a_base_url() -> None:
    text = "Rates [rose](/markets/rates) today. See [this](../x/story.html)."
    without = parse_document(text)
    assert without.references == ()
    assert without.warnings == ("2 relative link(s) ignored: give base_url to resolve them",)
    doc = parse_document(text, base_url="https://news.example.com/2025/a/b.html")
    assert [r.url for r in doc.references] == [
        "https://news.example.com/markets/rates",
        "https://news.example.com/2025/x/story.html",
    ]
    assert doc.url == "https://news.example.com/2025/a/b.html"
    report = srcscore.score_document(doc)  # linking to your own site proves nothing
    assert report.claims[0].score == 0.0


def test_markdown_nested_brackets_parentheses_and_emphasis() -> None:
    doc = parse_document(
        "The [planet [Mercury]](https://en.wikipedia.org/wiki/Mercury_(planet)) is **small**. "
        "Its snake_case_name is _odd_ and 2 * 3 = 6.\n"
    )
    assert cited(doc) == [
        ("The planet [Mercury] is small.", ["https://en.wikipedia.org/wiki/Mercury_(planet)"]),
        ("Its snake_case_name is odd and 2 * 3 = 6.", []),
    ]


def test_markdown_reference_style_links() -> None:
    doc = parse_document(
        "Rates rose, per [Reuters][]. Wages fell, per [the BBC]. Prices rose [1].\n\n"
        "[reuters]: https://www.reuters.com/a\n"
        '[The  BBC]: <https://www.bbc.co.uk/b> "BBC story"\n'
        "[1]: https://apnews.com/c\n"
    )
    assert cited(doc) == [
        ("Rates rose, per Reuters.", ["https://www.reuters.com/a"]),
        ("Wages fell, per the BBC.", ["https://www.bbc.co.uk/b"]),
        ("Prices rose.", ["https://apnews.com/c"]),
    ]
    assert doc.references[1].title == "BBC story"


def test_markdown_bare_url_after_the_sentence_cites_it() -> None:
    doc = parse_document("The agency said so. (https://agency.example/report)\n\nNext one.")
    assert cited(doc) == [
        ("The agency said so.", ["https://agency.example/report"]),
        ("Next one.", []),
    ]


def test_markdown_spans() -> None:
    text = "Intro line here.\n\n> Rates [rose](https://a.example/r)\n> sharply.[^1]\n\n[^1]: https://b.example/f\n"
    doc = parse_document(text)
    assert [text[a:b] for a, b in (c.span for c in doc.claims if c.span)] == [
        "Intro line here.",
        "Rates [rose](https://a.example/r)\n> sharply.[^1]",  # markers after the stop too
    ]
    assert doc.claims[1].text == "Rates rose sharply."


# --- DOIs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "doi:10.1038/nature12373",
        "DOI: 10.1038/nature12373",
        "https://doi.org/10.1038/nature12373",
        "http://dx.doi.org/10.1038/nature12373",
        "https://doi.org/10.1038%2Fnature12373",
        "doi.org/10.1038/nature12373",
    ],
)
def test_dois_become_doi_org_references(written: str) -> None:
    doc = parse_document(f"Glaciers are shrinking ({written}).")
    assert cited(doc) == [("Glaciers are shrinking.", ["https://doi.org/10.1038/nature12373"])]


def test_doi_helpers() -> None:
    assert doi_of("https://dx.doi.org/10.1002/(SICI)1097-0258(19980815)17:15<1661>3.0.CO;2-2") == (
        "10.1002/(SICI)1097-0258(19980815)17:15<1661>3.0.CO;2-2"
    )
    assert doi_of("https://example.org/10.1/x") is None
    assert doi_url("10.1/a b") == "https://doi.org/10.1/a%20b"


def test_same_doi_written_twice_is_one_reference() -> None:
    doc = parse_document(
        "Ice melts (doi:10.1/ICE). It melts fast ([study](https://dx.doi.org/10.1/ice))."
    )
    assert [r.url for r in doc.references] == ["https://doi.org/10.1/ICE"]


# --- HTML ---------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><title>Rates</title>
<base href="https://news.example.com/markets/">
<script>document.write('<a href="https://evil.example/">x</a>');</script>
<style>p { color: red }</style></head>
<body>
<header><a href="https://news.example.com/">Home</a></header>
<nav class="menu"><a href="https://twitter.com/news">Follow us on X.</a></nav>
<div id="cookie-banner"><p>We use <a href="https://cookies.example/">cookies</a>.</p></div>
<main>
<h1>Rates <a href="https://headline.example/">held</a></h1>
<p>Rates were held at 4%, <a href="rates-held">we reported</a>. Markets
<a href="javascript:void(0)">rallied</a>. Analysts <a href="#analysis">disagree</a>.</p>
<p id="analysis">Bonds fell &amp; yields rose.<a href="#fn1" class="footnote-ref" role="doc-noteref"><sup>1</sup></a></p>
<div class="social-share"><a href="https://facebook.com/sharer">Share this story.</a></div>
</main>
<aside><p>Read <a href="https://other.example/">more</a>.</p></aside>
<section class="footnotes" role="doc-endnotes"><ol>
<li id="fn1"><p>Bond data: <a href="https://data.example/bonds">data.example</a>.<a href="#fnref1" class="footnote-back">↩︎</a></p></li>
</ol></section>
<footer><p>Contact <a href="mailto:x@y.z">us</a>. <a href="/privacy">Privacy</a>.</p></footer>
</body></html>"""  # noqa: E501


def test_html_main_text_only() -> None:
    doc = parse_document(PAGE)
    assert cited(doc) == [
        ("Rates were held at 4%, we reported.", ["https://news.example.com/markets/rates-held"]),
        ("Markets rallied.", []),
        ("Analysts disagree.", []),
        ("Bonds fell & yields rose.", ["https://data.example/bonds"]),
    ]
    assert [(r.id, r.title) for r in doc.references] == [
        (1, "Bond data: data.example"),  # numbered by its marker
        (2, None),
    ]
    assert doc.url == "https://news.example.com/markets/"


def test_html_spans_point_into_the_page() -> None:
    doc = parse_document(PAGE)
    spans = [PAGE[a:b] for a, b in (c.span for c in doc.claims if c.span)]
    assert spans[0] == 'Rates were held at 4%, <a href="rates-held">we reported</a>.'
    assert spans[3] == "Bonds fell &amp; yields rose."


def test_html_base_url_argument_wins_and_relative_links_without_one_are_ignored() -> None:
    page = '<p>Rates <a href="/a">rose</a>. Wages <a href="https://b.example/w">fell</a>.</p>'
    doc = parse_document(page)
    assert cited(doc) == [("Rates rose.", []), ("Wages fell.", ["https://b.example/w"])]
    assert doc.warnings == ("1 relative link(s) ignored: give base_url to resolve them",)
    doc = parse_document(page, base_url="https://a.example/x/y")
    assert cited(doc)[0] == ("Rates rose.", ["https://a.example/a"])


def test_html_markers_to_a_plain_list_and_inline_links_share_numbers() -> None:
    page = """<p>Rates rose.<a href="#n2"><sup>2</sup></a> Wages fell, says
<a href="https://www.bbc.co.uk/w">the BBC</a>.</p>
<ol><li id="n1">Not cited.</li><li id="n2">Reuters. https://www.reuters.com/r</li></ol>
<p>A closing sentence.</p>"""
    doc = parse_document(page)
    assert cited(doc) == [
        ("Rates rose.", ["https://www.reuters.com/r"]),
        ("Wages fell, says the BBC.", ["https://www.bbc.co.uk/w"]),
        ("Not cited.", []),
        ("A closing sentence.", []),
    ]
    assert [(r.id, r.url) for r in doc.references] == [
        (1, "https://www.bbc.co.uk/w"),
        (2, "https://www.reuters.com/r"),
    ]


def test_html_bare_urls_and_dois_in_the_text_cite() -> None:
    page = (
        "<p>Ice melts (doi:10.1029/2018GL078434). Data at https://nsidc.org/data today. "
        'See <a href="https://nsidc.org/x">https://nsidc.org/x</a>.</p>'
    )
    assert cited(parse_document(page)) == [
        ("Ice melts.", ["https://doi.org/10.1029/2018GL078434"]),
        ("Data at today.", ["https://nsidc.org/data"]),
        ("See https://nsidc.org/x.", ["https://nsidc.org/x"]),
    ]


def test_html_unclosed_paragraphs_and_list_items() -> None:
    page = (
        "<div><p>First point <a href='https://a.example/1'>here</a>.<p>Second point."
        "<ul><li>Item one is <a href=https://b.example/2>cited</a>.<li>Item two.</ul></div>"
    )
    assert cited(parse_document(page)) == [
        ("First point here.", ["https://a.example/1"]),
        ("Second point.", []),
        ("Item one is cited.", ["https://b.example/2"]),
        ("Item two.", []),
    ]


# --- MediaWiki HTML -----------------------------------------------------------------------


def test_mediawiki_links_to_wiki_pages_are_not_citations() -> None:
    doc = parse_document(read("harbour-bridge-wikipedia.html"))
    urls = {r.url for r in doc.references}
    assert not any("wikipedia.org" in (u or "") for u in urls)
    assert doc.url == "https://en.wikipedia.org/wiki/Harbour_Bridge"
    assert doc.warnings == ("reference [1] is never cited",)  # it sits in the infobox
    assert [r.id for r in doc.references] == [1, 2, 3, 4]
    assert all("edit" not in c.text and "citation needed" not in c.text for c in doc.claims)


def test_mediawiki_citation_needed_and_external_links_in_text() -> None:
    page = """<div class="mw-parser-output"><p>Rates rose.<sup class="noprint Inline-Template">[<i><a href="/wiki/Wikipedia:Citation_needed">citation needed</a></i>]</sup>
The <a href="https://www.ecb.europa.eu/" class="external text" rel="nofollow">ECB</a> said so, per <a href="https://fr.wikipedia.org/wiki/BCE" class="extiw">BCE</a>.</p>
<p>Rates <a rel="mw:WikiLink" href="./Rate">fell</a> (<a rel="mw:ExtLink" class="external free" href="https://x.example/y">https://x.example/y</a>).</p></div>"""  # noqa: E501
    assert detect_format(page) == "mediawiki-html"
    assert cited(parse_document(page)) == [
        ("Rates rose.", []),
        ("The ECB said so, per BCE.", ["https://www.ecb.europa.eu/"]),
        ("Rates fell (https://x.example/y).", ["https://x.example/y"]),
    ]


def test_mediawiki_parsoid_markers() -> None:
    page = """<section data-mw-section-id="0"><p>Rates rose.<sup typeof="mw:Extension/ref" class="mw-ref reference" id="cite_ref-1"><a href="./Rates#cite_note-1"><span class="mw-reflink-text">[1]</span></a></sup></p></section>
<div class="mw-references-wrap"><ol class="mw-references references"><li id="cite_note-1"><span class="mw-cite-backlink"><a href="./Rates#cite_ref-1">↑</a></span> <span class="mw-reference-text"><a rel="mw:ExtLink nofollow" href="https://www.reuters.com/r" class="external text">Reuters</a></span></li></ol></div>"""  # noqa: E501
    doc = parse_document(page)
    assert cited(doc) == [("Rates rose.", ["https://www.reuters.com/r"])]
    assert doc.references[0].title == "Reuters"


# --- wikitext -----------------------------------------------------------------------------


def test_wikitext_named_reused_and_list_defined_refs() -> None:
    text = """Rates rose.<ref name="later" /> Wages fell.<ref name=a>{{cite news|url=https://a.example/a|title=A}}</ref> Prices rose.<ref name="a"/><ref name="later"/>

== Notes ==
{{reflist|refs=
<ref name="later">{{cite web |url=https://later.example/l |title=Defined {{lang|fr|plus tard}}}}</ref>
}}
"""  # noqa: E501
    doc = parse_document(text)
    assert cited(doc) == [
        ("Rates rose.", ["https://later.example/l"]),
        ("Wages fell.", ["https://a.example/a"]),
        ("Prices rose.", ["https://a.example/a", "https://later.example/l"]),
    ]
    assert [(r.id, r.title) for r in doc.references] == [(1, "Defined plus tard"), (2, "A")]
    assert doc.warnings == ()


def test_wikitext_groups_bare_links_and_undefined_refs() -> None:
    text = (
        "Rates rose.<ref group=note>A note without a link.</ref> "
        "Wages fell.<ref>[http://a.example/w Wage data] and more</ref> "
        "Prices rose.<ref>https://b.example/p.</ref> Costs rose.<ref name=gone/>"
        "<ref group=lower-alpha>Alpha.</ref>"
    )
    doc = parse_document(text)
    assert [(c.text, c.references) for c in doc.claims] == [
        ("Rates rose.", ("note 1",)),
        ("Wages fell.", (1,)),
        ("Prices rose.", (2,)),
        ("Costs rose.", ("a",)),
    ]
    refs = {r.id: r for r in doc.references}
    assert refs["note 1"].url is None and refs["note 1"].title == "A note without a link"
    assert (refs[1].url, refs[1].title) == ("http://a.example/w", "Wage data")
    assert refs[2].url == "https://b.example/p"
    assert doc.warnings == (
        'claim 4 cites <ref name="gone" />, which is not in the reference list',
    )


def test_wikitext_doi_wins_and_identifiers() -> None:
    text = (
        "A.<ref>{{cite journal |title=T |url=https://j.example/x |doi=10.1000/182}}</ref> "
        "B.<ref>{{Cite journal|title=U|pmid=123456}}</ref> "
        "C.<ref>{{cite arXiv |eprint=1234 |arxiv=2101.00001}}</ref> "
        "D.<ref>{{cite tweet |user=NASA |number=42 |title=Launch}}</ref> "
        "E.<ref>{{cite book |title=A Book |isbn=978-0}}</ref> "
        "F.<ref>Smith (2020), {{doi|10.1000/183}}.</ref>"
    )
    doc = parse_wikitext(text)
    assert [r.url for r in doc.references] == [
        "https://doi.org/10.1000/182",
        "https://pubmed.ncbi.nlm.nih.gov/123456/",
        "https://arxiv.org/abs/2101.00001",
        "https://twitter.com/NASA/status/42",
        None,
        "https://doi.org/10.1000/183",
    ]
    assert doc.references[4].title == "A Book"


WIKI_MARKUP = """{{Infobox city|name=X|population=5<ref>https://pop.example/</ref>}}
'''Springfield''' ({{lang|fr|Champ-de-source}}) is a ''[[city]]'' of {{convert|5|to|10|km2|sqmi}} on the [[River Shelby|Shelby]].<!-- hidden <ref>https://hidden.example/</ref> --><ref>[https://a.example/x City facts]</ref>
It was founded {{circa|1820}} by [[Jebediah Springfield]]'s family{{cn|date=May 2025}}.&nbsp;It has a <nowiki>[[literal]]</nowiki> name.
{| class="wikitable"
| Table cell with a claim. || <ref>https://table.example/</ref>
|}
[[File:Springfield.jpg|thumb|A [[view]] of the city.]]
* List item with a source.<ref>https://list.example/</ref>
# Numbered item.
<math>x^2</math> is math.<br />New line.

== See also ==
* [[Shelbyville]]
"""  # noqa: E501


def test_wikitext_markup_is_stripped_from_claims() -> None:
    text = WIKI_MARKUP
    doc = parse_wikitext(text, engine="builtin")
    assert cited(doc) == [
        (
            "Springfield (Champ-de-source) is a city of 5 to 10 km2 on the Shelby.",
            ["https://a.example/x"],
        ),
        ("It was founded c. 1820 by Jebediah Springfield's family.", []),
        ("It has a [[literal]] name.", []),
        ("List item with a source.", ["https://list.example/"]),
        ("Numbered item.", []),
        ("is math.", []),
        ("New line.", []),
    ]
    assert [r.id for r in doc.references] == [1, 2, 3, 4]
    assert set(doc.warnings) == {"reference [1] is never cited", "reference [3] is never cited"}


def test_wikitext_spans() -> None:
    text = "Intro.\n\nThe '''[[Harbour Bridge|bridge]]''' reopened.<ref>https://a.example/</ref>"
    doc = parse_document(text)
    a, b = doc.claims[1].span or (0, 0)
    assert text[a:b] == "The '''[[Harbour Bridge|bridge]]''' reopened."


HAS_MWPARSER = importlib.util.find_spec("mwparserfromhell") is not None


@pytest.mark.skipif(not HAS_MWPARSER, reason="mwparserfromhell not installed")
@pytest.mark.parametrize("text", [read("harbour-bridge.wiki"), WIKI_MARKUP, PAIRS["wikitext"]])
def test_mwparserfromhell_engine_agrees_with_the_builtin_one(text: str) -> None:
    with_library = parse_wikitext(text, engine="mwparserfromhell")
    builtin = parse_wikitext(text, engine="builtin")
    assert cited(with_library) == cited(builtin)
    assert with_library.references == builtin.references
    assert [c.span for c in with_library.claims] == [c.span for c in builtin.claims]


@pytest.mark.skipif(HAS_MWPARSER, reason="mwparserfromhell is installed")
def test_without_mwparserfromhell_the_builtin_scanner_is_used() -> None:
    text = read("harbour-bridge.wiki")
    assert parse_document(text, "wikitext") == parse_wikitext(text, engine="builtin")
    with pytest.raises(ImportError, match=r"srcscore\[wiki\]"):
        parse_wikitext(text, engine="mwparserfromhell")


def test_unknown_wikitext_engine() -> None:
    with pytest.raises(InputError, match="unknown wikitext engine"):
        parse_wikitext("x", engine="regex")
    assert issubclass(InputError, srcscore.SrcscoreError) and issubclass(InputError, ValueError)


class _Reads:
    """Counts the characters the scanner's searches read, to see that they stay linear."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.chars = 0
        reads = self
        made: dict[object, object] = {}

        class Pattern:  # a compiled pattern that counts how far each search looks
            def __init__(self, pattern: re.Pattern[str]) -> None:
                self.pattern = pattern

            def search(self, text: str, pos: int = 0, end: int = sys.maxsize) -> object:
                found = self.pattern.search(text, pos, end)
                reads.chars += (min(end, len(text)) if found is None else found.end()) - pos
                return found

        def counting(make: Any) -> Any:
            def wrapped(*args: str) -> object:
                key = (make, args)
                if key not in made:
                    made[key] = Pattern(make(*args))
                return made[key]

            return wrapped

        monkeypatch.setattr(_wikiscan, "_brace_tokens", counting(_wikiscan._brace_tokens))
        monkeypatch.setattr(_wikiscan, "_close_tag", counting(_wikiscan._close_tag))

        class Text(str):  # text whose find() counts how far it looks
            def find(self, sub: str, *args: Any) -> int:
                found = str.find(self, sub, *args)
                start = args[0] if args else 0
                stop = args[1] if len(args) > 1 else len(self)
                reads.chars += (stop if found < 0 else found + len(sub)) - start
                return found

        self.text = Text


@pytest.mark.parametrize(
    "unit",
    [
        "<ref>{{cite web|url=https://a.com/x ",
        "[http://a.com ",
        "{{cite web|url=https://a.com/x [[a|",
        "<pre>[[x|{{y <math>",
        "{{{a [[b <nowiki>c {{",
    ],
)
def test_wikitext_scanner_reads_unclosed_constructs_in_linear_time(
    unit: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = _Reads(monkeypatch)
    per_char = []
    for repeats in (20_000, 80_000):
        reads.chars = 0
        text = reads.text(unit * repeats)
        _wikiscan._scan(text)
        per_char.append(reads.chars / len(text))
    assert per_char[1] < 4 and per_char[1] < 1.5 * per_char[0] + 0.5, per_char


def test_wikitext_unclosed_constructs_lose_nothing_else() -> None:
    good = "\n\nGood claim.<ref>{{cite web|url=https://b.example/y|title=Y}}</ref>\n"
    for bad in ("{{cite web|url=https://a.com/x " * 20_000, "[http://a.com " * 20_000):
        doc = parse_wikitext(bad + good, engine="auto")
        assert cited(doc)[-1] == ("Good claim.", ["https://b.example/y"])
        assert ("https://b.example/y", "Y") in [(r.url, r.title) for r in doc.references]
    # the first <ref> runs to the only </ref>, as MediaWiki reads it: one ref
    doc = parse_wikitext("<ref>{{cite web|url=https://a.com/x " * 20_000 + good)
    assert [r.url for r in doc.references] == ["https://b.example/y"]


def test_wikitext_a_ref_inside_another_is_its_text() -> None:
    # MediaWiki reads a <ref> to its first </ref>: the inner opening is text, not a ref
    text = "A.<ref>x <ref>[https://in.example/ In]</ref> B.<ref>https://b.example/</ref>"
    doc = parse_wikitext(text, engine="builtin")
    refs = [(r.id, r.url) for r in doc.references]
    assert refs == [(1, "https://in.example/"), (2, "https://b.example/")]


def test_auto_engine_uses_the_scanner_on_text_hostile_to_mwparserfromhell(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []
    monkeypatch.setattr(_wikitext, "_scan_mw", lambda module, text: calls.append(1))
    assert not _wikitext._hostile_to_mw(read("harbour-bridge.wiki"))
    assert not _wikitext._hostile_to_mw(WIKI_MARKUP + "<ref>x " * 15 + "[http://a " * 15)
    for unit in ("<ref>a ", "{{a ", "[http://a.com "):
        hostile = "Text.\n" + unit * 16
        assert _wikitext._hostile_to_mw(hostile)
        parse_wikitext(hostile, engine="builtin")
        parse_wikitext(hostile, engine="auto")
        assert calls == []
        if HAS_MWPARSER:
            parse_wikitext(hostile, engine="mwparserfromhell")  # asked for: used all the same
            assert calls == [1]
            calls.clear()


# --- robustness ---------------------------------------------------------------------------

PIECES = [
    "Rates rose. ",
    "Wages fell",
    ".",
    " ",
    "\n",
    "\n\n",
    "[",
    "]",
    "(",
    ")",
    "{{",
    "}}",
    "[[",
    "]]",
    "|",
    "=",
    "==",
    "'''",
    "''",
    "*",
    "_",
    "#",
    "<",
    ">",
    "/",
    "&amp;",
    "&",
    ";",
    "^",
    "<ref>",
    "</ref>",
    '<ref name="a"/>',
    "<ref name=a>",
    "{{cite web|url=",
    "https://a.example/x",
    "www.b.example",
    "doi:10.1/x",
    "[^1]",
    "[^1]: ",
    "[1]",
    "[1]: ",
    "](",
    "<a href='",
    "'>",
    "</a>",
    "<sup>",
    "</sup>",
    "<p>",
    "</p>",
    '<li id="c">',
    "</li>",
    "#c",
    "<ol class=references>",
    "javascript:",
    "<!--",
    "-->",
    "<nowiki>",
    "{|",
    "|}",
    "`",
    "```",
    "> ",
    "- ",
    "1. ",
    "<script>",
    "</script>",
    "<nav>",
    "</nav>",
    "<main>",
    "</main>",
    "cite_note-1",
]


@settings(max_examples=150, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(PIECES), max_size=40),
    fmt=st.sampled_from(["auto", *FORMATS]),
    base=st.sampled_from([None, "https://base.example/a/b", "not a url"]),
)
def test_any_input_parses_without_error(pieces: list[str], fmt: str, base: str | None) -> None:
    text = "".join(pieces)
    doc = parse_document(text, fmt, base_url=base)
    ids = {str(ref.id) for ref in doc.references}
    assert len(ids) == len(doc.references)  # ids are unique
    for claim in doc.claims:
        assert claim.text.strip() and any(c.isalpha() for c in claim.text)
        assert all(str(r) in ids for r in claim.references)
        if claim.span is not None:
            assert 0 <= claim.span[0] < claim.span[1] <= len(text)
    srcscore.score_document(doc)


_N = 20_000


@pytest.mark.parametrize(
    "text",
    [
        "# T\n\nClaim " + "[" * _N + "https://a.com" + ")" * 10 + " [^1].\n\n[^1]: https://a.com\n",
        "# T\n\nClaim " + "[a](" * _N + " [^1].\n\n[^1]: https://a.com\n",
        "Claim[^1].\n\n[^1]: " + "[" * _N + "https://a.com" + ")" * 10 + "\n",
        "Claim[^1].\n\n[^1]: " + "[a](" * _N + "\n",
    ],
    ids=["paragraph-brackets", "paragraph-links", "footnote-brackets", "footnote-links"],
)
def test_markdown_unclosed_brackets_take_linear_time(text: str) -> None:
    # Each "[" used to rescan the rest of the paragraph: minutes for 80 kB.
    started = time.perf_counter()
    doc = parse_document(text, "markdown")
    assert time.perf_counter() - started < 5.0
    assert doc.claims


@pytest.mark.parametrize(
    "run",
    ["`" * 5 * _N, "<!--" * _N, "[^" * 2 * _N],
    ids=["backticks", "comments", "footnote-refs"],
)
def test_markdown_unclosed_inline_constructs_take_linear_time(run: str) -> None:
    # Each one used to rescan the rest of the paragraph: 100 kB took minutes.
    text = "# T\n\nClaim " + run + " x [^1].\n\n[^1]: https://a.com\n"
    started = time.perf_counter()
    doc = parse_document(text, "markdown")
    assert time.perf_counter() - started < 5.0
    assert [c.references for c in doc.claims] == [(1,)]
