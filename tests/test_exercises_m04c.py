"""Exercises of notebook 04c (disputes) on hand-made disputes: right answers pass, typical wrong ones get a hint."""

from types import SimpleNamespace

import pandas as pd
import pytest

from casekit.exercises import _ATTEMPTS, check, get

AS_OF = "2025-12-31"
T = pd.Timestamp


def disputes():
    rows = [  # id, reason, department, amount, opened, closed
        ("L1", "Prix", "Commercial", 1000.0, "2025-12-20", None),  # open, 11 days
        ("L2", "Prix", "Commercial", 500.0, "2025-10-01", "2026-01-15"),  # open at as_of, 91 days
        ("L3", "Qualité", "Qualité", 2000.0, "2025-11-15", None),  # open, 46 days
        ("L4", "Qualité", "Qualité", 300.0, "2025-07-01", "2025-08-10"),  # closed in 40 days
        ("L5", "Prix", "Commercial", 700.0, "2025-09-01", "2025-09-21"),  # closed in 20 days
        ("L6", "Prix", "Commercial", 100.0, "2025-04-01", "2025-05-01"),  # closed in 30 days
    ]
    df = pd.DataFrame(rows, columns=["dispute_id", "reason", "owner_department", "amount", "opened_date",
                                     "closed_date"])
    return df.assign(opened_date=pd.to_datetime(df["opened_date"]), closed_date=pd.to_datetime(df["closed_date"]),
                     customer_id="A", document_ref=df["dispute_id"].str.replace("L", "F"))


@pytest.fixture(autouse=True)
def _fresh():
    for k in ("04c.1", "04c.2", "04c.3", "04c.4"):
        _ATTEMPTS.pop(k, None)


def test_04c_1_open_amount_of_a_department():
    # Commercial disputes open at 31/12/2025: L1 (1 000) and L2 (500, closed only in January) → 1 500 €
    assert check("04c.1", 1500, disputes=disputes(), as_of=AS_OF, department="Commercial").correct
    wrong = check("04c.1", 3500, disputes=disputes(), as_of=AS_OF, department="Commercial")  # every department
    assert not wrong.correct and wrong.hint == get("04c.1").hints[0]
    again = check("04c.1", 1000, disputes=disputes(), as_of=AS_OF, department="Commercial")  # L2 forgotten
    assert again.hint == get("04c.1").hints[1]
    assert check("04c.1", 0, disputes=disputes(), as_of=AS_OF, department="Logistique").correct  # none open
    # by default at 30/09/2025 and for Logistique: none of these disputes → 0; at 15/10/2025, Commercial: L2 only
    assert check("04c.1", 0, disputes=disputes()).correct
    assert check("04c.1", 500, disputes=disputes(), as_of="2025-10-15", department="Commercial").correct


def test_04c_2_disputes_beyond_a_target():
    # Commercial: L1 11 days > 10 and L2 91 days > 10 → 2
    assert check("04c.2", 2, disputes=disputes(), as_of=AS_OF, department="Commercial").correct
    assert not check("04c.2", 1, disputes=disputes(), as_of=AS_OF, department="Commercial").correct
    # Qualité with a 46-day target: L3 is exactly 46 days old, not beyond
    assert check("04c.2", 0, disputes=disputes(), as_of=AS_OF, target_days=46, department="Qualité").correct


def test_04c_3_target_met_by_80_percent():
    # Commercial, closed in the last 365 days: L5 (20 days) and L6 (30 days); ⌈0,8 × 2⌉ = 2nd shortest → 30
    assert check("04c.3", 30, disputes=disputes(), as_of=AS_OF, department="Commercial").correct
    wrong = check("04c.3", 20, disputes=disputes(), as_of=AS_OF, department="Commercial")  # only 50 % met it
    assert not wrong.correct and "Classez" in wrong.hint
    # at 50 %: ⌈0,5 × 2⌉ = 1st → 20 days; Qualité: L4 alone (40 days)
    assert check("04c.3", 20, disputes=disputes(), as_of=AS_OF, rate=0.5, department="Commercial").correct
    assert check("04c.3", 40, disputes=disputes(), as_of=AS_OF).correct


def test_04c_4_extra_days_of_a_disputed_invoice():
    """I1, I2 undisputed, settled 10 and 20 days late (mean 15); I3 disputed, settled 40 days late → 25 days."""
    invoices = pd.DataFrame({
        "document_ref": ["I1", "I2", "I3"], "customer_id": ["A"] * 3,
        "document_date": [T("2025-01-01"), T("2025-01-29"), T("2025-03-01")],
        "due_date": [T("2025-01-31"), T("2025-02-28"), T("2025-03-31")],
        "amount_incl_vat": [1000.0, 1000.0, 1200.0]})
    payments = pd.DataFrame({"customer_id": ["A"] * 3, "document_ref": ["I1", "I2", "I3"],
                             "payment_date": [T("2025-02-10"), T("2025-03-20"), T("2025-05-10")],
                             "amount": [1000.0, 1000.0, 1200.0]})
    dispute = pd.DataFrame({"dispute_id": ["L3"], "document_ref": ["I3"], "customer_id": ["A"],
                            "reason": ["Qualité"], "owner_department": ["Qualité"], "amount": [200.0],
                            "opened_date": [T("2025-03-20")], "closed_date": [T("2025-04-15")],
                            "outcome": ["Avoir émis"]})
    case = SimpleNamespace(invoices=invoices, payments=payments, disputes=dispute)
    assert check("04c.4", 25, case=case, start="2024-12-31", end=AS_OF).correct
    wrong = check("04c.4", 40, case=case, start="2024-12-31", end=AS_OF)  # the disputed delay, not the difference
    assert not wrong.correct and wrong.hint == get("04c.4").hints[0]
    # settled after 01/03/2025: I2 (20/03) and I3 → 40 − 20 = 20
    assert check("04c.4", 20, case=case, start="2025-03-01", end=AS_OF).correct


def test_no_answer_yet():
    result = check("04c.1", ..., disputes=disputes())
    assert "pas encore de réponse" in result.message()
