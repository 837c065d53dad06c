"""Outsourced collection ("recouvrement externalisé"): in-house cost, agency fees, insourcing, real cost.

* Age bands of overdue debt: 0–90, 91–180, 181–365 and over 365 days past the due date. A provider's success
  fee and announced recovery rate depend on the band of a file **when it is transmitted**.
* Recovery curve: the share of a transmitted debt eventually collected, by band. Each offer states its own;
  the in-house default `DEFAULT_IN_HOUSE_RECOVERY` = 90 %, 65 %, 40 %, 15 % is the usual order of magnitude of
  the loss of value of a trade debt with age (after 3 months a debt is worth about 70 % of its face value,
  after a year about 25 %); measure your own with `historical_recovery`.
* Real cost of an option = provider fees (success fees + file fees + subscription, at least the annual
  minimum) + internal cost that remains (collectors' loaded salaries + overhead + tools − FTE saved × loaded
  cost per FTE); net cash = amounts recovered − real cost. Files the provider does not take (below its minimum
  amount, or disputed when it does not handle disputes) stay in-house at the in-house recovery rate.
  Insourcing (the provider's people or tools inside the company) is the same formula with a subscription and
  no success fee.
* Fees are taken excl. VAT (the VAT on the provider's invoices is recovered); debts and recoveries incl. VAT.

Example: `agency_cost(offer, {"0-90": 10_000}, files=1).success_fees` with an 8 % fee and an 88 % recovery
→ 10 000 × 88 % × 8 % = 704.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd

from casekit import fmt, plots
from casekit.dates import to_timestamp
from casekit.errors import DataError

BANDS = ("0-90", "91-180", "181-365", ">365")
BAND_LABELS = {"0-90": "0 à 90 jours", "91-180": "91 à 180 jours", "181-365": "181 à 365 jours",
               ">365": "Plus de 365 jours"}
SUFFIX = {"0-90": "0_90", "91-180": "91_180", "181-365": "181_365", ">365": "over_365"}
DEFAULT_IN_HOUSE_RECOVERY = (0.90, 0.65, 0.40, 0.15)
HOURS_PER_FTE = 1607  # legal annual working time in France (35-hour week, leave, holidays, solidarity day)
IN_HOUSE = "INTERNE"


def age_band(days_overdue) -> pd.Series:
    """Band code of each number of days overdue (≤ 90 → "0-90", …, > 365 → ">365")."""
    days = pd.Series(days_overdue)
    return pd.Series(np.select([days <= 90, days <= 180, days <= 365], BANDS[:3], BANDS[3]), index=days.index)


def _ratio_or_nan(a: float, b: float) -> float:
    return a / b if b > 0 else math.nan


def _check_rates(obj, names):
    for name in names:
        if not 0 <= getattr(obj, name) <= 1:
            raise DataError(f"« {name} » doit être un taux entre 0 et 1 (reçu : {getattr(obj, name)})")


@dataclass(frozen=True)
class CollectionOffer:
    """The parameters of a collection offer (one row of `collection_offers`, same names and units)."""

    offer_id: str = "offre"
    provider: str = ""
    model: str = "Agence de recouvrement"
    file_fee: float = 0.0
    annual_subscription: float = 0.0
    minimum_annual_fee: float = 0.0
    success_fee_0_90: float = 0.0
    success_fee_91_180: float = 0.0
    success_fee_181_365: float = 0.0
    success_fee_over_365: float = 0.0
    recovery_0_90: float = DEFAULT_IN_HOUSE_RECOVERY[0]
    recovery_91_180: float = DEFAULT_IN_HOUSE_RECOVERY[1]
    recovery_181_365: float = DEFAULT_IN_HOUSE_RECOVERY[2]
    recovery_over_365: float = DEFAULT_IN_HOUSE_RECOVERY[3]
    min_file_amount: float = 0.0
    handles_disputes: bool = False
    internal_fte_saved: float = 0.0

    def __post_init__(self):
        _check_rates(self, [f"{kind}_{SUFFIX[b]}" for kind in ("success_fee", "recovery") for b in BANDS])
        for name in ("file_fee", "annual_subscription", "minimum_annual_fee", "min_file_amount",
                     "internal_fte_saved"):
            if getattr(self, name) < 0:
                raise DataError(f"« {name} » ne peut pas être négatif (reçu : {getattr(self, name)})")

    @property
    def success_fees(self) -> dict[str, float]:
        return {b: getattr(self, f"success_fee_{SUFFIX[b]}") for b in BANDS}

    @property
    def recovery_rates(self) -> dict[str, float]:
        return {b: getattr(self, f"recovery_{SUFFIX[b]}") for b in BANDS}

    def scaled(self, fee_scale: float = 1.0, recovery_scale: float = 1.0) -> CollectionOffer:
        """A copy with every success fee × `fee_scale` and every recovery rate × `recovery_scale` (capped at
        1)."""
        fees, rates = self.success_fees, self.recovery_rates
        changes = {f"success_fee_{SUFFIX[b]}": min(fees[b] * fee_scale, 1.0) for b in BANDS}
        changes |= {f"recovery_{SUFFIX[b]}": min(rates[b] * recovery_scale, 1.0) for b in BANDS}
        return replace(self, **changes)

    @classmethod
    def from_row(cls, row) -> CollectionOffer:
        """From a row (Series or dict) of `case.collection_offers`."""
        values = {f.name: row[f.name] for f in fields(cls) if f.name in row}
        if "handles_disputes" in values:
            values["handles_disputes"] = bool(values["handles_disputes"])
        return cls(**values)

    @classmethod
    def offers_from_table(cls, df: pd.DataFrame) -> dict[str, CollectionOffer]:
        """`{offer_id: CollectionOffer}` from `case.collection_offers`, in table order."""
        return {str(r["offer_id"]): cls.from_row(r) for _, r in df.iterrows()}


@dataclass(frozen=True)
class InHouseTeam:
    """The in-house collection team: FTE, their loaded salaries, overhead, tools and recovery curve."""

    fte: float
    salaries: float
    overhead: float = 0.0
    tools: float = 0.0
    recovery: tuple = DEFAULT_IN_HOUSE_RECOVERY

    def __post_init__(self):
        if self.fte <= 0 or min(self.salaries, self.overhead, self.tools) < 0:
            raise DataError("l'équipe interne doit compter au moins un ETP et des coûts positifs")
        if len(self.recovery) != 4 or not all(0 <= r <= 1 for r in self.recovery):
            raise DataError("la courbe de recouvrement interne compte quatre taux entre 0 et 1")

    @property
    def total_cost(self) -> float:
        return self.salaries + self.overhead + self.tools

    @property
    def cost_per_fte(self) -> float:
        """Average loaded salary of one FTE (what one FTE saved is worth)."""
        return self.salaries / self.fte

    @property
    def recovery_rates(self) -> dict[str, float]:
        return dict(zip(BANDS, self.recovery))

    @classmethod
    def from_case(cls, case, tools: float = 0.0, recovery=DEFAULT_IN_HOUSE_RECOVERY) -> InHouseTeam:
        """The fil rouge team: Σ FTE, Σ loaded cost of `collectors`, `company.collection_team_overhead` (which
        already includes tools, premises and management: `tools` adds any extra)."""
        return cls(float(case.collectors["fte"].sum()), float(case.collectors["loaded_annual_cost"].sum()),
                   float(case.company["collection_team_overhead"].iloc[0]), tools, tuple(recovery))


@dataclass(frozen=True)
class InHouseCost:
    total: float
    files: int
    amount_collected: float
    cost_per_file: float       # total / files
    cost_per_euro: float       # total / amount collected
    hourly_cost: float         # total / (FTE × 1 607 h)
    time_cost_per_file: float  # hours per file × hourly cost (NaN without hours per file)
    capacity_files: float      # FTE × 1 607 h / hours per file (NaN without hours per file)


def in_house_cost(team: InHouseTeam, files: int, amount_collected: float,
                  hours_per_file: float | None = None) -> InHouseCost:
    """Cost of the in-house team per file and per euro collected; with `hours_per_file`, the cost of the time
    spent on one file and the number of files the team can handle in a year."""
    total = team.total_cost
    hourly = total / (team.fte * HOURS_PER_FTE)
    hours = hours_per_file if hours_per_file else math.nan
    return InHouseCost(total, files, amount_collected, _ratio_or_nan(total, files),
                       _ratio_or_nan(total, amount_collected), hourly, hours * hourly,
                       team.fte * HOURS_PER_FTE / hours)


@dataclass(frozen=True)
class AgencyCost:
    transmitted: float
    recovered: float
    success_fees: float
    file_fees: float
    subscription: float
    minimum_top_up: float   # added to reach the minimum annual fee
    fees: float
    net_recovered: float    # recovered − fees


def agency_cost(offer: CollectionOffer, transmitted_by_band, files: int, recovery=None) -> AgencyCost:
    """Fees and net recovery on the debts transmitted (`{band: amount incl. VAT}`) in `files` files.

    Recovered = Σ amount × recovery rate of its band (the offer's, or `recovery` `{band: rate}`); success fees
    = Σ recovered × fee of the band; fees = max(success + files × file fee + subscription, minimum annual
    fee).
    """
    amounts = pd.Series(dict(transmitted_by_band), dtype=float).reindex(list(BANDS), fill_value=0.0)
    rates = pd.Series(recovery or offer.recovery_rates).reindex(list(BANDS))
    return _agency_cost(offer, amounts.to_numpy(), files, rates.to_numpy(dtype=float))


def _agency_cost(offer: CollectionOffer, amounts: np.ndarray, files: int, rates: np.ndarray) -> AgencyCost:
    """`agency_cost` on arrays in `BANDS` order (a missing rate is NaN: its band recovers nothing)."""
    if (amounts < 0).any() or files < 0:
        raise DataError("les montants transmis et le nombre de dossiers ne peuvent pas être négatifs")
    recovered = amounts * rates
    success = float(np.nansum(recovered * np.array([offer.success_fees[b] for b in BANDS], dtype=float)))
    before = success + files * offer.file_fee + offer.annual_subscription
    fees = max(before, offer.minimum_annual_fee)
    total = float(np.nansum(recovered))
    return AgencyCost(float(np.nansum(amounts)), total, success, files * offer.file_fee,
                      offer.annual_subscription, fees - before, fees, total - fees)


def overdue_stock(open_items: pd.DataFrame, as_of, min_days: int = 1, exclude_customers=()) -> pd.DataFrame:
    """Open items overdue by at least `min_days` at `as_of`, with `days_overdue`, `band` and `file_id` (one
    file per customer). `exclude_customers`: e.g. customers in a collective procedure (their debts are
    declared to the court-appointed representative, not collected)."""
    as_of = to_timestamp(as_of)
    days = (as_of - open_items["due_date"]).dt.days
    excluded = open_items["customer_id"].isin(list(exclude_customers))
    keep = (open_items["amount"] > 0) & (days >= min_days) & ~excluded
    df = open_items.loc[keep, ["customer_id", "document_ref", "amount", "disputed"]].copy()
    df["days_overdue"] = days[keep]
    df["band"] = age_band(df["days_overdue"])
    df["file_id"] = df["customer_id"] + ":stock"
    df["source"] = "stock"
    return df.reset_index(drop=True)


def overdue_flow(invoices: pd.DataFrame, payments: pd.DataFrame, as_of, handover_days: int = 60,
                 disputes: pd.DataFrame | None = None, exclude_customers=()) -> pd.DataFrame:
    """A year of files: invoices whose handover date (due date + `handover_days`) falls in the 365 days to
    `as_of` and still unpaid on that date, with the amount then open (allocations dated on or before it).

    One file per customer and month of handover; the band is that of `handover_days`; `disputed` is true when
    a dispute (`disputes`, optional) is open at the handover date.
    """
    as_of = to_timestamp(as_of)
    inv = invoices[["customer_id", "document_ref", "due_date", "amount_incl_vat"]]
    handover = inv["due_date"] + pd.Timedelta(days=handover_days)
    keep = ((inv["amount_incl_vat"] > 0) & ~inv["customer_id"].isin(list(exclude_customers))
            & (handover > as_of - pd.Timedelta(days=365)) & (handover <= as_of))
    inv = inv[keep].assign(handover=handover[keep])
    alloc = payments.merge(inv[["document_ref", "handover"]], on="document_ref")
    paid = alloc[alloc["payment_date"] <= alloc["handover"]].groupby("document_ref")["amount"].sum()
    open_amount = (inv["amount_incl_vat"] - inv["document_ref"].map(paid).fillna(0.0)).round(2)
    df = inv.loc[open_amount > 0.005, ["customer_id", "document_ref", "handover"]].assign(
        amount=open_amount[open_amount > 0.005], days_overdue=handover_days)
    df["disputed"] = False
    if disputes is not None and not df.empty:
        d = disputes.merge(df[["document_ref", "handover"]], on="document_ref")
        still_open = d["closed_date"].isna() | (d["closed_date"] > d["handover"])
        open_then = d[(d["opened_date"] <= d["handover"]) & still_open]
        df["disputed"] = df["document_ref"].isin(open_then["document_ref"])
    df["band"] = age_band(df["days_overdue"]).to_numpy() if not df.empty else []
    df["file_id"] = df["customer_id"] + ":" + df["handover"].dt.strftime("%Y-%m")
    df["source"] = "flow"
    return df.drop(columns="handover").reset_index(drop=True)


def collection_portfolio(case, as_of=None, handover_days: int = 60) -> pd.DataFrame:
    """The fil rouge's first year of outsourcing: the overdue stock at `as_of` (items more than
    `handover_days` overdue) + a year of new files estimated by the past year's flow; customers in a
    collective procedure are left out. Default: files handed over after the internal reminders, at 60 days
    overdue (try 30 or 90: the earlier the handover, the larger the flow and the success fees)."""
    as_of = case.as_of if as_of is None else to_timestamp(as_of)
    failed = case.customers.loc[case.customers["insolvency_date"] <= as_of, "customer_id"]
    stock = overdue_stock(case.open_items(as_of), as_of, handover_days + 1, failed)
    flow = overdue_flow(case.invoices, case.payments, as_of, handover_days, case.disputes, failed)
    return pd.concat([stock, flow], ignore_index=True)


@dataclass(frozen=True)
class Takeover:
    """What an option takes of a set of files: the amounts incl. VAT handed over and kept in-house, by band
    (arrays in `BANDS` order), and the number of files handed over. It depends only on the offer's minimum file
    amount and its handling of disputes, not on its fees or recovery rates."""

    transmitted: np.ndarray
    kept: np.ndarray
    files: int


def takeovers(files: pd.DataFrame, offers, known: dict | None = None) -> list[Takeover]:
    """What each option of `offers` (None = in-house: nothing handed over) takes of `files` (`file_id`, `band`,
    `amount`, `disputed`): the files whose total reaches its minimum amount, disputed ones only if it handles
    disputes. Computed once per take rule (minimum amount, disputes); `known`: `{rule: Takeover}` already
    computed on the same files, completed in place (to reuse them from one call to the next)."""
    known = {} if known is None else known
    rules = [None if o is None else (o.min_file_amount, o.handles_disputes) for o in offers]
    missing = {rule: offer for offer, rule in zip(offers, rules) if rule not in known}
    if missing:
        totals = files.groupby("file_id")["amount"].transform("sum")
        amount, band = files["amount"], files["band"]
        by_band = lambda mask: amount[mask].groupby(band[mask]).sum().reindex(list(BANDS), fill_value=0.0).to_numpy()  # noqa: E731
        for rule, offer in missing.items():
            taken = (pd.Series(False, index=files.index) if offer is None
                     else (totals >= offer.min_file_amount) & (offer.handles_disputes | ~files["disputed"]))
            known[rule] = Takeover(by_band(taken), by_band(~taken), int(files["file_id"][taken].nunique()))
    return [known[rule] for rule in rules]


def option_result(files: pd.DataFrame, team: InHouseTeam, offer: CollectionOffer | None = None) -> dict:
    """Real cost and net cash of one option on `files` (`file_id`, `band`, `amount`, `disputed`); None =
    in-house."""
    return _option_rows(files, team, [offer])[0]


def _option_rows(files: pd.DataFrame, team: InHouseTeam, offers, known: dict | None = None) -> list[dict]:
    """`option_result` of each option of `offers` (None = in-house); `known`: see `takeovers`."""
    count, amount = int(files["file_id"].nunique()), float(files["amount"].sum())
    return [_option_row(team, offer, taken, count, amount)
            for offer, taken in zip(offers, takeovers(files, offers, known))]


def _option_row(team: InHouseTeam, offer: CollectionOffer | None, taken: Takeover, files: int,
                amount: float) -> dict:
    """`option_result` from what the option takes of the files, their number and their amount."""
    recovered_in = float((taken.kept * np.array(team.recovery, dtype=float)).sum())
    fte_saved = 0.0 if offer is None else min(offer.internal_fte_saved, team.fte)
    internal = team.total_cost - fte_saved * team.cost_per_fte
    if offer is None:
        ext = AgencyCost(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    else:
        rates = np.array([offer.recovery_rates[b] for b in BANDS], dtype=float)
        ext = _agency_cost(offer, taken.transmitted, taken.files, rates)
    recovered = ext.recovered + recovered_in
    real = ext.fees + internal
    return dict(option_id=IN_HOUSE if offer is None else offer.offer_id,
                provider="Équipe interne" if offer is None else offer.provider,
                model="Interne" if offer is None else offer.model, files=files,
                amount=amount, transmitted=ext.transmitted,
                kept_in_house=float(taken.kept.sum()),
                recovered=recovered, success_fees=ext.success_fees, other_fees=ext.fees - ext.success_fees,
                fees=ext.fees, fte_saved=fte_saved, internal_cost=internal, real_cost=real,
                net_cash=recovered - real, cost_per_euro=_ratio_or_nan(real, recovered),
                file_fees=ext.file_fees, subscription=ext.subscription, minimum_top_up=ext.minimum_top_up,
                internal_cost_saved=team.total_cost - internal)


def compare_options(files: pd.DataFrame, team: InHouseTeam, offers, *, known: dict | None = None) -> pd.DataFrame:
    """The decision table: in-house, then each offer; differences against in-house and the best net cash.
    `known`: what the offers take of `files`, if already computed (see `takeovers`)."""
    df = pd.DataFrame(_option_rows(files, team, [None, *offers], known))
    df["extra_cost_vs_in_house"] = df["real_cost"] - df.at[0, "real_cost"]
    df["net_cash_vs_in_house"] = df["net_cash"] - df.at[0, "net_cash"]
    df["best"] = df["net_cash"].eq(df["net_cash"].max())
    return df


def real_cost_of_options(case, as_of=None, handover_days: int = 60, team: InHouseTeam | None = None,
                         offers=None) -> pd.DataFrame:
    """The decision table on the fil rouge (`collection_portfolio`): in-house, each agency, insourcing."""
    team = InHouseTeam.from_case(case) if team is None else team
    if offers is None:
        offers = list(CollectionOffer.offers_from_table(case.collection_offers).values())
    return compare_options(collection_portfolio(case, as_of, handover_days), team, offers)


def sensitivity(files: pd.DataFrame, team: InHouseTeam, offers, fee_scales=(0.0, 0.5, 1.0, 1.5),
                recovery_scales=(0.8, 0.9, 1.0, 1.1), *, known: dict | None = None) -> pd.DataFrame:
    """Grid of real cost and net cash per option when the providers' success fees and announced recovery rates
    are multiplied by each scale (the in-house curve is kept: it is the reference). `known`: see `takeovers`."""
    grid = [(f, r) for f in fee_scales for r in recovery_scales]
    scaled = [offer.scaled(f, r) for offer in offers for f, r in grid]  # what an offer takes does not change
    base, *results = _option_rows(files, team, [None, *scaled], known)
    rows = [dict(option_id=IN_HOUSE, fee_scale=f, recovery_scale=r, real_cost=base["real_cost"],
                 net_cash=base["net_cash"]) for f, r in grid]
    rows += [dict(option_id=res["option_id"], fee_scale=f, recovery_scale=r, real_cost=res["real_cost"],
                  net_cash=res["net_cash"]) for res, (f, r) in zip(results, grid * len(offers))]
    return pd.DataFrame(rows)


def historical_recovery(open_items: pd.DataFrame, payments: pd.DataFrame, start, horizon_days: int = 365,
                        exclude_customers=()) -> pd.DataFrame:
    """Your own recovery curve: of the debts overdue at `start` (open items at that date), the share of each
    band paid in cash within `horizon_days` (allocations dated after `start`; credit-note offsets
    excluded)."""
    start = to_timestamp(start, "start")
    stock = overdue_stock(open_items, start, 1, exclude_customers)
    end = start + pd.Timedelta(days=horizon_days)
    cash = payments[(payments["payment_date"] > start) & (payments["payment_date"] <= end)
                    & (payments["payment_method"] != "Imputation d'avoir")]
    stock["paid"] = stock["document_ref"].map(cash.groupby("document_ref")["amount"].sum()).fillna(0.0)
    stock["paid"] = stock["paid"].clip(upper=stock["amount"])
    out = stock.groupby("band")[["amount", "paid"]].sum().reindex(list(BANDS), fill_value=0.0)
    out["recovery_rate"] = (out["paid"] / out["amount"]).where(out["amount"] > 0)
    return out.rename_axis("band").reset_index()


def plot_options(results: pd.DataFrame):
    """Real cost and net cash of each collection option."""
    fig, ax = plots.new_figure("Recouvrement : coût réel et trésorerie nette par option", ylabel="€")
    x = np.arange(len(results))
    ax.bar(x - 0.2, results["real_cost"], 0.4, label="Coût réel", color=plots.PALETTE[1])
    ax.bar(x + 0.2, results["net_cash"], 0.4, label="Trésorerie nette récupérée", color=plots.PALETTE[0])
    ax.set_xticks(x, results["option_id"] + "\n" + results["provider"])
    plots.euro_axis(ax, "y", "k€")
    ax.margins(y=0.22)  # room above the bars for the legend
    ax.legend(loc="upper left", ncol=2)
    return fig


def plot_sensitivity(grid: pd.DataFrame, fee_scale: float = 1.0):
    """Net cash of each option against the providers' recovery rates (× scale), at one success-fee scale."""
    fig, ax = plots.new_figure("Sensibilité au taux de recouvrement des prestataires",
                               xlabel="Taux de recouvrement annoncé (× coefficient)",
                               ylabel="Trésorerie nette")
    data = grid[np.isclose(grid["fee_scale"], fee_scale)]
    for i, (option, g) in enumerate(data.groupby("option_id", sort=False)):
        ax.plot(g["recovery_scale"], g["net_cash"], marker="o", color=plots.PALETTE[i % len(plots.PALETTE)],
                label="Équipe interne" if option == IN_HOUSE else option,
                linestyle="--" if option == IN_HOUSE else "-")
    plots.percent_axis(ax, "x")
    plots.euro_axis(ax, "y", "M€")
    if len(data):
        ax.set_ylim(*plots.nice_bounds(data["net_cash"].min(), data["net_cash"].max()))  # steady while sliders move
    ax.legend(title=f"Honoraires × {str(fee_scale).replace('.', ',')}")
    return fig


# --- Notebook 09: scope of a handover, choosing a provider, trade-offs, digital tools, thresholds -------------

SCOPE_LABELS = {
    "overdue": "Pièces échues depuis plus de {days} jours",
    "insolvent": "dont clients en procédure collective (créance à déclarer au mandataire judiciaire)",
    "disputed": "dont pièces en litige (à instruire avant toute transmission)",
    "small": "dont dossiers sous le montant minimal du prestataire ({minimum})",
    "transferable": "Transmissible au prestataire",
    "to_reconcile": "À rapprocher avant transmission : avoirs et règlements non lettrés de ces clients",
}


def insolvent_customer_ids(customers: pd.DataFrame, as_of) -> list[str]:
    """Customers whose collective procedure (`insolvency_date`) was opened on or before `as_of`, sorted."""
    as_of = to_timestamp(as_of)
    if "insolvency_date" not in customers:
        return []
    return sorted(customers.loc[customers["insolvency_date"] <= as_of, "customer_id"].astype(str))


def handover_scope(open_items: pd.DataFrame, as_of, handover_days: int = 60, min_file_amount: float = 0.0,
                   handles_disputes: bool = False, exclude_customers=()) -> pd.DataFrame:
    """What a provider could take over at `as_of`: the open invoices more than `handover_days` overdue, split
    into what cannot or should not be handed over and what can (one file per customer, as in
    `overdue_stock`).

    Rows (`category`): `overdue` (the total) = `insolvent` (customers of `exclude_customers`: a collective
    procedure, whose debts are declared to the court-appointed representative) + `disputed` (disputed items,
    unless the provider `handles_disputes`) + `small` (the other items of files whose total, disputed items
    included, is under `min_file_amount`, the rule of `option_result`) + `transferable`; then
    `to_reconcile`, for information: the credit notes and unallocated receipts (negative open items) of the
    customers with overdue items, to reconcile before handing anything over. Columns: `label` (French),
    `items`, `files` (customers), `amount` (positive), `share` (of the overdue amount; NaN for
    `to_reconcile`).
    """
    as_of = to_timestamp(as_of)
    if handover_days < 0 or min_file_amount < 0:
        raise DataError("le seuil de transmission et le montant minimal d'un dossier ne peuvent pas être négatifs")
    stock = overdue_stock(open_items, as_of, handover_days + 1)
    excluded = stock["customer_id"].isin([str(c) for c in exclude_customers])
    disputed = ~excluded & stock["disputed"].astype(bool) & (not handles_disputes)
    totals = stock.groupby("file_id")["amount"].transform("sum")
    small = ~excluded & ~disputed & (totals < min_file_amount)
    transferable = ~excluded & ~disputed & ~small
    credits = open_items[(open_items["amount"] < 0) & open_items["customer_id"].isin(stock["customer_id"])]
    overdue_amount = float(stock["amount"].sum())

    def row(category, items, amount, files):
        return dict(category=category, items=int(items), files=int(files), amount=float(amount),
                    share=_ratio_or_nan(float(amount), overdue_amount) if category != "to_reconcile" else math.nan)

    rows = [row("overdue", len(stock), overdue_amount, stock["customer_id"].nunique())]
    for category, mask in (("insolvent", excluded), ("disputed", disputed), ("small", small),
                           ("transferable", transferable)):
        part = stock[mask]
        rows.append(row(category, len(part), part["amount"].sum(), part["customer_id"].nunique()))
    rows.append(row("to_reconcile", len(credits), -credits["amount"].sum(), credits["customer_id"].nunique()))
    out = pd.DataFrame(rows)
    minimum = fmt.euros(min_file_amount, 0)
    out.insert(1, "label", [SCOPE_LABELS[c].format(days=handover_days, minimum=minimum) for c in out["category"]])
    return out


def provider_scorecard(scores: pd.DataFrame, weights, eliminatory=None) -> pd.DataFrame:
    """A weighted scoring grid of providers.

    `scores`: one row per criterion (index), one column per provider, marks from 0 to 5; `weights`:
    {criterion: weight} (any positive numbers, normalised to 100 %); `eliminatory`: {criterion: minimum mark}
    — a provider below it on any of them is set aside whatever its total (e.g. the legal conditions of
    R124-2 and R124-3 CPCE). One row per provider: `weighted_score` (/5), `score_20` (/20), `eliminated`,
    `reason` (French) and `rank` (1 = best among those kept; NaN when eliminated).

    Example: two criteria weighted 3 and 1, marks 4 and 2 → (3 × 4 + 1 × 2) / 4 = 3,5 / 5 = 14 / 20.
    """
    weights = pd.Series(weights, dtype=float)
    missing = sorted(set(scores.index) ^ set(weights.index))
    if missing:
        raise DataError(f"critères sans poids ou sans note : {', '.join(map(str, missing))}")
    if (weights < 0).any() or weights.sum() <= 0:
        raise DataError("les poids des critères doivent être positifs (au moins un non nul)")
    marks = scores.astype(float)
    if marks.isna().any().any() or ((marks < 0) | (marks > 5)).any().any():
        raise DataError("chaque note doit être comprise entre 0 et 5")
    share = weights.reindex(marks.index) / weights.sum()
    weighted = marks.mul(share, axis=0).sum()
    rows = []
    for provider in marks.columns:
        below = [f"{criterion} : {_fmt_mark(marks.at[criterion, provider])} < {_fmt_mark(minimum)}"
                 for criterion, minimum in (eliminatory or {}).items() if marks.at[criterion, provider] < minimum]
        rows.append(dict(provider=provider, weighted_score=float(weighted[provider]),
                         score_20=float(weighted[provider]) * 4, eliminated=bool(below),
                         reason=("Écarté (critère éliminatoire) – " + " ; ".join(below)) if below else ""))
    out = pd.DataFrame(rows)
    kept = out.loc[~out["eliminated"], "weighted_score"]
    out["rank"] = kept.rank(ascending=False, method="min").reindex(out.index)
    return out


def _fmt_mark(value: float) -> str:
    """A mark out of 5 the French way: 3 → `3`, 3.5 → `3,5`."""
    return f"{value:g}".replace(".", ",")


def option_tradeoffs(results: pd.DataFrame) -> pd.DataFrame:
    """The pros and cons of each option of `compare_options`, in figures.

    Per option: `hours_freed` (FTE saved × 1 607 h, the time given back to the team), `internal_cost_saved`,
    `share_transmitted` (share of the overdue amount handed to the provider: what the company no longer
    controls), `kept_in_house` (files the provider does not take: disputed, or under its minimum), `fee_rate`
    (provider fees / amount transmitted), `recovered_vs_in_house` (amount recovered − in-house) and
    `cost_per_euro` (real cost / amount recovered).
    """
    base = results.loc[results["option_id"] == IN_HOUSE, "recovered"]
    base_recovered = float(base.iloc[0]) if len(base) else math.nan
    return pd.DataFrame(dict(
        option_id=results["option_id"], provider=results["provider"], model=results["model"],
        hours_freed=results["fte_saved"] * HOURS_PER_FTE, internal_cost_saved=results["internal_cost_saved"],
        share_transmitted=[_ratio_or_nan(t, a) for t, a in zip(results["transmitted"], results["amount"])],
        kept_in_house=results["kept_in_house"],
        fee_rate=[_ratio_or_nan(f, t) for f, t in zip(results["fees"], results["transmitted"])],
        recovered_vs_in_house=results["recovered"] - base_recovered, cost_per_euro=results["cost_per_euro"]))


BREAKDOWN_LABELS = {
    "success_fees": "Honoraires de résultat",
    "file_fees": "Frais de dossier",
    "subscription": "Abonnement (plateforme, mise à disposition)",
    "minimum_top_up": "Complément jusqu'à la facturation minimale",
    "fees": "= Honoraires et frais du prestataire (HT)",
    "internal_cost": "+ Coût interne conservé (équipe, structure)",
    "real_cost": "= Coût réel",
    "internal_cost_saved": "pour mémoire : coût interne économisé",
    "recovered": "Sommes recouvrées (TTC)",
    "net_cash": "= Trésorerie nette (recouvré − coût réel)",
    "extra_cost_vs_in_house": "Écart de coût réel avec l'équipe interne",
    "net_cash_vs_in_house": "Écart de trésorerie nette avec l'équipe interne",
}


def real_cost_breakdown(results: pd.DataFrame) -> pd.DataFrame:
    """The real cost of each option of `compare_options`, component by component: one row per component
    (French labels of `BREAKDOWN_LABELS`), one column per option."""
    table = results.set_index("option_id")[list(BREAKDOWN_LABELS)].T.astype(float)
    table.index = [BREAKDOWN_LABELS[k] for k in table.index]
    table.columns.name = None
    return table


def file_size_profile(files: pd.DataFrame, bounds=(300, 1_000, 5_000, 20_000)) -> pd.DataFrame:
    """The files (`file_id`, `amount`) by size: files and amounts per band of file total, from "under
    bounds[0]" to "bounds[-1] and over". Small files are where automated dunning and digital platforms
    (no minimum, a fee per file) pay; an agency often sets a minimum amount per file."""
    bounds = [float(b) for b in bounds]
    if not bounds or any(b <= a for a, b in zip(bounds, bounds[1:])) or bounds[0] <= 0:
        raise DataError("les bornes de taille des dossiers doivent être positives et croissantes")

    euro = lambda v: fmt.euros(v, 0)  # noqa: E731
    labels = ([f"Moins de {euro(bounds[0])}"] + [f"{euro(a)} à {euro(b)}" for a, b in zip(bounds, bounds[1:])]
              + [f"{euro(bounds[-1])} et plus"])
    totals = files.groupby("file_id")["amount"].sum()
    band = np.searchsorted(bounds, totals.to_numpy(), side="right")
    grouped = pd.DataFrame({"band": band, "amount": totals.to_numpy()}).groupby("band")["amount"]
    out = pd.DataFrame({"size_band": labels,
                        "files": grouped.size().reindex(range(len(labels)), fill_value=0).to_numpy(),
                        "amount": grouped.sum().reindex(range(len(labels)), fill_value=0.0).to_numpy()})
    out["share_files"] = out["files"] / out["files"].sum() if out["files"].sum() else math.nan
    out["share_amount"] = out["amount"] / out["amount"].sum() if out["amount"].sum() else math.nan
    return out


def fee_break_even(fixed_a: float, rate_a: float, fixed_b: float, rate_b: float) -> float:
    """The amount recovered at which two fee schedules cost the same: fixed_a + rate_a × X = fixed_b +
    rate_b × X, so X = (fixed_b − fixed_a) / (rate_a − rate_b). NaN when there is no such positive amount
    (same rates, or one schedule cheaper at any amount).

    Example: an agency at 8 % without subscription against a platform at 24 000 € a year + 5 %: 24 000 / 3 %
    = 800 000 € recovered a year; above it the platform is cheaper.
    """
    if rate_a == rate_b:
        return math.nan
    x = (fixed_b - fixed_a) / (rate_a - rate_b)
    return float(x) if x > 0 else math.nan


def collection_delay_cost(amount: float, days: float, annual_rate: float, basis: int = 360) -> float:
    """The cost of the time: financing `amount` for `days` more (or the saving, for days less) at
    `annual_rate`, base `basis` days: amount × rate × days / basis. Example: 100 000 € × 4,7 % × 30 / 360 =
    391,67 €."""
    if annual_rate < 0 or basis <= 0:
        raise DataError("le taux de financement ne peut pas être négatif")
    return float(amount) * float(annual_rate) * float(days) / basis


def handover_threshold_table(case, thresholds=(30, 45, 60, 90, 120), as_of=None, team: InHouseTeam | None = None,
                             offers=None) -> pd.DataFrame:
    """`real_cost_of_options` for each handover threshold (days overdue at which a file is handed over): one
    row per threshold and option with `threshold`, `option_id`, `provider`, `files`, `amount`, `fees`,
    `real_cost`, `net_cash`, `net_cash_vs_in_house` and `best`. The earlier the handover, the closer to a
    full outsourcing of the collection."""
    frames = []
    for days in thresholds:
        res = real_cost_of_options(case, as_of, int(days), team, offers)
        frames.append(res.assign(threshold=int(days)))
    cols = ["threshold", "option_id", "provider", "files", "amount", "fees", "real_cost", "net_cash",
            "net_cash_vs_in_house", "best"]
    return pd.concat(frames, ignore_index=True)[cols]


def plot_handover_thresholds(table: pd.DataFrame):
    """Net cash of each provider against the in-house team, by handover threshold."""
    fig, ax = plots.new_figure("Gain de trésorerie nette sur l'équipe interne selon le seuil de transmission",
                               xlabel="Seuil de transmission (jours de retard)",
                               ylabel="Trésorerie nette − équipe interne")
    data = table[table["option_id"] != IN_HOUSE]
    for i, (option, g) in enumerate(data.groupby("option_id", sort=False)):
        ax.plot(g["threshold"], g["net_cash_vs_in_house"], marker="o", color=plots.PALETTE[(i + 1) % 8],
                label=f"{option} – {g['provider'].iloc[0]}")
    ax.axhline(0, color="black", linewidth=1)
    ax.set_xticks(sorted(table["threshold"].unique()))
    plots.euro_axis(ax, "y", "k€")
    ax.legend()
    return fig


def plot_scorecard(card: pd.DataFrame):
    """Horizontal bars of the providers' marks /20, eliminated ones greyed."""
    fig, ax = plots.new_figure("Grille de choix du prestataire : note pondérée", xlabel="Note sur 20")
    colors = [plots.PALETTE[5] if e else plots.PALETTE[0] for e in card["eliminated"]]
    bars = ax.barh(card["provider"], card["score_20"], color=colors)
    ax.bar_label(bars, labels=[f"{v:.1f}".replace(".", ",") + (" (écarté)" if e else "")
                               for v, e in zip(card["score_20"], card["eliminated"])], padding=4)
    ax.set_xlim(0, 20)
    ax.set_xticks(range(0, 21, 5))
    plots.number_axis(ax, "x")
    ax.invert_yaxis()
    return fig


def collection_offer_terms(offers: pd.DataFrame) -> pd.DataFrame:
    """The offers of `case.collection_offers` side by side for display: one row per term (French), one column
    per offer, values formatted the French way."""
    yes_no = {True: "oui", False: "non"}
    rows = {"Prestataire": ("provider", str), "Modèle": ("model", str),
            "Frais d'ouverture par dossier (HT)": ("file_fee", lambda v: fmt.euros(v, 0)),
            "Abonnement annuel (HT)": ("annual_subscription", lambda v: fmt.euros(v, 0)),
            "Facturation minimale annuelle (HT)": ("minimum_annual_fee", lambda v: fmt.euros(v, 0))}
    for b in BANDS:
        rows[f"Honoraires de résultat, {BAND_LABELS[b].lower()} de retard"] = (f"success_fee_{SUFFIX[b]}",
                                                                              fmt.percent)
    for b in BANDS:
        rows[f"Taux de recouvrement annoncé, {BAND_LABELS[b].lower()}"] = (f"recovery_{SUFFIX[b]}", fmt.percent)
    rows |= {"Montant minimal d'un dossier (TTC)": ("min_file_amount", lambda v: fmt.euros(v, 0)),
             "Instruit les litiges": ("handles_disputes", lambda v: yes_no[bool(v)]),
             "ETP internes libérés (annoncé)": ("internal_fte_saved", lambda v: fmt.number(v, 1))}
    table = offers.set_index("offer_id")
    out = pd.DataFrame({offer: [f(table.at[offer, col]) for col, f in rows.values()] for offer in table.index},
                       index=list(rows))
    out.columns.name = None
    return out
