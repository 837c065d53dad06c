"""Factoring ("affacturage"): full annual cost of an offer, effective rate of the financing, eligible
receivables.

Model of one year of assigned sales S (incl. VAT) collected on average in D days (the DSO of the assigned
receivables):
* average receivables R = S × D / 365; guarantee fund ("fonds de garantie") G = R × retention rate — cash the
  factor keeps until the customers pay, valued at the company's cost of capital;
* amounts drawn over the year = S × (1 − retention) × share drawn; the financing commission runs on each
  amount for D days + the value days, base 360: (index + margin) × drawn × (D + value days) / 360; the average
  cash obtained is drawn × D / 365;
* factoring commission = max(rate × S, annual minimum) and the per-invoice, per-buyer, dispute and setup fees
  are services subject to VAT, which the company recovers: costs are taken excl. VAT;
* effective annual rate of the financing = (total cost − value of the credit insurance included − value of the
  services the company no longer performs) / average cash obtained, to compare with an overdraft or a Dailly /
  discount line, whose cost on the same cash is rate × cash × 365 / 360.

Example: `factoring_cost(FactoringOffer(factoring_fee_rate=0.0025), 10_000_000, 60).factoring_commission`
→ 25 000.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import pandas as pd

from casekit import fmt, plots
from casekit.dates import to_timestamp
from casekit.errors import DataError

ELIGIBILITY_LABELS = {"": "Finançable", "credit": "Avoir ou règlement non affecté",
                      "disputed": "Litige en cours", "overdue": "Retard au-delà de la limite du factor",
                      "unapproved": "Acheteur non agréé"}


@dataclass(frozen=True)
class FactoringOffer:
    """The parameters of a factoring offer (one row of `factoring_offers`, same names and units)."""

    offer_id: str = "offre"
    factoring_fee_rate: float = 0.0
    minimum_factoring_fee: float = 0.0
    index_rate: float = 0.0
    financing_margin: float = 0.0
    value_days: int = 0
    guarantee_fund_rate: float = 0.0
    per_invoice_fee: float = 0.0
    per_buyer_fee: float = 0.0
    dispute_fee: float = 0.0
    setup_fee: float = 0.0
    credit_insurance_included: bool = False
    guarantee_quotite: float = 0.0
    max_overdue_days: int = 90
    notified: bool = True
    factor: str = ""
    contract_type: str = ""
    financing_index: str = ""

    def __post_init__(self):
        for name in ("factoring_fee_rate", "guarantee_fund_rate", "guarantee_quotite"):
            if not 0 <= getattr(self, name) <= 1:
                raise DataError(f"« {name} » doit être un taux entre 0 et 1 (reçu : {getattr(self, name)})")
        for name in ("minimum_factoring_fee", "value_days", "per_invoice_fee", "per_buyer_fee", "dispute_fee",
                     "setup_fee", "max_overdue_days"):
            if getattr(self, name) < 0:
                raise DataError(f"« {name} » ne peut pas être négatif (reçu : {getattr(self, name)})")

    @property
    def financing_rate(self) -> float:
        """Index + margin (annual, base 360)."""
        return self.index_rate + self.financing_margin

    @classmethod
    def from_row(cls, row) -> FactoringOffer:
        """From a row (Series or dict) of `case.factoring_offers`."""
        values = {f.name: row[f.name] for f in fields(cls) if f.name in row}
        for k in ("value_days", "max_overdue_days"):
            if k in values:
                values[k] = int(values[k])
        for k in ("credit_insurance_included", "notified"):
            if k in values:
                values[k] = bool(values[k])
        return cls(**values)

    @classmethod
    def offers_from_table(cls, df: pd.DataFrame) -> dict[str, FactoringOffer]:
        """`{offer_id: FactoringOffer}` from `case.factoring_offers`, in table order."""
        return {str(r["offer_id"]): cls.from_row(r) for _, r in df.iterrows()}


@dataclass(frozen=True)
class FactoringCost:
    """Every component of the annual cost of a factoring offer (EUR excl. VAT, rates per year)."""

    assigned_sales: float
    dso_days: float
    average_receivables: float
    guarantee_fund: float          # average cash retained by the factor
    amounts_drawn: float           # total drawn over the year
    average_cash: float            # average cash obtained
    factoring_commission: float
    minimum_applied: bool
    financing_commission: float
    invoice_fees: float
    buyer_fees: float
    dispute_fees: float
    setup_fee: float               # share charged to this year
    total_fees: float              # paid to the factor
    guarantee_fund_cost: float     # opportunity cost of the guarantee fund
    total_cost: float              # total_fees + guarantee_fund_cost
    insurance_value: float
    service_value: float
    financing_cost: float          # total_cost − insurance_value − service_value
    effective_rate: float          # financing_cost / average_cash
    financing_commission_rate: float  # financing commission / average cash
    overdraft_cost: float
    dailly_cost: float
    saving_vs_overdraft: float
    saving_vs_dailly: float


def factoring_cost(offer: FactoringOffer, assigned_sales: float, dso_days: float, *, invoices: int = 0,
                   buyers: int = 0, disputes: int = 0, share_drawn: float = 1.0, cost_of_capital: float = 0.0,
                   overdraft_rate: float = 0.0, dailly_rate: float = 0.0, setup_years: int = 1,
                   insurance_value: float = 0.0, service_value: float = 0.0) -> FactoringCost:
    """The annual cost of `offer` on `assigned_sales` (incl. VAT) collected in `dso_days` on average.

    `share_drawn`: share of the available financing actually drawn (1 = all). `setup_years`: the setup fee is
    spread over that many years (1 = all charged in year 1). `insurance_value`: what the buyer-insolvency
    guarantee included in the offer is worth (e.g. the cost of an equivalent credit-insurance policy);
    `service_value`: the cost of the work the company no longer does (ledger keeping, dunning).
    """
    if assigned_sales < 0 or dso_days < 0 or min(invoices, buyers, disputes) < 0:
        raise DataError("le chiffre d'affaires cédé, le DSO et les nombres ne peuvent pas être négatifs")
    if not 0 <= share_drawn <= 1:
        raise DataError(f"la part utilisée du financement doit être entre 0 et 1 (reçu : {share_drawn})")
    if setup_years < 1:
        raise DataError("les frais de mise en place s'étalent sur au moins un an")
    receivables = assigned_sales * dso_days / 365
    fund = receivables * offer.guarantee_fund_rate
    drawn = assigned_sales * (1 - offer.guarantee_fund_rate) * share_drawn
    cash = drawn * dso_days / 365
    commission = max(offer.factoring_fee_rate * assigned_sales, offer.minimum_factoring_fee)
    financing = offer.financing_rate * drawn * (dso_days + offer.value_days) / 360
    setup = offer.setup_fee / setup_years
    fees = (commission + financing + invoices * offer.per_invoice_fee + buyers * offer.per_buyer_fee
            + disputes * offer.dispute_fee + setup)
    fund_cost = fund * cost_of_capital
    total = fees + fund_cost
    attributable = total - insurance_value - service_value
    overdraft, dailly = overdraft_rate * cash * 365 / 360, dailly_rate * cash * 365 / 360
    def rate(x):
        return x / cash if cash > 0 else math.nan

    return FactoringCost(
        assigned_sales, dso_days, receivables, fund, drawn, cash, commission,
        offer.factoring_fee_rate * assigned_sales < offer.minimum_factoring_fee, financing,
        invoices * offer.per_invoice_fee, buyers * offer.per_buyer_fee, disputes * offer.dispute_fee, setup,
        fees,
        fund_cost, total, insurance_value, service_value, attributable, rate(attributable), rate(financing),
        overdraft, dailly, overdraft - attributable, dailly - attributable)


def eligible_receivables(open_items: pd.DataFrame, as_of, approved_buyers=None,
                         max_overdue_days: int = 90) -> pd.DataFrame:
    """The open items with `days_overdue`, `reason` (a key of `ELIGIBILITY_LABELS`, "" if financeable),
    `eligible` and `non_valeur` (an amount owed the factor refuses to finance, or would charge back).

    Reasons, first that applies: credit (amount ≤ 0), disputed, overdue by more than `max_overdue_days`, buyer
    not in `approved_buyers` (None: every buyer approved).
    """
    as_of = to_timestamp(as_of)
    df = open_items.copy()
    df["days_overdue"] = (as_of - df["due_date"]).dt.days.clip(lower=0)
    approved = (pd.Series(True, index=df.index) if approved_buyers is None
                else df["customer_id"].isin(list(approved_buyers)))
    df["reason"] = ""
    for mask, reason in [(~approved, "unapproved"), (df["days_overdue"] > max_overdue_days, "overdue"),
                         (df["disputed"], "disputed"), (df["amount"] <= 0, "credit")]:
        df.loc[mask, "reason"] = reason  # the last assignment wins: credit > disputed > overdue > unapproved
    df["eligible"] = df["reason"].eq("")
    df["non_valeur"] = ~df["eligible"] & (df["amount"] > 0)
    return df


def eligibility_summary(eligible: pd.DataFrame) -> pd.DataFrame:
    """Number of items and amount per reason (from `eligible_receivables`), financeable first."""
    out = eligible.groupby("reason", sort=False)["amount"].agg(items="size", amount="sum")
    return out.reindex([r for r in ELIGIBILITY_LABELS if r in out.index]).reset_index()


def case_factoring_inputs(case, year: int = 2025) -> dict:
    """The fil rouge's year of sales for `factoring_cost`: assigned sales incl. VAT (invoices − credit notes),
    DSO at year end (receivables / sales incl. VAT × 365), numbers of invoices, buyers and disputes, rates."""
    inv = case.invoices[case.invoices["document_date"].dt.year == year]
    fin = case.financials.set_index("year")
    if year not in fin.index or inv.empty:
        raise DataError(f"aucune vente ni état financier pour l'exercice {year}")
    company = case.company.iloc[0]
    return dict(assigned_sales=float(inv["amount_incl_vat"].sum()),
                dso_days=float(fin.at[year, "trade_receivables"] / fin.at[year, "revenue_incl_vat"] * 365),
                invoices=int((inv["document_type"] == "Facture").sum()),
                buyers=int(inv["customer_id"].nunique()),
                disputes=int((case.disputes["opened_date"].dt.year == year).sum()),
                cost_of_capital=float(company["cost_of_capital"]),
                overdraft_rate=float(company["overdraft_rate"]),
                dailly_rate=float(company["dailly_rate"]))


def compare_factoring_offers(case, year: int = 2025, insurance_rate: float | None = None) -> pd.DataFrame:
    """One row per offer on the fil rouge's `year`: every cost component, cash obtained, effective rate, and
    the overdraft and Dailly costs and rates on the same cash.

    The share drawn is the share of the open items at the year end the offer would finance (eligibility with
    its `max_overdue_days`). For an offer including the buyer-insolvency guarantee, its value is
    `insurance_rate` × sales excl. VAT; by default the cost rate (total cost / insured turnover) of the
    cheapest credit-insurance offer of the case.
    """
    from casekit.outsourcing.insurance import compare_insurance_offers

    inputs = case_factoring_inputs(case, year)
    as_of = pd.Timestamp(year, 12, 31)
    items = case.open_items(as_of)
    owed = items.loc[items["amount"] > 0, "amount"].sum()
    if insurance_rate is None:
        ins = compare_insurance_offers(case, as_of, year)
        insurance_rate = float(ins.sort_values("total_cost")["cost_rate"].iloc[0])
    of_year = case.invoices["document_date"].dt.year == year
    sales_excl = float(case.invoices.loc[of_year, "amount_excl_vat"].sum())
    rows = []
    for key, offer in FactoringOffer.offers_from_table(case.factoring_offers).items():
        elig = eligible_receivables(items, as_of, max_overdue_days=offer.max_overdue_days)
        share = float(elig.loc[elig["eligible"], "amount"].sum() / owed) if owed > 0 else 0.0
        value = insurance_rate * sales_excl if offer.credit_insurance_included else 0.0
        cost = factoring_cost(offer, share_drawn=share, insurance_value=value, **inputs)
        rows.append(dict(offer_id=key, factor=offer.factor, share_drawn=share, **cost.__dict__,
                         overdraft_rate=inputs["overdraft_rate"] * 365 / 360,
                         dailly_rate=inputs["dailly_rate"] * 365 / 360))
    return pd.DataFrame(rows)


def plot_factoring_offers(comparison: pd.DataFrame):
    """Effective annual rate of each offer's financing against the overdraft and the Dailly line."""
    fig, ax = plots.new_figure("Affacturage : taux effectif du financement", ylabel="Taux annuel effectif")
    labels = comparison["offer_id"] + " – " + comparison["factor"]
    bars = ax.bar(labels, comparison["effective_rate"], color=plots.PALETTE[0], width=0.5,
                  label="Affacturage (coût net / trésorerie obtenue)")
    ax.bar_label(bars, labels=[fmt.percent(v, 2) for v in comparison["effective_rate"]])
    ax.axhline(comparison["overdraft_rate"].iloc[0], color=plots.PALETTE[3], linestyle="--",
               label="Découvert")
    ax.axhline(comparison["dailly_rate"].iloc[0], color=plots.PALETTE[2], linestyle=":",
               label="Dailly / escompte")
    plots.percent_axis(ax, "y", 1)
    ax.legend(loc="lower right")
    return fig
