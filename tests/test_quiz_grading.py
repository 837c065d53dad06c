"""Headless grading of the simulated class (12 participants): gradebook, item analysis, CSV input, the CLI."""

import importlib.util
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from casekit import DataError
from casekit.quiz.bank import load_banks
from casekit.quiz.cli import main
from casekit.quiz.grading import csv_answers, gradebook, item_analysis, store_answers
from casekit.quiz.keys import build_protected_banks

_spec = importlib.util.spec_from_file_location(
    "simulated_class", Path(__file__).parent / "fixtures" / "quiz" / "simulated_class.py")
sim = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sim)

FINAL = "10_evaluation_finale"


@pytest.fixture(scope="module")
def banks():
    return load_banks()


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    root = tmp_path_factory.mktemp("classe")
    finals = sim.write_class(root / "reponses", root / "reponses.csv")
    return root, finals


@pytest.fixture(scope="module")
def book(classroom, banks):
    return gradebook(store_answers(classroom[0] / "reponses", banks), banks)


def read(path):
    return pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig", keep_default_na=False)


def slug(i):
    return sim.participants()[i].slug


def row(book, i, module):
    return book[(book["participant"] == slug(i)) & (book["module"] == module)].iloc[0]


def test_one_row_per_participant_and_module_answered(book):
    # 12 participants × 12 banks, minus the module one participant skipped
    assert len(book) == 12 * 12 - 1
    assert not ((book["participant"] == slug(sim.SKIPS[0])) & (book["module"] == sim.SKIPS[1])).any()


def test_the_perfect_participant_gets_20_everywhere(book):
    mine = book[book["participant"] == slug(sim.PERFECT)]
    assert (mine["mark"] == 20.0).all() and mine["passed"].all()


def test_ticking_every_choice_earns_nothing_on_qcm(book, banks):
    # module 02: 8 QCU (1 point each, ticked right) + 2 QCM (ticked all → 0) = 8 of 10 → 20 × 8 / 10 = 16
    assert row(book, sim.TICK_ALL, "02_valeur_jour_dso")["mark"] == 16.0
    # final: 22 QCU × 1 point right + 11 QCM × 2 points at 0 = 22 of 44 → 20 × 22 / 44 = 10.0, passes at 10
    final = row(book, sim.TICK_ALL, FINAL)
    assert (final["points"], final["points_possible"], final["mark"], final["passed"]) == (22, 44, 10.0, True)
    for module, bank in banks.items():  # the same rule in every bank
        qcu = sum(q.points for q in bank.questions if q.type == "qcu")
        assert row(book, sim.TICK_ALL, module)["points"] == float(qcu), module


def test_store_and_csv_give_the_same_gradebook(classroom, banks, book):
    # the CSV holds the answers that must count: so the attempt limit, the attempt after the limit and the
    # answer after submission were handled as documented when grading the store
    from_csv = gradebook(csv_answers(classroom[0] / "reponses.csv", banks), banks)
    columns = [c for c in book.columns if c != "submitted"]
    pd.testing.assert_frame_equal(from_csv[columns], book[columns])


def test_submission_status_of_the_final_evaluation(book):
    final = book[book["module"] == FINAL].set_index("participant")["submitted"].to_dict()
    assert final == {p.slug: i != sim.NO_SUBMISSION for i, p in enumerate(sim.participants())}
    assert book.loc[book["module"] != FINAL, "submitted"].isna().all()


def test_item_analysis_counts_right_answers_and_distractors(classroom, banks):
    root, finals = classroom
    items = item_analysis(store_answers(root / "reponses", banks), banks).set_index("question")
    assert len(items) == sum(len(b.questions) for b in banks.values())
    for qid in ("02-q01", "02-q08", "10-q05", "04c-q03"):
        q = next(q for b in banks.values() for q in b.questions if q.id == qid)
        picks = [c for (_, _, question), c in finals.items() if question == qid]
        right = sum(set(c) == q.answers for c in picks)
        wrong = Counter(x for c in picks for x in c if x not in q.answers)
        item = items.loc[qid]
        assert (item["respondents"], item["right"]) == (len(picks), right)
        assert item["share_right"] == pytest.approx(right / len(picks))
        assert item["distractors"] == ", ".join(f"{c} ({n})" for c, n in sorted(wrong.items(),
                                                                               key=lambda x: (-x[1], x[0])))
    assert items.loc["04c-q03", "respondents"] == 11  # one participant skipped module 04c


def test_protected_banks_grade_the_class_identically(classroom, banks, book, tmp_path):
    build_protected_banks(tmp_path)
    protected = load_banks(tmp_path)
    assert all(b.protected for b in protected.values())
    pd.testing.assert_frame_equal(gradebook(store_answers(classroom[0] / "reponses", protected), protected), book)


def test_cli_grade_writes_french_csv_files(classroom, tmp_path, capsys):
    root, _ = classroom
    assert main(["quiz", "grade", "--store", str(root / "reponses"), "--out", str(tmp_path)]) == 0
    assert "12 participant(s), 12 module(s)" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["autoevaluation.csv", "gradebook.csv",
                                                          "item_analysis.csv", "satisfaction.csv"]
    grades = read(tmp_path / "gradebook.csv")
    assert list(grades.columns) == ["Session", "Participant", "Nom", "E-mail", "Module", "Questions répondues",
                                    "Questions", "Points obtenus", "Points possibles", "Note /20", "Admis",
                                    "Copie remise"]
    camille = grades[(grades["Nom"] == "Camille Martin") & (grades["Module"] == FINAL)].iloc[0]
    assert (camille["Note /20"], camille["Admis"], camille["Copie remise"]) == (20.0, "oui", "oui")
    items = read(tmp_path / "item_analysis.csv")
    assert "Part de réponses justes (%)" in items.columns and items["Part de réponses justes (%)"].max() <= 100


def test_cli_pass_mark_and_csv_input(classroom, tmp_path):
    root, _ = classroom
    assert main(["quiz", "grade", "--answers", str(root / "reponses.csv"), "--out", str(tmp_path),
                 "--pass-mark", "12"]) == 0
    grades = read(tmp_path / "gradebook.csv")
    zoe = grades[(grades["Nom"] == "Zoé Fournier") & (grades["Module"] == FINAL)].iloc[0]
    assert (zoe["Note /20"], zoe["Admis"]) == (10.0, "non")  # 10 < 12
    assert not (tmp_path / "satisfaction.csv").exists()  # a CSV of answers carries no form


def test_cli_check_and_protect(tmp_path, capsys):
    assert main(["quiz", "check"]) == 0
    assert "12 banques valides" in capsys.readouterr().out
    assert main(["quiz", "protect", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "10_evaluation_finale.yaml").is_file()


def test_cli_reports_bad_input_in_french(tmp_path, capsys):
    bad = tmp_path / "reponses.csv"
    bad.write_text("session;nom;email;question;reponses\ns;Marie;marie@exemple.fr;02-q01;b\n"
                   "s;Marie;marie@exemple.fr;02-q99;a\n", encoding="utf-8")
    assert main(["quiz", "grade", "--answers", str(bad), "--out", str(tmp_path / "out")]) == 2
    assert "ligne 3 : question « 02-q99 » inconnue" in capsys.readouterr().err
    assert main(["quiz", "grade", "--store", str(tmp_path / "vide"), "--out", str(tmp_path / "out")]) == 1


@pytest.mark.parametrize("content, message", [
    ("session;nom;question\ns;M;02-q01\n", "manquantes : email, choices"),
    ("session;nom;email;question;reponses\ns;M;marie@exemple.fr;02-q01;z\n", "ligne 2 : question 02-q01 : choix"),
    ("session;nom;email;question;reponses\ns;M;pas-un-email;02-q01;a\n", "ligne 2 : adresse e-mail invalide"),
])
def test_csv_answers_are_checked(tmp_path, banks, content, message):
    path = tmp_path / "r.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        csv_answers(path, banks)


def test_csv_last_line_counts_and_separators_are_flexible(tmp_path, banks):
    path = tmp_path / "r.csv"
    path.write_text("Session,Nom,E-mail,Question,Réponses\ns,Marie,marie@exemple.fr,02-q08,\"a;b\"\n"
                    "s,Marie,marie@exemple.fr,02-q08,c a\ns,Marie,marie@exemple.fr,02-q01,\n", encoding="utf-8")
    table = csv_answers(path, banks)
    assert table[["question", "choices"]].values.tolist() == [["02-q08", ("a", "c")]]  # empty cell: no answer
