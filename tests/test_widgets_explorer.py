"""The customer explorer (notebook 00) and the late-payment simulator (notebook 01)."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402

from casekit.openitems import canonical_open_items  # noqa: E402
from casekit.widgets.explorer import by_customer, customer_explorer, customer_items_table, customer_view  # noqa: E402,E501
from casekit.widgets.introduction import late_payment_simulator  # noqa: E402

D = pd.Timestamp
NBSP = "\u00a0"
ITEMS = canonical_open_items(pd.DataFrame({
    "customer_id": ["A", "A", "B"], "customer_name": ["Alpha", "Alpha", "Bêta"],
    "document_ref": ["F1", "F2", "F3"], "document_date": [D("2025-05-01"), D("2025-06-20"), D("2025-06-01")],
    "due_date": [D("2025-05-31"), D("2025-07-20"), D("2025-07-01")], "amount": [3_000.0, 1_000.0, 500.0],
    "disputed": [True, False, False]}))
INVOICES = pd.DataFrame({"document_ref": ["F1", "F2", "F3"], "customer_id": ["A", "A", "B"],
                         "document_date": [D("2025-05-01"), D("2025-06-20"), D("2025-06-01")],
                         "amount_incl_vat": [3_000.0, 1_000.0, 500.0]})
PAYMENTS = pd.DataFrame({"customer_id": ["A"], "payment_date": [D("2025-05-05")], "amount": [0.0],
                         "document_ref": [""]})


def test_explorer_shows_the_largest_balance_then_follows_the_choice():
    box = customer_explorer(ITEMS, "2025-06-30", INVOICES, PAYMENTS)
    assert [value for _, value in box.choice.options] == ["A", "B"]  # largest balance first
    # Alpha: 3 000 + 1 000 = 4 000 €; 3 000 € overdue since 31/05 (30 days), disputed
    assert f"encours <b>4{NBSP}000,00{NBSP}€</b>" in box.summary.value
    assert f"dont échu <b>3{NBSP}000,00{NBSP}€</b>" in box.summary.value and "30 jours" in box.summary.value
    box.choice.value = "B"
    assert "Bêta" in box.summary.value and f"encours <b>500,00{NBSP}€</b>" in box.summary.value
    assert f"dont échu <b>0,00{NBSP}€</b>" in box.summary.value  # due 01/07/2025, after the date


def test_explorer_table_and_empty_ledger():
    table = customer_items_table(ITEMS, "2025-06-30", "A")
    assert list(table["Retard (jours)"]) == [30, 0] and list(table["En litige"]) == ["oui", "non"]
    box = customer_explorer(ITEMS.iloc[0:0], "2025-06-30")
    assert "Aucune pièce non soldée au 30/06/2025" in box.children[0].value


def test_customer_charts_leave_the_name_to_the_summary_and_round_their_scale():
    _, _, aged, history = customer_view(ITEMS, "2025-06-30", "A", INVOICES, PAYMENTS)
    assert aged.axes[0].get_title() == "Encours par ancienneté"
    assert history.axes[0].get_title() == "Facturé, encaissé et solde dû sur 12 mois"
    # Alpha at 30/06/2025: 3 000 € 1 to 30 days overdue (due 31/05), 1 000 € not due; 3 000 × 1,1 = 3 300 → 4 000
    assert aged.axes[0].get_ylim() == (0, 4_000)
    # 3 000 € invoiced in May, 1 000 € in June, nothing paid: balance 4 000 € at 30/06; 4 400 → 5 000
    assert history.axes[0].get_ylim() == (0, 5_000)


def test_tables_are_split_by_customer_once():
    split = by_customer(INVOICES, ["A", "B", "Z"])
    assert list(split["A"]["document_ref"]) == ["F1", "F2"] and list(split["B"]["document_ref"]) == ["F3"]
    assert split["Z"].empty and list(split["Z"].columns) == list(INVOICES.columns)  # no row, same columns
    assert by_customer(None, ["A"]) == {}


def test_late_payment_simulator_reacts_with_the_right_values():
    # 36 500 000 € TTC a year → 100 000 € a day of DSO
    box = late_payment_simulator(36_500_000, dso=60, add=15, financing_rate=0.05, net_income=1_000_000)
    assert box.days.value == 5 and box.days.max == 15
    assert f"<b>500{NBSP}000{NBSP}€</b>" in box.result.value  # 5 days × 100 000
    box.days.value = 10
    # 10 days × 100 000 = 1 000 000 € released; × 5 % = 50 000 € a year; × (1 − 25 %) = 37 500 € after tax
    assert f"<b>1{NBSP}000{NBSP}000{NBSP}€</b>" in box.result.value
    assert f"<b>50{NBSP}000{NBSP}€ par an</b>" in box.result.value and f"37{NBSP}500{NBSP}€" in box.result.value
    assert f"3,8{NBSP}% du résultat net" in box.result.value  # 37 500 / 1 000 000
    assert f"de <b>15,0{NBSP}jours</b> à <b>5,0{NBSP}jours</b>" in box.result.value
    box.rate.value = 4.0
    assert f"<b>40{NBSP}000{NBSP}€ par an</b>" in box.result.value  # 1 000 000 × 4 %
    assert "⚠️" not in box.result.value
    box.days.value = 15
    small = late_payment_simulator(36_500_000, dso=60, add=3, financing_rate=0.05, max_days=10)
    small.days.value = 8
    assert "⚠️" in small.result.value  # beyond today's average delay
