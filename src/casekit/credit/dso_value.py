"""Value of one day of DSO; impact of a DSO change on cash, financing cost, result and working capital.

One day of DSO = annual sales incl. VAT / 365: receivables are carried incl. VAT, so one day less of DSO
releases one day of sales incl. VAT in cash.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from casekit.errors import DataError
from casekit.plots import PALETTE, euro_axis, new_figure

DAYS_PER_YEAR = 365
CORPORATE_TAX_RATE = 0.25  # French corporate income tax, standard rate since 2022 (art. 219 CGI)


def dso_day_value(annual_sales_incl_vat) -> float:
    """Cash tied up by one day of DSO. Example: `dso_day_value(36_500_000)` → 100 000.0."""
    if not annual_sales_incl_vat > 0:
        raise DataError("chiffre d'affaires annuel TTC nul ou négatif : "
                        "valeur d'un jour de DSO non calculable")
    return float(annual_sales_incl_vat) / DAYS_PER_YEAR


@dataclass(frozen=True)
class DSOImpact:
    """Effect of moving DSO from `dso_from` to `dso_to` (a reduction when `days_reduced` > 0).

    `cash_released` = days reduced × value of a day (negative: cash absorbed); `financing_saved` = cash
    released × financing rate, per year, before tax (a financial charge: EBITDA is unchanged);
    `result_after_tax` = the same after corporate tax; `working_capital_after` = working capital − cash
    released; `share_of_ebitda` and `share_of_net_income` relate the yearly gain (before / after tax) to
    EBITDA and net income.
    """

    dso_from: float
    dso_to: float
    days_reduced: float
    day_value: float
    cash_released: float
    financing_rate: float
    financing_saved: float
    tax_rate: float | None
    result_after_tax: float | None
    working_capital_before: float | None
    working_capital_after: float | None
    share_of_ebitda: float | None
    share_of_net_income: float | None


def dso_change_impact(annual_sales_incl_vat, dso_from, dso_to, financing_rate, ebitda=None,
                      working_capital=None, net_income=None, tax_rate=None) -> DSOImpact:
    """Cash released, yearly financing cost saved and effect on result and working capital of a DSO change.

    Example: sales 36 500 000 € incl. VAT, DSO 60 → 50 days at 5 % → 1 000 000 € released, 50 000 € a
    year saved.
    """
    if financing_rate < 0:
        raise DataError("taux de financement négatif")
    if tax_rate is not None and not 0 <= tax_rate < 1:
        raise DataError("taux d'impôt sur les sociétés invalide (attendu entre 0 et 1, ex. 0,25)")
    if dso_from < 0 or dso_to < 0:
        raise DataError("un DSO ne peut pas être négatif")
    day_value = dso_day_value(annual_sales_incl_vat)
    days = float(dso_from) - float(dso_to)
    cash = days * day_value
    saved = cash * float(financing_rate)
    after_tax = None if tax_rate is None else saved * (1 - float(tax_rate))
    return DSOImpact(
        dso_from=float(dso_from), dso_to=float(dso_to), days_reduced=days, day_value=day_value,
        cash_released=cash, financing_rate=float(financing_rate), financing_saved=saved, tax_rate=tax_rate,
        result_after_tax=after_tax,
        working_capital_before=None if working_capital is None else float(working_capital),
        working_capital_after=None if working_capital is None else float(working_capital) - cash,
        share_of_ebitda=None if not ebitda else saved / float(ebitda),
        share_of_net_income=None if (not net_income or after_tax is None) else after_tax / float(net_income))


def dso_value_for_case(case, year: int = 2025, target_dso=None, tax_rate=CORPORATE_TAX_RATE) -> DSOImpact:
    """`dso_change_impact` on the fil rouge's `financials` of `year`.

    Current DSO = trade receivables / revenue incl. VAT × 365; `target_dso` defaults to 10 days less; the
    financing rate is the year's `borrowing_rate`.
    """
    row = case.financials[case.financials["year"] == year]
    if row.empty:
        raise DataError(f"exercice {year} absent des états financiers (disponibles : "
                        f"{', '.join(map(str, case.financials['year']))})")
    row = row.iloc[0]
    dso = row["trade_receivables"] / row["revenue_incl_vat"] * DAYS_PER_YEAR
    return dso_change_impact(row["revenue_incl_vat"], dso, dso - 10 if target_dso is None else target_dso,
                             row["borrowing_rate"], ebitda=row["ebitda"],
                             working_capital=row["working_capital"], net_income=row["net_income"],
                             tax_rate=tax_rate)


def dso_reduction_table(annual_sales_incl_vat, financing_rate, max_days: int = 20) -> pd.DataFrame:
    """Cash released and yearly financing saved for a DSO reduction of 0 to `max_days` days."""
    days = np.arange(0, int(max_days) + 1)
    cash = days * dso_day_value(annual_sales_incl_vat)
    return pd.DataFrame({"cash_released": cash, "financing_saved": cash * float(financing_rate)},
                        index=pd.Index(days, name="days_reduced"))


def plot_dso_reduction(annual_sales_incl_vat, financing_rate, max_days: int = 20,
                       title: str = "Ce que rapporte une baisse du DSO"):
    """Bars: cash released (left axis); line: yearly financing cost saved (right axis); by days of DSO
    reduction."""
    table = dso_reduction_table(annual_sales_incl_vat, financing_rate, max_days)
    fig, ax = new_figure(title, xlabel="Baisse du DSO (jours)", ylabel="Trésorerie libérée")
    ax.bar(table.index, table["cash_released"], color=PALETTE[0],
           label="Trésorerie libérée (échelle de gauche)")
    euro_axis(ax, unit="k€")
    right = ax.twinx()
    right.plot(table.index, table["financing_saved"], color=PALETTE[1], marker="o", linewidth=2,
               label="Frais financiers économisés par an (échelle de droite)")
    right.set_ylabel("Frais financiers économisés par an")
    right.grid(False)
    right.spines["right"].set_visible(True)
    euro_axis(right, unit="k€")
    right.set_ylim(0, ax.get_ylim()[1] * float(financing_rate) if financing_rate > 0 else 1)
    handles = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    ax.legend(handles, [h.get_label() for h in handles], loc="upper left")
    return fig
