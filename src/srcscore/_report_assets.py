"""The inline style sheet and script of the HTML report, and the page's Content-Security-Policy.

The page loads nothing: its CSS and JavaScript are inline, and the policy
allows exactly those two by their SHA-256 hashes, and nothing else.
"""

from __future__ import annotations

import base64
import hashlib

from ._bands import BANDS, LINK_COLOUR, MUTED_COLOUR, PAGE_COLOUR, TEXT_COLOUR

__all__ = ["CSP"]


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
