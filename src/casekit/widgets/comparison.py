"""The three externalisation solutions side by side (notebook 09), under other terms: the insurers' premium
rates, the factors' commission and financing margin, the collection threshold and success fees. No formula here:
every figure comes from `casekit.outsourcing.comparison`."""

from __future__ import annotations

import ipywidgets as widgets

from casekit import fmt
from casekit.outsourcing.collection import collection_portfolio
from casekit.outsourcing.comparison import (
    SOLUTION_LABELS,
    compare_solutions,
    lowest_insurance_cost_rate,
    plot_solutions,
    scenario_collection,
    scenario_factoring,
    scenario_insurance,
    with_cached_open_items,
)
from casekit.outsourcing.insurance import insurance_basis
from casekit.widgets.figures import show

SCALES = [round(0.5 + i * 0.05, 2) for i in range(21)]               # × 0,50 … × 1,50
MARGIN_SHIFTS = [round(-0.005 + i * 0.001, 3) for i in range(16)]    # −0,50 … +1,00 point
THRESHOLDS = (30, 45, 60, 75, 90)
STYLE = {"description_width": "300px"}
LAYOUT = {"width": "680px"}


def _slider(description, values, label, value):
    return widgets.SelectionSlider(options=[(label(v), v) for v in values], value=value, description=description,
                                   style=STYLE, layout=widgets.Layout(**LAYOUT), continuous_update=False)


def _scale(value) -> str:
    return "× " + fmt.number(value, 2)


def _points(value) -> str:
    return ("+" if value > 0 else "") + fmt.number(value * 100, 2) + " point"


def solutions_text(table) -> str:
    """The French HTML summary of `compare_solutions`: one line per solution."""
    lines = []
    for row in table.itertuples(index=False):
        cost, cash = ("coût annuel", "effet trésorerie") if row.solution != "collection" else (
            "surcoût annuel sur l'équipe interne (négatif : économie)", "gain de trésorerie nette")
        lines.append(f"<b>{SOLUTION_LABELS[row.solution]}</b> ({row.offer_id} – {row.provider}) : {cost} "
                     f"<b>{fmt.euros(row.annual_cost, 0)}</b>, {cash} <b>{fmt.euros(row.cash_effect, 0)}"
                     f"</b>, risque transféré <b>{fmt.euros(row.risk_transferred, 0)}</b><br>"
                     f"<i>Risque</i> : {row.risk} · <i>Maîtrise</i> : {row.control}")
    return "<div style='font-size:15px;line-height:1.5'>" + "<br>".join(lines) + "</div>"


def solutions_simulator(case, year: int = 2025, *, insurance=None, factoring=None, collection=None) -> widgets.VBox:
    """Controls: the insurers' premium rates (× coefficient), the factors' commission rates (× coefficient) and
    financing margins (± points), the collection handover threshold and success fees (× coefficient); shows the
    best offer of each solution with its annual cost, cash effect and risk transferred, and the two-panel chart.

    Each solution's table is computed once per value of its own controls (then kept), so a move reacts at once;
    the part of the insurers' table that does not depend on the premium rates (`insurance_basis`) is computed
    once. `insurance`, `factoring` and `collection`: the tables of `compare_insurance_offers`,
    `compare_factoring_offers` and `real_cost_of_options` at the offers' own terms (files handed over at 60 days),
    if already computed. The container exposes `.controls` and `.result` for tests.
    """
    case = with_cached_open_items(case)
    controls = {
        "premium_scale": _slider("Assurance-crédit : taux de prime :", SCALES, _scale, 1.0),
        "factoring_fee_scale": _slider("Affacturage : commission d'affacturage :", SCALES, _scale, 1.0),
        "margin_shift": _slider("Affacturage : marge de financement :", MARGIN_SHIFTS, _points, 0.0),
        "threshold": _slider("Recouvrement : transmission à (jours de retard) :", THRESHOLDS,
                             lambda v: f"{v} jours", 60),
        "success_fee_scale": _slider("Recouvrement : honoraires de résultat :", SCALES, _scale, 1.0),
    }
    cache: dict = {}
    if insurance is not None:
        cache[("ins", 1.0)] = insurance
        if factoring is not None:
            cache[("fac", 1.0, 0.0, lowest_insurance_cost_rate(insurance))] = factoring
    if collection is not None:
        cache[("col", 60, 1.0)] = collection
    result = widgets.HTML()
    out = widgets.Output()

    def kept(key, compute):
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    def update(_=None):
        c = {name: control.value for name, control in controls.items()}
        basis = lambda: kept(("ins-basis",), lambda: insurance_basis(case, None, year))  # noqa: E731
        ins = kept(("ins", c["premium_scale"]),
                   lambda: scenario_insurance(case, c["premium_scale"], None, year, basis=basis()))
        rate = lowest_insurance_cost_rate(ins)
        fac = kept(("fac", c["factoring_fee_scale"], c["margin_shift"], rate),
                   lambda: scenario_factoring(case, c["factoring_fee_scale"], c["margin_shift"], rate, year))
        days, fees = c["threshold"], c["success_fee_scale"]
        col = kept(("col", days, fees), lambda: scenario_collection(
            case, days, fees, files=kept(("files", days), lambda: collection_portfolio(case, None, days))))
        table = compare_solutions(case, None, year, c["threshold"], insurance=ins, factoring=fac, collection=col)
        result.value = solutions_text(table)
        show(out, plot_solutions(table))

    for control in controls.values():
        control.observe(update, names="value")
    update()
    box = widgets.VBox([widgets.HTML("<b>Simulateur : les trois solutions d'externalisation côte à côte</b> "
                                     "(cas fil rouge)"), *controls.values(), result, out])
    box.controls = controls
    box.result = result
    return box
