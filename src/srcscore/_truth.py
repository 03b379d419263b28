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
from collections.abc import (
    Callable,
    Hashable,
    ItemsView,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
    ValuesView,
)
from typing import TYPE_CHECKING, Any, Final, Literal, final

import attrs

from ._exceptions import InputError, InvalidURLError
from ._priors import NEUTRAL, Prior, Priors

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]
    IntArray = npt.NDArray[np.int64]

__all__ = ["ALGORITHMS", "ClaimGraph", "TruthResult", "truth_discovery"]

ALGORITHMS: Final = ("sums", "average_log", "investment", "truthfinder", "prior_sums")
Algorithm = Literal["sums", "average_log", "investment", "truthfinder", "prior_sums"]
Multiple = Literal["all", "first", "error"]
Triple = tuple[Hashable, Hashable, Hashable]
PriorsArg = Mapping[Any, "Prior | float"] | Priors | None
Implication = float | Callable[[Any, Any, Any], "float | None"]
_Factors = tuple["IntArray", list[Hashable], dict[Hashable, int]]

DEFAULT_TOL: Final = 1e-6
_MAX_TRUST: Final = 1.0 - 1e-12  # truthfinder: keeps tau = -log(1 - t) finite
_USES_PRIORS: Final = frozenset({"prior_sums", "investment", "truthfinder"})


# --------------------------------------------------------------------------- graph


def _unique(x: Any) -> tuple[Any, IntArray, IntArray]:
    """Sorted distinct values of ``x``, the inverse (``x == u[inv]``) and each one's first index.

    Sort-based: ``numpy.unique`` of numpy >= 2.3 takes a slower hash path for
    integers.
    """
    import numpy as np

    order = np.argsort(x)
    ordered = x[order]
    new = np.empty(len(x), dtype=bool)
    new[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    inverse = np.empty(len(x), dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    starts = np.flatnonzero(new)
    first = np.minimum.reduceat(order, starts) if len(x) else order
    return ordered[starts], inverse, first


def _unique_keys(keys: IntArray, space: int) -> tuple[IntArray, IntArray]:
    """Sorted distinct values of ``keys`` (all in ``[0, space)``) and the inverse."""
    import numpy as np

    if space > 4 * len(keys) + 4096:
        return _unique(keys)[:2]
    present = np.zeros(space, dtype=bool)  # dense: no sort needed
    present[keys] = True
    rank = np.cumsum(present) - 1
    return np.flatnonzero(present), rank[keys]


def _check_multiple(multiple: str) -> None:
    if multiple not in ("all", "first", "error"):
        raise InputError(f"multiple must be 'all', 'first' or 'error', got {multiple!r}")


def _factorize_any(column: Iterable[Hashable]) -> _Factors:
    """:func:`_factorize` for any iterable; numpy arrays of plain dtypes stay in numpy."""
    import numpy as np

    if isinstance(column, np.ndarray) and column.ndim == 1 and column.dtype.kind in "biu":
        n = len(column)
        low = int(column.min()) if n else 0
        span = int(column.max()) - low + 1 if n else 0
        if span <= 4 * n + 4096:  # dense integers: no sort needed
            offset = (column - low).astype(np.intp) if low else column.astype(np.intp)
            first_at = np.full(span, n, dtype=np.intp)
            np.minimum.at(first_at, offset, np.arange(n, dtype=np.intp))
            present = np.flatnonzero(first_at < n)
            in_order = present[np.argsort(first_at[present], kind="stable")]
            code_of = np.empty(span, dtype=np.int64)
            code_of[in_order] = np.arange(len(in_order))
            labels: list[Hashable] = (in_order + low).astype(column.dtype).tolist()
            index = dict(zip(labels, range(len(labels)), strict=True))
            return code_of[offset], labels, index
    if isinstance(column, np.ndarray) and column.ndim == 1 and column.dtype.kind in "biufUS":
        _, group, first = _unique(column)
        rank = np.empty(len(first), dtype=np.int64)
        appearance = np.argsort(first, kind="stable")
        rank[appearance] = np.arange(len(first))
        labels = column[first[appearance]].tolist()
        index = dict(zip(labels, range(len(labels)), strict=True))
        if len(index) == len(labels):
            return rank[group], labels, index
        column = column.tolist()  # numpy and Python disagree on equality: go slow
    return _factorize(column if isinstance(column, (list, tuple)) else list(column))


def _factorize(column: Sequence[Hashable]) -> _Factors:
    """Codes in first-appearance order, the distinct labels and the label -> code index.

    Items are one when a dict would take them as one key:

    * a column of plain ``int`` is grouped by numpy, exactly;
    * a column of plain ``str`` is grouped by ``hash()`` with numpy, and
      checked with a second hash of each string with a NUL appended: two
      different strings are merged only if both their 64-bit SipHash values
      collide (odds about n² / 2**128 for n distinct strings). This is several
      times faster on millions of rows than comparing the strings;
    * any other column is grouped by ``hash()`` and checked exactly: every item
      must equal its group's first item (compared in C, identity first, as
      dict keys are);
    * on any failed check (a hash collision, or an item unequal to itself such
      as NaN) it falls back to a plain dict, which is slower but exact.
    """
    import itertools

    import numpy as np

    n = len(column)
    types = set(map(type, column))
    if n and types == {int}:
        try:
            return _factorize_any(np.fromiter(column, dtype=np.int64, count=n))
        except OverflowError:
            pass
    try:
        hashes = np.fromiter(map(hash, column), dtype=np.int64, count=n)
    except TypeError as exc:
        raise InputError(f"triple items must be hashable: {exc}") from None
    _, group, first = _unique(hashes)
    rank = np.empty(len(first), dtype=np.int64)
    appearance = np.argsort(first, kind="stable")
    rank[appearance] = np.arange(len(first))
    codes = rank[group]
    labels = [column[i] for i in first[appearance].tolist()]
    index = dict(zip(labels, range(len(labels)), strict=True))
    if len(index) == len(labels):
        if types == {str}:
            salted = map(str.__add__, column, itertools.repeat("\0"))  # type: ignore[arg-type]
            second = np.fromiter(map(hash, salted), dtype=np.int64, count=n)
            same = bool((second == second[first][group]).all())
        else:
            same = list(column) == list(map(labels.__getitem__, codes.tolist()))
        if same:
            return codes, labels, index
    distinct = dict.fromkeys(column)
    slow = dict(zip(distinct, range(len(distinct)), strict=True))
    codes = np.fromiter(map(slow.__getitem__, column), dtype=np.int64, count=n)
    return codes, list(slow), slow


@final
class ClaimGraph:
    """Sources, variables and claims of a corpus, as a sparse incidence matrix.

    Build one with :meth:`from_triples` and pass it to :func:`truth_discovery`
    in place of the triples to run several algorithms on one corpus without
    rebuilding it. Sources, variables and values keep the order in which they
    first appear; claims are grouped by variable.

    Attributes:
        sources: the source labels, by index.
        variables: the variable labels, by index.
        multiple: how several values claimed by one source for one variable
            were handled (see :meth:`from_triples`).

    """

    __slots__ = (
        "_claim_key",
        "_claim_val",
        "_claim_var",
        "_counts",
        "_source_index",
        "_value_index",
        "_values",
        "_variable_index",
        "matrix",
        "multiple",
        "sources",
        "variables",
    )

    def __init__(
        self,
        sources: list[Hashable],
        source_index: dict[Hashable, int],
        variables: list[Hashable],
        variable_index: dict[Hashable, int],
        values: list[Hashable],
        value_index: dict[Hashable, int],
        claim_var: IntArray,
        claim_val: IntArray,
        matrix: Any,
        multiple: Multiple,
    ) -> None:
        self.sources = sources
        self._source_index = source_index
        self.variables = variables
        self._variable_index = variable_index
        self._values = values
        self._value_index = value_index
        self._claim_var = claim_var
        self._claim_val = claim_val
        self._claim_key = claim_var * max(len(values), 1) + claim_val
        #: The sources x claims incidence matrix (scipy CSR, float64 ones).
        self.matrix = matrix
        self._counts: IntArray = matrix.indptr[1:] - matrix.indptr[:-1]
        self.multiple = multiple

    @classmethod
    def from_triples(cls, triples: Iterable[Triple], multiple: Multiple = "all") -> ClaimGraph:
        """Build the graph of ``(source, variable, value)`` triples.

        Items may be of any hashable type; equal items (by ``==`` and hash) are
        one. Duplicated triples count once. When one source gives several
        values for one variable, ``multiple`` says what to do: ``"all"`` keeps
        them all (the result does not depend on the order of the triples),
        ``"first"`` keeps the first in the input's order (as the peer package's
        ``allow_multiple=True``), ``"error"`` raises :class:`~srcscore.InputError`.
        """
        _check_multiple(multiple)
        rows = triples if isinstance(triples, (list, tuple)) else list(triples)
        try:
            column = [s for s, _, _ in rows]
        except (TypeError, ValueError):
            bad = next(r for r in rows if not isinstance(r, Sequence) or len(r) != 3)
            raise InputError(f"expected (source, variable, value) triples, got {bad!r}") from None
        sources = _factorize(column)
        column = [r[1] for r in rows]
        variables = _factorize(column)
        column = [r[2] for r in rows]
        values = _factorize(column)
        del column
        return cls._from_codes(sources, variables, values, multiple)

    @classmethod
    def from_columns(
        cls,
        sources: Iterable[Hashable],
        variables: Iterable[Hashable],
        values: Iterable[Hashable],
        multiple: Multiple = "all",
    ) -> ClaimGraph:
        """Build the graph of triples given as three columns of one length.

        Like :meth:`from_triples` with ``zip(sources, variables, values)``.
        A column may be a 1-D numpy array of integers, floats, booleans or
        strings: it is then grouped by numpy without making a Python object
        per row, which is several times faster on millions of rows (its
        labels become the matching Python scalars; every NaN is a value of
        its own).
        """
        _check_multiple(multiple)
        by_source = _factorize_any(sources)
        by_variable = _factorize_any(variables)
        by_value = _factorize_any(values)
        lengths = [len(by_source[0]), len(by_variable[0]), len(by_value[0])]
        if len(set(lengths)) > 1:
            raise InputError(f"columns must have one length, got {lengths}")
        return cls._from_codes(by_source, by_variable, by_value, multiple)

    @classmethod
    def _from_codes(
        cls,
        source_codes: _Factors,
        variable_codes: _Factors,
        value_codes: _Factors,
        multiple: Multiple,
    ) -> ClaimGraph:
        import numpy as np
        import scipy.sparse

        src, sources, source_index = source_codes
        var, variables, variable_index = variable_codes
        val, values, value_index = value_codes
        n_sources, n_vars, n_vals = len(sources), len(variables), max(len(values), 1)

        if multiple == "first" and len(src):
            first = np.sort(_unique(src * n_vars + var)[2])
            src, var, val = src[first], var[first], val[first]

        keys, claim_of = _unique_keys(var * n_vals + val, n_vars * n_vals)
        claim_var, claim_val = np.divmod(keys, n_vals)
        n_claims = len(keys)
        del var, val
        # scipy's COO -> CSR conversion (a counting sort) merges repeated
        # (source, claim) pairs: duplicated triples count once.
        matrix = scipy.sparse.coo_matrix(
            (np.ones(len(src)), (src, claim_of)), shape=(n_sources, n_claims)
        ).tocsr()
        del src, claim_of
        matrix.sum_duplicates()
        matrix.data[:] = 1.0

        if multiple == "error" and matrix.nnz:
            edge_src = np.repeat(np.arange(n_sources), np.diff(matrix.indptr))
            pair = edge_src * n_vars + claim_var[matrix.indices]  # sorted: rows, then claims
            repeated = np.flatnonzero(pair[1:] == pair[:-1])
            if len(repeated):
                s, c = int(edge_src[repeated[0]]), int(matrix.indices[repeated[0]])
                raise InputError(
                    f"source {sources[s]!r} claims more than one value for variable "
                    f"{variables[int(claim_var[c])]!r}"
                )
        return cls(
            sources,
            source_index,
            variables,
            variable_index,
            values,
            value_index,
            claim_var,
            claim_val,
            matrix,
            multiple,
        )

    @property
    def n_sources(self) -> int:
        """Number of distinct sources."""
        return len(self.sources)

    @property
    def n_variables(self) -> int:
        """Number of distinct variables."""
        return len(self.variables)

    @property
    def n_claims(self) -> int:
        """Number of distinct claims ``(variable, value)``."""
        return len(self._claim_var)

    @property
    def n_edges(self) -> int:
        """Number of distinct (source, claim) pairs kept."""
        return int(self.matrix.nnz)

    def claim(self, index: int) -> tuple[Hashable, Hashable]:
        """The ``(variable, value)`` pair of claim number ``index``."""
        return (
            self.variables[int(self._claim_var[index])],
            self._values[int(self._claim_val[index])],
        )

    def claim_index(self, claim: object) -> int | None:
        """The number of claim ``(variable, value)``, or ``None`` if no source made it."""
        import numpy as np

        if not isinstance(claim, tuple) or len(claim) != 2:
            return None
        try:
            var = self._variable_index.get(claim[0])
            val = self._value_index.get(claim[1])
        except TypeError:  # unhashable
            return None
        if var is None or val is None:
            return None
        key = var * max(len(self._values), 1) + val
        pos = int(np.searchsorted(self._claim_key, key))
        if pos < len(self._claim_key) and self._claim_key[pos] == key:
            return pos
        return None

    def source_index(self, source: object) -> int | None:
        """The number of ``source``, or ``None`` if it made no claim."""
        try:
            return self._source_index.get(source)
        except TypeError:
            return None

    def __repr__(self) -> str:
        return (
            f"<ClaimGraph: {self.n_sources} sources, {self.n_variables} variables, "
            f"{self.n_claims} claims, {self.n_edges} edges>"
        )


# --------------------------------------------------------------------------- result


class _ArrayMapping(Mapping[Any, float]):
    """Read-only mapping over an array of floats, keys in index order."""

    __slots__ = ("_graph", "_values")

    def __init__(self, graph: ClaimGraph, values: FloatArray) -> None:
        self._graph = graph
        self._values = values

    def _index(self, key: object) -> int | None:
        raise NotImplementedError

    def __getitem__(self, key: Any) -> float:
        i = self._index(key)
        if i is None:
            raise KeyError(key)
        return float(self._values[i])

    def __contains__(self, key: object) -> bool:
        return self._index(key) is not None

    def __len__(self) -> int:
        return len(self._values)

    def values(self) -> ValuesView[float]:
        """The values, in key order (fast: read straight from the array)."""
        return _Values(self)

    def items(self) -> ItemsView[Any, float]:
        """The ``(key, value)`` pairs (fast: read straight from the array)."""
        return _Items(self)

    def __repr__(self) -> str:
        shown = zip(self, self._values[:5].tolist(), strict=False)
        head = ", ".join(f"{k!r}: {v:.4g}" for k, v in shown)
        return f"{{{head}{', ...' if len(self) > 5 else ''}}}"


class _Values(ValuesView[float]):
    _mapping: _ArrayMapping

    def __iter__(self) -> Iterator[float]:
        return iter(self._mapping._values.tolist())


class _Items(ItemsView[Any, float]):
    _mapping: _ArrayMapping

    def __iter__(self) -> Iterator[tuple[Any, float]]:
        return zip(self._mapping, self._mapping._values.tolist(), strict=True)


@final
class _TrustMapping(_ArrayMapping):
    """source -> float."""

    __slots__ = ()

    def _index(self, key: object) -> int | None:
        return self._graph.source_index(key)

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._graph.sources)


@final
class _BeliefMapping(_ArrayMapping):
    """(variable, value) -> float."""

    __slots__ = ()

    def _index(self, key: object) -> int | None:
        return self._graph.claim_index(key)

    def __iter__(self) -> Iterator[tuple[Hashable, Hashable]]:
        return map(self._graph.claim, range(self._graph.n_claims))


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


# --------------------------------------------------------------------------- algorithms


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


def _change(trust: FloatArray, old_trust: FloatArray, belief: FloatArray, old: FloatArray) -> float:
    """The largest change of any trust or belief in one iteration."""
    import numpy as np

    return float(max(np.abs(trust - old_trust).max(), np.abs(belief - old).max()))


def _normalised(x: FloatArray) -> FloatArray:
    top = x.max()
    return x / top if top > 0 else x


def _sums(
    graph: ClaimGraph, iterations: int, tol: float, algorithm: str
) -> tuple[FloatArray, FloatArray, int, bool, float]:
    import numpy as np

    a = graph.matrix
    at = a.T
    trust = np.zeros(graph.n_sources)
    belief = np.full(graph.n_claims, 0.5)
    weights = None
    if algorithm == "average_log":
        counts = graph._counts.astype(np.float64)
        weights = np.log(counts) / counts
    delta, done, converged = math.nan, 0, False
    while done < iterations:
        new = a @ belief
        if weights is not None:
            new = weights * new
        old_belief, belief = belief, _normalised(at @ new)
        new = _normalised(new)
        delta = _change(new, trust, belief, old_belief)
        trust = new
        done += 1
        if delta <= tol:
            converged = True
            break
    return trust, belief, done, converged, delta


def _group_sum(graph: ClaimGraph, per_claim: FloatArray) -> FloatArray:
    """Sum over the claims of each variable."""
    import numpy as np

    sums = np.bincount(graph._claim_var, weights=per_claim, minlength=graph.n_variables)
    return np.asarray(sums, dtype=np.float64)


def _investment(
    graph: ClaimGraph, iterations: int, tol: float, g: float, start: FloatArray | None
) -> tuple[FloatArray, FloatArray, int, bool, float]:
    import numpy as np

    a = graph.matrix
    at = a.T
    counts = graph._counts.astype(np.float64)
    trust = np.ones(graph.n_sources) if start is None else start.copy()
    votes = at @ np.ones(graph.n_sources)
    belief = votes / _group_sum(graph, votes)[graph._claim_var]
    delta, done, converged = math.nan, 0, False
    while done < iterations:
        invested = trust / counts
        per_claim = at @ invested
        with np.errstate(divide="ignore", invalid="ignore"):
            returns = np.where(per_claim > 0, belief / per_claim, 0.0)
        new = invested * (a @ returns)
        old_belief, belief = belief, _normalised((at @ (new / counts)) ** g)
        new = _normalised(new)
        delta = _change(new, trust, belief, old_belief)
        trust = new
        done += 1
        if delta <= tol:
            converged = True
            break
    return trust, belief, done, converged, delta


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
    delta, done, converged = math.nan, 0, False
    while done < iterations:
        tau = -np.log1p(-np.minimum(trust, _MAX_TRUST))
        sigma = at @ tau
        if imp_t is not None:
            sigma = sigma + influence * (imp_t @ sigma)
        elif imp_all != 0.0 and influence != 0.0:
            others = _group_sum(graph, sigma)[graph._claim_var] - sigma
            sigma = sigma + influence * imp_all * others
        old_belief, belief = belief, expit(dampening * sigma)
        new = (a @ belief) / counts
        delta = _change(new, trust, belief, old_belief)
        trust = new
        done += 1
        if delta <= tol:
            converged = True
            break
    return trust, belief, done, converged, delta


def _prior_sums(
    graph: ClaimGraph,
    iterations: int,
    tol: float,
    means: FloatArray,
    strengths: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray, int, bool, float]:
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
