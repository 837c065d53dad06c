"""House chart helpers: French money ticks."""

import pytest

from casekit.plots import EuroFormatter

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
