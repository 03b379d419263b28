"""``srcscore score``: read inputs, score them, write reports in the chosen format."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
from collections.abc import Iterator
from typing import Any

import attrs

from ._batch import score_lines
from ._corpus import CorpusSource, learn_sources
from ._exceptions import InputError, SrcscoreError
from ._formats import parse_document
from ._io import (
    error_line,
    input_format,
    json_lines,
    parse_json,
    read_input,
    report_table,
    to_json_line,
)
from ._models import Document, Report, document_from_dict
from ._options import ScoringOptions
from ._render import render_html, render_markdown
from ._score import resolve_model, score_document

__all__ = ["cmd_score"]


def _documents(
    name: str, fmt: str, args: argparse.Namespace
) -> Iterator[tuple[Report | dict[str, Any], str | None]]:
    """Yield per document its report (or an error record for a bad JSON line) and its text."""
    base_url = args.url
    if _is_url(name):
        text, base_url = _fetch_article(name, args)
    else:
        text = read_input(name)
    options = ScoringOptions(level=args.level)
    common: dict[str, Any] = {
        "priors": args.priors_table,
        "options": options,
        "model": args.model,
        "fetch": args.fetch,
        "fetch_options": args.fetch_options,
    }
    if fmt not in ("json", "jsonl"):
        doc = parse_document(text, fmt, base_url=base_url)
        doc = attrs.evolve(doc, id=name, url=base_url or doc.url)
        yield score_document(doc, **common), text
    elif fmt == "json":
        data = parse_json(text, name)
        if not isinstance(data, list):
            try:
                yield score_document(data, **common), _text_of(data)
            except InputError as exc:
                raise InputError(f"{name}: {exc}") from None
            return
        for index, doc in enumerate(data):
            try:
                yield score_document(doc, **common), _text_of(doc)
            except InputError as exc:
                yield {"index": index, "input": name, "error": str(exc)}, None
    elif args.workers > 1 or args.engine != "local":
        for record in score_lines(
            json_lines(text),
            priors=args.priors_table,
            options=options,
            model=args.model,
            workers=args.workers,
            engine=args.engine,
            scheduler=args.scheduler,
        ):
            if "score" not in record:
                record = {"line": record["line"], "input": name, "error": record["error"]}
            yield record, None
    else:
        for number, line in json_lines(text):
            try:
                doc = parse_json(line)
                yield score_document(doc, **common), _text_of(doc)
            except InputError as exc:
                yield {"line": number, "input": name, "error": str(exc)}, None


def _corpus_documents(args: argparse.Namespace) -> Iterator[Document]:
    """Every readable document of the inputs; unreadable ones are reported by the scoring pass."""
    for name in args.inputs:
        fmt = input_format(name, args.input_format)
        try:
            text = read_input(name)
        except InputError:
            continue
        if fmt not in ("json", "jsonl"):
            yield parse_document(text, fmt, base_url=args.url)
            continue
        if fmt == "json":
            try:
                data = parse_json(text, name)
            except InputError:
                continue
            items: list[Any] = data if isinstance(data, list) else [data]
        else:
            items = []
            for _, line in json_lines(text):
                try:
                    items.append(parse_json(line))
                except InputError:
                    continue
        for item in items:
            try:
                yield document_from_dict(item)
            except InputError:
                continue


def _write_sources(
    args: argparse.Namespace,
    sources: list[CorpusSource],
    records: list[dict[str, Any]],
    pages: list[tuple[str, str]],
) -> None:
    """Put the learned source table where the chosen output has room for it."""
    if args.sources:
        with open(args.sources, "w", encoding="utf-8") as handle:
            handle.writelines(to_json_line(s.to_dict()) + "\n" for s in sources)
    elif args.format == "json":
        reports = list(records)
        records.clear()
        records.append({"reports": reports, "sources": [s.to_dict() for s in sources]})
    elif args.format in ("table", "markdown"):
        lines = [
            "Sources learned from the corpus",
            "  source  prior -> posterior  claims  agree  conflict",
        ]
        lines += [
            f"  {s.source}  {s.prior:.2f} -> {s.posterior:.2f}  "
            f"{s.claims}  {s.agreements}  {s.conflicts}"
            for s in sorted(sources, key=lambda s: -s.claims)
        ]
        pages.append(("sources", "\n".join(lines) + "\n"))


def _is_url(name: str) -> bool:
    return name.lower().startswith(("http://", "https://"))


def _fetch_article(url: str, args: argparse.Namespace) -> tuple[str, str]:
    """Fetch the page to score (its markup, to read its citations) and its final URL."""
    from ._fetch import fetch_all

    options = attrs.evolve(args.fetch_options, keep_markup=True)
    page = fetch_all([url], options)[url]
    if not page.ok or page.text is None:
        raise InputError(f"{url}: cannot fetch the article: {page.error or 'no text'}")
    return page.text, page.final_url or url


def _text_of(doc: object) -> str | None:
    text = doc.get("text") if isinstance(doc, dict) else None
    return text if isinstance(text, str) else None


def cmd_score(args: argparse.Namespace, out: Any) -> int:
    if args.model is not None:
        args.model = resolve_model(args.model)  # once, not once per document
    sources: list[CorpusSource] = []
    if args.corpus:
        # First pass: learn the sources' trust from the whole corpus; the
        # scoring pass below then uses it as their priors.
        args.priors_table, sources = learn_sources(
            _corpus_documents(args),
            priors=args.priors_table,
            options=ScoringOptions(level=args.level),
        )
    failures: list[str] = []
    records: list[dict[str, Any]] = []
    pages: list[tuple[str, str]] = []
    # JSON Lines stream out as they are scored: memory stays bounded on big corpora.
    with contextlib.ExitStack() as stack:
        stream = None
        if args.format == "jsonl":
            stream = (
                stack.enter_context(open(args.output, "w", encoding="utf-8"))
                if args.output
                else out
            )
        _score_inputs(args, failures, records, pages, stream)
        if args.corpus and stream is not None and not args.sources:
            stream.write(to_json_line({"sources": [s.to_dict() for s in sources]}) + "\n")
    if args.corpus:
        _write_sources(args, sources, records, pages)
    _write(args, out, records, pages)
    if failures:
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        error_line(f"{failures[0]}{more}")
        return 1
    return 0


def _score_inputs(
    args: argparse.Namespace,
    failures: list[str],
    records: list[dict[str, Any]],
    pages: list[tuple[str, str]],
    stream: Any,
) -> None:
    for name in args.inputs:
        fmt = input_format(name, args.input_format)
        try:
            for result, text in _documents(name, fmt, args):
                if isinstance(result, dict) and "score" in result:  # from a parallel engine
                    if stream is not None:
                        stream.write(to_json_line(result) + "\n")
                    else:
                        records.append(result)
                    continue
                if not isinstance(result, Report):
                    where = (
                        f"line {result['line']}" if "line" in result else f"item {result['index']}"
                    )
                    failures.append(f"{name}: {where}: {result['error']}")
                    if stream is not None:
                        stream.write(to_json_line(result) + "\n")
                    elif args.format == "json":
                        records.append(result)
                    continue
                title = str(result.id if result.id is not None else name)
                if args.format == "table":
                    pages.append((title, report_table(result, title) + "\n"))
                elif args.format == "markdown":
                    pages.append((title, render_markdown(result, title=title)))
                elif args.format == "html":
                    pages.append((title, render_html(result, text, title=title)))
                elif stream is not None:
                    stream.write(to_json_line(result.to_dict()) + "\n")
                else:
                    records.append(result.to_dict())
        except SrcscoreError as exc:
            failures.append(str(exc))


def _write(
    args: argparse.Namespace, out: Any, records: list[dict[str, Any]], pages: list[tuple[str, str]]
) -> None:
    if args.format == "html" and args.output and os.path.isdir(args.output):
        for number, (title, page) in enumerate(pages, start=1):
            stem = os.path.splitext(os.path.basename(title))[0]
            # A document's id is anyone's string: no control characters, no name too long.
            stem = "".join(c for c in stem if c.isprintable())[:100] or "report"
            path = os.path.join(
                args.output, f"{stem}-{number}.html" if len(pages) > 1 else f"{stem}.html"
            )
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(page)
        return
    if args.format == "html" and len(pages) > 1:
        raise InputError("--format html renders one document per page: give -o a directory")
    if args.format == "jsonl":
        return  # already streamed
    if args.format == "json":
        if not records:
            return
        payload = records[0] if len(records) == 1 and len(args.inputs) == 1 else records
        text = json.dumps(payload, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    else:
        text = "\n".join(page for _, page in pages)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        out.write(text)
