"""Dunning ("relance"): a scenario as data, today's action plan, and the recovery statistics by level.

A scenario is a table of levels: `level`, `days_from_due` (negative for a reminder before the due date),
`channel`, `action` and `owner` (French). An open invoice reaches the highest level whose `days_from_due` is
≤ its days overdue at `as_of` (`as_of` − due date).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from casekit.credit.forecast import CREDIT_NOTE_OFFSET
from casekit.dates import to_timestamp
from casekit.errors import DataError
from casekit.plots import PALETTE, euro_axis, new_figure, percent_axis

SCENARIO_COLUMNS = ["level", "days_from_due", "channel", "action", "owner"]
DEFAULT_SCENARIO = pd.DataFrame([
    (1, 5, "Courriel", "Rappel amiable par courriel avec le relevé des factures échues",
     "Gestionnaire de recouvrement"),
    (2, 15, "Téléphone", "Appel du service comptable : obtenir une date et un montant de paiement",
     "Gestionnaire de recouvrement"),
    (3, 30, "Courrier",
     "Lettre de relance rappelant les pénalités de retard et l'indemnité forfaitaire de 40 €",
     "Gestionnaire de recouvrement"),
    (4, 45, "Lettre recommandée (mise en demeure)",
     "Mise en demeure par lettre recommandée avec accusé de réception ; blocage des livraisons",
     "Credit manager"),
    (5, 75, "Transmission au contentieux",
     "Transmission du dossier au contentieux (injonction de payer ou société de recouvrement)",
     "Credit manager et service juridique"),
], columns=SCENARIO_COLUMNS)
LAST_LEVEL_WINDOW_DAYS = 30  # after the last level, payments are counted for this many days


def check_scenario(scenario: pd.DataFrame) -> pd.DataFrame:
    """The scenario sorted by level, checked: all columns, unique levels, thresholds increasing with level."""
    missing = [c for c in SCENARIO_COLUMNS if c not in scenario.columns]
    if missing:
        raise DataError(f"scénario de relance : colonne(s) manquante(s) {', '.join(missing)}")
    if scenario.empty:
        raise DataError("scénario de relance vide")
    out = scenario[SCENARIO_COLUMNS].sort_values("level", kind="stable").reset_index(drop=True)
    if out["level"].duplicated().any():
        raise DataError("scénario de relance : un même niveau apparaît deux fois")
    if not out["days_from_due"].is_monotonic_increasing or out["days_from_due"].duplicated().any():
        raise DataError("scénario de relance : les délais doivent croître strictement avec le niveau")
    return out


@dataclass(frozen=True)
class ActionPlan:
    """Today's dunning plan.

    `actions`: one row per customer and level — `customer_id`, `customer_name`, `level`, `channel`,
    `action`, `owner`, `items`, `amount`, `max_days_overdue`, `done` (every item already dunned at that level
    according to the history). `items`: the overdue undisputed invoices with their `level` and `done`.
    `disputed`: the overdue disputed items, left out of the dunning (handled as disputes).
    `proceedings`: the overdue items of customers in collective proceedings, left out too: the judgement
    stops individual actions (art. L622-21 du Code de commerce); the claim is declared to the mandataire
    judiciaire within two months of the BODACC notice (art. L622-24 et R622-24).
    """

    as_of: pd.Timestamp
    actions: pd.DataFrame
    items: pd.DataFrame
    disputed: pd.DataFrame
    proceedings: pd.DataFrame


def action_plan(open_items: pd.DataFrame, as_of, scenario: pd.DataFrame = DEFAULT_SCENARIO,
                dunning_history: pd.DataFrame | None = None, proceedings=()) -> ActionPlan:
    """Apply the dunning `scenario` to the open invoices at `as_of`.

    `proceedings`: ids of the customers in collective proceedings at `as_of` (for the fil rouge:
    customers whose `insolvency_date` ≤ `as_of`); their items go to `ActionPlan.proceedings`.

    Example: an invoice due 20 days ago reaches level 2 (15 days) of the default scenario, a phone call.
    """
    as_of = to_timestamp(as_of)
    scenario = check_scenario(scenario)
    items = open_items[(open_items["document_date"] <= as_of) & (open_items["amount"] > 0)].copy()
    items["days_overdue"] = (as_of - items["due_date"]).dt.days
    position = np.searchsorted(scenario["days_from_due"].to_numpy(), items["days_overdue"].to_numpy(),
                               side="right") - 1
    items = items[position >= 0].assign(level=scenario["level"].to_numpy()[position[position >= 0]])
    in_proceedings = items["customer_id"].isin(set(proceedings))
    stopped = items[in_proceedings].reset_index(drop=True)
    items = items[~in_proceedings]
    disputed = items[items["disputed"]].reset_index(drop=True)
    items = items[~items["disputed"]]
    if dunning_history is not None and len(dunning_history):
        past = dunning_history[dunning_history["dunning_date"] <= as_of]
        done = pd.MultiIndex.from_frame(past[["document_ref", "level"]].astype({"level": int}))
        items["done"] = pd.MultiIndex.from_frame(items[["document_ref", "level"]]).isin(done)
    else:
        items["done"] = False
    items = items.reset_index(drop=True)
    actions = items.groupby(["customer_id", "level"], as_index=False).agg(
        customer_name=("customer_name", "first"), items=("document_ref", "size"), amount=("amount", "sum"),
        max_days_overdue=("days_overdue", "max"), done=("done", "all"))
    actions = actions.merge(scenario[["level", "channel", "action", "owner"]], on="level", how="left")
    actions["amount"] = actions["amount"].round(2)
    actions = actions.sort_values(["level", "amount", "customer_id"], ascending=[False, False, True],
                                  kind="stable").reset_index(drop=True)
    columns = ["customer_id", "customer_name", "level", "channel", "action", "owner", "items", "amount",
               "max_days_overdue", "done"]
    return ActionPlan(as_of, actions[columns], items, disputed, stopped)


def recovery_by_level(dunning: pd.DataFrame, payments: pd.DataFrame, invoices: pd.DataFrame | None = None,
                      as_of=None) -> pd.DataFrame:
    """The "niveaux de recouvrement": what each dunning level brought in.

    For each dunning action, cash paid on the invoice after the action and up to the next level's action
    (the invoice's next row in `dunning`; otherwise the scheduled date of the next level = due date +
    the gap between the two levels' usual days overdue; `LAST_LEVEL_WINDOW_DAYS` after the last level).
    Actions whose window ends after `as_of` (default: the last date in the data) are left out (still
    pending). `invoices` (optional) supplies due dates when `dunning` has no `days_overdue`. Index `level`;
    columns `actions`, `amount_dunned`, `amount_recovered`, `recovery_rate`, `paid_actions` (actions
    followed by a payment) and `median_days_to_payment` (action → first payment).
    """
    if dunning.empty:
        raise DataError("historique des relances vide")
    d = dunning[["document_ref", "level", "dunning_date", "amount_due"]].copy()
    if "days_overdue" in dunning:
        d["due_date"] = dunning["dunning_date"] - pd.to_timedelta(dunning["days_overdue"], unit="D")
    elif invoices is not None:
        d["due_date"] = d["document_ref"].map(invoices.set_index("document_ref")["due_date"])
    else:
        raise DataError("échéances inconnues : fournir days_overdue dans les relances, "
                        "ou la table des factures")
    as_of = max(dunning["dunning_date"].max(), payments["payment_date"].max()) if as_of is None \
        else to_timestamp(as_of)
    d = d.sort_values(["document_ref", "level"], kind="stable")
    typical = (d["dunning_date"] - d["due_date"]).dt.days.groupby(d["level"]).median()
    next_gap = (typical.shift(-1) - typical).reindex(d["level"]).to_numpy()
    scheduled = d["dunning_date"] + pd.to_timedelta(np.where(np.isnan(next_gap), LAST_LEVEL_WINDOW_DAYS,
                                                             next_gap), unit="D")
    following = d.groupby("document_ref")["dunning_date"].shift(-1)
    d["window_end"] = following.fillna(scheduled)
    d = d[d["window_end"] <= as_of]
    cash = payments[(payments["amount"] > 0) & payments["document_ref"].isin(d["document_ref"])]
    if "payment_method" in cash:
        cash = cash[cash["payment_method"].astype(str) != CREDIT_NOTE_OFFSET]
    pairs = d.reset_index().merge(cash[["document_ref", "payment_date", "amount"]], on="document_ref")
    paid = pairs["payment_date"]
    pairs = pairs[(paid > pairs["dunning_date"]) & (paid <= pairs["window_end"])]
    per_action = pairs.groupby("index").agg(recovered=("amount", "sum"), first=("payment_date", "min"))
    d["recovered"] = per_action["recovered"].reindex(d.index).fillna(0.0).clip(upper=d["amount_due"])
    d["days_to_payment"] = (per_action["first"].reindex(d.index) - d["dunning_date"]).dt.days
    out = d.groupby("level").agg(actions=("document_ref", "size"), amount_dunned=("amount_due", "sum"),
                                 amount_recovered=("recovered", "sum"),
                                 paid_actions=("days_to_payment", "count"),
                                 median_days_to_payment=("days_to_payment", "median"))
    out["recovery_rate"] = out["amount_recovered"] / out["amount_dunned"]
    out[["amount_dunned", "amount_recovered"]] = out[["amount_dunned", "amount_recovered"]].round(2)
    return out[["actions", "amount_dunned", "amount_recovered", "recovery_rate", "paid_actions",
                "median_days_to_payment"]]


def expected_recovery(plan: ActionPlan, stats: pd.DataFrame) -> pd.DataFrame:
    """Today's actions still to do, with `expected_amount` (amount × the level's historical recovery rate)
    and `expected_date` (`as_of` + the level's median days to payment)."""
    todo = plan.actions[~plan.actions["done"]].copy()
    rate = todo["level"].map(stats["recovery_rate"]).fillna(0.0)
    todo["recovery_rate"] = rate
    todo["expected_amount"] = (todo["amount"] * rate).round(2)
    delay = todo["level"].map(stats["median_days_to_payment"])
    todo["expected_date"] = plan.as_of + pd.to_timedelta(delay.round(), unit="D")
    return todo.reset_index(drop=True)


def plot_recovery_by_level(stats: pd.DataFrame, title: str = "Taux de recouvrement par niveau de relance"):
    """Bars: share of the amount dunned at each level that was paid before the next level."""
    fig, ax = new_figure(title, xlabel="Niveau de relance", ylabel="Part des montants réglés")
    labels = [f"Niveau {level}" for level in stats.index]
    bars = ax.bar(labels, stats["recovery_rate"], color=PALETTE[0])
    ax.bar_label(bars, labels=[f"{v * 100:.0f} %".replace(".", ",") for v in stats["recovery_rate"]])
    percent_axis(ax)
    ax.set_ylim(0, 1)
    return fig


def plot_amounts_by_level(stats: pd.DataFrame, title: str = "Montants relancés et réglés par niveau"):
    """Grouped bars: amount dunned and amount recovered at each level (EUR)."""
    fig, ax = new_figure(title, xlabel="Niveau de relance", ylabel="Montant TTC")
    x = np.arange(len(stats))
    ax.bar(x - 0.2, stats["amount_dunned"], 0.4, label="Montant relancé", color=PALETTE[0])
    ax.bar(x + 0.2, stats["amount_recovered"], 0.4, label="Montant réglé avant le niveau suivant",
           color=PALETTE[2])
    ax.set_xticks(x, [f"Niveau {level}" for level in stats.index])
    euro_axis(ax, unit="M€")
    ax.legend()
    return fig
