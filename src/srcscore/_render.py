"""Reports for people: one self-contained HTML page, or Markdown for chat and PR comments.

The HTML page shows the article text with every claim highlighted by its
score band (colour, icon, label and underline style, so colour is never the
only cue), the explanation on hover and on click or Enter/Space, the article
verdict, the references and the warnings. It loads nothing: styles and the
small script are inline, and a Content-Security-Policy forbids any other
resource or script. Every piece of text from the input is escaped, and only
``http``/``https`` reference URLs become links.

This module writes the HTML page. :mod:`._bands` holds the score bands and
their colours, :mod:`._report_assets` the inline CSS, script and
Content-Security-Policy, and :mod:`._markdown_report` the Markdown report;
their public names stay importable from here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence

from ._bands import _BAND_MEANING, _claim_band, _f, _interval, _report_band, _safe_url

# Names imported as themselves are re-exported: they were defined here, and
# callers import them from here.
from ._bands import BANDS as BANDS
from ._bands import LINK_COLOUR as LINK_COLOUR
from ._bands import MUTED_COLOUR as MUTED_COLOUR
from ._bands import PAGE_COLOUR as PAGE_COLOUR
from ._bands import TEXT_COLOUR as TEXT_COLOUR
from ._bands import Band as Band
from ._bands import band_of as band_of
from ._exceptions import InputError
from ._markdown_report import check_report
from ._markdown_report import render_markdown as render_markdown
from ._models import ClaimReport, RefId, Report
from ._report_assets import _CSS, _JS
from ._report_assets import CSP as CSP
from ._version import __version__

__all__ = ["BANDS", "Band", "band_of", "render_html", "render_markdown"]


def _ref_index(report: Report) -> dict[str, int]:
    index: dict[str, int] = {}
    for number, ref in enumerate(report.references, start=1):
        index.setdefault(str(ref.id), number)
    return index


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _badge(band: Band, extra: str = "") -> str:
    tail = f" {_e(extra)}" if extra else ""
    return (
        f'<span class="badge band-{band.name}"><span class="icon" aria-hidden="true">'
        f"{band.icon}</span>{band.name}{tail}</span>"
    )


def _score_tag(claim: ClaimReport, band: Band) -> str:
    return "" if band.name == "unsourced" else _f(claim.score)


def _claim_title(number: int, claim: ClaimReport, band: Band) -> str:
    return (
        f"Claim {number}: {band.name}, score {_f(claim.score)} "
        f"(interval {_interval(claim.interval)}). {claim.explanation}"
    )


def _ref_links(refs: Iterable[RefId], index: Mapping[str, int]) -> str:
    parts = []
    for ref_id in refs:
        n = index.get(str(ref_id))
        label = _e(f"[{ref_id}]")
        if n is None:
            parts.append(f'<span title="not in the references">{label}</span>')
        else:
            parts.append(f'<a href="#ref-{n}">{label}</a>')
    return " ".join(parts) if parts else '<span class="muted">none</span>'


def _claim_body(claim: ClaimReport, band: Band, index: Mapping[str, int]) -> str:
    lines = [
        f'<p class="meta">{_badge(band)} score <strong>{_f(claim.score)}</strong>, '
        f"interval {_interval(claim.interval)}"
        + (f", support {_f(claim.support)}" if claim.support is not None else "")
        + "</p>",
        f"<p>{_e(claim.explanation)}</p>",
        f"<p>Cites: {_ref_links(claim.references, index)}</p>",
    ]
    if claim.witnesses:
        lines.append(f"<p>Counted sources: {_e(', '.join(claim.witnesses))}</p>")
    return "".join(lines)


def _mark(number: int, claim: ClaimReport, band: Band, inner: str) -> str:
    return (
        f'<mark class="claim band-{band.name}" id="claim-{number}" data-claim="{number}" '
        f'data-band="{band.name}" tabindex="0" role="button" aria-expanded="false" '
        f'aria-controls="claim-{number}-detail" title="{_e(_claim_title(number, claim, band))}">'
        f"{inner} {_badge(band, _score_tag(claim, band))}</mark>"
    )


def _detail(number: int, claim: ClaimReport, band: Band, index: Mapping[str, int]) -> str:
    return (
        f'<div class="detail band-{band.name}" id="claim-{number}-detail" role="region" '
        f'aria-label="Claim {number}" hidden>{_claim_body(claim, band, index)}</div>'
    )


_NOT_LETTER = re.compile(r"[\W\d_]+")


def _letters(s: str) -> str:
    return _NOT_LETTER.sub("", s).casefold()


def _fits(claim: str, span_text: str) -> bool:
    """Whether ``span_text`` is where ``claim`` came from (its markers and bullets removed)."""
    small, big = _letters(claim), _letters(span_text)
    if small == big:
        return True
    if len(big) > 1.1 * len(small) + 4:
        return False
    it = iter(big)
    return all(ch in it for ch in small)


def _place(claims: Sequence[ClaimReport], text: str) -> dict[int, tuple[int, int]]:
    """Claim index -> (start, end) in ``text``: its span if it fits, else where its text is."""
    placed: dict[int, tuple[int, int]] = {}
    taken: list[tuple[int, int]] = []
    cursor = 0
    for i, claim in enumerate(claims):
        where: tuple[int, int] | None = None
        span = claim.span
        if (
            span is not None
            and len(span) == 2
            and all(isinstance(x, int) and not isinstance(x, bool) for x in span)
            and 0 <= span[0] < span[1] <= len(text)
            and text[span[0] : span[1]].strip()
            and _fits(claim.text, text[span[0] : span[1]])
        ):
            where = (span[0], span[1])
        elif claim.text.strip():
            found = text.find(claim.text.strip(), cursor)
            if found >= 0:
                where = (found, found + len(claim.text.strip()))
        if where is None or any(where[0] < e and s < where[1] for s, e in taken):
            continue
        placed[i] = where
        taken.append(where)
        cursor = max(cursor, where[1])
    return placed


def _text_blocks(text: str, spans: Sequence[tuple[int, int, int]]) -> list[tuple[int, int, bool]]:
    """Cut ``text`` into lines, never inside a claim: (start, end, after_blank_line)."""
    inside = [False] * (len(text) + 1)
    for start, end, _ in spans:
        for pos in range(start, end):
            inside[pos] = True
    blocks: list[tuple[int, int, bool]] = []
    start, gap = 0, False
    for pos, ch in enumerate(text):
        if ch == "\n" and not inside[pos]:
            if text[start:pos].strip():
                blocks.append((start, pos, gap))
                gap = False
            elif blocks:
                gap = True
            start = pos + 1
    if text[start:].strip():
        blocks.append((start, len(text), gap))
    return blocks


def _plain(text: str) -> str:
    return "<br>".join(_e(line) for line in text.split("\n"))


def _article_html(report: Report, text: str | None, index: Mapping[str, int]) -> str:
    claims = report.claims
    bands = [_claim_band(c) for c in claims]
    placed = _place(claims, text) if text else {}
    out: list[str] = []
    if text is not None and placed:
        spans = sorted((s, e, i) for i, (s, e) in placed.items())
        out.append('<section class="text" aria-labelledby="text-h"><h2 id="text-h">Text</h2>')
        j = 0
        shown: set[int] = set()
        for b_start, b_end, gap in _text_blocks(text, spans):
            pieces: list[str] = []
            panels: list[str] = []
            pos = b_start
            while j < len(spans) and spans[j][0] < b_end:
                s, e, i = spans[j]
                j += 1
                shown.add(i)
                pieces.append(_plain(text[pos:s]))
                pieces.append(_mark(i + 1, claims[i], bands[i], _plain(text[s:e])))
                panels.append(_detail(i + 1, claims[i], bands[i], index))
                pos = max(pos, e)
            pieces.append(_plain(text[pos:b_end]))
            cls = ' class="gap"' if gap else ""
            out.append(f'<p{cls} dir="auto">{"".join(pieces).strip()}</p>' + "".join(panels))
        out.append("</section>")
        rest = [i for i in range(len(claims)) if i not in shown]
        heading = "Claims not found in the text"
        hid = "unplaced-h"
    else:
        rest = list(range(len(claims)))
        heading = "Claims"
        hid = "claims-h"
    if rest:
        cls = "unplaced" if placed else "text"
        out.append(f'<section class="{cls}" aria-labelledby="{hid}"><h2 id="{hid}">{heading}</h2>')
        for i in rest:
            mark = _mark(i + 1, claims[i], bands[i], _e(claims[i].text))
            out.append(f'<p class="gap" dir="auto">{mark}</p>')
            out.append(_detail(i + 1, claims[i], bands[i], index))
        out.append("</section>")
    return "\n".join(out)


def _claims_list_html(report: Report, index: Mapping[str, int]) -> str:
    if not report.claims:
        return ""
    items = []
    for number, claim in enumerate(report.claims, start=1):
        band = _claim_band(claim)
        items.append(
            f'<li id="claim-item-{number}"><details class="claim-item band-{band.name}">'
            f'<summary dir="auto"><span class="num">{number}.</span> {_e(claim.text)} '
            f"{_badge(band, _score_tag(claim, band))}</summary>"
            f"{_claim_body(claim, band, index)}</details></li>"
        )
    return (
        '<section aria-labelledby="list-h"><h2 id="list-h">Claim by claim</h2>'
        f'<ol class="claims">{"".join(items)}</ol></section>'
    )


_NONE = '<span class="muted">–</span>'


def _references_html(report: Report) -> str:
    if not report.references:
        return (
            '<section aria-labelledby="refs-h"><h2 id="refs-h">References</h2>'
            '<p class="muted">No references.</p></section>'
        )
    cited_by: dict[str, list[int]] = {}
    for number, claim in enumerate(report.claims, start=1):
        for ref_id in dict.fromkeys(str(r) for r in claim.references):
            cited_by.setdefault(ref_id, []).append(number)
    rows = []
    heads = ["Ref", "Source", "Category", "Prior", "Flags", "Cited by", "Error"]
    for number, ref in enumerate(report.references, start=1):
        url = _safe_url(ref.url)
        name = _e(ref.source or ref.domain or ref.url or "(no URL)")
        if url is not None:
            source = (
                f'<a href="{_e(url)}" rel="noopener noreferrer nofollow" target="_blank">{name}</a>'
            )
        else:
            source = name
            if ref.url and ref.url != (ref.source or ref.domain):
                source += f'<br><span class="muted">{_e(ref.url)}</span>'
        if ref.title:
            source += f'<br><span dir="auto">{_e(ref.title)}</span>'
        prior = _f(ref.prior)
        if ref.prior is not None and ref.prior_strength is not None:
            prior += f' <span class="muted">(strength {ref.prior_strength:g})</span>'
        if ref.provenance:
            prior = f'<span title="{_e(ref.provenance)}">{prior}</span>'
        claims = cited_by.get(str(ref.id), [])
        cites = (
            " ".join(f'<a href="#claim-item-{n}">{n}</a>' for n in claims)
            if claims
            else '<span class="muted">never cited</span>'
        )
        cells = [
            f'<th scope="row" id="ref-{number}">{_e(f"[{ref.id}]")}</th>',
            source,
            _e(ref.category),
            prior,
            _e(", ".join(ref.flags)) if ref.flags else _NONE,
            cites,
            _e(ref.error) if ref.error else _NONE,
        ]
        tds = []
        for head, cell in zip(heads, cells, strict=True):
            if cell.startswith("<th"):
                tds.append(cell.replace("<th ", f'<th data-label="{head}" ', 1))
            else:
                cls = ' class="error"' if head == "Error" and ref.error else ""
                if cell == _NONE:
                    cls = ' class="empty"'
                tds.append(f'<td data-label="{head}"{cls}>{cell}</td>')
        rows.append(f'<tr class="ref">{"".join(tds)}</tr>')
    head = "".join(f'<th scope="col">{h}</th>' for h in heads)
    return (
        '<section aria-labelledby="refs-h"><h2 id="refs-h">References</h2>'
        f'<div class="table-wrap"><table class="refs"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div></section>"
    )


def _header_html(report: Report, title: str) -> str:
    band = _report_band(report)
    s = report.stats
    n = s.get("claims", len(report.claims))
    counts = f"{n} claim{'s' if n != 1 else ''}"
    parts = [
        f"{s[key]} {what}"
        for key, what in (
            ("cited", "cited"),
            ("uncited", "uncited"),
            ("single_weak_source", "on one weak source"),
        )
        if key in s
    ]
    if parts:
        counts += ": " + ", ".join(parts)
    refs = [
        f"{s[key]} {what}"
        for key, what in (
            ("references", "references"),
            ("independent_sources", "independent sources"),
            ("reference_errors", "unusable"),
        )
        if s.get(key) or (key == "references" and key in s)
    ]
    stats = " · ".join([counts, ", ".join(refs)] if refs else [counts])
    legend = "".join(
        f'<li class="band-{b.name}" title="{_e(_BAND_MEANING[b.name])}">'
        f'<span aria-hidden="true">{b.icon}</span> {b.name}'
        + (f" ≥ {b.minimum:.2f}" if b.name in ("strong", "moderate") else "")
        + "</li>"
        for b in BANDS
    )
    return (
        '<header><p class="kicker">srcscore report</p>'
        f'<h1 dir="auto">{_e(title)}</h1>'
        f'<div class="verdict band-{band.name}" id="verdict">'
        f'<span class="big"><span class="sr">Article score </span>{_f(report.score)}</span>'
        f"{_badge(band)}<span>interval {_interval(report.interval)}</span></div>"
        f'<p class="explanation">{_e(report.explanation)}</p>'
        f'<p class="stats">{_e(stats)}</p>'
        f'<ul class="legend" aria-label="Score bands">{legend}</ul></header>'
    )


def _warnings_html(report: Report) -> str:
    if not report.warnings:
        return ""
    items = "".join(f'<li dir="auto">{_e(w)}</li>' for w in report.warnings)
    return (
        '<section class="warnings" role="note" aria-labelledby="warn-h">'
        f'<h2 id="warn-h">Warnings</h2><ul>{items}</ul></section>'
    )


def _title(report: Report, title: str | None) -> str:
    if title is not None:
        return title
    return str(report.id) if report.id is not None else "srcscore report"


def render_html(report: Report, text: str | None = None, *, title: str | None = None) -> str:
    """One self-contained HTML page showing ``report``, for people to read.

    ``text`` is the scored text: each claim is highlighted at its ``span`` (or,
    without one, where its text occurs); claims that cannot be placed, or all
    of them when ``text`` is ``None``, are listed as paragraphs. ``title``
    defaults to the report's ``id``. The page needs no network: styles and
    script are inline, and its Content-Security-Policy allows nothing else.
    """
    check_report(report)
    if text is not None and not isinstance(text, str):
        raise InputError(f"text: expected str or None, got {type(text).__name__}")
    index = _ref_index(report)
    page_title = _title(report, title)
    body = "\n".join(
        part
        for part in (
            _header_html(report, page_title),
            _warnings_html(report),
            _article_html(report, text, index),
            _claims_list_html(report, index),
            _references_html(report),
        )
        if part
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en" class="no-js">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f'<meta name="generator" content="srcscore {_e(__version__)}">\n'
        f"<title>{_e(page_title)} – srcscore</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n<main>\n{body}\n"
        f"<footer>Made by srcscore {_e(__version__)}. The scores say how well each claim is "
        "sourced, not whether it is true. Hover over a highlighted claim, or tap it or press "
        "Enter on it, for the explanation.</footer>\n</main>\n"
        f"<script>{_JS}</script>\n</body>\n</html>\n"
    )
