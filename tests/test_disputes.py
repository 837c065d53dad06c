"""Disputes: open at as_of, by reason and department, ageing, resolution times, share of overdue, trend."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import casekit  # noqa: E402
from casekit import DataError  # noqa: E402
from casekit.credit.disputes import (  # noqa: E402
    dispute_summary,
    dispute_trend,
    open_dispute_ageing,
    open_disputes,
    overdue_explained_by_disputes,
    plot_dispute_trend,
    plot_disputes_by_reason,
    resolution_times,
)
from casekit.openitems import canonical_open_items  # noqa: E402

AS_OF = "2025-12-31"
T = pd.Timestamp


@pytest.fixture(scope="module")
def case():
    return casekit.load_case()


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def disputes():
    rows = [  # id, reason, department, amount, opened, closed
        ("L1", "Prix", "Commercial", 1000.0, "2025-12-20", None),  # open, 11 days
        ("L2", "Prix", "Commercial", 500.0, "2025-10-01", "2026-01-15"),  # open at as_of (closed after), 91 d
        ("L3", "Qualité", "Qualité", 2000.0, "2025-11-15", None),  # open, 46 days
        ("L4", "Qualité", "Qualité", 300.0, "2025-07-01", "2025-08-10"),  # closed in 40 days
        ("L5", "Prix", "Commercial", 700.0, "2025-09-01", "2025-09-21"),  # closed in 20 days
        ("L6", "Prix", "Commercial", 100.0, "2025-04-01", "2025-05-01"),  # closed in 30 days
        ("L7", "Prix", "Commercial", 900.0, "2026-01-10", None),  # opened after as_of
    ]
    df = pd.DataFrame(rows, columns=["dispute_id", "reason", "owner_department", "amount", "opened_date",
                                     "closed_date"])
    df["opened_date"] = pd.to_datetime(df["opened_date"])
    df["closed_date"] = pd.to_datetime(df["closed_date"])
    return df.assign(customer_id="A", document_ref=df["dispute_id"].str.replace("L", "F"))


def test_open_disputes_and_summary():
    assert sorted(open_disputes(disputes(), AS_OF)["dispute_id"]) == ["L1", "L2", "L3"]
    s = dispute_summary(disputes(), AS_OF)
    assert (s.open_count, s.open_amount) == (3, 3500.0)  # 1 000 + 500 + 2 000
    # by reason, largest amount first: Qualité 2 000 (57.1 %), Prix 1 500 (42.9 %)
    assert s.by_reason.index.tolist() == ["Qualité", "Prix"]
    assert s.by_reason["count"].tolist() == [1, 2]
    assert s.by_reason["share"].tolist() == pytest.approx([2000 / 3500, 1500 / 3500])
    assert s.by_department.loc["Commercial", "amount"] == 1500.0
    empty = dispute_summary(disputes(), "2020-01-01")
    assert (empty.open_count, empty.open_amount) == (0, 0.0) and empty.by_reason.empty


def test_open_dispute_ageing():
    ageing = open_dispute_ageing(disputes(), AS_OF)
    # L1 11 days → 0-30; L3 46 days → 31-60; L2 91 days → >90
    assert ageing.index.tolist() == ["0-30", "31-60", "61-90", ">90"]
    assert ageing["count"].tolist() == [1, 1, 0, 1]
    assert ageing["amount"].tolist() == [1000.0, 2000.0, 0.0, 500.0]
    assert open_dispute_ageing(disputes(), AS_OF, buckets=(15,)).index.tolist() == ["0-15", ">15"]
    with pytest.raises(DataError, match="tranches"):
        open_dispute_ageing(disputes(), AS_OF, buckets=(60, 30))


def test_resolution_times():
    by_reason = resolution_times(disputes())
    # Prix: L2 106 days (01/10 → 15/01), L5 20, L6 30 → mean 52, median 30; Qualité: L4 40
    assert by_reason.loc["Prix"].tolist() == [3, 52.0, 30.0]
    assert by_reason.loc["Qualité"].tolist() == [1, 40.0, 40.0]
    at_year_end = resolution_times(disputes(), by=None, as_of=AS_OF)  # L2 not closed yet
    assert at_year_end.loc["Ensemble"].tolist() == [3, 30.0, 30.0]  # (40 + 20 + 30) / 3
    assert resolution_times(disputes(), by="owner_department").loc["Qualité", "count"] == 1
    with pytest.raises(DataError, match="regroupement"):
        resolution_times(disputes(), by="customer_id")


def test_overdue_explained_by_disputes():
    rows = [("A", "F1", "2025-10-01", "2025-11-30", 600.0, True),
            ("A", "F2", "2025-10-01", "2025-12-01", 1500.0, False),
            ("A", "R1", "2025-12-10", "2025-12-10", -100.0, False),  # unapplied credit, counted net
            ("B", "F3", "2025-12-01", "2026-01-31", 5000.0, True)]  # disputed but not overdue
    items = canonical_open_items(pd.DataFrame(rows, columns=["customer_id", "document_ref", "document_date",
                                                             "due_date", "amount", "disputed"]))
    share = overdue_explained_by_disputes(items, AS_OF)
    # net overdue 600 + 1 500 − 100 = 2 000, of which disputed 600 → 30 %
    assert (share.overdue_amount, share.disputed_overdue, share.share) == (2000.0, 600.0, 0.3)
    nothing = overdue_explained_by_disputes(items, "2025-01-01")
    assert nothing.overdue_amount == 0.0 and nothing.share != nothing.share  # NaN


def test_dispute_trend():
    trend = dispute_trend(disputes(), "Q", as_of=AS_OF)
    assert trend.index.astype(str).tolist() == ["2025Q2", "2025Q3", "2025Q4"]
    # Q2: L6 opened and closed (30 d); Q3: L4, L5 opened and closed (40, 20 → 30 d); Q4: L1, L2, L3 opened
    assert trend["opened"].tolist() == [1, 2, 3]
    assert trend["closed"].tolist() == [1, 2, 0]
    assert trend["mean_days"].tolist()[:2] == [30.0, 30.0]
    assert trend["open_at_end"].tolist() == [0, 0, 3]
    with pytest.raises(DataError, match="fréquence"):
        dispute_trend(disputes(), "W")
    assert dispute_trend(disputes().iloc[0:0]).empty


def test_fil_rouge(case):
    s = dispute_summary(case.disputes, AS_OF)
    assert s.by_reason["count"].sum() == s.open_count == case.open_items(AS_OF)["disputed"].sum()
    assert s.by_department["amount"].sum() == pytest.approx(s.open_amount)
    assert open_dispute_ageing(case.disputes, AS_OF)["count"].sum() == s.open_count
    closed = resolution_times(case.disputes, by=None)
    assert closed.loc["Ensemble", "count"] == case.disputes["closed_date"].notna().sum()
    times = resolution_times(case.disputes, by="reason")
    assert times["mean_days"].idxmax() == "Qualité / produit défectueux"  # the slowest to solve
    trend = dispute_trend(case.disputes, as_of=AS_OF)
    assert trend["opened"].sum() == len(case.disputes)
    assert trend["open_at_end"].iloc[-1] == s.open_count
    share = overdue_explained_by_disputes(case.open_items(AS_OF), AS_OF)
    assert 0 < share.share < 0.2


def test_charts(case):
    fig = plot_disputes_by_reason(dispute_summary(case.disputes, AS_OF))
    assert fig.axes[0].get_title() == "Litiges ouverts au 31/12/2025 par motif"
    fig = plot_dispute_trend(dispute_trend(case.disputes, as_of=AS_OF))
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels[0] == "T1 2022" and labels[-1] == "T4 2025"
