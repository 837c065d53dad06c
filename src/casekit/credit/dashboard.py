"""The monthly credit dashboard: DSO (both methods) and its 12-month trend, overdue share, aged balance,
open disputes and next month's cash forecast — as a table of indicators and a four-panel figure.

`dashboard(case, month)` builds it for the fil rouge at a month end; `ledger_dashboard` for any ledger (a
company's FEC: open items, sales and receipts) at any date; `dso_target_status` measures the DSO against a target.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from casekit import fmt
from casekit.credit.aged_balance import aged_balance_totals, ageing_labels
from casekit.credit.disputes import DisputeSummary, dispute_summary
from casekit.credit.dso import monthly_dso, plot_monthly_dso, recent_monthly_dso
from casekit.credit.dso_value import dso_day_value
from casekit.credit.forecast import (
    average_delays,
    customer_payment_delays,
    forecast_collections,
    ledger_payment_delays,
    period_labels,
)
from casekit.dates import to_timestamp
from casekit.errors import DataError
from casekit.plots import AGEING_COLORS, PALETTE, bar_limits, euro_axis, month_labels, number_axis, use_house_style

INDICATORS = {  # key: (French label, format)
    "dso_accounting": ("DSO méthode comptable (3 derniers mois)", "days"),
    "dso_count_back": ("DSO méthode par épuisement", "days"),
    "dso_accounting_change_12m": ("Variation sur 12 mois du DSO comptable", "days"),
    "dso_count_back_change_12m": ("Variation sur 12 mois du DSO par épuisement", "days"),
    "receivables": ("Encours clients TTC", "euros0"),
    "overdue": ("Dont échu", "euros0"),
    "overdue_share": ("Part échue de l'encours", "percent"),
    "open_disputes": ("Litiges ouverts (nombre)", "number"),
    "open_disputes_amount": ("Litiges ouverts (montant TTC)", "euros0"),
    "forecast_next_month": ("Encaissements prévus le mois suivant", "euros0"),
    "naive_next_month": ("Encaissements prévus le mois suivant (à l'échéance)", "euros0"),
}


def _month(month) -> pd.Period:
    if isinstance(month, pd.Period):
        return month.asfreq("M")
    if isinstance(month, str) and len(month.strip()) == 7:
        try:
            return pd.Period(month.strip(), freq="M")
        except ValueError:
            raise DataError(f"mois « {month} » illisible (format attendu : AAAA-MM)") from None
    return to_timestamp(month, "month").to_period("M")


@dataclass(frozen=True)
class Dashboard:
    """The dashboard of `month` (as of its last day).

    `indicators`: a Series keyed as `INDICATORS` (days, EUR, ratio, count); `dso`: `monthly_dso` over the
    last 13 months; `aged`: aged balance totals; `disputes`: the open disputes; `forecast`: expected
    collections of the next 6 months (forecast and naive); `figure`: the four panels (None when left out).
    """

    month: pd.Period
    as_of: pd.Timestamp
    indicators: pd.Series
    dso: pd.DataFrame
    aged: pd.Series
    disputes: DisputeSummary
    forecast: pd.DataFrame
    figure: object


def dashboard(case, month, dso_target: float | None = None, *, history: pd.DataFrame | None = None,
              lines: pd.DataFrame | None = None, chart: bool = True) -> Dashboard:
    """The dashboard of the fil rouge for `month` ("2025-12", a Period or any date of the month).

    `dso_target` (days) draws the target on the DSO panel. To build many months quickly (the month picker),
    pass what does not depend on the month, computed once: `history`, a `monthly_dso(case)` table covering the
    13 months, and `lines`, the case's `payment_lines`; `chart=False` leaves the figure out (None). Example:
    `dashboard(case, "2025-12").indicators["dso_count_back"]`.
    """
    month = _month(month)
    as_of = month.to_timestamp(how="end").normalize()
    if as_of > case.as_of:
        raise DataError(f"mois {month} postérieur à la date des données ({case.as_of:%d/%m/%Y})")
    first = case.invoices["document_date"].min().to_period("M") + 2
    if month < first:
        raise DataError(f"historique insuffisant : tableau de bord possible à partir de {first}")
    start = max(month - 12, first)
    if history is not None and {start, month} <= set(history.index.to_period("M")):
        dso = history[(history.index.to_period("M") >= start) & (history.index.to_period("M") <= month)]
    else:
        dso = monthly_dso(case, start, month)
    items = case.open_items(as_of)
    aged = aged_balance_totals(items, as_of)
    disputes = dispute_summary(case.disputes, as_of)
    if lines is None:
        delays = customer_payment_delays(case.invoices, case.payments, as_of)
    else:
        window = (lines["payment_date"] > as_of - pd.Timedelta(days=365)) & (lines["payment_date"] <= as_of)
        delays = average_delays(lines[window])
    forecast = forecast_collections(items, as_of, delays, freq="M", horizon=6)
    last = dso.iloc[-1]
    change = dso.iloc[-1] - dso.iloc[0] if len(dso) == 13 else pd.Series(np.nan, index=dso.columns)
    total = float(aged["total"])
    overdue = total - float(aged["not_due"])
    indicators = pd.Series({
        "dso_accounting": last["dso_accounting"], "dso_count_back": last["dso_count_back"],
        "dso_accounting_change_12m": change["dso_accounting"],
        "dso_count_back_change_12m": change["dso_count_back"],
        "receivables": total, "overdue": overdue, "overdue_share": overdue / total if total > 0 else np.nan,
        "open_disputes": float(disputes.open_count), "open_disputes_amount": disputes.open_amount,
        "forecast_next_month": float(forecast["forecast"].iloc[0]),
        "naive_next_month": float(forecast["naive"].iloc[0])}, name="value")
    board = Dashboard(month, as_of, indicators, dso, aged, disputes, forecast, None)
    return replace(board, figure=plot_dashboard(board, dso_target)) if chart else board


def format_dashboard(board: Dashboard) -> pd.DataFrame:
    """The indicators as a French two-column table (« Indicateur », « Valeur »)."""
    rows = [(label, fmt.FORMATTERS[kind](board.indicators[key])) for key, (label, kind) in INDICATORS.items()]
    return pd.DataFrame(rows, columns=["Indicateur", "Valeur"]).set_index("Indicateur")


def _money_unit(values) -> str:
    """« M€ » for amounts of a million or more, else « k€ »."""
    values = np.abs(np.asarray(values, dtype=float))
    return "M€" if values.size and np.nanmax(values) >= 1e6 else "k€"


NO_OPEN_DISPUTE = "Aucun litige ouvert à cette date"


def _empty_panel(ax, title: str, text: str) -> None:
    ax.set_title(title)
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=14, transform=ax.transAxes, color="#555555")
    ax.set_axis_off()


@dataclass(frozen=True)
class DashboardScales:
    """What the four panels show the same way for every month of a set of dashboards: the months on the DSO
    axis (`timeline`), each panel's limits and money unit, the ageing `buckets`, the dispute `reasons` (by their
    largest amount, smallest first: drawn bottom up) and the forecast's month labels."""

    timeline: pd.PeriodIndex
    dso: tuple[float, float]
    buckets: tuple
    aged: tuple[float, float]
    aged_unit: str
    reasons: tuple
    disputes: tuple[float, float]
    forecast: tuple[float, float]
    forecast_unit: str
    forecast_labels: tuple[str, ...]


def dashboard_scales(boards, dso_target: float | None = None) -> DashboardScales:
    """Scales covering every one of `boards`: from one month to the next the frame stays and the bars move.

    The DSO axis runs over all the boards' months (both methods and `dso_target`, 5 % spared each side); bars
    start from zero (`bar_limits`); the forecast's months are named when all boards forecast the same months,
    else counted from the month end (« M+1 » to « M+6 »).
    """
    boards = list(boards)
    series = [board.dso for board in boards if len(board.dso)]
    if series:
        months = pd.DatetimeIndex(np.concatenate([s.index.to_numpy() for s in series])).to_period("M")
        timeline = pd.period_range(months.min(), months.max(), freq="M")
        values = np.concatenate([s[["dso_accounting", "dso_count_back"]].to_numpy(float).ravel() for s in series]
                                + [np.array([np.nan if dso_target is None else dso_target])])
        dso = _padded(np.nanmin(values), np.nanmax(values)) if np.isfinite(values).any() else (0.0, 1.0)
    else:
        timeline, dso = pd.PeriodIndex([], freq="M"), (0.0, 1.0)
    aged = [board.aged.drop("total") for board in boards]
    reasons = [board.disputes.by_reason["amount"] for board in boards if board.disputes.open_count]
    largest = pd.concat(reasons).groupby(level=0, sort=False).max().sort_values(kind="stable") if reasons else None
    forecasts = [board.forecast[["forecast", "naive"]] for board in boards]
    periods = boards[0].forecast.index
    named = all(board.forecast.index.equals(periods) for board in boards)
    return DashboardScales(
        timeline, dso, tuple(aged[0].index), bar_limits(*aged), _money_unit([b.aged["total"] for b in boards]),
        tuple(largest.index) if largest is not None else (), bar_limits(*reasons),
        bar_limits(*forecasts), _money_unit(np.concatenate([f.to_numpy(float).ravel() for f in forecasts])),
        tuple(period_labels(periods)) if named else tuple(f"M+{k}" for k in range(1, len(periods) + 1)))


def _padded(low: float, high: float) -> tuple[float, float]:
    """`low`..`high` with 5 % of their spread on each side (matplotlib's own margin), 1 when they are equal."""
    margin = 0.05 * (high - low) or 1.0
    return float(low - margin), float(high + margin)


def _corner_text(ax):
    """An empty text at the right end of the axes' title line (a figure of the month: drawn with the data)."""
    return ax.annotate("", (1, 1), xycoords="axes fraction", xytext=(0, plt.rcParams["axes.titlepad"]),
                       textcoords="offset points", ha="right", va="baseline", annotation_clip=False,
                       fontsize=plt.rcParams["axes.titlesize"], in_layout=False)


class DashboardChart:
    """The four panels on `scales`, built once: `show(board)` puts a month's figures in the same frame (the month
    picker redraws only the data). Panels: DSO trend (with the `dso_target` line if given), aged balance, open
    disputes by reason, cash forecast. No DSO month or no dispute reason leaves a French note in its panel
    (`disputes_note`: the note to show when disputes are not tracked in the data)."""

    def __init__(self, scales: DashboardScales, dso_target: float | None = None,
                 title: str = "Tableau de bord crédit clients", disputes_note: str | None = None):
        use_house_style()
        self.scales = scales
        self.figure, axes = plt.subplots(2, 2, figsize=(16, 10))
        self.figure.suptitle(title, fontsize=18, fontweight="bold")
        self.dso_lines = self._dso_panel(axes[0, 0], dso_target)
        self.aged_bars, self.aged_total = self._aged_panel(axes[0, 1])
        self.dispute_bars, self.disputes_total, self.no_dispute = self._disputes_panel(axes[1, 0], disputes_note)
        self.forecast_bars = self._forecast_panel(axes[1, 1])

    def _dso_panel(self, ax, dso_target):
        timeline = self.scales.timeline
        if not len(timeline):
            _empty_panel(ax, "DSO sur 12 mois", "Historique des ventes insuffisant\npour un DSO mensuel")
            return None
        lines = (ax.plot([], [], marker="o", linewidth=2, label="Méthode comptable (3 mois)")[0],
                 ax.plot([], [], marker="o", linewidth=2, label="Méthode par épuisement")[0], _corner_text(ax))
        if dso_target is not None:
            ax.axhline(dso_target, color=PALETTE[3], linestyle="--", linewidth=2,
                       label=f"Objectif : {fmt.number(dso_target)} jours")
        x, step = np.arange(len(timeline)), -(-len(timeline) // 9)  # 9 month labels at most
        ax.set_xticks(x[::step], month_labels(timeline[::step]), rotation=45, ha="right")
        ax.set_xlim(-0.5, len(timeline) - 0.5)
        ax.set_ylim(*self.scales.dso)
        ax.set_title("DSO sur 12 mois", loc="left")
        number_axis(ax, suffix=" j")
        ax.legend()
        return lines

    def _aged_panel(self, ax):
        labels = ageing_labels(pd.Index(self.scales.buckets))
        bars = ax.bar([labels[c] for c in self.scales.buckets], np.zeros(len(self.scales.buckets)),
                      color=[AGEING_COLORS[i % len(AGEING_COLORS)] for i in range(len(self.scales.buckets))])
        ax.set_title("Balance âgée", loc="left")
        ax.tick_params(axis="x", rotation=20)
        ax.set_ylim(*self.scales.aged)
        euro_axis(ax, unit=self.scales.aged_unit)
        return bars, _corner_text(ax)

    def _disputes_panel(self, ax, note):
        if note is not None:
            _empty_panel(ax, "Litiges ouverts", note)
            return None, None, None
        if not self.scales.reasons:
            _empty_panel(ax, "Litiges ouverts : aucun", NO_OPEN_DISPUTE)
            return None, None, None
        bars = ax.barh(list(self.scales.reasons), np.zeros(len(self.scales.reasons)), color=PALETTE[3])
        ax.set_title("Litiges ouverts", loc="left")
        ax.set_xlim(*self.scales.disputes)
        euro_axis(ax, axis="x", unit="k€")
        ax.grid(axis="y", visible=False)
        none = ax.text(0.5, 0.5, NO_OPEN_DISPUTE, ha="center", va="center", fontsize=14,
                       transform=ax.transAxes, color="#555555", visible=False)
        return bars, _corner_text(ax), none

    def _forecast_panel(self, ax):
        x = np.arange(len(self.scales.forecast_labels))
        bars = (ax.bar(x - 0.2, np.zeros(len(x)), 0.4, label="Prévision (retards habituels)", color=PALETTE[0]),
                ax.bar(x + 0.2, np.zeros(len(x)), 0.4, label="À l'échéance", color=PALETTE[5]))
        ax.set_xticks(x, self.scales.forecast_labels)
        ax.set_title("Encaissements prévus", loc="left")
        ax.set_ylim(*self.scales.forecast)
        euro_axis(ax, unit=self.scales.forecast_unit)
        ax.legend()
        return bars

    def show(self, board: Dashboard):
        """The figure with `board`'s month in it (a board the scales cover)."""
        if self.dso_lines is not None:
            accounting, count_back, date = self.dso_lines
            x = self.scales.timeline.get_indexer(board.dso.index.to_period("M"))
            accounting.set_data(x, board.dso["dso_accounting"].to_numpy(float))
            count_back.set_data(x, board.dso["dso_count_back"].to_numpy(float))
            date.set_text(f"au {fmt.date(board.as_of)}")
        for bar, value in zip(self.aged_bars, board.aged.reindex(self.scales.buckets, fill_value=0.0)):
            bar.set_height(value)
        self.aged_total.set_text(fmt.euros(board.aged["total"], 0))
        if self.dispute_bars is not None:
            amounts = board.disputes.by_reason["amount"].reindex(self.scales.reasons, fill_value=0.0)
            for bar, value in zip(self.dispute_bars, amounts):
                bar.set_width(value)
            self.disputes_total.set_text(f"{board.disputes.open_count} pour {fmt.euros(board.disputes.open_amount, 0)}"
                                         if board.disputes.open_count else "aucun")
            self.no_dispute.set_visible(board.disputes.open_count == 0)
        for bars, column in zip(self.forecast_bars, ("forecast", "naive")):
            for bar, value in zip(bars, board.forecast[column]):
                bar.set_height(value)
        return self.figure


def plot_dashboard(board: Dashboard, dso_target: float | None = None, title: str | None = None,
                   disputes_note: str | None = None):
    """The four panels of one month (`DashboardChart` on the month's own scales)."""
    month = board.month
    chart = DashboardChart(dashboard_scales([board], dso_target), dso_target,
                           title or f"Tableau de bord crédit clients — {month.month:02d}/{month.year}", disputes_note)
    return chart.show(board)


# --- notebook 06: the dashboard of any ledger, the DSO against its target ------------------------------------------

NO_DISPUTES_NOTE = "Litiges non suivis dans ces données\n(un FEC ne porte pas les litiges)"
DISPUTE_COLUMNS = {"dispute_id": object, "document_ref": object, "customer_id": object, "reason": object,
                   "owner_department": object, "amount": float, "opened_date": "datetime64[ns]",
                   "closed_date": "datetime64[ns]"}


def ledger_dashboard(open_items: pd.DataFrame, invoices: pd.DataFrame, payments: pd.DataFrame, as_of,
                     disputes: pd.DataFrame | None = None, payment_terms_days: int = 30,
                     dso_target: float | None = None) -> Dashboard:
    """The dashboard of any ledger at `as_of`: a company's FEC (`wb.open_items`, `wb.invoices`, `wb.payments`)
    or the fil rouge's tables.

    DSO: `recent_monthly_dso` over the 13 month ends up to `as_of` (empty when the sales history is too short:
    DSO and its change are then missing); aged balance and forecast at `as_of` (customer delays from
    `ledger_payment_delays`); `disputes`: a disputes table, or None when the data carries none (dispute
    indicators missing). `month` is the month of `as_of`. On the fil rouge at a month end it gives the figures of
    `dashboard(case, month)`.
    """
    as_of = to_timestamp(as_of)
    dso = recent_monthly_dso(invoices, payments, as_of, months=13) if len(invoices) else pd.DataFrame()
    items = open_items[open_items["document_date"] <= as_of]
    aged = aged_balance_totals(items, as_of)
    tracked = disputes is not None
    if disputes is None:
        disputes = pd.DataFrame({c: pd.Series(dtype=t) for c, t in DISPUTE_COLUMNS.items()})
    summary = dispute_summary(disputes, as_of)
    delays = ledger_payment_delays(invoices, payments, as_of, payment_terms_days) if len(invoices) else None
    forecast = forecast_collections(items, as_of, delays, freq="M", horizon=6)
    if len(dso):
        last = dso.iloc[-1]
        change = dso.iloc[-1] - dso.iloc[0] if len(dso) == 13 else pd.Series(np.nan, index=dso.columns)
    else:
        last = change = pd.Series(np.nan, index=["dso_accounting", "dso_count_back"])
    total = float(aged["total"])
    overdue = total - float(aged["not_due"])
    indicators = pd.Series({
        "dso_accounting": last["dso_accounting"], "dso_count_back": last["dso_count_back"],
        "dso_accounting_change_12m": change["dso_accounting"],
        "dso_count_back_change_12m": change["dso_count_back"],
        "receivables": total, "overdue": overdue, "overdue_share": overdue / total if total > 0 else np.nan,
        "open_disputes": float(summary.open_count) if tracked else np.nan,
        "open_disputes_amount": summary.open_amount if tracked else np.nan,
        "forecast_next_month": float(forecast["forecast"].iloc[0]),
        "naive_next_month": float(forecast["naive"].iloc[0])}, name="value").astype(float)
    month = as_of.to_period("M")
    board = Dashboard(month, as_of, indicators, dso, aged, summary, forecast, None)
    title = f"Tableau de bord crédit clients au {fmt.date(as_of)}"
    return replace(board, figure=plot_dashboard(board, dso_target, title, None if tracked else NO_DISPUTES_NOTE))


@dataclass(frozen=True)
class DSOTarget:
    """The DSO of the last month end of a monthly series against its `target` (days).

    `gap` = DSO − target (> 0: above target); `change_12m`: DSO − DSO twelve months earlier (missing with
    fewer than 13 months); `months_on_target`: months of the series at or below target; `day_value`: one day
    of sales incl. VAT (last 12 months / 365, or the last window's sales / its days with less history);
    `cash_to_release` = max(gap, 0) × day value: the cash reaching the target would bring in.
    """

    month_end: pd.Timestamp
    method: str
    dso: float
    target: float
    gap: float
    change_12m: float
    months: int
    months_on_target: int
    day_value: float
    cash_to_release: float


def dso_target_status(monthly: pd.DataFrame, target: float, method: str = "dso_accounting") -> DSOTarget:
    """The DSO against its target, from `monthly_dso` / `recent_monthly_dso`. Example: DSO 70 days, target
    65 days, 12 months of sales of 36 500 000 € → gap 5 days × 100 000 € = 500 000 € to release."""
    if method not in ("dso_accounting", "dso_count_back"):
        raise DataError(f"méthode « {method} » inconnue (attendu : dso_accounting ou dso_count_back)")
    if target is None or not target > 0:
        raise DataError("objectif de DSO : un nombre de jours positif est attendu")
    series = monthly[method].dropna() if len(monthly) else pd.Series(dtype=float)
    if series.empty:
        raise DataError("DSO mensuel non disponible : historique des ventes insuffisant")
    last = monthly.loc[series.index[-1]]
    dso = float(series.iloc[-1])
    gap = dso - float(target)
    change = dso - float(monthly[method].iloc[-13]) if len(monthly) >= 13 else float("nan")
    if len(monthly) >= 12:
        day_value = dso_day_value(float(monthly["sales"].iloc[-12:].sum()))
    else:
        day_value = float(last["window_sales"]) / float(last["window_days"])
    return DSOTarget(pd.Timestamp(series.index[-1]), method, dso, float(target), gap, change, len(series),
                     int((series <= target).sum()), day_value, max(gap, 0.0) * day_value)


def plot_dso_against_target(monthly: pd.DataFrame, target: float, window_months: int = 3,
                    title: str = "DSO mensuel face à l'objectif"):
    """`plot_monthly_dso` (both methods) with the target as a dashed line."""
    fig = plot_monthly_dso(monthly, window_months, title=title)
    ax = fig.axes[0]
    ax.axhline(target, color=PALETTE[3], linestyle="--", linewidth=2, label=f"Objectif : {fmt.number(target)} jours")
    ax.legend()
    return fig


def dso_target_sentence(monthly: pd.DataFrame, target: float | None, method: str = "dso_accounting") -> str:
    """One French sentence on the DSO against `target` (`dso_target_status`); "" without a target, the reason
    when the DSO is not available."""
    if target is None:
        return ""
    try:
        status = dso_target_status(monthly, target, method)
    except DataError as error:
        return f"{error}."
    name = "DSO comptable" if method == "dso_accounting" else "DSO par épuisement"
    held = f"objectif tenu {status.months_on_target} mois sur {status.months}"
    if status.gap > 0:
        return (f"{name} au {fmt.date(status.month_end)} : {fmt.days(status.dso)}, soit {fmt.days(status.gap)} "
                f"au-dessus de l'objectif de {fmt.days(status.target, 0)} ; l'atteindre libérerait "
                f"{fmt.euros(status.cash_to_release, 0)} de trésorerie ; {held}.")
    return (f"{name} au {fmt.date(status.month_end)} : {fmt.days(status.dso)}, objectif de "
            f"{fmt.days(status.target, 0)} atteint ({fmt.days(-status.gap)} de marge) ; {held}.")


def dashboard_months(case, count: int = 24) -> list:
    """The last `count` months (Periods) a fil rouge `dashboard` can be built for: from the third month of sales
    to the last complete month of the data."""
    first = case.invoices["document_date"].min().to_period("M") + 2
    last = case.as_of.to_period("M") if case.as_of.is_month_end else case.as_of.to_period("M") - 1
    if last < first:
        return []
    return list(pd.period_range(max(first, last - (int(count) - 1)), last, freq="M"))


def dashboard_history(case, months) -> pd.DataFrame:
    """One `monthly_dso(case)` table covering the 13-month DSO windows of all `months`: the `history=` of
    `dashboard` when building many months."""
    months = [_month(m) for m in months]
    first = case.invoices["document_date"].min().to_period("M") + 2
    return monthly_dso(case, max(min(months) - 12, first), max(months))
