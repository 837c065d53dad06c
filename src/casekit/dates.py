"""Dates: the explicit `as_of` every time-dependent function takes, and due dates from payment terms."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from casekit.errors import DataError


def to_timestamp(value, name: str = "as_of") -> pd.Timestamp:
    """Return `value` (date, datetime, Timestamp, ISO string or `JJ/MM/AAAA`) as a midnight Timestamp."""
    if isinstance(value, pd.Timestamp):
        ts = value
    elif isinstance(value, (dt.date, dt.datetime)):
        ts = pd.Timestamp(value)
    elif isinstance(value, str):
        text = value.strip()
        try:
            if "/" in text:
                ts = pd.Timestamp(dt.datetime.strptime(text, "%d/%m/%Y"))
            else:
                ts = pd.Timestamp(dt.date.fromisoformat(text[:10]))
        except ValueError:
            raise DataError(
                f"date « {value} » illisible pour « {name} » (formats acceptés : AAAA-MM-JJ ou JJ/MM/AAAA)"
            ) from None
    else:
        raise DataError(f"« {name} » doit être une date (reçu : {type(value).__name__})")
    if pd.isna(ts):
        raise DataError(f"« {name} » ne peut pas être vide")
    return ts.tz_localize(None).normalize() if ts.tzinfo else ts.normalize()


def due_dates(document_dates: pd.Series, days, end_of_month=False) -> pd.Series:
    """Due dates from payment terms.

    `days` and `end_of_month` are scalars or Series aligned on `document_dates`. "45 jours fin de mois" is
    computed as document date + 45 days, then the end of that month (the convention most used in France).
    """
    dates = pd.to_datetime(document_dates)
    due = dates + pd.to_timedelta(days, unit="D")
    eom = pd.Series(end_of_month, index=dates.index, dtype=bool) if not isinstance(end_of_month, bool) \
        else pd.Series(end_of_month, index=dates.index)
    month_end = due + pd.offsets.MonthEnd(0)
    return due.where(~eom, month_end)
