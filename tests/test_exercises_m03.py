"""Exercises of notebook 03: right answers pass, typical mistakes fail with a hint."""

import pandas as pd
import pytest

import casekit.exercises.m03  # noqa: F401  (registers the module's exercises whatever ran before)
from casekit import exercises
from casekit.exercises import check
from casekit.openitems import canonical_open_items


@pytest.fixture(autouse=True)
def fresh_attempts():
    exercises._ATTEMPTS.clear()


def test_03_1_single_claim():
    # 16/03 → 30/06: 107 days × 13,15 %: 12 000 × 0,1315 × 107 / 365 = 462,59 € + 40 € = 502,59 €
    assert check("03.1", 502.59).correct
    wrong = check("03.1", 462.59)  # the 40 € indemnity forgotten
    assert not wrong.correct and "jours" in wrong.hint
    assert not check("03.1", 12_000 * 0.1315 * 106 / 365 + 40).correct  # counted from the due date: 498,27 €


def items():
    rows = [("A", "F1", "2025-02-01", "2025-03-31", 10_000.0), ("B", "F2", "2025-03-01", "2025-05-30", 5_000.0),
            ("B", "R1", "2025-04-01", "2025-04-01", -1_000.0)]
    df = pd.DataFrame(rows, columns=["customer_id", "document_ref", "document_date", "due_date", "amount"])
    return canonical_open_items(df)


def test_03_2_claims_on_a_ledger():
    # F1: 10 000 × 13,15 % × 30 / 365 = 108,08 € + 40; F2 not yet due at 30/04; the credit bears nothing
    assert check("03.2", 148.08, items=items(), as_of="2025-04-30").correct
    wrong = check("03.2", 108.08, items=items(), as_of="2025-04-30")
    assert not wrong.correct and "penalties" in wrong.hint
    assert check("03.2", 0, items=items().iloc[:0], as_of="2025-04-30").correct  # nothing overdue: 0 €


def test_03_3_discount_cost():
    # 0,015 / 0,985 × 365 / 45 = 12,35 % a year
    assert check("03.3", 0.1235).correct
    wrong = check("03.3", 12.35)  # a percentage instead of a ratio
    assert not wrong.correct and "45 jours" in wrong.hint
    assert not check("03.3", 0.015 * 365 / 45).correct  # 12,17 %: the discount not divided by 1 − 1,5 %


def test_03_4_limits_to_review():
    customers = pd.DataFrame({"customer_id": ["A", "B", "C"], "customer_name": ["A", "B", "C"],
                              "credit_limit": [5_000.0, 2_000.0, 50_000.0],
                              "insolvency_date": pd.to_datetime([None, None, None])})
    rows = [("A", "F1", "2025-11-01", "2025-12-20", 8_000.0),  # over its limit, 11 days late: review
            ("B", "F2", "2025-09-01", "2025-10-15", 3_000.0),  # over its limit, 77 days late: block
            ("C", "F3", "2025-12-01", "2026-01-31", 9_000.0)]  # within its limit
    df = pd.DataFrame(rows, columns=["customer_id", "document_ref", "document_date", "due_date", "amount"])
    ledger = canonical_open_items(df)
    assert check("03.4", 1, items=ledger, customers=customers, as_of="2025-12-31").correct
    wrong = check("03.4", 2, items=ledger, customers=customers, as_of="2025-12-31")  # every breach counted
    assert not wrong.correct and "limit_breaches" in wrong.hint
