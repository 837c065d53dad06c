"""Customer risk in the receivables ledger (module 3): credit limits and blocked orders, where the risk sits
(rating bands, credit insurer's opinion), payment methods and days late, sales reps' portfolios, cost of an
early-payment discount.

Exposure = open items at `as_of` (incl. VAT, credits deducted); overdue = open items past their due date (net of
overdue credits, as in the aged balance). A customer's `external_score` is the latest rating known (1 to 20, 20 =
very low risk): a snapshot of today, not what was known when past credit decisions were taken.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from casekit import fmt
from casekit.credit.forecast import CREDIT_NOTE_OFFSET
from casekit.dates import to_timestamp
from casekit.errors import DataError
from casekit.plots import AGEING_COLORS, PALETTE, euro_axis, new_figure, number_axis

BLOCK_DAYS = 60
USE_BANDS = (0.5, 0.8, 1.0)
SCORE_BANDS = ((1, 5), (6, 10), (11, 15), (16, 20))
REASONS = {"insolvent": "Procédure collective", "over_limit": "Limite dépassée", "late": "Retard de plus de {} jours"}


def _items(open_items: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    return open_items[open_items["document_date"] <= as_of]


def credit_limit_status(open_items: pd.DataFrame, customers: pd.DataFrame, as_of,
                        block_days: int = BLOCK_DAYS) -> pd.DataFrame:
    """Each customer's exposure against its credit limit at `as_of`, and whether new orders should be blocked.

    `customers` needs `customer_id`, `customer_name`, `credit_limit` (incl. VAT; 0 = no credit, payment in
    advance; missing = no limit set); `sales_rep`, `payment_method`, `external_score` and `insolvency_date` are
    carried when present. Index `customer_id` (customers of the master file, then those only in the ledger).
    Columns: `exposure`, `overdue`, `overdue_late` (overdue more than `block_days` days), `disputed` (open
    items in dispute), `max_days_overdue` (oldest undisputed invoice past due, in days; 0 if none),
    `limit_use` (exposure / limit), `headroom` (limit − exposure), `over_limit`, `insolvent` (judgment on or
    before `as_of`), `blocked` and `reason` (the first of: collective procedure, limit exceeded, undisputed
    invoice more than `block_days` days overdue; empty when not blocked).
    Example: limit 10 000 €, exposure 12 000 € → use 120 %, headroom −2 000 €, blocked (« Limite dépassée »).
    """
    as_of = to_timestamp(as_of)
    items = _items(open_items, as_of)
    days = (as_of - items["due_date"]).dt.days
    overdue = days > 0
    ids = items["customer_id"].astype(str)
    master = customers.assign(customer_id=customers["customer_id"].astype(str)).set_index("customer_id")
    index = master.index.append(pd.Index(sorted(set(ids) - set(master.index)))).rename("customer_id")
    out = pd.DataFrame(index=index)
    names = items.groupby(ids)["customer_name"].first()
    out["customer_name"] = master["customer_name"].reindex(index).fillna(names.reindex(index)).astype(object)
    for column in ("sales_rep", "payment_method", "external_score"):
        if column in master:
            out[column] = master[column].reindex(index)
    amount = items["amount"]
    out["exposure"] = amount.groupby(ids).sum().reindex(index, fill_value=0.0)
    out["overdue"] = amount[overdue].groupby(ids[overdue]).sum().reindex(index, fill_value=0.0)
    late = days > block_days
    out["overdue_late"] = amount[late].groupby(ids[late]).sum().reindex(index, fill_value=0.0)
    disputed = items["disputed"].to_numpy(bool)
    out["disputed"] = amount[disputed].groupby(ids[disputed]).sum().reindex(index, fill_value=0.0)
    chased = overdue & ~items["disputed"].astype(bool) & (amount > 0)
    out["max_days_overdue"] = days[chased].groupby(ids[chased]).max().reindex(index, fill_value=0).astype(int)
    limit = master["credit_limit"].astype(float).reindex(index) if "credit_limit" in master else \
        pd.Series(np.nan, index=index)
    out["credit_limit"] = limit
    out["limit_use"] = out["exposure"].clip(lower=0) / limit.where(limit > 0)
    out["headroom"] = limit - out["exposure"]
    out["over_limit"] = (out["exposure"] > limit.fillna(np.inf) + 0.005).astype(bool)
    if "insolvency_date" in master:
        judgment = pd.to_datetime(master["insolvency_date"]).reindex(index)
        out["insolvent"] = (judgment <= as_of).fillna(False).astype(bool)
    else:
        out["insolvent"] = False
    is_late = out["max_days_overdue"] > block_days
    out["blocked"] = out["insolvent"] | out["over_limit"] | is_late
    out["reason"] = np.select([out["insolvent"], out["over_limit"], is_late],
                              [REASONS["insolvent"], REASONS["over_limit"], REASONS["late"].format(block_days)],
                              "")
    money = ["exposure", "overdue", "overdue_late", "disputed", "headroom"]
    out[money] = out[money].round(2) + 0.0
    return out


def risk_overview(status: pd.DataFrame) -> pd.Series:
    """Headline risk figures of a `credit_limit_status` table: `customers` (owing money), `exposure`,
    `overdue`, `disputed`, `over_limit` / `over_limit_exposure`, `blocked` / `blocked_exposure`, `insolvent` /
    `insolvent_exposure` (customers / their exposure)."""
    owing = status[status["exposure"] > 0]
    figures = {"customers": len(owing), "exposure": status["exposure"].sum(), "overdue": status["overdue"].sum(),
               "disputed": status["disputed"].sum()}
    for flag in ("over_limit", "blocked", "insolvent"):
        figures[flag] = int(status[flag].sum())
        figures[f"{flag}_exposure"] = status.loc[status[flag], "exposure"].sum()
    return pd.Series(figures, dtype=object).rename("value")


def format_risk_overview(overview: pd.Series) -> pd.DataFrame:
    """The French display table of `risk_overview`."""
    def share(part):
        return fmt.percent(part / overview["exposure"]) if overview["exposure"] else "–"

    rows = [("Clients avec un encours", fmt.number(overview["customers"]), ""),
            ("Encours clients TTC", fmt.euros(overview["exposure"], 0), ""),
            ("dont échu", fmt.euros(overview["overdue"], 0), share(overview["overdue"])),
            ("dont en litige", fmt.euros(overview["disputed"], 0), share(overview["disputed"])),
            ("Clients au-delà de leur limite de crédit", fmt.number(overview["over_limit"]),
             share(overview["over_limit_exposure"])),
            ("Clients dont les commandes seraient bloquées", fmt.number(overview["blocked"]),
             share(overview["blocked_exposure"])),
            ("Clients en procédure collective", fmt.number(overview["insolvent"]),
             share(overview["insolvent_exposure"]))]
    return pd.DataFrame(rows, columns=["Indicateur", "Valeur", "Part de l'encours"]).set_index("Indicateur")


def exposure_by(status: pd.DataFrame, column: str) -> pd.DataFrame:
    """Customers owing money, exposure, overdue and overdue share grouped by a column of `status`
    (`payment_method`, `sales_rep`…), largest exposure first."""
    if column not in status:
        raise DataError(f"colonne « {column} » absente du tableau des clients")
    owing = status[status["exposure"] > 0]
    grouped = owing.groupby(owing[column].astype(object).fillna("non renseigné"))
    out = pd.DataFrame({"customers": grouped.size(), "exposure": grouped["exposure"].sum(),
                        "overdue": grouped["overdue"].sum()})
    out["overdue_share"] = out["overdue"] / out["exposure"]
    out["share_of_exposure"] = out["exposure"] / out["exposure"].sum() if len(out) else 0.0
    out.index.name = column
    return out.sort_values("exposure", ascending=False, kind="stable")


def sales_by_customer(invoices: pd.DataFrame, start, end) -> pd.Series:
    """Sales incl. VAT (invoices minus credit notes) per customer dated in (`start`, `end`]."""
    start, end = to_timestamp(start, "start"), to_timestamp(end, "end")
    dates = invoices["document_date"]
    window = invoices[(dates > start) & (dates <= end)]
    return window.groupby(window["customer_id"].astype(str))["amount_incl_vat"].sum().rename("sales")


INFORMATION_COLUMNS = ["customer_name", "seniority_years", "payment_method", "days_late", "late_trend", "disputes",
                       "exposure", "credit_limit", "limit_use", "external_score"]


def information_sheet(status: pd.DataFrame, features: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """What the ledger already says about the `top` largest exposures, beside the external rating.

    `features`: `casekit.customer_features` (internal data: `seniority_years`, `days_late` and `late_trend` over
    12 months, `disputes` opened in 12 months). Columns: `INFORMATION_COLUMNS` (years and days rounded to one
    decimal); largest exposure first.
    """
    joined = status.join(features[["seniority_years", "days_late", "late_trend", "disputes"]], how="left")
    owing = joined[joined["exposure"] > 0].sort_values("exposure", ascending=False, kind="stable")
    sheet = owing.head(int(top))[[c for c in INFORMATION_COLUMNS if c in owing]]
    rounded = ["seniority_years", "days_late", "late_trend"]
    return sheet.assign(**{c: sheet[c].astype(float).round(1) + 0.0 for c in rounded})  # + 0.0: no "-0,0"


ACTIONS = {"insolvent": "Procédure collective : déclarer la créance, livrer au comptant",
           "late": "Bloquer les commandes et relancer",
           "review": "Réviser la limite (pas de retard au-delà du seuil)"}


def limit_breaches(status: pd.DataFrame, late_days: int = 30) -> pd.DataFrame:
    """The customers over their credit limit, the excess and the action it calls for.

    `action`: collective procedure → declare the claim, deliver only against cash; an undisputed invoice
    more than `late_days` days overdue → block orders and chase; otherwise the customer is not late beyond that,
    and the limit, probably outdated by the growth of its purchases, should be reviewed. Columns: `customer_name`,
    `sales_rep` (when known), `credit_limit`, `exposure`, `excess`, `max_days_overdue`, `action`; largest
    excess first.
    """
    over = status[status["over_limit"]]
    action = np.select([over["insolvent"], over["max_days_overdue"] > late_days],
                       [ACTIONS["insolvent"], ACTIONS["late"]], ACTIONS["review"])
    columns = ["customer_name"] + (["sales_rep"] if "sales_rep" in over else []) + \
        ["credit_limit", "exposure", "max_days_overdue"]
    out = over[columns].assign(excess=(over["exposure"] - over["credit_limit"]).round(2), action=action)
    out = out[columns[:-1] + ["excess", "max_days_overdue", "action"]]
    return out.sort_values("excess", ascending=False, kind="stable")


def breaches_by_action(breaches: pd.DataFrame) -> pd.DataFrame:
    """`limit_breaches` summed per action: `customers`, `exposure`, `excess` (actions in a fixed order)."""
    grouped = breaches.groupby("action")
    out = pd.DataFrame({"customers": grouped.size(), "exposure": grouped["exposure"].sum(),
                        "excess": grouped["excess"].sum()})
    order = [a for a in (ACTIONS["insolvent"], ACTIONS["late"], ACTIONS["review"]) if a in out.index]
    return out.reindex(order).astype({"customers": int}).round(2)


def _band_labels(bounds) -> list[str]:
    pct = [fmt.percent(b, 0) for b in bounds]
    return ([f"Jusqu'à {pct[0]}"] + [f"{a} à {b}" for a, b in zip(pct, pct[1:])] + [f"Plus de {pct[-1]}"])


def limit_use_bands(status: pd.DataFrame, bands=USE_BANDS) -> pd.DataFrame:
    """Customers with a positive exposure by band of limit use (`limit_use` of `credit_limit_status`).

    Index: French band labels (« Jusqu'à 50 % », « 50 % à 80 % »… « Plus de 100 % »), then « Sans limite »
    for customers without a positive limit. Columns: `customers`, `exposure`, `overdue`, `share_of_exposure`.
    """
    bounds = [float(b) for b in bands]
    if not bounds or any(b <= a for a, b in zip(bounds, bounds[1:])) or bounds[0] <= 0:
        raise DataError(f"tranches d'utilisation {tuple(bands)} invalides : ratios positifs et croissants")
    owing = status[status["exposure"] > 0]
    labels = _band_labels(bounds) + ["Sans limite"]
    use = owing["limit_use"].to_numpy(float)
    position = np.where(np.isnan(use), len(bounds) + 1, np.searchsorted(bounds, use, side="left"))
    grouped = owing.groupby(position)
    out = pd.DataFrame({"customers": grouped.size(), "exposure": grouped["exposure"].sum(),
                        "overdue": grouped["overdue"].sum()}).reindex(range(len(labels)), fill_value=0)
    out.index = pd.Index(labels, name="band")
    out["customers"] = out["customers"].astype(int)
    total = out["exposure"].sum()
    out["share_of_exposure"] = out["exposure"] / total if total else 0.0
    if out.loc["Sans limite", "customers"] == 0:
        out = out.drop(index="Sans limite")
    return out


def exposure_by_score_band(status: pd.DataFrame, bands=SCORE_BANDS) -> pd.DataFrame:
    """Exposure and overdue of the customers owing money by band of `external_score` (latest rating).

    Index: « 1 à 5 »… (lowest ratings = highest risk first). Columns: `customers`, `exposure`, `overdue`,
    `overdue_share` (overdue / exposure), `share_of_exposure`, `insolvent` (customers in collective procedure).
    """
    owing = status[status["exposure"] > 0]
    score = owing["external_score"].astype(float)
    labels = [f"{low} à {high}" for low, high in bands]
    band = pd.Series(pd.NA, index=owing.index, dtype=object)
    for (low, high), label in zip(bands, labels):
        band[(score >= low) & (score <= high)] = label
    grouped = owing.groupby(band)
    out = pd.DataFrame({"customers": grouped.size(), "exposure": grouped["exposure"].sum(),
                        "overdue": grouped["overdue"].sum(),
                        "insolvent": grouped["insolvent"].sum()}).reindex(labels, fill_value=0)
    out.index.name = "score_band"
    out = out.astype({"customers": int, "insolvent": int})
    out["overdue_share"] = out["overdue"] / out["exposure"].where(out["exposure"] > 0)
    total = out["exposure"].sum()
    out["share_of_exposure"] = out["exposure"] / total if total else 0.0
    return out[["customers", "exposure", "overdue", "overdue_share", "share_of_exposure", "insolvent"]]


def insurer_opinion(limits: pd.DataFrame, status: pd.DataFrame, offer_id: str) -> pd.DataFrame:
    """A credit insurer's answer to the limit requests of one offer, with today's exposure on those buyers.

    Index: `decision` (« Accord total », « Accord partiel », « Refus »). Columns: `customers`, `requested`,
    `granted`, `coverage` (granted / requested), `exposure` and `uncovered` (exposure above the granted limit).
    """
    rows = limits[limits["offer_id"] == offer_id]
    if rows.empty:
        raise DataError(f"offre « {offer_id} » absente des demandes de limites")
    exposure = rows["customer_id"].map(status["exposure"]).fillna(0.0).clip(lower=0)
    rows = rows.assign(exposure=exposure, uncovered=(exposure - rows["limit_granted"]).clip(lower=0))
    grouped = rows.groupby("decision")
    out = pd.DataFrame({"customers": grouped.size(), "requested": grouped["limit_requested"].sum(),
                        "granted": grouped["limit_granted"].sum(), "exposure": grouped["exposure"].sum(),
                        "uncovered": grouped["uncovered"].sum()})
    order = [d for d in ("Accord total", "Accord partiel", "Refus") if d in out.index]
    out = out.reindex(order + sorted(set(out.index) - set(order)))
    out["coverage"] = out["granted"] / out["requested"].where(out["requested"] > 0)
    return out[["customers", "requested", "granted", "coverage", "exposure", "uncovered"]].round(4)


def days_late_by_payment_method(invoices: pd.DataFrame, payments: pd.DataFrame, start, end) -> pd.DataFrame:
    """How each payment method paid the invoices settled in (`start`, `end`]: one row per method.

    Each cash allocation to an invoice (credit-note offsets and unallocated receipts excluded) weighs its
    amount at (payment date − due date). Columns: `payments` (allocations), `amount`, `days_late`
    (amount-weighted average, negative when paid early), `on_time` (share of the amount paid on or before the
    due date), `late_30` (share paid more than 30 days late). Sorted by amount, largest first.
    Example: 1 000 € paid 10 days late and 3 000 € on the due date by transfer → 2,5 days, 75 % on time.
    """
    start, end = to_timestamp(start, "start"), to_timestamp(end, "end")
    pay = payments[(payments["amount"] > 0) & (payments["document_ref"].astype(str) != "")
                   & (payments["payment_method"].astype(str) != CREDIT_NOTE_OFFSET)
                   & (payments["payment_date"] > start) & (payments["payment_date"] <= end)]
    due = invoices.loc[invoices["amount_incl_vat"] > 0].set_index("document_ref")["due_date"]
    pay = pay.assign(due_date=pay["document_ref"].map(due)).dropna(subset=["due_date"])
    late = (pay["payment_date"] - pay["due_date"]).dt.days.astype(float)
    frame = pd.DataFrame({"method": pay["payment_method"].astype(str), "amount": pay["amount"].astype(float),
                          "weighted": pay["amount"] * late, "on_time": pay["amount"].where(late <= 0, 0.0),
                          "late_30": pay["amount"].where(late > 30, 0.0)})
    grouped = frame.groupby("method")
    out = pd.DataFrame({"payments": grouped.size(), "amount": grouped["amount"].sum()})
    sums = grouped[["weighted", "on_time", "late_30"]].sum()
    out["days_late"] = sums["weighted"] / out["amount"]
    out["on_time"] = sums["on_time"] / out["amount"]
    out["late_30"] = sums["late_30"] / out["amount"]
    out.index.name = "payment_method"
    return out.sort_values("amount", ascending=False, kind="stable")


@dataclass(frozen=True)
class MethodSwitch:
    """Receivables released if the flow paid by `from_method` were paid with the lateness of `to_method`."""

    from_method: str
    to_method: str
    yearly_amount: float
    days_gained: float
    cash_released: float


def payment_method_switch(by_method: pd.DataFrame, from_method: str, to_method: str,
                          period_days: int = 365) -> MethodSwitch:
    """Cash released = daily flow paid by `from_method` × (its days late − `to_method`'s days late).

    `by_method`: `days_late_by_payment_method` over `period_days` days. Example: 3 650 000 € a year paid by
    transfer 20 days late; SEPA direct debits 5 days late → 10 000 € a day × 15 days = 150 000 €.
    """
    for method in (from_method, to_method):
        if method not in by_method.index:
            raise DataError(f"mode de paiement « {method} » absent (disponibles : {', '.join(by_method.index)})")
    if period_days <= 0:
        raise DataError("durée d'observation invalide")
    flow = float(by_method.loc[from_method, "amount"])
    gained = float(by_method.loc[from_method, "days_late"] - by_method.loc[to_method, "days_late"])
    yearly = flow / period_days * 365
    return MethodSwitch(from_method, to_method, yearly, gained, flow / period_days * gained)


def risk_by_sales_rep(status: pd.DataFrame, sales: pd.Series | None = None, days: int = 365) -> pd.DataFrame:
    """The credit risk of each sales rep's portfolio (`status` from `credit_limit_status`, with `sales_rep`).

    Columns: `customers` (owing money), `exposure`, `overdue`, `overdue_share`, `overdue_late` (more than
    the blocking delay), `disputed`, `over_limit` and `blocked` (customers), `blocked_exposure`; with
    `sales` (customer_id → sales incl. VAT over `days` days), `sales` and `dso` (exposure / sales × days).
    Sorted by overdue, largest first.
    """
    if "sales_rep" not in status:
        raise DataError("colonne « sales_rep » absente : commercial de chaque client inconnu")
    owing = status[status["exposure"] != 0]
    reps = owing["sales_rep"].astype(object).fillna("non renseigné")
    grouped = owing.groupby(reps)
    out = pd.DataFrame({"customers": grouped.size(), "exposure": grouped["exposure"].sum(),
                        "overdue": grouped["overdue"].sum()})
    out["overdue_share"] = out["overdue"] / out["exposure"].where(out["exposure"] > 0)
    out["overdue_late"] = grouped["overdue_late"].sum()
    out["disputed"] = grouped["disputed"].sum()
    out["over_limit"] = grouped["over_limit"].sum().astype(int)
    out["blocked"] = grouped["blocked"].sum().astype(int)
    out["blocked_exposure"] = owing["exposure"].where(owing["blocked"], 0.0).groupby(reps).sum()
    if sales is not None:
        rep_sales = pd.Series(sales).groupby(status["sales_rep"].reindex(pd.Series(sales).index)).sum()
        out["sales"] = rep_sales.reindex(out.index, fill_value=0.0)
        out["dso"] = out["exposure"] / out["sales"].where(out["sales"] > 0) * days
    out.index.name = "sales_rep"
    return out.round(4).sort_values(["overdue"], ascending=False, kind="stable")


def early_payment_discount_rate(discount, days_earlier) -> float:
    """Annualised cost, for the supplier, of an early-payment discount (« escompte ») of `discount` for
    paying `days_earlier` days before the due date: discount / (1 − discount) × 365 / days.

    Example: 1 % for paying 30 days earlier → 0.01 / 0.99 × 365 / 30 = 12.29 % a year.
    """
    if not 0 <= float(discount) < 1:
        raise DataError("taux d'escompte invalide (attendu entre 0 et 1, ex. 0,01 pour 1 %)")
    if not days_earlier > 0:
        raise DataError("l'escompte rémunère un paiement anticipé : nombre de jours positif attendu")
    return float(discount) / (1 - float(discount)) * 365 / float(days_earlier)


def _short_euros(amount) -> str:
    """`33 051 652` → `33,1 M€`; `245 000` → `245 k€`; `900` → `900 €` (chart labels)."""
    if abs(amount) >= 1e6:
        return f"{fmt.number(amount / 1e6, 1)}{fmt.NBSP}M€"
    if abs(amount) >= 1e3:
        return f"{fmt.number(amount / 1e3, 0)}{fmt.NBSP}k€"
    return fmt.euros(amount, 0)


def plot_limit_use(bands: pd.DataFrame, title: str = "Encours par niveau d'utilisation de la limite de crédit"):
    """Bars: exposure per band of limit use, labelled with the number of customers."""
    fig, ax = new_figure(title, ylabel="Encours TTC")
    colors = [AGEING_COLORS[min(i, len(AGEING_COLORS) - 1)] for i in range(len(bands))]
    if "Sans limite" in bands.index:
        colors[-1] = PALETTE[5]
    bars = ax.bar(bands.index, bands["exposure"], color=colors)
    for bar, count in zip(bars, bands["customers"]):
        ax.annotate(f"{count} client{'s' if count > 1 else ''}", (bar.get_x() + bar.get_width() / 2,
                    bar.get_height()), ha="center", va="bottom", fontsize=12)
    euro_axis(ax, unit="M€")
    return fig


def plot_days_late_by_method(by_method: pd.DataFrame,
                             title: str = "Retard moyen de paiement selon le mode de règlement"):
    """Horizontal bars: amount-weighted days late per payment method, labelled with the share paid on time."""
    table = by_method.sort_values("days_late", kind="stable")
    fig, ax = new_figure(title, xlabel="Retard moyen pondéré par les montants (jours après l'échéance)")
    bars = ax.barh(table.index, table["days_late"], color=PALETTE[0])
    for bar, on_time, amount in zip(bars, table["on_time"], table["amount"]):
        ax.annotate(f"  {_short_euros(amount)} encaissés, "
                    f"{fmt.percent(on_time, 0)} à l'échéance", (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                    va="center", fontsize=11)
    number_axis(ax, axis="x", suffix=" j")
    ax.set_xlim(min(0, table["days_late"].min()) * 1.1, max(table["days_late"].max(), 1) * 1.9)
    return fig


def plot_risk_by_sales_rep(table: pd.DataFrame, block_days: int = BLOCK_DAYS,
                           title: str = "Montant échu par commercial"):
    """Stacked horizontal bars per sales rep: overdue up to `block_days` days and beyond; blocked customers
    in the labels."""
    table = table.sort_values("overdue", kind="stable")
    fig, ax = new_figure(title, xlabel="Montant échu TTC")
    recent = (table["overdue"] - table["overdue_late"]).clip(lower=0)
    ax.barh(table.index, recent, color=AGEING_COLORS[1], label=f"Échu depuis {block_days} jours au plus")
    ax.barh(table.index, table["overdue_late"], left=recent, color=AGEING_COLORS[4],
            label=f"Échu depuis plus de {block_days} jours")
    for y, (total, blocked) in enumerate(zip(table["overdue"], table["blocked"])):
        ax.annotate(f"  {blocked} client{'s' if blocked > 1 else ''} bloqué{'s' if blocked > 1 else ''}",
                    (max(total, 0), y), va="center", fontsize=11)
    euro_axis(ax, axis="x", unit="k€")
    ax.set_xlim(0, max(table["overdue"].max(), 1) * 1.35)
    ax.legend(loc="lower right")
    return fig
