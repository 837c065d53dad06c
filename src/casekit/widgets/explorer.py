"""Customer explorer (notebook 00): pick a customer, see their situation, open items, ageing and history."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from casekit import fmt
from casekit.context import CustomerChart, customer_situation, customers_history
from casekit.credit.aged_balance import aged_balance
from casekit.dates import to_timestamp
from casekit.widgets.figures import FigureImage

ITEM_LABELS = {"document_ref": "Pièce", "document_date": "Date", "due_date": "Échéance", "amount": "Montant TTC",
               "days_overdue": "Retard (jours)", "disputed": "En litige"}
ITEM_FORMATS = {"document_date": "date", "due_date": "date", "amount": "euros"}


def customer_items_table(open_items: pd.DataFrame, as_of, customer_id: str) -> pd.DataFrame:
    """The customer's open items at `as_of`, French display (days overdue: 0 when not yet due)."""
    as_of = to_timestamp(as_of)
    items = open_items[(open_items["customer_id"] == customer_id) & (open_items["document_date"] <= as_of)]
    items = items.assign(days_overdue=(as_of - items["due_date"]).dt.days.clip(lower=0),
                         disputed=items["disputed"].map({True: "oui", False: "non"}))
    return fmt.french_table(items[list(ITEM_LABELS)], ITEM_FORMATS, ITEM_LABELS).reset_index(drop=True)


def customer_summary_text(open_items: pd.DataFrame, as_of, customer_id: str, name: str) -> str:
    """One French HTML paragraph: balance, overdue, disputed, oldest delay."""
    s = customer_situation(open_items, as_of, customer_id)
    return (f"<b>{name}</b> ({customer_id}) au {fmt.date(s.as_of)} : encours <b>{fmt.euros(s.receivables)}</b> "
            f"sur {s.items} pièce(s), dont échu <b>{fmt.euros(s.overdue)}</b> "
            f"({fmt.percent(s.overdue_share)}), en litige {fmt.euros(s.disputed_overdue)} ; "
            f"plus ancien retard : {fmt.number(s.oldest_days_overdue)} jours.")


def customer_explorer(open_items: pd.DataFrame, as_of, invoices: pd.DataFrame | None = None,
                      payments: pd.DataFrame | None = None, top: int | None = None) -> widgets.VBox:
    """A dropdown of the customers, largest balance first (the `top` largest only, when given); choosing one
    shows the customer's situation, its ageing and (with `invoices` and `payments`) its last 12 months on one
    € scale (`CustomerChart`), then its open items. Every customer's ageing and history are computed when the
    explorer is built. The box exposes `choice`, `summary`, `image` (the charts, PNG), `table` (HTML) and `chart`
    for tests. Without open items, the box only says so."""
    as_of = to_timestamp(as_of)
    items = open_items[open_items["document_date"] <= as_of]
    if items.empty:
        return widgets.VBox([widgets.HTML(f"Aucune pièce non soldée au {fmt.date(as_of)} : rien à explorer.")])
    totals = items.groupby(["customer_id", "customer_name"])["amount"].sum().sort_values(ascending=False,
                                                                                        kind="stable")
    shown = totals if top is None else totals.head(top)
    customers = shown.index.get_level_values(0)
    options = [(f"{name} ({cid}) — {fmt.euros(total, 0)}", cid) for (cid, name), total in shown.items()]
    choice = widgets.Dropdown(options=options, description="Client :", layout=widgets.Layout(width="70%"),
                              style={"description_width": "initial"})
    summary, table = widgets.HTML(), widgets.HTML()
    aged = aged_balance(items, as_of).reindex(customers, fill_value=0.0)  # customer_id: text (openitems)
    histories = None
    if invoices is not None and payments is not None:
        histories = customers_history(invoices, payments, as_of, customers=customers)
    chart = CustomerChart(aged.columns.drop("total"),
                          histories.index.levels[1] if histories is not None else None)
    picture = FigureImage(chart.figure)  # 16 × 5,5 inches → 1 280 × 440 pixels
    names = dict(zip(customers, shown.index.get_level_values(1)))

    def update(_=None):
        cid = choice.value
        summary.value = customer_summary_text(items, as_of, cid, names[cid])
        history = histories.loc[cid] if histories is not None else None
        chart.show(aged.loc[cid], history)
        picture.draw()
        table.value = customer_items_table(items, as_of, cid).to_html(index=False, escape=True)

    choice.observe(update, names="value")
    update()
    box = widgets.VBox([choice, summary, picture.image, table])
    box.choice, box.summary, box.image, box.table, box.chart = choice, summary, picture.image, table, chart
    return box
