"""The monthly credit dashboard: DSO (both methods) and its 12-month trend, overdue share, aged balance,
open disputes and next month's cash forecast — as a table of indicators and a four-panel figure."""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from casekit import fmt
from casekit.credit.aged_balance import aged_balance_totals, ageing_labels
from casekit.credit.disputes import DisputeSummary, dispute_summary
from casekit.credit.dso import monthly_dso
from casekit.credit.forecast import customer_payment_delays, forecast_collections, period_labels
from casekit.dates import to_timestamp
from casekit.errors import DataError
from casekit.plots import AGEING_COLORS, PALETTE, euro_axis, month_labels, number_axis, use_house_style

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
    collections of the next 6 months (forecast and naive); `figure`: the four panels.
    """

    month: pd.Period
    as_of: pd.Timestamp
    indicators: pd.Series
    dso: pd.DataFrame
    aged: pd.Series
    disputes: DisputeSummary
    forecast: pd.DataFrame
    figure: object


def dashboard(case, month) -> Dashboard:
    """The dashboard of the fil rouge for `month` ("2025-12", a Period or any date of the month).

    Example: `dashboard(case, "2025-12").indicators["dso_count_back"]`.
    """
    month = _month(month)
    as_of = month.to_timestamp(how="end").normalize()
    if as_of > case.as_of:
        raise DataError(f"mois {month} postérieur à la date des données ({case.as_of:%d/%m/%Y})")
    first = case.invoices["document_date"].min().to_period("M") + 2
    if month < first:
        raise DataError(f"historique insuffisant : tableau de bord possible à partir de {first}")
    dso = monthly_dso(case, max(month - 12, first), month)
    items = case.open_items(as_of)
    aged = aged_balance_totals(items, as_of)
    disputes = dispute_summary(case.disputes, as_of)
    delays = customer_payment_delays(case.invoices, case.payments, as_of)
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
    figure = plot_dashboard(month, dso, aged, disputes, forecast)
    return Dashboard(month, as_of, indicators, dso, aged, disputes, forecast, figure)


def format_dashboard(board: Dashboard) -> pd.DataFrame:
    """The indicators as a French two-column table (« Indicateur », « Valeur »)."""
    rows = [(label, fmt.FORMATTERS[kind](board.indicators[key])) for key, (label, kind) in INDICATORS.items()]
    return pd.DataFrame(rows, columns=["Indicateur", "Valeur"]).set_index("Indicateur")


def plot_dashboard(month: pd.Period, dso: pd.DataFrame, aged: pd.Series, disputes: DisputeSummary,
                   forecast: pd.DataFrame):
    """Four panels: DSO trend, aged balance, open disputes by reason, cash forecast."""
    use_house_style()
    fig, axes = plt.subplots(2, 2, figsize=(16, 10))
    fig.suptitle(f"Tableau de bord crédit clients — {month.month:02d}/{month.year}", fontsize=18,
                 fontweight="bold")
    ax = axes[0, 0]
    x = np.arange(len(dso))
    ax.plot(x, dso["dso_accounting"], marker="o", linewidth=2, label="Méthode comptable (3 mois)")
    ax.plot(x, dso["dso_count_back"], marker="o", linewidth=2, label="Méthode par épuisement")
    ax.set_xticks(x[::2], month_labels(dso.index[::2]), rotation=45, ha="right")
    ax.set_title("DSO sur 12 mois")
    number_axis(ax, suffix=" j")
    ax.legend()
    ax = axes[0, 1]
    buckets = aged.drop("total")
    labels = ageing_labels(buckets.index)
    ax.bar([labels[c] for c in buckets.index], buckets.to_numpy(),
           color=[AGEING_COLORS[i % len(AGEING_COLORS)] for i in range(len(buckets))])
    ax.set_title(f"Balance âgée : {fmt.euros(aged['total'], 0)}")
    ax.tick_params(axis="x", rotation=20)
    euro_axis(ax, unit="M€")
    ax = axes[1, 0]
    table = disputes.by_reason.sort_values("amount", kind="stable")
    ax.barh(table.index, table["amount"], color=PALETTE[3])
    ax.set_title(f"Litiges ouverts : {disputes.open_count} pour {fmt.euros(disputes.open_amount, 0)}")
    euro_axis(ax, axis="x", unit="k€")
    ax.grid(axis="y", visible=False)
    ax = axes[1, 1]
    x = np.arange(len(forecast))
    ax.bar(x - 0.2, forecast["forecast"], 0.4, label="Prévision (retards habituels)", color=PALETTE[0])
    ax.bar(x + 0.2, forecast["naive"], 0.4, label="À l'échéance", color=PALETTE[5])
    ax.set_xticks(x, period_labels(forecast.index))
    ax.set_title("Encaissements prévus")
    euro_axis(ax, unit="M€")
    ax.legend()
    return fig
