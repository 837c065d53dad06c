"""Customer explorer (notebook 00): pick a customer, see their situation, open items, ageing and history."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from casekit import fmt
from casekit.context import customer_history, customer_situation, plot_customer_history
from casekit.credit.aged_balance import aged_balance_totals, plot_aged_balance
from casekit.dates import to_timestamp
from casekit.widgets.figures import show

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


def customer_view(open_items: pd.DataFrame, as_of, customer_id: str, invoices: pd.DataFrame | None = None,
                  payments: pd.DataFrame | None = None, months: int = 12):
    """(summary HTML, open items table, aged balance chart, history chart or None without `invoices`). The charts'
    titles leave the customer to the summary: from one customer to the next, the frame stays when the scale does."""
    items = open_items[open_items["customer_id"] == customer_id]
    name = items["customer_name"].iloc[0] if len(items) else customer_id
    summary = customer_summary_text(open_items, as_of, customer_id, name)
    table = customer_items_table(open_items, as_of, customer_id)
    aged = plot_aged_balance(aged_balance_totals(items, as_of), title="Encours par ancienneté")
    history = None
    if invoices is not None and payments is not None:
        history = plot_customer_history(customer_history(invoices, payments, customer_id, as_of, months),
                                        title=f"Facturé, encaissé et solde dû sur {months} mois")
    return summary, table, aged, history


def by_customer(table: pd.DataFrame | None, customers) -> dict:
    """`table`'s rows of each of `customers` (customer_id → rows, empty when none), split once; {} without it."""
    if table is None:
        return {}
    groups = dict(iter(table.groupby(table["customer_id"].astype(str), sort=False)))
    return {cid: groups.get(str(cid), table.iloc[:0]) for cid in customers}


def customer_explorer(open_items: pd.DataFrame, as_of, invoices: pd.DataFrame | None = None,
                      payments: pd.DataFrame | None = None, top: int | None = None) -> widgets.VBox:
    """A dropdown of the customers, largest balance first (the `top` largest only, when given); choosing one
    shows the customer's situation, open items, ageing and (with `invoices` and `payments`) the last 12 months.
    The box exposes `choice` and `summary` for tests. Without open items, the box only says so."""
    as_of = to_timestamp(as_of)
    items = open_items[open_items["document_date"] <= as_of]
    if items.empty:
        return widgets.VBox([widgets.HTML(f"Aucune pièce non soldée au {fmt.date(as_of)} : rien à explorer.")])
    totals = items.groupby(["customer_id", "customer_name"])["amount"].sum().sort_values(ascending=False,
                                                                                        kind="stable")
    shown = totals if top is None else totals.head(top)
    options = [(f"{name} ({cid}) — {fmt.euros(total, 0)}", cid) for (cid, name), total in shown.items()]
    choice = widgets.Dropdown(options=options, description="Client :", layout=widgets.Layout(width="70%"),
                              style={"description_width": "initial"})
    summary = widgets.HTML()
    out = widgets.Output()
    sales = by_customer(invoices, shown.index.get_level_values(0))
    receipts = by_customer(payments, shown.index.get_level_values(0))

    def update(_=None):
        cid = choice.value
        text, table, aged, history = customer_view(items, as_of, cid, sales.get(cid), receipts.get(cid))
        summary.value = text
        show(out, table.style.hide(axis="index"), aged, history)  # row numbers mean nothing here

    choice.observe(update, names="value")
    update()
    box = widgets.VBox([choice, summary, out])
    box.choice, box.summary, box.out = choice, summary, out
    return box
