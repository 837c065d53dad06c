"""Priority list and team simulator (notebook 06): calls a day, minimum overdue amount, rebalanced portfolios or
not, and the collector whose list is shown → each collector's list for the day and the days needed to call every
priority customer once. Every figure comes from `casekit.credit.priorities`."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from casekit import fmt
from casekit.credit.priorities import (
    balance_portfolios,
    call_schedule,
    plot_schedule_workload,
    priority_list,
    schedule_workload,
)
from casekit.credit.scoring import customer_features, score_customers
from casekit.dates import to_timestamp
from casekit.errors import DataError
from casekit.outsourcing.collection import insolvent_customer_ids
from casekit.widgets.figures import show

STYLE = {"description_width": "initial"}
WORKLOAD_LABELS = {"name": "Gestionnaire", "customers": "Clients à appeler", "overdue_amount": "Échu hors litige",
                   "calls_per_day": "Appels par jour", "days_needed": "Jours pour tous les joindre",
                   "day1_amount": "Échu traité le 1er jour", "day1_share": "Part traitée le 1er jour"}
LIST_LABELS = {"rank": "Rang", "customer_name": "Client", "overdue_amount": "Échu hors litige",
               "max_days_overdue": "Retard max (jours)", "risk_class": "Classe de risque",
               "priority_score": "Score de priorité"}


def workload_table(workload: pd.DataFrame, names: pd.Series | None = None) -> pd.DataFrame:
    """A French display copy of `schedule_workload`."""
    table = workload.copy()
    table.insert(0, "name", [str(names.get(c, c)) if names is not None else str(c) for c in table.index])
    return fmt.french_table(table[list(WORKLOAD_LABELS)],
                            {"customers": "number", "overdue_amount": "euros0", "calls_per_day": "number",
                             "days_needed": "number", "day1_amount": "euros0", "day1_share": "percent"},
                            WORKLOAD_LABELS, index_label="Code")


def call_list_table(plan: pd.DataFrame, collector: str, day: int = 1) -> pd.DataFrame:
    """A French display copy of one collector's calls of `day` in a `call_schedule`."""
    rows = plan[(plan["collector_id"] == collector) & (plan["day"] == day)]
    return fmt.french_table(rows[list(LIST_LABELS)].assign(risk_class=rows["risk_class"].astype(object).fillna("–")),
                            {"rank": "number", "overdue_amount": "euros0", "max_days_overdue": "number",
                             "priority_score": "euros0"}, LIST_LABELS, index_label="N° client")


def priorities_simulator(open_items: pd.DataFrame, as_of, assignments: pd.Series, fte: pd.Series | None = None,
                         names: pd.Series | None = None, risk=None, exclude=(), locked=(), calls_per_day: int = 15,
                         min_amount: float = 1_000, chart: bool = True) -> widgets.VBox:
    """Sliders « Appels par jour et par ETP » and « Montant échu minimum », a « Rééquilibrer » box and the collector
    whose list is shown → `call_schedule` and `schedule_workload` → French tables and a chart.

    `exclude`: customers left out (e.g. in collective proceedings); `locked`: collectors kept out of the
    rebalancing (e.g. the export desk). The priority list and the rebalancing proposal are computed once. The box
    exposes `.controls` (dict), `.result` (HTML summary and workload), `.call_list` (HTML), and the last `.plan`
    and `.workload`.
    """
    items = open_items[~open_items["customer_id"].isin(set(exclude))]
    assignments = pd.Series(assignments, dtype=object)
    priorities = priority_list(items, as_of, risk)
    balanced = balance_portfolios(items, as_of, assignments, fte, locked=locked).assignments
    collectors = sorted(set(assignments.dropna()))
    label = (lambda c: f"{c} – {names.get(c, c)}") if names is not None else str
    controls = {
        "calls_per_day": widgets.IntSlider(value=calls_per_day, min=1, max=40, step=1,
                                           description="Appels par jour et par ETP", style=STYLE,
                                           continuous_update=False, layout=widgets.Layout(width="48%")),
        "min_amount": widgets.IntSlider(value=int(min_amount), min=0, max=50_000, step=500,
                                        description="Montant échu minimum (€)", style=STYLE,
                                        continuous_update=False, layout=widgets.Layout(width="48%")),
        "rebalance": widgets.Checkbox(value=False, description="Appliquer le rééquilibrage proposé des portefeuilles",
                                      style=STYLE, indent=False, layout=widgets.Layout(width="48%")),
        "collector": widgets.Dropdown(options=[(label(c), c) for c in collectors],
                                      value=collectors[0] if collectors else None,
                                      description="Liste du jour de", style=STYLE,
                                      layout=widgets.Layout(width="48%")),
    }
    result, call_list, out = widgets.HTML(), widgets.HTML(), widgets.Output()
    box = widgets.VBox([widgets.HBox([controls["calls_per_day"], controls["min_amount"]]),
                        widgets.HBox([controls["rebalance"], controls["collector"]]), result, call_list, out])

    def update(_=None):
        owner = balanced if controls["rebalance"].value else assignments
        try:
            plan = call_schedule(priorities, owner, controls["calls_per_day"].value, controls["min_amount"].value,
                                 fte)
            workload = schedule_workload(plan, controls["calls_per_day"].value, fte, collectors)
        except DataError as error:
            result.value = f"<p style='color:#c0392b'><b>{error}</b></p>"
            return
        box.plan, box.workload = plan, workload
        total = float(plan["overdue_amount"].sum())
        day1 = float(workload["day1_amount"].sum())
        share = fmt.percent(day1 / total) if total > 0 else "–"
        days = int(workload["days_needed"].max()) if len(workload) else 0
        result.value = (
            f"<p><b>{fmt.number(len(plan))} clients</b> à appeler (échu hors litige d'au moins "
            f"{fmt.euros(controls['min_amount'].value, 0)}), pour <b>{fmt.euros(total, 0)}</b> ; "
            f"l'équipe les joint tous en <b>{fmt.number(days)} jour{'s' if days > 1 else ''}</b> ; "
            f"le premier jour couvre {fmt.euros(day1, 0)}, soit <b>{share}</b> du montant.</p>"
            + workload_table(workload, names).to_html(escape=True))
        collector = controls["collector"].value
        who = label(collector) if collector is not None else "–"
        table = call_list_table(plan, collector) if collector is not None else pd.DataFrame()
        call_list.value = (f"<p><b>Appels du jour de {who}</b> ({fmt.number(len(table))} client"
                           f"{'s' if len(table) > 1 else ''}) :</p>"
                           + (table.to_html(escape=True) if len(table) else "<p>Aucun client à appeler.</p>"))
        if chart:
            show(out, plot_schedule_workload(workload, names))

    for control in controls.values():
        control.observe(update, names="value")
    box.controls, box.result, box.call_list = controls, result, call_list
    update()
    return box


def priorities_simulator_for_case(case, as_of=None, locked=("G4",), **options) -> widgets.VBox:
    """`priorities_simulator` on the fil rouge at `as_of` (default: the case's date): its collectors' portfolios,
    FTE and names, the classes of the internal score, the customers in collective proceedings left out (the credit
    manager declares their debts) and the `locked` collectors (the export desk G4) kept out of the rebalancing."""
    as_of = case.as_of if as_of is None else to_timestamp(as_of)
    collectors = case.collectors.set_index("collector_id")
    return priorities_simulator(case.open_items(as_of), as_of, case.customers.set_index("customer_id")["collector_id"],
                                collectors["fte"], names=collectors["name"],
                                risk=score_customers(customer_features(case, as_of)),
                                exclude=insolvent_customer_ids(case.customers, as_of), locked=locked, **options)
