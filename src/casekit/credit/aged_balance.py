"""The aged balance ("balance âgée"): open items at `as_of` by ageing bucket, per customer or any grouping.

Columns (data, never display labels): with `basis="due_date"` (default) `not_due` (due on or after `as_of`),
then `1-30`, `31-60`, `61-90`, `>90` days overdue (days overdue = `as_of` − due date); with
`basis="document_date"` (age since the invoice date, no "not due" notion) `0-30`, `31-60`, `61-90`, `>90`.
Labels follow `buckets`; `total` closes the row. Amounts are EUR incl. VAT; credits (< 0) reduce their bucket;
items dated after `as_of` are excluded. French labels: `format_aged_balance`, `ageing_labels`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap, to_hex

from casekit import fmt
from casekit.dates import to_timestamp
from casekit.errors import DataError
from casekit.plots import AGEING_COLORS, bar_limits, euro_axis, new_figure

BASES = ("due_date", "document_date")
UNMAPPED = "non renseigné"
INDEX_LABELS = {"customer_id": "Client", "collector_id": "Gestionnaire", "country": "Pays",
                "segment": "Segment", "region": "Région", "sector": "Secteur", "status": "Statut",
                "disputed": "En litige", "group": "Groupe", "level": "Niveau de relance",
                "class": "Classe de score", "sales_rep": "Commercial"}
STATUS_LABELS = {"undisputed": "Hors litige", "disputed": "En litige"}


def bucket_labels(buckets=(30, 60, 90), basis: str = "due_date") -> list[str]:
    """The bucket columns: `bucket_labels()` → `['not_due', '1-30', '31-60', '61-90', '>90']`."""
    bounds = _check(buckets, basis)
    first = ["not_due", f"1-{bounds[0]}"] if basis == "due_date" else [f"0-{bounds[0]}"]
    return first + [f"{low + 1}-{high}" for low, high in zip(bounds, bounds[1:])] + [f">{bounds[-1]}"]


def _check(buckets, basis: str) -> list[int]:
    if basis not in BASES:
        raise DataError(f"base d'ancienneté « {basis} » inconnue (attendu : due_date ou document_date)")
    bounds = [int(b) for b in buckets]
    if not bounds or bounds[0] < 1 or any(b <= a for a, b in zip(bounds, bounds[1:])):
        raise DataError(f"tranches {tuple(buckets)} invalides : bornes entières positives et croissantes "
                        "attendues, ex. (30, 60, 90)")
    return bounds


def _bucketed(open_items: pd.DataFrame, as_of, buckets, basis: str) -> tuple[pd.DataFrame, np.ndarray, list]:
    """Items dated on or before `as_of`, the bucket position of each, and the bucket labels."""
    labels = bucket_labels(buckets, basis)
    as_of = to_timestamp(as_of)
    items = open_items[open_items["document_date"] <= as_of]
    if items[basis].isna().any():
        raise DataError(f"date manquante dans la colonne « {basis} » des encours : ancienneté non calculable")
    age = (as_of - items[basis]).dt.days.to_numpy()
    edges = ([0] if basis == "due_date" else []) + [int(b) for b in buckets]
    return items, np.searchsorted(edges, age, side="left"), labels


def _pivot(amounts: pd.Series, keys, position: np.ndarray, labels: list, index_name: str) -> pd.DataFrame:
    table = pd.DataFrame()
    if len(amounts):
        table = amounts.groupby([keys, position]).sum().unstack(fill_value=0.0)
    table = table.reindex(columns=range(len(labels)), fill_value=0.0).astype(float)
    table.columns = labels
    table["total"] = table.sum(axis=1)
    table.index.name = index_name
    return (table.round(2) + 0.0).sort_index()  # + 0.0 turns -0.0 into 0.0


def aged_balance(open_items: pd.DataFrame, as_of, buckets=(30, 60, 90), by="customer_id",
                 basis: str = "due_date") -> pd.DataFrame:
    """Aged balance at `as_of`: one row per `by` value, bucket columns and `total` (EUR incl. VAT).

    `by`: a column of `open_items` (`"customer_id"`, `"disputed"`…) or a mapping customer_id → group (a
    Series or dict, e.g. `customers.set_index("customer_id")["collector_id"]`); customers absent from the
    mapping go to the group "non renseigné". Example: `aged_balance(case.open_items(), "2025-12-31")`.
    """
    items, position, labels = _bucketed(open_items, as_of, buckets, basis)
    if isinstance(by, (pd.Series, dict)):
        mapping = pd.Series(by)
        keys = items["customer_id"].map(mapping).astype(object).fillna(UNMAPPED)
        name = mapping.name if isinstance(mapping.name, str) else "group"
    elif by in items.columns:
        keys, name = items[by], by
    else:
        raise DataError(f"regroupement « {by} » inconnu : ni une colonne des encours, "
                        "ni une correspondance client → groupe")
    return _pivot(items["amount"], keys.to_numpy(), position, labels, name)


def aged_balance_by(open_items: pd.DataFrame, as_of, mapping, buckets=(30, 60, 90),
                    basis: str = "due_date") -> pd.DataFrame:
    """Aged balance by collector, country, segment…: `mapping` is a Series customer_id → group."""
    return aged_balance(open_items, as_of, buckets, by=mapping, basis=basis)


def aged_balance_disputed_split(open_items: pd.DataFrame, as_of, buckets=(30, 60, 90),
                                basis: str = "due_date") -> pd.DataFrame:
    """Two rows, `undisputed` and `disputed` (index `status`), bucket columns and `total`."""
    items, position, labels = _bucketed(open_items, as_of, buckets, basis)
    status = np.where(items["disputed"].to_numpy(bool), "disputed", "undisputed")
    table = _pivot(items["amount"], status, position, labels, "status")
    return table.reindex(["undisputed", "disputed"], fill_value=0.0).rename_axis("status")


def aged_balance_totals(open_items: pd.DataFrame, as_of, buckets=(30, 60, 90),
                        basis: str = "due_date") -> pd.Series:
    """Bucket totals and `total` of the whole ledger at `as_of` (a Series indexed by the bucket columns)."""
    items, position, labels = _bucketed(open_items, as_of, buckets, basis)
    table = _pivot(items["amount"], np.zeros(len(items), dtype=int), position, labels, "all")
    totals = table.iloc[0] if len(table) else pd.Series(0.0, index=table.columns)
    return totals.rename("amount")


def ageing_labels(columns) -> dict[str, str]:
    """French display labels: `not_due` → « Non échu », `1-30` → « 1 à 30 jours », `>90` → « Plus de 90
    jours », `total` → « Total »."""
    labels = {}
    for column in columns:
        if column == "not_due":
            labels[column] = "Non échu"
        elif column == "total":
            labels[column] = "Total"
        elif str(column).startswith(">"):
            labels[column] = f"Plus de {column[1:]} jours"
        elif "-" in str(column):
            low, high = str(column).split("-", 1)
            labels[column] = f"{low} à {high} jours"
    return labels


def format_aged_balance(aged: pd.DataFrame, names: pd.Series | None = None) -> pd.DataFrame:
    """A French display copy: labelled columns, `1 234,56 €` amounts; `names` (customer_id → name) adds a
    « Raison sociale » column."""
    table = aged.copy()
    if table.index.name == "status":
        table = table.rename(index=STATUS_LABELS)
    formats = {column: "euros" for column in aged.columns}
    labels = ageing_labels(aged.columns)
    if names is not None:
        table.insert(0, "name", table.index.map(names))
        labels["name"] = "Raison sociale"
    index_label = INDEX_LABELS.get(aged.index.name, aged.index.name)
    return fmt.french_table(table, formats, labels, index_label=index_label)


def bucket_colors(columns) -> list[str]:
    """One colour per bucket column (`total` ignored), from green (not due, or youngest) to dark red.

    The house colours are used as they are for up to six buckets; a table whose first bucket is overdue
    (`1-…`, « non échu » left out) starts at yellow; beyond the house colours, the overdue buckets are spread
    evenly from yellow to dark red, so that no two buckets share a colour.
    """
    buckets = [c for c in columns if c != "total"]
    overdue_only = bool(buckets) and str(buckets[0]).startswith("1-")
    start = 1 if overdue_only else 0
    if start + len(buckets) <= len(AGEING_COLORS):
        return list(AGEING_COLORS[start:start + len(buckets)])
    ramp = LinearSegmentedColormap.from_list("ageing", AGEING_COLORS[1:])
    count = len(buckets) - (0 if overdue_only else 1)
    spread = [to_hex(ramp(i / max(count - 1, 1))) for i in range(count)]
    return spread if overdue_only else [AGEING_COLORS[0], *spread]


def plot_aged_balance(aged, title: str = "Balance âgée", top: int = 15, names: pd.Series | None = None):
    """Stacked bars by bucket: one bar per row of `aged` (only the `top` largest totals, said in the title;
    `names` maps the index to display names), or one bar per bucket for a totals Series
    (`aged_balance_totals`)."""
    if isinstance(aged, pd.Series):
        buckets = aged.drop("total", errors="ignore")
        labels = ageing_labels(buckets.index)
        fig, ax = new_figure(title, ylabel="Montant TTC")
        ax.bar([labels[c] for c in buckets.index], buckets.to_numpy(), color=bucket_colors(buckets.index))
        ax.set_ylim(*bar_limits(buckets))  # round: steady while the amounts move a little
        euro_axis(ax, unit="k€")
        return fig
    table = aged.drop(columns="total")
    if len(aged) > top:
        table = table.loc[aged["total"].sort_values(ascending=False, kind="stable").index[:top]]
        title = f"{title} : les {top} plus gros encours sur {len(aged)}"
    fig, ax = new_figure(title, ylabel="Montant TTC")
    labels = table.rename(index=STATUS_LABELS).index if aged.index.name == "status" else table.index
    ticks = [str(names.get(i, i) if names is not None else i) for i in labels]
    positive = np.zeros(len(table))
    negative = np.zeros(len(table))
    colors = bucket_colors(table.columns)
    for i, (column, label) in enumerate(ageing_labels(table.columns).items()):
        values = table[column].to_numpy(float)
        bottom = np.where(values >= 0, positive, negative)
        ax.bar(ticks, values, bottom=bottom, color=colors[i], label=label)
        positive += np.clip(values, 0, None)
        negative += np.clip(values, None, 0)
    euro_axis(ax, unit="k€")
    if len(ticks) > 6:
        ax.tick_params(axis="x", rotation=45)
        plt.setp(ax.get_xticklabels(), ha="right")
    overdue = "not_due" in table.columns or str(table.columns[0]).startswith("1-")
    ax.legend(title="Retard" if overdue else "Ancienneté", loc="upper left", bbox_to_anchor=(1.01, 1))
    return fig
