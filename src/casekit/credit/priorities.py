"""Priorities and team: whom to call first, the collectors' workload, and a proposal to even it out.

Priority score of a customer = Σ (overdue amount × age weight) × risk weight, over its undisputed overdue
invoices (> 0). Age weights by days overdue (`AGE_WEIGHTS`): 1–30 days × 1, 31–60 × 1.5, 61–90 × 2,
more than 90 × 3. Risk weights by scoring class (`RISK_WEIGHTS`): A × 0.8, B × 0.9, C × 1, D × 1.25,
E × 1.5; no class × 1. Disputed items (a dispute to solve, not a payment to chase) and unapplied credits
are shown beside the score, not in it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from casekit.dates import to_timestamp
from casekit.errors import DataError
from casekit.plots import PALETTE, euro_axis, new_figure

AGE_WEIGHTS = ((30, 1.0), (60, 1.5), (90, 2.0), (None, 3.0))  # (up to days overdue, weight)
RISK_WEIGHTS = {"A": 0.8, "B": 0.9, "C": 1.0, "D": 1.25, "E": 1.5}
UNASSIGNED = "non affecté"


def age_weight(days_overdue) -> np.ndarray:
    """The `AGE_WEIGHTS` weight of each number of days overdue (> 0). Example: 45 days → 1.5."""
    days = np.asarray(days_overdue)
    bounds = [b for b, _ in AGE_WEIGHTS if b is not None]
    return np.array([w for _, w in AGE_WEIGHTS])[np.searchsorted(bounds, days, side="left")]


def _overdue(open_items: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    items = open_items[(open_items["document_date"] <= as_of) & (open_items["due_date"] < as_of)]
    return items.assign(days_overdue=(as_of - items["due_date"]).dt.days)


def priority_list(open_items: pd.DataFrame, as_of, risk=None, top: int | None = None,
                  exclude=()) -> pd.DataFrame:
    """Customers to call first at `as_of`, highest `priority_score` first.

    `risk`: the scoring class per customer (a Series customer_id → "A"…"E", or `score_customers`' table).
    Columns: `customer_name`, `overdue_amount`, `weighted_amount` (Σ amount × age weight), `age_weight`
    (their ratio), `max_days_overdue`, `risk_class`, `risk_weight`, `priority_score`, `disputed_overdue`,
    `credits`; index `customer_id`. `exclude`: customers not to call, e.g. those in collective proceedings
    (no individual action after the judgement: their claims are declared). Example: 10 000 € 45 days
    overdue, class D → 10 000 × 1.5 × 1.25 = 18 750.
    """
    as_of = to_timestamp(as_of)
    items = _overdue(open_items, as_of)
    items = items[~items["customer_id"].isin(set(exclude))]
    chase = items[(items["amount"] > 0) & ~items["disputed"].astype(bool)]
    chase = chase.assign(weighted=chase["amount"] * age_weight(chase["days_overdue"]))
    out = chase.groupby("customer_id").agg(customer_name=("customer_name", "first"),
                                           overdue_amount=("amount", "sum"),
                                           weighted_amount=("weighted", "sum"),
                                           max_days_overdue=("days_overdue", "max"))
    out["age_weight"] = out["weighted_amount"] / out["overdue_amount"]
    if isinstance(risk, pd.DataFrame):
        risk = risk["class"]
    classes = pd.Series(risk, dtype=object) if risk is not None else pd.Series(dtype=object)
    unknown = set(classes.dropna()) - set(RISK_WEIGHTS)
    if unknown:
        raise DataError(f"classe(s) de risque inconnue(s) : {', '.join(map(str, sorted(unknown)))} "
                        "(attendu : A à E)")
    out["risk_class"] = out.index.map(classes)
    out["risk_weight"] = out["risk_class"].map(RISK_WEIGHTS).astype(float).fillna(1.0)
    out["priority_score"] = (out["weighted_amount"] * out["risk_weight"]).round(2)
    disputed = items[items["disputed"].astype(bool) & (items["amount"] > 0)] \
        .groupby("customer_id")["amount"].sum()
    credits = open_items[(open_items["document_date"] <= as_of) & (open_items["amount"] < 0)] \
        .groupby("customer_id")["amount"].sum()
    out["disputed_overdue"] = disputed.reindex(out.index, fill_value=0.0)
    out["credits"] = credits.reindex(out.index, fill_value=0.0)
    out = out.round({"overdue_amount": 2, "weighted_amount": 2, "disputed_overdue": 2, "credits": 2})
    out = out.sort_values(["priority_score", "overdue_amount"], ascending=False, kind="stable")
    out.index.name = "customer_id"
    columns = ["customer_name", "overdue_amount", "weighted_amount", "age_weight", "max_days_overdue",
               "risk_class", "risk_weight", "priority_score", "disputed_overdue", "credits"]
    return out[columns].head(top) if top is not None else out[columns]


def collector_workload(open_items: pd.DataFrame, as_of, assignments: pd.Series, fte: pd.Series | None = None
                       ) -> pd.DataFrame:
    """Per collector at `as_of`: `customers` (with open items), `overdue_customers`, `overdue_items`,
    `open_amount`, `overdue_amount` (undisputed overdue invoices), `fte`, `overdue_per_fte`.

    `assignments`: customer_id → collector_id (customers not in it go to « non affecté »); `fte`:
    collector_id → full-time equivalent (default 1).
    """
    as_of = to_timestamp(as_of)
    items = open_items[open_items["document_date"] <= as_of]
    collector = items["customer_id"].map(pd.Series(assignments)).astype(object).fillna(UNASSIGNED)
    overdue = (items["due_date"] < as_of) & (items["amount"] > 0) & ~items["disputed"].astype(bool)
    frame = pd.DataFrame({"collector_id": collector, "customer_id": items["customer_id"],
                          "amount": items["amount"], "overdue": overdue,
                          "overdue_amount": items["amount"].where(overdue, 0.0),
                          "overdue_customer": items["customer_id"].where(overdue)})
    groups = frame.groupby("collector_id")
    out = pd.DataFrame({"customers": groups["customer_id"].nunique(),
                        "overdue_customers": groups["overdue_customer"].nunique(),
                        "overdue_items": groups["overdue"].sum().astype(int),
                        "open_amount": groups["amount"].sum().round(2),
                        "overdue_amount": groups["overdue_amount"].sum().round(2)})
    names = sorted(set(pd.Series(assignments).dropna()) | set(out.index))
    out = out.reindex(names, fill_value=0)
    fte = pd.Series(1.0, index=out.index) if fte is None else pd.Series(fte, dtype=float)
    out["fte"] = fte.reindex(out.index).fillna(1.0)
    if (out["fte"] <= 0).any():
        raise DataError("temps de travail (ETP) nul ou négatif pour un gestionnaire")
    out["overdue_per_fte"] = (out["overdue_amount"] / out["fte"]).round(2)
    out.index.name = "collector_id"
    return out


@dataclass(frozen=True)
class PortfolioBalance:
    """A proposal to even out the overdue load per FTE: `moves` (customer_id, customer_name, from_collector,
    to_collector, overdue_amount), `before` and `after` workloads, and the new `assignments`."""

    moves: pd.DataFrame
    before: pd.DataFrame
    after: pd.DataFrame
    assignments: pd.Series


def balance_portfolios(open_items: pd.DataFrame, as_of, assignments: pd.Series, fte: pd.Series | None = None,
                       locked=(), max_moves: int = 20, tolerance: float = 0.05) -> PortfolioBalance:
    """Propose moves of customers between collectors to even out the undisputed overdue amount per FTE.

    Greedy and deterministic: at each step, take the collector with the highest overdue per FTE (donor) and
    the one with the lowest (receiver); among the donor's customers with overdue, move the one that makes
    the higher of the two loads per FTE lowest (ties: smallest customer_id), if it lowers it. Stop after
    `max_moves` moves, when no move from the donor to the receiver helps, or when the spread (max − min
    per FTE) is within `tolerance` × the mean. `locked`: collectors that neither give nor receive (e.g. the
    export desk, for languages).
    """
    as_of = to_timestamp(as_of)
    assignments = pd.Series(assignments).astype(object)
    before = collector_workload(open_items, as_of, assignments, fte)
    overdue = _overdue(open_items, as_of)
    overdue = overdue[(overdue["amount"] > 0) & ~overdue["disputed"].astype(bool)]
    per_customer = overdue.groupby("customer_id")["amount"].sum()
    names = open_items.groupby("customer_id")["customer_name"].first()
    load = before["overdue_amount"].astype(float).copy()
    capacity = before["fte"]
    owner = assignments.copy()
    active = [c for c in load.index if c not in set(locked) and c != UNASSIGNED]
    moves = []
    while len(moves) < max_moves and len(active) >= 2:
        ratio = (load / capacity)[active]
        donor, receiver = ratio.idxmax(), ratio.idxmin()
        if ratio.max() - ratio.min() <= tolerance * ratio.mean():
            break
        candidates = per_customer[per_customer.index.map(owner) == donor].sort_index()
        worst = np.maximum((load[donor] - candidates) / capacity[donor],
                           (load[receiver] + candidates) / capacity[receiver])
        if worst.empty or worst.min() >= ratio.max() - 0.005:
            break
        customer = worst.idxmin()
        amount = float(candidates[customer])
        moves.append((customer, names.get(customer, customer), donor, receiver, round(amount, 2)))
        load[donor] -= amount
        load[receiver] += amount
        owner[customer] = receiver
    moves = pd.DataFrame(moves, columns=["customer_id", "customer_name", "from_collector", "to_collector",
                                         "overdue_amount"])
    return PortfolioBalance(moves, before, collector_workload(open_items, as_of, owner, fte), owner)


def plot_workload(balance: PortfolioBalance, title: str = "Montant échu par ETP et par gestionnaire"):
    """Bars before / after the proposed moves: undisputed overdue amount per FTE of each collector."""
    fig, ax = new_figure(title, xlabel="Gestionnaire", ylabel="Échu hors litige par ETP")
    x = np.arange(len(balance.before))
    ax.bar(x - 0.2, balance.before["overdue_per_fte"], 0.4, label="Avant", color=PALETTE[5])
    ax.bar(x + 0.2, balance.after["overdue_per_fte"].reindex(balance.before.index), 0.4, label="Après",
           color=PALETTE[0])
    ax.set_xticks(x, balance.before.index)
    euro_axis(ax, unit="k€")
    ax.legend()
    return fig


def plot_priorities(priorities: pd.DataFrame, top: int = 15, title: str = "Clients à appeler en priorité"):
    """Horizontal bars of the `top` priority scores, labelled with the customer names."""
    table = priorities.head(top).iloc[::-1]
    fig, ax = new_figure(title, xlabel="Score de priorité (montant échu pondéré)")
    ax.barh(table["customer_name"].astype(str), table["priority_score"], color=PALETTE[3])
    euro_axis(ax, axis="x", unit="k€")
    ax.grid(axis="y", visible=False)
    return fig
