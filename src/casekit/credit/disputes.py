"""Disputes ("litiges"): what is open at `as_of`, its ageing, resolution times, trend, and their weight in the
overdue.

A dispute is open at `as_of` when `opened_date` ≤ `as_of` and it is not closed (`closed_date` empty or after
`as_of`); resolution time = `closed_date` − `opened_date` in calendar days.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from casekit.dates import to_timestamp
from casekit.errors import DataError
from casekit.plots import PALETTE, euro_axis, new_figure, number_axis

GROUPS = ("reason", "owner_department")
LABELS = {"reason": "Motif", "owner_department": "Service responsable", "count": "Nombre",
          "amount": "Montant TTC", "share": "Part du montant", "mean_days": "Délai moyen (jours)",
          "median_days": "Délai médian (jours)", "opened": "Ouverts", "closed": "Clos",
          "open_at_end": "Ouverts en fin de période"}


def open_disputes(disputes: pd.DataFrame, as_of) -> pd.DataFrame:
    """The disputes open at `as_of`, with `age_days` (`as_of` − `opened_date`)."""
    as_of = to_timestamp(as_of)
    closed = disputes["closed_date"]
    d = disputes[(disputes["opened_date"] <= as_of) & (closed.isna() | (closed > as_of))]
    return d.assign(age_days=(as_of - d["opened_date"]).dt.days)


def _by(d: pd.DataFrame, column: str) -> pd.DataFrame:
    keys = d[column].astype(str)
    out = d.groupby(keys).agg(count=("dispute_id", "size"), amount=("amount", "sum"))
    out["share"] = out["amount"] / out["amount"].sum() if out["amount"].sum() else np.nan
    out.index.name = column
    return out.sort_values(["amount", "count"], ascending=False, kind="stable")


@dataclass(frozen=True)
class DisputeSummary:
    """Open disputes at `as_of`: count, amount (EUR incl. VAT), and `by_reason` / `by_department` tables
    (`count`, `amount`, `share` of the amount), largest amount first."""

    as_of: pd.Timestamp
    open_count: int
    open_amount: float
    by_reason: pd.DataFrame
    by_department: pd.DataFrame


def dispute_summary(disputes: pd.DataFrame, as_of) -> DisputeSummary:
    """Open disputes at `as_of` in total, by reason and by owner department."""
    d = open_disputes(disputes, as_of)
    return DisputeSummary(to_timestamp(as_of), len(d), round(float(d["amount"].sum()), 2),
                          _by(d, "reason"), _by(d, "owner_department"))


def open_dispute_ageing(disputes: pd.DataFrame, as_of, buckets=(30, 60, 90)) -> pd.DataFrame:
    """Open disputes at `as_of` by age since opening: index `0-30`, `31-60`, `61-90`, `>90` (labels follow
    `buckets`); columns `count` and `amount`."""
    bounds = [int(b) for b in buckets]
    if not bounds or bounds[0] < 1 or any(b <= a for a, b in zip(bounds, bounds[1:])):
        raise DataError(f"tranches {tuple(buckets)} invalides : bornes entières positives et croissantes "
                        "attendues, ex. (30, 60, 90)")
    labels = [f"0-{bounds[0]}"] + [f"{a + 1}-{b}" for a, b in zip(bounds, bounds[1:])] + [f">{bounds[-1]}"]
    d = open_disputes(disputes, as_of)
    position = np.searchsorted(bounds, d["age_days"].to_numpy(), side="left")
    grouped = d.groupby(position).agg(count=("dispute_id", "size"), amount=("amount", "sum"))
    out = grouped.reindex(range(len(labels)), fill_value=0)
    out.index = pd.Index(labels, name="age")
    return out.astype({"count": int, "amount": float}).round(2)


def resolution_times(disputes: pd.DataFrame, by: str | None = "reason", as_of=None) -> pd.DataFrame:
    """Resolution time of the closed disputes (closed by `as_of` when given): `count`, `mean_days`,
    `median_days` per `by` ("reason", "owner_department", or None for one row `Ensemble`)."""
    if by is not None and by not in GROUPS:
        raise DataError(f"regroupement « {by} » inconnu (attendu : reason ou owner_department)")
    closed = disputes[disputes["closed_date"].notna()]
    if as_of is not None:
        closed = closed[closed["closed_date"] <= to_timestamp(as_of)]
    days = (closed["closed_date"] - closed["opened_date"]).dt.days
    keys = closed[by].astype(str) if by else pd.Series("Ensemble", index=closed.index)
    out = days.groupby(keys).agg(["size", "mean", "median"])
    out.columns = ["count", "mean_days", "median_days"]
    out.index.name = by or "all"
    return out.sort_values("mean_days", ascending=False, kind="stable")


@dataclass(frozen=True)
class OverdueDisputeShare:
    """Net overdue amount at `as_of` (due before `as_of`, credits included, as in the aged balance), the
    part of it on disputed items, and that `share`."""

    overdue_amount: float
    disputed_overdue: float
    share: float


def overdue_explained_by_disputes(open_items: pd.DataFrame, as_of) -> OverdueDisputeShare:
    """Share of the overdue amount that is disputed (`disputed` flag of the open items)."""
    as_of = to_timestamp(as_of)
    items = open_items[(open_items["document_date"] <= as_of) & (open_items["due_date"] < as_of)]
    overdue = round(float(items["amount"].sum()), 2)
    disputed = round(float(items.loc[items["disputed"].astype(bool), "amount"].sum()), 2)
    return OverdueDisputeShare(overdue, disputed, disputed / overdue if overdue > 0 else float("nan"))


def dispute_trend(disputes: pd.DataFrame, freq: str = "Q", as_of=None) -> pd.DataFrame:
    """Per period (`freq` "Q" quarters or "M" months, up to `as_of`, default the last event): disputes
    `opened`, `closed`, `mean_days` (resolution time of those closed in the period), `open_at_end`."""
    if freq not in ("Q", "M"):
        raise DataError(f"fréquence « {freq} » inconnue (attendu : Q pour trimestre ou M pour mois)")
    if disputes.empty:
        return pd.DataFrame(columns=["opened", "closed", "mean_days", "open_at_end"],
                            index=pd.PeriodIndex([], freq=freq, name="period"))
    end = to_timestamp(as_of) if as_of is not None else max(disputes["opened_date"].max(),
                                                            disputes["closed_date"].max())
    d = disputes[disputes["opened_date"] <= end]
    closed = d[d["closed_date"].notna() & (d["closed_date"] <= end)]
    periods = pd.period_range(d["opened_date"].min().to_period(freq), end.to_period(freq), name="period")
    out = pd.DataFrame(index=periods)
    out["opened"] = d.groupby(d["opened_date"].dt.to_period(freq)).size().reindex(periods, fill_value=0)
    closing = closed["closed_date"].dt.to_period(freq)
    out["closed"] = closed.groupby(closing).size().reindex(periods, fill_value=0)
    out["mean_days"] = (closed["closed_date"] - closed["opened_date"]).dt.days.groupby(closing).mean() \
        .reindex(periods)
    out["open_at_end"] = out["opened"].cumsum() - out["closed"].cumsum()
    return out


def plot_disputes_by_reason(summary: DisputeSummary, title: str | None = None):
    """Horizontal bars: open dispute amounts by reason at the summary's date."""
    table = summary.by_reason.sort_values("amount", kind="stable")
    title = title or f"Litiges ouverts au {summary.as_of:%d/%m/%Y} par motif"
    fig, ax = new_figure(title, xlabel="Montant contesté TTC")
    bars = ax.barh(table.index, table["amount"], color=PALETTE[0])
    ax.bar_label(bars, labels=[f"{n} litige{'s' if n > 1 else ''}" for n in table["count"]], padding=4)
    euro_axis(ax, axis="x", unit="k€")
    ax.grid(axis="y", visible=False)
    return fig


def plot_dispute_trend(trend: pd.DataFrame, title: str = "Litiges : ouverts, clos et délai de résolution"):
    """Bars: disputes opened and closed per period (left axis); line: mean resolution time (right axis)."""
    fig, ax = new_figure(title, ylabel="Nombre de litiges")
    x = np.arange(len(trend))
    ax.bar(x - 0.2, trend["opened"], 0.4, label="Ouverts", color=PALETTE[3])
    ax.bar(x + 0.2, trend["closed"], 0.4, label="Clos", color=PALETTE[2])
    labels = [f"T{p.quarter} {p.year}" if p.freqstr.startswith("Q") else f"{p.month:02d}/{p.year}"
              for p in trend.index]
    ax.set_xticks(x, labels, rotation=45, ha="right")
    right = ax.twinx()
    right.plot(x, trend["mean_days"], color=PALETTE[0], marker="o", linewidth=2,
               label="Délai moyen de résolution (échelle de droite)")
    right.set_ylabel("Délai moyen de résolution")
    right.grid(False)
    right.spines["right"].set_visible(True)
    number_axis(right, suffix=" j")
    handles = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    ax.legend(handles, [h.get_label() for h in handles], loc="upper left")
    return fig
