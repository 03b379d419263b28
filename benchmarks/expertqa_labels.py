"""Turn the ExpertQA dev split into srcscore's labelled-document JSON Lines.

Reads ``../shared/data/expertqa/expertqa_dev.jsonl`` at run time (nothing of it
is stored in the repository) and writes, one document per answer:

- references: one per (claim, cited marker), with the URL and, where the
  system retrieved one, the cited passage as the reference's ``text``;
- claims: the claim text (markers removed) citing those references, with
  labels ``reliable`` (expert judged the cited source Reliable = 1, Somewhat
  reliable or Not reliable at all = 0), ``correct`` (Definitely or Probably
  correct = 1, Unsure, Likely or Definitely incorrect = 0), ``supported``
  (support Complete = 1, Partial or Incomplete = 0); labels the expert did not
  give (N/A, Missing) are left out.

Usage: python benchmarks/expertqa_labels.py [OUT.jsonl] (default: stdout).
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "expertqa" / "expertqa_dev.jsonl"
_MARKER = re.compile(r"\[(\d+)\]")
_URL = re.compile(r"https?://\S+")
RELIABLE = {"Reliable": 1, "Somewhat reliable": 0, "Not reliable at all": 0}
CORRECT = {
    "Definitely correct": 1,
    "Probably correct": 1,
    "Unsure": 0,
    "Likely incorrect": 0,
    "Definitely incorrect": 0,
}
SUPPORTED = {"Complete": 1, "Partial": 0, "Incomplete": 0}


def _evidence_items(evidence: Any) -> list[str]:
    if isinstance(evidence, list):
        return [str(e) for e in evidence]
    return []


def convert(record: dict[str, Any], index: int) -> dict[str, Any]:
    """One ExpertQA record as a labelled srcscore document."""
    system, answer = next(iter(record["answers"].items()))
    references: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    for j, claim in enumerate(answer.get("claims") or []):
        ids = []
        for item in _evidence_items(claim.get("evidence")):
            head, _, passage = item.partition("\n\n")
            marker = _MARKER.search(head)
            url = _URL.search(head)
            if marker is None or url is None:
                continue
            ref_id = f"{j + 1}-{marker.group(1)}"
            if ref_id in ids:
                continue  # the same marker listed twice for one claim
            ref: dict[str, Any] = {"id": ref_id, "url": url.group()}
            if passage.strip():
                ref["text"] = passage.strip()
            references.append(ref)
            ids.append(ref_id)
        out: dict[str, Any] = {
            "text": _MARKER.sub("", claim.get("claim_string") or "").strip(),
            "references": ids,
        }
        for key, table, field in (
            ("reliable", RELIABLE, "reliability"),
            ("correct", CORRECT, "correctness"),
            ("supported", SUPPORTED, "support"),
        ):
            if claim.get(field) in table:
                out[key] = table[claim[field]]
        claims.append(out)
    return {
        "id": f"expertqa-dev-{index}",
        "system": system,
        "field": record.get("metadata", {}).get("field"),
        "annotator": record.get("annotator_id"),
        "references": references,
        "claims": claims,
    }


def main(argv: list[str]) -> int:
    """Write the labelled documents."""
    if not DATA.is_file():
        print(f"expertqa_labels: {DATA} not found", file=sys.stderr)
        return 1
    with contextlib.ExitStack() as stack:
        out = (
            stack.enter_context(open(argv[1], "w", encoding="utf-8"))
            if len(argv) > 1
            else sys.stdout
        )
        handle = stack.enter_context(DATA.open(encoding="utf-8"))
        for index, line in enumerate(handle):
            if line.strip():
                out.write(json.dumps(convert(json.loads(line), index), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
