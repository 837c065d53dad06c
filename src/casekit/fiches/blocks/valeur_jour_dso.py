"""Blocks of `fiches/valeur-jour-dso.md`: the board example (value of a day, cash released, financing saved, result
after tax, growth vs DSO effect, sales needed to offset a loss) and the fil rouge's figures for its latest year."""

from __future__ import annotations

from casekit import fmt
from casekit.credit.dso import dso_summary
from casekit.credit.dso_value import (
    CORPORATE_TAX_RATE,
    DAYS_PER_YEAR,
    dso_change_impact,
    dso_day_value,
    dso_environment,
    dso_value_for_case,
    latest_financial_year,
    receivables_change_breakdown,
    sales_to_offset_loss,
)
from casekit.fiches.blocks import block, source_line, table

# The board example (notebooks 01 and 02): 36,5 M€ of sales incl. VAT, DSO 60 → 50 days, financing at 5 %.
EXAMPLE = dict(annual_sales_incl_vat=36_500_000, dso_from=60, dso_to=50, financing_rate=0.05,
               tax_rate=CORPORATE_TAX_RATE)
# Growth vs DSO (notebook 02 docstring example): sales 36,5 → 40,15 M€, receivables 6 → 7,15 M€.
EXAMPLE_GROWTH = dict(sales_before=36_500_000, receivables_before=6_000_000, sales_after=40_150_000,
                      receivables_after=7_150_000)
# A loss of 10 000 € excl. VAT at a 5 % net margin (notebook 01).
EXAMPLE_LOSS, EXAMPLE_MARGIN = 10_000, 0.05
DSO_CUT_DAYS = 10  # the fil rouge target: 10 days less (default of `dso_value_for_case`)


def _e(value) -> str:
    return fmt.euros(value, 0)


def _n(value, decimals: int = 0) -> str:
    return fmt.number(value, decimals)


def example_results():
    """The board example's impact, growth split and sales to offset a loss (what the block shows, for tests)."""
    return (dso_change_impact(**EXAMPLE), receivables_change_breakdown(**EXAMPLE_GROWTH),
            sales_to_offset_loss(EXAMPLE_LOSS, EXAMPLE_MARGIN))


@block("valeur_jour_dso_exemple")
def valeur_jour_dso_exemple(context) -> str:
    impact, growth, offset = example_results()
    g = EXAMPLE_GROWTH
    rows = [
        (f"Valeur d'un jour = {_n(EXAMPLE['annual_sales_incl_vat'])} / {DAYS_PER_YEAR}", _e(impact.day_value)),
        (f"**Trésorerie libérée, une fois** = {_n(impact.days_reduced)} j × {_e(impact.day_value)}",
         f"**{_e(impact.cash_released)}**"),
        (f"**Frais financiers économisés, par an** = {_e(impact.cash_released)} × "
         f"{fmt.percent(impact.financing_rate, 0)}", f"**{_e(impact.financing_saved)}**"),
        (f"Résultat net par an = {_e(impact.financing_saved)} × (1 − IS {fmt.percent(impact.tax_rate, 0)})",
         "+" + _e(impact.result_after_tax)),
        (f"Créances {_n(g['receivables_before'] / 1e6, 2)} → {_n(g['receivables_after'] / 1e6, 2)} M€ (CA "
         f"{_n(g['sales_before'] / 1e6, 2)} → {_n(g['sales_after'] / 1e6, 2)} M€) = croissance + DSO "
         f"({_n(growth.dso_after - growth.dso_before)} j × {_e(dso_day_value(g['sales_after']))})",
         f"{_e(growth.growth_effect)} + {_e(growth.dso_effect)}"),
        (f"Perte de {_e(EXAMPLE_LOSS)} HT, marge nette {fmt.percent(EXAMPLE_MARGIN, 0)} : ventes HT à retrouver",
         _e(offset)),
    ]
    return table(rows, (f"Au tableau : CA TTC {_n(EXAMPLE['annual_sales_incl_vat'] / 1e6, 1)} M€, DSO "
                        f"{EXAMPLE['dso_from']} → {EXAMPLE['dso_to']} j, taux "
                        f"{fmt.percent(EXAMPLE['financing_rate'], 0)}", "Montant"))


def fil_rouge_results(context) -> dict:
    """The fil rouge's latest closed year: environment, a DSO cut of 10 days at the borrowing and at the
    overdraft rate, halving the ADD (12-month basis) and the growth / DSO split of the receivables' change."""
    case, as_of = context.case, context.as_of
    year = latest_financial_year(case.financials, as_of)
    env = dso_environment(case.financials)
    row = env.loc[year]
    target = dso_value_for_case(case, year, target_dso=row["dso"] - DSO_CUT_DAYS)
    overdraft_rate = float(case.company["overdraft_rate"].iloc[0])
    overdraft = dso_change_impact(row["revenue_incl_vat"], target.dso_from, target.dso_to, overdraft_rate,
                                  tax_rate=CORPORATE_TAX_RATE)
    summary = dso_summary(context.open_items, case.invoices, as_of)
    add_half = dso_change_impact(summary.sales_12m, summary.dso_12m, summary.dso_12m - summary.add_12m / 2,
                                 row["borrowing_rate"])
    change = None
    if year - 1 in env.index:
        before = env.loc[year - 1]
        change = receivables_change_breakdown(before["revenue_incl_vat"], before["trade_receivables"],
                                              row["revenue_incl_vat"], row["trade_receivables"])
    return dict(year=year, env=row, target=target, overdraft=overdraft, overdraft_rate=overdraft_rate,
                summary=summary, add_half=add_half, change=change)


@block("valeur_jour_dso_fil_rouge")
def valeur_jour_dso_fil_rouge(context) -> str:
    r = fil_rouge_results(context)
    env, t, o, s, a, c = r["env"], r["target"], r["overdraft"], r["summary"], r["add_half"], r["change"]
    rows = [
        ("CA TTC ; créances clients TTC au 31/12",
         f"{_e(env['revenue_incl_vat'])} ; {_e(env['trade_receivables'])}"),
        ("**Valeur d'un jour de DSO**", f"**{_e(t.day_value)}**"),
        (f"Coût annuel de tout le poste clients (à {fmt.percent(env['borrowing_rate'])}, avant IS)",
         _e(env["financing_cost"])),
        (f"**Objectif −{_n(t.days_reduced)} jours** : DSO (créances / CA TTC × {DAYS_PER_YEAR}) "
         f"{fmt.number(t.dso_from, 1)} → {fmt.days(t.dso_to)}, trésorerie libérée", f"**{_e(t.cash_released)}**"),
        (f"… frais financiers par an, avant / après IS ({fmt.percent(t.share_of_net_income)} du résultat)",
         f"{_e(t.financing_saved)} / {_e(t.result_after_tax)}"),
        ("… BFR d'exploitation : avant → après", f"{_e(t.working_capital_before)} → {_e(t.working_capital_after)}"),
        (f"… même baisse au taux du découvert ({fmt.percent(r['overdraft_rate'])}), avant / après IS",
         f"{_e(o.financing_saved)} / {_e(o.result_after_tax)}"),
        (f"ADD 12 mois réduit de moitié ({fmt.number(s.add_12m, 1)} → {fmt.days(s.add_12m / 2)}) : trésorerie",
         _e(a.cash_released)),
    ]
    if c is not None:
        rows.append((f"Créances {r['year'] - 1} → {r['year']} : {'+' if c.change >= 0 else '−'}{_e(abs(c.change))}"
                     " = croissance + DSO", f"{_e(c.growth_effect)} + {_e(c.dso_effect)}"))
    reading = [
        f"* **Dépendance** : la trésorerie nette au 31/12 ({_e(env['cash'])}) vaut "
        f"{fmt.days(env['cash_in_dso_days'])} de DSO : une dérive de cette ampleur l'absorberait.",
        f"* **Risque** : les pertes sur créances {r['year']} ({_e(env['bad_debt_losses'])} HT) demandent "
        f"{_e(env['sales_to_offset_losses'])} de ventes HT à {fmt.percent(env['net_margin_rate'])} de marge nette.",
    ]
    return "\n\n".join([table(rows, (f"{context.case.name}, exercice {r['year']}", "Valeur")), "\n".join(reading),
                        source_line(context)])
