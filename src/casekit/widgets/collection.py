"""Outsourced-collection simulator (notebook 09): handover threshold, providers' success fees and recovery rates,
cost of the in-house team → real cost and net cash of each option, and the sensitivity of the net cash to the
recovery rates. No formula here: every figure comes from `casekit.outsourcing.collection`."""

from __future__ import annotations

import ipywidgets as widgets

from casekit import fmt, plots
from casekit.outsourcing.collection import (
    IN_HOUSE,
    CollectionOffer,
    InHouseTeam,
    collection_portfolio,
    compare_options,
    plot_sensitivity,
    sensitivity,
)
from casekit.outsourcing.comparison import with_cached_open_items
from casekit.widgets.figures import show

THRESHOLDS = (30, 45, 60, 75, 90)
FEE_SCALES = [round(i * 0.1, 1) for i in range(21)]                   # × 0 … × 2
RECOVERY_SCALES = [round(0.8 + i * 0.05, 2) for i in range(9)]         # × 0,80 … × 1,20
CHART_SCALES = (0.8, 0.9, 1.0, 1.1, 1.2)
STYLE = {"description_width": "300px"}
LAYOUT = {"width": "680px"}


def _slider(description, values, label, value):
    return widgets.SelectionSlider(options=[(label(v), v) for v in values], value=value, description=description,
                                   style=STYLE, layout=widgets.Layout(**LAYOUT), continuous_update=False)


def _scale(value) -> str:
    return "× " + fmt.number(value, 2)


def options_text(results, threshold: int) -> str:
    """The French HTML summary of `compare_options`: each option's real cost and net cash, the best one."""
    lines = []
    for row in results.itertuples(index=False):
        name = "Équipe interne (référence)" if row.option_id == IN_HOUSE else f"{row.option_id} – {row.provider}"
        gap = ("" if row.option_id == IN_HOUSE else
               f" ; écart de trésorerie avec l'équipe interne <b>{fmt.euros(row.net_cash_vs_in_house, 0)}</b>")
        best = " ← meilleure option" if row.best else ""
        lines.append(f"<b>{name}</b> : coût réel <b>{fmt.euros(row.real_cost, 0)}</b> (honoraires "
                     f"{fmt.euros(row.fees, 0)}, coût interne conservé {fmt.euros(row.internal_cost, 0)}), recouvré "
                     f"{fmt.euros(row.recovered, 0)}, trésorerie nette <b>{fmt.euros(row.net_cash, 0)}</b>{gap}{best}")
    first = results.iloc[0]
    head = (f"Dossiers transmis à <b>{threshold} jours</b> de retard : {fmt.number(first['files'])} dossiers, "
            f"{fmt.euros(first['amount'], 0)} TTC sur la première année (stock + flux).")
    return "<div style='font-size:15px;line-height:1.5'>" + head + "<br>" + "<br>".join(lines) + "</div>"


def collection_simulator(case, thresholds=THRESHOLDS) -> widgets.VBox:
    """Controls: handover threshold (days overdue), providers' success fees (× coefficient), their recovery rates
    (× coefficient) and the loaded salaries of the in-house team; shows each option's real cost and net cash
    and the chart of the net cash against the recovery rates at the chosen fees.

    The portfolio of files of a threshold, and what each offer takes of it, are computed the first time it is
    chosen, then kept (the open items, the same at every threshold, once). The container exposes `.controls`
    (dict of widgets) and `.result` (the HTML summary) for tests.
    """
    case = with_cached_open_items(case)
    base_team = InHouseTeam.from_case(case)
    offers = list(CollectionOffer.offers_from_table(case.collection_offers).values())
    portfolios: dict = {}
    salaries = sorted({*range(120_000, 320_001, 2_000), int(base_team.salaries)})
    default = 60 if 60 in thresholds else thresholds[0]
    controls = {
        "threshold": _slider("Transmission des dossiers à (jours de retard) :", thresholds,
                             lambda v: f"{v} jours", default),
        "fee_scale": _slider("Honoraires de résultat des prestataires :", FEE_SCALES, _scale, 1.0),
        "recovery_scale": _slider("Taux de recouvrement annoncés :", RECOVERY_SCALES, _scale, 1.0),
        "salaries": _slider("Salaires chargés de l'équipe interne (par an) :", salaries,
                            lambda v: fmt.euros(v, 0), int(base_team.salaries)),
    }
    result = widgets.HTML()
    out = widgets.Output()

    def update(_=None):
        days = controls["threshold"].value
        if days not in portfolios:
            portfolios[days] = collection_portfolio(case, None, days), {}
        files, known = portfolios[days]
        team = InHouseTeam(base_team.fte, controls["salaries"].value, base_team.overhead, base_team.tools,
                           base_team.recovery)
        fee, rec = controls["fee_scale"].value, controls["recovery_scale"].value
        results = compare_options(files, team, [o.scaled(fee, rec) for o in offers], known=known)
        result.value = options_text(results, days)
        grid = sensitivity(files, team, offers, fee_scales=(fee,), recovery_scales=CHART_SCALES, known=known)
        fig = plot_sensitivity(grid, fee)
        fig.axes[0].axvline(rec, color=plots.PALETTE[5], linestyle=":", linewidth=2)
        show(out, fig)

    for control in controls.values():
        control.observe(update, names="value")
    update()
    box = widgets.VBox([widgets.HTML("<b>Simulateur : coût réel du recouvrement externalisé</b> (cas fil rouge)"),
                        *controls.values(), result, out])
    box.controls = controls
    box.result = result
    return box
