"""Blocks of `fiches/scenario-relance.md`: the scenario step by step with the board example (five invoices of one
customer, the cumulative recovery rate), and the fil rouge's action plan, recovery statistics by level and by score
class, and the recovery expected from the next ten days of dunning."""

from __future__ import annotations

import pandas as pd

from casekit import fmt
from casekit.credit.dunning import (
    DEFAULT_SCENARIO,
    action_calendar,
    action_plan,
    actions_summary,
    cumulative_recovery,
    dunning_outcomes,
    escalations,
    expected_from_actions,
    scenario_from_steps,
    summarize_recovery,
)
from casekit.credit.scoring import customer_features, score_customers
from casekit.fiches.blocks import block, source_line
from casekit.openitems import canonical_open_items

PREVENTIVE_DAYS = -5  # the preventive reminder added before the fil rouge's five levels
HORIZON_DAYS = 10  # the calendar whose expected recovery the fiche shows
EXAMPLE_AS_OF = pd.Timestamp("2025-12-31")
EXAMPLE_DAYS_OVERDUE = (3, 8, 20, 50, 90)
EXAMPLE_AMOUNTS = (1_000.0, 2_000.0, 1_500.0, 800.0, 600.0)
EXAMPLE_STATS = pd.DataFrame({"amount_dunned": [1_000.0, 400.0, 150.0], "amount_recovered": [600.0, 250.0, 100.0]},
                             index=pd.Index([1, 2, 3], name="level"))


def _grid(header: list[str], rows: list[list[str]], left: int = 1) -> str:
    """A Markdown table, the first `left` columns left-aligned, the others right-aligned."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * left + "---:|" * (len(header) - left)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def _step(days: int) -> str:
    return "à l'échéance" if days == 0 else f"J{days:+d}".replace("-", "−")


def full_scenario() -> pd.DataFrame:
    """The fil rouge's five levels preceded by a preventive reminder (level 0), built by `scenario_from_steps`."""
    steps = [(PREVENTIVE_DAYS, "Courriel")] + [(int(r.days_from_due), r.channel)
                                               for r in DEFAULT_SCENARIO.itertuples(index=False)]
    return scenario_from_steps(steps)


def example_items() -> pd.DataFrame:
    """Five invoices of one customer, 3, 8, 20, 50 and 90 days past due at 31/12/2025."""
    n = len(EXAMPLE_DAYS_OVERDUE)
    return canonical_open_items(pd.DataFrame({
        "customer_id": ["X"] * n, "customer_name": ["Client X"] * n,
        "document_ref": [f"F{i + 1}" for i in range(n)], "document_date": ["2025-09-01"] * n,
        "due_date": [EXAMPLE_AS_OF - pd.Timedelta(days=d) for d in EXAMPLE_DAYS_OVERDUE],
        "amount": list(EXAMPLE_AMOUNTS)}))


SHORT_CHANNELS = {"Lettre recommandée (mise en demeure)": "Lettre recommandée avec AR",
                  "Transmission au contentieux": "Dossier contentieux"}
SHORT_OWNERS = {"Gestionnaire de recouvrement": "Gestionnaire", "Credit manager et service juridique":
                "Credit manager, juridique"}
SHORT_LEVELS = {"Lettre recommandée (mise en demeure)": "Mise en demeure",
                "Transmission au contentieux": "Contentieux"}


@block("scenario_relance_methode")
def scenario_relance_methode(context) -> str:
    scenario = full_scenario()
    rows = [[f"{_step(int(r.days_from_due))} ({r.level})",
             f"**{SHORT_CHANNELS.get(r.channel, r.channel)}** — "
             + (r.action.rsplit(" (", 1)[0] if r.level <= 0 else r.action),
             SHORT_OWNERS.get(r.owner, r.owner)]
            for r in scenario.itertuples(index=False)]
    items = example_items().sort_values("document_ref", kind="stable")
    plan = action_plan(items, EXAMPLE_AS_OF)
    reached = plan.items.set_index("document_ref")["level"]
    days = [str((EXAMPLE_AS_OF - d).days) for d in items["due_date"]]
    levels = [f"niveau {int(reached[ref])}" if ref in reached.index else "aucun niveau"
              for ref in items["document_ref"]]
    example = (f"**Exemple au tableau.** Au {fmt.date(EXAMPLE_AS_OF)}, cinq factures d'un client échues depuis "
               f"{', '.join(days[:-1])} et {days[-1]} jours atteignent : {', '.join(levels)} ; soit "
               f"**{len(plan.actions)} actions** ce jour.")
    cumul = cumulative_recovery(EXAMPLE_STATS)
    steps = ", ".join(f"{fmt.euros(r.amount_recovered, 0)} sur {fmt.euros(r.amount_dunned, 0)}"
                      for r in cumul.itertuples())
    rates = ", ".join(f"**{fmt.percent(v, 0)}**" for v in cumul["cumulative_rate"])
    return "\n\n".join([
        _grid(["Étape", "Canal et action", "Qui agit"], rows, left=3), example,
        f"**Taux cumulé** — encaissé aux niveaux {cumul.index[0]} à {cumul.index[-1]} : {steps} → {rates} du "
        "montant entré en relance."])


def fil_rouge_results(context):
    """The fil rouge at `as_of`: today's plan, the history's statistics by level, the next days' calendar with
    its expected recovery, the escalations to the sales people and the level-1 rate by score class."""
    case, as_of = context.case, context.as_of
    proceedings = list(case.customers.loc[case.customers["insolvency_date"] <= as_of, "customer_id"])
    plan = action_plan(context.open_items, as_of, dunning_history=case.dunning, proceedings=proceedings)
    outcomes = dunning_outcomes(case.dunning, case.payments, as_of=as_of)
    stats = summarize_recovery(outcomes, "level")
    cumul = cumulative_recovery(stats)
    calendar = action_calendar(context.open_items, as_of, horizon_days=HORIZON_DAYS, dunning_history=case.dunning,
                               proceedings=proceedings)
    expected = expected_from_actions(calendar, stats, by="level")
    to_sales = escalations(plan.actions, case.customers, min_level=4)
    classes = score_customers(customer_features(case, as_of))["class"].rename("class")
    by_class = summarize_recovery(outcomes, [classes, "level"])["recovery_rate"].unstack("level")
    return plan, stats, cumul, expected, to_sales, by_class


@block("scenario_relance_fil_rouge")
def scenario_relance_fil_rouge(context) -> str:
    plan, stats, cumul, expected, to_sales, by_class = fil_rouge_results(context)
    as_of = context.as_of
    today = actions_summary(plan.actions, "level")
    coming = actions_summary(expected, "level")

    def amount(summary, level, column):
        return fmt.euros(summary.at[level, column] if level in summary.index else 0.0, 0)

    rows = []
    for r in DEFAULT_SCENARIO.itertuples(index=False):
        level = int(r.level)
        rows.append([f"{level}. {SHORT_LEVELS.get(r.channel, r.channel)}", amount(today, level, "amount"),
                     fmt.percent(stats.at[level, "recovery_rate"], 1),
                     fmt.percent(cumul.at[level, "cumulative_rate"], 1),
                     f"{stats.at[level, 'median_days_to_payment']:.0f} j",
                     amount(coming, level, "amount"), amount(coming, level, "expected_amount")])
    rows.append(["**Total**", f"**{fmt.euros(plan.actions['amount'].sum(), 0)}**", "", "", "",
                 f"**{fmt.euros(expected['amount'].sum(), 0)}**",
                 f"**{fmt.euros(expected['expected_amount'].sum(), 0)}**"])
    end = as_of + pd.Timedelta(days=HORIZON_DAYS)
    header = ["Niveau", "Atteint", "Taux", "Cumulé", "Délai", f"Au {end:%d/%m}", "Attendu"]
    first = by_class[1] if 1 in by_class.columns else pd.Series(dtype=float)
    reading = [
        f"Hors scénario : {fmt.euros(plan.disputed['amount'].sum(), 0)} en litige, "
        f"{fmt.euros(plan.proceedings['amount'].sum(), 0)} en procédure collective. Niveaux 4 et 5 à signaler "
        f"aux commerciaux : {to_sales['customer_id'].nunique()} clients, "
        f"{fmt.euros(to_sales['amount'].sum(), 0)}.",
        "Taux du courriel (niveau 1) par classe de score : "
        + ", ".join(f"{k} {fmt.percent(v, 0)}" for k, v in first.items())
        + " ; pour D et E, appeler dès J+5 (classes au " + fmt.date(as_of) + ", score intégrant les retards passés).",
    ]
    return "\n\n".join([_grid(header, rows), "\n".join(f"* {line}" for line in reading), source_line(context)])
