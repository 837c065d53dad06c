"""House chart helpers: French money ticks."""

import numpy as np
import pandas as pd
import pytest

from casekit.plots import COARSE_STEPS, EuroFormatter, bar_limits, nice_bounds, nice_limit

NBSP = "\u00a0"


@pytest.mark.parametrize("unit, ticks, expected", [
    # 200 000 € = 0,2 M€; 250 000 € rounds to 0,2 M€ at one decimal (half to even), so two decimals are needed.
    ("M€", [200_000, 250_000, 300_000], ["0,20", "0,25", "0,30"]),
    ("M€", [0, 2_000_000, 4_000_000], ["0,0", "2,0", "4,0"]),        # one decimal is enough
    ("k€", [0, 500, 1_000], ["0,0", "0,5", "1,0"]),                   # 0 / 0 / 1 k€ would repeat
    ("€", [1_234, 5_678], ["1" + NBSP + "234", "5" + NBSP + "678"]),
])
def test_ticks_have_as_few_decimals_as_keep_them_distinct(unit, ticks, expected):
    assert EuroFormatter(unit).format_ticks(ticks) == [f"{e}{NBSP}{unit}" for e in expected]


def test_a_single_value_keeps_the_unit_default():
    assert EuroFormatter("M€")(1_250_000) == f"1,2{NBSP}M€"   # 1,25 rounded half to even at one decimal


@pytest.mark.parametrize("value, expected", [
    (1_234, 1_500),     # 1,234 × 10³ → the next step is 1,5 × 10³
    (100, 100),         # already round: kept
    (101, 120),         # 1,01 × 10² → 1,2 × 10²
    (1_200, 1_200),     # 1,2 × 10³ exactly, despite 1,2 being inexact in binary
    (8_001, 10_000),    # beyond 8 × 10³ → 10 × 10³
    (0.031, 0.04),      # 3,1 × 10⁻² → 4 × 10⁻²
    (0, 1), (-5, 1),    # nothing to show: a unit axis
])
def test_nice_limit_by_hand(value, expected):
    assert nice_limit(value) == pytest.approx(expected)


def test_nice_bounds_by_hand():
    # largest magnitude 1,69 M, a fifth 338 000 → step 400 000; 1,14 M / 400 000 = 2,85 → floor(2,6) = 2 → 800 000;
    # 1,69 M / 400 000 = 4,225 → ceil(4,475) = 5 → 2 000 000
    assert nice_bounds(1_140_000, 1_690_000) == pytest.approx((800_000, 2_000_000))
    # a single value 50: step nice_limit(10) = 10; floor(4,75) = 4 → 40; ceil(5,25) = 6 → 60
    assert nice_bounds(50, 50) == pytest.approx((40, 60))
    # across zero: largest magnitude 200, a fifth 40 → step 40; −100 / 40 = −2,5 → floor(−2,75) = −3 → −120;
    # 200 / 40 = 5 → ceil(5,25) = 6 → 240
    assert nice_bounds(-100, 200) == pytest.approx((-120, 240))


def test_bar_limits_by_hand():
    # 120 × 1,1 = 132 → 150 (1,5 × 100); the 30 is inside
    assert bar_limits([120, 30]) == pytest.approx((0, 150))
    # several series: −50 × 1,1 = −55 → −60; 200 × 1,1 = 220 → 250
    assert bar_limits([10, -50], pd.Series([200.0])) == pytest.approx((-60, 250))
    # only negative bars: −10 × 1,1 = −11 → −12; nothing above zero
    assert bar_limits([-10, 0]) == pytest.approx((-12, 0))
    # missing values left out: 5 × 1,1 = 5,5 → 6; nothing at all → (0, 1)
    assert bar_limits([np.nan, 5]) == pytest.approx((0, 6))
    assert bar_limits([0, 0]) == (0, 1) and bar_limits([]) == (0, 1)


def test_bar_limits_on_coarse_steps_by_hand():
    # steps 1, 2, 2,5, 5 × 10ⁿ: 10 100 × 1,1 = 11 110 → 20 000; 1 900 × 1,1 = 2 090 → 2 500
    assert bar_limits([10_100], steps=COARSE_STEPS) == pytest.approx((0, 20_000))
    assert bar_limits([1_900], steps=COARSE_STEPS) == pytest.approx((0, 2_500))
    # −300 × 1,1 = −330 → −500; 4 000 × 1,1 = 4 400 → 5 000
    assert bar_limits([-300, 4_000], steps=COARSE_STEPS) == pytest.approx((-500, 5_000))
