"""Factoring, teaching helpers of notebook 08: one invoice, cost tables, value of the services, availability of the
current account, what the factor asks for, variants of an offer; journal display, balances, commissions check,
actions and entries after the reconciliation."""

import math
from dataclasses import replace

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import casekit  # noqa: E402
from casekit import DataError  # noqa: E402
from casekit.outsourcing.factoring import (  # noqa: E402
    FactoringCost,
    FactoringOffer,
    availability_table,
    collection_time_value,
    compare_factoring_offers,
    eligibility_summary,
    eligible_receivables,
    evaluate_factoring_offers,
    factor_approved_buyers,
    factor_availability,
    factor_due_diligence,
    factor_loss_history,
    factoring_cost,
    factoring_cost_components,
    factoring_cost_table,
    factoring_terms_table,
    factoring_tools_table,
    factoring_value_table,
    factoring_variants,
    format_factoring_tools,
    format_factoring_variants,
    invoice_factoring,
    invoice_factoring_table,
    ledger_factoring_inputs,
    minimum_fee_threshold,
    plot_factor_availability,
    plot_factoring_cost,
    plot_factoring_eligibility,
    plot_factoring_variants,
)
from casekit.outsourcing.factoring_accounting import (  # noqa: E402
    account_balances,
    adjusting_entries,
    assignment_entry,
    check_balanced,
    commission_entry,
    credit_note_entry,
    current_account,
    example_factor_statement,
    fund_call_entry,
    guarantee_fund_entry,
    journal_by_operation,
    journal_display,
    journal_for_month,
    month_commissions,
    plot_current_account,
    reconcile_factor_account,
    reconciliation_actions,
)

T = pd.Timestamp
FAC_A = FactoringOffer(offer_id="FAC-A", factor="Factobanque", factoring_fee_rate=0.0025,
                       minimum_factoring_fee=40_000, index_rate=0.0205, financing_margin=0.012, value_days=2,
                       guarantee_fund_rate=0.10, per_buyer_fee=60, dispute_fee=25, setup_fee=3_000,
                       credit_insurance_included=True, guarantee_quotite=0.9, max_overdue_days=90,
                       financing_index="Euribor 3 mois")
OFFER = FactoringOffer(offer_id="F", factoring_fee_rate=0.0025, minimum_factoring_fee=40_000, index_rate=0.02,
                       financing_margin=0.01, value_days=5, guarantee_fund_rate=0.10, per_invoice_fee=2,
                       per_buyer_fee=50, dispute_fee=25, setup_fee=3_000)
COST = factoring_cost(OFFER, 36_500_000, 60, invoices=1_000, buyers=100, disputes=20, cost_of_capital=0.05,
                      overdraft_rate=0.06, dailly_rate=0.045, insurance_value=50_000)


def _items(rows):
    """rows: (customer, ref, due date, amount, disputed)."""
    return casekit.canonical_open_items(pd.DataFrame([
        dict(customer_id=c, document_ref=r, document_date=d - pd.Timedelta(days=30), due_date=d, amount=a,
             disputed=x) for c, r, d, a, x in rows]))


ITEMS = _items([("A", "1", T("2025-12-15"), 1_000, False), ("A", "2", T("2025-12-15"), 500, True),
                ("A", "3", T("2025-09-01"), 300, False),  # 121 days overdue at 31/12/2025
                ("B", "4", T("2025-12-31"), 200, False), ("A", "5", T("2025-12-01"), -100, False)])



@pytest.fixture(scope="module")
def small(case):
    """A company with 2025 sales of 3 650 000 € TTC (FA1 3 000 000 € paid on 30/04, FA2 650 000 € open and not due
    at 31/12/2025), receivables of 600 000 € in its financial statements (DSO 600 000 / 3 650 000 × 365 = 60 days),
    cost of capital 5 %, overdraft 6 %, Dailly 4,5 %."""
    company = case.company.assign(cost_of_capital=0.05, overdraft_rate=0.06, dailly_rate=0.045,
                                  standard_vat_rate=0.20)
    financials = pd.DataFrame({"year": [2025], "revenue_incl_vat": [3_650_000.0],
                               "revenue_excl_vat": [3_041_666.67], "trade_receivables": [600_000.0],
                               "bad_debt_losses": [3_041.67]})
    customers = pd.DataFrame({"customer_id": ["A", "B"], "customer_name": ["Alpha", "Bêta"],
                              "insolvency_date": [pd.NaT, pd.NaT]})
    invoices = pd.DataFrame({
        "document_ref": ["FA1", "FA2"], "document_type": ["Facture", "Facture"], "customer_id": ["A", "B"],
        "document_date": [T("2025-03-01"), T("2025-12-01")], "due_date": [T("2025-04-30"), T("2026-01-30")],
        "amount_excl_vat": [2_500_000.0, 541_666.67], "amount_incl_vat": [3_000_000.0, 650_000.0]})
    payments = pd.DataFrame({"payment_ref": ["R1"], "customer_id": ["A"], "payment_date": [T("2025-04-30")],
                             "payment_method": ["Virement"], "document_ref": ["FA1"], "amount": [3_000_000.0]})
    disputes = pd.DataFrame({"dispute_id": pd.Series(dtype=str), "document_ref": pd.Series(dtype=str),
                             "customer_id": pd.Series(dtype=str), "amount": pd.Series(dtype=float),
                             "opened_date": pd.Series(dtype="datetime64[ns]"),
                             "closed_date": pd.Series(dtype="datetime64[ns]"), "outcome": pd.Series(dtype=str)})
    return replace(case, company=company, financials=financials, customers=customers, invoices=invoices,
                   payments=payments, disputes=disputes)


# --- one invoice -------------------------------------------------------------------------------------------------

def test_invoice_factoring_by_hand():
    r = invoice_factoring(FAC_A, 12_000, 60)
    assert r.guarantee_retained == pytest.approx(1_200)  # 10 % × 12 000
    assert r.financed == pytest.approx(10_800)  # 12 000 − 1 200
    assert r.factoring_commission == pytest.approx(30)  # 0,25 % × 12 000
    assert r.fees_vat == pytest.approx(6)  # 20 % × 30
    assert r.financing_commission == pytest.approx(60.45)  # 3,25 % × 10 800 × (60 + 2) / 360
    assert r.cost_excl_vat == pytest.approx(90.45)  # 30 + 0 + 60,45
    assert r.effective_rate == pytest.approx(90.45 / (10_800 * 60 / 365))  # 5,09 %
    table = invoice_factoring_table(r)
    assert table.loc["Coût total hors TVA", "Montant"] == "90,45\u00a0€"


def test_invoice_factoring_edge_cases():
    r = invoice_factoring(FAC_A, 12_000, 0)  # paid at once: only the value days are financed
    assert r.financing_commission == pytest.approx(0.0325 * 10_800 * 2 / 360) and math.isnan(r.effective_rate)
    with pytest.raises(DataError, match="montant positif"):
        invoice_factoring(FAC_A, -100, 60)


# --- cost tables and value of the services -----------------------------------------------------------------------

def test_cost_components_and_value_table():
    comps = factoring_cost_components(COST).set_index("component")
    assert comps["amount"].sum() == pytest.approx(COST.total_cost)  # 309 687,5
    assert comps.at["financing_commission", "amount"] == pytest.approx(177_937.5)
    assert comps.at["guarantee_fund_cost", "share"] == pytest.approx(30_000 / 309_687.5)
    value = factoring_value_table(COST).set_index("label")["paid"].tolist()
    # financing: 177 937,5 + 30 000 = 207 937,5; services: 309 687,5 − 207 937,5 = 101 750
    assert value == pytest.approx([207_937.5, 101_750, 309_687.5])
    replaced = factoring_value_table(COST)["replaced"].tolist()
    assert replaced == pytest.approx([328_500, 50_000, 378_500])  # overdraft; insurance 50 000 + service 0
    assert factoring_value_table(COST)["balance"].iloc[-1] == pytest.approx(378_500 - 309_687.5)


def test_cost_components_with_no_cost():
    comps = factoring_cost_components(factoring_cost(FactoringOffer(), 0, 60))
    assert (comps["amount"] == 0).all() and (comps["share"] == 0).all()


def test_tables_of_the_fil_rouge_offers(case):
    offers = FactoringOffer.offers_from_table(case.factoring_offers)
    terms = factoring_terms_table(offers)
    assert terms.loc["Fonds de garantie (retenue sur les créances financées)"].tolist() == ["10\u00a0%", "12\u00a0%"]
    assert "3,25\u00a0% l'an" in terms.at["Commission de financement (base 360 jours)", "FAC-A"]  # 2,05 + 1,20
    comparison = compare_factoring_offers(case)
    table = factoring_cost_table(comparison)
    assert list(table.columns) == ["FAC-A – Factobanque", "FAC-B – Finaxo Factor"]
    a = comparison.iloc[0]
    assert table.at["= Coût total annuel", "FAC-A – Factobanque"] == casekit.fmt.euros(a["total_cost"], 0)
    assert table.at["Taux effectif du financement", "FAC-A – Factobanque"] == casekit.fmt.percent(
        a["effective_rate"], 2)
    assert isinstance(plot_factoring_cost(factoring_cost(offers["FAC-A"], 1_000_000, 60)), Figure)


def test_collection_time_value():
    team = pd.DataFrame({"fte": [1.0, 0.5], "loaded_annual_cost": [50_000.0, 30_000.0]})
    assert collection_time_value(team) == pytest.approx(80_000 / 1.5)  # 53 333,33 per FTE
    assert collection_time_value(team, 2) == pytest.approx(2 * 80_000 / 1.5)
    assert collection_time_value(team, 0) == 0
    with pytest.raises(DataError, match="négatif"):
        collection_time_value(team, -1)
    with pytest.raises(DataError, match="aucun gestionnaire"):
        collection_time_value(team.iloc[:0])


# --- variants and any ledger -------------------------------------------------------------------------------------

def test_variants_by_hand(small):
    table = factoring_variants(small, FAC_A, {
        "Négociée": {"guarantee_fund_rate": 0.07, "financing_margin": 0.009},
        "Un tiers": {"sales_scale": 1 / 3}}, insurance_rate=0.0).set_index("variant")
    # base: commission max(0,25 % × 3 650 000 = 9 125 ; 40 000) = 40 000 (minimum); financing 3,25 % ×
    # 3 285 000 × 62 / 360 = 18 386,875; buyer fees 2 × 60 = 120; setup 3 000; fund 60 000 × 5 % = 3 000
    assert table.at["Offre de base", "total_cost"] == pytest.approx(64_506.875)
    assert table.at["Offre de base", "minimum_applied"]
    # negotiated: financing 2,95 % × 3 394 500 × 62 / 360 = 17 245,9458; fund 42 000 × 5 % = 2 100
    assert table.at["Négociée", "total_cost"] == pytest.approx(40_000 + 17_245.9458 + 120 + 3_000 + 2_100)
    assert table.at["Négociée", "change"] == pytest.approx(-(64_506.875 - 62_465.9458), abs=1e-3)
    # a third of the sales: the minimum still applies; financing 3,25 % × 1 095 000 × 62 / 360 = 6 128,958;
    # buyers round(2 / 3) = 1 → 60 €; receivables 1 216 666,67 × 60 / 365 = 200 000, fund 20 000 × 5 % = 1 000
    assert table.at["Un tiers", "total_cost"] == pytest.approx(40_000 + 6_128.9583 + 60 + 3_000 + 1_000)
    with pytest.raises(DataError, match="inconnu"):
        factoring_variants(small, FAC_A, {"x": {"taux": 1}}, insurance_rate=0.0)


def test_variants_base_row_is_the_comparison(case):
    offer = FactoringOffer.offers_from_table(case.factoring_offers)["FAC-B"]
    base = factoring_variants(case, offer, {}).iloc[0]
    row = compare_factoring_offers(case).set_index("offer_id").loc["FAC-B"]
    assert base["total_cost"] == pytest.approx(row["total_cost"])
    assert base["effective_rate"] == pytest.approx(row["effective_rate"])


def test_ledger_inputs_and_evaluation():
    invoices = pd.DataFrame({"document_ref": ["1", "2", "3", "4"], "customer_id": ["A", "B", "A", "A"],
                             "document_date": [T("2024-12-31"), T("2025-03-01"), T("2025-06-01"), T("2025-07-01")],
                             "amount_incl_vat": [999.0, 200_000.0, 165_000.0, -0.0 - 5_000.0]})
    inputs = ledger_factoring_inputs(ITEMS, invoices, "2025-12-31")
    assert inputs["assigned_sales"] == pytest.approx(360_000)  # 200 000 + 165 000 − 5 000 (31/12/2024 excluded)
    assert inputs["dso_days"] == pytest.approx(1_900 / 360_000 * 365)  # open items 1 000+500+300+200−100
    assert (inputs["invoices"], inputs["buyers"], inputs["disputes"]) == (2, 2, 0)
    assert ledger_factoring_inputs(ITEMS, invoices.iloc[:1], "2025-12-31") is None
    table = evaluate_factoring_offers({"F": OFFER}, inputs, ITEMS, "2025-12-31").set_index("offer_id")
    assert table.at["F", "share_drawn"] == pytest.approx(1_200 / 2_000)  # items 1 and 4 of 2 000 owed
    empty = evaluate_factoring_offers({"F": OFFER}, inputs, ITEMS.iloc[:0], "2025-12-31")
    assert empty.at[0, "share_drawn"] == 0


# --- what the factor asks for ------------------------------------------------------------------------------------

def test_due_diligence_by_hand():
    invoices = pd.DataFrame({"document_ref": ["1", "2", "3"], "customer_id": ["A", "B", "A"],
                             "document_date": [T("2025-03-01"), T("2025-06-01"), T("2025-07-01")],
                             "amount_incl_vat": [30_000.0, 10_000.0, -4_000.0]})
    d = factor_due_diligence(ITEMS, invoices, "2025-12-31", top=1).set_index("indicator")["value"]
    assert d["Clients débiteurs (solde positif)"] == 2  # A 1 700, B 200
    assert d["Encours clients TTC"] == pytest.approx(1_900)
    assert d["Part échue de l'encours"] == pytest.approx(1_700 / 1_900)  # all but item 4 (due 31/12)
    assert d["Part échue depuis plus de 90 jours"] == pytest.approx(300 / 1_900)
    assert d["Poids des 1 premiers clients dans l'encours"] == pytest.approx(1_700 / 1_900)
    assert d["Chiffre d'affaires TTC des 12 derniers mois"] == pytest.approx(36_000)
    assert d["Montant moyen d'une facture TTC"] == pytest.approx(20_000)  # 40 000 gross / 2 invoices
    assert d["Avoirs en % de la facturation brute"] == pytest.approx(4_000 / 40_000)
    assert d["DSO comptable (encours / CA TTC 12 mois × 365)"] == pytest.approx(1_900 / 36_000 * 365)
    empty = factor_due_diligence(ITEMS.iloc[:0], invoices.iloc[:0], "2025-12-31")
    assert math.isnan(empty.set_index("indicator").at["Part échue de l'encours", "value"])
    assert (empty["display"] != "").all()


def test_loss_history_and_approved_buyers(case):
    history = factor_loss_history(case)
    fin = case.financials.set_index("year")
    assert history.index.tolist() == fin.index.tolist()
    assert history.at[2025, "loss_rate"] == pytest.approx(fin.at[2025, "bad_debt_losses"]
                                                          / fin.at[2025, "revenue_excl_vat"])
    assert history["insolvencies"].sum() == case.customers["insolvency_date"].notna().sum()  # 5
    customers = pd.DataFrame({"customer_id": ["A", "B", "C"],
                              "insolvency_date": [pd.NaT, T("2025-06-01"), T("2026-02-01")]})
    assert factor_approved_buyers(customers, "2025-12-31") == ["A", "C"]  # C fails after the date


# --- availability of the current account -------------------------------------------------------------------------

def test_availability_by_hand():
    eligible = eligible_receivables(ITEMS, "2025-12-31", approved_buyers=["A"], max_overdue_days=90)
    a = factor_availability(eligible, 0.10, drawn=500, fees=20)
    assert a.assigned == pytest.approx(2_000)  # 1 000 + 500 + 300 + 200
    assert a.non_valeurs == pytest.approx(1_000)  # disputed 500, overdue 300, B not approved 200
    assert a.credits == pytest.approx(100)
    assert a.financeable == pytest.approx(900)  # 2 000 − 1 000 − 100
    assert a.guarantee_fund == pytest.approx(90)  # 10 % × 900
    assert a.max_financing == pytest.approx(810)
    assert a.available == pytest.approx(290)  # 810 − 500 − 20
    table = availability_table({"X": a})
    assert table["X"].iloc[-1] == pytest.approx(290)
    assert isinstance(plot_factor_availability(a), Figure)
    summary = eligibility_summary(eligible)
    assert isinstance(plot_factoring_eligibility({"X": summary}), Figure)


def test_availability_when_nothing_is_financeable():
    eligible = eligible_receivables(ITEMS, "2025-12-31", approved_buyers=[], max_overdue_days=90)
    a = factor_availability(eligible, 0.10, drawn=400)
    assert a.financeable == 0 and a.guarantee_fund == 0
    assert a.available == -400  # the factor asks for the financing back
    with pytest.raises(DataError, match="entre 0 et 1"):
        factor_availability(eligible, 1.5)


# --- accounting ----------------------------------------------------------------------------------------------------

D = "2025-12-05"
INVOICES = pd.DataFrame({"customer_id": ["C1", "C2"], "document_ref": ["FA1", "FA2"],
                         "amount": [1_200.0, 600.0]})


def _small_journal():
    return pd.concat([
        assignment_entry("CES1", D, INVOICES),
        guarantee_fund_entry("CES1", D, 180),  # 10 % × 1 800
        fund_call_entry("ADF1", "2025-12-07", 1_620),  # 1 800 − 180
        credit_note_entry("AVO1", "2025-12-10", "C2", "AV1", 100),
        commission_entry("COM", "2025-12-31", 10, 5),  # 10 + 2 of VAT + 5 = 17
    ], ignore_index=True)


def test_credit_note_entry():
    j = check_balanced(credit_note_entry("AVO1", D, "C2", "AV1", 100)).set_index("account")
    assert (j.at["411", "debit"], j.at["4671", "credit"]) == (100, 100)
    assert j.at["411", "customer_id"] == "C2"
    with pytest.raises(DataError, match="positif"):
        credit_note_entry("AVO1", D, "C2", "AV1", -100)


def test_balances_and_summaries():
    j = check_balanced(_small_journal())
    bal = account_balances(j).set_index("account")
    assert bal.at["4671", "balance"] == pytest.approx(-17 - 100)  # 1 800 − 180 − 1 620 − 100 − 17
    assert bal.at["4671", "side"] == "créditeur"
    assert bal.at["411", "balance"] == pytest.approx(-1_700)  # −1 800 + 100
    assert bal.at["4672", "side"] == "débiteur" and bal.at["512", "balance"] == 1_620
    assert bal["balance"].sum() == pytest.approx(0)
    ops = journal_by_operation(j)
    assert ops["operation"].iloc[0] == "Cession de factures"
    cessions = ops[ops["operation"] == "Cession de factures"].set_index("account")
    assert cessions.at["4671", "debit"] == 1_800 and cessions.at["411", "credit"] == 1_800
    assert ops.loc[ops["operation"] == "Avoir transmis au factor", "entries"].tolist() == [1, 1]
    shown = journal_display(j)
    # CES1: one 4671 line, the two 411 lines in one, two guarantee-fund lines; ADF1 2; AVO1 2; COM 4; total 1
    assert len(shown) == 1 + 1 + 2 + 2 + 2 + 4 + 1
    assert shown["Libellé"].iloc[1] == "2 pièces clients (Cession de factures)"
    # 4671 1 800 + 4672 180 + 512 1 620 + 411 100 + 6225 10 + 44566 2 + 6616 5
    assert shown.iloc[-1]["Débit"] == shown.iloc[-1]["Crédit"] == casekit.fmt.euros(3_717)
    assert len(journal_display(j, aggregate_customers=False)) == len(j) + 1
    assert isinstance(plot_current_account(current_account(j)), Figure)


def test_month_commissions_match_the_month_end_entry(case):
    offer = FactoringOffer.offers_from_table(case.factoring_offers)["FAC-B"]
    j = journal_for_month(case, offer, "2025-12", dso_days=70)
    checked = month_commissions(j, offer, 70).set_index("item")["amount"]
    com = j[j["operation"] == "commission"].set_index("account")
    assert checked["= Total débité au compte courant (4671)"] == pytest.approx(com.at["4671", "credit"])
    assert checked["= Commission et frais HT (compte 6225)"] == pytest.approx(com.at["6225", "debit"])
    assert checked["Commission de financement, sans TVA (compte 6616)"] == pytest.approx(com.at["6616", "debit"])


def test_month_commissions_by_hand():
    offer = replace(FAC_A, per_invoice_fee=1.0)
    checked = month_commissions(_small_journal(), offer, 60).set_index("item")["amount"]
    assert checked["Commission d'affacturage"] == pytest.approx(4.5)  # 0,25 % × 1 800
    assert checked["Frais par facture"] == 2  # 2 invoices × 1 €
    assert checked["Frais par acheteur (1/12 du forfait annuel)"] == pytest.approx(10)  # 2 × 60 / 12
    assert checked["= Commission et frais HT (compte 6225)"] == pytest.approx(16.5)
    assert checked["TVA déductible (compte 44566)"] == pytest.approx(3.3)
    # 3,25 % × 1 620 × (60 + 2) / 360 = 9,0675 → 9,07
    assert checked["Commission de financement, sans TVA (compte 6616)"] == pytest.approx(9.07)
    assert checked["= Total débité au compte courant (4671)"] == pytest.approx(16.5 + 3.3 + 9.07)


def _hand_reconciliation():
    ledger = pd.DataFrame({"date": pd.to_datetime(["2025-12-01", "2025-12-31", "2025-12-31"]),
                           "reference": ["A", "B", "C"], "operation": ["assignment", "assignment", "commission"],
                           "label": ["a", "b", "c"], "amount": [1_000, -900, -17]})
    statement = pd.DataFrame({"date": pd.to_datetime(["2025-12-01", "2025-12-31", "2025-12-31", "2025-12-31"]),
                              "reference": ["A", "C", "D", "NV-FA9"],
                              "operation": ["assignment", "commission", "commission", "charge_back"],
                              "label": ["a", "c", "d", "nv"], "amount": [1_000, -20, -50, -400]})
    return ledger, statement


def test_actions_and_adjusting_entries_by_hand():
    ledger, statement = _hand_reconciliation()
    rec = reconcile_factor_account(statement, ledger)
    actions = reconciliation_actions(rec).set_index("reference")
    assert actions.index.tolist() == ["B", "C", "D", "NV-FA9"]
    assert actions.at["B", "action"].startswith("Aucune écriture")
    assert "6225" in actions.at["D", "action"] and "411" in actions.at["NV-FA9", "action"]
    entries = adjusting_entries(rec, 0.20, customers={"FA9": "C9"})
    by = entries.set_index(["entry", "account"])
    assert by.at[("C", "6616"), "debit"] == 3  # the commission charged 20 instead of 17
    assert (by.at[("D", "6225"), "debit"], by.at[("D", "44566"), "debit"]) == (41.67, 8.33)  # 50 = 41,67 + 8,33
    assert by.at[("NV-FA9", "411"), "debit"] == 400 and by.at[("NV-FA9", "411"), "customer_id"] == "C9"
    # once booked, only the timing difference remains and the ledger shows the adjusted balance
    booked = pd.concat([ledger, current_account(entries)], ignore_index=True)
    again = reconcile_factor_account(statement, booked)
    assert again.items.loc[again.items["status"] != "matched", "difference"].tolist() == ["timing"]
    assert again.ledger_balance == pytest.approx(rec.adjusted_ledger_balance)  # 83 − 3 − 50 − 400 = −370
    assert rec.adjusted_ledger_balance == pytest.approx(-370)


def test_adjusting_entries_other_and_nothing():
    ledger, statement = _hand_reconciliation()
    rec = reconcile_factor_account(ledger.iloc[:1], ledger.iloc[:1])
    assert adjusting_entries(rec).empty
    odd = statement.assign(operation=["assignment", "commission", "commission", "fund_call"])
    entries = adjusting_entries(reconcile_factor_account(odd, ledger)).set_index(["entry", "account"])
    assert entries.at[("NV-FA9", "471"), "debit"] == 400  # an unknown operation waits in the suspense account


def test_fil_rouge_month_after_the_reconciliation(case):
    offer = FactoringOffer.offers_from_table(case.factoring_offers)["FAC-A"]
    j = journal_for_month(case, offer, "2025-12")
    rec = reconcile_factor_account(example_factor_statement(j, case, offer), j)
    entries = adjusting_entries(rec, 0.20)
    booked = pd.concat([j, entries], ignore_index=True)
    assert account_balances(booked).set_index("account").at["4671", "balance"] == pytest.approx(
        rec.adjusted_ledger_balance)


# --- tools, services, overrides ------------------------------------------------------------------------------------

def test_tools_by_hand(small):
    tools = factoring_tools_table(small, insurance_rate=0.0).set_index("tool")
    # complete FAC-A: 64 506,875 (see test_variants_by_hand)
    assert tools.at["full", "total_cost"] == pytest.approx(64_506.875)
    # without financing: nothing drawn, no fund: 40 000 + 120 + 3 000 = 43 120, no cash, no rate
    assert tools.at["no_financing", "total_cost"] == pytest.approx(43_120)
    assert tools.at["no_financing", "average_cash"] == 0 and math.isnan(tools.at["no_financing", "effective_rate"])
    # FAC-B: max(0,18 % × 3 650 000 = 6 570 ; 30 000) = 30 000 + 3,00 % × 3 650 000 × 88 % × 63 / 360
    # = 16 863 + 2 invoices × 4,50 = 9 + setup 5 000 + fund 600 000 × 12 % × 5 % = 3 600
    assert tools.at["confidential", "total_cost"] == pytest.approx(30_000 + 16_863 + 9 + 5_000 + 3_600)
    assert tools["management"].tolist() == ["par le factor", "par le factor", "par l'entreprise"]
    assert tools.at["confidential", "guarantee"] == "non" and tools.at["full", "guarantee"] == "oui (90\u00a0%)"
    shown = format_factoring_tools(tools.reset_index())
    assert shown.at["Affacturage sans financement (gestion et garantie, paiement à l'échéance)",
                    "Taux effectif du financement"] == "–"
    assert shown.iloc[0]["Coût annuel"] == "64\u00a0507\u00a0€"
    with pytest.raises(DataError, match="absentes"):
        factoring_tools_table(small, full="X", insurance_rate=0.0)


def test_service_value_only_for_notified_offers(small):
    table = compare_factoring_offers(small, insurance_rate=0.0, service_value=10_000).set_index("offer_id")
    assert table.at["FAC-A", "service_value"] == 10_000 and table.at["FAC-B", "service_value"] == 0
    assert table.at["FAC-A", "financing_cost"] == pytest.approx(64_506.875 - 10_000)
    cost = FactoringCost.from_row(table.loc["FAC-A"])
    assert cost.total_cost == pytest.approx(64_506.875) and cost.service_value == 10_000
    half = factoring_variants(small, FAC_A, {"Moitié": {"share_drawn": 0.5}}, insurance_rate=0.0)
    # half drawn: 3,25 % × 1 642 500 × 62 / 360 = 9 193,4375 instead of 18 386,875
    assert half["change"].iloc[1] == pytest.approx(-18_386.875 / 2)
    assert isinstance(plot_factoring_variants(half), Figure)
    shown = format_factoring_variants(half)
    assert shown.at["Offre de base", "Minimum annuel appliqué"] == "oui"  # 9 125 < 40 000
    assert shown.at["Moitié", "Écart de coût"] == "-9\u00a0193\u00a0€"


def test_minimum_fee_threshold():
    assert minimum_fee_threshold(FAC_A) == pytest.approx(16_000_000)  # 40 000 / 0,25 %
    assert minimum_fee_threshold(replace(FAC_A, minimum_factoring_fee=0)) == 0
    assert minimum_fee_threshold(replace(FAC_A, factoring_fee_rate=0)) == math.inf
