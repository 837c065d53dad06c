"""Dunning-scenario editor (notebook 04b): the steps of the scenario (days from the due date, channel), a
preventive reminder and a horizon → the calendar of actions of the next days and the cash expected from them at
the historical recovery rates of each channel. Every figure comes from `casekit.credit.dunning`."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from casekit import fmt
from casekit.credit.dunning import (
    CHANNELS,
    DEFAULT_SCENARIO,
    action_calendar,
    actions_summary,
    dunning_outcomes,
    expected_from_actions,
    plot_action_calendar,
    scenario_from_steps,
    summarize_recovery,
)
from casekit.dates import to_timestamp
from casekit.errors import DataError
from casekit.widgets.figures import show

STYLE = {"description_width": "170px"}
DAY_RANGES = [(1, 30), (5, 45), (10, 60), (20, 90), (30, 120)]


def calendar_text(calendar: pd.DataFrame, expected: pd.DataFrame, scenario: pd.DataFrame, as_of,
                  horizon_days: int) -> str:
    """French HTML summary of a simulated calendar: the scenario, the actions and the cash expected."""
    steps = " → ".join(f"J{int(r.days_from_due):+d} {r.channel.lower()}" for r in scenario.itertuples(index=False))
    end = to_timestamp(as_of) + pd.Timedelta(days=horizon_days)
    head = (f"<b>Scénario</b> : {steps}.<br><b>Du {fmt.date(as_of)} au {fmt.date(end)}</b> : ")
    if calendar.empty:
        return f"<div style='font-size:15px;line-height:1.5'>{head}aucune action de relance.</div>"
    catch_up = int(calendar["catch_up"].sum())
    late = (f", dont {catch_up} à rattraper dès le {fmt.date(as_of)} (niveau atteint, action pas encore faite)"
            if catch_up else f" ; toutes les actions dues au {fmt.date(as_of)} sont faites")
    by_channel = actions_summary(expected, "channel")
    order = list(dict.fromkeys(scenario["channel"]))
    by_channel = by_channel.reindex([c for c in order if c in by_channel.index])
    channels = ", ".join(f"{row.Index.lower()} {row.actions}" for row in by_channel.itertuples())
    amount, cash = float(expected["amount"].sum()), float(expected["expected_amount"].sum())
    return (
        "<div style='font-size:15px;line-height:1.5'>" + head +
        f"<b>{len(calendar)} actions</b> sur {calendar['customer_id'].nunique()} clients "
        f"({calendar['items'].sum()} factures, {fmt.euros(amount, 0)}){late}.<br>"
        f"<b>Par canal</b> : {channels}.<br>"
        f"<b>Encaissement attendu</b> de ces actions : <b>{fmt.euros(cash, 0)}</b> "
        f"({fmt.percent(cash / amount if amount else 0)} du montant relancé), aux taux de recouvrement "
        "historiques de chaque canal ; les relances avant échéance n'en comptent pas."
        "</div>")


def channel_table_html(expected: pd.DataFrame) -> str:
    """The actions of the period by channel, as a French HTML table."""
    if expected.empty:
        return ""
    table = actions_summary(expected, "channel").sort_values("amount", ascending=False, kind="stable")
    labels = {"actions": "Actions", "customers": "Clients", "items": "Factures", "amount": "Montant relancé",
              "expected_amount": "Encaissement attendu"}
    return fmt.french_table(table, {"amount": "euros0", "expected_amount": "euros0"}, labels,
                            index_label="Canal").to_html()


def dunning_simulator(open_items: pd.DataFrame, as_of, dunning_history: pd.DataFrame | None = None,
                      payments: pd.DataFrame | None = None, proceedings=(), stats: pd.DataFrame | None = None,
                      horizon_days: int = 10, chart: bool = True) -> widgets.VBox:
    """Edit the scenario (five steps after the due date and an optional preventive reminder) and the horizon;
    see the calendar of the next days and the expected cash.

    `stats`: recovery statistics by channel (`summarize_recovery(..., "channel")`); computed from
    `dunning_history` and `payments` (windows ended at `as_of`) when not given. The box exposes `.days`,
    `.channels` (the steps' controls), `.preventive`, `.preventive_days`, `.horizon`, `.result` (HTML),
    `.calendar` and `.expected` (the last results).
    """
    as_of = to_timestamp(as_of)
    if stats is None and dunning_history is not None and payments is not None and len(dunning_history):
        stats = summarize_recovery(dunning_outcomes(dunning_history, payments, as_of=as_of), "channel")
    if stats is None:
        stats = pd.DataFrame({"recovery_rate": pd.Series(dtype=float),
                              "median_days_to_payment": pd.Series(dtype=float)})
    history = None
    if dunning_history is not None:
        history = dunning_history[dunning_history["document_ref"].isin(set(open_items["document_ref"]))]
    days, channels = [], []
    for (low, high), row in zip(DAY_RANGES, DEFAULT_SCENARIO.itertuples(index=False)):
        days.append(widgets.IntSlider(value=int(row.days_from_due), min=low, max=high, step=1,
                                      description=f"Niveau {row.level} : J +", style=STYLE,
                                      continuous_update=False))
        channels.append(widgets.Dropdown(options=list(CHANNELS), value=row.channel, description="canal :",
                                         layout=widgets.Layout(width="360px")))
    preventive = widgets.Checkbox(value=False, description="Relance préventive avant l'échéance", indent=False)
    preventive_days = widgets.IntSlider(value=-5, min=-15, max=-1, step=1, description="Préventive : J",
                                        style=STYLE, continuous_update=False)
    horizon = widgets.IntSlider(value=horizon_days, min=3, max=30, step=1, description="Horizon (jours) :",
                                style=STYLE, continuous_update=False)
    result = widgets.HTML()
    table = widgets.HTML()
    out = widgets.Output()
    box = widgets.VBox()

    def update(_=None):
        steps = ([(preventive_days.value, "Courriel")] if preventive.value else []) + \
            [(d.value, c.value) for d, c in zip(days, channels)]
        try:
            scenario = scenario_from_steps(steps)
        except DataError as error:
            text = str(error)
            result.value = f"<p style='color:#c0392b'><b>{text[:1].upper() + text[1:]}.</b></p>"
            table.value = ""
            return
        calendar = action_calendar(open_items, as_of, scenario, horizon.value, history, proceedings)
        expected = expected_from_actions(calendar, stats, by="channel")
        box.calendar, box.expected = calendar, expected
        result.value = calendar_text(calendar, expected, scenario, as_of, horizon.value)
        table.value = channel_table_html(expected)
        if chart:
            show(out, plot_action_calendar(calendar, title="Actions de relance à venir, par jour et par canal"))

    for control in (*days, *channels, preventive, preventive_days, horizon):
        control.observe(update, names="value")
    rows = [widgets.HBox([d, c]) for d, c in zip(days, channels)]
    box.children = [widgets.HTML("<b>Éditeur de scénario de relance</b> : étapes, délais, canaux"), *rows,
                    widgets.HBox([preventive, preventive_days]), horizon, result, table, out]
    box.days, box.channels, box.preventive, box.preventive_days = days, channels, preventive, preventive_days
    box.horizon, box.result = horizon, result
    update()
    return box
