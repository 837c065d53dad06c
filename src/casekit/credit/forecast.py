"""Cash forecast: expected collections per week or month, from the open items and each customer's payment
delay.

Rule. A customer's delay is the amount-weighted average of (payment date − due date) over the cash it paid
in the `lookback_days` before `as_of` (credit-note offsets are not cash and are left out); customers without
history get the overall average. Each open invoice is expected at due date + its customer's delay; when that
date is already past (the item is later than its customer usually is), it is expected in the first period
(`as_of` + 1 day). The naive forecast expects every item at its due date, overdue items in the first period.
Credits (< 0) are not forecast; items more than `doubtful_after_days` overdue are treated as doubtful and left
out of both forecasts.

A company's FEC has no allocation of receipts to invoices: `fifo_allocations` allocates them to the oldest
debts first, which gives the delays (`ledger_payment_delays`) and a back-test (`backtest_ledger_forecast`) on
its own data. `forecast_track` checks, month after month, next month's forecast against the cash received;
`forecast_gaps` relates each gap to the forecast.
"""

from __future__ import annotations

import math
from concurrent.futures import Future
from dataclasses import dataclass

import numpy as np
import pandas as pd

from casekit.credit.penalties import CREDIT_NOTE_OFFSET  # payment_method of a credit note offset (no cash)
from casekit.dates import to_timestamp
from casekit.errors import DataError
from casekit.lookup import lookup
from casekit.plots import PALETTE, euro_axis, new_figure

FREQS = {"W": "semaine", "M": "mois"}
DEFAULT_HORIZON = {"W": 13, "M": 6}


def payment_lines(invoices: pd.DataFrame, payments: pd.DataFrame, start=None, end=None, *,
                  where: np.ndarray | None = None) -> pd.DataFrame:
    """Cash allocated to invoices and paid in (`start`, `end`], one row per allocation.

    Columns: `customer_id`, `document_ref`, `due_date`, `payment_date`, `amount`, `days_late` (payment date −
    due date, negative when paid early). Credit-note offsets and unallocated receipts are left out. `where`: each
    payment's position among the invoices of positive amount (`invoiced_positions`), when the caller has it.
    """
    rows, due = allocated_cash(invoices, payments, start, end, where=where)
    lines = payments[["customer_id", "document_ref", "payment_date", "amount"]].iloc[rows].assign(due_date=due)
    lines["days_late"] = (lines["payment_date"] - lines["due_date"]).dt.days.astype(float)
    return lines[["customer_id", "document_ref", "due_date", "payment_date", "amount", "days_late"]] \
        .reset_index(drop=True)


def allocated_cash(invoices: pd.DataFrame, payments: pd.DataFrame, start=None, end=None, *,
                   where: np.ndarray | Future | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The rows of `payments` that `payment_lines` keeps (cash on an invoice, paid in (`start`, `end`]) and their
    invoices' due dates, as numpy arrays. `where`: `invoiced_positions(invoices, payments)`, or a future of it
    (awaited last, while a lookup runs)."""
    keep = (payments["amount"] > 0) & (payments["document_ref"].astype(str) != "")
    if "payment_method" in payments.columns:
        keep &= payments["payment_method"] != CREDIT_NOTE_OFFSET
    if start is not None:
        keep &= payments["payment_date"] > to_timestamp(start, "start")
    if end is not None:
        keep &= payments["payment_date"] <= to_timestamp(end, "end")
    kept = np.flatnonzero(keep.to_numpy())
    invoiced = (invoices["amount_incl_vat"] > 0).to_numpy()
    due = np.append(invoices["due_date"].to_numpy()[invoiced], np.datetime64("NaT"))  # -1: NaT
    if where is None:
        found = invoiced_positions(invoices, payments[["document_ref"]].iloc[kept])
    else:
        found = (where.result() if isinstance(where, Future) else where)[kept]
    due = due[found]
    paid = ~np.isnat(due)
    return kept[paid], due[paid]


def invoiced_positions(invoices: pd.DataFrame, payments: pd.DataFrame) -> np.ndarray:
    """Each payment's position among the invoices of positive amount, by `document_ref` (-1: none), in one lookup
    that the callers of `payment_lines` on millions of lines can share."""
    invoiced = (invoices["amount_incl_vat"] > 0).to_numpy()
    return lookup(invoices["document_ref"], payments["document_ref"], among=invoiced).positions[0]


def customer_payment_delays(invoices: pd.DataFrame, payments: pd.DataFrame, as_of,
                            lookback_days: int = 365) -> pd.DataFrame:
    """Each customer's amount-weighted average payment delay (days after due date) at `as_of`.

    Only payments dated in (`as_of` − `lookback_days`, `as_of`] count. Index `customer_id`; columns
    `payments` (allocations), `amount_paid`, `average_delay`. Example: 1 000 € paid 10 days late and 3 000 €
    paid on time → (1 000 × 10 + 3 000 × 0) / 4 000 = 2,5 days.
    """
    as_of = to_timestamp(as_of)
    lines = payment_lines(invoices, payments, as_of - pd.Timedelta(days=lookback_days), as_of)
    return average_delays(lines)


def average_delays(lines: pd.DataFrame) -> pd.DataFrame:
    """Per customer of `payment_lines`: `payments`, `amount_paid` and the amount-weighted `average_delay` (days
    late). Example: 1 000 € paid 10 days late and 3 000 € on time → 2,5 days."""
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
    return _case_backtest(case, to_timestamp(as_of), horizon_days, freq, doubtful_after_days)


def _case_backtest(case, as_of: pd.Timestamp, horizon_days: int, freq: str, doubtful_after_days: int | None,
                   lines: pd.DataFrame | None = None) -> ForecastBacktest:
    """`backtest_forecast`; `lines`: the case's `payment_lines` over its whole history, computed once."""
    periods = _backtest_periods(as_of, horizon_days, freq, case.as_of)
    items = case.open_items(as_of)
    if lines is None:
        delays = customer_payment_delays(case.invoices, case.payments, as_of)
    else:
        window = (lines["payment_date"] > as_of - pd.Timedelta(days=365)) & (lines["payment_date"] <= as_of)
        delays = average_delays(lines[window])
    table = forecast_collections(items, as_of, delays, freq, len(periods), doubtful_after_days)
    kept = expected_payment_dates(items, as_of, None, doubtful_after_days)
    table["actual"] = actual_collections(case.payments, kept.loc[~kept["doubtful"], "document_ref"], periods,
                                         as_of)
    return _result(as_of, table)


def _result(as_of: pd.Timestamp, table: pd.DataFrame) -> ForecastBacktest:
    mae = {m: float((table[m] - table["actual"]).abs().mean()) for m in ("forecast", "naive")}
    return ForecastBacktest(as_of, table, mae["forecast"], mae["naive"],
                            "forecast" if mae["forecast"] <= mae["naive"] else "naive")


def _backtest_periods(as_of: pd.Timestamp, horizon_days: int, freq: str, data_end: pd.Timestamp) -> pd.PeriodIndex:
    """The periods from `as_of` + 1 to `as_of` + `horizon_days`; they must end by `data_end`."""
    if horizon_days < 1:
        raise DataError("l'horizon du back-test doit compter au moins un jour")
    _check_freq(freq)
    first = (as_of + pd.Timedelta(days=1)).to_period(freq)
    last = (as_of + pd.Timedelta(days=horizon_days)).to_period(first.freq)
    periods = _periods(as_of, freq, (last - first).n + 1)
    end = periods[-1].end_time.normalize()
    if end > data_end:
        raise DataError(f"back-test impossible : la dernière période se termine le {end:%d/%m/%Y}, après la "
                        f"date des données ({data_end:%d/%m/%Y})")
    return periods


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


# --- notebook 06: a company's ledger without lettered receipts (FEC), forecast errors, the monthly track ----------

FIFO_COLUMNS = {"customer_id": object, "document_ref": object, "document_date": "datetime64[ns]",
                "due_date": "datetime64[ns]", "invoice": bool, "credit_date": "datetime64[ns]", "cash": bool,
                "amount": float}


def _fifo_debts(invoices: pd.DataFrame, payments: pd.DataFrame, payment_terms_days: int) -> pd.DataFrame:
    """Debts of a ledger: invoices > 0 (`invoice` True; due date = their `due_date` if any, else document date +
    terms) and negative receipts (`invoice` False, reference « REG-<row> » when they have none), in date order."""
    terms = pd.Timedelta(days=int(payment_terms_days))
    due = invoices["due_date"] if "due_date" in invoices.columns else invoices["document_date"] + terms
    inv = pd.DataFrame({"customer_id": invoices["customer_id"], "document_ref": invoices["document_ref"],
                        "document_date": invoices["document_date"],
                        "due_date": pd.to_datetime(due).fillna(invoices["document_date"] + terms),
                        "invoice": True, "amount": invoices["amount_incl_vat"].astype(float)})
    pay = payments.reset_index(drop=True)
    refs = (pay["payment_ref"] if "payment_ref" in pay.columns else pd.Series("", index=pay.index)).astype(str)
    refs = refs.where(refs != "", "REG-" + pay.index.astype(str))
    neg = pd.DataFrame({"customer_id": pay["customer_id"], "document_ref": refs, "document_date": pay["payment_date"],
                        "due_date": pay["payment_date"] + terms, "invoice": False,
                        "amount": -pay["amount"].astype(float)})
    debts = pd.concat([inv[inv["amount"] > 0], neg[neg["amount"] > 0]], ignore_index=True)
    return debts.sort_values(["customer_id", "document_date"], kind="stable").reset_index(drop=True)


def _fifo_credits(invoices: pd.DataFrame, payments: pd.DataFrame) -> pd.DataFrame:
    """Credits of a ledger: receipts > 0 (`cash` True) and credit notes (`cash` False), in date order."""
    cash = pd.DataFrame({"customer_id": payments["customer_id"], "credit_date": payments["payment_date"],
                         "cash": True, "amount": payments["amount"].astype(float)})
    notes = pd.DataFrame({"customer_id": invoices["customer_id"], "credit_date": invoices["document_date"],
                          "cash": False, "amount": -invoices["amount_incl_vat"].astype(float)})
    credits = pd.concat([cash[cash["amount"] > 0], notes[notes["amount"] > 0]], ignore_index=True)
    return credits.sort_values(["customer_id", "credit_date"], kind="stable").reset_index(drop=True)


def fifo_allocations(invoices: pd.DataFrame, payments: pd.DataFrame, payment_terms_days: int = 30) -> pd.DataFrame:
    """Credits allocated to the oldest debts first (FIFO), customer by customer, for a ledger whose receipts are
    not allocated to invoices (a FEC's `fec_ledger`).

    Debts: invoices > 0 (`invoice` True; due date = their `due_date` if the table has one, else document date +
    `payment_terms_days`) and negative receipts (refunds, opening balances: `invoice` False). Credits: receipts
    > 0 (`cash` True) and credit notes (invoices < 0, `cash` False). Debts are taken by date (then table order),
    credits by date; amounts are matched in cents. One row per (debt, credit) pair: `customer_id`,
    `document_ref`, `document_date`, `due_date`, `invoice`, `credit_date`, `cash`, `amount`. Example: invoices
    of 1 000 € (01/01) and 500 € (01/02), a receipt of 1 200 € on 15/02 → 1 000 € on the first, 200 € on the
    second; 300 € stay open.
    """
    debts = _fifo_debts(invoices, payments, payment_terms_days)
    credits = _fifo_credits(invoices, payments)
    by_customer = {customer: group for customer, group in credits.groupby("customer_id", sort=False)}
    pieces = []
    for customer, d in debts.groupby("customer_id", sort=False):
        c = by_customer.get(customer)
        if c is None:
            continue
        d_end = np.cumsum(np.round(d["amount"].to_numpy() * 100))
        c_end = np.cumsum(np.round(c["amount"].to_numpy() * 100))
        limit = min(d_end[-1], c_end[-1])
        bounds = np.unique(np.concatenate([[0.0], d_end[d_end < limit], c_end[c_end < limit], [limit]]))
        if len(bounds) < 2:
            continue
        low, high = bounds[:-1], bounds[1:]
        di = np.searchsorted(d_end, (low + high) / 2, side="left")
        ci = np.searchsorted(c_end, (low + high) / 2, side="left")
        piece = d.iloc[di][["customer_id", "document_ref", "document_date", "due_date", "invoice"]] \
            .reset_index(drop=True)
        piece["credit_date"] = c["credit_date"].to_numpy()[ci]
        piece["cash"] = c["cash"].to_numpy()[ci]
        piece["amount"] = (high - low) / 100
        pieces.append(piece)
    if not pieces:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in FIFO_COLUMNS.items()})
    return pd.concat(pieces, ignore_index=True)[list(FIFO_COLUMNS)]


def fifo_payment_lines(invoices: pd.DataFrame, payments: pd.DataFrame, payment_terms_days: int = 30, start=None,
                       end=None, allocations: pd.DataFrame | None = None) -> pd.DataFrame:
    """`payment_lines` for a ledger without allocations: the cash that `fifo_allocations` puts on invoices, paid
    in (`start`, `end`]. Same columns: `customer_id`, `document_ref`, `due_date`, `payment_date`, `amount`,
    `days_late`. `allocations`: a `fifo_allocations` table already computed."""
    alloc = fifo_allocations(invoices, payments, payment_terms_days) if allocations is None else allocations
    lines = alloc[alloc["invoice"].astype(bool) & alloc["cash"].astype(bool)]
    if start is not None:
        lines = lines[lines["credit_date"] > to_timestamp(start, "start")]
    if end is not None:
        lines = lines[lines["credit_date"] <= to_timestamp(end, "end")]
    lines = lines.rename(columns={"credit_date": "payment_date"})
    lines = lines.assign(days_late=(lines["payment_date"] - lines["due_date"]).dt.days.astype(float))
    return lines[["customer_id", "document_ref", "due_date", "payment_date", "amount", "days_late"]] \
        .reset_index(drop=True)


def is_lettered(invoices: pd.DataFrame, payments: pd.DataFrame) -> bool:
    """True when receipts are allocated to documents with due dates (the fil rouge), False for `fec_ledger`."""
    return "due_date" in invoices.columns and bool((payments["document_ref"].astype(str) != "").any())


def ledger_payment_delays(invoices: pd.DataFrame, payments: pd.DataFrame, as_of, payment_terms_days: int = 30,
                          lookback_days: int = 365) -> pd.DataFrame:
    """Each customer's average payment delay at `as_of`, whatever the ledger: `customer_payment_delays` when
    receipts are allocated (`is_lettered`), else the same amount-weighted average on the FIFO allocation of the
    receipts (`fifo_payment_lines`, due date = document date + `payment_terms_days`). Same columns."""
    if is_lettered(invoices, payments):
        return customer_payment_delays(invoices, payments, as_of, lookback_days)
    as_of = to_timestamp(as_of)
    lines = fifo_payment_lines(invoices, payments, payment_terms_days,
                               as_of - pd.Timedelta(days=lookback_days), as_of)
    return average_delays(lines)


def fifo_open_items(invoices: pd.DataFrame, payments: pd.DataFrame, as_of, payment_terms_days: int = 30,
                    allocations: pd.DataFrame | None = None) -> pd.DataFrame:
    """The debts still open at `as_of` after the FIFO allocation of the credits dated by then (open items
    shape: `customer_id`, `customer_name` (= id), `document_ref`, `document_date`, `due_date`, `amount`,
    `disputed` False). Unallocated credits are not listed."""
    as_of = to_timestamp(as_of)
    alloc = fifo_allocations(invoices, payments, payment_terms_days) if allocations is None else allocations
    debts = _fifo_debts(invoices, payments, payment_terms_days)
    debts = debts[debts["document_date"] <= as_of]
    settled = alloc[alloc["credit_date"] <= as_of].groupby("document_ref")["amount"].sum()
    amount = (debts["amount"] - debts["document_ref"].map(settled).fillna(0.0)).round(2)
    items = debts.assign(amount=amount, customer_name=debts["customer_id"], disputed=False)[amount > 0.005]
    return items[["customer_id", "customer_name", "document_ref", "document_date", "due_date", "amount",
                  "disputed"]].reset_index(drop=True)


def backtest_ledger_forecast(invoices: pd.DataFrame, payments: pd.DataFrame, as_of, payment_terms_days: int = 30,
                             horizon_days: int = 91, freq: str = "W", doubtful_after_days: int | None = 180,
                             data_end=None, allocations: pd.DataFrame | None = None) -> ForecastBacktest:
    """`backtest_forecast` on a ledger without allocations (a FEC): the open items at `as_of` and the cash
    received on them afterwards both come from `fifo_allocations`, the delays from the receipts of the year
    before `as_of`.

    `data_end`: the last date of the data (default: the latest receipt or document); the periods must end by
    then. Example: `backtest_ledger_forecast(wb.invoices, wb.payments, "2025-09-30", 45, 92, "M")`.
    """
    as_of = to_timestamp(as_of)
    if data_end is None:
        dates = pd.concat([invoices["document_date"], payments["payment_date"]])
        data_end = dates.max() if len(dates) else as_of
    periods = _backtest_periods(as_of, horizon_days, freq, to_timestamp(data_end))
    alloc = fifo_allocations(invoices, payments, payment_terms_days) if allocations is None else allocations
    items = fifo_open_items(invoices, payments, as_of, payment_terms_days, alloc)
    lines = fifo_payment_lines(invoices, payments, payment_terms_days, as_of - pd.Timedelta(days=365), as_of,
                               allocations=alloc)
    table = forecast_collections(items, as_of, average_delays(lines), freq, len(periods), doubtful_after_days)
    kept = expected_payment_dates(items, as_of, None, doubtful_after_days)
    kept = set(kept.loc[~kept["doubtful"], "document_ref"])
    later = alloc[alloc["cash"].astype(bool) & (alloc["credit_date"] > as_of) & alloc["document_ref"].isin(kept)]
    actual = later["amount"].groupby(later["credit_date"].dt.to_period(periods.freq)).sum()
    table["actual"] = actual.reindex(periods, fill_value=0.0).to_numpy(float).round(2)
    return _result(as_of, table)


def forecast_gaps(table: pd.DataFrame) -> pd.DataFrame:
    """`table` (columns `forecast`, `naive`, `actual`) with, for each method, the gap actual − forecast in EUR
    (`gap_forecast`, `gap_naive`) and relative to the forecast (`gap_forecast_pct`, `gap_naive_pct`; empty when
    the forecast is 0). Example: forecast 2,0 M€, actual 1,8 M€ → −0,2 M€, −10 %."""
    out = table.copy()
    for method in ("forecast", "naive"):
        gap = (out["actual"] - out[method]).round(2)
        out[f"gap_{method}"] = gap
        out[f"gap_{method}_pct"] = (gap / out[method]).where(out[method] != 0)
    return out


def backtest_month_ends(invoices: pd.DataFrame, as_of, months: int = 6, min_history_months: int = 3) -> list:
    """The month ends from which a one-month forecast can be checked by `as_of`: the last `months` month ends m
    such that the month after m ends by `as_of`, and at least `min_history_months` months of sales (counting
    the first month invoiced) end by m. Example: as_of 31/12/2025, 6 months → 30/06/2025 … 30/11/2025."""
    as_of = to_timestamp(as_of)
    sold = invoices.loc[invoices["document_date"] <= as_of, "document_date"]
    if sold.empty:
        return []
    last = as_of.to_period("M") - (1 if as_of.is_month_end else 2)
    first = sold.min().to_period("M") + (int(min_history_months) - 1)
    if last < first:
        return []
    start = max(first, last - (int(months) - 1))
    return [p.to_timestamp(how="end").normalize() for p in pd.period_range(start, last, freq="M")]


def forecast_track(source, month_ends, *, payments: pd.DataFrame | None = None, payment_terms_days: int = 30,
                   doubtful_after_days: int | None = 180) -> pd.DataFrame:
    """Month after month: next month's collections as forecast at each of `month_ends` (both methods), against
    the cash actually received on the same open items, with `forecast_gaps`.

    `source`: the fil rouge (a `CaseStudy`: `backtest_forecast`), or an `invoices` table with `payments=` (a
    company's ledger: `backtest_ledger_forecast`, FIFO allocation). Index `period` (the month forecast);
    columns `as_of`, `forecast`, `naive`, `actual` and the gaps. Example: `forecast_track(case, ["2025-10-31",
    "2025-11-30"])`.
    """
    rows = []
    allocations = None if payments is None else fifo_allocations(source, payments, payment_terms_days)
    lines = payment_lines(source.invoices, source.payments) if payments is None and len(month_ends) else None
    for as_of in month_ends:
        as_of = to_timestamp(as_of)
        if payments is None:
            result = _case_backtest(source, as_of, 1, "M", doubtful_after_days, lines)
        else:
            result = backtest_ledger_forecast(source, payments, as_of, payment_terms_days, 1, "M",
                                              doubtful_after_days, allocations=allocations)
        rows.append(result.table.iloc[[0]].assign(as_of=as_of))
    if not rows:
        empty = pd.DataFrame({"as_of": pd.Series(dtype="datetime64[ns]"), "forecast": pd.Series(dtype=float),
                              "naive": pd.Series(dtype=float), "actual": pd.Series(dtype=float)},
                             index=pd.PeriodIndex([], freq="M", name="period"))
        return forecast_gaps(empty)
    return forecast_gaps(pd.concat(rows)[["as_of", "forecast", "naive", "actual"]])


def plot_forecast_track(track: pd.DataFrame,
                        title: str = "Prévision du mois suivant et encaissements réels, mois par mois"):
    """Bars: actual collections of each month; lines: what each method had forecast at the previous month end."""
    fig, ax = new_figure(title, xlabel="Mois prévu", ylabel="Montant TTC")
    x = np.arange(len(track))
    ax.bar(x, track["actual"], 0.6, color=PALETTE[5], label="Encaissements réels", alpha=0.8)
    ax.plot(x, track["forecast"], marker="o", linewidth=2.5, color=PALETTE[0], label="Prévision (retards habituels)")
    ax.plot(x, track["naive"], marker="s", linewidth=2.5, color=PALETTE[1], linestyle="--",
            label="Prévision naïve (à l'échéance)")
    ax.set_xticks(x, period_labels(track.index))
    euro_axis(ax, unit="M€" if len(track) and track[["forecast", "naive", "actual"]].max().max() >= 1e6 else "k€")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, frameon=False)
    return fig
