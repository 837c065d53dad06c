"""Disputes ("litiges"): what is open at `as_of`, its ageing, resolution times, trend, and their weight in the
overdue.

A dispute is open at `as_of` when `opened_date` ≤ `as_of` and it is not closed (`closed_date` empty or after
`as_of`); resolution time = `closed_date` − `opened_date` in calendar days.

For notebook 04c: the part of a disputed invoice still to dun (`collectable_on_disputed`), the days of delay a
dispute costs (`dispute_payment_delay`), when disputes surface and early signals (`detection_timing`,
`skipped_invoices`, `dispute_prone_customers`), and the internal communication: resolution-time targets by owner
department (`RESOLUTION_TARGETS`, `target_check`, `target_for_rate`), the weekly report (`dispute_report`) and the
escalation rule (`escalation`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from casekit.credit.scoring import settlement_dates
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


# ----------------------------------------------------------------------------------------------------------------
# Notebook 04c: detecting disputes, their cost in days, and the internal communication (targets, weekly report,
# escalation).

RESOLUTION_TARGETS = {  # target resolution time by owner department (calendar days from opening to closing)
    "Comptabilité clients": 10, "Administration des ventes": 15, "Logistique": 20, "Commercial": 30, "Qualité": 45}
DEFAULT_TARGET = 30  # for a department absent from the targets
ESCALATION_STEPS = (  # (multiple of the target exceeded, who receives the dispute)
    (1.0, "Responsable du service"),
    (2.0, "Directeur du service et credit manager"),
    (3.0, "Direction financière (comité de direction)"),
)
WITHIN_TARGET = "Service responsable (dans le délai)"
REPORT_LABELS = {"target_days": "Délai cible (jours)", "open": "Litiges ouverts", "open_amount": "Montant ouvert TTC",
                 "oldest_days": "Plus ancien (jours)", "beyond_target": "Au-delà du délai cible",
                 "beyond_amount": "Montant au-delà du délai", "opened": "Ouverts sur la période",
                 "closed": "Clos sur la période", "on_time_rate": "Clos dans le délai (12 mois)",
                 "median_days": "Délai médian (12 mois, jours)", "closed_12m": "Clos sur 12 mois"}


def _target(targets, department, default=DEFAULT_TARGET) -> float:
    return float((targets or {}).get(str(department), default))


def closed_disputes(disputes: pd.DataFrame, start=None, end=None) -> pd.DataFrame:
    """The disputes closed in (`start`, `end`] (bounds optional), with `resolution_days` (closed − opened)."""
    d = disputes[disputes["closed_date"].notna()]
    if start is not None:
        d = d[d["closed_date"] > to_timestamp(start, "start")]
    if end is not None:
        d = d[d["closed_date"] <= to_timestamp(end, "end")]
    return d.assign(resolution_days=(d["closed_date"] - d["opened_date"]).dt.days.astype(int))


def _select(d: pd.DataFrame, department=None, reason=None) -> pd.DataFrame:
    if department is not None:
        d = d[d["owner_department"].astype(str) == str(department)]
    if reason is not None:
        d = d[d["reason"].astype(str) == str(reason)]
    return d


@dataclass(frozen=True)
class TargetCheck:
    """Disputes against a resolution-time target at `as_of` (see `target_check`).

    Open disputes: `open_count`, `open_amount`, and those older than the target (`beyond_count`,
    `beyond_amount`, the rows in `beyond`, oldest first). Disputes closed in the `window_days` before `as_of`:
    `closed_count`, `within_count` (resolved in at most `target_days`), `within_rate`, `median_days`.
    """

    as_of: pd.Timestamp
    target_days: int
    open_count: int
    open_amount: float
    beyond_count: int
    beyond_amount: float
    closed_count: int
    within_count: int
    within_rate: float
    median_days: float
    beyond: pd.DataFrame


def target_check(disputes: pd.DataFrame, as_of, target_days: int, department=None, reason=None,
                 window_days: int = 365) -> TargetCheck:
    """Open disputes beyond `target_days` (age > target) and the share of the disputes closed in the last
    `window_days` that met the target (resolution ≤ target), for one `department` and/or `reason` (None: all).

    Example: open disputes aged 5, 25 and 40 days, target 20 → 2 beyond target; closed ones resolved in 10,
    20 and 30 days → 2 of 3 within target (66,7 %).
    """
    as_of = to_timestamp(as_of)
    if int(target_days) < 0:
        raise DataError("délai cible négatif : un nombre de jours positif est attendu")
    op = _select(open_disputes(disputes, as_of), department, reason)
    beyond = op[op["age_days"] > target_days].sort_values(["age_days", "dispute_id"], ascending=[False, True],
                                                           kind="stable")
    closed = _select(closed_disputes(disputes, as_of - pd.Timedelta(days=window_days), as_of), department, reason)
    within = int((closed["resolution_days"] <= target_days).sum())
    return TargetCheck(as_of, int(target_days), len(op), round(float(op["amount"].sum()), 2), len(beyond),
                       round(float(beyond["amount"].sum()), 2), len(closed), within,
                       within / len(closed) if len(closed) else float("nan"),
                       float(closed["resolution_days"].median()) if len(closed) else float("nan"),
                       beyond.reset_index(drop=True))


def target_for_rate(disputes: pd.DataFrame, as_of, rate: float = 0.8, department=None, reason=None,
                    window_days: int = 365) -> float:
    """The shortest resolution-time target (whole days) that `rate` of the disputes closed in the last
    `window_days` before `as_of` met: the ⌈rate × n⌉-th shortest of their n resolution times (NaN if none).

    Example: resolutions in 10, 20, 30, 40 and 50 days, rate 80 % → ⌈0,8 × 5⌉ = 4th shortest → 40 days.
    """
    if not 0 < rate <= 1:
        raise DataError(f"taux de respect {rate} invalide : un ratio entre 0 (exclu) et 1 est attendu")
    as_of = to_timestamp(as_of)
    closed = _select(closed_disputes(disputes, as_of - pd.Timedelta(days=window_days), as_of), department, reason)
    days = np.sort(closed["resolution_days"].to_numpy())
    if not len(days):
        return float("nan")
    return float(days[int(np.ceil(round(rate * len(days), 9))) - 1])


def dispute_report(disputes: pd.DataFrame, as_of, targets: dict | None = None, period_days: int = 7,
                   window_days: int = 365) -> pd.DataFrame:
    """The weekly dispute report: one row per owner department (every department of `disputes` and
    `targets`) and a `Total` row.

    Columns: `target_days` (from `targets`, default `RESOLUTION_TARGETS`), `open`, `open_amount`,
    `oldest_days` (age of the oldest open dispute), `beyond_target`, `beyond_amount`, `opened` and `closed` in
    the last `period_days` up to `as_of`, `closed_12m`, `on_time_rate` and `median_days` of the disputes closed
    in the last `window_days` (each against its own department's target in the `Total` row).
    """
    as_of = to_timestamp(as_of)
    targets = RESOLUTION_TARGETS if targets is None else targets
    departments = sorted(set(disputes["owner_department"].astype(str)) | set(targets))
    since = as_of - pd.Timedelta(days=period_days)
    op = open_disputes(disputes, as_of)
    op = op.assign(target=op["owner_department"].astype(str).map(lambda x: _target(targets, x)))
    op = op.assign(beyond=op["age_days"] > op["target"])
    closed = closed_disputes(disputes, as_of - pd.Timedelta(days=window_days), as_of)
    closed = closed.assign(within=closed["resolution_days"] <= closed["owner_department"].astype(str).map(
        lambda x: _target(targets, x)))
    recent = disputes[(disputes["opened_date"] > since) & (disputes["opened_date"] <= as_of)]
    recent_closed = closed_disputes(disputes, since, as_of)

    def row(o, c, opened, shut, target):
        return {"target_days": target, "open": len(o), "open_amount": round(float(o["amount"].sum()), 2),
                "oldest_days": int(o["age_days"].max()) if len(o) else 0, "beyond_target": int(o["beyond"].sum()),
                "beyond_amount": round(float(o.loc[o["beyond"], "amount"].sum()), 2), "opened": len(opened),
                "closed": len(shut), "closed_12m": len(c),
                "on_time_rate": float(c["within"].mean()) if len(c) else float("nan"),
                "median_days": float(c["resolution_days"].median()) if len(c) else float("nan")}

    rows = {}
    for dep in departments:
        def of(frame, dep=dep):
            return frame[frame["owner_department"].astype(str) == dep]
        rows[dep] = row(of(op), of(closed), of(recent), of(recent_closed), _target(targets, dep))
    rows["Total"] = row(op, closed, recent, recent_closed, float("nan"))
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "owner_department"
    return out


def escalation(disputes: pd.DataFrame, as_of, targets: dict | None = None,
               steps=ESCALATION_STEPS) -> pd.DataFrame:
    """The open disputes at `as_of` with their escalation level and recipient.

    Level 0 while `age_days` ≤ target (the owner department handles it); level k when the age exceeds the
    k-th multiple of `steps` × the department's target (default: 1×, 2×, 3×). Example: target 20 days, age 45
    → beyond 2 × 20 = 40 but not 3 × 20 = 60 → level 2, « Directeur du service et credit manager ».
    Columns: `dispute_id`, `customer_id`, `document_ref`, `reason`, `owner_department`, `amount`,
    `opened_date`, `age_days`, `target_days`, `level`, `recipient`; highest level then oldest first.
    """
    targets = RESOLUTION_TARGETS if targets is None else targets
    multiples = [float(m) for m, _ in steps]
    if any(b <= a for a, b in zip(multiples, multiples[1:])) or (multiples and multiples[0] <= 0):
        raise DataError("paliers d'escalade invalides : multiples du délai cible positifs et croissants attendus")
    op = open_disputes(disputes, as_of)
    target = op["owner_department"].astype(str).map(lambda x: _target(targets, x)).astype(float)
    ratio = op["age_days"].to_numpy(float) / np.where(target > 0, target, np.nan)
    ratio = np.where(target.to_numpy() > 0, ratio, np.where(op["age_days"].to_numpy() > 0, np.inf, 0.0))
    level = np.searchsorted(np.array(multiples), ratio, side="left") if multiples else np.zeros(len(op), int)
    recipients = [WITHIN_TARGET] + [r for _, r in steps]
    out = op[["dispute_id", "customer_id", "document_ref", "reason", "owner_department", "amount", "opened_date",
              "age_days"]].assign(target_days=target.astype(int), level=level.astype(int))
    out["recipient"] = [recipients[k] for k in out["level"]]
    return out.sort_values(["level", "age_days", "dispute_id"], ascending=[False, False, True],
                           kind="stable").reset_index(drop=True)


def communication_plan(disputes: pd.DataFrame, targets: dict | None = None) -> pd.DataFrame:
    """Who handles which disputes: one row per owner department with the `reasons` it receives (from the
    disputes' history), its `target_days`, the number of disputes and the median resolution time so far."""
    targets = RESOLUTION_TARGETS if targets is None else targets
    closed = closed_disputes(disputes)
    reasons = disputes.groupby(disputes["owner_department"].astype(str))["reason"].agg(
        lambda r: " ; ".join(sorted(set(r.astype(str)))))
    out = pd.DataFrame({"reasons": reasons,
                        "disputes": disputes.groupby(disputes["owner_department"].astype(str)).size(),
                        "median_days": closed.groupby(closed["owner_department"].astype(str))["resolution_days"]
                        .median()})
    out["target_days"] = [_target(targets, d) for d in out.index]
    out.index.name = "owner_department"
    return out.sort_values(["target_days", "disputes"], ascending=[True, False], kind="stable")[
        ["reasons", "target_days", "disputes", "median_days"]]


def collectable_on_disputed(open_items: pd.DataFrame, disputes: pd.DataFrame, as_of) -> pd.DataFrame:
    """The open invoices at `as_of` carrying an open dispute: `open_amount` (balance of the invoice),
    `contested` (amount of its open disputes) and `collectable` = max(open amount − contested, 0), the part to
    dun normally; `overdue` when due before `as_of`. Largest collectable first."""
    as_of = to_timestamp(as_of)
    contested = open_disputes(disputes, as_of).groupby("document_ref").agg(
        contested=("amount", "sum"), reason=("reason", lambda r: " ; ".join(r.astype(str))))
    items = open_items[(open_items["document_date"] <= as_of) & (open_items["amount"] > 0)
                       & open_items["document_ref"].isin(contested.index)]
    out = items[["customer_id", "customer_name", "document_ref", "due_date", "amount"]].rename(
        columns={"amount": "open_amount"}).join(contested, on="document_ref")
    out["collectable"] = (out["open_amount"] - out["contested"]).clip(lower=0).round(2)
    out["overdue"] = out["due_date"] < as_of
    return out.sort_values(["collectable", "document_ref"], ascending=[False, True], kind="stable") \
        .reset_index(drop=True)


@dataclass(frozen=True)
class DisputeDelay:
    """How much later disputed invoices are settled (see `dispute_payment_delay`).

    `table`: index « Sans litige » / « Avec litige », columns `invoices`, `amount`, `mean_days_late`,
    `median_days_late` (full settlement − due date); `extra_days`: difference of the means;
    `by_outcome`: the disputed invoices by dispute outcome, with `mean_days_after_closing` (settlement −
    closing of the dispute).
    """

    table: pd.DataFrame
    extra_days: float
    by_outcome: pd.DataFrame


def dispute_payment_delay(invoices: pd.DataFrame, payments: pd.DataFrame, disputes: pd.DataFrame, start=None,
                          end=None) -> DisputeDelay:
    """Days from due date to full settlement (cash and credit notes) of the invoices settled in (`start`,
    `end`], with and without a dispute. Example: undisputed invoices settled 10 and 20 days late (mean 15),
    a disputed one 40 days late → 25 extra days."""
    inv = invoices[invoices["amount_incl_vat"] > 0]
    settled = settlement_dates(invoices, payments)
    inv = inv.assign(settled=inv["document_ref"].map(settled))
    inv = inv[inv["settled"].notna()]
    if start is not None:
        inv = inv[inv["settled"] > to_timestamp(start, "start")]
    if end is not None:
        inv = inv[inv["settled"] <= to_timestamp(end, "end")]
    first = disputes.sort_values("opened_date", kind="stable").drop_duplicates("document_ref").set_index(
        "document_ref")
    inv = inv.assign(days_late=(inv["settled"] - inv["due_date"]).dt.days.astype(float),
                     disputed=inv["document_ref"].isin(first.index))
    groups = np.where(inv["disputed"], "Avec litige", "Sans litige")
    table = inv.groupby(groups).agg(invoices=("document_ref", "size"), amount=("amount_incl_vat", "sum"),
                                    mean_days_late=("days_late", "mean"), median_days_late=("days_late", "median"))
    table = table.reindex(["Sans litige", "Avec litige"])
    table["invoices"] = table["invoices"].fillna(0).astype(int)
    table["amount"] = table["amount"].fillna(0.0).round(2)
    table.index.name = "status"
    extra = float(table.loc["Avec litige", "mean_days_late"] - table.loc["Sans litige", "mean_days_late"])
    d = inv[inv["disputed"]].join(first[["outcome", "closed_date"]], on="document_ref")
    d = d.assign(after_closing=(d["settled"] - d["closed_date"]).dt.days.astype(float))
    by_outcome = d.groupby(d["outcome"].astype(str)).agg(
        invoices=("document_ref", "size"), mean_days_late=("days_late", "mean"),
        mean_days_after_closing=("after_closing", "mean"))
    by_outcome.index.name = "outcome"
    return DisputeDelay(table, extra, by_outcome.sort_values("mean_days_late", kind="stable"))


def detection_timing(disputes: pd.DataFrame, invoices: pd.DataFrame, by: str | None = None, start=None,
                     end=None) -> pd.DataFrame:
    """When disputes are raised, for those opened in (`start`, `end`]: `disputes`, `before_due` (opened on or
    before the due date), `after_due`, `after_due_share`, `median_days_from_invoice` (opened − invoice date)
    and `median_days_after_due` (of those raised after the due date); per `by` ("reason",
    "owner_department") or one row `Ensemble`."""
    if by is not None and by not in GROUPS:
        raise DataError(f"regroupement « {by} » inconnu (attendu : reason ou owner_department)")
    d = disputes
    if start is not None:
        d = d[d["opened_date"] > to_timestamp(start, "start")]
    if end is not None:
        d = d[d["opened_date"] <= to_timestamp(end, "end")]
    dates = invoices.drop_duplicates("document_ref").set_index("document_ref")[["document_date", "due_date"]]
    d = d.join(dates, on="document_ref")
    d = d[d["due_date"].notna()]
    after = (d["opened_date"] - d["due_date"]).dt.days
    d = d.assign(after_due=after > 0, days_after_due=after.where(after > 0),
                 days_from_invoice=(d["opened_date"] - d["document_date"]).dt.days)
    keys = d[by].astype(str) if by else pd.Series("Ensemble", index=d.index)
    out = d.groupby(keys).agg(disputes=("dispute_id", "size"), after_due=("after_due", "sum"),
                              median_days_from_invoice=("days_from_invoice", "median"),
                              median_days_after_due=("days_after_due", "median"))
    out["after_due"] = out["after_due"].astype(int)
    out.insert(1, "before_due", out["disputes"] - out["after_due"])
    out.insert(3, "after_due_share", out["after_due"] / out["disputes"])
    out.index.name = by or "all"
    return out.sort_values(["after_due_share", "disputes"], ascending=False, kind="stable")


def skipped_invoices(open_items: pd.DataFrame, invoices: pd.DataFrame, payments: pd.DataFrame, as_of,
                     min_days_overdue: int = 30) -> pd.DataFrame:
    """Early signal of a hidden dispute: the undisputed open invoices more than `min_days_overdue` days overdue
    at `as_of` whose customer has since fully settled an invoice falling due later (it pays, but not this one).

    Needs payments allocated to invoices (`document_ref`); a FEC's unallocated receipts give an empty table.
    Columns: `customer_id`, `customer_name`, `document_ref`, `due_date`, `days_overdue`, `amount`,
    `later_due_settled` (latest due date the customer settled by `as_of`); largest amount first.
    """
    as_of = to_timestamp(as_of)
    columns = ["customer_id", "customer_name", "document_ref", "due_date", "days_overdue", "amount",
               "later_due_settled"]
    if "due_date" not in invoices.columns or not (payments["document_ref"].astype(str) != "").any():
        return pd.DataFrame(columns=columns)
    settled = settlement_dates(invoices[invoices["document_date"] <= as_of],
                               payments[payments["payment_date"] <= as_of])
    inv = invoices[invoices["amount_incl_vat"] > 0].assign(settled=invoices["document_ref"].map(settled))
    last_due = inv[inv["settled"].notna()].groupby("customer_id")["due_date"].max()
    items = open_items[(open_items["document_date"] <= as_of) & (open_items["amount"] > 0)
                       & ~open_items["disputed"].astype(bool)]
    items = items.assign(days_overdue=(as_of - items["due_date"]).dt.days,
                         later_due_settled=items["customer_id"].map(last_due))
    out = items[(items["days_overdue"] > min_days_overdue) & (items["later_due_settled"] > items["due_date"])]
    return out[columns].sort_values(["amount", "document_ref"], ascending=[False, True], kind="stable") \
        .reset_index(drop=True)


def dispute_prone_customers(disputes: pd.DataFrame, as_of, window_days: int = 365,
                            min_disputes: int = 3) -> pd.DataFrame:
    """Customers with at least `min_disputes` disputes opened in the `window_days` up to `as_of`: `disputes`,
    `amount`, `main_reason` (most frequent, then largest amount), `last_opened`; most disputes first."""
    as_of = to_timestamp(as_of)
    d = disputes[(disputes["opened_date"] > as_of - pd.Timedelta(days=window_days))
                 & (disputes["opened_date"] <= as_of)]
    columns = ["disputes", "amount", "main_reason", "last_opened"]
    if d.empty:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="customer_id"))
    counts = d.groupby(["customer_id", d["reason"].astype(str)]).agg(n=("dispute_id", "size"),
                                                                      a=("amount", "sum")).reset_index()
    main = counts.sort_values(["customer_id", "n", "a"], ascending=[True, False, False], kind="stable") \
        .drop_duplicates("customer_id").set_index("customer_id")["reason"]
    out = d.groupby("customer_id").agg(disputes=("dispute_id", "size"), amount=("amount", "sum"),
                                       last_opened=("opened_date", "max"))
    out["main_reason"] = main
    out = out[out["disputes"] >= min_disputes]
    out["amount"] = out["amount"].round(2)
    return out.sort_values(["disputes", "amount"], ascending=False, kind="stable")[columns]


def plot_resolution_histogram(resolution_days, target_days=None, open_ages=None,
                              title: str = "Délais de résolution des litiges clos", bin_days: int = 5):
    """Histogram of resolution times (days) with the target as a vertical line; `open_ages` (ages of the
    disputes still open) drawn as triangles along the axis, red beyond the target."""
    days = pd.Series(resolution_days, dtype=float).dropna()
    ages = pd.Series(open_ages if open_ages is not None else [], dtype=float)
    fig, ax = new_figure(title, xlabel="Jours entre l'ouverture et la clôture du litige",
                         ylabel="Nombre de litiges clos")
    top = max([days.max() if len(days) else 0, ages.max() if len(ages) else 0, target_days or 0, bin_days])
    bins = np.arange(0, top + 2 * bin_days, bin_days)
    if len(days):
        ax.hist(days, bins=bins, color=PALETTE[0], alpha=0.85, label="Litiges clos")
    if target_days is not None:
        ax.axvline(target_days, color=PALETTE[3], linewidth=3, linestyle="--", label="Délai cible")
        ax.annotate(f" {int(target_days)} jours", (target_days, 0.97), xycoords=("data", "axes fraction"),
                    va="top", color=PALETTE[3], fontsize=13, fontweight="bold")
    if len(ages):
        late = ages > (target_days if target_days is not None else np.inf)
        for mask, color, label in ((~late, PALETTE[2], "Litiges encore ouverts (âge actuel)"),
                                   (late, PALETTE[3], "Litiges ouverts au-delà du délai cible")):
            if mask.any():
                ax.scatter(ages[mask], np.zeros(mask.sum()), marker="^", s=160, color=color, zorder=5,
                           clip_on=False, label=label)
    number_axis(ax, axis="x", suffix=" j")
    ax.set_xlim(left=0)
    fig.legend(loc="outside lower center", ncols=2)  # out of the data: a simulator draws it with the frame
    return fig


def plot_dispute_report(report: pd.DataFrame, title: str = "Litiges ouverts par service : dans le délai ou non"):
    """Stacked horizontal bars per department (the `dispute_report` without its `Total` row): open amount within
    the target and beyond it, labelled with the number of disputes beyond target."""
    table = report.drop(index="Total", errors="ignore").sort_values("open_amount", kind="stable")
    within = table["open_amount"] - table["beyond_amount"]
    fig, ax = new_figure(title, xlabel="Montant contesté TTC")
    ax.barh(table.index, within, color=PALETTE[2], label="Dans le délai cible")
    bars = ax.barh(table.index, table["beyond_amount"], left=within, color=PALETTE[3],
                   label="Au-delà du délai cible")
    ax.bar_label(bars, labels=["aucun litige ouvert" if not n else f"{int(n)} dans le délai" if not b else
                               f"{int(b)} sur {int(n)} au-delà du délai" for b, n in
                               zip(table["beyond_target"], table["open"])], padding=4)
    euro_axis(ax, axis="x", unit="k€")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right")
    return fig
