"""Lookups by text key (document references) on millions of rows: one sort of 64-bit integers, checked on the texts.

Libraries build a hash table of the ten million references, which costs seconds on two cores (10 million references
looked up among 10 million: pyarrow `index_in` 3.0 s, DuckDB join 2.1 s, polars join 3.8 s, pandas `factorize`
4.9 s; measured 2026-11-24). Here each text becomes a 64-bit integer (its bytes, multiplied together), the integers
of both sides are sorted together once (numpy), and every match found that way is compared with the texts' bytes
(1.3 s). The rare texts whose integers collide, few values looked up many times, and texts that are missing, hold a
NUL byte or are longer than `WIDEST` bytes go to pyarrow's hash table.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

WIDEST = 32  # bytes: longer texts are looked up in pyarrow's hash table
BLOCK = 1 << 20  # rows compared at a time: small copies, reused memory
_MULTIPLIERS = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9))


def _arrow(values) -> pa.ChunkedArray:
    series = pd.Series(values)
    if not isinstance(series.dtype, pd.StringDtype):
        series = series.astype("str")
    array = pa.array(series)  # pandas may hold `string` or `large_string`, in one or several chunks
    return pa.chunked_array(array.chunks if isinstance(array, pa.ChunkedArray) else [array]).cast(pa.large_string())


@dataclass(frozen=True)
class Lookup:
    """`positions`: for each key, the position in the index of every value (its first occurrence), -1 when absent;
    `duplicated`: True for every index value already seen above it."""

    positions: list[np.ndarray]
    duplicated: np.ndarray


def lookup(index, *keys, among=None) -> Lookup:
    """`positions(index, *keys)` and `duplicated(index)` from a single sort.

    `among`: a boolean mask of the `index` rows to search; positions then count those rows only, as with
    `index[among]` but without copying the texts (the other rows are never found, nor duplicated).
    Example: `lookup(["a", "b", "a"], ["b", "c"])` → positions `[array([1, -1])]`, duplicated
    `array([False, False, True])`.
    """
    values, probes = _arrow(index), [_arrow(k) for k in keys]
    rows = None if among is None else np.flatnonzero(np.asarray(among, dtype=bool))
    probe = pa.chunked_array([chunk for p in probes for chunk in p.chunks], pa.large_string())
    found, repeated = _search(values, probe, rows)
    duplicated = np.zeros(len(values), bool)
    duplicated[repeated if rows is None else rows[repeated]] = True
    return Lookup(np.split(found, np.cumsum([len(p) for p in probes])[:-1]) if probes else [], duplicated)


def in_background(func, *args) -> Future:
    """`func(*args)` (a lookup) running on a thread of its own while the caller goes on (numpy and pyarrow release
    Python's lock as they sort and hash); its result, or its error, waits in the future."""
    pool = ThreadPoolExecutor(1)
    future = pool.submit(func, *args)
    pool.shutdown(wait=False)
    return future


def positions(index, *keys) -> list[np.ndarray]:
    """For each `keys`, the position in `index` of every value (its first occurrence), -1 when absent.

    Example: `positions(["a", "b", "a"], ["b", "c"])` → `[array([1, -1])]`.
    """
    return lookup(index, *keys).positions


def duplicated(values) -> np.ndarray:
    """True for every value already seen above it, like `Series.duplicated()`."""
    return lookup(values).duplicated


def _search(values: pa.ChunkedArray, probe: pa.ChunkedArray, rows: np.ndarray | None):
    """Each probe's rank among the values (of `rows` only, when given) of its first equal value, -1 when none; and
    the ranks of the values equal to an earlier one."""
    count = len(values) if rows is None else len(rows)
    width = None if 8 * count < len(probe) else _width(values, probe)  # few values: their hash table is quicker
    if width is None:
        chosen = values if rows is None else values.take(rows)
        found = _hash_table(chosen, pa.chunked_array(chosen.chunks + probe.chunks, pa.large_string()))
        return found[count:], np.flatnonzero(found[:count] != np.arange(count))
    keys = np.empty(count + len(probe), np.uint64)  # the integers of the values, then of the probes
    with ThreadPoolExecutor(2) as pool:  # each side on its own thread
        (value_text, value_hash), (probe_text, _) = pool.map(
            lambda side: _hashed(*side, width), ((values, None if rows is not None else keys[:count]),
                                                 (probe, keys[count:])))
        if rows is not None:
            np.take(value_hash, rows, out=keys[:count])
        found, repeated, first = _join(keys, count)
        wrong = np.flatnonzero(_differs(probe_text, found, value_text, rows, pool))
        mine = repeated if rows is None else rows[repeated]
        suspect = _differs(value_text[mine], first, value_text, rows, pool)  # a repeated value, or a collision
    if len(wrong) or suspect.any():
        texts = pa.chunked_array([probe.take(wrong), values.take(mine[suspect])], pa.large_string())
        exact = _exact(values, value_text, rows, texts)
        found[wrong] = exact[:len(wrong)]
        again = repeated[suspect][exact[len(wrong):] < repeated[suspect]]
        repeated = np.sort(np.concatenate([repeated[~suspect], again]))
    return found, repeated


def _width(*texts: pa.ChunkedArray) -> int | None:
    """The bytes every text fits in (a multiple of 8); None when a text is missing, holds a NUL byte (the padding)
    or is longer than `WIDEST` bytes."""
    if any(t.null_count or not all(_bytes(chunk).all() for chunk in t.chunks) for t in texts):
        return None
    longest = max(pc.max(pc.binary_length(t)).as_py() or 0 for t in texts)
    return None if longest > WIDEST else 8 * max(1, -(-longest // 8))


def _bytes(texts: pa.Array) -> np.ndarray:
    """The bytes of the texts, one after the other (no copy)."""
    if not len(texts):
        return np.empty(0, np.uint8)
    offsets = np.frombuffer(texts.buffers()[1], np.int64, len(texts) + 1, texts.offset * 8)
    return np.frombuffer(texts.buffers()[2] or b"", np.uint8)[offsets[0]:offsets[-1]]


def _hashed(texts: pa.ChunkedArray, out: np.ndarray | None, width: int) -> tuple[np.ndarray, np.ndarray]:
    """The texts NUL-padded to `width` bytes (numpy `S<width>`), and a 64-bit integer of each (written to `out`)."""
    # ascii_rpad pads bytes, whatever the characters; a single chunk is used as it is, without a copy
    padded = [_bytes(pc.ascii_rpad(chunk, width=width, padding="\0")).view(f"S{width}") for chunk in texts.chunks]
    text = padded[0] if len(padded) == 1 else np.concatenate([np.empty(0, f"S{width}"), *padded])
    return text, _hash(text, np.empty(len(text), np.uint64) if out is None else out)


def _hash(text: np.ndarray, out: np.ndarray) -> np.ndarray:
    """A 64-bit integer of each padded text (`S<width>`), written to `out`."""
    words = text.view(np.uint64).reshape(len(text), text.itemsize // 8)
    np.multiply(words[:, 0], _MULTIPLIERS[0], out=out)
    for column in range(1, words.shape[1]):
        out += words[:, column]
        out *= _MULTIPLIERS[1]
    return out


def _join(keys: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`keys`: the integers of the values (the first `count`), then of the probes. For each probe the first value
    with the same integer (-1: none); the values after the first of their integer, and that first one.

    The integers' high bits and the row numbers (low bits) are sorted together (in `keys`, overwritten): the rows
    of one integer end up side by side, its values first, in their order."""
    total = len(keys)
    low = np.uint64(1) << np.uint64(max(total - 1, 1).bit_length())
    row = np.arange(total)
    keys &= ~(low - np.uint64(1))
    keys |= row.view(np.uint64)
    keys.sort()
    np.bitwise_and(keys, low - np.uint64(1), out=row.view(np.uint64))
    keys -= row.view(np.uint64)
    start = np.empty(total, bool)
    start[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=start[1:])
    first = row[start]  # the first row of each integer: a value, if the integer has any
    first[first >= count] = -1
    each = np.cumsum(start, out=keys.view(np.int64))
    each -= 1
    np.take(first, each, out=each, mode="clip")  # every row's first value
    repeated = np.flatnonzero(~start & (row < count))
    match = np.empty(total, np.int64)
    match[row] = each
    return match[count:], row[repeated], each[repeated]


def _differs(mine: np.ndarray, match: np.ndarray, text: np.ndarray, rows: np.ndarray | None, pool) -> np.ndarray:
    """Whether each of the texts `mine` differs from the value text (`text`) of rank `match` among the `rows` (all:
    None); -1, no match: no difference. `BLOCK` rows at a time (small copies), on `pool`'s threads."""
    out = np.zeros(len(match), bool)

    def compare(start: int) -> None:
        rank = match[start:start + BLOCK]
        theirs = text.take(rank if rows is None else rows.take(rank, mode="clip"), mode="clip")
        out[start:start + BLOCK] = (rank >= 0) & (theirs != mine[start:start + BLOCK])

    if len(text):
        list(pool.map(compare, range(0, len(match), BLOCK)))
    return out


def _exact(values: pa.ChunkedArray, value_text: np.ndarray, rows: np.ndarray | None, texts: pa.ChunkedArray):
    """The rank of each of `texts` among the `rows` (all: None) of `values` (padded: `value_text`), exactly:
    pyarrow's hash table of the values whose integer is one of the `texts`' integers."""
    chosen = value_text if rows is None else value_text[rows]
    hashes = _hashed(texts, None, value_text.itemsize)[1]
    suspects = np.flatnonzero(np.isin(_hash(chosen, np.empty(len(chosen), np.uint64)), hashes))
    return np.append(suspects, -1)[_hash_table(values.take(suspects if rows is None else rows[suspects]), texts)]


def _hash_table(values: pa.ChunkedArray, probe: pa.ChunkedArray) -> np.ndarray:
    """Each `probe` text's first position in `values`, -1 when absent, with pyarrow's hash table."""
    found = pc.index_in(probe, value_set=values.combine_chunks()).fill_null(-1)
    return found.to_numpy().astype(np.int64)
