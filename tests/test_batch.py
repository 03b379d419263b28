"""Streaming batches: identical results sequentially, on local processes and on Dask."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from srcscore._batch import score_lines
from srcscore._cli import main


def corpus(n: int = 40) -> list[str]:
    lines = [
        json.dumps(
            {
                "id": i,
                "text": f"Claim {i} holds [1]. Another one [2].\n\nReferences:\n"
                f"[1] https://apnews.com/a{i}\n[2] https://site{i % 7}.example/x",
            }
        )
        for i in range(n)
    ]
    lines.insert(3, "{not json")
    lines.insert(7, json.dumps({"references": "wrong type", "claims": []}))
    return lines


def numbered(lines: list[str]) -> list[tuple[int, str]]:
    return list(enumerate(lines, start=1))


def test_sequential_results_keep_order_and_report_bad_lines() -> None:
    out = list(score_lines(numbered(corpus()), window=8, progress=False))
    assert len(out) == 42
    assert out[3] == {"line": 4, "error": out[3]["error"]} and "invalid JSON" in out[3]["error"]
    assert out[7]["line"] == 8 and "references" in out[7]["error"]
    assert [r["id"] for r in out if "id" in r] == list(range(40))


@pytest.mark.enable_socket
def test_local_processes_give_identical_results() -> None:
    items = numbered(corpus())
    one = list(score_lines(items, progress=False))
    two = list(score_lines(items, workers=2, window=16, progress=False))
    assert one == two


def test_local_pool_never_starts_more_processes_than_cores(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import multiprocessing

    from srcscore import _batch

    started: list[int] = []

    class InlinePool:  # records the pool size, scores in this process
        def __init__(self, processes: int, initializer: Any, initargs: Any) -> None:
            started.append(processes)
            initializer(*initargs)

        def __enter__(self) -> InlinePool:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def map(self, func: Any, items: Any, chunksize: int = 1) -> list[Any]:
            return [func(item) for item in items]

    class Context:
        Pool = InlinePool

    monkeypatch.setattr(multiprocessing, "get_context", lambda method: Context())
    monkeypatch.setattr(_batch, "_cores", lambda: 2)
    items = numbered(corpus(5))
    out = list(score_lines(items, workers=99_999, progress=False))  # was: 99,999 processes
    assert started == [2]
    assert out == list(score_lines(items, progress=False))


@pytest.mark.enable_socket
def test_dask_local_cluster_gives_identical_results() -> None:
    pytest.importorskip("distributed")
    items = numbered(corpus(20))
    one = list(score_lines(items, progress=False))
    dask = list(score_lines(items, engine="dask", workers=2, window=8, progress=False))
    assert one == dask


def test_cli_workers_need_machine_output(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(corpus(3)) + "\n")
    with pytest.raises(SystemExit) as exit_info:
        main(["score", str(path), "--workers", "2", "--format", "table"])
    assert exit_info.value.code == 2
    assert "--format json or jsonl" in capsys.readouterr().err


@pytest.mark.parametrize("workers", ["0", "-3"])
def test_cli_workers_below_one_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, workers: str
) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(corpus(3)) + "\n")
    with pytest.raises(SystemExit) as exit_info:
        main(["score", str(path), "--workers", workers, "--format", "jsonl"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--workers must be at least 1" in err


@pytest.mark.enable_socket
def test_unreachable_scheduler_is_one_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pytest.importorskip("distributed")
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(corpus(2)) + "\n")
    status = main(
        [
            "score",
            str(path),
            "--format",
            "jsonl",
            "--engine",
            "dask",
            "--scheduler",
            "tcp://127.0.0.1:9",
        ]
    )
    assert status == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot reach the Dask scheduler" in err
