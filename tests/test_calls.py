"""Collection calls: promise-to-pay kept rate, outcomes, preparation sheet and its objective rules."""

import pandas as pd
import pytest

from casekit import DataError
from casekit.credit.calls import (
    call_outcomes,
    call_preparation,
    format_call_sheet,
    promise_kept_rate,
    suggested_objective,
)
from casekit.openitems import canonical_open_items

AS_OF = "2025-12-31"
T = pd.Timestamp



def calls():
    rows = [  # id, date, customer, collector, outcome, promise amount, promise date, kept, minutes
        ("A1", "2025-10-01", "A", "G1", "Promesse de paiement", 1000.0, "2025-10-10", "Oui", 5),
        ("A2", "2025-11-01", "A", "G1", "Promesse de paiement", 800.0, "2025-11-15", "Non", 7),
        ("A3", "2025-11-20", "A", "G1", "Injoignable / message laissé", 0.0, None, "", 3),
        ("B1", "2025-10-05", "B", "G2", "Promesse de paiement", 500.0, "2025-10-20", "Oui", 10),
        ("B2", "2025-11-05", "B", "G2", "Promesse de paiement", 400.0, "2025-11-20", "Oui", 6),
        ("B3", "2025-12-20", "B", "G2", "Promesse de paiement", 300.0, "2026-01-10", "À venir", 8),
        ("C1", "2025-12-01", "C", "G2", "Difficultés de trésorerie", 250.0, "2025-12-20", "Non", 12),
    ]
    df = pd.DataFrame(rows, columns=["call_id", "call_date", "customer_id", "collector_id", "outcome",
                                     "promise_amount", "promise_date", "promise_kept", "duration_min"])
    df["call_date"] = pd.to_datetime(df["call_date"])
    df["promise_date"] = pd.to_datetime(df["promise_date"])
    return df.assign(contact="Comptabilité fournisseurs", objective="Obtenir une date de paiement")


def test_promise_kept_rate():
    rates = promise_kept_rate(calls())
    # G1: 1 kept of 2 (A1 Oui, A2 Non) = 50 %; G2: B1, B2 Oui, C1 Non → 2 / 3; B3 « À venir » apart
    assert rates.loc["G1"].tolist() == [2, 1, 0.5, 0]
    assert rates.loc["G2", "kept_rate"] == pytest.approx(2 / 3) and rates.loc["G2", "pending"] == 1
    total = promise_kept_rate(calls(), by=None)
    assert total.loc["Ensemble", "kept_rate"] == pytest.approx(3 / 5)
    # at 15/11/2025: calls up to that day, promises due before it: A1 Oui, B1 Oui; A2 (15/11) pending
    early = promise_kept_rate(calls(), by=None, as_of="2025-11-15")
    assert early.loc["Ensemble"].tolist() == [2, 2, 1.0, 2]  # A2 and B2 (20/11) still to come
    assert promise_kept_rate(calls().iloc[0:0], by=None).empty
    with pytest.raises(DataError, match="regroupement"):
        promise_kept_rate(calls(), by="sales_rep")


def test_call_outcomes():
    out = call_outcomes(calls())
    assert out.loc["G1", "Promesse de paiement"] == 2 and out.loc["G1", "total"] == 3
    assert out.loc["G1", "mean_duration_min"] == 5.0  # (5 + 7 + 3) / 3
    shares = call_outcomes(calls(), by="customer_id", share=True)
    assert shares.loc["B", "Promesse de paiement"] == 1.0
    assert shares.loc["C", "Difficultés de trésorerie"] == 1.0


def overdue(rows):
    df = pd.DataFrame(rows, columns=["customer_id", "document_ref", "document_date", "due_date", "amount",
                                     "disputed"])
    items = canonical_open_items(df)
    return items.assign(days_overdue=(T(AS_OF) - items["due_date"]).dt.days)


NO_DISPUTE = pd.DataFrame(columns=["dispute_id", "reason", "amount", "opened_date"])


def test_objective_rules_in_order():
    items = overdue([("A", "F1", "2025-10-01", "2025-11-15", 3000.0, False)])  # 46 days overdue
    a_calls = calls()[calls()["customer_id"] == "A"]
    points = suggested_objective(AS_OF, a_calls, items, NO_DISPUTE)
    assert points[0] == "Relancer la promesse non tenue du 15/11/2025 (800,00\u00a0€ promis)"
    assert points[1].startswith("Obtenir une date et un montant de paiement pour les "
                                "3\u00a0000,00\u00a0€ échus (retard maximal 46 jours)")
    dispute = pd.DataFrame({"dispute_id": ["L1"], "reason": ["Prix non conforme au tarif"], "amount": [500.0],
                            "opened_date": [T("2025-12-01")]})
    no_calls = calls().iloc[0:0]
    assert suggested_objective(AS_OF, no_calls, items, dispute)[0].startswith(
        "Faire le point sur le litige L1 (Prix non conforme au tarif, 500,00\u00a0€, ouvert le 01/12/2025)")
    b_calls = calls()[calls()["customer_id"] == "B"]
    small = overdue([("B", "F2", "2025-12-01", "2025-12-21", 400.0, False)])  # 10 days, 400 €
    points = suggested_objective(AS_OF, b_calls, small, NO_DISPUTE)
    assert points == ["Confirmer le paiement promis pour le 10/01/2026 (300,00\u00a0€)",
                      "Obtenir une date de paiement pour les 400,00\u00a0€ échus"]
    credit = overdue([("B", "R1", "2025-12-01", "2025-12-01", -250.0, False)])
    assert suggested_objective(AS_OF, no_calls, credit, NO_DISPUTE)[0].startswith(
        "Faire affecter les règlements et avoirs non lettrés (250,00\u00a0€)")
    assert suggested_objective(AS_OF, no_calls, small.iloc[0:0], NO_DISPUTE) == [
        "Appel de courtoisie : vérifier la bonne réception et la validation des factures à échoir"]
    # a broken promise with nothing left overdue is not worth chasing
    points = suggested_objective(AS_OF, a_calls, small.iloc[0:0], NO_DISPUTE)
    assert points[0].startswith("Appel de courtoisie")


def test_call_preparation_from_tables():
    items = canonical_open_items(pd.DataFrame({
        "customer_id": ["A", "A", "B"], "customer_name": ["Alpha", "Alpha", "Beta"],
        "document_ref": ["F1", "F2", "F3"], "document_date": ["2025-10-01", "2025-12-01", "2025-12-01"],
        "due_date": ["2025-11-15", "2026-01-31", "2026-01-31"], "amount": [3000.0, 1000.0, 50.0]}))
    sheet = call_preparation({"open_items": items, "calls": calls()}, "A", AS_OF, last_n=2)
    assert sheet.customer == {"customer_id": "A", "customer_name": "Alpha"}
    assert (sheet.open_amount, sheet.overdue_amount) == (4000.0, 3000.0)
    assert sheet.calls["call_id"].tolist() == ["A2", "A3"]  # the last 2
    assert sheet.promise_kept_rate == 0.5
    assert sheet.objective.startswith("Relancer la promesse non tenue du 15/11/2025")
    text = format_call_sheet(sheet)
    assert text.startswith("# Fiche de préparation d'appel — Alpha (A)")
    assert "F1 échue le 15/11/2025 (46 jours) : 3\u00a0000,00\u00a0€" in text
    assert "## Litiges ouverts\n- Aucun" in text and "## Dernières relances\n- Aucune" in text
    only_items = call_preparation({"open_items": items}, "B", AS_OF)  # a FEC: no calls, disputes, dunning
    assert only_items.objective.startswith("Appel de courtoisie") and only_items.calls.empty
    with pytest.raises(DataError, match="inconnu"):
        call_preparation({"open_items": items}, "Z", AS_OF)
    with pytest.raises(DataError, match="open_items"):
        call_preparation({"calls": calls()}, "A", AS_OF)


def test_fil_rouge_sheet_does_not_leak_the_future(case):
    # Maison Sauvage (C0142) before its judgement of 16/05/2023: no mention of the proceedings yet
    before = call_preparation(case, "C0142", "2023-03-31")
    assert "insolvency_date" not in before.customer
    assert before.objective.startswith("Relancer la promesse non tenue du 01/03/2023")
    assert (before.calls["call_date"] <= T("2023-03-31")).all()
    assert (before.dunning["dunning_date"] <= T("2023-03-31")).all()
    after = call_preparation(case, "C0142", AS_OF)
    assert "procédure collective ouverte le 16/05/2023" in format_call_sheet(after)
    items = case.open_items(AS_OF)
    assert after.open_amount == pytest.approx(items.loc[items["customer_id"] == "C0142", "amount"].sum())


def test_fil_rouge_rates(case):
    rates = promise_kept_rate(case.calls)
    status = case.calls["promise_kept"].astype(str)
    assert rates["promises"].sum() == status.isin(["Oui", "Non"]).sum()
    assert rates["pending"].sum() == (status == "À venir").sum()
    assert rates["kept_rate"].between(0.4, 0.9).all()
    outcomes = call_outcomes(case.calls)
    assert outcomes["total"].sum() == len(case.calls)


# ---------------------------------------------------------------------------------------------- notebook 05
import matplotlib  # noqa: E402

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from casekit.credit.calls import (  # noqa: E402
    argument_figures,
    call_history,
    call_objectives,
    call_scorecard,
    call_script,
    call_text_html,
    check_commitment,
    confirmation_email,
    next_business_day,
    objective_category,
    overdue_by_customer,
    plot_call_scorecard,
    plot_customer_history,
    plot_promise_kept_trend,
    promise_delay_summary,
    promise_kept_trend,
    promise_payment_delays,
)

NB = "\u00a0"


def items_abcd():
    rows = [("A", "F1", "2025-10-01", "2025-11-15", 3000.0, False),   # 46 days overdue
            ("A", "F6", "2025-10-15", "2025-11-30", 1500.0, True),    # 31 days overdue, L1 contests 1 000
            ("A", "F2", "2025-12-01", "2026-01-31", 1000.0, False),   # not due
            ("A", "R1", "2025-12-10", "2025-12-10", -800.0, False),   # unapplied receipt
            ("B", "F3", "2025-12-01", "2025-12-21", 400.0, True),     # 10 days overdue, in dispute
            ("C", "F4", "2025-12-01", "2026-01-31", 50.0, False),     # nothing overdue
            ("D", "F5", "2025-10-01", "2025-12-01", 4500.0, False)]   # 30 days overdue, insolvent
    return canonical_open_items(pd.DataFrame(rows, columns=["customer_id", "document_ref", "document_date",
                                                            "due_date", "amount", "disputed"]))


def customers_abcd():
    return pd.DataFrame({"customer_id": ["A", "B", "C", "D"], "customer_name": ["Alpha", "Bêta", "Gamma", "Delta"],
                         "terms_label": ["45 jours fin de mois"] * 4, "payment_method": ["Virement"] * 4,
                         "credit_limit": [10_000.0] * 4,
                         "insolvency_date": [pd.NaT, pd.NaT, pd.NaT, T("2025-06-01")]})


def tables_abcd():
    invoices = pd.DataFrame({"document_ref": ["P1", "P2"], "customer_id": ["A", "A"],
                             "document_date": [T("2025-08-31"), T("2025-09-30")],
                             "due_date": [T("2025-09-30"), T("2025-10-31")], "amount_incl_vat": [1000.0, 3000.0]})
    payments = pd.DataFrame({"customer_id": ["A", "A"], "document_ref": ["P1", "P2"],
                             "payment_date": [T("2025-10-10"), T("2025-11-20")], "amount": [1000.0, 3000.0],
                             "payment_method": ["Virement", "Virement"]})
    dispute = pd.DataFrame({"dispute_id": ["L1"], "document_ref": ["F6"], "customer_id": ["A"],
                            "reason": ["Prix non conforme au tarif"], "owner_department": ["Commercial"],
                            "amount": [1000.0], "opened_date": [T("2025-12-05")], "closed_date": [pd.NaT]})
    return {"open_items": items_abcd(), "customers": customers_abcd(), "calls": calls(), "disputes": dispute,
            "invoices": invoices, "payments": payments}


def test_objective_category():
    assert objective_category("Relancer la promesse non tenue du 15/11/2025 (800,00 € promis)") == \
        "Promesse non tenue"
    assert objective_category("Obtenir une date et un montant de paiement pour les 3 000 € échus") == \
        "Retard important"
    assert objective_category("Obtenir une date de paiement pour les 400 € échus") == "Retard"
    assert objective_category("Bonjour") == "Autre"


def test_overdue_by_customer():
    ranking = overdue_by_customer(items_abcd(), AS_OF, customers_abcd())
    # A 3 000 + 1 500 = 4 500 and D 4 500 tie → by id; B 400; C has nothing overdue
    assert ranking.index.tolist() == ["A", "D", "B"]
    # A: 1 500 in dispute, −800 unapplied, open 3 000 + 1 500 + 1 000 − 800 = 4 700, oldest 46 days
    assert ranking.loc["A"].tolist() == ["Alpha", 4500.0, 1500.0, -800.0, 4700.0, 46, False]
    assert ranking.loc["D", "insolvent"] and ranking.loc["B", "oldest_days"] == 10
    assert not overdue_by_customer(items_abcd(), AS_OF)["insolvent"].any()  # no customer table
    assert overdue_by_customer(items_abcd(), "2025-01-01").empty


def test_call_objectives():
    plan = call_objectives(tables_abcd(), AS_OF)
    assert plan.index.tolist() == ["A", "D", "B"]
    assert plan.loc["A", "objective"] == f"Relancer la promesse non tenue du 15/11/2025 (800,00{NB}€ promis)"
    assert plan["category"].tolist() == ["Promesse non tenue", "Procédure collective", "Promesse à confirmer"]
    assert call_objectives(tables_abcd(), AS_OF, top=1).index.tolist() == ["A"]


def test_call_history():
    a = call_history(calls(), "A", AS_OF)
    # A1 kept (1 000), A2 broken (800), A3 unanswered → reached 2 of 3, 1 kept of 2; (5 + 7 + 3) / 3 = 5 min
    assert (a.calls, a.reached, a.promises, a.kept, a.broken, a.pending) == (3, 2, 2, 1, 1, 0)
    assert (a.kept_rate, a.promised_amount, a.broken_amount, a.mean_duration_min) == (0.5, 1800.0, 800.0, 5.0)
    assert (a.first_call, a.last_call, a.main_contact) == (T("2025-10-01"), T("2025-11-20"),
                                                          "Comptabilité fournisseurs")
    b = call_history(calls(), "B", AS_OF)  # B3 promised for 10/01/2026: still to come
    assert (b.kept, b.pending, b.kept_rate, b.promised_amount) == (2, 1, 1.0, 1200.0)
    recent = call_history(calls(), "A", AS_OF, window_days=45)  # since 16/11/2025: A3 only
    assert recent.calls == 1 and recent.promises == 0 and recent.kept_rate != recent.kept_rate
    assert call_history(calls(), "Z", AS_OF).calls == 0


def test_next_business_day():
    assert next_business_day("2026-01-03") == T("2026-01-05")  # Saturday → Monday
    assert next_business_day("2026-01-04") == T("2026-01-05")  # Sunday → Monday
    assert next_business_day("2026-01-07") == T("2026-01-07")  # Wednesday


def test_argument_figures():
    f = argument_figures(tables_abcd(), "A", AS_OF)
    # to collect: 3 000 undisputed + (1 500 − 1 000 contested) − 800 unapplied = 2 700
    assert (f.overdue, f.undisputed_overdue, f.collectable_disputed, f.unapplied, f.to_collect) == \
        (4500.0, 3000.0, 500.0, -800.0, 2700.0)
    assert f.overdue_invoices["document_ref"].tolist() == ["F1"] and f.oldest_days == 46
    # F1: 3 000 × 12,15 % (ECB 2,15 % + 10 points, 2nd half of 2025) × 46 / 365 = 45,94 €; one indemnity of 40 €
    assert (f.penalty, f.indemnity) == (45.94, 40.0)
    # paid 10 days late on 1 000 € and 20 days late on 3 000 € → (10 000 + 60 000) / 4 000 = 17,5 days
    assert f.average_delay == 17.5
    assert (f.open_amount, f.limit_use) == (4700.0, 0.47)  # 4 700 / 10 000
    # 46 days ≥ 45 → level 4 (formal notice); the next one is the transfer to litigation
    assert f.level == 4 and f.next_action.startswith("Transmission du dossier au contentieux")
    # last promise (A2, 800 € for 15/11) broken → ask for payment within 2 days: 02/01/2026 (a Friday)
    assert (f.last_broken_date, f.last_broken_amount, f.proposed_date) == (T("2025-11-15"), 800.0, T("2026-01-02"))
    assert argument_figures(tables_abcd(), "A", AS_OF, promise_days=7).proposed_date == T("2026-01-07")
    b = argument_figures(tables_abcd(), "B", AS_OF)  # F3 disputed but no dispute row: nothing collectable
    assert (b.to_collect, b.level, b.next_promise_amount) == (0.0, 0, 300.0)
    only_items = argument_figures({"open_items": items_abcd()}, "A", AS_OF)  # a FEC
    assert only_items.average_delay != only_items.average_delay and only_items.terms_label == ""
    assert only_items.to_collect == 2200.0  # 3 000 − 800: without the dispute table, F6 is not collectable
    with pytest.raises(DataError, match="inconnu"):
        argument_figures({"open_items": items_abcd()}, "Z", AS_OF)


def test_call_script():
    tables = tables_abcd()
    text = call_script(call_preparation(tables, "A", AS_OF), argument_figures(tables, "A", AS_OF),
                       caller="Léa Martin", company="Hexaform SAS")
    assert text.startswith("# Scénario d'appel — Alpha (A), le 31/12/2025")
    assert "« Bonjour, Léa Martin, du service crédit clients de la société Hexaform SAS." in text
    assert f"1 facture échue pour 3{NB}000,00{NB}€" in text
    assert f"règlement de 800,00{NB}€ pour le 15/11/2025 ; nous ne l'avons pas reçu" in text
    assert f"des règlements pour 800,00{NB}€ que nous ne pouvons pas affecter" in text
    assert "Litige L1 (Prix non conforme au tarif" in text
    assert f"45,94{NB}€ à ce jour" in text and "17,5" in text
    assert f"Demander : 2{NB}700,00{NB}€ par virement le vendredi 02/01/2026." in text
    assert "Vérifier l'encaissement le 05/01/2026" in text  # 02/01 + 2 days = Sunday 04/01 → Monday
    assert "l'étape suivante sera : transmission du dossier au contentieux" in text


def test_check_commitment():
    f = argument_figures(tables_abcd(), "A", AS_OF)  # 2 700 € to collect
    full = check_commitment(f, 2700, "2026-01-07")
    assert (full.coverage, full.uncovered, full.days, full.firm) == (1.0, 0.0, 7, True)
    weak = check_commitment(f, 1500, "2026-01-17")  # a Saturday, 17 days away, 1 500 / 2 700 = 55,6 %
    assert weak.coverage == pytest.approx(1500 / 2700) and weak.uncovered == 1200.0 and not weak.firm
    assert [r.split(" ")[0] for r in weak.remarks] == ["Date", "Le", "Promesse"]
    assert "solde de 1\u00a0200,00\u00a0€" in weak.remarks[2] and "(19/01/2026)" in weak.remarks[1]
    empty = check_commitment(f, 0, AS_OF)
    assert empty.remarks[0].startswith("Aucun montant") and empty.remarks[1].startswith("La date doit")
    assert check_commitment(f, 3000, "2026-01-05").remarks == (
        "Montant supérieur au montant à encaisser : vérifier les factures visées par le règlement.",)


def test_confirmation_email():
    f = argument_figures(tables_abcd(), "A", AS_OF)
    text = confirmation_email(f, 2000, "2026-01-07", contact="Madame Roy", caller="Léa Martin", company="Hexaform")
    assert text.startswith("Objet : confirmation de votre engagement de règlement — Hexaform")
    assert f"régler la somme de 2{NB}000,00{NB}€ par virement le 07/01/2026" in text
    assert f"- F1, échue le 15/11/2025 : 3{NB}000,00{NB}€, à hauteur de 2{NB}000,00{NB}€\n" in text  # in part
    assert f"Le solde de 700,00{NB}€" in text  # 2 700 − 2 000
    assert f"paiements non identifiés (800,00{NB}€)" in text
    assert text.endswith("Léa Martin\nService crédit clients — Hexaform")
    whole = confirmation_email(f, 3000, "2026-01-07")  # F1 settled in full: no « à hauteur de »
    assert f"- F1, échue le 15/11/2025 : 3{NB}000,00{NB}€\n" in whole and "[votre entreprise]" in whole


def promise_calls():
    rows = [("P1", "2025-03-01", "A", "G1", 1000.0, "2025-03-10", "Oui"),
            ("P2", "2025-03-20", "A", "G1", 2000.0, "2025-03-25", "Non"),
            ("P3", "2025-06-20", "A", "G1", 500.0, "2025-07-15", "À venir"),  # after as_of: left out
            ("P4", "2025-04-20", "B", "G2", 700.0, "2025-05-01", "Non")]       # B never pays
    df = pd.DataFrame(rows, columns=["call_id", "call_date", "customer_id", "collector_id", "promise_amount",
                                     "promise_date", "promise_kept"])
    return df.assign(call_date=pd.to_datetime(df["call_date"]), promise_date=pd.to_datetime(df["promise_date"]))


def test_promise_payment_delays():
    payments = pd.DataFrame({
        "customer_id": ["A"] * 5,
        "payment_date": pd.to_datetime(["2025-02-20", "2025-03-08", "2025-03-09", "2025-03-14", "2025-04-04"]),
        "amount": [400.0, 600.0, 300.0, 500.0, 1500.0],
        "payment_method": ["Virement", "Virement", "Imputation d'avoir", "Virement", "Virement"]})
    delays = promise_payment_delays(promise_calls(), payments, "2025-06-30").set_index("call_id")
    assert delays.index.tolist() == ["P1", "P2", "P4"]
    # P1: cash after the call 600 (08/03) then 1 100 (14/03) ≥ 1 000 → paid 14/03, 4 days after 10/03; the credit
    # note offset of 09/03 is not cash and the 400 € of 20/02 came before the call
    assert delays.loc["P1", "paid_date"] == T("2025-03-14") and delays.loc["P1", "days_after_promise"] == 4
    # P2: after 20/03 only 1 500 € came (04/04) < 2 000 → not covered
    assert pd.isna(delays.loc["P2", "paid_date"]) and pd.isna(delays.loc["P4", "paid_date"])
    summary = promise_delay_summary(delays.reset_index())
    assert summary.loc["Oui"].tolist() == [1, 1.0, 0.0, 4.0, 4.0]  # paid, but 4 days > 2 days of tolerance
    assert summary.loc["Non", "promises"] == 2 and summary.loc["Non", "paid_share"] == 0.0
    assert promise_delay_summary(delays.reset_index(), tolerance_days=4).loc["Oui", "on_time_share"] == 1.0


def test_promise_kept_trend():
    quarters = promise_kept_trend(calls(), "Q", AS_OF)
    # promises due in Q4 2025: A1 Oui, A2 Non, B1 Oui, B2 Oui, C1 Non; B3 (10/01/2026) after as_of
    assert quarters.index.astype(str).tolist() == ["2025Q4"]
    assert quarters.loc[pd.Period("2025Q4", "Q")].tolist() == [5, 3, 0.6, 0]
    months = promise_kept_trend(calls(), "M", AS_OF)
    assert months["kept_rate"].tolist() == [1.0, 0.5, 0.0]  # oct.: A1, B1; nov.: B2 of A2, B2; déc.: C1 broken
    with pytest.raises(DataError, match="fréquence"):
        promise_kept_trend(calls(), "W")


def test_call_scorecard():
    card = call_scorecard(calls(), AS_OF)
    assert card.index.tolist() == ["G1", "G2", "Ensemble"]
    # G1: A1, A2, A3 → reached 2/3, 2 promises of 3 calls, 1 kept of 2, 1 000 of 1 800 € kept, (5 + 7 + 3) / 3 min
    assert card.loc["G1"].tolist() == pytest.approx([3, 2 / 3, 2 / 3, 2, 0.5, 1800.0, 1000.0, 1000 / 1800, 5.0])
    # G2: B1, B2 kept, C1 broken, B3 to come → 2 / 3; 500 + 400 of 500 + 400 + 250 € kept; (10 + 6 + 8 + 12) / 4
    assert card.loc["G2"].tolist() == pytest.approx([4, 1.0, 1.0, 3, 2 / 3, 1150.0, 900.0, 900 / 1150, 9.0])
    assert card.loc["Ensemble", "kept_rate"] == pytest.approx(3 / 5) and card.loc["Ensemble", "calls"] == 7
    assert call_scorecard(calls(), AS_OF, start="2025-11-01").loc["Ensemble", "calls"] == 4  # A3, B2, B3, C1
    assert call_scorecard(calls(), "2025-01-01").empty
    with pytest.raises(DataError, match="regroupement"):
        call_scorecard(calls(), AS_OF, by="sales_rep")


def test_call_charts():
    fig = plot_call_scorecard(call_scorecard(calls(), AS_OF), names={"G1": "Sophie"})
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["Sophie", "G2"]
    fig = plot_customer_history(tables_abcd(), "A", AS_OF)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [
        "Échéances dépassées", "Relances", "Promesses", "Appels", "Règlements reçus"]
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "Promesse non tenue" in legend and "Appel : injoignable / message laissé" in legend
    plot_customer_history({"open_items": items_abcd()}, "A", AS_OF)  # a FEC: open items only
    fig = plot_promise_kept_trend(promise_kept_trend(calls(), "M", AS_OF))
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["10/2025", "11/2025", "12/2025"]
    plt.close("all")
    assert call_text_html("a < b").endswith("a &lt; b</pre>")


def test_fil_rouge_call_measures(case):
    delays = promise_payment_delays(case.calls, case.payments, AS_OF)
    summary = promise_delay_summary(delays)
    assert summary.loc["Oui", "on_time_share"] > 0.95  # a kept promise is covered by the customer's cash in time
    assert summary.loc["Non", "on_time_share"] < summary.loc["Oui", "on_time_share"]
    card = call_scorecard(case.calls, AS_OF)
    assert card.loc["Ensemble", "calls"] == len(case.calls)
    assert card.loc["Ensemble", "kept_rate"] == pytest.approx(
        promise_kept_rate(case.calls, by=None, as_of=AS_OF).loc["Ensemble", "kept_rate"])
    plan = call_objectives(case, AS_OF, top=10)
    assert len(plan) == 10 and plan["overdue"].is_monotonic_decreasing


def test_call_preparation_with_calls_but_no_promise():
    # only A3 (unanswered, no promise): the sheet has no kept rate instead of failing
    tables = dict(tables_abcd(), calls=calls()[calls()["call_id"] == "A3"])
    sheet = call_preparation(tables, "A", AS_OF)
    assert len(sheet.calls) == 1 and sheet.promise_kept_rate != sheet.promise_kept_rate  # NaN
    assert "- Promesses tenues : –" in format_call_sheet(sheet)
