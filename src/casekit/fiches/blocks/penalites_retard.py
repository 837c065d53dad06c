"""Blocks of `fiches/penalites-retard.md`: the rates of the half-years around the fiche's date, one invoice paid
late over two half-years (the board example), and what the fil rouge's late invoices could bear."""

from __future__ import annotations

import pandas as pd

from casekit import fmt
from casekit.credit.dso import window_start
from casekit.credit.penalties import (
    FIXED_INDEMNITY,
    check_contractual_rate,
    ecb_rate_on,
    half_year_start,
    late_payment_claim,
    legal_interest_rate,
    legal_penalty_rate,
    minimum_contractual_rate,
    penalties,
    penalties_by_customer,
    penalties_on_paid_invoices,
    penalties_summary,
)
from casekit.fiches.blocks import block, source_line, table

EXAMPLE_AMOUNT, EXAMPLE_DUE, EXAMPLE_PAID = 10_000.0, "2025-03-31", "2025-08-31"
FIXED_CLAUSE_RATE = 0.12  # a fixed contractual rate written in CGV, checked against each half-year's floor
STATUS_LABELS = {"undisputed": "Échues, non contestées", "disputed": "Échues, en litige",
                 "total": "**Échues au {date}**"}


def _grid(header: list[str], rows: list[list[str]], left: int = 1) -> str:
    """A Markdown table, the first `left` columns left-aligned, the others right-aligned."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * left + "---:|" * (len(header) - left)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def _half_label(start: pd.Timestamp, short: bool = False) -> str:
    return f"{'1er' if start.month <= 6 else '2e'} {'sem.' if short else 'semestre'} {start.year}"


def half_years(as_of) -> list[pd.Timestamp]:
    """The first days of the five half-years from three before `as_of`'s to the next one."""
    current = half_year_start(as_of)
    return [current + pd.DateOffset(months=6 * k) for k in range(-3, 2)]


@block("penalites_retard_taux")
def penalites_retard_taux(context) -> str:
    starts = half_years(context.as_of)
    nbsp = fmt.NBSP  # row labels kept on one line
    lines = [(f"Taux{nbsp}BCE", lambda s: fmt.percent(ecb_rate_on(s), 2)),
             (f"**Taux{nbsp}légal**", lambda s: f"**{fmt.percent(legal_penalty_rate(s), 2)}**"),
             (f"Intérêt{nbsp}légal", lambda s: fmt.percent(legal_interest_rate(s), 2)),
             (f"Plancher{nbsp}(3{nbsp}×)", lambda s: fmt.percent(minimum_contractual_rate(s), 2))]
    rows = [[label] + [value(s) for s in starts] for label, value in lines]
    checks = [(s, check_contractual_rate(FIXED_CLAUSE_RATE, s)) for s in starts]
    bad = [_half_label(s, short=True) for s, c in checks if not c.compliant]
    rate = fmt.percent(FIXED_CLAUSE_RATE, 0)
    reading = (f"Taux fixe de {rate} dans les CGV : "
               + (f"**non conforme** au {' et au '.join(bad)}" if bad else "conforme à chaque semestre")
               + ".")
    header = ["Semestre"] + [_half_label(s, short=True) for s in starts]
    return "\n\n".join([_grid(header, rows), reading])


@block("penalites_retard_exemple")
def penalites_retard_exemple(context) -> str:
    claim = late_payment_claim(EXAMPLE_AMOUNT, EXAMPLE_DUE, EXAMPLE_PAID)
    rows = [(f"Du {fmt.date(s)} au {fmt.date(e)} : {fmt.euros(claim.amount, 0)} × {fmt.percent(r, 2)} × {d} j / 365",
             fmt.euros(p))
            for s, e, d, r, p in claim.segments[["start", "end", "days", "rate", "penalty"]].itertuples(index=False)]
    rows.append(("Pénalités de retard", fmt.euros(claim.penalty)))
    rows.append((f"Indemnité forfaitaire (1 facture × {fmt.euros(FIXED_INDEMNITY, 0)})", fmt.euros(claim.indemnity)))
    rows.append((f"**Total réclamable** ({claim.days_late} jours de retard)", f"**{fmt.euros(claim.total)}**"))
    title = (f"{fmt.euros(claim.amount, 0)} TTC échus le {fmt.date(claim.due_date)}, payés le "
             f"{fmt.date(claim.payment_date)}, CGV sans taux")
    return table(rows, (title, "Montant"))


def fil_rouge_results(context):
    """Open invoices past due at `as_of` (statutory rate, interest stopped at the opening judgment) and the
    invoices paid late in the 12 months to `as_of`."""
    case, as_of = context.case, context.as_of
    judgments = case.customers.set_index("customer_id")["insolvency_date"]
    detail = penalties(context.open_items, as_of, insolvency_dates=judgments)
    by_customer = penalties_by_customer(context.open_items, as_of, insolvency_dates=judgments)
    start = window_start(as_of, 12) + pd.Timedelta(days=1)
    paid = penalties_on_paid_invoices(case.invoices, case.payments, start, as_of)
    return penalties_summary(detail), by_customer, paid, start


@block("penalites_retard_fil_rouge")
def penalites_retard_fil_rouge(context) -> str:
    summary, by_customer, paid, start = fil_rouge_results(context)
    as_of = context.as_of
    rows = []
    for status, label in STATUS_LABELS.items():
        r = summary.loc[status]
        bold = "**" if status == "total" else ""
        rows.append([label.format(date=fmt.date(as_of)), fmt.number(r["invoices"]), fmt.euros(r["amount"], 0),
                     fmt.euros(r["penalty"], 0), fmt.euros(r["indemnity"], 0),
                     f"{bold}{fmt.euros(r['total'], 0)}{bold}"])
    unclaimed = paid["penalty"].sum() + paid["indemnity"].sum()
    rows.append(["Payées en retard en 12 mois",
                 fmt.number(len(paid)), fmt.euros(paid["amount"].sum(), 0), fmt.euros(paid["penalty"].sum(), 0),
                 fmt.euros(paid["indemnity"].sum(), 0), f"**{fmt.euros(unclaimed, 0)}**"])
    header = ["Factures", "Nombre", "TTC", "Pénalités", "Indemnités", "Total"]
    top = by_customer.head(3)
    judgments = pd.to_datetime(context.case.customers.set_index("customer_id")["insolvency_date"])
    insolvent = set(judgments[judgments <= as_of].index)
    overdraft = float(context.case.company["overdraft_rate"].iloc[0])  # the fil rouge's overdraft rate
    rate = legal_penalty_rate(as_of)
    reading = [
        "Plus gros montants réclamables : " + ", ".join(
            f"{r.customer_name} ({fmt.euros(r.total)}"
            + (", en procédure collective" if r.Index in insolvent else "") + ")"
            for r in top.itertuples()) + ".",
        f"Non réclamé sur 12 mois : {fmt.euros(unclaimed, 0)} (retard médian "
        f"{fmt.days(paid['days_late'].median(), 0)}). Taux légal {fmt.percent(rate, 2)}, découvert "
        f"{fmt.percent(overdraft, 2)} : le retard non pénalisé finance le client.",
    ]
    return "\n\n".join([_grid(header, rows), "\n".join(f"* {line}" for line in reading), source_line(context)])
