"""Real data beside the repository (../shared/data); skipped cleanly when absent.

Nothing is copied from these files: rows are read at test time only.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest

import srcscore
from _shared import SHARED_DATA
from srcscore import Priors, source_of

LIN = SHARED_DATA / "lin2023" / "domain_pc1.csv"
EXPERTQA = SHARED_DATA / "expertqa" / "expertqa_dev.jsonl"
MARKER = re.compile(r"\[\d+\]")
ATTRIBUTION = re.compile(r"^\s*\[(\d+)\]\s*(\S+)")


def need(path: Path) -> None:
    if not path.is_file():
        pytest.skip(f"{path} is absent")


# --- Lin et al. (2023) domain quality ratings -------------------------------------------


@pytest.fixture(scope="module")
def lin() -> Priors:
    need(LIN)
    return Priors.from_csv(LIN)


@pytest.fixture(scope="module")
def lin_rows() -> list[dict[str, str]]:
    need(LIN)
    with LIN.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_lin_imports(lin: Priors, lin_rows: list[dict[str, str]]) -> None:
    assert list(lin_rows[0]) == ["domain", "pc1"]
    # one row per key; a www. variant may fold into its bare domain
    assert len(lin_rows) - 5 <= len(lin) <= len(lin_rows)
    assert lin.name == "domain_pc1.csv"
    for key in lin:
        prior = lin.get(key)
        assert prior is not None
        assert 0.0 <= prior.mean <= 1.0
        assert prior.provenance == f"domain_pc1.csv: {key}"


def test_lin_values_are_read_as_given(lin: Priors, lin_rows: list[dict[str, str]]) -> None:
    plain = [r for r in lin_rows if "/" not in r["domain"] and not r["domain"].startswith("www.")]
    for row in plain[:: max(1, len(plain) // 200)]:
        prior = lin.get(row["domain"])
        assert prior is not None, row["domain"]
        assert prior.mean == pytest.approx(float(row["pc1"]))


def test_lin_path_level_entries_are_publishers(lin: Priors, lin_rows: list[dict[str, str]]) -> None:
    paths = [r for r in lin_rows if "/" in r["domain"]]
    assert paths
    for row in paths:
        key = row["domain"].lower().rstrip("/")
        assert key in lin, key


def test_lin_overrides_the_default(lin: Priors, lin_rows: list[dict[str, str]]) -> None:
    default = Priors.default()
    merged = default.with_overrides(lin)
    # a domain both tables know, with different values: the imported one wins
    known = {k: p.mean for k in default if (p := default.get(k)) is not None}
    overlap = [
        r
        for r in lin_rows
        if r["domain"] in known and abs(known[r["domain"]] - float(r["pc1"])) > 0.01
    ]
    assert overlap, "expected some domains rated differently by the default table and Lin"
    for row in overlap[:50]:
        url = f"https://www.{row['domain']}/some/story"
        got = source_of(url).prior(merged)
        assert got.mean == pytest.approx(float(row["pc1"]))
        assert got.provenance.startswith("domain_pc1.csv")
        assert source_of(url).prior().mean != pytest.approx(float(row["pc1"]))
    # a domain only the default knows keeps its default prior
    only_default = next(k for k in default if k not in lin and "/" not in k)
    assert merged.get(only_default) == default.get(only_default)


def test_lin_through_score_text(lin_rows: list[dict[str, str]]) -> None:
    low = min(lin_rows, key=lambda r: float(r["pc1"]))
    text = f"A claim [1].\n\nReferences\n[1] https://{low['domain']}/x\n"
    report = srcscore.score_text(text, priors=LIN)
    assert report.references[0].prior == pytest.approx(float(low["pc1"]), abs=1e-4)


# --- ExpertQA dev answers ----------------------------------------------------------------


@pytest.fixture(scope="module")
def answers() -> list[tuple[int, str, dict[str, Any]]]:
    need(EXPERTQA)
    out = []
    with EXPERTQA.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            record = json.loads(line)
            for system, answer in record["answers"].items():
                out.append((number, system, answer))
    return out


def as_text(answer: dict[str, Any]) -> str:
    return answer["answer_string"] + "\n\nReferences\n" + "\n".join(answer["attribution"]) + "\n"


def as_json(answer: dict[str, Any]) -> dict[str, Any]:
    refs: dict[int, str] = {}
    for item in answer["attribution"]:
        match = ATTRIBUTION.match(item)
        if match:
            refs.setdefault(int(match.group(1)), match.group(2))
    return {
        "text": answer["answer_string"],
        "references": [{"id": n, "url": url} for n, url in refs.items()],
    }


def test_expertqa_has_answers(answers: list[tuple[int, str, dict[str, Any]]]) -> None:
    assert len(answers) >= 100
    assert sum(1 for *_, a in answers if MARKER.search(a["answer_string"])) >= 100


def test_expertqa_answers_parse_as_text(answers: list[tuple[int, str, dict[str, Any]]]) -> None:
    failures = []
    for number, system, answer in answers:
        doc = srcscore.parse_text(as_text(answer))
        assert isinstance(doc, srcscore.Document)
        if MARKER.search(answer["answer_string"]) and not any(c.references for c in doc.claims):
            failures.append(f"line {number} ({system})")
    assert not failures, f"{len(failures)} answers with markers have no cited claim: {failures[:5]}"


def test_expertqa_answers_parse_as_json(answers: list[tuple[int, str, dict[str, Any]]]) -> None:
    failures = []
    for number, system, answer in answers:
        doc = srcscore.document_from_dict(as_json(answer))
        if MARKER.search(answer["answer_string"]) and not any(c.references for c in doc.claims):
            failures.append(f"line {number} ({system})")
    assert not failures, f"{len(failures)} answers with markers have no cited claim: {failures[:5]}"


def test_expertqa_answers_score(answers: list[tuple[int, str, dict[str, Any]]]) -> None:
    for _, _, answer in answers:
        report = srcscore.score_text(as_text(answer))
        json.dumps(report.to_dict(), allow_nan=False)
        for claim in report.claims:
            assert 0.0 <= claim.interval[0] <= claim.score <= claim.interval[1] <= 1.0
        for ref in report.references:
            assert ref.error is None or isinstance(ref.error, str)
