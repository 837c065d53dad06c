"""The course's context and first figures (notebooks 00 and 01).

* Sourced external indicators (`reference/context_indicators.csv`): `load_context_indicators`,
  `context_indicator`, `format_context_indicators`.
* The portfolio at a glance and a first set of steering indicators: `portfolio_summary`, `steering_indicators`.
* The cost of carrying receivables (`receivables_financing`) and the sales needed to make up a bad debt
  (`sales_to_offset_loss`); what the late-payment simulator starts from (`late_payment_base`).
* Payment behaviour by country (`days_late_by_group`, `days_late_by_country`).
* The collector's qualification of the overdue (`overdue_qualification`).
* What the data showed before the fil rouge's insolvencies (`insolvency_warning_signs`, `days_late_path`).
* One customer's situation and history (`customer_situation`, `customer_history`, `customers_history`) and its
  charts (`CustomerChart`), used by the explorer.
* The FEC check: open items against the 411 balances (`ledger_balances`, `reconcile_open_items`).

Days late are amount-weighted: Σ amount × days / Σ amount, as everywhere in casekit.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from casekit import fmt
from casekit.credit.aged_balance import ageing_labels, bucket_colors
from casekit.credit.dso import dso_accounting, dso_breakdown
from casekit.credit.dso_value import dso_day_value
from casekit.credit.forecast import payment_lines
from casekit.credit.scoring import days_late
from casekit.dates import to_timestamp
from casekit.errors import DataError
from casekit.fec import CUSTOMER_ACCOUNT_PREFIX
from casekit.plots import (
    AGEING_COLORS,
    COARSE_STEPS,
    PALETTE,
    bar_limits,
    euro_axis,
    month_labels,
    new_figure,
    number_axis,
    use_house_style,
)

# ----------------------------------------------------------------------------------- external indicators

INDICATORS_FILE = "context_indicators.csv"
INDICATOR_COLUMNS = ["id", "theme", "indicator", "value", "unit", "country", "period", "publisher", "report",
                     "published", "url", "via_url", "note"]
SOURCE_COLUMNS = ["publisher", "report", "published", "url"]
UNIT_DECIMALS = {"jours": 1, "%": 1, "nombre": 0, "milliards": 0}


def load_context_indicators(path=None) -> pd.DataFrame:
    """The sourced external figures of `reference/context_indicators.csv`, one row per figure.

    Columns: `id`, `theme`, `indicator` (French), `value` (float, as published), `unit` ("jours", "%",
    "nombre", "milliards"), `country` (ISO code, "EU" for the European Union), `period`, `publisher`, `report`,
    `published` (text `AAAA-MM-JJ`, `AAAA-MM` or `AAAA`), `url` (the publisher's page), `via_url` (where the
    figure was read, when not on the publisher's page), `note`. `path`: another file of the same shape (default:
    the reference file)."""
    source = resources.files("casekit.reference").joinpath(INDICATORS_FILE) if path is None else Path(path)
    name = INDICATORS_FILE if path is None else str(path)
    with source.open(encoding="utf-8") as f:
        table = pd.read_csv(f, dtype=str, keep_default_na=False)
    missing = [c for c in INDICATOR_COLUMNS if c not in table.columns]
    if missing:
        raise DataError(f"colonne(s) absente(s) : {', '.join(missing)}", path=name)
    if table["id"].duplicated().any():
        raise DataError(f"identifiant en double : {table.loc[table['id'].duplicated(), 'id'].iloc[0]}",
                        path=name)
    for column in SOURCE_COLUMNS:
        empty = table[column].str.strip() == ""
        if empty.any():
            raise DataError(f"source incomplète (colonne « {column} » vide)", path=name,
                            line=int(empty.to_numpy().argmax()) + 2)
    unknown = set(table["unit"]) - set(UNIT_DECIMALS)
    if unknown:
        raise DataError(f"unité(s) inconnue(s) : {', '.join(sorted(unknown))}", path=name)
    bad_date = ~table["published"].str.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?")
    if bad_date.any():
        raise DataError(f"date de publication « {table.loc[bad_date, 'published'].iloc[0]} » illisible "
                        "(attendu : AAAA-MM-JJ, AAAA-MM ou AAAA)", path=name,
                        line=int(bad_date.to_numpy().argmax()) + 2, column="published")
    table["value"] = pd.to_numeric(table["value"], errors="raise").astype(float)
    return table[INDICATOR_COLUMNS]


def context_indicator(indicator_id: str, table: pd.DataFrame | None = None) -> float:
    """The value of one indicator. Example: `context_indicator("fr_late_days_2024q4")` → 13.6."""
    table = load_context_indicators() if table is None else table
    row = table[table["id"] == indicator_id]
    if row.empty:
        raise DataError(f"indicateur « {indicator_id} » absent de {INDICATORS_FILE}")
    return float(row["value"].iloc[0])


def indicator_value_text(value: float, unit: str) -> str:
    """`13.6, "jours"` → `13,6 jours`; `46.2, "%"` → `46,2 %`; `65764, "nombre"` → `65 764` (whole numbers
    without decimals)."""
    text = fmt.number(value, 0 if float(value).is_integer() else UNIT_DECIMALS[unit])
    return text if unit == "nombre" else f"{text}{fmt.NBSP}{unit}"


def format_context_indicators(table: pd.DataFrame, ids=None) -> pd.DataFrame:
    """French display: « Indicateur », « Valeur », « Période », « Source » (publisher, « report », year)."""
    rows = table if ids is None else table.set_index("id").loc[list(ids)].reset_index()
    source = rows["publisher"] + ", « " + rows["report"] + " », " + rows["published"].str[:4]
    return pd.DataFrame({
        "Indicateur": rows["indicator"].to_numpy(),
        "Valeur": [indicator_value_text(v, u) for v, u in zip(rows["value"], rows["unit"])],
        "Période": rows["period"].to_numpy(),
        "Source": source.to_numpy(),
    }).set_index("Indicateur")


# ----------------------------------------------------------------------------------- portfolio at a glance

@dataclass(frozen=True)
class PortfolioSummary:
    """Open items at `as_of` (EUR incl. VAT): `receivables` = `not_due` + `overdue` (net of credits, as in the
    aged balance); `over_90` more than 90 days overdue; `disputed_overdue` overdue items under dispute;
    `credits` unapplied credits (< 0); `oldest_days_overdue` of the invoices (0 when none is overdue)."""

    as_of: pd.Timestamp
    items: int
    customers: int
    receivables: float
    not_due: float
    overdue: float
    overdue_share: float
    over_90: float
    over_90_share: float
    disputed_overdue: float
    credits: float
    oldest_days_overdue: int


def portfolio_summary(open_items: pd.DataFrame, as_of) -> PortfolioSummary:
    """Key figures of the open items at `as_of`; shares are NaN when the receivables are not positive.

    Example: 1 000 € not due and 500 € 100 days overdue → receivables 1 500 €, overdue share 1/3, over 90 days
    1/3.
    """
    as_of = to_timestamp(as_of)
    items = open_items[open_items["document_date"] <= as_of]
    late = (as_of - items["due_date"]).dt.days
    overdue = items["due_date"] < as_of
    total = round(float(items["amount"].sum()), 2)
    over_90 = round(float(items.loc[late > 90, "amount"].sum()), 2)
    overdue_amount = round(float(items.loc[overdue, "amount"].sum()), 2)
    positive_late = late[overdue & (items["amount"] > 0)]
    return PortfolioSummary(
        as_of=as_of, items=len(items), customers=int(items["customer_id"].nunique()), receivables=total,
        not_due=round(total - overdue_amount, 2), overdue=overdue_amount,
        overdue_share=overdue_amount / total if total > 0 else float("nan"), over_90=over_90,
        over_90_share=over_90 / total if total > 0 else float("nan"),
        disputed_overdue=round(float(items.loc[overdue & items["disputed"].astype(bool), "amount"].sum()), 2),
        credits=round(float(items.loc[items["amount"] < 0, "amount"].sum()), 2),
        oldest_days_overdue=int(positive_late.max()) if len(positive_late) else 0)


SUMMARY_ROWS = (  # attribute, French label, format
    ("items", "Pièces non soldées", "number"), ("customers", "Clients concernés", "number"),
    ("receivables", "Encours clients TTC", "euros"), ("not_due", "dont non échu", "euros"),
    ("overdue", "dont échu", "euros"), ("overdue_share", "Part échue de l'encours", "percent"),
    ("over_90", "Échu depuis plus de 90 jours", "euros"), ("disputed_overdue", "Échu en litige", "euros"),
    ("credits", "Avoirs et encaissements non lettrés", "euros"),
    ("oldest_days_overdue", "Plus ancien retard (jours)", "number"),
)


def format_portfolio_summary(summary: PortfolioSummary) -> pd.DataFrame:
    """The summary as a French two-column table (« Indicateur », « Valeur »)."""
    rows = [(label, fmt.FORMATTERS[kind](getattr(summary, key))) for key, label, kind in SUMMARY_ROWS]
    return pd.DataFrame(rows, columns=["Indicateur", "Valeur"]).set_index("Indicateur")


@dataclass(frozen=True)
class SteeringIndicators:
    """A first set of steering indicators at `as_of`: the `summary` of the open items; DSO (accounting method
    on the `window_days` days ending at `as_of`, sales `window_sales` incl. VAT) split into best possible DSO
    and average days delinquent (`add`); `day_value` = sales of the last 365 days / 365. DSO figures are NaN
    when the window has no positive sales, `day_value` when the year has none."""

    summary: PortfolioSummary
    window_start: pd.Timestamp
    window_days: int
    window_sales: float
    dso: float
    best_possible_dso: float
    add: float
    annual_sales: float
    day_value: float

    @property
    def has_dso(self) -> bool:
        return not np.isnan(self.dso)


def sales_between(invoices: pd.DataFrame, start, end) -> float:
    """Sales incl. VAT (invoices minus credit notes) dated in (`start`, `end`]."""
    start, end = to_timestamp(start, "start"), to_timestamp(end, "end")
    dates = invoices["document_date"]
    return round(float(invoices.loc[(dates > start) & (dates <= end), "amount_incl_vat"].sum()), 2)


def steering_indicators(open_items: pd.DataFrame, invoices: pd.DataFrame, as_of,
                        window_months: int = 3) -> SteeringIndicators:
    """Receivables, overdue, DSO (accounting method over the last `window_months` months) and its split.

    Example: receivables 30 000 € of which 6 000 € overdue, 90 000 € of sales over 90 days → DSO 30 days, best
    possible 24 days, ADD 6 days.
    """
    as_of = to_timestamp(as_of)
    if window_months < 1:
        raise DataError("la fenêtre du DSO doit compter au moins un mois")
    start = as_of - pd.DateOffset(months=window_months)
    days = int((as_of - start).days)
    sales = sales_between(invoices, start, as_of)
    annual = sales_between(invoices, as_of - pd.Timedelta(days=365), as_of)
    nan = float("nan")
    split = dso_breakdown(open_items, as_of, sales, days) if sales > 0 else None
    return SteeringIndicators(
        summary=portfolio_summary(open_items, as_of), window_start=start, window_days=days, window_sales=sales,
        dso=split.dso if split else nan, best_possible_dso=split.best_possible_dso if split else nan,
        add=split.add if split else nan, annual_sales=annual,
        day_value=dso_day_value(annual) if annual > 0 else nan)


def format_steering_indicators(ind: SteeringIndicators) -> pd.DataFrame:
    """« Indicateur », « Valeur », « Ce qu'il mesure » — the first dashboard of module 1."""
    s = ind.summary
    window = f"{ind.window_days} jours au {fmt.date(s.as_of)}"
    rows = [
        ("Encours clients TTC", fmt.euros(s.receivables, 0), "Ce que les clients doivent à la date d'analyse"),
        ("Part échue de l'encours", fmt.percent(s.overdue_share), "Ce qui aurait déjà dû être payé"),
        ("Part échue depuis plus de 90 jours", fmt.percent(s.over_90_share), "Le risque d'impayé définitif"),
        ("DSO, méthode comptable", fmt.days(ind.dso), f"Encours / CA TTC des {window} × nombre de jours"),
        ("dont meilleur DSO possible", fmt.days(ind.best_possible_dso), "Ce que donnent les délais accordés"),
        ("dont retard moyen (ADD)", fmt.days(ind.add), "Ce que coûtent les retards : le levier du recouvrement"),
        ("Valeur d'un jour de DSO", fmt.euros(ind.day_value, 0), "CA TTC des 365 derniers jours / 365"),
    ]
    return pd.DataFrame(rows, columns=["Indicateur", "Valeur", "Ce qu'il mesure"]).set_index("Indicateur")


# ----------------------------------------------------------------------------------- the fil rouge

def case_tables_overview(case) -> pd.DataFrame:
    """The tables of the fil rouge: index `table` (attribute of the `CaseStudy`, e.g. `customers`), columns
    `file`, `content` (French), `rows`, `columns`."""
    from casekit.casestudy.schema import TABLES

    rows = [(t.name, t.file, t.description, len(getattr(case, t.name)), len(getattr(case, t.name).columns))
            for t in TABLES]
    return pd.DataFrame(rows, columns=["table", "file", "content", "rows", "columns"]).set_index("table")


def monthly_activity(invoices: pd.DataFrame, payments: pd.DataFrame, as_of) -> pd.DataFrame:
    """Sales incl. VAT of each month up to `as_of` and the receivables at each month end (or at `as_of` for its
    month). Index: month-end dates (`month_end`); columns `sales`, `receivables`. Empty without invoices."""
    from casekit.credit.dso import monthly_sales, receivables_at

    as_of = to_timestamp(as_of)
    invoices = invoices[invoices["document_date"] <= as_of]
    sales = monthly_sales(invoices)
    if sales.empty:
        return pd.DataFrame({"sales": [], "receivables": []}, index=pd.DatetimeIndex([], name="month_end"))
    ends = [min(p.to_timestamp(how="end").normalize(), as_of) for p in sales.index]
    receivables = receivables_at(invoices, payments[payments["payment_date"] <= as_of], ends)
    return pd.DataFrame({"sales": sales.to_numpy(float), "receivables": receivables.to_numpy(float)},
                        index=pd.DatetimeIndex(ends, name="month_end"))


def plot_activity(activity: pd.DataFrame, title: str = "Chiffre d'affaires mensuel et encours clients"):
    """Bars: monthly sales incl. VAT; line: receivables at each month end."""
    fig, ax = new_figure(title, ylabel="Montant TTC")
    x = np.arange(len(activity))
    ax.bar(x, activity["sales"], color=PALETTE[0], label="Chiffre d'affaires TTC du mois")
    ax.plot(x, activity["receivables"], color=PALETTE[1], linewidth=3, label="Encours clients en fin de mois")
    step = max(1, len(x) // 12)
    ax.set_xticks(x[::step], [f"{d.month:02d}/{d.year}" for d in activity.index[::step]], rotation=45, ha="right")
    euro_axis(ax, unit="M€")
    ax.legend(loc="upper left")
    return fig


# ----------------------------------------------------------------------------------- financial stakes

def receivables_financing(financials: pd.DataFrame) -> pd.DataFrame:
    """Per year of `financials`: what carrying the receivables costs and weighs.

    Index `year`; columns `receivables`, `borrowing_rate`, `financing_cost` (receivables × rate, per year),
    `dso` (receivables / revenue incl. VAT × 365), `working_capital`, `receivables_share_of_wc`, `cash`,
    `ebitda`, `cost_share_of_ebitda`, `net_income`, `bad_debt_losses`, `net_margin_rate` (net income / revenue
    excl. VAT). Example: 9 000 000 € at 5 % → 450 000 € a year.
    """
    f = financials.set_index("year").sort_index()
    out = pd.DataFrame(index=f.index)
    out["receivables"] = f["trade_receivables"].astype(float)
    out["borrowing_rate"] = f["borrowing_rate"].astype(float)
    out["financing_cost"] = (out["receivables"] * out["borrowing_rate"]).round(2)
    out["dso"] = [dso_accounting(r, s, 365) for r, s in zip(out["receivables"], f["revenue_incl_vat"])]
    out["working_capital"] = f["working_capital"].astype(float)
    out["receivables_share_of_wc"] = out["receivables"] / out["working_capital"]
    out["cash"] = f["cash"].astype(float)
    out["ebitda"] = f["ebitda"].astype(float)
    out["cost_share_of_ebitda"] = out["financing_cost"] / out["ebitda"]
    out["net_income"] = f["net_income"].astype(float)
    out["bad_debt_losses"] = f["bad_debt_losses"].astype(float)
    out["net_margin_rate"] = f["net_income"].astype(float) / f["revenue_excl_vat"].astype(float)
    return out


FINANCING_LABELS = {
    "receivables": ("Créances clients TTC au 31/12", "euros0"), "borrowing_rate": ("Taux moyen d'emprunt", "percent"),
    "financing_cost": ("Coût annuel de financement de l'encours", "euros0"), "dso": ("DSO annuel", "days"),
    "working_capital": ("BFR d'exploitation", "euros0"),
    "receivables_share_of_wc": ("Part des créances dans le BFR", "percent"),
    "cash": ("Trésorerie nette", "euros0"), "ebitda": ("EBE", "euros0"),
    "cost_share_of_ebitda": ("Coût de l'encours en % de l'EBE", "percent"),
    "net_income": ("Résultat net", "euros0"), "bad_debt_losses": ("Pertes sur créances irrécouvrables (HT)", "euros0"),
    "net_margin_rate": ("Taux de marge nette", "percent"),
}


def format_receivables_financing(table: pd.DataFrame) -> pd.DataFrame:
    """One French row per indicator, one column per year."""
    rows = {label: [fmt.FORMATTERS[kind](v) for v in table[key]] for key, (label, kind) in FINANCING_LABELS.items()}
    return pd.DataFrame(rows, index=[str(y) for y in table.index]).T.rename_axis("Indicateur")


def plot_receivables_financing(table: pd.DataFrame, title: str = "Ce que coûte l'encours clients chaque année"):
    """Per year of `receivables_financing`: the financing cost of the receivables and the bad-debt losses."""
    fig, ax = new_figure(title, ylabel="Euros par an")
    x = np.arange(len(table))
    ax.bar(x - 0.2, table["financing_cost"], 0.4, color=PALETTE[0], label="Coût de financement de l'encours")
    ax.bar(x + 0.2, table["bad_debt_losses"], 0.4, color=PALETTE[3], label="Pertes sur créances irrécouvrables (HT)")
    for xi, (cost, share) in enumerate(zip(table["financing_cost"], table["cost_share_of_ebitda"])):
        ax.annotate(f"{fmt.percent(share, 0)} de l'EBE", (xi - 0.2, cost), ha="center", va="bottom", fontsize=12)
    ax.set_xticks(x, [str(y) for y in table.index])
    ax.set_ylim(0, 1.35 * float(max(table["financing_cost"].max(), table["bad_debt_losses"].max(), 1.0)))
    euro_axis(ax, unit="k€")
    ax.legend(loc="upper right")
    ax.grid(axis="x", visible=False)
    return fig


def sales_to_offset_loss(loss, margin_rate) -> float:
    """Sales needed to earn back a bad debt: loss / margin rate. Example: 10 000 € at 5 % → 200 000 €."""
    if not margin_rate > 0:
        raise DataError("taux de marge nul ou négatif : une perte ne se rattrape pas par des ventes")
    return float(loss) / float(margin_rate)


# ----------------------------------------------------------------------------------- payment behaviour

def days_late_by_group(invoices: pd.DataFrame, payments: pd.DataFrame, groups, start, end) -> pd.DataFrame:
    """Payment behaviour per group of customers, on the cash paid in (`start`, `end`].

    `groups`: customer_id → group (a Series or dict; customers not in it are left out). Index: the group;
    columns `customers` (who paid), `amount_paid`, `days_late` (amount-weighted average of payment date − due
    date, early payments count negative), `paid_late_share` and `over_30_share` (share of the amount paid after
    the due date, more than 30 days after). Example: 1 000 € paid 10 days late and 3 000 € on time →
    days late 2,5, paid late 25 %.
    """
    lines = payment_lines(invoices, payments, start, end)
    mapping = pd.Series(groups)
    lines = lines.assign(group=lines["customer_id"].map(mapping)).dropna(subset=["group"])
    lines = lines.assign(weighted=lines["amount"] * lines["days_late"],
                         late=lines["amount"].where(lines["days_late"] > 0, 0.0),
                         over_30=lines["amount"].where(lines["days_late"] > 30, 0.0))
    grouped = lines.groupby("group")
    out = pd.DataFrame({"customers": grouped["customer_id"].nunique(),
                        "amount_paid": grouped["amount"].sum().round(2)})
    sums = grouped[["weighted", "late", "over_30"]].sum()
    out["days_late"] = sums["weighted"] / out["amount_paid"]
    out["paid_late_share"] = sums["late"] / out["amount_paid"]
    out["over_30_share"] = sums["over_30"] / out["amount_paid"]
    out.index.name = "group"
    return out


def days_late_by_country(case, start, end, indicators: pd.DataFrame | None = None,
                         benchmark_period: str = "2024q4") -> pd.DataFrame:
    """`days_late_by_group` per country of the fil rouge's customers, with `country_name`, `domestic` and the
    national average delay published for the country (`benchmark`, from the indicators `late_days_<period>`),
    most punctual country first."""
    customers = case.customers.set_index("customer_id")
    out = days_late_by_group(case.invoices, case.payments, customers["country"].astype(str), start, end)
    names = customers.drop_duplicates("country").set_index("country")["country_name"].astype(str)
    out.insert(0, "country_name", out.index.map(names))
    out.insert(1, "domestic", out.index == "FR")
    bench = pd.Series(dtype=float)
    if indicators is not None:
        rows = indicators[indicators["id"].str.endswith(f"_late_days_{benchmark_period}")]
        bench = rows.set_index("country")["value"]
    out["benchmark"] = out.index.map(bench).astype(float)
    out.index.name = "country"
    return out.sort_values(["days_late", "country_name"], kind="stable")


def domestic_vs_export(case, start, end) -> pd.DataFrame:
    """`days_late_by_group` with two groups: « France » and « Export » (region of the customer)."""
    region = case.customers.set_index("customer_id")["region"].astype(str)
    groups = region.where(region == "Export", "France")
    return days_late_by_group(case.invoices, case.payments, groups, start, end).reindex(["France", "Export"])


def plot_days_late_by_country(table: pd.DataFrame, title: str = "Retard moyen de paiement par pays"):
    """Horizontal bars: the fil rouge's days late per country (France highlighted); dots: the national average
    published for the country (when known)."""
    fig, ax = new_figure(title, xlabel="Retard moyen pondéré par les montants (jours après l'échéance)")
    y = np.arange(len(table))
    colors = [PALETTE[1] if d else PALETTE[0] for d in table["domestic"]]
    ax.barh(y, table["days_late"], color=colors, label="Clients du fil rouge")
    known = table["benchmark"].notna().to_numpy()
    if known.any():
        ax.scatter(table["benchmark"].to_numpy()[known], y[known], color=PALETTE[3], zorder=3, s=90,
                   marker="D", label="Moyenne nationale publiée (toutes entreprises)")
    ax.set_yticks(y, table["country_name"])
    ax.invert_yaxis()
    number_axis(ax, axis="x", suffix=" j")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.legend(loc="lower right")
    ax.grid(axis="y", visible=False)
    return fig


# ----------------------------------------------------------------------------------- qualification

QUALIFICATIONS = {  # key: (French label, next action), in the order they are applied
    "procedure": ("Client en procédure collective", "Déclarer la créance au mandataire ; plus de relance"),
    "dispute": ("Facture en litige", "Faire résoudre le litige par le service concerné"),
    "promise": ("Promesse de paiement en cours", "Vérifier l'encaissement à la date promise"),
    "over_90": ("Retard de plus de 90 jours", "Mise en demeure, puis contentieux ou recouvrement externe"),
    "to_chase": ("Retard simple", "Relance selon le scénario (courriel, téléphone, courrier)"),
    "credit": ("Avoir ou encaissement non lettré", "Lettrer ou imputer avec le client"),
}


def overdue_qualification(open_items: pd.DataFrame, as_of, customers: pd.DataFrame | None = None,
                          calls: pd.DataFrame | None = None) -> pd.DataFrame:
    """The overdue items at `as_of`, each in the first `QUALIFICATIONS` category that applies.

    Invoices (> 0): customer in collective proceedings at `as_of` (`customers.insolvency_date`), disputed,
    customer with a promise to pay still to come (`calls`: called on or before `as_of`, `promise_date` after
    it), more than 90 days overdue, else a plain delay; credits (< 0) apart. Index `category` (every category,
    zeros included); columns `label`, `action`, `items`, `customers`, `amount`, `share` (of the net overdue).
    """
    as_of = to_timestamp(as_of)
    items = open_items[(open_items["document_date"] <= as_of) & (open_items["due_date"] < as_of)]
    insolvent, promised = set(), set()
    if customers is not None and "insolvency_date" in customers:
        insolvent = set(customers.loc[customers["insolvency_date"] <= as_of, "customer_id"].astype(str))
    if calls is not None and len(calls):
        open_promise = (calls["call_date"] <= as_of) & (calls["promise_date"] > as_of)
        promised = set(calls.loc[open_promise, "customer_id"].astype(str))
    late = (as_of - items["due_date"]).dt.days
    customer = items["customer_id"].astype(str)
    category = np.select(
        [items["amount"] < 0, customer.isin(insolvent), items["disputed"].astype(bool), customer.isin(promised),
         late > 90],
        ["credit", "procedure", "dispute", "promise", "over_90"], default="to_chase")
    frame = pd.DataFrame({"category": category, "amount": items["amount"].to_numpy(), "customer": customer})
    grouped = frame.groupby("category")
    out = pd.DataFrame({"items": grouped.size(), "customers": grouped["customer"].nunique(),
                        "amount": grouped["amount"].sum().round(2)}).reindex(list(QUALIFICATIONS), fill_value=0)
    total = out["amount"].sum()
    out["share"] = out["amount"] / total if total > 0 else np.nan
    out.insert(0, "label", [QUALIFICATIONS[k][0] for k in out.index])
    out.insert(1, "action", [QUALIFICATIONS[k][1] for k in out.index])
    out.index.name = "category"
    return out.astype({"items": int, "customers": int, "amount": float})


def plot_overdue_qualification(table: pd.DataFrame, title: str = "Qualification de l'échu"):
    """Horizontal bars: the overdue amount of each qualification."""
    fig, ax = new_figure(title, xlabel="Montant échu TTC")
    colors = [AGEING_COLORS[5], PALETTE[3], PALETTE[4], AGEING_COLORS[3], AGEING_COLORS[1], PALETTE[5]]
    ax.barh(table["label"], table["amount"], color=colors[:len(table)])
    ax.invert_yaxis()
    euro_axis(ax, axis="x", unit="k€")
    ax.grid(axis="y", visible=False)
    return fig


# ----------------------------------------------------------------------------------- failures

INVOICE_COLUMNS = ["document_ref", "customer_id", "document_date", "due_date", "amount_incl_vat"]
PAYMENT_COLUMNS = ["customer_id", "document_ref", "payment_date", "payment_method", "amount"]


def _customer_tables(case, customer_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One customer's invoices and payments, with the columns `days_late` needs."""
    invoices = case.invoices.loc[case.invoices["customer_id"] == customer_id, INVOICE_COLUMNS]
    pay_columns = [c for c in PAYMENT_COLUMNS if c in case.payments.columns]
    payments = case.payments.loc[case.payments["customer_id"] == customer_id, pay_columns]
    return invoices, payments


def _days_late_of(case, customer_id: str, end: pd.Timestamp, window_days: int, tables=None) -> float:
    """`days_late` of one customer, computed on its own documents and payments (fast); `tables`: the customer's
    `_customer_tables`, when already extracted."""
    invoices, payments = tables if tables is not None else _customer_tables(case, customer_id)
    if not (payments["payment_date"] <= end).any():  # nothing paid yet: keep the full table (never empty)
        payments = case.payments
    return float(days_late(invoices, payments, end, window_days).get(customer_id, np.nan))


def insolvency_warning_signs(case, months_before=(12, 6, 3), window_days: int = 180,
                             path: pd.DataFrame | None = None) -> pd.DataFrame:
    """What the data showed before each insolvency of the fil rouge (customers with an `insolvency_date`).

    Index `customer_id`; columns `customer_name`, `procedure`, `judgement_date`; `days_late_<m>m` for each
    `months_before` and `days_late_judgement` (amount-weighted days late over the `window_days` before that date,
    open overdue invoices counted at their current delay; see `casekit.days_late`); `portfolio_median` (median
    days late of all customers at the judgement date); `last_cash_date` and `days_without_cash` (last receipt
    before the judgement, credit-note offsets excluded); `sales_12m` and `sales_prev_12m` (sales incl. VAT of the
    12 months before the judgement and of the 12 before); `broken_promises` (promises to pay not kept, made in
    the 12 months before); `exposure` (open amount at the judgement), `credit_limit`, `limit_use`.
    `path`: a `days_late_path` of the same case and window, to reuse its values instead of recomputing them.
    """
    customers = case.customers[case.customers["insolvency_date"].notna()]
    rows = []
    cash = case.payments
    if "payment_method" in cash:
        cash = cash[cash["payment_method"].astype(str) != "Imputation d'avoir"]
    for _, c in customers.sort_values("insolvency_date", kind="stable").iterrows():
        cid, date = str(c["customer_id"]), c["insolvency_date"]
        row = {"customer_id": cid, "customer_name": c["customer_name"], "procedure": c["insolvency_procedure"],
               "judgement_date": date}
        for key, months in [(f"days_late_{m}m", m) for m in months_before] + [("days_late_judgement", 0)]:
            if path is not None and c["customer_name"] in path.columns and months in path.index:
                row[key] = float(path.loc[months, c["customer_name"]])
            else:
                row[key] = _days_late_of(case, cid, date - pd.DateOffset(months=months), window_days)
        row["portfolio_median"] = float(days_late(case.invoices, case.payments, date, window_days).median())
        paid = cash[(cash["customer_id"] == cid) & (cash["payment_date"] <= date) & (cash["amount"] > 0)]
        last = paid["payment_date"].max() if len(paid) else pd.NaT
        row["last_cash_date"] = last
        row["days_without_cash"] = int((date - last).days) if pd.notna(last) else np.nan
        invoices = case.invoices[case.invoices["customer_id"] == cid]
        year_ago, two_years_ago = date - pd.DateOffset(months=12), date - pd.DateOffset(months=24)
        row["sales_12m"] = sales_between(invoices, year_ago, date)
        row["sales_prev_12m"] = sales_between(invoices, two_years_ago, year_ago)
        calls = case.calls[(case.calls["customer_id"] == cid) & (case.calls["call_date"] > year_ago)
                           & (case.calls["call_date"] <= date)]
        row["broken_promises"] = int((calls["promise_kept"].astype(str) == "Non").sum())
        exposure = float(case.open_items(date).query("customer_id == @cid")["amount"].sum())
        row["exposure"] = round(exposure, 2)
        row["credit_limit"] = float(c["credit_limit"])
        row["limit_use"] = exposure / row["credit_limit"] if row["credit_limit"] > 0 else np.nan
        rows.append(row)
    return pd.DataFrame(rows).set_index("customer_id")


def format_warning_signs(signs: pd.DataFrame, months_before=(12, 6, 3)) -> pd.DataFrame:
    """A French display copy, one row per insolvent customer."""
    formats = {f"days_late_{m}m": "number1" for m in months_before}
    formats.update({"judgement_date": "date", "days_late_judgement": "number1", "portfolio_median": "number1",
                    "last_cash_date": "date", "days_without_cash": "number", "sales_12m": "euros0",
                    "sales_prev_12m": "euros0", "broken_promises": "number", "exposure": "euros0",
                    "credit_limit": "euros0", "limit_use": "percent"})
    labels = {f"days_late_{m}m": f"Retard (j) {m} mois avant" for m in months_before}
    labels.update({"customer_name": "Client", "procedure": "Procédure", "judgement_date": "Jugement",
                   "days_late_judgement": "Retard (j) au jugement",
                   "portfolio_median": "Retard médian du portefeuille (j)", "last_cash_date": "Dernier encaissement",
                   "days_without_cash": "Jours sans encaissement", "sales_12m": "CA TTC des 12 mois avant",
                   "sales_prev_12m": "CA TTC des 12 mois précédents", "broken_promises": "Promesses non tenues",
                   "exposure": "Encours au jugement", "credit_limit": "Limite de crédit",
                   "limit_use": "Utilisation de la limite"})
    return fmt.french_table(signs, formats, labels, index_label="Compte")


def days_late_path(case, months: int = 12, window_days: int = 180) -> pd.DataFrame:
    """Days late of each insolvent customer month by month before its judgement.

    Index `months_before` (`months` … 0); one column per customer name.
    """
    customers = case.customers[case.customers["insolvency_date"].notna()].sort_values("insolvency_date",
                                                                                     kind="stable")
    steps = list(range(months, -1, -1))
    data = {}
    for _, c in customers.iterrows():
        cid = str(c["customer_id"])
        tables = _customer_tables(case, cid)
        data[c["customer_name"]] = [_days_late_of(case, cid, c["insolvency_date"] - pd.DateOffset(months=m),
                                                  window_days, tables) for m in steps]
    return pd.DataFrame(data, index=pd.Index(steps, name="months_before"))


def plot_days_late_path(path: pd.DataFrame, reference: float | None = None,
                        title: str = "Avant la défaillance : le retard moyen s'envole"):
    """One line per insolvent customer (x: months before the judgement); `reference`: a dashed line (the
    portfolio's median days late)."""
    fig, ax = new_figure(title, xlabel="Mois avant le jugement d'ouverture",
                         ylabel="Retard moyen pondéré (jours)")
    for i, column in enumerate(path.columns):
        ax.plot(-path.index, path[column], marker="o", linewidth=2, color=PALETTE[i % len(PALETTE)], label=column)
    if reference is not None and not np.isnan(reference):
        ax.axhline(reference, color="black", linestyle="--", linewidth=1.5,
                   label=f"Retard médian du portefeuille ({fmt.days(reference)})")
    ax.set_xticks(-path.index, [str(m) for m in path.index])
    number_axis(ax, suffix=" j")
    ax.legend(loc="upper left")
    return fig


# ----------------------------------------------------------------------------------- one customer

def customer_situation(open_items: pd.DataFrame, as_of, customer_id: str) -> PortfolioSummary:
    """`portfolio_summary` of one customer's open items."""
    return portfolio_summary(open_items[open_items["customer_id"].astype(str) == str(customer_id)], as_of)


def customers_history(invoices: pd.DataFrame, payments: pd.DataFrame, as_of, months: int = 12,
                      customers=None) -> pd.DataFrame:
    """Every customer's last `months` months up to `as_of`: `invoiced` (sales incl. VAT, credit notes deducted),
    `collected` (receipts and offsets applied, all `payments` of the month) and `balance` (what the customer
    owes at the month end, or at `as_of` for its month = invoiced − collected since the beginning).

    Index (`customer_id`, `month_end`): `months` rows for each customer of either table, or of `customers` when
    given (zeros for one without any line). Example: 1 000 € invoiced in January, 600 € paid in February →
    balances 1 000 € then 400 €.
    """
    as_of = to_timestamp(as_of)
    last = as_of.to_period("M")
    first = last - (months - 1)
    ends = pd.DatetimeIndex([min(p.to_timestamp(how="end").normalize(), as_of)
                             for p in pd.period_range(first, last, freq="M")], name="month_end")
    invoiced = _by_month(invoices, "document_date", "amount_incl_vat", as_of, first, months)
    collected = _by_month(payments, "payment_date", "amount", as_of, first, months)
    index = pd.Index(customers, dtype=str) if customers is not None else invoiced.index.union(collected.index)
    invoiced, collected = (t.reindex(index, fill_value=0.0).to_numpy(float) for t in (invoiced, collected))
    balance = np.cumsum(invoiced - collected, axis=1)  # column 0: all before the window
    out = pd.DataFrame({"invoiced": invoiced[:, 1:].ravel(), "collected": collected[:, 1:].ravel(),
                        "balance": balance[:, 1:].ravel()},
                       index=pd.MultiIndex.from_product([index.rename("customer_id"), ends]))
    return out.round(2) + 0.0


def _by_month(table: pd.DataFrame, date: str, amount: str, as_of, first: pd.Period, months: int) -> pd.DataFrame:
    """Σ `amount` of `table`'s lines up to `as_of`, one row per customer (as text), one column per month of the
    window: column 0 for all before `first`, columns 1 … `months` for `first` onwards."""
    lines = table[table[date] <= as_of]
    month = (lines[date].dt.year - first.year) * 12 + lines[date].dt.month - first.month
    sums = lines[amount].groupby([lines["customer_id"].astype(str), month.clip(lower=-1) + 1]).sum()
    return sums.unstack(fill_value=0.0).reindex(columns=range(months + 1), fill_value=0.0)


def customer_history(invoices: pd.DataFrame, payments: pd.DataFrame, customer_id: str, as_of,
                     months: int = 12) -> pd.DataFrame:
    """`customers_history` of one customer, indexed by `month_end`."""
    inv = invoices[invoices["customer_id"].astype(str) == str(customer_id)]
    pay = payments[payments["customer_id"].astype(str) == str(customer_id)]
    return customers_history(inv, pay, as_of, months, customers=[str(customer_id)]).loc[str(customer_id)]


class CustomerChart:
    """One customer's aged balance and, with `months` (the `month_end` dates of its history), the invoiced and
    collected bars and the balance line beside it, on one € scale. Built once: `show` puts a customer in the
    same figure, on a scale rounded coarsely (`COARSE_STEPS`), so that customers of a like size share the frame
    (the explorer then redraws only the data). The titles leave the customer's name to the text above."""

    def __init__(self, buckets, months: pd.DatetimeIndex | None = None):
        use_house_style()
        self.buckets = list(buckets)
        ratios = [2, 3] if months is not None else [1]
        self.figure, axes = plt.subplots(1, len(ratios), figsize=(16 if months is not None else 8, 5.5),
                                         sharey=True, width_ratios=ratios, squeeze=False)
        self.axes = axes[0]
        aged = self.axes[0]
        labels = ageing_labels(self.buckets)
        self.aged_bars = aged.bar([labels[b] for b in self.buckets], np.zeros(len(self.buckets)),
                                  color=bucket_colors(self.buckets))
        aged.set_title("Encours par ancienneté", loc="left")
        aged.set_ylabel("Montant TTC")
        aged.tick_params(axis="x", rotation=20)
        euro_axis(aged, unit="k€")
        self.history_marks = self._history_panel(self.axes[1], months) if months is not None else None

    def _history_panel(self, ax, months: pd.DatetimeIndex):
        x = np.arange(len(months))
        bars = (ax.bar(x - 0.2, np.zeros(len(x)), 0.4, color=PALETTE[0], label="Facturé"),
                ax.bar(x + 0.2, np.zeros(len(x)), 0.4, color=PALETTE[2], label="Encaissé ou imputé"))
        line = ax.plot(x, np.zeros(len(x)), color=PALETTE[1], marker="o", linewidth=2.5,
                       label="Solde dû en fin de mois")[0]
        ax.set_xticks(x, month_labels(months), rotation=45, ha="right")
        ax.set_title(f"Facturé, encaissé et solde dû sur {len(months)} mois", loc="left")
        self.figure.legend(handles=[*bars, line], loc="outside lower center", ncols=3)  # in the frame: drawn once
        return bars, line

    def show(self, aged: pd.Series, history: pd.DataFrame | None = None):
        """The figure with one customer in it: `aged` (its row of `aged_balance`, bucket columns) and `history`
        (its `customer_history`, on the chart's months)."""
        values = aged[self.buckets].to_numpy(float)
        for bar, value in zip(self.aged_bars, values):
            bar.set_height(value)
        shown = [values]
        if self.history_marks is not None:
            (invoiced, collected), line = self.history_marks
            for bars, column in ((invoiced, "invoiced"), (collected, "collected")):
                for bar, value in zip(bars, history[column].to_numpy(float)):
                    bar.set_height(value)
            line.set_ydata(history["balance"].to_numpy(float))
            shown.append(history[["invoiced", "collected", "balance"]])
        self.axes[0].set_ylim(*bar_limits(*shown, steps=COARSE_STEPS))
        return self.figure


# ----------------------------------------------------------------------------------- FEC check

def ledger_balances(fec: pd.DataFrame, as_of) -> pd.DataFrame:
    """Each customer's 411 balance at `as_of` from the FEC: Σ (debit − credit) of the lines dated on or before
    `as_of`. Index `customer_id` (`CompAuxNum`, else `CompteNum`); columns `customer_name`, `balance`."""
    as_of = to_timestamp(as_of)
    lines = fec[fec["CompteNum"].astype(str).str.startswith(CUSTOMER_ACCOUNT_PREFIX) & (fec["EcritureDate"] <= as_of)]
    aux = lines["CompAuxNum"].astype(str)
    frame = pd.DataFrame({"customer_id": aux.where(aux != "", lines["CompteNum"].astype(str)),
                          "customer_name": lines["CompAuxLib"].astype(str).where(aux != "",
                                                                                 lines["CompteLib"].astype(str)),
                          "balance": lines["Debit"] - lines["Credit"]})
    out = frame.groupby("customer_id").agg(customer_name=("customer_name", "first"), balance=("balance", "sum"))
    out["balance"] = out["balance"].round(2) + 0.0
    return out


def reconcile_open_items(open_items: pd.DataFrame, fec: pd.DataFrame, as_of) -> pd.DataFrame:
    """Per customer: the 411 balance of the FEC at `as_of`, the sum of its open items, and the `gap` (open items
    − balance; 0 when the open items are right). Customers of either side are listed, largest balance first."""
    balances = ledger_balances(fec, as_of)
    as_of = to_timestamp(as_of)
    items = open_items[open_items["document_date"] <= as_of]
    totals = items.groupby(items["customer_id"].astype(str))["amount"].sum()
    index = balances.index.union(totals.index)
    out = pd.DataFrame(index=pd.Index(index, name="customer_id"))
    out["customer_name"] = balances["customer_name"].reindex(index)
    out["ledger_balance"] = balances["balance"].reindex(index, fill_value=0.0)
    out["open_items"] = totals.reindex(index, fill_value=0.0).round(2)
    out["gap"] = (out["open_items"] - out["ledger_balance"]).round(2) + 0.0
    return out.sort_values(["ledger_balance"], ascending=False, kind="stable")


def case_open_items(wb) -> tuple[pd.DataFrame, pd.Timestamp]:
    """The fil rouge's open items and date for what only the fil rouge carries (disputes, calls, collectors):
    the workbook's own when it runs on the fil rouge, else the case's at its reference date."""
    if wb.is_fil_rouge:
        return wb.open_items, wb.as_of
    return wb.case.open_items(), wb.case.as_of


@dataclass(frozen=True)
class LatePaymentBase:
    """What the late-payment simulator of module 1 starts from: whose figures (`name`), the sales incl. VAT of
    the last 365 days, DSO and ADD (`steering_indicators`), the fil rouge's latest borrowing rate and, when the
    figures are the fil rouge's, its latest net income (None: a company's income is not in its ledger)."""

    name: str
    annual_sales: float
    dso: float
    add: float
    financing_rate: float
    net_income: float | None


def late_payment_base(wb, steering: SteeringIndicators | None = None) -> LatePaymentBase:
    """The workbook's figures when they give a DSO, else the fil rouge's at its date. `steering`: the workbook's
    `steering_indicators`, when already computed."""
    steering = steering or steering_indicators(wb.open_items, wb.invoices, wb.as_of)
    name = wb.company_name
    if not (steering.has_dso and steering.annual_sales > 0):
        items, as_of = case_open_items(wb)
        steering, name = steering_indicators(items, wb.case.invoices, as_of), wb.case.name
    latest = receivables_financing(wb.case.financials).iloc[-1]
    return LatePaymentBase(name, steering.annual_sales, steering.dso, steering.add, float(latest["borrowing_rate"]),
                           float(latest["net_income"]) if name == wb.case.name else None)
