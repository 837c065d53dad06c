"""French display of numbers, money, percentages and dates (`1 234,56 €`, `12,5 %`, `31/12/2025`)."""

from __future__ import annotations

import math

import pandas as pd

NBSP = "\u00a0"


def number(value, decimals: int = 0) -> str:
    """`1234567.891` → `1 234 567,89` (no-break space between thousands, decimal comma)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NBSP).replace(".", ",")


def euros(value, decimals: int = 2) -> str:
    """`1234.5` → `1 234,50 €`."""
    text = number(value, decimals)
    return text if text == "–" else f"{text}{NBSP}€"


def percent(ratio, decimals: int = 1) -> str:
    """A ratio `0.125` → `12,5 %`."""
    if ratio is None or (isinstance(ratio, float) and math.isnan(ratio)):
        return "–"
    return f"{number(ratio * 100, decimals)}{NBSP}%"


def _count(value, decimals: int, singular: str, plural: str) -> str:
    """A number with its unit, singular below two as French writes it (`1,5 jour`, `0 an`)."""
    text = number(value, decimals)
    if text == "–":
        return text
    return f"{text}{NBSP}{singular if abs(round(float(value), decimals)) < 2 else plural}"


def days(value, decimals: int = 1) -> str:
    """`62.37` → `62,4 jours`; `1.5` → `1,5 jour`."""
    return _count(value, decimals, "jour", "jours")


def years(value, decimals: int = 0) -> str:
    """`3` → `3 ans`; `0` → `0 an`."""
    return _count(value, decimals, "an", "ans")


def date(value) -> str:
    """A date → `31/12/2025`; missing → `–`."""
    if value is None or pd.isna(value):
        return "–"
    return pd.Timestamp(value).strftime("%d/%m/%Y")


FORMATTERS = {"euros": euros, "euros0": lambda v: euros(v, 0), "percent": percent, "days": days, "date": date,
              "number": number, "number1": lambda v: number(v, 1), "text": lambda v: "" if v is None else str(v)}


def french_table(df: pd.DataFrame, formats: dict[str, str] | None = None, labels: dict[str, str] | None = None,
                 index_label: str | None = None) -> pd.DataFrame:
    """A display copy of `df`: each column formatted the French way, then renamed to its French label.

    `formats` maps a column to one of `FORMATTERS` ("euros", "euros0", "percent", "days", "date", "number",
    "number1", "text"); columns not listed are left as they are. The data itself is never changed.
    """
    out = df.copy()
    for col, kind in (formats or {}).items():
        if col in out.columns:
            out[col] = out[col].map(FORMATTERS[kind]).astype(object)
    out = out.rename(columns=labels or {})
    if index_label is not None:
        out.index.name = index_label
    return out
