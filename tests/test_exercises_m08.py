"""Exercises of notebook 08 (factoring) on hand-made data: right answers pass, typical wrong ones get a hint."""

from dataclasses import replace

import pandas as pd
import pytest

import casekit
from casekit import DataError
from casekit.exercises import _ATTEMPTS, check

T = pd.Timestamp


def _fresh(exercise_id):
    _ATTEMPTS.pop(exercise_id, None)



@pytest.fixture(scope="module")
def small(case):
    """A company with the fil rouge's two factoring offers (their real parameters) and a tiny ledger:
    2025 sales 3 650 000 € TTC (FA1 3 000 000 € paid on 30/04; FA2 650 000 € open, due 30/01/2026), receivables
    600 000 € in the financial statements (DSO 60 days), cost of capital 5 %; in December 2025, FA3 (C1, 1 200 €,
    02/12), FA4 (C2, 600 €, 03/12) and FA5 (C1, 2 400 €, 31/12); FA0 (C2, 1 000 €, due 01/09/2025) unpaid."""
    company = case.company.assign(cost_of_capital=0.05, overdraft_rate=0.06, dailly_rate=0.045,
                                  standard_vat_rate=0.20)
    financials = pd.DataFrame({"year": [2025], "revenue_incl_vat": [3_650_000.0],
                               "revenue_excl_vat": [3_041_666.67], "trade_receivables": [600_000.0],
                               "bad_debt_losses": [0.0]})
    customers = pd.DataFrame({"customer_id": ["A", "B", "C1", "C2"], "customer_name": ["A", "B", "C1", "C2"],
                              "insolvency_date": [pd.NaT] * 4})
    refs = ["FA0", "FA1", "FA2", "FA3", "FA4", "FA5"]
    invoices = pd.DataFrame({
        "document_ref": refs, "document_type": ["Facture"] * 6, "customer_id": ["C2", "A", "B", "C1", "C2", "C1"],
        "document_date": [T("2024-08-01"), T("2025-03-01"), T("2025-06-01"), T("2025-12-02"), T("2025-12-03"),
                          T("2025-12-31")],
        "due_date": [T("2025-09-01"), T("2025-04-30"), T("2026-01-30"), T("2026-01-31"), T("2026-01-31"),
                     T("2026-02-28")],
        "amount_excl_vat": [833.33, 2_500_000.0, 541_666.67, 1_000.0, 500.0, 2_000.0],
        "amount_incl_vat": [1_000.0, 3_000_000.0, 650_000.0 - 4_200.0, 1_200.0, 600.0, 2_400.0]})
    payments = pd.DataFrame({"payment_ref": ["R1"], "customer_id": ["A"], "payment_date": [T("2025-04-30")],
                             "payment_method": ["Virement"], "document_ref": ["FA1"], "amount": [3_000_000.0]})
    disputes = pd.DataFrame({"dispute_id": pd.Series(dtype=str), "document_ref": pd.Series(dtype=str),
                             "customer_id": pd.Series(dtype=str), "amount": pd.Series(dtype=float),
                             "opened_date": pd.Series(dtype="datetime64[ns]"),
                             "closed_date": pd.Series(dtype="datetime64[ns]"), "outcome": pd.Series(dtype=str)})
    return replace(case, company=company, financials=financials, customers=customers, invoices=invoices,
                   payments=payments, disputes=disputes)


def test_08_1_invoice_cost(case):
    _fresh("08.1")
    # FAC-B: 0,18 % × 24 000 = 43,20 + 4,50 per invoice + 3,00 % × 21 120 × (60 + 3) / 360 = 110,88 → 158,58 €
    assert check("08.1", 158.58, case=case).correct
    # forgetting the 3 value days: 3,00 % × 21 120 × 60 / 360 = 105,60 → 153,30 €
    wrong = check("08.1", 153.30, case=case)
    assert not wrong.correct and "Trois composantes" in wrong.hint
    assert check("08.1", ..., case=case).message().startswith("✏️")
    with pytest.raises(DataError, match="inconnue"):
        check("08.1", 1, case=case, offer_id="FAC-Z")


def test_08_2_negotiation_saving(small):
    _fresh("08.2")
    # base FAC-A: financing 3,25 % × 3 650 000 × 90 % × 62 / 360 = 18 386,875; fund cost 600 000 × 10 % × 5 %
    # = 3 000 (the commission, 40 000 € minimum, and the buyer and setup fees do not change).
    # negotiated: 2,95 % × 3 650 000 × 93 % × 62 / 360 = 17 245,9458; fund cost 600 000 × 7 % × 5 % = 2 100.
    # saving = (18 386,875 + 3 000) − (17 245,9458 + 2 100) = 2 040,93 €
    assert check("08.2", 2_040.93, case=small, insurance_rate=0.0).correct
    # only the margin at the old fund: 0,30 % × 3 285 000 × 62 / 360 = 1 697,25 €
    wrong = check("08.2", 1_697.25, case=small, insurance_rate=0.0)
    assert not wrong.correct and "factoring_variants" in wrong.hint


def test_08_3_reconciled_balance(small):
    _fresh("08.3")
    # journal (FAC-A, DSO 60): CES-01 1 200 + 600 = 1 800, retention 180, fund call 1 620 on 05/12; CES-02 (31/12)
    # 2 400 and retention 240, no call in December; commissions 0,25 % × 4 200 + 60 × 2 buyers / 12 = 20,50 HT
    # + 4,10 VAT + 3,25 % × 1 620 × 62 / 360 = 9,07 → 33,67. Ledger 4671: 1 800 − 180 − 1 620 + 2 400 − 240
    # − 33,67 = 2 126,33. The statement adds the non-valeur FA0 (1 000, 121 days overdue), its fee 30 and 12,50
    # more commission: 2 126,33 − 1 000 − 30 − 12,50 = 1 083,83 €
    assert check("08.3", 1_083.83, case=small, offer_id="FAC-A", dso_days=60).correct
    wrong = check("08.3", 2_126.33, case=small, offer_id="FAC-A", dso_days=60)  # the ledger, before adjusting
    assert not wrong.correct and "bordereau en transit" in wrong.hint


def test_08_4_availability():
    _fresh("08.4")
    items = casekit.canonical_open_items(pd.DataFrame([
        dict(customer_id="A", document_ref="1", document_date=T("2025-11-01"), due_date=T("2025-12-15"),
             amount=1_000, disputed=False),
        dict(customer_id="A", document_ref="2", document_date=T("2025-11-01"), due_date=T("2025-12-15"),
             amount=500, disputed=True),
        dict(customer_id="A", document_ref="3", document_date=T("2025-07-01"), due_date=T("2025-09-01"),
             amount=300, disputed=False),  # 121 days overdue > 60
        dict(customer_id="B", document_ref="4", document_date=T("2025-11-01"), due_date=T("2025-12-31"),
             amount=200, disputed=False),
        dict(customer_id="A", document_ref="5", document_date=T("2025-12-01"), due_date=T("2025-12-01"),
             amount=-100, disputed=False)]))
    # assigned 2 000 − non-valeurs (500 disputed + 300 overdue) − credit 100 = 1 100; fund 8 % = 88 → 1 012 €
    assert check("08.4", 1_012, items=items, as_of="2025-12-31").correct
    wrong = check("08.4", 1_104, items=items, as_of="2025-12-31")  # the credit note forgotten: 1 200 × 92 %
    assert not wrong.correct and "non-valeurs" in wrong.hint
    assert check("08.4", 0, items=items.iloc[:0], as_of="2025-12-31").correct  # nothing open, nothing to call


def test_08_3_default_is_the_fil_rouge_fac_b(case):
    _fresh("08.3")
    offer = casekit.FactoringOffer.offers_from_table(case.factoring_offers)["FAC-B"]
    journal = casekit.journal_for_month(case, offer, "2025-12")
    rec = casekit.reconcile_factor_account(casekit.example_factor_statement(journal, case, offer), journal)
    assert check("08.3", rec.adjusted_ledger_balance, case=case).correct
    assert not check("08.3", rec.ledger_balance, case=case).correct  # before the adjustments
