"""The FEC (fichier des écritures comptables, art. A47 A-1 du LPF): reading, open items, and writing.

`read_fec` reads a real FEC: tab or `|` separated, UTF-8 (with or without BOM) or Latin-1, decimal comma,
zero-padded amounts, dates `AAAAMMJJ`, extra columns allowed, headers matched case-insensitively, and the
"Montant + Sens" variant of the debit/credit columns; a file of millions of lines is parsed by pyarrow.
`open_items_from_fec` derives the customers' open items, `fec_ledger` the sales and receipts that DSO needs.
`fec_from_case` writes the fil rouge as FEC lines, `scale_fec` grows them to millions of lines (benchmarks).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pcsv

from casekit import fmt
from casekit.dates import to_timestamp
from casekit.errors import DataError
from casekit.openitems import canonical_open_items, terms_due_dates
from casekit.parsing import parse_amounts, parse_dates

FEC_COLUMNS = ["JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib",
               "CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit",
               "EcritureLet", "DateLet", "ValidDate", "Montantdevise", "Idevise"]
OPTIONAL = {"Montantdevise", "Idevise"}
DATE_COLUMNS = {"EcritureDate": True, "PieceDate": False, "DateLet": False, "ValidDate": False}
CUSTOMER_ACCOUNT_PREFIX = "411"


def _sniff(path: Path) -> tuple[str, str]:
    """Return (separator, encoding) from the header line."""
    with open(path, "rb") as fh:
        head = fh.readline(65536)
    if not head.strip():
        raise DataError("fichier vide : la première ligne doit porter les noms des colonnes du FEC", path=path)
    if b"\t" in head:
        sep = "\t"
    elif b"|" in head:
        sep = "|"
    else:
        found = next((s for s in (";", ",") if s.encode() in head), None)
        hint = f" (séparateur « {found} » trouvé)" if found else ""
        raise DataError(f"séparateur non conforme{hint} : un FEC est séparé par des tabulations ou par « | »",
                        path=path, line=1)
    try:
        head.decode("utf-8")
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "latin-1"
    return sep, encoding


def _read_raw(path: Path, sep: str, encoding: str) -> pd.DataFrame:
    """Every field as text, parsed by pyarrow (UTF-8, else Latin-1); by pandas when pyarrow refuses the file, so
    that the error names the line."""
    with open(path, "rb") as fh:
        header = re.match(rb"[^\r\n]*", fh.read(65536)).group()
    names = header.decode("utf-8-sig" if encoding != "latin-1" else "latin-1").split(sep)
    if len(set(names)) == len(names):  # else pandas tells them apart (A, A.1)
        for attempt in dict.fromkeys(["utf8" if encoding != "latin-1" else "latin-1", "latin-1"]):
            try:
                return _read_arrow(path, sep, names, attempt)
            except pa.ArrowInvalid:  # a line with too many or too few fields, or text not in `attempt`
                continue
    return _read_pandas(path, sep, encoding)


def _read_arrow(path: Path, sep: str, names: list[str], encoding: str) -> pd.DataFrame:
    keys = [f"f{i}" for i in range(len(names))]
    table = pcsv.read_csv(path, read_options=pcsv.ReadOptions(column_names=keys, skip_rows=1, encoding=encoding),
                          parse_options=pcsv.ParseOptions(delimiter=sep, quote_char=False),
                          convert_options=pcsv.ConvertOptions(column_types=dict.fromkeys(keys, pa.string()),
                                                              strings_can_be_null=False))
    return table.rename_columns(names).to_pandas()


def _read_pandas(path: Path, sep: str, encoding: str) -> pd.DataFrame:
    try:
        return pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, quoting=csv.QUOTE_NONE, engine="c",
                           encoding=encoding)
    except pd.errors.ParserError as exc:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if match:
            expected, line, saw = match.groups()
            raise DataError(f"{saw} champs au lieu de {expected} (séparateur en trop dans un libellé ?)",
                            path=path, line=int(line)) from None
        raise DataError(f"structure du fichier illisible ({exc})", path=path) from None


def read_fec(path) -> pd.DataFrame:
    """Read a FEC into a DataFrame with the standard column names, dates parsed and `Debit`/`Credit` as floats.

    A "Montant + Sens" file gets `Debit` and `Credit` columns computed from them. Extra columns are kept as text.
    Each entry (`JournalCode`, `EcritureNum`) must balance. Bad input raises `DataError` naming the line.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError("fichier introuvable", path=path)
    sep, encoding = _sniff(path)
    raw = _read_raw(path, sep, encoding)
    raw.columns = [str(c).strip().lstrip("\ufeff") for c in raw.columns]
    raw = raw.drop(columns=[c for c in raw.columns if (c == "" or c.startswith("Unnamed:"))
                            and (raw[c].fillna("") == "").all()])
    by_lower = {c.lower(): c for c in raw.columns}
    rename = {by_lower[c.lower()]: c for c in FEC_COLUMNS + ["Montant", "Sens"] if c.lower() in by_lower}
    fec = raw.rename(columns=rename)
    amount_variant = "Debit" not in fec.columns and "Credit" not in fec.columns and \
        {"Montant", "Sens"} <= set(fec.columns)
    needed = [c for c in FEC_COLUMNS if c not in OPTIONAL and not (amount_variant and c in ("Debit", "Credit"))]
    missing = [c for c in needed if c not in fec.columns]
    if missing:
        raise DataError(f"colonne(s) obligatoire(s) absente(s) : {', '.join(missing)}", path=path, line=1)
    fec = fec.fillna("")
    lines = pd.Series(np.arange(2, len(fec) + 2), index=fec.index)
    text_cols = [c for c in fec.columns if c not in DATE_COLUMNS and c not in ("Debit", "Credit", "Montant")]
    for col in text_cols:
        fec[col] = fec[col].str.strip()
    for col, required in DATE_COLUMNS.items():
        if col in fec.columns:
            fec[col] = parse_dates(fec[col], path=path, column=col, lines=lines, required=required)
    if amount_variant:
        amount = parse_amounts(fec["Montant"], path=path, column="Montant", lines=lines)
        sens = fec["Sens"].str.upper()
        debit = sens.isin(["D", "+1", "1", "+"])
        bad = ~debit & ~sens.isin(["C", "-1", "-"])
        if bad.any():
            pos = int(bad.to_numpy().argmax())
            raise DataError(f"sens « {fec['Sens'].iloc[pos]} » invalide (attendu : D ou C)", path=path,
                            line=int(lines.iloc[pos]), column="Sens")
        fec["Debit"] = amount.where(debit, 0.0)
        fec["Credit"] = amount.where(~debit, 0.0)
    else:
        fec["Debit"] = parse_amounts(fec["Debit"], path=path, column="Debit", lines=lines)
        fec["Credit"] = parse_amounts(fec["Credit"], path=path, column="Credit", lines=lines)
    _check_balanced(fec, lines, path)
    fec.attrs["path"] = str(path)
    return fec


def _check_balanced(fec: pd.DataFrame, lines: pd.Series, path: Path) -> None:
    cents = (fec["Debit"] * 100).round().astype("int64") - (fec["Credit"] * 100).round().astype("int64")
    totals = cents.groupby([fec["JournalCode"], fec["EcritureNum"]], sort=False).sum()
    unbalanced = totals[totals != 0]
    if len(unbalanced):
        (journal, number), gap = unbalanced.index[0], unbalanced.iloc[0] / 100
        first = lines[(fec["JournalCode"] == journal) & (fec["EcritureNum"] == number)].iloc[0]
        raise DataError(f"écriture déséquilibrée (journal {journal}, n° {number}) : débit − crédit = "
                        f"{fmt.euros(gap)} ; {len(unbalanced)} écriture(s) concernée(s)", path=path, line=int(first))


def open_items_from_fec(fec: pd.DataFrame, as_of, payment_terms_days: int = 30,
                        terms_by_customer: dict | None = None, end_of_month: bool = False) -> pd.DataFrame:
    """The customers' open items at `as_of`, as the canonical open-items table.

    Customer accounts are those whose `CompteNum` starts with 411; the customer is `CompAuxNum` when present,
    else `CompteNum`. An entry line is open when dated (`EcritureDate`) on or before `as_of` and not lettered at
    `as_of` (no `EcritureLet`, or `DateLet` after `as_of`); a letter group that does not net to zero leaves its
    residual open, under the reference of its latest line of the residual's sign. The open items of a customer
    always sum to that customer's 411 balance at `as_of`. The FEC has no due date: it is the document date
    (`PieceDate`, else `EcritureDate`) plus the payment terms (`payment_terms_days`, or the customer's in
    `terms_by_customer`); credit items are due at once.
    """
    as_of = to_timestamp(as_of)
    used = ["CompteNum", "CompteLib", "CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureDate", "Debit",
            "Credit", "EcritureLet", "DateLet"]
    lines = fec.loc[fec["CompteNum"].str.startswith(CUSTOMER_ACCOUNT_PREFIX) & (fec["EcritureDate"] <= as_of), used]
    aux = lines["CompAuxNum"]
    df = pd.DataFrame({
        "customer_id": aux.where(aux != "", lines["CompteNum"]),
        "customer_name": lines["CompAuxLib"].where(aux != "", lines["CompteLib"]),
        "document_ref": lines["PieceRef"],
        "document_date": lines["PieceDate"].fillna(lines["EcritureDate"]),
        "amount": (lines["Debit"] - lines["Credit"]).round(2),
        "letter": lines["EcritureLet"],
    })
    lettered = (df["letter"] != "") & (lines["DateLet"].isna() | (lines["DateLet"] <= as_of))
    free = df[~lettered].groupby(["customer_id", "document_ref", "document_date"], as_index=False, sort=False).agg(
        customer_name=("customer_name", "first"), amount=("amount", "sum"))
    residuals = _letter_residuals(df[lettered])
    items = pd.concat([free, residuals], ignore_index=True)
    items["amount"] = items["amount"].round(2)
    items = items[items["amount"].abs() > 0.005]
    names = df.groupby("customer_id", sort=False)["customer_name"].first()
    items["customer_name"] = items["customer_id"].map(names)
    items["due_date"] = terms_due_dates(items, payment_terms_days, terms_by_customer, end_of_month)
    items["disputed"] = False
    out = canonical_open_items(items)
    out.attrs["as_of"] = as_of
    return out


def fec_ledger(fec: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The FEC's customer (411) movements as an `invoices` and a `payments` table, shaped like the fil rouge's.

    Invoices: the 411 lines of sales entries, i.e. entries with a class-7 (revenue) line; `amount_incl_vat` =
    debit − credit, so credit notes are negative. Dates are entry dates (`EcritureDate`). Payments: every other
    411 movement (receipts, offsets, opening balances), unallocated (`document_ref` empty), `amount` = credit −
    debit. Their running total is the 411 balance at any date, so `monthly_dso(invoices, payments=payments)`
    works on a company's FEC.
    """
    key = ["JournalCode", "EcritureNum"]
    revenue = fec.loc[fec["CompteNum"].str.startswith("7"), key].drop_duplicates()
    lines = fec[fec["CompteNum"].str.startswith(CUSTOMER_ACCOUNT_PREFIX)].reset_index(drop=True)
    is_sale = lines.merge(revenue.assign(sale=True), on=key, how="left")["sale"].fillna(False).astype(bool)
    aux = lines["CompAuxNum"]
    customer = aux.where(aux != "", lines["CompteNum"])
    ref = lines["JournalCode"] + "-" + lines["EcritureNum"] + "-" + pd.Series(lines.index.astype(str))
    net = (lines["Debit"] - lines["Credit"]).round(2)
    invoices = pd.DataFrame({"document_ref": ref, "customer_id": customer, "document_date": lines["EcritureDate"],
                             "amount_incl_vat": net})[is_sale.to_numpy()].reset_index(drop=True)
    payments = pd.DataFrame({"customer_id": customer, "payment_date": lines["EcritureDate"], "amount": -net,
                             "document_ref": ""})[~is_sale.to_numpy()].reset_index(drop=True)
    return invoices, payments


def _letter_residuals(lettered: pd.DataFrame) -> pd.DataFrame:
    """One item per letter group that does not net to zero, carried by its latest line of the residual's sign."""
    sums = lettered.groupby(["customer_id", "letter"], sort=False)["amount"].transform("sum").round(2)
    candidates = lettered[(sums.abs() > 0.005) & (np.sign(lettered["amount"]) == np.sign(sums))]
    if candidates.empty:
        return pd.DataFrame(columns=["customer_id", "document_ref", "document_date", "customer_name", "amount"])
    carrier = candidates.sort_values("document_date", kind="stable").groupby(
        ["customer_id", "letter"], sort=False).tail(1)
    carrier = carrier.assign(amount=sums[carrier.index])
    return carrier[["customer_id", "document_ref", "document_date", "customer_name", "amount"]]


# --------------------------------------------------------------------------------------------- writing

def _letter_code(n: int) -> str:
    code = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        code = chr(65 + r) + code
    return code


def fec_from_case(case, as_of=None) -> pd.DataFrame:
    """The fil rouge's sales, receipts and credit-note offsets up to `as_of`, as FEC lines (customer side lettered).

    Sales journal VE (411 / 701 / 44571), bank journal BQ (512 / 411) and offsets OD (411 / 411). Every
    allocation is lettered with its document, with `DateLet` = the last allocation date; unapplied receipts stay
    unlettered. Used for the course's FEC demonstration, tests and benchmarks.
    """
    as_of = case.as_of if as_of is None else to_timestamp(as_of)
    docs = case.invoices[case.invoices["document_date"] <= as_of].reset_index(drop=True)
    pay = case.payments[case.payments["payment_date"] <= as_of].reset_index(drop=True)
    names = case.customers.set_index("customer_id")["customer_name"]
    letter_dates = pay[pay["document_ref"] != ""].groupby("document_ref")["payment_date"].max()
    codes = pd.Series([_letter_code(i) for i in range(len(letter_dates))], index=letter_dates.index)

    def lines(journal, number, date, account, account_label, customer, ref, label, amount, let_ref, order):
        amount = amount.round(2)
        return pd.DataFrame({
            "JournalCode": journal, "EcritureNum": number, "EcritureDate": date, "CompteNum": account,
            "CompteLib": account_label, "CompAuxNum": customer,
            "CompAuxLib": customer.map(names).fillna("") if isinstance(customer, pd.Series) else "",
            "PieceRef": ref, "PieceDate": date, "EcritureLib": label, "Debit": amount.clip(lower=0),
            "Credit": (-amount).clip(lower=0), "EcritureLet": let_ref.map(codes).fillna(""),
            "DateLet": let_ref.map(letter_dates), "_order": order})

    ve = "VE" + pd.Series(np.arange(1, len(docs) + 1), dtype=str).str.zfill(7)
    label = docs["document_type"].astype(str) + " " + docs["document_ref"]
    none = pd.Series("", index=docs.index)
    sales = [
        lines("VE", ve, docs["document_date"], "41100000", "Clients", docs["customer_id"], docs["document_ref"],
              label, docs["amount_incl_vat"], docs["document_ref"], 0),
        lines("VE", ve, docs["document_date"], "70100000", "Ventes de produits finis", "", docs["document_ref"],
              label, -docs["amount_excl_vat"], none, 1),
        lines("VE", ve, docs["document_date"], "44571000", "TVA collectée", "", docs["document_ref"], label,
              -docs["vat_amount"], none, 2)[docs["vat_amount"] != 0],
    ]
    offset = pay["payment_ref"].str.startswith("IM")
    journal = np.where(offset, "OD", "BQ")
    number = pd.Series(journal) + pd.Series(pd.factorize(pay["payment_ref"])[0] + 1, dtype=str).str.zfill(7)
    target = pay["document_ref"].where(pay["document_ref"] != "", "non affecté")
    receipts = lines(journal, number, pay["payment_date"], "41100000", "Clients", pay["customer_id"],
                     pay["payment_ref"], np.where(offset, "Imputation ", "Règlement ") + target, -pay["amount"],
                     pay["document_ref"], 0)
    cash = pay[~offset].assign(number=number[~offset])
    bank = cash.groupby(["number", "payment_ref", "payment_date"], as_index=False, sort=False)["amount"].sum()
    none = pd.Series("", index=bank.index)
    banks = lines("BQ", bank["number"], bank["payment_date"], "51200000", "Banque", "", bank["payment_ref"],
                  "Encaissement " + bank["payment_ref"], bank["amount"], none, 1)
    fec = pd.concat(sales + [receipts, banks], ignore_index=True)
    fec = fec.sort_values(["EcritureDate", "JournalCode", "EcritureNum", "_order"], kind="stable")
    fec["JournalLib"] = fec["JournalCode"].map({"VE": "Ventes", "BQ": "Banque", "OD": "Opérations diverses"})
    fec["ValidDate"] = fec["EcritureDate"]
    fec["Montantdevise"] = ""
    fec["Idevise"] = ""
    return fec[FEC_COLUMNS].reset_index(drop=True)


def scale_fec(fec: pd.DataFrame, lines: int) -> pd.DataFrame:
    """`fec` grown (or cut) to about `lines` lines, by whole customers: the same company with more customers.

    Copy 0 is `fec` itself; copy k ≥ 1 repeats its entries with customer numbers, names and document references
    suffixed `-k` (3 digits) and entry numbers shifted past the journal's last one. The last copy keeps the
    first customers (by number) whose entries fit, so every entry stays balanced, every letter group whole, and
    each copy's open items are the original's, renamed. Each entry must carry exactly one customer (`CompAuxNum`
    of its 411 lines), as in `fec_from_case`. Lines are in date order, as in a real FEC.
    """
    key = fec["JournalCode"] + "\x00" + fec["EcritureNum"]
    owners = fec.loc[fec["CompAuxNum"] != "", ["CompAuxNum"]].assign(key=key).drop_duplicates("key")
    customer = key.map(owners.set_index("key")["CompAuxNum"])
    if customer.isna().any():
        raise DataError("scale_fec : chaque écriture doit porter un compte client (CompAuxNum)")
    full, rest = divmod(int(lines), len(fec))
    sizes = customer.value_counts().sort_index()
    kept = set(sizes.index[sizes.cumsum().to_numpy() <= rest])
    positions = np.concatenate([np.tile(np.arange(len(fec)), full), np.flatnonzero(customer.isin(kept))])
    copy = np.repeat(np.arange(full + 1), [len(fec)] * full + [len(positions) - full * len(fec)])
    out = fec.iloc[positions].reset_index(drop=True)
    suffix = np.array([""] + [f"-{k:03d}" for k in range(1, full + 1)], dtype=object)[copy]
    for column in ("CompAuxNum", "CompAuxLib", "PieceRef"):
        out[column] = out[column].where(out[column] == "", out[column] + suffix)
    digits = fec["EcritureNum"].str.extract(r"^(.*?)(\d+)$")
    if digits[1].isna().any():
        raise DataError("scale_fec : chaque numéro d'écriture (EcritureNum) doit finir par des chiffres")
    number = digits[1].astype("int64")
    last = number.groupby(fec["JournalCode"]).max()
    shifted = number.to_numpy()[positions] + copy * out["JournalCode"].map(last).to_numpy()
    width = max(digits[1].str.len().max(), len(str(shifted.max())))
    out["EcritureNum"] = digits[0].to_numpy()[positions] + pd.Series(shifted).astype(str).str.zfill(width)
    journals = pd.factorize(out["JournalCode"], sort=True)[0]
    order = np.lexsort((positions, copy, journals, out["EcritureDate"].to_numpy()))
    return out.iloc[order].reset_index(drop=True)


def write_fec(fec: pd.DataFrame, path, sep: str = "\t", encoding: str = "latin-1") -> Path:
    """Write FEC lines in the legal format: dates AAAAMMJJ, decimal comma, `sep` between fields."""
    out = fec.copy()
    for col in DATE_COLUMNS:
        out[col] = pd.to_datetime(out[col]).dt.strftime("%Y%m%d").fillna("")
    for col in ("Debit", "Credit"):
        out[col] = out[col].map(lambda x: f"{x:.2f}".replace(".", ","))
    path = Path(path)
    out.to_csv(path, sep=sep, index=False, encoding=encoding, lineterminator="\r\n", quoting=csv.QUOTE_NONE,
               escapechar=None)
    return path
