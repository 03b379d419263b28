"""The Markdown report: a score line, a table of claims and one of references.

GitHub-flavoured Markdown for chat and pull-request comments. Text from the
input is escaped, pipes included, and only ``http``/``https`` URLs become
links.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ._bands import _claim_band, _f, _interval, _report_band, _safe_url
from ._exceptions import InputError
from ._models import Report

__all__ = ["render_markdown"]


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
    check_report(report)
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


def check_report(report: object) -> None:
    """Raise :class:`InputError` unless ``report`` is a :class:`Report`."""
    if not isinstance(report, Report):
        raise InputError(f"report: expected a srcscore.Report, got {type(report).__name__}")
