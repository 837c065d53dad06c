"""The company diagnostic: a company's FEC or open-items export analysed as in the course, at an explicit
date.

`company_data` loads the ledger; `diagnostic_summary` gives the machine-readable headline figures written as
`summary.json` beside the report (plain JSON numbers, `null` when the data cannot give a figure: an open-items
export carries no sales, hence no DSO); `write_diagnostic_files` writes it and the aged-balance Excel
workbook.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from casekit.credit.aged_balance import aged_balance, aged_balance_totals
from casekit.credit.dso import dso_summary
from casekit.credit.excel import export_aged_balance_excel
from casekit.dates import to_timestamp
from casekit.errors import DataError
from casekit.fec import fec_ledger, open_items_from_fec, read_fec
from casekit.openitems import read_open_items

KINDS = ("fec", "open_items")
EMPTY_INVOICES = ["document_ref", "customer_id", "document_date", "amount_incl_vat"]
EMPTY_PAYMENTS = ["customer_id", "payment_date", "amount", "document_ref"]


@dataclass(frozen=True)
class CompanyData:
    """A company's open items at `as_of`, and its sales (`invoices`) and receipts (`payments`) from a FEC
    (empty for an open-items export)."""
    source: str
    kind: str
    as_of: pd.Timestamp
    payment_terms_days: int
    open_items: pd.DataFrame
    invoices: pd.DataFrame
    payments: pd.DataFrame

    @property
    def has_sales(self) -> bool:
        return not self.invoices.empty


def company_data(source, kind: str, as_of, payment_terms_days: int) -> CompanyData:
    """Load a FEC (`kind="fec"`) or an open-items CSV/Excel export (`kind="open_items"`)."""
    if kind not in KINDS:
        raise DataError(f"type de fichier « {kind} » inconnu (attendu : fec ou open_items).")
    if int(payment_terms_days) < 0:
        raise DataError(f"délai de paiement négatif ({payment_terms_days} jours).")
    path, as_of = Path(source), to_timestamp(as_of)
    if not path.is_file():
        raise DataError("fichier introuvable.", path=path)
    if kind == "fec":
        fec = read_fec(path)
        items = open_items_from_fec(fec, as_of, int(payment_terms_days))
        invoices, payments = fec_ledger(fec)
    else:
        items = read_open_items(path, payment_terms_days=int(payment_terms_days))
        invoices, payments = pd.DataFrame(columns=EMPTY_INVOICES), pd.DataFrame(columns=EMPTY_PAYMENTS)
    return CompanyData(str(path), kind, as_of, int(payment_terms_days), items, invoices, payments)


def _number(value, decimals: int = 2):
    """A plain JSON number (float rounded, `+ 0.0` turns -0.0 into 0.0), or None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), decimals) + 0.0


def diagnostic_summary(open_items: pd.DataFrame, invoices: pd.DataFrame, as_of) -> dict:
    """Headline figures at `as_of`: `as_of` (ISO), `receivables_total`, `overdue_total` (EUR incl. VAT),
    `dso` (`accounting_3m`, `accounting_12m`: receivables / sales incl. VAT of the 3 or 12 months × their
    days; `count_back`), `day_value` (sales incl. VAT of 12 months / 365), `aged_balance` (bucket totals and
    `total`), `customers` (with an open item) and `open_items` (items dated on or before `as_of`). DSO figures
    are None when the sales history does not cover their window (see `credit.dso.dso_summary`)."""
    as_of = to_timestamp(as_of)
    items = open_items[open_items["document_date"] <= as_of]
    dso = dso_summary(items, invoices, as_of)
    buckets = aged_balance_totals(items, as_of)
    return {
        "as_of": as_of.date().isoformat(),
        "receivables_total": _number(dso.receivables),
        "overdue_total": _number(dso.overdue),
        "dso": {"accounting_3m": _number(dso.dso_3m, 1), "accounting_12m": _number(dso.dso_12m, 1),
                "count_back": _number(dso.dso_count_back, 1)},
        "day_value": _number(dso.day_value),
        "aged_balance": {str(k): _number(v) for k, v in buckets.items()},
        "customers": int(items["customer_id"].nunique()),
        "open_items": int(len(items)),
    }


def write_summary(summary: dict, path) -> Path:
    path = Path(path)
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def write_diagnostic_files(data: CompanyData, out_dir) -> dict[str, Path]:
    """`summary.json` and `balance_agee.xlsx` (aged balance by customer, with names) in `out_dir`."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = diagnostic_summary(data.open_items, data.invoices, data.as_of)
    items = data.open_items[data.open_items["document_date"] <= data.as_of]
    names = items.groupby("customer_id")["customer_name"].first()
    excel = export_aged_balance_excel(aged_balance(items, data.as_of), out_dir / "balance_agee.xlsx",
                                      title="Balance âgée par client", as_of=data.as_of, names=names)
    return {"summary": write_summary(summary, out_dir / "summary.json"), "excel": excel}
