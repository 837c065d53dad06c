"""Vectorised parsing of French amounts and dates, with errors that name the file, line and column.

The FEC's own formats (`1888,31`, `20251231`) take a fast path (one cast); other spellings the general one.
"""

from __future__ import annotations

import pandas as pd

from casekit.errors import DataError

PLAIN_AMOUNT = r"-?\d+(?:[.,]\d+)?"
DATE_FORMATS = (("%Y%m%d", r"^\d{8}$"), ("%Y-%m-%d", r"^\d{4}-\d{2}-\d{2}"),
                ("%d/%m/%Y", r"^\d{1,2}/\d{1,2}/\d{4}$"), ("%d.%m.%Y", r"^\d{1,2}\.\d{1,2}\.\d{4}$"))


def _first_bad(bad: pd.Series, values: pd.Series, lines: pd.Series | None, path, column, what: str):
    if bad.any():
        pos = int(bad.to_numpy().argmax())
        line = int(lines.iloc[pos]) if lines is not None else pos + 2
        raise DataError(f"{what} illisible « {values.iloc[pos]} »", path=path, line=line, column=column)


def parse_amounts(values: pd.Series, *, path=None, column=None, lines=None, allow_empty=True) -> pd.Series:
    """`"0000001888,31"`, `"1 888,31"`, `"1.888,31"`, `"-12.5"`, `"(12,50)"` or numbers → float (empty → 0)."""
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(float).fillna(0.0)
    text = values.astype(str).str.strip()
    empty = text.isin(["", "nan", "None"])
    if (empty | text.str.fullmatch(PLAIN_AMOUNT)).all():
        if not allow_empty:
            _first_bad(empty, values, lines, path, column, "montant")
        number = text.where(~empty, "0").str.replace(",", ".", regex=False).astype("float64[pyarrow]")
        return pd.Series(number.to_numpy("float64"), index=values.index)
    text = text.str.replace(r"[\s\u00a0\u202f€]", "", regex=True)
    negative = text.str.startswith("(") & text.str.endswith(")")
    text = text.str.strip("()")
    both = text.str.contains(",", regex=False) & text.str.contains(".", regex=False)
    text = text.where(~both, text.str.replace(".", "", regex=False))
    text = text.str.replace(",", ".", regex=False)
    empty = text.isin(["", "nan", "None"])
    number = pd.to_numeric(text.where(~empty), errors="coerce")
    bad = number.isna() & ~empty
    if not allow_empty:
        bad = bad | empty
    _first_bad(bad, values, lines, path, column, "montant")
    return number.fillna(0.0).where(~negative, -number).astype(float)


def parse_dates(values: pd.Series, *, path=None, column=None, lines=None, required=True) -> pd.Series:
    """`AAAAMMJJ`, `AAAA-MM-JJ`, `JJ/MM/AAAA` (day first) or datetimes → datetime64 (empty → NaT if allowed)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = values
        empty = values.isna()
    else:
        text = values.astype(str).str.strip()
        empty = text.isin(["", "nan", "NaT", "None"])
        parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
        pending = ~empty
        for fmt, pattern in DATE_FORMATS:
            if not pending.any():
                break
            match = pending & (_eight_digits(text) if fmt == "%Y%m%d" else text.str.match(pattern))
            if match.any():
                parsed[match] = pd.to_datetime(text[match].str[:10] if fmt == "%Y-%m-%d" else text[match],
                                               format=fmt, errors="coerce")
            pending &= ~match
    bad = parsed.isna() & ~empty
    if required:
        bad = bad | empty
    _first_bad(bad, values, lines, path, column, "date")
    return pd.to_datetime(parsed).astype("datetime64[ns]")


def _eight_digits(text: pd.Series) -> pd.Series:
    """`^\\d{8}$` without a regular expression (ten times faster on a million lines)."""
    return (text.str.len() == 8) & text.str.isascii() & text.str.isdecimal()

