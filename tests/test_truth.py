"""Truth discovery: hand-computed examples, the peer package, properties, API."""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from srcscore import InputError, Prior, Priors
from srcscore._truth import ALGORITHMS, ClaimGraph, TruthResult, truth_discovery

Triple = tuple[Hashable, Hashable, Hashable]

# s1 agrees with s2 on x and with s3 on y; s2 and s3 disagree with each other.
THREE_BY_TWO: list[Triple] = [
    ("s1", "x", 1),
    ("s2", "x", 1),
    ("s3", "x", 2),
    ("s1", "y", "a"),
    ("s2", "y", "b"),
    ("s3", "y", "a"),
]


def approx_map(mapping: Mapping[Any, float], rel: float = 1e-9) -> Any:
    return pytest.approx(dict(mapping), rel=rel, abs=1e-12)


def assert_same_order(ours: Mapping[Any, float], theirs: Mapping[Any, float]) -> None:
    """Identical ordering of the keys, up to ties (values within 1e-9 are tied)."""
    import numpy as np

    mine = dict(ours)
    assert set(mine) == set(theirs)
    a = np.array(list(mine.values()))
    b = np.array([float(theirs[k]) for k in mine])

    def signs(x: Any) -> Any:
        diff = x[:, None] - x[None, :]
        return np.where(np.abs(diff) <= 1e-9, 0, np.sign(diff))

    assert (signs(a) == signs(b)).all()


# --------------------------------------------------------------------------- by hand


def test_sums_by_hand() -> None:
    # Beliefs start at 0.5. Iteration 1: every source has two claims, so all
    # trusts are equal (1 after normalisation); claim beliefs are the number
    # of sources behind them, over the largest: (x,1) 2, (x,2) 1, (y,a) 2, (y,b) 1.
    one = truth_discovery(THREE_BY_TWO, "sums", iterations=1, tol=0)
    assert one.iterations == 1
    assert dict(one.trust) == {"s1": 1.0, "s2": 1.0, "s3": 1.0}
    assert dict(one.belief) == {("x", 1): 1.0, ("x", 2): 0.5, ("y", "a"): 1.0, ("y", "b"): 0.5}
    # Iteration 2: t = (1 + 1, 1 + 0.5, 0.5 + 1) / 2; b = (1.75, 0.75, 1.75, 0.75) / 1.75.
    two = truth_discovery(THREE_BY_TWO, "sums", iterations=2, tol=0)
    assert two.trust == approx_map({"s1": 1.0, "s2": 0.75, "s3": 0.75})
    assert two.belief == approx_map(
        {("x", 1): 1.0, ("x", 2): 3 / 7, ("y", "a"): 1.0, ("y", "b"): 3 / 7}
    )
    # Iteration 3: t = (2, 1 + 3/7, 3/7 + 1) / 2.
    three = truth_discovery(THREE_BY_TWO, "sums", iterations=3, tol=0)
    assert three.trust == approx_map({"s1": 1.0, "s2": 5 / 7, "s3": 5 / 7})
    assert three.ranking() == ["s1", "s2", "s3"]
    assert three.truths() == {"x": 1, "y": "a"}


def test_average_log_by_hand() -> None:
    # s1 makes 3 claims, s2 one, s3 two: weights log(n)/n = ln3/3, 0, ln2/2.
    triples = [
        ("s1", "x", 1),
        ("s2", "x", 1),
        ("s3", "x", 2),
        ("s1", "y", "a"),
        ("s3", "y", "a"),
        ("s1", "z", "p"),
    ]
    result = truth_discovery(triples, "average_log", iterations=1, tol=0)
    # Sums of beliefs 0.5: 1.5, 0.5, 1.0 -> trust ln3/2, 0, ln2/2 -> / (ln3/2).
    ln2, ln3 = math.log(2), math.log(3)
    assert result.trust == approx_map({"s1": 1.0, "s2": 0.0, "s3": ln2 / ln3})
    # Beliefs: (x,1) = t1 + t2, (x,2) = t3, (y,a) = t1 + t3, (z,p) = t1, over (y,a).
    total = ln3 + ln2
    assert result.belief == approx_map(
        {("x", 1): ln3 / total, ("x", 2): ln2 / total, ("y", "a"): 1.0, ("z", "p"): ln3 / total}
    )


def test_average_log_single_claim_sources_all_zero() -> None:
    # log(1) = 0: nobody has trust, and nothing divides by zero.
    result = truth_discovery([("a", "x", 1), ("b", "y", 2)], "average_log")
    assert dict(result.trust) == {"a": 0.0, "b": 0.0}
    assert result.converged


def test_truthfinder_by_hand() -> None:
    gamma, rho, imp = 0.3, 0.5, -0.5
    tau = -math.log(1 - 0.9)  # every source starts at trust 0.9
    # sigma: (x,1) 2 tau, (x,2) tau, (y,a) 2 tau, (y,b) tau; each claim's
    # adjusted confidence adds rho * imp * the other value's sigma.
    strong = 2 * tau + rho * imp * tau
    weak = tau + rho * imp * 2 * tau

    def sig(x: float) -> float:
        return 1 / (1 + math.exp(-gamma * x))

    result = truth_discovery(THREE_BY_TWO, "truthfinder", iterations=1, tol=0)
    assert result.belief == approx_map(
        {("x", 1): sig(strong), ("x", 2): sig(weak), ("y", "a"): sig(strong), ("y", "b"): sig(weak)}
    )
    assert result.trust == approx_map(
        {
            "s1": sig(strong),
            "s2": (sig(strong) + sig(weak)) / 2,
            "s3": (sig(weak) + sig(strong)) / 2,
        }
    )


def test_investment_by_hand() -> None:
    # Initial trust 1, beliefs = vote shares: (x,1) 2/3, (x,2) 1/3, (y,a) 2/3, (y,b) 1/3.
    # Each source invests 1/2 per claim; claim investments (x,1) 1, (x,2) 1/2,
    # (y,a) 1, (y,b) 1/2. Returns: t_s = sum_c b_c * (1/2) / I_c.
    g = 1.2
    t1 = (2 / 3) * 0.5 / 1 + (2 / 3) * 0.5 / 1
    t2 = (2 / 3) * 0.5 / 1 + (1 / 3) * 0.5 / 0.5
    t3 = (1 / 3) * 0.5 / 0.5 + (2 / 3) * 0.5 / 1
    b = {
        ("x", 1): ((t1 + t2) / 2) ** g,
        ("x", 2): (t3 / 2) ** g,
        ("y", "a"): ((t1 + t3) / 2) ** g,
        ("y", "b"): (t2 / 2) ** g,
    }
    top_t, top_b = max(t1, t2, t3), max(b.values())
    result = truth_discovery(THREE_BY_TWO, "investment", iterations=1, tol=0)
    assert result.trust == approx_map({"s1": t1 / top_t, "s2": t2 / top_t, "s3": t3 / top_t})
    assert result.belief == approx_map({k: v / top_b for k, v in b.items()})


def test_prior_sums_by_hand() -> None:
    triples = [("a", "x", 1), ("b", "x", 1), ("c", "x", 2), ("d", "y", 0)]
    priors: dict[str, Prior | float] = {
        "a": Prior(0.9, 10.0),
        "b": 0.5,
    }  # b: strength 10; c, d: neutral (0.5, 2)
    result = truth_discovery(triples, "prior_sums", iterations=1, tol=0, priors=priors)
    # t0 = (0.9, 0.5, 0.5, 0.5). W(x,1) = 1.4, W(x,2) = 0.5, W_x = 1.9.
    # a: peers 1.9 - 0.9 = 1.0 of which 1.4 - 0.9 = 0.5 agree -> (9 + 0.5) / 11.
    # b: peers 1.4, agreeing 0.9 -> (5 + 0.9 / 1.4) / 11.
    # c: peers 1.4, agreeing 0 -> (1 + 0) / 3.
    # d: nobody else speaks to y: no evidence, stays at its prior.
    expected = {"a": 9.5 / 11, "b": (5 + 0.9 / 1.4) / 11, "c": 1 / 3, "d": 0.5}
    assert result.trust == approx_map(expected)
    assert result.strength is not None
    assert dict(result.strength) == {"a": 11.0, "b": 11.0, "c": 3.0, "d": 2.0}
    w1, w2 = expected["a"] + expected["b"], expected["c"]
    assert result.belief == approx_map(
        {("x", 1): w1 / (w1 + w2), ("x", 2): w2 / (w1 + w2), ("y", 0): 1.0}
    )


def test_prior_sums_strong_prior_barely_moves() -> None:
    triples = [("a", "x", 1), ("b", "x", 2), ("c", "x", 2), ("a", "y", 1), ("b", "y", 2)]
    sure = truth_discovery(triples, "prior_sums", priors={"a": Prior(0.9, 1e9)})
    unsure = truth_discovery(triples, "prior_sums", priors={"a": Prior(0.9, 2.0)})
    assert sure.trust["a"] == pytest.approx(0.9, abs=1e-8)
    assert unsure.trust["a"] < 0.5  # a never agrees with anyone
    assert sure.converged and unsure.converged


def test_prior_sums_with_priors_table_and_key() -> None:
    table = Priors.from_rows(
        [
            {"domain": "alpha-wire.com", "score": "0.9", "strength": "10"},
            {"domain": "beta-daily.com", "score": "0.6", "strength": "10"},
        ],
        name="test",
    )
    triples = [
        ("alpha-wire.com", "x", 1),
        ("beta-daily.com", "x", 1),
        ("not a url !", "x", 2),
    ]
    result = truth_discovery(triples, "prior_sums", iterations=0, priors=table)
    assert dict(result.trust) == {"alpha-wire.com": 0.9, "beta-daily.com": 0.6, "not a url !": 0.5}
    assert result.strength is not None
    assert dict(result.strength) == {"alpha-wire.com": 10, "beta-daily.com": 10, "not a url !": 2}
    urls = {"A": "https://alpha-wire.com/x", "B": "https://www.beta-daily.com/y"}
    keyed = truth_discovery(
        [("A", "x", 1), ("B", "x", 1)], "prior_sums", 0, priors=table, key=urls.__getitem__
    )
    assert dict(keyed.trust) == {"A": 0.9, "B": 0.6}


def test_prior_sums_default_table() -> None:
    triples = [("reuters.com", "x", 1), ("unknown-blog-xyz.com", "x", 1)]
    result = truth_discovery(triples, "prior_sums", iterations=0)
    assert result.trust["reuters.com"] == srcscore_prior("reuters.com").mean
    fallback = srcscore_prior("unknown-blog-xyz.com")
    assert result.trust["unknown-blog-xyz.com"] == fallback.mean
    assert result.strength is not None
    assert result.strength["unknown-blog-xyz.com"] == fallback.strength


def srcscore_prior(url: str) -> Prior:
    import srcscore

    return srcscore.source_of(url).prior()


def test_priors_seed_truthfinder_and_investment() -> None:
    seeded = truth_discovery(THREE_BY_TWO, "truthfinder", 0, priors={"s1": 0.7})
    assert dict(seeded.trust) == {"s1": 0.7, "s2": 0.5, "s3": 0.5}
    plain = truth_discovery(THREE_BY_TWO, "truthfinder", 0)
    assert dict(plain.trust) == {"s1": 0.9, "s2": 0.9, "s3": 0.9}
    neutral = truth_discovery(THREE_BY_TWO, "truthfinder", 0, priors={})
    assert dict(neutral.trust) == {"s1": 0.5, "s2": 0.5, "s3": 0.5}
    inv = truth_discovery(THREE_BY_TWO, "investment", 0, priors={"s1": 0.7})
    assert dict(inv.trust) == {"s1": 0.7, "s2": 0.5, "s3": 0.5}


# --------------------------------------------------------------------------- the peer


def random_triples(seed: int, n_sources: int, n_variables: int) -> list[Triple]:
    """At most one value per (source, variable); 1-5 values per variable."""
    rng = random.Random(seed)
    out: list[Triple] = []
    for v in range(n_variables):
        k = rng.randint(1, 5)
        truth = rng.randrange(k)
        for s in rng.sample(range(n_sources), rng.randint(1, min(8, n_sources))):
            honest = rng.random() < 0.3 + 0.6 * (s % 5) / 4
            out.append((f"s{s}", f"v{v}", truth if honest else rng.randrange(k)))
    rng.shuffle(out)
    return out


PEER_DATASETS: dict[str, list[Triple]] = {
    "three-by-two": THREE_BY_TWO,
    # The peer package's own test fixture.
    "peer-fixture": [
        ("s1", "x", "one"),
        ("s1", "y", "nine"),
        ("s1", "z", "seven"),
        ("s2", "x", "one"),
        ("s2", "y", "eight"),
        ("s3", "z", "seven"),
    ],
    "random-small": random_triples(1, 12, 30),
    "random-medium": random_triples(2, 40, 150),
    "random-large": random_triples(3, 120, 600),
}


@pytest.fixture(scope="module")
def td() -> Any:
    return pytest.importorskip("truthdiscovery")


def _peer_run(td: Any, name: str, triples: Sequence[Triple], iterations: int, **kw: Any) -> Any:
    implication = kw.pop("implication_function", None)
    data = td.Dataset(triples, implication_function=implication, **kw)
    iterator = td.FixedIterator(iterations)
    algorithm = {
        "sums": td.Sums,
        "average_log": td.AverageLog,
        "investment": td.Investment,
        "truthfinder": td.TruthFinder,
    }[name](iterator=iterator)
    result = algorithm.run(data)
    belief = {(var, val): b for var, values in result.belief.items() for val, b in values.items()}
    return result.trust, belief


def _tf_implication(var: Hashable, a: Hashable, b: Hashable) -> float:
    return -0.5


@pytest.mark.parametrize("dataset", sorted(PEER_DATASETS))
@pytest.mark.parametrize("algorithm", ["sums", "average_log", "investment", "truthfinder"])
@pytest.mark.parametrize("iterations", [1, 5, 20])
def test_matches_peer(td: Any, dataset: str, algorithm: str, iterations: int) -> None:
    triples = PEER_DATASETS[dataset]
    kw = {"implication_function": _tf_implication} if algorithm == "truthfinder" else {}
    peer_trust, peer_belief = _peer_run(td, algorithm, triples, iterations, **kw)
    ours = truth_discovery(triples, algorithm, iterations, tol=0)  # type: ignore[arg-type]
    # Only an exact fixed point stops it early, where more iterations change nothing.
    assert ours.iterations == iterations or (ours.converged and ours.delta == 0.0)
    # Same numbers up to rounding, hence the same order of sources and claims.
    assert ours.trust == approx_map(peer_trust)
    assert ours.belief == approx_map(peer_belief)
    assert_same_order(ours.trust, peer_trust)
    assert_same_order(ours.belief, peer_belief)


@pytest.mark.parametrize("dataset", ["random-medium", "random-large"])
@pytest.mark.parametrize("algorithm", ["sums", "average_log", "investment", "truthfinder"])
def test_ranks_as_peer_with_early_stop(td: Any, dataset: str, algorithm: str) -> None:
    from scipy.stats import spearmanr

    triples = PEER_DATASETS[dataset]
    kw = {"implication_function": _tf_implication} if algorithm == "truthfinder" else {}
    peer_trust, _ = _peer_run(td, algorithm, triples, 20, **kw)
    ours = truth_discovery(triples, algorithm, 20)  # type: ignore[arg-type]
    keys = list(ours.trust)
    rho = spearmanr(
        [round(ours.trust[k], 5) for k in keys], [round(float(peer_trust[k]), 5) for k in keys]
    ).statistic
    assert rho == pytest.approx(1.0)


def test_truthfinder_matches_peer_without_implication(td: Any) -> None:
    triples = PEER_DATASETS["random-medium"]
    peer_trust, peer_belief = _peer_run(td, "truthfinder", triples, 20)
    ours = truth_discovery(triples, "truthfinder", 20, tol=0, implication=0.0)
    assert ours.trust == approx_map(peer_trust)
    assert ours.belief == approx_map(peer_belief)


def test_truthfinder_callable_implication_matches_peer(td: Any) -> None:
    def closeness(var: Hashable, a: Any, b: Any) -> float | None:
        if (a + b) % 3 == 0:
            return None
        return 0.4 if abs(a - b) == 1 else -0.6

    triples = PEER_DATASETS["random-medium"]
    peer_trust, peer_belief = _peer_run(
        td, "truthfinder", triples, 10, implication_function=closeness
    )
    ours = truth_discovery(triples, "truthfinder", 10, tol=0, implication=closeness)
    assert ours.trust == approx_map(peer_trust)
    assert ours.belief == approx_map(peer_belief)


def test_multiple_first_matches_peer_allow_multiple(td: Any) -> None:
    triples = [*PEER_DATASETS["random-small"], ("s1", "v1", 99), ("s2", "v3", 98)]
    triples += [(s, v, "other") for s, v, _ in PEER_DATASETS["random-small"][:10]]
    peer_trust, peer_belief = _peer_run(td, "sums", triples, 20, allow_multiple=True)
    ours = truth_discovery(triples, "sums", 20, tol=0, multiple="first")
    assert ours.trust == approx_map(peer_trust)
    assert ours.belief == approx_map(peer_belief)


# --------------------------------------------------------------------------- properties

labels = st.sampled_from(["a", "b", "c", "d", "e", "f"])
triples_strategy = st.lists(
    st.tuples(labels, st.sampled_from(["x", "y", "z", "w"]), st.integers(0, 3)),
    min_size=1,
    max_size=40,
)
algorithms = st.sampled_from(ALGORITHMS)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(triples=triples_strategy, algorithm=algorithms, iterations=st.integers(0, 25))
def test_scores_in_unit_interval(triples: list[Triple], algorithm: str, iterations: int) -> None:
    result = truth_discovery(triples, algorithm, iterations)  # type: ignore[arg-type]
    assert all(0.0 <= t <= 1.0 for t in result.trust.values())
    assert all(0.0 <= b <= 1.0 for b in result.belief.values())
    assert set(result.trust) == {s for s, _, _ in triples}
    assert set(result.belief) == {(v, x) for _, v, x in triples}
    assert result.iterations <= iterations
    if algorithm in ("sums", "investment") and result.iterations:
        assert max(result.trust.values()) == pytest.approx(1.0)
    if algorithm == "prior_sums":
        shares: dict[Hashable, float] = {}
        for (var, _), b in result.belief.items():
            shares[var] = shares.get(var, 0.0) + b
        assert all(total == pytest.approx(1.0) for total in shares.values())


@SETTINGS
@given(triples=triples_strategy, algorithm=algorithms, data=st.data())
def test_invariant_to_order_and_duplicates(
    triples: list[Triple], algorithm: str, data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(triples))
    extra = data.draw(st.lists(st.sampled_from(triples), max_size=10))
    base = truth_discovery(triples, algorithm, 10, tol=0)  # type: ignore[arg-type]
    other = truth_discovery([*shuffled, *extra], algorithm, 10, tol=0)  # type: ignore[arg-type]
    assert other.trust == approx_map(base.trust, rel=1e-7)
    assert other.belief == approx_map(base.belief, rel=1e-7)


@SETTINGS
@given(
    n_vars=st.integers(2, 5),
    n_crowd=st.integers(2, 4),
    noise=st.lists(
        st.tuples(st.sampled_from(["n1", "n2", "n3"]), st.integers(0, 4), st.integers(1, 3)),
        max_size=12,
    ),
    algorithm=algorithms,
)
def test_majority_agreer_ranks_above_never_agreer(
    n_vars: int, n_crowd: int, noise: list[tuple[str, int, int]], algorithm: str
) -> None:
    # On every variable, "good" and a crowd say value 0 (a strict majority:
    # noise sources give other values to at most a few variables), and "bad"
    # says a value nobody else says.
    triples: list[Triple] = []
    for v in range(n_vars):
        triples.append(("good", v, 0))
        triples.append(("bad", v, "bad-only"))
        triples += [(f"crowd{i}", v, 0) for i in range(n_crowd)]
    noisy = {(s, v % n_vars): val for s, v, val in noise}
    per_var = [sum(1 for (_, v) in noisy if v == var) for var in range(n_vars)]
    assume(all(n < n_crowd + 1 for n in per_var))
    triples += [(s, v, val) for (s, v), val in noisy.items()]
    result = truth_discovery(triples, algorithm, 20)  # type: ignore[arg-type]
    assert result.trust["good"] > result.trust["bad"]
    assert result.truths() == dict.fromkeys(range(n_vars), 0)


# --------------------------------------------------------------------------- API


def test_result_is_frozen_with_mappings() -> None:
    result = truth_discovery(THREE_BY_TWO)
    assert isinstance(result, TruthResult)
    with pytest.raises(AttributeError):
        result.iterations = 3  # type: ignore[misc]
    assert isinstance(result.trust, Mapping) and isinstance(result.belief, Mapping)
    assert len(result.trust) == 3 and len(result.belief) == 4
    trust: Mapping[Any, float] = result.trust
    assert "s1" in trust and "nobody" not in trust and [1] not in trust
    assert ("x", 1) in result.belief and ("x", 3) not in result.belief
    belief: Mapping[Any, float] = result.belief
    assert "x" not in belief and ("x", [1]) not in belief
    with pytest.raises(KeyError):
        result.trust["nobody"]
    with pytest.raises(KeyError):
        result.belief[("q", 1)]
    assert dict(result.trust.items()) == {k: result.trust[k] for k in result.trust}
    assert list(result.belief.values()) == [result.belief[k] for k in result.belief]
    assert all(type(v) is float for v in result.trust.values())
    assert result.trust == dict(result.trust)
    assert "TruthResult(algorithm='sums'" in repr(result)
    assert result.strength is None and result.graph is not None


def test_convergence_and_early_stop() -> None:
    result = truth_discovery(THREE_BY_TWO, "sums", iterations=500)
    assert result.converged and result.iterations < 500 and result.delta <= 1e-6
    capped = truth_discovery(THREE_BY_TWO, "sums", iterations=3)
    assert not capped.converged and capped.iterations == 3 and capped.delta > 1e-6
    none = truth_discovery(THREE_BY_TWO, "sums", iterations=0)
    assert none.iterations == 0 and not none.converged and math.isnan(none.delta)
    assert set(none.belief.values()) == {0.5}


def test_empty_corpus() -> None:
    result = truth_discovery([], "prior_sums")
    assert dict(result.trust) == {} and dict(result.belief) == {}
    assert result.iterations == 0 and result.converged
    assert result.ranking() == [] and result.truths() == {}


def test_graph_reuse_and_generator_input() -> None:
    graph = ClaimGraph.from_triples(iter(THREE_BY_TWO))
    assert (graph.n_sources, graph.n_variables, graph.n_claims, graph.n_edges) == (3, 2, 4, 6)
    assert "3 sources" in repr(graph)
    assert graph.claim(0) == ("x", 1) and graph.claim_index(("y", "b")) == 3
    for algorithm in ALGORITHMS:
        direct = truth_discovery(THREE_BY_TWO, algorithm)
        reused = truth_discovery(graph, algorithm)
        assert dict(direct.trust) == dict(reused.trust)


def test_multiple_values_per_variable() -> None:
    triples = [("a", "x", 1), ("a", "x", 2), ("b", "x", 1)]
    with pytest.raises(InputError, match="'a' claims more than one value for variable 'x'"):
        truth_discovery(triples, multiple="error")
    every = truth_discovery(triples, "prior_sums", tol=0, iterations=1, priors={})
    # a splits its vote: W(x,1) = 0.25 + 0.5, W(x,2) = 0.25, W_x = 1.
    # a: peer b (0.5) agrees on 1, not on 2: (1 + 1 + 0) / (2 + 2).
    # b: peer a (0.5), of which 0.25 agrees: (1 + 0.5) / (2 + 1).
    assert every.trust == approx_map({"a": 0.5, "b": 0.5})
    assert every.belief == approx_map({("x", 1): 0.75, ("x", 2): 0.25})
    first = truth_discovery(triples, multiple="first")
    assert set(first.belief) == {("x", 1)}
    assert truth_discovery(triples[::-1], multiple="first").graph.n_claims == 2  # type: ignore[union-attr]


def test_items_keep_python_equality_semantics() -> None:
    # hash(-1) == hash(-2) in CPython: a hash collision, must stay two claims.
    assert hash(-1) == hash(-2)
    triples = [("a", "x", -1), ("b", "x", -2), ("c", "x", -1), (1, "y", 1.0), (1.0, "y", True)]
    result = truth_discovery(triples, "sums")
    assert set(result.belief) == {("x", -1), ("x", -2), ("y", 1)}
    assert set(result.trust) == {"a", "b", "c", 1}
    nan = float("nan")
    other_nan = float("nan")
    graph = ClaimGraph.from_triples([("a", "x", nan), ("b", "x", nan), ("c", "x", other_nan)])
    assert graph.n_claims == 2  # like dict keys: the same NaN object is one value


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"algorithm": "pagerank"}, "unknown algorithm 'pagerank'"),
        ({"iterations": -1}, "iterations must be"),
        ({"iterations": 2.5}, "iterations must be"),
        ({"tol": -1.0}, "tol must be"),
        ({"tol": math.nan}, "tol must be"),
        ({"priors": {"s1": 0.5}}, "sums takes no priors"),
        ({"algorithm": "prior_sums", "priors": {"s1": 1.5}}, "mean in \\[0, 1\\]"),
        ({"algorithm": "prior_sums", "priors": {"s1": "high"}}, "must be a Prior or a mean"),
        ({"algorithm": "prior_sums", "priors": [0.5]}, "priors must be a Mapping"),
        ({"algorithm": "prior_sums", "priors": {}, "key": str}, "key applies to"),
        ({"prior_strength": 0.0}, "prior_strength"),
        ({"initial_trust": 1.0}, "initial_trust"),
        ({"implication": 2.0}, "implication must be"),
        ({"multiple": "some"}, "multiple must be"),
    ],
)
def test_bad_options(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message):
        truth_discovery(THREE_BY_TWO, **kwargs)


def test_bad_triples() -> None:
    with pytest.raises(InputError, match="expected \\(source, variable, value\\) triples"):
        truth_discovery([("a", "x", 1), ("b", "x")])  # type: ignore[list-item]
    with pytest.raises(InputError, match="expected"):
        truth_discovery([("a", "x", 1, 2)])  # type: ignore[list-item]
    with pytest.raises(InputError, match="hashable"):
        truth_discovery([("a", "x", [1])])  # type: ignore[list-item]
    with pytest.raises(InputError, match="implication values must be in"):
        truth_discovery(
            [("a", "x", 1), ("b", "x", 2)], "truthfinder", implication=lambda v, a, b: 3.0
        )


def test_truthfinder_saturation_does_not_stop() -> None:
    # 400 sources behind one value saturate the sigmoid: beliefs of exactly 1.0
    # would make tau infinite; trust is capped instead and iteration goes on.
    triples: list[Triple] = [(f"s{i}", "x", 1) for i in range(400)]
    triples += [("loner", "x", 2)]
    result = truth_discovery(triples, "truthfinder", iterations=20)
    assert all(math.isfinite(t) for t in result.trust.values())
    assert result.trust["s0"] > result.trust["loner"]


def test_import_stays_light() -> None:
    import subprocess
    import sys

    code = "import sys, srcscore._truth; print('numpy' in sys.modules, 'scipy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_module_examples() -> None:
    import doctest

    import srcscore._truth

    failed, attempted = doctest.testmod(srcscore._truth)
    assert attempted >= 3 and failed == 0


def test_from_columns_matches_from_triples() -> None:
    import numpy as np

    triples = PEER_DATASETS["random-medium"]
    by_rows = ClaimGraph.from_triples(triples)
    src, var, val = (list(c) for c in zip(*triples, strict=True))
    as_lists = ClaimGraph.from_columns(src, var, val)
    as_arrays = ClaimGraph.from_columns(np.array(src), np.array(var), np.array(val))
    assert as_arrays.sources == by_rows.sources and as_arrays.variables == by_rows.variables
    assert all(type(s) is str for s in as_arrays.sources)
    for graph in (as_lists, as_arrays):
        for algorithm in ALGORITHMS:
            assert dict(truth_discovery(graph, algorithm).trust) == approx_map(
                truth_discovery(by_rows, algorithm).trust
            )
    floats = ClaimGraph.from_columns(
        np.array([1, 2, 3]), np.zeros(3), np.array([np.nan, np.nan, 1.0])
    )
    assert floats.n_claims == 3 and floats.variables == [0.0]
    ints = ClaimGraph.from_columns(
        np.array([5, -3, 5, 10**12]), np.array([7, 7, 8, 7]), np.array([0, 0, 1, 2])
    )
    assert ints.sources == [5, -3, 10**12] and ints.variables == [7, 8]
    assert (ints.n_claims, ints.n_edges) == (3, 4)
    assert all(type(s) is int for s in ints.sources)
    big = ClaimGraph.from_triples([(2**70, "x", 1), (-(2**70), "x", 1), (2**70, "y", -1)])
    assert big.sources == [2**70, -(2**70)] and big.n_claims == 2
    with pytest.raises(InputError, match="one length"):
        ClaimGraph.from_columns([1, 2], [1], [1, 2])
    with pytest.raises(InputError, match="multiple must be"):
        ClaimGraph.from_columns([1], [1], [1], multiple="any")  # type: ignore[arg-type]
