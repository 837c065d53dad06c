"""The dispute resolution-time simulator driven headlessly: move a control, read the new figures."""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from casekit import fmt  # noqa: E402
from casekit.credit.disputes import target_check  # noqa: E402
from casekit.widgets.disputes import dispute_target_simulator  # noqa: E402

AS_OF = "2025-12-31"



@pytest.fixture()
def sim(case):
    return dispute_target_simulator(case.disputes, AS_OF,
                                    names=case.customers.set_index("customer_id")["customer_name"])


def test_starts_on_every_department_with_a_30_day_target(sim, case):
    check = target_check(case.disputes, AS_OF, 30)
    assert sim.controls["target"].value == 30
    assert f"{check.open_count} litiges ouverts pour {fmt.euros(check.open_amount)}" in sim.result.value
    assert f"{check.beyond_count} au-delà du délai cible" in sim.result.value
    assert "Distillerie Berthier" in sim.result.value  # LIT-0894 (C0124), open for 65 days, to escalate


def test_choosing_a_department_loads_its_target(sim, case):
    sim.controls["department"].value = "Logistique"
    assert sim.controls["target"].value == 20  # the Logistique target
    check = target_check(case.disputes, AS_OF, 20, department="Logistique")
    assert f"{check.open_count} litiges ouverts pour {fmt.euros(check.open_amount)}" in sim.result.value
    assert f"dont <b>{fmt.percent(check.within_rate, 0)} dans le délai cible</b>" in sim.result.value


def test_moving_the_target_changes_the_blocked_amount(sim, case):
    sim.controls["department"].value = "Logistique"
    sim.controls["target"].value = 10
    check = target_check(case.disputes, AS_OF, 10, department="Logistique")
    # open Logistique disputes older than 10 days: 28, 16, 13 and 13 days
    assert check.beyond_count == 4
    assert f"<b>4 au-delà du délai cible</b>, soit <b>{fmt.euros(check.beyond_amount)} bloqués</b>" \
        in sim.result.value
    sim.controls["target"].value = 60
    assert "<b>0 au-delà du délai cible</b>" in sim.result.value


def test_choosing_a_reason(sim, case):
    sim.controls["reason"].value = "Qualité / produit défectueux"
    check = target_check(case.disputes, AS_OF, 30, reason="Qualité / produit défectueux")
    assert "tous les services — Qualité / produit défectueux" in sim.result.value
    assert f"délai médian {fmt.days(check.median_days, 0)}" in sim.result.value


def test_an_empty_selection(case):
    sim = dispute_target_simulator(case.disputes, "2022-01-05")  # the first dispute opens on 17/01/2022
    assert "aucun litige ouvert" in sim.result.value and "aucun litige clos" in sim.result.value
