"""One participant's results across the course (notebook 10): marks by module, the final mark withheld until the
paper is handed in, the French summary, the scoring examples and the results panel."""

import math
from datetime import datetime, timezone

import pytest

from casekit.quiz import store as store_module
from casekit.quiz.bank import load_banks, parse_bank
from casekit.quiz.results import (
    current_participant,
    final_result,
    format_results,
    participant_results,
    results_summary,
    scoring_examples,
)
from casekit.quiz.store import AnswerStore, Participant
from casekit.widgets.evaluation import results_panel

FINAL = "10_evaluation_finale"
MODULE = "09_recouvrement_externalise"


@pytest.fixture(scope="module")
def banks():
    return load_banks()


def _question(prefix, n, kind, points, answers, choices="abcd"):
    return {"id": f"{prefix}-q{n:02d}", "type": kind, "competence": "M1", "points": points,
            "prompt": f"Question {n}", "explanation": "Parce que.", "answers": list(answers),
            "choices": [{"id": c, "text": f"Choix {c}"} for c in choices]}


@pytest.fixture(scope="module")
def small_banks():
    """A practice quiz: Q1 QCU 1 point (b), Q2 QCM 2 points (a, c of a–d); an exam: Q1 QCU 1 point (a), Q2 QCU
    1 point (b), Q3 QCM 2 points (a, b of a–c): 4 points."""
    quiz = parse_bank({"module": "01_essai", "title": "Quiz d'essai", "mode": "practice", "max_attempts": 2,
                       "questions": [_question("01", 1, "qcu", 1, "b"), _question("01", 2, "qcm", 2, "ac")]})
    exam = parse_bank({"module": "10_examen", "title": "Examen d'essai", "mode": "exam", "shuffle": True,
                       "questions": [_question("10", 1, "qcu", 1, "a"), _question("10", 2, "qcu", 1, "b"),
                                     _question("10", 3, "qcm", 2, "ab", "abc")]})
    return {"01_essai": quiz, "10_examen": exam}


@pytest.fixture()
def store(tmp_path):
    return AnswerStore(tmp_path / "reponses", clock=lambda: datetime(2025, 3, 14, 9, 0, tzinfo=timezone.utc))


@pytest.fixture()
def marie():
    return Participant("Marie Dupont", "marie.dupont@exemple.fr", "2025-03 Paris")


def answer(store, who, module, question, choices, **extra):
    store.append(who, "answer", module=module, question=question, choices=list(choices), mode=extra.get("mode"),
                 max_attempts=extra.get("max_attempts"))


def right(banks, module, n):
    """The first `n` questions of a bank with their right answers."""
    return [(q.id, sorted(q.answers)) for q in banks[module].questions[:n]]


def wrong(question):
    return [next(c for c in question.choice_ids if c not in question.answers)]


def test_nobody_has_answered(store, marie, banks):
    results = participant_results(marie, store, banks)
    assert results["module"].tolist() == list(banks)  # every bank, in teaching order
    assert results["answered"].sum() == 0 and results["mark"].isna().all()
    assert set(results["status"]) == {"Pas encore de réponse"}
    text = results_summary(marie, results)
    assert "Marie Dupont" in text and "Aucune réponse enregistrée pour l'instant" in text
    demo, is_demo = Participant("Démonstration (formateur)", "demonstration@exemple.fr", "demonstration"), True
    assert "Participant de démonstration" in results_summary(demo, results, is_demo)


def test_module_marks(store, marie, banks):
    # module 9: 10 questions of 1 point; 3 right and 1 wrong answer → 3/10 × 20 = 6,0/20
    for qid, choices in right(banks, MODULE, 3):
        answer(store, marie, MODULE, qid, choices, mode="practice", max_attempts=2)
    answer(store, marie, MODULE, banks[MODULE].questions[3].id, wrong(banks[MODULE].questions[3]),
           mode="practice", max_attempts=2)
    row = participant_results(marie, store, banks).set_index("module").loc[MODULE]
    assert row["answered"] == 4 and row["points"] == 3 and row["points_possible"] == 10
    assert row["mark"] == 6.0 and not row["passed"] and row["status"] == "À revoir"
    assert row["submitted"] is None
    final = final_result(participant_results(marie, store, banks))
    assert final.answered_modules == 1 and final.average_module_mark == 6.0
    assert math.isnan(final.final_mark) and final.passed is None and not final.submitted


def test_marks_by_hand(store, marie, small_banks):
    answer(store, marie, "01_essai", "01-q01", "b")
    answer(store, marie, "01_essai", "01-q02", "ab")  # QCM: 2 × (1/2 − 1/2) = 0
    answer(store, marie, "10_examen", "10-q01", "a")
    answer(store, marie, "10_examen", "10-q03", "a")  # QCM: 2 × (1/2 − 0) = 1
    results = participant_results(marie, store, small_banks).set_index("module")
    # quiz: 1 point of 3 → 20 × 1 / 3 = 6,67 → 6,7/20
    assert results.at["01_essai", "points"] == 1 and results.at["01_essai", "mark"] == 6.7
    assert results.at["01_essai", "status"] == "À revoir"
    # exam: answers recorded, paper not handed in → no mark shown
    assert results.at["10_examen", "answered"] == 2 and math.isnan(results.at["10_examen", "mark"])
    assert results.at["10_examen", "status"] == "Copie non remise" and results.at["10_examen", "submitted"] is False
    text = results_summary(marie, results.reset_index())
    assert "Quiz des modules : 1 sur 1 commencés, note moyenne 6,7/20." in text
    assert "2 question(s) sur 3 enregistrée(s), copie non remise" in text
    store.append(marie, "submission", module="10_examen")
    answer(store, marie, "10_examen", "10-q02", "b")  # after the paper was handed in: ignored
    results = participant_results(marie, store, small_banks)
    row = results.set_index("module").loc["10_examen"]
    # 1 + 1 = 2 points of 4 → 20 × 2 / 4 = 10,0/20, at the 10/20 pass mark: passed
    assert row["answered"] == 2 and row["points"] == 2 and row["mark"] == 10.0
    assert row["passed"] and row["status"] == "Admis" and row["submitted"] is True
    assert "Évaluation finale : 10,0/20 (seuil de réussite 10,0/20) : admis." in results_summary(marie, results)
    final = final_result(results)
    assert final.final_mark == 10.0 and final.passed and final.submitted and final.average_module_mark == 6.7
    strict = participant_results(marie, store, small_banks, pass_mark=12)
    assert strict.set_index("module").at["10_examen", "status"] == "Non admis"
    assert ": non admis." in results_summary(marie, strict, pass_mark=12)


def test_final_mark_withheld_on_the_real_banks(store, marie, banks):
    for qid, choices in right(banks, FINAL, 5):
        answer(store, marie, FINAL, qid, choices, mode="exam")
    row = participant_results(marie, store, banks).set_index("module").loc[FINAL]
    assert row["answered"] == 5 and math.isnan(row["mark"]) and math.isnan(row["points"]) and row["passed"] is None


def test_paper_handed_in_blank(store, marie, small_banks):
    store.append(marie, "submission", module="10_examen")
    row = participant_results(marie, store, small_banks).set_index("module").loc["10_examen"]
    assert row["mark"] == 0 and row["status"] == "Non admis"  # unanswered questions earn 0


def test_answers_to_removed_questions_are_ignored(store, marie, banks):
    answer(store, marie, MODULE, "09-q99", ["a"], mode="practice")
    row = participant_results(marie, store, banks).set_index("module").loc[MODULE]
    assert row["answered"] == 0 and math.isnan(row["mark"])


def test_format_results(store, marie, banks):
    answer(store, marie, MODULE, *right(banks, MODULE, 1)[0], mode="practice", max_attempts=2)
    shown = format_results(participant_results(marie, store, banks))
    assert shown.index.name == "Module"
    assert list(shown.columns) == ["Quiz", "Questions répondues", "Points obtenus", "Points possibles", "Note /20",
                                   "Résultat"]
    assert shown.at[MODULE, "Questions répondues"] == "1/10" and shown.at[MODULE, "Note /20"] == "2,0"
    assert shown.at[FINAL, "Note /20"] == "–"


def test_current_participant(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "_current", None)
    who, demo = current_participant(tmp_path)
    assert demo and who.session == "demonstration"
    store_module.identify("Marie Dupont", "marie.dupont@exemple.fr", "2025-03 Paris", store=tmp_path)
    who, demo = current_participant(tmp_path)
    assert not demo and who.name == "Marie Dupont"
    monkeypatch.setattr(store_module, "_current", None)
    assert current_participant(tmp_path)[0].name == "Marie Dupont"  # remembered in the store


def test_scoring_examples():
    table = scoring_examples().set_index("ticked")
    # QCM with right answers a, b, c (d wrong): 2/3 − 0 = 0,67; 2/3 − 1/1 < 0 → 0; every box → 3/3 − 1 = 0
    assert table.at["a, b, c", "points"] == 1
    assert table.at["a, b", "points"] == pytest.approx(2 / 3)
    assert table.at["a", "points"] == pytest.approx(1 / 3)
    assert table.at["a, b, d", "points"] == 0 and table.at["a, b, c, d", "points"] == 0
    assert table.at["b", "points"] == 1 and table.at["c", "points"] == 0  # the QCU


def test_results_panel_refreshes(store, marie, banks):
    panel = results_panel(marie, store, banks=banks)
    assert "Aucune réponse enregistrée" in panel.result.value
    for qid, choices in right(banks, MODULE, 10):
        answer(store, marie, MODULE, qid, choices, mode="practice", max_attempts=2)
    assert "Aucune réponse enregistrée" in panel.result.value  # not refreshed yet
    panel.button.click()
    assert "note moyenne 20,0/20" in panel.result.value and "Réussi" in panel.result.value
