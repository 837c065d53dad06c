"""Exercises of notebook 07 (credit insurance) on a hand-made company: right answers pass, typical wrong ones get a
hint."""

from dataclasses import replace

import pandas as pd
import pytest

import casekit
from casekit import DataError
from casekit.exercises import _ATTEMPTS, check

T = pd.Timestamp


@pytest.fixture(scope="module")
def small():
    """Three customers under the fil rouge's three offers (their real parameters):
    A (France) insolvent on 01/06/2025, owing invoice FA1 (10 000 € HT, 12 000 € TTC, due 28/02/2025);
    B (France) owes FA2 (50 000 € HT, 60 000 € TTC); C (Germany, reverse charge) owes FA3 (40 000 € HT and TTC).
    2025 turnover excl. VAT: 10 000 + 50 000 + 40 000 = 100 000 €.
    Limits: ASS-A: A granted 5 000, B 30 000 of 50 000, C refused; ASS-B: B 40 000 of 50 000;
    ASS-C: B 20 000 of 50 000.
    """
    case = casekit.load_case()
    customers = pd.DataFrame({
        "customer_id": ["A", "B", "C"], "customer_name": ["Alpha", "Bêta", "Gamma"], "country": ["FR", "FR", "DE"],
        "country_name": ["France", "France", "Allemagne"], "segment": ["PME", "ETI", "PME"],
        "insolvency_date": [T("2025-06-01"), pd.NaT, pd.NaT],
        "insolvency_procedure": ["Liquidation judiciaire", "", ""]})
    invoices = pd.DataFrame({
        "document_ref": ["FA1", "FA2", "FA3"], "customer_id": ["A", "B", "C"],
        "document_date": [T("2025-01-10"), T("2025-11-15"), T("2025-11-20")],
        "due_date": [T("2025-02-28"), T("2026-01-15"), T("2026-01-20")],
        "amount_excl_vat": [10_000.0, 50_000.0, 40_000.0], "amount_incl_vat": [12_000.0, 60_000.0, 40_000.0]})
    payments = pd.DataFrame({"payment_ref": pd.Series(dtype=str), "customer_id": pd.Series(dtype=str),
                             "payment_date": pd.Series(dtype="datetime64[ns]"),
                             "document_ref": pd.Series(dtype=str), "amount": pd.Series(dtype=float)})
    disputes = pd.DataFrame({"document_ref": pd.Series(dtype=str), "customer_id": pd.Series(dtype=str),
                             "opened_date": pd.Series(dtype="datetime64[ns]"),
                             "closed_date": pd.Series(dtype="datetime64[ns]")})
    limits = pd.DataFrame({
        "offer_id": ["ASS-A", "ASS-A", "ASS-A", "ASS-B", "ASS-C"], "customer_id": ["A", "B", "C", "B", "B"],
        "limit_requested": [5_000.0, 50_000.0, 20_000.0, 50_000.0, 50_000.0],
        "limit_granted": [5_000.0, 30_000.0, 0.0, 40_000.0, 20_000.0],
        "decision": ["Accord total", "Accord partiel", "Refus", "Accord partiel", "Accord partiel"]})
    return replace(case, customers=customers, invoices=invoices, payments=payments, disputes=disputes,
                   insurance_limits=limits)


def _fresh(exercise_id):
    _ATTEMPTS.pop(exercise_id, None)


def test_07_1_negotiated_cost(small):
    _fresh("07.1")
    # 0,14 % × 100 000 = 140 € < minimum 45 000 € → 45 000; no request fee in ASS-B; 1 approved buyer × 45 €
    assert check("07.1", 45_045, case=small).correct
    # a rate of 50 %: 50 % × 100 000 = 50 000 > 45 000 → 50 000 + 45 = 50 045
    assert check("07.1", 50_045, case=small, premium_rate=0.5).correct
    wrong = check("07.1", 140 + 45, case=small)  # the minimum premium forgotten
    assert not wrong.correct and "prime minimale" in wrong.hint


def test_07_2_indemnity_on_an_insolvency(small):
    _fresh("07.2")
    # A is not named in ASS-B: discretionary 50 000 €, quotité 70 %, deductible 1 500 €;
    # loss 10 000 € HT → (10 000 − 1 500) × 70 % = 5 950
    assert check("07.2", 5_950, case=small, customer_id="A").correct
    # ASS-A: limit 5 000 €, quotité 90 %, no per-claim deductible → 4 500
    assert check("07.2", 4_500, case=small, offer_id="ASS-A", customer_id="A").correct
    wrong = check("07.2", 12_000 * 0.7, case=small, customer_id="A")  # incl. VAT, no deductible
    assert not wrong.correct and "hors taxes" in wrong.hint
    with pytest.raises(DataError, match="pas de créance"):
        check("07.2", 0, case=small, customer_id="B")


def test_07_3_residual_risk_of_a_customer(small):
    _fresh("07.3")
    items = small.open_items("2025-12-31")
    # B: exposure 60 000 TTC, limit 30 000 × 90 % = 27 000 covered → residual 60 000 − 27 000 = 33 000
    assert check("07.3", 33_000, items=items, case=small, customer_id="B").correct
    # C refused: all its 40 000 € is residual
    assert check("07.3", 40_000, items=items, case=small, customer_id="C").correct
    wrong = check("07.3", 30_000, items=items, case=small, customer_id="B")  # only the part above the limit
    assert not wrong.correct and wrong.hint


def test_07_4_gain_of_full_limits(small):
    _fresh("07.4")
    # ASS-C, quotité 90 %: B 20 000 → 50 000 granted: (50 000 − 20 000) × 90 % = 27 000 more covered
    assert check("07.4", 27_000, case=small).correct
    # ASS-A: B 30 000 → 50 000 (+18 000) and C 0 → 20 000 (+18 000): 36 000
    assert check("07.4", 36_000, case=small, offer_id="ASS-A").correct
    wrong = check("07.4", 30_000, case=small)  # quotité forgotten
    assert not wrong.correct and "granted" in wrong.hint


def test_unknown_offer(small):
    with pytest.raises(DataError, match="inconnue"):
        check("07.1", 0, case=small, offer_id="ASS-Z")
