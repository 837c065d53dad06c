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


# --- display, environment, results and cash ------------------------------------------------------------------

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from casekit.credit.dso_value import (  # noqa: E402
    dso_environment,
    format_dso_environment,
    format_dso_impact,
    latest_financial_year,
    plot_dso_target,
    receivables_change_breakdown,
    sales_to_offset_loss,
)


def test_receivables_before_and_after():
    impact = dso_change_impact(36_500_000, 60, 50, 0.05)
    # 60 × 100 000 = 6 000 000 €; 50 × 100 000 = 5 000 000 €; the gap is the cash released
    assert (impact.receivables_before, impact.receivables_after) == pytest.approx((6e6, 5e6))
    assert impact.receivables_before - impact.receivables_after == pytest.approx(impact.cash_released)


def test_format_dso_impact_reduction_and_increase():
    table = format_dso_impact(dso_change_impact(36_500_000, 60, 50, 0.05, net_income=1_000_000, tax_rate=0.25))
    assert table.loc["Trésorerie libérée (une fois)", "Valeur"] == "1\u00a0000\u00a0000\u00a0€"
    assert table.loc["Frais financiers économisés par an (avant impôt)", "Valeur"] == "50\u00a0000\u00a0€"
    # 50 000 × 0.75 = 37 500 €, 3.75 % of net income
    assert table.loc["Effet sur le résultat net par an (après IS à 25\u00a0%)", "Valeur"] == "+37\u00a0500\u00a0€"
    assert table.loc["soit, en part du résultat net", "Valeur"] == "3,8\u00a0%"
    worse = format_dso_impact(dso_change_impact(36_500_000, 50, 55, 0.04))
    # DSO up 5 days: 500 000 € absorbed, 20 000 € more interest a year; no tax line without a tax rate
    assert worse.loc["Trésorerie absorbée (une fois)", "Valeur"] == "500\u00a0000\u00a0€"
    assert worse.loc["Hausse du DSO", "Valeur"] == "5,0\u00a0jours"
    assert "Frais financiers supplémentaires par an (avant impôt)" in worse.index
    assert not any(label.startswith("Effet sur le résultat") for label in worse.index)


def test_plot_dso_target():
    fig = plot_dso_target(dso_change_impact(36_500_000, 60, 50, 0.05))
    ax = fig.axes[0]
    heights = [bar.get_height() for bar in ax.patches]
    assert heights == pytest.approx([6e6, 5e6])
    # the labels do not move with the target (each DSO is written in its bar): the simulator's frame stays put
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Aujourd'hui", "DSO visé"]
    assert [t.get_text() for t in ax.texts][:2] == ["60,0\u00a0jours", "50,0\u00a0jours"]
    assert ax.get_ylim() == pytest.approx((0, 8e6))  # 6 M€ × 1,25 = 7,5 M€, rounded up to 8 M€
    plt.close(fig)


def test_sales_to_offset_loss_by_hand():
    # 10 000 € lost at a 2.5 % net margin: 10 000 / 0.025 = 400 000 € of extra sales
    assert sales_to_offset_loss(10_000, 0.025) == pytest.approx(400_000)
    with pytest.raises(DataError, match="marge"):
        sales_to_offset_loss(10_000, 0)
    with pytest.raises(DataError, match="marge"):
        sales_to_offset_loss(10_000, -0.01)


def test_receivables_change_breakdown_by_hand():
    change = receivables_change_breakdown(36_500_000, 6_000_000, 40_150_000, 7_150_000)
    # DSO 6 000 000 / 36 500 000 × 365 = 60 → 7 150 000 / 40 150 000 × 365 = 65 days
    assert (change.dso_before, change.dso_after) == pytest.approx((60, 65))
    # growth: 3 650 000 / 365 × 60 = 600 000 €; DSO: 5 × 40 150 000 / 365 = 550 000 €; total 1 150 000 €
    assert (change.growth_effect, change.dso_effect, change.change) == pytest.approx((600_000, 550_000, 1_150_000))
    # flat sales: everything comes from the DSO
    flat = receivables_change_breakdown(36_500_000, 6_000_000, 36_500_000, 5_000_000)
    assert (flat.growth_effect, flat.dso_effect) == pytest.approx((0, -1_000_000))


def test_latest_financial_year():
    financials = pd.DataFrame({"year": [2023, 2024, 2025]})
    assert latest_financial_year(financials) == 2025
    assert latest_financial_year(financials, "2025-12-31") == 2025
    assert latest_financial_year(financials, "2025-06-30") == 2024  # 2025 not closed yet
    assert latest_financial_year(financials, "2020-12-31") == 2023  # none closed: the earliest
    with pytest.raises(DataError, match="aucun exercice"):
        latest_financial_year(financials.iloc[:0])


def test_dso_environment_by_hand():
    financials = pd.DataFrame({
        "year": [2024, 2025], "revenue_excl_vat": [30_000_000.0, 30_000_000.0],
        "revenue_incl_vat": [36_500_000.0, 36_500_000.0], "trade_receivables": [6_000_000.0, 6_000_000.0],
        "trade_payables": [2_000_000.0, 2_000_000.0], "cash": [500_000.0, 500_000.0],
        "working_capital": [7_500_000.0, 7_500_000.0], "borrowing_rate": [0.05, 0.05],
        "net_income": [1_200_000.0, -100_000.0], "bad_debt_losses": [60_000.0, 60_000.0]})
    env = dso_environment(financials, tax_rate=0.25).loc[2024]
    # a day = 36 500 000 / 365 = 100 000 €; DSO = 6 000 000 / 100 000 = 60 days
    assert (env["day_value"], env["dso"]) == pytest.approx((100_000, 60))
    # cash 500 000 = 5 days of DSO; receivables = 6 / 7.5 = 80 % of working capital
    assert (env["cash_in_dso_days"], env["receivables_share_of_wc"]) == pytest.approx((5, 0.8))
    # trade balance 6 000 000 − 2 000 000 = 4 000 000 € = 40 days of sales
    assert (env["trade_balance"], env["trade_balance_days"]) == pytest.approx((4_000_000, 40))
    # financing 6 000 000 × 5 % = 300 000 € a year; after tax 225 000 = 18.75 % of net income
    assert (env["financing_cost"], env["financing_cost_share_of_net_income"]) == pytest.approx((300_000, 0.1875))
    # net margin 1 200 000 / 30 000 000 = 4 %: 60 000 / 4 % = 1 500 000 € of sales to offset the losses
    assert (env["net_margin_rate"], env["sales_to_offset_losses"]) == pytest.approx((0.04, 1_500_000))
    # a loss-making year: no sales can offset the losses
    assert np.isnan(dso_environment(financials).loc[2025, "sales_to_offset_losses"])


def test_dso_environment_fil_rouge():
    env = dso_environment(casekit.load_case().financials).loc[2025]
    # 9 490 745,02 / 127 991,49 = 74,15 days; cash 1 462 137 / 127 991,49 = 11,4 days
    assert env["dso"] == pytest.approx(74.15, abs=0.01)
    assert env["cash_in_dso_days"] == pytest.approx(11.42, abs=0.01)


def test_format_dso_environment():
    financials = pd.DataFrame({
        "year": [2025], "revenue_excl_vat": [30_000_000.0], "revenue_incl_vat": [36_500_000.0],
        "trade_receivables": [6_000_000.0], "trade_payables": [2_000_000.0], "cash": [500_000.0],
        "working_capital": [7_500_000.0], "borrowing_rate": [0.05], "net_income": [-100_000.0],
        "bad_debt_losses": [60_000.0]})
    table = format_dso_environment(dso_environment(financials))
    assert list(table.columns) == ["2025"] and len(table) == 15
    assert table.loc["DSO (créances / CA TTC × 365)", "2025"] == "60,0\u00a0jours"
    assert table.loc["Trésorerie nette exprimée en jours de DSO", "2025"] == "5,0\u00a0jours"
    assert table.loc["CA HT supplémentaire qui compense ces pertes", "2025"] == "–"  # loss-making year
