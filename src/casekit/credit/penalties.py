"""Late-payment penalties between professionals (French law) and the check of payment terms (LME caps).

* Rate (art. L441-10 II C. com.): unless the contract sets another rate, the ECB main refinancing rate in
  force on 1 January (first half-year) or 1 July (second half-year), plus 10 points; a contractual rate cannot
  be below 3 × the legal interest rate (professionals' rate of the half-year). Penalties are due from the day
  after the due date, without reminder, on the amount incl. VAT: amount × rate × days / 365, computed
  half-year by half-year when the delay spans several.
* Fixed indemnity for recovery costs: 40 € per invoice paid late (art. L441-10 II and D441-5); not claimable
  when a collective procedure forbids paying the debt at its due date.
* Collective procedures: the opening judgment stops interest on debts born before it (art. L622-28, L631-14,
  L641-3); pass the judgment dates as `insolvency_dates`.
* Payment terms (art. L441-10 I): at most 60 days from the invoice date, or 45 days end of month.
Reference rates: `casekit/reference/ecb_rates.csv` and `legal_interest_rates.csv` (sources in its README).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import numpy as np
import pandas as pd

from casekit import fmt
from casekit.dates import to_timestamp
from casekit.errors import DataError
from casekit.plots import PALETTE, euro_axis, new_figure, nice_limit

STATUTORY_MARGIN = 0.10
FIXED_INDEMNITY = 40.0
DAY_COUNT = 365
MAX_DAYS_NET = 60
MAX_DAYS_END_OF_MONTH = 45
CREDIT_NOTE_OFFSET = "Imputation d'avoir"


@lru_cache(maxsize=None)
def _read(name: str) -> pd.DataFrame:
    with files("casekit.reference").joinpath(name).open(encoding="utf-8") as handle:
        return pd.read_csv(handle)


def ecb_rate_history() -> pd.DataFrame:
    """ECB main refinancing rate changes: `effective_date`, `rate` (ratio, 0.0215 for 2.15 %)."""
    table = _read("ecb_rates.csv")
    return pd.DataFrame({"effective_date": pd.to_datetime(table["effective_date"]),
                         "rate": (table["rate_percent"] / 100).round(6)})


def legal_interest_rate_history() -> pd.DataFrame:
    """French legal interest rate for professionals per half-year: `year`, `half` (1 or 2), `rate` (ratio)."""
    table = _read("legal_interest_rates.csv")
    return pd.DataFrame({"year": table["year"], "half": table["half"],
                         "rate": (table["rate_percent"] / 100).round(6)})


def ecb_rate_on(date) -> float:
    """ECB main refinancing rate in force on `date`. Example: `ecb_rate_on("2025-01-01")` → 0.0315."""
    date = to_timestamp(date, "date")
    history = ecb_rate_history()
    position = history["effective_date"].searchsorted(date, side="right") - 1
    if position < 0:
        raise DataError(f"taux BCE inconnu avant le {fmt.date(history['effective_date'].iloc[0])}")
    return float(history["rate"].iloc[position])


def half_year_start(date) -> pd.Timestamp:
    """1 January or 1 July of the half-year containing `date`."""
    date = to_timestamp(date, "date")
    return pd.Timestamp(date.year, 1 if date.month <= 6 else 7, 1)


def legal_penalty_rate(date) -> float:
    """Statutory late-payment rate of the half-year containing `date`: ECB rate on 1 Jan / 1 Jul + 10 points.

    Example: `legal_penalty_rate("2025-03-31")` → 0.1315 (3.15 % in force on 01/01/2025 + 10 points).
    """
    return round(ecb_rate_on(half_year_start(date)) + STATUTORY_MARGIN, 6)


def legal_interest_rate(date) -> float:
    """French legal interest rate for professionals ("autres cas") of the half-year containing `date`."""
    date = to_timestamp(date, "date")
    half = 1 if date.month <= 6 else 2
    history = legal_interest_rate_history()
    row = history[(history["year"] == date.year) & (history["half"] == half)]
    if row.empty:
        which = "premier" if half == 1 else "second"
        raise DataError(f"taux de l'intérêt légal du {which} semestre {date.year} absent de la table de "
                        "référence (casekit/reference/legal_interest_rates.csv) : ajoutez-le")
    return float(row["rate"].iloc[0])


def minimum_contractual_rate(date) -> float:
    """Floor of a contractual penalty rate: 3 × the legal interest rate of the half-year containing `date`."""
    return round(3 * legal_interest_rate(date), 6)


@dataclass(frozen=True)
class ContractualRateCheck:
    """Whether a contractual penalty rate respects the floor of 3 × the legal interest rate."""

    rate: float
    minimum: float
    compliant: bool
    message: str


def check_contractual_rate(rate, date) -> ContractualRateCheck:
    """Check a contractual penalty rate (ratio) against the floor of the half-year containing `date`."""
    date = to_timestamp(date, "date")
    minimum = minimum_contractual_rate(date)
    compliant = round(float(rate), 6) >= minimum
    half = f"{'premier' if date.month <= 6 else 'second'} semestre {date.year}"
    verdict = "conforme" if compliant else "non conforme : une clause ne peut fixer un taux inférieur"
    message = (f"Taux contractuel de {fmt.percent(rate, 2)} {verdict} au plancher de "
               f"{fmt.percent(minimum, 2)} (3 × le taux de l'intérêt légal de {fmt.percent(minimum / 3, 2)}, "
               f"{half}).")
    return ContractualRateCheck(float(rate), minimum, compliant, message)


def _interest(amount: np.ndarray, due: np.ndarray, until: np.ndarray, rate) -> tuple[np.ndarray, np.ndarray]:
    """Interest and days late from the day after `due` to `until` inclusive, one half-year at a time."""
    interest = np.zeros(len(amount))
    days_late = np.maximum((until - due) / np.timedelta64(1, "D"), 0).astype(int)
    late = days_late > 0
    if not late.any():
        return interest, days_late
    first = half_year_start(pd.Timestamp(due[late].min()) + pd.Timedelta(days=1))
    for start in pd.date_range(first, pd.Timestamp(until[late].max()), freq="6MS"):
        end = start + pd.DateOffset(months=6) - pd.Timedelta(days=1)
        segment_start = np.maximum(due + np.timedelta64(1, "D"), start.to_datetime64())
        segment_end = np.minimum(until, end.to_datetime64())
        days = np.maximum((segment_end - segment_start) / np.timedelta64(1, "D") + 1, 0)
        if not days.any():
            continue
        if rate is None:
            applied = legal_penalty_rate(start)
        else:
            check = check_contractual_rate(rate, start)
            if not check.compliant:
                raise DataError(check.message)
            applied = float(rate)
        interest += amount * applied * days / DAY_COUNT
    return interest, days_late


def penalties(open_items: pd.DataFrame, as_of, rate=None, fixed_indemnity: float = FIXED_INDEMNITY,
              insolvency_dates: pd.Series | None = None) -> pd.DataFrame:
    """Penalties due at `as_of` on each open invoice past its due date (amount > 0, due before `as_of`).

    `rate` None: the statutory rate of each half-year; a float: the contractual rate (checked against the
    floor of each half-year, `DataError` if below). `insolvency_dates` (customer_id → date of the opening
    judgment of a collective procedure, e.g. `customers.set_index("customer_id")["insolvency_date"]`): for
    debts born before the judgment, interest stops the day before it (art. L622-28 C. com.) and no indemnity
    is due when the debt fell due on or after it. Columns: the item's `customer_id`, `customer_name`,
    `document_ref`, `due_date`, `amount`, `disputed`, then `days_late` (at `as_of`), `interest_days`, `rate`
    (average rate applied), `penalty`, `indemnity` and `total`. Interest runs on the amount still open
    (partial payments are not replayed). Example: 10 000 € due 31/03/2025, as_of 30/04/2025 → 10 000 ×
    13.15 % × 30 / 365 = 108.08 €.
    """
    as_of = to_timestamp(as_of)
    items = open_items[(open_items["document_date"] <= as_of) & (open_items["amount"] > 0)
                       & (open_items["due_date"] < as_of)]
    out = items[["customer_id", "customer_name", "document_ref", "due_date", "amount", "disputed"]]
    out = out.reset_index(drop=True)
    amount = out["amount"].to_numpy(float)
    due = out["due_date"].to_numpy("datetime64[ns]")
    until = np.full(len(out), as_of.to_datetime64())
    indemnity = np.full(len(out), float(fixed_indemnity))
    if insolvency_dates is not None:
        dates = pd.to_datetime(pd.Series(insolvency_dates))
        judgment = out["customer_id"].map(dates).to_numpy("datetime64[ns]")
        before = items["document_date"].to_numpy("datetime64[ns]") < judgment  # False where no judgment (NaT)
        until = np.where(before, np.minimum(until, judgment - np.timedelta64(1, "D")), until)
        indemnity = np.where(before & (due >= judgment), 0.0, indemnity)
    interest, interest_days = _interest(amount, due, until, rate)
    out["days_late"] = ((as_of.to_datetime64() - due) / np.timedelta64(1, "D")).astype(int)
    out["interest_days"] = interest_days
    with np.errstate(divide="ignore", invalid="ignore"):
        base = amount * interest_days / DAY_COUNT
        out["rate"] = np.where(base > 0, interest / np.where(base > 0, base, 1), 0.0).round(6)
    out["penalty"] = np.round(interest, 2)
    out["indemnity"] = indemnity
    out["total"] = out["penalty"] + out["indemnity"]
    return out


def penalties_by_customer(open_items: pd.DataFrame, as_of, rate=None,
                          fixed_indemnity: float = FIXED_INDEMNITY,
                          insolvency_dates: pd.Series | None = None) -> pd.DataFrame:
    """`penalties` summed per customer (index `customer_id`): `customer_name`, `invoices`, `amount`,
    `penalty`, `indemnity`, `total`; largest total first."""
    detail = penalties(open_items, as_of, rate, fixed_indemnity, insolvency_dates)
    grouped = detail.groupby("customer_id")
    out = pd.DataFrame({"customer_name": grouped["customer_name"].first(), "invoices": grouped.size(),
                        "amount": grouped["amount"].sum(), "penalty": grouped["penalty"].sum(),
                        "indemnity": grouped["indemnity"].sum(), "total": grouped["total"].sum()})
    out = out.astype({"customer_name": object, "invoices": int}).round(2)
    return out.sort_values("total", ascending=False, kind="stable")


def penalties_on_paid_invoices(invoices: pd.DataFrame, payments: pd.DataFrame, start, end, rate=None,
                               fixed_indemnity: float = FIXED_INDEMNITY) -> pd.DataFrame:
    """Penalties that could have been claimed on invoices paid late between `start` and `end` (inclusive).

    Each cash allocation (credit-note offsets excluded) dated after the invoice's due date bears interest from
    the day after the due date to the payment date; one indemnity per invoice. One row per invoice:
    `customer_id`, `document_ref`, `due_date`, `amount` (paid late), `days_late` (longest), `penalty`,
    `indemnity`, `total`.
    """
    start, end = to_timestamp(start, "start"), to_timestamp(end, "end")
    dues = invoices.set_index("document_ref")["due_date"]
    paid = payments[(payments["payment_date"] >= start) & (payments["payment_date"] <= end)
                    & (payments["payment_method"] != CREDIT_NOTE_OFFSET) & (payments["amount"] > 0)]
    paid = paid.assign(due_date=paid["document_ref"].map(dues))
    paid = paid[paid["due_date"].notna() & (paid["payment_date"] > paid["due_date"])]
    interest, days_late = _interest(paid["amount"].to_numpy(float),
                                    paid["due_date"].to_numpy("datetime64[ns]"),
                                    paid["payment_date"].to_numpy("datetime64[ns]"), rate)
    paid = paid.assign(days_late=days_late, penalty=interest)
    grouped = paid.groupby("document_ref")
    out = pd.DataFrame({"customer_id": grouped["customer_id"].first(),
                        "due_date": grouped["due_date"].first(), "amount": grouped["amount"].sum(),
                        "days_late": grouped["days_late"].max(),
                        "penalty": grouped["penalty"].sum().round(2)}).reset_index()
    out["indemnity"] = float(fixed_indemnity)
    out["total"] = out["penalty"] + out["indemnity"]
    return out[["customer_id", "document_ref", "due_date", "amount", "days_late", "penalty", "indemnity",
                "total"]]


def check_payment_terms(customers: pd.DataFrame) -> pd.DataFrame:
    """LME check of each customer's payment terms (French customers, `country` FR).

    Caps: 60 days from the invoice date, or 45 days end of month (`terms_end_of_month`). Returns
    `customer_id`, `customer_name`, `country`, `payment_terms_days`, `terms_end_of_month`, `applicable`
    (French customer), `compliant` (True when not applicable) and `reason` (French). Sector caps (transport,
    perishable food…) and international contracts are not covered.
    """
    out = customers[["customer_id", "customer_name", "country", "payment_terms_days", "terms_end_of_month"]]
    out = out.reset_index(drop=True).astype({"country": object, "terms_end_of_month": bool})
    days = out["payment_terms_days"].astype(int)
    eom = out["terms_end_of_month"]
    out["applicable"] = out["country"] == "FR"
    cap = np.where(eom, MAX_DAYS_END_OF_MONTH, MAX_DAYS_NET)
    out["compliant"] = ~out["applicable"] | (days <= cap)
    terms = days.astype(str) + np.where(eom, " jours fin de mois", " jours date de facture")
    cap_text = np.where(eom, "45 jours fin de mois", "60 jours à compter de la date de facture")
    reason = np.where(out["compliant"], "conforme au plafond légal de ", "dépasse le plafond légal de ")
    out["reason"] = terms + " : " + reason + cap_text + " (art. L441-10 I du Code de commerce)"
    out.loc[~out["applicable"], "reason"] = ("Client étranger : plafonds de l'art. L441-10 non vérifiés "
                                             "(contrat international)")
    return out


# --- one claim, half-year by half-year (the penalty calculator of the live session) ---------------------------

@dataclass(frozen=True)
class LatePaymentClaim:
    """What a supplier can claim on `invoices` identical invoices of `amount` (incl. VAT) paid late.

    `segments`: one row per half-year of the delay — `start`, `end` (inclusive), `days`, `rate`, `penalty`
    (for all the invoices); `rate_checks`: the contractual rate's check for each half-year (empty when the
    statutory rate applies); `compliant`: False when a contractual rate is below a half-year's floor — the
    penalties are then computed at the statutory rate, as a benchmark.
    """

    amount: float
    invoices: int
    due_date: pd.Timestamp
    payment_date: pd.Timestamp
    days_late: int
    contractual_rate: float | None
    compliant: bool
    rate_checks: tuple[ContractualRateCheck, ...]
    segments: pd.DataFrame
    penalty: float
    indemnity: float
    total: float


def late_payment_claim(amount, due_date, payment_date, rate=None, invoices: int = 1,
                       fixed_indemnity: float = FIXED_INDEMNITY) -> LatePaymentClaim:
    """Penalties and fixed indemnities on `invoices` invoices of `amount` € incl. VAT due on `due_date` and
    paid on `payment_date` (penalties run from the day after the due date to the payment date inclusive).

    `rate` None: the statutory rate of each half-year (ECB rate + 10 points); a ratio: the contractual rate,
    checked against each half-year's floor (3 × the legal interest rate). Example: 12 000 € due 15/03/2025,
    paid 30/06/2025 → 107 days at 13.15 % → 462.59 € + 40 € = 502.59 €.
    """
    due, paid = to_timestamp(due_date, "due_date"), to_timestamp(payment_date, "payment_date")
    if float(amount) <= 0:
        raise DataError("montant de la facture nul ou négatif : aucune pénalité")
    if int(invoices) < 1:
        raise DataError("nombre de factures invalide : au moins une facture")
    rows, checks = [], []
    start = due + pd.Timedelta(days=1)
    while start <= paid:
        end = min(half_year_start(start) + pd.DateOffset(months=6) - pd.Timedelta(days=1), paid)
        if rate is not None:
            checks.append(check_contractual_rate(rate, start))
        rows.append((start, end, int((end - start).days) + 1))
        start = end + pd.Timedelta(days=1)
    compliant = all(check.compliant for check in checks)
    use_statutory = rate is None or not compliant
    segments = pd.DataFrame(rows, columns=["start", "end", "days"])
    segments["rate"] = [legal_penalty_rate(s) if use_statutory else float(rate) for s in segments["start"]]
    total_amount = float(amount) * int(invoices)
    segments["penalty"] = (total_amount * segments["rate"] * segments["days"] / DAY_COUNT).round(2)
    days_late = max(int((paid - due).days), 0)
    penalty = round(float(segments["penalty"].sum()), 2)
    indemnity = float(fixed_indemnity) * int(invoices) if days_late > 0 else 0.0
    return LatePaymentClaim(float(amount), int(invoices), due, paid, days_late,
                            None if rate is None else float(rate), compliant, tuple(checks), segments,
                            penalty, indemnity, round(penalty + indemnity, 2))


def penalties_summary(detail: pd.DataFrame) -> pd.DataFrame:
    """`penalties` totals split into undisputed and disputed invoices (index `status`: `undisputed`,
    `disputed`, `total`): `invoices`, `amount`, `penalty`, `indemnity`, `total`."""
    status = np.where(detail["disputed"].to_numpy(bool), "disputed", "undisputed")
    sums = detail.groupby(status)[["amount", "penalty", "indemnity", "total"]].sum()
    counts = detail.groupby(status).size()
    out = sums.assign(invoices=counts).reindex(["undisputed", "disputed"], fill_value=0)
    out.loc["total"] = out.sum()
    out = out[["invoices", "amount", "penalty", "indemnity", "total"]].astype({"invoices": int})
    return out.rename_axis("status").round(2)


def format_late_payment_claim(claim: LatePaymentClaim) -> pd.DataFrame:
    """The half-year detail of a `LatePaymentClaim` as a French display table, with the indemnity and total."""
    rows = [(f"Du {fmt.date(s)} au {fmt.date(e)}", fmt.number(d), fmt.percent(r, 2), fmt.euros(p))
            for s, e, d, r, p in claim.segments[["start", "end", "days", "rate", "penalty"]].itertuples(index=False)]
    plural = "s" if claim.invoices > 1 else ""
    rows.append((f"Indemnité forfaitaire ({claim.invoices} facture{plural} × {fmt.euros(FIXED_INDEMNITY, 0)})",
                 "", "", fmt.euros(claim.indemnity)))
    rows.append(("Total réclamable", fmt.number(claim.days_late), "", fmt.euros(claim.total)))
    return pd.DataFrame(rows, columns=["Période", "Jours", "Taux", "Montant"]).set_index("Période")


def plot_late_payment_claim(claim: LatePaymentClaim, title: str = "Pénalités de retard et indemnité forfaitaire"):
    """Bars: the penalty of each half-year of the delay (its rate in the label), then the fixed indemnity."""
    labels = [f"{'1er' if s.month <= 6 else '2e'} semestre {s.year}\n{fmt.percent(r, 2)} × {d} j"
              for s, r, d in zip(claim.segments["start"], claim.segments["rate"], claim.segments["days"])]
    values = list(claim.segments["penalty"])
    fig, ax = new_figure(title, ylabel="Montant")
    colors = [PALETTE[0]] * len(values) + [PALETTE[1]]
    bars = ax.bar(labels + ["Indemnité\nforfaitaire"], values + [claim.indemnity], color=colors)
    for bar in bars:
        ax.annotate(fmt.euros(bar.get_height(), 0), (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    ha="center", va="bottom", fontsize=12)
    euro_axis(ax)
    ax.set_ylim(0, nice_limit(max(values + [claim.indemnity]) * 1.2))  # rounded up: steady while the amount moves
    return fig
