"""Vectorised parsing of French amounts and dates, with errors that name the file, line and column."""

from __future__ import annotations

import pandas as pd

from casekit.errors import DataError


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
        for fmt, pattern in (("%Y%m%d", r"^\d{8}$"), ("%Y-%m-%d", r"^\d{4}-\d{2}-\d{2}"),
                             ("%d/%m/%Y", r"^\d{1,2}/\d{1,2}/\d{4}$"), ("%d.%m.%Y", r"^\d{1,2}\.\d{1,2}\.\d{4}$")):
            match = text.str.match(pattern) & parsed.isna()
            if match.any():
                parsed[match] = pd.to_datetime(text[match].str[:10] if fmt == "%Y-%m-%d" else text[match],
                                               format=fmt, errors="coerce")
    bad = parsed.isna() & ~empty
    if required:
        bad = bad | empty
    _first_bad(bad, values, lines, path, column, "date")
    return pd.to_datetime(parsed).astype("datetime64[ns]")
