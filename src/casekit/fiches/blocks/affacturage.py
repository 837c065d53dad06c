"""Blocks of `fiches/affacturage.md`: one invoice through the FAC-A contract (cost, effective rate, PCG entries),
the fil rouge's two offers against the overdraft, and the reconciliation of the factor current account."""

from __future__ import annotations

import pandas as pd

from casekit import fmt
from casekit.fiches.blocks import block, source_line
from casekit.outsourcing.factoring import FactoringOffer, compare_factoring_offers, invoice_factoring
from casekit.outsourcing.factoring_accounting import (
    assignment_entry,
    check_balanced,
    commission_entry,
    current_account,
    customer_payment_entry,
    example_factor_statement,
    fund_call_entry,
    guarantee_fund_entry,
    journal_for_month,
    reconcile_factor_account,
)

EXAMPLE_OFFER = "FAC-A"
SHORT_LABELS = {"timing": "Bordereau pas encore intégré par le factor",
                "unbooked_commission": "Frais du factor à comptabiliser",
                "unbooked_charge_back": "Définancement (non-valeur) à comptabiliser",
                "unbooked_other": "Opération du factor à identifier (471)",
                "amount": "Écart sur la commission de financement"}
EXAMPLE_AMOUNT, EXAMPLE_DAYS = 12_000.0, 60
EXAMPLE_DATE = pd.Timestamp("2025-10-01")


def _grid(header: list[str], rows: list[list[str]], left: int = 1) -> str:
    """A Markdown table, the first `left` columns left-aligned, the others right-aligned."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * left + "---:|" * (len(header) - left)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def example_results(case):
    """One invoice of 12 000 € TTC paid at 60 days under the FAC-A terms: its cost and its entries (PCG)."""
    offer = FactoringOffer.offers_from_table(case.factoring_offers)[EXAMPLE_OFFER]
    inv = invoice_factoring(offer, EXAMPLE_AMOUNT, EXAMPLE_DAYS)
    paid = EXAMPLE_DATE + pd.Timedelta(days=EXAMPLE_DAYS)
    invoices = pd.DataFrame({"customer_id": ["C-EX"], "document_ref": ["FA-EX"], "amount": [EXAMPLE_AMOUNT]})
    journal = check_balanced(pd.concat([
        assignment_entry("CES-1", EXAMPLE_DATE, invoices),
        guarantee_fund_entry("RET-1", EXAMPLE_DATE, inv.guarantee_retained),
        fund_call_entry("ADF-1", EXAMPLE_DATE, inv.financed),
        commission_entry("COM-1", EXAMPLE_DATE, inv.factoring_commission + inv.invoice_fee,
                         inv.financing_commission),
        customer_payment_entry("ENC-1", paid, EXAMPLE_AMOUNT, offer.guarantee_fund_rate),
    ], ignore_index=True))
    balance = float(current_account(journal)["amount"].sum())
    return offer, inv, journal, balance


@block("affacturage_exemple")
def affacturage_exemple(context) -> str:
    offer, inv, journal, balance = example_results(context.case)
    labels = {
        "assignment": f"1. Cession : facture TTC payée à {EXAMPLE_DAYS} jours",
        "guarantee_fund": f"2. Fonds de garantie retenu ({fmt.percent(offer.guarantee_fund_rate, 0)})",
        "fund_call": "3. Appel de fonds : financement versé",
        ("commission", "fee"): f"4. Commission d'affacturage {fmt.percent(offer.factoring_fee_rate, 2)} + TVA",
        ("commission", "interest"): f"5. Intérêts : {fmt.percent(offer.financing_rate, 2)} × "
                                    f"{fmt.euros(inv.financed, 0)} × ({EXAMPLE_DAYS} + {offer.value_days}) j / 360",
        "collection": "6. Le client paie le factor : garantie libérée",
    }
    rows = []
    for op, lines in journal.groupby("operation", sort=False):
        debit, credit = lines[lines["debit"] > 0], lines[lines["credit"] > 0]
        credited = " + ".join(credit["account"])
        parts = ({"fee": debit[debit["account"] != "6616"], "interest": debit[debit["account"] == "6616"]}
                 if op == "commission" else {None: debit})
        for part, d in parts.items():
            rows.append([labels[(op, part) if part else op], " + ".join(d["account"]) + " / " + credited,
                         " + ".join(fmt.euros(v) for v in d["debit"])])
    rows.append(["**Solde 4671** : dû par le factor", "", f"**{fmt.euros(balance)}**"])
    rows.append([f"**Taux effectif** = {fmt.euros(inv.cost_excl_vat)} HT / ({fmt.euros(inv.financed, 0)} × "
                 f"{EXAMPLE_DAYS} / 365)", "", "**" + fmt.percent(inv.effective_rate, 2) + "**"])
    return _grid([f"Une facture, conditions {EXAMPLE_OFFER}", "Débit / Crédit", "Montant"], rows, left=2)


@block("affacturage_fil_rouge")
def affacturage_fil_rouge(context) -> str:
    year = context.as_of.year
    cmp = compare_factoring_offers(context.case, year)
    offers = FactoringOffer.offers_from_table(context.case.factoring_offers)
    keys = list(cmp["offer_id"])
    row = {k: cmp.set_index("offer_id").loc[k] for k in keys}

    def line(label, f):
        return [label] + [f(k) for k in keys]

    def euros(col):
        return lambda k: fmt.euros(row[k][col], 0)

    header = [f"Exercice {year}"] + [f"{k} {offers[k].factor}" for k in keys]
    rows = [
        line("Commission / financement / garantie",
             lambda k: f"{fmt.percent(offers[k].factoring_fee_rate, 2)} / {fmt.percent(offers[k].financing_rate, 2)}"
                       f" / {fmt.percent(offers[k].guarantee_fund_rate, 0)}"),
        line("Trésorerie moyenne obtenue", euros("average_cash")),
        line("Commissions d'affacturage HT / de financement",
             lambda k: f"{fmt.euros(row[k]['factoring_commission'], 0)} / "
                       f"{fmt.euros(row[k]['financing_commission'], 0)}"),
        line("Frais + coût du fonds de garantie",
             lambda k: fmt.euros(row[k]["invoice_fees"] + row[k]["buyer_fees"] + row[k]["dispute_fees"]
                                 + row[k]["setup_fee"] + row[k]["guarantee_fund_cost"], 0)),
        line("**Coût total annuel**", lambda k: f"**{fmt.euros(row[k]['total_cost'], 0)}**"),
    ]
    result = [
        line("− Garantie incluse (au coût de l'assurance-crédit)", euros("insurance_value")),
        line("**Taux effectif du financement**", lambda k: f"**{fmt.percent(row[k]['effective_rate'], 2)}**"),
        line("Économie (+) contre découvert / Dailly",
             lambda k: f"{fmt.euros(row[k]['saving_vs_overdraft'], 0)} / {fmt.euros(row[k]['saving_vs_dailly'], 0)}"),
    ]
    first = row[keys[0]]
    best = cmp.sort_values(["effective_rate", "offer_id"]).iloc[0]

    reading = (f"CA cédé TTC {fmt.euros(first['assigned_sales'], 0)}, DSO {fmt.days(first['dso_days'])}, part "
               f"finançable {' / '.join(fmt.percent(row[k]['share_drawn'], 1) for k in keys)}. Taux effectif le plus "
               f"bas : {best['offer_id']} ({fmt.percent(best['effective_rate'], 2)}), contre "
               f"{fmt.percent(best['overdraft_rate'], 2)} pour le découvert et {fmt.percent(best['dailly_rate'], 2)} "
               "pour le Dailly.")
    return "\n\n".join([_grid(header, rows), _grid(["Résultat"] + header[1:], result), reading])


def reconciliation_results(case, offer_id: str = EXAMPLE_OFFER, month: str = "2025-12"):
    offer = FactoringOffer.offers_from_table(case.factoring_offers)[offer_id]
    journal = journal_for_month(case, offer, month)
    return reconcile_factor_account(example_factor_statement(journal, case, offer), journal)


@block("affacturage_rapprochement")
def affacturage_rapprochement(context) -> str:
    month = context.as_of.strftime("%Y-%m")
    rec = reconciliation_results(context.case, month=month)
    rows = [["Solde du compte courant (débiteur : dû par le factor)", fmt.euros(rec.ledger_balance),
             fmt.euros(rec.statement_balance)]]
    diff = rec.items[rec.items["status"] != "matched"]
    for r in diff.sort_values("status", key=lambda st: st == "ledger_only", kind="stable").itertuples(index=False):
        label = f"{SHORT_LABELS[r.difference]} ({r.reference})"
        if r.status == "ledger_only":  # booked by Hexaform, not yet by the factor: adjusts the statement
            rows.append([label, "", fmt.euros(r.amount_ledger)])
        else:  # on the statement, to book (or correct) in Hexaform's ledger
            rows.append([label, fmt.euros(r.gap), ""])
    verdict = "rapproché" if rec.reconciled else "écart inexpliqué"
    rows.append([f"**= Soldes ajustés** : {verdict}", f"**{fmt.euros(rec.adjusted_ledger_balance)}**",
                 f"**{fmt.euros(rec.adjusted_statement_balance)}**"])
    header = [f"Compte courant {EXAMPLE_OFFER} (4671), {fmt.date(context.as_of)}", "Comptabilité", "Relevé factor"]
    return "\n\n".join([_grid(header, rows), source_line(context)])
