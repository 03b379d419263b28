"""Grouping of claim-graph columns: codes, distinct labels and label index.

:class:`srcscore._claimgraph.ClaimGraph` turns each of its three columns
(sources, variables, values) into integer codes in first-appearance order.
Grouping goes through numpy (sorting, or hashing with checks) rather than a
Python dict per row, which is several times faster on millions of rows; every
fast path checks its result and falls back to a dict when a check fails, so
items are grouped exactly as dict keys would be. numpy is imported lazily.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ._exceptions import InputError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    IntArray = npt.NDArray[np.int64]

#: codes (one per row), distinct labels by code, and label -> code.
_Factors = tuple["IntArray", list[Hashable], dict[Hashable, int]]


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
