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

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from casekit import fmt
from casekit.credit.aged_balance import aged_balance
from casekit.credit.forecast import allocated_cash, invoiced_positions
from casekit.dates import to_timestamp
from casekit.errors import DataError
from casekit.lookup import in_background, lookup
from casekit.plots import PALETTE, new_figure, nice_limit, percent_axis, use_house_style

YEAR = pd.Timedelta(days=365)


@dataclass(frozen=True)
class Rule:
    """Points of one criterion: 0 at `zero_at`, 100 at `full_at`, linear in between, clipped."""

    feature: str
    label: str
    zero_at: float
    full_at: float

    def points(self, values: pd.Series | np.ndarray) -> pd.Series | np.ndarray:
        """The points of `values` (a Series, or an array: an array back); NaN stays NaN."""
        share = (np.asarray(values, dtype=float) - self.zero_at) / (self.full_at - self.zero_at)
        points = np.where(share < 0, 0.0, np.where(share > 1, 1.0, share)) * 100  # clipped as pandas does (−0.0 kept)
        return pd.Series(points, index=values.index, name=values.name) if isinstance(values, pd.Series) else points


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


def days_late(invoices: pd.DataFrame, payments: pd.DataFrame, end, days: int = 365, *,
              where: np.ndarray | None = None) -> pd.Series:
    """Amount-weighted average days late per customer over (`end` − `days`, `end`].

    Cash paid in the window weighs its amount at (payment date − due date); invoices still open and overdue
    at `end` weigh their open amount at (`end` − due date). Example: 1 000 € paid 20 days late and 1 000 €
    open 40 days overdue → (1 000 × 20 + 1 000 × 40) / 2 000 = 30 days. `where`: `invoiced_positions(invoices,
    payments)`, when the caller has it.
    """
    ids = pd.concat([invoices["customer_id"], payments["customer_id"]], ignore_index=True)
    customers = pd.Index(ids.unique(), name="customer_id").sort_values()
    late = _Ledger(invoices, payments, customers, where).days_late(to_timestamp(end, "end"), days)
    return late.set_axis(customers[late.index])


class _Ledger:
    """Invoices and payments as numpy arrays, for per-customer sums over millions of lines: each payment's invoice
    (`where`, one lookup for every date, on a thread of its own meanwhile) and each line's customer (its rank in
    `customers`, -1: another one). The sums are pandas' (compensated, in row order), indexed by customer rank."""

    def __init__(self, invoices: pd.DataFrame, payments: pd.DataFrame, customers: pd.Index,
                 where: np.ndarray | None = None):
        self.invoices, self.payments, self.customers = invoices, payments, customers
        self._where = in_background(invoiced_positions, invoices, payments) if where is None else _done(where)
        self.invoice_customer, self.payment_customer = lookup(customers, invoices["customer_id"],
                                                              payments["customer_id"]).positions
        self.invoiced = (invoices["amount_incl_vat"] > 0).to_numpy()
        self.paid, self.paid_on = payments["amount"].to_numpy(float), payments["payment_date"].to_numpy()
        self.billed, self.issued_on, self.due, self.billed_customer = (
            values[self.invoiced] for values in (invoices["amount_incl_vat"].to_numpy(float),
                                                 invoices["document_date"].to_numpy(),
                                                 invoices["due_date"].to_numpy(), self.invoice_customer))

    @property
    def where(self) -> np.ndarray:
        """Each payment's position among the invoices of positive amount (`invoiced_positions`)."""
        return self._where.result()

    @cached_property
    def cash(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """`allocated_cash` at every date (`days_late` takes its windows): payment rows, dates, due dates."""
        rows, due = allocated_cash(self.invoices, self.payments, where=self._where)
        return rows, self.paid_on[rows], due

    @cached_property
    def allocations(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every payment allocated to an invoice (cash and credit notes): its date, its invoice, its amount."""
        linked = np.flatnonzero(self.where >= 0)
        return self.paid_on[linked], self.where[linked], self.paid[linked]

    def totals(self, customer: np.ndarray, **columns: np.ndarray) -> pd.DataFrame:
        """Per-customer sums of the `columns` (rows aligned with `customer`) on every customer, in order (0: none)."""
        return _sums_by_code(customer, len(self.customers), columns)

    def sums(self, customer: np.ndarray, **columns: np.ndarray) -> pd.DataFrame:
        """Per-customer sums of the `columns` (rows aligned with `customer`): customers with rows only."""
        sums = self.totals(customer, **columns)
        present = np.bincount(customer + 1, minlength=len(self.customers) + 1)[1:] > 0
        return sums[present].set_axis(np.flatnonzero(present))

    def aligned(self, values: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
        """Per-customer `values` on every customer, in order (NaN for the missing ones)."""
        return values.reindex(pd.RangeIndex(len(self.customers)))

    def days_late_at(self, ends: list[pd.Timestamp]) -> list[pd.Series]:
        """`days_late` at each of `ends`, each on a thread of its own, after `cash` and `allocations` (two threads;
        `cash` chooses its payments while the lookup runs)."""
        with ThreadPoolExecutor(max(2, len(ends))) as pool:
            list(pool.map(lambda name: getattr(self, name), ("cash", "allocations")))  # once, for the dates to share
            return list(pool.map(self.days_late, ends))

    def days_late(self, end: pd.Timestamp, days: int = 365) -> pd.Series:
        """See `days_late`; customers with payments or open invoices only."""
        end, (rows, paid_on, due) = end.to_datetime64(), self.cash
        window = (paid_on > end - np.timedelta64(days, "D")) & (paid_on <= end)  # as `allocated_cash(start, end)`
        rows = rows[window]
        owed, overdue, customer = self._open_at(end)
        weights = np.concatenate([self.paid[rows], owed])
        late = np.concatenate([_days(paid_on[window] - due[window]), overdue])
        sums = self.sums(np.concatenate([self.payment_customer[rows], customer]), w=weights, wd=weights * late)
        return (sums["wd"] / sums["w"]).rename("days_late")

    def _open_at(self, end: np.datetime64) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The invoices issued by `end`, still open (over 0,005 €, all allocations: cash and credit notes) and
        overdue at `end`: open amount, days overdue, customer."""
        dates, invoice, amount = self.allocations
        counted = dates <= end
        if not counted.all():
            invoice, amount = invoice[counted], amount[counted]
        owed = self.billed - np.bincount(invoice, weights=amount, minlength=len(self.billed))
        still = (self.issued_on <= end) & (owed > 0.005) & (self.due < end)
        return owed[still], _days(end - self.due[still]), self.billed_customer[still]


def _done(result) -> Future:
    """A future that already holds `result`."""
    future = Future()
    future.set_result(result)
    return future


def _days(delta: np.ndarray) -> np.ndarray:
    """Whole days (rounded down) of numpy time spans, as floats."""
    return (delta // np.timedelta64(1, "D")).astype(float)


INVOICE_COLUMNS = ["customer_id", "document_ref", "document_date", "due_date", "amount_incl_vat", "amount_excl_vat",
                   "gross_margin"]
PAYMENT_COLUMNS = ["customer_id", "document_ref", "payment_date", "payment_method", "amount"]


def _until(table: pd.DataFrame, column: str, as_of: pd.Timestamp, columns: list[str]) -> pd.DataFrame:
    """The rows of `table` whose `column` is at most `as_of`, with the `columns` it has; `table` itself when every
    row is (filtering copies millions of rows)."""
    dated = table[column] <= as_of
    return table if dated.all() else table.loc[dated, [c for c in columns if c in table.columns]]


def customer_features(case_or_tables, as_of) -> pd.DataFrame:
    """The scoring features of every customer known at `as_of`, from the history known at `as_of` only.

    Needs `invoices` and `payments`; `customers` (limits, ratings, seniority, insolvency) and `disputes` are
    used when given. Index `customer_id`; columns `days_late`, `days_late_prev`, `late_trend`, `disputes`,
    `dispute_rate`, `seniority_years`, `exposure`, `credit_limit`, `limit_use`, `external_score`,
    `margin_rate`, `monthly_purchases` (sales incl. VAT of the last 12 months / 12), `insolvent`.
    """
    as_of = to_timestamp(as_of)
    tables = case_tables(case_or_tables, ("invoices", "payments"))
    inv = _until(tables["invoices"], "document_date", as_of, INVOICE_COLUMNS)
    pay = _until(tables["payments"], "payment_date", as_of, PAYMENT_COLUMNS)
    customers = tables.get("customers")
    if customers is None:
        customers = pd.DataFrame({"customer_id": sorted(inv["customer_id"].unique())})
    if "customer_since" in customers:
        customers = customers[customers["customer_since"] <= as_of]
    out = pd.DataFrame(index=pd.Index(customers["customer_id"].astype(str), name="customer_id"))
    ledger = _Ledger(inv, pay, out.index)  # one lookup for both years, meanwhile all that needs none:
    recent = (inv["document_date"] > as_of - YEAR).to_numpy()
    customer = ledger.invoice_customer[recent & ledger.invoiced]
    issued = np.bincount(customer[customer >= 0], minlength=len(out))
    billed = ledger.totals(ledger.invoice_customer, amount=inv["amount_incl_vat"].to_numpy(float))
    paid = ledger.totals(ledger.payment_customer, amount=ledger.paid)
    columns = [c for c in ("gross_margin", "amount_excl_vat", "amount_incl_vat") if c in inv.columns]
    sales = ledger.totals(ledger.invoice_customer[recent],
                          **{c: inv[c].to_numpy(float)[recent] for c in columns}).set_axis(out.index)
    disputes = tables.get("disputes")
    if disputes is not None:
        opened = disputes[(disputes["opened_date"] > as_of - YEAR) & (disputes["opened_date"] <= as_of)]
        out["disputes"] = opened.groupby("customer_id").size().reindex(out.index, fill_value=0)
        out["dispute_rate"] = out["disputes"] / np.where(issued > 0, issued, np.nan)
    else:
        out["disputes"], out["dispute_rate"] = np.nan, np.nan
    by_id = customers.set_index(customers["customer_id"].astype(str))
    since = by_id["customer_since"] if "customer_since" in by_id else pd.Series(pd.NaT, index=by_id.index)
    out["seniority_years"] = (as_of - since).dt.days / 365.25
    out["exposure"] = (billed["amount"] - paid["amount"]).round(2).to_numpy()
    limit = by_id["credit_limit"].astype(float) if "credit_limit" in by_id else pd.Series(np.nan, by_id.index)
    out["credit_limit"] = limit
    out["limit_use"] = (out["exposure"].clip(lower=0) / limit.where(limit > 0)).astype(float)
    out["external_score"] = by_id["external_score"].astype(float) if "external_score" in by_id else np.nan
    if {"gross_margin", "amount_excl_vat"} <= set(columns):
        margin = sales["gross_margin"] / sales["amount_excl_vat"].where(sales["amount_excl_vat"] > 0)
    else:
        margin = pd.Series(np.nan, index=out.index)
    fallback = by_id["gross_margin_rate"].astype(float) if "gross_margin_rate" in by_id else np.nan
    out["margin_rate"] = margin.fillna(fallback)
    out["monthly_purchases"] = (sales["amount_incl_vat"] / 12).round(2)
    insolvency = by_id["insolvency_date"] if "insolvency_date" in by_id else pd.Series(pd.NaT, by_id.index)
    out["insolvent"] = (insolvency <= as_of).reindex(out.index, fill_value=False).astype(bool)
    late, previous = ledger.days_late_at([as_of, as_of - YEAR])  # last: they wait for the ledger's lookup
    out.insert(0, "days_late", ledger.aligned(late).to_numpy())
    out.insert(1, "days_late_prev", ledger.aligned(previous).to_numpy())
    out.insert(2, "late_trend", out["days_late"] - out["days_late_prev"])
    return out


def score_class(total) -> pd.Series:
    """Class A–E of each total score (see `CLASS_CUTOFFS`)."""
    total = pd.Series(total, dtype=float)
    return pd.Series(_class_labels(total.to_numpy()), index=total.index, name="class")


def _class_labels(total: np.ndarray) -> np.ndarray:
    """`score_class` of an array of totals, as an object array."""
    labels = np.full(len(total), "E", dtype=object)
    for label, cutoff in reversed(CLASS_CUTOFFS):
        labels[total >= cutoff] = label
    return labels


def score_customers(features: pd.DataFrame, weights: dict | None = None) -> pd.DataFrame:
    """Points per criterion (`pts_<feature>`), `score` (0–100) and `class` (A–E) per customer.

    Example: days late 15 → 75 points; external score 10 → (10 − 1) / 19 × 100 = 47,4 points.
    """
    weights = _checked_weights(DEFAULT_WEIGHTS if weights is None else weights)
    missing = np.full(len(features), np.nan)
    points = {f"pts_{name}": np.round(RULES[name].points(features[name].to_numpy(float) if name in features
                                                         else missing), 1) for name in weights}
    score = np.round(_weighted_mean(list(points.values()), [float(w) for w in weights.values()]), 1)
    labels = _class_labels(np.where(np.isnan(score), 0.0, score))
    if "insolvent" in features:
        labels[features["insolvent"].astype(bool).to_numpy()] = "E"
    return pd.DataFrame({**points, "score": score, "class": labels}, index=features.index)


def _checked_weights(weights: dict) -> dict:
    """`weights`, or a DataError when a criterion is unknown or a weight negative (or all zero)."""
    unknown = [k for k in weights if k not in RULES]
    if unknown:
        raise DataError(f"critère(s) de score inconnu(s) : {', '.join(unknown)} "
                        f"(connus : {', '.join(RULES)})")
    if any(w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
        raise DataError("les pondérations du score doivent être positives ou nulles, de somme non nulle")
    return weights


def _weighted_mean(points: list[np.ndarray], weights: list[float]) -> np.ndarray:
    """Σ weight × points / Σ weight over the known (not NaN) points of each row, NaN when none is known; summed
    from 0 criterion after criterion, as pandas sums a frame's rows (the same bits, −0.0 included)."""
    total = known = 0.0
    for values, weight in zip(points, weights):
        unknown = np.isnan(values)
        total = total + np.where(unknown, 0.0, values) * weight
        known = known + ~unknown * weight
    return total / np.where(known == 0.0, np.nan, known)


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
    score, bad = np.asarray(score, dtype=float), np.asarray(bad, dtype=bool)
    keep = ~np.isnan(score)
    score, bad = score[keep], bad[keep]
    n_bad, n_good = int(bad.sum()), int((~bad).sum())
    if n_bad == 0 or n_good == 0:
        raise DataError("AUC non calculable : il faut au moins un bon et un mauvais payeur")
    ranks = _average_ranks(score)
    return float((ranks[~bad].sum() - n_good * (n_good + 1) / 2) / (n_good * n_bad))


def _average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1…n of `values`, tied values sharing their average rank (pandas' `rank()`)."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], len(values)]
    ranks = np.empty(len(values))
    ranks[order] = np.repeat((starts + ends + 1) / 2, ends - starts)
    return ranks


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


@dataclass(frozen=True)
class BacktestData:
    """What a back-test needs that does not depend on the weights (computed once, scored many times).

    `features`: the scoring features at `as_of` of the customers known and not insolvent at `as_of`;
    `outcomes`: one row per invoice due in the observed window — `customer_id`, `amount`, `days` (days paid
    after the due date, 0 if early; unpaid: counted to the data end), `late` (more than `late_days`), `wd`
    (amount × days); `insolvency`: customer_id → judgement date; `end`: end of the observed window.
    """

    as_of: pd.Timestamp
    horizon_days: int
    late_days: int
    end: pd.Timestamp
    features: pd.DataFrame
    outcomes: pd.DataFrame
    insolvency: pd.Series

    @cached_property
    def observed(self) -> pd.DataFrame:
        """What followed for each customer of `features`: the weight-free columns of `ScoringBacktest.customers`
        (`insolvent_after`, `invoices`, `late_invoices`, `late_rate`, `days_late_after`, `late_payer`, `bad`)."""
        per = self.outcomes.groupby("customer_id").agg(invoices=("late", "size"), late_invoices=("late", "sum"),
                                                       amount=("amount", "sum"), wd=("wd", "sum"))
        out = pd.DataFrame(index=self.features.index)
        out["insolvent_after"] = self.insolvency.reindex(out.index).between(self.as_of, self.end, inclusive="right")
        per = per.reindex(out.index)
        out["invoices"] = per["invoices"].fillna(0).astype(int)
        out["late_invoices"] = per["late_invoices"].fillna(0).astype(int)
        out["late_rate"] = per["late_invoices"] / per["invoices"]
        out["days_late_after"] = per["wd"] / per["amount"]
        out["late_payer"] = out["late_rate"] > 0.5
        out["bad"] = out["insolvent_after"] | out["late_payer"]
        return out

    @cached_property
    def scored_outcomes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The `outcomes` of the customers of `features`, in order: each one's customer (position in `features`),
        `wd` and `amount`."""
        customer = self.features.index.get_indexer(self.outcomes["customer_id"])
        scored = customer >= 0
        return customer[scored], self.outcomes["wd"].to_numpy()[scored], self.outcomes["amount"].to_numpy()[scored]


def backtest_data(case, as_of, horizon_days: int = 365, late_days: int = 30) -> BacktestData:
    """The weight-free part of `backtest_scoring`: features at `as_of` and what happened afterwards."""
    as_of = to_timestamp(as_of)
    end = min(as_of + pd.Timedelta(days=horizon_days), case.as_of)
    if end <= as_of + pd.Timedelta(days=late_days):
        raise DataError(f"back-test impossible : moins de {late_days} jours d'historique après le "
                        f"{as_of:%d/%m/%Y}")
    features = customer_features(case, as_of)
    features = features[~features["insolvent"]]
    insolvency = case.customers.set_index("customer_id")["insolvency_date"]
    inv = case.invoices[case.invoices["amount_incl_vat"] > 0]
    inv = inv[(inv["due_date"] > as_of) & (inv["due_date"] <= end - pd.Timedelta(days=late_days))]
    settled = settlement_dates(inv, case.payments)
    lateness = (settled.fillna(case.as_of) - inv.set_index("document_ref")["due_date"]).dt.days.clip(lower=0)
    frame = pd.DataFrame({"customer_id": inv["customer_id"].to_numpy(),
                          "amount": inv["amount_incl_vat"].to_numpy(),
                          "late": (lateness > late_days).to_numpy(), "days": lateness.to_numpy()})
    frame["wd"] = frame["amount"] * frame["days"]
    return BacktestData(as_of, horizon_days, late_days, end, features, frame, insolvency)


def evaluate_backtest(data: BacktestData, weights: dict | None = None) -> ScoringBacktest:
    """Score `data.features` with `weights` and measure the outcomes per customer and per class (see
    `ScoringBacktest`). Fast: the simulator calls it at each move of a weight, only the scores and the sums per
    class are computed again (`data.observed`, `data.scored_outcomes`)."""
    scores = score_customers(data.features, weights)
    out = pd.concat([scores[["score", "class"]], data.observed], axis=1)
    code = pd.Index(CLASSES).get_indexer(out["class"])
    by_class = {"customers": _count_by_class(code), "insolvencies": _count_by_class(code, out["insolvent_after"]),
                **{name: _count_by_class(code, out[name]) for name in ("invoices", "late_invoices", "bad")}}
    customer, wd, amount = data.scored_outcomes
    sums = _sum_by_class(code[customer], {"wd": wd, "amount": amount}, min_count=1)
    customers = np.where(by_class["customers"] == 0, np.nan, by_class["customers"])
    by_class["insolvency_rate"] = by_class["insolvencies"] / customers
    by_class["late_invoice_rate"] = by_class["late_invoices"] / np.where(by_class["invoices"] == 0, np.nan,
                                                                         by_class["invoices"])
    by_class["days_late_after"] = (sums["wd"] / sums["amount"]).to_numpy()
    by_class["bad_rate"] = by_class["bad"] / customers
    score, invoiced = scores["score"].to_numpy(), out["invoices"].to_numpy() > 0
    auc = _auc_or_nan(score, out["bad"])
    return ScoringBacktest(data.as_of, data.horizon_days, data.late_days, out,
                           pd.DataFrame(by_class, index=pd.Index(list(CLASSES), name="class")), auc, 2 * auc - 1,
                           _auc_or_nan(score, out["insolvent_after"]),
                           _auc_or_nan(score[invoiced], out["late_payer"].to_numpy()[invoiced]))


def backtest_scoring(case, as_of, horizon_days: int = 365, weights: dict | None = None,
                     late_days: int = 30) -> ScoringBacktest:
    """Score the customers at a past `as_of` and measure what followed.

    Population: customers known and not insolvent at `as_of`. Outcomes over (`as_of`, `as_of` +
    `horizon_days`]: insolvency judgement; invoices due in that window (and at least `late_days` before the
    data end) paid more than `late_days` late or not at all. Example: `backtest_scoring(case, "2023-12-31")`.
    Caveat: the fil rouge's `external_score` is the latest known rating, so at a past `as_of` it already
    reflects later failures; pass weights without `external_score` for a fair back-test.
    """
    return evaluate_backtest(backtest_data(case, as_of, horizon_days, late_days), weights)


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


# --- reading a score: the rules, one customer's breakdown ------------------------------------------------------

EXTERNAL_CRITERIA = ("external_score",)
CLASSES = tuple(label for label, _ in CLASS_CUTOFFS)
_BOUND_FORMATS = {"days_late": lambda v: fmt.days(v, 0),
                  "late_trend": lambda v: ("+" if v > 0 else "") + fmt.days(v, 0),
                  "dispute_rate": lambda v: fmt.percent(v, 0), "seniority_years": fmt.years,
                  "limit_use": lambda v: fmt.percent(v, 0), "external_score": lambda v: f"{v:.0f} / 20",
                  "margin_rate": lambda v: fmt.percent(v, 0)}


_VALUE_FORMATS = {"days_late": lambda v: fmt.days(v, 1),
                  "late_trend": lambda v: ("+" if v > 0 else "") + fmt.days(v, 1),
                  "dispute_rate": lambda v: fmt.percent(v, 1), "seniority_years": lambda v: fmt.years(v, 1),
                  "limit_use": lambda v: fmt.percent(v, 0), "external_score": lambda v: f"{fmt.number(v, 0)} / 20",
                  "margin_rate": lambda v: fmt.percent(v, 1)}


def rules_table(weights: dict | None = None) -> pd.DataFrame:
    """The scoring grid in French, one row per weighted criterion: `label`, `source` (« interne » /
    « externe »), `zero_at` and `full_at` (the values giving 0 and 100 points, as text), `weight` and
    `weight_share` (weight / Σ weights)."""
    weights = DEFAULT_WEIGHTS if weights is None else weights
    total = float(sum(weights.values()))
    rows = []
    for name, weight in weights.items():
        rule = RULES[name]
        show = _BOUND_FORMATS.get(name, lambda v: fmt.number(v, 2))
        rows.append({"criterion": name, "label": rule.label,
                     "source": "externe" if name in EXTERNAL_CRITERIA else "interne",
                     "zero_at": show(rule.zero_at), "full_at": show(rule.full_at), "weight": float(weight),
                     "weight_share": float(weight) / total if total else np.nan})
    return pd.DataFrame(rows).set_index("criterion")


def score_breakdown(features: pd.DataFrame, customer_id, weights: dict | None = None) -> pd.DataFrame:
    """Why a customer gets its score: one row per criterion with `label`, `value` (and `shown`, the value in
    French with its unit: « 12,0 jours », « 5,0 % », « 14 / 20 »…), `points`, `weight` and `contribution` =
    weight × points / Σ weights of the known criteria (the contributions add up to the score; an unknown
    criterion has no points and no contribution).

    Example: days late 12 (80 points, weight 30) and external score 14 (68.4 points, weight 25) only →
    contributions 30 × 80 / 55 = 43.6 and 25 × 68.4 / 55 = 31.1, score 74.7.
    """
    weights = DEFAULT_WEIGHTS if weights is None else weights
    if customer_id not in features.index:
        raise DataError(f"client « {customer_id} » absent des critères de score")
    scores = score_customers(features.loc[[customer_id]], weights)
    row = features.loc[customer_id]
    points = pd.Series({name: scores.iloc[0][f"pts_{name}"] for name in weights}, dtype=float)
    w = pd.Series({name: float(value) for name, value in weights.items()})
    known_weight = w[points.notna()].sum()
    out = pd.DataFrame({"label": [RULES[name].label for name in weights],
                        "value": [float(row[name]) if name in row.index else np.nan for name in weights],
                        "points": points.to_numpy(), "weight": w.to_numpy()}, index=list(weights))
    out["contribution"] = (out["points"] * out["weight"] / known_weight).round(2) if known_weight else np.nan
    out.insert(2, "shown", ["–" if np.isnan(v) else _VALUE_FORMATS.get(k, lambda x: fmt.number(x, 2))(v)
                            for k, v in out["value"].items()])
    out.index.name = "criterion"
    return out


def weights_without(criteria, weights: dict | None = None) -> dict:
    """`weights` (default `DEFAULT_WEIGHTS`) without the given criteria, e.g. `weights_without(
    "external_score")` for a back-test free of the latest-known rating."""
    criteria = {criteria} if isinstance(criteria, str) else set(criteria)
    weights = DEFAULT_WEIGHTS if weights is None else weights
    return {k: v for k, v in weights.items() if k not in criteria}


# --- a company's own ledger: the features its open items give ---------------------------------------------------

def open_items_features(open_items: pd.DataFrame, as_of, invoices: pd.DataFrame | None = None) -> pd.DataFrame:
    """The scoring features a company's ledger alone gives (FEC or open-items export, no master data).

    Index `customer_id`; `exposure` (open items at `as_of`), `overdue` (open items past due), `days_late` =
    amount-weighted average days overdue of the positive open items (not yet due = 0 day), and
    `monthly_purchases` (sales incl. VAT of the 12 months to `as_of` / 12) when `invoices` are given; a
    customer invoiced in those 12 months who owes nothing has nothing overdue: 0 day late. Example: 1 000 €
    not due and 1 000 € 40 days overdue → 20 days late.
    """
    as_of = to_timestamp(as_of)
    items = open_items[open_items["document_date"] <= as_of]
    ids = items["customer_id"].astype(str)
    days = (as_of - items["due_date"]).dt.days.clip(lower=0).astype(float)
    positive = items["amount"] > 0
    frame = pd.DataFrame({"exposure": items["amount"].to_numpy(float),
                          "overdue": items["amount"].where(days > 0, 0.0).to_numpy(float),
                          "w": items["amount"].where(positive, 0.0).to_numpy(float),
                          "wd": (items["amount"] * days).where(positive, 0.0).to_numpy(float)},
                         index=pd.Index(ids.to_numpy(), name="customer_id"))
    sums = frame.groupby(level=0).sum()
    out = pd.DataFrame(index=sums.index)
    out["exposure"] = sums["exposure"].round(2) + 0.0
    out["overdue"] = sums["overdue"].round(2) + 0.0
    out["days_late"] = sums["wd"] / sums["w"].where(sums["w"] > 0)
    if invoices is not None:
        recent = invoices[(invoices["document_date"] > as_of - YEAR) & (invoices["document_date"] <= as_of)]
        sales = recent.groupby(recent["customer_id"].astype(str))["amount_incl_vat"].sum()
        out = out.reindex(out.index.union(sales.index))
        out[["exposure", "overdue"]] = out[["exposure", "overdue"]].fillna(0.0)
        out["monthly_purchases"] = (sales.reindex(out.index, fill_value=0.0) / 12).round(2)
        out.loc[out["days_late"].isna() & (out["monthly_purchases"] > 0), "days_late"] = 0.0
    else:
        out["monthly_purchases"] = np.nan
    out.index.name = "customer_id"
    return out


# --- follow-up indicators of the commercial process ------------------------------------------------------------

def granted_terms(invoices: pd.DataFrame, as_of, days: int = 365) -> pd.DataFrame:
    """Payment terms actually granted: per customer, `sales` (invoices incl. VAT issued in the `days` days
    to `as_of`) and `terms_days` = Σ amount × (due date − invoice date) / Σ amount.

    Example: 1 000 € at 30 days and 3 000 € at 60 days → (30 000 + 180 000) / 4 000 = 52,5 days.
    """
    if "due_date" not in invoices:
        raise DataError("échéances absentes des factures : délai accordé non calculable")
    as_of = to_timestamp(as_of)
    inv = invoices[(invoices["amount_incl_vat"] > 0) & (invoices["document_date"] > as_of - pd.Timedelta(days=days))
                   & (invoices["document_date"] <= as_of)]
    terms = (inv["due_date"] - inv["document_date"]).dt.days.astype(float)
    frame = pd.DataFrame({"customer_id": inv["customer_id"].astype(str).to_numpy(),
                          "sales": inv["amount_incl_vat"].to_numpy(float),
                          "wt": (inv["amount_incl_vat"] * terms).to_numpy(float)})
    sums = frame.groupby("customer_id")[["sales", "wt"]].sum()
    return pd.DataFrame({"sales": sums["sales"].round(2), "terms_days": sums["wt"] / sums["sales"]})


def class_indicators(scores: pd.DataFrame, features: pd.DataFrame, open_items: pd.DataFrame | None = None,
                     as_of=None, invoices: pd.DataFrame | None = None) -> pd.DataFrame:
    """Follow-up indicators of the commercial process by score class, rows A–E then `Total`.

    Columns: `customers`; `sales` (sales incl. VAT of the last 12 months = 12 × `monthly_purchases`) and
    `sales_share`; `exposure` and `exposure_share`, `overdue`, `overdue_share` (overdue / exposure) and
    `overdue_60` (more than 60 days overdue) — from `open_items` at `as_of` by due date, or the features'
    exposure without open items (overdue then unknown); `over_limit` (customers whose exposure exceeds their
    credit limit) and `excess` (Σ exposure − limit over them), NaN without limits; `terms_days`
    (sales-weighted payment terms granted over the 12 months, see `granted_terms`) when `invoices` are given.
    """
    classes = scores["class"].astype(str)
    code = pd.Index(CLASSES).get_indexer(classes)  # -1: a label outside A–E, left out
    rows = pd.Index(list(CLASSES), name="class")
    monthly = features["monthly_purchases"].reindex(classes.index).to_numpy(float) \
        if "monthly_purchases" in features else np.full(len(classes), np.nan)
    sums = {"sales": monthly * 12}
    if open_items is None:
        sums["exposure"] = features["exposure"].reindex(classes.index).to_numpy(float)
    limited = "credit_limit" in features and features["credit_limit"].notna().any()
    if limited:
        limit = features["credit_limit"].reindex(classes.index).to_numpy(float)
        exposure = features["exposure"].reindex(classes.index).to_numpy(float)
        over = exposure > limit + 0.005
        sums["excess"] = np.where(over, exposure - limit, 0.0)
    by_class = _sum_by_class(code, sums)
    out = {"customers": _count_by_class(code),
           "sales": by_class["sales"].to_numpy() if not np.isnan(monthly).all() else np.full(len(rows), np.nan)}
    if open_items is not None:
        aged = aged_balance(open_items, as_of, buckets=(30, 60, 90),
                            by=classes.rename("class")).reindex(rows, fill_value=0.0)
        out["exposure"] = aged["total"].to_numpy()
        out["overdue"] = (aged["total"] - aged["not_due"]).to_numpy()
        out["overdue_60"] = (aged["61-90"] + aged[">90"]).to_numpy()
    else:
        out["exposure"] = by_class["exposure"].to_numpy()
        out["overdue"] = out["overdue_60"] = np.full(len(rows), np.nan)
    out["over_limit"] = _count_by_class(code, over) if limited else np.full(len(rows), np.nan)
    out["excess"] = by_class["excess"].to_numpy() if limited else np.full(len(rows), np.nan)
    out["terms_days"], total_terms = _terms_by_class(classes, invoices, as_of)
    return pd.DataFrame(_with_shares(_with_total(out, total_terms)), index=pd.Index([*rows, "Total"], name="class"))


def _sum_by_class(code: np.ndarray, columns: dict, min_count: int = 0) -> pd.DataFrame:
    """Per class A–E (`code`: each row's position in `CLASSES`, -1: none), the sums of the `columns` (arrays)."""
    return _sums_by_code(code, len(CLASSES), columns, min_count)


def _sums_by_code(code: np.ndarray, count: int, columns: dict, min_count: int = 0) -> pd.DataFrame:
    """Per code 0…`count` − 1 (each row's, -1: none), the sums of the `columns` (arrays): compensated and in row
    order, as pandas' groupby sums; a code without rows sums to 0 (NaN with `min_count` 1)."""
    grouper = pd.Categorical.from_codes(code, categories=pd.RangeIndex(count))
    return pd.DataFrame(columns, copy=False).groupby(grouper, observed=False).sum(min_count=min_count)


def _count_by_class(code: np.ndarray, column: pd.Series | np.ndarray | None = None) -> np.ndarray:
    """Per class A–E (`code`: each row's position in `CLASSES`, -1: none), the number of rows, or the sum of an
    integer or boolean `column`."""
    kept = code >= 0
    weights = None if column is None else np.asarray(column, dtype=float)[kept]
    return np.bincount(code[kept], weights, minlength=len(CLASSES)).astype(np.int64)


def _terms_by_class(classes: pd.Series, invoices: pd.DataFrame | None, as_of) -> tuple[np.ndarray, float]:
    """Sales-weighted payment terms granted per class A–E and over all of them (`granted_terms`); NaN without
    the invoices' due dates."""
    if invoices is None or "due_date" not in invoices:
        return np.full(len(CLASSES), np.nan), np.nan
    terms = granted_terms(invoices, as_of).reindex(classes.index)
    weighted = (terms["sales"] * terms["terms_days"]).groupby(classes).sum()
    by_class = weighted / terms["sales"].groupby(classes).sum().replace(0, np.nan)
    total = float(weighted.sum() / terms["sales"].sum()) if terms["sales"].sum() > 0 else np.nan
    return by_class.reindex(list(CLASSES)).to_numpy(), total


def _with_total(columns: dict, total_terms: float) -> dict:
    """The per-class `columns` followed by their total (NaN when all are NaN; `total_terms` for `terms_days`)."""
    out = {}
    for name, values in columns.items():
        total = np.nan if np.isnan(values).all() else np.where(np.isnan(values), 0.0, values).sum()
        out[name] = np.append(values, total_terms if name == "terms_days" else total).astype(values.dtype)
    return out


def _with_shares(sums: dict) -> dict:
    """`class_indicators`' columns, in order, from its sums (rows A–E then `Total`): shares added, money rounded to
    the cent."""
    sales, exposure, overdue = sums["sales"], sums["exposure"], sums["overdue"]
    shares = {"sales_share": sales / sales[-1] if sales[-1] else np.full(len(sales), np.nan),
              "exposure_share": exposure / exposure[-1] if exposure[-1] else np.full(len(exposure), np.nan),
              "overdue_share": overdue / np.where(exposure > 0, exposure, np.nan)}
    out = {**sums, **shares}
    for money in ("sales", "exposure", "overdue", "overdue_60", "excess"):
        out[money] = np.round(out[money], 2) + 0.0
    return {name: out[name] for name in ("customers", "sales", "sales_share", "exposure", "exposure_share",
                                         "overdue", "overdue_share", "overdue_60", "over_limit", "excess",
                                         "terms_days")}


def plot_class_mix(indicators: pd.DataFrame, title: str = "Poids de chaque classe de score"):
    """Grouped bars per class A–E: share of the 12-month sales, of the exposure and of the overdue amount."""
    table = indicators.drop(index="Total", errors="ignore")
    overdue_total = table["overdue"].sum() if table["overdue"].notna().any() else np.nan
    series = [("Part du chiffre d'affaires (12 mois)", table["sales_share"], PALETTE[0]),
              ("Part de l'encours", table["exposure_share"], PALETTE[1])]
    if overdue_total and not np.isnan(overdue_total):
        series.append(("Part de l'échu", table["overdue"] / overdue_total, PALETTE[3]))
    fig, ax = new_figure(title, xlabel="Classe de score (A = risque le plus faible)", ylabel="Part du total")
    x = np.arange(len(table))
    width = 0.8 / len(series)
    for i, (label, values, color) in enumerate(series):
        ax.bar(x + (i - (len(series) - 1) / 2) * width, values.fillna(0.0).to_numpy(float), width, label=label,
               color=color)
    ax.set_xticks(x, table.index)
    percent_axis(ax)
    ax.legend()
    return fig


# --- negotiating payment terms and methods -----------------------------------------------------------------------

MAX_TERMS_DAYS = {"A": 60, "B": 45, "C": 30, "D": 30, "E": 0}  # the days of `TERMS_BY_CLASS[...].payment_terms`
ACCEPTED_METHODS = {
    "A": ("Virement", "LCR", "Prélèvement SEPA", "Chèque", "Crédit documentaire"),
    "B": ("Virement", "LCR", "Prélèvement SEPA", "Crédit documentaire"),
    "C": ("LCR", "Prélèvement SEPA", "Crédit documentaire"),
    "D": ("Prélèvement SEPA", "Crédit documentaire"),
    "E": (),
}
NEGOTIATION_GRID = {
    "A": ("Délai jusqu'au plafond légal (60 jours date de facture ou 45 jours fin de mois) ; escompte pour "
          "paiement anticipé sous le seuil de rentabilité",
          "Engagement de volume ou de durée ; factures validées sans délai (bon à payer)",
          "Le commercial, dans la limite de crédit"),
    "B": ("45 jours date de facture ; 60 jours si le client passe à la LCR ou au prélèvement SEPA",
          "Un mode de paiement à l'échéance (LCR, prélèvement) en échange du délai",
          "Le credit manager au-delà de 45 jours ou de la limite"),
    "C": ("30 jours date de facture ; un échéancier pour une grosse commande, jamais un délai plus long",
          "LCR acceptée ou mandat de prélèvement SEPA interentreprises (B2B)",
          "Le credit manager"),
    "D": ("Aucun allongement ; l'acompte peut être réduit contre une garantie",
          "Acompte à la commande, caution bancaire, couverture d'assurance-crédit",
          "Le credit manager, puis la direction financière"),
    "E": ("Rien sur le délai : paiement d'avance ou à la commande",
          "Paiement avant livraison ; reprise d'un délai après six mois de paiements réguliers",
          "La direction financière"),
}


def negotiation_grid() -> pd.DataFrame:
    """The sales people's negotiation grid by class: maximum terms (days), payment methods, what can be
    conceded, what to get in return and who decides beyond (French text)."""
    rows = [{"class": c, "max_terms_days": MAX_TERMS_DAYS[c], "payment_method": TERMS_BY_CLASS[c].payment_method,
             "concession": NEGOTIATION_GRID[c][0], "counterpart": NEGOTIATION_GRID[c][1],
             "decision": NEGOTIATION_GRID[c][2]} for c in CLASSES]
    return pd.DataFrame(rows).set_index("class")


def terms_review(scores: pd.DataFrame, customers: pd.DataFrame, invoices: pd.DataFrame, as_of,
                 days: int = 365) -> pd.DataFrame:
    """Each customer's terms and payment method against its class policy: what to renegotiate.

    Columns: `class`, `customer_name`, `payment_method`, `terms_label` (when in `customers`), `sales` and
    `terms_days` (granted over the `days` days to `as_of`, see `granted_terms`), `max_terms_days` (class
    policy, `MAX_TERMS_DAYS`), `excess_days` (terms beyond the policy, ≥ 0), `cash_at_stake` = sales / `days`
    × excess days (receivables released if the terms were brought back to the policy), `method_ok` (payment
    method accepted for the class, `ACCEPTED_METHODS`). Customers without sales in the period have no terms.
    Example: class C (30 days) invoiced 365 000 € at 60 days → 30 excess days, 1 000 € a day → 30 000 €.
    """
    terms = granted_terms(invoices, as_of, days)
    master = customers.assign(customer_id=customers["customer_id"].astype(str)).set_index("customer_id")
    out = pd.DataFrame({"class": scores["class"].astype(str)})
    for column in ("customer_name", "payment_method", "terms_label"):
        if column in master:
            out[column] = master[column].reindex(out.index).astype(object)
    out["sales"] = terms["sales"].reindex(out.index).fillna(0.0)
    out["terms_days"] = terms["terms_days"].reindex(out.index)
    out["max_terms_days"] = out["class"].map(MAX_TERMS_DAYS).astype(float)
    out["excess_days"] = (out["terms_days"] - out["max_terms_days"]).clip(lower=0)
    out["cash_at_stake"] = (out["sales"] / days * out["excess_days"].fillna(0.0)).round(2)
    if "payment_method" in out:
        out["method_ok"] = [str(m) in ACCEPTED_METHODS[c] for m, c in zip(out["payment_method"], out["class"])]
    return out


def terms_review_by_class(review: pd.DataFrame) -> pd.DataFrame:
    """`terms_review` summed per class A–E then `Total`: `customers`, `sales`, `beyond_policy` (customers
    with terms beyond their class policy), `cash_at_stake`, `method_not_ok` (customers whose payment method
    is not accepted for their class)."""
    rows = pd.Index(list(CLASSES), name="class")
    grouped = review.groupby("class")
    out = pd.DataFrame({"customers": grouped.size(), "sales": grouped["sales"].sum(),
                        "beyond_policy": grouped["excess_days"].apply(lambda s: int((s > 0).sum())),
                        "cash_at_stake": grouped["cash_at_stake"].sum()}).reindex(rows, fill_value=0)
    if "method_ok" in review:
        out["method_not_ok"] = (~review["method_ok"].astype(bool)).groupby(review["class"]).sum().reindex(
            rows, fill_value=0)
    out.loc["Total"] = out.sum()
    integers = [c for c in ("customers", "beyond_policy", "method_not_ok") if c in out]
    out[integers] = out[integers].astype(int)
    out[["sales", "cash_at_stake"]] = out[["sales", "cash_at_stake"]].round(2)
    return out


@dataclass(frozen=True)
class DiscountOffer:
    """An early-payment discount (« escompte ») weighed against the financing it saves.

    `discount_cost` = amount × discount; `financing_saved` = amount × (1 − discount) × financing rate ×
    days earlier / 365; `net_gain` = financing saved − discount cost (negative: the discount costs more than
    it saves); `annual_rate` = the discount's annualised cost (discount / (1 − discount) × 365 / days);
    `breakeven_discount` = the discount whose annual cost equals the financing rate: k / (1 + k) with
    k = financing rate × days / 365.
    """

    amount: float
    discount: float
    days_earlier: float
    financing_rate: float
    discount_cost: float
    financing_saved: float
    net_gain: float
    annual_rate: float
    breakeven_discount: float


def early_payment_discount(amount, discount, days_earlier, financing_rate) -> DiscountOffer:
    """What an escompte of `discount` for paying `days_earlier` days before the due date costs and saves.

    Example: 100 000 €, 1 % for 30 days, financing at 5 % → cost 1 000 €, saved 99 000 × 5 % × 30 / 365
    = 406,85 €, net −593,15 €; annual cost 12,29 %; break-even discount 0,41 %.
    """
    from casekit.credit.risk import early_payment_discount_rate

    if financing_rate < 0:
        raise DataError("taux de financement négatif")
    if not amount > 0:
        raise DataError("montant de la facture nul ou négatif")
    annual = early_payment_discount_rate(discount, days_earlier)
    amount, discount, days, rate = float(amount), float(discount), float(days_earlier), float(financing_rate)
    cost = amount * discount
    saved = amount * (1 - discount) * rate * days / 365
    k = rate * days / 365
    return DiscountOffer(amount, discount, days, rate, cost, saved, saved - cost, annual, k / (1 + k))


def plot_scoring_simulation(indicators: pd.DataFrame, result: ScoringBacktest,
                            title: str = "Effet des pondérations du score"):
    """Two panels: left, customers and share of sales per class today (`class_indicators`); right, the
    back-test (`evaluate_backtest`): invoices paid more than `late_days` late and insolvent customers per class."""
    use_house_style()
    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 5.5))
    fig.suptitle(title, fontsize=16, fontweight="bold")
    table = indicators.drop(index="Total", errors="ignore")
    bars = left.bar(table.index, table["sales_share"].fillna(0.0), color=PALETTE[0])
    left.bar_label(bars, labels=[f"{n} client{'s' if n > 1 else ''}" for n in table["customers"]], fontsize=11)
    left.set_title("Part du chiffre d'affaires (12 mois) par classe")
    left.set_xlabel("Classe")
    percent_axis(left)
    left.set_ylim(0, nice_limit(max(0.1, float(table["sales_share"].fillna(0.0).max()) * 1.2)))
    by_class = result.by_class
    x = np.arange(len(by_class))
    right.bar(x - 0.2, by_class["late_invoice_rate"].fillna(0), 0.4, color=PALETTE[1],
              label=f"Factures payées à plus de {result.late_days} jours de retard")
    right.bar(x + 0.2, by_class["insolvency_rate"].fillna(0), 0.4, color=PALETTE[3],
              label="Clients défaillants (procédure collective)")
    right.set_xticks(x, by_class.index)
    right.set_title(f"Back-test au {result.as_of:%d/%m/%Y}")
    auc = "–" if np.isnan(result.auc) else fmt.number(result.auc, 2)
    right.text(0.98, 0.97, f"AUC {auc}", transform=right.transAxes, ha="right", va="top", fontsize=14,
               fontweight="bold")
    right.set_xlabel("Classe")
    percent_axis(right)
    rates = by_class[["late_invoice_rate", "insolvency_rate"]].fillna(0).to_numpy()
    right.set_ylim(0, min(1.0, nice_limit(max(0.05, float(rates.max())) * 1.3)))  # room for the AUC; steady
    fig.legend(loc="outside lower center", ncols=2)  # out of the data: drawn with the frame
    return fig


def recommended_terms_by_class(terms: pd.DataFrame) -> pd.DataFrame:
    """`recommended_terms` summed per class A–E then `Total`: `customers`, `credit_limit` (current limits),
    `recommended_limit`, `to_reduce` and `to_raise` (customers whose recommended limit is lower / higher than
    the current one)."""
    rows = pd.Index(list(CLASSES), name="class")
    grouped = terms.groupby("class")
    change = terms["limit_change"]
    out = pd.DataFrame({"customers": grouped.size(), "credit_limit": grouped["credit_limit"].sum(),
                        "recommended_limit": grouped["recommended_limit"].sum(),
                        "to_reduce": (change < 0).groupby(terms["class"]).sum(),
                        "to_raise": (change > 0).groupby(terms["class"]).sum()}).reindex(rows, fill_value=0)
    out.loc["Total"] = out.sum()
    counts = ["customers", "to_reduce", "to_raise"]
    out[counts] = out[counts].astype(int)
    return out


RISKY_CLASSES = ("D", "E")


def group_indicators(scores: pd.DataFrame, features: pd.DataFrame, groups, open_items: pd.DataFrame | None = None,
                     as_of=None) -> pd.DataFrame:
    """The commercial indicators per group of customers (a sales rep, a segment…): `groups` maps customer_id
    → group (Series or dict; customers absent go to « non renseigné »).

    Columns: `customers`, `sales` (12 months incl. VAT), `risky_sales_share` (share of the group's sales made
    with customers of classes D and E), `exposure`, `overdue` and `overdue_share` (from `open_items` at `as_of`
    when given), `over_limit` and `excess` (exposure beyond the credit limit). Sorted by sales, largest first.
    """
    classes = scores["class"].astype(str)
    group = classes.index.to_series().map(pd.Series(groups)).astype(object).fillna("non renseigné")
    sales = features["monthly_purchases"].reindex(classes.index).fillna(0.0) * 12
    risky = sales.where(classes.isin(RISKY_CLASSES), 0.0)
    out = pd.DataFrame({"customers": group.groupby(group).size(), "sales": sales.groupby(group).sum()})
    out["risky_sales_share"] = risky.groupby(group).sum() / out["sales"].where(out["sales"] > 0)
    if open_items is not None:
        aged = aged_balance(open_items, as_of, by=group.rename("group"))
        out["exposure"] = aged["total"].reindex(out.index, fill_value=0.0)
        out["overdue"] = (aged["total"] - aged["not_due"]).reindex(out.index, fill_value=0.0)
        out["overdue_share"] = out["overdue"] / out["exposure"].where(out["exposure"] > 0)
    if "credit_limit" in features and features["credit_limit"].notna().any():
        limit = features["credit_limit"].reindex(classes.index)
        exposure = features["exposure"].reindex(classes.index)
        over = exposure > limit + 0.005
        out["over_limit"] = over.groupby(group).sum().astype(int)
        out["excess"] = (exposure - limit).where(over, 0.0).groupby(group).sum().round(2)
    out[["sales"]] = out[["sales"]].round(2)
    out.index.name = groups.name if isinstance(groups, pd.Series) and isinstance(groups.name, str) else "group"
    return out.sort_values("sales", ascending=False, kind="stable")
