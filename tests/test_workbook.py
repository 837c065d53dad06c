"""open_workbook: one entry point for every notebook, on the fil rouge or on a company's own file."""

import pandas as pd
import pytest

from casekit import DataError, load_case, monthly_dso
from casekit.fec import fec_from_case, write_fec
from casekit.workbook import case_workbook, open_workbook


def test_fil_rouge_by_default():
    wb = open_workbook("2025-12-31", participant="Camille Martin")
    assert wb.is_fil_rouge and wb.as_of == pd.Timestamp("2025-12-31")
    assert wb.open_items["amount"].sum() == pytest.approx(load_case().open_items()["amount"].sum())
    assert "Hexaform SAS" in wb.banner() and "31/12/2025" in wb.banner() and "Camille Martin" in wb.banner()


def test_case_workbook_is_the_fil_rouge_workbook_without_reloading(case):
    wb, opened = case_workbook(case, "2025-06-30"), open_workbook("2025-06-30")
    assert (wb.as_of, wb.source, wb.banner()) == (opened.as_of, opened.source, opened.banner())
    pd.testing.assert_frame_equal(wb.open_items, opened.open_items)
    assert wb.case is case and wb.invoices is case.invoices and case_workbook(case).as_of == case.as_of


def test_company_fec_and_export(tmp_path):
    case = load_case()
    fec = write_fec(fec_from_case(case, "2025-06-30"), tmp_path / "123456789FEC20250630.txt")
    wb = open_workbook("2025-06-30", source=str(fec), payment_terms_days=45)
    assert not wb.is_fil_rouge and wb.company_name == "123456789FEC20250630"
    assert wb.open_items["amount"].sum() == pytest.approx(case.open_items("2025-06-30")["amount"].sum(), abs=0.01)
    # the FEC's 411 movements give the same month-end DSO as the fil rouge's own tables
    fec_dso = monthly_dso(wb.invoices, "2025-03", "2025-06", payments=wb.payments)
    pd.testing.assert_frame_equal(fec_dso, monthly_dso(case, "2025-03", "2025-06"), check_exact=False)
    assert wb.has_sales
    export = tmp_path / "encours.csv"
    case.open_items("2025-06-30").to_csv(export, index=False)
    from_export = open_workbook("2025-06-30", source=str(export))
    assert len(from_export.open_items) == len(wb.open_items) and not from_export.has_sales


def test_missing_source():
    with pytest.raises(DataError, match="introuvable"):
        open_workbook(source="/nulle/part.txt")


def test_quiz_without_participant_is_a_demonstration(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEKIT_STORE", str(tmp_path))
    quiz = open_workbook().quiz("02_valeur_jour_dso")
    assert quiz.participant.name == "Démonstration (formateur)"


def test_participant_is_identified_for_quizzes(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEKIT_STORE", str(tmp_path))
    wb = open_workbook(participant="Camille Martin", email="camille.martin@exemple.fr", session="2026-01-lyon")
    assert wb.quiz("02_valeur_jour_dso").participant.email == "camille.martin@exemple.fr"
