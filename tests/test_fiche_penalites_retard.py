"""Blocks of fiches/penalites-retard.md: the half-year rates, the board example by hand, fil rouge = casekit's."""

import pandas as pd
import pytest

from casekit import fmt
from casekit.credit.penalties import (
    late_payment_claim,
    legal_penalty_rate,
    minimum_contractual_rate,
    penalties,
    penalties_on_paid_invoices,
    penalties_summary,
)
from casekit.fiches.blocks import FicheContext, render
from casekit.fiches.blocks.penalites_retard import fil_rouge_results, half_years


@pytest.fixture(scope="module")
def context():
    return FicheContext()


def test_rates_of_the_half_years(context):
    starts = half_years(context.as_of)
    assert starts[0] == pd.Timestamp("2024-01-01") and starts[-1] == pd.Timestamp("2026-01-01")
    text = render("penalites_retard_taux", context)
    # 2e semestre 2025 : taux BCE au 01/07/2025 2,15 % + 10 points = 12,15 %
    assert legal_penalty_rate("2025-07-01") == pytest.approx(0.0215 + 0.10)
    # 1er semestre 2024 : plancher 3 × 5,07 % = 15,21 %, au-dessus du taux légal 4,50 % + 10 = 14,50 %
    assert minimum_contractual_rate("2024-01-01") == pytest.approx(3 * 0.0507)
    for start in starts:
        assert f"**{fmt.percent(legal_penalty_rate(start), 2)}**" in text
        assert fmt.percent(minimum_contractual_rate(start), 2) in text
    # a fixed 12 % is below the floor in 2024 (15,21 % and 3 × 4,92 % = 14,76 %), above it from 2025 (11,13 %)
    assert "**non conforme** au 1er sem. 2024 et au 2e sem. 2024." in text


def test_board_example_by_hand(context):
    claim = late_payment_claim(10_000, "2025-03-31", "2025-08-31")
    # 01/04–30/06 : 91 jours à 3,15 % + 10 = 13,15 % ; 01/07–31/08 : 62 jours à 2,15 % + 10 = 12,15 %
    first, second = 10_000 * 0.1315 * 91 / 365, 10_000 * 0.1215 * 62 / 365
    assert first == pytest.approx(327.85, abs=0.005) and second == pytest.approx(206.38, abs=0.005)
    assert claim.penalty == pytest.approx(327.85 + 206.38) == pytest.approx(534.23)
    assert claim.total == pytest.approx(534.23 + 40) == pytest.approx(574.23)
    text = render("penalites_retard_exemple", context)
    assert "10 000 € × 13,15 % × 91 j / 365 | 327,85 €" in text.replace(fmt.NBSP, " ")
    assert f"**{fmt.euros(574.23)}**" in text


def test_fil_rouge_figures_are_casekits(context):
    judgments = context.case.customers.set_index("customer_id")["insolvency_date"]
    summary = penalties_summary(penalties(context.open_items, context.as_of, insolvency_dates=judgments))
    paid = penalties_on_paid_invoices(context.case.invoices, context.case.payments, "2025-01-01", "2025-12-31")
    block_summary, _, block_paid, start = fil_rouge_results(context)
    assert start == pd.Timestamp("2025-01-01")
    pd.testing.assert_frame_equal(block_summary, summary)
    text = render("penalites_retard_fil_rouge", context)
    assert f"**{fmt.euros(summary.loc['total', 'total'], 0)}**" in text
    assert f"| {fmt.number(len(paid))} |" in text and len(block_paid) == len(paid)
    assert f"**{fmt.euros(paid['penalty'].sum() + paid['indemnity'].sum(), 0)}**" in text
    assert paid["indemnity"].sum() == pytest.approx(40 * len(paid))
