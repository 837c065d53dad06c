"""The DSO target simulator (notebook 02) driven headlessly: move a slider, read the result."""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

import casekit  # noqa: E402
from casekit.widgets.dso import dso_target_simulator, dso_target_simulator_for_case  # noqa: E402

NBSP = "\u00a0"


def test_simulator_reacts_to_the_target_and_the_rate():
    box = dso_target_simulator(36_500_000, 60, 0.05, net_income=1_000_000, chart=False)
    # initial target 10 days lower: 10 × 100 000 = 1 000 000 € released, 50 000 € a year at 5 %
    assert box.target.value == 50 and box.impact.cash_released == pytest.approx(1_000_000)
    assert f"1{NBSP}000{NBSP}000{NBSP}€" in box.result.value
    box.target.value = 45
    # 15 days × 100 000 = 1 500 000 €; × 5 % = 75 000 € a year; after tax 56 250 € = 5,6 % of net income
    assert box.impact.cash_released == pytest.approx(1_500_000)
    assert f"1{NBSP}500{NBSP}000{NBSP}€" in box.result.value and f"75{NBSP}000{NBSP}€" in box.result.value
    assert f"+56{NBSP}250{NBSP}€" in box.result.value
    box.rate.value = 6.0
    # 1 500 000 × 6 % = 90 000 € a year
    assert box.impact.financing_saved == pytest.approx(90_000)
    assert f"90{NBSP}000{NBSP}€" in box.result.value
    box.target.value = 70
    # a DSO drift of 10 days absorbs 1 000 000 €
    assert "Trésorerie absorbée" in box.result.value and box.impact.cash_released == pytest.approx(-1_000_000)


def test_simulator_on_the_fil_rouge_with_chart():
    box = dso_target_simulator_for_case(casekit.load_case(), 2025)
    assert "Hexaform" in box.children[0].value
    box.target.value = 60
    # (74,15 − 60) × 127 991,49 = 1 811 256 € released at 4,7 %: 85 129 € a year
    assert box.impact.cash_released == pytest.approx(1_811_256, abs=1)
    assert f"85{NBSP}129{NBSP}€" in box.result.value
    assert box.impact.working_capital_after == pytest.approx(9_657_826.10 - box.impact.cash_released, abs=0.01)
