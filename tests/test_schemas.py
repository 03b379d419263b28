"""The JSON Schemas in docs/schemas/ against what srcscore really reads and writes."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import srcscore
from srcscore._cli import main

REPO_ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = REPO_ROOT / "docs" / "schemas"
EXAMPLES = REPO_ROOT / "docs" / "examples"
SCHEMA_NAMES = ("document", "report", "error-line", "source-line")

TEXT = """Officials confirmed the bridge will reopen in May [1]. Traffic fell by half [1][2].
Repairs cost more than planned. Tolls will rise [3]. The bridge opened in 1932 [4].
Our reporters saw the cracks first [5]. The river flooded [9].

References:
[1] https://apnews.com/article/bridge-reopening
[2] https://www.reuters.com/world/bridge-traffic/?utm_source=feed
[3] https://energy-insider-daily.blogspot.com/2025/01/tolls.html
[4] javascript:alert(1)
[5] https://www.dailycity-news.com/2024/cracks/
[6] https://www.bbc.co.uk/news/never-cited
"""

DOCUMENT: dict[str, Any] = {
    "id": "doc-1",
    "url": "https://answers.example.org/q/1",
    "claims": [
        {"text": "The telescope launched on 25 December 2021.", "references": ["nasa", 2]},
        {"text": "It cost $10 billion.", "references": [2]},
        {"text": "Nobody cited this."},
        {"text": "This cites a missing reference.", "references": ["nope"]},
        {"text": "This cites a reference without URL.", "references": ["bare"]},
    ],
    "references": [
        {
            "id": "nasa",
            "url": "https://www.nasa.gov/mission/webb/",
            "title": "Webb",
            "text": "The telescope launched on December 25, 2021.",
        },
        {"id": 2, "url": "https://www.bbc.co.uk/news/science-1", "text": "It cost $10bn."},
        {"id": "bare", "title": "A title only"},
        {"id": "bad", "url": "mailto:desk@example.com"},
        {"id": "self", "url": "https://answers.example.org/q/0", "text": None},
    ],
}


def load_schema(name: str) -> dict[str, Any]:
    with open(SCHEMAS / f"{name}.schema.json", encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(load_schema(name))


def as_json(obj: Any) -> Any:
    """What a consumer reads: the object after a trip through JSON text."""
    return json.loads(json.dumps(obj, allow_nan=False))


def errors(name: str, instance: Any) -> list[str]:
    return [e.message for e in validator(name).iter_errors(instance)]


def reports() -> list[srcscore.Report]:
    """Reports covering every branch of the report: text, claims, texts, errors, empty."""
    return [
        srcscore.score_text(TEXT, id="text-1", url="https://www.dailycity-news.com/2025/x"),
        srcscore.score_text(TEXT),
        srcscore.score_text("", id=3),
        srcscore.score_document(DOCUMENT),
        srcscore.score_document(DOCUMENT, level=0.5, discount=1.0),
        srcscore.score_document(
            {"text": "Snow fell [1].\n\nReferences:\n[1] https://bbc.co.uk/news/snow\n"}
        ),
        srcscore.score_document({"claims": []}),
    ]


# --- the schema files ----------------------------------------------------------------


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_files_are_valid_draft_2020_12(name: str) -> None:
    schema = load_schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(f"/{name}.schema.json")
    Draft202012Validator.check_schema(schema)


def test_category_enums_are_srcscore_categories() -> None:
    report_enum = load_schema("report")["$defs"]["category"]["enum"]
    source_enum = load_schema("source-line")["properties"]["category"]["enum"]
    assert report_enum == sorted(srcscore.CATEGORIES)
    assert source_enum == [*sorted(srcscore.CATEGORIES), None]


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schemas_are_shown_in_the_docs(name: str) -> None:
    page = (REPO_ROOT / "docs" / "schemas.md").read_text(encoding="utf-8")
    assert f"```{{literalinclude}} schemas/{name}.schema.json" in page


# --- reports --------------------------------------------------------------------------


def test_reports_validate() -> None:
    check = validator("report")
    for report in reports():
        check.validate(as_json(report.to_dict()))


def test_report_branches_are_covered() -> None:
    """The reports validated above really contain nulls, numbers, errors and spans."""
    claims = [c for r in reports() for c in r.to_dict()["claims"]]
    refs = [ref for r in reports() for ref in r.to_dict()["references"]]
    assert {c["support"] is None for c in claims} == {True, False}
    assert {c["span"] is None for c in claims} == {True, False}
    assert {c["score"] == 0 for c in claims} == {True, False}
    assert {ref["error"] is None for ref in refs} == {True, False}
    assert {ref["url"] is None for ref in refs} == {True, False}
    assert any(r.warnings for r in reports())
    assert any(not r.claims for r in reports())


def test_to_dict_itself_is_json_typed() -> None:
    check = validator("report")
    for report in reports():
        check.validate(report.to_dict())


def test_every_emitted_key_is_in_the_schema() -> None:
    schema = load_schema("report")
    defs = schema["$defs"]
    for report in reports():
        data = report.to_dict()
        assert set(data) <= set(schema["properties"]), set(data) - set(schema["properties"])
        stats = schema["properties"]["stats"]
        assert set(stats["required"]) <= set(data["stats"]) <= set(stats["properties"])
        for claim in data["claims"]:
            assert set(claim) == set(defs["claim"]["properties"])
        for ref in data["references"]:
            assert set(ref) == set(defs["reference"]["properties"])


def test_contract_keys_are_required() -> None:
    schema = load_schema("report")
    defs = schema["$defs"]
    assert {"id", "score", "interval", "claims", "references", "warnings"} <= set(
        schema["required"]
    )
    assert {"text", "references", "score", "interval", "support", "explanation"} <= set(
        defs["claim"]["required"]
    )
    assert {"id", "url", "domain", "source", "category", "prior", "error"} <= set(
        defs["reference"]["required"]
    )


def _paths_to_required_keys(data: dict[str, Any]) -> list[tuple[str, ...]]:
    schema = load_schema("report")
    paths: list[tuple[str, ...]] = [(key,) for key in schema["required"]]
    paths += [("stats", key) for key in schema["properties"]["stats"]["required"]]
    paths += [("claims", "0", key) for key in schema["$defs"]["claim"]["required"]]
    paths += [("references", "0", key) for key in schema["$defs"]["reference"]["required"]]
    return paths


def test_a_report_missing_any_contract_key_fails() -> None:
    data = as_json(srcscore.score_document(DOCUMENT).to_dict())
    check = validator("report")
    check.validate(data)
    for path in _paths_to_required_keys(data):
        broken = copy.deepcopy(data)
        parent: Any = broken
        for step in path[:-1]:
            parent = parent[int(step)] if isinstance(parent, list) else parent[step]
        del parent[path[-1]]
        assert not check.is_valid(broken), f"a report without {'.'.join(path)} validates"


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("score",), 1.5),
        (("interval",), [0.1]),
        (("interval",), [0.1, 0.2, 0.3]),
        (("claims", 0, "support"), "high"),
        (("claims", 0, "references"), "nasa"),
        (("references", 0, "category"), "tabloid"),
        (("references", 0, "prior"), -0.1),
        (("warnings",), [1]),
        (("stats", "claims"), -1),
    ],
)
def test_a_report_with_a_wrong_value_fails(where: tuple[Any, ...], value: Any) -> None:
    broken = as_json(srcscore.score_document(DOCUMENT).to_dict())
    parent: Any = broken
    for step in where[:-1]:
        parent = parent[step]
    parent[where[-1]] = value
    assert not validator("report").is_valid(broken)


def test_intervals_contain_the_scores() -> None:
    for report in reports():
        lo, hi = report.interval
        assert 0 <= lo <= report.score <= hi <= 1
        for claim in report.claims:
            lo, hi = claim.interval
            assert 0 <= lo <= claim.score <= hi <= 1


# --- input documents ------------------------------------------------------------------

VALID_DOCUMENTS: list[Any] = [
    DOCUMENT,
    {"text": TEXT},
    {"text": "A [1].", "references": [{"id": 1, "url": "https://apnews.com/a"}]},
    {"claims": [], "text": None},
    {"claims": None, "text": "Plain."},
    {"id": [1, 2], "claims": [{"text": "x", "references": []}], "extra": {"ignored": True}},
]
INVALID_DOCUMENTS: list[Any] = [
    [],
    "text",
    {},
    {"references": []},
    {"claims": None},
    {"text": 5},
    {"url": 5, "text": "x"},
    {"claims": "x"},
    {"claims": [{"text": 5}]},
    {"claims": [{"references": [1]}]},
    {"claims": [{"text": "x", "references": [True]}]},
    {"claims": [{"text": "x", "references": None}]},
    {"claims": [], "references": None},
    {"claims": [], "references": [{"url": "https://apnews.com/a"}]},
    {"claims": [], "references": [{"id": None}]},
    {"claims": [], "references": [{"id": 1, "url": 42}]},
    {"claims": [], "references": [{"id": 1, "text": ["x"]}]},
]


@pytest.mark.parametrize("doc", VALID_DOCUMENTS)
def test_documents_the_schema_accepts_are_scored(doc: Any) -> None:
    assert errors("document", doc) == []
    validator("report").validate(as_json(srcscore.score_document(doc).to_dict()))


@pytest.mark.parametrize("doc", INVALID_DOCUMENTS)
def test_documents_the_schema_rejects_are_rejected(doc: Any) -> None:
    assert errors("document", doc) != []
    with pytest.raises(srcscore.InputError):
        srcscore.score_document(doc)


def test_the_docs_example_documents_validate() -> None:
    check = validator("document")
    check.validate(json.loads((EXAMPLES / "webb-answer.json").read_text(encoding="utf-8")))
    lines = (EXAMPLES / "answers.jsonl").read_text(encoding="utf-8").splitlines()
    valid = [json.loads(line) for line in lines if line.strip() and not line.endswith("[")]
    assert len(valid) == 4
    assert [check.is_valid(doc) for doc in valid] == [True, True, False, True]


# --- the command line -----------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[Any], str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, [json.loads(line) for line in out.splitlines()], err


def test_cli_score_jsonl_lines_are_reports_or_error_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus.jsonl"
    lines = [
        json.dumps({"id": 1, "text": TEXT}),
        json.dumps(DOCUMENT),
        "",
        json.dumps({"id": 3, "claims": [{"text": 5}]}),
        '{"id": 4, "claims": [',
        json.dumps(["not", "a", "document"]),
    ]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, records, err = run(capsys, "score", str(corpus), "--format", "jsonl")
    assert status == 1
    assert err.startswith("srcscore: error: ")
    report_check, error_check = validator("report"), validator("error-line")
    for record in records:
        is_report, is_error = report_check.is_valid(record), error_check.is_valid(record)
        assert is_report != is_error, record
    assert [r.get("line") for r in records] == [None, None, 4, 5, 6]
    assert [r.get("id") for r in records[:2]] == [1, "doc-1"]
    assert all(r["input"] == str(corpus) for r in records[2:])


def test_cli_score_json_array_error_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "docs.json"
    path.write_text(json.dumps([DOCUMENT, {"claims": "x"}, {"text": TEXT}]), encoding="utf-8")
    status = main(["score", str(path), "--format", "json"])
    out, _ = capsys.readouterr()
    records = json.loads(out)
    assert status == 1
    validator("report").validate(records[0])
    validator("error-line").validate(records[1])
    assert records[1]["index"] == 1
    validator("report").validate(records[2])


def test_cli_score_text_json_validates(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["score", str(REPO_ROOT / "examples" / "battery-plant-article.txt")])
    out, _ = capsys.readouterr()
    assert status == 0
    validator("report").validate(json.loads(out))


SOURCE_INPUTS = [
    "https://www.bbc.co.uk/news/x",
    "x.com/nasa",
    "https://mobile.twitter.com/NASA/status/1?utm_source=feed",
    "https://someone.blogspot.com/2025/01/post.html",
    "https://web.archive.org/web/2020/https://www.nytimes.com/2020/01/01/a.html",
    "https://t.co/abc",
    "http://192.0.2.7/page",
    "https://www.whitehouse.gov/briefing-room/",
    "https://reuterss.com/world/x",
    "mailto:desk@example.com",
    "javascript:alert(1)",
    "https://exa mple.com/x",
]


def test_cli_source_lines_validate(capsys: pytest.CaptureFixture[str]) -> None:
    status, records, err = run(capsys, "source", *SOURCE_INPUTS)
    assert status == 1
    assert err == "srcscore: error: 3 unusable URLs\n"
    assert [r["input"] for r in records] == SOURCE_INPUTS
    check = validator("source-line")
    for record in records:
        check.validate(record)
    assert [r["error"] is None for r in records] == [True] * 9 + [False] * 3
    properties = set(load_schema("source-line")["properties"])
    assert all(set(r) <= properties for r in records)


def test_cli_source_line_missing_a_contract_key_fails(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, records, _ = run(capsys, "source", "https://www.bbc.co.uk/news/x", "mailto:a@b.c")
    check = validator("source-line")
    required = load_schema("source-line")["required"]
    assert set(required) == {"input", "url", "domain", "source", "category", "prior", "error"}
    for record in records:
        check.validate(record)
        for key in required:
            broken = {k: v for k, v in record.items() if k != key}
            assert not check.is_valid(broken), f"a source line without {key!r} validates"
    good, bad = records
    assert not check.is_valid({**good, "category": None})
    assert not check.is_valid({**bad, "domain": "example.com"})
    assert not check.is_valid({k: v for k, v in good.items() if k != "provenance"})
