"""DSO target simulator (notebook 02): a target DSO and a financing rate → cash released, financing cost saved,
effect on the net result, and the receivables chart. Every figure comes from `casekit.credit.dso_value`."""

from __future__ import annotations

import ipywidgets as widgets

from casekit import fmt
from casekit.credit.dso_value import (
    CORPORATE_TAX_RATE,
    DAYS_PER_YEAR,
    dso_change_impact,
    format_dso_impact,
    latest_financial_year,
    plot_dso_target,
)
from casekit.errors import DataError
from casekit.widgets.figures import show

STYLE = {"description_width": "initial"}


def dso_target_simulator(annual_sales_incl_vat, dso_current, financing_rate, *, ebitda=None, working_capital=None,
                         net_income=None, tax_rate=CORPORATE_TAX_RATE, max_reduction: float = 30.0,
                         chart: bool = True) -> widgets.VBox:
    """Sliders « DSO visé » and « Taux de financement » → `dso_change_impact` → French table and chart.

    The returned box exposes its controls and its result for scripting and tests: `.target`, `.rate` (sliders),
    `.result` (an HTML widget holding the table), `.impact` (the last `DSOImpact`).
    """
    low = max(0.0, round(float(dso_current) - max_reduction))
    target = widgets.FloatSlider(value=max(low, round(float(dso_current) - 10)), min=low,
                                 max=round(float(dso_current) + 15), step=0.5, description="DSO visé (jours)",
                                 style=STYLE, layout=widgets.Layout(width="55%"), continuous_update=False)
    rate = widgets.FloatSlider(value=round(float(financing_rate) * 100, 2), min=0.0, max=12.0, step=0.1,
                               description="Taux de financement (%/an)", style=STYLE,
                               layout=widgets.Layout(width="45%"), continuous_update=False, readout_format=".1f")
    result = widgets.HTML()
    out = widgets.Output()
    box = widgets.VBox([widgets.HBox([target, rate]), result, out])

    def update(_=None):
        try:
            impact = dso_change_impact(annual_sales_incl_vat, dso_current, target.value, rate.value / 100,
                                       ebitda=ebitda, working_capital=working_capital, net_income=net_income,
                                       tax_rate=tax_rate)
        except DataError as error:
            result.value = f"<p style='color:#c0392b'><b>{error}</b></p>"
            return
        box.impact = impact
        result.value = format_dso_impact(impact).to_html(escape=True)
        if chart:
            show(out, plot_dso_target(impact))

    target.observe(update, names="value")
    rate.observe(update, names="value")
    box.target, box.rate, box.result = target, rate, result
    update()
    return box


def dso_target_simulator_for_case(case, year: int | None = None, **options) -> widgets.VBox:
    """`dso_target_simulator` on the fil rouge's financial statements of `year` (default: the latest)."""
    year = latest_financial_year(case.financials) if year is None else int(year)
    row = case.financials.set_index("year").loc[year]
    dso = row["trade_receivables"] / row["revenue_incl_vat"] * DAYS_PER_YEAR
    box = dso_target_simulator(row["revenue_incl_vat"], dso, row["borrowing_rate"], ebitda=row["ebitda"],
                               working_capital=row["working_capital"], net_income=row["net_income"], **options)
    title = widgets.HTML(f"<b>{case.name}, exercice {year}</b> : CA TTC {fmt.euros(row['revenue_incl_vat'], 0)}, "
                         f"DSO {fmt.days(dso)}, taux moyen des financements court terme "
                         f"{fmt.percent(row['borrowing_rate'], 1)}")
    box.children = (title,) + tuple(box.children)
    return box
