"""How often does the lookalike rule flag real sites? Prints a table; writes nothing.

Run from the repository root, with ``../shared/data`` beside it::

    python benchmarks/eval_lookalikes.py

Every domain of Lin et al. (2023)'s aggregate ratings (``lin2023/domain_pc1.csv``)
is passed to ``srcscore.source_of``; a domain flagged ``lookalike:...`` is listed
with the outlet it is said to imitate and its ``pc1`` there (0 to 1, higher is
more reliable). A flagged domain with a high ``pc1`` is a false alarm for sure;
one with a low ``pc1`` is most likely a real impostor. Domains the default table
rates are never checked by the rule, so they cannot be flagged.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import srcscore

HIGH = 0.6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = parser.parse_args(argv)
    path = args.data / "lin2023" / "domain_pc1.csv"
    if not path.is_file():
        print(f"{path} not found: run from the repository root with ../shared/data beside it")
        return 1
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    flagged, invalid = [], 0
    for row in rows:
        try:
            source = srcscore.source_of(row["domain"])
        except srcscore.InvalidURLError:
            invalid += 1
            continue
        marks = [f.split(":", 1)[1] for f in source.flags if f.startswith("lookalike:")]
        if marks:
            flagged.append((float(row["pc1"]), row["domain"], marks[0]))
    checked = len(rows) - invalid
    high = [f for f in flagged if f[0] >= HIGH]
    print(f"{checked:,} domains checked ({invalid} unusable), {len(flagged)} flagged", end="")
    print(f" ({len(flagged) / checked:.2%}); {len(high)} of them with pc1 >= {HIGH}")
    print(f"\n{'pc1':>5}  {'domain':28s} imitates")
    for pc1, domain, target in sorted(flagged, reverse=True):
        print(f"{pc1:5.2f}  {domain:28s} {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
