"""Exercises of notebook 01: right answers pass, typical wrong answers fail with a hint."""

import pandas as pd

from casekit import exercises
from casekit.exercises import check
from casekit.openitems import canonical_open_items

D = pd.Timestamp
FINANCIALS = pd.DataFrame({
    "year": [2025], "revenue_excl_vat": [30_000_000.0], "revenue_incl_vat": [36_500_000.0],
    "ebitda": [2_250_000.0], "net_income": [1_000_000.0], "trade_receivables": [9_000_000.0],
    "working_capital": [10_000_000.0], "cash": [500_000.0], "borrowing_rate": [0.05], "bad_debt_losses": [0.0]})


def setup_function():
    exercises._ATTEMPTS.clear()


def test_01_1_financing_cost():
    assert check("01.1", 450_000, financials=FINANCIALS).correct  # 9 000 000 × 5 %
    wrong = check("01.1", 9_000_000 * 5, financials=FINANCIALS)  # rate typed as 5 instead of 0.05
    assert not wrong.correct and "créances clients TTC × taux" in wrong.hint
    check("01.1", 1, financials=FINANCIALS)
    assert "0.047" in check("01.1", 2, financials=FINANCIALS).hint  # the third hint, and it stays


def test_01_2_cash_released():
    # 36 500 000 / 365 = 100 000 € a day; × 5 days = 500 000 €
    assert check("01.2", 500_000, financials=FINANCIALS).correct
    wrong = check("01.2", 30_000_000 / 365 * 5, financials=FINANCIALS)  # sales excl. VAT
    assert not wrong.correct and "un jour de CA TTC" in wrong.hint


def test_01_3_disputed_share_of_overdue():
    items = canonical_open_items(pd.DataFrame({
        "customer_id": ["A", "B", "C"], "customer_name": ["A", "B", "C"], "document_ref": ["F1", "F2", "F3"],
        "document_date": [D("2025-10-01")] * 3,
        "due_date": [D("2025-11-01"), D("2025-11-01"), D("2026-01-31")],
        "amount": [300.0, 1_200.0, 2_000.0], "disputed": [True, False, True]}))
    context = {"items": items, "as_of": "2025-12-31"}
    assert check("01.3", 0.2, **context).correct  # overdue 1 500, disputed 300 → 20 %
    wrong = check("01.3", 2_300 / 3_500, **context)  # disputed share of all receivables
    assert not wrong.correct and "montant échu en litige" in wrong.hint
    assert not check("01.3", 20, **context).correct  # a percentage, not a ratio



def test_01_4_latest_export_country(case):
    assert check("01.4", "Italie", case=case).correct
    assert check("01.4", " italie ", case=case).correct  # case and spaces do not matter
    wrong = check("01.4", "France", case=case)
    assert not wrong.correct and "pas un pays d'export" in wrong.hint
