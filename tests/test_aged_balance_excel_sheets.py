"""Adapted aged balances exported together: one workbook, one sheet per view, and what the file holds."""

import openpyxl
import pandas as pd
import pytest

from casekit import DataError
from casekit.credit.aged_balance import (
    aged_balance,
    aged_balance_disputed_split,
    bucket_colors,
    bucket_labels,
    format_aged_balance,
)
from casekit.credit.excel import excel_contents, export_aged_balance_excel, export_aged_balances_excel
from casekit.openitems import canonical_open_items
from casekit.plots import AGEING_COLORS

AS_OF = "2025-12-31"


def items():
    return canonical_open_items(pd.DataFrame({  # days overdue at 31/12/2025: not due, 10, 75, 100
        "customer_id": ["A", "A", "B", "B"], "document_ref": ["F1", "F2", "F3", "F4"],
        "document_date": ["2025-12-01", "2025-11-01", "2025-09-01", "2025-08-01"],
        "due_date": ["2026-01-31", "2025-12-21", "2025-10-17", "2025-09-22"],
        "amount": [1000.0, 200.0, 300.0, 400.0], "disputed": [False, False, True, False]}))


def test_several_balances_in_one_workbook(tmp_path):
    by_customer = aged_balance(items(), AS_OF)
    by_collector = aged_balance(items(), AS_OF, by=pd.Series({"A": "Sophie", "B": "Karim"}, name="collector_id"))
    split = aged_balance_disputed_split(items(), AS_OF)
    path = export_aged_balances_excel({
        "Par client": (by_customer, "Balance âgée par client", pd.Series({"A": "Alpha", "B": "Bêta"})),
        "Par gestionnaire": (by_collector, "Balance âgée par gestionnaire"),
        "Litiges": split}, tmp_path / "balances.xlsx", as_of=AS_OF)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Par client", "Par gestionnaire", "Litiges"]
    assert book["Par client"]["B5"].value == "Alpha" and book["Par gestionnaire"]["A4"].value == "Gestionnaire"
    assert book["Litiges"]["A1"].value == "Litiges"  # no title given: the sheet name
    contents = excel_contents(path).set_index("sheet")
    # every sheet: 1 000 + 200 + 300 + 400 = 1 900 in its totals row
    assert contents["total"].tolist() == pytest.approx([1900.0, 1900.0, 1900.0])
    assert contents["lines"].tolist() == [2, 2, 2]
    assert contents.loc["Par client", "columns"] == ("Client | Raison sociale | Non échu | 1 à 30 jours | "
                                                     "31 à 60 jours | 61 à 90 jours | Plus de 90 jours | Total")
    assert contents.loc["Par client", "frozen"] == "C5" and contents.loc["Litiges", "frozen"] == "B5"
    assert (contents["as_of"] == pd.Timestamp(AS_OF)).all()
    assert contents.loc["Par client", "title"] == "Balance âgée par client"


def test_contents_of_a_single_export_and_errors(tmp_path):
    empty = export_aged_balance_excel(aged_balance(items().iloc[:0], AS_OF), tmp_path / "vide.xlsx")
    row = excel_contents(empty).iloc[0]
    assert row["lines"] == 0 and row["total"] == 0 and row["as_of"] is None
    with pytest.raises(DataError, match="aucune"):
        export_aged_balances_excel({}, tmp_path / "x.xlsx")
    with pytest.raises(DataError, match="invalide"):
        export_aged_balances_excel({"Balance/clients": aged_balance(items(), AS_OF)}, tmp_path / "x.xlsx")


def test_new_index_labels():
    by_level = aged_balance(items().assign(level=["1", "1", "2", "2"]), AS_OF, by="level")
    assert format_aged_balance(by_level).index.name == "Niveau de relance"


def test_bucket_colors_never_repeat():
    assert bucket_colors(bucket_labels() + ["total"]) == AGEING_COLORS[:5]  # the usual five buckets
    seven = bucket_colors(bucket_labels((5, 15, 30, 45, 75)))  # not due + 6 overdue buckets
    assert len(seven) == 7 and len(set(seven)) == 7
    assert seven[0] == AGEING_COLORS[0] and seven[1] == AGEING_COLORS[1] and seven[-1] == AGEING_COLORS[-1]
    assert bucket_colors(["1-30", "31-60", ">60"]) == AGEING_COLORS[1:4]  # overdue only: starts at yellow
    assert bucket_colors(bucket_labels(basis="document_date")) == AGEING_COLORS[:4]  # ages: from green
