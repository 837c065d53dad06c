"""Blocks of `fiches/clauses-cgv.md`: the payment clause and the escompte on a board example (due dates under three
payment terms, the cost of an early-payment discount), then the fil rouge's terms, escompte break-even and
customers in collective proceedings."""

from __future__ import annotations

import pandas as pd

from casekit import fmt
from casekit.credit.dso_value import latest_financial_year
from casekit.credit.penalties import check_payment_terms
from casekit.credit.risk import credit_limit_status
from casekit.credit.scoring import early_payment_discount
from casekit.dates import due_dates
from casekit.fiches.blocks import block, source_line, table

EXAMPLE_INVOICE_DATE = "2025-01-15"
EXAMPLE_TERMS = [(30, False, "30 jours date de facture"), (60, False, "60 jours date de facture (plafond)"),
                 (45, True, "45 jours fin de mois (date + 45 j, puis fin du mois)")]
EXAMPLE_AMOUNT, EXAMPLE_DISCOUNT, EXAMPLE_DAYS, EXAMPLE_FINANCING = 100_000.0, 0.01, 30, 0.05


def _grid(header: list[str], rows: list[list[str]], left: int = 1) -> str:
    """A Markdown table, the first `left` columns left-aligned, the others right-aligned."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * left + "---:|" * (len(header) - left)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def example_due_dates() -> pd.Series:
    """Due dates of an invoice issued on `EXAMPLE_INVOICE_DATE` under each example term (casekit's convention:
    « 45 jours fin de mois » = invoice date + 45 days, then the end of that month)."""
    issued = pd.Series(pd.to_datetime([EXAMPLE_INVOICE_DATE] * len(EXAMPLE_TERMS)))
    days = [d for d, _, _ in EXAMPLE_TERMS]
    eom = pd.Series([e for _, e, _ in EXAMPLE_TERMS])
    return due_dates(issued, days, eom)


def example_discount():
    return early_payment_discount(EXAMPLE_AMOUNT, EXAMPLE_DISCOUNT, EXAMPLE_DAYS, EXAMPLE_FINANCING)


@block("clauses_cgv_exemple")
def clauses_cgv_exemple(context) -> str:
    issued = pd.Timestamp(EXAMPLE_INVOICE_DATE)
    dues = example_due_dates()
    terms = [[label, fmt.date(due), f"{(due - issued).days} j"] for (_, _, label), due in zip(EXAMPLE_TERMS, dues)]
    offer = example_discount()
    discount = [
        (f"Escompte de {fmt.percent(offer.discount, 0)} sur {fmt.euros(offer.amount, 0)} payés "
         f"{offer.days_earlier:.0f} jours plus tôt", fmt.euros(offer.discount_cost)),
        (f"− financement économisé : {fmt.euros(offer.amount * (1 - offer.discount), 0)} × "
         f"{fmt.percent(offer.financing_rate, 0)} × {offer.days_earlier:.0f} / 365", fmt.euros(offer.financing_saved)),
        (f"= **perte nette** ; coût annuel {fmt.percent(offer.discount, 0)} / (1 − {fmt.percent(offer.discount, 0)})"
         f" × 365 / {offer.days_earlier:.0f} = {fmt.percent(offer.annual_rate, 2)}",
         f"**{fmt.euros(-offer.net_gain)}**"),
    ]
    return "\n\n".join([
        _grid([f"Facture du {fmt.date(issued)} : échéance selon le délai", "Échéance", "Délai réel"], terms),
        table(discount, ("Escompte pour paiement anticipé", "Montant"))])


def fil_rouge_results(context):
    """French customers' terms against the caps, the escompte break-even at the fil rouge's financing rate, and
    the customers in collective proceedings at `as_of` with their exposure."""
    case, as_of = context.case, context.as_of
    terms = check_payment_terms(case.customers)
    year = latest_financial_year(case.financials, as_of)
    rate = float(case.financials.set_index("year").loc[year, "borrowing_rate"])
    breakeven = early_payment_discount(1.0, 0.0, EXAMPLE_DAYS, rate).breakeven_discount
    annual = early_payment_discount(1.0, EXAMPLE_DISCOUNT, EXAMPLE_DAYS, rate).annual_rate
    status = credit_limit_status(context.open_items, case.customers, as_of)
    insolvent = status[status["insolvent"]]
    procedures = case.customers.set_index("customer_id").loc[insolvent.index,
                                                             ["insolvency_date", "insolvency_procedure"]]
    procedures = procedures.join(insolvent[["customer_name", "exposure"]]).sort_values("insolvency_date",
                                                                                       kind="stable")
    return terms, year, rate, breakeven, annual, procedures


@block("clauses_cgv_fil_rouge")
def clauses_cgv_fil_rouge(context) -> str:
    terms, year, rate, breakeven, annual, procedures = fil_rouge_results(context)
    french = terms[terms["applicable"]]
    labels = french["payment_terms_days"].astype(str) + french["terms_end_of_month"].map(
        {True: " j fin de mois", False: " j date de facture"})
    counts = labels.value_counts()
    export = terms[~terms["applicable"]]
    compliant = int(french["compliant"].sum())
    verdict = "**tous conformes**" if compliant == len(french) else f"**{fmt.number(compliant)} conformes**"
    delays = (f"{fmt.number(len(french))} clients français : "
              + ", ".join(f"{fmt.number(n)} à {label}" for label, n in counts.items())
              + f", {verdict} (art. L441-10 I) ; {fmt.number(len(export))} clients étrangers, jusqu'à "
              f"{int(export['payment_terms_days'].max())} jours.")
    escompte = (f"Escompte : à {fmt.percent(rate, 1)} de financement ({year}), {fmt.percent(EXAMPLE_DISCOUNT, 0)} à "
                f"{EXAMPLE_DAYS} j coûte {fmt.percent(annual, 2)} l'an ; maximum **{fmt.percent(breakeven, 2)}**.")
    last = procedures.iloc[-1]
    insolvency = (f"{fmt.number(len(procedures))} clients en procédure collective, "
                  f"**{fmt.euros(procedures['exposure'].sum(), 0)}** d'encours TTC ; jugement le plus récent : "
                  f"{last['customer_name']} ({last['insolvency_procedure'].lower()}, "
                  f"{fmt.date(last['insolvency_date'])}, {fmt.euros(last['exposure'], 0)}).")
    return "\n\n".join([
        "\n".join(f"* {line}" for line in (delays, escompte, insolvency)),
        source_line(context)])
