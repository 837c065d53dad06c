"""The credit-insurance simulator driven headlessly: move a control, read the new figures."""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from casekit import fmt  # noqa: E402
from casekit.outsourcing.insurance import InsurancePolicy, case_policy_cost  # noqa: E402
from casekit.widgets.insurance import insurance_simulator  # noqa: E402


@pytest.fixture()
def sim(case):
    return insurance_simulator(case)


def test_starts_on_offer_a(sim, case):
    policy = InsurancePolicy.offers_from_table(case.insurance_offers)["ASS-A"]
    assert sim.controls["premium_rate"].value == 0.0021 and sim.controls["quotite"].value == 0.9
    # the premium of ASS-A on the 2025 insured turnover, shown rounded to the euro
    assert fmt.euros(case_policy_cost(case, policy).premium, 0) in sim.result.value


def test_moving_the_rate_changes_the_premium(sim, case):
    policy = InsurancePolicy.offers_from_table(case.insurance_offers)["ASS-A"]
    turnover = case_policy_cost(case, policy).turnover  # CA HT 2025, 40 422 432,20 €
    sim.controls["premium_rate"].value = 0.0030
    assert f"prime {fmt.euros(0.0030 * turnover, 0)}" in sim.result.value  # 0,30 % × 40 422 432 = 121 267 €
    sim.controls["premium_rate"].value = 0.0010  # 0,10 % × 40,4 M€ = 40 422 € < minimum 60 000 €
    assert f"prime {fmt.euros(60_000, 0)} (prime minimale appliquée)" in sim.result.value


def test_choosing_an_insolvency_and_moving_the_quotite(sim):
    sim.controls["customer"].value = "C0070"  # Comptoir du Léman, not named: discretionary limit 15 000 €
    assert "Comptoir du Léman" in sim.result.value
    assert f"indemnité avant franchise annuelle <b>{fmt.euros(13_500, 0)}</b>" in sim.result.value  # 15 000 × 90 %
    sim.controls["discretionary_limit"].value = 30_000
    # the discretionary quotité (90 % in ASS-A) applies: 30 000 × 90 % = 27 000
    assert f"indemnité avant franchise annuelle <b>{fmt.euros(27_000, 0)}</b>" in sim.result.value
    # the annual aggregate deductible of 20 000 € (2024: 27 000 + 4 619,47 for C0088 later) leaves 7 000 € paid
    assert f"versée après franchise annuelle et plafond <b>{fmt.euros(7_000, 0)}</b>" in sim.result.value
    sim.controls["aggregate_deductible"].value = 0
    assert f"versée après franchise annuelle et plafond <b>{fmt.euros(27_000, 0)}</b>" in sim.result.value


def test_switching_offer_loads_its_parameters(sim):
    sim.controls["offer"].value = "ASS-B"
    assert sim.controls["quotite"].value == 0.85 and sim.controls["waiting_period_days"].value == 180
    assert sim.controls["discretionary_limit"].value == 50_000


def test_limits_scenario_changes_the_coverage(sim, case):
    before = sim.result.value
    sim.controls["limits"].value = "none"
    assert sim.result.value != before
    assert "agréments refusés 0 €" in sim.result.value.replace("\u00a0", " ")


def test_protracted_default_with_a_short_waiting_period(sim):
    sim.controls["customer"].value = "C0142"  # oldest due date 21/01/2023, judgement 16/05/2023 (day 115)
    sim.controls["waiting_period_days"].value = 90  # 21/01/2023 + 90 days = 21/04/2023, before the judgement
    assert "sinistre constitué le 21/04/2023 par carence" in sim.result.value

