"""Factoring in the books (French PCG): journal entries, a month of the fil rouge, reconciliation of the CCV.

Scheme (conventional subrogation, art. 1346-1 of the Civil Code: the factor pays the invoice and takes the
company's place as creditor, so the receivable leaves the 411 ledger when assigned):

| operation | debit | credit |
|---|---|---|
| assignment of invoices (bordereau) | 4671 Factor – compte courant | 411 Clients (each invoice, TTC) |
| retention to the guarantee fund | 4672 Factor – fonds de garantie | 4671 |
| fund call ("appel de fonds") | 512 Banque | 4671 |
| commissions | 6225 Rémunérations d'affacturage (HT) + 44566 TVA déductible, 6616 Intérêts (no VAT) | 4671 |
| customer pays the factor | no entry in 411 (credited at assignment); guarantee fund released: 4671 | 4672 |
| dispute / non-valeur charged back | 411 Clients | 4671 |
| reversal (dispute settled, invoice re-assigned) | 4671 | 411 Clients |

The factoring commission and the fees are services subject to VAT (recovered: 44566); the financing commission
is interest, exempt from VAT (art. 261 C CGI), booked as a financial charge (6616). Every entry balances.
Lines: `entry`, `date`, `journal` (FAC affacturage, BQ banque), `account`, `account_label`, `customer_id` (411
lines), `debit`, `credit`, `label`, `operation` (a key of `OPERATIONS`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from casekit.dates import to_timestamp
from casekit.errors import DataError

ACCOUNTS = {
    "411": "Clients",
    "4671": "Factor – compte courant",
    "4672": "Factor – fonds de garantie",
    "44566": "TVA déductible sur autres biens et services",
    "512": "Banque",
    "6225": "Rémunérations d'affacturage",
    "6616": "Intérêts bancaires et sur opérations de financement",
}
OPERATIONS = {"assignment": "Cession de factures", "guarantee_fund": "Fonds de garantie",
              "fund_call": "Appel de fonds", "commission": "Commissions",
              "collection": "Encaissement par le factor",
              "charge_back": "Définancement (litige / non-valeur)", "charge_back_reversal": "Refinancement"}
DIFFERENCE_LABELS = {"": "Rapproché",
                     "timing": "Décalage temporel : comptabilisé chez nous, pas encore chez le factor",
                     "unbooked_commission": "Commission du factor non encore comptabilisée",
                     "unbooked_charge_back": "Définancement (litige / non-valeur) non encore comptabilisé",
                     "unbooked_other": "Opération du factor non encore comptabilisée",
                     "amount": "Écart de montant à analyser"}
COLUMNS = ["entry", "date", "journal", "account", "account_label", "customer_id", "debit", "credit", "label",
           "operation"]


def _lines(entry, date, journal, operation, rows) -> pd.DataFrame:
    """rows: (account, debit, credit, label[, customer_id]) tuples or a DataFrame with those columns."""
    df = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(
        [r if len(r) == 5 else (*r, "") for r in rows],
        columns=["account", "debit", "credit", "label", "customer_id"])
    df = df.assign(entry=entry, date=to_timestamp(date, "date"), journal=journal, operation=operation)
    df["account_label"] = df["account"].map(ACCOUNTS)
    df[["debit", "credit"]] = df[["debit", "credit"]].astype(float).round(2)
    return df[COLUMNS]


def assignment_entry(entry: str, date, invoices: pd.DataFrame) -> pd.DataFrame:
    """Assignment of invoices (`customer_id`, `document_ref`, `amount` incl. VAT): Debit 4671 / Credit 411."""
    if (invoices["amount"] <= 0).any():
        raise DataError("seules des factures (montants positifs) peuvent être cédées au factor")
    credits = pd.DataFrame({"account": "411", "debit": 0.0, "credit": invoices["amount"].to_numpy(),
                            "label": "Cession facture " + invoices["document_ref"].astype(str).to_numpy(),
                            "customer_id": invoices["customer_id"].astype(str).to_numpy()})
    total = round(float(invoices["amount"].sum()), 2)
    debit = pd.DataFrame([("4671", total, 0.0, f"Bordereau de cession {entry}", "")], columns=credits.columns)
    return _lines(entry, date, "FAC", "assignment", pd.concat([debit, credits], ignore_index=True))


def guarantee_fund_entry(entry: str, date, amount: float) -> pd.DataFrame:
    """Retention to the guarantee fund (amount > 0: Debit 4672 / Credit 4671) or its release (amount < 0)."""
    a = round(abs(amount), 2)
    rows = ([("4672", a, 0.0, "Retenue fonds de garantie"), ("4671", 0.0, a, "Retenue fonds de garantie")]
            if amount >= 0 else
            [("4671", a, 0.0, "Libération fonds de garantie"),
             ("4672", 0.0, a, "Libération fonds de garantie")])
    return _lines(entry, date, "FAC", "guarantee_fund", rows)


def fund_call_entry(entry: str, date, amount: float) -> pd.DataFrame:
    """Fund call: the factor pays the available amount to the bank, Debit 512 / Credit 4671."""
    if amount < 0:
        raise DataError("un appel de fonds est un montant positif")
    return _lines(entry, date, "BQ", "fund_call", [("512", amount, 0.0, "Appel de fonds factor"),
                                                   ("4671", 0.0, amount, "Appel de fonds factor")])


def commission_entry(entry: str, date, fees_excl_vat: float, financing_commission: float,
                     vat_rate: float = 0.20) -> pd.DataFrame:
    """Commissions: Debit 6225 (factoring commission and fees, excl. VAT) + 44566 (their VAT) + 6616
    (financing commission, no VAT) / Credit 4671 (the total the factor debits)."""
    vat = round(fees_excl_vat * vat_rate, 2)
    total = round(fees_excl_vat, 2) + vat + round(financing_commission, 2)
    return _lines(entry, date, "FAC", "commission", [
        ("6225", fees_excl_vat, 0.0, "Commission d'affacturage et frais"),
        ("44566", vat, 0.0, "TVA sur commission d'affacturage"),
        ("6616", financing_commission, 0.0, "Commission de financement"),
        ("4671", 0.0, total, "Commissions du factor")])


def customer_payment_entry(entry: str, date, amount: float, guarantee_fund_rate: float) -> pd.DataFrame:
    """A customer pays an assigned invoice to the factor.

    No entry in 411: the invoice left the customer's account at assignment (the factor, subrogated, is the
    creditor). The only effect on the company's books is the release of the guarantee fund retained on that
    invoice: Debit 4671 / Credit 4672 = rate × amount paid (nothing if there is no guarantee fund). In a
    confidential (non-notified) contract the customer pays the company, which passes the cash on to the
    factor: Debit 512 / Credit 4671 on receipt, then Debit 4671 / Credit 512 on transfer — no net effect, not
    modelled.
    """
    release = round(amount * guarantee_fund_rate, 2)
    if release == 0:
        return pd.DataFrame(columns=COLUMNS)
    out = guarantee_fund_entry(entry, date, -release)
    return out.assign(operation="collection",
                      label="Encaissement par le factor : libération fonds de garantie")


def charge_back_entry(entry: str, date, customer_id: str, document_ref: str, amount: float) -> pd.DataFrame:
    """A disputed or overdue invoice the factor stops financing and hands back: Debit 411 / Credit 4671."""
    return _lines(entry, date, "FAC", "charge_back", [
        ("411", amount, 0.0, f"Définancement facture {document_ref}", customer_id),
        ("4671", 0.0, amount, f"Définancement facture {document_ref}")])


def charge_back_reversal_entry(entry: str, date, customer_id: str, document_ref: str,
                               amount: float) -> pd.DataFrame:
    """The dispute is settled and the invoice assigned again: Debit 4671 / Credit 411."""
    return _lines(entry, date, "FAC", "charge_back_reversal", [
        ("4671", amount, 0.0, f"Refinancement facture {document_ref}"),
        ("411", 0.0, amount, f"Refinancement facture {document_ref}", customer_id)])


def check_balanced(journal: pd.DataFrame) -> pd.DataFrame:
    """Return `journal` if every entry balances (debits = credits to the cent), else raise `DataError`."""
    sums = journal.groupby("entry")[["debit", "credit"]].sum().round(2)
    bad = sums[(sums["debit"] - sums["credit"]).abs() > 0.005]
    if not bad.empty:
        raise DataError(f"écriture(s) déséquilibrée(s) : {', '.join(map(str, bad.index))}")
    return journal


def _week(dates: pd.Series) -> pd.Series:
    """The Monday of each date's week."""
    return dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")


def journal_for_month(case, offer, month: str = "2025-12", dso_days: float | None = None) -> pd.DataFrame:
    """A month of the fil rouge under a factoring contract already running (every earlier invoice assigned).

    Each week's invoices are assigned on one bordereau (dated the last invoice date of the week), with the
    guarantee-fund retention; funds are called two days later if that is still in the month. Customers' cash
    payments of the month release the guarantee fund (one entry per week). Disputes opened in the month are
    charged back; disputes rejected in the month are re-assigned. At month end: factoring commission on the
    month's assignments (the annual minimum is settled at year end), per-invoice, per-buyer (1/12) and dispute
    fees, and the financing commission on the month's fund calls for `dso_days` + value days (base 360,
    charged in advance).
    """
    start = to_timestamp(f"{month}-01", "month")
    end = start + pd.offsets.MonthEnd(0)
    if dso_days is None:
        from casekit.outsourcing.factoring import case_factoring_inputs
        dso_days = case_factoring_inputs(case, start.year)["dso_days"]
    inv = case.invoices
    sold = inv[(inv["document_type"] == "Facture") & inv["document_date"].between(start, end)]
    sold = sold.rename(columns={"amount_incl_vat": "amount"})
    tag = f"{start:%Y%m}"
    parts, calls = [], 0.0
    for n, (_, batch) in enumerate(sold.groupby(_week(sold["document_date"]), sort=True), start=1):
        date, total = batch["document_date"].max(), round(float(batch["amount"].sum()), 2)
        retained = round(total * offer.guarantee_fund_rate, 2)
        ref = f"CES-{tag}-{n:02d}"
        parts += [assignment_entry(ref, date, batch), guarantee_fund_entry(ref, date, retained)]
        if date + pd.Timedelta(days=2) <= end:
            parts.append(fund_call_entry(f"ADF-{tag}-{n:02d}", date + pd.Timedelta(days=2), total - retained))
            calls += total - retained
    pay = case.payments
    cash = pay[pay["payment_date"].between(start, end) & pay["document_ref"].str.startswith("FA")
               & (pay["payment_method"] != "Imputation d'avoir")]
    for n, (_, batch) in enumerate(cash.groupby(_week(cash["payment_date"]), sort=True), start=1):
        parts.append(customer_payment_entry(f"ENC-{tag}-{n:02d}", batch["payment_date"].max(),
                                            float(batch["amount"].sum()), offer.guarantee_fund_rate))
    d = case.disputes.sort_values("dispute_id")
    opened = d[d["opened_date"].between(start, end)]
    for row in opened.itertuples(index=False):
        parts.append(charge_back_entry(f"DEF-{row.dispute_id}", row.opened_date, row.customer_id,
                                       row.document_ref, row.amount))
    rejected = d[d["closed_date"].between(start, end) & (d["outcome"] == "Litige rejeté")]
    for row in rejected.itertuples(index=False):
        parts.append(charge_back_reversal_entry(f"REF-{row.dispute_id}", row.closed_date, row.customer_id,
                                                row.document_ref, row.amount))
    fees = (offer.factoring_fee_rate * sold["amount"].sum() + offer.per_invoice_fee * len(sold)
            + offer.per_buyer_fee * sold["customer_id"].nunique() / 12 + offer.dispute_fee * len(opened))
    financing = offer.financing_rate * calls * (dso_days + offer.value_days) / 360
    vat = float(case.company["standard_vat_rate"].iloc[0])
    parts.append(commission_entry(f"COM-{tag}", end, fees, financing, vat))
    journal = pd.concat([p for p in parts if not p.empty], ignore_index=True)
    return check_balanced(journal.sort_values(["date", "entry"], kind="stable").reset_index(drop=True))


def current_account(journal: pd.DataFrame) -> pd.DataFrame:
    """The factor current account (4671) from a journal, one line per entry: `date`, `reference`, `operation`,
    `label`, `amount` (debit − credit: > 0 in the company's favour)."""
    lines = journal[journal["account"] == "4671"]
    out = lines.groupby("entry", sort=False).agg(date=("date", "first"), operation=("operation", "first"),
                                                 label=("label", "first"), debit=("debit", "sum"),
                                                 credit=("credit", "sum"))
    out["amount"] = (out["debit"] - out["credit"]).round(2)
    return out.reset_index().rename(columns={"entry": "reference"})[
        ["date", "reference", "operation", "label", "amount"]]


def example_factor_statement(journal: pd.DataFrame, case, offer) -> pd.DataFrame:
    """The factor's statement of the current account for the month of `journal`, with deliberate differences.

    Same columns as `current_account` (amount > 0 = in the company's favour, a credit on the factor's
    statement). Differences: (1) the last bordereau of the month reached the factor after the closing
    (timing); (2) the factor charged back the open invoice the most overdue beyond its limit (a non-valeur);
    (3) it charged a fee for that non-valeur, not yet booked; (4) its financing commission differs from the
    company's estimate by the interest on the value days of a late payment (12,50 €).
    """
    ledger = current_account(journal)
    last = ledger.loc[ledger["operation"] == "assignment", "reference"].iloc[-1]
    statement = ledger[ledger["reference"] != last].copy()
    end = ledger["date"].max()
    items = case.open_items(end)
    failed = case.customers.loc[case.customers["insolvency_date"].notna(), "customer_id"]
    overdue = items[(items["amount"] > 0) & ~items["disputed"] & ~items["customer_id"].isin(failed)
                    & ((end - items["due_date"]).dt.days > offer.max_overdue_days)]
    commission = statement["operation"] == "commission"
    statement.loc[commission, "amount"] = statement.loc[commission, "amount"] - 12.50
    if not overdue.empty:
        worst = overdue.sort_values(["due_date", "document_ref"]).iloc[0]
        ref = worst["document_ref"]
        extra = pd.DataFrame([
            dict(date=end, reference=f"NV-{ref}", operation="charge_back",
                 label=f"Définancement non-valeur {ref}", amount=-float(worst["amount"])),
            dict(date=end, reference=f"FRAIS-NV-{ref}", operation="commission",
                 label="Frais de gestion non-valeur", amount=-round(offer.dispute_fee * 1.2, 2))])
        statement = pd.concat([statement, extra], ignore_index=True)
    return statement.sort_values(["date", "reference"], kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class Reconciliation:
    items: pd.DataFrame               # one row per reference: amounts on each side, status, difference
    ledger_balance: float
    statement_balance: float
    adjusted_ledger_balance: float    # + what the company still has to book
    adjusted_statement_balance: float  # + what the factor will integrate
    reconciled: bool


def reconcile_factor_account(factor_statement: pd.DataFrame, ledger: pd.DataFrame,
                             opening_balance: float = 0.0) -> Reconciliation:
    """Reconcile the factor's statement with the company's 4671 account (a journal or `current_account`
    lines).

    Items are matched by reference. `status`: matched, ledger_only, statement_only or amount_difference;
    `difference`: a key of `DIFFERENCE_LABELS`. Adjusted ledger = ledger + statement-only items + amount
    differences (to be booked by the company); adjusted statement = statement + ledger-only items (timing).
    """
    if "account" in ledger:
        ledger = current_account(ledger)
    for name, df in (("relevé du factor", factor_statement), ("grand livre", ledger)):
        missing = {"reference", "amount", "operation"} - set(df.columns)
        if missing:
            raise DataError(f"colonnes absentes du {name} : {', '.join(sorted(missing))}")
    side = lambda df: df.groupby("reference", sort=False).agg(  # noqa: E731
        date=("date", "first"), operation=("operation", "first"), label=("label", "first"),
        amount=("amount", "sum"))
    m = side(ledger).merge(side(factor_statement), how="outer", left_index=True, right_index=True,
                           suffixes=("_ledger", "_statement"))
    for col in ("date", "operation", "label"):
        m[col] = m[f"{col}_statement"].fillna(m[f"{col}_ledger"])
    in_l, in_s = m["amount_ledger"].notna(), m["amount_statement"].notna()
    gap = (m["amount_statement"] - m["amount_ledger"]).round(2)
    m["status"] = "matched"
    m.loc[in_l & in_s & (gap.abs() > 0.005), "status"] = "amount_difference"
    m.loc[in_l & ~in_s, "status"] = "ledger_only"
    m.loc[~in_l & in_s, "status"] = "statement_only"
    m["difference"] = ""
    m.loc[m["status"] == "amount_difference", "difference"] = "amount"
    m.loc[m["status"] == "ledger_only", "difference"] = "timing"
    only_s = m["status"] == "statement_only"
    m.loc[only_s, "difference"] = m.loc[only_s, "operation"].map(
        {"commission": "unbooked_commission", "charge_back": "unbooked_charge_back"}).fillna("unbooked_other")
    m["gap"] = gap.where(in_l & in_s, m["amount_statement"].where(in_s, -m["amount_ledger"]))
    items = m.reset_index()[["date", "reference", "operation", "label", "amount_ledger", "amount_statement",
                             "status", "difference", "gap"]].sort_values(["date", "reference"], kind="stable")
    ledger_balance = round(opening_balance + m["amount_ledger"].sum(), 2)
    statement_balance = round(opening_balance + m["amount_statement"].sum(), 2)
    to_book = m.loc[m["status"].isin(["statement_only", "amount_difference"]), "gap"].sum()
    in_transit = m.loc[m["status"] == "ledger_only", "amount_ledger"].sum()
    adj_l, adj_s = round(ledger_balance + to_book, 2), round(statement_balance + in_transit, 2)
    return Reconciliation(items.reset_index(drop=True), ledger_balance, statement_balance, adj_l, adj_s,
                          abs(adj_l - adj_s) < 0.005)
