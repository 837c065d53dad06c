"""The canonical open-items table every calculator takes, and the reader of a CSV/Excel export of open items.

Columns: `customer_id` (str), `customer_name` (str), `document_ref` (str), `document_date`, `due_date`
(datetime64), `amount` (float, EUR incl. VAT; > 0 owed by the customer, < 0 unapplied credit), `disputed` (bool).
"""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import pandas as pd

from casekit.dates import due_dates
from casekit.errors import DataError
from casekit.parsing import parse_amounts, parse_dates

COLUMNS = ["customer_id", "customer_name", "document_ref", "document_date", "due_date", "amount", "disputed"]

# Headers recognised without a mapping (compared without accents, case or punctuation).
ALIASES = {
    "customer_id": ["customer_id", "code client", "n client", "numero client", "compte", "compte client",
                    "compauxnum"],
    "customer_name": ["customer_name", "client", "nom client", "raison sociale", "nom", "compauxlib"],
    "document_ref": ["document_ref", "piece", "n piece", "numero piece", "reference", "n facture",
                     "numero facture", "facture", "pieceref"],
    "document_date": ["document_date", "date piece", "date facture", "date", "date document", "piecedate"],
    "due_date": ["due_date", "echeance", "date echeance", "date d echeance"],
    "amount": ["amount", "montant", "montant ttc", "solde", "reste du", "montant du"],
    "disputed": ["disputed", "litige", "en litige"],
}
TRUE_WORDS = {"1", "true", "vrai", "oui", "o", "x", "yes", "y"}
FALSE_WORDS = {"0", "false", "faux", "non", "n", "no", ""}


def canonical_open_items(items: pd.DataFrame) -> pd.DataFrame:
    """Return `items` with the canonical columns, types and a stable order (customer, due date, reference)."""
    out = pd.DataFrame({
        "customer_id": items["customer_id"].astype(str),
        "customer_name": (items["customer_name"] if "customer_name" in items else items["customer_id"]).astype(str),
        "document_ref": items["document_ref"].astype(str),
        "document_date": pd.to_datetime(items["document_date"]).astype("datetime64[ns]"),
        "due_date": pd.to_datetime(items["due_date"]).astype("datetime64[ns]"),
        "amount": items["amount"].astype(float).round(2),
        "disputed": (items["disputed"] if "disputed" in items else False),
    })
    out["disputed"] = out["disputed"].astype(bool)
    out = out.sort_values(["customer_id", "due_date", "document_ref"], kind="stable").reset_index(drop=True)
    return out


def _key(text: str) -> str:
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in plain).split())


def _read_table(path: Path, sheet_name) -> pd.DataFrame:
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        try:
            return pd.read_excel(path, sheet_name=sheet_name, dtype=object)
        except ValueError as exc:
            raise DataError(f"classeur Excel illisible ({exc})", path=path) from None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        text, encoding = raw.decode("latin-1"), "latin-1"
    first = text.splitlines()[0] if text.strip() else ""
    if not first:
        raise DataError("fichier vide", path=path)
    try:
        sep = csv.Sniffer().sniff(first, delimiters=";,\t|").delimiter
    except csv.Error:
        raise DataError("séparateur de colonnes non reconnu (attendu : point-virgule, virgule, tabulation ou |)",
                        path=path) from None
    try:
        return pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, encoding=encoding)
    except pd.errors.ParserError as exc:
        raise DataError(f"structure CSV invalide ({exc})", path=path) from None


def read_open_items(path, columns: dict | None = None, *, payment_terms_days: int | None = None,
                    terms_by_customer: dict | None = None, end_of_month: bool = False,
                    sheet_name=0) -> pd.DataFrame:
    """Read a CSV or Excel export of open items into the canonical table.

    `columns` maps canonical names to the file's headers, e.g. `{"customer_id": "Code client"}`; headers not
    mapped are recognised from common French names (`Date échéance`, `Montant TTC`…). Without a due-date column,
    due dates are derived from `payment_terms_days` (and `terms_by_customer`, a customer id → days mapping).
    """
    path = Path(path)
    if not path.exists():
        raise DataError("fichier introuvable", path=path)
    df = _read_table(path, sheet_name)
    headers = {_key(h): h for h in df.columns}
    source = {}
    for name in COLUMNS:
        if columns and name in columns:
            if columns[name] not in df.columns:
                raise DataError(f"colonne « {columns[name]} » (pour {name}) absente ; colonnes lues : "
                                f"{', '.join(map(str, df.columns))}", path=path)
            source[name] = columns[name]
        else:
            found = next((headers[_key(a)] for a in ALIASES[name] if _key(a) in headers), None)
            if found is not None:
                source[name] = found
    required = ["customer_id", "document_ref", "document_date", "amount"]
    missing = [n for n in required if n not in source]
    if "due_date" not in source and payment_terms_days is None:
        missing.append("due_date (ou payment_terms_days)")
    if missing:
        raise DataError(f"colonne(s) introuvable(s) : {', '.join(missing)} ; colonnes lues : "
                        f"{', '.join(map(str, df.columns))} — précisez la correspondance avec `columns=`",
                        path=path)
    lines = pd.Series(range(2, len(df) + 2), index=df.index)
    get = df.__getitem__
    items = pd.DataFrame({
        "customer_id": get(source["customer_id"]).astype(str).str.strip(),
        "document_ref": get(source["document_ref"]).astype(str).str.strip(),
        "document_date": parse_dates(get(source["document_date"]), path=path, column=source["document_date"],
                                     lines=lines),
        "amount": parse_amounts(get(source["amount"]), path=path, column=source["amount"], lines=lines,
                                allow_empty=False),
    })
    items["customer_name"] = (get(source["customer_name"]).astype(str).str.strip()
                              if "customer_name" in source else items["customer_id"])
    if "due_date" in source:
        items["due_date"] = parse_dates(get(source["due_date"]), path=path, column=source["due_date"], lines=lines)
    else:
        items["due_date"] = terms_due_dates(items, payment_terms_days, terms_by_customer, end_of_month)
    if "disputed" in source:
        words = get(source["disputed"]).astype(str).str.strip().str.lower()
        unknown = ~words.isin(TRUE_WORDS | FALSE_WORDS)
        if unknown.any():
            pos = int(unknown.to_numpy().argmax())
            raise DataError(f"valeur « {words.iloc[pos]} » non reconnue (attendu : oui/non)", path=path,
                            line=int(lines.iloc[pos]), column=source["disputed"])
        items["disputed"] = words.isin(TRUE_WORDS)
    return canonical_open_items(items)


def terms_due_dates(items: pd.DataFrame, payment_terms_days: int, terms_by_customer: dict | None = None,
                    end_of_month: bool = False) -> pd.Series:
    """Due dates from payment terms: document date + the customer's days (or the default); credits due at once."""
    days = items["customer_id"].map(terms_by_customer or {}).fillna(payment_terms_days).astype(int)
    due = due_dates(items["document_date"], days.to_numpy(), end_of_month)
    return due.where(items["amount"] > 0, items["document_date"])
