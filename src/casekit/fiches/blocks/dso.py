"""Blocks of `fiches/dso.md`: the fil rouge's DSO by both methods, and its split."""

from __future__ import annotations

from casekit import fmt
from casekit.credit.dso import dso_breakdown, monthly_dso, plot_monthly_dso
from casekit.fiches.blocks import block, source_line, table


@block("dso_fil_rouge")
def dso_fil_rouge(context) -> str:
    month = context.as_of.to_period("M")
    series = monthly_dso(context.case, month - 11, month)
    last = series.iloc[-1]
    split = dso_breakdown(context.open_items, context.as_of, last["window_sales"], last["window_days"])
    rows = [
        ("Encours clients TTC", fmt.euros(last["receivables"])),
        ("CA TTC des 3 derniers mois", fmt.euros(last["window_sales"])),
        ("DSO, méthode comptable (3 mois)", fmt.days(last["dso_accounting"])),
        ("DSO, méthode par épuisement", fmt.days(last["dso_count_back"])),
        ("dont meilleur DSO possible (non échu)", fmt.days(split.best_possible_dso)),
        ("dont retard moyen (ADD)", fmt.days(split.add)),
    ]
    chart = context.chart(plot_monthly_dso(series), "dso_mensuel", "DSO mensuel du fil rouge, deux méthodes")
    return "\n\n".join([table(rows, ("Indicateur", "Valeur")), chart, source_line(context)])
