"""Blocks of `fiches/gestion-litiges.md`: the board example (resolution times, share of the overdue, undisputed part,
escalation) and the fil rouge's open disputes, their weight, their cost in days, and the circuit by department."""

from __future__ import annotations

import pandas as pd

from casekit import fmt
from casekit.credit.disputes import (
    RESOLUTION_TARGETS,
    closed_disputes,
    collectable_on_disputed,
    communication_plan,
    detection_timing,
    dispute_payment_delay,
    dispute_report,
    dispute_summary,
    escalation,
    open_dispute_ageing,
    overdue_explained_by_disputes,
    resolution_times,
)
from casekit.fiches.blocks import block, source_line, table
from casekit.openitems import canonical_open_items

EXAMPLE_AS_OF = pd.Timestamp("2025-12-31")
SHORT_DEPARTMENTS = {"Administration des ventes": "ADV", "Comptabilité clients": "Comptabilité"}


def _grid(header: list[str], rows: list[list[str]], left: int = 1) -> str:
    """A Markdown table, the first `left` columns left-aligned, the others right-aligned."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * left + "---:|" * (len(header) - left)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def example_disputes() -> pd.DataFrame:
    """Four disputes of one customer: three closed in 10, 20 and 45 days, one still open (on invoice F4)."""
    return pd.DataFrame({
        "dispute_id": ["E1", "E2", "E3", "E4"], "customer_id": "X", "document_ref": ["F1", "F2", "F3", "F4"],
        "reason": ["Prix non conforme au tarif", "Quantité livrée différente", "Qualité / produit défectueux",
                   "Prix non conforme au tarif"],
        "owner_department": ["Commercial", "Logistique", "Qualité", "Commercial"],
        "amount": [800.0, 1_200.0, 4_000.0, 500.0],
        "opened_date": pd.to_datetime(["2025-09-01", "2025-09-15", "2025-10-01", "2025-12-10"]),
        "closed_date": pd.to_datetime(["2025-09-11", "2025-10-05", "2025-11-15", None])})


def example_items() -> pd.DataFrame:
    """50 000 € overdue at 31/12/2025: F4 (12 000 €, a 500 € line contested) and F5 (38 000 €)."""
    return canonical_open_items(pd.DataFrame({
        "customer_id": "X", "document_ref": ["F4", "F5"], "document_date": ["2025-10-15", "2025-10-01"],
        "due_date": ["2025-11-30", "2025-11-15"], "amount": [12_000.0, 38_000.0], "disputed": [True, False]}))


def example_escalation() -> pd.Series:
    """A logistics dispute opened on 16/11/2025, 45 days old at 31/12/2025."""
    one = pd.DataFrame({"dispute_id": ["E9"], "customer_id": ["X"], "document_ref": ["F9"],
                        "reason": ["Quantité livrée différente"], "owner_department": ["Logistique"],
                        "amount": [3_000.0], "opened_date": [pd.Timestamp("2025-11-16")],
                        "closed_date": [pd.NaT]})
    return escalation(one, EXAMPLE_AS_OF).iloc[0]


@block("gestion_litiges_exemple")
def gestion_litiges_exemple(context) -> str:
    times = resolution_times(example_disputes(), by=None).loc["Ensemble"]
    part = overdue_explained_by_disputes(example_items(), EXAMPLE_AS_OF)
    rest = collectable_on_disputed(example_items(), example_disputes(), EXAMPLE_AS_OF).iloc[0]
    esc = example_escalation()
    rows = [
        ("Délai de résolution de litiges clos en 10, 20 et 45 jours : moyenne / médiane",
         f"{fmt.days(times['mean_days'], 0)} / {fmt.days(times['median_days'], 0)}"),
        (f"Part de l'échu en litige : {fmt.euros(part.disputed_overdue, 0)} / {fmt.euros(part.overdue_amount, 0)}",
         fmt.percent(part.share)),
        (f"Facture de {fmt.euros(rest['open_amount'], 0)} dont {fmt.euros(rest['contested'], 0)} contestés : "
         "partie non contestée, à relancer", fmt.euros(rest["collectable"], 0)),
        (f"Litige logistique ouvert depuis {esc['age_days']} j, délai cible {esc['target_days']} j "
         f"(> 2 × {esc['target_days']}) : escalade", f"niveau {esc['level']}"),
    ]
    return table(rows, (f"Exemple au tableau, au {fmt.date(EXAMPLE_AS_OF)}", "Résultat"))


def fil_rouge_results(context):
    """The fil rouge at `as_of`: open disputes, their weight in the overdue, the undisputed part of the disputed
    invoices, the last twelve months' resolution times, detection and delay, the weekly report by department."""
    case, as_of = context.case, context.as_of
    disputes = case.disputes[case.disputes["opened_date"] <= as_of]
    year_ago = as_of - pd.Timedelta(days=365)
    return {
        "summary": dispute_summary(disputes, as_of),
        "ageing": open_dispute_ageing(disputes, as_of),
        "share": overdue_explained_by_disputes(context.open_items, as_of),
        "collectable": collectable_on_disputed(context.open_items, disputes, as_of),
        "closed": closed_disputes(disputes, year_ago, as_of),
        "timing": detection_timing(disputes, case.invoices, start=year_ago, end=as_of),
        "pareto": detection_timing(disputes, case.invoices, by="reason", start=year_ago, end=as_of),
        "delay": dispute_payment_delay(case.invoices, case.payments, disputes, start=year_ago, end=as_of),
        "report": dispute_report(disputes, as_of, RESOLUTION_TARGETS),
        "plan": communication_plan(disputes, RESOLUTION_TARGETS),
    }


@block("gestion_litiges_fil_rouge")
def gestion_litiges_fil_rouge(context) -> str:
    r = fil_rouge_results(context)
    summary, ageing, share, collectable = r["summary"], r["ageing"], r["share"], r["collectable"]
    closed, delay, report = r["closed"], r["delay"], r["report"]
    total = report.loc["Total"]
    old = ageing.iloc[1:]
    after = r["timing"].loc["Ensemble"]
    table_delay, outcome = delay.table, delay.by_outcome["mean_days_after_closing"]
    rows = [
        ("Litiges ouverts : nombre ; montant contesté (dont plus de 30 jours)",
         f"{summary.open_count} ; {fmt.euros(summary.open_amount, 0)} ({int(old['count'].sum())} ; "
         f"{fmt.euros(old['amount'].sum(), 0)})"),
        (f"Part de l'échu net en litige ({fmt.euros(share.disputed_overdue, 0)} / "
         f"{fmt.euros(share.overdue_amount, 0)})", fmt.percent(share.share)),
        (f"Partie non contestée des {len(collectable)} factures en litige, à relancer",
         fmt.euros(collectable["collectable"].sum(), 0)),
        ("Litiges au-delà du délai cible de leur service (à escalader)",
         f"{int(total['beyond_target'])} ; {fmt.euros(total['beyond_amount'], 0)}"),
        ("12 mois : litiges clos ; délai moyen / médian",
         f"{len(closed)} ; {fmt.number(closed['resolution_days'].mean(), 1)} / "
         f"{fmt.number(closed['resolution_days'].median(), 0)} j"),
        ("12 mois : clos dans le délai cible ; signalés après l'échéance",
         f"{fmt.percent(total['on_time_rate'], 0)} ; {fmt.percent(after['after_due_share'], 0)}"),
        ("12 mois : retard de règlement avec / sans litige",
         f"{fmt.number(table_delay.at['Avec litige', 'mean_days_late'], 1)} / "
         f"{fmt.number(table_delay.at['Sans litige', 'mean_days_late'], 1)} j (+{fmt.number(delay.extra_days, 1)} j)"),
        ("Règlement après la clôture : avoir / geste commercial / rejet",
         " / ".join(fmt.number(outcome.get(k, float("nan")), 0)
                    for k in ("Avoir émis", "Geste commercial", "Litige rejeté")) + " j"),
    ]
    plan = r["plan"]
    circuit = []
    for dep in plan.index:
        line = report.loc[dep]
        circuit.append([SHORT_DEPARTMENTS.get(dep, dep), plan.at[dep, "reasons"].replace(" ; ", ", "),
                        f"{int(plan.at[dep, 'target_days'])} j", f"{int(line['open'])}",
                        fmt.number(line["median_days"], 0) + " j", fmt.percent(line["on_time_rate"], 0)])
    pareto = r["pareto"].sort_values(["disputes", "after_due_share"], ascending=False, kind="stable")
    n = int(pareto["disputes"].sum())
    top = ", ".join(f"{reason.lower()} {int(k)}" for reason, k in pareto["disputes"].items())
    return "\n\n".join([
        _grid(["Service", "Motifs reçus", "Cible", "Ouverts", "Médiane", "Respect"], circuit, left=2),
        table(rows, (f"Au {fmt.date(context.as_of)}", "Valeur")),
        f"Pareto des motifs sur 12 mois ({n} litiges ouverts) : {top}.",
        source_line(context)])
