"""Blocks of `fiches/moyens-paiement.md`: the board example (days late of a payment method, cash released by a
switch of method) and the fil rouge's mix of payment methods, their days late, and what a switch would release."""

from __future__ import annotations

import pandas as pd

from casekit import fmt
from casekit.credit.dso import window_start
from casekit.credit.dso_value import dso_change_impact
from casekit.credit.risk import (
    credit_limit_status,
    days_late_by_payment_method,
    exposure_by,
    payment_method_switch,
)
from casekit.credit.scoring import (
    TERMS_BY_CLASS,
    customer_features,
    score_customers,
    terms_review,
    terms_review_by_class,
)
from casekit.fiches.blocks import block, source_line, table

# The board example: two invoices due on 31/01/2025 paid by transfer, 1 000 € ten days late and 3 000 € on time;
# then a yearly flow of 3 650 000 € paid by transfer 20 days late, against direct debits paid 5 days late.
EXAMPLE_DUE = pd.Timestamp("2025-01-31")
EXAMPLE_PAID = ((1_000.0, 10), (3_000.0, 0))
EXAMPLE_FLOW, EXAMPLE_LATE_FROM, EXAMPLE_LATE_TO, EXAMPLE_RATE = 3_650_000.0, 20.0, 5.0, 0.05
FROM_METHOD, TO_METHOD, OTHER_METHOD = "Virement", "Prélèvement SEPA", "LCR"


def _grid(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table, first column left-aligned, the others right-aligned."""
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def example_results():
    """The board example: `days_late_by_payment_method` on two invoices, then `payment_method_switch` and the
    financing it saves (`dso_change_impact`)."""
    refs = [f"FA-{i + 1}" for i in range(len(EXAMPLE_PAID))]
    invoices = pd.DataFrame({"document_ref": refs, "amount_incl_vat": [a for a, _ in EXAMPLE_PAID],
                             "due_date": [EXAMPLE_DUE] * len(refs)})
    payments = pd.DataFrame({"document_ref": refs, "amount": [a for a, _ in EXAMPLE_PAID],
                             "payment_method": [FROM_METHOD] * len(refs),
                             "payment_date": [EXAMPLE_DUE + pd.Timedelta(days=d) for _, d in EXAMPLE_PAID]})
    measured = days_late_by_payment_method(invoices, payments, "2025-01-01", "2025-12-31").loc[FROM_METHOD]
    by_method = pd.DataFrame({"amount": [EXAMPLE_FLOW, EXAMPLE_FLOW / 10],
                              "days_late": [EXAMPLE_LATE_FROM, EXAMPLE_LATE_TO]}, index=[FROM_METHOD, TO_METHOD])
    switch = payment_method_switch(by_method, FROM_METHOD, TO_METHOD)
    impact = dso_change_impact(switch.yearly_amount, switch.days_gained, 0, EXAMPLE_RATE)
    return measured, switch, impact


@block("moyens_paiement_exemple")
def moyens_paiement_exemple(context) -> str:
    measured, switch, impact = example_results()
    (a1, d1), (a2, d2) = EXAMPLE_PAID
    rows = [
        (f"Retard : ({fmt.euros(a1, 0)} × {d1} j + {fmt.euros(a2, 0)} × {d2} j) / {fmt.euros(a1 + a2, 0)} "
         f"(payé à l'échéance : {fmt.percent(measured['on_time'], 0)})", fmt.days(measured["days_late"])),
        (f"**Encours libéré**, virement ({EXAMPLE_LATE_FROM:.0f} j) → prélèvement ({EXAMPLE_LATE_TO:.0f} j) : "
         f"{fmt.euros(switch.yearly_amount, 0)} / 365 × {EXAMPLE_LATE_FROM - EXAMPLE_LATE_TO:.0f} j",
         f"**{fmt.euros(switch.cash_released, 0)}**"),
        (f"Frais financiers économisés par an, à {fmt.percent(EXAMPLE_RATE, 0)}", fmt.euros(impact.financing_saved, 0)),
    ]
    return table(rows, ("Exemple au tableau", "Valeur"))


def fil_rouge_results(case, as_of):
    """What the fil rouge block shows: payments of the 12 months by method, exposure by agreed method, the
    switches to direct debit and to LCR with the financing saved, and the review of methods by score class."""
    by_method = days_late_by_payment_method(case.invoices, case.payments, window_start(as_of, 12), as_of)
    status = credit_limit_status(case.open_items(as_of), case.customers, as_of)
    exposure = exposure_by(status, "payment_method")
    rate = float(case.company["cost_of_capital"].iloc[0])
    switches = {}
    for target in (TO_METHOD, OTHER_METHOD):
        switch = payment_method_switch(by_method, FROM_METHOD, target)
        switches[target] = (switch, dso_change_impact(switch.yearly_amount, switch.days_gained, 0, rate))
    features = customer_features(case, as_of)
    review = terms_review_by_class(terms_review(score_customers(features), case.customers, case.invoices, as_of))
    return by_method, exposure, rate, switches, review


@block("moyens_paiement_fil_rouge")
def moyens_paiement_fil_rouge(context) -> str:
    by_method, exposure, rate, switches, review = fil_rouge_results(context.case, context.as_of)
    total = by_method["amount"].sum()
    rows = []
    for method, r in by_method.iterrows():
        owing = exposure.loc[method] if method in exposure.index else None
        rows.append([method, fmt.euros(r["amount"], 0), fmt.percent(r["amount"] / total), fmt.days(r["days_late"]),
                     fmt.percent(r["on_time"]),
                     "–" if owing is None else fmt.number(owing["customers"]),
                     "–" if owing is None else fmt.percent(owing["overdue_share"])])
    header = ["Mode", "Encaissé", "Part", "Retard", "À temps", "Clients", "Part échue"]
    switch, impact = switches[TO_METHOD]
    lcr, _ = switches[OTHER_METHOD]
    not_ok = review["method_not_ok"]
    by_class = ", ".join(f"{c} : {not_ok[c]}" for c in TERMS_BY_CLASS if not_ok[c])
    reading = [
        f"* **Virement → prélèvement** ({fmt.days(switch.days_gained)} de retard en moins) : encours libéré "
        f"**{fmt.euros(switch.cash_released, 0)}**, {fmt.euros(impact.financing_saved, 0)} de frais financiers par an "
        f"à {fmt.percent(rate)} ; vers la LCR : {fmt.euros(lcr.cash_released, 0)}.",
        f"* Mode non admis pour la classe de score : **{not_ok['Total']}** clients sur "
        f"{review.at['Total', 'customers']} ({by_class}).",
    ]
    return "\n\n".join([_grid(header, rows), "\n".join(reading), source_line(context)])
