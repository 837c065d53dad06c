"""Blocks of `fiches/entretien-telephonique.md`: a call prepared on the board (amount to collect, penalties,
objective, two promises checked, promises kept rate), then the fil rouge: the preparation sheet of the day's call
and the team's call results over twelve months."""

from __future__ import annotations

import pandas as pd

from casekit import fmt
from casekit.credit.calls import (
    BROKEN,
    KEPT,
    PENDING,
    WEEKDAYS,
    argument_figures,
    call_history,
    call_preparation,
    call_scorecard,
    check_commitment,
    objective_category,
    overdue_by_customer,
    promise_delay_summary,
    promise_kept_rate,
    promise_kept_trend,
    promise_payment_delays,
)
from casekit.credit.penalties import legal_penalty_rate
from casekit.fiches.blocks import block, source_line, table
from casekit.openitems import canonical_open_items

# The board example (same client as the unit tests of casekit.credit.calls): at 31/12/2025, F1 3 000 € overdue
# since 15/11/2025, F2 1 500 € overdue and disputed for 1 000 €, a receipt of 800 € not applied; the last promise
# (800 € for 15/11/2025) was not kept.
EXAMPLE_AS_OF = pd.Timestamp("2025-12-31")
EXAMPLE_PROMISES = ((2_700.0, "2026-01-07"), (1_500.0, "2026-01-17"))
EXAMPLE_STATUSES = (KEPT, KEPT, KEPT, BROKEN, PENDING, PENDING)


def _grid(header: list[str], rows: list[list[str]], left: int = 1) -> str:
    """A Markdown table, the first `left` columns left-aligned, the others right-aligned."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * left + "---:|" * (len(header) - left)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def example_tables() -> dict:
    """The board example's tables: open items, one dispute and the client's two past promises."""
    items = canonical_open_items(pd.DataFrame({
        "customer_id": ["A", "A", "A"], "customer_name": ["Client A"] * 3,
        "document_ref": ["F1", "F2", "RG1"], "document_date": ["2025-10-01", "2025-10-15", "2025-12-10"],
        "due_date": ["2025-11-15", "2025-11-30", "2025-12-10"], "amount": [3_000.0, 1_500.0, -800.0],
        "disputed": [False, True, False]}))
    disputes = pd.DataFrame({"dispute_id": ["L1"], "document_ref": ["F2"], "customer_id": ["A"],
                             "reason": ["Prix non conforme au tarif"], "owner_department": ["Commercial"],
                             "amount": [1_000.0], "opened_date": [pd.Timestamp("2025-12-05")],
                             "closed_date": [pd.NaT]})
    calls = pd.DataFrame({
        "call_id": ["A1", "A2"], "call_date": pd.to_datetime(["2025-10-01", "2025-11-01"]), "customer_id": ["A", "A"],
        "collector_id": ["G1", "G1"], "contact": ["Comptabilité fournisseurs"] * 2,
        "objective": ["Obtenir une date de paiement"] * 2, "outcome": ["Promesse de paiement"] * 2,
        "promise_amount": [1_000.0, 800.0], "promise_date": pd.to_datetime(["2025-10-10", "2025-11-15"]),
        "promise_kept": [KEPT, BROKEN], "duration_min": [5, 7]})
    return {"open_items": items, "disputes": disputes, "calls": calls}


def example_results():
    """What the board example block shows: the figures of the call, its sheet, two promises checked and the kept
    rate of six promises (3 kept, 1 broken, 2 to come)."""
    tables = example_tables()
    figures = argument_figures(tables, "A", EXAMPLE_AS_OF)
    sheet = call_preparation(tables, "A", EXAMPLE_AS_OF)
    checks = [check_commitment(figures, amount, date) for amount, date in EXAMPLE_PROMISES]
    promises = pd.DataFrame({"promise_kept": list(EXAMPLE_STATUSES)})
    rate = promise_kept_rate(promises, by=None).loc["Ensemble"]
    return figures, sheet, checks, rate


def _check_label(check) -> str:
    verdict = "ferme" if check.firm else "à renforcer"
    return f"{verdict} ({fmt.percent(check.coverage, 0)}, {check.days} j)"


@block("entretien_telephonique_exemple")
def entretien_telephonique_exemple(context) -> str:
    figures, sheet, checks, rate = example_results()
    tables = example_tables()
    items = tables["open_items"].set_index("document_ref")
    f1, f2 = items.loc["F1"], items.loc["F2"]
    contested = float(tables["disputes"]["amount"].sum())
    penalty_rate = legal_penalty_rate(f1["due_date"])
    rows = [
        (f"F1 non contestée, échue le {fmt.date(f1['due_date'])} ({figures.oldest_days} jours)",
         fmt.euros(figures.undisputed_overdue)),
        (f"F2 en litige : {fmt.euros(f2['amount'], 0)} − {fmt.euros(contested, 0)} contestés",
         fmt.euros(figures.collectable_disputed)),
        ("Règlement reçu non lettré", fmt.euros(figures.unapplied)),
        (f"**Montant à obtenir** = {fmt.number(figures.undisputed_overdue)} + "
         f"{fmt.number(figures.collectable_disputed)} − {fmt.number(-figures.unapplied)}",
         f"**{fmt.euros(figures.to_collect)}**"),
        (f"Pénalités F1 : {fmt.number(f1['amount'])} × {fmt.percent(penalty_rate, 2)} × "
         f"{figures.oldest_days} / 365 ; indemnité forfaitaire",
         f"{fmt.euros(figures.penalty)} ; {fmt.euros(figures.indemnity, 0)}"),
    ]
    for (amount, _), check in zip(EXAMPLE_PROMISES, checks):
        rows.append((f"Promesse de {fmt.euros(amount, 0)} le {WEEKDAYS[check.date.weekday()]} "
                     f"{fmt.date(check.date)}" + ("" if check.firm else
                                                  f" : solde de {fmt.euros(check.uncovered, 0)} sans date"),
                     _check_label(check)))
    kept, broken, pending = int(rate["kept"]), int(rate["promises"] - rate["kept"]), int(rate["pending"])
    rows.append((f"Taux de promesses tenues, sur {kept + broken + pending} promesses : {kept} tenues, {broken} non "
                 f"tenue, {pending} à venir → {kept} / ({kept} + {broken})",
                 f"**{fmt.percent(rate['kept_rate'], 0)}**"))
    then = ", ".join(objective_category(p).lower() for p in sheet.other_points)
    objective = (f"Objectif (première règle qui s'applique) : *{objective_category(sheet.objective).lower()}* "
                 f"({fmt.euros(figures.last_broken_amount, 0)} au {fmt.date(figures.last_broken_date)}) ; puis {then}.")
    return "\n\n".join([table(rows, ("Exemple : client A au " + fmt.date(EXAMPLE_AS_OF), "Montant")), objective])


def fil_rouge_results(context) -> dict:
    """The day's call (largest overdue customer outside collective proceedings) and the team's results."""
    case, as_of = context.case, context.as_of
    tables = dict(case.tables(), open_items=context.open_items)
    ranking = overdue_by_customer(tables["open_items"], as_of, case.customers)
    client = ranking.index[~ranking["insolvent"]][0]
    year_ago = as_of - pd.Timedelta(days=365)
    delays = promise_payment_delays(case.calls, case.payments, as_of)
    return dict(
        client=client, sheet=call_preparation(tables, client, as_of), figures=argument_figures(tables, client, as_of),
        history=call_history(case.calls, client, as_of, window_days=365),
        card=call_scorecard(case.calls, as_of, start=year_ago),
        by_outcome=promise_kept_rate(case.calls, by="outcome", as_of=as_of),
        by_objective=promise_kept_rate(case.calls, by="objective", as_of=as_of),
        trend=promise_kept_trend(case.calls, "Q", as_of=as_of),
        timing=promise_delay_summary(delays),
        collectors=case.collectors.set_index("collector_id")["name"].to_dict())


def amount_kept_per_call(card: pd.DataFrame) -> pd.Series:
    """Amount of the promises kept per call made (`call_scorecard`'s `kept_amount` / `calls`)."""
    return card["kept_amount"] / card["calls"]


def _short_name(name: str) -> str:
    """« Sophie Marchand » → « S. Marchand » (a narrow column header)."""
    first, _, last = str(name).partition(" ")
    return f"{first[:1]}. {last}" if last else first


@block("entretien_telephonique_fil_rouge")
def entretien_telephonique_fil_rouge(context) -> str:
    r = fil_rouge_results(context)
    s, f, h = r["sheet"], r["figures"], r["history"]
    c = s.customer
    sheet_rows = [
        [f"Échu non contesté ({len(f.overdue_invoices)} fact.)", fmt.euros(f.undisputed_overdue, 0),
         "Retard maximal ; niveau de relance", f"{f.oldest_days} j ; {f.level} sur 5"],
        ["Règlements non lettrés", fmt.euros(f.unapplied, 0), "Retard moyen (12 mois)",
         fmt.days(f.average_delay)],
        ["**Montant à obtenir**", f"**{fmt.euros(f.to_collect, 0)}**", "Client joint (12 mois)",
         f"{h.reached} fois sur {h.calls}"],
        ["Pénalités + indemnités", fmt.euros(f.penalty + f.indemnity, 0), "Promesses tenues (12 mois)",
         f"{h.kept} sur {h.kept + h.broken} ({fmt.percent(h.kept_rate, 0)})"],
    ]
    intro = (f"L'appel du jour, plus gros échu hors procédure collective : **{c['customer_name']} "
             f"({r['client']})**, {c['segment'].lower()}, {c['terms_label']}, {c['payment_method'].lower()}, "
             f"limite de crédit {fmt.euros(f.credit_limit, 0)} utilisée à {fmt.percent(f.limit_use, 0)}.")
    sheet_table = "\n".join(["| Compte | | Historique | |", "|---|---:|---|---:|"]
                            + ["| " + " | ".join(row) + " |" for row in sheet_rows])
    objective = f"**Objectif** : {s.objective[:1].lower() + s.objective[1:]}."
    if f.unapplied < -0.005 and objective_category(s.objective) == "Promesse non tenue":
        objective += f" Lettrer d'abord les {fmt.euros(-f.unapplied, 0)} reçus : la promesse est peut-être payée."
    objective += (f" **Engagement à demander** : {fmt.euros(f.to_collect)} par "
                  f"{f.payment_method.lower() or 'virement'} le {WEEKDAYS[f.proposed_date.weekday()]} "
                  f"{fmt.date(f.proposed_date)}.")

    card, names = r["card"], r["collectors"]
    keys = [k for k in card.index if k != "Ensemble"] + ["Ensemble"]
    per_call = amount_kept_per_call(card)

    def line(label, f_):
        return [label] + [f_(k) for k in keys]

    team_header = [f"12 mois au {fmt.date(context.as_of)}"] + [
        "Équipe" if k == "Ensemble" else _short_name(names.get(k, k)) for k in keys]
    rows = [
        line("Appels", lambda k: fmt.number(card.at[k, "calls"])),
        line("**Promesses tenues** (nombre)", lambda k: f"**{fmt.percent(card.at[k, 'kept_rate'], 0)}**"),
        line("Promesses tenues (montant)", lambda k: fmt.percent(card.at[k, "kept_amount_rate"], 0)),
        line("Montant tenu par appel", lambda k: fmt.euros(per_call[k], 0)),
    ]
    outcome, objective_rates, trend, timing = r["by_outcome"], r["by_objective"], r["trend"], r["timing"]
    last = trend.index[-1]
    reading = [
        f"* Depuis {trend.index[0].year}, promesses tenues : "
        f"{fmt.percent(outcome.at['Promesse de paiement', 'kept_rate'], 0)} en général, "
        f"{fmt.percent(outcome.at['Difficultés de trésorerie', 'kept_rate'], 0)} face à des « difficultés de "
        f"trésorerie », {fmt.percent(objective_rates.at['Relancer une promesse non tenue', 'kept_rate'], 0)} "
        f"après une promesse non tenue ; T{last.quarter} {last.year} : {fmt.percent(trend['kept_rate'].iloc[-1], 0)} "
        f"(contre {fmt.percent(trend['kept_rate'].iloc[-5], 0)} un an plus tôt).",
        f"* Promesse non tenue : payée à {fmt.percent(timing.at[BROKEN, 'paid_share'], 0)}, mais "
        f"{fmt.number(timing.at[BROKEN, 'median_days'])} jours après la date en médiane : rappeler à J+2.",
    ]
    return "\n\n".join([intro, sheet_table, objective, _grid(team_header, rows), "\n".join(reading),
                        source_line(context)])
