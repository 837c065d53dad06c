"""Blocks of fiches/gestion-litiges.md: the board example by hand, the fil rouge figures = casekit's."""

import pandas as pd
import pytest

from casekit import fmt
from casekit.credit.disputes import (
    closed_disputes,
    collectable_on_disputed,
    dispute_payment_delay,
    dispute_summary,
    overdue_explained_by_disputes,
    resolution_times,
)
from casekit.fiches.blocks import FicheContext, render
from casekit.fiches.blocks.gestion_litiges import (
    EXAMPLE_AS_OF,
    example_disputes,
    example_escalation,
    example_items,
    fil_rouge_results,
)


@pytest.fixture(scope="module")
def context():
    return FicheContext()


def test_board_example_by_hand(context):
    times = resolution_times(example_disputes(), by=None).loc["Ensemble"]
    # closed in 10, 20 and 45 days (the open one left out): mean (10 + 20 + 45) / 3 = 25, median 20
    assert times["mean_days"] == pytest.approx((10 + 20 + 45) / 3) == pytest.approx(25)
    assert times["median_days"] == 20
    part = overdue_explained_by_disputes(example_items(), EXAMPLE_AS_OF)
    # 12 000 € disputed out of 12 000 + 38 000 = 50 000 € overdue → 24 %
    assert part.share == pytest.approx(12_000 / (12_000 + 38_000)) == pytest.approx(0.24)
    rest = collectable_on_disputed(example_items(), example_disputes(), EXAMPLE_AS_OF).iloc[0]
    assert rest["collectable"] == pytest.approx(12_000 - 500)
    esc = example_escalation()
    # 16/11 → 31/12 = 14 + 31 = 45 days; 2 × 20 = 40 < 45 ≤ 3 × 20 = 60 → level 2
    assert esc["age_days"] == 45 and esc["target_days"] == 20 and esc["level"] == 2
    text = render("gestion_litiges_exemple", context)
    assert f"{fmt.days(25, 0)} / {fmt.days(20, 0)}" in text and fmt.percent(0.24) in text
    assert fmt.euros(11_500, 0) in text and "niveau 2" in text


def test_fil_rouge_figures_are_casekits(context):
    case, as_of = context.case, context.as_of
    disputes = case.disputes[case.disputes["opened_date"] <= as_of]
    summary = dispute_summary(disputes, as_of)
    share = overdue_explained_by_disputes(context.open_items, as_of)
    collectable = collectable_on_disputed(context.open_items, disputes, as_of)
    year_ago = as_of - pd.Timedelta(days=365)
    closed = closed_disputes(disputes, year_ago, as_of)
    delay = dispute_payment_delay(case.invoices, case.payments, disputes, start=year_ago, end=as_of)
    results = fil_rouge_results(context)
    assert results["summary"].open_amount == pytest.approx(summary.open_amount)
    assert results["collectable"]["collectable"].sum() == pytest.approx(collectable["collectable"].sum())
    text = render("gestion_litiges_fil_rouge", context)
    assert f"{summary.open_count} ; {fmt.euros(summary.open_amount, 0)}" in text
    assert fmt.percent(share.share) in text
    assert share.share == pytest.approx(share.disputed_overdue / share.overdue_amount)
    # the undisputed part = open balance − contested amount, summed over the disputed invoices
    assert collectable["collectable"].sum() == pytest.approx(
        (collectable["open_amount"] - collectable["contested"]).clip(lower=0).sum())
    assert fmt.euros(collectable["collectable"].sum(), 0) in text
    assert f"{len(closed)} ; {fmt.number(closed['resolution_days'].mean(), 1)}" in text
    assert f"+{fmt.number(delay.extra_days, 1)} j" in text


def test_committed_fiche_is_up_to_date(context):
    from casekit.fiches import FICHES_DIR, refresh_text

    for name in ("gestion-litiges", "scenario-relance"):
        path = FICHES_DIR / f"{name}.md"
        text = path.read_text(encoding="utf-8")
        assert refresh_text(text, context) == text, f"{name} : lancez « casekit fiches build {name} »"
