"""How well each truth-discovery algorithm recovers hidden source reliabilities.

A synthetic corpus with a known reliability per source (drawn from Beta(4, 2)):
every source states values for some variables, the true value with its
reliability and a wrong one otherwise. Each algorithm's learned trust is
compared with the hidden reliabilities (Spearman rank correlation, and the
mean absolute error where trust is on the reliability scale). ``prior_sums``
is run twice: seeded with noisy priors (the hidden reliability plus noise,
strength 5), and with uninformative priors (0.5 for everyone), to show what
the priors add. Usage: ``python benchmarks/eval_truth_recovery.py [--quick]``.
"""

from __future__ import annotations

import argparse
import random
import time

from scipy.stats import spearmanr

import srcscore


def corpus(
    n_sources: int, n_vars: int, per_source: int, seed: int
) -> tuple[list[tuple[str, str, int]], dict[str, float]]:
    """Triples and the hidden reliability of each source."""
    rng = random.Random(seed)
    reliability = {f"s{i}": rng.betavariate(4, 2) for i in range(n_sources)}
    triples = []
    for source, r in reliability.items():
        # Zipf-ish activity: a few sources speak a lot, most a little.
        k = max(2, int(per_source * rng.paretovariate(1.5) / 3))
        for var in rng.sample(range(n_vars), min(k, n_vars)):
            value = 0 if rng.random() < r else rng.randint(1, 4)
            triples.append((source, f"v{var}", value))
    return triples, reliability


def _mae(a: list[float], b: list[float]) -> float:
    return sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)


def main() -> None:
    """Print the recovery table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    sizes = [(200, 400, 20)] if args.quick else [(200, 400, 20), (2000, 5000, 30)]
    for n_sources, n_vars, per_source in sizes:
        triples, hidden = corpus(n_sources, n_vars, per_source, seed=7)
        rng = random.Random(11)
        noisy = {
            s: srcscore.Prior(min(0.98, max(0.02, r + rng.gauss(0, 0.15))), 5.0)
            for s, r in hidden.items()
        }
        flat = {s: srcscore.Prior(0.5, 5.0) for s in hidden}
        print(f"\n{n_sources} sources, {n_vars} variables, {len(triples)} triples")
        print(f"{'algorithm':28} {'Spearman':>9} {'MAE':>7} {'time':>8}")
        runs = [
            ("sums", None),
            ("average_log", None),
            ("investment", None),
            ("truthfinder", None),
            ("prior_sums (flat priors)", flat),
            ("prior_sums (noisy priors)", noisy),
        ]
        sources = sorted(hidden)
        truth = [hidden[s] for s in sources]
        prior_only = [noisy[s].mean for s in sources]
        rho_prior = spearmanr(truth, prior_only).statistic
        print(f"{'noisy priors alone':28} {rho_prior:9.3f} {_mae(truth, prior_only):7.3f}")
        for name, priors in runs:
            algorithm = name.split()[0]
            start = time.perf_counter()
            result = srcscore.truth_discovery(triples, algorithm, 20, priors)
            took = time.perf_counter() - start
            learned = [result.trust.get(s, 0.0) for s in sources]
            rho = spearmanr(truth, learned).statistic
            on_scale = algorithm in ("prior_sums", "truthfinder")
            mae = f"{_mae(truth, learned):7.3f}" if on_scale else "      -"
            print(f"{name:28} {rho:9.3f} {mae} {took:7.2f}s")


if __name__ == "__main__":
    main()
