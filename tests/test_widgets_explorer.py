"""The customer explorer (notebook 00) and the late-payment simulator (notebook 01)."""

import io

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
from PIL import Image  # noqa: E402

from casekit.openitems import canonical_open_items  # noqa: E402
from casekit.widgets.blitting import Blitter, frame_key  # noqa: E402
from casekit.widgets.explorer import customer_explorer, customer_items_table  # noqa: E402
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
    assert "<td>F1</td>" in box.table.value and "<td>F3</td>" not in box.table.value
    box.choice.value = "B"
    assert "Bêta" in box.summary.value and f"encours <b>500,00{NBSP}€</b>" in box.summary.value
    assert "<td>F3</td>" in box.table.value
    assert f"dont échu <b>0,00{NBSP}€</b>" in box.summary.value  # due 01/07/2025, after the date


def test_explorer_table_and_empty_ledger():
    table = customer_items_table(ITEMS, "2025-06-30", "A")
    assert list(table["Retard (jours)"]) == [30, 0] and list(table["En litige"]) == ["oui", "non"]
    box = customer_explorer(ITEMS.iloc[0:0], "2025-06-30")
    assert "Aucune pièce non soldée au 30/06/2025" in box.children[0].value


def test_the_charts_put_ageing_and_history_on_one_rounded_scale():
    box = customer_explorer(ITEMS, "2025-06-30", INVOICES, PAYMENTS)
    aged, history = box.chart.figure.axes
    assert aged.get_title(loc="left") == "Encours par ancienneté"  # the name is left to the summary
    assert history.get_title(loc="left") == "Facturé, encaissé et solde dû sur 12 mois"
    # Alpha at 30/06/2025: F2 1 000 € not due (20/07), F1 3 000 € 1 to 30 days overdue (due 31/05)
    assert [bar.get_height() for bar in aged.patches] == [1_000, 3_000, 0, 0, 0]
    # 3 000 € invoiced in May, 1 000 € in June, nothing paid: balances 3 000 € then 4 000 €
    invoiced = [bar.get_height() for bar in history.patches[:12]]
    assert invoiced[-2:] == [3_000, 1_000] and sum(invoiced) == 4_000
    assert list(history.lines[0].get_ydata()[-3:]) == [0, 3_000, 4_000]
    # one scale for both: the largest value 4 000 × 1,1 = 4 400 → 5 000 (steps 1, 2, 2,5, 5 × 10ⁿ)
    assert aged.get_ylim() == history.get_ylim() == (0, 5_000)
    assert Image.open(io.BytesIO(box.image.value)).size == (1_280, 440)  # 16 × 5,5 inches at 80 dpi
    box.choice.value = "B"
    assert aged.get_ylim() == (0, 1_000)  # Bêta: 500 € not due, 500 × 1,1 = 550 → 1 000
    assert [bar.get_height() for bar in aged.patches] == [500, 0, 0, 0, 0]


def test_customers_of_a_like_size_share_the_frame(monkeypatch):
    # Gamma: 3 500 € not due; 3 500 × 1,1 = 3 850 → 5 000, Alpha's scale: only the data are redrawn
    gamma = canonical_open_items(pd.DataFrame({
        "customer_id": ["C"], "customer_name": ["Gamma"], "document_ref": ["F4"],
        "document_date": [D("2025-06-10")], "due_date": [D("2025-07-10")], "amount": [3_500.0],
        "disputed": [False]}))
    invoices = pd.concat([INVOICES, pd.DataFrame({"document_ref": ["F4"], "customer_id": ["C"],
                                                  "document_date": [D("2025-06-10")], "amount_incl_vat": [3_500.0]})])
    keys, png = [], Blitter.png
    monkeypatch.setattr(Blitter, "png", lambda self, figure: keys.append(frame_key(figure)) or png(self, figure))
    box = customer_explorer(pd.concat([ITEMS, gamma]), "2025-06-30", invoices, PAYMENTS)
    box.choice.value = "C"
    box.choice.value = "B"
    assert [value for _, value in box.choice.options] == ["A", "C", "B"]
    assert keys[0] == keys[1] != keys[2]


def test_without_sales_only_the_ageing_is_drawn():
    box = customer_explorer(ITEMS, "2025-06-30")
    assert len(box.chart.figure.axes) == 1 and box.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<td>F1</td>" in box.table.value and "Alpha" in box.summary.value


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
