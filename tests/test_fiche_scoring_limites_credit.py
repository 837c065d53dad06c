"""Blocks of fiches/scoring-limites-credit.md: the board example by hand, the fil rouge figures = casekit's."""

import pandas as pd
import pytest

from casekit import fmt
from casekit.credit.risk import credit_limit_status
from casekit.credit.scoring import (
    TERMS_BY_CLASS,
    backtest_data,
    class_indicators,
    customer_features,
    evaluate_backtest,
    recommended_terms,
    recommended_terms_by_class,
    score_customers,
    weights_without,
)
from casekit.fiches.blocks import FicheContext, render
from casekit.fiches.blocks.scoring_limites_credit import example_results


@pytest.fixture(scope="module")
def context():
    return FicheContext()


def test_board_example_by_hand(context):
    detail, score, terms, auc = example_results()
    # points: days late 12 → (60 − 12) / 60 × 100 = 80; rating 14 → (14 − 1) / 19 × 100 = 68,4; trend +2 →
    # (10 − 2) / 20 × 100 = 40; disputes 5 % → 75; limit use 80 % → (1,2 − 0,8) / 0,7 × 100 = 57,1;
    # seniority 6 years → 60; margin 30 % → 50 (each rounded to 0,1 point)
    points = {"days_late": 80.0, "external_score": 68.4, "late_trend": 40.0, "dispute_rate": 75.0,
              "limit_use": 57.1, "seniority_years": 60.0, "margin_rate": 50.0}
    for name, value in points.items():
        assert detail.at[name, "points"] == pytest.approx(value)
    # score = (30 × 80 + 25 × 68,4 + 10 × 40 + 10 × 75 + 10 × 57,1 + 10 × 60 + 5 × 50) / 100 = 66,81 → 66,8 : B
    by_hand = (30 * 80 + 25 * 68.4 + 10 * 40 + 10 * 75 + 10 * 57.1 + 10 * 60 + 5 * 50) / 100
    assert score["score"] == pytest.approx(round(by_hand, 1)) == pytest.approx(66.8)
    assert score["class"] == "B"
    # limit = 2 months (class B) × 50 000 € = 100 000 €
    assert terms["recommended_limit"] == pytest.approx(2 * 50_000) == pytest.approx(100_000)
    # AUC: good [3, 4], bad [1, 3] → (3 pairs won + ½ tie) / 4 = 0,875
    assert auc == pytest.approx((3 + 0.5) / 4)
    text = render("scoring_limites_credit_exemple", context)
    assert f"**{fmt.number(66.8, 1)}**" in text and f"**{fmt.euros(100_000, 0)}**" in text
    assert f"**{fmt.number(0.875, 3)}**" in text


def test_class_policy_is_casekits(context):
    text = render("scoring_limites_credit_classes", context)
    for cls, terms in TERMS_BY_CLASS.items():
        assert terms.payment_method in text and f"| **{cls}** |" in text
    assert "65\u00a0à\u00a079,9" in text


def test_fil_rouge_figures_are_casekits(context):
    case, as_of = context.case, context.as_of
    features = customer_features(case, as_of)
    scores = score_customers(features)
    indicators = class_indicators(scores, features, case.open_items(as_of), as_of, case.invoices)
    limits = recommended_terms_by_class(recommended_terms(scores, features))
    fair = evaluate_backtest(backtest_data(case, as_of - pd.DateOffset(years=1)), weights_without("external_score"))
    status = credit_limit_status(case.open_items(as_of), case.customers, as_of)
    text = render("scoring_limites_credit_fil_rouge", context)
    assert f"**AUC loyale : {fmt.number(fair.auc, 2)}**" in text
    assert fmt.euros(limits.at["Total", "recommended_limit"], 0) in text
    assert fmt.euros(limits.at["Total", "credit_limit"], 0) in text
    for cls in TERMS_BY_CLASS:
        line = next(line for line in text.splitlines() if line.startswith(f"| **{cls}** |"))
        assert f"| {fmt.number(indicators.at[cls, 'customers'])} |" in line
        assert fmt.percent(fair.by_class.at[cls, "late_invoice_rate"]) in line
    assert f"{int(status['blocked'].sum())} clients" in text
