"""Customer risk (module 3): credit limits and blocked orders, rating bands, insurer's opinion, payment methods,
sales reps, early-payment discount."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import casekit  # noqa: E402
from casekit import DataError  # noqa: E402
from casekit.credit.risk import (  # noqa: E402
    ACTIONS,
    INFORMATION_COLUMNS,
    breaches_by_action,
    credit_limit_status,
    days_late_by_payment_method,
    early_payment_discount_rate,
    exposure_by,
    exposure_by_score_band,
    format_risk_overview,
    information_sheet,
    insurer_opinion,
    limit_breaches,
    limit_use_bands,
    payment_method_switch,
    plot_days_late_by_method,
    plot_limit_use,
    plot_risk_by_sales_rep,
    risk_by_sales_rep,
    risk_overview,
    sales_by_customer,
)
from casekit.openitems import canonical_open_items  # noqa: E402

AS_OF = "2025-12-31"


def customers():
    return pd.DataFrame({
        "customer_id": ["A", "B", "C", "D"], "customer_name": ["Alpha", "Bêta", "Gamma", "Delta"],
        "sales_rep": ["Rep1", "Rep1", "Rep2", "Rep2"],
        "payment_method": ["Virement", "LCR", "Chèque", "Virement"],
        "credit_limit": [10_000.0, 20_000.0, 1_000.0, 8_000.0], "external_score": [4, 15, 18, 12],
        "insolvency_date": pd.to_datetime([None, None, "2025-06-01", None])})


def items():
    rows = [  # as_of 31/12/2025
        ("A", "F1", "2025-09-01", "2025-10-01", 8_000.0, False),  # 91 days overdue
        ("A", "F2", "2025-12-01", "2026-01-31", 4_000.0, False),  # not due
        ("B", "F3", "2025-11-01", "2025-12-01", 5_000.0, True),  # 30 days overdue, disputed
        ("B", "F4", "2025-11-15", "2025-12-16", 3_000.0, False),  # 15 days overdue
        ("B", "R1", "2025-12-20", "2025-12-20", -1_000.0, False),  # unapplied credit
        ("C", "F5", "2025-03-01", "2025-04-30", 2_000.0, False),  # 245 days overdue, customer insolvent
        ("E", "F6", "2025-12-10", "2026-01-10", 1_500.0, False),  # customer missing from the master file
        ("A", "F7", "2026-01-05", "2026-02-05", 9_999.0, False),  # issued after as_of: ignored
    ]
    df = pd.DataFrame(rows, columns=["customer_id", "document_ref", "document_date", "due_date", "amount",
                                     "disputed"])
    return canonical_open_items(df.assign(customer_name=df["customer_id"] + " SAS"))


@pytest.fixture(scope="module")
def status():
    return credit_limit_status(items(), customers(), AS_OF)


def test_credit_limit_status_by_hand(status):
    assert list(status.index) == ["A", "B", "C", "D", "E"]
    a, b, c, d, e = (status.loc[k] for k in "ABCDE")
    # A: 8 000 + 4 000 = 12 000 for a 10 000 limit → 120 %, headroom −2 000; 8 000 overdue 91 days
    assert (a["exposure"], a["overdue"], a["overdue_late"], a["max_days_overdue"]) == (12_000, 8_000, 8_000, 91)
    assert (a["limit_use"], a["headroom"]) == pytest.approx((1.2, -2_000))
    assert a["over_limit"] and a["blocked"] and a["reason"] == "Limite dépassée"
    # B: 5 000 + 3 000 − 1 000 = 7 000, all overdue (credit included); 5 000 in dispute; the oldest undisputed
    # invoice is 15 days late (the disputed one, 30 days, does not count)
    assert (b["exposure"], b["overdue"], b["disputed"], b["max_days_overdue"]) == (7_000, 7_000, 5_000, 15)
    assert b["limit_use"] == pytest.approx(0.35) and not b["blocked"] and b["reason"] == ""
    # C: insolvent since 01/06/2025: blocked for that reason first, though also over its 1 000 limit
    assert c["insolvent"] and c["over_limit"] and c["reason"] == "Procédure collective"
    # D owes nothing; E is unknown to the master file: name from the ledger, no limit, not blocked
    assert d["exposure"] == 0 and d["limit_use"] == 0 and not d["blocked"]
    assert e["customer_name"] == "E SAS" and np.isnan(e["limit_use"]) and not e["over_limit"]
    # a longer blocking delay: A is still blocked for its limit; with a 10-day delay B is blocked for lateness
    loose = credit_limit_status(items(), customers(), AS_OF, block_days=10)
    assert loose.loc["B", "reason"] == "Retard de plus de 10 jours"


def test_credit_limit_status_zero_limit_means_no_credit():
    master = customers().assign(credit_limit=[10_000.0, 0.0, 1_000.0, 8_000.0])
    out = credit_limit_status(items(), master, AS_OF)
    # limit 0 = payment in advance: any exposure exceeds it; the use ratio is undefined
    assert out.loc["B", "over_limit"] and np.isnan(out.loc["B", "limit_use"])


def test_limit_use_bands_by_hand(status):
    bands = limit_use_bands(status)
    assert list(bands.index) == ["Jusqu'à 50\u00a0%", "50\u00a0% à 80\u00a0%", "80\u00a0% à 100\u00a0%",
                                 "Plus de 100\u00a0%", "Sans limite"]
    # B (35 %) ≤ 50 %; A (120 %) and C (200 %) above 100 %; E without a limit; D owes nothing
    assert list(bands["customers"]) == [1, 0, 0, 2, 1]
    assert list(bands["exposure"]) == pytest.approx([7_000, 0, 0, 14_000, 1_500])
    assert bands.loc["Plus de 100\u00a0%", "share_of_exposure"] == pytest.approx(14_000 / 22_500)
    # no customer without a limit: no such row; a use of exactly 100 % is not above 100 %
    exact = credit_limit_status(items()[items()["customer_id"] != "E"],
                                customers().assign(credit_limit=[12_000.0, 20_000.0, 1_000.0, 8_000.0]), AS_OF)
    assert "Sans limite" not in limit_use_bands(exact).index
    assert limit_use_bands(exact).loc["80\u00a0% à 100\u00a0%", "customers"] == 1
    with pytest.raises(DataError, match="tranches"):
        limit_use_bands(status, bands=(0.8, 0.5))


def test_exposure_by_score_band_by_hand(status):
    out = exposure_by_score_band(status)
    assert list(out.index) == ["1 à 5", "6 à 10", "11 à 15", "16 à 20"]
    # A (4): 12 000 of which 8 000 overdue; B (15): 7 000 all overdue; C (18): 2 000, insolvent; E has no score
    assert list(out["customers"]) == [1, 0, 1, 1]
    assert list(out["exposure"]) == pytest.approx([12_000, 0, 7_000, 2_000])
    assert out.loc["1 à 5", "overdue_share"] == pytest.approx(8_000 / 12_000)
    assert np.isnan(out.loc["6 à 10", "overdue_share"])
    assert out.loc["1 à 5", "share_of_exposure"] == pytest.approx(12_000 / 21_000)
    assert list(out["insolvent"]) == [0, 0, 0, 1]


def test_insurer_opinion_by_hand(status):
    limits = pd.DataFrame({"offer_id": ["X", "X", "X", "Y"], "customer_id": ["A", "B", "C", "A"],
                           "limit_requested": [10_000.0, 20_000.0, 5_000.0, 10_000.0],
                           "limit_granted": [5_000.0, 20_000.0, 0.0, 10_000.0],
                           "decision": ["Accord partiel", "Accord total", "Refus", "Accord total"]})
    out = insurer_opinion(limits, status, "X")
    assert list(out.index) == ["Accord total", "Accord partiel", "Refus"]
    # B: 7 000 within 20 000; A: 12 000 for 5 000 granted → 7 000 uncovered; C refused: 2 000 uncovered
    assert list(out["exposure"]) == pytest.approx([7_000, 12_000, 2_000])
    assert list(out["uncovered"]) == pytest.approx([0, 7_000, 2_000])
    assert list(out["coverage"]) == pytest.approx([1.0, 0.5, 0.0])
    with pytest.raises(DataError, match="offre « Z »"):
        insurer_opinion(limits, status, "Z")


def ledger_with_methods():
    invoices = pd.DataFrame({"document_ref": ["F1", "F2", "F3", "AV1"], "customer_id": ["A", "A", "B", "B"],
                             "due_date": pd.to_datetime(["2025-01-31", "2025-01-31", "2025-02-28", "2025-02-28"]),
                             "amount_incl_vat": [1_000.0, 3_000.0, 2_500.0, -500.0]})
    payments = pd.DataFrame({
        "document_ref": ["F1", "F2", "F3", "F3", "AV1", "", "F1"],
        "customer_id": ["A", "A", "B", "B", "B", "B", "A"],
        "payment_date": pd.to_datetime(["2025-02-10", "2025-01-31", "2025-04-14", "2025-03-05", "2025-03-05",
                                        "2025-03-01", "2024-12-20"]),
        "payment_method": ["Virement", "Virement", "Chèque", "Imputation d'avoir", "Imputation d'avoir",
                           "Virement", "Virement"],
        "amount": [1_000.0, 3_000.0, 2_000.0, 500.0, -500.0, 700.0, 50.0]})
    return invoices, payments


def test_days_late_by_payment_method_by_hand():
    invoices, payments = ledger_with_methods()
    out = days_late_by_payment_method(invoices, payments, "2024-12-31", "2025-12-31")
    assert list(out.index) == ["Virement", "Chèque"]  # largest amount first; offsets and unallocated left out
    # transfers: 1 000 paid 10 days late + 3 000 on the due date → 10 000 / 4 000 = 2.5 days, 75 % on time
    assert (out.loc["Virement", "payments"], out.loc["Virement", "amount"]) == (2, 4_000)
    assert (out.loc["Virement", "days_late"], out.loc["Virement", "on_time"]) == pytest.approx((2.5, 0.75))
    # cheque: 2 000 paid 45 days late (28/02 → 14/04): none on time, all more than 30 days late
    assert out.loc["Chèque", ["days_late", "on_time", "late_30"]].tolist() == pytest.approx([45, 0, 1])
    assert days_late_by_payment_method(invoices, payments, "2025-06-30", "2025-12-31").empty


def test_payment_method_switch_by_hand():
    by_method = pd.DataFrame({"amount": [3_650_000.0, 1_000_000.0], "days_late": [20.0, 5.0]},
                             index=pd.Index(["Virement", "Prélèvement SEPA"], name="payment_method"))
    switch = payment_method_switch(by_method, "Virement", "Prélèvement SEPA")
    # 3 650 000 / 365 = 10 000 € a day × (20 − 5) days = 150 000 €
    assert (switch.days_gained, switch.cash_released, switch.yearly_amount) == pytest.approx((15, 150_000, 3_650_000))
    # observed over two years: half the daily flow
    two_years = payment_method_switch(by_method, "Virement", "Prélèvement SEPA", period_days=730)
    assert (two_years.cash_released, two_years.yearly_amount) == pytest.approx((75_000, 1_825_000))
    with pytest.raises(DataError, match="Chèque"):
        payment_method_switch(by_method, "Chèque", "Virement")


def test_risk_by_sales_rep_by_hand(status):
    sales = pd.Series({"A": 36_500.0, "B": 36_500.0, "C": 0.0})
    out = risk_by_sales_rep(status, sales)
    assert list(out.index) == ["Rep1", "Rep2", "non renseigné"]  # by overdue: 15 000, 2 000, 0
    rep1 = out.loc["Rep1"]
    # A + B: exposure 12 000 + 7 000 = 19 000; overdue 8 000 + 7 000 = 15 000 (78,9 %); 5 000 disputed
    assert (rep1["customers"], rep1["exposure"], rep1["overdue"], rep1["disputed"]) == (2, 19_000, 15_000, 5_000)
    assert rep1["overdue_share"] == pytest.approx(15_000 / 19_000, abs=1e-4)
    assert (rep1["over_limit"], rep1["blocked"], rep1["blocked_exposure"]) == (1, 1, 12_000)
    # DSO of the portfolio: 19 000 / 73 000 × 365 = 95 days; Rep2 sold nothing: no DSO
    assert rep1["dso"] == pytest.approx(95.0)
    assert np.isnan(out.loc["Rep2", "dso"]) and out.loc["Rep2", "blocked"] == 1
    assert "dso" not in risk_by_sales_rep(status).columns
    with pytest.raises(DataError, match="sales_rep"):
        risk_by_sales_rep(status.drop(columns="sales_rep"))


def test_limit_breaches_and_actions(status):
    breaches = limit_breaches(status, late_days=30)
    # A: 2 000 over its limit, 91 days late → block; C: 1 000 over, insolvent → declare the claim
    assert list(breaches.index) == ["A", "C"]
    assert list(breaches["excess"]) == pytest.approx([2_000, 1_000])
    assert list(breaches["action"]) == [ACTIONS["late"], ACTIONS["insolvent"]]
    # with a 100-day tolerance, A pays "on time": its limit is to be reviewed
    assert limit_breaches(status, late_days=100).loc["A", "action"] == ACTIONS["review"]
    summary = breaches_by_action(breaches)
    assert list(summary.index) == [ACTIONS["insolvent"], ACTIONS["late"]]
    assert list(summary["exposure"]) == pytest.approx([2_000, 12_000])


def test_early_payment_discount_rate_by_hand():
    # 1 % for 30 days: 0,01 / 0,99 × 365 / 30 = 12,29 % a year
    assert early_payment_discount_rate(0.01, 30) == pytest.approx(0.122896, abs=1e-6)
    # 2 % for 60 days: 0,02 / 0,98 × 365 / 60 = 12,41 %
    assert early_payment_discount_rate(0.02, 60) == pytest.approx(0.124150, abs=1e-6)
    assert early_payment_discount_rate(0, 30) == 0
    with pytest.raises(DataError, match="escompte"):
        early_payment_discount_rate(1.5, 30)
    with pytest.raises(DataError, match="jours"):
        early_payment_discount_rate(0.01, 0)


def test_plots(status):
    fig = plot_limit_use(limit_use_bands(status))
    assert [b.get_height() for b in fig.axes[0].patches] == pytest.approx([7_000, 0, 0, 14_000, 1_500])
    plt.close(fig)
    invoices, payments = ledger_with_methods()
    fig = plot_days_late_by_method(days_late_by_payment_method(invoices, payments, "2024-12-31", "2025-12-31"))
    assert sorted(b.get_width() for b in fig.axes[0].patches) == pytest.approx([2.5, 45])
    labels = sorted(text.get_text() for text in fig.axes[0].texts)
    # 4 000 € by transfer, 75 % on time; 2 000 € by cheque, none on time
    assert labels == ["  2\u00a0k€ encaissés, 0\u00a0% à l'échéance", "  4\u00a0k€ encaissés, 75\u00a0% à l'échéance"]
    plt.close(fig)
    fig = plot_risk_by_sales_rep(risk_by_sales_rep(status))
    assert len(fig.axes[0].patches) == 6  # two stacked bars for each of the three groups
    plt.close(fig)


def test_fil_rouge_status_and_reps():
    case = casekit.load_case()
    open_items = case.open_items()
    out = credit_limit_status(open_items, case.customers, case.as_of)
    assert out["exposure"].sum() == pytest.approx(open_items["amount"].sum())
    insolvent = case.customers.loc[case.customers["insolvency_date"] <= case.as_of, "customer_id"]
    assert out.loc[insolvent, "blocked"].all() and len(insolvent) == 5
    reps = risk_by_sales_rep(out)
    assert reps["overdue"].sum() == pytest.approx(out["overdue"].sum())
    assert reps["overdue"].is_monotonic_decreasing
    by_method = days_late_by_payment_method(case.invoices, case.payments, "2024-12-31", "2025-12-31")
    # direct debits and bills of exchange are collected at the due date: shorter delays than transfers
    assert by_method.loc["Prélèvement SEPA", "days_late"] < by_method.loc["Virement", "days_late"]
    assert by_method.loc["LCR", "days_late"] < by_method.loc["Virement", "days_late"]


def test_risk_overview_and_format(status):
    overview = risk_overview(status)
    # owing: A, B, C, E; exposure 12 000 + 7 000 + 2 000 + 1 500 = 22 500; overdue 8 000 + 7 000 + 2 000
    assert (overview["customers"], overview["exposure"], overview["overdue"]) == (4, 22_500, 17_000)
    # A and C over their limit (14 000); A and C blocked; C insolvent (2 000)
    assert (overview["over_limit"], overview["over_limit_exposure"]) == (2, 14_000)
    assert (overview["blocked"], overview["insolvent"], overview["insolvent_exposure"]) == (2, 1, 2_000)
    table = format_risk_overview(overview)
    assert table.loc["dont échu", "Part de l'encours"] == "75,6\u00a0%"  # 17 000 / 22 500
    assert table.loc["Clients en procédure collective", "Valeur"] == "1"


def test_exposure_by_and_sales_by_customer(status):
    by_method = exposure_by(status, "payment_method")
    # Virement: A 12 000; LCR: B 7 000; Chèque: C 2 000; E unknown: 1 500
    assert list(by_method.index) == ["Virement", "LCR", "Chèque", "non renseigné"]
    assert by_method.loc["LCR", "overdue_share"] == pytest.approx(1.0)
    assert by_method["share_of_exposure"].sum() == pytest.approx(1.0)
    with pytest.raises(DataError, match="colonne"):
        exposure_by(status, "region")
    invoices = pd.DataFrame({"customer_id": ["A", "A", "B", "B"], "amount_incl_vat": [100.0, -20.0, 50.0, 70.0],
                             "document_date": pd.to_datetime(["2025-01-01", "2025-06-30", "2024-12-31",
                                                              "2025-12-31"])})
    # (31/12/2024, 31/12/2025]: A 100 − 20 = 80; B only 70 (the 31/12/2024 invoice is outside)
    assert sales_by_customer(invoices, "2024-12-31", "2025-12-31").to_dict() == {"A": 80.0, "B": 70.0}


def test_information_sheet(status):
    features = pd.DataFrame({"seniority_years": [10.0, 2.04, 5.0], "days_late": [30.0, 5.0, 90.0],
                             "late_trend": [4.0, -0.04, 20.0], "disputes": [0, 2, 1]},
                            index=pd.Index(["A", "B", "C"], name="customer_id"))
    sheet = information_sheet(status, features, top=3)
    assert list(sheet.index) == ["A", "B", "C"]  # largest exposures first: 12 000, 7 000, 2 000
    assert sheet.loc["B", "disputes"] == 2 and sheet.loc["A", "external_score"] == 4
    assert list(sheet.columns) == INFORMATION_COLUMNS
    # rounded to one decimal, and a trend of −0,04 day shows as 0,0, not −0,0
    assert sheet.loc["B", "seniority_years"] == 2.0 and str(sheet.loc["B", "late_trend"]) == "0.0"
