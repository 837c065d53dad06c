"""Dunning ("relance"): a scenario as data, today's action plan, and the recovery statistics by level.

A scenario is a table of levels: `level`, `days_from_due` (negative for a reminder before the due date),
`channel`, `action` and `owner` (French). An open invoice reaches the highest level whose `days_from_due` is
≤ its days overdue at `as_of` (`as_of` − due date).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from casekit.credit.aged_balance import aged_balance, ageing_labels, bucket_colors
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


def dunning_outcomes(dunning: pd.DataFrame, payments: pd.DataFrame, invoices: pd.DataFrame | None = None,
                     as_of=None) -> pd.DataFrame:
    """What each dunning action brought in: one row per action whose window is over at `as_of`.

    The window of an action runs from its date to the invoice's next action (its next row in `dunning`;
    otherwise the scheduled date of the next level = the action's date + the gap between the two levels'
    usual days overdue; `LAST_LEVEL_WINDOW_DAYS` after the last level). Cash paid on the invoice in the
    window is `recovered` (credit-note offsets excluded, capped at `amount_due`); `days_to_payment` runs
    from the action to the first payment in the window (NaN if none). Actions whose window ends after
    `as_of` (default: the last date in the data) are left out (still pending). `invoices` (optional)
    supplies due dates when `dunning` has no `days_overdue`. Columns: those of `dunning` present among
    `document_ref`, `customer_id`, `level`, `channel`, `dunning_date`, `amount_due`, then `due_date`,
    `window_end`, `recovered`, `days_to_payment`.
    """
    if dunning.empty:
        raise DataError("historique des relances vide")
    keep = [c for c in ("document_ref", "customer_id", "level", "channel", "dunning_date", "amount_due")
            if c in dunning]
    d = dunning[keep].copy()
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
    pairs = d[["document_ref", "dunning_date", "window_end"]].reset_index().merge(
        cash[["document_ref", "payment_date", "amount"]], on="document_ref")
    paid = pairs["payment_date"]
    pairs = pairs[(paid > pairs["dunning_date"]) & (paid <= pairs["window_end"])]
    per_action = pairs.groupby("index").agg(recovered=("amount", "sum"), first=("payment_date", "min"))
    d["recovered"] = per_action["recovered"].reindex(d.index).fillna(0.0).clip(upper=d["amount_due"])
    d["days_to_payment"] = (per_action["first"].reindex(d.index) - d["dunning_date"]).dt.days
    return d


def _group_keys(outcomes: pd.DataFrame, by) -> list:
    """Grouping keys: a column name, a mapping customer_id → group (Series, dict), or a list of those."""
    keys = []
    for key in (by if isinstance(by, list) else [by]):
        if isinstance(key, (pd.Series, dict)):
            mapping = pd.Series(key)
            name = mapping.name if isinstance(mapping.name, str) else "group"
            keys.append(outcomes["customer_id"].map(mapping).astype(object).fillna("non renseigné").rename(name))
        elif key in outcomes:
            keys.append(outcomes[key])
        else:
            raise DataError(f"regroupement « {key} » inconnu dans l'historique des relances")
    return keys


def summarize_recovery(outcomes: pd.DataFrame, by="level") -> pd.DataFrame:
    """Recovery statistics of `dunning_outcomes` by `by`: `"level"`, `"channel"`, a mapping customer_id →
    group (e.g. the customers' segment) or a list of those (e.g. `[segments, "level"]`).

    Columns: `actions`, `amount_dunned`, `amount_recovered`, `recovery_rate` (recovered / dunned),
    `paid_actions` (actions followed by a payment in their window), `median_days_to_payment`.
    """
    out = outcomes.groupby(_group_keys(outcomes, by)).agg(
        actions=("amount_due", "size"), amount_dunned=("amount_due", "sum"),
        amount_recovered=("recovered", "sum"), paid_actions=("days_to_payment", "count"),
        median_days_to_payment=("days_to_payment", "median"))
    out["recovery_rate"] = out["amount_recovered"] / out["amount_dunned"]
    out[["amount_dunned", "amount_recovered"]] = out[["amount_dunned", "amount_recovered"]].round(2)
    return out[["actions", "amount_dunned", "amount_recovered", "recovery_rate", "paid_actions",
                "median_days_to_payment"]]


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
    return summarize_recovery(dunning_outcomes(dunning, payments, invoices, as_of), "level")


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


# --- reading the statistics ---------------------------------------------------------------------------------------

def cumulative_recovery(stats: pd.DataFrame) -> pd.DataFrame:
    """Cumulative recovery through the levels: `cumulative_recovered` (Σ amounts recovered up to the level)
    and `cumulative_rate` = that sum / amount dunned at the first level (share of the amount entering the
    dunning that is cashed by the end of each level).

    Example: 1 000 dunned at level 1, 600 recovered; 400 at level 2, 250 recovered → 60 %, then 85 %.
    """
    if stats.empty:
        raise DataError("statistiques de recouvrement vides")
    ordered = stats.sort_index()
    out = ordered[["amount_dunned", "amount_recovered"]].copy()
    out["cumulative_recovered"] = ordered["amount_recovered"].cumsum().round(2)
    out["cumulative_rate"] = out["cumulative_recovered"] / float(ordered["amount_dunned"].iloc[0])
    return out


def level_labels(scenario: pd.DataFrame = DEFAULT_SCENARIO) -> dict:
    """Level → French label, e.g. `1` → « Niveau 1 – Courriel (J+5) », `0` → « Niveau 0 – Courriel (J-5) »."""
    scenario = check_scenario(scenario)
    return {int(r.level): f"Niveau {r.level} – {r.channel} (J{int(r.days_from_due):+d})"
            for r in scenario.itertuples(index=False)}


NO_LEVEL = "Aucun niveau atteint"
DISPUTED_GROUP = "En litige (relance suspendue)"
PROCEEDINGS_GROUP = "Procédure collective (relance arrêtée)"
CREDITS_GROUP = "Avoirs et encaissements non lettrés"


def dunning_groups(open_items: pd.DataFrame, as_of, scenario: pd.DataFrame = DEFAULT_SCENARIO,
                   proceedings=()) -> pd.Series:
    """The dunning situation of each open item at `as_of` (aligned on `open_items`' index): the label of the
    level it has reached (`level_labels`), « Aucun niveau atteint » (not due, or before the first level),
    « En litige (relance suspendue) », « Procédure collective (relance arrêtée) » (customers in
    `proceedings`), or « Avoirs et encaissements non lettrés » (negative items, nothing to dun)."""
    as_of = to_timestamp(as_of)
    scenario = check_scenario(scenario)
    labels = level_labels(scenario)
    days = (as_of - open_items["due_date"]).dt.days.to_numpy()
    position = np.searchsorted(scenario["days_from_due"].to_numpy(), days, side="right") - 1
    levels = scenario["level"].to_numpy()[np.clip(position, 0, None)]
    group = np.where(position >= 0, [labels[int(level)] for level in levels], NO_LEVEL).astype(object)
    group = np.where(open_items["disputed"].to_numpy(bool), DISPUTED_GROUP, group)
    group = np.where(open_items["customer_id"].isin(set(proceedings)).to_numpy(), PROCEEDINGS_GROUP, group)
    group = np.where(open_items["amount"].to_numpy(float) < 0, CREDITS_GROUP, group)
    return pd.Series(group, index=open_items.index, name="level", dtype=object)


def aged_balance_by_level(open_items: pd.DataFrame, as_of, scenario: pd.DataFrame = DEFAULT_SCENARIO,
                          proceedings=(), buckets=(30, 60, 90)) -> pd.DataFrame:
    """Aged balance (by due date) with one row per dunning situation (`dunning_groups`), in scenario order:
    no level yet, each level, disputes, collective proceedings, credits. Rows without items are left out."""
    as_of = to_timestamp(as_of)
    items = open_items[open_items["document_date"] <= as_of]
    items = items.assign(level=dunning_groups(items, as_of, scenario, proceedings))
    table = aged_balance(items, as_of, buckets, by="level")
    order = [NO_LEVEL, *level_labels(scenario).values(), DISPUTED_GROUP, PROCEEDINGS_GROUP, CREDITS_GROUP]
    return table.reindex([g for g in order if g in table.index])


# --- the next days: an action calendar --------------------------------------------------------------------------

CALENDAR_COLUMNS = ["action_date", "customer_id", "customer_name", "level", "channel", "action", "owner", "items",
                    "amount", "days_overdue", "catch_up"]


def easter_sunday(year: int) -> pd.Timestamp:
    """Easter Sunday of `year` (Gregorian calendar, anonymous algorithm of Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    n = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * n) // 451
    month, day = divmod(h + n - 7 * m + 114, 31)
    return pd.Timestamp(year, month, day + 1)


def french_public_holidays(years) -> list[pd.Timestamp]:
    """The eleven public holidays of metropolitan France (art. L3133-1 du Code du travail) in `years`:
    1 January, Easter Monday, 1 May, 8 May, Ascension Day, Whit Monday, 14 July, 15 August, 1 November,
    11 November, 25 December."""
    days = []
    for year in sorted({int(y) for y in years}):
        easter = easter_sunday(year)
        fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
        days += [pd.Timestamp(year, m, d) for m, d in fixed]
        days += [easter + pd.Timedelta(days=n) for n in (1, 39, 50)]
    return sorted(days)


def _business_days(dates: pd.Series) -> pd.Series:
    """Each date, or the next working day when it falls on a weekend or a French public holiday."""
    if dates.empty:
        return dates
    years = set(dates.dt.year) | {y + 1 for y in dates.dt.year}
    holidays = np.array(french_public_holidays(years), dtype="datetime64[D]")
    rolled = np.busday_offset(dates.to_numpy(dtype="datetime64[D]"), 0, roll="forward", holidays=holidays)
    return pd.Series(pd.to_datetime(rolled), index=dates.index)


def action_calendar(open_items: pd.DataFrame, as_of, scenario: pd.DataFrame = DEFAULT_SCENARIO,
                    horizon_days: int = 10, dunning_history: pd.DataFrame | None = None, proceedings=(),
                    business_days: bool = True) -> pd.DataFrame:
    """The dunning actions from `as_of` to `as_of` + `horizon_days`, one row per day, customer and level.

    On `as_of`: the actions of `action_plan` not yet done (`catch_up` True; without a dunning history,
    every overdue invoice at the level it has reached). Then each open invoice (positive, undisputed, its
    customer not in `proceedings`) enters a level on its due date + the level's `days_from_due`, moved to
    the next working day when it falls on a weekend or a public holiday (`business_days`,
    `french_public_holidays`); those dates within the horizon are kept.
    Columns: `action_date`, `customer_id`, `customer_name`, `level`, `channel`, `action`, `owner`, `items`,
    `amount`, `days_overdue` (the oldest invoice's days past due on the action date; negative before the due
    date), `catch_up`. Example: an invoice due 31/12 reaches level 1 (J+5) on Monday 05/01.
    """
    as_of = to_timestamp(as_of)
    if horizon_days < 0:
        raise DataError("horizon du calendrier de relance négatif")
    scenario = check_scenario(scenario)
    plan = action_plan(open_items, as_of, scenario, dunning_history, proceedings)
    today = plan.items[~plan.items["done"]].assign(action_date=as_of, catch_up=True)
    items = open_items[(open_items["document_date"] <= as_of) & (open_items["amount"] > 0)
                       & ~open_items["disputed"].astype(bool) & ~open_items["customer_id"].isin(set(proceedings))]
    end = as_of + pd.Timedelta(days=horizon_days)
    future = []
    for step in scenario.itertuples(index=False):
        trigger = items["due_date"] + pd.Timedelta(days=int(step.days_from_due))
        date = _business_days(trigger) if business_days else trigger
        keep = (trigger > as_of) & (date <= end)
        future.append(items[keep].assign(level=step.level, action_date=date[keep], catch_up=False))
    rows = pd.concat([today, *future], ignore_index=True)
    if rows.empty:
        return pd.DataFrame({"action_date": pd.Series(dtype="datetime64[ns]"),
                             **{c: pd.Series(dtype=object) for c in CALENDAR_COLUMNS[1:]}})
    rows["days_overdue"] = (rows["action_date"] - rows["due_date"]).dt.days
    out = rows.groupby(["action_date", "customer_id", "level"], as_index=False).agg(
        customer_name=("customer_name", "first"), items=("document_ref", "size"), amount=("amount", "sum"),
        days_overdue=("days_overdue", "max"), catch_up=("catch_up", "all"))
    out = out.merge(scenario[["level", "channel", "action", "owner"]], on="level", how="left")
    out["amount"] = out["amount"].round(2)
    out = out.sort_values(["action_date", "level", "amount", "customer_id"], ascending=[True, False, False, True],
                          kind="stable").reset_index(drop=True)
    return out[CALENDAR_COLUMNS]


def expected_from_actions(actions: pd.DataFrame, stats: pd.DataFrame, by: str = "level") -> pd.DataFrame:
    """Actions (of `action_calendar`, or with `amount`, `action_date` and the `by` column) with the
    historical `recovery_rate` of their `by` (`"level"` or `"channel"`, the index of `stats` from
    `summarize_recovery`), `expected_amount` = amount × rate and `expected_date` = action date + median days
    to payment. A reminder before the due date (`days_overdue` ≤ 0) is not a dunning action of the history:
    no recovery is expected from it; a level or channel absent from the history neither."""
    out = actions.copy()
    rate = out[by].map(stats["recovery_rate"]).astype(float).fillna(0.0)
    if "days_overdue" in out:
        rate = rate.where(out["days_overdue"] > 0, 0.0)
    out["recovery_rate"] = rate
    out["expected_amount"] = (out["amount"] * rate).round(2)
    delay = out[by].map(stats["median_days_to_payment"]).astype(float)
    out["expected_date"] = out["action_date"] + pd.to_timedelta(delay.round(), unit="D")
    return out


def actions_summary(actions: pd.DataFrame, by="action_date") -> pd.DataFrame:
    """Actions counted and summed by `by` (a column or a list of columns): `actions`, `customers`, `items`,
    `amount`, and `expected_amount` when present."""
    grouped = actions.groupby(by)
    out = pd.DataFrame({"actions": grouped.size(), "customers": grouped["customer_id"].nunique(),
                        "items": grouped["items"].sum(), "amount": grouped["amount"].sum().round(2)})
    if "expected_amount" in actions:
        out["expected_amount"] = grouped["expected_amount"].sum().round(2)
    return out


def escalations(actions: pd.DataFrame, customers: pd.DataFrame, min_level: int = 4) -> pd.DataFrame:
    """The customers at level `min_level` or beyond (formal notice, litigation), to tell the sales people:
    `actions` (of `action_plan`) with the customer's `sales_rep` (and `collector_id` when known), sorted
    by sales rep then amount (largest first)."""
    master = customers.set_index("customer_id")
    out = actions[actions["level"] >= min_level].copy()
    for column in ("sales_rep", "collector_id"):
        if column in master:
            out[column] = out["customer_id"].map(master[column]).astype(object).fillna("non renseigné")
    sort = (["sales_rep"] if "sales_rep" in out else []) + ["amount", "customer_id"]
    ascending = ([True] if "sales_rep" in out else []) + [False, True]
    return out.sort_values(sort, ascending=ascending, kind="stable").reset_index(drop=True)


def plot_action_calendar(calendar: pd.DataFrame, title: str = "Calendrier des relances",
                         value: str = "actions"):
    """Stacked bars per day and channel: number of actions (`value="actions"`) or amount (`"amount"`)."""
    label = "Nombre d'actions" if value == "actions" else "Montant relancé TTC"
    fig, ax = new_figure(title, xlabel="Date de l'action", ylabel=label)
    if calendar.empty:
        ax.text(0.5, 0.5, "Aucune action sur la période", ha="center", va="center", transform=ax.transAxes,
                fontsize=14)
        return fig
    measure = calendar.assign(actions=1)
    table = measure.pivot_table(index="action_date", columns="channel", values=value, aggfunc="sum",
                                fill_value=0, observed=True)
    days = [f"{d:%d/%m}" for d in table.index]
    bottom = np.zeros(len(table))
    for i, channel in enumerate(table.columns):
        ax.bar(days, table[channel].to_numpy(float), bottom=bottom, label=str(channel),
               color=PALETTE[i % len(PALETTE)])
        bottom += table[channel].to_numpy(float)
    if value == "amount":
        euro_axis(ax, unit="k€")
    ax.legend(title="Canal")
    return fig


def plot_recovery_by_group(table: pd.DataFrame, title: str = "Taux de recouvrement par niveau et par segment"):
    """Lines: recovery rate by level (x) for each group (rows of `summarize_recovery(outcomes, [group,
    "level"])`)."""
    rates = table["recovery_rate"].unstack(0)
    fig, ax = new_figure(title, xlabel="Niveau de relance", ylabel="Part des montants réglés")
    for i, group in enumerate(rates.columns):
        ax.plot(rates.index, rates[group].to_numpy(float), marker="o", linewidth=2.5, label=str(group),
                color=PALETTE[i % len(PALETTE)])
    ax.set_xticks(list(rates.index), [f"Niveau {level}" for level in rates.index])
    percent_axis(ax)
    ax.set_ylim(0, 1)
    ax.legend()
    return fig


# --- building a scenario from steps (the scenario editor) ----------------------------------------------------------

CHANNELS = tuple(DEFAULT_SCENARIO["channel"])
CHANNEL_ACTIONS = {row.channel: (row.action, row.owner) for row in DEFAULT_SCENARIO.itertuples(index=False)}
PREVENTIVE_ACTION = ("Relance préventive : vérifier que la facture est reçue, validée (bon à payer) et programmée "
                     "pour paiement à l'échéance")


def scenario_from_steps(steps) -> pd.DataFrame:
    """A checked scenario from `(days_from_due, channel)` steps, in increasing order of days.

    Steps after the due date are levels 1, 2…; steps on or before it are numbered backwards (0, −1…), so the
    levels after the due date keep the numbers of the history. Action and owner come from the channel
    (`CHANNEL_ACTIONS`; a step before the due date is a preventive reminder by the collector).
    Example: `[(-5, "Courriel"), (10, "Téléphone")]` → levels 0 (J−5, preventive) and 1 (J+10, phone call).
    """
    steps = [(int(days), str(channel)) for days, channel in steps]
    unknown = sorted({channel for _, channel in steps if channel not in CHANNEL_ACTIONS})
    if unknown:
        raise DataError(f"canal de relance inconnu : {', '.join(unknown)} (connus : {', '.join(CHANNEL_ACTIONS)})")
    before = sum(1 for days, _ in steps if days <= 0)
    rows = []
    for i, (days, channel) in enumerate(steps):
        level = i - before + 1
        action, owner = CHANNEL_ACTIONS[channel]
        if days <= 0:
            action, owner = PREVENTIVE_ACTION + f" ({channel.lower()})", "Gestionnaire de recouvrement"
        rows.append((level, days, channel, action, owner))
    scenario = pd.DataFrame(rows, columns=SCENARIO_COLUMNS)
    if not scenario["days_from_due"].is_monotonic_increasing or scenario["days_from_due"].duplicated().any():
        raise DataError("scénario de relance : les délais doivent croître strictement d'une étape à la suivante")
    return check_scenario(scenario)


def plot_overdue_by_level(by_level: pd.DataFrame, title: str = "Montant échu par niveau de relance atteint"):
    """Horizontal stacked bars, one per row of `aged_balance_by_level`: the overdue buckets only (not-due
    amounts left out), credits to the left of zero; the first row at the top."""
    table = by_level.drop(columns=["not_due", "total"], errors="ignore").iloc[::-1]
    fig, ax = new_figure(title, xlabel="Montant échu TTC")
    labels = ageing_labels(table.columns)
    colors = bucket_colors(table.columns)
    positive = np.zeros(len(table))
    negative = np.zeros(len(table))
    for i, column in enumerate(table.columns):
        values = table[column].to_numpy(float)
        left = np.where(values >= 0, positive, negative)
        ax.barh([str(i) for i in table.index], values, left=left, color=colors[i], label=labels[column])
        positive += np.clip(values, 0, None)
        negative += np.clip(values, None, 0)
    ax.axvline(0, color="black", linewidth=0.8)
    euro_axis(ax, axis="x", unit="k€")
    ax.legend(title="Retard", loc="upper left", bbox_to_anchor=(1.01, 1))
    return fig
