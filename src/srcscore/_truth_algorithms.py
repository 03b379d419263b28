"""Iteration kernels of :func:`srcscore.truth_discovery`: one function per algorithm.

The equations, and how each one follows the ``truthdiscovery`` peer package,
are in the docstring of :mod:`srcscore._truth`. Each kernel takes a non-empty
:class:`~srcscore._claimgraph.ClaimGraph` and already-validated options, and
returns the trust and belief arrays (in source and claim order), the number of
iterations run, whether they converged and the last largest change. numpy and
scipy are imported lazily.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from ._exceptions import InputError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from ._claimgraph import ClaimGraph

    FloatArray = npt.NDArray[np.float64]

Implication = float | Callable[[Any, Any, Any], "float | None"]

_MAX_TRUST: Final = 1.0 - 1e-12  # truthfinder: keeps tau = -log(1 - t) finite


def _change(trust: FloatArray, old_trust: FloatArray, belief: FloatArray, old: FloatArray) -> float:
    """The largest change of any trust or belief in one iteration."""
    import numpy as np

    return float(max(np.abs(trust - old_trust).max(), np.abs(belief - old).max()))


def _normalised(x: FloatArray) -> FloatArray:
    """``x`` divided by its largest entry (unchanged when that is not positive)."""
    top = x.max()
    return x / top if top > 0 else x


Step = Callable[["FloatArray", "FloatArray"], "tuple[FloatArray, FloatArray]"]


def _iterate(
    step: Step, trust: FloatArray, belief: FloatArray, iterations: int, tol: float
) -> tuple[FloatArray, FloatArray, int, bool, float]:
    """Apply ``step`` to (trust, belief) ``iterations`` times, or until nothing moves > ``tol``."""
    delta, done, converged = math.nan, 0, False
    while done < iterations:
        new, new_belief = step(trust, belief)
        delta = _change(new, trust, new_belief, belief)
        trust, belief = new, new_belief
        done += 1
        if delta <= tol:
            converged = True
            break
    return trust, belief, done, converged, delta


def _sums(
    graph: ClaimGraph, iterations: int, tol: float, algorithm: str
) -> tuple[FloatArray, FloatArray, int, bool, float]:
    """``sums`` or, with ``algorithm="average_log"``, ``average_log``."""
    import numpy as np

    a = graph.matrix
    at = a.T
    trust = np.zeros(graph.n_sources)
    belief = np.full(graph.n_claims, 0.5)
    weights = None
    if algorithm == "average_log":
        counts = graph._counts.astype(np.float64)
        weights = np.log(counts) / counts

    def step(trust: FloatArray, belief: FloatArray) -> tuple[FloatArray, FloatArray]:
        new = a @ belief
        if weights is not None:
            new = weights * new
        return _normalised(new), _normalised(at @ new)

    return _iterate(step, trust, belief, iterations, tol)


def _group_sum(graph: ClaimGraph, per_claim: FloatArray) -> FloatArray:
    """Sum over the claims of each variable."""
    import numpy as np

    sums = np.bincount(graph._claim_var, weights=per_claim, minlength=graph.n_variables)
    return np.asarray(sums, dtype=np.float64)


def _investment(
    graph: ClaimGraph, iterations: int, tol: float, g: float, start: FloatArray | None
) -> tuple[FloatArray, FloatArray, int, bool, float]:
    """``investment``, from trust ``start`` (default all 1)."""
    import numpy as np

    a = graph.matrix
    at = a.T
    counts = graph._counts.astype(np.float64)
    trust = np.ones(graph.n_sources) if start is None else start.copy()
    votes = at @ np.ones(graph.n_sources)
    belief = votes / _group_sum(graph, votes)[graph._claim_var]

    def step(trust: FloatArray, belief: FloatArray) -> tuple[FloatArray, FloatArray]:
        invested = trust / counts
        per_claim = at @ invested
        with np.errstate(divide="ignore", invalid="ignore"):
            returns = np.where(per_claim > 0, belief / per_claim, 0.0)
        new = invested * (a @ returns)
        return _normalised(new), _normalised((at @ (new / counts)) ** g)

    return _iterate(step, trust, belief, iterations, tol)


def _implication_matrix(graph: ClaimGraph, implication: Implication) -> Any:
    """Sparse ``imp.T`` (claims x claims) for a callable implication, within variables."""
    import numpy as np
    import scipy.sparse

    cv = graph._claim_var
    starts = np.flatnonzero(np.r_[True, cv[1:] != cv[:-1]])
    ends = np.r_[starts[1:], len(cv)]
    rows: list[int] = []
    cols: list[int] = []
    data: list[float] = []
    assert callable(implication)
    for lo, hi in zip(starts.tolist(), ends.tolist(), strict=True):
        if hi - lo < 2:
            continue
        for c_from in range(lo, hi):
            var, value_from = graph.claim(c_from)
            for c_to in range(lo, hi):
                if c_to == c_from:
                    continue
                imp = implication(var, value_from, graph.claim(c_to)[1])
                if imp is None:
                    continue
                imp = float(imp)
                if not -1.0 <= imp <= 1.0:
                    raise InputError(f"implication values must be in [-1, 1], got {imp}")
                rows.append(c_to)  # imp.T[c_to, c_from] = imp(c_from -> c_to)
                cols.append(c_from)
                data.append(imp)
    n = graph.n_claims
    return scipy.sparse.csr_matrix((data, (rows, cols)), shape=(n, n))


def _truthfinder(
    graph: ClaimGraph,
    iterations: int,
    tol: float,
    dampening: float,
    influence: float,
    initial_trust: float,
    implication: Implication,
    start: FloatArray | None,
) -> tuple[FloatArray, FloatArray, int, bool, float]:
    """``truthfinder``, from trust ``start`` (default all ``initial_trust``)."""
    import numpy as np
    from scipy.special import expit

    a = graph.matrix
    at = a.T
    counts = graph._counts.astype(np.float64)
    if callable(implication):
        imp_t, imp_all = _implication_matrix(graph, implication), 0.0
    else:
        imp_t, imp_all = None, float(implication)
    trust = np.full(graph.n_sources, initial_trust) if start is None else start.copy()
    belief = np.zeros(graph.n_claims)

    def step(trust: FloatArray, _: FloatArray) -> tuple[FloatArray, FloatArray]:
        tau = -np.log1p(-np.minimum(trust, _MAX_TRUST))
        sigma = at @ tau
        if imp_t is not None:
            sigma = sigma + influence * (imp_t @ sigma)
        elif imp_all != 0.0 and influence != 0.0:
            others = _group_sum(graph, sigma)[graph._claim_var] - sigma
            sigma = sigma + influence * imp_all * others
        new_belief = expit(dampening * sigma)
        return (a @ new_belief) / counts, new_belief

    return _iterate(step, trust, belief, iterations, tol)


def _prior_sums(
    graph: ClaimGraph,
    iterations: int,
    tol: float,
    means: FloatArray,
    strengths: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray, int, bool, float]:
    """``prior_sums`` from prior ``means`` and ``strengths``; also returns posterior strengths."""
    import numpy as np
    import scipy.sparse

    a = graph.matrix
    ns, nv = graph.n_sources, graph.n_variables
    edge_src = np.repeat(np.arange(ns, dtype=a.indices.dtype), graph._counts)
    edge_claim = a.indices
    edge_var = graph._claim_var[edge_claim]
    # k: claims of the edge's source on the edge's variable (1 unless
    # multiple="all" kept several). Edges are sorted by (source, claim) and
    # claims by variable, so equal (source, variable) pairs are contiguous.
    pair = edge_src.astype(np.int64) * nv + edge_var
    run_start = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
    run_len = np.diff(np.r_[run_start, len(pair)])
    inv_k = 1.0 / np.repeat(run_len, run_len)
    # A source giving k values to one variable splits its vote between them.
    split = (
        a
        if len(run_len) == len(pair)
        else scipy.sparse.csr_matrix((inv_k, edge_claim, a.indptr), shape=a.shape)
    )
    split_t = split.T
    var_sources = np.bincount(pair[run_start] % nv, minlength=nv)
    has_peer = var_sources[edge_var] > 1  # another source speaks to this variable
    del pair, run_start, run_len, var_sources
    prior_mass = means * strengths

    def step(t: FloatArray) -> tuple[FloatArray, FloatArray]:
        w_claim = split_t @ t
        t_edge = t[edge_src]
        peers = _group_sum(graph, w_claim)[edge_var] - t_edge
        observed = has_peer & (peers > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            agree = np.where(observed, (w_claim[edge_claim] - t_edge * inv_k) / peers, 0.0)
        np.clip(agree, 0.0, 1.0, out=agree)
        seen = np.asarray(np.bincount(edge_src, weights=observed, minlength=ns), dtype=np.float64)
        agreed = np.bincount(edge_src, weights=agree, minlength=ns)
        return (prior_mass + agreed) / (strengths + seen), seen

    trust = means.astype(np.float64, copy=True)
    seen = np.zeros(ns)
    delta, done, converged = math.nan, 0, False
    while done < iterations:
        new, seen = step(trust)
        delta = float(np.abs(new - trust).max())
        trust = new
        done += 1
        if delta <= tol:
            converged = True
            break
    w_claim = split_t @ trust
    w_var = _group_sum(graph, w_claim)[graph._claim_var]
    sizes = np.bincount(graph._claim_var, minlength=nv)[graph._claim_var]
    with np.errstate(divide="ignore", invalid="ignore"):
        belief = np.where(w_var > 0, w_claim / w_var, 1.0 / sizes)
    return trust, belief, strengths + seen, done, converged, delta
