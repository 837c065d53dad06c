"""Blocks of `fiches/dso.md`: the board example (both methods, the split, the VAT trap) and the fil rouge's DSO by
both methods, its split, its trend over 13 month ends and what the excl.-VAT mistake would show."""

from __future__ import annotations

import pandas as pd
from matplotlib.ticker import MaxNLocator

from casekit import fmt
from casekit.context import portfolio_summary
from casekit.credit.dso import (
    count_back_detail,
    dso_accounting,
    dso_breakdown,
    dso_gap_explanation,
    dso_summary,
    month_name,
    monthly_dso,
    monthly_sales,
    plot_monthly_dso,
    vat_basis_trap,
)
from casekit.credit.dso_value import latest_financial_year
from casekit.fiches.blocks import block, source_line, table
from casekit.openitems import canonical_open_items

# The board example (same as notebook 02): receivables of 250 000 € at 31/12/2025, sales of the last 3 months.
EXAMPLE_AS_OF = pd.Timestamp("2025-12-31")
EXAMPLE_RECEIVABLES = 250_000.0
EXAMPLE_SALES = pd.Series([90_000.0, 120_000.0, 100_000.0], index=pd.period_range("2025-10", periods=3, freq="M"))
# The split: 9 000 € not yet due and 3 000 € overdue, for 90 000 € of sales over 90 days.
EXAMPLE_ITEMS = pd.DataFrame({
    "customer_id": ["A", "B"], "document_ref": ["F1", "F2"],
    "document_date": pd.to_datetime(["2025-11-15", "2025-10-15"]),
    "due_date": pd.to_datetime(["2026-01-15", "2025-12-15"]), "amount": [9_000.0, 3_000.0]})
EXAMPLE_SPLIT_SALES, EXAMPLE_SPLIT_DAYS = 90_000.0, 90
# The VAT trap: 120 000 € of receivables, 500 000 € of sales excl. VAT = 600 000 € incl. VAT, over a year.
EXAMPLE_VAT = dict(receivables_incl_vat=120_000.0, sales_excl_vat=500_000.0, sales_incl_vat=600_000.0, days=365)
CHART_SIZE = (8, 2.3)  # inches: a fifth of an A4 page once printed
MONTHS_SHORT = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]


def example_results() -> dict:
    """The board example's figures, each from its casekit calculator (what the block shows, for the tests)."""
    detail = count_back_detail(EXAMPLE_RECEIVABLES, EXAMPLE_SALES)
    window_days = int(sum(EXAMPLE_SALES.index.days_in_month))
    return dict(
        accounting=dso_accounting(EXAMPLE_RECEIVABLES, EXAMPLE_SALES.sum(), window_days),
        window_days=window_days, detail=detail, count_back=float(detail["days"].sum()),
        split=dso_breakdown(canonical_open_items(EXAMPLE_ITEMS), EXAMPLE_AS_OF, EXAMPLE_SPLIT_SALES,
                            EXAMPLE_SPLIT_DAYS),
        vat=vat_basis_trap(**EXAMPLE_VAT))


def _k(value) -> str:
    return fmt.euros(value, 0)


@block("dso_exemple")
def dso_exemple(context) -> str:
    r = example_results()
    detail, split, vat = r["detail"], r["split"], r["vat"]
    months = EXAMPLE_SALES.sort_index()
    due = EXAMPLE_ITEMS["due_date"] >= EXAMPLE_AS_OF
    not_due, overdue = EXAMPLE_ITEMS.loc[due, "amount"].sum(), EXAMPLE_ITEMS.loc[~due, "amount"].sum()
    steps = []
    for month, row in detail[detail["days"] > 0].iterrows():
        name = MONTHS_SHORT[month.month - 1]
        if row["consumed"] >= row["sales"] - 0.005:
            steps.append(f"{name} {int(row['days_in_month'])} j")
        else:
            steps.append(f"{name} {fmt.number(row['consumed'])} / {fmt.number(row['sales'])} × "
                         f"{int(row['days_in_month'])} j")
    rows = [
        (f"**Comptable, 3 mois** : {fmt.number(EXAMPLE_RECEIVABLES)} / {fmt.number(months.sum())} × "
         f"{r['window_days']} j", f"**{fmt.days(r['accounting'])}**"),
        (f"**Par épuisement** : {' + '.join(steps)}", f"**{fmt.days(r['count_back'])}**"),
        (f"Décomposition : ({fmt.number(not_due)} non échu + {fmt.number(overdue)} échu) / "
         f"{fmt.number(EXAMPLE_SPLIT_SALES)} × {EXAMPLE_SPLIT_DAYS} j",
         f"{fmt.number(split.best_possible_dso, 1)} + {fmt.number(split.add, 1)} = {fmt.days(split.dso)}"),
        (f"TTC sur TTC : {fmt.number(EXAMPLE_VAT['receivables_incl_vat'])} / "
         f"{fmt.number(EXAMPLE_VAT['sales_incl_vat'])} × {EXAMPLE_VAT['days']} j (faux : sur le CA HT de "
         f"{fmt.number(EXAMPLE_VAT['sales_excl_vat'])})",
         f"{fmt.days(vat.dso)} (faux : {fmt.number(vat.dso_wrong, 1)})"),
    ]
    sales = ", ".join(f"{MONTHS_SHORT[m.month - 1]} {fmt.number(v)}" for m, v in months.items())
    return table(rows, (f"Encours {_k(EXAMPLE_RECEIVABLES)} ; ventes TTC {sales} €", "DSO"))


def fil_rouge_results(context) -> dict:
    """The fil rouge's DSO at `as_of` by every method, its 13 month ends, the gap between methods and the VAT
    trap on the latest closed year (what the block shows, for the tests)."""
    case, as_of = context.case, context.as_of
    summary = dso_summary(context.open_items, case.invoices, as_of)
    month = as_of.to_period("M")
    series = monthly_dso(case, month - 12, month)
    sold = case.invoices[case.invoices["document_date"] <= as_of]
    gap = dso_gap_explanation(summary.receivables, monthly_sales(sold))
    year = latest_financial_year(case.financials, as_of)
    accounts = case.financials.set_index("year").loc[year]
    vat = vat_basis_trap(accounts["trade_receivables"], accounts["revenue_excl_vat"], accounts["revenue_incl_vat"],
                         365)
    return dict(summary=summary, series=series, gap=gap, year=year, vat=vat, sales=monthly_sales(sold),
                portfolio=portfolio_summary(context.open_items, as_of))


@block("dso_fil_rouge")
def dso_fil_rouge(context) -> str:
    r = fil_rouge_results(context)
    s, series, gap, vat, p = r["summary"], r["series"], r["gap"], r["vat"], r["portfolio"]
    first, last = series.iloc[0], series.iloc[-1]
    rows = [
        (f"Encours TTC (avoirs et encaissements non lettrés : {_k(p.credits)})", fmt.euros(s.receivables, 0)),
        ("CA TTC net des avoirs : 3 derniers mois / 12 derniers mois", f"{_k(s.sales_3m)} / {_k(s.sales_12m)}"),
        (f"**DSO comptable, 3 mois** ({s.days_3m} jours)", f"**{fmt.days(s.dso_3m)}**"),
        (f"dont meilleur DSO possible + ADD (échu : {fmt.percent(p.overdue_share)} de l'encours)",
         f"{fmt.number(s.best_possible_dso, 1)} + {fmt.days(s.add)}"),
        (f"DSO comptable, 12 mois ({s.days_12m} jours) ; par épuisement",
         f"{fmt.days(s.dso_12m)} ; {fmt.days(s.dso_count_back)}"),
        (f"Faux : DSO {r['year']} sur le CA HT (CA TTC / CA HT = {fmt.number(vat.vat_ratio, 3)})",
         f"{fmt.days(vat.dso_wrong)} (+{fmt.number(vat.overstatement, 1)})"),
        (f"DSO comptable 3 mois : {fmt.date(series.index[0])} → {fmt.date(series.index[-1])}",
         f"{fmt.number(first['dso_accounting'], 1)} → {fmt.days(last['dso_accounting'])}"),
    ]
    spread = (series["dso_accounting"] - series["dso_count_back"]).abs()
    widest = series.loc[spread.idxmax()]
    widest_month = spread.idxmax().to_period("M")
    window = r["sales"].loc[widest_month - (gap.window_months - 1):widest_month]
    trough = window.idxmin()
    reading = [
        f"* **3 ou 12 mois ?** Les 3 derniers mois ont vendu {_k(gap.window_daily_sales)} par jour, l'année "
        f"{_k(s.day_value)} : même encours, {fmt.days(s.dso_3m)} d'un côté, {fmt.days(s.dso_12m)} de l'autre.",
        f"* **Saisonnalité** : fin {month_name(widest_month)}, la fenêtre de 3 mois contient un mois creux "
        f"({month_name(trough)} : {_k(window[trough])}) : DSO comptable {fmt.days(widest['dso_accounting'])}, "
        f"par épuisement {fmt.days(widest['dso_count_back'])}.",
    ]
    fig = plot_monthly_dso(series, title=f"{context.case.name} : DSO mensuel, deux méthodes")
    fig.set_size_inches(*CHART_SIZE)
    ax = fig.axes[0]
    low, high = ax.get_ylim()
    ax.set_ylim(low, high + (high - low) * 0.4)  # room for the legend above the curves
    ax.legend(ncol=2, loc="upper left")
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    chart = context.chart(fig, "dso_mensuel", "DSO mensuel du fil rouge, deux méthodes")
    return "\n\n".join([table(rows, ("Indicateur", "Valeur")), "\n".join(reading), chart, source_line(context)])
