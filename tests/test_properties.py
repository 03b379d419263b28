"""Property tests: invariants of scoring over generated documents (hypothesis)."""

from __future__ import annotations

import copy
import re
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import srcscore
from srcscore import Priors, score_document, score_text

# Known publishers with fixed priors (mean, strength) and unknown ones (neutral prior).
KNOWN = {
    "propwire.com": (0.92, 40.0),
    "propherald.co.uk": (0.85, 20.0),
    "proptimes.com": (0.78, 8.0),
    "propjournal.org": (0.6, 5.0),
    "propgossip.net": (0.3, 10.0),
    "proprumours.info": (0.1, 3.0),
}
UNKNOWN = ["qzvx-alpha.com", "qzvx-beta.net", "qzvx-gamma.org", "qzvx-delta.io"]
DOMAINS = [*KNOWN, *UNKNOWN]
TABLE = Priors.from_rows(
    [{"domain": d, "score": str(m), "strength": str(s)} for d, (m, s) in KNOWN.items()],
    "props",
)
TEXTS = [
    "The council approved a budget of 4 million for the library.",
    "The council approved the library budget on Tuesday.",
    "The football team won its third match of the season.",
    "Rainfall in March was the highest in 40 years.",
    "",
]
CLAIMS = [
    "The council approved a budget of 4 million for the library.",
    "Rainfall in March was the highest in 40 years.",
    "The mayor resigned after the vote.",
    "Traffic fell by half after the bridge closed.",
]
BAD_URLS = ["javascript:alert(1)", "http://exa mple.com", "", "mailto:x@example.com"]

PROPS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)

prefixes = st.sampled_from(["", "www.", "m."])
paths = st.text(alphabet="abcdefghij0123456789-", min_size=0, max_size=8)


@st.composite
def urls(draw: st.DrawFn, domains: list[str] = DOMAINS) -> str:
    domain = draw(st.sampled_from(domains))
    return f"https://{draw(prefixes)}{domain}/{draw(paths)}"


@st.composite
def references(draw: st.DrawFn, n: int) -> list[dict[str, Any]]:
    refs = []
    for i in range(1, n + 1):
        ref: dict[str, Any] = {"id": i}
        if draw(st.integers(0, 9)) == 0:
            ref["url"] = draw(st.sampled_from(BAD_URLS))
        else:
            ref["url"] = draw(urls())
        text = draw(st.none() | st.sampled_from(TEXTS))
        if text is not None:
            ref["text"] = text
        refs.append(ref)
    return refs


@st.composite
def documents(draw: st.DrawFn, with_texts: bool = True) -> dict[str, Any]:
    n_refs = draw(st.integers(0, 6))
    refs = draw(references(n_refs))
    if not with_texts:
        for ref in refs:
            ref.pop("text", None)
    ids = [r["id"] for r in refs]
    claims = []
    for _ in range(draw(st.integers(1, 5))):
        cited = draw(st.lists(st.sampled_from(ids), max_size=4)) if ids else []
        claims.append({"text": draw(st.sampled_from(CLAIMS)), "references": cited})
    doc: dict[str, Any] = {"id": "gen", "claims": claims, "references": refs}
    if draw(st.booleans()):
        doc["url"] = draw(urls())
    return doc


def claim_numbers(report: srcscore.Report) -> list[tuple[Any, ...]]:
    return [(c.score, c.interval, c.support) for c in report.claims]


def source_key(url: str) -> str | None:
    try:
        return srcscore.source_of(url).source
    except srcscore.InvalidURLError:
        return None


def in_unit_order(lo: float, mid: float, hi: float) -> bool:
    return 0.0 <= lo <= mid <= hi <= 1.0


# --- ranges ---------------------------------------------------------------------------------


@PROPS
@given(documents(), st.sampled_from([0.5, 0.8, 0.9, 0.99]))
def test_scores_and_intervals_are_ordered_in_unit_range(doc: dict[str, Any], level: float) -> None:
    report = score_document(doc, priors=TABLE, level=level)
    assert in_unit_order(report.interval[0], report.score, report.interval[1])
    for claim in report.claims:
        assert in_unit_order(claim.interval[0], claim.score, claim.interval[1])
        assert claim.support is None or 0.0 <= claim.support <= 1.0
    for ref in report.references:
        assert ref.prior is None or 0.0 <= ref.prior <= 1.0
        assert (ref.error is None) == (ref.source is not None)


# --- renumbering ------------------------------------------------------------------------------


@PROPS
@given(documents(), st.randoms(use_true_random=False))
def test_renumbering_references_changes_no_claim_score(doc: dict[str, Any], rnd: Any) -> None:
    ids = [r["id"] for r in doc["references"]]
    new_ids = ids[:]
    rnd.shuffle(new_ids)
    mapping = dict(zip(ids, new_ids, strict=True))
    renumbered = copy.deepcopy(doc)
    for ref in renumbered["references"]:
        ref["id"] = mapping[ref["id"]]
    rnd.shuffle(renumbered["references"])
    for claim in renumbered["claims"]:
        claim["references"] = [mapping[i] for i in claim["references"]]
    before = score_document(doc, priors=TABLE)
    after = score_document(renumbered, priors=TABLE)
    assert claim_numbers(after) == claim_numbers(before)
    assert (after.score, after.interval) == (before.score, before.interval)


@st.composite
def cited_texts(draw: st.DrawFn) -> tuple[list[tuple[str, list[int]]], list[str]]:
    n_refs = draw(st.integers(1, 6))
    ref_urls = [draw(urls()) for _ in range(n_refs)]
    sentences = []
    for i in range(draw(st.integers(1, 5))):
        cited = draw(st.lists(st.integers(1, n_refs), max_size=3))
        sentences.append((f"Claim number {i} reports event {chr(65 + i)} here", cited))
    return sentences, ref_urls


def render(sentences: list[tuple[str, list[int]]], refs: dict[int, str]) -> str:
    body = " ".join(s + "".join(f"[{n}]" for n in cited) + "." for s, cited in sentences)
    listing = "\n".join(f"[{n}] {url}" for n, url in refs.items())
    return f"{body}\n\nReferences\n{listing}\n"


@PROPS
@given(cited_texts(), st.randoms(use_true_random=False))
def test_renumbering_markers_in_text_changes_no_claim_score(
    data: tuple[list[tuple[str, list[int]]], list[str]], rnd: Any
) -> None:
    sentences, ref_urls = data
    ids = list(range(1, len(ref_urls) + 1))
    perm = ids[:]
    rnd.shuffle(perm)
    mapping = dict(zip(ids, perm, strict=True))
    original = render(sentences, dict(zip(ids, ref_urls, strict=True)))
    renumbered_refs = {mapping[i]: url for i, url in zip(ids, ref_urls, strict=True)}
    renumbered = render(
        [(s, [mapping[n] for n in cited]) for s, cited in sentences],
        dict(sorted(renumbered_refs.items())),
    )
    before = score_text(original, priors=TABLE)
    after = score_text(renumbered, priors=TABLE)
    assert len(before.claims) == len(sentences)
    assert [c.text for c in after.claims] == [c.text for c in before.claims]
    assert [(c.score, c.interval) for c in after.claims] == [
        (c.score, c.interval) for c in before.claims
    ]


# --- independence -------------------------------------------------------------------------


@PROPS
@given(documents(), st.data())
def test_another_url_of_an_already_cited_publisher_changes_nothing(
    doc: dict[str, Any], data: st.DataObject
) -> None:
    by_id = {r["id"]: r for r in doc["references"]}
    options = [
        (ci, rid)
        for ci, claim in enumerate(doc["claims"])
        for rid in claim["references"]
        if source_key(by_id[rid]["url"]) is not None
    ]
    assume(options)
    ci, rid = data.draw(st.sampled_from(options))
    original = by_id[rid]
    domain = srcscore.source_of(original["url"]).domain
    assume(domain in DOMAINS)
    extra_url = data.draw(urls([domain]))
    assert source_key(extra_url) == source_key(original["url"])
    extended = copy.deepcopy(doc)
    new_id = max(by_id) + 1
    extra: dict[str, Any] = {"id": new_id, "url": extra_url}
    if "text" in original:
        extra["text"] = original["text"]  # the same page under another address
    extended["references"].append(extra)
    extended["claims"][ci]["references"].append(new_id)
    before = score_document(doc, priors=TABLE)
    after = score_document(extended, priors=TABLE)
    assert claim_numbers(after) == claim_numbers(before)
    assert (after.score, after.interval) == (before.score, before.interval)
    assert after.stats["independent_sources"] == before.stats["independent_sources"]


@PROPS
@given(documents(), st.data())
def test_adding_an_independent_source_never_lowers_a_claim(
    doc: dict[str, Any], data: st.DataObject
) -> None:
    ci = data.draw(st.integers(0, len(doc["claims"]) - 1))
    by_id = {r["id"]: r for r in doc["references"]}
    cited = {source_key(by_id[i]["url"]) for i in doc["claims"][ci]["references"]}
    own = source_key(doc["url"]) if "url" in doc else None
    fresh = [d for d in DOMAINS if d not in cited and d != own] + ["qzvx-fresh.dev"]
    extra: dict[str, Any] = {"id": len(by_id) + 1, "url": data.draw(urls(fresh))}
    # An independent source does not repeat a text already cited: a near copy
    # of another witness's text is syndication, not independence.
    cited_texts = {r.get("text") for r in doc["references"]}
    text = data.draw(st.none() | st.sampled_from(TEXTS))
    if text is not None and text not in cited_texts:
        extra["text"] = text
    extended = copy.deepcopy(doc)
    extended["references"].append(extra)
    extended["claims"][ci]["references"].append(extra["id"])
    before = score_document(doc, priors=TABLE)
    after = score_document(extended, priors=TABLE)
    assert after.claims[ci].score >= before.claims[ci].score
    assert len(after.claims[ci].witnesses) == len(before.claims[ci].witnesses) + 1
    for i, (b, a) in enumerate(zip(before.claims, after.claims, strict=True)):
        if i != ci:
            assert (a.score, a.interval) == (b.score, b.interval)


@PROPS
@given(documents(with_texts=False), st.data())
def test_interval_does_not_widen_with_an_equally_reliable_independent_source(
    doc: dict[str, Any], data: st.DataObject
) -> None:
    report = score_document(doc, priors=TABLE)
    candidates = [
        (ci, w)
        for ci, claim in enumerate(report.claims)
        for w in claim.witnesses
        if TABLE.lookup([w]).mean >= 0.5 or w in UNKNOWN
    ]
    assume(candidates)
    ci, witness = data.draw(st.sampled_from(candidates))
    twin_prior = TABLE.lookup([witness])
    twin = "qzvx-twin.org"
    table = TABLE.with_overrides(
        Priors({twin: srcscore.Prior(twin_prior.mean, twin_prior.strength, "news", "twin")})
    )
    extended = copy.deepcopy(doc)
    new_id = len(doc["references"]) + 1
    extended["references"].append({"id": new_id, "url": f"https://{twin}/story"})
    extended["claims"][ci]["references"].append(new_id)
    before = score_document(doc, priors=table).claims[ci]
    after = score_document(extended, priors=table).claims[ci]
    assert after.score >= before.score
    width_before = before.interval[1] - before.interval[0]
    width_after = after.interval[1] - after.interval[0]
    assert width_after <= width_before + 2e-4  # scores are rounded to 4 decimals


# --- parsing never crashes -----------------------------------------------------------------


@settings(max_examples=80, deadline=None, derandomize=True)
@given(
    st.lists(
        st.sampled_from([*"ab .,!?[]1234-:\n\r#*()", "http://x.com/a", "U.S.", "References"]),
        max_size=80,
    ).map("".join)
)
def test_parse_and_score_arbitrary_text(text: str) -> None:
    report = score_text(text, priors=TABLE)
    for claim in report.claims:
        assert in_unit_order(claim.interval[0], claim.score, claim.interval[1])
        assert not re.search(r"\[\d+\]", claim.text)
    for claim in srcscore.parse_text(text).claims:
        assert claim.span is not None
        start, end = claim.span
        assert 0 <= start < end <= len(text)
