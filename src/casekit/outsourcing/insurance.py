"""Credit insurance ("assurance-crédit"): cost of a policy, indemnity on claims, coverage of a portfolio.

Rules used throughout (French practice, simplified where said):
* The insured loss is the debt **excluding VAT**: the VAT on an unpaid invoice is recovered from the Treasury
  once the debt is definitively irrecoverable (art. 272 CGI; for a buyer in a collective procedure, on the
  judgement of liquidation or the adoption of the plan), so the insurer never indemnifies it.
* Named buyers ("acheteurs dénommés") are covered up to the limit the insurer granted ("agrément"); a limit of
  0 is a refusal and the buyer is **not** covered, not even by the discretionary limit. Buyers without a
  request ("non dénommés") are covered up to the discretionary limit, at the discretionary quotité.
* Per claim: min(loss excl. VAT, limit) − per-claim deductible, × quotité. Over a policy year (the calendar
  year in which the claim is constituted): the annual aggregate deductible ("franchise annuelle globale")
  absorbs the first indemnities of the year, then indemnities are capped at `max_indemnity_multiple` ×
  premium.
* Timing: a protracted default ("défaut de paiement", "impayé") is constituted `waiting_period_days` after the
  due date; an insolvency at the judgement date (simplification: in practice once the debt has been declared
  to the court-appointed representative and the insurer has the proof) — whichever comes first. The indemnity
  is paid `payment_delay_days` later.

Example: `policy_cost(InsurancePolicy(premium_rate=0.0021, minimum_premium=60_000), 40_000_000).premium`
→ 84 000.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace

import pandas as pd

from casekit import plots
from casekit.dates import to_timestamp
from casekit.errors import DataError

BASES = ("CA assuré", "Encours garanti")
COVER_LABELS = {"named": "Agrément", "discretionary": "Non dénommé (limite discrétionnaire)",
                "refused": "Agrément refusé", "export_excluded": "Export non couvert"}
RESIDUAL_LABELS = {"covered": "Couvert (indemnisable)", "uninsured_share": "Part non garantie (1 − quotité)",
                   "above_limit": "Au-delà de la limite", "refused": "Agrément refusé",
                   "export_excluded": "Export non couvert"}
RESIDUAL_PARTS = ["uninsured_share", "above_limit", "refused", "export_excluded"]


def _ratio(value, name):
    if not 0 <= value <= 1:
        raise DataError(f"« {name} » doit être un taux entre 0 et 1 (reçu : {value})")


def _non_negative(obj, names):
    for name in names:
        if getattr(obj, name) < 0:
            raise DataError(f"« {name} » ne peut pas être négatif (reçu : {getattr(obj, name)})")


@dataclass(frozen=True)
class InsurancePolicy:
    """The parameters of a credit-insurance offer (one row of `insurance_offers`, same names and units)."""

    offer_id: str = "police"
    premium_rate: float = 0.0
    minimum_premium: float = 0.0
    premium_basis: str = "CA assuré"
    quotite: float = 0.9
    discretionary_limit: float = 0.0
    discretionary_quotite: float = 0.9
    per_claim_deductible: float = 0.0
    aggregate_deductible: float = 0.0
    max_indemnity_multiple: float = math.inf
    limit_request_fee: float = 0.0
    monitoring_fee_per_buyer: float = 0.0
    waiting_period_days: int = 150
    payment_delay_days: int = 30
    max_extension_days: int = 60
    insured_share_export: bool = True
    insurer: str = ""
    via_broker: bool = False
    broker: str = ""
    policy_type: str = ""

    def __post_init__(self):
        if self.premium_basis not in BASES:
            raise DataError(f"assiette de prime « {self.premium_basis} » inconnue "
                            f"(attendu : {', '.join(BASES)})")
        for name in ("premium_rate", "quotite", "discretionary_quotite"):
            _ratio(getattr(self, name), name)
        _non_negative(self, ["minimum_premium", "discretionary_limit", "per_claim_deductible",
                             "aggregate_deductible", "max_indemnity_multiple", "limit_request_fee",
                             "monitoring_fee_per_buyer", "waiting_period_days", "payment_delay_days"])

    @classmethod
    def from_row(cls, row) -> InsurancePolicy:
        """From a row (Series or dict) of `case.insurance_offers`."""
        names = {f.name: f.type for f in fields(cls)}
        values = {k: row[k] for k in names
                  if k in row and not (isinstance(row[k], float) and math.isnan(row[k]))}
        for k in ("waiting_period_days", "payment_delay_days", "max_extension_days"):
            if k in values:
                values[k] = int(values[k])
        for k in ("insured_share_export", "via_broker"):
            if k in values:
                values[k] = bool(values[k])
        return cls(**values)

    @classmethod
    def offers_from_table(cls, df: pd.DataFrame) -> dict[str, InsurancePolicy]:
        """`{offer_id: InsurancePolicy}` from `case.insurance_offers`, in table order."""
        return {str(r["offer_id"]): cls.from_row(r) for _, r in df.iterrows()}


@dataclass(frozen=True)
class PolicyCost:
    """The annual cost of a policy, component by component (EUR)."""

    basis_amount: float
    premium_before_minimum: float
    premium: float
    minimum_applied: bool
    limit_request_fees: float
    monitoring_fees: float
    total: float
    turnover: float
    cost_rate: float  # total / insured turnover excl. VAT (NaN without turnover)


def policy_cost(policy: InsurancePolicy, insured_turnover: float = 0.0, *, granted_limits: float = 0.0,
                limit_requests: int = 0, approved_buyers: int = 0) -> PolicyCost:
    """Premium (rate × basis, floored at the minimum) + limit request fees + monitoring fees.

    The basis is the insured turnover excl. VAT ("CA assuré") or the sum of the granted limits ("Encours
    garanti"). A broker is paid by the insurer (commission out of the premium), so a brokered offer has no
    extra fee: its saving is in the negotiated rate and terms (see `broker_saving`).
    """
    if insured_turnover < 0 or granted_limits < 0 or limit_requests < 0 or approved_buyers < 0:
        raise DataError("le chiffre d'affaires, les limites et les nombres d'acheteurs "
                        "ne peuvent pas être négatifs")
    basis = insured_turnover if policy.premium_basis == "CA assuré" else granted_limits
    before = policy.premium_rate * basis
    premium = max(before, policy.minimum_premium)
    requests = limit_requests * policy.limit_request_fee
    monitoring = approved_buyers * policy.monitoring_fee_per_buyer
    total = premium + requests + monitoring
    return PolicyCost(basis, before, premium, before < policy.minimum_premium, requests, monitoring, total,
                      insured_turnover, total / insured_turnover if insured_turnover > 0 else math.nan)


@dataclass(frozen=True)
class Saving:
    amount: float  # EUR saved per year
    share: float   # saving / cost without the broker


def broker_saving(direct: PolicyCost, brokered: PolicyCost) -> Saving:
    """What the broker's negotiation saves: direct total − brokered total, and as a share of the direct
    total."""
    amount = direct.total - brokered.total
    return Saving(amount, amount / direct.total if direct.total else math.nan)


@dataclass(frozen=True)
class Claim:
    """An unpaid debt declared to the insurer.

    `approved_limit`: the limit granted for a named buyer (0 = refused); None for a non-named buyer, covered
    by the discretionary limit. `insolvency_date`: the opening judgement of a collective procedure, if any.
    """

    customer_id: str
    amount_incl_vat: float
    amount_excl_vat: float
    due_date: pd.Timestamp
    insolvency_date: pd.Timestamp | None = None
    approved_limit: float | None = None
    export: bool = False

    def __post_init__(self):
        if self.amount_excl_vat < 0 or self.amount_incl_vat < self.amount_excl_vat - 0.005:
            raise DataError(f"sinistre {self.customer_id} : montants incohérents (HT {self.amount_excl_vat}, "
                            f"TTC {self.amount_incl_vat})")


@dataclass(frozen=True)
class ClaimIndemnity:
    customer_id: str
    loss_excl_vat: float
    vat_recovered: float
    cover: str            # key of COVER_LABELS
    cover_limit: float
    covered_loss: float   # min(loss excl. VAT, limit)
    deductible: float     # per-claim deductible applied
    quotite: float
    indemnity: float      # before the annual aggregate deductible and the cap
    event: str            # "insolvency" or "protracted_default"
    constituted_date: pd.Timestamp
    payment_date: pd.Timestamp


def indemnity(claim: Claim, policy: InsurancePolicy) -> ClaimIndemnity:
    """The indemnity on one claim, before the annual aggregate deductible and the annual cap.

    Example: 24 000 € incl. VAT at 20 % → 20 000 € excl. VAT, limit 15 000 € → 15 000 × 90 % = 13 500 €.
    """
    if claim.export and not policy.insured_share_export:
        cover, limit, quotite = "export_excluded", 0.0, 0.0
    elif claim.approved_limit is None:
        cover, limit, quotite = "discretionary", policy.discretionary_limit, policy.discretionary_quotite
    elif claim.approved_limit <= 0:
        cover, limit, quotite = "refused", 0.0, 0.0
    else:
        cover, limit, quotite = "named", float(claim.approved_limit), policy.quotite
    covered = min(claim.amount_excl_vat, limit)
    deductible = min(policy.per_claim_deductible, covered)
    default_date = to_timestamp(claim.due_date, "due_date") + pd.Timedelta(days=policy.waiting_period_days)
    event, constituted = "protracted_default", default_date
    if claim.insolvency_date is not None and not pd.isna(claim.insolvency_date):
        judgement = to_timestamp(claim.insolvency_date, "insolvency_date")
        if judgement <= default_date:
            event, constituted = "insolvency", judgement
    vat = claim.amount_incl_vat - claim.amount_excl_vat
    return ClaimIndemnity(claim.customer_id, claim.amount_excl_vat, vat, cover, limit, covered, deductible,
                          quotite, (covered - deductible) * quotite, event,
                          constituted, constituted + pd.Timedelta(days=policy.payment_delay_days))


def annual_indemnities(claims, policy: InsurancePolicy, premium: float) -> pd.DataFrame:
    """Indemnities of several claims, in date order, after the aggregate deductible and the cap of each year.

    One row per claim (sorted by constitution date): the `indemnity` fields, `policy_year`,
    `aggregate_deductible_applied`, `cap_applied` and `indemnity_paid`. Cap = `max_indemnity_multiple` ×
    premium.
    """
    rows = [indemnity(c, policy).__dict__ for c in claims]
    if not rows:
        return pd.DataFrame(columns=[f.name for f in fields(ClaimIndemnity)] + [
            "policy_year", "aggregate_deductible_applied", "cap_applied", "indemnity_paid"])
    df = pd.DataFrame(rows).sort_values(["constituted_date", "customer_id"], kind="stable")
    df = df.reset_index(drop=True)
    df["policy_year"] = df["constituted_date"].dt.year
    gross = df.groupby("policy_year")["indemnity"].cumsum()
    after_deductible = (gross - policy.aggregate_deductible).clip(lower=0)
    paid = after_deductible.clip(upper=policy.max_indemnity_multiple * premium)
    previous = lambda s: s.groupby(df["policy_year"]).shift(fill_value=0.0)  # noqa: E731
    step_after_deductible = after_deductible - previous(after_deductible)
    df["aggregate_deductible_applied"] = df["indemnity"] - step_after_deductible
    df["indemnity_paid"] = paid - previous(paid)
    df["cap_applied"] = step_after_deductible - df["indemnity_paid"]
    money = ["indemnity", "aggregate_deductible_applied", "indemnity_paid", "cap_applied"]
    df[money] = df[money].round(2)
    return df


def coverage(open_items: pd.DataFrame, customers: pd.DataFrame | None, limits: pd.DataFrame,
             policy: InsurancePolicy) -> pd.DataFrame:
    """Per customer: exposure (net open items incl. VAT, credits deducted, floored at 0), the cover and its
    limit, the amount covered (indemnifiable: min(exposure, limit) × quotité) and the residual risk split into
    `uninsured_share` (1 − quotité), `above_limit`, `refused` and `export_excluded`; the five parts add up to
    the exposure. Limits are expressed incl. VAT, so the exposure is taken incl. VAT (the VAT recovered on a
    loss is ignored here); per-claim deductibles are ignored (they apply to each claim).

    `limits`: `customer_id`, `limit_granted` (0 = refused), and optionally `offer_id` (rows of other offers
    are ignored). `customers`: `customer_id` and optionally `country` (ISO code; not "FR" = export); None =
    all France.
    """
    for col in ("customer_id", "limit_granted"):
        if col not in limits:
            raise DataError(f"colonne « {col} » absente du tableau des limites d'assurance")
    if "offer_id" in limits:
        limits = limits[limits["offer_id"] == policy.offer_id]
    exposure = open_items.groupby("customer_id", sort=True)["amount"].sum().clip(lower=0).round(2)
    df = pd.DataFrame({"customer_id": exposure.index.astype(str), "exposure": exposure.to_numpy()})
    names = open_items.drop_duplicates("customer_id").set_index("customer_id")["customer_name"]
    df.insert(1, "customer_name", df["customer_id"].map(names))
    granted = limits.drop_duplicates("customer_id").set_index("customer_id")["limit_granted"].astype(float)
    df["limit_granted"] = df["customer_id"].map(granted)
    export = pd.Series(False, index=df.index)
    if customers is not None and "country" in customers:
        country = customers.set_index("customer_id")["country"].astype(str)
        export = df["customer_id"].map(country).fillna("FR").ne("FR")
    named = df["limit_granted"].notna()
    df["cover"] = "discretionary"
    df.loc[named, "cover"] = "named"
    df.loc[named & (df["limit_granted"] <= 0), "cover"] = "refused"
    df.loc[export & (not policy.insured_share_export), "cover"] = "export_excluded"
    covered_by_limit = df["cover"].isin(["named", "discretionary"])
    df["cover_limit"] = df["limit_granted"].where(df["cover"] == "named", policy.discretionary_limit)
    df.loc[~covered_by_limit, "cover_limit"] = 0.0
    quotites = {"named": policy.quotite, "discretionary": policy.discretionary_quotite}
    quotite = df["cover"].map(quotites).fillna(0.0)
    within = df[["exposure", "cover_limit"]].min(axis=1)
    df["covered"] = within * quotite
    df["uninsured_share"] = within * (1 - quotite)
    df["above_limit"] = (df["exposure"] - within).where(covered_by_limit, 0.0)
    df["refused"] = df["exposure"].where(df["cover"] == "refused", 0.0)
    df["export_excluded"] = df["exposure"].where(df["cover"] == "export_excluded", 0.0)
    df["residual"] = df[RESIDUAL_PARTS].sum(axis=1)
    df = df.sort_values(["exposure", "customer_id"], ascending=[False, True], kind="stable")
    return df.reset_index(drop=True)


def insured_turnover(invoices: pd.DataFrame, customers: pd.DataFrame, year: int,
                     export_covered: bool = True) -> float:
    """Turnover excl. VAT invoiced in `year` (invoices − credit notes), without export if it is not
    covered."""
    docs = invoices[invoices["document_date"].dt.year == year]
    if not export_covered:
        country = customers.set_index("customer_id")["country"].astype(str)
        docs = docs[docs["customer_id"].map(country).eq("FR")]
    return float(docs["amount_excl_vat"].sum())


def case_policy_cost(case, policy: InsurancePolicy, year: int = 2025) -> PolicyCost:
    """`policy_cost` on the fil rouge: the year's insured turnover, its limit requests and approved buyers."""
    limits = case.insurance_limits[case.insurance_limits["offer_id"] == policy.offer_id]
    turnover = insured_turnover(case.invoices, case.customers, year, policy.insured_share_export)
    return policy_cost(policy, turnover, granted_limits=float(limits["limit_granted"].sum()),
                       limit_requests=len(limits),
                       approved_buyers=int((limits["limit_granted"] > 0).sum()))


def insolvency_debts(case) -> pd.DataFrame:
    """The debts of the fil rouge's insolvent customers at their judgement date, one row per customer.

    Columns `customer_id`, `insolvency_date`, `open_incl_vat`, `open_excl_vat` (each invoice's own VAT rate:
    0 % for intra-EU reverse charge and export), `due_date` (the oldest unpaid due date), `export`.
    """
    failed = case.customers[case.customers["insolvency_date"].notna()]
    failed = failed.sort_values(["insolvency_date", "customer_id"])
    inv = case.invoices
    excl_share = (inv["amount_excl_vat"] / inv["amount_incl_vat"]).where(inv["amount_incl_vat"] != 0, 1.0)
    ratio = pd.Series(excl_share.to_numpy(), index=inv["document_ref"])
    ids = failed["customer_id"]
    sub = replace(case, invoices=inv[inv["customer_id"].isin(ids)],
                  payments=case.payments[case.payments["customer_id"].isin(ids)],
                  disputes=case.disputes[case.disputes["customer_id"].isin(ids)])
    rows = []
    for row in failed.itertuples(index=False):  # one open-items computation per insolvency (a handful)
        items = sub.open_items(row.insolvency_date)
        items = items[items["customer_id"] == row.customer_id]
        if items.empty or items["amount"].sum() <= 0:
            continue
        rows.append(dict(customer_id=row.customer_id, insolvency_date=row.insolvency_date,
                         open_incl_vat=round(float(items["amount"].sum()), 2),
                         open_excl_vat=round(float((items["amount"] * items["document_ref"].map(ratio)
                                                    .fillna(1.0)).sum()), 2),
                         due_date=items.loc[items["amount"] > 0, "due_date"].min(),
                         export=row.country != "FR"))
    return pd.DataFrame(rows, columns=["customer_id", "insolvency_date", "open_incl_vat", "open_excl_vat",
                                       "due_date", "export"])


def insolvency_claims(case, policy: InsurancePolicy, debts: pd.DataFrame | None = None) -> list[Claim]:
    """One claim per insolvent customer (`insolvency_debts`), with the limit in force before the default."""
    debts = insolvency_debts(case) if debts is None else debts
    limits = case.insurance_limits[case.insurance_limits["offer_id"] == policy.offer_id]
    granted = limits.set_index("customer_id")["limit_granted"]
    return [Claim(d.customer_id, d.open_incl_vat, d.open_excl_vat, d.due_date, d.insolvency_date,
                  float(granted[d.customer_id]) if d.customer_id in granted.index else None, bool(d.export))
            for d in debts.itertuples(index=False)]


def past_insolvencies_cost(case, policy: InsurancePolicy, premium: float | None = None,
                           debts: pd.DataFrame | None = None) -> pd.DataFrame:
    """What the fil rouge's past insolvencies cost without and with the policy, one row per insolvent
    customer.

    `premium` (for the annual cap) defaults to the premium on the 2025 insured turnover. `net_loss_without` is
    the loss excl. VAT; `net_loss_with` = loss − indemnity paid.
    """
    claims = insolvency_claims(case, policy, debts)
    premium = case_policy_cost(case, policy).premium if premium is None else premium
    df = annual_indemnities(claims, policy, premium)
    info = case.customers.set_index("customer_id")
    df.insert(1, "customer_name", df["customer_id"].map(info["customer_name"]))
    df.insert(2, "insolvency_date", df["customer_id"].map(info["insolvency_date"]))
    df.insert(3, "procedure", df["customer_id"].map(info["insolvency_procedure"]).astype(str))
    df.insert(4, "open_incl_vat", df["customer_id"].map({c.customer_id: c.amount_incl_vat for c in claims}))
    df["offer_id"] = policy.offer_id
    df["net_loss_without"] = df["loss_excl_vat"]
    df["net_loss_with"] = df["loss_excl_vat"] - df["indemnity_paid"]
    return df


def compare_insurance_offers(case, as_of=None, year: int = 2025) -> pd.DataFrame:
    """One row per offer: annual cost, exposure covered and residual at `as_of`, past insolvencies and net
    cost.

    `annual_indemnity` = indemnities the offer would have paid on the past insolvencies, averaged over the
    years of history (`case.financials`); `net_cost` = total cost − annual indemnity. `broker_saving`: for an
    offer negotiated by a broker, the saving against the same insurer's direct offer.
    """
    as_of = case.as_of if as_of is None else to_timestamp(as_of)
    items = case.open_items(as_of)
    years = case.financials["year"].nunique()
    debts = insolvency_debts(case)
    rows = []
    policies = InsurancePolicy.offers_from_table(case.insurance_offers)
    costs = {k: case_policy_cost(case, p, year) for k, p in policies.items()}
    for key, policy in policies.items():
        cost = costs[key]
        cov = coverage(items, case.customers, case.insurance_limits, policy)
        past = past_insolvencies_cost(case, policy, cost.premium, debts)
        direct = [k for k, p in policies.items() if p.insurer == policy.insurer and not p.via_broker]
        saving = broker_saving(costs[direct[0]], cost).amount if policy.via_broker and direct else math.nan
        rows.append(dict(
            offer_id=key, insurer=policy.insurer, via_broker=policy.via_broker, premium=cost.premium,
            fees=cost.limit_request_fees + cost.monitoring_fees, total_cost=cost.total,
            cost_rate=cost.cost_rate,
            exposure=cov["exposure"].sum(), covered=cov["covered"].sum(), residual=cov["residual"].sum(),
            coverage_rate=cov["covered"].sum() / cov["exposure"].sum() if cov["exposure"].sum() else math.nan,
            historical_loss=past["loss_excl_vat"].sum(), historical_indemnity=past["indemnity_paid"].sum(),
            annual_indemnity=past["indemnity_paid"].sum() / years,
            net_cost=cost.total - past["indemnity_paid"].sum() / years, broker_saving=saving))
    return pd.DataFrame(rows)


def plot_coverage(cov: pd.DataFrame, top: int = 15):
    """Stacked bars of the `top` largest exposures: covered amount and each part of the residual risk."""
    data = cov.head(top).iloc[::-1]
    fig, ax = plots.new_figure("Couverture des encours par l'assurance-crédit", xlabel="Encours TTC")
    left = pd.Series(0.0, index=data.index)
    colors = [plots.PALETTE[2], plots.PALETTE[6], plots.PALETTE[1], plots.PALETTE[3], plots.PALETTE[5]]
    for part, color in zip(["covered"] + RESIDUAL_PARTS, colors):
        ax.barh(data["customer_name"], data[part], left=left, color=color, label=RESIDUAL_LABELS[part])
        left = left + data[part]
    plots.euro_axis(ax, "x", "k€")
    ax.legend(loc="lower right")
    return fig


def plot_insurance_offers(comparison: pd.DataFrame):
    """Per offer: annual cost, average annual indemnity on the past insolvencies, and net cost."""
    fig, ax = plots.new_figure("Assurance-crédit : coût des offres et sinistres indemnisés",
                               ylabel="€ par an")
    x = range(len(comparison))
    width = 0.27
    for i, (col, label) in enumerate([("total_cost", "Coût total (prime + frais)"),
                                      ("annual_indemnity", "Indemnités moyennes (sinistres passés)"),
                                      ("net_cost", "Coût net")]):
        ax.bar([v + (i - 1) * width for v in x], comparison[col], width, label=label, color=plots.PALETTE[i])
    ax.set_xticks(list(x), comparison["offer_id"] + " – " + comparison["insurer"])
    plots.euro_axis(ax, "y", "k€")
    ax.legend()
    return fig
