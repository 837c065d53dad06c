"""Blocks of fiches/moyens-paiement.md: the board example by hand, the fil rouge figures = casekit's."""

import pytest

from casekit import fmt
from casekit.credit.dso import window_start
from casekit.credit.dso_value import dso_change_impact
from casekit.credit.risk import days_late_by_payment_method, payment_method_switch
from casekit.credit.scoring import customer_features, score_customers, terms_review, terms_review_by_class
from casekit.fiches.blocks import FicheContext, render
from casekit.fiches.blocks.moyens_paiement import example_results


@pytest.fixture(scope="module")
def context():
    return FicheContext()


def test_board_example_by_hand(context):
    measured, switch, impact = example_results()
    # 1 000 € paid 10 days late, 3 000 € on the due date: (1 000 × 10 + 3 000 × 0) / 4 000 = 2,5 days, 75 % on time
    assert measured["days_late"] == pytest.approx((1_000 * 10 + 3_000 * 0) / 4_000) == pytest.approx(2.5)
    assert measured["on_time"] == pytest.approx(3_000 / 4_000)
    # 3 650 000 € a year = 10 000 € a day, 20 − 5 = 15 days gained → 150 000 €; at 5 % → 7 500 € a year
    assert switch.days_gained == pytest.approx(20 - 5)
    assert switch.cash_released == pytest.approx(3_650_000 / 365 * 15) == pytest.approx(150_000)
    assert impact.financing_saved == pytest.approx(150_000 * 0.05) == pytest.approx(7_500)
    text = render("moyens_paiement_exemple", context)
    assert fmt.days(2.5) in text and f"**{fmt.euros(150_000, 0)}**" in text and fmt.euros(7_500, 0) in text


def test_fil_rouge_figures_are_casekits(context):
    case, as_of = context.case, context.as_of
    by_method = days_late_by_payment_method(case.invoices, case.payments, window_start(as_of, 12), as_of)
    text = render("moyens_paiement_fil_rouge", context)
    for method, row in by_method.iterrows():
        line = next(line for line in text.splitlines() if line.startswith(f"| {method} |"))
        assert fmt.euros(row["amount"], 0) in line and fmt.days(row["days_late"]) in line
        assert fmt.percent(row["amount"] / by_method["amount"].sum()) in line
    switch = payment_method_switch(by_method, "Virement", "Prélèvement SEPA")
    rate = float(case.company["cost_of_capital"].iloc[0])
    assert f"**{fmt.euros(switch.cash_released, 0)}**" in text
    assert fmt.euros(dso_change_impact(switch.yearly_amount, switch.days_gained, 0, rate).financing_saved, 0) in text
    review = terms_review_by_class(terms_review(score_customers(customer_features(case, as_of)), case.customers,
                                                case.invoices, as_of))
    assert f"**{review.at['Total', 'method_not_ok']}** clients" in text
