"""The ``srcscore`` command: a thin layer over the library.

Exit status: 0 ok, 1 bad input (after doing all that could be done), 2 usage.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from typing import Any, NoReturn

from ._batch import ENGINES, score_lines
from ._exceptions import InputError, InvalidURLError, SrcscoreError
from ._fetch import FetchOptions
from ._io import input_format, json_lines, parse_json, read_input, report_table, to_json_line
from ._model import load_model
from ._models import Report
from ._priors import Priors
from ._ratings import FORMATS, RATING_SETS, cached_rating_set, fetch_rating_set, load_priors_spec
from ._render import render_html, render_markdown
from ._score import ScoringOptions, score_document, score_text
from ._sources import source_of
from ._train import evaluate, train
from ._version import __version__

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"srcscore: usage error: {message} (see 'srcscore --help')\n")


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="srcscore", description="How far to trust a cited text, and why.")
    parser.add_argument("--version", action="version", version=f"srcscore {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    score = sub.add_parser("score", help="score articles: text, .json or .jsonl (or - for stdin)")
    score.add_argument("inputs", nargs="+", metavar="INPUT")
    score.add_argument(
        "--format", choices=["json", "jsonl", "table", "html", "markdown"], default="json"
    )
    score.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="write here instead of stdout (html: a file or a directory)",
    )
    score.add_argument("--input-format", choices=["auto", "text", "json", "jsonl"], default="auto")
    _priors_options(score)
    score.add_argument("--url", help="the article's own URL (text input), to spot self-citation")
    score.add_argument(
        "--level", type=float, default=0.9, help="interval probability (default 0.9)"
    )
    source = sub.add_parser("source", help="show the publisher, category and prior behind URLs")
    source.add_argument("urls", nargs="+", metavar="URL", help="URLs, or - to read one per line")
    source.add_argument("--format", choices=["jsonl", "table"], default="jsonl")
    _priors_options(source)
    score.add_argument(
        "--model", metavar="FILE", help="a learned model (JSON) from 'srcscore train'"
    )
    score.add_argument(
        "--fetch", action="store_true", help="fetch cited pages to check what they say (network)"
    )
    score.add_argument(
        "--no-cache",
        action="store_true",
        help="with --fetch: neither read nor write the page cache",
    )
    score.add_argument(
        "--allow-private-addresses",
        action="store_true",
        help="with --fetch: also fetch loopback, private and link-local addresses (unsafe)",
    )
    score.add_argument(
        "--workers", type=int, default=1, metavar="N", help="score JSON Lines on N processes"
    )
    score.add_argument(
        "--engine", choices=ENGINES, default="local", help="local cores, or a Dask cluster"
    )
    score.add_argument(
        "--scheduler", metavar="ADDRESS", help="Dask scheduler address (default: a local cluster)"
    )
    train = sub.add_parser("train", help="fit a scoring model to labelled documents")
    train.add_argument(
        "labels", metavar="LABELS", help="JSON Lines of documents whose claims have labels"
    )
    train.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="where to write the model"
    )
    train.add_argument("--label", default="label", help="the claims' label key (default: label)")
    train.add_argument("--c", type=float, default=1.0, help="inverse regularisation strength")
    _priors_options(train)
    evaluate = sub.add_parser(
        "evaluate", help="AUC, Brier score and calibration on labelled documents"
    )
    evaluate.add_argument("labels", metavar="LABELS")
    evaluate.add_argument(
        "--model", metavar="FILE", help="a learned model (default: hand-set model)"
    )
    evaluate.add_argument("--label", default="label")
    evaluate.add_argument(
        "--plot", metavar="PNG", help="write a reliability diagram (needs matplotlib)"
    )
    evaluate.add_argument("--format", choices=["json", "table"], default="table")
    _priors_options(evaluate)
    priors = sub.add_parser("priors", help="show priors, fetch public rating sets")
    priors_sub = priors.add_subparsers(dest="priors_command", required=True, parser_class=_Parser)
    show = priors_sub.add_parser(
        "show", help="the prior of domains or URLs, and where it came from"
    )
    show.add_argument("domains", nargs="+", metavar="DOMAIN")
    show.add_argument("--format", choices=["jsonl", "table"], default="table")
    _priors_options(show)
    fetch = priors_sub.add_parser("fetch", help="download a named public rating set")
    fetch.add_argument("name", choices=sorted(RATING_SETS))
    priors_sub.add_parser("list", help="the named public rating sets")
    return parser


def _priors_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--priors",
        metavar="FILE",
        action="append",
        default=[],
        help="a ratings file (or a fetched set's name) laid over the default table; repeatable",
    )
    parser.add_argument("--priors-format", choices=FORMATS, default="auto")
    parser.add_argument(
        "--priors-combine",
        choices=["override", "pool"],
        default="override",
        help="override: your rows replace the default's; pool: pseudo-counts add up",
    )


def _priors_table(args: argparse.Namespace) -> Priors | None:
    if not getattr(args, "priors", None):
        return None
    table = Priors.default()
    for spec in args.priors:
        mine = load_priors_spec(spec, args.priors_format)
        table = (
            table.pooled_with(mine) if args.priors_combine == "pool" else table.with_overrides(mine)
        )
    return table


def _cmd_priors(args: argparse.Namespace, out: Any) -> int:
    if args.priors_command == "list":
        for name, (_url, _sha, fmt, about) in sorted(RATING_SETS.items()):
            fetched = "fetched" if cached_rating_set(name) else "not fetched"
            out.write(f"{name}\t{fmt}\t{fetched}\t{about}\n")
        return 0
    if args.priors_command == "fetch":
        path = fetch_rating_set(args.name)
        out.write(f"{args.name}: saved to {path}\n")
        return 0
    bad = 0
    for raw in args.domains:
        try:
            src = source_of(raw)
        except InvalidURLError as exc:
            bad += 1
            sys.stderr.write(f"srcscore: error: {raw}: {exc.reason}\n")
            continue
        prior = src.prior(args.priors_table)
        if args.format == "jsonl":
            record = {
                "input": raw,
                "source": src.source,
                "mean": round(prior.mean, 4),
                "strength": prior.strength,
                "category": prior.category,
                "provenance": prior.provenance,
                "note": prior.note,
            }
            out.write(to_json_line(record) + "\n")
        else:
            out.write(
                f"{src.source}\t{prior.mean:.2f}\t{prior.strength:g}\t{prior.category}"
                f"\t{prior.provenance}\n"
            )
    return 1 if bad else 0


def _labelled(path: str) -> list[dict[str, Any]]:
    """Read labelled documents (JSON Lines, or a JSON array); a bad line is an error."""
    text = read_input(path)
    if input_format(path) == "json":
        data = parse_json(text, path)
        return data if isinstance(data, list) else [data]
    docs = []
    for number, line in json_lines(text):
        try:
            docs.append(parse_json(line))
        except InputError as exc:
            raise InputError(f"{path}: line {number}: {exc}") from None
    return docs


def _cmd_train(args: argparse.Namespace, out: Any) -> int:
    docs = _labelled(args.labels)
    model = train(
        docs, label=args.label, priors=args.priors_table, c=args.c, trained_on=args.labels
    )
    model.save(args.output)
    m = model.metrics
    out.write(
        f"trained on {m['n']} claims ({m['positives']} labelled 1); cross-validated "
        f"AUC {m['cv_auc']:.3f}, Brier {m['cv_brier']:.3f}, ECE {m['cv_ece']:.3f}; "
        f"saved to {args.output}\n"
    )
    return 0


def _cmd_evaluate(args: argparse.Namespace, out: Any) -> int:
    docs = _labelled(args.labels)
    result = evaluate(
        docs, model=args.model, label=args.label, priors=args.priors_table, plot=args.plot
    )
    if args.format == "json":
        out.write(json.dumps(result.to_dict(), indent=2) + "\n")
        return 0
    auc = f"{result.auc:.3f}" if result.auc is not None else "n/a (one label only)"
    out.write(f"claims {result.n} ({result.positives} labelled 1)\nAUC    {auc}\n")
    out.write(f"Brier  {result.brier:.3f}\nECE    {result.ece:.3f}\n")
    out.write("bin          n  mean score  share of 1s\n")
    for lo, hi, count, mean, rate in result.bins:
        out.write(f"{lo:.1f}-{hi:.1f}  {count:5d}  {mean:10.3f}  {rate:11.3f}\n")
    return 0


def _documents(
    name: str, fmt: str, args: argparse.Namespace
) -> Iterator[tuple[Report | dict[str, Any], str | None]]:
    """Yield per document its report (or an error record for a bad JSON line) and its text."""
    text = read_input(name)
    options = ScoringOptions(level=args.level)
    common: dict[str, Any] = {
        "priors": args.priors_table,
        "options": options,
        "model": args.model,
        "fetch": args.fetch,
        "fetch_options": args.fetch_options,
    }
    if fmt == "text":
        yield score_text(text, id=name, url=args.url, **common), text
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


def _text_of(doc: object) -> str | None:
    text = doc.get("text") if isinstance(doc, dict) else None
    return text if isinstance(text, str) else None


def _cmd_score(args: argparse.Namespace, out: Any) -> int:
    if args.model is not None:
        args.model = load_model(args.model)  # once, not once per document
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
    _write(args, out, records, pages)
    if failures:
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        sys.stderr.write(f"srcscore: error: {failures[0]}{more}\n")
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
            stem = os.path.splitext(os.path.basename(title))[0] or "report"
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


def _url_lines(urls: Sequence[str]) -> Iterator[str]:
    for item in urls:
        if item == "-":
            yield from (line.strip() for line in sys.stdin if line.strip())
        else:
            yield item


def _cmd_source(args: argparse.Namespace, out: Any) -> int:
    bad = 0
    for raw in _url_lines(args.urls):
        record: dict[str, Any] = {
            "input": raw,
            "url": None,
            "domain": None,
            "source": None,
            "category": None,
            "prior": None,
            "error": None,
        }
        try:
            src = source_of(raw)
            prior = src.prior(args.priors_table)
            record.update(
                url=src.url,
                domain=src.domain,
                source=src.source,
                category=prior.category,
                prior=round(prior.mean, 4),
                prior_strength=prior.strength,
                provenance=prior.provenance,
                flags=list(src.flags),
            )
        except InvalidURLError as exc:
            bad += 1
            record["error"] = exc.reason
        if args.format == "jsonl":
            out.write(to_json_line(record) + "\n")
        elif record["error"]:
            out.write(f"{raw}\terror: {record['error']}\n")
        else:
            out.write(
                f"{record['source']}\t{record['category']}\t{record['prior']:.2f}\t{record['url']}\n"
            )
    if bad:
        sys.stderr.write(f"srcscore: error: {bad} unusable URL{'s' if bad > 1 else ''}\n")
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command == "score":
        if (args.no_cache or args.allow_private_addresses) and not args.fetch:
            parser.error("--no-cache and --allow-private-addresses go with --fetch")
        args.fetch_options = (
            FetchOptions(
                use_cache=not args.no_cache, allow_private_addresses=args.allow_private_addresses
            )
            if args.fetch
            else None
        )
    if args.command == "score" and (args.workers > 1 or args.engine != "local"):
        if args.fetch:
            parser.error("--fetch works with the local engine and one worker")
        if args.format not in ("json", "jsonl"):
            parser.error("--workers and --engine work with --format json or jsonl")
        if args.workers < 1:
            parser.error("--workers must be at least 1")
    try:
        args.priors_table = _priors_table(args)
        if args.command == "score":
            return _cmd_score(args, sys.stdout)
        if args.command == "priors":
            return _cmd_priors(args, sys.stdout)
        if args.command == "train":
            return _cmd_train(args, sys.stdout)
        if args.command == "evaluate":
            return _cmd_evaluate(args, sys.stdout)
        return _cmd_source(args, sys.stdout)
    except SrcscoreError as exc:
        sys.stderr.write(f"srcscore: error: {exc}\n")
        return 1
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: one line, not a traceback (SRCSCORE_DEBUG=1 shows it)
        if os.environ.get("SRCSCORE_DEBUG"):
            raise
        sys.stderr.write(f"srcscore: internal error: {type(exc).__name__}: {exc}\n")
        return 1


if __name__ == "__main__":
    sys.exit(main())
