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

from casekit import fmt, plots
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
    return _within_annual_limits(_claim_indemnities(claims, policy), policy, premium)


def _claim_indemnities(claims, policy: InsurancePolicy) -> pd.DataFrame:
    """The `indemnity` of each claim with its `policy_year`, in date order: `annual_indemnities` before the
    annual limits (which alone depend on the premium)."""
    rows = [indemnity(c, policy).__dict__ for c in claims]
    if not rows:
        return pd.DataFrame(columns=[f.name for f in fields(ClaimIndemnity)] + [
            "policy_year", "aggregate_deductible_applied", "cap_applied", "indemnity_paid"])
    df = pd.DataFrame(rows).sort_values(["constituted_date", "customer_id"], kind="stable")
    df = df.reset_index(drop=True)
    df["policy_year"] = df["constituted_date"].dt.year
    return df


def _within_annual_limits(claims: pd.DataFrame, policy: InsurancePolicy, premium: float) -> pd.DataFrame:
    """`annual_indemnities` from `_claim_indemnities` (left unchanged)."""
    if claims.empty:
        return claims.copy()
    df = claims.copy()
    gross = df.groupby("policy_year")["indemnity"].cumsum()
    after_deductible = (gross - policy.aggregate_deductible).clip(lower=0)
    paid = after_deductible.clip(upper=policy.max_indemnity_multiple * premium)
    previous = lambda s: s.groupby(df["policy_year"]).shift(fill_value=0.0)  # noqa: E731
    step_after_deductible = after_deductible - previous(after_deductible)
    df["aggregate_deductible_applied"] = df["indemnity"] - step_after_deductible
    df["indemnity_paid"] = paid - previous(paid)
    df["cap_applied"] = step_after_deductible - df["indemnity_paid"]
    money = ["indemnity", "aggregate_deductible_applied", "indemnity_paid", "cap_applied"]
    df[money] = df[money].round(2) + 0.0  # no "-0,00 €" on display
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
    return policy_cost(policy, **_premium_inputs(case, policy, year))


def _premium_inputs(case, policy: InsurancePolicy, year: int) -> dict:
    """The arguments of `policy_cost` after the policy on the fil rouge (none depends on the premium rate)."""
    limits = case.insurance_limits[case.insurance_limits["offer_id"] == policy.offer_id]
    return dict(insured_turnover=insured_turnover(case.invoices, case.customers, year, policy.insured_share_export),
                granted_limits=float(limits["limit_granted"].sum()), limit_requests=len(limits),
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


@dataclass(frozen=True)
class OfferBasis:
    """What `compare_insurance_offers` computes of an offer that does not depend on its premium rate: the
    arguments of `policy_cost`, the coverage of the exposure and the past claims before the annual limits."""

    policy: InsurancePolicy  # premium rate set to 0
    premium_inputs: dict
    exposure: float
    covered: float
    residual: float
    claims: pd.DataFrame


@dataclass(frozen=True)
class InsuranceBasis:
    """`OfferBasis` of each offer of a case at `as_of` for `year`: see `insurance_basis`."""

    as_of: pd.Timestamp
    year: int
    offers: dict


def insurance_basis(case, as_of=None, year: int = 2025) -> InsuranceBasis:
    """What `compare_insurance_offers` computes of each offer of `case` that does not depend on the premium
    rates: computed once, it answers `compare_insurance_offers(..., basis=)` for any premium rates."""
    as_of = case.as_of if as_of is None else to_timestamp(as_of)
    items = case.open_items(as_of)
    debts = insolvency_debts(case)
    offers = {}
    for key, policy in InsurancePolicy.offers_from_table(case.insurance_offers).items():
        cov = coverage(items, case.customers, case.insurance_limits, policy)
        claims = _claim_indemnities(insolvency_claims(case, policy, debts), policy)
        offers[key] = OfferBasis(replace(policy, premium_rate=0.0), _premium_inputs(case, policy, year),
                                 cov["exposure"].sum(), cov["covered"].sum(), cov["residual"].sum(), claims)
    return InsuranceBasis(as_of, year, offers)


def compare_insurance_offers(case, as_of=None, year: int = 2025, *, basis: InsuranceBasis | None = None
                             ) -> pd.DataFrame:
    """One row per offer: annual cost, exposure covered and residual at `as_of`, past insolvencies and net
    cost.

    `annual_indemnity` = indemnities the offer would have paid on the past insolvencies, averaged over the
    years of history (`case.financials`); `net_cost` = total cost − annual indemnity. `broker_saving`: for an
    offer negotiated by a broker, the saving against the same insurer's direct offer. `basis`: the
    `insurance_basis` of the same case, used when its date, year and offers match (premium rates aside).
    """
    as_of = case.as_of if as_of is None else to_timestamp(as_of)
    years = case.financials["year"].nunique()
    policies = InsurancePolicy.offers_from_table(case.insurance_offers)
    if not _basis_fits(basis, as_of, year, policies):
        basis = insurance_basis(case, as_of, year)
    costs = {k: policy_cost(p, **basis.offers[k].premium_inputs) for k, p in policies.items()}
    rows = []
    for key, policy in policies.items():
        cost, offer = costs[key], basis.offers[key]
        past = _within_annual_limits(offer.claims, policy, cost.premium)
        direct = [k for k, p in policies.items() if p.insurer == policy.insurer and not p.via_broker]
        saving = broker_saving(costs[direct[0]], cost).amount if policy.via_broker and direct else math.nan
        rows.append(dict(
            offer_id=key, insurer=policy.insurer, via_broker=policy.via_broker, premium=cost.premium,
            fees=cost.limit_request_fees + cost.monitoring_fees, total_cost=cost.total,
            cost_rate=cost.cost_rate,
            exposure=offer.exposure, covered=offer.covered, residual=offer.residual,
            coverage_rate=offer.covered / offer.exposure if offer.exposure else math.nan,
            historical_loss=past["loss_excl_vat"].sum(), historical_indemnity=past["indemnity_paid"].sum(),
            annual_indemnity=past["indemnity_paid"].sum() / years,
            net_cost=cost.total - past["indemnity_paid"].sum() / years, broker_saving=saving))
    return pd.DataFrame(rows)


def _basis_fits(basis: InsuranceBasis | None, as_of, year: int, policies: dict) -> bool:
    """Whether `basis` was computed at `as_of` for `year` on the same offers, premium rates aside."""
    return (basis is not None and (basis.as_of, basis.year) == (as_of, year) and basis.offers.keys() == policies.keys()
            and all(basis.offers[k].policy == replace(p, premium_rate=0.0) for k, p in policies.items()))


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


# ---------------------------------------------------------------------------------------------------------------------
# Teaching helpers (notebook 07): the fil rouge's losses, anatomy and timeline of a claim, limits, residual risk and
# policy variants. Same rules as above (loss excl. VAT, limits and exposures incl. VAT).

CLAIM_PARTS = {"vat_recovered": "TVA récupérée auprès du Trésor", "indemnity": "Indemnité de l'assureur",
               "uninsured_share": "Part non garantie (1 − quotité)", "deductible": "Franchise par sinistre",
               "above_limit": "Au-delà de la limite"}
NOT_COVERED_LABELS = {"refused": "Agrément refusé : rien n'est couvert",
                      "export_excluded": "Export non couvert : rien n'est couvert"}
EVENT_LABELS = {"insolvency": "insolvabilité de droit (procédure collective)",
                "protracted_default": "carence (défaut de paiement prolongé)"}
LIMIT_SCENARIOS = {"granted": "Décisions de l'assureur (limites accordées)",
                   "requested": "Toutes les limites demandées accordées",
                   "none": "Aucun agrément : limite discrétionnaire seule"}
DECLARATION_STATUS = {"late": "Délai de déclaration dépassé", "soon": "À déclarer"}
DECISION_ORDER = ["Accord total", "Accord partiel", "Refus", "Total"]


@dataclass(frozen=True)
class InsolvencyBurden:
    """What the bad-debt losses of the financial statements weigh (EUR excl. VAT)."""

    years: int
    loss_excl_vat: float
    annual_loss: float
    gross_margin_rate: float   # Σ gross margin / Σ revenue excl. VAT over the years
    sales_equivalent: float    # sales excl. VAT needed to earn the loss back at that margin rate
    net_income: float          # Σ net income over the years
    share_of_net_income: float


def insolvency_burden(financials: pd.DataFrame) -> InsolvencyBurden:
    """Bad-debt losses over the years of `financials` (columns `bad_debt_losses`, `gross_margin`,
    `revenue_excl_vat`, `net_income`), and the sales it takes to earn them back.

    Example: 30 000 € lost at a 25 % gross margin rate = 120 000 € of sales to make up for it.
    """
    for col in ("bad_debt_losses", "gross_margin", "revenue_excl_vat", "net_income"):
        if col not in financials:
            raise DataError(f"colonne « {col} » absente des états financiers")
    if financials.empty or financials["revenue_excl_vat"].sum() <= 0:
        raise DataError("états financiers vides ou sans chiffre d'affaires : poids des pertes incalculable")
    loss = float(financials["bad_debt_losses"].sum())
    margin = float(financials["gross_margin"].sum() / financials["revenue_excl_vat"].sum())
    income = float(financials["net_income"].sum())
    return InsolvencyBurden(len(financials), loss, loss / len(financials), margin,
                            loss / margin if margin > 0 else math.nan, income,
                            loss / income if income > 0 else math.nan)


def insolvency_overview(case, debts: pd.DataFrame | None = None) -> pd.DataFrame:
    """The fil rouge's insolvent customers, one row each, in judgement order: name, segment, procedure, oldest
    unpaid due date, judgement, `days_unpaid` (judgement − oldest due date), debt incl. VAT, loss excl. VAT and
    the VAT recoverable from the Treasury."""
    debts = insolvency_debts(case) if debts is None else debts
    info = case.customers.set_index("customer_id")
    df = debts.copy()
    df.insert(1, "customer_name", df["customer_id"].map(info["customer_name"]))
    df.insert(2, "segment", df["customer_id"].map(info["segment"]))
    df.insert(3, "procedure", df["customer_id"].map(info["insolvency_procedure"]).astype(str))
    df["year"] = df["insolvency_date"].dt.year
    df["days_unpaid"] = (df["insolvency_date"] - df["due_date"]).dt.days
    df = df.rename(columns={"open_excl_vat": "loss_excl_vat"})
    df["vat_recoverable"] = (df["open_incl_vat"] - df["loss_excl_vat"]).round(2)
    return df[["customer_id", "customer_name", "segment", "procedure", "due_date", "insolvency_date", "year",
               "days_unpaid", "open_incl_vat", "loss_excl_vat", "vat_recoverable", "export"]]


def plot_insolvency_losses(df: pd.DataFrame, title: str = "Défaillances clients : pertes hors taxes"):
    """One bar per insolvent customer (`customer_name`, `insolvency_date`, `loss_excl_vat`); split into the
    indemnity and what remains with the company when `indemnity_paid` is a column (`past_insolvencies_cost`)."""
    data = df.iloc[::-1]
    labels = data["customer_name"] + " (" + data["insolvency_date"].map(fmt.date) + ")"
    fig, ax = plots.new_figure(title, xlabel="Perte hors taxes")
    if "indemnity_paid" in data:
        ax.barh(labels, data["indemnity_paid"], color=plots.PALETTE[2], label="Indemnité versée par l'assureur")
        ax.barh(labels, data["loss_excl_vat"] - data["indemnity_paid"], left=data["indemnity_paid"],
                color=plots.PALETTE[3], label="Reste à la charge de l'entreprise")
        ax.legend(loc="lower right")
    else:
        ax.barh(labels, data["loss_excl_vat"], color=plots.PALETTE[3], label="Perte hors taxes")
    for y, value in enumerate(data["loss_excl_vat"]):
        ax.annotate(fmt.euros(value, 0), (value, y), xytext=(4, 0), textcoords="offset points", va="center")
    ax.set_xlim(0, data["loss_excl_vat"].max() * 1.2 if len(data) else 1)
    plots.euro_axis(ax, "x", "k€")
    return fig


def claim_breakdown(result: ClaimIndemnity) -> pd.DataFrame:
    """Where each euro of an unpaid debt (incl. VAT) goes: VAT recovered, indemnity, uninsured share, per-claim
    deductible, part above the limit (or not covered at all); `amount` adds up to the debt incl. VAT.

    Before the annual aggregate deductible and the annual cap (see `annual_indemnities`).
    """
    uninsured = (result.covered_loss - result.deductible) * (1 - result.quotite) if result.quotite else 0.0
    parts = {"vat_recovered": result.vat_recovered, "indemnity": result.indemnity,
             "uninsured_share": uninsured, "deductible": result.deductible,
             "above_limit": result.loss_excl_vat - result.covered_loss}
    labels = dict(CLAIM_PARTS, above_limit=NOT_COVERED_LABELS.get(result.cover, CLAIM_PARTS["above_limit"]))
    return pd.DataFrame({"part": list(parts), "label": [labels[k] for k in parts],
                         "amount": [round(float(v), 2) + 0.0 for v in parts.values()]})


def plot_claim_breakdown(breakdown: pd.DataFrame, title: str = "Sinistre : qui supporte la créance impayée ?"):
    """Horizontal bars of `claim_breakdown`, each labelled with its amount."""
    colors = {"vat_recovered": plots.PALETTE[5], "indemnity": plots.PALETTE[2],
              "uninsured_share": plots.PALETTE[6], "deductible": plots.PALETTE[4], "above_limit": plots.PALETTE[3]}
    data = breakdown.iloc[::-1]
    fig, ax = plots.new_figure(title, xlabel="Montant")
    ax.barh(data["label"], data["amount"], color=[colors[p] for p in data["part"]])
    top = max(float(data["amount"].max()), 1.0)
    for y, value in enumerate(data["amount"]):
        ax.annotate(fmt.euros(value, 0), (value, y), xytext=(4, 0), textcoords="offset points", va="center")
    ax.set_xlim(0, top * 1.25)
    plots.euro_axis(ax, "x", "k€" if top >= 10_000 else "€")
    return fig


def claim_timeline(claim: Claim, policy: InsurancePolicy) -> pd.DataFrame:
    """The key dates of a claim under `policy`, in date order (`event`, `date`, `days_after_due`).

    The deadline to declare the overdue debt ("déclaration de menace de sinistre") is taken as the due date +
    `max_extension_days` (the longest extension the insured may grant without declaring: past it, the debt must
    be declared); the protracted default is constituted `waiting_period_days` after the due date, an
    insolvency at the judgement (see `indemnity`).
    """
    due = to_timestamp(claim.due_date, "due_date")
    result = indemnity(claim, policy)
    rows = [("Échéance impayée (la plus ancienne)", due),
            (f"Date limite de déclaration de la menace de sinistre (échéance + {policy.max_extension_days} j)",
             due + pd.Timedelta(days=policy.max_extension_days))]
    if claim.insolvency_date is not None and not pd.isna(claim.insolvency_date):
        rows.append(("Jugement d'ouverture de la procédure collective",
                     to_timestamp(claim.insolvency_date, "insolvency_date")))
    moot = " : sans objet, le jugement l'a précédée" if result.event == "insolvency" else ""
    rows += [(f"Fin du délai constitutif de sinistre (échéance + {policy.waiting_period_days} j){moot}",
              due + pd.Timedelta(days=policy.waiting_period_days)),
             (f"Sinistre constitué : {EVENT_LABELS[result.event]}", result.constituted_date),
             (f"Versement de l'indemnité (+ {policy.payment_delay_days} j)", result.payment_date)]
    df = pd.DataFrame(rows, columns=["event", "date"]).sort_values("date", kind="stable").reset_index(drop=True)
    df["days_after_due"] = (df["date"] - due).dt.days
    return df


def limit_scenario(limits: pd.DataFrame, offer_id: str, scenario: str = "granted") -> pd.DataFrame:
    """The limits of `offer_id` under a scenario of `LIMIT_SCENARIOS`: the insurer's decisions (`granted`),
    every requested limit granted in full (`requested`), or no named limit at all (`none`)."""
    if scenario not in LIMIT_SCENARIOS:
        raise DataError(f"scénario de limites « {scenario} » inconnu (attendu : {', '.join(LIMIT_SCENARIOS)})")
    rows = limits[limits["offer_id"] == offer_id].copy()
    if scenario == "requested":
        rows["limit_granted"] = rows["limit_requested"].astype(float)
    elif scenario == "none":
        rows = rows.iloc[0:0]
    return rows.reset_index(drop=True)


def limit_decisions_summary(limits: pd.DataFrame) -> pd.DataFrame:
    """Per offer and decision ("Accord total", "Accord partiel", "Refus", then "Total"): number of requests,
    limits requested and granted (EUR incl. VAT) and `granted_rate` = granted / requested."""
    g = limits.groupby(["offer_id", "decision"], sort=False).agg(
        requests=("customer_id", "size"), requested=("limit_requested", "sum"), granted=("limit_granted", "sum"))
    total = limits.groupby("offer_id", sort=False).agg(
        requests=("customer_id", "size"), requested=("limit_requested", "sum"), granted=("limit_granted", "sum"))
    total["decision"] = "Total"
    df = pd.concat([g.reset_index(), total.reset_index()], ignore_index=True)
    df["granted_rate"] = (df["granted"] / df["requested"]).where(df["requested"] > 0)
    df["order"] = df["decision"].map({d: i for i, d in enumerate(DECISION_ORDER)}).fillna(len(DECISION_ORDER))
    df = df.sort_values(["offer_id", "order"], kind="stable").drop(columns="order")
    return df.reset_index(drop=True)


def limit_shortfalls(cov: pd.DataFrame, limits: pd.DataFrame, offer_id: str) -> pd.DataFrame:
    """The customers of `coverage` whose exposure is not fully within a limit, largest uncovered first:
    exposure, limit requested and granted, the insurer's decision ("Pas de demande" for a customer left to the
    discretionary limit) and `uncovered` = part above the limit + refused exposure."""
    own = limits[limits["offer_id"] == offer_id].drop_duplicates("customer_id").set_index("customer_id")
    df = cov[["customer_id", "customer_name", "exposure", "cover", "cover_limit"]].copy()
    df["limit_requested"] = df["customer_id"].map(own["limit_requested"]) if len(own) else math.nan
    decisions = own["decision"].astype(str) if len(own) else pd.Series(dtype=object)
    df["decision"] = df["customer_id"].map(decisions).astype(object).fillna("Pas de demande")
    df["uncovered"] = (cov["above_limit"] + cov["refused"] + cov["export_excluded"]).round(2)
    df = df[df["uncovered"] > 0.005].sort_values(["uncovered", "customer_id"], ascending=[False, True],
                                                 kind="stable")
    return df.reset_index(drop=True)


def coverage_summary(cov: pd.DataFrame) -> pd.DataFrame:
    """The exposure of `coverage` split into the covered amount and each part of the residual risk: `label`,
    `amount`, `share` of the exposure and number of `customers` concerned; last row: the exposure."""
    parts = ["covered"] + RESIDUAL_PARTS
    exposure = float(cov["exposure"].sum())
    rows = [dict(part=p, label=RESIDUAL_LABELS[p], amount=float(cov[p].sum()),
                 customers=int((cov[p] > 0.005).sum())) for p in parts]
    rows.append(dict(part="exposure", label="Encours total", amount=exposure,
                     customers=int((cov["exposure"] > 0.005).sum())))
    df = pd.DataFrame(rows)
    df["share"] = df["amount"] / exposure if exposure > 0 else math.nan
    return df


@dataclass(frozen=True)
class LimitNeeds:
    """What a discretionary limit covers of a portfolio, and how many named limits it leaves to request."""

    discretionary_limit: float
    customers: int           # customers with a positive exposure
    exposure: float          # their exposure incl. VAT
    customers_above: int     # customers whose exposure exceeds the discretionary limit
    exposure_above: float    # their exposure
    within_limit: float      # Σ min(exposure, discretionary limit)
    excess: float            # Σ (exposure − discretionary limit) over the customers above it
    within_share: float      # within_limit / exposure


def limit_request_needs(open_items: pd.DataFrame, discretionary_limit: float) -> LimitNeeds:
    """Customers (net exposure incl. VAT, credits deducted) a discretionary limit covers on its own, and those
    above it, for whom a named limit must be requested. Works on any canonical open items (a FEC too).

    Example: exposures 10 000, 40 000 and 100 000 € with a 25 000 € limit → 2 customers above, within the limit
    10 000 + 25 000 + 25 000 = 60 000 €, excess 15 000 + 75 000 = 90 000 €.
    """
    if discretionary_limit < 0:
        raise DataError("la limite discrétionnaire ne peut pas être négative")
    exposure = open_items.groupby("customer_id")["amount"].sum().clip(lower=0)
    exposure = exposure[exposure > 0.005]
    above = exposure[exposure > discretionary_limit]
    within = float(exposure.clip(upper=discretionary_limit).sum())
    total = float(exposure.sum())
    return LimitNeeds(float(discretionary_limit), int(len(exposure)), round(total, 2), int(len(above)),
                      round(float(above.sum()), 2), round(within, 2),
                      round(float((above - discretionary_limit).sum()), 2), within / total if total else math.nan)


def overdue_declarations(open_items: pd.DataFrame, as_of, declaration_days: int, horizon_days: int = 15
                         ) -> pd.DataFrame:
    """Customers whose overdue debt must be declared to the insurer ("menace de sinistre") within
    `horizon_days` of `as_of`, or should already have been: the deadline is the oldest overdue due date +
    `declaration_days`. One row per customer, most urgent first: overdue amount (positive items past due),
    oldest due date, `days_overdue`, `deadline`, `days_left` (negative: late) and `status` (key of
    `DECLARATION_STATUS`).
    """
    as_of = to_timestamp(as_of)
    if declaration_days < 0 or horizon_days < 0:
        raise DataError("les délais de déclaration ne peuvent pas être négatifs")
    columns = ["customer_id", "customer_name", "overdue_amount", "oldest_due_date", "days_overdue", "deadline",
               "days_left", "status"]
    late = open_items[(open_items["amount"] > 0) & (open_items["due_date"] < as_of)]
    if late.empty:
        return pd.DataFrame(columns=columns)
    df = late.groupby("customer_id", sort=True).agg(customer_name=("customer_name", "first"),
                                                    overdue_amount=("amount", "sum"),
                                                    oldest_due_date=("due_date", "min")).reset_index()
    df["overdue_amount"] = df["overdue_amount"].round(2)
    df["days_overdue"] = (as_of - df["oldest_due_date"]).dt.days
    df["deadline"] = df["oldest_due_date"] + pd.Timedelta(days=declaration_days)
    df["days_left"] = (df["deadline"] - as_of).dt.days
    df = df[df["days_left"] <= horizon_days].copy()
    df["status"] = (df["days_left"] < 0).map({True: "late", False: "soon"})
    df = df.sort_values(["days_left", "overdue_amount", "customer_id"], ascending=[True, False, True],
                        kind="stable")
    return df[columns].reset_index(drop=True)


def disputed_amount(open_items: pd.DataFrame) -> float:
    """Open amount (incl. VAT) of the disputed items: not indemnifiable until the dispute is settled."""
    disputed = open_items[open_items["disputed"] & (open_items["amount"] > 0)]
    return round(float(disputed["amount"].sum()), 2)


def exposure_by_country(open_items: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    """Exposure (net per customer, floored at 0, incl. VAT) by country, largest first: `country`,
    `country_name`, `customers`, `exposure`, `share`; customers missing from `customers` count as France."""
    exposure = open_items.groupby("customer_id")["amount"].sum().clip(lower=0)
    info = customers.drop_duplicates("customer_id").set_index("customer_id")
    df = pd.DataFrame({"customer_id": exposure.index, "exposure": exposure.to_numpy()})
    df["country"] = df["customer_id"].map(info["country"]).fillna("FR").astype(str)
    names = info.drop_duplicates("country").set_index("country")["country_name"] if "country_name" in info else {}
    out = df.groupby("country").agg(customers=("customer_id", "size"), exposure=("exposure", "sum")).reset_index()
    out.insert(1, "country_name", out["country"].map(names).fillna(out["country"]))
    total = out["exposure"].sum()
    out["share"] = out["exposure"] / total if total > 0 else math.nan
    out = out.sort_values(["exposure", "country"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class PolicyEvaluation:
    """One policy on the fil rouge: its annual cost, the coverage of the exposure at `as_of`, and what it
    would have paid on the past insolvencies."""

    policy: InsurancePolicy
    cost: PolicyCost
    coverage: pd.DataFrame
    past: pd.DataFrame
    exposure: float
    covered: float
    residual: float
    coverage_rate: float
    historical_indemnity: float
    annual_indemnity: float   # historical indemnity / years of `case.financials`
    net_cost: float           # total cost − annual indemnity


def evaluate_insurance_policy(case, policy: InsurancePolicy, *, limits: pd.DataFrame | None = None,
                              items: pd.DataFrame | None = None, debts: pd.DataFrame | None = None,
                              year: int = 2025) -> PolicyEvaluation:
    """`compare_insurance_offers` for one policy, with any parameters and limits (e.g. `limit_scenario`).

    `limits` defaults to `case.insurance_limits`; `items` to the open items at the case's date; `debts` to
    `insolvency_debts(case)` (pass them to evaluate many variants quickly).
    """
    limits = case.insurance_limits if limits is None else limits
    sub = replace(case, insurance_limits=limits)
    items = case.open_items(case.as_of) if items is None else items
    cost = case_policy_cost(sub, policy, year)
    cov = coverage(items, case.customers, limits, policy)
    past = past_insolvencies_cost(sub, policy, cost.premium, debts)
    exposure, covered = float(cov["exposure"].sum()), float(cov["covered"].sum())
    historical = float(past["indemnity_paid"].sum())
    annual = historical / case.financials["year"].nunique()
    return PolicyEvaluation(policy, cost, cov, past, exposure, covered, float(cov["residual"].sum()),
                            covered / exposure if exposure else math.nan, historical, annual, cost.total - annual)


def policy_variants(case, base: InsurancePolicy, variants: dict[str, dict], *, limits: pd.DataFrame | None = None,
                    items: pd.DataFrame | None = None, debts: pd.DataFrame | None = None,
                    year: int = 2025) -> pd.DataFrame:
    """The base policy, then each variant (`{label: {parameter: value}}`, each applied to the base alone):
    premium, fees, total cost, covered exposure, coverage rate, average annual indemnity, net cost, and the
    change in total and net cost against the base."""
    items = case.open_items(case.as_of) if items is None else items
    debts = insolvency_debts(case) if debts is None else debts
    rows = []
    for label, changes in {"Offre de base": {}, **variants}.items():
        ev = evaluate_insurance_policy(case, replace(base, **changes), limits=limits, items=items, debts=debts,
                                       year=year)
        rows.append(dict(variant=label, premium=ev.cost.premium,
                         fees=ev.cost.limit_request_fees + ev.cost.monitoring_fees, total_cost=ev.cost.total,
                         covered=ev.covered, coverage_rate=ev.coverage_rate, annual_indemnity=ev.annual_indemnity,
                         net_cost=ev.net_cost))
    df = pd.DataFrame(rows)
    df["total_change"] = df["total_cost"] - df["total_cost"].iloc[0]
    df["net_change"] = df["net_cost"] - df["net_cost"].iloc[0]
    return df


def saving_by_component(direct: PolicyCost, brokered: PolicyCost) -> pd.DataFrame:
    """The cost of two offers component by component (premium, limit request fees, monitoring fees, total) and
    the saving of the second on the first; the savings add up to `broker_saving(direct, brokered).amount`."""
    names = {"premium": "Prime", "limit_request_fees": "Frais d'étude des demandes d'agrément",
             "monitoring_fees": "Frais de surveillance des acheteurs", "total": "Coût total"}
    df = pd.DataFrame({"component": list(names), "label": list(names.values()),
                       "direct": [getattr(direct, k) for k in names],
                       "brokered": [getattr(brokered, k) for k in names]})
    df["saving"] = df["direct"] - df["brokered"]
    return df


def offer_terms_table(offers: dict[str, InsurancePolicy]) -> pd.DataFrame:
    """The terms of several offers side by side, French labels and formats (one row per term, one column per
    offer), for display."""
    def yes_no(value):
        return "oui" if value else "non"

    terms = [
        ("Assureur", lambda p: p.insurer),
        ("Courtier", lambda p: p.broker if p.via_broker else "aucun (offre directe)"),
        ("Type de police", lambda p: p.policy_type),
        ("Taux de prime", lambda p: f"{fmt.percent(p.premium_rate, 2)} du {p.premium_basis}"),
        ("Prime minimale annuelle", lambda p: fmt.euros(p.minimum_premium, 0)),
        ("Quotité garantie (acheteurs agréés)", lambda p: fmt.percent(p.quotite, 0)),
        ("Limite discrétionnaire (non dénommés)", lambda p: fmt.euros(p.discretionary_limit, 0)),
        ("Quotité garantie (non dénommés)", lambda p: fmt.percent(p.discretionary_quotite, 0)),
        ("Franchise par sinistre", lambda p: fmt.euros(p.per_claim_deductible, 0)),
        ("Franchise annuelle globale", lambda p: fmt.euros(p.aggregate_deductible, 0)),
        ("Plafond annuel d'indemnisation", lambda p: f"{fmt.number(p.max_indemnity_multiple)} × la prime"),
        ("Frais par demande d'agrément", lambda p: fmt.euros(p.limit_request_fee, 0)),
        ("Frais de surveillance par acheteur agréé et par an", lambda p: fmt.euros(p.monitoring_fee_per_buyer, 0)),
        ("Prorogation maximale sans déclaration (jours après l'échéance)", lambda p: str(p.max_extension_days)),
        ("Délai constitutif de sinistre (jours après l'échéance)", lambda p: str(p.waiting_period_days)),
        ("Délai d'indemnisation (jours après constitution)", lambda p: str(p.payment_delay_days)),
        ("Ventes à l'export couvertes", lambda p: yes_no(p.insured_share_export)),
    ]
    df = pd.DataFrame({key: [f(p) for _, f in terms] for key, p in offers.items()},
                      index=[label for label, _ in terms])
    df.index.name = "Condition"
    return df


def declaration_summary(todo: pd.DataFrame) -> pd.DataFrame:
    """Count and overdue amount of the customers of `overdue_declarations`, by status ("late" then "soon"),
    with French labels; both rows are present, at 0 when no customer is concerned."""
    rows = []
    for status, label in DECLARATION_STATUS.items():
        part = todo[todo["status"] == status]
        rows.append(dict(status=status, label=label, customers=int(len(part)),
                         overdue_amount=round(float(part["overdue_amount"].sum()), 2)))
    return pd.DataFrame(rows)
