"""parse_text(): claims, markers and the reference list of plain text and Markdown."""

from __future__ import annotations

import pytest

import srcscore
from srcscore import Document, parse_text

REFS4 = (
    "\n\nReferences\n"
    "[1] https://one.example/a\n"
    "[2] https://two.example/b\n"
    "[3] https://three.example/c\n"
    "[4] https://four.example/d\n"
)


def claim_refs(doc: Document) -> list[tuple[str, tuple[object, ...]]]:
    return [(c.text, c.references) for c in doc.claims]


# --- markers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "ids"),
    [
        ("Rates rose [1].", (1,)),
        ("Rates rose [2][4].", (2, 4)),
        ("Rates rose [2] [4].", (2, 4)),
        ("Rates rose [1, 3].", (1, 3)),
        ("Rates rose [1,3].", (1, 3)),
        ("Rates rose [1; 4].", (1, 4)),
        ("Rates rose [1-3].", (1, 2, 3)),
        ("Rates rose [1–3].", (1, 2, 3)),
        ("Rates rose [3][1][3].", (3, 1)),
        ("Rates rose.[1]", (1,)),
        ("Rates rose. [2]", (2,)),
        ("Rates rose.[1][2]", (1, 2)),
        ("Rates [1] rose sharply [2].", (1, 2)),
    ],
)
def test_marker_forms(sentence: str, ids: tuple[int, ...]) -> None:
    doc = parse_text(sentence + REFS4)
    assert [c.references for c in doc.claims] == [ids]
    assert doc.claims[0].text.startswith("Rates")
    assert "[" not in doc.claims[0].text


def test_marker_after_the_full_stop_belongs_to_the_sentence_it_ends() -> None:
    doc = parse_text("Rates rose.[1] Prices fell.[2] Wages held. [3] Jobs grew [4]." + REFS4)
    assert claim_refs(doc) == [
        ("Rates rose.", (1,)),
        ("Prices fell.", (2,)),
        ("Wages held.", (3,)),
        ("Jobs grew.", (4,)),
    ]


def test_marker_after_the_full_stop_at_a_line_end() -> None:
    doc = parse_text("Rates rose.[1]\nPrices fell.[2]\n" + REFS4)
    assert claim_refs(doc) == [("Rates rose.", (1,)), ("Prices fell.", (2,))]


# --- reference lists --------------------------------------------------------------------


@pytest.mark.parametrize(
    "heading",
    [
        "References",
        "References:",
        "Sources",
        "Sources:",
        "Notes",
        "Notes:",
        "Citations",
        "Citations:",
        "REFERENCES",
        "## References",
        "### Sources",
        "**References**",
    ],
)
def test_reference_list_headings(heading: str) -> None:
    text = f"Claim one [1]. Claim two [2].\n\n{heading}\n[1] https://a.example/x\n[2] https://b.example/y\n"
    doc = parse_text(text)
    assert [(r.id, r.url) for r in doc.references] == [
        (1, "https://a.example/x"),
        (2, "https://b.example/y"),
    ]
    assert claim_refs(doc) == [("Claim one.", (1,)), ("Claim two.", (2,))]
    assert doc.warnings == ()


@pytest.mark.parametrize(
    "lines",
    [
        "[1] https://a.example/x\n[2] https://b.example/y",
        "1. https://a.example/x\n2. https://b.example/y",
        "[1]: https://a.example/x\n[2]: https://b.example/y",
        "1) https://a.example/x\n2) https://b.example/y",
        "- [1] https://a.example/x\n- [2] https://b.example/y",
    ],
)
def test_reference_line_forms(lines: str) -> None:
    doc = parse_text(f"Claim one [1]. Claim two [2].\n\nReferences\n{lines}\n")
    assert [(r.id, r.url) for r in doc.references] == [
        (1, "https://a.example/x"),
        (2, "https://b.example/y"),
    ]


def test_reference_line_with_title_and_publisher() -> None:
    doc = parse_text(
        "Claim one [1].\n\nReferences\n"
        "1) Plant Opens Early. The Daily Example. https://daily.example/plant\n"
    )
    (ref,) = doc.references
    assert ref.id == 1
    assert ref.url == "https://daily.example/plant"
    assert ref.title is not None
    assert "Plant Opens Early" in ref.title
    assert "https" not in ref.title


def test_title_line_followed_by_url_line() -> None:
    doc = parse_text("Claim [1].\n\nReferences\n1. A Title\nhttps://a.example/x\n")
    assert [(r.id, r.url, r.title) for r in doc.references] == [
        (1, "https://a.example/x", "A Title")
    ]


def test_trailing_numbered_url_list_without_heading() -> None:
    doc = parse_text(
        "Claim one [1]. Claim two [2]. A third, uncited sentence.\n\n"
        "1. https://a.example/x\n2. https://b.example/y\n"
    )
    assert [(r.id, r.url) for r in doc.references] == [
        (1, "https://a.example/x"),
        (2, "https://b.example/y"),
    ]
    assert [c.text for c in doc.claims] == [
        "Claim one.",
        "Claim two.",
        "A third, uncited sentence.",
    ]


def test_numbered_list_in_the_body_is_not_a_reference_list() -> None:
    doc = parse_text(
        "Steps:\n1. Mix the flour.\n2. Bake it.\n\nThe cake rose [1].\n\n[1] https://a.example/x\n"
    )
    assert [r.id for r in doc.references] == [1]
    texts = [c.text for c in doc.claims]
    assert "Mix the flour." in texts
    assert "Bake it." in texts


@pytest.mark.parametrize(
    "tail",
    [
        "Comments\nNo comments yet",
        "Comments\nNo comments yet\n",
        "\nComments\n\nNo comments yet\n",
        "Share this article\nComments\nNo comments yet\n",
    ],
)
def test_boilerplate_after_the_list_is_not_a_claim(tail: str) -> None:
    text = "Claim one [1]. Claim two [2].\n\nReferences:\n[1] https://a.example/x\n[2] https://b.example/y\n"
    doc = parse_text(text + tail)
    assert [c.text for c in doc.claims] == ["Claim one.", "Claim two."]
    assert len(doc.references) == 2
    assert not any("comment" in c.text.lower() for c in doc.claims)


# --- sentence splitting -----------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The U.S. economy grew in the second quarter [1].",
        "Mr. Smith and Dr. Jones met the U.K. minister on Tuesday [1].",
        "Some metals, e.g. copper, conduct well [1].",
        "Growth reached 3.5% in the quarter [1].",
        "Revenue was $2.7 billion, up 1.25 points [1].",
        "See https://example.com/a.b.c?x=1 for details of the plan [1].",
        "J. R. Smith wrote the report [1].",
    ],
)
def test_abbreviations_decimals_and_urls_do_not_split(sentence: str) -> None:
    doc = parse_text(f"{sentence} Next sentence here [2].{REFS4}")
    assert len(doc.claims) == 2
    assert doc.claims[0].references == (1,)
    assert doc.claims[1].text == "Next sentence here."


def test_claim_text_has_no_marker_and_no_doubled_full_stop() -> None:
    doc = parse_text("Then he moved to the U.S. [1]. He stayed [2]." + REFS4)
    assert claim_refs(doc) == [("Then he moved to the U.S.", (1,)), ("He stayed.", (2,))]


def test_question_and_exclamation_end_sentences() -> None:
    doc = parse_text("Is it safe? Experts say yes [1]! Prices rose [2]." + REFS4)
    assert claim_refs(doc)[:3] == [
        ("Is it safe?", ()),
        ("Experts say yes!", (1,)),
        ("Prices rose.", (2,)),
    ]


def test_uncited_sentences_are_claims_with_no_references() -> None:
    doc = parse_text("An uncited opening. Then a cited one [1]. Another uncited." + REFS4)
    assert claim_refs(doc) == [
        ("An uncited opening.", ()),
        ("Then a cited one.", (1,)),
        ("Another uncited.", ()),
    ]


def test_short_title_line_is_not_a_claim() -> None:
    doc = parse_text(
        "# Plant Opens Early\n\nThe plant opened in May [1].\n\n[1] https://a.example/x\n"
    )
    assert [c.text for c in doc.claims] == ["The plant opened in May."]


def test_text_without_any_citation() -> None:
    doc = parse_text("No markers at all. Just plain text.")
    assert claim_refs(doc) == [("No markers at all.", ()), ("Just plain text.", ())]
    assert doc.references == ()


def test_empty_text_warns() -> None:
    doc = parse_text("")
    assert doc.claims == ()
    assert doc.warnings


# --- warnings --------------------------------------------------------------------------


def test_unknown_marker_number_warns() -> None:
    doc = parse_text("Claim one [1]. Claim two [7].\n\nReferences\n[1] https://a.example/x\n")
    assert claim_refs(doc) == [("Claim one.", (1,)), ("Claim two.", ())]
    assert any("[7]" in w for w in doc.warnings)
    assert not any("[1]" in w for w in doc.warnings)


def test_never_cited_reference_warns() -> None:
    doc = parse_text(
        "Claim one [1].\n\nReferences\n[1] https://a.example/x\n[2] https://b.example/y\n"
    )
    assert [w for w in doc.warnings if "[2]" in w]
    assert "never cited" in " ".join(doc.warnings)
    assert not any("[1]" in w for w in doc.warnings)


def test_clean_input_has_no_warnings() -> None:
    doc = parse_text("Rates rose [1][2][3][4]." + REFS4)
    assert doc.warnings == ()


@pytest.mark.parametrize("marker", ["[3-1]", "[1-500]"])
def test_bad_ranges_warn(marker: str) -> None:
    doc = parse_text(f"Claim {marker}.{REFS4}")
    assert doc.claims[0].references == ()
    assert any("range" in w for w in doc.warnings)


# --- line endings and spans -------------------------------------------------------------


def test_crlf_input_parses_like_lf() -> None:
    lf = "First claim [1].\nSecond claim [2].\n\nReferences:\n[1] https://a.example/x\n[2] https://b.example/y\n"
    crlf = lf.replace("\n", "\r\n")
    a, b = parse_text(lf), parse_text(crlf)
    assert claim_refs(a) == claim_refs(b)
    assert a.references == b.references
    assert a.warnings == b.warnings == ()
    assert all("\r" not in (r.url or "") for r in b.references)
    for claim in b.claims:
        assert claim.span is not None
        assert "\r" not in crlf[claim.span[0] : claim.span[1]]


def test_claim_spans_point_into_the_original_text() -> None:
    text = (
        "Title Line\n\nRates rose.[1] Prices fell [2][4]. The U.S. economy grew 3.5% [1, 3].\n"
        "Uncited here.\n\n## References\n[1] https://a.example/x\n[2] https://b.example/y\n"
        "[3] https://c.example/z\n[4] https://d.example/w\n"
    )
    doc = parse_text(text)
    assert len(doc.claims) == 4
    previous_end = 0
    for claim in doc.claims:
        assert claim.span is not None
        start, end = claim.span
        assert previous_end <= start < end <= len(text)
        original = text[start:end]
        assert original == original.strip()
        # the cleaned claim's words all appear, in order, in the original span
        assert original.split()[0] == claim.text.split()[0]
        previous_end = end
    assert text[doc.claims[0].span[0] : doc.claims[0].span[1]] == "Rates rose.[1]"  # type: ignore[index]
    assert text[doc.claims[1].span[0] : doc.claims[1].span[1]] == "Prices fell [2][4]."  # type: ignore[index]


def test_document_keeps_the_text() -> None:
    text = "Claim [1].\n\n[1] https://a.example/x\n"
    doc = parse_text(text)
    assert doc.text == text
    assert isinstance(doc, srcscore.Document)


def test_angle_bracketed_url_leaves_no_title_behind() -> None:
    doc = parse_text("Claim [1].\n\nReferences\n[1] <https://a.example/x>\n")
    (ref,) = doc.references
    assert ref.url == "https://a.example/x"
    assert ref.title is None


def test_hard_wrapped_paragraph_joins_lines() -> None:
    doc = parse_text(
        "The plant opened in\nMay after a long delay [1]. Workers\ncheered [2]." + REFS4
    )
    assert claim_refs(doc) == [
        ("The plant opened in May after a long delay.", (1,)),
        ("Workers cheered.", (2,)),
    ]


def test_reference_without_url() -> None:
    doc = parse_text("Text [1].\n\nReferences\n[1] A printed book, no URL\n")
    (ref,) = doc.references
    assert ref.url is None
    assert ref.title == "A printed book, no URL"
    assert doc.claims[0].references == (1,)
