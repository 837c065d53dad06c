"""Large data sets for the benchmarks, grown from the fil rouge and cached in benchmarks/data/ (not versioned).

* `fec_file(lines, sep)`: the fil rouge's FEC at 31/12/2025 grown to `lines` lines by whole customers
  (`casekit.fec.scale_fec`), written in the legal format (Latin-1, decimal comma, tab or `|`).
* `tables(copies)`: the fil rouge's invoices, payments, customers and disputes repeated `copies` times, copy k ≥ 1
  with its identifiers suffixed `-k` as `scale_fec` does (445 copies ≈ 10 million invoice lines), as Parquet.
* `open_items(count)`: the fil rouge's open items at 31/12/2025 repeated the same way and cut to `count` items.

A cached file's name carries a digest of the fil rouge's data and of the code that grows it, so a change of either
regenerates it; a second `make bench` reuses it.
"""

from __future__ import annotations

import hashlib
import inspect
from pathlib import Path

import numpy as np
import pandas as pd

import casekit
from casekit.casestudy.case import REPO_DATA
from casekit.fec import fec_from_case, scale_fec, write_fec

DATA = Path(__file__).resolve().parent / "data"
AS_OF = "2025-12-31"
TABLES = {"invoices": ("document_ref", "customer_id", "related_ref", "dispute_id"),
          "payments": ("payment_ref", "customer_id", "document_ref"),
          "customers": ("customer_id", "customer_name"),
          "disputes": ("dispute_id", "document_ref", "customer_id")}
SEPARATORS = {"tab": "\t", "pipe": "|"}


def fingerprint() -> str:
    """Eight hex digits of the fil rouge's data and of the code that grows it."""
    digest = hashlib.sha1()
    for path in sorted(REPO_DATA.glob("*.csv")):
        digest.update(path.read_bytes())
    for func in (fec_from_case, scale_fec, write_fec, replicate):
        digest.update(inspect.getsource(func).encode())
    return digest.hexdigest()[:8]


def _cached(name: str, write) -> Path:
    """`DATA/name` (with the fingerprint), written by `write(path)` when absent; older versions removed."""
    stem, suffix = name.rsplit(".", 1)
    path = DATA / f"{stem}_{fingerprint()}.{suffix}"
    if not path.exists():
        DATA.mkdir(exist_ok=True)
        for old in DATA.glob(f"{stem}_*.{suffix}"):
            old.unlink()
        partial = path.with_name(path.name + ".partiel")
        write(partial)
        partial.rename(path)
    return path


def fec_file(lines: int, sep: str = "tab") -> Path:
    """The fil rouge's FEC grown to about `lines` lines, `sep` "tab" or "pipe", Latin-1."""
    def write(path):
        write_fec(scale_fec(fec_from_case(casekit.load_case(), AS_OF), lines), path, sep=SEPARATORS[sep])
    return _cached(f"FEC_{lines}_{sep}.txt", write)


def replicate(table: pd.DataFrame, copies: int, columns) -> pd.DataFrame:
    """`table` repeated `copies` times; in copy k ≥ 1 the non-empty `columns` get the suffix `-k` (3 digits)."""
    copy = np.repeat(np.arange(copies), len(table))
    out = table.iloc[np.tile(np.arange(len(table)), copies)].reset_index(drop=True)
    suffix = pd.Series(np.array([""] + [f"-{k:03d}" for k in range(1, copies)], dtype=object)[copy], dtype="str")
    for column in columns:
        out[column] = out[column].where(out[column] == "", out[column] + suffix)
    return out


def tables(copies: int) -> dict[str, pd.DataFrame]:
    """The fil rouge's `TABLES` repeated `copies` times (cached as Parquet)."""
    case = casekit.load_case()
    out = {}
    for name, columns in TABLES.items():
        path = _cached(f"{name}_{copies}.parquet",
                       lambda p, n=name, c=columns: replicate(getattr(case, n), copies, c).to_parquet(p))
        out[name] = pd.read_parquet(path)
    return out


def open_items(count: int) -> pd.DataFrame:
    """`count` open items: the fil rouge's at 31/12/2025, repeated as `replicate` does."""
    items = casekit.load_case().open_items(AS_OF)
    copies = -(-count // len(items))
    return replicate(items, copies, ("customer_id", "customer_name", "document_ref")).head(count)
