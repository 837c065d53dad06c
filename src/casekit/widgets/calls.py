"""Call preparation simulator (notebook 05): choose a customer in the list sorted by overdue amount → its call
preparation sheet, the call script with its figures, and its recent history on a time line. No formula here:
every figure comes from `casekit.credit.calls`."""

from __future__ import annotations

import ipywidgets as widgets

from casekit import fmt
from casekit.credit.calls import (
    argument_figures,
    call_preparation,
    call_script,
    call_text_html,
    format_call_sheet,
    objective_category,
    overdue_by_customer,
    plot_customer_history,
)
from casekit.dates import to_timestamp
from casekit.widgets.figures import show

LAYOUT = {"width": "760px"}


def customer_options(ranking, top: int | None = None) -> list[tuple[str, str]]:
    """Dropdown options « name (id) — overdue » from `overdue_by_customer`, most overdue first."""
    rows = ranking if top is None else ranking.head(top)
    return [(f"{r.customer_name} ({cid}) — {fmt.euros(r.overdue, 0)} échus"
             + (" — procédure collective" if r.insolvent else ""), cid) for cid, r in rows.iterrows()]


def call_sheet_simulator(case_or_tables, as_of, top: int | None = 60, company: str = "",
                         months: int = 4) -> widgets.VBox:
    """A dropdown of the customers with overdue invoices (the `top` largest, most overdue first) and, for the
    chosen one, three tabs: the call preparation sheet, the call script and the history chart (drawn when its tab
    is opened).

    `case_or_tables`: the fil rouge (`CaseStudy`) or a mapping with `open_items` (a company's FEC) and any of
    `customers`, `calls`, `disputes`, `dunning`, `invoices`, `payments`. The container exposes `.controls`,
    `.headline`, `.result` (the sheet's HTML), `.script` (the script's HTML), `.tabs` and `.chart` for tests.
    """
    as_of = to_timestamp(as_of)
    if hasattr(case_or_tables, "open_items"):
        tables = dict(case_or_tables.tables(), open_items=case_or_tables.open_items(as_of))
        company = company or getattr(case_or_tables, "name", "")
    else:
        tables = dict(case_or_tables)
    ranking = overdue_by_customer(tables["open_items"], as_of, tables.get("customers"))
    options = customer_options(ranking, top)
    title = widgets.HTML("<b>Préparer un appel</b> : les clients sont classés par montant échu décroissant.")
    if not options:
        box = widgets.VBox([title, widgets.HTML(f"Aucun client n'a de facture échue au {fmt.date(as_of)}.")])
        box.controls, box.result, box.script, box.headline = {}, widgets.HTML(), widgets.HTML(), widgets.HTML()
        return box
    controls = {"customer": widgets.Dropdown(options=options, description="Client :",
                                             layout=widgets.Layout(**LAYOUT))}
    headline = widgets.HTML()
    result = widgets.HTML()
    script = widgets.HTML()
    chart = widgets.Output()
    tabs = widgets.Tab(children=[result, script, chart],
                       titles=("Fiche de préparation", "Scénario d'appel", "Historique"))

    state = {"drawn": None, "name": ""}

    def draw(_=None):
        """The history chart, drawn only when its tab is shown (it is the slow part)."""
        cid = controls["customer"].value
        if tabs.selected_index != 2 or state["drawn"] == cid:
            return
        state["drawn"] = cid
        show(chart, plot_customer_history(tables, cid, as_of, months=months,
                                          title=f"{state['name']} : les {months} derniers mois"))

    def update(_=None):
        cid = controls["customer"].value
        sheet = call_preparation(tables, cid, as_of)
        figures = argument_figures(tables, cid, as_of)
        state["name"] = figures.customer_name
        headline.value = (f"<div style='font-size:15px'><b>Objectif ({objective_category(sheet.objective).lower()})"
                          f"</b> : {sheet.objective}.<br>Montant à obtenir : <b>{fmt.euros(figures.to_collect)}</b>"
                          f" ; date à proposer : {fmt.date(figures.proposed_date)}.</div>")
        result.value = call_text_html(format_call_sheet(sheet))
        script.value = call_text_html(call_script(sheet, figures, company=company))
        draw()

    controls["customer"].observe(update, names="value")
    tabs.observe(draw, names="selected_index")
    update()
    box = widgets.VBox([title, controls["customer"], headline, tabs])
    box.controls = controls
    box.result = result
    box.script = script
    box.headline = headline
    box.tabs = tabs
    box.chart = chart
    box.state = state  # `drawn`: the customer whose chart is shown
    return box
