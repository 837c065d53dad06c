"""Scoring, commercial side (module 4a): the grid and one customer's breakdown, a ledger-only score, the
follow-up indicators by class, terms to renegotiate, the escompte, the back-test in two steps."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import casekit  # noqa: E402
from casekit import DataError  # noqa: E402
from casekit.credit.scoring import (  # noqa: E402
    DEFAULT_WEIGHTS,
    MAX_TERMS_DAYS,
    TERMS_BY_CLASS,
    backtest_data,
    backtest_scoring,
    class_indicators,
    customer_features,
    early_payment_discount,
    evaluate_backtest,
    granted_terms,
    group_indicators,
    negotiation_grid,
    open_items_features,
    plot_class_mix,
    recommended_terms_by_class,
    rules_table,
    score_breakdown,
    score_customers,
    terms_review,
    terms_review_by_class,
    weights_without,
)
from casekit.openitems import canonical_open_items  # noqa: E402

T = pd.Timestamp
AS_OF = "2025-12-31"



def test_rules_table_and_weights_without():
    table = rules_table()
    assert list(table.index) == list(DEFAULT_WEIGHTS)
    assert table.loc["external_score", "source"] == "externe"
    assert (table.drop(index="external_score")["source"] == "interne").all()
    assert table.loc["days_late", ["zero_at", "full_at"]].tolist() == ["60\u00a0jours", "0\u00a0jour"]
    assert table["weight_share"].sum() == pytest.approx(1.0)
    fair = weights_without("external_score")
    assert "external_score" not in fair and sum(fair.values()) == 75  # 100 − 25
    assert rules_table(fair).loc["days_late", "weight_share"] == pytest.approx(30 / 75)


def test_score_breakdown_adds_up_to_the_score():
    # days late 12 → (60 − 12) / 60 = 80 points; external 14 → (14 − 1) / 19 = 68.4 points; the other
    # criteria unknown. Contributions: 30 × 80 / 55 = 43.64 and 25 × 68.4 / 55 = 31.09 → score 74.7
    features = pd.DataFrame({"days_late": [12.0], "external_score": [14.0]}, index=pd.Index(["X"]))
    table = score_breakdown(features, "X")
    assert table.loc["days_late", ["points", "contribution"]].tolist() == [80.0, 43.64]
    assert table.loc["external_score", "contribution"] == 31.09
    assert table.loc["days_late", "shown"] == "12,0\u00a0jours" and table.loc["external_score", "shown"] == "14 / 20"
    assert table.loc["margin_rate", "shown"] == "–"
    assert np.isnan(table.loc["margin_rate", "points"]) and np.isnan(table.loc["margin_rate", "contribution"])
    assert table["contribution"].sum() == pytest.approx(score_customers(features).loc["X", "score"], abs=0.05)
    with pytest.raises(DataError, match="absent"):
        score_breakdown(features, "Y")


def ledger():
    items = canonical_open_items(pd.DataFrame({
        "customer_id": ["A", "A", "B", "C", "C"], "document_ref": ["F1", "F2", "F3", "F4", "AV1"],
        "document_date": ["2025-11-01", "2025-10-01", "2025-12-20", "2025-09-01", "2025-12-01"],
        "due_date": ["2026-01-15", "2025-11-21", "2026-01-20", "2025-09-01", "2025-12-01"],
        "amount": [1000.0, 1000.0, 500.0, 300.0, -100.0]}))
    invoices = pd.DataFrame({
        "customer_id": ["A", "A", "B", "C", "D", "A"], "document_ref": ["F1", "F2", "F3", "F4", "F5", "F0"],
        "document_date": [T("2025-11-01"), T("2025-10-01"), T("2025-12-20"), T("2025-09-01"), T("2025-06-01"),
                          T("2024-06-01")],
        "amount_incl_vat": [1000.0, 1000.0, 500.0, 300.0, 1200.0, 9999.0]})
    return items, invoices


def test_open_items_features_by_hand():
    items, invoices = ledger()
    f = open_items_features(items, AS_OF, invoices)
    # A: F1 not due (0 day), F2 due 21/11/2025 → 40 days: (1 000 × 0 + 1 000 × 40) / 2 000 = 20 days
    assert f.loc["A", "days_late"] == 20.0 and f.loc["A", "overdue"] == 1000.0
    # C: F4 121 days overdue (300 €); the credit note lowers exposure and overdue, not the days late
    assert f.loc["C", "days_late"] == 121.0
    assert f.loc["C", ["exposure", "overdue"]].tolist() == [200.0, 200.0]
    assert f.loc["B", "days_late"] == 0.0
    # D owes nothing but was invoiced 1 200 € in the 12 months (F0 is older): nothing overdue, 0 day late
    assert f.loc["D", "days_late"] == 0.0 and f.loc["D", "monthly_purchases"] == 100.0
    assert f.loc["A", "monthly_purchases"] == pytest.approx(2000 / 12, abs=0.005)
    scores = score_customers(f, {"days_late": 1})
    assert scores.loc["A", "score"] == pytest.approx(66.7)  # (60 − 20) / 60
    assert scores["class"].to_dict() == {"A": "B", "B": "A", "C": "E", "D": "A"}
    assert np.isnan(open_items_features(items, AS_OF).loc["B", "monthly_purchases"])  # no invoices given
    empty = open_items_features(items.iloc[0:0], AS_OF)
    assert empty.empty and list(empty.columns) == ["exposure", "overdue", "days_late", "monthly_purchases"]


def test_granted_terms_by_hand():
    invoices = pd.DataFrame({
        "customer_id": ["A", "A", "A", "B"], "amount_incl_vat": [1000.0, 3000.0, -500.0, 800.0],
        "document_date": [T("2025-10-01"), T("2025-11-01"), T("2025-11-15"), T("2024-01-01")],
        "due_date": [T("2025-10-31"), T("2025-12-31"), T("2025-11-15"), T("2024-03-01")]})
    terms = granted_terms(invoices, AS_OF)
    # A: 1 000 € at 30 days and 3 000 € at 60 days (the credit note is left out) → 210 000 / 4 000 = 52.5
    assert terms.loc["A"].tolist() == [4000.0, 52.5]
    assert "B" not in terms.index  # invoiced more than 12 months before as_of
    with pytest.raises(DataError, match="échéances"):
        granted_terms(invoices.drop(columns="due_date"), AS_OF)


def indicator_inputs():
    features = pd.DataFrame({
        "monthly_purchases": [100.0, 200.0, 50.0, 0.0], "exposure": [1000.0, 500.0, 400.0, 0.0],
        "credit_limit": [800.0, 1000.0, 300.0, 100.0]}, index=pd.Index(["A", "B", "C", "D"], name="customer_id"))
    scores = pd.DataFrame({"score": [85.0, 70.0, 20.0, 10.0], "class": ["A", "B", "E", "E"]},
                          index=features.index)
    items = canonical_open_items(pd.DataFrame({
        "customer_id": ["A", "A", "B", "C"], "document_ref": ["F1", "F2", "F3", "F4"],
        "document_date": ["2025-12-01", "2025-09-01", "2025-12-15", "2025-08-01"],
        "due_date": ["2026-01-31", "2025-10-01", "2026-01-15", "2025-09-01"],  # F2 91 days, F4 121 days
        "amount": [600.0, 400.0, 500.0, 400.0]}))
    invoices = pd.DataFrame({
        "customer_id": ["A", "B"], "amount_incl_vat": [1200.0, 2400.0],
        "document_date": [T("2025-06-01"), T("2025-06-01")], "due_date": [T("2025-07-31"), T("2025-07-01")]})
    return scores, features, items, invoices


def test_class_indicators_by_hand():
    scores, features, items, invoices = indicator_inputs()
    table = class_indicators(scores, features, items, AS_OF, invoices)
    assert list(table.index) == ["A", "B", "C", "D", "E", "Total"]
    # sales = 12 × monthly purchases: A 1 200, B 2 400, E 600 (C) + 0 (D); total 4 200
    assert table["sales"].tolist() == [1200.0, 2400.0, 0.0, 0.0, 600.0, 4200.0]
    assert table.at["B", "sales_share"] == pytest.approx(2400 / 4200)
    # exposure from the open items: A 1 000 (400 overdue, 91 days), B 500 not due, E 400 overdue 121 days
    assert table.at["A", "overdue"] == 400.0 and table.at["A", "overdue_share"] == 0.4
    assert table.at["E", "overdue_60"] == 400.0 and table.at["Total", "overdue"] == 800.0
    assert table.at["Total", "exposure_share"] == 1.0
    # limits: A 1 000 > 800 (excess 200), C 400 > 300 (excess 100, class E); B and D within
    assert table["over_limit"].tolist() == [1, 0, 0, 0, 1, 2]
    assert table.at["Total", "excess"] == 300.0
    # terms: A 60 days, B 30 days; total (1 200 × 60 + 2 400 × 30) / 3 600 = 40 days
    assert table.at["A", "terms_days"] == 60.0 and table.at["Total", "terms_days"] == 40.0
    assert np.isnan(table.at["C", "terms_days"]) and table.at["C", "customers"] == 0
    fig = plot_class_mix(table)
    assert len(fig.axes[0].patches) == 15  # 5 classes × (sales, exposure, overdue)


def test_class_indicators_without_open_items_nor_limits():
    scores, features, _, _ = indicator_inputs()
    table = class_indicators(scores, features.drop(columns="credit_limit"))
    assert table.at["Total", "exposure"] == 1900.0  # from the features: 1 000 + 500 + 400
    assert table["overdue"].isna().all() and table["over_limit"].isna().all() and table["terms_days"].isna().all()


def test_negotiation_grid_matches_the_class_terms():
    grid = negotiation_grid()
    assert list(grid.index) == ["A", "B", "C", "D", "E"]
    for cls, days in MAX_TERMS_DAYS.items():
        text = TERMS_BY_CLASS[cls].payment_terms
        assert (str(days) in text) if days else ("Comptant" in text)
    assert grid["concession"].str.len().gt(20).all() and grid["decision"].str.len().gt(5).all()


def test_terms_review_by_hand():
    scores = pd.DataFrame({"score": [55.0, 85.0, 10.0], "class": ["C", "A", "E"]},
                          index=pd.Index(["X", "Y", "Z"], name="customer_id"))
    customers = pd.DataFrame({"customer_id": ["X", "Y", "Z"], "customer_name": ["Xeno", "Ypso", "Zeta"],
                              "payment_method": ["Virement", "Chèque", "Virement"]})
    invoices = pd.DataFrame({  # X: 365 000 € invoiced at 60 days in 2025; Y: 10 000 € at 30 days
        "customer_id": ["X", "Y"], "amount_incl_vat": [365_000.0, 10_000.0],
        "document_date": [T("2025-03-01"), T("2025-03-01")], "due_date": [T("2025-04-30"), T("2025-03-31")]})
    review = terms_review(scores, customers, invoices, AS_OF)
    # X (class C, 30 days): 60 − 30 = 30 excess days × 365 000 / 365 = 30 000 € of receivables at stake
    assert review.loc["X", ["terms_days", "max_terms_days", "excess_days", "cash_at_stake"]].tolist() == \
        [60.0, 30.0, 30.0, 30_000.0]
    assert not review.loc["X", "method_ok"]  # class C: LCR or direct debit expected, not a transfer
    assert review.loc["Y", "excess_days"] == 0 and review.loc["Y", "method_ok"]  # class A, 30 < 60 days
    assert np.isnan(review.loc["Z", "terms_days"]) and review.loc["Z", "cash_at_stake"] == 0  # no sales
    by_class = terms_review_by_class(review)
    assert by_class.loc["Total", ["customers", "beyond_policy", "method_not_ok"]].tolist() == [3, 1, 2]
    assert by_class.loc["C", "cash_at_stake"] == 30_000.0


def test_early_payment_discount_by_hand():
    offer = early_payment_discount(100_000, 0.01, 30, 0.05)
    assert offer.discount_cost == 1000.0
    assert offer.financing_saved == pytest.approx(99_000 * 0.05 * 30 / 365)  # 406,85 €
    assert offer.net_gain == pytest.approx(406.849315 - 1000, abs=1e-5)
    assert offer.annual_rate == pytest.approx(0.01 / 0.99 * 365 / 30)  # 12,29 %
    k = 0.05 * 30 / 365  # 0,41096 %
    assert offer.breakeven_discount == pytest.approx(k / (1 + k))  # 0,40927 %
    at_breakeven = early_payment_discount(100_000, offer.breakeven_discount, 30, 0.05)
    assert at_breakeven.net_gain == pytest.approx(0, abs=1e-9)
    assert at_breakeven.annual_rate == pytest.approx(0.05)
    assert early_payment_discount(1000, 0.0, 30, 0.05).net_gain > 0  # no discount: pure gain
    with pytest.raises(DataError):
        early_payment_discount(1000, 0.01, 0, 0.05)
    with pytest.raises(DataError, match="montant"):
        early_payment_discount(0, 0.01, 30, 0.05)


def test_backtest_in_two_steps_gives_the_same_result():
    case = casekit.load_case()
    data = backtest_data(case, "2024-06-30")
    direct = backtest_scoring(case, "2024-06-30", weights=weights_without("external_score"))
    again = evaluate_backtest(data, weights_without("external_score"))
    assert again.auc == direct.auc and again.by_class.equals(direct.by_class)
    assert evaluate_backtest(data).auc == backtest_scoring(case, "2024-06-30").auc
    assert len(data.features) == len(direct.customers)


def test_features_when_nothing_was_paid_before_the_previous_year_end():
    # regression: the open amounts at 31/12/2024 were computed from an empty payment table
    invoices = pd.DataFrame({"document_ref": ["F1"], "customer_id": ["A"], "document_date": [T("2025-03-01")],
                             "due_date": [T("2025-03-31")], "amount_incl_vat": [1200.0]})
    payments = pd.DataFrame({"payment_ref": ["P1"], "customer_id": ["A"], "payment_date": [T("2025-04-10")],
                             "document_ref": ["F1"], "amount": [1200.0]})
    f = customer_features({"invoices": invoices, "payments": payments}, AS_OF)
    assert f.loc["A", "days_late"] == 10.0 and np.isnan(f.loc["A", "days_late_prev"])


def test_recommended_terms_by_class_by_hand():
    terms = pd.DataFrame({"class": ["A", "A", "C"], "credit_limit": [10_000.0, 5_000.0, 8_000.0],
                          "recommended_limit": [12_000.0, 3_000.0, 8_000.0]})
    terms["limit_change"] = terms["recommended_limit"] - terms["credit_limit"]  # +2 000, −2 000, 0
    table = recommended_terms_by_class(terms)
    assert table.loc["A"].tolist() == [2, 15_000.0, 15_000.0, 1, 1]
    assert table.loc["Total", ["customers", "credit_limit", "to_reduce", "to_raise"]].tolist() == [3, 23_000.0, 1, 1]
    assert table.loc["E", "customers"] == 0


def test_group_indicators_by_hand():
    scores, features, items, _ = indicator_inputs()
    reps = pd.Series({"A": "Luc", "B": "Luc", "C": "Ana"}, name="sales_rep")  # D not assigned
    table = group_indicators(scores, features, reps, items, AS_OF)
    assert list(table.index) == ["Luc", "Ana", "non renseigné"]  # by sales: 3 600, 600, 0
    assert table.index.name == "sales_rep"
    # Luc: A (class A, 1 200) + B (class B, 2 400): nothing in D-E; Ana: C (class E, 600) → 100 %
    assert table.loc["Luc", "risky_sales_share"] == 0.0 and table.loc["Ana", "risky_sales_share"] == 1.0
    # Luc's exposure 1 000 + 500, overdue 400 (A's F2); over limit: A (1 000 > 800, +200)
    assert table.loc["Luc", ["exposure", "overdue", "over_limit", "excess"]].tolist() == [1500.0, 400.0, 1, 200.0]
    assert table.loc["Luc", "overdue_share"] == pytest.approx(400 / 1500)
    assert np.isnan(table.loc["non renseigné", "risky_sales_share"])  # no sales
