"""Main-text extraction from HTML (standard library only)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srcscore._extract import DEFAULT_MAX_CHARS, extract_text

NEWS_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Bridge to reopen in May | The Daily Example</title>
  <meta property="og:title" content="Bridge to reopen in May">
  <style>body { font-family: serif; } .x:before { content: "STYLE TEXT"; }</style>
  <script>window.dataLayer = []; document.write("<div>SCRIPT TEXT</div>");</script>
</head>
<body class="home has-sidebar">
  <a class="skip-link" href="#main">Skip to content</a>
  <header class="site-header">
    <div class="logo">The Daily Example</div>
    <nav><ul><li><a href="/">Home</a><li><a href="/world">World</a></ul></nav>
  </header>
  <div id="cookie-banner" class="cookieConsent">
    We use cookies to improve your experience. <button>Accept all</button>
  </div>
  <div class="breadcrumbs"><a href="/">Home</a> &rsaquo; <a href="/local">Local News</a></div>
  <main id="main">
    <article>
      <header class="article-header">
        <h1>Bridge to reopen in May</h1>
        <p class="byline">By A. Reporter</p>
      </header>
      <div class="social-share">Share on Facebook Share on X</div>
      <p>Officials confirmed on Tuesday that the Harbour Bridge will reopen in May,
         two months ahead of schedule.</p>
      <p>Traffic on the detour fell by half&nbsp;since January, the city&#8217;s
         transport office said &amp; residents welcomed the news.</p>
      <h2>What changes</h2>
      <p>Buses will return to the bridge first.</p>
      <aside class="related-articles"><h3>Related</h3><a>Tunnel closes for repairs</a></aside>
      <div class="newsletter-signup"><form><input type="email">
        Subscribe to our newsletter</form></div>
    </article>
    <section id="comments" class="comments-area"><h3>42 comments</h3>
      <p>First! This is a reader comment.</p></section>
  </main>
  <aside class="sidebar"><h3>Most read</h3><ol><li>Celebrity news</ol></aside>
  <footer class="site-footer"><p>&copy; 2024 The Daily Example. All rights reserved.</p>
    <a href="/privacy">Privacy</a></footer>
  <noscript><p>Please enable JavaScript.</p></noscript>
  <template><p>TEMPLATE TEXT</p></template>
  <svg><title>Icon title</title><text>SVG TEXT</text></svg>
  <div class="ad-slot">ADVERTISEMENT</div>
  <div class="promo-box">Get 50% off</div>
</body>
</html>
"""


def test_news_page_keeps_the_article_and_drops_the_furniture() -> None:
    text, title = extract_text(NEWS_PAGE)
    assert title == "Bridge to reopen in May"
    assert text.splitlines() == [
        "Bridge to reopen in May",
        "By A. Reporter",
        "Officials confirmed on Tuesday that the Harbour Bridge will reopen in May, "
        "two months ahead of schedule.",
        "Traffic on the detour fell by half since January, the city’s transport office "
        "said & residents welcomed the news.",
        "What changes",
        "Buses will return to the bridge first.",
    ]


@pytest.mark.parametrize(
    "word",
    [
        "STYLE TEXT",
        "SCRIPT TEXT",
        "Skip to content",
        "World",
        "cookies",
        "Accept all",
        "Local News",
        "Share on",
        "Tunnel",
        "newsletter",
        "comment",
        "Celebrity",
        "rights reserved",
        "JavaScript",
        "TEMPLATE",
        "SVG TEXT",
        "Icon title",
        "ADVERTISEMENT",
        "50% off",
    ],
)
def test_news_page_furniture_is_gone(word: str) -> None:
    text, _ = extract_text(NEWS_PAGE)
    assert word.lower() not in text.lower()


def test_without_main_element_furniture_is_still_dropped() -> None:
    html = """<html><head><title>Plain page</title></head><body>
    <div id="top-nav" class="navbar"><a>Home</a> <a>About</a></div>
    <div class="content"><h1>Report</h1><p>The plant will employ 300 people.</p>
    <p>Construction starts in 2025.</p></div>
    <div role="navigation">Next page</div>
    <div class="footer">Contact us</div>
    <div id="gdpr-consent">We value your privacy</div>
    </body></html>"""
    text, title = extract_text(html)
    assert title == "Plain page"
    assert text == "Report\nThe plant will employ 300 people.\nConstruction starts in 2025."


def test_title_falls_back_to_the_title_element_and_decodes_entities() -> None:
    text, title = extract_text(
        "<html><head><title>  Caf&eacute;\n  &amp; bar </title></head><body><p>x</p></body>"
    )
    assert title == "Café & bar"
    assert text == "x"
    assert extract_text("<p>no title here</p>")[1] is None
    twitter = '<meta name="twitter:title" content="From Twitter"><title>Element</title><p>x</p>'
    assert extract_text(twitter)[1] == "From Twitter"


def test_svg_title_is_not_the_page_title() -> None:
    html = "<body><svg><title>Logo</title></svg><p>Body text</p></body>"
    assert extract_text(html) == ("Body text", None)


def test_role_main_and_article_body_are_preferred() -> None:
    filler = "<div>" + "Unrelated teaser text. " * 30 + "</div>"
    role_main = f'{filler}<div role="main"><p>The real story is here.</p></div>{filler}'
    assert extract_text(role_main)[0] == "The real story is here."
    itemprop = f'{filler}<div itemprop="articleBody"><p>Story body.</p></div>'
    assert extract_text(itemprop)[0] == "Story body."


def test_an_empty_main_element_does_not_hide_the_page() -> None:
    assert extract_text("<main></main><div><p>Content outside.</p></div>")[0] == "Content outside."


def test_a_small_article_teaser_does_not_hide_the_page() -> None:
    # A 10-character <article> in a long page is a teaser, not the content.
    body = "<p>" + "The page's real content is long. " * 20 + "</p>"
    html = f"<body>{body}<article>Teaser 1</article></body>"
    text, _ = extract_text(html)
    assert text.startswith("The page's real content is long.")
    assert "Teaser 1" in text


def test_header_inside_article_is_kept_outside_dropped() -> None:
    html = (
        "<header><h1>Site name</h1></header>"
        "<article><header><h1>Headline</h1></header><p>Story.</p></article>"
    )
    assert extract_text(html)[0] == "Headline\nStory."


def test_block_breaks_lists_tables_and_br() -> None:
    html = (
        "<div>First line<br>second line<br/>third</div>"
        "<ul><li>one<li>two<li>three</ul>"
        "<table><tr><td>a</td><td>b</td></tr><tr><th>c<td>d</table>"
        "<p>unclosed paragraph<p>another"
        "<h3>Heading</h3>tail <b>bold</b> <i>italic</i>"
    )
    text, _ = extract_text(html)
    assert text.splitlines() == [
        "First line",
        "second line",
        "third",
        "one",
        "two",
        "three",
        "a",
        "b",
        "c",
        "d",
        "unclosed paragraph",
        "another",
        "Heading",
        "tail bold italic",
    ]


def test_inline_elements_do_not_break_words() -> None:
    assert extract_text("<p>con<span>cat</span>en<em>ated</em> word</p>")[0] == "concatenated word"


def test_entities_and_whitespace() -> None:
    html = "<p>  M&uuml;ller\t&amp;\u00a0Co. &lt;tag&gt;   &#x2014; &quot;ok&quot;  </p>"
    assert extract_text(html)[0] == 'Müller & Co. <tag> — "ok"'


def test_hidden_elements_are_dropped() -> None:
    html = (
        "<p>visible</p><p hidden>hidden attr</p><div aria-hidden='true'>aria</div>"
        "<div style='display: none'>styled</div><p>also visible</p>"
    )
    assert extract_text(html)[0] == "visible\nalso visible"


def test_state_classes_do_not_drop_content() -> None:
    html = (
        '<div class="wrapper is-nav-open with-sidebar"><p>Kept one.</p></div>'
        '<div class="shareholder-letter"><p>Kept two.</p></div>'
        '<div class="commentary"><p>Kept three.</p></div>'
    )
    assert extract_text(html)[0] == "Kept one.\nKept two.\nKept three."


def test_pre_keeps_line_breaks() -> None:
    assert extract_text("<pre>line 1\nline 2</pre>")[0] == "line 1\nline 2"


def test_everything_in_furniture_falls_back_to_the_whole_page() -> None:
    # An unclosed <aside> swallows the page: better all of it than nothing.
    html = "<aside><p>Ad</p><p>The actual statement of the ministry.</p>"
    text, _ = extract_text(html)
    assert "The actual statement of the ministry." in text


def test_plain_text_passes_through() -> None:
    plain = "Line one: a < b and c > d.\n\nLine two &amp; more.  "
    assert extract_text(plain) == ("Line one: a < b and c > d.\n\nLine two &amp; more.", None)
    assert extract_text("") == ("", None)


def test_output_is_capped_at_a_word_boundary() -> None:
    html = "<p>" + "word " * 1000 + "</p>"
    text, _ = extract_text(html, max_chars=103)
    assert len(text) <= 103
    assert text.endswith("word")
    assert DEFAULT_MAX_CHARS >= 100_000
    assert len(extract_text("x" * 500, max_chars=100)[0]) == 100


def test_malformed_html_does_not_raise() -> None:
    html = "<div><p>a</span></div></div></b><li>b<td>c</tr><p>d</p></p></br><p>e<!-- x"
    text, _ = extract_text(html)
    assert text.split()[:5] == ["a", "b", "c", "d", "e"]


def test_rejects_non_strings() -> None:
    with pytest.raises(TypeError):
        extract_text(b"<p>x</p>")  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<div class='nav'>",
                "</div>",
                "<article>",
                "</article>",
                "<script>",
                "</script>",
                "<br>",
                "<li>",
                "&amp;",
                "&#0;",
                "<title>",
                "</title>",
                "<!--",
                "-->",
                "<",
                ">",
                "text",
                " ",
                "\n",
                "é",
            ]
        ),
        max_size=40,
    )
)
def test_any_tag_soup_extracts_without_error(parts: list[str]) -> None:
    text, title = extract_text("".join(parts), max_chars=50)
    assert isinstance(text, str)
    assert len(text) <= 50
    assert title is None or isinstance(title, str)
