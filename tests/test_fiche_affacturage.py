"""Blocks of fiches/affacturage.md: one invoice by hand, its entries balance, fil rouge figures = casekit's."""

import pytest

from casekit import fmt
from casekit.fiches.blocks import FicheContext, render
from casekit.fiches.blocks.affacturage import example_results, reconciliation_results
from casekit.outsourcing.factoring import compare_factoring_offers


@pytest.fixture(scope="module")
def context():
    return FicheContext()


def test_one_invoice_by_hand(context):
    offer, inv, journal, balance = example_results(context.case)
    # FAC-A : fonds de garantie 10 %, commission 0,25 %, financement 2,05 % + 1,20 % = 3,25 %, 2 jours de valeur
    assert inv.guarantee_retained == pytest.approx(12_000 * 0.10) == pytest.approx(1_200)
    assert inv.financed == pytest.approx(10_800)
    assert inv.factoring_commission == pytest.approx(12_000 * 0.0025) == pytest.approx(30)
    assert inv.financing_commission == pytest.approx(0.0325 * 10_800 * (60 + 2) / 360) == pytest.approx(60.45)
    assert inv.effective_rate == pytest.approx((30 + 60.45) / (10_800 * 60 / 365))
    # every entry balances; 4671 : 12 000 − 1 200 − 10 800 − (30 + 6 + 60,45) + 1 200 = 1 103,55
    assert journal["debit"].sum() == pytest.approx(journal["credit"].sum())
    assert balance == pytest.approx(12_000 - 1_200 - 10_800 - (30 + 6 + 60.45) + 1_200) == pytest.approx(1_103.55)
    text = render("affacturage_exemple", context)
    assert f"**{fmt.percent(0.0509, 2)}**" in text and f"**{fmt.euros(1_103.55)}**" in text
    # commission d'affacturage HT 30,00 € + TVA 20 % 6,00 € au débit de 6225 + 44566, crédit 4671
    assert f"6225 + 44566 / 4671 | {fmt.euros(30)} + {fmt.euros(6)}" in text


def test_fil_rouge_figures_are_casekits(context):
    cmp = compare_factoring_offers(context.case, context.as_of.year).set_index("offer_id")
    text = render("affacturage_fil_rouge", context)
    for offer in ("FAC-A", "FAC-B"):
        assert fmt.percent(cmp.at[offer, "effective_rate"], 2) in text
        assert fmt.euros(cmp.at[offer, "total_cost"], 0) in text
        assert fmt.euros(cmp.at[offer, "saving_vs_overdraft"], 0) in text


def test_reconciliation_block(context):
    rec = reconciliation_results(context.case)
    assert rec.reconciled and rec.adjusted_ledger_balance == pytest.approx(rec.adjusted_statement_balance)
    text = render("affacturage_rapprochement", context)
    assert fmt.euros(rec.ledger_balance) in text and fmt.euros(rec.adjusted_ledger_balance) in text
    assert fmt.euros(rec.statement_balance) in text and "rapproché" in text
