r"""Truth discovery: how far sources agree with each other across a corpus.

Given *triples* ``(source, variable, value)`` -- source ``s`` says that
``variable`` takes ``value`` -- truth discovery learns at once a **trust**
score per source and a **belief** score per claim, where a claim is a distinct
pair ``(variable, value)``, and the claims of one variable are mutually
exclusive values. Sources that agree with trusted sources gain trust; claims
that trusted sources make gain belief.

Everything runs on one sparse incidence matrix ``A`` (sources x claims, CSR,
``A[s, c] = 1`` when ``s`` makes claim ``c``) and one array mapping each claim
to its variable, so memory is linear in the number of distinct triples (no
claims x claims matrix is ever built). numpy and scipy are imported lazily.
The graph and its building live in :mod:`srcscore._claimgraph`, the
iteration kernels in :mod:`srcscore._truth_algorithms`; this module validates
the options and dispatches.

Notation: ``C_s`` is the set of claims of source ``s`` and ``|C_s|`` its size;
``S_c`` the sources of claim ``c``; ``V(c)`` the claims of ``c``'s variable;
``t`` trust, ``b`` belief; ``max``-normalisation divides a vector by its largest
entry. Each algorithm below reproduces the update order, initialisation and
normalisation of the ``truthdiscovery`` PyPI package (Joe Singleton's
implementation) so that, for the same number of iterations, both give the same
numbers up to floating-point rounding, hence the same ranking of sources.

``sums`` (Hubs and Authorities; Kleinberg 1999, Pasternack & Roth 2010)::

    b⁰_c = 0.5
    t_s  = Σ_{c ∈ C_s} b_c          then t ← t / max t
    b_c  = Σ_{s ∈ S_c} t_s          then b ← b / max b

``average_log`` (Pasternack & Roth 2010): as ``sums``, but a source's trust is
its average belief weighted by the log of its claim count (a source with one
claim gets trust 0)::

    t_s = log|C_s| / |C_s| · Σ_{c ∈ C_s} b_c

``investment`` (Pasternack & Roth 2010, ``g = 1.2``): sources invest their
trust uniformly in their claims and are paid back in proportion to their
share of each claim's investment; beliefs grow by the power ``g``. Initially
``t⁰_s = 1`` and ``b⁰_c = |S_c| / Σ_{c' ∈ V(c)} |S_c'|`` (the vote share)::

    I_c  = Σ_{s ∈ S_c} t_s / |C_s|
    t'_s = Σ_{c ∈ C_s} b_c · (t_s / |C_s|) / I_c          then t' ← t' / max t'
    b_c  = (Σ_{s ∈ S_c} t'_s / |C_s|) ** g                then b ← b / max b

``truthfinder`` (Yin, Han & Yu 2007; ``γ = 0.3`` dampening, ``ρ = 0.5``
influence, ``t⁰ = 0.9``): a claim's confidence adds up the sources' ``τ =
-ln(1 - t)``, plus ``ρ`` times the confidence of the other values of its
variable weighted by their implication ``imp(c' → c)``: by default ``-0.5``
between any two distinct values of one variable (what Yin et al.'s
``imp = sim - base_sim`` gives mutually exclusive values, with ``sim = 0`` and
``base_sim = 0.5``), or a
callable ``implication(variable, value_from, value_to)``; trust is the average
belief of a source's claims (not normalised)::

    σ_c  = Σ_{s ∈ S_c} τ_s
    σ*_c = σ_c + ρ · Σ_{c' ∈ V(c), c' ≠ c} imp(c' → c) · σ_c'
    b_c  = 1 / (1 + exp(-γ σ*_c))
    t_s  = Σ_{c ∈ C_s} b_c / |C_s|

Where the peer package stops as soon as a trust reaches exactly 1.0 in
floating point (``τ`` would be infinite), ``τ`` is computed from a trust
capped at ``1 - 1e-12`` instead, and iteration goes on. Where ``investment``
would divide by a claim investment that underflowed to 0, that claim pays 0.

``prior_sums`` (srcscore's own: Sums seeded and pooled with srcscore priors):
each source ``s`` has a prior reliability ``Beta(m_s n_s, (1 - m_s) n_s)``
(mean ``m_s``, strength ``n_s``; see :class:`srcscore.Prior`). Trust is a
reliability on the prior's absolute [0, 1] scale, not a relative score: it
starts at ``t⁰_s = m_s``, and at each iteration every claim of ``s`` is one
fractional Bernoulli observation, whose success is the trust-weighted share
of the *other* sources speaking to the same variable that agree with ``s``
(leave-one-out, so a source never vouches for itself; a source that gives
``k_{s,v}`` values to one variable, as ``multiple="all"`` allows, splits its
vote between them)::

    W_c     = Σ_{s ∈ S_c} t_s / k_{s,v(c)}        trust behind claim c
    W_v     = Σ_{c ∈ v} W_c                       trust speaking to variable v
    P_{s,c} = W_{v(c)} - t_s                      the other sources' trust on v(c)
    a_{s,c} = (W_c - t_s / k_{s,v(c)}) / P_{s,c}  their agreement with s, in [0, 1]
    o_{s,c} = 1 if another source speaks to v(c) (and P_{s,c} > 0) else 0

    t_s  = (m_s · n_s + Σ_{c ∈ C_s} o_{s,c} a_{s,c}) / (n_s + Σ_{c ∈ C_s} o_{s,c})

the posterior mean of the Beta prior updated with ``Σ o·a`` expected
agreements out of ``Σ o`` observed claims. A source backed by a strong prior
moves little; one with a weak prior (the neutral ``Beta(1, 1)`` has ``n = 2``)
moves towards its agreement rate. Claims no other source speaks to carry no
evidence (``o = 0``). The reported ``strength`` of each source is its
posterior pseudo-count ``n_s + Σ o_{s,c}``, so ``Prior(t_s, n_s + Σ o)`` is
the updated prior. Beliefs are the trust-weighted vote shares
``b_c = W_c / W_{v(c)}`` (uniform over ``V(c)`` when ``W_{v(c)} = 0``).

Every algorithm stops early once no trust and no belief changed by more than
``tol`` in one iteration (``prior_sums``: no trust, its beliefs being a
function of the trusts); the result tells how many iterations ran and whether
they converged.

>>> triples = [
...     ("wire-a", "dam-opening", "2027"),
...     ("wire-b", "dam-opening", "2027"),
...     ("blog-c", "dam-opening", "2031"),
...     ("wire-a", "dam-cost", "1.2bn"),
...     ("blog-c", "dam-cost", "9bn"),
... ]
>>> result = truth_discovery(triples, algorithm="sums")
>>> result.ranking()
['wire-a', 'wire-b', 'blog-c']
>>> result.truths()["dam-opening"]
'2027'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from ._claimgraph import ClaimGraph, Multiple, Triple, _BeliefMapping, _TrustMapping
from ._exceptions import InputError, InvalidURLError
from ._priors import NEUTRAL, Prior, Priors
from ._truth_algorithms import Implication, _investment, _prior_sums, _sums, _truthfinder

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]

__all__ = ["ALGORITHMS", "ClaimGraph", "TruthResult", "truth_discovery"]

ALGORITHMS: Final = ("sums", "average_log", "investment", "truthfinder", "prior_sums")
Algorithm = Literal["sums", "average_log", "investment", "truthfinder", "prior_sums"]
PriorsArg = Mapping[Any, "Prior | float"] | Priors | None

DEFAULT_TOL: Final = 1e-6
_USES_PRIORS: Final = frozenset({"prior_sums", "investment", "truthfinder"})


# --------------------------------------------------------------------------- result


@attrs.frozen(eq=False)
class TruthResult:
    """What :func:`truth_discovery` learned.

    Attributes:
        algorithm: the algorithm that ran.
        trust: source -> trust in [0, 1]. For ``sums``, ``average_log`` and
            ``investment`` a relative score (the most trusted source has 1);
            for ``truthfinder`` and ``prior_sums`` a probability-like score.
        belief: ``(variable, value)`` -> belief in [0, 1] (relative for the
            max-normalised algorithms; a vote share for ``prior_sums``).
        iterations: how many iterations ran.
        converged: whether the largest change of a trust or belief in the
            last iteration was at most ``tol`` (so it stopped early, or would
            have).
        delta: that largest change (``nan`` when no iteration ran).
        strength: ``prior_sums`` only: source -> posterior strength, the
            prior's pseudo-count plus the claims observed (``None`` otherwise).
        graph: the :class:`ClaimGraph` it ran on.

    """

    algorithm: str
    trust: Mapping[Hashable, float]
    belief: Mapping[tuple[Hashable, Hashable], float]
    iterations: int
    converged: bool
    delta: float
    strength: Mapping[Hashable, float] | None = None
    graph: ClaimGraph | None = attrs.field(default=None, repr=False)

    def ranking(self) -> list[Hashable]:
        """Sources from most to least trusted (ties in order of first appearance)."""
        import numpy as np

        keys = list(self.trust)
        values = np.fromiter(self.trust.values(), dtype=np.float64, count=len(keys))
        return [keys[i] for i in np.argsort(-values, kind="stable").tolist()]

    def truths(self) -> dict[Hashable, Hashable]:
        """Map each variable to its most believed value (ties: the value seen first)."""
        import numpy as np

        graph = self.graph
        if graph is None or graph.n_claims == 0:
            return {}
        beliefs = np.fromiter(self.belief.values(), dtype=np.float64, count=graph.n_claims)
        by_var = graph._claim_var
        order = np.lexsort((-beliefs, by_var))  # stable: ties keep claim order
        top = order[np.r_[True, by_var[order][1:] != by_var[order][:-1]]]
        return dict(map(graph.claim, top.tolist()))


# --------------------------------------------------------------------------- priors


def _prior_arrays(
    graph: ClaimGraph,
    priors: PriorsArg,
    key: Callable[[Any], str] | None,
    prior_strength: float,
) -> tuple[FloatArray, FloatArray]:
    """Prior means and strengths of the graph's sources, in source order."""
    import numpy as np

    means = np.empty(graph.n_sources)
    strengths = np.empty(graph.n_sources)
    if priors is None or isinstance(priors, Priors):
        from ._sources import source_of

        table = priors if priors is not None else Priors.default()
        to_key = key if key is not None else str
        for i, source in enumerate(graph.sources):
            try:
                prior = source_of(to_key(source)).prior(table)
            except InvalidURLError:
                prior = NEUTRAL
            means[i], strengths[i] = prior.mean, prior.strength
        return means, strengths
    if not isinstance(priors, Mapping):
        raise InputError(
            f"priors must be a Mapping source -> Prior or mean, a srcscore.Priors table "
            f"or None, got {type(priors).__name__}"
        )
    if key is not None:
        raise InputError("key applies to a srcscore.Priors table, not to a mapping of priors")
    for i, source in enumerate(graph.sources):
        given = priors.get(source, NEUTRAL)
        if isinstance(given, Prior):
            mean, strength = given.mean, given.strength
        elif isinstance(given, (int, float)) and not isinstance(given, bool):
            mean, strength = float(given), prior_strength
        else:
            raise InputError(f"prior of {source!r} must be a Prior or a mean, got {given!r}")
        if not 0.0 <= mean <= 1.0 or not strength > 0.0 or math.isnan(strength):
            raise InputError(
                f"prior of {source!r} needs a mean in [0, 1] and a positive strength, "
                f"got mean {mean} and strength {strength}"
            )
        means[i], strengths[i] = mean, strength
    return means, strengths


# --------------------------------------------------------------------------- entry point


def truth_discovery(
    triples: Iterable[Triple] | ClaimGraph,
    algorithm: Algorithm = "sums",
    iterations: int = 20,
    priors: PriorsArg = None,
    *,
    key: Callable[[Any], str] | None = None,
    tol: float = DEFAULT_TOL,
    multiple: Multiple = "all",
    prior_strength: float = 10.0,
    g: float = 1.2,
    dampening: float = 0.3,
    influence: float = 0.5,
    initial_trust: float = 0.9,
    implication: Implication = -0.5,
) -> TruthResult:
    """Learn source trust and claim belief from ``(source, variable, value)`` triples.

    Args:
        triples: ``(source, variable, value)`` triples of hashable items, or a
            :class:`ClaimGraph` built from them.
        algorithm: ``"sums"``, ``"average_log"``, ``"investment"``,
            ``"truthfinder"`` or ``"prior_sums"`` (see the module docs for
            each one's equations).
        iterations: the most iterations to run.
        priors: ``prior_sums``: each source's prior reliability, as a Mapping
            source -> :class:`~srcscore.Prior` or mean (strength
            ``prior_strength``; sources missing from it get the neutral prior),
            or a :class:`~srcscore.Priors` table in which sources are looked up
            as :func:`srcscore.source_of` ``(key(source))`` (unparseable ones
            get the neutral prior); ``None``: the default table.
            ``truthfinder`` and ``investment``: if given, the prior means are
            the initial trust. ``sums`` and ``average_log`` take no priors.
        key: with a ``Priors`` table, maps a source label to a URL or publisher
            key (default ``str``).
        tol: stop once no trust or belief changes by more than this in one
            iteration; ``0`` runs exactly ``iterations`` unless an exact fixed
            point is hit, where further iterations would change nothing.
        multiple: several values of one source for one variable: ``"all"``,
            ``"first"`` or ``"error"`` (see :meth:`ClaimGraph.from_triples`;
            a given :class:`ClaimGraph` keeps the policy it was built with).
        prior_strength: the strength of priors given as a bare mean.
        g: ``investment``'s belief exponent.
        dampening: ``truthfinder``'s ``γ``.
        influence: ``truthfinder``'s ``ρ``, the weight of related claims.
        initial_trust: ``truthfinder``'s initial trust (without priors).
        implication: ``truthfinder``'s ``imp(c' → c)`` between two values of
            one variable: a number in [-1, 1], or a callable
            ``(variable, value_from, value_to) -> float | None`` (``None``
            for no implication).

    Returns:
        a :class:`TruthResult`. An empty corpus gives empty mappings.

    Raises:
        InputError: an unknown algorithm, a bad option, priors given to an
            algorithm that takes none, or malformed triples.

    """
    if algorithm not in ALGORITHMS:
        raise InputError(f"unknown algorithm {algorithm!r}; choose one of {', '.join(ALGORITHMS)}")
    if isinstance(iterations, bool) or not isinstance(iterations, int) or iterations < 0:
        raise InputError(f"iterations must be a non-negative integer, got {iterations!r}")
    if not tol >= 0.0:
        raise InputError(f"tol must be >= 0, got {tol!r}")
    if priors is not None and algorithm not in _USES_PRIORS:
        raise InputError(f"{algorithm} takes no priors; use prior_sums to start from priors")
    if not prior_strength > 0.0 or math.isinf(prior_strength):
        raise InputError(f"prior_strength must be positive and finite, got {prior_strength!r}")
    if not 0.0 < initial_trust < 1.0:
        raise InputError(f"initial_trust must be in (0, 1), got {initial_trust!r}")
    if not callable(implication) and not -1.0 <= implication <= 1.0:
        raise InputError(f"implication must be in [-1, 1] or a callable, got {implication!r}")

    graph = (
        triples if isinstance(triples, ClaimGraph) else ClaimGraph.from_triples(triples, multiple)
    )
    import numpy as np

    if graph.n_edges == 0:
        empty = np.zeros(0)
        return TruthResult(
            algorithm,
            _TrustMapping(graph, empty),
            _BeliefMapping(graph, empty),
            0,
            True,
            math.nan,
            _TrustMapping(graph, empty) if algorithm == "prior_sums" else None,
            graph,
        )
    strength = None
    if algorithm in ("sums", "average_log"):
        trust, belief, done, converged, delta = _sums(graph, iterations, tol, algorithm)
    elif algorithm == "investment":
        start = _prior_arrays(graph, priors, key, prior_strength)[0] if priors is not None else None
        trust, belief, done, converged, delta = _investment(graph, iterations, tol, g, start)
    elif algorithm == "truthfinder":
        start = _prior_arrays(graph, priors, key, prior_strength)[0] if priors is not None else None
        trust, belief, done, converged, delta = _truthfinder(
            graph, iterations, tol, dampening, influence, initial_trust, implication, start
        )
    else:
        means, strengths = _prior_arrays(graph, priors, key, prior_strength)
        trust, belief, posterior, done, converged, delta = _prior_sums(
            graph, iterations, tol, means, strengths
        )
        strength = _TrustMapping(graph, posterior)
    return TruthResult(
        algorithm,
        _TrustMapping(graph, trust),
        _BeliefMapping(graph, belief),
        done,
        converged,
        delta,
        strength,
        graph,
    )
