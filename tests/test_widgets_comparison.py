"""The simulator of the three externalisation solutions driven headlessly."""

import time

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from casekit import fmt  # noqa: E402
from casekit.outsourcing.comparison import compare_solutions, solutions_scenario  # noqa: E402
from casekit.widgets.comparison import solutions_simulator  # noqa: E402


@pytest.fixture(scope="module")
def sim(case):
    return solutions_simulator(case)


def _cost(table, solution):
    return fmt.euros(table.set_index("solution").at[solution, "annual_cost"], 0)


def test_starts_on_the_offers_as_received(sim, case):
    ref = compare_solutions(case)
    for solution in ("insurance", "factoring", "collection"):
        assert f"<b>{_cost(ref, solution)}</b>" in sim.result.value


def test_premium_rates_move_the_insurance_cost(sim, case):
    sim.controls["premium_scale"].value = 1.5
    # ASS-B: 1,5 × 64 675,89 = 97 013,84 of premium + 2 880 € of fees = 99 894 €
    assert f"coût annuel <b>{fmt.euros(99_894, 0)}</b>" in sim.result.value
    sim.controls["premium_scale"].value = 1.0


def test_collection_terms(sim, case):
    sim.controls["threshold"].value = 90
    start = time.process_time()
    sim.controls["success_fee_scale"].value = 0.5
    assert time.process_time() - start < 1.0  # the other solutions' tables are kept: reacts at once
    table = solutions_scenario(case, handover_days=90, success_fee_scale=0.5)
    assert f"<b>{_cost(table, 'collection')}</b>" in sim.result.value
    assert "(REC-A – Recouvra Conseil)" in sim.result.value
    sim.controls["threshold"].value = 60
    sim.controls["success_fee_scale"].value = 1.0


def test_factoring_terms(sim, case):
    sim.controls["factoring_fee_scale"].value = 0.8
    sim.controls["margin_shift"].value = 0.002
    table = solutions_scenario(case, factoring_fee_scale=0.8, financing_margin_shift=0.002)
    assert f"<b>{_cost(table, 'factoring')}</b>" in sim.result.value


def test_tables_already_computed_are_reused(case):
    from casekit.outsourcing.collection import real_cost_of_options
    from casekit.outsourcing.comparison import lowest_insurance_cost_rate
    from casekit.outsourcing.factoring import compare_factoring_offers
    from casekit.outsourcing.insurance import compare_insurance_offers

    ins = compare_insurance_offers(case)
    fac = compare_factoring_offers(case, insurance_rate=lowest_insurance_cost_rate(ins))
    seeded = solutions_simulator(case, insurance=ins, factoring=fac, collection=real_cost_of_options(case))
    assert seeded.result.value == solutions_simulator(case).result.value
