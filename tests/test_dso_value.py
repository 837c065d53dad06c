"""Value of one day of DSO and the impact of a DSO change."""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

import casekit  # noqa: E402
from casekit import DataError  # noqa: E402
from casekit.credit.dso_value import (  # noqa: E402
    dso_change_impact,
    dso_day_value,
    dso_reduction_table,
    dso_value_for_case,
    plot_dso_reduction,
)


def test_day_value_by_hand():
    # 36 500 000 / 365 = 100 000 € a day
    assert dso_day_value(36_500_000) == pytest.approx(100_000.0)
    # 46 716 893,50 / 365 = 127 991,49 €
    assert dso_day_value(46_716_893.50) == pytest.approx(127_991.49, abs=0.01)
    with pytest.raises(DataError, match="chiffre d'affaires"):
        dso_day_value(0)


def test_change_impact_by_hand():
    impact = dso_change_impact(36_500_000, 60, 50, 0.05, ebitda=2_000_000, working_capital=8_000_000,
                               net_income=1_000_000, tax_rate=0.25)
    # 10 days × 100 000 = 1 000 000 € released; × 5 % = 50 000 € a year before tax
    assert impact.days_reduced == 10
    assert impact.cash_released == pytest.approx(1_000_000)
    assert impact.financing_saved == pytest.approx(50_000)
    # after tax: 50 000 × (1 − 25 %) = 37 500 €; 37 500 / 1 000 000 = 3,75 % of net income
    assert impact.result_after_tax == pytest.approx(37_500)
    assert impact.share_of_net_income == pytest.approx(0.0375)
    # 50 000 / 2 000 000 = 2,5 % of EBITDA; working capital 8 000 000 − 1 000 000 = 7 000 000
    assert impact.share_of_ebitda == pytest.approx(0.025)
    assert (impact.working_capital_before, impact.working_capital_after) == pytest.approx((8e6, 7e6))


def test_change_impact_increase_and_optional_fields():
    impact = dso_change_impact(36_500_000, 50, 55, 0.04)
    # DSO up by 5 days: 5 × 100 000 = 500 000 € absorbed, 20 000 € a year more financing
    assert impact.cash_released == pytest.approx(-500_000)
    assert impact.financing_saved == pytest.approx(-20_000)
    assert impact.result_after_tax is None and impact.working_capital_after is None
    assert impact.share_of_ebitda is None and impact.share_of_net_income is None


@pytest.mark.parametrize("kwargs, words", [
    ({"financing_rate": -0.01}, "taux de financement"),
    ({"tax_rate": 1.5}, "impôt"),
    ({"dso_to": -3}, "négatif"),
])
def test_change_impact_bad_input(kwargs, words):
    args = {"annual_sales_incl_vat": 36_500_000, "dso_from": 60, "dso_to": 50, "financing_rate": 0.05}
    args.update(kwargs)
    with pytest.raises(DataError, match=words):
        dso_change_impact(**args)


def test_value_for_case_fil_rouge():
    case = casekit.load_case()
    impact = dso_value_for_case(case, 2025)
    row = case.financials.set_index("year").loc[2025]
    # DSO 2025 = 9 490 745,02 / 46 716 893,50 × 365 = 74,15 days; target 10 days less
    assert impact.dso_from == pytest.approx(74.15, abs=0.01)
    assert impact.days_reduced == pytest.approx(10)
    # 10 × 127 991,49 = 1 279 914,89 € released; × 4,7 % = 60 156,00 € a year
    assert impact.cash_released == pytest.approx(1_279_914.89, abs=0.01)
    assert impact.financing_saved == pytest.approx(60_156.00, abs=0.01)
    assert impact.working_capital_after == pytest.approx(row["working_capital"] - impact.cash_released)
    assert dso_value_for_case(case, 2024, target_dso=60).dso_to == 60
    with pytest.raises(DataError, match="exercice 2019"):
        dso_value_for_case(case, 2019)


def test_reduction_table_and_chart():
    table = dso_reduction_table(36_500_000, 0.05, max_days=10)
    assert len(table) == 11 and table.loc[10, "cash_released"] == pytest.approx(1_000_000)
    assert table.loc[4, "financing_saved"] == pytest.approx(20_000)  # 4 × 100 000 × 5 %
    fig = plot_dso_reduction(36_500_000, 0.05)
    assert fig.axes[0].get_xlabel() == "Baisse du DSO (jours)"
    assert fig.axes[1].get_ylabel() == "Frais financiers économisés par an"
