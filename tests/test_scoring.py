"""Internal scoring: features from the history known at as_of, points, classes, terms, AUC, back-test."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from casekit import DataError  # noqa: E402
from casekit.credit.scoring import (  # noqa: E402
    DEFAULT_WEIGHTS,
    RULES,
    backtest_data,
    backtest_scoring,
    class_indicators,
    customer_features,
    days_late,
    discrimination_auc,
    evaluate_backtest,
    plot_backtest,
    plot_scoring_simulation,
    recommended_terms,
    score_class,
    score_customers,
    settlement_dates,
)

AS_OF = "2025-12-31"
T = pd.Timestamp




def tables():
    customers = pd.DataFrame({
        "customer_id": ["A", "B", "C", "D"],
        "customer_since": [T("2016-01-01"), T("2025-06-30"), T("2010-01-01"), T("2026-03-01")],
        "credit_limit": [10000.0, 0.0, 5000.0, 1000.0], "external_score": [15, 5, 20, 10],
        "gross_margin_rate": [0.30, 0.25, 0.30, 0.30],
        "insolvency_date": [pd.NaT, pd.NaT, T("2025-11-01"), pd.NaT]})
    invoices = pd.DataFrame({
        "document_ref": ["I0", "I1", "I2", "J1"], "customer_id": ["A", "A", "A", "C"],
        "document_date": [T("2024-03-01"), T("2025-03-01"), T("2025-10-01"), T("2025-09-01")],
        "due_date": [T("2024-04-30"), T("2025-04-30"), T("2025-11-30"), T("2025-10-01")],
        "amount_incl_vat": [1200.0, 6000.0, 2400.0, 600.0],
        "amount_excl_vat": [1000.0, 5000.0, 2000.0, 500.0],
        "gross_margin": [300.0, 1500.0, 500.0, 150.0]})
    payments = pd.DataFrame({
        "payment_ref": ["P0", "P1"], "customer_id": ["A", "A"],
        "payment_date": [T("2024-05-05"), T("2025-05-20")], "payment_method": ["Virement", "Virement"],
        "document_ref": ["I0", "I1"], "amount": [1200.0, 6000.0]})
    disputes = pd.DataFrame({"dispute_id": ["L1"], "customer_id": ["A"], "document_ref": ["I2"],
                             "opened_date": [T("2025-12-10")], "closed_date": [pd.NaT]})
    return {"customers": customers, "invoices": invoices, "payments": payments, "disputes": disputes}


def test_rule_points_are_linear_and_clipped():
    rule = RULES["days_late"]  # 60 days → 0, 0 → 100
    assert rule.points(pd.Series([-5.0, 0.0, 15.0, 60.0, 90.0])).tolist() == [100.0, 100.0, 75.0, 0.0, 0.0]
    assert RULES["external_score"].points(pd.Series([1, 20, 10])).round(1).tolist() == [0.0, 100.0, 47.4]
    assert sum(DEFAULT_WEIGHTS.values()) == 100


def test_days_late_mixes_paid_and_open_overdue():
    t = tables()
    late = days_late(t["invoices"], t["payments"], AS_OF)
    # A: I1 6 000 paid 20 days late + I2 2 400 open 31 days overdue → (120 000 + 74 400) / 8 400 = 23.14
    # C: J1 600 open 91 days overdue → 91
    assert late.to_dict() == pytest.approx({"A": 194400 / 8400, "C": 91.0})
    # previous year (to 31/12/2024): only I0 paid 5 days late
    assert days_late(t["invoices"], t["payments"], "2024-12-31").to_dict() == {"A": 5.0}


def test_customer_features_hand_example():
    f = customer_features(tables(), AS_OF)
    assert list(f.index) == ["A", "B", "C"]  # D opened its account after as_of
    a = f.loc["A"]
    assert a["days_late"] == pytest.approx(194400 / 8400)
    assert a["days_late_prev"] == 5.0
    assert a["late_trend"] == pytest.approx(194400 / 8400 - 5)
    assert a["disputes"] == 1 and a["dispute_rate"] == 0.5  # 1 dispute / 2 invoices issued in 12 months
    assert a["seniority_years"] == pytest.approx(3652 / 365.25)  # 01/01/2016 → 31/12/2025
    assert a["exposure"] == 2400.0  # 1 200 + 6 000 + 2 400 invoiced − 7 200 paid
    assert a["limit_use"] == pytest.approx(0.24)  # 2 400 / 10 000
    assert a["margin_rate"] == pytest.approx(2000 / 7000)  # (1 500 + 500) / (5 000 + 2 000)
    assert a["monthly_purchases"] == 700.0  # (6 000 + 2 400) / 12
    assert not a["insolvent"]
    b = f.loc["B"]
    assert np.isnan(b["days_late"]) and np.isnan(b["dispute_rate"]) and np.isnan(b["limit_use"])
    assert b["margin_rate"] == 0.25  # no sales in 12 months: the customer table's rate
    assert f.loc["C", "insolvent"]
    # history after as_of is ignored: at 30/06/2025, I2 does not exist yet and I1 is paid 20 days late
    early = customer_features(tables(), "2025-06-30")
    assert early.loc["A", "days_late"] == 20.0 and early.loc["A", "exposure"] == 0.0


def test_score_customers_hand_example():
    s = score_customers(customer_features(tables(), AS_OF))
    a = s.loc["A"]
    # points: days late 23.14 → (60 − 23.14) / 60 = 61.4; trend +18.1 days → 0; disputes 50 % → 0;
    # seniority 9.999 years → 100.0; limit use 24 % → 100; external 15 → 14 / 19 = 73.7; margin 28.6 % → 42.9
    points = [a["pts_days_late"], a["pts_late_trend"], a["pts_dispute_rate"], a["pts_seniority_years"],
              a["pts_limit_use"], a["pts_external_score"], a["pts_margin_rate"]]
    assert points == [61.4, 0, 0, 100, 100, 73.7, 42.9]
    # (30 × 61.4 + 25 × 73.7 + 10 × 0 + 10 × 0 + 10 × 100 + 10 × 100 + 5 × 42.9) / 100 = 58.99 → 59.0 → C
    assert a["score"] == 59.0 and a["class"] == "C"
    # B: only external (21.1), seniority (0.504 year → 5.0) and margin (25 % → 25.0) are known:
    # (25 × 21.1 + 10 × 5.0 + 5 × 25.0) / 40 = 17.56 → 17.6 → E
    assert s.loc["B", "score"] == 17.6 and s.loc["B", "class"] == "E"
    assert s.loc["C", "class"] == "E"  # collective proceedings: E whatever the points


def test_custom_weights_and_bad_weights():
    f = customer_features(tables(), AS_OF)
    only_external = score_customers(f, {"external_score": 1})
    assert only_external.loc["A", "score"] == 73.7
    with pytest.raises(DataError, match="inconnu"):
        score_customers(f, {"turnover": 10})
    with pytest.raises(DataError, match="pondérations"):
        score_customers(f, {"external_score": -1})


def test_score_class_cutoffs():
    assert score_class([80, 79.9, 65, 50, 35, 34.9, 0]).tolist() == ["A", "B", "B", "C", "D", "E", "E"]


def test_recommended_terms():
    f = customer_features(tables(), AS_OF)
    terms = recommended_terms(score_customers(f), f)
    # A is class C: 1.5 × 700 = 1 050 → rounded up to 2 000; B is class E: no credit
    assert terms.loc["A", "recommended_limit"] == 2000.0
    assert terms.loc["A", "limit_change"] == -8000.0
    assert terms.loc["B", "recommended_limit"] == 0.0
    assert terms.loc["B", "payment_method"] == "Paiement d'avance ou à la commande"


def test_features_need_invoices_and_payments():
    with pytest.raises(DataError, match="payments"):
        customer_features({"invoices": tables()["invoices"]}, AS_OF)
    minimal = {"invoices": tables()["invoices"], "payments": tables()["payments"]}  # e.g. from a FEC
    s = score_customers(customer_features(minimal, AS_OF))
    assert set(s.index) == {"A", "C"} and s["score"].notna().all()


def test_discrimination_auc_by_hand():
    # good [3, 4] vs bad [1, 3]: pairs won 3>1, 4>1, 4>3 and the tie 3=3 counts ½ → 3.5 / 4 = 0.875
    assert discrimination_auc([3, 4, 1, 3], [False, False, True, True]) == 0.875
    assert discrimination_auc([5, 6, 1, 2], [False, False, True, True]) == 1.0
    assert discrimination_auc([1, 2, 5, 6], [False, False, True, True]) == 0.0
    assert discrimination_auc([1, np.nan, 2], [True, True, False]) == 1.0  # missing scores ignored
    with pytest.raises(DataError, match="AUC"):
        discrimination_auc([1, 2], [False, False])


def test_settlement_dates():
    inv = pd.DataFrame({"document_ref": ["F1", "F2", "AV"], "amount_incl_vat": [1000.0, 500.0, -100.0]})
    pay = pd.DataFrame({"document_ref": ["F1", "F1", "F2"], "amount": [400.0, 600.0, 300.0],
                        "payment_date": [T("2025-02-01"), T("2025-03-01"), T("2025-02-15")]})
    settled = settlement_dates(inv, pay)
    assert settled["F1"] == T("2025-03-01")  # 400 + 600 = 1 000 reached on 01/03
    assert pd.isna(settled["F2"])  # 300 of 500
    assert "AV" not in settled.index


def test_fil_rouge_features_and_scores(case):
    f = customer_features(case, AS_OF)
    assert len(f) == len(case.customers)
    assert f["exposure"].sum() == pytest.approx(case.open_items(AS_OF)["amount"].sum(), abs=0.05)
    s = score_customers(f)
    assert s["score"].between(0, 100).all()
    assert set(s["class"]) == {"A", "B", "C", "D", "E"}
    insolvent = case.customers.loc[case.customers["insolvency_date"].notna(), "customer_id"]
    assert (s.loc[insolvent, "class"] == "E").all()


def test_fil_rouge_backtest_separates_late_payers(case):
    result = backtest_scoring(case, "2023-12-31")
    table = result.by_class
    assert table["customers"].sum() == len(result.customers)
    assert table.loc["A", "late_invoice_rate"] < table.loc["C", "late_invoice_rate"] < \
        table.loc["E", "late_invoice_rate"]
    assert table.loc["E", "bad_rate"] > 0.8 > 0.1 > table.loc["A", "bad_rate"]
    assert result.auc > 0.85 and result.gini == pytest.approx(2 * result.auc - 1)
    assert result.customers["insolvent_after"].sum() == 2  # judgements of 13/02/2024 and 08/10/2024
    # a fair back-test without the (latest-known) external rating still ranks late payers well
    fair = backtest_scoring(case, "2024-06-30", weights={k: v for k, v in DEFAULT_WEIGHTS.items()
                                                         if k != "external_score"})
    assert fair.auc_late > 0.85
    with pytest.raises(DataError, match="back-test impossible"):
        backtest_scoring(case, "2025-12-15")


def test_simulation_chart_keeps_its_frame_when_the_weights_move(case):
    """The AUC is written in the right panel, not in its title; both scales are rounded up: a move of a slider
    changes the bars and the texts, not the frame (the simulator then redraws only the data)."""
    features = customer_features(case, case.as_of)
    data = backtest_data(case, case.as_of - pd.Timedelta(days=365))
    frames = []
    for weights in ({"days_late": 30, "external_score": 25}, {"days_late": 35, "external_score": 25}):
        result = evaluate_backtest(data, weights)
        fig = plot_scoring_simulation(class_indicators(score_customers(features, weights), features), result)
        left, right = fig.axes
        assert f"AUC {str(round(result.auc, 2)).replace('.', ',')}" in [t.get_text() for t in right.texts]
        frames.append((right.get_title(), left.get_ylim(), right.get_ylim()))
        plt.close(fig)
    assert frames[0] == frames[1]
    assert frames[0][0] == f"Back-test au {result.as_of:%d/%m/%Y}"


def test_plot_backtest(case):
    fig = plot_backtest(backtest_scoring(case, "2024-06-30"))
    left, right = fig.axes
    assert left.get_title() == "Répartition des clients par classe"
    assert right.get_title().startswith("Retards et défaillances par classe (AUC 0,")
