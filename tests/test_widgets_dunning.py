"""The dunning-scenario editor driven headlessly: change a step, read the new calendar and expected cash."""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

import casekit  # noqa: E402
from casekit import fmt  # noqa: E402
from casekit.credit.dunning import (  # noqa: E402
    DEFAULT_SCENARIO,
    action_calendar,
    dunning_outcomes,
    expected_from_actions,
    scenario_from_steps,
    summarize_recovery,
)
from casekit.widgets.dunning import dunning_simulator  # noqa: E402


@pytest.fixture(scope="module")
def fil_rouge():
    case = casekit.load_case()
    items = case.open_items(case.as_of)
    proceedings = case.customers.loc[case.customers["insolvency_date"] <= case.as_of, "customer_id"]
    stats = summarize_recovery(dunning_outcomes(case.dunning, case.payments, as_of=case.as_of), "channel")
    return case, items, list(proceedings), stats


@pytest.fixture()
def sim(fil_rouge):
    case, items, proceedings, stats = fil_rouge
    return dunning_simulator(items, case.as_of, case.dunning, case.payments, proceedings, stats=stats, chart=False)


def expected_cash(fil_rouge, steps, horizon=10):
    case, items, proceedings, stats = fil_rouge
    calendar = action_calendar(items, case.as_of, scenario_from_steps(steps), horizon, case.dunning, proceedings)
    return calendar, expected_from_actions(calendar, stats, by="channel")["expected_amount"].sum()


def test_default_scenario_calendar(sim, fil_rouge):
    steps = list(DEFAULT_SCENARIO[["days_from_due", "channel"]].itertuples(index=False))
    calendar, cash = expected_cash(fil_rouge, steps)
    assert len(sim.calendar) == len(calendar) > 0
    assert f"<b>{len(calendar)} actions</b>" in sim.result.value
    assert f"<b>{fmt.euros(cash, 0)}</b>" in sim.result.value
    assert "toutes les actions dues au 31/12/2025 sont faites" in sim.result.value  # the history is up to date


def test_phone_call_replaced_by_an_email(sim, fil_rouge):
    before = sim.expected["expected_amount"].sum()
    sim.channels[1].value = "Courriel"
    steps = [(5, "Courriel"), (15, "Courriel"), (30, "Courrier"), (45, "Lettre recommandée (mise en demeure)"),
             (75, "Transmission au contentieux")]
    _, cash = expected_cash(fil_rouge, steps)
    assert sim.expected["expected_amount"].sum() == pytest.approx(cash)
    assert cash < before  # at J+15, an e-mail recovers less than a phone call did
    assert f"<b>{fmt.euros(cash, 0)}</b>" in sim.result.value
    assert "téléphone" not in sim.result.value.split("Par canal")[1]


def test_preventive_reminder_horizon_and_invalid_order(sim, fil_rouge):
    sim.preventive.value = True
    assert "J-5 courriel → J+5 courriel" in sim.result.value
    assert "à rattraper dès le 31/12/2025" in sim.result.value  # not in the history: to send today
    sim.horizon.value = 5
    steps = [(-5, "Courriel")] + list(DEFAULT_SCENARIO[["days_from_due", "channel"]].itertuples(index=False))
    calendar, _ = expected_cash(fil_rouge, steps, horizon=5)
    assert f"<b>{len(calendar)} actions</b>" in sim.result.value
    sim.days[1].value = 40  # level 2 after level 3 (J+30)
    assert "les délais doivent croître" in sim.result.value
