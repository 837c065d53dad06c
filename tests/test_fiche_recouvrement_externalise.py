"""Blocks of fiches/recouvrement-externalise.md: the board example by hand, the fil rouge figures = casekit's."""

import pytest

from casekit import fmt
from casekit.fiches.blocks import FicheContext, render
from casekit.fiches.blocks.recouvrement_externalise import example_results, fil_rouge_results
from casekit.outsourcing.collection import IN_HOUSE, fee_break_even, real_cost_of_options


@pytest.fixture(scope="module")
def context():
    return FicheContext()


def test_board_example_by_hand(context):
    results, break_even = example_results()
    inside, agency = results.loc[IN_HOUSE], results.loc["AGENCE"]
    # the agency takes A only (B < 300 €, C disputed): 10 000 × 88 % × 8 % = 704 €
    assert agency["fees"] == pytest.approx(10_000 * 0.88 * 0.08) == pytest.approx(704)
    # 1 FTE freed out of 2: 100 000 + 20 000 − 100 000 / 2 = 70 000 € kept; real cost 70 704 € against 120 000 €
    assert inside["real_cost"] == pytest.approx(120_000)
    assert agency["internal_cost"] == pytest.approx(100_000 + 20_000 - 100_000 / 2) == pytest.approx(70_000)
    assert agency["real_cost"] == pytest.approx(70_704)
    # recovered: in-house 10 000 × 90 % + 200 × 90 % + 5 000 × 65 % = 12 430; agency 8 800 + 180 + 3 250 = 12 230
    assert inside["recovered"] == pytest.approx(10_000 * 0.90 + 200 * 0.90 + 5_000 * 0.65) == pytest.approx(12_430)
    assert agency["recovered"] == pytest.approx(10_000 * 0.88 + 200 * 0.90 + 5_000 * 0.65) == pytest.approx(12_230)
    # net cash gap: (12 230 − 70 704) − (12 430 − 120 000) = 49 096
    assert agency["net_cash_vs_in_house"] == pytest.approx((12_230 - 70_704) - (12_430 - 120_000))
    # platform 12 000 € + 4 % against an agency at 10 %: 12 000 / 6 % = 200 000 €
    assert break_even == pytest.approx(12_000 / (0.10 - 0.04)) == pytest.approx(200_000)
    text = render("recouvrement_externalise_exemple", context)
    assert f"**{fmt.euros(70_704, 0)}**" in text and f"**+{fmt.euros(49_096, 0)}**" in text
    assert f"**{fmt.euros(200_000, 0)}**" in text


def test_fil_rouge_figures_are_casekits(context):
    table = real_cost_of_options(context.case, context.as_of, 60).set_index("option_id")
    text = render("recouvrement_externalise_fil_rouge", context)
    for option in table.index:
        assert fmt.euros(table.at[option, "real_cost"], 0) in text
        assert fmt.euros(table.at[option, "recovered"], 0) in text
    best = table.drop(index=IN_HOUSE)["net_cash"].idxmax()
    assert f"+{fmt.euros(table.at[best, 'net_cash_vs_in_house'], 0)}" in text
    r = fil_rouge_results(context)
    offers = r["offers"]
    # platform REC-B (subscription + lower success fee) against agency REC-A, on the 0–90 day band
    be = fee_break_even(offers["REC-A"].annual_subscription, offers["REC-A"].success_fee_0_90,
                        offers["REC-B"].annual_subscription, offers["REC-B"].success_fee_0_90)
    assert r["break_evens"]["REC-B"] == pytest.approx(be) and fmt.euros(be, 0) in text
    assert fmt.euros(r["scope"].at["insolvent", "amount"], 0) in text
