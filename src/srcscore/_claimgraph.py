"""The claim graph of a corpus, and read-only mappings over its per-source and per-claim arrays.

A :class:`ClaimGraph` holds the ``(source, variable, value)`` triples of a
corpus as one sparse incidence matrix (sources x claims, CSR) plus the
variable and value of each claim, claims sorted by variable; see
:mod:`srcscore._truth` for the algorithms that run on it. The mappings expose
an array of one float per source (or per claim) as a ``Mapping`` keyed by the
graph's labels without copying it into a dict. numpy and scipy are imported
lazily.
"""

from __future__ import annotations

from collections.abc import (
    Hashable,
    ItemsView,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
    ValuesView,
)
from typing import TYPE_CHECKING, Any, Literal, final

from ._exceptions import InputError
from ._factorize import _factorize, _factorize_any, _Factors, _unique, _unique_keys

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]
    IntArray = npt.NDArray[np.int64]

Multiple = Literal["all", "first", "error"]
Triple = tuple[Hashable, Hashable, Hashable]


# --------------------------------------------------------------------------- graph


def _check_multiple(multiple: str) -> None:
    """Raise :class:`~srcscore.InputError` unless ``multiple`` is a known policy."""
    if multiple not in ("all", "first", "error"):
        raise InputError(f"multiple must be 'all', 'first' or 'error', got {multiple!r}")


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


# --------------------------------------------------------------------------- mappings


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
