"""Cash forecast: customer payment delays, expected dates, weekly/monthly forecast, back-test, chart."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from casekit import DataError  # noqa: E402
from casekit.casestudy.case import CaseStudy  # noqa: E402
from casekit.credit.forecast import (  # noqa: E402
    backtest_forecast,
    customer_payment_delays,
    expected_payment_dates,
    forecast_collections,
    overall_delay,
    payment_lines,
    period_labels,
    plot_forecast,
)
from casekit.openitems import canonical_open_items  # noqa: E402

AS_OF = "2025-12-31"
T = pd.Timestamp




def invoices():
    return pd.DataFrame({
        "document_ref": ["I1", "I2", "I3", "I4", "AV1"],
        "customer_id": ["A", "A", "B", "C", "A"],
        "document_date": [T("2025-09-01"), T("2025-10-01"), T("2025-08-01"), T("2024-05-01"),
                          T("2025-11-15")],
        "due_date": [T("2025-10-01"), T("2025-11-01"), T("2025-09-01"), T("2024-06-01"), T("2025-11-15")],
        "amount_incl_vat": [1000.0, 3500.0, 2000.0, 1000.0, -500.0]})


def payments():
    return pd.DataFrame({
        "payment_ref": ["P1", "P2", "P3", "P4", "IM1", "IM1", "P5"],
        "customer_id": ["A", "A", "B", "C", "A", "A", "B"],
        "payment_date": [T("2025-10-13"), T("2025-11-01"), T("2025-09-21"), T("2024-06-30"), T("2025-12-01"),
                         T("2025-12-01"), T("2025-12-05")],
        "payment_method": ["Virement", "Virement", "Virement", "Virement", "Imputation d'avoir",
                           "Imputation d'avoir", "Virement"],
        "document_ref": ["I1", "I2", "I3", "I4", "I2", "AV1", ""],
        "amount": [1000.0, 3000.0, 2000.0, 1000.0, 500.0, -500.0, 250.0]})


def open_items():
    rows = [  # customer, ref, document date, due date, amount
        ("A", "O1", "2025-12-01", "2026-01-30", 1000.0),
        ("B", "O2", "2025-11-21", "2025-12-21", 2000.0),  # 10 days overdue
        ("B", "O3", "2025-10-01", "2025-11-01", 500.0),  # 60 days overdue
        ("C", "O4", "2025-12-15", "2026-02-15", 4000.0),
        ("C", "R1", "2025-12-20", "2025-12-20", -300.0),  # unapplied credit: not forecast
        ("D", "O5", "2025-01-01", "2025-03-01", 700.0),  # 305 days overdue: doubtful
        ("E", "O6", "2026-01-05", "2026-02-05", 900.0),  # issued after as_of
    ]
    df = pd.DataFrame(rows, columns=["customer_id", "document_ref", "document_date", "due_date", "amount"])
    return canonical_open_items(df)


def test_payment_lines_keep_cash_on_invoices_only():
    lines = payment_lines(invoices(), payments())
    # P1..P4 are cash on invoices; the credit-note offset (IM1) and the unallocated receipt P5 are left out
    assert sorted(lines["document_ref"]) == ["I1", "I2", "I3", "I4"]
    assert lines.set_index("document_ref")["days_late"].to_dict() == {"I1": 12.0, "I2": 0.0, "I3": 20.0,
                                                                     "I4": 29.0}
    window = payment_lines(invoices(), payments(), "2024-12-31", AS_OF)
    assert "I4" not in set(window["document_ref"])



def test_payment_lines_without_invoices_is_empty_not_an_error():
    # edge: payments whose invoices are not in the table (or no data at all) give no line, with datetime columns
    for inv, pay in ((invoices().iloc[0:0], payments()), (invoices().iloc[0:0], payments().iloc[0:0])):
        lines = payment_lines(inv, pay)
        assert lines.empty and str(lines["due_date"].dtype).startswith("datetime64")

def test_customer_payment_delays_weighted_by_amount():
    delays = customer_payment_delays(invoices(), payments(), AS_OF)
    # A: (1 000 × 12 + 3 000 × 0) / 4 000 = 3 days; B: 20 days; C paid in 2024, outside the 365-day window
    assert delays["average_delay"].to_dict() == pytest.approx({"A": 3.0, "B": 20.0})
    assert delays.loc["A", "amount_paid"] == 4000.0 and delays.loc["A", "payments"] == 2
    # overall: (12 000 + 0 + 40 000) / 6 000 = 8.667 days
    assert overall_delay(delays) == pytest.approx(52000 / 6000)
    assert customer_payment_delays(invoices(), payments(), "2020-01-01").empty
    assert overall_delay(customer_payment_delays(invoices(), payments(), "2020-01-01")) == 0.0


def test_expected_payment_dates_rules():
    delays = customer_payment_delays(invoices(), payments(), AS_OF)
    items = expected_payment_dates(open_items(), AS_OF, delays).set_index("document_ref")
    assert set(items.index) == {"O1", "O2", "O3", "O4", "O5"}  # no credit, nothing issued after as_of
    # O1: due 30/01 + 3 days = 02/02; O2: due 21/12 + 20 = 10/01 (still ahead); O3: due 01/11 + 20 = 21/11,
    # already past → first day after as_of; O4: C has no history → overall 8.667 rounded to 9 → 24/02
    assert items["expected_date"].to_dict() == {
        "O1": T("2026-02-02"), "O2": T("2026-01-10"), "O3": T("2026-01-01"), "O4": T("2026-02-24"),
        "O5": T("2026-01-01")}
    assert items.loc["O2", "naive_date"] == T("2026-01-01")
    assert items.loc["O1", "naive_date"] == T("2026-01-30")
    assert items["doubtful"].to_dict() == {"O1": False, "O2": False, "O3": False, "O4": False, "O5": True}
    # a Series of delays works too: default = its mean (3 + 20) / 2 = 11.5 → 12 days for C
    series = expected_payment_dates(open_items(), AS_OF, pd.Series({"A": 3.0, "B": 20.0}))
    assert series.set_index("document_ref").loc["O4", "expected_date"] == T("2026-02-27")


def test_forecast_collections_monthly_and_weekly():
    delays = customer_payment_delays(invoices(), payments(), AS_OF)
    monthly = forecast_collections(open_items(), AS_OF, delays, freq="M", horizon=3)
    assert list(monthly.index.astype(str)) == ["2026-01", "2026-02", "2026-03"]
    # forecast: Jan = O2 2 000 + O3 500 = 2 500; Feb = O1 1 000 + O4 4 000 = 5 000
    assert monthly["forecast"].tolist() == [2500.0, 5000.0, 0.0]
    # naive: Jan = O1 1 000 (due 30/01) + overdue O2 2 000 + O3 500 = 3 500; Feb = O4 4 000
    assert monthly["naive"].tolist() == [3500.0, 4000.0, 0.0]
    weekly = forecast_collections(open_items(), AS_OF, delays, freq="W")
    assert len(weekly) == 13 and str(weekly.index[0].start_time.date()) == "2025-12-29"
    # week 1 (29/12–04/01): O3 500 (forecast), O2 + O3 2 500 (naive); week 2 (05/01–11/01): O2 2 000
    assert weekly["forecast"].iloc[:2].tolist() == [500.0, 2000.0]
    assert weekly["naive"].iloc[:2].tolist() == [2500.0, 0.0]
    # O1 forecast 02/02 → week 6; naive 30/01 → week 5; O4 naive 15/02 → week 7, forecast 24/02 → week 9
    assert weekly["forecast"].iloc[5] == 1000.0 and weekly["naive"].iloc[4] == 1000.0
    assert weekly["naive"].iloc[6] == 4000.0 and weekly["forecast"].iloc[8] == 4000.0
    assert weekly["forecast"].sum() == weekly["naive"].sum() == 7500.0  # all non-doubtful invoices
    # without doubtful exclusion, O5 (700) lands in the first period of both
    all_items = forecast_collections(open_items(), AS_OF, delays, freq="M", doubtful_after_days=None)
    assert all_items["forecast"].iloc[0] == 3200.0


def test_forecast_without_behaviour_is_naive_and_edge_cases():
    plain = forecast_collections(open_items(), AS_OF, None, freq="M")
    assert plain["forecast"].tolist() == plain["naive"].tolist()
    empty = forecast_collections(open_items().iloc[0:0], AS_OF, freq="M")
    assert len(empty) == 6 and empty["forecast"].sum() == 0.0
    before = forecast_collections(open_items(), "2020-01-01", freq="M")
    assert before["naive"].sum() == 0.0  # as_of before any document
    with pytest.raises(DataError, match="fréquence"):
        forecast_collections(open_items(), AS_OF, freq="D")
    with pytest.raises(DataError, match="horizon"):
        forecast_collections(open_items(), AS_OF, freq="W", horizon=0)
    with pytest.raises(DataError, match="average_delay"):
        forecast_collections(open_items(), AS_OF, pd.DataFrame({"x": [1]}))


def _tiny_case(invoices, payments):
    empty = pd.DataFrame()
    company = pd.DataFrame({"name": ["Test"], "legal_form": ["SAS"], "as_of": [T("2025-12-31")]})
    customers = pd.DataFrame({"customer_id": ["A"], "customer_name": ["Alpha"]})
    disputes = pd.DataFrame({"document_ref": pd.Series(dtype=str), "opened_date": pd.Series(dtype="M8[ns]"),
                             "closed_date": pd.Series(dtype="M8[ns]")})
    return CaseStudy(company=company, financials=empty, collectors=empty, customers=customers,
                     invoices=invoices, payments=payments, disputes=disputes, dunning=empty, calls=empty,
                     insurance_offers=empty, insurance_limits=empty, factoring_offers=empty,
                     collection_offers=empty)


def test_backtest_forecast_hand_example():
    inv = pd.DataFrame({"document_ref": ["H", "X"], "customer_id": ["A", "A"],
                        "document_date": [T("2025-04-01"), T("2025-06-10")],
                        "due_date": [T("2025-05-01"), T("2025-07-10")], "amount_incl_vat": [2000.0, 1000.0]})
    pay = pd.DataFrame({"payment_ref": ["P1", "P2"], "customer_id": ["A", "A"],
                        "payment_date": [T("2025-05-06"), T("2025-07-15")],
                        "payment_method": ["Virement"] * 2,
                        "document_ref": ["H", "X"], "amount": [2000.0, 1000.0]})
    result = backtest_forecast(_tiny_case(inv, pay), "2025-06-30", horizon_days=14, freq="W")
    # weeks 30/06–06/07, 07/07–13/07, 14/07–20/07; A paid H 5 days late → X expected 15/07 (week 3),
    # naive at due date 10/07 (week 2), actually paid 15/07 (week 3)
    assert result.table["forecast"].tolist() == [0.0, 0.0, 1000.0]
    assert result.table["naive"].tolist() == [0.0, 1000.0, 0.0]
    assert result.table["actual"].tolist() == [0.0, 0.0, 1000.0]
    assert result.mae_forecast == 0.0
    assert result.mae_naive == pytest.approx(2000 / 3)  # (0 + 1 000 + 1 000) / 3
    assert result.best == "forecast"
    with pytest.raises(DataError, match="après la date des données"):
        backtest_forecast(_tiny_case(inv, pay), "2025-12-01", horizon_days=60)


def test_fil_rouge_forecast_reconciles(case):
    items = case.open_items(AS_OF)
    delays = customer_payment_delays(case.invoices, case.payments, AS_OF)
    detail = expected_payment_dates(items, AS_OF, delays)
    positive = items[items["amount"] > 0]["amount"].sum()
    assert detail["amount"].sum() == pytest.approx(positive)
    monthly = forecast_collections(items, AS_OF, delays, freq="M", horizon=12)
    kept = detail.loc[~detail["doubtful"], "amount"].sum()
    assert monthly["naive"].sum() == pytest.approx(kept)  # every item due within a year
    assert monthly["forecast"].sum() == pytest.approx(kept)
    assert monthly["forecast"].iloc[0] < monthly["naive"].iloc[0]  # customers pay later than due dates
    assert 5 < overall_delay(delays) < 40


def test_fil_rouge_backtest_customer_delays_beat_naive(case):
    for as_of in ("2024-06-30", "2025-06-30"):
        result = backtest_forecast(case, as_of, horizon_days=91, freq="W")
        assert result.best == "forecast"
        assert result.mae_forecast < 0.6 * result.mae_naive
        assert result.table["actual"].sum() > 0


def test_plot_forecast(case):
    result = backtest_forecast(case, "2025-06-30", horizon_days=91, freq="W")
    fig = plot_forecast(result.table)
    ax = fig.axes[0]
    assert ax.get_title() == "Prévision des encaissements"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "Prévision (retards habituels)", "Prévision naïve (à l'échéance)", "Encaissements réels"]
    assert period_labels(result.table.index)[0] == "sem. du 30/06"
    assert period_labels(pd.period_range("2026-01", periods=2, freq="M")) == ["01/2026", "02/2026"]


# --- notebook 06 additions: FIFO allocation for a FEC, ledger back-test, forecast gaps and monthly track ----------

from casekit.credit.forecast import (  # noqa: E402
    backtest_ledger_forecast,
    backtest_month_ends,
    fifo_allocations,
    fifo_open_items,
    fifo_payment_lines,
    forecast_gaps,
    forecast_track,
    is_lettered,
    ledger_payment_delays,
    plot_forecast_track,
)


def fec_ledger_tables():
    """A ledger shaped like `fec_ledger`: no due dates, receipts not allocated (document_ref empty).

    A: invoices I1 1 000 € (01/01/2025) and I2 500 € (01/02), credit note AV −200 € (10/02); receipts 1 200 €
    (15/02) and 150 € (20/03), a refund of 100 € (01/03: a debt). B: J1 1 000 € (01/12/2024) paid 30/01/2025,
    J2 2 000 € (10/02/2025) paid 20/04/2025. Terms 30 days.
    """
    inv = pd.DataFrame({
        "document_ref": ["I1", "I2", "AV", "J1", "J2"], "customer_id": ["A", "A", "A", "B", "B"],
        "document_date": [T("2025-01-01"), T("2025-02-01"), T("2025-02-10"), T("2024-12-01"), T("2025-02-10")],
        "amount_incl_vat": [1000.0, 500.0, -200.0, 1000.0, 2000.0]})
    pay = pd.DataFrame({
        "customer_id": ["A", "A", "A", "B", "B"],
        "payment_date": [T("2025-02-15"), T("2025-03-01"), T("2025-03-20"), T("2025-01-30"), T("2025-04-20")],
        "amount": [1200.0, -100.0, 150.0, 1000.0, 2000.0], "document_ref": [""] * 5})
    return inv, pay


def test_fifo_allocations_hand_example():
    inv, pay = fec_ledger_tables()
    alloc = fifo_allocations(inv, pay, 30)
    a = alloc[alloc["customer_id"] == "A"]
    # A's debts by date: I1 1 000, I2 500, refund 100 (cumulated 1 000, 1 500, 1 600); credits by date: AV 200
    # (10/02, no cash), 1 200 (15/02), 150 (20/03) (cumulated 200, 1 400, 1 550): matched up to 1 550
    assert a[["document_ref", "amount", "cash"]].values.tolist() == [
        ["I1", 200.0, False], ["I1", 800.0, True], ["I2", 400.0, True], ["I2", 100.0, True], ["REG-1", 50.0, True]]
    assert a["invoice"].tolist() == [True, True, True, True, False]
    lines = fifo_payment_lines(inv, pay, 30).set_index(["document_ref", "payment_date"])
    # I1 due 31/01, paid 15/02: 15 days late; I2 due 03/03: 400 paid 15/02 (16 days early), 100 on 20/03 (+17)
    assert lines.loc[("I1", T("2025-02-15")), "days_late"] == 15.0
    assert lines.loc[("I2", T("2025-02-15")), ["amount", "days_late"]].tolist() == [400.0, -16.0]
    assert lines.loc[("I2", T("2025-03-20")), "days_late"] == 17.0
    delays = ledger_payment_delays(inv, pay, "2025-03-31", 30)
    # A: (800 × 15 + 400 × −16 + 100 × 17) / 1 300 = 7 300 / 1 300; B: J1 due 31/12/2024 paid 30/01 → 30 days
    assert delays.loc["A", "average_delay"] == pytest.approx(7300 / 1300)
    assert delays.loc["B", ["payments", "amount_paid", "average_delay"]].tolist() == [1, 1000.0, 30.0]
    # open at 28/02: I2 100 (the refund is dated 01/03), J2 2 000; at 31/03: half the refund, J2
    opened = fifo_open_items(inv, pay, "2025-02-28", 30).set_index("document_ref")
    assert opened["amount"].to_dict() == {"I2": 100.0, "J2": 2000.0}
    assert opened.loc["I2", "due_date"] == T("2025-03-03")
    later = fifo_open_items(inv, pay, "2025-03-31", 30).set_index("document_ref")["amount"].to_dict()
    assert later == {"REG-1": 50.0, "J2": 2000.0}
    assert fifo_allocations(inv.iloc[0:0], pay.iloc[0:0]).empty  # edge: no data at all


def test_ledger_delays_dispatch():
    assert not is_lettered(*fec_ledger_tables())
    assert is_lettered(invoices(), payments())
    # lettered tables: same as customer_payment_delays
    pd.testing.assert_frame_equal(ledger_payment_delays(invoices(), payments(), AS_OF),
                                  customer_payment_delays(invoices(), payments(), AS_OF))


def test_backtest_ledger_forecast_hand_example():
    inv, pay = fec_ledger_tables()
    result = backtest_ledger_forecast(inv, pay, "2025-02-28", 30, horizon_days=61, freq="M", data_end="2025-04-30")
    # delays known at 28/02: A (800 × 15 + 400 × −16) / 1 200 = 4.67 → 5 days; B 30 days.
    # I2 (100, due 03/03) expected 08/03 → March; J2 (2 000, due 12/03) expected 11/04 → April.
    # naive: both due in March. Actual: I2's 100 on 20/03 (March), J2 on 20/04 (April).
    assert list(result.table.index.astype(str)) == ["2025-03", "2025-04"]
    assert result.table["forecast"].tolist() == [100.0, 2000.0]
    assert result.table["naive"].tolist() == [2100.0, 0.0]
    assert result.table["actual"].tolist() == [100.0, 2000.0]
    assert result.mae_forecast == 0.0 and result.mae_naive == 2000.0 and result.best == "forecast"
    with pytest.raises(DataError, match="après la date des données"):
        backtest_ledger_forecast(inv, pay, "2025-02-28", 30, horizon_days=61, freq="M")  # data end 20/04


def test_forecast_gaps_and_track():
    table = pd.DataFrame({"forecast": [2_000_000.0], "naive": [0.0], "actual": [1_800_000.0]})
    gaps = forecast_gaps(table)
    # (1 800 000 − 2 000 000) / 2 000 000 = −10 %; no naive forecast → no ratio
    assert gaps.loc[0, ["gap_forecast", "gap_forecast_pct", "gap_naive"]].tolist() == \
        [-200_000.0, pytest.approx(-0.10), 1_800_000.0]
    assert pd.isna(gaps.loc[0, "gap_naive_pct"])
    inv, pay = fec_ledger_tables()
    track = forecast_track(inv, ["2025-02-28"], payments=pay, payment_terms_days=30)
    # March as forecast at 28/02: forecast 100 (J2 expected in April), naive 2 100, actual 100
    assert track[["forecast", "naive", "actual", "gap_forecast"]].values.tolist() == [[100.0, 2100.0, 100.0, 0.0]]
    assert track["gap_naive_pct"].iloc[0] == pytest.approx(-2000 / 2100)
    assert track["as_of"].iloc[0] == T("2025-02-28") and str(track.index[0]) == "2025-03"
    assert forecast_track(inv, [], payments=pay).empty


def test_backtest_month_ends():
    inv = pd.DataFrame({"document_date": [T("2025-03-10"), T("2025-06-01")]})
    # history from March: 3 months end in May; the month after must end by as_of
    assert backtest_month_ends(inv, "2025-12-31", 6) == list(pd.date_range("2025-06-30", "2025-11-30", freq="ME"))
    assert backtest_month_ends(inv, "2025-12-15", 6) == list(pd.date_range("2025-05-31", "2025-10-31", freq="ME"))
    assert backtest_month_ends(inv, "2025-07-31", 6) == [T("2025-05-31"), T("2025-06-30")]
    assert backtest_month_ends(inv, "2025-05-31", 6) == []  # only 30/04 is checkable, with 2 months of history
    assert backtest_month_ends(inv.iloc[0:0], "2025-12-31") == []


def test_fil_rouge_track_matches_backtests(case):
    track = forecast_track(case, ["2025-10-31", "2025-11-30"])
    for month_end, row in zip(["2025-10-31", "2025-11-30"], track.itertuples()):
        table = backtest_forecast(case, month_end, 1, "M").table.iloc[0]
        assert (row.forecast, row.naive, row.actual) == (table["forecast"], table["naive"], table["actual"])
    assert (track["gap_forecast"].abs() < track["gap_naive"].abs()).all()
    fig = plot_forecast_track(track)
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == [
        "Prévision (retards habituels)", "Prévision naïve (à l'échéance)", "Encaissements réels"]
