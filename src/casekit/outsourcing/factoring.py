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

    @classmethod
    def from_row(cls, row) -> FactoringCost:
        """From a row (Series or dict) of `compare_factoring_offers` / `evaluate_factoring_offers`."""
        return cls(**{f.name: row[f.name] for f in fields(cls)})


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


def compare_factoring_offers(case, year: int = 2025, insurance_rate: float | None = None,
                             service_value: float = 0.0) -> pd.DataFrame:
    """One row per offer on the fil rouge's `year`: every cost component, cash obtained, effective rate, and
    the overdraft and Dailly costs and rates on the same cash.

    The share drawn is the share of the open items at the year end the offer would finance (eligibility with
    its `max_overdue_days`). For an offer including the buyer-insolvency guarantee, its value is
    `insurance_rate` × sales excl. VAT; by default the cost rate (total cost / insured turnover) of the
    cheapest credit-insurance offer of the case. `service_value`: what the dunning and collection work a notified
    factor takes over is worth (e.g. `collection_time_value`); 0 for a confidential offer, where the company
    keeps that work.
    """
    inputs = case_factoring_inputs(case, year)
    as_of = pd.Timestamp(year, 12, 31)
    if insurance_rate is None:
        insurance_rate = cheapest_insurance_rate(case, year)
    of_year = case.invoices["document_date"].dt.year == year
    sales_excl = float(case.invoices.loc[of_year, "amount_excl_vat"].sum())
    offers = FactoringOffer.offers_from_table(case.factoring_offers)
    values = {k: insurance_rate * sales_excl if o.credit_insurance_included else 0.0 for k, o in offers.items()}
    services = {k: service_value if o.notified else 0.0 for k, o in offers.items()}
    return evaluate_factoring_offers(offers, inputs, case.open_items(as_of), as_of, insurance_values=values,
                                     service_values=services)


def cheapest_insurance_rate(case, year: int = 2025) -> float:
    """Cost rate (total cost / insured turnover excl. VAT) of the cheapest credit-insurance offer of the case:
    what the buyer-insolvency guarantee included in a factoring offer is worth, per euro of sales excl. VAT."""
    from casekit.outsourcing.insurance import compare_insurance_offers

    ins = compare_insurance_offers(case, pd.Timestamp(year, 12, 31), year)
    return float(ins.sort_values(["total_cost", "offer_id"])["cost_rate"].iloc[0])


def evaluate_factoring_offers(offers: dict[str, FactoringOffer], inputs: dict, open_items: pd.DataFrame, as_of,
                              *, insurance_values: dict | None = None, approved_buyers=None,
                              service_value: float = 0.0, service_values: dict | None = None,
                              share_drawn: float | None = None) -> pd.DataFrame:
    """`factoring_cost` of each offer on `inputs` (the keyword arguments of `factoring_cost`: `assigned_sales`,
    `dso_days`, counts and rates, as given by `case_factoring_inputs` or `ledger_factoring_inputs`), one row per
    offer, with `share_drawn` = the share of the amounts owed in `open_items` (positive items) the offer would
    finance at `as_of` (`eligible_receivables` with its `max_overdue_days` and `approved_buyers`), and the
    overdraft and Dailly rates converted to a 365-day year. `insurance_values`: `{offer_id: value}` of the
    insolvency guarantee included (default 0); `service_value`: see `factoring_cost` (every offer), or
    `service_values` `{offer_id: value}`; `share_drawn`: a share to use instead of the financeable share (the
    column still says the share used)."""
    owed = float(open_items.loc[open_items["amount"] > 0, "amount"].sum())
    rows = []
    for key, offer in offers.items():
        elig = eligible_receivables(open_items, as_of, approved_buyers, max_overdue_days=offer.max_overdue_days)
        share = float(elig.loc[elig["eligible"], "amount"].sum() / owed) if owed > 0 else 0.0
        share = share if share_drawn is None else share_drawn
        value = (insurance_values or {}).get(key, 0.0)
        services = (service_values or {}).get(key, service_value)
        cost = factoring_cost(offer, share_drawn=min(share, 1.0), insurance_value=value,
                              service_value=services, **inputs)
        rows.append(dict(offer_id=key, factor=offer.factor, share_drawn=share, **cost.__dict__,
                         overdraft_rate=inputs.get("overdraft_rate", 0.0) * 365 / 360,
                         dailly_rate=inputs.get("dailly_rate", 0.0) * 365 / 360))
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
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3)
    return fig


# --- Teaching helpers of notebook 08: offers side by side, one invoice, what the factor asks, availability ---

COST_COMPONENTS = {
    "factoring_commission": "Commission d'affacturage (HT)",
    "financing_commission": "Commission de financement",
    "invoice_fees": "Frais par facture cédée (HT)",
    "buyer_fees": "Frais annuels par acheteur (HT)",
    "dispute_fees": "Frais de traitement des litiges (HT)",
    "setup_fee": "Frais de mise en place (part de l'année, HT)",
    "guarantee_fund_cost": "Coût du fonds de garantie (trésorerie immobilisée)",
}


def _yes_no(value) -> str:
    return "oui" if value else "non"


def factoring_terms_table(offers: dict[str, FactoringOffer]) -> pd.DataFrame:
    """The general and special conditions of several offers side by side, French labels and formats (one row per
    condition, one column per offer), for display."""
    terms = [
        ("Factor", lambda o: o.factor),
        ("Type de contrat", lambda o: o.contract_type),
        ("Clients notifiés (mention de subrogation sur les factures)", lambda o: _yes_no(o.notified)),
        ("Commission d'affacturage (sur le TTC cédé, HT)", lambda o: fmt.percent(o.factoring_fee_rate, 2)),
        ("Commission d'affacturage minimale annuelle", lambda o: fmt.euros(o.minimum_factoring_fee, 0)),
        ("Commission de financement (base 360 jours)",
         lambda o: f"{o.financing_index or 'index'} ({fmt.percent(o.index_rate, 2)}) + marge "
                   f"{fmt.percent(o.financing_margin, 2)} = {fmt.percent(o.financing_rate, 2)} l'an"),
        ("Jours de valeur ajoutés à la durée financée", lambda o: f"{o.value_days} jours"),
        ("Fonds de garantie (retenue sur les créances financées)", lambda o: fmt.percent(o.guarantee_fund_rate, 0)),
        ("Frais par facture cédée", lambda o: fmt.euros(o.per_invoice_fee)),
        ("Frais annuels par acheteur", lambda o: fmt.euros(o.per_buyer_fee, 0)),
        ("Frais par litige traité", lambda o: fmt.euros(o.dispute_fee, 0)),
        ("Garantie contre l'insolvabilité des acheteurs",
         lambda o: f"oui, quotité {fmt.percent(o.guarantee_quotite, 0)}" if o.credit_insurance_included
         else "non (risque gardé, ou à couvrir par une assurance-crédit)"),
        ("Retard au-delà duquel une facture n'est plus financée", lambda o: f"{o.max_overdue_days} jours"),
        ("Frais de mise en place", lambda o: fmt.euros(o.setup_fee, 0)),
    ]
    df = pd.DataFrame({key: [f(o) for _, f in terms] for key, o in offers.items()},
                      index=[label for label, _ in terms])
    df.index.name = "Condition"
    return df


@dataclass(frozen=True)
class InvoiceFactoring:
    """One invoice through a factoring contract (EUR; the fees excl. VAT, their VAT apart)."""

    amount: float                 # invoice incl. VAT, credited in full to the current account (subrogation)
    days: float                   # days until the customer pays
    guarantee_retained: float     # kept in the guarantee fund until the customer pays
    financed: float               # paid to the company on the fund call
    factoring_commission: float   # excl. VAT
    invoice_fee: float            # excl. VAT
    fees_vat: float               # VAT on the commission and the fee (deductible)
    financing_commission: float   # interest (days + value days, base 360), no VAT
    cost_excl_vat: float          # factoring commission + invoice fee + financing commission
    effective_rate: float         # cost_excl_vat / (financed × days / 365)


def invoice_factoring(offer: FactoringOffer, amount: float, days: float, vat_rate: float = 0.20) -> InvoiceFactoring:
    """What assigning one invoice of `amount` (incl. VAT) paid by the customer in `days` costs and brings.

    Example (board): FAC-A terms, 12 000 € at 60 days → 1 200 € retained, 10 800 € financed, commission 30 € HT,
    financing 3,25 % × 10 800 × 62 / 360 = 60,45 €, cost 90,45 €, effective rate 90,45 / (10 800 × 60 / 365).
    """
    if amount <= 0 or days < 0:
        raise DataError("une facture cédée a un montant positif et un délai de paiement positif ou nul")
    retained = amount * offer.guarantee_fund_rate
    financed = amount - retained
    commission = offer.factoring_fee_rate * amount
    financing = offer.financing_rate * financed * (days + offer.value_days) / 360
    cost = commission + offer.per_invoice_fee + financing
    cash_days = financed * days / 365
    return InvoiceFactoring(amount, days, retained, financed, commission, offer.per_invoice_fee,
                            (commission + offer.per_invoice_fee) * vat_rate, financing, cost,
                            cost / cash_days if cash_days > 0 else math.nan)


def invoice_factoring_table(result: InvoiceFactoring) -> pd.DataFrame:
    """The French display table of `invoice_factoring`, in the order a trainer writes it on the board."""
    rows = [("Facture cédée (TTC), portée au crédit du compte courant", fmt.euros(result.amount)),
            ("Retenue au fonds de garantie", fmt.euros(result.guarantee_retained)),
            ("Financement versé à l'appel de fonds", fmt.euros(result.financed)),
            ("Commission d'affacturage (HT)", fmt.euros(result.factoring_commission)),
            ("Frais par facture (HT)", fmt.euros(result.invoice_fee)),
            ("TVA déductible sur commission et frais", fmt.euros(result.fees_vat)),
            ("Commission de financement (sans TVA)", fmt.euros(result.financing_commission)),
            ("Coût total hors TVA", fmt.euros(result.cost_excl_vat)),
            ("Fonds de garantie restitué au paiement du client", fmt.euros(result.guarantee_retained)),
            (f"Taux annuel effectif (coût / financement sur {fmt.number(result.days)} jours)",
             fmt.percent(result.effective_rate, 2))]
    return pd.DataFrame(rows, columns=["Étape", "Montant"]).set_index("Étape")


def factoring_cost_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """The real cost of each offer of `compare_factoring_offers` (or `evaluate_factoring_offers`), component by
    component then against the overdraft and the Dailly line on the same cash: French labels and formats, one
    column per offer."""
    rows = [(label, "euros", key) for key, label in COST_COMPONENTS.items()]
    rows += [("= Coût total annuel", "euros", "total_cost"),
             ("− Valeur de la garantie d'insolvabilité incluse", "euros", "insurance_value"),
             ("− Valeur du travail de gestion repris par le factor", "euros", "service_value"),
             ("= Coût net attribuable au financement", "euros", "financing_cost"),
             ("Part des créances finançables", "percent", "share_drawn"),
             ("Trésorerie moyenne obtenue", "euros", "average_cash"),
             ("Fonds de garantie moyen (trésorerie retenue)", "euros", "guarantee_fund"),
             ("Taux effectif du financement", "percent2", "effective_rate"),
             ("Taux du découvert (base 365)", "percent2", "overdraft_rate"),
             ("Taux du Dailly (base 365)", "percent2", "dailly_rate"),
             ("Coût du découvert sur la même trésorerie", "euros", "overdraft_cost"),
             ("Coût du Dailly sur la même trésorerie", "euros", "dailly_cost"),
             ("Économie (+) ou surcoût (−) par rapport au découvert", "euros", "saving_vs_overdraft"),
             ("Économie (+) ou surcoût (−) par rapport au Dailly", "euros", "saving_vs_dailly")]
    show = {"euros": lambda v: fmt.euros(v, 0), "percent": lambda v: fmt.percent(v, 1),
            "percent2": lambda v: fmt.percent(v, 2)}
    df = pd.DataFrame({f"{r.offer_id} – {r.factor}" if r.factor else r.offer_id:
                       [show[kind](getattr(r, key)) for _, kind, key in rows]
                       for r in comparison.itertuples(index=False)}, index=[label for label, _, _ in rows])
    df.index.name = "Composante"
    return df


def factoring_cost_components(cost: FactoringCost) -> pd.DataFrame:
    """The components of `cost.total_cost`: `component`, `label`, `amount`, `share` of the total."""
    df = pd.DataFrame({"component": list(COST_COMPONENTS), "label": list(COST_COMPONENTS.values()),
                       "amount": [float(getattr(cost, k)) for k in COST_COMPONENTS]})
    df["share"] = df["amount"] / cost.total_cost if cost.total_cost > 0 else 0.0
    return df


def factoring_value_table(cost: FactoringCost) -> pd.DataFrame:
    """What the company pays for each kind of service and what it replaces (EUR per year).

    Financing (financing commission + cost of the guarantee fund) replaces an overdraft on the same cash; the
    services (factoring commission and fees: ledger keeping, dunning, collection, insolvency guarantee) replace
    `insurance_value` + `service_value`. Columns `label`, `paid`, `replaced`, `balance` (replaced − paid: > 0
    means the service is worth more than it costs)."""
    financing = cost.financing_commission + cost.guarantee_fund_cost
    services = cost.total_cost - financing
    rows = [("Financement (commission de financement + coût du fonds de garantie) / découvert équivalent",
             financing, cost.overdraft_cost),
            ("Services (commission d'affacturage et frais) / assurance-crédit et temps de gestion économisés",
             services, cost.insurance_value + cost.service_value),
            ("Total", cost.total_cost, cost.overdraft_cost + cost.insurance_value + cost.service_value)]
    df = pd.DataFrame(rows, columns=["label", "paid", "replaced"])
    df["balance"] = df["replaced"] - df["paid"]
    return df


def collection_time_value(collectors: pd.DataFrame, fte: float = 1.0) -> float:
    """Loaded annual cost of `fte` full-time collectors: total `loaded_annual_cost` / total `fte` × `fte`.
    What the dunning and collection work taken over by a factor is worth (`service_value` of `factoring_cost`)."""
    if fte < 0:
        raise DataError("le nombre d'ETP ne peut pas être négatif")
    total_fte = float(collectors["fte"].sum())
    if total_fte <= 0:
        raise DataError("aucun gestionnaire (ETP) dans la table des gestionnaires")
    return float(collectors["loaded_annual_cost"].sum()) / total_fte * fte


def factoring_variants(case, base: FactoringOffer, variants: dict[str, dict], year: int = 2025,
                       insurance_rate: float | None = None) -> pd.DataFrame:
    """The base offer on the fil rouge's `year` (as in `compare_factoring_offers`), then each variant
    (`{label: {name: value}}`, applied to the base alone). A name is a field of `FactoringOffer`
    (`guarantee_fund_rate`, `financing_margin`, `index_rate`…) or an input of `factoring_cost`
    (`assigned_sales`, `dso_days`…); `sales_scale` multiplies the assigned sales and the counts of invoices and
    buyers; `share_drawn` replaces the financeable share. Columns: `variant`, `total_cost`, `financing_cost`,
    `average_cash`, `effective_rate`, `minimum_applied`, `change` (total cost − base), `rate_change` (effective
    rate − base)."""
    from dataclasses import replace

    inputs = case_factoring_inputs(case, year)
    as_of = pd.Timestamp(year, 12, 31)
    items = case.open_items(as_of)
    if insurance_rate is None:
        insurance_rate = cheapest_insurance_rate(case, year) if base.credit_insurance_included else 0.0
    of_year = case.invoices["document_date"].dt.year == year
    sales_excl = float(case.invoices.loc[of_year, "amount_excl_vat"].sum())
    offer_fields = {f.name for f in fields(FactoringOffer)}
    rows = []
    for label, changes in {"Offre de base": {}, **variants}.items():
        changes = dict(changes)
        scale = changes.pop("sales_scale", 1.0)
        share = changes.pop("share_drawn", None)
        offer = replace(base, **{k: v for k, v in changes.items() if k in offer_fields})
        unknown = set(changes) - offer_fields - set(inputs)
        if unknown:
            raise DataError(f"paramètre(s) inconnu(s) : {', '.join(sorted(unknown))}")
        args = {**inputs, **{k: v for k, v in changes.items() if k in inputs}}
        args.update(assigned_sales=args["assigned_sales"] * scale, invoices=round(args["invoices"] * scale),
                    buyers=round(args["buyers"] * scale))
        value = insurance_rate * sales_excl * scale if offer.credit_insurance_included else 0.0
        row = evaluate_factoring_offers({offer.offer_id: offer}, args, items, as_of,
                                        insurance_values={offer.offer_id: value}, share_drawn=share).iloc[0]
        rows.append(dict(variant=label, total_cost=row["total_cost"], financing_cost=row["financing_cost"],
                         average_cash=row["average_cash"], effective_rate=row["effective_rate"],
                         minimum_applied=bool(row["minimum_applied"])))
    df = pd.DataFrame(rows)
    df["change"] = df["total_cost"] - df["total_cost"].iloc[0]
    df["rate_change"] = df["effective_rate"] - df["effective_rate"].iloc[0]
    return df


def ledger_factoring_inputs(open_items: pd.DataFrame, invoices: pd.DataFrame, as_of,
                            cost_of_capital: float = 0.0, overdraft_rate: float = 0.0,
                            dailly_rate: float = 0.0) -> dict | None:
    """The inputs of `factoring_cost` from any ledger (fil rouge or a company's FEC): sales incl. VAT of the 365
    days to `as_of` (invoices − credit notes), DSO = open receivables at `as_of` / those sales × 365, number of
    invoices (positive documents) and of buyers invoiced; no disputes (a FEC does not carry them). None when
    there were no sales in those 365 days."""
    as_of = to_timestamp(as_of)
    dates = invoices["document_date"]
    year = invoices[(dates > as_of - pd.Timedelta(days=365)) & (dates <= as_of)]
    sales = float(year["amount_incl_vat"].astype(float).sum())
    if sales <= 0:
        return None
    receivables = max(float(open_items["amount"].sum()), 0.0)
    return dict(assigned_sales=sales, dso_days=receivables / sales * 365,
                invoices=int((year["amount_incl_vat"] > 0).sum()), buyers=int(year["customer_id"].nunique()),
                disputes=0, cost_of_capital=cost_of_capital, overdraft_rate=overdraft_rate, dailly_rate=dailly_rate)


def factor_approved_buyers(customers: pd.DataFrame, as_of) -> list[str]:
    """The customers a factor would approve at `as_of` on the fil rouge's data: every customer not subject to
    insolvency proceedings opened on or before `as_of` (a factor never approves a buyer in proceedings)."""
    as_of = to_timestamp(as_of)
    failed = customers["insolvency_date"].notna() & (customers["insolvency_date"] <= as_of)
    return sorted(customers.loc[~failed, "customer_id"].astype(str))


def plot_factoring_eligibility(summaries: dict[str, pd.DataFrame],
                               title: str = "Ce que le factor financerait sur l'encours"):
    """Horizontal stacked bars, one per offer (`{label: eligibility_summary(...)}`): the financeable amount and
    each reason for not financing (positive amounts; credits are left out and said in the legend)."""
    fig, ax = plots.new_figure(title, xlabel="Montant TTC")
    colors = {"": plots.PALETTE[2], "disputed": plots.PALETTE[1], "overdue": plots.PALETTE[3],
              "unapproved": plots.PALETTE[4]}
    labels = list(summaries)
    left = [0.0] * len(labels)
    for reason, color in colors.items():
        values = []
        for label in labels:
            s = summaries[label].set_index("reason")["amount"]
            values.append(float(s.get(reason, 0.0)))
        if any(values):
            ax.barh(labels, values, left=left, color=color, label=ELIGIBILITY_LABELS[reason])
            left = [a + b for a, b in zip(left, values)]
    plots.euro_axis(ax, "x", "M€" if max(left, default=0) >= 2e6 else "k€")
    ax.invert_yaxis()
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=4, title="Factures (avoirs non représentés)")
    return fig


@dataclass(frozen=True)
class FactorAvailability:
    """From the receivables assigned to the factor to the cash the company can still call ("disponible")."""

    assigned: float          # invoices assigned and not yet paid (positive items)
    non_valeurs: float       # items the factor does not finance: disputes, overdue beyond its limit, unapproved
    credits: float           # credit notes and unallocated cash to deduct
    financeable: float       # assigned − non-valeurs − credits (floored at 0)
    guarantee_fund: float    # guarantee fund rate × financeable
    reserve: float           # special reserve (e.g. on a concentrated buyer)
    max_financing: float     # financeable − guarantee fund − reserve
    drawn: float             # financing already paid
    fees: float              # commissions debited and not yet covered
    available: float         # max_financing − drawn − fees (< 0: the factor asks for a repayment)


def factor_availability(eligible: pd.DataFrame, guarantee_fund_rate: float, drawn: float = 0.0, fees: float = 0.0,
                        reserve: float = 0.0) -> FactorAvailability:
    """The availability of the current account at the date of `eligible` (from `eligible_receivables`): the
    guarantee fund is retained on the financeable outstanding, re-computed at each statement (it follows the
    outstanding), and non-valeurs and credits are not financed."""
    if not 0 <= guarantee_fund_rate <= 1:
        raise DataError(f"le taux du fonds de garantie doit être entre 0 et 1 (reçu : {guarantee_fund_rate})")
    amounts = eligible["amount"].astype(float)
    assigned = float(amounts[amounts > 0].sum())
    non_valeurs = float(amounts[eligible["non_valeur"]].sum())
    credits = float(-amounts[amounts <= 0].sum()) + 0.0  # + 0.0: no « -0 » without credits
    financeable = max(assigned - non_valeurs - credits, 0.0)
    fund = financeable * guarantee_fund_rate
    maximum = max(financeable - fund - reserve, 0.0)
    return FactorAvailability(assigned, non_valeurs, credits, financeable, fund, reserve, maximum, drawn, fees,
                              maximum - drawn - fees)


AVAILABILITY_LABELS = {
    "assigned": "Factures cédées non encore réglées",
    "non_valeurs": "− Non-valeurs (litiges, retards hors limite, acheteurs non agréés)",
    "credits": "− Avoirs et règlements non affectés",
    "financeable": "= Encours finançable",
    "guarantee_fund": "− Fonds de garantie",
    "reserve": "− Réserve spécifique",
    "max_financing": "= Financement maximal",
    "drawn": "− Financements déjà versés",
    "fees": "− Commissions débitées",
    "available": "= Disponible (appel de fonds possible)",
}


def availability_table(availabilities: dict[str, FactorAvailability]) -> pd.DataFrame:
    """`{label: factor_availability(...)}` side by side: one row per step of `AVAILABILITY_LABELS` (EUR)."""
    df = pd.DataFrame({label: [getattr(a, k) for k in AVAILABILITY_LABELS] for label, a in availabilities.items()},
                      index=list(AVAILABILITY_LABELS.values()))
    df.index.name = "Compte courant du factor"
    return df


def plot_factor_availability(avail: FactorAvailability, title: str = "Du portefeuille cédé au disponible"):
    """Waterfall from the assigned invoices to the available cash: each deduction as a floating bar."""
    fig, ax = plots.new_figure(title, ylabel="Montant TTC")
    steps = [("Factures\ncédées", avail.assigned, "total"), ("Non-\nvaleurs", -avail.non_valeurs, "step"),
             ("Avoirs", -avail.credits, "step"), ("Finançable", avail.financeable, "total"),
             ("Fonds de\ngarantie", -avail.guarantee_fund, "step"), ("Réserve", -avail.reserve, "step"),
             ("Tiré et\ncommissions", -(avail.drawn + avail.fees), "step"),
             ("Disponible", avail.available, "total")]
    level = 0.0
    for label, value, kind in steps:
        if kind == "total":
            bottom, height, color = 0.0, value, plots.PALETTE[0]
            level = value
        else:
            bottom, height, color = level + value, -value, plots.PALETTE[3]
            level += value
        ax.bar(label, height, bottom=bottom, color=color, width=0.6)
        ax.annotate(fmt.euros(value + 0.0, 0), (label, bottom + max(height, 0)), ha="center", va="bottom",
                    fontsize=10)
    plots.euro_axis(ax, "y", "M€" if avail.assigned >= 2e6 else "k€")
    return fig


def factor_due_diligence(open_items: pd.DataFrame, invoices: pd.DataFrame, as_of, top: int = 10) -> pd.DataFrame:
    """What a factor reads first in the aged balance and the sales ledger (any ledger, FEC included): one row
    per indicator, `indicator`, `value` (float, NaN when the data cannot give it) and `display` (French).

    Indicators: customers with a debit balance, receivables incl. VAT, share overdue, share overdue by more than
    90 days, share of the `top` largest exposures and of the largest one (net per customer, floored at 0),
    sales incl. VAT of the 365 days to `as_of`, invoices issued and their average amount, credit notes as a share
    of the gross invoicing, accounting DSO (receivables / those sales × 365)."""
    as_of = to_timestamp(as_of)
    items = open_items
    total = float(items["amount"].sum())
    overdue = float(items.loc[items["due_date"] < as_of, "amount"].sum())
    late90 = float(items.loc[(as_of - items["due_date"]).dt.days > 90, "amount"].sum())
    exposure = items.groupby("customer_id")["amount"].sum().clip(lower=0).sort_values(ascending=False)
    positive = float(exposure.sum())
    dates = invoices["document_date"]
    year = invoices[(dates > as_of - pd.Timedelta(days=365)) & (dates <= as_of)]
    amounts = year["amount_incl_vat"].astype(float)
    sales = float(amounts.sum())
    gross = float(amounts[amounts > 0].sum())
    count = int((amounts > 0).sum())

    def share(num, den):
        return num / den if den > 0 else math.nan

    rows = [
        ("Clients débiteurs (solde positif)", float((exposure > 0).sum()), "number"),
        ("Encours clients TTC", total, "euros"),
        ("Part échue de l'encours", share(overdue, total), "percent"),
        ("Part échue depuis plus de 90 jours", share(late90, total), "percent"),
        (f"Poids des {top} premiers clients dans l'encours", share(float(exposure.head(top).sum()), positive),
         "percent"),
        ("Poids du premier client dans l'encours", share(float(exposure.head(1).sum()), positive), "percent"),
        ("Chiffre d'affaires TTC des 12 derniers mois", sales, "euros"),
        ("Factures émises sur 12 mois", float(count), "number"),
        ("Montant moyen d'une facture TTC", share(gross, count), "euros"),
        ("Avoirs en % de la facturation brute", share(gross - sales, gross), "percent"),
        ("DSO comptable (encours / CA TTC 12 mois × 365)", share(total * 365, sales) if sales > 0 else math.nan,
         "days"),
    ]
    show = {"number": lambda v: fmt.number(v), "euros": lambda v: fmt.euros(v, 0),
            "percent": lambda v: fmt.percent(v), "days": lambda v: fmt.days(v)}
    return pd.DataFrame([dict(indicator=label, value=value, display=show[kind](value)) for label, value, kind in rows])


def factor_loss_history(case) -> pd.DataFrame:
    """The history a factor asks for, per year of the fil rouge's financial statements: sales incl. VAT,
    bad-debt losses (excl. VAT) and their rate on sales excl. VAT, customers entering insolvency proceedings,
    disputes opened (count, amount incl. VAT) and credit notes issued (incl. VAT, positive)."""
    fin = case.financials.set_index("year").sort_index()
    inv, disputes = case.invoices, case.disputes
    failed = case.customers["insolvency_date"].dropna().dt.year
    rows = []
    for year, f in fin.iterrows():
        opened = disputes[disputes["opened_date"].dt.year == year]
        notes = inv[(inv["document_date"].dt.year == year) & (inv["amount_incl_vat"] < 0)]
        rows.append(dict(year=int(year), sales_incl_vat=float(f["revenue_incl_vat"]),
                         bad_debt_losses=float(f["bad_debt_losses"]),
                         loss_rate=float(f["bad_debt_losses"] / f["revenue_excl_vat"]),
                         insolvencies=int((failed == year).sum()), disputes=int(len(opened)),
                         disputed_amount=float(opened["amount"].sum()),
                         credit_notes=float(-notes["amount_incl_vat"].sum())))
    return pd.DataFrame(rows).set_index("year")


def plot_factoring_cost(cost: FactoringCost, title: str = "Coût annuel de l'affacturage et du crédit bancaire"):
    """Horizontal bars: the factoring cost stacked by component, the same net of the services it replaces, and the
    cost of an overdraft and of a Dailly line on the same average cash."""
    fig, ax = plots.new_figure(title, xlabel="Coût annuel (€)")
    comps = factoring_cost_components(cost)
    left = 0.0
    for i, r in enumerate(comps.itertuples(index=False)):
        if r.amount > 0:
            ax.barh("Affacturage\n(coût total)", r.amount, left=left, color=plots.PALETTE[i % len(plots.PALETTE)],
                    label=r.label)
            left += r.amount
    ax.barh("Affacturage net\ndes services", cost.financing_cost, color=plots.PALETTE[0], alpha=0.55)
    ax.barh("Découvert\n(même trésorerie)", cost.overdraft_cost, color=plots.PALETTE[5])
    ax.barh("Dailly\n(même trésorerie)", cost.dailly_cost, color=plots.PALETTE[7])
    for label, value in [("Affacturage\n(coût total)", cost.total_cost),
                         ("Affacturage net\ndes services", cost.financing_cost),
                         ("Découvert\n(même trésorerie)", cost.overdraft_cost),
                         ("Dailly\n(même trésorerie)", cost.dailly_cost)]:
        ax.annotate(f" {fmt.euros(value, 0)}", (max(value, 0), label), va="center", fontsize=11)
    plots.euro_axis(ax, "x", "k€")
    ax.invert_yaxis()
    fig.legend(loc="outside lower center", ncols=3, fontsize=10)  # a simulator draws it with the frame
    ax.set_xlim(0, plots.nice_limit(max(cost.total_cost, cost.overdraft_cost, cost.dailly_cost) * 1.25))
    return fig


def plot_factoring_variants(variants: pd.DataFrame,
                            title: str = "Négociation : effet de chaque condition sur le taux effectif"):
    """Horizontal bars of `factoring_variants`' `rate_change` (effective rate against the base offer, in
    percentage points), one per variant: decreases in green, increases in red, each labelled."""
    rows = variants.iloc[1:]
    points = rows["rate_change"] * 100
    fig, ax = plots.new_figure(title, xlabel="Variation du taux effectif du financement (points)")
    colors = [plots.PALETTE[2] if v <= 0 else plots.PALETTE[3] for v in points]
    bars = ax.barh(rows["variant"], points, color=colors)
    ax.bar_label(bars, labels=[f" {fmt.number(v, 2)} pt " for v in points], fontsize=11)
    ax.axvline(0, color="black", linewidth=0.8)
    plots.number_axis(ax, "x", 2)
    low, high = min(points.min(), 0), max(points.max(), 0)
    ax.set_xlim(low * 1.45 - 0.05, high * 1.45 + 0.05)
    ax.invert_yaxis()
    return fig


TOOLS = [("full", "Affacturage complet, notifié (financement, gestion, garantie)"),
         ("no_financing", "Affacturage sans financement (gestion et garantie, paiement à l'échéance)"),
         ("confidential", "Affacturage confidentiel, non notifié (financement seul)")]


def factoring_tools_table(case, full: str = "FAC-A", confidential: str = "FAC-B", year: int = 2025,
                          insurance_rate: float | None = None) -> pd.DataFrame:
    """The factoring tools on the fil rouge's `year`, with the case's offers: complete notified factoring
    (offer `full`), the same without financing (nothing drawn, no guarantee fund: the factor pays at the due date
    or on default) and confidential factoring (offer `confidential`). Columns: `tool`, `label`, `financing`,
    `management`, `guarantee`, `notified` (French yes/no texts), `total_cost`, `average_cash`, `effective_rate`
    (NaN without financing)."""
    offers = FactoringOffer.offers_from_table(case.factoring_offers)
    if full not in offers or confidential not in offers:
        raise DataError(f"offres « {full} » ou « {confidential} » absentes du cas")
    a = factoring_variants(case, offers[full], {"no_financing": {"share_drawn": 0.0, "guarantee_fund_rate": 0.0}},
                           year, insurance_rate)
    b = factoring_variants(case, offers[confidential], {}, year, insurance_rate)
    rows = [("full", offers[full], a.iloc[0], True), ("no_financing", offers[full], a.iloc[1], False),
            ("confidential", offers[confidential], b.iloc[0], True)]
    labels = dict(TOOLS)
    out = []
    for tool, offer, r, financed in rows:
        out.append(dict(tool=tool, label=labels[tool], financing=_yes_no(financed),
                        management="par le factor" if offer.notified else "par l'entreprise",
                        guarantee=(f"oui ({fmt.percent(offer.guarantee_quotite, 0)})" if offer.credit_insurance_included
                                   else "non"),
                        notified=_yes_no(offer.notified), total_cost=float(r["total_cost"]),
                        average_cash=float(r["average_cash"]),
                        effective_rate=float(r["effective_rate"]) if financed else math.nan))
    return pd.DataFrame(out)


def minimum_fee_threshold(offer: FactoringOffer) -> float:
    """Assigned sales incl. VAT below which the annual minimum factoring commission applies: minimum / rate
    (infinite if the rate is 0 and there is a minimum, 0 without minimum). Example: 40 000 € / 0,25 % =
    16 000 000 €."""
    if offer.minimum_factoring_fee <= 0:
        return 0.0
    return offer.minimum_factoring_fee / offer.factoring_fee_rate if offer.factoring_fee_rate > 0 else math.inf


def format_factoring_variants(variants: pd.DataFrame) -> pd.DataFrame:
    """French display table of `factoring_variants` (index: the variant): costs in euros, rates with two
    decimals, rate changes in points, the minimum as « oui » / « non »."""
    df = pd.DataFrame({
        "Coût total annuel": variants["total_cost"].map(lambda v: fmt.euros(v, 0)),
        "Écart de coût": variants["change"].map(lambda v: fmt.euros(v, 0)),
        "Trésorerie moyenne obtenue": variants["average_cash"].map(lambda v: fmt.euros(v, 0)),
        "Taux effectif": variants["effective_rate"].map(lambda v: fmt.percent(v, 2)),
        "Écart de taux (points)": variants["rate_change"].map(lambda v: fmt.number(v * 100, 2)),
        "Minimum annuel appliqué": variants["minimum_applied"].map(_yes_no),
    })
    df.index = variants["variant"].to_list()
    df.index.name = "Variante"
    return df


def format_factoring_tools(tools: pd.DataFrame) -> pd.DataFrame:
    """French display table of `factoring_tools_table` (index: the tool)."""
    df = pd.DataFrame({
        "Financement": tools["financing"], "Relance et encaissement": tools["management"],
        "Garantie (quotité)": tools["guarantee"], "Clients notifiés": tools["notified"],
        "Coût annuel": tools["total_cost"].map(lambda v: fmt.euros(v, 0)),
        "Trésorerie moyenne obtenue": tools["average_cash"].map(lambda v: fmt.euros(v, 0)),
        "Taux effectif du financement": tools["effective_rate"].map(lambda v: fmt.percent(v, 2)),
    })
    df.index = tools["label"].to_list()
    df.index.name = "Outil"
    return df
