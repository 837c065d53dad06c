"""Disputes: open at as_of, by reason and department, ageing, resolution times, share of overdue, trend."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

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


# ---------------------------------------------------------------------------------------------- notebook 04c
from casekit.credit.disputes import (  # noqa: E402
    closed_disputes,
    collectable_on_disputed,
    communication_plan,
    detection_timing,
    dispute_payment_delay,
    dispute_prone_customers,
    dispute_report,
    escalation,
    plot_dispute_report,
    plot_resolution_histogram,
    skipped_invoices,
    target_check,
    target_for_rate,
)

TARGETS = {"Commercial": 30, "Qualité": 45}


def test_closed_disputes():
    closed = closed_disputes(disputes(), "2025-06-30", AS_OF)  # L4 (40 d) and L5 (20 d); L6 closed 01/05
    assert closed["dispute_id"].tolist() == ["L4", "L5"] and closed["resolution_days"].tolist() == [40, 20]
    assert len(closed_disputes(disputes())) == 4  # L2, L4, L5, L6


def test_target_check():
    check = target_check(disputes(), AS_OF, 30, department="Commercial")
    # open Commercial: L1 (11 d, 1 000) and L2 (91 d, 500) → L2 beyond 30 days
    assert (check.open_count, check.open_amount, check.beyond_count, check.beyond_amount) == (2, 1500.0, 1, 500.0)
    # closed in the last 365 days: L5 (20 d) and L6 (30 d), both ≤ 30 → 100 %; median (20 + 30) / 2 = 25
    assert (check.closed_count, check.within_count, check.within_rate, check.median_days) == (2, 2, 1.0, 25.0)
    every = target_check(disputes(), AS_OF, 20)
    # open: L1 11 d, L2 91 d, L3 46 d → L2 and L3 beyond 20 days (2 500 €), oldest first
    assert every.beyond["dispute_id"].tolist() == ["L2", "L3"] and every.beyond_amount == 2500.0
    # closed: L4 40, L5 20, L6 30 → only L5 ≤ 20 → 1 / 3; median 30
    assert every.within_rate == pytest.approx(1 / 3) and every.median_days == 30.0
    assert target_check(disputes(), AS_OF, 20, window_days=120).closed_count == 1  # since 02/09: L5 only
    nothing = target_check(disputes(), AS_OF, 20, reason="Livraison")
    assert nothing.open_count == 0 and nothing.within_rate != nothing.within_rate  # NaN without closed disputes
    with pytest.raises(DataError, match="négatif"):
        target_check(disputes(), AS_OF, -5)


def test_target_for_rate():
    # closed in the last 365 days: L4 40, L5 20, L6 30 days → sorted 20, 30, 40
    assert target_for_rate(disputes(), AS_OF, 0.8) == 40.0  # ⌈0,8 × 3⌉ = 3rd
    assert target_for_rate(disputes(), AS_OF, 0.6) == 30.0  # ⌈1,8⌉ = 2nd
    assert target_for_rate(disputes(), AS_OF, 2 / 3) == 30.0  # exactly 2 of 3: no rounding up to the 3rd
    assert target_for_rate(disputes(), AS_OF, 1.0, department="Commercial") == 30.0  # L5 20, L6 30
    assert target_for_rate(disputes(), AS_OF, 0.8, reason="Livraison") != target_for_rate(disputes(), AS_OF, 0.8,
                                                                                      reason="Livraison")  # NaN
    with pytest.raises(DataError, match="taux"):
        target_for_rate(disputes(), AS_OF, 80)


def test_dispute_report():
    report = dispute_report(disputes(), AS_OF, TARGETS, period_days=30)
    assert report.index.tolist() == ["Commercial", "Qualité", "Total"]
    # Commercial: L1 (11 d) and L2 (91 d) open, L2 beyond 30 d; L1 opened in the last 30 days; L5 and L6 closed in
    # the last 12 months (20 and 30 days, both on time, median 25)
    assert report.loc["Commercial"].tolist() == [30, 2, 1500.0, 91, 1, 500.0, 1, 0, 2, 1.0, 25.0]
    # Qualité: L3 open for 46 days > 45 → beyond; L4 closed in 40 days ≤ 45
    assert report.loc["Qualité"].tolist() == [45, 1, 2000.0, 46, 1, 2000.0, 0, 0, 1, 1.0, 40.0]
    total = report.loc["Total"]
    assert total[["open", "open_amount", "beyond_target", "beyond_amount", "closed_12m", "on_time_rate"]].tolist() \
        == [3, 3500.0, 2, 2500.0, 3, 1.0]
    assert total["median_days"] == 30.0 and total["target_days"] != total["target_days"]  # NaN target
    # with the default targets, every department is listed, even without disputes
    default = dispute_report(disputes(), AS_OF)
    assert default.loc["Logistique", "open"] == 0 and default.loc["Logistique", "target_days"] == 20
    assert default.loc["Qualité", "on_time_rate"] == 1.0


def test_escalation():
    esc = escalation(disputes(), AS_OF, TARGETS)
    # L2: 91 d > 3 × 30 = 90 → level 3; L3: 46 d > 45 but ≤ 90 → level 1; L1: 11 d ≤ 30 → level 0
    assert esc["dispute_id"].tolist() == ["L2", "L3", "L1"]
    assert esc["level"].tolist() == [3, 1, 0]
    assert esc["recipient"].tolist() == ["Direction financière (comité de direction)", "Responsable du service",
                                         "Service responsable (dans le délai)"]
    # exactly twice the target is not beyond it: L3 46 d = 2 × 23 → level 1 only
    assert escalation(disputes(), AS_OF, {"Qualité": 23, "Commercial": 30}).set_index("dispute_id").loc[
        "L3", "level"] == 1
    with pytest.raises(DataError, match="paliers"):
        escalation(disputes(), AS_OF, TARGETS, steps=((2.0, "A"), (1.0, "B")))


def test_communication_plan():
    plan = communication_plan(disputes(), TARGETS)
    assert plan.index.tolist() == ["Commercial", "Qualité"]  # shortest target first
    # Commercial: 5 disputes (L1, L2, L5, L6, L7); closed ones L2 106 d, L5 20 d, L6 30 d → median 30
    assert plan.loc["Commercial"].tolist() == ["Prix", 30, 5, 30.0]
    assert plan.loc["Qualité"].tolist() == ["Qualité", 45, 2, 40.0]


def test_collectable_on_disputed():
    items = canonical_open_items(pd.DataFrame(
        [("A", "F1", "2025-11-01", "2025-12-10", 1500.0, True),   # L1 contests 1 000 → 500 to collect
         ("A", "F2", "2025-09-01", "2025-10-31", 300.0, True),    # L2 contests 500 > open 300 → 0
         ("A", "F3", "2025-10-01", "2026-01-15", 2000.0, True),   # L3 contests all of it → 0, not overdue
         ("A", "F4", "2025-06-01", "2025-06-30", 800.0, False)],  # L4 closed → not listed
        columns=["customer_id", "document_ref", "document_date", "due_date", "amount", "disputed"]))
    out = collectable_on_disputed(items, disputes(), AS_OF)
    assert out["document_ref"].tolist() == ["F1", "F2", "F3"]
    assert out["collectable"].tolist() == [500.0, 0.0, 0.0]
    assert out["contested"].tolist() == [1000.0, 500.0, 2000.0]
    assert out["overdue"].tolist() == [True, True, False]


def ledger():
    """I1, I2 undisputed, paid 10 and 20 days late; I3 disputed (L3), credit note of 200 € imputed on 20/04 after
    the dispute closed on 15/04, the rest paid on 10/05 (40 days late); I4 never paid."""
    invoices = pd.DataFrame({
        "document_ref": ["I1", "I2", "I3", "I4", "AV1"], "customer_id": ["A"] * 5,
        "document_date": [T("2025-01-01"), T("2025-01-29"), T("2025-03-01"), T("2025-03-01"), T("2025-04-20")],
        "due_date": [T("2025-01-31"), T("2025-02-28"), T("2025-03-31"), T("2025-03-31"), T("2025-04-20")],
        "amount_incl_vat": [1000.0, 1000.0, 1200.0, 400.0, -200.0]})
    payments = pd.DataFrame({
        "customer_id": ["A"] * 4, "document_ref": ["I1", "I2", "I3", "I3"],
        "payment_date": [T("2025-02-10"), T("2025-03-20"), T("2025-04-20"), T("2025-05-10")],
        "payment_method": ["Virement", "Virement", "Imputation d'avoir", "Virement"],
        "amount": [1000.0, 1000.0, 200.0, 1000.0]})
    dispute = pd.DataFrame({"dispute_id": ["L3"], "document_ref": ["I3"], "customer_id": ["A"],
                            "reason": ["Qualité"], "owner_department": ["Qualité"], "amount": [200.0],
                            "opened_date": [T("2025-03-20")], "closed_date": [T("2025-04-15")],
                            "outcome": ["Avoir émis"]})
    return invoices, payments, dispute


def test_dispute_payment_delay():
    invoices, payments, dispute = ledger()
    delay = dispute_payment_delay(invoices, payments, dispute)
    # without dispute: 10 and 20 days late → mean 15; with: settled 10/05, due 31/03 → 40 days; 40 − 15 = 25
    assert delay.table.loc["Sans litige"].tolist() == [2, 2000.0, 15.0, 15.0]
    assert delay.table.loc["Avec litige"].tolist() == [1, 1200.0, 40.0, 40.0]
    assert delay.extra_days == 25.0
    # settled 25 days after the dispute closed (15/04 → 10/05)
    assert delay.by_outcome.loc["Avoir émis"].tolist() == [1, 40.0, 25.0]
    later = dispute_payment_delay(invoices, payments, dispute, start="2025-03-01")  # I1 settled before
    assert later.table.loc["Sans litige", "invoices"] == 1 and later.extra_days == 20.0  # 40 − 20


def test_detection_timing():
    invoices = pd.DataFrame({
        "document_ref": ["F1", "F2", "F3", "F4", "F5", "F6"],
        "document_date": pd.to_datetime(["2025-11-01", "2025-09-01", "2025-10-01", "2025-06-01", "2025-08-01",
                                         "2025-03-01"]),
        "due_date": pd.to_datetime(["2025-12-15", "2025-10-31", "2025-11-30", "2025-06-30", "2025-09-30",
                                    "2025-04-30"])})
    # opened − due: L1 +5 (after), L2 −30, L3 −15, L4 +1 (after), L5 −29, L6 −29; L7 has no invoice → left out
    # opened − invoice date: 49, 30, 45, 30, 31, 31 → median 31
    total = detection_timing(disputes(), invoices)
    assert total.loc["Ensemble"].tolist() == [6, 4, 2, pytest.approx(1 / 3), 31.0, 3.0]  # median of 5 and 1
    by_reason = detection_timing(disputes(), invoices, by="reason")
    assert by_reason.index.tolist() == ["Qualité", "Prix"]  # L4 of 2 (50 %) before L1 of 4 (25 %)
    assert by_reason.loc["Prix", "after_due_share"] == 0.25
    assert detection_timing(disputes(), invoices, end="2025-06-30").loc["Ensemble", "disputes"] == 1  # L6
    with pytest.raises(DataError, match="regroupement"):
        detection_timing(disputes(), invoices, by="customer_id")


def test_skipped_invoices():
    invoices = pd.DataFrame({
        "document_ref": ["FA1", "FA2", "FA3", "FB1", "FB2"], "customer_id": ["A", "A", "A", "B", "B"],
        "document_date": pd.to_datetime(["2025-09-01", "2025-10-01", "2025-09-15", "2025-09-15", "2025-09-01"]),
        "due_date": pd.to_datetime(["2025-10-31", "2025-11-30", "2025-11-15", "2025-11-15", "2025-11-01"]),
        "amount_incl_vat": [1000.0, 500.0, 700.0, 800.0, 300.0]})
    payments = pd.DataFrame({"customer_id": ["A", "B"], "document_ref": ["FA2", "FB2"],
                             "payment_date": pd.to_datetime(["2025-12-05", "2025-11-01"]), "amount": [500.0, 300.0]})
    items = canonical_open_items(pd.DataFrame(
        [("A", "FA1", "2025-09-01", "2025-10-31", 1000.0, False),  # 61 days overdue, FA2 (due 30/11) paid
         ("A", "FA3", "2025-09-15", "2025-11-15", 700.0, True),    # already in dispute
         ("B", "FB1", "2025-09-15", "2025-11-15", 800.0, False)],  # B only paid FB2, due earlier (01/11)
        columns=["customer_id", "document_ref", "document_date", "due_date", "amount", "disputed"]))
    out = skipped_invoices(items, invoices, payments, AS_OF)
    assert out["document_ref"].tolist() == ["FA1"]
    assert out.loc[0, "days_overdue"] == 61 and out.loc[0, "later_due_settled"] == T("2025-11-30")
    assert skipped_invoices(items, invoices, payments, AS_OF, min_days_overdue=61).empty  # 61 is not > 61
    fec_like = payments.assign(document_ref="")  # receipts not allocated to invoices
    assert skipped_invoices(items, invoices, fec_like, AS_OF).empty


def test_dispute_prone_customers():
    prone = dispute_prone_customers(disputes(), AS_OF)
    # A: L1 to L6 opened in 2025 (L7 after as_of): 6 disputes, 1 000 + 500 + 2 000 + 300 + 700 + 100 = 4 600 €;
    # Prix 4 times
    assert prone.loc["A"].tolist() == [6, 4600.0, "Prix", T("2025-12-20")]
    assert dispute_prone_customers(disputes(), AS_OF, min_disputes=7).empty
    # last 60 days: L1 (Prix, 1 000) and L3 (Qualité, 2 000): one each → the larger amount wins
    assert dispute_prone_customers(disputes(), AS_OF, 60, 2).loc["A", "main_reason"] == "Qualité"


def test_communication_charts(case):
    closed = closed_disputes(case.disputes, "2024-12-31", AS_OF)
    ages = open_disputes(case.disputes, AS_OF)["age_days"]
    fig = plot_resolution_histogram(closed["resolution_days"], 30, ages)
    assert "Délai cible" in [t.get_text() for t in fig.legends[0].get_texts()]  # below the chart
    assert " 30 jours" in [t.get_text() for t in fig.axes[0].texts]  # written beside the line
    fig = plot_dispute_report(dispute_report(case.disputes, AS_OF))
    assert len(fig.axes[0].get_yticklabels()) == 5  # the five departments, Total left out
    assert plot_resolution_histogram([], 10).axes[0].get_title() == "Délais de résolution des litiges clos"


def test_fil_rouge_communication(case):
    report = dispute_report(case.disputes, AS_OF)
    assert report.loc["Total", "open"] == dispute_summary(case.disputes, AS_OF).open_count
    assert report.drop(index="Total")["beyond_amount"].sum() == pytest.approx(report.loc["Total", "beyond_amount"])
    esc = escalation(case.disputes, AS_OF)
    assert (esc["level"] > 0).sum() == report.loc["Total", "beyond_target"]
    delay = dispute_payment_delay(case.invoices, case.payments, case.disputes)
    assert delay.extra_days > 5  # disputed invoices are settled later
    assert detection_timing(case.disputes, case.invoices).loc["Ensemble", "after_due_share"] < 0.5
