"""The HTML and Markdown renderings of a report: structure, escaping, no external resources."""

from __future__ import annotations

import base64
import hashlib
import itertools
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import srcscore
from srcscore import ClaimReport, ReferenceReport, Report
from srcscore._models import RefId
from srcscore._render import (
    BANDS,
    CSP,
    LINK_COLOUR,
    MUTED_COLOUR,
    PAGE_COLOUR,
    TEXT_COLOUR,
    band_of,
    render_html,
    render_markdown,
)

ROOT = Path(__file__).resolve().parents[1]
BATTERY = (ROOT / "examples" / "battery-plant-article.txt").read_text(encoding="utf-8")

SMALL = """Heat pump sales fell in 2024 [1][2]. Installers expect a recovery [3].
Prices are rising.

References:
[1] https://apnews.com/article/heat-pumps
[2] https://www.reuters.com/business/heat-pumps/
[3] https://www.heatpump-installer-blog.com/outlook
"""

EVIL = '<script>alert("x")</script> & "quoted" \'single\' <img src=x onerror=alert(1)>'

# ------------------------------------------------------------------ a small DOM

VOID = {"meta", "br", "hr", "img", "input", "link", "source", "wbr", "area", "base", "col"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        return [
            n
            for n in self.iter()
            if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)
        ]

    def by_id(self, ident: str) -> Node:
        (found,) = [n for n in self.iter() if n.attrs.get("id") == ident]
        return found


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root
        self.declarations: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.declarations.append(decl)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = [name for name, _ in attrs]
        assert len(names) == len(set(names)), f"duplicate attribute in <{tag}>: {names}"
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, dict(attrs), self.current))

    def handle_endtag(self, tag: str) -> None:
        assert self.current.tag == tag, f"</{tag}> closes <{self.current.tag}>"
        assert self.current.parent is not None
        self.current = self.current.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(page: str) -> Node:
    builder = _Builder()
    builder.feed(page)
    builder.close()
    assert builder.current is builder.root, f"unclosed <{builder.current.tag}>"
    assert builder.declarations == ["DOCTYPE html"]
    return builder.root


def claim_text(mark: Node) -> str:
    """The text of a highlighted claim, without its band badge."""
    return "".join(
        c if isinstance(c, str) else ("\n" if c.tag == "br" else c.text())
        for c in mark.children
        if isinstance(c, str) or "badge" not in c.classes
    ).strip()


def squash(s: str) -> str:
    return " ".join(s.split())


# ------------------------------------------------------------------ helpers


def hand_report(
    claims: list[ClaimReport],
    refs: list[ReferenceReport],
    *,
    explanation: str = "Because.",
    warnings: tuple[str, ...] = (),
    id: object = None,
) -> Report:
    return Report(
        score=0.5,
        interval=(0.2, 0.8),
        claims=tuple(claims),
        references=tuple(refs),
        warnings=warnings,
        explanation=explanation,
        id=id,
    )


def claim(
    text: str,
    score: float = 0.8,
    refs: tuple[RefId, ...] = (1,),
    *,
    explanation: str | None = None,
    witnesses: tuple[str, ...] | None = None,
) -> ClaimReport:
    return ClaimReport(
        text=text,
        references=refs,
        score=score,
        interval=(max(0.0, score - 0.1), min(1.0, score + 0.1)),
        support=None,
        explanation=f"explained: {text}" if explanation is None else explanation,
        witnesses=(("apnews.com",) if score > 0 else ()) if witnesses is None else witnesses,
    )


def ref(
    ref_id: RefId,
    url: str | None,
    *,
    source: str | None = None,
    category: str = "unknown",
    prior: float | None = None,
    title: str | None = None,
    flags: tuple[str, ...] = (),
    error: str | None = None,
) -> ReferenceReport:
    return ReferenceReport(
        id=ref_id,
        url=url,
        domain=None,
        source=source,
        category=category,
        prior=prior,
        title=title,
        flags=flags,
        error=error,
    )


def evil_report() -> Report:
    claims = [
        claim(EVIL, 0.9, (1, 2)),
        claim('She said "no" | maybe \\ *bold* _it_ [x](javascript:alert(1))', 0.3, (3,)),
        claim("javascript:alert(1)", 0.0, (), witnesses=()),
    ]
    refs = [
        ref(
            1,
            "https://example.com/a?q=\"'><script>alert(1)</script>",
            source="example.com",
            title=EVIL,
            prior=0.5,
            flags=("<b>flag</b>",),
        ),
        ref(2, "javascript:alert(1)", error='invalid URL: "<script>"'),
        ref(3, "JAVASCRIPT:alert(1)//https://x.com", source='<script>src"</script>'),
        ref("<i>4</i>", " https://evil.example/ leading space", error="no"),
        ref(5, "data:text/html,<script>alert(1)</script>"),
        ref(6, "https://ok.example/\u0000null"),
    ]
    return hand_report(claims, refs, id=EVIL, explanation=EVIL, warnings=(EVIL,))


def external_refs(dom: Node) -> list[str]:
    return [
        a.attrs["href"] or ""
        for a in dom.find_all("a")
        if not (a.attrs.get("href") or "").startswith("#")
    ]


def wcag_contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        def channel(c: int) -> float:
            x = c / 255
            return x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4

        r, g, b_ = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# ------------------------------------------------------------------ HTML structure


@pytest.fixture(scope="module")
def battery() -> tuple[Report, str, Node]:
    report = srcscore.score_text(BATTERY, id="battery-plant-article")
    page = render_html(report, BATTERY)
    return report, page, parse(page)


def test_page_skeleton(battery: tuple[Report, str, Node]) -> None:
    _, page, dom = battery
    assert page.startswith("<!DOCTYPE html>\n")
    (html_el,) = dom.find_all("html")
    assert html_el.attrs["lang"] == "en"
    metas = dom.find_all("meta")
    assert {"charset": "utf-8"} in [m.attrs for m in metas]
    viewport = [m for m in metas if m.attrs.get("name") == "viewport"]
    assert viewport and "width=device-width" in (viewport[0].attrs["content"] or "")
    assert dom.find_all("title")[0].text().startswith("battery-plant-article")
    assert dom.find_all("h1")[0].text() == "battery-plant-article"
    ids = [n.attrs["id"] for n in dom.iter() if "id" in n.attrs]
    assert len(ids) == len(set(ids)), "ids must be unique"
    assert "@media (max-width" in page  # phones: the references table stacks


def test_header_has_score_interval_band_and_explanation(
    battery: tuple[Report, str, Node],
) -> None:
    report, _, dom = battery
    verdict = dom.by_id("verdict")
    text = verdict.text()
    assert f"{report.score:.2f}" in text
    assert f"{report.interval[0]:.2f}–{report.interval[1]:.2f}" in text
    band = band_of(report.score)
    assert f"band-{band.name}" in verdict.classes
    assert band.name in text and band.icon in text
    header = dom.find_all("header")[0]
    assert report.explanation in header.text()
    assert f"{report.stats['claims']} claims" in header.text()
    legend = header.find_all("ul", "legend")[0].text()
    assert all(b.name in legend and b.icon in legend for b in BANDS)


def test_every_claim_is_highlighted_in_the_text_with_its_band(
    battery: tuple[Report, str, Node],
) -> None:
    report, _, dom = battery
    marks = dom.find_all("mark", "claim")
    assert len(marks) == len(report.claims) == 11
    for number, (mark, c) in enumerate(zip(marks, report.claims, strict=True), start=1):
        assert mark.attrs["id"] == f"claim-{number}"
        assert c.span is not None
        assert claim_text(mark) == BATTERY[c.span[0] : c.span[1]]
        band = band_of(c.score, bool(c.witnesses))
        assert mark.attrs["data-band"] == band.name
        assert f"band-{band.name}" in mark.classes
        (badge,) = [n for n in mark.find_all("span", "badge")]
        assert band.icon in badge.text() and band.name in badge.text()
        # hover: the title says band, score and explanation
        assert c.explanation in (mark.attrs["title"] or "")
        assert band.name in (mark.attrs["title"] or "")
        # click, tap and keyboard: focusable button controlling a hidden panel
        assert mark.attrs["tabindex"] == "0"
        assert mark.attrs["role"] == "button"
        assert mark.attrs["aria-expanded"] == "false"
        panel = dom.by_id(mark.attrs["aria-controls"] or "")
        assert "hidden" in panel.attrs
        assert c.explanation in panel.text()
        assert band.name in panel.text()
    bands = [m.attrs["data-band"] for m in marks]
    assert set(bands) == {"strong", "moderate", "weak", "unsourced"}


def test_text_outside_claims_is_kept(battery: tuple[Report, str, Node]) -> None:
    _, _, dom = battery
    text = squash(dom.find_all("section", "text")[0].text())
    assert "References:" in text
    assert "Be the first to comment" in text
    assert "https://www.iea.org/reports/global-ev-outlook-2025" in text


def test_claim_list_has_every_claim_in_details(battery: tuple[Report, str, Node]) -> None:
    report, _, dom = battery
    items = dom.find_all("details", "claim-item")
    assert len(items) == len(report.claims)
    for item, c in zip(items, report.claims, strict=True):
        summary = item.find_all("summary")[0]
        assert c.text in summary.text()
        band = band_of(c.score, bool(c.witnesses))
        assert band.name in summary.text()
        assert c.explanation in item.text()


def test_references_table(battery: tuple[Report, str, Node]) -> None:
    report, _, dom = battery
    table = dom.find_all("table", "refs")[0]
    heads = [th.text() for th in table.find_all("thead")[0].find_all("th")]
    assert heads == ["Ref", "Source", "Category", "Prior", "Flags", "Cited by", "Error"]
    rows = table.find_all("tr", "ref")
    assert len(rows) == len(report.references) == 7
    for row, r in zip(rows, report.references, strict=True):
        text = row.text()
        assert f"[{r.id}]" in text
        assert r.source is not None and r.source in text
        assert r.category in text
        assert f"{r.prior:.2f}" in text
        for flag in r.flags:
            assert flag in text
        (link,) = row.find_all("a")[:1]
        assert link.attrs["href"] == r.url
        assert link.attrs["rel"] == "noopener noreferrer nofollow"
    # claim 10 cites [1, 3]: the reference rows link back to it
    assert "10" in rows[0].find_all("td")[4].text()


def test_warnings_and_errors_are_shown() -> None:
    text = SMALL.replace("[3].", "[3][9].") + "[4] not a url at all\n"
    report = srcscore.score_text(text)
    assert report.warnings
    dom = parse(render_html(report, text))
    section = dom.find_all("section", "warnings")[0]
    for warning in report.warnings:
        assert warning in section.text()


def test_citations_link_to_their_reference_rows() -> None:
    report = hand_report([claim("A claim.", refs=(1, 9))], [ref(1, "https://apnews.com/x")])
    dom = parse(render_html(report))
    links = dom.by_id("claim-1-detail").find_all("a")
    assert [(a.attrs["href"], a.text()) for a in links] == [("#ref-1", "[1]")]
    assert "[9]" in dom.by_id("claim-1-detail").text()  # not in the references: no link
    assert dom.by_id("ref-1").text() == "[1]"


def test_reference_errors_are_shown() -> None:
    report = hand_report(
        [claim("A claim.", refs=(1,))],
        [ref(1, "https://exa mple.com/x", error="invalid URL: bad host", category="unknown")],
    )
    dom = parse(render_html(report))
    row = dom.find_all("tr", "ref")[0]
    assert "invalid URL: bad host" in row.text()
    assert row.find_all("td", "error")
    assert not external_refs(row)
    assert "https://exa mple.com/x" in row.text()


def test_without_text_claims_are_paragraphs() -> None:
    report = srcscore.score_text(SMALL)
    dom = parse(render_html(report))
    assert not [s for s in dom.find_all("h2") if s.text() == "Text"]
    marks = dom.find_all("mark", "claim")
    assert [claim_text(m) for m in marks] == [c.text for c in report.claims]
    assert all(m.parent is not None and m.parent.tag == "p" for m in marks)


def test_claims_without_spans_are_found_in_the_text() -> None:
    text = "The dam was finished in 1936. It holds water for three states."
    doc = {
        "text": text,
        "claims": [
            {"text": "It holds water for three states.", "references": [1]},
            {"text": "A sentence that is not in the text.", "references": [1]},
        ],
        "references": [{"id": 1, "url": "https://www.usbr.gov/lc/hooverdam/"}],
    }
    report = srcscore.score_document(doc)
    assert all(c.span is None for c in report.claims)
    dom = parse(render_html(report, text))
    text_section = dom.find_all("section", "text")[0]
    (placed,) = text_section.find_all("mark", "claim")
    assert claim_text(placed) == "It holds water for three states."
    assert "The dam was finished in 1936." in text_section.text()
    unplaced = dom.find_all("section", "unplaced")[0]
    (other,) = unplaced.find_all("mark", "claim")
    assert claim_text(other) == "A sentence that is not in the text."


def test_spans_into_another_text_are_not_trusted() -> None:
    report = srcscore.score_text(SMALL)
    other = "Completely different words here, nothing alike at all in this one sentence."
    dom = parse(render_html(report, other))
    assert len(dom.find_all("mark", "claim")) == len(report.claims)
    # nothing fits: the claims are listed as paragraphs, as without a text
    assert dom.find_all("h2")[0].text() == "Claims"
    assert not dom.find_all("section", "unplaced")
    assert "Completely different" not in dom.find_all("main")[0].text()


def test_multiline_claim_keeps_its_line_break() -> None:
    text = "Sales fell sharply\nin 2024 [1].\n\nReferences:\n[1] https://apnews.com/article/x\n"
    report = srcscore.score_text(text)
    dom = parse(render_html(report, text))
    (mark,) = dom.find_all("mark", "claim")
    assert mark.find_all("br")
    assert squash(claim_text(mark)) == "Sales fell sharply in 2024 [1]."


def visible_text(node: Node) -> str:
    """The text a reader sees in a text section: no headings, badges or closed panels."""
    out = []
    for child in node.children:
        if isinstance(child, str):
            out.append(child)
        elif child.tag == "br":
            out.append("\n")
        elif child.tag != "h2" and "badge" not in child.classes and "detail" not in child.classes:
            out.append(visible_text(child) + ("\n" if child.tag == "p" else ""))
    return "".join(out)


SENTENCES = [
    "The plant opened in 2021",
    "Output doubled last year",
    "Workers | voted <b>to strike</b>",
    'The minister said "soon"',
    "Prices rose by 4% & more",
]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(SENTENCES),
            st.lists(st.integers(1, 3), max_size=2),
            st.sampled_from([" ", "\n", "\n\n", " \n"]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_every_claim_is_placed_once_and_the_text_is_kept(
    parts: list[tuple[str, list[int], str]],
) -> None:
    body = "".join(
        sentence + "".join(f" [{n}]" for n in markers) + "." + sep
        for sentence, markers, sep in parts
    )
    text = (
        body + "\nReferences:\n" + "".join(f"[{n}] https://www.site{n}.com/a\n" for n in (1, 2, 3))
    )
    report = srcscore.score_text(text)
    dom = parse(render_html(report, text))
    marks = dom.find_all("mark", "claim")
    assert sorted(m.attrs["id"] or "" for m in marks) == sorted(
        f"claim-{n}" for n in range(1, len(report.claims) + 1)
    )
    assert not dom.find_all("section", "unplaced")
    (section,) = dom.find_all("section", "text")
    assert squash(visible_text(section)) == squash(text)


def test_empty_report() -> None:
    report = srcscore.score_text("")
    page = render_html(report, "")
    dom = parse(page)
    assert not dom.find_all("mark")
    assert "No references." in page
    md = render_markdown(report)
    assert md.startswith("**srcscore 0.00**")


def test_output_is_deterministic_and_titled() -> None:
    report = srcscore.score_text(SMALL)
    assert render_html(report, SMALL) == render_html(report, SMALL)
    dom = parse(render_html(report, SMALL, title="Heat pumps"))
    assert dom.find_all("h1")[0].text() == "Heat pumps"
    assert parse(render_html(report)).find_all("h1")[0].text() == "srcscore report"


# ------------------------------------------------------------------ escaping and injection


def test_user_text_cannot_inject_markup() -> None:
    report = evil_report()
    page = render_html(report, None, title='</title><script>alert("t")</script>')
    dom = parse(page)
    scripts = dom.find_all("script")
    assert len(scripts) == 1, "only the page's own script"
    assert "alert" not in scripts[0].text()
    assert not dom.find_all("img")
    for node in dom.iter():
        for name in node.attrs:
            assert not name.startswith("on"), f"event handler attribute on <{node.tag}>"
    # every piece of text comes back as text
    marks = dom.find_all("mark", "claim")
    assert [claim_text(m) for m in marks] == [c.text for c in report.claims]
    assert dom.find_all("h1")[0].text() == '</title><script>alert("t")</script>'
    assert EVIL in dom.find_all("header")[0].text()
    assert EVIL in dom.find_all("section", "warnings")[0].text()
    refs = dom.find_all("table", "refs")[0].text()
    assert EVIL in refs and "<b>flag</b>" in refs and "<i>4</i>" in refs
    assert '<script>src"</script>' in refs
    assert EVIL in (marks[0].attrs["title"] or "")
    # raw markup never appears unescaped
    assert "<script>alert" not in page
    assert "<img" not in page


def test_only_http_urls_become_links() -> None:
    dom = parse(render_html(evil_report()))
    hrefs = external_refs(dom)
    assert hrefs == ["https://example.com/a?q=\"'><script>alert(1)</script>"]
    for href in [a.attrs.get("href") or "" for a in dom.find_all("a")]:
        assert not href.lower().lstrip().startswith(("javascript:", "data:", "vbscript:"))
    table = dom.find_all("table", "refs")[0].text()
    assert "javascript:alert(1)" in table  # shown as text


def test_no_external_resources() -> None:
    for report, text in [
        (srcscore.score_text(BATTERY), BATTERY),
        (evil_report(), None),
        (srcscore.score_text(SMALL), SMALL),
    ]:
        page = render_html(report, text)
        dom = parse(page)
        allowed = {r.url for r in report.references}
        for node in dom.iter():
            for name, value in node.attrs.items():
                value = value or ""
                if name in {
                    "src",
                    "srcset",
                    "poster",
                    "data",
                    "action",
                    "formaction",
                    "xlink:href",
                }:
                    pytest.fail(f"<{node.tag} {name}={value!r}>")
                if name == "href" and not value.startswith("#"):
                    assert node.tag == "a"
                    assert value in allowed
                    assert node.attrs["rel"] == "noopener noreferrer nofollow"
        for tag in ("link", "img", "iframe", "object", "embed", "video", "audio", "source", "base"):
            assert not dom.find_all(tag), tag
        style = dom.find_all("style")[0].text()
        assert "url(" not in style and "@import" not in style and "http" not in style
        script = dom.find_all("script")[0].text()
        for word in ("http", "fetch", "XMLHttpRequest", "import(", "src", "WebSocket"):
            assert word not in script
        # nothing outside the references' own links mentions a network address
        without_refs = re.sub(r'<a href="https?://[^"]*"', "", page)
        assert "://" not in re.sub(r"<(section|table)[^>]*>.*", "", without_refs, flags=re.S)


def test_content_security_policy_allows_exactly_the_inline_style_and_script() -> None:
    page = render_html(srcscore.score_text(SMALL), SMALL)
    dom = parse(page)
    (meta,) = [m for m in dom.find_all("meta") if m.attrs.get("http-equiv")]
    csp = meta.attrs["content"] or ""
    assert csp == CSP
    assert "default-src 'none'" in csp
    assert "unsafe-inline" not in csp

    def digest(source: str) -> str:
        return (
            "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"
        )

    style, script = dom.find_all("style")[0].text(), dom.find_all("script")[0].text()
    assert f"style-src {digest(style)};" in csp
    assert f"script-src {digest(script)};" in csp
    # no inline style attributes (the policy would block them)
    assert not [n for n in dom.iter() if "style" in n.attrs]


def test_keyboard_handling_is_in_the_script() -> None:
    script = parse(render_html(srcscore.score_text(SMALL))).find_all("script")[0].text()
    assert '"Enter"' in script and '" "' in script and '"Escape"' in script
    assert "aria-expanded" in script


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=80), st.text(max_size=40), st.text(max_size=40))
def test_any_text_round_trips_as_text(text: str, title: str, url: str) -> None:
    report = hand_report(
        [claim(text, 0.6)], [ref(1, url, title=title, source=title or None)], id=title
    )
    dom = parse(render_html(report, None, title=title))
    assert len(dom.find_all("script")) == 1
    (mark,) = dom.find_all("mark", "claim")
    # HTMLParser keeps "\r" and NUL as they are; browsers normalise them, which is fine
    assert claim_text(mark) == text.strip()
    assert dom.find_all("h1")[0].text() == title
    for href in external_refs(dom):
        assert href == url and href.startswith(("http://", "https://"))


# ------------------------------------------------------------------ bands and colours


def test_band_thresholds() -> None:
    assert band_of(1.0).name == "strong"
    assert band_of(0.75).name == "strong"
    assert band_of(0.7499).name == "moderate"
    assert band_of(0.5).name == "moderate"
    assert band_of(0.4999).name == "weak"
    assert band_of(0.0).name == "weak"
    assert band_of(0.0, sourced=False).name == "unsourced"
    assert len({b.icon for b in BANDS}) == len({b.name for b in BANDS}) == len(BANDS)
    assert len({b.underline for b in BANDS}) >= 3  # a cue that is not a colour


def test_text_contrast_meets_wcag_aa() -> None:
    for band in BANDS:
        assert wcag_contrast(TEXT_COLOUR, band.background) >= 4.5, band.name
        # underlines and borders are user-interface components: 3:1
        assert wcag_contrast(band.accent, PAGE_COLOUR) >= 3, band.name
        assert wcag_contrast(band.accent, band.background) >= 3, band.name
    assert wcag_contrast(TEXT_COLOUR, PAGE_COLOUR) >= 7
    assert wcag_contrast(LINK_COLOUR, PAGE_COLOUR) >= 4.5
    assert wcag_contrast(MUTED_COLOUR, PAGE_COLOUR) >= 4.5
    assert wcag_contrast(MUTED_COLOUR, "#f2f2f2") >= 4.5


# Machado, Oliveira & Fernandes (2009) simulation matrices, severity 1, on linear RGB.
CVD = {
    "normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}


def _lab(colour: str, matrix: tuple[tuple[float, ...], ...]) -> tuple[float, float, float]:
    def linear(c: int) -> float:
        x = c / 255
        return x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4

    rgb = [linear(int(colour[i : i + 2], 16)) for i in (1, 3, 5)]
    r, g, b = (
        min(1.0, max(0.0, sum(m * v for m, v in zip(row, rgb, strict=True)))) for row in matrix
    )
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


@pytest.mark.parametrize("vision", sorted(CVD))
def test_band_colours_stay_distinct_with_colour_blindness(vision: str) -> None:
    for a, b in itertools.combinations(BANDS, 2):
        la, lb = _lab(a.background, CVD[vision]), _lab(b.background, CVD[vision])
        delta_e = sum((p - q) ** 2 for p, q in zip(la, lb, strict=True)) ** 0.5
        assert delta_e >= 8, f"{a.name} vs {b.name} under {vision}: ΔE {delta_e:.1f}"


def test_band_colours_are_in_the_stylesheet() -> None:
    style = parse(render_html(srcscore.score_text(SMALL))).find_all("style")[0].text()
    for band in BANDS:
        assert f"background:{band.background}" in style
        assert f"border-bottom-style:{band.underline}" in style


# ------------------------------------------------------------------ Markdown


def split_row(line: str) -> list[str]:
    """Cells of a GFM table row: split at pipes not escaped by a backslash."""
    assert line.startswith("| ") and line.endswith(" |"), line
    cells, cell, escaped = [], "", False
    for ch in line[1:-1]:
        if escaped:
            cell += ch
            escaped = False
        elif ch == "\\":
            cell += ch
            escaped = True
        elif ch == "|":
            cells.append(cell.strip())
            cell = ""
        else:
            cell += ch
    cells.append(cell.strip())
    return cells


def md_tables(md: str) -> list[list[list[str]]]:
    """Every table of ``md`` as rows of cells, checking the delimiter row."""
    tables: list[list[list[str]]] = []
    lines = md.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("|"):
            head = split_row(lines[i])
            delimiter = lines[i + 1]
            assert re.fullmatch(r"\|(---\|)+", delimiter), delimiter
            assert delimiter.count("|") == len(head) + 1
            rows = [head]
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                row = split_row(lines[i])
                assert len(row) == len(head), f"{len(row)} cells, not {len(head)}: {lines[i]}"
                rows.append(row)
                i += 1
            assert i == len(lines) or lines[i] == "", "a table ends at a blank line"
            tables.append(rows)
        else:
            i += 1
    return tables


def test_markdown_battery() -> None:
    report = srcscore.score_text(BATTERY, id="battery")
    md = render_markdown(report)
    first = md.splitlines()[0]
    assert f"**srcscore {report.score:.2f}**" in first
    assert f"{report.interval[0]:.2f}–{report.interval[1]:.2f}" in first
    assert band_of(report.score).name in first
    claims, refs = md_tables(md)
    assert claims[0] == ["#", "Score", "Band", "Refs", "Claim", "Why"]
    assert len(claims) - 1 == len(report.claims)
    for row, c in zip(claims[1:], report.claims, strict=True):
        band = band_of(c.score, bool(c.witnesses))
        assert row[1] == f"{c.score:.2f}"
        assert row[2] == f"{band.icon} {band.name}"
        assert row[4].replace("\\", "")[:40] == c.text[:40]
        assert row[5].replace("\\", "") == c.explanation
    assert claims[4][3] == r"\[1\] \[3\]"
    assert refs[0] == ["Ref", "Source", "Category", "Prior", "Flags", "Error"]
    assert len(refs) - 1 == len(report.references)
    for row, r in zip(refs[1:], report.references, strict=True):
        assert row[0] == rf"\[{r.id}\]"
        assert row[1] == f"[{r.source}]({r.url})"
        assert row[2] == r.category


def test_markdown_header_names_the_report() -> None:
    report = srcscore.score_text(SMALL)
    assert render_markdown(report).splitlines()[0].endswith("uncited)")
    named = render_markdown(report, title="heat|pumps").splitlines()[0]
    assert named.endswith(r" · heat\|pumps")
    assert render_markdown(srcscore.score_text(SMALL, id=7)).splitlines()[0].endswith(" · 7")


def test_markdown_truncates_long_claims() -> None:
    long = "word " * 60 + "end."
    md = render_markdown(hand_report([claim(long)], []))
    (claims,) = md_tables(md)
    cell = claims[1][4]
    assert cell.endswith("…") and len(cell) <= 100
    assert "explained: word word" in claims[1][5]  # the explanation is whole


def test_markdown_escapes_everything() -> None:
    report = evil_report()
    md = render_markdown(report)
    claims, refs = md_tables(md)  # pipes in the text do not break the tables
    assert len(claims) == 4 and len(refs) == 7
    assert not re.search(r"(?<!\\)<", md), "every < is escaped"
    assert r"\<script\>" in md
    assert r'She said "no" \| maybe \\ \*bold\* \_it\_ \[x\](javascript:alert(1))' in md
    # only the http(s) reference becomes a link, with its special characters encoded
    links = re.findall(r"(?<!\\)\]\(([^)]*)\)", md)
    assert links == ["https://example.com/a?q=%22'%3E%3Cscript%3Ealert%281%29%3C/script%3E"]
    assert "](javascript" not in md.replace("\\]", "")


def test_markdown_line_starts_are_neutralised() -> None:
    for explanation, start in [
        ("# not a heading", r"\# "),
        ("- not a list", r"\- "),
        ("1. not a list", r"1\. "),
        ("---", r"\---"),
    ]:
        md = render_markdown(hand_report([], [], explanation=explanation, warnings=(explanation,)))
        lines = md.splitlines()
        assert lines[2].startswith(start), lines[2]
        assert lines[-1] == "- " + lines[2]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=60), st.text(max_size=30), st.text(max_size=30))
def test_markdown_tables_stay_well_formed(text: str, explanation: str, url: str) -> None:
    report = hand_report(
        [claim(text, 0.6, explanation=explanation), claim("x", 0.0, (), witnesses=())],
        [ref(1, url, source=explanation or None, error=text or None)],
    )
    claims, refs = md_tables(render_markdown(report))
    assert len(claims) == 3 and len(refs) == 2
