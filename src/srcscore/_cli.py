"""The ``srcscore`` command: a thin layer over the library.

Exit status: 0 ok, 1 bad input (after doing all that could be done), 2 usage.
The commands themselves live in ``_cli_score`` and ``_cli_tools``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from ._batch import ENGINES
from ._cli_score import cmd_score
from ._cli_tools import cmd_evaluate, cmd_priors, cmd_source, cmd_train, priors_table
from ._exceptions import SrcscoreError
from ._fetchtypes import FetchOptions
from ._formats import FORMATS as PARSED_FORMATS
from ._io import error_line, printable
from ._model import CALIBRATIONS
from ._ratings import FORMATS, RATING_SETS
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
    score.add_argument(
        "--input-format",
        choices=["auto", "text", "json", "jsonl", *PARSED_FORMATS[1:]],
        default="auto",
        help="force a format instead of detecting it",
    )
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
        "--model", metavar="FILE", help="a learned model (JSON) from 'srcscore train', or 'default'"
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
        "--corpus",
        action="store_true",
        help="learn the sources' trust from the whole input, then score with it",
    )
    score.add_argument(
        "--sources",
        metavar="FILE",
        help="with --corpus: write the learned source table here (JSONL)",
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
    train.add_argument(
        "--calibration",
        choices=CALIBRATIONS,
        default="isotonic",
        help="calibration map of the model's out-of-fold log-odds (default: isotonic)",
    )
    train.add_argument(
        "--offset",
        metavar="FEATURE",
        default=None,
        help="learn corrections to this feature's log-odds, e.g. hand_score (default: none)",
    )
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command == "score":
        if (args.no_cache or args.allow_private_addresses) and not args.fetch:
            parser.error("--no-cache and --allow-private-addresses go with --fetch")
        if args.sources and not args.corpus:
            parser.error("--sources goes with --corpus")
        if not args.fetch and any(
            i.lower().startswith(("http://", "https://")) for i in args.inputs
        ):
            parser.error("scoring a page by its URL fetches it: add --fetch")
        args.fetch_options = (
            FetchOptions(
                use_cache=not args.no_cache, allow_private_addresses=args.allow_private_addresses
            )
            if args.fetch
            else None
        )
    if args.command == "score" and args.workers < 1:
        parser.error("--workers must be at least 1")
    if args.command == "score" and (args.workers > 1 or args.engine != "local"):
        if args.fetch:
            parser.error("--fetch works with the local engine and one worker")
        if args.format not in ("json", "jsonl"):
            parser.error("--workers and --engine work with --format json or jsonl")
    try:
        args.priors_table = priors_table(args)
        if args.command == "score":
            return cmd_score(args, sys.stdout)
        if args.command == "priors":
            return cmd_priors(args, sys.stdout)
        if args.command == "train":
            return cmd_train(args, sys.stdout)
        if args.command == "evaluate":
            return cmd_evaluate(args, sys.stdout)
        return cmd_source(args, sys.stdout)
    except SrcscoreError as exc:
        error_line(str(exc))
        return 1
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:  # an output file (-o, --sources) that cannot be written
        where = f"{exc.filename}: " if exc.filename is not None else ""
        error_line(f"{where}cannot write: {exc.strerror or exc}")
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: one line, not a traceback (SRCSCORE_DEBUG=1 shows it)
        if os.environ.get("SRCSCORE_DEBUG"):
            raise
        sys.stderr.write(f"srcscore: internal error: {type(exc).__name__}: {printable(str(exc))}\n")
        return 1


if __name__ == "__main__":
    sys.exit(main())
