"""Blocks of fiches/scenario-relance.md: the board example by hand, the fil rouge figures = casekit's."""

import pytest

from casekit import fmt
from casekit.credit.dunning import (
    action_calendar,
    action_plan,
    cumulative_recovery,
    dunning_outcomes,
    expected_from_actions,
    summarize_recovery,
)
from casekit.fiches.blocks import FicheContext, render
from casekit.fiches.blocks.scenario_relance import (
    EXAMPLE_AS_OF,
    EXAMPLE_STATS,
    HORIZON_DAYS,
    example_items,
    fil_rouge_results,
    full_scenario,
)


@pytest.fixture(scope="module")
def context():
    return FicheContext()


def test_board_example_by_hand(context):
    plan = action_plan(example_items(), EXAMPLE_AS_OF)
    levels = plan.items.set_index("document_ref")["level"].to_dict()
    # 3 days < J+5: no level; 8 ≥ 5 → 1; 20 ≥ 15 → 2; 50 ≥ 45 → 4; 90 ≥ 75 → 5
    assert levels == {"F2": 1, "F3": 2, "F4": 4, "F5": 5}
    assert len(plan.actions) == 4
    cumul = cumulative_recovery(EXAMPLE_STATS)["cumulative_rate"]
    # 600 / 1 000 = 60 % ; (600 + 250) / 1 000 = 85 % ; (600 + 250 + 100) / 1 000 = 95 %
    assert list(cumul) == pytest.approx([600 / 1000, (600 + 250) / 1000, (600 + 250 + 100) / 1000])
    text = render("scenario_relance_methode", context)
    assert "aucun niveau, niveau 1, niveau 2, niveau 4, niveau 5" in text and "**4 actions**" in text
    assert ", ".join(f"**{fmt.percent(r, 0)}**" for r in (0.60, 0.85, 0.95)) in text


def test_scenario_table_is_the_library_scenario(context):
    scenario = full_scenario()
    # a preventive reminder at J−5 (level 0), then the fil rouge's five levels at J+5, 15, 30, 45, 75
    assert list(scenario["days_from_due"]) == [-5, 5, 15, 30, 45, 75] and list(scenario["level"]) == list(range(6))
    text = render("scenario_relance_methode", context)
    assert "| J−5 (0) |" in text and "| J+75 (5) |" in text


def test_fil_rouge_figures_are_casekits(context):
    case, as_of = context.case, context.as_of
    proceedings = list(case.customers.loc[case.customers["insolvency_date"] <= as_of, "customer_id"])
    plan = action_plan(context.open_items, as_of, dunning_history=case.dunning, proceedings=proceedings)
    stats = summarize_recovery(dunning_outcomes(case.dunning, case.payments, as_of=as_of), "level")
    calendar = action_calendar(context.open_items, as_of, horizon_days=HORIZON_DAYS, dunning_history=case.dunning,
                               proceedings=proceedings)
    expected = expected_from_actions(calendar, stats, by="level")
    got_plan, got_stats, cumul, got_expected, to_sales, by_class = fil_rouge_results(context)
    assert got_plan.actions["amount"].sum() == pytest.approx(plan.actions["amount"].sum())
    assert got_expected["expected_amount"].sum() == pytest.approx(expected["expected_amount"].sum())
    text = render("scenario_relance_fil_rouge", context)
    assert f"**{fmt.euros(plan.actions['amount'].sum(), 0)}**" in text
    assert f"**{fmt.euros(expected['expected_amount'].sum(), 0)}**" in text
    for level in stats.index:
        assert fmt.percent(stats.at[level, "recovery_rate"], 1) in text
    # cumulative rate after level 2 = (recovered at 1 + recovered at 2) / dunned at 1
    rate2 = (stats.at[1, "amount_recovered"] + stats.at[2, "amount_recovered"]) / stats.at[1, "amount_dunned"]
    assert cumul.at[2, "cumulative_rate"] == pytest.approx(rate2)
    assert fmt.percent(rate2, 1) in text
    assert fmt.euros(plan.disputed["amount"].sum(), 0) in text
