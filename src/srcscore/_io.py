"""Reading inputs (text, JSON, JSON Lines) and writing reports (json, jsonl, table)."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ._exceptions import InputError
from ._models import Report

__all__ = [
    "error_line",
    "input_format",
    "printable",
    "read_input",
    "report_table",
    "to_json_line",
]

_MAX_BYTES = 256 * 1024 * 1024
# C0 and C1 controls and DEL: from untrusted text they could move a terminal's
# cursor, recolour it or split one error line in two.
_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_KEEP_LINES_RE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def printable(text: str, *, lines: bool = False) -> str:
    r"""``text`` for a terminal: each control character written as a backslash escape.

    ESC becomes the four characters ``\x1b``. ``lines=True`` keeps newlines (a
    multi-line table); otherwise the result is one line.
    """
    pattern = _CONTROL_KEEP_LINES_RE if lines else _CONTROL_RE
    return pattern.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def error_line(message: str) -> None:
    """Write the command line's one error line for ``message`` to standard error."""
    sys.stderr.write(f"srcscore: error: {printable(message)}\n")


def input_format(name: str, forced: str = "auto") -> str:
    """The format of an input: ``forced`` unless ``auto``, else JSON by extension.

    Anything else stays ``auto``: its content decides (text with ``[n]``
    markers, Markdown, HTML, MediaWiki HTML or wikitext).
    """
    if forced != "auto":
        return forced
    suffix = Path(name).suffix.lower()
    return {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}.get(suffix, "auto")


def read_input(name: str, stdin: IO[bytes] | None = None) -> str:
    """Read a path (or ``-`` for standard input) as UTF-8 text, refusing binary data."""
    try:
        if name == "-":
            if stdin is None and sys.stdin is None:
                raise InputError("-: standard input is closed")
            data = (stdin or sys.stdin.buffer).read(_MAX_BYTES + 1)
        else:
            with open(name, "rb") as handle:
                data = handle.read(_MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from None
    if len(data) > _MAX_BYTES:
        raise InputError(f"{name}: larger than {_MAX_BYTES // 2**20} MiB")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # never UTF-8; its NULs are not binary
        raise InputError(f"{name}: UTF-16 text, not UTF-8 (save it as UTF-8)")
    if b"\x00" in data[:65536]:
        raise InputError(f"{name}: binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 text (byte {exc.start})") from None


def parse_json(text: str, where: str = "") -> Any:
    """Parse one JSON value, or raise :class:`InputError` with the position."""
    prefix = f"{where}: " if where else ""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        position = f"line {exc.lineno} column {exc.colno}"
        raise InputError(f"{prefix}invalid JSON: {exc.msg} ({position})") from None
    except RecursionError:
        raise InputError(f"{prefix}invalid JSON: nested too deeply") from None


def json_lines(text: str) -> Iterator[tuple[int, str]]:
    """Non-blank lines of a JSON Lines text with their 1-based numbers."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield number, line


def to_json_line(obj: Any) -> str:
    """Compact, UTF-8-friendly JSON for one output line."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def report_table(report: Report, name: str = "") -> str:
    """A human-readable rendering of a report for the terminal."""
    s = report.stats
    lo, hi = report.interval
    title = f"{name}  " if name else ""
    lines = [
        f"{title}score {report.score:.2f} [{lo:.2f}, {hi:.2f}]  "
        f"{s.get('claims', 0)} claims ({s.get('cited', 0)} cited, {s.get('uncited', 0)} uncited)",
        f"  {report.explanation}",
        "",
        "   #  score  interval      refs      claim",
    ]
    for number, claim in enumerate(report.claims, start=1):
        refs = ",".join(str(r) for r in claim.references) or "-"
        lines.append(
            f"{number:4d}  {claim.score:.2f}   [{claim.interval[0]:.2f}, {claim.interval[1]:.2f}]"
            f"  {_short(refs, 8):8s}  {_short(claim.text, 70)}"
        )
        if claim.references:
            lines.append(f"{'':25s}{claim.explanation}")
    lines += ["", "References"]
    # Columns as wide as their longest entry, so long publisher keys stay aligned.
    wide = max([24] + [len(ref.source or "-") for ref in report.references])
    cat_wide = max([16] + [len(ref.category) for ref in report.references])
    for ref in report.references:
        prior = f"{ref.prior:.2f}" if ref.prior is not None else "-"
        where = ref.source or "-"
        kind = f"{ref.category:{cat_wide}s}"
        lines.append(f"  [{ref.id}] {where:{wide}s} {kind} prior {prior}  {ref.url or ''}")
        if ref.error:
            lines.append(f"      error: {ref.error}")
    if report.warnings:
        lines += ["", "Warnings"] + [f"  - {w}" for w in report.warnings]
    return printable("\n".join(lines), lines=True)
