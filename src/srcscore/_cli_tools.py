"""``srcscore source``, ``priors``, ``train`` and ``evaluate``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from typing import Any

from ._exceptions import InputError, InvalidURLError
from ._io import (
    error_line,
    input_format,
    json_lines,
    parse_json,
    printable,
    read_input,
    to_json_line,
)
from ._priors import Priors
from ._ratings import RATING_SETS, cached_rating_set, fetch_rating_set, load_priors_spec
from ._sources import source_of
from ._train import evaluate, train

__all__ = ["cmd_evaluate", "cmd_priors", "cmd_source", "cmd_train", "priors_table"]


def priors_table(args: argparse.Namespace) -> Priors | None:
    if not getattr(args, "priors", None):
        return None
    table = Priors.default()
    for spec in args.priors:
        mine = load_priors_spec(spec, args.priors_format)
        table = (
            table.pooled_with(mine) if args.priors_combine == "pool" else table.with_overrides(mine)
        )
    return table


def cmd_priors(args: argparse.Namespace, out: Any) -> int:
    if args.priors_command == "list":
        for name, (_url, _sha, fmt, about) in sorted(RATING_SETS.items()):
            fetched = "fetched" if cached_rating_set(name) else "not fetched"
            out.write(f"{name}\t{fmt}\t{fetched}\t{about}\n")
        return 0
    if args.priors_command == "fetch":
        path = fetch_rating_set(args.name)
        out.write(f"{args.name}: saved to {path}\n")
        return 0
    bad: list[str] = []
    for raw in args.domains:
        try:
            src = source_of(raw)
        except InvalidURLError as exc:
            bad.append(f"{raw}: {exc.reason}")
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
                f"{printable(src.source)}\t{prior.mean:.2f}\t{prior.strength:g}\t{prior.category}"
                f"\t{printable(prior.provenance)}\n"
            )
    if bad:  # one line: the first, and how many more
        more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        error_line(f"{bad[0]}{more}")
        return 1
    return 0


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


def cmd_train(args: argparse.Namespace, out: Any) -> int:
    docs = _labelled(args.labels)
    model = train(
        docs,
        label=args.label,
        priors=args.priors_table,
        c=args.c,
        trained_on=args.labels,
        calibration=args.calibration,
        offset=args.offset,
    )
    model.save(args.output)
    m = model.metrics
    out.write(
        f"trained on {m['n']} claims ({m['positives']} labelled 1); cross-validated "
        f"AUC {m['cv_auc']:.3f}, Brier {m['cv_brier']:.3f}, ECE {m['cv_ece']:.3f}; "
        f"saved to {args.output}\n"
    )
    return 0


def cmd_evaluate(args: argparse.Namespace, out: Any) -> int:
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


def _url_lines(urls: Sequence[str]) -> Iterator[str]:
    for item in urls:
        if item == "-":
            if sys.stdin is None:
                raise InputError("-: standard input is closed")
            yield from (line.strip() for line in sys.stdin if line.strip())
        else:
            yield item


def cmd_source(args: argparse.Namespace, out: Any) -> int:
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
            out.write(f"{printable(raw)}\terror: {printable(record['error'])}\n")
        else:
            out.write(
                f"{record['source']}\t{record['category']}\t{record['prior']:.2f}\t{record['url']}\n"
            )
    if bad:
        error_line(f"{bad} unusable URL{'s' if bad > 1 else ''}")
        return 1
    return 0
