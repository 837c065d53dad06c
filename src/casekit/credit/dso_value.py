"""Value of one day of DSO; impact of a DSO change on cash, financing cost, result and working capital.

One day of DSO = annual sales incl. VAT / 365: receivables are carried incl. VAT, so one day less of DSO
releases one day of sales incl. VAT in cash.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from casekit import fmt
from casekit.credit.dso import dso_accounting
from casekit.dates import to_timestamp
from casekit.errors import DataError
from casekit.plots import PALETTE, euro_axis, new_figure, nice_limit

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

    @property
    def receivables_before(self) -> float:
        """Receivables the starting DSO stands for: `dso_from` × value of a day."""
        return self.dso_from * self.day_value

    @property
    def receivables_after(self) -> float:
        """Receivables at the target DSO: `dso_to` × value of a day."""
        return self.dso_to * self.day_value


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


def format_dso_impact(impact: DSOImpact) -> pd.DataFrame:
    """The French display table of a `DSOImpact` (the optional figures only when known)."""
    change = "Baisse du DSO" if impact.days_reduced >= 0 else "Hausse du DSO"
    cash = "Trésorerie libérée (une fois)" if impact.cash_released >= 0 else "Trésorerie absorbée (une fois)"
    saved = ("Frais financiers économisés par an (avant impôt)" if impact.financing_saved >= 0
             else "Frais financiers supplémentaires par an (avant impôt)")
    rows = [("DSO de départ", fmt.days(impact.dso_from)), ("DSO visé", fmt.days(impact.dso_to)),
            (change, fmt.days(abs(impact.days_reduced))),
            ("Valeur d'un jour de DSO", fmt.euros(impact.day_value, 0)),
            (cash, fmt.euros(abs(impact.cash_released), 0)),
            ("Taux de financement retenu", fmt.percent(impact.financing_rate, 2)),
            (saved, fmt.euros(abs(impact.financing_saved), 0))]
    if impact.result_after_tax is not None:
        rows.append((f"Effet sur le résultat net par an (après IS à {fmt.percent(impact.tax_rate, 0)})",
                     ("+" if impact.result_after_tax >= 0 else "−") + fmt.euros(abs(impact.result_after_tax), 0)))
    if impact.share_of_net_income is not None:
        rows.append(("soit, en part du résultat net", fmt.percent(impact.share_of_net_income)))
    if impact.working_capital_after is not None:
        rows.append(("BFR d'exploitation : avant → après", f"{fmt.euros(impact.working_capital_before, 0)} → "
                     f"{fmt.euros(impact.working_capital_after, 0)}"))
    return pd.DataFrame(rows, columns=["Indicateur", "Valeur"]).set_index("Indicateur")


def plot_dso_target(impact: DSOImpact, title: str = "Encours clients : aujourd'hui et au DSO visé"):
    """Two bars, receivables at the starting DSO and at the target DSO (each DSO written in its bar), the gap
    labelled as cash released; the scale is rounded up, so that it stays put while the target moves a little."""
    fig, ax = new_figure(title, ylabel="Encours clients TTC")
    values = [impact.receivables_before, impact.receivables_after]
    colors = [PALETTE[0], PALETTE[2] if impact.cash_released >= 0 else PALETTE[3]]
    bars = ax.bar(["Aujourd'hui", "DSO visé"], values, color=colors, width=0.55)
    ax.bar_label(bars, labels=[fmt.days(impact.dso_from), fmt.days(impact.dso_to)], label_type="center",
                 color="white", fontsize=14, fontweight="bold")
    euro_axis(ax, unit="M€")
    top = max(values)
    ax.set_ylim(0, nice_limit(top * 1.25))
    verb = "libérée" if impact.cash_released >= 0 else "absorbée"
    ax.annotate(f"Trésorerie {verb} : {fmt.euros(abs(impact.cash_released), 0)}\n"
                f"Frais financiers : {'−' if impact.financing_saved >= 0 else '+'}"
                f"{fmt.euros(abs(impact.financing_saved), 0)} par an",
                xy=(0.5, top * 1.12), ha="center", va="center", fontsize=14, fontweight="bold")
    return fig


def sales_to_offset_loss(loss, margin_rate) -> float:
    """Extra sales (excl. VAT) needed to earn back a loss at a given margin rate: loss / margin rate.

    Example: a 10 000 € loss at a 2,5 % net margin → 400 000 € of extra sales.
    """
    if not margin_rate > 0:
        raise DataError("taux de marge nul ou négatif : aucune vente supplémentaire ne compense la perte")
    return float(loss) / float(margin_rate)


@dataclass(frozen=True)
class ReceivablesChange:
    """Change of receivables between two years split into a growth effect and a DSO effect.

    `growth_effect` = (sales after − sales before) / days × DSO before (what growth absorbs at an
    unchanged DSO); `dso_effect` = (DSO after − DSO before) × sales after / days; their sum is `change`.
    """

    dso_before: float
    dso_after: float
    change: float
    growth_effect: float
    dso_effect: float


def receivables_change_breakdown(sales_before, receivables_before, sales_after, receivables_after,
                                 days: int = DAYS_PER_YEAR) -> ReceivablesChange:
    """Why receivables moved: sales growth at the old DSO, then the DSO change at the new sales.

    Example: sales 36 500 000 → 40 150 000 € and receivables 6 000 000 → 7 150 000 €: DSO 60 → 65 days;
    growth 3 650 000 / 365 × 60 = 600 000 €, DSO 5 × 110 000 = 550 000 €, total 1 150 000 €.
    """
    dso_before = dso_accounting(receivables_before, sales_before, days)
    dso_after = dso_accounting(receivables_after, sales_after, days)
    growth = (float(sales_after) - float(sales_before)) / days * dso_before
    effect = (dso_after - dso_before) * float(sales_after) / days
    return ReceivablesChange(dso_before, dso_after, float(receivables_after) - float(receivables_before),
                             growth, effect)


def latest_financial_year(financials: pd.DataFrame, as_of=None) -> int:
    """The latest year of `financials` closed (31/12) on or before `as_of`, default the latest year; the
    earliest year when none is closed yet."""
    years = sorted(int(y) for y in financials["year"])
    if not years:
        raise DataError("aucun exercice dans les états financiers")
    if as_of is None:
        return years[-1]
    as_of = to_timestamp(as_of)
    closed = [y for y in years if pd.Timestamp(y, 12, 31) <= as_of]
    return closed[-1] if closed else years[0]


def dso_environment(financials: pd.DataFrame, tax_rate=CORPORATE_TAX_RATE) -> pd.DataFrame:
    """What the receivables weigh in the company's finances, year by year (index `year`).

    Columns: `dso` (trade receivables / sales incl. VAT × 365), `day_value`, `cash` and `cash_in_dso_days`
    (net cash / value of a day: how many days of DSO drift would absorb it), `receivables_share_of_wc`
    (receivables / operating working capital), `trade_balance` (receivables − payables, the inter-company
    credit the company finances) and `trade_balance_days` (/ sales incl. VAT × 365), `financing_cost`
    (receivables × borrowing rate, before tax), `financing_cost_share_of_net_income` (after tax / net income),
    `bad_debt_losses`, `net_margin_rate` (net income / sales excl. VAT) and `sales_to_offset_losses`.
    """
    f = financials.set_index("year").sort_index()
    out = pd.DataFrame(index=f.index)
    out["revenue_incl_vat"] = f["revenue_incl_vat"].astype(float)
    out["trade_receivables"] = f["trade_receivables"].astype(float)
    out["day_value"] = out["revenue_incl_vat"] / DAYS_PER_YEAR
    out["dso"] = out["trade_receivables"] / out["day_value"]
    out["cash"] = f["cash"].astype(float)
    out["cash_in_dso_days"] = out["cash"] / out["day_value"]
    out["receivables_share_of_wc"] = out["trade_receivables"] / f["working_capital"].astype(float)
    out["trade_balance"] = out["trade_receivables"] - f["trade_payables"].astype(float)
    out["trade_balance_days"] = out["trade_balance"] / out["day_value"]
    out["borrowing_rate"] = f["borrowing_rate"].astype(float)
    out["financing_cost"] = out["trade_receivables"] * out["borrowing_rate"]
    out["financing_cost_share_of_net_income"] = (out["financing_cost"] * (1 - tax_rate)
                                                 / f["net_income"].astype(float))
    out["bad_debt_losses"] = f["bad_debt_losses"].astype(float)
    out["net_margin_rate"] = f["net_income"].astype(float) / f["revenue_excl_vat"].astype(float)
    out["sales_to_offset_losses"] = [sales_to_offset_loss(loss, rate) if rate > 0 else np.nan
                                     for loss, rate in zip(out["bad_debt_losses"], out["net_margin_rate"])]
    return out


ENVIRONMENT_ROWS = (
    ("revenue_incl_vat", "Chiffre d'affaires TTC", "euros0"),
    ("trade_receivables", "Créances clients TTC au 31/12", "euros0"),
    ("dso", "DSO (créances / CA TTC × 365)", "days"),
    ("day_value", "Valeur d'un jour de DSO", "euros0"),
    ("cash", "Trésorerie nette au 31/12", "euros0"),
    ("cash_in_dso_days", "Trésorerie nette exprimée en jours de DSO", "days"),
    ("receivables_share_of_wc", "Part des créances clients dans le BFR d'exploitation", "percent"),
    ("trade_balance", "Crédit interentreprises net (créances − dettes fournisseurs)", "euros0"),
    ("trade_balance_days", "… en jours de chiffre d'affaires", "days"),
    ("borrowing_rate", "Taux moyen des financements court terme", "percent"),
    ("financing_cost", "Coût annuel du financement des créances (avant impôt)", "euros0"),
    ("financing_cost_share_of_net_income", "… après impôt, rapporté au résultat net", "percent"),
    ("bad_debt_losses", "Pertes sur créances irrécouvrables (HT)", "euros0"),
    ("net_margin_rate", "Taux de marge nette (résultat net / CA HT)", "percent"),
    ("sales_to_offset_losses", "CA HT supplémentaire qui compense ces pertes", "euros0"),
)


def format_dso_environment(environment: pd.DataFrame) -> pd.DataFrame:
    """`dso_environment` as a French display table: one row per indicator, one column per year."""
    rows = {label: [fmt.FORMATTERS[kind](environment.loc[year, column]) for year in environment.index]
            for column, label, kind in ENVIRONMENT_ROWS}
    out = pd.DataFrame.from_dict(rows, orient="index", columns=[str(y) for y in environment.index])
    out.index.name = "Indicateur"
    return out
