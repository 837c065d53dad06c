"""Blocks of fiches/assurance-credit.md: the board example by hand, the fil rouge figures = casekit's."""

import pytest

from casekit import fmt
from casekit.fiches.blocks import FicheContext, render
from casekit.fiches.blocks.assurance_credit import example_results
from casekit.outsourcing.insurance import compare_insurance_offers


@pytest.fixture(scope="module")
def context():
    return FicheContext()


def test_board_example_by_hand(context):
    claim, (large, small) = example_results()
    # 120 000 TTC = 100 000 HT + 20 000 TVA ; min(100 000 ; agrément 80 000) = 80 000 ; (80 000 − 0) × 90 % = 72 000
    assert claim.loss_excl_vat == 100_000 and claim.vat_recovered == 20_000
    assert claim.indemnity == pytest.approx((80_000 - 0) * 0.90) == 72_000
    # échéance 31/01/2025 + 150 j = 30/06/2025 ; + 30 j = 30/07/2025
    assert fmt.date(claim.constituted_date) == "30/06/2025" and fmt.date(claim.payment_date) == "30/07/2025"
    # 0,21 % × 40 M = 84 000 > 60 000 ; 0,21 % × 25 M = 52 500 < 60 000 → prime minimale
    assert large.premium == pytest.approx(0.0021 * 40_000_000) == pytest.approx(84_000)
    assert small.premium == 60_000 and small.minimum_applied
    text = render("assurance_credit_exemple", context)
    assert f"**{fmt.euros(72_000, 0)}**" in text and fmt.euros(28_000, 0) in text
    assert f"{fmt.euros(60_000, 0)} (minimum)" in text and "30/07/2025" in text


def test_fil_rouge_figures_are_casekits(context):
    cmp = compare_insurance_offers(context.case, context.as_of, context.as_of.year).set_index("offer_id")
    text = render("assurance_credit_fil_rouge", context)
    for offer in ("ASS-A", "ASS-B", "ASS-C"):
        assert fmt.euros(cmp.at[offer, "total_cost"], 0) in text
        assert fmt.euros(cmp.at[offer, "net_cost"], 0) in text
        assert fmt.euros(cmp.at[offer, "covered"], 0) in text
    assert fmt.euros(cmp.at["ASS-C", "broker_saving"], 0) in text
    # the broker saving is the direct offer's total cost minus the brokered one's
    assert cmp.at["ASS-C", "broker_saving"] == pytest.approx(cmp.at["ASS-A", "total_cost"]
                                                             - cmp.at["ASS-C", "total_cost"])
