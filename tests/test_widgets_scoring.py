"""The scoring simulator driven headlessly: move a weight, read the new classes and back-test."""

import time

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from casekit import fmt  # noqa: E402
from casekit.credit.scoring import (  # noqa: E402
    DEFAULT_WEIGHTS,
    backtest_scoring,
    customer_features,
    score_customers,
    weights_without,
)
from casekit.widgets.scoring import scoring_simulator  # noqa: E402


@pytest.fixture()
def sim(case):
    return scoring_simulator(case, chart=False)


def test_starts_on_the_default_weights(sim, case):
    assert {k: s.value for k, s in sim.controls.items() if s.value} == DEFAULT_WEIGHTS
    classes = score_customers(customer_features(case, case.as_of))["class"].value_counts()
    assert f"<b>A</b> {classes['A']} clients" in sim.result.value
    auc = backtest_scoring(case, "2024-12-31").auc  # one year before the case's date, with the rating
    assert f"AUC <b>{fmt.number(auc, 2)}</b>" in sim.result.value


def test_removing_the_external_rating_gives_the_fair_backtest(sim, case):
    start = time.perf_counter()
    sim.controls["external_score"].value = 0
    assert time.perf_counter() - start < 1.0  # reacts well under a second
    fair = backtest_scoring(case, "2024-12-31", weights=weights_without("external_score"))
    assert sim.backtest.auc == fair.auc
    assert f"AUC <b>{fmt.number(fair.auc, 2)}</b>" in sim.result.value
    assert f"défaillances seules {fmt.number(fair.auc_insolvency, 2)}" in sim.result.value
    classes = score_customers(customer_features(case, case.as_of), weights_without("external_score"))
    assert sim.indicators.loc["E", "customers"] == (classes["class"] == "E").sum()


def test_presets_and_all_weights_at_zero(sim, case):
    sim.preset.value = "behaviour"
    assert {k: s.value for k, s in sim.controls.items() if s.value} == {"days_late": 30, "late_trend": 10}
    assert "retard moyen de paiement (12 mois) 75\u00a0%" in sim.result.value  # 30 / (30 + 10)
    for slider in sim.controls.values():
        slider.value = 0
    assert "pondérations du score doivent être positives" in sim.result.value
