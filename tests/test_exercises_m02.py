"""Exercises of notebook 02: right answers pass, typical mistakes fail with a hint."""

import pandas as pd
import pytest

import casekit
import casekit.exercises.m02  # noqa: F401  (registers the module's exercises whatever ran before)
from casekit import exercises
from casekit.exercises import check


@pytest.fixture(autouse=True)
def fresh_attempts():
    exercises._ATTEMPTS.clear()


def financials():
    return pd.DataFrame({"year": [2025], "revenue_excl_vat": [30_000_000.0], "revenue_incl_vat": [36_500_000.0],
                         "trade_receivables": [6_000_000.0], "net_income": [1_200_000.0],
                         "bad_debt_losses": [60_000.0], "trade_payables": [2_000_000.0], "cash": [500_000.0],
                         "working_capital": [7_500_000.0], "borrowing_rate": [0.05]})


def test_02_1_dso_on_incl_vat_sales():
    # 6 000 000 / 36 500 000 × 365 = 60 days
    assert check("02.1", 60.0, financials=financials()).correct
    wrong = check("02.1", 73.0, financials=financials())  # / 30 000 000 HT × 365: the VAT trap
    assert not wrong.correct and "CA TTC" in wrong.hint


def test_02_2_count_back():
    # 31 (Dec) + 30 (Nov) + 30 000 / 90 000 × 31 (Oct) = 71,33 days
    assert check("02.2", 71.33).correct
    wrong = check("02.2", 300_000 / 360_000 * 92)  # accounting method over 3 months: 76,67 days
    assert not wrong.correct and "décembre" in wrong.hint


def test_02_3_result_after_tax_fil_rouge():
    case = casekit.load_case()
    # (74,15 − 60) × 127 991,49 = 1 811 256 € × 4,7 % = 85 129 € × (1 − 25 %) = 63 847 €
    assert check("02.3", 63_847, case=case).correct
    wrong = check("02.3", 1_811_256, case=case)  # the cash released, not the yearly effect
    assert not wrong.correct and "ponctuel" in wrong.hint


def test_02_4_sales_to_offset_losses():
    # net margin 1 200 000 / 30 000 000 = 4 %: 60 000 / 4 % = 1 500 000 €
    assert check("02.4", 1_500_000, financials=financials()).correct
    wrong = check("02.4", 60_000 / 0.2, financials=financials())  # a gross margin guess
    assert not wrong.correct and "marge nette" in wrong.hint
