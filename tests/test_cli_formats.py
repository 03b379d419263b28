"""`srcscore score --format html|markdown` and `-o`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from srcscore._cli import main

EXAMPLE = str(Path(__file__).resolve().parents[1] / "examples" / "battery-plant-article.txt")


def test_markdown_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", EXAMPLE, "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("**srcscore ")
    assert out.count("\n| ") >= 11  # a row per claim at least


def test_html_to_a_file_is_one_self_contained_page(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    assert main(["score", EXAMPLE, "--format", "html", "-o", str(target)]) == 0
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert page.count("<!DOCTYPE html>") == 1
    assert "A Swedish battery maker" in page


def test_html_of_several_documents_needs_a_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs.jsonl"
    docs.write_text(
        "\n".join(
            json.dumps({"id": f"d{i}", "text": f"Claim {i} [1].\n\nReferences:\n[1] apnews.com/x"})
            for i in range(2)
        )
        + "\n"
    )
    assert main(["score", str(docs), "--format", "html"]) == 1
    assert "give -o a directory" in capsys.readouterr().err
    out = tmp_path / "pages"
    out.mkdir()
    assert main(["score", str(docs), "--format", "html", "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["d0-1.html", "d1-2.html"]


def test_html_pages_of_hostile_ids_are_all_written(tmp_path: Path) -> None:
    docs = tmp_path / "docs.jsonl"
    ids = ["nul\u0000byte", "x" * 300, "ok"]
    docs.write_text("\n".join(json.dumps({"id": i, "text": "Claim [1]."}) for i in ids) + "\n")
    out = tmp_path / "pages"
    out.mkdir()
    assert main(["score", str(docs), "--format", "html", "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "nulbyte-1.html",
        "ok-3.html",
        "x" * 100 + "-2.html",
    ]


def test_jsonl_to_a_file_streams_every_line(tmp_path: Path) -> None:
    docs = tmp_path / "docs.jsonl"
    docs.write_text('{"text": "A [1].\\n\\nReferences:\\n[1] apnews.com/x"}\n{bad\n')
    target = tmp_path / "out.jsonl"
    assert main(["score", str(docs), "--format", "jsonl", "-o", str(target)]) == 1
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert "score" in lines[0] and lines[1]["line"] == 2


def test_input_formats_are_detected_and_agree(capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(__file__).resolve().parents[1] / "docs" / "examples" / "formats"
    seen = {}
    for path in sorted(root.iterdir()):
        assert main(["score", str(path)]) == 0, path
        report = json.loads(capsys.readouterr().out)
        seen[path.name] = sorted(
            (c["text"], tuple(sorted(c["references"] and c["witnesses"]))) for c in report["claims"]
        )
    assert len(seen) >= 5
    assert len({tuple(v) for v in seen.values()}) == 1, seen


def test_forced_input_format(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("A claim [^1].\n\n[^1]: https://apnews.com/x\n")
    assert main(["score", str(path), "--input-format", "markdown"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["claims"][0]["witnesses"] == ["apnews.com"]
