"""Factoring journal entries (PCG), a month of the fil rouge, and the reconciliation of the factor account."""

import pandas as pd
import pytest

import casekit
from casekit import DataError
from casekit.outsourcing.factoring import FactoringOffer
from casekit.outsourcing.factoring_accounting import (
    ACCOUNTS,
    assignment_entry,
    charge_back_entry,
    charge_back_reversal_entry,
    check_balanced,
    commission_entry,
    current_account,
    customer_payment_entry,
    example_factor_statement,
    fund_call_entry,
    guarantee_fund_entry,
    journal_for_month,
    reconcile_factor_account,
)

D = "2025-12-05"
INVOICES = pd.DataFrame({"customer_id": ["C1", "C2"], "document_ref": ["FA1", "FA2"],
                         "amount": [1_200.0, 600.0]})


def _balance(journal, account):
    lines = journal[journal["account"] == account]
    return round(lines["debit"].sum() - lines["credit"].sum(), 2)


def test_assignment():
    j = check_balanced(assignment_entry("CES1", D, INVOICES))
    assert j.loc[j["account"] == "4671", "debit"].tolist() == [1_800]  # 1 200 + 600
    assert j.loc[j["account"] == "411", "credit"].tolist() == [1_200, 600]
    assert j.loc[j["account"] == "411", "customer_id"].tolist() == ["C1", "C2"]
    assert set(j["account_label"]) == {"Factor – compte courant", "Clients"}
    with pytest.raises(DataError, match="factures"):
        assignment_entry("X", D, INVOICES.assign(amount=-1.0))


def test_commissions_vat_only_on_the_factoring_commission():
    j = check_balanced(commission_entry("COM", D, 1_000, 300, 0.20))
    amounts = j.set_index("account")
    assert amounts.at["6225", "debit"] == 1_000
    assert amounts.at["44566", "debit"] == 200  # 20 % VAT on the factoring commission only
    assert amounts.at["6616", "debit"] == 300  # financing commission: interest, no VAT
    assert amounts.at["4671", "credit"] == 1_500  # 1 000 + 200 + 300


def test_a_month_in_small():
    j = pd.concat([
        assignment_entry("CES1", D, INVOICES),
        guarantee_fund_entry("CES1", D, 180),  # 10 % × 1 800
        fund_call_entry("ADF1", "2025-12-07", 1_620),  # 1 800 − 180
        commission_entry("COM", "2025-12-31", 10, 5),  # 10 + 2 of VAT + 5 = 17
        customer_payment_entry("ENC1", "2025-12-20", 1_200, 0.10),  # releases 10 % × 1 200 = 120
    ], ignore_index=True)
    check_balanced(j)
    assert _balance(j, "4671") == 103  # 1 800 − 180 − 1 620 − 17 + 120
    assert _balance(j, "4672") == 60  # 180 − 120
    assert _balance(j, "512") == 1_620
    assert _balance(j, "411") == -1_800  # both invoices left the customers' accounts at assignment
    assert (j.loc[j["entry"] == "ENC1", "account"] != "411").all()  # the payment to the factor: no 411 line


def test_customer_payment_without_guarantee_fund_books_nothing():
    assert customer_payment_entry("ENC", D, 1_000, 0.0).empty


def test_charge_back_and_reversal():
    j = pd.concat([charge_back_entry("DEF", D, "C1", "FA1", 1_200),
                   charge_back_reversal_entry("REF", "2025-12-20", "C1", "FA1", 1_200)], ignore_index=True)
    check_balanced(j)
    first = j[j["entry"] == "DEF"].set_index("account")
    assert (first.at["411", "debit"], first.at["4671", "credit"]) == (1_200, 1_200)
    assert _balance(j, "411") == 0 and _balance(j, "4671") == 0


def test_unbalanced_entry_is_refused():
    bad = fund_call_entry("ADF", D, 100)
    bad.loc[0, "debit"] = 90
    with pytest.raises(DataError, match="déséquilibrée.*ADF"):
        check_balanced(bad)


def test_reconciliation_by_hand():
    ledger = pd.DataFrame({"date": pd.to_datetime(["2025-12-01", "2025-12-31", "2025-12-31"]),
                           "reference": ["A", "B", "C"],
                           "operation": ["assignment", "assignment", "commission"],
                           "label": ["a", "b", "c"], "amount": [1_000, -900, -17]})
    statement = pd.DataFrame({"date": pd.to_datetime(["2025-12-01", "2025-12-31", "2025-12-31"]),
                              "reference": ["A", "C", "D"],
                              "operation": ["assignment", "commission", "commission"],
                              "label": ["a", "c", "d"], "amount": [1_000, -20, -50]})
    rec = reconcile_factor_account(statement, ledger)
    items = rec.items.set_index("reference")
    assert items["status"].to_dict() == {"A": "matched", "B": "ledger_only", "C": "amount_difference",
                                         "D": "statement_only"}
    assert items["difference"].to_dict() == {"A": "", "B": "timing", "C": "amount",
                                             "D": "unbooked_commission"}
    assert rec.ledger_balance == 83  # 1 000 − 900 − 17
    assert rec.statement_balance == 930  # 1 000 − 20 − 50
    assert rec.adjusted_ledger_balance == 30  # 83 − 50 (to book) − 3 (commission difference)
    assert rec.adjusted_statement_balance == 30  # 930 − 900 (in transit)
    assert rec.reconciled


def test_reconciliation_requires_columns():
    with pytest.raises(DataError, match="amount"):
        reconcile_factor_account(pd.DataFrame({"reference": [], "operation": []}), pd.DataFrame(
            {"reference": [], "operation": [], "amount": []}))


@pytest.fixture(scope="module")
def month():
    case = casekit.load_case()
    offer = FactoringOffer.offers_from_table(case.factoring_offers)["FAC-A"]
    return case, offer, journal_for_month(case, offer, "2025-12")


def test_fil_rouge_month(month):
    case, offer, j = month
    check_balanced(j)
    assert j["account"].isin(list(ACCOUNTS)).all() and j["account_label"].notna().all()
    inv = case.invoices
    in_december = inv["document_date"].dt.strftime("%Y-%m") == "2025-12"
    december = inv[(inv["document_type"] == "Facture") & in_december]
    assigned = j[j["operation"] == "assignment"]
    assert assigned.loc[assigned["account"] == "411", "credit"].sum() == pytest.approx(
        december["amount_incl_vat"].sum())
    retained = j[(j["operation"] == "guarantee_fund") & (j["account"] == "4672")]["debit"].sum()
    assert retained == pytest.approx(december["amount_incl_vat"].sum() * 0.10, abs=0.05)  # FAC-A: 10 %


def test_fil_rouge_example_reconciliation(month):
    case, offer, j = month
    statement = example_factor_statement(j, case, offer)
    rec = reconcile_factor_account(statement, j)
    assert rec.reconciled
    counts = rec.items["difference"].value_counts().to_dict()
    # every entry matched but the last bordereau (timing) and the commissions (amount difference)
    assert counts.pop("") == len(current_account(j)) - 2
    assert counts == {"timing": 1, "amount": 1, "unbooked_commission": 1, "unbooked_charge_back": 1}
    assert rec.items.loc[rec.items["difference"] == "amount", "gap"].tolist() == [-12.5]
