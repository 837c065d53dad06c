"""Exercises of notebook 04a (internal scoring, negotiation, indicators) on a hand-made company: right answers
pass, typical wrong ones get a hint."""

from dataclasses import replace

import pandas as pd
import pytest

import casekit
from casekit.exercises import _ATTEMPTS, check

T = pd.Timestamp


@pytest.fixture(scope="module")
def small():
    """Two customers at 31/12/2025.

    A: customer since 2015, limit 10 000 €, rating 18/20, margin 35 %; invoiced 3 × 12 000 € TTC in 2025 at
    30 days, each paid on its due date. B: customer since 01/06/2024, limit 1 000 €, rating 3/20, margin 22 %;
    one invoice of 12 000 € TTC dated 02/08/2025, due 01/10/2025 (60 days), unpaid (91 days overdue).
    Scores (default weights; no previous year, so no trend: Σ weights 90):
    A: days late 0 → 100, disputes 0 % → 100, seniority ≥ 10 years → 100, limit use 0 → 100, rating 18 →
    17 / 19 = 89.5, margin 35 % → 75: (3 000 + 1 000 + 1 000 + 1 000 + 25 × 89.5 + 5 × 75) / 90 = 95.7 → A.
    B: days late 91 → 0, disputes 0 → 100, seniority 1.58 years → 15.8, limit use 1 200 % → 0, rating 3 →
    10.5, margin 22 % → 10: (0 + 1 000 + 158 + 0 + 262.5 + 50) / 90 = 16.3 → E.
    """
    case = casekit.load_case()
    customers = pd.DataFrame({
        "customer_id": ["A", "B"], "customer_name": ["Alpha", "Bêta"],
        "customer_since": [T("2015-01-01"), T("2024-06-01")], "credit_limit": [10_000.0, 1_000.0],
        "external_score": [18, 3], "gross_margin_rate": [0.35, 0.22], "insolvency_date": [pd.NaT, pd.NaT],
        "payment_method": ["Virement", "Virement"]})
    docs = [T("2025-03-01"), T("2025-06-01"), T("2025-09-01")]
    invoices = pd.DataFrame({
        "document_ref": ["FA1", "FA2", "FA3", "FB1"], "customer_id": ["A", "A", "A", "B"],
        "document_date": docs + [T("2025-08-02")],
        "due_date": [d + pd.Timedelta(days=30) for d in docs] + [T("2025-10-01")],
        "amount_incl_vat": [12_000.0] * 4, "amount_excl_vat": [10_000.0] * 4,
        "gross_margin": [3_500.0, 3_500.0, 3_500.0, 2_200.0]})
    payments = pd.DataFrame({
        "payment_ref": ["P1", "P2", "P3"], "customer_id": ["A", "A", "A"],
        "payment_date": [d + pd.Timedelta(days=30) for d in docs], "payment_method": ["Virement"] * 3,
        "document_ref": ["FA1", "FA2", "FA3"], "amount": [12_000.0] * 3})
    disputes = pd.DataFrame({"dispute_id": pd.Series(dtype=str), "document_ref": pd.Series(dtype=str),
                             "customer_id": pd.Series(dtype=str),
                             "opened_date": pd.Series(dtype="datetime64[ns]"),
                             "closed_date": pd.Series(dtype="datetime64[ns]")})
    return replace(case, customers=customers, invoices=invoices, payments=payments, disputes=disputes)


def _fresh(exercise_id):
    _ATTEMPTS.pop(exercise_id, None)


def test_04a_1_score_of_a_customer():
    _fresh("04a.1")
    # points 70, 30, 75, 80, 42.9, 57.9, 60 →
    # (30 × 70 + 10 × 30 + 10 × 75 + 10 × 80 + 10 × 42.9 + 25 × 57.9 + 5 × 60) / 100 = 61.27 → 61.3
    assert check("04a.1", 61.3).correct
    wrong = check("04a.1", (70 + 30 + 75 + 80 + 42.9 + 57.9 + 60) / 7)  # simple average: 59.4
    assert not wrong.correct and "linéairement" in wrong.hint
    # with days late alone: 18 days → 70 points
    assert check("04a.1", 70, weights={"days_late": 1}).correct


def test_04a_2_breakeven_discount():
    _fresh("04a.2")
    k = 0.047 * 50 / 365  # 0.6438 %
    assert check("04a.2", k / (1 + k)).correct  # 0.6397 %
    assert check("04a.2", 0.0064).correct  # rounded to 0.64 %
    wrong = check("04a.2", 0.047 * 60 / 365)  # 60 days instead of 60 − 10
    assert not wrong.correct and "50 jours" in wrong.hint
    assert not check("04a.2", 0.64).correct  # a percentage, not a ratio


def test_04a_3_share_of_sales_to_risky_customers(small):
    _fresh("04a.3")
    # 12-month sales: A 36 000 (class A), B 12 000 (class E) → 12 000 / 48 000 = 25 %
    assert check("04a.3", 0.25, case=small).correct
    wrong = check("04a.3", 1.0, case=small)  # B's share of the exposure, not of the sales
    assert not wrong.correct and "class_indicators" in wrong.hint


def test_04a_4_cash_released_by_shorter_terms(small):
    _fresh("04a.4")
    # class C: nobody → 0; class E (no credit, 0 day): B invoiced 12 000 € at 60 days → 12 000 / 365 × 60
    assert check("04a.4", 0, case=small).correct
    assert check("04a.4", 12_000 / 365 * 60, case=small, cls="E").correct  # 1 972,60 €
    wrong = check("04a.4", 12_000 / 365 * 30, case=small, cls="E")  # 30 days as if class C
    assert not wrong.correct and "au-delà du délai" in wrong.hint
