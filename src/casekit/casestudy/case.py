"""The fil rouge company as one object of typed DataFrames: `casekit.load_case()`."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd

from casekit.casestudy.files import read_table
from casekit.casestudy.schema import BY_NAME
from casekit.dates import to_timestamp
from casekit.openitems import canonical_open_items

REPO_DATA = Path(__file__).resolve().parents[3] / "casestudy_data"


def default_data_dir() -> Path:
    """`$CASEKIT_DATA` if set, else the repository's `casestudy_data/` folder."""
    return Path(os.environ.get("CASEKIT_DATA", REPO_DATA))


@dataclass(frozen=True)
class CaseStudy:
    """Hexaform SAS, the fil rouge company; every attribute is a typed DataFrame (see the data dictionary).

    `company` and the offer tables have one row per item; dates are `datetime64`, ids are strings.
    """

    company: pd.DataFrame
    financials: pd.DataFrame
    collectors: pd.DataFrame
    customers: pd.DataFrame
    invoices: pd.DataFrame
    payments: pd.DataFrame
    disputes: pd.DataFrame
    dunning: pd.DataFrame
    calls: pd.DataFrame
    insurance_offers: pd.DataFrame
    insurance_limits: pd.DataFrame
    factoring_offers: pd.DataFrame
    collection_offers: pd.DataFrame

    @property
    def as_of(self) -> pd.Timestamp:
        """The reference date of the case (31/12/2025)."""
        return self.company["as_of"].iloc[0]

    @property
    def name(self) -> str:
        return f"{self.company['name'].iloc[0]} {self.company['legal_form'].iloc[0]}"

    def tables(self) -> dict[str, pd.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def open_items(self, as_of=None) -> pd.DataFrame:
        """The canonical open-items table at `as_of` (default: the case's reference date).

        Open amount of a document = amount incl. VAT − allocations dated on or before `as_of`; receipts not
        allocated to any document are open credit items; `disputed` is true when a dispute on the document is
        open at `as_of`.
        """
        as_of = self.as_of if as_of is None else to_timestamp(as_of)
        docs = self.invoices[self.invoices["document_date"] <= as_of]
        pay = self.payments[self.payments["payment_date"] <= as_of]
        allocated = pay[pay["document_ref"] != ""].groupby("document_ref")["amount"].sum()
        paid = allocated.reindex(docs["document_ref"]).fillna(0.0).to_numpy(dtype=float)
        open_amount = (docs["amount_incl_vat"] - paid).round(2)
        items = docs.loc[open_amount.abs() > 0.005, ["customer_id", "document_ref", "document_date", "due_date"]]
        items = items.assign(amount=open_amount[open_amount.abs() > 0.005])
        unapplied = pay[pay["document_ref"] == ""]
        unapplied = pd.DataFrame({
            "customer_id": unapplied["customer_id"], "document_ref": unapplied["payment_ref"],
            "document_date": unapplied["payment_date"], "due_date": unapplied["payment_date"],
            "amount": -unapplied["amount"]})
        items = pd.concat([items, unapplied], ignore_index=True)
        d = self.disputes
        open_disputes = d[(d["opened_date"] <= as_of) & (d["closed_date"].isna() | (d["closed_date"] > as_of))]
        items["disputed"] = items["document_ref"].isin(open_disputes["document_ref"])
        names = self.customers.set_index("customer_id")["customer_name"]
        items["customer_name"] = items["customer_id"].map(names)
        return canonical_open_items(items)


def load_case(path=None) -> CaseStudy:
    """Load the fil rouge from `path` (default: `default_data_dir()`), typed and checked column by column."""
    folder = Path(path) if path is not None else default_data_dir()
    return CaseStudy(**{name: read_table(table, folder / table.file) for name, table in BY_NAME.items()})
