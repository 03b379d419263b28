"""The srcscore command line: in-process through main() and as `python -m srcscore`."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from srcscore._cli import main

ARTICLE = """Officials confirmed the bridge will reopen in May [1]. Traffic fell by half [1][2].
Nobody cited this sentence.

References:
[1] https://apnews.com/article/bridge-reopening
[2] https://www.reuters.com/world/bridge-traffic/
"""
DOC = {
    "id": "doc-1",
    "claims": [
        {"text": "The bridge will reopen in May.", "references": [1]},
        {"text": "Traffic fell by half.", "references": [1, 2]},
    ],
    "references": [
        {"id": 1, "url": "https://apnews.com/article/bridge-reopening"},
        {"id": 2, "url": "https://www.reuters.com/world/bridge-traffic/"},
    ],
}
SOURCE_KEYS = {"input", "url", "domain", "source", "category", "prior", "error"}


class Run:
    def __init__(self, status: int, out: str, err: str) -> None:
        self.status, self.out, self.err = status, out, err

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()

    def json(self) -> Any:
        return json.loads(self.out)

    def jsonl(self) -> list[Any]:
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    def _run(*argv: str, stdin: bytes | None = None) -> Run:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), "utf-8"))
        try:
            status = main(list(argv))
        except SystemExit as exc:  # argparse usage errors, --help, --version
            status = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return _run


def assert_one_error_line(result: Run, status: int) -> None:
    assert result.status == status, (result.status, result.err)
    assert len(result.err_lines) == 1, result.err
    assert result.err_lines[0].startswith("srcscore:")
    assert "Traceback" not in result.err + result.out


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {
        "text": tmp_path / "article.txt",
        "json": tmp_path / "doc.json",
        "list": tmp_path / "docs.json",
        "jsonl": tmp_path / "docs.jsonl",
    }
    paths["text"].write_text(ARTICLE, encoding="utf-8")
    paths["json"].write_text(json.dumps(DOC), encoding="utf-8")
    paths["list"].write_text(json.dumps([DOC, {**DOC, "id": "doc-2"}]), encoding="utf-8")
    paths["jsonl"].write_text(
        "\n".join(json.dumps({**DOC, "id": f"line-{i}"}) for i in range(3)) + "\n",
        encoding="utf-8",
    )
    return paths


# --- score ------------------------------------------------------------------------------


def test_score_text_file_json(run: Any, files: dict[str, Path]) -> None:
    result = run("score", str(files["text"]))
    assert result.status == 0
    assert result.err == ""
    report = result.json()
    assert {"id", "score", "interval", "claims", "references", "warnings"} <= set(report)
    assert [c["references"] for c in report["claims"]] == [[1], [1, 2], []]
    assert [r["source"] for r in report["references"]] == ["apnews.com", "reuters.com"]
    assert report["id"] == str(files["text"])


def test_score_json_file(run: Any, files: dict[str, Path]) -> None:
    result = run("score", str(files["json"]))
    assert result.status == 0
    report = result.json()
    assert report["id"] == "doc-1"
    assert len(report["claims"]) == 2
    assert report["claims"][1]["score"] > report["claims"][0]["score"]


def test_score_json_list(run: Any, files: dict[str, Path]) -> None:
    result = run("score", str(files["list"]))
    assert result.status == 0
    assert [r["id"] for r in result.json()] == ["doc-1", "doc-2"]


def test_score_jsonl_file(run: Any, files: dict[str, Path]) -> None:
    result = run("score", str(files["jsonl"]), "--format", "jsonl")
    assert result.status == 0
    assert result.err == ""
    assert [r["id"] for r in result.jsonl()] == ["line-0", "line-1", "line-2"]
    assert len(result.out.splitlines()) == 3


def test_score_stdin_text(run: Any) -> None:
    result = run("score", "-", "--format", "jsonl", stdin=ARTICLE.encode())
    assert result.status == 0, result.err
    (report,) = result.jsonl()
    assert len(report["claims"]) == 3


def test_score_stdin_json(run: Any) -> None:
    result = run("score", "-", "--input-format", "json", stdin=json.dumps(DOC).encode())
    assert result.status == 0, result.err
    assert result.json()["id"] == "doc-1"


@pytest.mark.parametrize("fmt", ["json", "jsonl", "table"])
def test_score_formats(run: Any, files: dict[str, Path], fmt: str) -> None:
    result = run("score", str(files["text"]), "--format", fmt)
    assert result.status == 0
    if fmt == "json":
        assert isinstance(result.json(), dict)
    elif fmt == "jsonl":
        lines = result.out.strip().splitlines()
        assert len(lines) == 1
        assert json.loads(lines[0])["claims"]
    else:
        assert "apnews.com" in result.out
        assert "References" in result.out
        assert "Officials confirmed the bridge" in result.out
        with pytest.raises(json.JSONDecodeError):
            json.loads(result.out)


def test_score_several_inputs(run: Any, files: dict[str, Path]) -> None:
    result = run("score", str(files["text"]), str(files["json"]))
    assert result.status == 0
    assert len(result.json()) == 2


def test_score_with_priors_file(run: Any, files: dict[str, Path], tmp_path: Path) -> None:
    priors = tmp_path / "mine.csv"
    priors.write_text("domain,score,strength\napnews.com,0.07,50\n", encoding="utf-8")
    default = run("score", str(files["json"])).json()
    custom = run("score", str(files["json"]), "--priors", str(priors)).json()
    assert custom["references"][0]["prior"] == 0.07
    assert custom["references"][1]["prior"] == default["references"][1]["prior"]
    assert custom["claims"][0]["score"] < default["claims"][0]["score"]


def test_score_with_bad_priors_file(run: Any, files: dict[str, Path], tmp_path: Path) -> None:
    priors = tmp_path / "bad.csv"
    priors.write_text("apnews.com,1.7\n", encoding="utf-8")
    result = run("score", str(files["json"]), "--priors", str(priors))
    assert_one_error_line(result, 1)
    assert "bad.csv" in result.err
    missing = run("score", str(files["json"]), "--priors", str(tmp_path / "nope.csv"))
    assert_one_error_line(missing, 1)


def test_score_self_citation_via_url(run: Any, files: dict[str, Path]) -> None:
    result = run("score", str(files["text"]), "--url", "https://apnews.com/this-article")
    assert result.status == 0
    claims = result.json()["claims"]
    assert claims[0]["score"] == 0.0
    assert claims[1]["score"] > 0.0


# --- score: bad input --------------------------------------------------------------------


def test_missing_file(run: Any, tmp_path: Path) -> None:
    result = run("score", str(tmp_path / "nope.txt"))
    assert_one_error_line(result, 1)
    assert "nope.txt" in result.err


def test_missing_file_does_not_stop_the_others(run: Any, files: dict[str, Path]) -> None:
    result = run("score", str(files["json"]), "does-not-exist.json", "--format", "jsonl")
    assert_one_error_line(result, 1)
    assert [r["id"] for r in result.jsonl()] == ["doc-1"]


def test_invalid_json(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"claims": [', encoding="utf-8")
    result = run("score", str(path))
    assert_one_error_line(result, 1)
    assert "JSON" in result.err


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({"claims": "nope"}, "claims"),
        ({"claims": [{"text": 5}]}, "claims[0].text"),
        ({"claims": [], "references": [{"id": 1, "url": 7}]}, "references[0].url"),
        ([1, 2], "document"),
        ("just a string", "document"),
    ],
)
def test_wrong_types_in_json(run: Any, tmp_path: Path, document: Any, field: str) -> None:
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = run("score", str(path))
    assert_one_error_line(result, 1)
    assert field in result.err


def test_json_type_error_names_the_file(run: Any, files: dict[str, Path], tmp_path: Path) -> None:
    # Like every other input error (missing, invalid JSON, binary, JSONL lines), it
    # names the file: several may be scored in one run.
    path = tmp_path / "wrong-types.json"
    path.write_text(json.dumps({"claims": [{"text": 5}]}), encoding="utf-8")
    result = run("score", str(files["json"]), str(path))
    assert_one_error_line(result, 1)
    assert "wrong-types.json" in result.err


def test_binary_input(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    result = run("score", str(path))
    assert_one_error_line(result, 1)
    assert "binary" in result.err


def test_binary_stdin(run: Any) -> None:
    result = run("score", "-", stdin=b"abc\x00\x00def")
    assert_one_error_line(result, 1)


def test_non_utf8_input(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\xe9 prices rose [1].\n\n[1] https://apnews.com/x\n".encode("latin-1"))
    result = run("score", str(path))
    assert_one_error_line(result, 1)
    assert "UTF-8" in result.err


def test_directory_input(run: Any, tmp_path: Path) -> None:
    assert_one_error_line(run("score", str(tmp_path)), 1)


def test_jsonl_with_one_bad_line(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps({**DOC, "id": "good-1"}),
        "",
        json.dumps({**DOC, "id": "good-2"}),
        '{"claims": [ this is not json',
        json.dumps({**DOC, "id": "good-3"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("score", str(path), "--format", "jsonl")
    assert_one_error_line(result, 1)
    records = result.jsonl()
    assert len(records) == 4
    assert [r.get("id") for r in records if "claims" in r] == ["good-1", "good-2", "good-3"]
    (bad,) = [r for r in records if "error" in r and "claims" not in r]
    assert bad["line"] == 4
    assert isinstance(bad["error"], str) and bad["error"]
    assert records.index(bad) == 2  # in input order


def test_jsonl_with_wrong_types_on_a_line(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "types.jsonl"
    path.write_text(json.dumps(DOC) + "\n" + json.dumps({"claims": 5}) + "\n", encoding="utf-8")
    result = run("score", str(path), "--format", "jsonl")
    assert_one_error_line(result, 1)
    good, bad = result.jsonl()
    assert good["id"] == "doc-1"
    assert bad["line"] == 2
    assert "claims" in bad["error"]


def test_jsonl_bad_line_in_json_format(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(json.dumps(DOC) + "\n{oops\n", encoding="utf-8")
    result = run("score", str(path))
    assert_one_error_line(result, 1)
    assert "line 2" in result.err


def test_unusable_reference_url_is_not_a_failure(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    document = {
        **DOC,
        "references": [{"id": 1, "url": "javascript:alert(1)"}, DOC["references"][1]],
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    result = run("score", str(path))
    assert result.status == 0
    assert result.err == ""
    report = result.json()
    assert report["references"][0]["error"]
    assert report["references"][1]["error"] is None
    assert report["claims"][1]["score"] > 0


# --- usage errors -------------------------------------------------------------------------


def test_unknown_format(run: Any, files: dict[str, Path]) -> None:
    assert_one_error_line(run("score", str(files["text"]), "--format", "xml"), 2)


def test_unknown_subcommand(run: Any) -> None:
    assert_one_error_line(run("frobnicate"), 2)


def test_no_arguments(run: Any) -> None:
    assert_one_error_line(run(), 2)


def test_score_without_inputs(run: Any) -> None:
    assert_one_error_line(run("score"), 2)


def test_unknown_option(run: Any, files: dict[str, Path]) -> None:
    assert_one_error_line(run("score", str(files["text"]), "--colour"), 2)


def test_invalid_level(run: Any, files: dict[str, Path]) -> None:
    result = run("score", str(files["text"]), "--level", "1.5")
    assert result.status in (1, 2)
    assert len(result.err_lines) == 1
    assert "level" in result.err
    assert "Traceback" not in result.err


def test_version(run: Any) -> None:
    import srcscore

    result = run("--version")
    assert result.status == 0
    assert srcscore.__version__ in result.out


# --- source -------------------------------------------------------------------------------


def test_source_jsonl(run: Any) -> None:
    result = run("source", "https://www.bbc.co.uk/news/x", "x.com/NASA", "--format", "jsonl")
    assert result.status == 0
    assert result.err == ""
    bbc, nasa = result.jsonl()
    assert set(bbc) >= SOURCE_KEYS
    assert (bbc["domain"], bbc["source"], bbc["error"]) == ("bbc.co.uk", "bbc.co.uk", None)
    assert (nasa["domain"], nasa["source"]) == ("twitter.com", "twitter.com/nasa")
    assert nasa["input"] == "x.com/NASA"
    assert nasa["url"] == "https://x.com/NASA"
    assert 0 <= bbc["prior"] <= 1


def test_source_default_format_is_jsonl(run: Any) -> None:
    result = run("source", "apnews.com/x")
    assert result.status == 0
    (record,) = result.jsonl()
    assert record["source"] == "apnews.com"


def test_source_table(run: Any) -> None:
    result = run(
        "source", "https://apnews.com/x", "https://foo.substack.com/p/y", "--format", "table"
    )
    assert result.status == 0
    lines = result.out.splitlines()
    assert len(lines) == 2
    assert "apnews.com" in lines[0]
    assert "foo.substack.com" in lines[1]


def test_source_stdin(run: Any) -> None:
    stdin = b"https://apnews.com/x\n\n  www.reuters.com/y  \n"
    result = run("source", "-", stdin=stdin)
    assert result.status == 0
    assert [r["source"] for r in result.jsonl()] == ["apnews.com", "reuters.com"]


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "http://exa mple.com", ""])
def test_source_unusable_urls(run: Any, bad: str) -> None:
    result = run("source", "https://apnews.com/x", bad, "https://www.reuters.com/y")
    assert_one_error_line(result, 1)
    first, middle, last = result.jsonl()
    assert first["source"] == "apnews.com" and first["error"] is None
    assert last["source"] == "reuters.com" and last["error"] is None
    assert middle["input"] == bad
    assert middle["error"]
    assert middle["source"] is None and middle["prior"] is None
    assert set(middle) >= SOURCE_KEYS


def test_source_unusable_urls_table(run: Any) -> None:
    result = run("source", "javascript:alert(1)", "apnews.com", "--format", "table")
    assert_one_error_line(result, 1)
    lines = result.out.splitlines()
    assert len(lines) == 2
    assert "error" in lines[0]
    assert "apnews.com" in lines[1]


def test_utf16_input_is_named_as_such(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(ARTICLE.encode("utf-16"))  # with its byte order mark
    result = run("score", str(path))
    assert_one_error_line(result, 1)
    assert "UTF-16 text, not UTF-8" in result.err  # was: "binary data, not text"


@pytest.mark.parametrize("command", ["score", "source"])
def test_closed_stdin_is_one_error_line(
    run: Any, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.setattr(sys, "stdin", None)  # what Python gives a process started with <&-
    result = run(command, "-")
    assert_one_error_line(result, 1)
    assert "standard input is closed" in result.err


@pytest.mark.parametrize("where", ["-o", "--sources"])
@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_unwritable_output_is_one_error_line(
    run: Any, files: dict[str, Path], tmp_path: Path, where: str, fmt: str
) -> None:
    extra = ["--corpus"] if where == "--sources" else []
    for target in (tmp_path, tmp_path / "no-such-dir" / "out.json"):  # a directory; no parent
        result = run("score", str(files["text"]), "--format", fmt, *extra, where, str(target))
        assert_one_error_line(result, 1)
        assert str(target) in result.err and "internal error" not in result.err


def test_source_with_priors(run: Any, tmp_path: Path) -> None:
    priors = tmp_path / "p.csv"
    priors.write_text("apnews.com,0.33\n", encoding="utf-8")
    (record,) = run("source", "apnews.com", "--priors", str(priors)).jsonl()
    assert record["prior"] == 0.33


def test_source_unknown_format(run: Any) -> None:
    assert_one_error_line(run("source", "apnews.com", "--format", "json"), 2)


# --- a large article ------------------------------------------------------------------------


def test_one_megabyte_article(run: Any, tmp_path: Path) -> None:
    sentence = (
        "In year {i} the agency reported that output rose by {p}.5% over the prior period [{r}]. "
    )
    parts, n = [], 0
    size = 0
    while size < 1_000_000:
        paragraph = "".join(sentence.format(i=n + k, p=k, r=k % 5 + 1) for k in range(8))
        parts.append(paragraph.strip() + "\n\n")
        size += len(parts[-1])
        n += 8
    refs = "References\n" + "".join(f"[{k}] https://site{k}.example.com/a\n" for k in range(1, 6))
    path = tmp_path / "big.txt"
    path.write_text("".join(parts) + refs, encoding="utf-8")
    assert path.stat().st_size > 1_000_000
    result = run("score", str(path), "--format", "jsonl")
    assert result.status == 0, result.err
    (report,) = result.jsonl()
    assert len(report["claims"]) == n
    assert all(c["references"] for c in report["claims"])
    assert len(report["references"]) == 5


# --- as a subprocess ------------------------------------------------------------------------


def python_m(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "srcscore", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_subprocess_score(files: dict[str, Path]) -> None:
    proc = python_m("score", str(files["jsonl"]), "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b""
    lines = proc.stdout.decode().splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["line-0", "line-1", "line-2"]


def test_subprocess_score_stdin_table() -> None:
    proc = python_m("score", "-", "--format", "table", stdin=ARTICLE.encode())
    assert proc.returncode == 0, proc.stderr
    assert b"apnews.com" in proc.stdout


def test_subprocess_source_with_bad_url() -> None:
    proc = python_m("source", "javascript:alert(1)", "https://apnews.com/x")
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert len(err.splitlines()) == 1
    assert "Traceback" not in err
    records = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [r["source"] for r in records] == [None, "apnews.com"]


@pytest.mark.parametrize(("args", "status"), [((), 2), (("score", "/no/such/file.txt"), 1)])
def test_subprocess_errors(args: tuple[str, ...], status: int) -> None:
    proc = python_m(*args)
    assert proc.returncode == status
    err = proc.stderr.decode()
    assert len(err.splitlines()) == 1
    assert "Traceback" not in err


# ------------------------------------------------- untrusted text on a terminal

ESC = "\x1b"


def test_control_characters_in_an_error_stay_on_one_escaped_line(run: Any) -> None:
    r = run("priors", "show", f"bad{ESC}[2J\nnext")
    assert r.status == 1
    assert len(r.err_lines) == 1
    assert ESC not in r.err
    assert "\\x1b[2J\\x0anext" in r.err


def test_the_table_report_escapes_control_characters(run: Any, tmp_path: Path) -> None:
    doc = {
        "id": f"doc{ESC}]0;title{chr(7)}",
        "text": f"The plant opened{ESC}[2J in May [1].\n\nReferences\n1. https://www.reuters.com/a",
    }
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    r = run("score", str(path), "--format", "table")
    assert r.status == 0, r.err
    assert ESC not in r.out and chr(7) not in r.out
    assert "opened\\x1b[2J in May" in r.out
    assert "doc\\x1b]0;title\\x07" in r.out


def test_source_table_escapes_the_input_it_cannot_use(run: Any) -> None:
    r = run("source", "--format", "table", f"http://[::1{ESC}[31m")
    assert r.status == 1
    assert ESC not in r.out + r.err
    assert "\\x1b[31m" in r.out


def test_evaluate_without_labelled_claims_is_an_error(run: Any, tmp_path: Path) -> None:
    empty = tmp_path / "labels.jsonl"
    empty.write_text("", encoding="utf-8")
    r = run("evaluate", str(empty))
    assert r.status == 1
    assert r.err_lines == [
        "srcscore: error: no labelled claims to evaluate (no claim has a 'label' label)"
    ]
