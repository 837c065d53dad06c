"""Consistency checks of the fil rouge: keys, references, VAT, terms, and behaviour rules.

`validate_case` returns the list of problems found, in French (an empty list means the data is consistent).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from casekit.casestudy.case import CaseStudy
from casekit.dates import due_dates

LME_MAX_DAYS = 60
LME_MAX_DAYS_END_OF_MONTH = 45


def lme_compliant(days: pd.Series, end_of_month: pd.Series) -> pd.Series:
    """Art. L441-10 I C. com.: at most 60 days from the invoice date, or 45 days end of month."""
    return np.where(end_of_month, days <= LME_MAX_DAYS_END_OF_MONTH, days <= LME_MAX_DAYS)


def _unique(df, col, table, problems):
    dup = df[col][df[col].duplicated()]
    if len(dup):
        problems.append(f"{table} : identifiant « {col} » en double ({dup.iloc[0]}…)")


def _refs(values, allowed, what, problems):
    unknown = set(values) - set(allowed)
    if unknown:
        problems.append(f"{what} : {len(unknown)} référence(s) inconnue(s), par ex. {sorted(unknown)[0]}")


def validate_case(case: CaseStudy) -> list[str]:
    """Check the fil rouge; return the problems found (French sentences)."""
    p: list[str] = []
    as_of = case.as_of
    cust, inv, pay = case.customers, case.invoices, case.payments
    disp, dun, calls = case.disputes, case.dunning, case.calls

    for df, col, name in ((cust, "customer_id", "clients"), (inv, "document_ref", "factures"),
                          (disp, "dispute_id", "litiges"), (dun, "dunning_id", "relances"),
                          (calls, "call_id", "appels")):
        _unique(df, col, name, p)
    ids = cust["customer_id"]
    for df, name in ((inv, "factures"), (pay, "règlements"), (disp, "litiges"), (dun, "relances"),
                     (calls, "appels"), (case.insurance_limits, "limites d'assurance")):
        _refs(df["customer_id"], ids, f"{name} → clients", p)
    _refs(cust["collector_id"], case.collectors["collector_id"], "clients → gestionnaires", p)
    _refs(calls["collector_id"], case.collectors["collector_id"], "appels → gestionnaires", p)
    _refs(case.insurance_limits["offer_id"], case.insurance_offers["offer_id"], "limites → offres", p)
    owner = inv.set_index("document_ref")["customer_id"]
    lettered = pay[pay["document_ref"] != ""]
    _refs(lettered["document_ref"], inv["document_ref"], "règlements → pièces", p)
    _refs(disp["document_ref"], inv["document_ref"], "litiges → factures", p)
    _refs(dun["document_ref"], inv["document_ref"], "relances → factures", p)
    if (lettered["document_ref"].map(owner) != lettered["customer_id"]).any():
        p.append("règlements : un règlement est affecté à la pièce d'un autre client")

    # amounts and VAT
    if ((inv["amount_excl_vat"] * inv["vat_rate"]).round(2) - inv["vat_amount"]).abs().max() > 0.011:
        p.append("factures : TVA différente de HT × taux")
    if ((inv["amount_excl_vat"] + inv["vat_amount"]) - inv["amount_incl_vat"]).abs().max() > 0.011:
        p.append("factures : TTC différent de HT + TVA")
    sign = np.where(inv["document_type"] == "Facture", 1, -1)
    if (inv["amount_incl_vat"] * sign <= 0).any():
        p.append("factures : une facture doit être positive et un avoir négatif")
    country = inv["customer_id"].map(cust.set_index("customer_id")["country"])
    if ((country == "FR") != (inv["vat_rate"] > 0)).any():
        p.append("factures : TVA à 20 % en France, 0 % en autoliquidation ou à l'export")
    allocated = lettered.groupby("document_ref")["amount"].sum()
    amount = inv.set_index("document_ref")["amount_incl_vat"].reindex(allocated.index)
    if ((allocated - amount) * np.sign(amount) > 0.005).any():
        p.append("règlements : une pièce est réglée au-delà de son montant")

    # dates and terms
    for df, col, name in ((inv, "document_date", "factures"), (pay, "payment_date", "règlements"),
                          (disp, "opened_date", "litiges"), (dun, "dunning_date", "relances"),
                          (calls, "call_date", "appels")):
        if (df[col] > as_of).any():
            p.append(f"{name} : événement postérieur à la date d'arrêté {as_of:%d/%m/%Y}")
    terms = inv.merge(cust[["customer_id", "payment_terms_days", "terms_end_of_month"]], on="customer_id")
    facts = terms[terms["document_type"] == "Facture"]
    expected = due_dates(facts["document_date"], facts["payment_terms_days"].to_numpy(),
                         facts["terms_end_of_month"].to_numpy())
    if (expected != facts["due_date"]).any():
        p.append("factures : échéance incohérente avec le délai de paiement du client")
    fr = cust[cust["country"] == "FR"]
    if not lme_compliant(fr["payment_terms_days"], fr["terms_end_of_month"]).all():
        p.append("clients : délai de paiement au-delà des plafonds de la LME (60 jours ou 45 jours fin de mois)")

    # behaviour
    _check_dunning(case, p)
    failed = cust.dropna(subset=["insolvency_date"]).set_index("customer_id")["insolvency_date"]
    after = inv[inv["customer_id"].isin(failed.index)]
    if (after["document_date"] > after["customer_id"].map(failed)).any():
        p.append("factures : facturation d'un client après le jugement d'ouverture de sa procédure")
    d = dun[dun["customer_id"].isin(failed.index)]
    if (d["dunning_date"] >= d["customer_id"].map(failed)).any():
        p.append("relances : relance d'un client après le jugement d'ouverture (poursuites suspendues)")
    still_open = disp["outcome"].eq("En cours")
    if ((disp["closed_date"] < disp["opened_date"]) | (still_open != disp["closed_date"].isna())).any():
        p.append("litiges : dates ou issue incohérentes")
    promised = calls[calls["promise_amount"] > 0]
    if (promised["promise_date"] < promised["call_date"]).any() or promised["promise_kept"].eq("").any():
        p.append("appels : promesse de paiement incohérente")
    return p


def _check_dunning(case: CaseStudy, p: list[str]) -> None:
    """Dunning only on invoices overdue in the ledger, for the amount still due that day."""
    dun, inv, pay = case.dunning, case.invoices, case.payments
    due = dun["document_ref"].map(inv.set_index("document_ref")["due_date"])
    if (dun["dunning_date"] <= due).any():
        p.append("relances : relance d'une facture non échue")
    ttc = dun["document_ref"].map(inv.set_index("document_ref")["amount_incl_vat"])
    lettered = pay[pay["document_ref"].isin(dun["document_ref"])]
    merged = dun[["dunning_id", "document_ref", "dunning_date"]].merge(lettered, on="document_ref", how="left")
    merged = merged[merged["payment_date"] <= merged["dunning_date"]]
    paid = merged.groupby("dunning_id")["amount"].sum()
    outstanding = (ttc - dun["dunning_id"].map(paid).fillna(0.0)).round(2)
    if ((outstanding - dun["amount_due"]).abs() > 0.01).any() or (dun["amount_due"] <= 0).any():
        p.append("relances : montant relancé différent du reste dû à la date de la relance")
