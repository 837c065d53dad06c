"""Factoring: annual cost of an offer, effective rate, eligible receivables, fil rouge offers."""

import math
from dataclasses import replace

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import casekit  # noqa: E402
from casekit import DataError  # noqa: E402
from casekit.outsourcing.factoring import (  # noqa: E402
    FactoringOffer,
    compare_factoring_offers,
    eligibility_summary,
    eligible_receivables,
    factoring_cost,
    plot_factoring_offers,
)

OFFER = FactoringOffer(offer_id="F", factoring_fee_rate=0.0025, minimum_factoring_fee=40_000, index_rate=0.02,
                       financing_margin=0.01, value_days=5, guarantee_fund_rate=0.10, per_invoice_fee=2,
                       per_buyer_fee=50, dispute_fee=25, setup_fee=3_000)


def test_full_annual_cost_by_hand():
    c = factoring_cost(OFFER, 36_500_000, 60, invoices=1_000, buyers=100, disputes=20, cost_of_capital=0.05,
                       overdraft_rate=0.06, dailly_rate=0.045, insurance_value=50_000)
    assert c.average_receivables == pytest.approx(6_000_000)  # 36 500 000 × 60 / 365
    assert c.guarantee_fund == pytest.approx(600_000)  # 6 000 000 × 10 %
    assert c.amounts_drawn == pytest.approx(32_850_000)  # 36 500 000 × (1 − 10 %)
    assert c.average_cash == pytest.approx(5_400_000)  # 32 850 000 × 60 / 365
    assert c.factoring_commission == pytest.approx(91_250)  # 0,25 % × 36 500 000 > minimum 40 000
    assert c.financing_commission == pytest.approx(177_937.5)  # 3 % × 32 850 000 × (60 + 5) / 360
    assert (c.invoice_fees, c.buyer_fees, c.dispute_fees, c.setup_fee) == (2_000, 5_000, 500, 3_000)
    assert c.total_fees == pytest.approx(279_687.5)  # 91 250 + 177 937,5 + 2 000 + 5 000 + 500 + 3 000
    assert c.guarantee_fund_cost == pytest.approx(30_000)  # 600 000 × 5 %
    assert c.total_cost == pytest.approx(309_687.5)
    assert c.financing_cost == pytest.approx(259_687.5)  # − 50 000 of credit insurance included
    assert c.effective_rate == pytest.approx(259_687.5 / 5_400_000)  # 4,81 %
    assert c.overdraft_cost == pytest.approx(328_500)  # 6 % × 5 400 000 × 365 / 360
    assert c.dailly_cost == pytest.approx(246_375)  # 4,5 % × 5 400 000 × 365 / 360
    assert c.saving_vs_overdraft == pytest.approx(328_500 - 259_687.5)
    assert c.saving_vs_dailly == pytest.approx(246_375 - 259_687.5)


def test_minimum_fee_setup_spread_and_share_drawn():
    c = factoring_cost(OFFER, 1_000_000, 73, setup_years=3, share_drawn=0.5)
    assert c.factoring_commission == 40_000 and c.minimum_applied  # 0,25 % × 1 000 000 = 2 500 < 40 000
    assert c.setup_fee == pytest.approx(1_000)  # 3 000 / 3 years
    assert c.average_cash == pytest.approx(90_000)  # 1 000 000 × 90 % × 50 % × 73 / 365


def test_zero_sales():
    c = factoring_cost(OFFER, 0, 60)
    assert c.average_cash == 0 and math.isnan(c.effective_rate)
    assert c.total_fees == pytest.approx(43_000)  # minimum 40 000 + setup 3 000


def test_bad_input():
    with pytest.raises(DataError, match="entre 0 et 1"):
        factoring_cost(OFFER, 1_000, 60, share_drawn=1.5)
    with pytest.raises(DataError, match="négatif"):
        factoring_cost(OFFER, -1, 60)
    with pytest.raises(DataError, match="guarantee_fund_rate"):
        replace(OFFER, guarantee_fund_rate=2)


def test_eligible_receivables():
    T = pd.Timestamp
    items = casekit.canonical_open_items(pd.DataFrame([
        dict(customer_id="A", document_ref="1", document_date=T("2025-11-01"), due_date=T("2025-12-15"),
             amount=1_000, disputed=False),
        dict(customer_id="A", document_ref="2", document_date=T("2025-11-01"), due_date=T("2025-12-15"),
             amount=500, disputed=True),
        dict(customer_id="A", document_ref="3", document_date=T("2025-07-01"), due_date=T("2025-09-01"),
             amount=300, disputed=False),  # 121 days overdue at 31/12/2025
        dict(customer_id="B", document_ref="4", document_date=T("2025-11-01"), due_date=T("2025-12-31"),
             amount=200, disputed=False),
        dict(customer_id="A", document_ref="5", document_date=T("2025-12-01"), due_date=T("2025-12-01"),
             amount=-100, disputed=False)]))
    df = eligible_receivables(items, "2025-12-31", approved_buyers=["A"], max_overdue_days=90).set_index(
        "document_ref")
    assert df["reason"].to_dict() == {"1": "", "2": "disputed", "3": "overdue", "4": "unapproved",
                                      "5": "credit"}
    assert df.at["3", "days_overdue"] == 121  # 01/09 → 31/12 = 29 + 31 + 30 + 31
    assert df["non_valeur"].to_dict() == {"1": False, "2": True, "3": True, "4": True, "5": False}
    summary = eligibility_summary(df).set_index("reason")
    assert summary.at["", "amount"] == 1_000
    assert summary["amount"].sum() == pytest.approx(items["amount"].sum())  # 1 000 + 500 + 300 + 200 − 100


def test_eligible_receivables_empty():
    empty = casekit.canonical_open_items(pd.DataFrame(columns=["customer_id", "document_ref", "document_date",
                                                               "due_date", "amount"]))
    assert eligible_receivables(empty, "2025-12-31").empty


def test_fil_rouge_offers():
    case = casekit.load_case()
    df = compare_factoring_offers(case).set_index("offer_id")
    fin = case.financials.set_index("year").loc[2025]
    assert df["assigned_sales"].tolist() == pytest.approx([fin["revenue_incl_vat"]] * 2)
    # the DSO is receivables / sales × 365, so the average receivables are the year-end receivables
    assert df["average_receivables"].tolist() == pytest.approx([fin["trade_receivables"]] * 2)
    assert df.at["FAC-A", "factoring_commission"] == pytest.approx(0.0025 * fin["revenue_incl_vat"])
    assert df.at["FAC-B", "insurance_value"] == 0  # FAC-B has no credit insurance included
    assert df.at["FAC-A", "insurance_value"] > 0
    assert (df["effective_rate"] < df["overdraft_rate"]).all()  # both cheaper than the overdraft (6,29 %)
    assert ((df["share_drawn"] > 0.8) & (df["share_drawn"] < 1)).all()
    assert isinstance(plot_factoring_offers(df.reset_index()), Figure)
