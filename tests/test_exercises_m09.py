"""Exercises of notebook 09 (outsourced collection): right answers pass, typical wrong ones get a hint."""

from dataclasses import replace

import pandas as pd
import pytest

import casekit
from casekit import DataError
from casekit.exercises import _ATTEMPTS, check


def _fresh(exercise_id):
    _ATTEMPTS.pop(exercise_id, None)



def test_09_1_agency_fees():
    _fresh("09.1")
    # 80 000 × 70 % = 56 000 recovered; 12 % × 56 000 = 6 720; + 25 files × 40 € = 1 000 → 7 720
    assert check("09.1", 7_720).correct
    # another band and rates: 10 000 × 90 % × 8 % = 720 + 2 × 40 = 800
    assert check("09.1", 800, amount=10_000, band="0-90", recovery=0.9, success_fee=0.08, files=2).correct
    wrong = check("09.1", 80_000 * 0.12 + 1_000)  # fee taken on the amount handed over
    assert not wrong.correct and "sommes effectivement encaissées" in wrong.hint
    with pytest.raises(DataError, match="tranche"):
        check("09.1", 0, band="60-90")


def test_09_2_full_outsourcing_cost(case):
    _fresh("09.2")
    table = casekit.real_cost_of_options(case, handover_days=30).set_index("option_id")
    fees, real = table.at["REC-A", "fees"], table.at["REC-A", "real_cost"]
    # real cost = fees + internal cost kept: 240 000 − 2,5 FTE × 202 000 / 3,8 = 107 105,26
    assert real - fees == pytest.approx(240_000 - 2.5 * 202_000 / 3.8)
    assert check("09.2", real, case=case).correct
    wrong = check("09.2", fees, case=case)  # the fees alone
    assert not wrong.correct and "coût de l'équipe interne" in wrong.hint
    with pytest.raises(DataError, match="inconnue"):
        check("09.2", 0, case=case, offer_id="REC-Z")


def _items():
    """At 31/12/2025: A1 121 days overdue (1 000), A2 77 days and disputed (500); B1 152 days (200); D1 244 days
    (5 000) for D, in a collective procedure."""
    rows = [("A", "A1", "2025-08-01", "2025-09-01", 1_000.0, False),
            ("A", "A2", "2025-09-15", "2025-10-15", 500.0, True),
            ("B", "B1", "2025-07-01", "2025-08-01", 200.0, False),
            ("D", "D1", "2025-04-01", "2025-05-01", 5_000.0, False)]
    return pd.DataFrame(rows, columns=["customer_id", "document_ref", "document_date", "due_date", "amount",
                                       "disputed"]).astype({"document_date": "datetime64[ns]",
                                                            "due_date": "datetime64[ns]"})


def test_09_3_transferable_amount():
    _fresh("09.3")
    as_of = pd.Timestamp("2025-12-31")
    # more than 45 days overdue: A1 1 000, A2 500 (disputed, but INS-A handles disputes), B1 200 (no minimum),
    # D1 5 000 excluded (collective procedure) → 1 700
    assert check("09.3", 1_700, items=_items(), as_of=as_of, excluded=["D"]).correct
    # nobody excluded (a FEC carries no insolvency): + D1 → 6 700
    assert check("09.3", 6_700, items=_items(), as_of=as_of).correct
    # an agency's rules (60 days, 300 € minimum, no disputes): A1 only
    assert check("09.3", 1_000, items=_items(), as_of=as_of, excluded=["D"], handover_days=60,
                 min_file_amount=300, handles_disputes=False).correct
    wrong = check("09.3", 6_700, items=_items(), as_of=as_of, excluded=["D"])  # the insolvent customer kept
    assert not wrong.correct and "procédure collective" in wrong.hint
    assert check("09.3", 0, items=_items().iloc[0:0], as_of=as_of).correct  # nothing open


def test_09_4_break_even(case):
    _fresh("09.4")
    # REC-B: 24 000 € a year + 5 %; REC-A: 8 % → 24 000 / 3 % = 800 000
    assert check("09.4", 800_000, case=case).correct
    wrong = check("09.4", 24_000 / 0.05, case=case)  # the subscription over the platform's rate
    assert not wrong.correct and "montant recouvré X" in wrong.hint
    offers = case.collection_offers.assign(success_fee_0_90=[0.10, 0.06, 0.0])
    # 24 000 / (10 % − 6 %) = 600 000
    assert check("09.4", 600_000, case=replace(case, collection_offers=offers)).correct
