"""The penalty calculator (notebook 03) driven headlessly: change a control, read the result."""

import datetime as dt

import matplotlib

matplotlib.use("Agg")

from casekit.widgets.penalties import penalty_calculator  # noqa: E402

NBSP = "\u00a0"


def test_calculator_statutory_rate_then_contractual_rates():
    box = penalty_calculator(12_000, "2025-03-15", "2025-06-30", chart=False)
    # 107 days at 13,15 %: 12 000 × 0,1315 × 107 / 365 = 462,59 € + 40 € = 502,59 €
    assert "107 jours de retard" in box.result.value and f"502,59{NBSP}€" in box.result.value
    assert "taux légal supplétif" in box.result.value
    box.rate.value = 15.0
    # 12 000 × 15 % × 107 / 365 = 527,67 € + 40 € = 567,67 €; 15 % ≥ floor 11,13 %
    assert box.claim.contractual_rate == 0.15 and f"567,67{NBSP}€" in box.result.value
    assert "conforme au plancher" in box.result.value and "non conforme" not in box.result.value
    box.rate.value = 5.0
    # 5 % < 11,13 %: flagged; computed at the statutory rate (502,59 € again)
    assert "non conforme" in box.result.value and "Clause à corriger" in box.result.value
    assert f"502,59{NBSP}€" in box.result.value


def test_calculator_invoices_dates_and_chart():
    box = penalty_calculator(10_000, "2025-05-31", "2025-07-31")
    box.invoices.value = 3
    # 3 × 10 000: 324,25 € (30 days at 13,15 %) + 309,58 € (31 days at 12,15 %) + 3 × 40 € = 753,83 €
    assert f"753,83{NBSP}€" in box.result.value and f"120,00{NBSP}€" in box.result.value
    box.paid.value = dt.date(2025, 5, 20)
    assert "aucune pénalité" in box.result.value and box.claim.total == 0
    box.amount.value = 0
    assert "montant" in box.result.value  # the calculator's French error, shown instead of a crash
    box.due.value = None
    assert "Saisissez l'échéance" in box.result.value
