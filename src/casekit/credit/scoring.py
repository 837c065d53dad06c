"""Internal customer scoring: transparent points per criterion, weighted total 0–100, classes A–E, terms.

Criteria (feature → points, linear between the two bounds and clipped to 0–100; see `RULES`):
* `days_late`: amount-weighted average days late over the last 12 months — cash paid in the window (payment
  date − due date) plus the invoices still open and overdue at `as_of` (their days overdue so far);
  0 day or less → 100 points, 60 days or more → 0.
* `late_trend`: days late of the last 12 months − days late of the previous 12: −10 days (improving) → 100,
  +10 days (worsening) → 0, stable → 50.
* `dispute_rate`: disputes opened / invoices issued over the last 12 months: 0 % → 100, 20 % or more → 0.
* `seniority_years`: years since `customer_since`: 0 → 0, 10 years or more → 100.
* `limit_use`: exposure (open items) / credit limit: 50 % or less → 100, 120 % or more → 0.
* `external_score`: rating of the information provider, 1 → 0, 20 → 100.
* `margin_rate`: gross margin rate of the last 12 months' sales: 20 % → 0, 40 % → 100 (a profitable customer
  justifies more risk).
Total = Σ weight × points / Σ weight over the criteria known for the customer (a missing criterion — no
payment history, no limit — is left out rather than guessed). Classes by total: A ≥ 80, B ≥ 65, C ≥ 50,
D ≥ 35, E below; a customer in collective proceedings at `as_of` is E whatever its points.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from casekit import fmt
from casekit.credit.forecast import payment_lines
from casekit.dates import to_timestamp
from casekit.errors import DataError
from casekit.plots import PALETTE, percent_axis, use_house_style

YEAR = pd.Timedelta(days=365)


@dataclass(frozen=True)
class Rule:
    """Points of one criterion: 0 at `zero_at`, 100 at `full_at`, linear in between, clipped."""

    feature: str
    label: str
    zero_at: float
    full_at: float

    def points(self, values: pd.Series) -> pd.Series:
        return ((values.astype(float) - self.zero_at) / (self.full_at - self.zero_at)).clip(0, 1) * 100


RULES = {
    "days_late": Rule("days_late", "Retard moyen de paiement (12 mois)", 60, 0),
    "late_trend": Rule("late_trend", "Tendance du retard (12 mois vs 12 mois précédents)", 10, -10),
    "dispute_rate": Rule("dispute_rate", "Taux de litiges", 0.20, 0),
    "seniority_years": Rule("seniority_years", "Ancienneté de la relation", 0, 10),
    "limit_use": Rule("limit_use", "Utilisation de la limite de crédit", 1.2, 0.5),
    "external_score": Rule("external_score", "Note externe (1 à 20)", 1, 20),
    "margin_rate": Rule("margin_rate", "Taux de marge brute", 0.20, 0.40),
}
DEFAULT_WEIGHTS = {"days_late": 30, "external_score": 25, "late_trend": 10, "dispute_rate": 10,
                   "limit_use": 10, "seniority_years": 10, "margin_rate": 5}
CLASS_CUTOFFS = (("A", 80), ("B", 65), ("C", 50), ("D", 35), ("E", 0))


@dataclass(frozen=True)
class ClassTerms:
    """Credit policy of a class: limit = `limit_months` × average monthly purchases incl. VAT."""

    limit_months: float
    payment_method: str
    payment_terms: str


TERMS_BY_CLASS = {
    "A": ClassTerms(3.0, "Virement ou LCR",
                    "Délai négociable jusqu'au plafond légal (60 jours date de facture)"),
    "B": ClassTerms(2.0, "Virement ou LCR", "45 jours date de facture"),
    "C": ClassTerms(1.5, "LCR acceptée ou prélèvement SEPA", "30 jours date de facture"),
    "D": ClassTerms(1.0, "Prélèvement SEPA, ou garantie (caution, assurance-crédit, crédit documentaire)",
                    "30 jours date de facture, acompte à la commande"),
    "E": ClassTerms(0.0, "Paiement d'avance ou à la commande", "Comptant avant livraison"),
}


def case_tables(case_or_tables, required=()) -> dict:
    """The tables of a `CaseStudy` or of a mapping name → DataFrame, checking `required` names."""
    tables = case_or_tables.tables() if hasattr(case_or_tables, "tables") else dict(case_or_tables)
    missing = [name for name in required if tables.get(name) is None]
    if missing:
        raise DataError(f"table(s) manquante(s) : {', '.join(missing)}")
    return tables


def _open_at(invoices: pd.DataFrame, payments: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    """Invoices issued by `end` with their open amount at `end` (all allocations, cash and credit notes)."""
    inv = invoices[(invoices["amount_incl_vat"] > 0) & (invoices["document_date"] <= end)]
    paid = payments[payments["payment_date"] <= end].groupby("document_ref")["amount"].sum()
    open_amount = inv["amount_incl_vat"] - inv["document_ref"].map(paid).fillna(0.0)
    return inv.assign(open_amount=open_amount)


def days_late(invoices: pd.DataFrame, payments: pd.DataFrame, end, days: int = 365) -> pd.Series:
    """Amount-weighted average days late per customer over (`end` − `days`, `end`].

    Cash paid in the window weighs its amount at (payment date − due date); invoices still open and overdue
    at `end` weigh their open amount at (`end` − due date). Example: 1 000 € paid 20 days late and 1 000 €
    open 40 days overdue → (1 000 × 20 + 1 000 × 40) / 2 000 = 30 days.
    """
    end = to_timestamp(end, "end")
    paid = payment_lines(invoices, payments, end - pd.Timedelta(days=days), end)
    still = _open_at(invoices, payments, end)
    still = still[(still["open_amount"] > 0.005) & (still["due_date"] < end)]
    weights = pd.concat([paid["amount"], still["open_amount"]], ignore_index=True)
    lateness = pd.concat([paid["days_late"], (end - still["due_date"]).dt.days.astype(float)],
                         ignore_index=True)
    customers = pd.concat([paid["customer_id"], still["customer_id"]], ignore_index=True)
    frame = pd.DataFrame({"w": weights, "wd": weights * lateness, "customer_id": customers})
    sums = frame.groupby("customer_id")[["w", "wd"]].sum()
    return (sums["wd"] / sums["w"]).rename("days_late")


def customer_features(case_or_tables, as_of) -> pd.DataFrame:
    """The scoring features of every customer known at `as_of`, from the history known at `as_of` only.

    Needs `invoices` and `payments`; `customers` (limits, ratings, seniority, insolvency) and `disputes` are
    used when given. Index `customer_id`; columns `days_late`, `days_late_prev`, `late_trend`, `disputes`,
    `dispute_rate`, `seniority_years`, `exposure`, `credit_limit`, `limit_use`, `external_score`,
    `margin_rate`, `monthly_purchases` (sales incl. VAT of the last 12 months / 12), `insolvent`.
    """
    as_of = to_timestamp(as_of)
    tables = case_tables(case_or_tables, ("invoices", "payments"))
    inv = tables["invoices"][tables["invoices"]["document_date"] <= as_of]
    pay = tables["payments"][tables["payments"]["payment_date"] <= as_of]
    customers = tables.get("customers")
    if customers is None:
        customers = pd.DataFrame({"customer_id": sorted(inv["customer_id"].unique())})
    if "customer_since" in customers:
        customers = customers[customers["customer_since"] <= as_of]
    out = pd.DataFrame(index=pd.Index(customers["customer_id"].astype(str), name="customer_id"))
    out["days_late"] = days_late(inv, pay, as_of)
    out["days_late_prev"] = days_late(inv, pay, as_of - YEAR)
    out["late_trend"] = out["days_late"] - out["days_late_prev"]
    recent = inv[inv["document_date"] > as_of - YEAR]
    issued = recent[recent["amount_incl_vat"] > 0].groupby("customer_id").size()
    disputes = tables.get("disputes")
    if disputes is not None:
        opened = disputes[(disputes["opened_date"] > as_of - YEAR) & (disputes["opened_date"] <= as_of)]
        out["disputes"] = opened.groupby("customer_id").size().reindex(out.index, fill_value=0)
        out["dispute_rate"] = out["disputes"] / issued.reindex(out.index)
    else:
        out["disputes"], out["dispute_rate"] = np.nan, np.nan
    by_id = customers.set_index(customers["customer_id"].astype(str))
    since = by_id["customer_since"] if "customer_since" in by_id else pd.Series(pd.NaT, index=by_id.index)
    out["seniority_years"] = (as_of - since).dt.days / 365.25
    exposure = inv.groupby("customer_id")["amount_incl_vat"].sum().sub(
        pay.groupby("customer_id")["amount"].sum(), fill_value=0.0)
    out["exposure"] = exposure.reindex(out.index, fill_value=0.0).round(2)
    limit = by_id["credit_limit"].astype(float) if "credit_limit" in by_id else pd.Series(np.nan, by_id.index)
    out["credit_limit"] = limit
    out["limit_use"] = (out["exposure"].clip(lower=0) / limit.where(limit > 0)).astype(float)
    out["external_score"] = by_id["external_score"].astype(float) if "external_score" in by_id else np.nan
    if {"gross_margin", "amount_excl_vat"} <= set(recent.columns):
        sums = recent.groupby("customer_id")[["gross_margin", "amount_excl_vat"]].sum()
        margin = sums["gross_margin"] / sums["amount_excl_vat"].where(sums["amount_excl_vat"] > 0)
    else:
        margin = pd.Series(dtype=float)
    fallback = by_id["gross_margin_rate"].astype(float) if "gross_margin_rate" in by_id else np.nan
    out["margin_rate"] = margin.reindex(out.index).fillna(fallback)
    out["monthly_purchases"] = (recent.groupby("customer_id")["amount_incl_vat"].sum()
                                .reindex(out.index, fill_value=0.0) / 12).round(2)
    insolvency = by_id["insolvency_date"] if "insolvency_date" in by_id else pd.Series(pd.NaT, by_id.index)
    out["insolvent"] = (insolvency <= as_of).reindex(out.index, fill_value=False).astype(bool)
    return out


def score_class(total) -> pd.Series:
    """Class A–E of each total score (see `CLASS_CUTOFFS`)."""
    total = pd.Series(total, dtype=float)
    labels = np.full(len(total), "E", dtype=object)
    for label, cutoff in reversed(CLASS_CUTOFFS):
        labels[total.to_numpy() >= cutoff] = label
    return pd.Series(labels, index=total.index, name="class")


def score_customers(features: pd.DataFrame, weights: dict | None = None) -> pd.DataFrame:
    """Points per criterion (`pts_<feature>`), `score` (0–100) and `class` (A–E) per customer.

    Example: days late 15 → 75 points; external score 10 → (10 − 1) / 19 × 100 = 47,4 points.
    """
    weights = DEFAULT_WEIGHTS if weights is None else weights
    unknown = [k for k in weights if k not in RULES]
    if unknown:
        raise DataError(f"critère(s) de score inconnu(s) : {', '.join(unknown)} "
                        f"(connus : {', '.join(RULES)})")
    if any(w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
        raise DataError("les pondérations du score doivent être positives ou nulles, de somme non nulle")
    points = pd.DataFrame(index=features.index)
    for name in weights:
        values = features[name] if name in features else pd.Series(np.nan, index=features.index)
        points[f"pts_{name}"] = RULES[name].points(values).round(1)
    w = pd.Series({f"pts_{k}": float(v) for k, v in weights.items()})
    known = points.notna()
    total = (points.fillna(0.0) * w).sum(axis=1) / known.mul(w).sum(axis=1).replace(0.0, np.nan)
    points["score"] = total.round(1)
    points["class"] = score_class(points["score"].fillna(0.0))
    if "insolvent" in features:
        points.loc[features["insolvent"].astype(bool), "class"] = "E"
    return points


def recommended_terms(scores: pd.DataFrame, features: pd.DataFrame) -> pd.DataFrame:
    """Per customer: class, monthly purchases, current and recommended credit limit (× `TERMS_BY_CLASS`
    months of purchases, rounded up to 1 000 €), recommended payment method and terms."""
    classes = scores["class"]
    months = classes.map({k: v.limit_months for k, v in TERMS_BY_CLASS.items()})
    purchases = features["monthly_purchases"].reindex(classes.index).fillna(0.0).clip(lower=0)
    out = pd.DataFrame({"class": classes, "score": scores["score"], "monthly_purchases": purchases,
                        "credit_limit": features["credit_limit"].reindex(classes.index)})
    out["recommended_limit"] = np.ceil(purchases * months / 1000) * 1000
    out["limit_change"] = out["recommended_limit"] - out["credit_limit"]
    out["payment_method"] = classes.map({k: v.payment_method for k, v in TERMS_BY_CLASS.items()})
    out["payment_terms"] = classes.map({k: v.payment_terms for k, v in TERMS_BY_CLASS.items()})
    return out


def discrimination_auc(score, bad) -> float:
    """Area under the ROC curve of `score` (higher = safer) for the `bad` outcome, by ranks (Mann-Whitney).

    AUC = probability that a good customer scores higher than a bad one (ties count ½): 0.5 = no
    discrimination, 1 = perfect. Gini = 2 × AUC − 1. Example: scores good [3, 4], bad [1, 3] → pairs won
    (3>1, 4>1, 4>3) + ½ tie (3=3) = 3.5 / 4 = 0.875.
    """
    score = pd.Series(np.asarray(score, dtype=float))
    bad = pd.Series(np.asarray(bad, dtype=bool))
    keep = score.notna().to_numpy()
    score, bad = score[keep], bad[keep]
    n_bad, n_good = int(bad.sum()), int((~bad).sum())
    if n_bad == 0 or n_good == 0:
        raise DataError("AUC non calculable : il faut au moins un bon et un mauvais payeur")
    ranks = score.rank(method="average")
    return float((ranks[~bad].sum() - n_good * (n_good + 1) / 2) / (n_good * n_bad))


def settlement_dates(invoices: pd.DataFrame, payments: pd.DataFrame) -> pd.Series:
    """Date each invoice was fully settled (cash and credit notes), NaT if never; indexed by document_ref."""
    inv = invoices[invoices["amount_incl_vat"] > 0].set_index("document_ref")["amount_incl_vat"]
    pay = payments[payments["document_ref"].isin(inv.index)].sort_values(["document_ref", "payment_date"],
                                                                        kind="stable")
    cumulative = pay.groupby("document_ref")["amount"].cumsum()
    done = pay[cumulative.to_numpy() >= pay["document_ref"].map(inv).to_numpy() - 0.005]
    return done.groupby("document_ref")["payment_date"].min().reindex(inv.index).rename("settled")


@dataclass(frozen=True)
class ScoringBacktest:
    """Scores at `as_of` against what happened in the next `horizon_days`.

    `customers`: score, class and outcomes per customer (`insolvent_after`, `invoices`, `late_invoices`,
    `late_rate`, `days_late_after`, `bad` = insolvent or more than half of its invoices paid more than
    `late_days` late). `by_class`: per class, customers, insolvencies, their rate, invoices, late-invoice
    rate, average days late, bad rate. AUCs of the score for `bad`, for insolvency alone and for late payment
    alone (NaN when a group is empty).
    """

    as_of: pd.Timestamp
    horizon_days: int
    late_days: int
    customers: pd.DataFrame
    by_class: pd.DataFrame
    auc: float
    gini: float
    auc_insolvency: float
    auc_late: float


def _auc_or_nan(score, bad) -> float:
    try:
        return discrimination_auc(score, bad)
    except DataError:
        return float("nan")


def backtest_scoring(case, as_of, horizon_days: int = 365, weights: dict | None = None,
                     late_days: int = 30) -> ScoringBacktest:
    """Score the customers at a past `as_of` and measure what followed.

    Population: customers known and not insolvent at `as_of`. Outcomes over (`as_of`, `as_of` +
    `horizon_days`]: insolvency judgement; invoices due in that window (and at least `late_days` before the
    data end) paid more than `late_days` late or not at all. Example: `backtest_scoring(case, "2023-12-31")`.
    Caveat: the fil rouge's `external_score` is the latest known rating, so at a past `as_of` it already
    reflects later failures; pass weights without `external_score` for a fair back-test.
    """
    as_of = to_timestamp(as_of)
    end = min(as_of + pd.Timedelta(days=horizon_days), case.as_of)
    if end <= as_of + pd.Timedelta(days=late_days):
        raise DataError(f"back-test impossible : moins de {late_days} jours d'historique après le "
                        f"{as_of:%d/%m/%Y}")
    features = customer_features(case, as_of)
    features = features[~features["insolvent"]]
    scores = score_customers(features, weights)
    insolvency = case.customers.set_index("customer_id")["insolvency_date"]
    inv = case.invoices[case.invoices["amount_incl_vat"] > 0]
    inv = inv[(inv["due_date"] > as_of) & (inv["due_date"] <= end - pd.Timedelta(days=late_days))]
    settled = settlement_dates(inv, case.payments)
    lateness = (settled.fillna(case.as_of) - inv.set_index("document_ref")["due_date"]).dt.days.clip(lower=0)
    frame = pd.DataFrame({"customer_id": inv["customer_id"].to_numpy(),
                          "amount": inv["amount_incl_vat"].to_numpy(),
                          "late": (lateness > late_days).to_numpy(), "days": lateness.to_numpy()})
    frame["wd"] = frame["amount"] * frame["days"]
    per = frame.groupby("customer_id").agg(invoices=("late", "size"), late_invoices=("late", "sum"),
                                           amount=("amount", "sum"), wd=("wd", "sum"))
    out = scores[["score", "class"]].copy()
    out["insolvent_after"] = insolvency.reindex(out.index).between(as_of, end, inclusive="right")
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
        "bad": groups["bad"].sum()}).reindex([c for c, _ in CLASS_CUTOFFS], fill_value=0)
    by_class["insolvency_rate"] = by_class["insolvencies"] / by_class["customers"].replace(0, np.nan)
    by_class["late_invoice_rate"] = by_class["late_invoices"] / by_class["invoices"].replace(0, np.nan)
    weighted = frame.assign(cls=frame["customer_id"].map(out["class"])).dropna(subset=["cls"])
    sums = weighted.groupby("cls")[["wd", "amount"]].sum()
    by_class["days_late_after"] = (sums["wd"] / sums["amount"]).reindex(by_class.index)
    by_class["bad_rate"] = by_class["bad"] / by_class["customers"].replace(0, np.nan)
    by_class.index.name = "class"
    auc = _auc_or_nan(out["score"], out["bad"])
    observed = out[out["invoices"] > 0]
    return ScoringBacktest(as_of, horizon_days, late_days, out, by_class, auc, 2 * auc - 1,
                           _auc_or_nan(out["score"], out["insolvent_after"]),
                           _auc_or_nan(observed["score"], observed["late_payer"]))


def plot_backtest(result: ScoringBacktest, title: str | None = None):
    """Two panels: customers per class at `as_of`; late-invoice rate and share of insolvent customers per
    class over the horizon."""
    use_house_style()
    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 5.5))
    fig.suptitle(title or f"Back-test du score : classes au {result.as_of:%d/%m/%Y}, "
                          f"comportement sur {result.horizon_days} jours", fontsize=16, fontweight="bold")
    table = result.by_class
    left.bar(table.index, table["customers"], color=PALETTE[0])
    left.set_title("Répartition des clients par classe")
    left.set_xlabel("Classe")
    left.set_ylabel("Nombre de clients")
    x = np.arange(len(table))
    right.bar(x - 0.2, table["late_invoice_rate"].fillna(0), 0.4, color=PALETTE[1],
              label=f"Factures payées à plus de {result.late_days} jours de retard")
    right.bar(x + 0.2, table["insolvency_rate"].fillna(0), 0.4, color=PALETTE[3],
              label="Clients défaillants (procédure collective)")
    right.set_xticks(x, table.index)
    right.set_title(f"Retards et défaillances par classe (AUC {fmt.number(result.auc, 2)})")
    right.set_xlabel("Classe")
    percent_axis(right)
    right.legend()
    return fig
