"""Text lookups (`casekit.lookup`): the sort of 64-bit integers gives exactly what a dictionary of the texts gives,
whether the texts' integers collide or not, and the texts it cannot hold go to pyarrow's hash table."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from casekit import lookup as lk

TEXTS = ["FA2025-00001", "FA2025-00001-001", "AV2025-0001", "é", "e", "", "a-b", "FA2025-00002", "x" * 16]


def first_positions(index, keys):
    """The reference: a dictionary of each text's first position."""
    first = {}
    for position, text in enumerate(index):
        first.setdefault(text, position)
    return np.array([first.get(text, -1) for text in keys], dtype=np.int64)


def random_texts(rng, count, pool=TEXTS):
    return [pool[i] for i in rng.integers(0, len(pool), count)]


def check(index, *keys, among=None):
    """`lookup` against the reference, with and without `among`."""
    chosen = list(index) if among is None else [t for t, keep in zip(index, among) if keep]
    found = lk.lookup(index, *keys, among=among)
    for mine, key in zip(found.positions, keys, strict=True):
        assert mine.dtype == np.int64
        np.testing.assert_array_equal(mine, first_positions(chosen, key))
    expected = np.zeros(len(index), bool)
    expected[np.flatnonzero(among) if among is not None else slice(None)] = pd.Series(chosen, dtype=object).duplicated()
    np.testing.assert_array_equal(found.duplicated, expected)


def refused(*args):
    raise AssertionError("not the path these texts should take")


@pytest.mark.parametrize("seed", range(5))
def test_sorted_integers_give_the_dictionary_lookup(monkeypatch, seed):
    monkeypatch.setattr(lk, "_exact", refused)  # no two of these texts share an integer: no second look
    rng = np.random.default_rng(seed)
    index = random_texts(rng, 300)  # repeated texts: the first position wins
    keys = random_texts(rng, 200, TEXTS + ["absent", "FA2025-00003"]), random_texts(rng, 50)
    check(index, *keys)
    check(index, *keys, among=rng.random(len(index)) < 0.5)


@pytest.mark.parametrize("seed", range(5))
def test_colliding_integers_are_resolved_on_the_texts(monkeypatch, seed):
    hash_texts = lk._hash

    def weak(text, out):  # four integers for every text: collisions everywhere
        hash_texts(text, out)
        out &= np.uint64(0xC000000000000000)
        return out

    monkeypatch.setattr(lk, "_hash", weak)
    rng = np.random.default_rng(seed)
    index = random_texts(rng, 100)
    keys = random_texts(rng, 120, TEXTS + ["absent"])
    check(index, keys)
    check(index, keys, among=rng.random(len(index)) < 0.7)


def test_few_values_and_special_texts_use_pyarrow(monkeypatch):
    monkeypatch.setattr(lk, "_join", refused)
    check(["a", "b"], ["b", "c"] * 20)  # 2 values, 40 probes: a hash table of 2 texts
    check(["a\0", "a", "b"], ["a", "a\0", "b", "a\0\0"])  # a NUL byte: the padding would confuse "a" and "a\0"
    check(["y" * 40, "y" * 39, "z"], ["y" * 39, "y" * 40, "z"])  # longer than WIDEST bytes
    index = pd.Series(["a", None, "b", None], dtype="str")  # missing values find each other, as in pyarrow
    assert lk.positions(index, pd.Series([None, "b", "c"], dtype="str"))[0].tolist() == [1, 2, -1]


def test_texts_of_every_width_and_bytes(monkeypatch):
    monkeypatch.setattr(lk, "_exact", refused)
    texts = ["", "a", "é" * 4, "12345678", "123456789", "x" * 30 + "é", "ab" * 8, "ab" * 8 + "c"]  # up to 32 bytes
    check(texts + texts[::-1], texts + ["ab" * 7], texts[::2])


def test_empty_tables_and_no_keys():
    check([], ["a"])
    check(["a", "b"], [])
    check([], [])
    assert lk.positions(["a", "a"]) == [] and lk.duplicated(["a", "a"]).tolist() == [False, True]
    check(["a", "b"], ["a"], among=[False, False])


def test_texts_in_several_chunks(monkeypatch):
    """Tables read from Parquet hold their texts in several chunks (an empty one too): the same positions."""
    monkeypatch.setattr(lk, "_exact", refused)

    def chunked(*chunks):
        return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(chunks, pa.large_string())))

    index = chunked(["FA-1", "FA-2"], [], ["FA-3", "FA-1"])
    keys = chunked(["FA-3"], ["FA-9", "FA-1", "FA-2"])
    found = lk.lookup(index, keys)
    assert found.positions[0].tolist() == [2, -1, 0, 1] and found.duplicated.tolist() == [False, False, False, True]
