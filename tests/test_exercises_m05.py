"""Exercises of notebook 05 (collection calls) on hand-made tables: right answers pass, typical wrong ones get a
hint."""

from types import SimpleNamespace

import pandas as pd
import pytest

from casekit.exercises import _ATTEMPTS, check, get
from casekit.openitems import canonical_open_items

AS_OF = "2025-12-31"
T = pd.Timestamp


def calls():
    rows = [  # id, date, customer, collector, outcome, promise amount, promise date, kept
        ("A1", "2025-10-01", "A", "G1", "Promesse de paiement", 1000.0, "2025-10-10", "Oui"),
        ("A2", "2025-11-01", "A", "G1", "Promesse de paiement", 800.0, "2025-11-15", "Non"),
        ("A3", "2025-11-20", "A", "G1", "Injoignable / message laissé", 0.0, None, ""),
        ("B1", "2025-10-05", "B", "G2", "Promesse de paiement", 500.0, "2025-10-20", "Oui"),
        ("B2", "2025-11-05", "B", "G2", "Promesse de paiement", 400.0, "2025-11-20", "Oui"),
        ("B3", "2025-12-20", "B", "G2", "Promesse de paiement", 300.0, "2026-01-10", "À venir"),
        ("C1", "2025-12-01", "C", "G2", "Difficultés de trésorerie", 250.0, "2025-12-20", "Non"),
        ("C0", "2024-06-01", "C", "G2", "Promesse de paiement", 100.0, "2024-06-10", "Non"),  # > 365 days ago
    ]
    df = pd.DataFrame(rows, columns=["call_id", "call_date", "customer_id", "collector_id", "outcome",
                                     "promise_amount", "promise_date", "promise_kept"])
    return df.assign(call_date=pd.to_datetime(df["call_date"]), promise_date=pd.to_datetime(df["promise_date"]),
                     contact="Comptabilité fournisseurs", duration_min=5)


def tables():
    """Customer A: F1 3 000 € undisputed, 46 days overdue; F6 1 500 € overdue of which 1 000 € contested (L1);
    R1 an unapplied receipt of 800 € → 3 000 + 500 − 800 = 2 700 € to collect."""
    items = canonical_open_items(pd.DataFrame(
        [("A", "F1", "2025-10-01", "2025-11-15", 3000.0, False), ("A", "F6", "2025-10-15", "2025-11-30", 1500.0, True),
         ("A", "R1", "2025-12-10", "2025-12-10", -800.0, False)],
        columns=["customer_id", "document_ref", "document_date", "due_date", "amount", "disputed"]))
    dispute = pd.DataFrame({"dispute_id": ["L1"], "document_ref": ["F6"], "customer_id": ["A"],
                            "reason": ["Prix"], "owner_department": ["Commercial"], "amount": [1000.0],
                            "opened_date": [T("2025-12-05")], "closed_date": [pd.NaT]})
    return {"open_items": items, "disputes": dispute, "calls": calls()}


@pytest.fixture(autouse=True)
def _fresh():
    for k in ("05.1", "05.2", "05.3", "05.4"):
        _ATTEMPTS.pop(k, None)


def test_05_1_kept_rate_of_a_collector():
    # G2 over 2025: B1, B2 kept, C1 broken (B3 to come, C0 of 2024 outside) → 2 / 3
    assert check("05.1", 2 / 3, calls=calls(), as_of=AS_OF, start="2024-12-31", collector_id="G2").correct
    wrong = check("05.1", 66.7, calls=calls(), as_of=AS_OF, start="2024-12-31", collector_id="G2")  # a percentage
    assert not wrong.correct and wrong.hint == get("05.1").hints[0]
    # C0 counted too (calls since 2024): 2 kept of 4 → 0.5, not 2 / 3
    assert check("05.1", 0.5, calls=calls(), as_of=AS_OF, start="2023-12-31", collector_id="G2").correct
    assert check("05.1", 0.5, calls=calls(), as_of=AS_OF, start="2024-12-31", collector_id="G1").correct
    # by default the calls of 2024 at 31/12/2024: for G2 only C0 (broken) → 0
    assert check("05.1", 0.0, calls=calls(), collector_id="G2").correct


def test_05_2_amount_to_collect():
    assert check("05.2", 2700, case=tables(), customer_id="A", as_of=AS_OF).correct
    wrong = check("05.2", 4500, case=tables(), customer_id="A", as_of=AS_OF)  # every overdue invoice
    assert not wrong.correct and "non lettrés" in wrong.hint


def test_05_3_balance_left_for_a_schedule():
    # 2 700 − 2 000 = 700; 3 000 promised covers it all → 0
    assert check("05.3", 700, case=tables(), customer_id="A", as_of=AS_OF, amount=2000, date="2026-01-07").correct
    assert check("05.3", 0, case=tables(), customer_id="A", as_of=AS_OF, amount=3000, date="2026-01-07").correct
    assert not check("05.3", 2000, case=tables(), customer_id="A", as_of=AS_OF, amount=2000,
                     date="2026-01-07").correct


def test_05_4_median_days_after_a_broken_promise():
    promises = pd.DataFrame({
        "call_id": ["P1", "P2", "P4", "P5"], "customer_id": ["A", "A", "B", "B"],
        "collector_id": ["G3", "G3", "G3", "G1"],
        "call_date": pd.to_datetime(["2025-03-01", "2025-03-20", "2025-04-20", "2025-05-10"]),
        "promise_date": pd.to_datetime(["2025-03-10", "2025-03-25", "2025-05-01", "2025-05-20"]),
        "promise_amount": [1000.0, 2000.0, 700.0, 100.0], "promise_kept": ["Oui", "Non", "Non", "Non"]})
    payments = pd.DataFrame({
        "customer_id": ["A", "A", "A", "B", "B"],
        "payment_date": pd.to_datetime(["2025-03-08", "2025-04-04", "2025-04-10", "2025-05-04", "2025-06-20"]),
        "amount": [1000.0, 1500.0, 600.0, 700.0, 100.0]})
    case = SimpleNamespace(calls=promises, payments=payments)
    # G3's broken promises: P2, since 20/03 1 500 (04/04) then 2 100 (10/04) ≥ 2 000 → 16 days after 25/03;
    # P4, 700 on 04/05, 3 days after 01/05 → median of 16 and 3 = 9,5 (P1 was kept, P5 is G1's: 31 days)
    assert check("05.4", 9.5, case=case, as_of="2025-06-30").correct
    wrong = check("05.4", 16, case=case, as_of="2025-06-30")
    assert not wrong.correct and wrong.hint == get("05.4").hints[0]
    assert check("05.4", 31, case=case, as_of="2025-06-30", collector_id="G1").correct
