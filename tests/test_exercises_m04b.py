"""Exercises of notebook 04b (dunning, recovery levels, adapted aged balances) on hand-made data: right answers
pass, typical wrong ones get a hint."""

from dataclasses import replace

import pandas as pd
import pytest

import casekit
from casekit import DataError
from casekit.exercises import _ATTEMPTS, check
from casekit.openitems import canonical_open_items

AS_OF = "2025-12-31"
T = pd.Timestamp


def _fresh(exercise_id):
    _ATTEMPTS.pop(exercise_id, None)


def items():
    rows = [  # customer, ref, due date, amount, disputed — days overdue at 31/12/2025
        ("A", "F1", "2026-01-31", 1000.0, False),  # not due
        ("A", "F2", "2025-12-11", 200.0, False),  # 20 days: level 2
        ("A", "F3", "2025-12-01", 300.0, False),  # 30 days: level 3
        ("B", "F4", "2025-10-17", 400.0, False),  # 75 days: level 5
        ("B", "F5", "2025-09-22", 500.0, True),  # 100 days, disputed
        ("C", "F6", "2025-09-01", 600.0, False),  # 121 days, customer in proceedings
        ("C", "R1", "2025-08-01", -50.0, False),  # unapplied cash, 152 days
    ]
    df = pd.DataFrame(rows, columns=["customer_id", "document_ref", "due_date", "amount", "disputed"])
    return canonical_open_items(df.assign(document_date="2025-07-01"))


def test_04b_1_amount_at_level_3_or_beyond():
    _fresh("04b.1")
    # F3 (30 days, level 3) 300 + F4 (75 days, level 5) 400 = 700; F5 disputed, F6 in proceedings
    assert check("04b.1", 700, items=items(), as_of=AS_OF, proceedings=["C"]).correct
    # without proceedings, C's F6 (level 5) counts too: 700 + 600
    assert check("04b.1", 1300, items=items(), as_of=AS_OF).correct
    wrong = check("04b.1", 700 + 500, items=items(), as_of=AS_OF, proceedings=["C"])  # the disputed item kept
    assert not wrong.correct and "niveau 3" in wrong.hint


def test_04b_2_cumulative_recovery_rate():
    _fresh("04b.2")
    case = casekit.load_case()
    # F1 due 01/01: level 1 on 06/01 (1 000 due), 400 paid on 10/01; level 2 on 16/01 (600 due), paid 20/01;
    # F2 due 01/01: level 1 on 06/01 (500 due), nothing paid before 16/01 (the next level's usual date)
    dunning = pd.DataFrame({
        "document_ref": ["F1", "F1", "F2"], "customer_id": ["A", "A", "B"], "level": [1, 2, 1],
        "dunning_date": [T("2025-01-06"), T("2025-01-16"), T("2025-01-06")], "days_overdue": [5, 15, 5],
        "amount_due": [1000.0, 600.0, 500.0]})
    payments = pd.DataFrame({"document_ref": ["F1", "F1"], "payment_method": ["Virement", "Virement"],
                             "payment_date": [T("2025-01-10"), T("2025-01-20")], "amount": [400.0, 600.0]})
    small = replace(case, dunning=dunning, payments=payments)
    # level 1: 400 recovered of 1 500 dunned; level 2: 600 of 600 → cumulative (400 + 600) / 1 500 = 66.7 %
    assert check("04b.2", 1000 / 1500, case=small).correct
    assert check("04b.2", 400 / 1500, case=small, level=1).correct
    wrong = check("04b.2", 400 / 1500 + 1.0, case=small)  # the two rates added: 126.7 %
    assert not wrong.correct and "montant relancé au niveau 1" in wrong.hint
    with pytest.raises(DataError, match="niveau 4"):
        check("04b.2", 0, case=small, level=4)


def test_04b_3_undisputed_over_60_days():
    _fresh("04b.3")
    # undisputed items more than 60 days overdue: F4 400 (61-90) + F6 600 (>90) − R1 50 (>90) = 950
    assert check("04b.3", 950, items=items(), as_of=AS_OF).correct
    wrong = check("04b.3", 950 + 500, items=items(), as_of=AS_OF)  # the disputed F5 (100 days) kept
    assert not wrong.correct and "disputed_split" in wrong.hint
    assert check("04b.3", 0, items=items().iloc[0:0], as_of=AS_OF).correct  # nothing open


def test_04b_4_collector_with_the_most_overdue():
    _fresh("04b.4")
    case = casekit.load_case()
    collectors = pd.DataFrame({"collector_id": ["G1", "G2"], "name": ["Sophie Marchand", "Karim Benali"]})
    customers = pd.DataFrame({"customer_id": ["A", "B", "C"], "customer_name": ["Alpha", "Bêta", "Gamma"],
                              "collector_id": ["G1", "G2", "G1"]})
    invoices = items().rename(columns={"amount": "amount_incl_vat"}).assign(
        document_date=T("2025-07-01"))[["customer_id", "document_ref", "document_date", "due_date",
                                        "amount_incl_vat"]]
    empty_pay = pd.DataFrame({"payment_ref": pd.Series(dtype=str), "customer_id": pd.Series(dtype=str),
                              "payment_date": pd.Series(dtype="datetime64[ns]"),
                              "document_ref": pd.Series(dtype=str), "amount": pd.Series(dtype=float)})
    disputes = pd.DataFrame({"document_ref": ["F5"], "customer_id": ["B"], "opened_date": [T("2025-10-01")],
                             "closed_date": [pd.NaT]})
    small = replace(case, collectors=collectors, customers=customers, invoices=invoices, payments=empty_pay,
                    disputes=disputes)
    # more than 30 days overdue: G1 (A, C) F6 600 − R1 50 = 550 (F3 is 30 days: 1-30); G2 (B) F4 400 + F5 500
    # = 900 → Karim Benali
    assert check("04b.4", "Karim Benali", case=small).correct
    assert check("04b.4", " karim benali ", case=small).correct  # case and spaces do not matter
    wrong = check("04b.4", "Sophie Marchand", case=small)
    assert not wrong.correct and "gestionnaire" in wrong.hint
