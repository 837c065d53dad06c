"""Late-payment penalty calculator (notebook 03): amount, due date, payment date, contractual rate → legal check
of the rate, penalties half-year by half-year, 40 € indemnities. Every figure comes from
`casekit.credit.penalties`."""

from __future__ import annotations

import ipywidgets as widgets

from casekit import fmt
from casekit.credit.penalties import format_late_payment_claim, late_payment_claim, plot_late_payment_claim
from casekit.dates import to_timestamp
from casekit.errors import DataError
from casekit.widgets.figures import show

STYLE = {"description_width": "initial"}


def claim_html(claim) -> str:
    """The French result of a `LatePaymentClaim`: the rate check, the detail table and the totals."""
    if claim.contractual_rate is None:
        check = ("<p>Pas de taux contractuel : taux légal supplétif, taux BCE du 1<sup>er</sup> janvier ou du "
                 "1<sup>er</sup> juillet majoré de 10 points (art. L441-10 II du Code de commerce).</p>")
    else:
        check = "".join(f"<p style='color:{'#1e7b34' if c.compliant else '#c0392b'}'>{c.message}</p>"
                        for c in dict((c.message, c) for c in claim.rate_checks).values())
        if not claim.compliant:
            check += ("<p style='color:#c0392b'><b>Clause à corriger.</b> Le calcul ci-dessous est fait au taux "
                      "légal supplétif (BCE + 10 points), à titre indicatif.</p>")
    if claim.days_late == 0:
        return check + "<p><b>Paiement à l'échéance ou avant : aucune pénalité, aucune indemnité.</b></p>"
    head = (f"<p><b>{claim.days_late} jours de retard</b> : pénalités {fmt.euros(claim.penalty)}, indemnité "
            f"forfaitaire {fmt.euros(claim.indemnity)}, <b>total {fmt.euros(claim.total)}</b>.</p>")
    return check + head + format_late_payment_claim(claim).to_html(escape=True)


def penalty_calculator(amount: float = 10_000.0, due_date="2025-03-31", payment_date="2025-09-30",
                       rate_percent: float = 0.0, invoices: int = 1, chart: bool = True) -> widgets.VBox:
    """Controls → `late_payment_claim` → French result and chart. `rate_percent` 0 = statutory rate.

    The box exposes `.amount`, `.due`, `.paid`, `.rate`, `.invoices` (controls), `.result` (HTML) and `.claim`.
    """
    amount_w = widgets.BoundedFloatText(value=amount, min=0.0, max=1e9, step=100.0,
                                        description="Montant TTC de la facture (€)", style=STYLE)
    due_w = widgets.DatePicker(value=to_timestamp(due_date, "due_date").date(), description="Échéance",
                               style=STYLE)
    paid_w = widgets.DatePicker(value=to_timestamp(payment_date, "payment_date").date(),
                                description="Date de paiement", style=STYLE)
    rate_w = widgets.BoundedFloatText(value=rate_percent, min=0.0, max=50.0, step=0.5,
                                      description="Taux contractuel (% par an, 0 = taux légal)", style=STYLE)
    count_w = widgets.BoundedIntText(value=invoices, min=1, max=1000, description="Nombre de factures", style=STYLE)
    result = widgets.HTML()
    out = widgets.Output()
    box = widgets.VBox([widgets.HBox([amount_w, count_w]), widgets.HBox([due_w, paid_w]), rate_w, result, out])
    box.claim = None

    def update(_=None):
        if due_w.value is None or paid_w.value is None:
            result.value = "<p style='color:#c0392b'>Saisissez l'échéance et la date de paiement.</p>"
            return
        try:
            claim = late_payment_claim(amount_w.value, due_w.value, paid_w.value,
                                       rate=rate_w.value / 100 if rate_w.value else None, invoices=count_w.value)
        except DataError as error:
            result.value = f"<p style='color:#c0392b'><b>{error}</b></p>"
            return
        box.claim = claim
        result.value = claim_html(claim)
        if chart:
            show(out, plot_late_payment_claim(claim) if claim.days_late > 0 else None)

    for control in (amount_w, due_w, paid_w, rate_w, count_w):
        control.observe(update, names="value")
    box.amount, box.due, box.paid, box.rate, box.invoices, box.result = amount_w, due_w, paid_w, rate_w, count_w, result
    update()
    return box
