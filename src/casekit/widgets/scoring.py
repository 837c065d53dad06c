"""Scoring simulator (notebook 04a): the weights of the internal score → the classes of today's customers and
the back-test of the same weights on a past date. Every figure comes from `casekit.credit.scoring`; the features
and the back-test outcomes are computed once, so a move of a slider only re-scores."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd

from casekit import fmt
from casekit.credit.scoring import (
    CLASSES,
    DEFAULT_WEIGHTS,
    RULES,
    BacktestData,
    backtest_data,
    class_indicators,
    customer_features,
    evaluate_backtest,
    plot_scoring_simulation,
    score_customers,
    weights_without,
)
from casekit.dates import to_timestamp
from casekit.errors import DataError
from casekit.widgets.figures import show

STYLE = {"description_width": "330px"}
LAYOUT = {"width": "640px"}
PRESETS = {
    "default": ("Pondération par défaut (note externe comprise)", DEFAULT_WEIGHTS),
    "fair": ("Sans la note externe (back-test loyal)", weights_without("external_score")),
    "behaviour": ("Comportement de paiement seul (retard et tendance)", {"days_late": 30, "late_trend": 10}),
    "external": ("Note externe seule", {"external_score": 25}),
}


def _auc(value) -> str:
    return "non calculable" if value is None or np.isnan(value) else fmt.number(value, 2)


def simulation_text(weights: dict, indicators: pd.DataFrame, result, as_of) -> str:
    """French HTML summary: weights, classes today (customers, share of sales and of overdue), back-test AUCs."""
    total = sum(weights.values())
    shares = ", ".join(f"{RULES[k].label.lower()} {fmt.percent(v / total, 0)}" for k, v in weights.items() if v)
    table = indicators.drop(index="Total")
    classes = " ; ".join(f"<b>{c}</b> {table.at[c, 'customers']} client{'s' if table.at[c, 'customers'] > 1 else ''}"
                         f" ({fmt.percent(table.at[c, 'sales_share'], 0)} du CA)" for c in CLASSES)
    risky = table.loc[["D", "E"]]
    overdue_total = table["overdue"].sum()
    overdue_share = risky["overdue"].sum() / overdue_total if overdue_total else float("nan")
    late = result.by_class["late_invoice_rate"]
    return (
        "<div style='font-size:15px;line-height:1.5'>"
        f"<b>Poids</b> : {shares}.<br>"
        f"<b>Classes au {fmt.date(as_of)}</b> : {classes}.<br>"
        f"Clients D et E : <b>{fmt.percent(risky['sales_share'].sum())}</b> du chiffre d'affaires, "
        f"<b>{fmt.percent(overdue_share)}</b> du montant échu.<br>"
        f"<b>Back-test</b> (classes au {fmt.date(result.as_of)}, comportement sur {result.horizon_days} jours) : "
        f"AUC <b>{_auc(result.auc)}</b> (Gini {_auc(result.gini)}) ; retards seuls {_auc(result.auc_late)} ; "
        f"défaillances seules {_auc(result.auc_insolvency)}. Factures payées à plus de {result.late_days} jours "
        f"de retard : classe A {fmt.percent(late['A'])}, classe E {fmt.percent(late['E'])}."
        "</div>")


def scoring_simulator(case, as_of=None, backtest_as_of=None, items: pd.DataFrame | None = None,
                      features: pd.DataFrame | None = None, backtest: BacktestData | None = None,
                      chart: bool = True) -> widgets.VBox:
    """Sliders for the weight of each criterion (and presets) → classes of the customers at `as_of` (default:
    the case's date) and back-test at `backtest_as_of` (default: one year earlier).

    `items`, `features` (`customer_features` at `as_of`) and `backtest` (`backtest_data`) can be passed when
    already computed. The box exposes `.controls` (criterion → slider), `.preset`, `.result` (HTML),
    `.indicators` and `.backtest` (the last results) for tests.
    """
    as_of = to_timestamp(case.as_of if as_of is None else as_of)
    past = to_timestamp(backtest_as_of) if backtest_as_of is not None else as_of - pd.Timedelta(days=365)
    features = customer_features(case, as_of) if features is None else features
    items = case.open_items(as_of) if items is None else items
    data = backtest_data(case, past) if backtest is None else backtest
    controls = {name: widgets.IntSlider(value=DEFAULT_WEIGHTS.get(name, 0), min=0, max=50, step=5,
                                        description=f"{rule.label} :", style=STYLE, layout=widgets.Layout(**LAYOUT),
                                        continuous_update=False)
                for name, rule in RULES.items()}
    preset = widgets.Dropdown(options=[(label, key) for key, (label, _) in PRESETS.items()],
                              description="Pondération de départ :", style=STYLE, layout=widgets.Layout(**LAYOUT))
    result = widgets.HTML()
    out = widgets.Output()
    state = {"hold": False}
    box = widgets.VBox()

    def load_preset(_=None):
        state["hold"] = True
        weights = PRESETS[preset.value][1]
        for name, slider in controls.items():
            slider.value = weights.get(name, 0)
        state["hold"] = False
        update()

    def update(_=None):
        if state["hold"]:
            return
        weights = {name: slider.value for name, slider in controls.items() if slider.value}
        try:
            scores = score_customers(features, weights)
            result_bt = evaluate_backtest(data, weights)
        except DataError as error:
            text = str(error)
            result.value = f"<p style='color:#c0392b'><b>{text[:1].upper() + text[1:]}.</b></p>"
            return
        indicators = class_indicators(scores, features, items, as_of)
        box.indicators, box.backtest = indicators, result_bt
        result.value = simulation_text(weights, indicators, result_bt, as_of)
        if chart:
            show(out, plot_scoring_simulation(indicators, result_bt))

    preset.observe(load_preset, names="value")
    for slider in controls.values():
        slider.observe(update, names="value")
    box.children = [widgets.HTML("<b>Simulateur de score interne</b> (cas fil rouge) : pondérez les critères"),
                    preset, *controls.values(), result, out]
    box.controls, box.preset, box.result = controls, preset, result
    update()
    return box
