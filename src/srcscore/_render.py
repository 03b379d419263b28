"""Reports for people: one self-contained HTML page, or Markdown for chat and PR comments.

The HTML page shows the article text with every claim highlighted by its
score band (colour, icon, label and underline style, so colour is never the
only cue), the explanation on hover and on click or Enter/Space, the article
verdict, the references and the warnings. It loads nothing: styles and the
small script are inline, and a Content-Security-Policy forbids any other
resource or script. Every piece of text from the input is escaped, and only
``http``/``https`` reference URLs become links.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable, Mapping, Sequence

import attrs

from ._models import ClaimReport, RefId, Report
from ._version import __version__

__all__ = ["BANDS", "Band", "band_of", "render_html", "render_markdown"]


@attrs.frozen
class Band:
    """A score band: its name, icon, lower bound and colours (text on ``background``)."""

    name: str
    icon: str
    minimum: float
    background: str
    accent: str
    underline: str


# Okabe-Ito hues (blue, yellow, orange) and grey, as light tints under dark text:
# told apart with any colour vision, and by icon, label and underline style too.
TEXT_COLOUR = "#1a1a1a"
PAGE_COLOUR = "#ffffff"
MUTED_COLOUR = "#545454"
LINK_COLOUR = "#0b57a4"

BANDS: tuple[Band, ...] = (
    Band("strong", "●●●", 0.75, "#c8e0f4", "#0b5394", "solid"),
    Band("moderate", "●●○", 0.5, "#fbf1b3", "#7a6200", "solid"),
    Band("weak", "●○○", 0.0, "#f9d2b2", "#a84300", "dashed"),
    Band("unsourced", "○○○", 0.0, "#e6e6e6", "#5a5a5a", "dotted"),
)
"""The bands, best first: a sourced claim is in the first band whose ``minimum`` it reaches."""

_BY_NAME = {band.name: band for band in BANDS}
_BAND_MEANING = {
    "strong": f"well sourced: score {BANDS[0].minimum:.2f} or more",
    "moderate": f"fairly sourced: score {BANDS[1].minimum:.2f} to {BANDS[0].minimum:.2f}",
    "weak": f"weakly sourced: score below {BANDS[1].minimum:.2f}",
    "unsourced": "no usable citation",
}


def band_of(score: float, sourced: bool = True) -> Band:
    """The band of a score; ``sourced=False`` (no witness and score 0) is ``unsourced``."""
    if not sourced and score <= 0.0:
        return _BY_NAME["unsourced"]
    for band in BANDS[:-1]:
        if score >= band.minimum:
            return band
    return _BY_NAME["weak"]


def _claim_band(claim: ClaimReport) -> Band:
    return band_of(claim.score, bool(claim.witnesses) or claim.score > 0.0)


def _report_band(report: Report) -> Band:
    sourced = any(c.witnesses or c.score > 0.0 for c in report.claims)
    return band_of(report.score, sourced)


def _f(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def _interval(interval: Sequence[float]) -> str:
    return f"{interval[0]:.2f}–{interval[1]:.2f}"


def _safe_url(url: str | None) -> str | None:
    """``url`` if it may become a link: http(s), no whitespace or control characters."""
    if not url or not url[:8].lower().startswith(("http://", "https://")):
        return None
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return None
    return url


def _ref_index(report: Report) -> dict[str, int]:
    index: dict[str, int] = {}
    for number, ref in enumerate(report.references, start=1):
        index.setdefault(str(ref.id), number)
    return index


# ---------------------------------------------------------------- HTML

_CSS_BASE = """
:root{color-scheme:light}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:PAGE;color:TEXT;font:16px/1.6 system-ui,-apple-system,"Segoe UI",
Roboto,"Helvetica Neue",Arial,sans-serif;overflow-wrap:anywhere}
main{max-width:46rem;margin:0 auto;padding:1rem}
a{color:LINK}
a:focus-visible,.claim:focus-visible,summary:focus-visible{outline:3px solid LINK;
outline-offset:2px}
h1{font-size:1.5rem;line-height:1.25;margin:.2rem 0 .6rem}
h2{font-size:1.2rem;margin:1.6rem 0 .6rem;border-bottom:1px solid #d0d0d0;padding-bottom:.2rem}
.kicker{margin:0;color:MUTED;font-size:.85rem;text-transform:uppercase;letter-spacing:.06em}
.verdict{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem .8rem;padding:.6rem .8rem;
border-radius:.5rem;border-left:.4rem solid}
.verdict .big{font-size:2rem;font-weight:700;line-height:1}
.explanation{margin:.6rem 0 .3rem}
.stats{margin:.4rem 0;color:MUTED;font-size:.9rem}
.legend{display:flex;flex-wrap:wrap;gap:.3rem;list-style:none;padding:0;margin:.6rem 0 0;
font-size:.8rem}
.legend li{padding:0 .35rem;border-radius:.3rem;border-bottom:2px solid}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.badge{display:inline-block;white-space:nowrap;font-size:.8em;font-weight:600;
padding:0 .35em;margin-left:.15em;border-radius:.3em;border:1px solid;background:PAGE;
line-height:1.4;text-indent:0}
.verdict .badge{font-size:1rem}
.icon{letter-spacing:-.05em;margin-right:.25em}
.warnings{border:2px solid #a84300;border-radius:.5rem;padding:.4rem 1rem;margin:1rem 0}
.warnings h2{margin-top:.4rem;border:0}
.text,.unplaced{line-height:1.8}
.text p{margin:0 0 .5em}
.text p.gap{margin-top:1.2em}
.claim{color:TEXT;cursor:pointer;padding:.05em .1em;border-radius:.2em;border-bottom:2px solid;
-webkit-box-decoration-break:clone;box-decoration-break:clone}
.claim[aria-expanded=true]{border-bottom-width:4px;border-bottom-style:solid}
.detail{margin:.5rem 0 .8rem;padding:.5rem .8rem;border-radius:.5rem;border-left:.4rem solid;
font-size:.95rem;line-height:1.5}
.detail p{margin:.2rem 0}
.detail .meta{color:TEXT}
.unplaced{margin-top:1rem}
.claims{list-style:none;padding:0;margin:0}
.claims li{margin:.3rem 0}
details.claim-item{border-left:.4rem solid;border-radius:.4rem;padding:.3rem .6rem}
details.claim-item summary{cursor:pointer}
details.claim-item .num{font-weight:600}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid #d0d0d0}
th{background:#f2f2f2}
td.error{color:#8f2d00;font-weight:600}
.muted{color:MUTED}
footer{margin:2.5rem 0 1rem;color:MUTED;font-size:.85rem}
@media (max-width:40rem){
main{padding:.75rem}
table.refs,table.refs tbody,table.refs tr,table.refs td{display:block;width:100%}
table.refs thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table.refs tr{border:1px solid #d0d0d0;border-radius:.4rem;margin:.5rem 0;padding:.2rem 0}
table.refs td{border:0;padding:.15rem .6rem}
table.refs td::before{content:attr(data-label) ": ";font-weight:600}
table.refs tbody th{display:block;background:none;border:0;padding:.15rem .6rem;font-size:1rem}
table.refs td.empty{display:none}
}
@media print{.claim{cursor:auto}.detail[hidden]{display:block}}
"""


def _band_css() -> str:
    rules = []
    for band in BANDS:
        b = f".band-{band.name}"
        rules.append(
            f"{b}.claim,{b}.detail,{b}.verdict,details{b},.legend {b}"
            f"{{background:{band.background};border-color:{band.accent};"
            f"border-bottom-style:{band.underline}}}"
            f"{b} .badge,.badge{b}{{border-color:{band.accent};color:{TEXT_COLOUR}}}"
        )
        rules.append(f"{b}.detail,{b}.verdict,details{b}{{border-bottom-style:none}}")
    return "\n".join(rules)


_CSS = (
    _CSS_BASE.replace("PAGE", PAGE_COLOUR)
    .replace("TEXT", TEXT_COLOUR)
    .replace("MUTED", MUTED_COLOUR)
    .replace("LINK", LINK_COLOUR)
    + _band_css()
    + "\n"
)

# Clicking a claim, or Enter/Space on it, shows or hides its explanation; Escape hides it.
_JS = """
(function () {
  "use strict";
  document.documentElement.className = "js";
  function toggle(claim, open) {
    var panel = document.getElementById(claim.getAttribute("aria-controls"));
    if (!panel) { return; }
    if (open === undefined) { open = claim.getAttribute("aria-expanded") !== "true"; }
    claim.setAttribute("aria-expanded", open ? "true" : "false");
    panel.hidden = !open;
  }
  document.addEventListener("click", function (event) {
    var claim = event.target.closest ? event.target.closest(".claim") : null;
    if (claim) { toggle(claim); }
  });
  document.addEventListener("keydown", function (event) {
    var claim = event.target;
    if (!claim.classList || !claim.classList.contains("claim")) { return; }
    if (event.key === "Enter" || event.key === " " || event.key === "Spacebar") {
      event.preventDefault();
      toggle(claim);
    } else if (event.key === "Escape") {
      toggle(claim, false);
    }
  });
})();
"""


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


CSP = (
    "default-src 'none'; "
    f"style-src {_csp_hash(_CSS)}; "
    f"script-src {_csp_hash(_JS)}; "
    "img-src 'none'; base-uri 'none'; form-action 'none'"
)
"""The page's Content-Security-Policy: nothing but its own inline style and script."""


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


# ---------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$])")
_CLAIM_WIDTH = 100


def _md(text: object) -> str:
    """``text`` on one line with Markdown's special characters backslash-escaped."""
    flat = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", flat)


def _md_line(text: object) -> str:
    """:func:`_md` for the start of a line: no list item, heading or rule either."""
    out = _md(text)
    out = re.sub(r"^(\d+)([.)])", r"\1\\\2", out)
    return "\\" + out if out[:1] in ("-", "=", "+", "#") else out


def _md_short(text: str, width: int = _CLAIM_WIDTH) -> str:
    flat = " ".join(text.split())
    return _md(flat if len(flat) <= width else flat[: width - 1].rstrip() + "…")


def _md_url(url: str) -> str:
    """A link destination: only the characters that could end it or a table cell are encoded."""
    return "".join(f"%{ord(ch):02X}" if ch in '()<>|\\"[]`' else ch for ch in url)


def _md_table(heads: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(heads) + " |", "|" + "|".join("---" for _ in heads) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return lines


def render_markdown(report: Report, *, title: str | None = None) -> str:
    """``report`` as GitHub-flavoured Markdown, for chat and pull-request comments.

    A header line with the article score, band and interval, the explanation,
    a table of claims (number, score, band, references, the claim shortened,
    the explanation) and a table of references. ``title`` (default: the
    report's ``id``) ends the header line. Text from the input is escaped,
    pipes included, and only ``http``/``https`` URLs become links.
    """
    band = _report_band(report)
    s = report.stats
    name = title if title is not None else report.id
    counts = f"{s.get('claims', len(report.claims))} claims"
    if "cited" in s and "uncited" in s:
        counts += f" ({s['cited']} cited, {s['uncited']} uncited)"
    named = f" · {_md(name)}" if name is not None and str(name).strip() else ""
    lines = [
        f"**srcscore {_f(report.score)}** {band.icon} {band.name} · interval "
        f"{_interval(report.interval)} · {counts}{named}",
        "",
        _md_line(report.explanation),
    ]
    if report.claims:
        rows = []
        for number, claim in enumerate(report.claims, start=1):
            cb = _claim_band(claim)
            refs = " ".join(_md(f"[{r}]") for r in claim.references) or "–"
            rows.append(
                [
                    str(number),
                    _f(claim.score),
                    f"{cb.icon} {cb.name}",
                    refs,
                    _md_short(claim.text),
                    _md(claim.explanation),
                ]
            )
        lines += ["", *_md_table(["#", "Score", "Band", "Refs", "Claim", "Why"], rows)]
    if report.references:
        rows = []
        for ref in report.references:
            url = _safe_url(ref.url)
            label = _md(ref.source or ref.domain or ref.url or "(no URL)")
            source = f"[{label}]({_md_url(url)})" if url is not None else label
            if ref.title:
                source += f": {_md_short(ref.title, 80)}"
            rows.append(
                [
                    _md(f"[{ref.id}]"),
                    source,
                    _md(ref.category),
                    _f(ref.prior),
                    _md(", ".join(ref.flags)) if ref.flags else "–",
                    _md(ref.error) if ref.error else "–",
                ]
            )
        heads = ["Ref", "Source", "Category", "Prior", "Flags", "Error"]
        lines += ["", *_md_table(heads, rows)]
    if report.warnings:
        lines += ["", "**Warnings**", ""] + [f"- {_md_line(w)}" for w in report.warnings]
    return "\n".join(lines) + "\n"
