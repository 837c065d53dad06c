"""The simulator's fast paths (numpy scores, weight-free back-test parts computed once, per-class sums) give, bit for
bit, what the plain pandas computations they replaced give: those are kept here as references."""

import numpy as np
import pandas as pd
import pytest

from casekit import DataError
from casekit.credit.aged_balance import aged_balance
from casekit.credit.scoring import (
    CLASSES,
    DEFAULT_WEIGHTS,
    RULES,
    backtest_data,
    class_indicators,
    customer_features,
    discrimination_auc,
    evaluate_backtest,
    granted_terms,
    score_class,
    score_customers,
    weights_without,
)

WEIGHTS = [DEFAULT_WEIGHTS, weights_without("external_score"), {"days_late": 30, "late_trend": 10},
           *({name: 10} for name in RULES),
           {"days_late": 0.1, "external_score": 0.7, "late_trend": 0.2, "margin_rate": 1e-3},
           {"margin_rate": 5, "limit_use": 10, "days_late": 0, "external_score": 25}]


def reference_scores(features, weights):
    points = pd.DataFrame(index=features.index)
    for name in weights:
        values = features[name] if name in features else pd.Series(np.nan, index=features.index)
        rule = RULES[name]
        points[f"pts_{name}"] = (((values.astype(float) - rule.zero_at) / (rule.full_at - rule.zero_at))
                                 .clip(0, 1) * 100).round(1)
    w = pd.Series({f"pts_{k}": float(v) for k, v in weights.items()})
    total = (points.fillna(0.0) * w).sum(axis=1) / points.notna().mul(w).sum(axis=1).replace(0.0, np.nan)
    points["score"] = total.round(1)
    points["class"] = score_class(points["score"].fillna(0.0))
    if "insolvent" in features:
        points.loc[features["insolvent"].astype(bool), "class"] = "E"
    return points


def reference_auc(score, bad):
    score, bad = pd.Series(np.asarray(score, dtype=float)), pd.Series(np.asarray(bad, dtype=bool))
    keep = score.notna().to_numpy()
    score, bad = score[keep], bad[keep]
    n_bad, n_good = int(bad.sum()), int((~bad).sum())
    if n_bad == 0 or n_good == 0:
        return np.nan
    ranks = score.rank(method="average")
    return float((ranks[~bad].sum() - n_good * (n_good + 1) / 2) / (n_good * n_bad))


def reference_backtest(data, weights):
    """`evaluate_backtest` as it was: every weight-free part computed again at each call."""
    frame = data.outcomes
    scores = reference_scores(data.features, weights)
    per = frame.groupby("customer_id").agg(invoices=("late", "size"), late_invoices=("late", "sum"),
                                           amount=("amount", "sum"), wd=("wd", "sum"))
    out = scores[["score", "class"]].copy()
    out["insolvent_after"] = data.insolvency.reindex(out.index).between(data.as_of, data.end, inclusive="right")
    per = per.reindex(out.index)
    out["invoices"] = per["invoices"].fillna(0).astype(int)
    out["late_invoices"] = per["late_invoices"].fillna(0).astype(int)
    out["late_rate"] = per["late_invoices"] / per["invoices"]
    out["days_late_after"] = per["wd"] / per["amount"]
    out["late_payer"] = out["late_rate"] > 0.5
    out["bad"] = out["insolvent_after"] | out["late_payer"]
    groups = out.groupby("class")
    by_class = pd.DataFrame({
        "customers": groups.size(), "insolvencies": groups["insolvent_after"].sum(),
        "invoices": groups["invoices"].sum(), "late_invoices": groups["late_invoices"].sum(),
        "bad": groups["bad"].sum()}).reindex(list(CLASSES), fill_value=0)
    by_class["insolvency_rate"] = by_class["insolvencies"] / by_class["customers"].replace(0, np.nan)
    by_class["late_invoice_rate"] = by_class["late_invoices"] / by_class["invoices"].replace(0, np.nan)
    weighted = frame.assign(cls=frame["customer_id"].map(out["class"])).dropna(subset=["cls"])
    sums = weighted.groupby("cls")[["wd", "amount"]].sum()
    by_class["days_late_after"] = (sums["wd"] / sums["amount"]).reindex(by_class.index)
    by_class["bad_rate"] = by_class["bad"] / by_class["customers"].replace(0, np.nan)
    by_class.index.name = "class"
    observed = out[out["invoices"] > 0]
    aucs = (reference_auc(out["score"], out["bad"]), reference_auc(out["score"], out["insolvent_after"]),
            reference_auc(observed["score"], observed["late_payer"]))
    return out, by_class, aucs


def reference_indicators(scores, features, open_items=None, as_of=None, invoices=None):
    """`class_indicators` as it was: pandas groupbys by class label, the total row added with `.loc`."""
    classes = scores["class"].astype(str)
    rows = pd.Index(list(CLASSES), name="class")
    out = pd.DataFrame(index=rows)
    out["customers"] = classes.value_counts().reindex(rows, fill_value=0).astype(int)
    monthly = features["monthly_purchases"].reindex(classes.index) if "monthly_purchases" in features else \
        pd.Series(np.nan, index=classes.index)
    sales = (monthly * 12).groupby(classes).sum(min_count=1).reindex(rows)
    out["sales"] = sales.fillna(0.0) if monthly.notna().any() else np.nan
    if open_items is not None:
        aged = aged_balance(open_items, as_of, buckets=(30, 60, 90),
                            by=classes.rename("class")).reindex(rows, fill_value=0.0)
        out["exposure"] = aged["total"]
        out["overdue"] = aged["total"] - aged["not_due"]
        out["overdue_60"] = aged["61-90"] + aged[">90"]
    else:
        out["exposure"] = features["exposure"].reindex(classes.index).groupby(classes).sum().reindex(
            rows, fill_value=0.0)
        out["overdue"], out["overdue_60"] = np.nan, np.nan
    if "credit_limit" in features and features["credit_limit"].notna().any():
        limit = features["credit_limit"].reindex(classes.index)
        exposure = features["exposure"].reindex(classes.index)
        over = exposure > limit + 0.005
        out["over_limit"] = over.groupby(classes).sum().reindex(rows, fill_value=0).astype(int)
        out["excess"] = (exposure - limit).where(over, 0.0).groupby(classes).sum().reindex(rows, fill_value=0.0)
    else:
        out["over_limit"], out["excess"] = np.nan, np.nan
    if invoices is not None and "due_date" in invoices:
        terms = granted_terms(invoices, as_of).reindex(classes.index)
        weighted = (terms["sales"] * terms["terms_days"]).groupby(classes).sum()
        out["terms_days"] = (weighted / terms["sales"].groupby(classes).sum().replace(0, np.nan)).reindex(rows)
        total_terms = float(weighted.sum() / terms["sales"].sum()) if terms["sales"].sum() > 0 else np.nan
    else:
        out["terms_days"], total_terms = np.nan, np.nan
    total = out.sum(numeric_only=True, min_count=1)
    total["terms_days"] = total_terms
    out.loc["Total"] = total
    out["customers"] = out["customers"].astype(int)
    out["sales_share"] = out["sales"] / out.at["Total", "sales"] if out.at["Total", "sales"] else np.nan
    out["exposure_share"] = out["exposure"] / out.at["Total", "exposure"] if out.at["Total", "exposure"] \
        else np.nan
    out["overdue_share"] = out["overdue"] / out["exposure"].where(out["exposure"] > 0)
    money = ["sales", "exposure", "overdue", "overdue_60", "excess"]
    out[money] = out[money].round(2) + 0.0
    return out[["customers", "sales", "sales_share", "exposure", "exposure_share", "overdue", "overdue_share",
                "overdue_60", "over_limit", "excess", "terms_days"]]


def assert_same(actual: pd.DataFrame, expected: pd.DataFrame):
    """Equal values, dtypes and labels, and the same sign on every zero (−0.0 is not 0.0 here)."""
    pd.testing.assert_frame_equal(actual, expected, check_exact=True)
    for column in expected.columns:
        if expected[column].dtype.kind == "f":
            assert np.array_equal(np.signbit(actual[column].to_numpy()), np.signbit(expected[column].to_numpy())), \
                column


def random_features(seed: int, rows: int = 60) -> pd.DataFrame:
    """Features over and under every rule's bounds, exactly on them (points −0.0 for some rules), or missing."""
    rng = np.random.default_rng(seed)
    columns = {}
    for name, rule in RULES.items():
        low, high = sorted([rule.zero_at, rule.full_at])
        values = rng.uniform(low - (high - low), high + (high - low), rows)
        draw = rng.random(rows)
        values[draw < 0.2] = np.nan
        values[(draw >= 0.2) & (draw < 0.3)] = rule.zero_at
        values[(draw >= 0.3) & (draw < 0.35)] = rule.full_at
        columns[name] = values
    columns["insolvent"] = rng.random(rows) < 0.1
    columns["monthly_purchases"] = np.round(rng.uniform(0, 1e5, rows), 2)
    columns["exposure"] = np.round(rng.uniform(-1e3, 1e5, rows), 2)
    columns["credit_limit"] = np.where(rng.random(rows) < 0.2, np.nan, np.round(rng.uniform(0, 1e5, rows), -2))
    return pd.DataFrame(columns, index=pd.Index([f"C{i:03d}" for i in range(rows)], name="customer_id"))


@pytest.fixture(scope="module")
def fil_rouge(case):
    as_of = pd.Timestamp(case.as_of)
    return (customer_features(case, as_of), case.open_items(as_of), as_of,
            backtest_data(case, as_of - pd.Timedelta(days=365)))


@pytest.mark.parametrize("weights", WEIGHTS)
def test_scores_equal_the_pandas_computation(fil_rouge, weights):
    features = fil_rouge[0]
    assert_same(score_customers(features, weights), reference_scores(features, weights))


@pytest.mark.parametrize("seed", range(20))
def test_scores_equal_the_pandas_computation_on_edge_values(seed):
    features = random_features(seed)
    rng = np.random.default_rng(seed)
    names = rng.choice(list(RULES), size=int(rng.integers(1, len(RULES) + 1)), replace=False)
    weights = {name: float(rng.choice([0.0, 0.1, 1e-7, 7.0, 1e9])) for name in names}
    weights[names[0]] = 1.0 + seed  # not all zero
    for frame in (features, features.drop(columns=["margin_rate", "insolvent"]), features.iloc[:0]):
        assert_same(score_customers(frame, weights), reference_scores(frame, weights))


def test_score_errors_unchanged(fil_rouge):
    with pytest.raises(DataError, match="inconnu"):
        score_customers(fil_rouge[0], {"turnover": 1})
    with pytest.raises(DataError, match="positives ou nulles"):
        score_customers(fil_rouge[0], {"days_late": 0})


@pytest.mark.parametrize("weights", WEIGHTS)
def test_backtest_equals_the_plain_computation(fil_rouge, weights):
    data = fil_rouge[3]
    result = evaluate_backtest(data, weights)
    customers, by_class, aucs = reference_backtest(data, weights)
    assert_same(result.customers, customers)
    assert_same(result.by_class, by_class)
    assert [result.auc, result.auc_insolvency, result.auc_late] == pytest.approx(aucs, rel=0, abs=0, nan_ok=True)


def test_backtest_parts_computed_once_are_reused(fil_rouge):
    data = fil_rouge[3]
    evaluate_backtest(data)
    observed, outcomes = data.observed, data.scored_outcomes
    evaluate_backtest(data, {"days_late": 10})
    assert data.observed is observed and data.scored_outcomes is outcomes


@pytest.mark.parametrize("weights", WEIGHTS)
def test_class_indicators_equal_the_pandas_computation(case, fil_rouge, weights):
    features, items, as_of, _ = fil_rouge
    scores = score_customers(features, weights)
    assert_same(class_indicators(scores, features, items, as_of), reference_indicators(scores, features, items, as_of))
    assert_same(class_indicators(scores, features), reference_indicators(scores, features))


def test_class_indicators_equal_the_pandas_computation_on_odd_inputs(case, fil_rouge):
    features, items, as_of, _ = fil_rouge
    scores = score_customers(features)
    some = scores.iloc[::3].assign(**{"class": lambda s: s["class"].where(s.index.str.endswith("7"), "X")})
    without = features.drop(columns=["credit_limit", "monthly_purchases"])
    for args in ((scores, features, items, as_of, case.invoices), (some, features, items, as_of),
                 (scores, without, items, as_of), (scores.iloc[:0], features), (some, without)):
        assert_same(class_indicators(*args), reference_indicators(*args))
    for seed in range(5):
        random = random_features(seed)
        scores = score_customers(random)
        assert_same(class_indicators(scores, random), reference_indicators(scores, random))


def test_auc_equals_the_pandas_ranks():
    rng = np.random.default_rng(0)
    for _ in range(300):
        size = int(rng.integers(0, 30))
        score = rng.choice([0.0, -0.0, 1.5, 2.0, 50.5, np.nan, np.inf, 99.9], size)
        bad = rng.random(size) < rng.random()
        expected = reference_auc(score, bad)
        if np.isnan(expected):
            with pytest.raises(DataError):
                discrimination_auc(score, bad)
        else:
            assert discrimination_auc(score, bad) == expected
