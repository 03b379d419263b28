"""Truth-discovery benchmark: srcscore against the ``truthdiscovery`` PyPI package.

Run from the repository root (after ``pip install -e .``; the peer is optional,
``pip install --no-deps truthdiscovery bidict imageio pillow pycairo`` brings it
in without downgrading numpy)::

    python benchmarks/bench_truth.py            # 1M edges, both libraries, < 3 minutes
    python benchmarks/bench_truth.py --quick    # smoke run, 50k edges, seconds
    python benchmarks/bench_truth.py --large    # also 4M edges (peer: ~2.5 GB, minutes)

Data: a synthetic corpus from a fixed seed. ``edges/20`` sources whose claim
counts follow a Zipf law (exponent 1.1), ``edges/4`` variables with 1 to 5
conflicting values each, at most one value per (source, variable) (the peer
refuses more by default), each source giving the true value with its own
reliability drawn from Beta(4, 2) and a random value otherwise. Sources are
strings (``src123.example``), variables strings, values small integers.

What is timed, per library: building the dataset from the list of triples
(srcscore: :meth:`srcscore._truth.ClaimGraph.from_triples`; peer:
``truthdiscovery.Dataset``), then 20 iterations of Sums on it (srcscore with
``tol=0`` so that it runs all 20; peer with a ``FixedIterator(20)``).

Honesty rules followed here:

* each library runs in its own fresh interpreter, which first generates the
  same triples from the seed (not timed), so neither inherits the other's
  memory or caches;
* each measurement is repeated and reported as median [min .. max] of the
  wall time, with the median CPU time of the process beside it (steadier than
  wall time when other work shares the machine);
* peak memory is measured three ways: the peak of the bytes that Python and
  numpy allocate during one more build and run, under ``tracemalloc`` (exact,
  untimed, and the figure the memory ratio uses); the growth of the peak
  resident set size during the timed repeats (``VmHWM``, reset through
  ``/proc/self/clear_refs`` once the input triples exist, minus the resident
  size then: a lower bound, as memory freed earlier in the process is reused);
  and the process's whole peak over the timed repeats (``ru_maxrss``, the
  input included);
* the two libraries' trust vectors are compared on the benchmark data itself
  (largest absolute difference and Spearman correlation);
* the load average is printed because other work on the machine skews timings.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from importlib import metadata
from pathlib import Path
from typing import Any

SEED = 20250611
ITERATIONS = 20


# --------------------------------------------------------------------------- data


def make_triples(n_edges: int, seed: int = SEED) -> list[tuple[str, str, int]]:
    import numpy as np

    rng = np.random.default_rng(seed)
    n_sources, n_vars = max(n_edges // 20, 10), max(n_edges // 4, 10)
    weights = 1.0 / np.arange(1, n_sources + 1) ** 1.1
    # Draw more (source, variable) pairs than needed, keep distinct ones, in random order.
    src = rng.choice(n_sources, size=int(n_edges * 1.2) + 100, p=weights / weights.sum())
    var = rng.integers(0, n_vars, size=len(src))
    pairs = src.astype(np.int64) * n_vars + var
    order = np.argsort(pairs, kind="stable")
    first = order[np.r_[True, pairs[order][1:] != pairs[order][:-1]]]
    rng.shuffle(first)
    first = first[:n_edges]
    if len(first) < n_edges:
        raise SystemExit(f"could only draw {len(first)} distinct pairs")
    src, var = src[first], var[first]
    n_values = rng.integers(1, 6, size=n_vars)
    reliability = rng.beta(4, 2, size=n_sources)
    honest = rng.random(n_edges) < reliability[src]
    val = np.where(honest, 0, (rng.random(n_edges) * n_values[var]).astype(np.int64))
    return list(
        zip(
            [f"src{s}.example" for s in src.tolist()],
            [f"var{v}" for v in var.tolist()],
            val.tolist(),
            strict=True,
        )
    )


# --------------------------------------------------------------------------- child


def _status(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def child(impl: str, n_edges: int, repeats: int, out: Path) -> None:
    import numpy as np

    triples = make_triples(n_edges)
    # Imports are not timed (the peer's import brings numpy and scipy in too).
    import scipy.sparse
    import scipy.special  # noqa: F401

    td: Any = None
    if impl == "srcscore":
        import srcscore._truth  # noqa: F401
    else:
        td = importlib.import_module("truthdiscovery")  # untyped
    gc.collect()
    can_reset = _reset_peak()
    base_rss = _status("VmRSS")
    builds: list[float] = []
    runs: list[float] = []
    cpu_builds: list[float] = []
    cpu_runs: list[float] = []
    trust: dict[Any, float] = {}
    info = ""
    for _ in range(repeats):
        gc.collect()
        if impl == "srcscore":
            from srcscore._truth import ClaimGraph, truth_discovery

            t0, c0 = time.perf_counter(), time.process_time()
            graph = ClaimGraph.from_triples(triples)
            t1, c1 = time.perf_counter(), time.process_time()
            result = truth_discovery(graph, "sums", ITERATIONS, tol=0)
            t2, c2 = time.perf_counter(), time.process_time()
            assert result.iterations == ITERATIONS
            trust = dict(result.trust)
            info = repr(graph)
            del graph, result
        else:
            t0, c0 = time.perf_counter(), time.process_time()
            data = td.Dataset(triples)
            t1, c1 = time.perf_counter(), time.process_time()
            peer = td.Sums(iterator=td.FixedIterator(ITERATIONS)).run(data)
            t2, c2 = time.perf_counter(), time.process_time()
            trust = {k: float(v) for k, v in peer.trust.items()}
            info = f"{data.num_sources} sources, {data.num_claims} claims"
            del data, peer
        builds.append(t1 - t0)
        runs.append(t2 - t1)
        cpu_builds.append(c1 - c0)
        cpu_runs.append(c2 - c1)
    peak = _status("VmHWM")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    # Once more under tracemalloc (untimed: it slows Python code down): the
    # peak of the bytes Python and numpy allocate for the build and the run.
    gc.collect()
    tracemalloc.start()
    if impl == "srcscore":
        from srcscore._truth import ClaimGraph, truth_discovery

        truth_discovery(ClaimGraph.from_triples(triples), "sums", ITERATIONS, tol=0)
    else:
        td.Sums(iterator=td.FixedIterator(ITERATIONS)).run(td.Dataset(triples))
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    extra = {}
    if impl == "srcscore":
        # The other algorithms, once each, 20 iterations (srcscore only).
        from srcscore._truth import ClaimGraph, truth_discovery

        graph = ClaimGraph.from_triples(triples)
        for algorithm in ("average_log", "investment", "truthfinder", "prior_sums"):
            t0 = time.perf_counter()
            truth_discovery(
                graph,
                algorithm,
                ITERATIONS,
                tol=0,
                priors={} if algorithm == "prior_sums" else None,
            )
            extra[algorithm] = time.perf_counter() - t0
    ids = np.array([int(k[3:-8]) for k in trust])
    values = np.full(int(ids.max()) + 1, np.nan)
    values[ids] = list(trust.values())
    np.save(out.with_suffix(".npy"), values)
    out.write_text(
        json.dumps(
            {
                "build": builds,
                "run": runs,
                "cpu_build": cpu_builds,
                "cpu_run": cpu_runs,
                "peak_delta": (peak - base_rss) if can_reset and peak and base_rss else None,
                "traced": traced,
                "maxrss": maxrss,
                "info": info,
                "extra": extra,
            }
        )
    )


# --------------------------------------------------------------------------- parent


def _summary(xs: list[float]) -> str:
    return f"{statistics.median(xs):7.3f} s [{min(xs):.3f} .. {max(xs):.3f}]"


def _cpu(xs: list[float]) -> str:
    return f"{statistics.median(xs):7.3f} s"


def _mb(n: float | None) -> str:
    return "n/a" if n is None else f"{n / 1e6:,.0f} MB"


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _measure(impl: str, n_edges: int, repeats: int, tmp: Path) -> dict[str, Any] | None:
    out = tmp / f"{impl}-{n_edges}.json"
    cmd = [sys.executable, __file__, "--child", impl, str(n_edges), str(repeats), str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"  {impl}: failed\n{proc.stderr.strip()[-2000:]}")
        return None
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def _compare(tmp: Path, n_edges: int) -> str:
    import numpy as np
    from scipy.stats import spearmanr

    a = np.load(tmp / f"srcscore-{n_edges}.npy")
    b = np.load(tmp / f"truthdiscovery-{n_edges}.npy")
    both = ~np.isnan(a) & ~np.isnan(b)
    rho = spearmanr(a[both], b[both]).statistic
    return f"max |trust diff| {np.abs(a[both] - b[both]).max():.1e}, Spearman {rho:.6f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="smoke run: 50k edges, 2 repeats")
    parser.add_argument("--large", action="store_true", help="also run 4M edges")
    parser.add_argument("--repeats", type=int, default=None, help="repeats per measurement")
    parser.add_argument("--edges", type=int, nargs="+", default=None, help="graph sizes")
    parser.add_argument("--no-peer", action="store_true", help="skip truthdiscovery")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        impl, n, reps, out = args.child
        child(impl, int(n), int(reps), Path(out))
        return 0

    sizes = args.edges or ([50_000] if args.quick else [1_000_000])
    if args.large and not args.edges:
        sizes.append(4_000_000)
    repeats = args.repeats or (2 if args.quick else 3)
    peer = not args.no_peer and _version("truthdiscovery") != "not installed"
    print(
        f"python {platform.python_version()}, numpy {_version('numpy')}, "
        f"scipy {_version('scipy')}, srcscore {_version('srcscore')}, "
        f"truthdiscovery {_version('truthdiscovery')}; {os.cpu_count()} CPUs, "
        f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(
        f"{ITERATIONS} Sums iterations, {repeats} repeats: wall time median [min .. max], "
        "CPU time median\n"
    )
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        for n_edges in sizes:
            print(f"== {n_edges:,} source-claim edges")
            rows = {}
            for impl in ["srcscore", *(["truthdiscovery"] if peer else [])]:
                rows[impl] = got = _measure(impl, n_edges, repeats, tmp)
                if got is None:
                    continue
                total = [b + r for b, r in zip(got["build"], got["run"], strict=True)]
                print(f"  {impl:15s} ({got['info']})")
                cpu = [b + r for b, r in zip(got["cpu_build"], got["cpu_run"], strict=True)]
                print(f"    build          {_summary(got['build'])}  CPU {_cpu(got['cpu_build'])}")
                print(f"    20 x Sums      {_summary(got['run'])}  CPU {_cpu(got['cpu_run'])}")
                print(f"    total          {_summary(total)}  CPU {_cpu(cpu)}")
                print(
                    f"    peak memory    {_mb(got['traced'])} traced, "
                    f"RSS {_mb(got['peak_delta'])} above the input's, "
                    f"process peak {_mb(got['maxrss'])}"
                )
                for algorithm, seconds in got["extra"].items():
                    print(f"    20 x {algorithm:13s} {seconds:.3f} s (once)")
            mine, theirs = rows.get("srcscore"), rows.get("truthdiscovery")
            if mine and theirs:

                def ratio(key: str, a: dict[str, Any] = mine, b: dict[str, Any] = theirs) -> float:
                    return float(statistics.median(b[key]) / statistics.median(a[key]))

                tot = (statistics.median(theirs["build"]) + statistics.median(theirs["run"])) / (
                    statistics.median(mine["build"]) + statistics.median(mine["run"])
                )
                mem = f"{theirs['traced'] / mine['traced']:.1f}x less (traced)"
                print(
                    f"  srcscore speed-up (wall): build {ratio('build'):.1f}x, "
                    f"20 x Sums {ratio('run'):.1f}x, total {tot:.1f}x; memory {mem}"
                )
                print(
                    f"  srcscore speed-up (CPU):  build {ratio('cpu_build'):.1f}x, "
                    f"20 x Sums {ratio('cpu_run'):.1f}x"
                )
                print(f"  agreement: {_compare(tmp, n_edges)}")
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
