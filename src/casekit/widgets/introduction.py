"""Simulator of notebook 01: what a shorter average delay releases in cash and saves in financing costs.

The slider moves the average days delinquent (ADD, the part of DSO due to late payment); the calculator is
`casekit.dso_change_impact` (one day less of DSO releases one day of sales incl. VAT in cash).
"""

from __future__ import annotations

import math

import ipywidgets as widgets

from casekit import fmt
from casekit.credit.dso_value import CORPORATE_TAX_RATE, dso_change_impact, plot_dso_reduction
from casekit.plots import PALETTE
from casekit.widgets.figures import show


def late_payment_result_text(impact, add: float) -> str:
    """The French result of a reduction of the average delay, as HTML lines."""
    lines = [
        f"Retard moyen ramené de <b>{fmt.days(add)}</b> à <b>{fmt.days(max(add - impact.days_reduced, 0))}</b> ; "
        f"DSO de {fmt.days(impact.dso_from)} à {fmt.days(impact.dso_to)}.",
        f"Trésorerie libérée : <b>{fmt.euros(impact.cash_released, 0)}</b> "
        f"({fmt.number(impact.days_reduced)} × {fmt.euros(impact.day_value, 0)}, la valeur d'un jour de DSO).",
        f"Frais financiers économisés : <b>{fmt.euros(impact.financing_saved, 0)} par an</b> au taux de "
        f"{fmt.percent(impact.financing_rate, 2)}",
    ]
    if impact.result_after_tax is not None:
        text = f", soit {fmt.euros(impact.result_after_tax, 0)} après impôt"
        if impact.share_of_net_income is not None:
            text += f" ({fmt.percent(impact.share_of_net_income)} du résultat net)"
        lines[-1] += text
    lines[-1] += "."
    if impact.days_reduced > add + 1e-9:
        lines.append("⚠️ Au-delà du retard moyen actuel, il faudrait aussi raccourcir les délais accordés.")
    return "<br>".join(lines)


def late_payment_simulator(annual_sales_incl_vat: float, dso: float, add: float, financing_rate: float,
                           net_income: float | None = None, ebitda: float | None = None,
                           working_capital: float | None = None, tax_rate: float | None = CORPORATE_TAX_RATE,
                           max_days: int | None = None) -> widgets.VBox:
    """Slider « Réduction du retard moyen (jours) » and financing rate → cash released, financing cost saved.

    `dso` and `add` (average days delinquent) are today's; the slider goes from 0 to `max_days` (default: the
    ADD rounded up, at least 10 days). The returned box exposes `days`, `rate`, `result` (HTML) and `out` (the
    chart) for tests.
    """
    limit = int(max_days or max(10, math.ceil(add)))
    days = widgets.IntSlider(value=min(5, limit), min=0, max=limit, step=1,
                             description="Réduction du retard moyen (jours)", continuous_update=False,
                             style={"description_width": "initial"}, layout=widgets.Layout(width="70%"))
    rate = widgets.FloatSlider(value=round(financing_rate * 100, 2), min=0.0, max=12.0, step=0.1,
                               description="Taux de financement (% par an)", readout_format=".1f",
                               continuous_update=False, style={"description_width": "initial"},
                               layout=widgets.Layout(width="70%"))
    result = widgets.HTML()
    out = widgets.Output()

    def update(_=None):
        impact = dso_change_impact(annual_sales_incl_vat, dso, max(dso - days.value, 0), rate.value / 100,
                                   ebitda=ebitda, working_capital=working_capital, net_income=net_income,
                                   tax_rate=tax_rate)
        result.value = late_payment_result_text(impact, add)
        fig = plot_dso_reduction(annual_sales_incl_vat, rate.value / 100, max_days=limit,
                                 title="Ce que rapporte la réduction du retard moyen")
        ax = fig.axes[0]
        ax.bar([days.value], [impact.cash_released], color=PALETTE[1], label="Votre choix")
        ax.set_xlabel("Réduction du retard moyen, donc du DSO (jours)")
        show(out, fig)

    days.observe(update, names="value")
    rate.observe(update, names="value")
    update()
    box = widgets.VBox([days, rate, result, out])
    box.days, box.rate, box.result, box.out = days, rate, result, out
    return box


def late_payment_simulator_for(base) -> widgets.VBox:
    """`late_payment_simulator` on a `casekit.context.late_payment_base`."""
    return late_payment_simulator(base.annual_sales, base.dso, base.add, base.financing_rate,
                                  net_income=base.net_income)
