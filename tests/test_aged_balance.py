"""Aged balance: buckets, groupings, disputed split, French display, chart and Excel export."""

import matplotlib

matplotlib.use("Agg")

import openpyxl  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from casekit import DataError  # noqa: E402
from casekit.credit.aged_balance import (  # noqa: E402
    aged_balance,
    aged_balance_by,
    aged_balance_disputed_split,
    aged_balance_totals,
    ageing_labels,
    bucket_labels,
    format_aged_balance,
    plot_aged_balance,
)
from casekit.credit.excel import EURO_FORMAT, export_aged_balance_excel  # noqa: E402
from casekit.openitems import canonical_open_items  # noqa: E402

AS_OF = "2025-12-31"
COLUMNS = ["not_due", "1-30", "31-60", "61-90", ">90", "total"]



def items():
    rows = [  # customer, ref, document date, due date, amount, disputed — as_of 31/12/2025
        ("A", "F1", "2025-12-15", "2026-01-31", 1000.0, False),  # not due
        ("A", "F2", "2025-11-30", "2025-12-31", 500.0, False),  # due on as_of: 0 day → not due
        ("A", "F3", "2025-11-15", "2025-12-30", 200.0, True),  # 1 day → 1-30
        ("A", "R1", "2025-12-20", "2025-12-20", -150.0, False),  # credit, 11 days → 1-30
        ("B", "F4", "2025-10-01", "2025-12-01", 300.0, False),  # 30 days → 1-30
        ("B", "F5", "2025-09-15", "2025-11-30", 400.0, True),  # 31 days → 31-60
        ("B", "F6", "2025-08-01", "2025-10-02", 700.0, False),  # 90 days → 61-90
        ("C", "F7", "2025-06-01", "2025-10-01", 800.0, False),  # 91 days → >90
        ("C", "F8", "2026-01-02", "2026-02-28", 999.0, False),  # issued after as_of: excluded
    ]
    df = pd.DataFrame(rows, columns=["customer_id", "document_ref", "document_date", "due_date", "amount",
                                     "disputed"])
    return canonical_open_items(df)


def test_bucket_labels():
    assert bucket_labels() == ["not_due", "1-30", "31-60", "61-90", ">90"]
    assert bucket_labels((15, 45)) == ["not_due", "1-15", "16-45", ">45"]
    assert bucket_labels(basis="document_date") == ["0-30", "31-60", "61-90", ">90"]
    for bad in [(), (30, 30), (60, 30), (0, 30)]:
        with pytest.raises(DataError, match="tranches"):
            bucket_labels(bad)
    with pytest.raises(DataError, match="base"):
        bucket_labels(basis="posting_date")


def test_aged_balance_by_hand():
    aged = aged_balance(items(), AS_OF)
    assert list(aged.columns) == COLUMNS and aged.index.name == "customer_id"
    assert list(aged.index) == ["A", "B", "C"]
    # A: not due 1 000 + 500 = 1 500; 1-30: 200 − 150 = 50; total 1 550
    assert aged.loc["A"].tolist() == pytest.approx([1500, 50, 0, 0, 0, 1550])
    # B: 1-30 300 (30 days); 31-60 400 (31 days); 61-90 700 (90 days); total 1 400
    assert aged.loc["B"].tolist() == pytest.approx([0, 300, 400, 700, 0, 1400])
    # C: 800 at 91 days; F8 issued on 02/01/2026 is excluded
    assert aged.loc["C"].tolist() == pytest.approx([0, 0, 0, 0, 800, 800])
    assert aged.dtypes.eq(float).all()


def test_aged_balance_custom_buckets_and_document_basis():
    aged = aged_balance(items(), AS_OF, buckets=(45,))
    # ≤ 45 days overdue: 200 − 150 + 300 + 400 = 750; > 45: 700 + 800 = 1 500
    assert list(aged.columns) == ["not_due", "1-45", ">45", "total"]
    assert aged.sum().tolist() == pytest.approx([1500, 750, 1500, 3750])
    by_date = aged_balance(items(), AS_OF, basis="document_date")
    assert list(by_date.columns) == ["0-30", "31-60", "61-90", ">90", "total"]
    # invoice age: F1 16 d, F2 31 d, F3 46 d, R1 11 d, F4 91 d, F5 107 d, F6 152 d, F7 213 d
    # 0-30: 1 000 − 150 = 850; 31-60: 500 + 200 = 700; >90: 300 + 400 + 700 + 800 = 2 200
    assert by_date.sum().tolist() == pytest.approx([850, 700, 0, 2200, 3750])


def test_aged_balance_groupings():
    mapping = pd.Series({"A": "G1", "B": "G2", "C": "G1"}, name="collector_id")
    by_collector = aged_balance_by(items(), AS_OF, mapping)
    assert by_collector.index.name == "collector_id"
    # G1 = A + C: 1 550 + 800 = 2 350; G2 = B: 1 400
    assert by_collector["total"].to_dict() == pytest.approx({"G1": 2350, "G2": 1400})
    partial = aged_balance(items(), AS_OF, by={"A": "FR"})  # B and C unmapped
    assert partial["total"].to_dict() == pytest.approx({"FR": 1550, "non renseigné": 2200})
    by_flag = aged_balance(items(), AS_OF, by="disputed")
    assert by_flag.loc[True, "total"] == pytest.approx(600)  # 200 + 400
    with pytest.raises(DataError, match="regroupement"):
        aged_balance(items(), AS_OF, by="collector")


def test_disputed_split_and_totals():
    split = aged_balance_disputed_split(items(), AS_OF)
    assert list(split.index) == ["undisputed", "disputed"] and split.index.name == "status"
    # disputed: F3 200 (1-30) and F5 400 (31-60)
    assert split.loc["disputed"].tolist() == pytest.approx([0, 200, 400, 0, 0, 600])
    assert split.loc["undisputed", "total"] == pytest.approx(3750 - 600)
    totals = aged_balance_totals(items(), AS_OF)
    # 1 500 | 50 + 300 = 350 | 400 | 700 | 800 | 3 750
    assert totals.tolist() == pytest.approx([1500, 350, 400, 700, 800, 3750])
    none_disputed = aged_balance_disputed_split(items().assign(disputed=False), AS_OF)
    assert none_disputed.loc["disputed", "total"] == 0.0


def test_edge_cases():
    empty = aged_balance(items().iloc[:0], AS_OF)
    assert empty.empty and list(empty.columns) == COLUMNS and empty.index.name == "customer_id"
    assert aged_balance_totals(items().iloc[:0], AS_OF).tolist() == [0.0] * 6
    assert aged_balance(items(), "2025-01-01").empty  # as_of before any invoice
    assert aged_balance_disputed_split(items().iloc[:0], AS_OF)["total"].tolist() == [0.0, 0.0]
    single = aged_balance(items()[items()["customer_id"] == "C"], AS_OF)
    assert list(single.index) == ["C"]
    only_credit = aged_balance(items()[items()["document_ref"] == "R1"], AS_OF)
    assert only_credit.loc["A", "1-30"] == -150.0
    netted = aged_balance(canonical_open_items(pd.DataFrame({
        "customer_id": ["A", "A"], "document_ref": ["F", "R"], "document_date": ["2025-12-01"] * 2,
        "due_date": ["2025-12-20"] * 2, "amount": [100.1, -100.1]})), AS_OF)
    assert str(netted.loc["A", "1-30"]) == "0.0"  # never "-0.0"


def test_french_labels_and_format():
    assert ageing_labels(COLUMNS) == {"not_due": "Non échu", "1-30": "1 à 30 jours", "31-60": "31 à 60 jours",
                                      "61-90": "61 à 90 jours", ">90": "Plus de 90 jours", "total": "Total"}
    assert ageing_labels(["0-30"]) == {"0-30": "0 à 30 jours"}
    shown = format_aged_balance(aged_balance(items(), AS_OF), names=pd.Series({"A": "Alpha SARL"}))
    assert list(shown.columns)[:2] == ["Raison sociale", "Non échu"] and shown.index.name == "Client"
    assert shown.loc["A", "Total"] == "1\u00a0550,00\u00a0€"
    split = format_aged_balance(aged_balance_disputed_split(items(), AS_OF))
    assert list(split.index) == ["Hors litige", "En litige"]


def test_fil_rouge(case):
    open_items = case.open_items()
    aged = aged_balance(open_items, case.as_of)
    assert aged["total"].sum() == pytest.approx(open_items["amount"].sum(), abs=0.01)
    assert aged.drop(columns="total").sum(axis=1).sub(aged["total"]).abs().max() < 0.01
    customers = case.customers.set_index("customer_id")
    for column in ["collector_id", "country", "segment"]:
        grouped = aged_balance_by(open_items, case.as_of, customers[column])
        assert grouped.index.name == column
        assert grouped["total"].sum() == pytest.approx(open_items["amount"].sum(), abs=0.01)
        assert "non renseigné" not in grouped.index
    totals = aged_balance_totals(open_items, case.as_of)
    assert totals["total"] == pytest.approx(9_490_745.02, abs=0.01)
    split = aged_balance_disputed_split(open_items, case.as_of)
    assert split.loc["disputed", "total"] == pytest.approx(
        open_items.loc[open_items["disputed"], "amount"].sum(), abs=0.01)


def test_plot_aged_balance(case):
    aged = aged_balance(case.open_items(), case.as_of)
    fig = plot_aged_balance(aged, top=10)
    ax = fig.axes[0]
    assert "10 plus gros encours" in ax.get_title()
    assert [t.get_text() for t in ax.get_legend().get_texts()][0] == "Non échu"
    assert len(ax.patches) == 10 * 5
    fig = plot_aged_balance(aged_balance_totals(case.open_items(), case.as_of))
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()][-1] == "Plus de 90 jours"


def test_excel_export(tmp_path):
    aged = aged_balance(items(), AS_OF)
    path = export_aged_balance_excel(aged, tmp_path / "balance.xlsx", title="Balance âgée test", as_of=AS_OF,
                                     names=pd.Series({"A": "Alpha SARL", "B": "Bêta SAS"}))
    assert path.exists()
    ws = openpyxl.load_workbook(path).active
    assert ws["A1"].value == "Balance âgée test"
    assert ws["B2"].value.strftime("%d/%m/%Y") == "31/12/2025" and ws["B2"].number_format == "DD/MM/YYYY"
    assert [c.value for c in ws[4]] == ["Client", "Raison sociale", "Non échu", "1 à 30 jours",
                                        "31 à 60 jours", "61 à 90 jours", "Plus de 90 jours", "Total"]
    assert ws.freeze_panes == "C5"
    assert [ws.cell(r, 1).value for r in range(5, 8)] == ["A", "B", "C"]
    assert ws["B6"].value == "Bêta SAS" and ws["H5"].value == pytest.approx(1550)
    # totals row: 1 500 | 350 | 400 | 700 | 800 | 3 750, equal to the column sums
    total_row = [c.value for c in ws[8]]
    assert total_row[0] == "Total"
    assert total_row[2:] == pytest.approx([1500, 350, 400, 700, 800, 3750])
    for col in range(3, 9):
        assert ws.cell(8, col).value == pytest.approx(sum(ws.cell(r, col).value for r in range(5, 8)))
        assert ws.cell(5, col).number_format == EURO_FORMAT == '#,##0.00\\ "€"'
    assert ws.column_dimensions["B"].width >= len("Raison sociale")


def test_excel_export_empty_and_split(tmp_path):
    empty = export_aged_balance_excel(aged_balance(items().iloc[:0], AS_OF), tmp_path / "vide.xlsx")
    ws = openpyxl.load_workbook(empty).active
    assert ws["A5"].value == "Total" and ws["G5"].value == 0 and ws.freeze_panes == "B5"
    split = export_aged_balance_excel(aged_balance_disputed_split(items(), AS_OF), tmp_path / "litiges.xlsx")
    ws = openpyxl.load_workbook(split).active
    assert ws["A4"].value == "Statut" and ws["A6"].value == "En litige"
    assert ws["G6"].value == pytest.approx(600)
