"""The factoring simulator driven headlessly: move a control, read the new figures."""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from casekit import fmt  # noqa: E402
from casekit.outsourcing.factoring import compare_factoring_offers  # noqa: E402
from casekit.widgets.factoring import factoring_simulator  # noqa: E402


@pytest.fixture(scope="module")
def comparison(case):
    return compare_factoring_offers(case).set_index("offer_id")


@pytest.fixture()
def sim(case):
    return factoring_simulator(case)


def test_starts_on_offer_a_as_in_the_comparison(sim, comparison):
    a = comparison.loc["FAC-A"]
    assert sim.controls["guarantee_fund_rate"].value == 0.10 and sim.controls["financing_margin"].value == 0.012
    assert f"= <b>{fmt.euros(a['total_cost'], 0)}</b>" in sim.result.value  # 465 097 €
    assert f"<b>{fmt.percent(a['effective_rate'], 2)}</b>" in sim.result.value  # 4,94 %


def test_moving_the_commission_changes_the_cost(sim, case, comparison):
    a = comparison.loc["FAC-A"]
    sales = a["assigned_sales"]  # 46 716 893,50 € TTC cédés en 2025
    sim.controls["factoring_fee_rate"].value = 0.0030
    # 0,30 % × 46 716 893,50 = 140 150,68 €, i.e. 140 150,68 − 116 792,23 = 23 358,45 € more than FAC-A
    assert f"commission d'affacturage {fmt.euros(140_150.68, 0)}" in sim.result.value
    assert f"= <b>{fmt.euros(a['total_cost'] + 0.0005 * sales, 0)}</b>" in sim.result.value  # 488 455 €
    sim.controls["factoring_fee_rate"].value = 0.0005  # 0,05 % × 46,7 M€ = 23 358 € < minimum 40 000 €
    assert f"commission d'affacturage {fmt.euros(40_000, 0)} (minimum annuel appliqué)" in sim.result.value


def test_drawing_nothing_costs_no_interest(sim):
    sim.controls["share_drawn"].value = 0.0
    assert f"commission de financement {fmt.euros(0, 0)}" in sim.result.value
    assert f"Trésorerie moyenne obtenue</b> : <b>{fmt.euros(0, 0)}</b>" in sim.result.value


def test_euribor_and_margin(sim, comparison):
    a = comparison.loc["FAC-A"]
    sim.controls["index_rate"].value = 0.0305  # Euribor + 1 point: financing 4,25 % instead of 3,25 %
    expected = a["financing_commission"] * 0.0425 / 0.0325  # 272 438,31 × 4,25 / 3,25 = 356 265,48 €
    assert f"commission de financement {fmt.euros(expected, 0)} (4,25\u00a0% l'an" in sim.result.value


def test_switching_offer_loads_its_parameters(sim, comparison):
    sim.controls["offer"].value = "FAC-B"
    assert sim.controls["guarantee_fund_rate"].value == 0.12 and sim.controls["factoring_fee_rate"].value == 0.0018
    assert f"= <b>{fmt.euros(comparison.loc['FAC-B', 'total_cost'], 0)}</b>" in sim.result.value  # 424 143 €
    assert "garantie d'insolvabilité incluse" not in sim.result.value  # FAC-B has none
