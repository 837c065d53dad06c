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
| credit note on an invoice still financed (passed on to the factor) | 411 Clients | 4671 |

The factoring commission and the fees are services subject to VAT (recovered: 44566); the financing commission
is interest, exempt from VAT (art. 261 C CGI), booked as a financial charge (6616). Every entry balances.
Lines: `entry`, `date`, `journal` (FAC affacturage, BQ banque), `account`, `account_label`, `customer_id` (411
lines), `debit`, `credit`, `label`, `operation` (a key of `OPERATIONS`).
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.dates
import numpy as np
import pandas as pd

from casekit import fmt, plots
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
    "471": "Compte d'attente",
}
OPERATIONS = {"assignment": "Cession de factures", "guarantee_fund": "Fonds de garantie",
              "fund_call": "Appel de fonds", "commission": "Commissions",
              "collection": "Encaissement par le factor",
              "charge_back": "Définancement (litige / non-valeur)", "charge_back_reversal": "Refinancement",
              "credit_note": "Avoir transmis au factor", "adjustment": "Régularisation après rapprochement"}
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
    if not isinstance(rows, pd.DataFrame):  # a few lines: built column by column, much faster than assign/map
        rows = [r if len(r) == 5 else (*r, "") for r in rows]
        n, day = len(rows), to_timestamp(date, "date")
        return pd.DataFrame({
            "entry": pd.array([entry] * n, dtype="str"), "date": pd.DatetimeIndex([day] * n),
            "journal": pd.array([journal] * n, dtype="str"),
            "account": pd.array([r[0] for r in rows], dtype="str"),
            "account_label": pd.array([ACCOUNTS.get(r[0]) for r in rows], dtype="str"),
            "customer_id": pd.array([r[4] for r in rows], dtype="str"),
            "debit": np.round(np.array([r[1] for r in rows], dtype=float), 2),
            "credit": np.round(np.array([r[2] for r in rows], dtype=float), 2),
            "label": pd.array([r[3] for r in rows], dtype="str"),
            "operation": pd.array([operation] * n, dtype="str")})
    df = rows.assign(entry=entry, date=to_timestamp(date, "date"), journal=journal, operation=operation)
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


# --- Additions for notebook 08: credit notes, a readable journal, balances, CCV chart, after the reconciliation ---

def credit_note_entry(entry: str, date, customer_id: str, document_ref: str, amount: float) -> pd.DataFrame:
    """A credit note (`amount` incl. VAT, positive) on an invoice still assigned and financed: the sales entry
    (Debit 709/70x + 44571 / Credit 411) leaves the customer's account in credit, so the credit note is passed on
    to the factor, who debits the current account: Debit 411 / Credit 4671."""
    if amount <= 0:
        raise DataError("le montant d'un avoir transmis au factor se saisit en positif")
    return _lines(entry, date, "FAC", "credit_note", [
        ("411", amount, 0.0, f"Avoir {document_ref} transmis au factor", customer_id),
        ("4671", 0.0, amount, f"Avoir {document_ref} transmis au factor")])


def journal_display(journal: pd.DataFrame, aggregate_customers: bool = True) -> pd.DataFrame:
    """The journal as a French display table: Date, Pièce, Compte, Intitulé, Libellé, Débit, Crédit, and a final
    « Total » row. With `aggregate_customers`, the 411 lines of one entry become one line (« n factures »)."""
    df = journal.copy()
    if aggregate_customers and not df.empty:
        # one key per line, except the 411 lines of an entry and operation, which share theirs
        key = df["entry"] + "|" + df["account"] + "|" + df["operation"]
        key = key.where(df["account"] == "411", key + "|" + pd.Series(range(len(df)), index=df.index).astype(str))
        first = ~key.duplicated()
        counts = key.map(key.value_counts())
        sums = df.groupby(key, sort=False)[["debit", "credit"]].sum()
        df = df[first].copy()
        k = key[first]
        df["debit"], df["credit"] = k.map(sums["debit"]).round(2), k.map(sums["credit"]).round(2)
        many = counts[first] > 1
        df.loc[many, "label"] = [f"{n} pièces clients ({op})" for n, op in
                                 zip(counts[first][many], df.loc[many, "operation"].map(OPERATIONS))]
    total = pd.DataFrame([{"date": None, "entry": "Total", "account": "", "account_label": "", "label": "",
                           "debit": round(float(journal["debit"].sum()), 2),
                           "credit": round(float(journal["credit"].sum()), 2)}])
    out = pd.concat([df[["date", "entry", "account", "account_label", "label", "debit", "credit"]], total],
                    ignore_index=True)
    out["date"] = out["date"].map(lambda d: "" if d is None or pd.isna(d) else fmt.date(d))
    for col in ("debit", "credit"):
        out[col] = out[col].map(lambda v: fmt.euros(v) if v else "")
    return out.rename(columns={"date": "Date", "entry": "Pièce", "account": "Compte", "account_label": "Intitulé",
                               "label": "Libellé", "debit": "Débit", "credit": "Crédit"})


def journal_by_operation(journal: pd.DataFrame) -> pd.DataFrame:
    """The journal summed by operation and account: `operation` (French label), `entries` (number of entries of
    that operation), `account`, `account_label`, `debit`, `credit`; operations in the order of `OPERATIONS`,
    debits before credits within an operation."""
    if journal.empty:
        return pd.DataFrame(columns=["operation", "entries", "account", "account_label", "debit", "credit"])
    g = journal.groupby(["operation", "account"], sort=False)[["debit", "credit"]].sum().round(2).reset_index()
    entries = journal.groupby("operation")["entry"].nunique()
    g["entries"] = g["operation"].map(entries)
    g["account_label"] = g["account"].map(ACCOUNTS)
    order = {op: i for i, op in enumerate(OPERATIONS)}
    g["_op"], g["_side"] = g["operation"].map(order), (g["credit"] > g["debit"]).astype(int)
    g = g.sort_values(["_op", "_side", "account"], kind="stable")
    g["operation"] = g["operation"].map(OPERATIONS)
    return g[["operation", "entries", "account", "account_label", "debit", "credit"]].reset_index(drop=True)


def account_balances(journal: pd.DataFrame) -> pd.DataFrame:
    """Trial balance of a journal, one row per account (sorted by number): `account`, `account_label`, `debit`,
    `credit`, `balance` (debit − credit) and `side` (« débiteur », « créditeur » or « soldé »)."""
    g = journal.groupby("account")[["debit", "credit"]].sum().round(2).reset_index()
    g["account_label"] = g["account"].map(ACCOUNTS)
    g["balance"] = (g["debit"] - g["credit"]).round(2)
    g["side"] = ["débiteur" if b > 0.005 else "créditeur" if b < -0.005 else "soldé" for b in g["balance"]]
    return g[["account", "account_label", "debit", "credit", "balance", "side"]].sort_values(
        "account", kind="stable").reset_index(drop=True)


def month_commissions(journal: pd.DataFrame, offer, dso_days: float, vat_rate: float = 0.20) -> pd.DataFrame:
    """The commissions of a month as the company checks them, rebuilt from the month's journal
    (`journal_for_month`) and the contract: `item`, `base` (French text), `amount` (EUR). Same rules as the
    month-end entry: commission on the TTC assigned, fees per invoice, per buyer (1/12 a year) and per dispute
    charged back, VAT on those, financing commission on the fund calls for `dso_days` + value days, base 360."""
    assigned = journal[(journal["operation"] == "assignment") & (journal["account"] == "411")]
    sold, n_invoices, n_buyers = float(assigned["credit"].sum()), len(assigned), assigned["customer_id"].nunique()
    n_disputes = journal.loc[journal["operation"] == "charge_back", "entry"].nunique()
    calls = float(journal.loc[(journal["operation"] == "fund_call") & (journal["account"] == "512"), "debit"].sum())
    commission = offer.factoring_fee_rate * sold
    per_invoice = offer.per_invoice_fee * n_invoices
    per_buyer = offer.per_buyer_fee * n_buyers / 12
    per_dispute = offer.dispute_fee * n_disputes
    fees = commission + per_invoice + per_buyer + per_dispute
    vat = round(fees * vat_rate, 2)
    financing = offer.financing_rate * calls * (dso_days + offer.value_days) / 360
    total = round(fees, 2) + vat + round(financing, 2)
    rows = [
        ("Commission d'affacturage", f"{fmt.percent(offer.factoring_fee_rate, 2)} × {fmt.euros(sold)} cédés",
         commission),
        ("Frais par facture", f"{n_invoices} factures × {fmt.euros(offer.per_invoice_fee)}", per_invoice),
        ("Frais par acheteur (1/12 du forfait annuel)",
         f"{n_buyers} acheteurs × {fmt.euros(offer.per_buyer_fee)} / 12", per_buyer),
        ("Frais de litige", f"{n_disputes} litiges × {fmt.euros(offer.dispute_fee)}", per_dispute),
        ("= Commission et frais HT (compte 6225)", "", round(fees, 2)),
        ("TVA déductible (compte 44566)", f"{fmt.percent(vat_rate, 0)} × commission et frais HT", vat),
        ("Commission de financement, sans TVA (compte 6616)",
         f"{fmt.percent(offer.financing_rate, 2)} × {fmt.euros(calls)} appelés × "
         f"({fmt.number(dso_days, 1)} + {offer.value_days}) jours / 360", round(financing, 2)),
        ("= Total débité au compte courant (4671)", "", round(total, 2)),
    ]
    return pd.DataFrame(rows, columns=["item", "base", "amount"])


def plot_current_account(ledger: pd.DataFrame, opening_balance: float = 0.0,
                         title: str = "Compte courant du factor (4671) : mouvements et solde"):
    """Daily movements of the current account (`current_account` lines) as bars, its running balance as a step
    line (> 0: the factor owes the company)."""
    fig, ax = plots.new_figure(title, ylabel="Montant")
    daily = ledger.groupby("date")["amount"].sum().sort_index()
    balance = opening_balance + daily.cumsum()
    ax.bar(daily.index, daily.clip(lower=0), color=plots.PALETTE[2], width=0.8, label="Au crédit de l'entreprise")
    ax.bar(daily.index, daily.clip(upper=0), color=plots.PALETTE[3], width=0.8, label="À son débit")
    ax.step(balance.index, balance.to_numpy(), where="post", color=plots.PALETTE[0], linewidth=2.5,
            label="Solde du compte courant")
    ax.axhline(0, color="black", linewidth=0.8)
    plots.euro_axis(ax, "y", "k€")
    ax.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%d/%m"))
    ax.legend(loc="upper left")
    return fig


RECONCILIATION_ACTIONS = {
    "timing": "Aucune écriture : vérifier que le factor l'intègre sur son prochain relevé.",
    "unbooked_charge_back": "Comptabiliser le définancement (débit 411 client, crédit 4671) : la facture revient "
                            "dans la balance clients ; la relancer nous-mêmes ou contester la non-valeur.",
    "unbooked_commission": "Contrôler le tarif, puis comptabiliser les frais (débit 6225 HT et 44566 TVA, "
                           "crédit 4671).",
    "amount": "Demander le détail au factor ; comptabiliser l'écart justifié (commission de financement : débit "
              "6616, crédit 4671) ou le réclamer.",
    "unbooked_other": "Identifier l'opération avec le factor ; en attendant, compte d'attente 471.",
}


def reconciliation_actions(rec) -> pd.DataFrame:
    """The differences of a `Reconciliation`, each explained and with the action to take: `date`, `reference`,
    `label`, `amount_ledger`, `amount_statement`, `gap`, `explanation`, `action` (French)."""
    diff = rec.items[rec.items["status"] != "matched"].copy()
    diff["explanation"] = diff["difference"].map(DIFFERENCE_LABELS)
    diff["action"] = diff["difference"].map(RECONCILIATION_ACTIONS)
    return diff[["date", "reference", "label", "amount_ledger", "amount_statement", "gap", "explanation",
                 "action"]].reset_index(drop=True)


def adjusting_entries(rec, vat_rate: float = 0.20, customers: dict | None = None) -> pd.DataFrame:
    """The entries the company books after the reconciliation, under the statement's references (so that a new
    reconciliation matches them): for a charge-back found on the statement only, Debit 411 / Credit 4671
    (`customers` maps the invoice, the reference without its « NV- » prefix, to its customer); for fees found on
    the statement only (amount incl. VAT), Debit 6225 + 44566 / Credit 4671; for an amount difference on the
    commissions, the financing commission (interest, no VAT) the company under- or over-estimated, 6616 against
    4671; anything else goes to the suspense account 471. Ledger-only items (timing) need no entry."""
    parts = []
    todo = rec.items[rec.items["status"].isin(["statement_only", "amount_difference"])]
    for r in todo.itertuples(index=False):
        gap = round(float(r.gap), 2)
        if abs(gap) < 0.005:
            continue
        date = r.date
        if r.status == "statement_only" and r.operation == "charge_back" and gap < 0:
            ref = str(r.reference).removeprefix("NV-")
            parts.append(charge_back_entry(r.reference, date, (customers or {}).get(ref, ""), ref, -gap))
        elif r.status == "statement_only" and r.operation == "commission" and gap < 0:
            ht = round(-gap / (1 + vat_rate), 2)
            parts.append(_lines(r.reference, date, "FAC", "commission", [
                ("6225", ht, 0.0, str(r.label)), ("44566", round(-gap - ht, 2), 0.0, f"TVA – {r.label}"),
                ("4671", 0.0, -gap, str(r.label))]))
        else:
            account = "6616" if r.operation == "commission" else "471"
            label = f"Écart {r.label}"
            rows = ([(account, -gap, 0.0, label), ("4671", 0.0, -gap, label)] if gap < 0
                    else [("4671", gap, 0.0, label), (account, 0.0, gap, label)])
            parts.append(_lines(r.reference, date, "FAC", "adjustment", rows))
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    return check_balanced(pd.concat(parts, ignore_index=True))
