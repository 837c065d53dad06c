"""Blocks of `fiches/affacturage.md`: one invoice through the FAC-A contract (cost, effective rate, PCG entries),
the fil rouge's two offers against the overdraft, and the reconciliation of the factor current account."""

from __future__ import annotations

import pandas as pd

from casekit import fmt
from casekit.fiches.blocks import block, source_line, table
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
STEPS = {"assignment": "1. Cession (bordereau)", "guarantee_fund": "2. Fonds de garantie",
         "fund_call": "3. Appel de fonds", "commission": "4. Commissions",
         "collection": "5. Paiement du client (rien au 411)"}


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
    cost = [
        (f"Facture cédée TTC, payée par le client à {EXAMPLE_DAYS} jours", fmt.euros(inv.amount)),
        (f"Financement versé : facture − fonds de garantie {fmt.percent(offer.guarantee_fund_rate, 0)} "
         f"({fmt.euros(inv.guarantee_retained)})", fmt.euros(inv.financed)),
        (f"Commission d'affacturage HT ({fmt.percent(offer.factoring_fee_rate, 2)} du TTC)",
         fmt.euros(inv.factoring_commission)),
        (f"Commission de financement : {fmt.percent(offer.financing_rate, 2)} × {fmt.euros(inv.financed, 0)} × "
         f"({EXAMPLE_DAYS} + {offer.value_days}) j / 360", fmt.euros(inv.financing_commission)),
        ("Coût total HT (la TVA sur la commission est récupérable)", fmt.euros(inv.cost_excl_vat)),
        (f"**Taux effectif** : coût / ({fmt.euros(inv.financed, 0)} × {EXAMPLE_DAYS} / 365)",
         "**" + fmt.percent(inv.effective_rate, 2) + "**"),
    ]
    rows = []
    for op, lines in journal.groupby("operation", sort=False):
        debit, credit = lines[lines["debit"] > 0], lines[lines["credit"] > 0]
        rows.append([STEPS[op], " + ".join(debit["account"]), " + ".join(credit["account"]),
                     " + ".join(fmt.euros(v) for v in debit["debit"])
                     + (f" = {fmt.euros(credit['credit'].sum())}" if len(debit) > 1 else "")])
    rows.append(["**Solde 4671** (dû par le factor)", "", "", f"**{fmt.euros(balance)}**"])
    return "\n\n".join([
        table(cost, (f"Une facture, conditions {EXAMPLE_OFFER}", "Montant")),
        _grid(["Écriture (PCG)", "Débit", "Crédit", "Montant"], rows, left=3)])


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
        line("Commission / financement / fonds de garantie",
             lambda k: f"{fmt.percent(offers[k].factoring_fee_rate, 2)} / {fmt.percent(offers[k].financing_rate, 2)}"
                       f" / {fmt.percent(offers[k].guarantee_fund_rate, 0)}"),
        line("Trésorerie moyenne obtenue", euros("average_cash")),
        line("Commission d'affacturage HT", euros("factoring_commission")),
        line("Commission de financement", euros("financing_commission")),
        line("Frais + coût du fonds de garantie",
             lambda k: fmt.euros(row[k]["invoice_fees"] + row[k]["buyer_fees"] + row[k]["dispute_fees"]
                                 + row[k]["setup_fee"] + row[k]["guarantee_fund_cost"], 0)),
        line("**Coût total annuel**", lambda k: f"**{fmt.euros(row[k]['total_cost'], 0)}**"),
        line("− Garantie d'insolvabilité incluse (valeur)", euros("insurance_value")),
        line("**Taux effectif du financement**", lambda k: f"**{fmt.percent(row[k]['effective_rate'], 2)}**"),
        line("Économie (+) / surcoût (−) contre découvert", euros("saving_vs_overdraft")),
        line("Économie (+) / surcoût (−) contre Dailly", euros("saving_vs_dailly")),
    ]
    first = row[keys[0]]
    best = cmp.sort_values(["effective_rate", "offer_id"]).iloc[0]
    reading = (f"CA cédé TTC : {fmt.euros(first['assigned_sales'], 0)} ; DSO : {fmt.days(first['dso_days'])} ; "
               f"part finançable : {' / '.join(fmt.percent(row[k]['share_drawn'], 1) for k in keys)}. "
               "Taux effectif le plus bas : "
               f"{best['offer_id']} ({fmt.percent(best['effective_rate'], 2)}), contre "
               f"{fmt.percent(best['overdraft_rate'], 2)} pour le découvert et {fmt.percent(best['dailly_rate'], 2)} "
               "pour le Dailly.")
    def names(mask):
        return ", ".join(cmp.loc[mask, "offer_id"]) or "aucune offre"

    reading += (f" Moins chère que le découvert : {names(cmp['saving_vs_overdraft'] > 0)} ; "
                f"moins chère que le Dailly : {names(cmp['saving_vs_dailly'] > 0)}.")
    return "\n\n".join([_grid(header, rows), reading, source_line(context)])


def reconciliation_results(case, offer_id: str = EXAMPLE_OFFER, month: str = "2025-12"):
    offer = FactoringOffer.offers_from_table(case.factoring_offers)[offer_id]
    journal = journal_for_month(case, offer, month)
    return reconcile_factor_account(example_factor_statement(journal, case, offer), journal)


@block("affacturage_rapprochement")
def affacturage_rapprochement(context) -> str:
    month = context.as_of.strftime("%Y-%m")
    rec = reconciliation_results(context.case, month=month)
    rows = [("Solde du 4671 chez Hexaform (mouvements du mois)", fmt.euros(rec.ledger_balance))]
    diff = rec.items[rec.items["status"] != "matched"]
    for r in diff[diff["status"] != "ledger_only"].itertuples(index=False):
        rows.append((f"{SHORT_LABELS[r.difference]} ({r.reference})", fmt.euros(r.gap)))
    rows.append(("**= Solde ajusté de la comptabilité**", f"**{fmt.euros(rec.adjusted_ledger_balance)}**"))
    rows.append(("Solde au relevé du factor", fmt.euros(rec.statement_balance)))
    for r in diff[diff["status"] == "ledger_only"].itertuples(index=False):
        rows.append((f"{SHORT_LABELS[r.difference]} ({r.reference})", fmt.euros(r.amount_ledger)))
    rows.append(("**= Solde ajusté du relevé**", f"**{fmt.euros(rec.adjusted_statement_balance)}**"))
    verdict = "rapproché" if rec.reconciled else "écart inexpliqué"
    return "\n\n".join([table(rows, (f"Compte courant {EXAMPLE_OFFER}, {fmt.date(context.as_of)}", "Montant")),
                        f"Résultat : **{verdict}** (> 0 : le factor doit à Hexaform).", source_line(context)])
