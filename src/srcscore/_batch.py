"""Score JSON Lines corpora in bounded memory, on local cores or on a Dask cluster.

Lines are read and scored window by window: at most ``window`` documents are
in flight at a time, whatever the corpus size, and results come out in input
order. Every engine runs the same per-line function, so their output is
identical.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from ._exceptions import InputError
from ._io import parse_json
from ._model import Model
from ._options import ScoringOptions
from ._priors import Priors

__all__ = ["ENGINES", "score_lines"]

ENGINES = ("local", "dask")

# Per-process scoring context, set once per worker (not pickled per task).
_CONTEXT: dict[str, Any] = {}


def _init(priors: Priors | None, options: ScoringOptions, model: Model | None) -> None:
    _CONTEXT.update(priors=priors, options=options, model=model)


def _score_line(item: tuple[int, str]) -> dict[str, Any]:
    from ._score import score_document

    number, line = item
    try:
        doc = parse_json(line)
        report = score_document(
            doc, priors=_CONTEXT["priors"], options=_CONTEXT["options"], model=_CONTEXT["model"]
        )
    except InputError as exc:
        return {"line": number, "error": str(exc)}
    return report.to_dict()


def _score_line_with(
    item: tuple[int, str], priors: Priors | None, options: ScoringOptions, model: Model | None
) -> dict[str, Any]:
    _init(priors, options, model)  # the same objects each call: Dask resolves them in place
    return _score_line(item)


def _windows(items: Iterable[tuple[int, str]], size: int) -> Iterator[list[tuple[int, str]]]:
    window: list[tuple[int, str]] = []
    for item in items:
        window.append(item)
        if len(window) >= size:
            yield window
            window = []
    if window:
        yield window


def score_lines(
    lines: Iterable[tuple[int, str]],
    *,
    priors: Priors | None = None,
    options: ScoringOptions | None = None,
    model: Model | None = None,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    window: int | None = None,
    progress: bool | None = None,
) -> Iterator[dict[str, Any]]:
    """Score ``(line number, JSON text)`` items; yield a report or error record per line.

    ``workers`` > 1 scores on that many local processes; ``engine="dask"``
    scores on a Dask cluster (``scheduler`` is its address; without one, a
    local cluster of ``workers`` processes is started and stopped), never
    more processes than this process may use cores. A bad line becomes
    ``{"line": N, "error": "..."}`` and the others go on.
    """
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r} (one of {', '.join(ENGINES)})")
    if workers < 1:
        raise InputError(f"workers must be at least 1, got {workers}")
    if scheduler is None or engine == "local":  # processes started here: one per core at most
        workers = min(workers, _cores())
    opts = options or ScoringOptions()
    size = window or max(64, 64 * workers)
    show = sys.stderr.isatty() if progress is None else progress
    done = 0
    for batch in _run(lines, priors, opts, model, workers, engine, scheduler, size):
        for record in batch:
            done += 1
            yield record
        if show:
            sys.stderr.write(f"\rsrcscore: {done} documents scored")
            sys.stderr.flush()
    if show and done:
        sys.stderr.write("\n")


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _run(
    lines: Iterable[tuple[int, str]],
    priors: Priors | None,
    opts: ScoringOptions,
    model: Model | None,
    workers: int,
    engine: str,
    scheduler: str | None,
    size: int,
) -> Iterator[list[dict[str, Any]]]:
    if engine == "dask":
        yield from _run_dask(lines, priors, opts, model, workers, scheduler, size)
    elif workers == 1:
        _init(priors, opts, model)
        for window in _windows(lines, size):
            yield [_score_line(item) for item in window]
    else:
        import multiprocessing

        # fork would copy the parent's state; spawn keeps workers clean and portable.
        ctx = multiprocessing.get_context("spawn" if os.name != "posix" else "forkserver")
        with ctx.Pool(workers, initializer=_init, initargs=(priors, opts, model)) as pool:
            for window in _windows(lines, size):
                yield pool.map(_score_line, window, chunksize=max(1, len(window) // (4 * workers)))


def _run_dask(
    lines: Iterable[tuple[int, str]],
    priors: Priors | None,
    opts: ScoringOptions,
    model: Model | None,
    workers: int,
    scheduler: str | None,
    size: int,
) -> Iterator[list[dict[str, Any]]]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError("the dask engine needs Dask: pip install 'srcscore[dask]'") from None
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler, timeout="5s")
        except OSError as exc:
            raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    try:
        context = client.scatter([priors, opts, model], broadcast=True)
        for window in _windows(lines, size):
            futures = client.map(_score_line_with, window, *[[c] * len(window) for c in context],
                                 pure=False)  # fmt: skip
            yield client.gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
