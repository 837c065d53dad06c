"""Customer explorer (notebook 00): pick a customer, see their open items and their ageing."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from casekit import fmt
from casekit.credit.aged_balance import aged_balance_totals, plot_aged_balance

ITEM_LABELS = {"document_ref": "Pièce", "document_date": "Date", "due_date": "Échéance", "amount": "Montant TTC",
               "disputed": "En litige"}
ITEM_FORMATS = {"document_date": "date", "due_date": "date", "amount": "euros"}


def customer_view(open_items: pd.DataFrame, as_of, customer_id: str):
    """The customer's open items (French display table) and their aged balance chart."""
    items = open_items[open_items["customer_id"] == customer_id]
    table = fmt.french_table(items[list(ITEM_LABELS)].assign(disputed=items["disputed"].map({True: "oui",
                                                                                             False: "non"})),
                             ITEM_FORMATS, ITEM_LABELS).reset_index(drop=True)
    name = items["customer_name"].iloc[0] if len(items) else customer_id
    fig = plot_aged_balance(aged_balance_totals(items, as_of), title=f"{name} : encours par ancienneté")
    return table, fig


def customer_explorer(open_items: pd.DataFrame, as_of, top: int = 50) -> widgets.VBox:
    """A dropdown of the `top` largest customer balances; choosing one redraws their table and chart."""
    totals = open_items.groupby(["customer_id", "customer_name"])["amount"].sum().sort_values(ascending=False)
    options = [(f"{name} ({cid}) — {fmt.euros(total, 0)}", cid) for (cid, name), total in totals.head(top).items()]
    choice = widgets.Dropdown(options=options, description="Client :", layout=widgets.Layout(width="60%"),
                              style={"description_width": "initial"})
    out = widgets.Output()

    def show(_=None):
        with out:
            out.clear_output(wait=True)
            table, fig = customer_view(open_items, as_of, choice.value)
            display(table, fig)
            plt.close(fig)

    choice.observe(show, names="value")
    show()
    return widgets.VBox([choice, out])
