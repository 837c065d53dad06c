"""open_workbook: one entry point for every notebook, on the fil rouge or on a company's own file."""

import pandas as pd
import pytest

from casekit import DataError, load_case
from casekit.fec import fec_from_case, write_fec
from casekit.workbook import open_workbook


def test_fil_rouge_by_default():
    wb = open_workbook("2025-12-31", participant="Camille Martin")
    assert wb.is_fil_rouge and wb.as_of == pd.Timestamp("2025-12-31")
    assert wb.open_items["amount"].sum() == pytest.approx(load_case().open_items()["amount"].sum())
    assert "Hexaform SAS" in wb.banner() and "31/12/2025" in wb.banner() and "Camille Martin" in wb.banner()


def test_company_fec_and_export(tmp_path):
    case = load_case()
    fec = write_fec(fec_from_case(case, "2025-06-30"), tmp_path / "123456789FEC20250630.txt")
    wb = open_workbook("2025-06-30", source=str(fec), payment_terms_days=45)
    assert not wb.is_fil_rouge and wb.company_name == "123456789FEC20250630"
    assert wb.open_items["amount"].sum() == pytest.approx(case.open_items("2025-06-30")["amount"].sum(), abs=0.01)
    export = tmp_path / "encours.csv"
    case.open_items("2025-06-30").to_csv(export, index=False)
    assert len(open_workbook("2025-06-30", source=str(export)).open_items) == len(wb.open_items)


def test_missing_source():
    with pytest.raises(DataError, match="introuvable"):
        open_workbook(source="/nulle/part.txt")
