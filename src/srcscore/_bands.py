"""Score bands of the reports, their colours, and how both reports write scores and links.

A claim's score puts it in a band (strong, moderate, weak, or unsourced
when nothing counted for it); the HTML page and the Markdown report show the
band by name, icon, colour and underline style.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ._models import ClaimReport, Report

__all__ = [
    "BANDS",
    "LINK_COLOUR",
    "MUTED_COLOUR",
    "PAGE_COLOUR",
    "TEXT_COLOUR",
    "Band",
    "band_of",
]


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
"""Text, on the page and on every band's tint."""
PAGE_COLOUR = "#ffffff"
"""The page background."""
MUTED_COLOUR = "#545454"
"""Secondary text: statistics, notes, the footer."""
LINK_COLOUR = "#0b57a4"
"""Links and focus outlines."""

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
