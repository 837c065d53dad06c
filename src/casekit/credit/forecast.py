"""Cash forecast: expected collections per week or month, from the open items and each customer's payment
delay.

Rule. A customer's delay is the amount-weighted average of (payment date − due date) over the cash it paid
in the `lookback_days` before `as_of` (credit-note offsets are not cash and are left out); customers without
history get the overall average. Each open invoice is expected at due date + its customer's delay; when that
date is already past (the item is later than its customer usually is), it is expected in the first period
(`as_of` + 1 day). The naive forecast expects every item at its due date, overdue items in the first period.
Credits (< 0) are not forecast; items more than `doubtful_after_days` overdue are treated as doubtful and left
out of both forecasts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from casekit.credit.penalties import CREDIT_NOTE_OFFSET  # payment_method of a credit note offset (no cash)
from casekit.dates import to_timestamp
from casekit.errors import DataError
from casekit.plots import PALETTE, euro_axis, new_figure

FREQS = {"W": "semaine", "M": "mois"}
DEFAULT_HORIZON = {"W": 13, "M": 6}


def payment_lines(invoices: pd.DataFrame, payments: pd.DataFrame, start=None, end=None) -> pd.DataFrame:
    """Cash allocated to invoices and paid in (`start`, `end`], one row per allocation.

    Columns: `customer_id`, `document_ref`, `due_date`, `payment_date`, `amount`, `days_late` (payment date −
    due date, negative when paid early). Credit-note offsets and unallocated receipts are left out.
    """
    pay = payments[(payments["amount"] > 0) & (payments["document_ref"].astype(str) != "")]
    if "payment_method" in pay.columns:
        pay = pay[pay["payment_method"].astype(str) != CREDIT_NOTE_OFFSET]
    if start is not None:
        pay = pay[pay["payment_date"] > to_timestamp(start, "start")]
    if end is not None:
        pay = pay[pay["payment_date"] <= to_timestamp(end, "end")]
    due = invoices.loc[invoices["amount_incl_vat"] > 0].set_index("document_ref")["due_date"]
    lines = pay[["customer_id", "document_ref", "payment_date", "amount"]].assign(
        due_date=pay["document_ref"].map(due))
    lines = lines[lines["due_date"].notna()]
    lines["days_late"] = (lines["payment_date"] - lines["due_date"]).dt.days.astype(float)
    return lines[["customer_id", "document_ref", "due_date", "payment_date", "amount", "days_late"]] \
        .reset_index(drop=True)


def customer_payment_delays(invoices: pd.DataFrame, payments: pd.DataFrame, as_of,
                            lookback_days: int = 365) -> pd.DataFrame:
    """Each customer's amount-weighted average payment delay (days after due date) at `as_of`.

    Only payments dated in (`as_of` − `lookback_days`, `as_of`] count. Index `customer_id`; columns
    `payments` (allocations), `amount_paid`, `average_delay`. Example: 1 000 € paid 10 days late and 3 000 €
    paid on time → (1 000 × 10 + 3 000 × 0) / 4 000 = 2,5 days.
    """
    as_of = to_timestamp(as_of)
    lines = payment_lines(invoices, payments, as_of - pd.Timedelta(days=lookback_days), as_of)
    weighted = lines.assign(w=lines["amount"] * lines["days_late"])
    out = weighted.groupby("customer_id").agg(payments=("amount", "size"), amount_paid=("amount", "sum"),
                                              w=("w", "sum"))
    out["average_delay"] = out["w"] / out["amount_paid"]
    out["payments"] = out["payments"].astype(int)
    return out.drop(columns="w")


def overall_delay(delays: pd.DataFrame) -> float:
    """The amount-weighted average delay of all customers (0 without history)."""
    paid = delays["amount_paid"].sum()
    return float((delays["average_delay"] * delays["amount_paid"]).sum() / paid) if paid > 0 else 0.0


def _delays(payment_behaviour) -> tuple[pd.Series, float]:
    if payment_behaviour is None:
        return pd.Series(dtype=float), 0.0
    if isinstance(payment_behaviour, pd.DataFrame):
        if "average_delay" not in payment_behaviour.columns:
            raise DataError("comportement de paiement : colonne « average_delay » attendue "
                            "(voir customer_payment_delays)")
        default = overall_delay(payment_behaviour) if "amount_paid" in payment_behaviour else \
            float(payment_behaviour["average_delay"].mean())
        return payment_behaviour["average_delay"].astype(float), default
    series = pd.Series(payment_behaviour, dtype=float)
    return series, float(series.mean()) if len(series) else 0.0


def expected_payment_dates(open_items: pd.DataFrame, as_of, payment_behaviour=None,
                           doubtful_after_days: int | None = 180) -> pd.DataFrame:
    """The open invoices at `as_of` with `delay`, `expected_date` (forecast) and `naive_date` (due date).

    `payment_behaviour`: the `customer_payment_delays` table (or a Series customer_id → delay in days);
    `None` gives delay 0 (forecast = naive). Column `doubtful` marks items more than `doubtful_after_days`
    overdue (`None`: none); they are kept here but left out of `forecast_collections`.
    """
    as_of = to_timestamp(as_of)
    delays, default = _delays(payment_behaviour)
    items = open_items[(open_items["document_date"] <= as_of) & (open_items["amount"] > 0)].copy()
    first = as_of + pd.Timedelta(days=1)
    items["delay"] = items["customer_id"].map(delays).astype(float).fillna(default)
    expected = items["due_date"] + pd.to_timedelta(items["delay"].round(), unit="D")
    items["expected_date"] = expected.where(expected > as_of, first)
    items["naive_date"] = items["due_date"].where(items["due_date"] > as_of, first)
    overdue_days = (as_of - items["due_date"]).dt.days
    items["doubtful"] = False if doubtful_after_days is None else overdue_days > doubtful_after_days
    return items.reset_index(drop=True)


def _check_freq(freq: str) -> None:
    if freq not in FREQS:
        raise DataError(f"fréquence « {freq} » inconnue (attendu : W pour semaine ou M pour mois)")


def _periods(as_of: pd.Timestamp, freq: str, horizon) -> pd.PeriodIndex:
    _check_freq(freq)
    horizon = DEFAULT_HORIZON[freq] if horizon is None else int(horizon)
    if horizon < 1:
        raise DataError("l'horizon de prévision doit compter au moins une période")
    first = (as_of + pd.Timedelta(days=1)).to_period(freq)
    return pd.period_range(first, periods=horizon, freq=first.freq).rename("period")


def forecast_collections(open_items: pd.DataFrame, as_of, payment_behaviour=None, freq: str = "W",
                         horizon: int | None = None, doubtful_after_days: int | None = 180) -> pd.DataFrame:
    """Expected collections per period (`freq` "W" weeks or "M" months, `horizon` periods from `as_of` + 1).

    Index `period` (PeriodIndex); columns `forecast` (customer delays) and `naive` (paid at due date), EUR.
    Items expected after the horizon are not shown. Example: `forecast_collections(case.open_items(),
    "2025-12-31", customer_payment_delays(case.invoices, case.payments, "2025-12-31"), freq="M")`.
    """
    as_of = to_timestamp(as_of)
    periods = _periods(as_of, freq, horizon)
    items = expected_payment_dates(open_items, as_of, payment_behaviour, doubtful_after_days)
    items = items[~items["doubtful"]]
    out = pd.DataFrame(index=periods)
    for column, dates in (("forecast", "expected_date"), ("naive", "naive_date")):
        by_period = items["amount"].groupby(items[dates].dt.to_period(periods.freq)).sum()
        out[column] = by_period.reindex(periods, fill_value=0.0).to_numpy(float).round(2)
    return out


def actual_collections(payments: pd.DataFrame, document_refs, periods: pd.PeriodIndex, as_of) -> pd.Series:
    """Cash received after `as_of` on `document_refs`, per period of `periods` (credit-note offsets
    excluded)."""
    as_of = to_timestamp(as_of)
    pay = payments[payments["document_ref"].isin(set(document_refs)) & (payments["payment_date"] > as_of)
                   & (payments["amount"] > 0)]
    if "payment_method" in pay.columns:
        pay = pay[pay["payment_method"].astype(str) != CREDIT_NOTE_OFFSET]
    by_period = pay["amount"].groupby(pay["payment_date"].dt.to_period(periods.freq)).sum()
    return by_period.reindex(periods, fill_value=0.0).round(2).rename("actual")


@dataclass(frozen=True)
class ForecastBacktest:
    """Forecast made at `as_of` vs what was actually collected on the same open items.

    `table`: per period, `forecast`, `naive`, `actual`; `mae_forecast` / `mae_naive`: mean absolute error per
    period (EUR); `best`: "forecast" or "naive" (the smaller error).
    """

    as_of: pd.Timestamp
    table: pd.DataFrame
    mae_forecast: float
    mae_naive: float
    best: str


def backtest_forecast(case, as_of, horizon_days: int = 91, freq: str = "W",
                      doubtful_after_days: int | None = 180) -> ForecastBacktest:
    """Forecast the collections at a past `as_of` with both methods and compare with the actual cash.

    Uses only the history known at `as_of`; the periods cover `as_of` + 1 to `as_of` + `horizon_days` and
    must end by the case's reference date. Example: `backtest_forecast(case, "2025-06-30", 91)`.
    """
    as_of = to_timestamp(as_of)
    if horizon_days < 1:
        raise DataError("l'horizon du back-test doit compter au moins un jour")
    _check_freq(freq)
    first = (as_of + pd.Timedelta(days=1)).to_period(freq)
    last = (as_of + pd.Timedelta(days=horizon_days)).to_period(first.freq)
    periods = _periods(as_of, freq, (last - first).n + 1)
    end = periods[-1].end_time.normalize()
    if end > case.as_of:
        raise DataError(f"back-test impossible : la dernière période se termine le {end:%d/%m/%Y}, après la "
                        f"date des données ({case.as_of:%d/%m/%Y})")
    items = case.open_items(as_of)
    delays = customer_payment_delays(case.invoices, case.payments, as_of)
    table = forecast_collections(items, as_of, delays, freq, len(periods), doubtful_after_days)
    kept = expected_payment_dates(items, as_of, None, doubtful_after_days)
    table["actual"] = actual_collections(case.payments, kept.loc[~kept["doubtful"], "document_ref"], periods,
                                         as_of)
    mae = {m: float((table[m] - table["actual"]).abs().mean()) for m in ("forecast", "naive")}
    return ForecastBacktest(as_of, table, mae["forecast"], mae["naive"],
                            "forecast" if mae["forecast"] <= mae["naive"] else "naive")


def period_labels(periods: pd.PeriodIndex) -> list[str]:
    """Weeks → `sem. du 29/12`, months → `01/2026`."""
    if periods.freqstr.startswith("W"):
        return [f"sem. du {p.start_time:%d/%m}" for p in periods]
    return [f"{p.month:02d}/{p.year}" for p in periods]


def plot_forecast(table: pd.DataFrame, title: str = "Prévision des encaissements"):
    """Grouped bars per period: forecast from payment delays, naive forecast (due dates), and `actual` if
    present (a back-test)."""
    series = {"forecast": "Prévision (retards habituels)", "naive": "Prévision naïve (à l'échéance)",
              "actual": "Encaissements réels"}
    shown = [c for c in series if c in table.columns]
    freq = "semaine" if table.index.freqstr.startswith("W") else "mois"
    fig, ax = new_figure(title, xlabel=f"Période ({freq})", ylabel="Montant TTC")
    x = np.arange(len(table))
    width = 0.8 / len(shown)
    for i, column in enumerate(shown):
        ax.bar(x + (i - (len(shown) - 1) / 2) * width, table[column], width, label=series[column],
               color=PALETTE[i])
    step = max(1, math.ceil(len(table) / 13))
    ax.set_xticks(x[::step], period_labels(table.index)[::step], rotation=45 if len(table) > 6 else 0,
                  ha="right" if len(table) > 6 else "center")
    euro_axis(ax, unit="k€")
    ax.legend()
    return fig
