"""Dashboard: indicators reconcile with the calculators, French table, four-panel figure."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import casekit  # noqa: E402
from casekit import DataError  # noqa: E402
from casekit.credit.dashboard import INDICATORS, dashboard, format_dashboard  # noqa: E402
from casekit.credit.dso import dso_accounting, monthly_dso  # noqa: E402


@pytest.fixture(scope="module")
def case():
    return casekit.load_case()


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def board(case):
    return dashboard(case, "2025-12")


def test_indicators_reconcile(case, board):
    ind = board.indicators
    assert board.as_of == pd.Timestamp("2025-12-31") and set(ind.index) == set(INDICATORS)
    items = case.open_items("2025-12-31")
    assert ind["receivables"] == pytest.approx(items["amount"].sum())
    not_due = items.loc[items["due_date"] >= "2025-12-31", "amount"].sum()
    assert ind["overdue"] == pytest.approx(items["amount"].sum() - not_due)
    assert ind["overdue_share"] == pytest.approx(ind["overdue"] / ind["receivables"])
    last = board.dso.iloc[-1]
    # accounting DSO = receivables / sales of Oct–Dec × 92 days
    expected = dso_accounting(last["receivables"], last["window_sales"], 92)
    assert ind["dso_accounting"] == pytest.approx(expected)
    assert len(board.dso) == 13
    reference = monthly_dso(case, "2024-12", "2024-12").iloc[0]
    change = ind["dso_count_back"] - reference["dso_count_back"]
    assert ind["dso_count_back_change_12m"] == pytest.approx(change)
    assert ind["open_disputes"] == items["disputed"].sum()
    assert ind["forecast_next_month"] == board.forecast["forecast"].iloc[0] > 0
    assert str(board.forecast.index[0]) == "2026-01"


def test_same_dashboard_from_a_date(case, board):
    other = dashboard(case, "2025-12-15")
    assert other.month == board.month
    assert other.indicators.equals(board.indicators)


def test_format_and_figure(board):
    table = format_dashboard(board)
    assert table.loc["DSO méthode par épuisement", "Valeur"].endswith("jours")
    assert table.loc["Part échue de l'encours", "Valeur"].endswith("%")
    assert len(board.figure.axes) == 4
    assert board.figure._suptitle.get_text() == "Tableau de bord crédit clients — 12/2025"
    titles = [ax.get_title() for ax in board.figure.axes]
    assert titles[0] == "DSO sur 12 mois" and titles[3] == "Encaissements prévus"


def test_errors(case):
    with pytest.raises(DataError, match="postérieur"):
        dashboard(case, "2026-01")
    with pytest.raises(DataError, match="historique insuffisant"):
        dashboard(case, "2022-01")
    with pytest.raises(DataError, match="illisible"):
        dashboard(case, "2025-13")
    early = dashboard(case, "2022-06")  # less than 12 months of DSO: no 12-month change
    assert len(early.dso) == 4 and pd.isna(early.indicators["dso_accounting_change_12m"])
