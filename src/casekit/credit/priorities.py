"""Priorities and team: whom to call first, the collectors' workload, and a proposal to even it out.

Priority score of a customer = Σ (overdue amount × age weight) × risk weight, over its undisputed overdue
invoices (> 0). Age weights by days overdue (`AGE_WEIGHTS`): 1–30 days × 1, 31–60 × 1.5, 61–90 × 2,
more than 90 × 3. Risk weights by scoring class (`RISK_WEIGHTS`): A × 0.8, B × 0.9, C × 1, D × 1.25,
E × 1.5; no class × 1. Disputed items (a dispute to solve, not a payment to chase) and unapplied credits
are shown beside the score, not in it.

Notebook 06 also uses: `overdue_pareto` / `pareto_summary` (how concentrated the overdue is), `call_schedule` /
`schedule_workload` (the priority list split by collector and by day, and the days each needs to call every
priority customer once), `overdue_ageing_trend` (share of each portfolio more than 60 days overdue, month after
month) and `customer_follow_up` / `follow_up_by` (the one-line-per-customer sheet sent to a sales rep, and its
totals by sales rep or region).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from casekit import fmt
from casekit.credit.aged_balance import aged_balance_by
from casekit.dates import to_timestamp
from casekit.errors import DataError
from casekit.plots import PALETTE, euro_axis, month_labels, new_figure, percent_axis

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


# --- notebook 06: the Pareto of the overdue, the daily call plan, portfolios over time, the follow-up sheet -------

def overdue_pareto(open_items: pd.DataFrame, as_of, exclude=()) -> pd.DataFrame:
    """Customers by undisputed overdue amount (the `priority_list` base), largest first (ties: customer_id).

    Columns: `customer_name`, `overdue_amount`, `share` (of the total), `cumulative_share`, `rank` (1 = largest);
    index `customer_id`. Example: overdue 50, 30, 20 → cumulative shares 50 %, 80 %, 100 %.
    """
    base = priority_list(open_items, as_of, exclude=exclude)[["customer_name", "overdue_amount"]].reset_index()
    base = base.sort_values(["overdue_amount", "customer_id"], ascending=[False, True], kind="stable")
    total = float(base["overdue_amount"].sum())
    base["share"] = base["overdue_amount"] / total if total > 0 else np.nan
    base["cumulative_share"] = base["overdue_amount"].cumsum() / total if total > 0 else np.nan
    base["rank"] = np.arange(1, len(base) + 1)
    return base.set_index("customer_id")


@dataclass(frozen=True)
class ParetoSummary:
    """How concentrated the overdue is: `customers` with undisputed overdue, their `amount`; the
    `customers_needed` (largest first) to reach `threshold` of the amount, as a `share_of_customers`; and the
    `top_share` of the amount owed by the first `top_fraction` of the customers (rounded up)."""

    customers: int
    amount: float
    threshold: float
    customers_needed: int
    share_of_customers: float
    top_fraction: float
    top_customers: int
    top_share: float


def pareto_summary(pareto: pd.DataFrame, threshold: float = 0.8, top_fraction: float = 0.2) -> ParetoSummary:
    """Summary of an `overdue_pareto` table. Example: overdue 50, 30, 20 and threshold 80 % → 2 customers
    needed (2 of 3, 66,7 %); the first 20 % of 3 customers, rounded up, is 1 customer: 50 % of the amount."""
    if not 0 < threshold <= 1 or not 0 < top_fraction <= 1:
        raise DataError("seuils de Pareto attendus entre 0 et 1 (ex. 0,8 et 0,2)")
    n = len(pareto)
    if n == 0:
        return ParetoSummary(0, 0.0, threshold, 0, float("nan"), top_fraction, 0, float("nan"))
    cumulative = pareto["cumulative_share"].to_numpy(float)
    needed = int(np.searchsorted(cumulative, threshold - 1e-9, side="left")) + 1
    top = max(1, math.ceil(top_fraction * n - 1e-9))
    return ParetoSummary(n, round(float(pareto["overdue_amount"].sum()), 2), threshold, min(needed, n),
                         min(needed, n) / n, top_fraction, top, float(cumulative[top - 1]))


def plot_pareto(pareto: pd.DataFrame, threshold: float = 0.8,
                title: str = "Pareto de l'échu : peu de clients font l'essentiel du retard"):
    """Bars: each customer's undisputed overdue (largest first); line: cumulative share (right axis), with the
    `threshold` and the number of customers needed to reach it."""
    fig, ax = new_figure(title, xlabel="Clients classés par montant échu décroissant", ylabel="Échu hors litige")
    x = pareto["rank"].to_numpy() if len(pareto) else np.array([])
    ax.bar(x, pareto["overdue_amount"], color=PALETTE[0], width=0.9)
    euro_axis(ax, unit="k€")
    right = ax.twinx()
    right.plot(x, pareto["cumulative_share"], color=PALETTE[1], linewidth=2.5, label="Part cumulée de l'échu")
    right.axhline(threshold, color=PALETTE[3], linestyle="--", linewidth=1.5)
    right.set_ylim(0, 1.05)
    right.grid(False)
    right.spines["right"].set_visible(True)
    percent_axis(right)
    if len(pareto):
        summary = pareto_summary(pareto, threshold)
        right.axvline(summary.customers_needed, color=PALETTE[3], linestyle=":", linewidth=1.5)
        right.annotate(f"{summary.customers_needed} clients sur {summary.customers} = "
                       f"{fmt.percent(threshold, 0)} de l'échu", (summary.customers_needed, threshold),
                       xytext=(10, -28), textcoords="offset points", fontsize=13, color=PALETTE[3])
    right.legend(loc="center right")
    return fig


def _capacity(calls_per_day, fte: pd.Series | None, collectors) -> pd.Series:
    """Calls a day per collector: `calls_per_day` × FTE rounded down, at least 1."""
    if calls_per_day < 1:
        raise DataError("nombre d'appels par jour : au moins 1")
    collectors = pd.Index(collectors)
    ftes = pd.Series(1.0, index=collectors) if fte is None else \
        pd.Series(fte, dtype=float).reindex(collectors).fillna(1.0)
    if (ftes <= 0).any():
        raise DataError("temps de travail (ETP) nul ou négatif pour un gestionnaire")
    return np.maximum(1, np.floor(calls_per_day * ftes + 1e-9)).astype(int)


def call_schedule(priorities: pd.DataFrame, assignments, calls_per_day: int = 15, min_amount: float = 0.0,
              fte: pd.Series | None = None) -> pd.DataFrame:
    """The `priority_list` cut at `min_amount` of undisputed overdue, split by collector and by day.

    Each collector calls his customers in priority order, `calls_per_day` × FTE a day (rounded down, at least
    1): `rank` within the collector, `day` = ⌈rank / calls a day⌉. Columns: `collector_id`, `rank`, `day`,
    `customer_name`, `overdue_amount`, `max_days_overdue`, `risk_class`, `priority_score`; index `customer_id`,
    in priority order. Example: 0,8 FTE at 15 calls → 12 calls a day; the 13th customer is called on day 2.
    """
    table = priorities[priorities["overdue_amount"] >= float(min_amount)]
    collector = table.index.map(pd.Series(assignments, dtype=object)).astype(object)
    collector = pd.Series(collector, index=table.index).fillna(UNASSIGNED)
    capacity = _capacity(calls_per_day, fte, sorted(set(collector)))
    rank = collector.groupby(collector, sort=False).cumcount() + 1
    out = table.assign(collector_id=collector, rank=rank.astype(int))
    out["day"] = np.ceil(out["rank"] / out["collector_id"].map(capacity).astype(float)).astype(int)
    columns = ["collector_id", "rank", "day", "customer_name", "overdue_amount", "max_days_overdue", "risk_class",
               "priority_score"]
    return out[columns]


def schedule_workload(plan: pd.DataFrame, calls_per_day: int = 15, fte: pd.Series | None = None,
                  collectors=()) -> pd.DataFrame:
    """Per collector of a `call_schedule`: `customers` to call, their `overdue_amount`, `calls_per_day` (capacity),
    `days_needed` to call each once (= ⌈customers / calls a day⌉), `day1_amount` (overdue of the customers of
    day 1) and `day1_share` of the collector's amount. `collectors`: ids shown even without a call."""
    names = sorted(set(plan["collector_id"]) | set(collectors))
    groups = plan.groupby("collector_id")
    out = pd.DataFrame({"customers": groups.size(), "overdue_amount": groups["overdue_amount"].sum()}) \
        .reindex(names, fill_value=0)
    out["customers"] = out["customers"].astype(int)
    out["calls_per_day"] = _capacity(calls_per_day, fte, names)
    out["days_needed"] = np.ceil(out["customers"] / out["calls_per_day"]).astype(int)
    first = plan[plan["day"] == 1].groupby("collector_id")["overdue_amount"].sum()
    out["day1_amount"] = first.reindex(names, fill_value=0.0).round(2)
    out["overdue_amount"] = out["overdue_amount"].astype(float).round(2)
    out["day1_share"] = (out["day1_amount"] / out["overdue_amount"]).where(out["overdue_amount"] > 0)
    out.index.name = "collector_id"
    return out


def plot_schedule_workload(workload: pd.DataFrame, names: pd.Series | None = None,
                       title: str = "Jours d'appels pour joindre une fois chaque client prioritaire"):
    """Bars: `days_needed` per collector, labelled with the number of customers to call and their overdue."""
    fig, ax = new_figure(title, ylabel="Jours d'appels")
    labels = [str(names.get(c, c)) if names is not None else str(c) for c in workload.index]
    bars = ax.bar(labels, workload["days_needed"], color=PALETTE[0])
    ax.bar_label(bars, labels=[f"{n} client{'s' if n > 1 else ''}\n{fmt.euros(a, 0)}"
                               for n, a in zip(workload["customers"], workload["overdue_amount"])], padding=3)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylim(0, max(1, float(workload["days_needed"].max() if len(workload) else 1)) * 1.3)
    return fig


def overdue_ageing_trend(snapshots: dict, assignments, threshold_days: int = 60) -> pd.DataFrame:
    """Share of each portfolio's receivables overdue by more than `threshold_days`, at each date.

    `snapshots`: date → open items at that date (e.g. `{d: case.open_items(d) for d in month_ends}`);
    `assignments`: customer_id → collector_id. Index `date`; one column per collector plus « Ensemble » (the whole
    ledger); share = amount more than `threshold_days` overdue / total receivables (aged balance amounts, credits
    included); empty when the total is not positive.
    """
    rows = {}
    column = f">{int(threshold_days)}"
    for date, items in snapshots.items():
        date = to_timestamp(date)
        aged = aged_balance_by(items, date, pd.Series(assignments), buckets=(int(threshold_days),))
        total = aged[column].sum(), aged["total"].sum()
        share = (aged[column] / aged["total"]).where(aged["total"] > 0)
        share["Ensemble"] = total[0] / total[1] if total[1] > 0 else np.nan
        rows[date] = share
    out = pd.DataFrame(rows).T.sort_index()
    groups = sorted(c for c in out.columns if c != "Ensemble")
    out = out.reindex(columns=groups + ["Ensemble"])
    out.index.name = "date"
    out.columns.name = None
    return out.astype(float)


def plot_ageing_trend(trend: pd.DataFrame, threshold_days: int = 60, names: pd.Series | None = None,
                      title: str | None = None):
    """One line per portfolio (and « Ensemble », dashed): share of receivables more than `threshold_days`
    overdue, by date."""
    title = title or f"Part de l'encours échue depuis plus de {threshold_days} jours, par portefeuille"
    fig, ax = new_figure(title, ylabel="Part de l'encours")
    x = np.arange(len(trend))
    for i, column in enumerate(trend.columns):
        label = "Ensemble" if column == "Ensemble" else str(names.get(column, column) if names is not None
                                                             else column)
        style = {"linestyle": "--", "color": "black"} if column == "Ensemble" else {"color": PALETTE[i]}
        ax.plot(x, trend[column], marker="o", linewidth=2, label=label, **style)
    ax.set_xticks(x, month_labels(trend.index), rotation=45, ha="right")
    percent_axis(ax)
    ax.legend(loc="upper left", ncol=2)
    return fig


def customer_follow_up(open_items: pd.DataFrame, as_of, dunning: pd.DataFrame | None = None,
                       calls: pd.DataFrame | None = None, threshold_days: int = 60) -> pd.DataFrame:
    """One line per customer with open items at `as_of`: what a sales rep or a manager needs to act.

    Columns: `customer_name`, `open_amount`, `overdue_amount` (due before `as_of`, credits included, as in the
    aged balance), `overdue_over` (more than `threshold_days` overdue), `disputed_amount` (open disputed items),
    `max_days_overdue` (oldest overdue invoice), and with `dunning` the `last_level` / `last_action` /
    `last_action_date` reached on the customer's open items by `as_of`, with `calls` the pending promise
    (`promise_amount`, `promise_date`: the latest call by `as_of` promising a date after `as_of`). Sorted by
    overdue amount, largest first (ties: customer_id).
    """
    as_of = to_timestamp(as_of)
    items = open_items[open_items["document_date"] <= as_of]
    days = (as_of - items["due_date"]).dt.days
    frame = pd.DataFrame({
        "customer_id": items["customer_id"], "customer_name": items["customer_name"], "amount": items["amount"],
        "overdue": items["amount"].where(days > 0, 0.0), "over": items["amount"].where(days > threshold_days, 0.0),
        "disputed": items["amount"].where(items["disputed"].astype(bool), 0.0),
        "late_days": days.where((days > 0) & (items["amount"] > 0))})
    groups = frame.groupby("customer_id")
    out = pd.DataFrame({"customer_name": groups["customer_name"].first(),
                        "open_amount": groups["amount"].sum(), "overdue_amount": groups["overdue"].sum(),
                        "overdue_over": groups["over"].sum(), "disputed_amount": groups["disputed"].sum(),
                        "max_days_overdue": groups["late_days"].max()})
    money = ["open_amount", "overdue_amount", "overdue_over", "disputed_amount"]
    out[money] = out[money].round(2) + 0.0
    if dunning is not None:
        done = dunning[(dunning["dunning_date"] <= as_of) & dunning["document_ref"].isin(set(items["document_ref"]))]
        done = done.sort_values(["customer_id", "level", "dunning_date"], kind="stable").groupby("customer_id").tail(1)
        done = done.set_index("customer_id")
        out["last_level"] = done["level"].reindex(out.index).astype("Int64")
        out["last_action"] = done["channel"].astype(str).reindex(out.index)
        out["last_action_date"] = done["dunning_date"].reindex(out.index)
    if calls is not None:
        pending = calls[(calls["call_date"] <= as_of) & (calls["promise_date"] > as_of)]
        pending = pending.sort_values(["customer_id", "call_date"], kind="stable").groupby("customer_id").tail(1)
        pending = pending.set_index("customer_id")
        out["promise_amount"] = pending["promise_amount"].reindex(out.index)
        out["promise_date"] = pending["promise_date"].reindex(out.index)
    out = out.reset_index().sort_values(["overdue_amount", "customer_id"], ascending=[False, True], kind="stable")
    return out.set_index("customer_id")


def follow_up_by(follow_up: pd.DataFrame, mapping, name: str = "group") -> pd.DataFrame:
    """Totals of a `customer_follow_up` table per group (sales rep, region…), largest overdue first.

    `mapping`: customer_id → group (customers absent from it go to « non renseigné »). Columns: `customers`,
    `overdue_customers` (overdue amount > 0), `open_amount`, `overdue_amount`, `overdue_share` (of the open
    amount), `overdue_over`, `disputed_amount`; index `name`.
    """
    groups = follow_up.index.map(pd.Series(mapping, dtype=object)).astype(object)
    frame = follow_up.assign(group=pd.Series(groups, index=follow_up.index).fillna("non renseigné"))
    frame["late"] = frame["overdue_amount"] > 0
    by = frame.groupby("group")
    out = pd.DataFrame({"customers": by.size(), "overdue_customers": by["late"].sum().astype(int),
                        "open_amount": by["open_amount"].sum(), "overdue_amount": by["overdue_amount"].sum(),
                        "overdue_over": by["overdue_over"].sum(), "disputed_amount": by["disputed_amount"].sum()})
    money = ["open_amount", "overdue_amount", "overdue_over", "disputed_amount"]
    out[money] = out[money].round(2) + 0.0
    out.insert(4, "overdue_share", (out["overdue_amount"] / out["open_amount"]).where(out["open_amount"] > 0))
    out = out.reset_index().sort_values(["overdue_amount", "group"], ascending=[False, True], kind="stable")
    return out.rename(columns={"group": name}).set_index(name)
