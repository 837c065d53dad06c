"""The realism figures of the fil rouge, as printed by `casekit data describe` and asserted by the tests."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from casekit import fmt
from casekit.casestudy.case import CaseStudy
from casekit.credit.dso import dso_accounting


@dataclass(frozen=True)
class CaseFigures:
    name: str
    as_of: object
    customers: int
    export_customers: int
    invoices: int
    credit_notes: int
    first_document: object
    last_document: object
    full_years: int
    revenue_excl_vat: float
    revenue_incl_vat: float
    export_share: float
    top20_share: float
    receivables: float
    dso: float
    overdue_share: float
    dispute_rate: float
    open_disputes: int
    insolvencies: int
    dunning_actions: int
    calls: int
    promise_kept_rate: float
    collectors: int

    def as_dict(self) -> dict:
        return asdict(self)


def _full_years(first, last) -> int:
    """Calendar years covered from their first to their last business week."""
    return sum(first <= pd.Timestamp(y, 1, 7) and last >= pd.Timestamp(y, 12, 24)
               for y in range(first.year, last.year + 1))


def describe_case(case: CaseStudy) -> CaseFigures:
    """Headline figures at the case's as-of date; revenue shares and DSO on the last calendar year."""
    as_of = case.as_of
    inv = case.invoices
    year = inv[inv["document_date"].dt.year == as_of.year]
    by_customer = year.groupby("customer_id")["amount_excl_vat"].sum().sort_values(ascending=False)
    top = by_customer.head(int(len(by_customer) * 0.2)).sum()
    country = case.customers.set_index("customer_id")["country"]
    export = by_customer[by_customer.index.map(country) != "FR"].sum()
    items = case.open_items(as_of)
    receivables = items["amount"].sum()
    overdue = items.loc[items["due_date"] < as_of, "amount"].sum()
    invoices = inv[inv["document_type"] == "Facture"]
    settled = case.calls["promise_kept"].isin(["Oui", "Non"])
    days = (as_of - as_of.replace(month=1, day=1)).days + 1
    return CaseFigures(
        name=case.name, as_of=as_of, customers=len(case.customers),
        export_customers=int((case.customers["country"] != "FR").sum()),
        invoices=len(invoices), credit_notes=int((inv["document_type"] == "Avoir").sum()),
        first_document=inv["document_date"].min(), last_document=inv["document_date"].max(),
        full_years=_full_years(inv["document_date"].min(), inv["document_date"].max()),
        revenue_excl_vat=year["amount_excl_vat"].sum(), revenue_incl_vat=year["amount_incl_vat"].sum(),
        export_share=export / by_customer.sum(), top20_share=top / by_customer.sum(), receivables=receivables,
        dso=dso_accounting(receivables, year["amount_incl_vat"].sum(), days),
        overdue_share=overdue / receivables, dispute_rate=len(case.disputes) / len(invoices),
        open_disputes=int(case.disputes["closed_date"].isna().sum()),
        insolvencies=int(case.customers["insolvency_date"].notna().sum()),
        dunning_actions=len(case.dunning), calls=len(case.calls),
        promise_kept_rate=(case.calls.loc[settled, "promise_kept"] == "Oui").mean(),
        collectors=len(case.collectors),
    )


def format_figures(f: CaseFigures) -> str:
    """The figures as French text, one per line."""
    lines = [
        f"{f.name} — données arrêtées au {fmt.date(f.as_of)}",
        f"Clients : {f.customers} dont {f.export_customers} à l'export",
        f"Pièces : {fmt.number(f.invoices)} factures et {fmt.number(f.credit_notes)} avoirs, "
        f"du {fmt.date(f.first_document)} au {fmt.date(f.last_document)} ({f.full_years} années complètes)",
        f"Chiffre d'affaires {f.as_of.year} : {fmt.euros(f.revenue_excl_vat, 0)} HT, "
        f"{fmt.euros(f.revenue_incl_vat, 0)} TTC",
        f"Part de l'export : {fmt.percent(f.export_share)} du CA ; 20 % des clients font "
        f"{fmt.percent(f.top20_share)} du CA",
        f"Encours clients : {fmt.euros(f.receivables)} ; DSO (méthode comptable sur {f.as_of.year}) : "
        f"{fmt.days(f.dso)}",
        f"Part échue de l'encours : {fmt.percent(f.overdue_share)}",
        f"Litiges : {fmt.percent(f.dispute_rate)} des factures ; {f.open_disputes} encore ouverts",
        f"Procédures collectives : {f.insolvencies} clients",
        f"Relances : {fmt.number(f.dunning_actions)} actions ; appels : {fmt.number(f.calls)} ; "
        f"promesses tenues : {fmt.percent(f.promise_kept_rate)}",
        f"Gestionnaires de recouvrement : {f.collectors}",
    ]
    return "\n".join(lines)
