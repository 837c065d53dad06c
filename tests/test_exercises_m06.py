"""Exercises of notebook 06 on hand-made data: right answers pass, typical wrong ones get a hint."""

import pandas as pd
import pytest

import casekit
from casekit import DataError
from casekit.exercises import _ATTEMPTS, check
from casekit.openitems import canonical_open_items

AS_OF = "2025-12-31"
T = pd.Timestamp


def items():
    rows = [  # customer, ref, document date, due date, amount, disputed — days overdue at 31/12/2025
        ("A", "F1", "2025-10-01", "2025-11-16", 10000.0, False),  # 45 days
        ("A", "F2", "2025-11-01", "2025-12-21", 2000.0, False),  # 10 days
        ("B", "F4", "2025-06-01", "2025-07-01", 8000.0, False),  # 183 days
        ("B", "F5", "2025-09-01", "2025-10-01", 5000.0, True),  # disputed: not in the overdue to chase
        ("C", "F6", "2025-11-01", "2025-12-01", 20000.0, False),  # 30 days
        ("D", "F7", "2025-12-01", "2026-01-31", 4000.0, False),  # not due
    ]
    return canonical_open_items(pd.DataFrame(rows, columns=["customer_id", "document_ref", "document_date",
                                                            "due_date", "amount", "disputed"]))


def _fresh(exercise_id):
    _ATTEMPTS.pop(exercise_id, None)


def test_06_1_pareto():
    _fresh("06.1")
    # undisputed overdue: C 20 000 (50 %), A 12 000 (cumulated 80 %), B 8 000 → 2 customers reach 80 %
    assert check("06.1", 2, items=items(), as_of=AS_OF).correct
    wrong = check("06.1", 3, items=items(), as_of=AS_OF)
    assert not wrong.correct and "part cumulée" in wrong.hint
    # without C: A 12 000 (60 %), B 8 000 (100 %) → 2; threshold 50 % with C → 1
    assert check("06.1", 2, items=items(), as_of=AS_OF, exclude=["C"]).correct
    assert check("06.1", 1, items=items(), as_of=AS_OF, threshold=0.5).correct
    assert "pas encore de réponse" in check("06.1", ..., items=items(), as_of=AS_OF).message()


def test_06_2_collector_days():
    _fresh("06.2")
    assignments = pd.Series({"A": "G3", "B": "G3", "C": "G3", "D": "G3"})
    fte = pd.Series({"G3": 0.8})
    # at least 5 000 €: C 20 000, A 12 000, B 8 000 → 3 customers; 15 × 0,8 = 12 calls a day → 1 day
    assert check("06.2", 1, items=items(), as_of=AS_OF, assignments=assignments, fte=fte).correct
    # 2 calls a day × 0,8 = 1,6 → 1 call a day → 3 days; forgetting the FTE (2 calls) gives ⌈3 / 2⌉ = 2: wrong
    assert check("06.2", 3, items=items(), as_of=AS_OF, assignments=assignments, fte=fte, calls_per_day=2).correct
    wrong = check("06.2", 2, items=items(), as_of=AS_OF, assignments=assignments, fte=fte, calls_per_day=2)
    assert not wrong.correct and wrong.hint
    # excluding C and a 10 000 € minimum: A only → 1 day; a collector without customers needs 0 day
    assert check("06.2", 1, items=items(), as_of=AS_OF, assignments=assignments, fte=fte, exclude=["C"],
                 min_amount=10_000).correct
    assert check("06.2", 0, items=items(), as_of=AS_OF, assignments=assignments, fte=fte, collector="G9").correct


def test_06_3_dso_with_half_the_add():
    _fresh("06.3")
    # sales Oct–Dec 2025: 30 000 + 30 000 + 32 000 = 92 000 € over 92 days → 1 000 € a day
    invoices = pd.DataFrame({"document_ref": ["V1", "V2", "V3"], "customer_id": ["A"] * 3,
                             "document_date": [T("2025-10-01"), T("2025-11-01"), T("2025-12-01")],
                             "amount_incl_vat": [30000.0, 30000.0, 32000.0]})
    ledger = canonical_open_items(pd.DataFrame([  # 40 000 not due, 20 000 overdue
        ("A", "V3", "2025-12-01", "2026-01-30", 40000.0, False),
        ("A", "V2", "2025-11-01", "2025-12-15", 20000.0, False)],
        columns=["customer_id", "document_ref", "document_date", "due_date", "amount", "disputed"]))
    # DSO 60 = best possible 40 + ADD 20; half the ADD → 40 + 10 = 50 days
    assert check("06.3", 50, items=ledger, invoices=invoices, as_of=AS_OF).correct
    wrong = check("06.3", 40, items=ledger, invoices=invoices, as_of=AS_OF)  # the whole ADD removed
    assert not wrong.correct and "ADD" in wrong.hint
    with pytest.raises(DataError, match="non calculable"):
        check("06.3", 50, items=ledger, invoices=invoices.iloc[0:0], as_of=AS_OF)


def test_06_4_forecast_gap():
    _fresh("06.4")
    # A's invoice I1 1 000 € (01/01/2025, terms 30 days → due 31/01) paid 15 days late on 15/02; I2 500 € (01/02,
    # due 03/03) open at 28/02, expected 03/03 + 15 = 18/03, but only 250 € paid, on 31/03 (the last date of the
    # data, so March can be checked): forecast 500, actual 250 → (250 − 500) / 500 = −50 %
    invoices = pd.DataFrame({"document_ref": ["I1", "I2"], "customer_id": ["A", "A"],
                             "document_date": [T("2025-01-01"), T("2025-02-01")], "amount_incl_vat": [1000.0, 500.0]})
    payments = pd.DataFrame({"customer_id": ["A", "A"], "payment_date": [T("2025-02-15"), T("2025-03-31")],
                             "amount": [1000.0, 250.0], "document_ref": ["", ""]})
    context = dict(month_end="2025-02-28", invoices=invoices, payments=payments, payment_terms_days=30)
    assert check("06.4", -0.5, **context).correct
    wrong = check("06.4", -1.0, **context)  # the gap related to the actual (−250 / 250)
    assert not wrong.correct and "prévision" in wrong.hint
    assert not check("06.4", -50, **context).correct  # a percentage, not a ratio


def test_06_4_on_the_fil_rouge():
    case = casekit.load_case()
    table = casekit.backtest_forecast(case, "2025-11-30", 1, "M").table.iloc[0]
    expected = (table["actual"] - table["forecast"]) / table["forecast"]
    assert check("06.4", round(expected, 4), case=case, month_end="2025-11-30").correct
