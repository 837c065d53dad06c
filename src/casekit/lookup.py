"""Lookups by text key (document references) on millions of rows, with one pyarrow hash table.

pandas' `map` / `reindex` / `duplicated` on ten million distinct strings rebuild or re-check their hash table
several times per call (tens of seconds); `positions` builds it once, in C++.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def _arrow(values) -> pa.Array:
    series = pd.Series(values)
    if not isinstance(series.dtype, pd.StringDtype):
        series = series.astype("str")
    array = pa.array(series)
    array = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
    return array.cast(pa.large_string())  # pandas may hold `string` or `large_string`


def positions(index, *keys) -> list[np.ndarray]:
    """For each `keys`, the position in `index` of every value (its first occurrence), -1 when absent.

    Example: `positions(["a", "b", "a"], ["b", "c"])` → `[array([1, -1])]`.
    """
    probes = [_arrow(k) for k in keys]
    found = pc.index_in(pa.concat_arrays(probes), value_set=_arrow(index)).fill_null(-1).to_numpy().astype(np.int64)
    return np.split(found, np.cumsum([len(p) for p in probes])[:-1])


def duplicated(values) -> np.ndarray:
    """True for every value already seen above it, like `Series.duplicated()`."""
    first = positions(values, values)[0]
    return first != np.arange(len(first))
