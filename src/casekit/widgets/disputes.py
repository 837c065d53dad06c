"""Dispute resolution-time simulator (notebook 04c): choose a department and/or a reason and a resolution-time
target → the open disputes beyond the target, the amounts they block, the share of the recently closed disputes
that met it, and the histogram of resolution times. No formula here: every figure comes from
`casekit.credit.disputes.target_check`."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from casekit import fmt
from casekit.credit.disputes import (
    DEFAULT_TARGET,
    RESOLUTION_TARGETS,
    closed_disputes,
    open_disputes,
    plot_resolution_histogram,
    target_check,
)
from casekit.dates import to_timestamp
from casekit.widgets.figures import show

STYLE = {"description_width": "200px"}
LAYOUT = {"width": "620px"}
ALL = "__all__"


def target_text(check, department, reason, window_days: int, names=None) -> str:
    """The French HTML summary of one `target_check` (`names`: customer_id → name, optional)."""
    names = dict(names) if names is not None else {}
    scope = " — ".join([department or "tous les services", reason or "tous les motifs"])
    days = fmt.number(check.target_days)
    lines = [f"<b>Sélection</b> : {html.escape(scope)} ; délai cible : <b>{days} jours</b>."]
    if check.open_count:
        lines.append(f"<b>Au {fmt.date(check.as_of)}</b> : {check.open_count} litige"
                     f"{'s' if check.open_count > 1 else ''} ouvert{'s' if check.open_count > 1 else ''} pour "
                     f"{fmt.euros(check.open_amount)} ; <b>{check.beyond_count} au-delà du délai cible</b>, "
                     f"soit <b>{fmt.euros(check.beyond_amount)} bloqués</b>.")
    else:
        lines.append(f"<b>Au {fmt.date(check.as_of)}</b> : aucun litige ouvert dans cette sélection.")
    rows = [f"{r.dispute_id} — {html.escape(str(names.get(r.customer_id, r.customer_id)))}, "
            f"{html.escape(str(r.reason))} : "
            f"{fmt.euros(r.amount)}, ouvert depuis {r.age_days} jours" for r in check.beyond.head(8).itertuples()]
    if rows:
        more = check.beyond_count - len(rows)
        lines.append("À escalader : <br>&nbsp;&nbsp;• " + "<br>&nbsp;&nbsp;• ".join(rows)
                     + (f"<br>&nbsp;&nbsp;… et {more} autre{'s' if more > 1 else ''}" if more > 0 else ""))
    if check.closed_count:
        lines.append(f"<b>Sur les {window_days} derniers jours</b> : {check.closed_count} litiges clos, dont "
                     f"<b>{fmt.percent(check.within_rate, 0)} dans le délai cible</b> ({check.within_count}) ; "
                     f"délai médian {fmt.days(check.median_days, 0)}.")
    else:
        lines.append(f"<b>Sur les {window_days} derniers jours</b> : aucun litige clos dans cette sélection.")
    return "<div style='font-size:15px;line-height:1.5'>" + "<br>".join(lines) + "</div>"


def dispute_target_simulator(disputes, as_of, window_days: int = 365, targets: dict | None = None,
                             names=None) -> widgets.VBox:
    """Controls: owner department (choosing one loads its target), reason, resolution-time target; shows the
    `target_check` figures and the histogram of the resolution times of the disputes closed in the last
    `window_days`, with the open disputes' ages. `names`: customer_id → customer name, for the list of the
    disputes to escalate.

    The container exposes `.controls` (dict of widgets) and `.result` (the HTML summary) for tests.
    """
    as_of = to_timestamp(as_of)
    targets = RESOLUTION_TARGETS if targets is None else targets
    departments = sorted(disputes["owner_department"].astype(str).unique())
    reasons = sorted(disputes["reason"].astype(str).unique())
    closed = closed_disputes(disputes, as_of - pd.Timedelta(days=window_days), as_of)
    still_open = open_disputes(disputes, as_of)
    controls = {
        "department": widgets.Dropdown(options=[("Tous les services", ALL)] + [(d, d) for d in departments],
                                       description="Service responsable :", style=STYLE,
                                       layout=widgets.Layout(**LAYOUT)),
        "reason": widgets.Dropdown(options=[("Tous les motifs", ALL)] + [(r, r) for r in reasons],
                                   description="Motif :", style=STYLE, layout=widgets.Layout(**LAYOUT)),
        "target": widgets.IntSlider(value=DEFAULT_TARGET, min=5, max=120, step=5, description="Délai cible (jours) :",
                                    style=STYLE, layout=widgets.Layout(**LAYOUT), continuous_update=False),
    }
    result = widgets.HTML()
    out = widgets.Output()
    state = {"hold": False}

    def chosen(name):
        value = controls[name].value
        return None if value == ALL else value

    def update(_=None):
        if state["hold"]:
            return
        department, reason = chosen("department"), chosen("reason")
        check = target_check(disputes, as_of, controls["target"].value, department, reason, window_days)
        result.value = target_text(check, department, reason, window_days, names)

        def pick(frame):
            if department is not None:
                frame = frame[frame["owner_department"].astype(str) == department]
            if reason is not None:
                frame = frame[frame["reason"].astype(str) == reason]
            return frame

        show(out, plot_resolution_histogram(pick(closed)["resolution_days"], check.target_days,
                                            pick(still_open)["age_days"],
                                            title=f"Délais de résolution ({department or 'tous les services'}) "
                                                  f"et âge des litiges ouverts"))

    def load_target(_=None):
        department = chosen("department")
        state["hold"] = True
        controls["target"].value = int(targets.get(department, DEFAULT_TARGET)) if department else DEFAULT_TARGET
        state["hold"] = False
        update()

    controls["department"].observe(load_target, names="value")
    controls["reason"].observe(update, names="value")
    controls["target"].observe(update, names="value")
    update()
    box = widgets.VBox([widgets.HTML("<b>Simulateur : délais de résolution des litiges</b> (cas fil rouge)"),
                        *controls.values(), result, out])
    box.controls = controls
    box.result = result
    return box
