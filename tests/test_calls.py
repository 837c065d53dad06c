"""Collection calls: promise-to-pay kept rate, outcomes, preparation sheet and its objective rules."""

import pandas as pd
import pytest

import casekit
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


@pytest.fixture(scope="module")
def case():
    return casekit.load_case()


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
