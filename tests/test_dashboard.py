"""Dashboard: indicators reconcile with the calculators, French table, four-panel figure."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from casekit import DataError, fmt  # noqa: E402
from casekit.credit.dashboard import INDICATORS, dashboard, format_dashboard  # noqa: E402
from casekit.credit.dso import dso_accounting, monthly_dso  # noqa: E402


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
    titles = [ax.get_title("left") for ax in board.figure.axes]
    assert titles == ["DSO sur 12 mois", "Balance âgée", "Litiges ouverts", "Encaissements prévus"]
    corners = [ax.texts[-1].get_text() for ax in board.figure.axes[:3]]  # the month's figures, right of the title
    assert corners[0] == "au 31/12/2025" and corners[1] == fmt.euros(board.aged["total"], 0)
    assert corners[2] == f"{board.disputes.open_count} pour {fmt.euros(board.disputes.open_amount, 0)}"


def test_errors(case):
    with pytest.raises(DataError, match="postérieur"):
        dashboard(case, "2026-01")
    with pytest.raises(DataError, match="historique insuffisant"):
        dashboard(case, "2022-01")
    with pytest.raises(DataError, match="illisible"):
        dashboard(case, "2025-13")
    early = dashboard(case, "2022-06")  # less than 12 months of DSO: no 12-month change
    assert len(early.dso) == 4 and pd.isna(early.indicators["dso_accounting_change_12m"])


# --- notebook 06 additions: any ledger's dashboard, the DSO against its target, the month picker's helpers ---------

from casekit.credit.dashboard import (  # noqa: E402
    dashboard_history,
    dashboard_months,
    dso_target_sentence,
    dso_target_status,
    ledger_dashboard,
)
from casekit.credit.forecast import payment_lines  # noqa: E402


def monthly(dso_values, sales=1_000_000.0):
    ends = pd.date_range(end="2025-12-31", periods=len(dso_values), freq="ME", name="month_end")
    return pd.DataFrame({"sales": sales, "window_sales": 3 * sales, "window_days": 92.0,
                         "dso_accounting": dso_values, "dso_count_back": dso_values}, index=ends)


def test_dso_target_status_hand_example():
    status = dso_target_status(monthly([60.0] * 12 + [70.0]), 65)
    # gap 70 − 65 = 5 days; one day = 12 × 1 000 000 / 365 = 32 876,71 €; 5 days → 164 383,56 €
    assert (status.dso, status.gap, status.change_12m) == (70.0, 5.0, 10.0)  # 70 − 60 twelve months before
    assert (status.months, status.months_on_target) == (13, 12)
    assert status.day_value == pytest.approx(12_000_000 / 365)
    assert status.cash_to_release == pytest.approx(5 * 12_000_000 / 365)
    short = dso_target_status(monthly([72.0, 70.0, 70.0]), 80)
    # fewer than 12 months: one day = window sales / window days = 3 000 000 / 92; below target: nothing to release
    assert short.gap == -10.0 and short.cash_to_release == 0.0 and pd.isna(short.change_12m)
    assert short.day_value == pytest.approx(3_000_000 / 92)
    sentence = dso_target_sentence(monthly([60.0] * 12 + [70.0]), 65).replace("\u00a0", " ")
    assert "soit 5,0 jours au-dessus de l'objectif de 65 jours ; l'atteindre libérerait 164 384 €" in sentence
    assert "atteint" in dso_target_sentence(monthly([72.0, 70.0, 70.0]), 80)
    assert dso_target_sentence(monthly([70.0]), None) == ""
    with pytest.raises(DataError, match="objectif"):
        dso_target_status(monthly([70.0]), 0)
    with pytest.raises(DataError, match="historique"):
        dso_target_status(monthly([70.0]).iloc[0:0], 65)
    with pytest.raises(DataError, match="méthode"):
        dso_target_status(monthly([70.0]), 65, method="x")


def test_ledger_dashboard_matches_the_fil_rouge_dashboard(case, board):
    other = ledger_dashboard(case.open_items("2025-12-31"), case.invoices, case.payments, "2025-12-31",
                             disputes=case.disputes)
    pd.testing.assert_series_equal(other.indicators, board.indicators.astype(float), check_exact=False)
    assert other.figure._suptitle.get_text() == "Tableau de bord crédit clients au 31/12/2025"


def test_ledger_dashboard_without_history_or_disputes():
    items = pd.DataFrame({"customer_id": pd.Series(dtype=str), "customer_name": pd.Series(dtype=str),
                          "document_ref": pd.Series(dtype=str), "document_date": pd.Series(dtype="M8[ns]"),
                          "due_date": pd.Series(dtype="M8[ns]"), "amount": pd.Series(dtype=float),
                          "disputed": pd.Series(dtype=bool)})
    invoices = pd.DataFrame({"document_ref": ["V1"], "customer_id": ["A"],
                             "document_date": [pd.Timestamp("2023-03-01")], "amount_incl_vat": [100.0]})
    payments = pd.DataFrame({"customer_id": ["A"], "payment_date": [pd.Timestamp("2023-04-01")], "amount": [100.0],
                             "document_ref": [""]})
    board = ledger_dashboard(items, invoices, payments, "2022-12-31", dso_target=65)  # data after the date
    ind = board.indicators
    assert ind[["dso_accounting", "dso_count_back", "open_disputes", "overdue_share"]].isna().all()
    assert ind["receivables"] == 0.0 and ind["forecast_next_month"] == 0.0
    assert format_dashboard(board).loc["Litiges ouverts (nombre)", "Valeur"] == "–"
    texts = [t.get_text() for ax in board.figure.axes for t in ax.texts]
    assert any("Historique des ventes insuffisant" in t for t in texts)
    assert any("Litiges non suivis" in t for t in texts)


def test_month_picker_helpers(case, board):
    months = dashboard_months(case, 3)
    assert [str(m) for m in months] == ["2025-10", "2025-11", "2025-12"]
    history = dashboard_history(case, months)
    assert str(history.index[0].to_period("M")) == "2024-10"  # 12 months before the first month
    fast = dashboard(case, "2025-12", history=history, lines=payment_lines(case.invoices, case.payments))
    assert fast.indicators.equals(board.indicators) and fast.dso.equals(board.dso)
    target = dashboard(case, "2025-12", dso_target=65)
    assert "Objectif : 65 jours" in [t.get_text() for t in target.figure.axes[0].get_legend().get_texts()]


# --- the month picker's steady frame: scales covering every month ---------------------------------------------------

from casekit.credit.dashboard import Dashboard, dashboard_scales  # noqa: E402
from casekit.credit.disputes import DisputeSummary  # noqa: E402


def hand_board(month, dso_pairs, buckets, reasons, forecast):
    """A Dashboard of `month` from hand figures: DSO (accounting, count-back) of the months ending at `month`."""
    month = pd.Period(month, freq="M")
    ends = pd.period_range(end=month, periods=len(dso_pairs), freq="M").to_timestamp(how="end").normalize()
    dso = pd.DataFrame(dso_pairs, columns=["dso_accounting", "dso_count_back"], index=ends)
    aged = pd.Series({**buckets, "total": sum(buckets.values())})
    by_reason = pd.DataFrame({"amount": list(reasons.values())}, index=pd.Index(list(reasons), name="reason"))
    disputes = DisputeSummary(month.to_timestamp(how="end"), len(reasons), sum(reasons.values()), by_reason,
                              by_reason.iloc[:0])
    periods = pd.period_range(month + 1, periods=len(forecast), freq="M")
    table = pd.DataFrame(forecast, columns=["forecast", "naive"], index=periods)
    return Dashboard(month, month.to_timestamp(how="end"), pd.Series(dtype=float), dso, aged, disputes, table, None)


def test_scales_cover_every_month_by_hand():
    january = hand_board("2025-01", [(60.0, 62.0), (70.0, 58.0)], {"not_due": 100.0, "1-30": 40.0},
                         {"Prix": 30.0, "Qualité": 10.0}, [(500.0, 300.0), (200.0, 0.0)])
    february = hand_board("2025-02", [(70.0, 58.0), (64.0, 66.0)], {"not_due": 80.0, "1-30": -20.0}, {},
                          [(100.0, 450.0), (0.0, 0.0)])
    scales = dashboard_scales([january, february], dso_target=65)
    assert list(scales.timeline.astype(str)) == ["2024-12", "2025-01", "2025-02"]
    # DSO 58 to 70 (target 65 inside): spread 12, 5 % = 0,6 each side → 57,4 to 70,6
    assert scales.dso == pytest.approx((57.4, 70.6))
    # bars: farthest 100 → 110 → round 120; below zero −20 → −22 → round −25
    assert scales.buckets == ("not_due", "1-30") and scales.aged == (-25.0, 120.0)
    # reasons by largest amount, smallest first (drawn bottom up); 30 → 33 → 40
    assert scales.reasons == ("Qualité", "Prix") and scales.disputes == (0.0, 40.0)
    # forecast 500 → 550 → 600; the two months forecast different months: counted from the month end
    assert scales.forecast == (0.0, 600.0) and scales.forecast_labels == ("M+1", "M+2")
    assert scales.aged_unit == scales.forecast_unit == "k€"
    alone = dashboard_scales([hand_board("2025-01", [(50.0, 50.0)], {"not_due": 2e6}, {}, [(1.0, 1.0)])])
    # equal DSO values, no target: 1 day each side; one board: its own months by name; 2 M€ → « M€ »
    assert alone.dso == (49.0, 51.0) and alone.forecast_labels == ("02/2025",) and alone.aged_unit == "M€"
    assert alone.reasons == () and alone.disputes == (0.0, 1.0)
