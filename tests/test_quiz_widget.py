"""The quiz widget driven headlessly: set the choices, click, read the feedback and the store."""

import json

import pytest

import casekit.quiz.store as store_module
from casekit.quiz import identify, run_quiz
from casekit.quiz.bank import load_bank
from casekit.quiz.keys import build_protected_banks
from casekit.quiz.scoring import grade_bank
from casekit.quiz.store import AnswerStore, Participant

MARIE = Participant("Marie Dupont", "marie.dupont@exemple.fr", "2025-03 Paris")
PAUL = Participant("Paul Martin", "paul.martin@exemple.fr", "2025-03 Paris")
DSO = "02_valeur_jour_dso"
FINAL = "10_evaluation_finale"


def state_text(widget) -> str:
    """Everything the widget sends to the browser (and saves in the notebook), model ids masked."""
    def walk(w):
        yield {k: ("#" if isinstance(v, str) and v.startswith("IPY_MODEL_") else v)
               for k, v in w.get_state().items() if k not in ("children", "layout", "style")}
        for child in getattr(w, "children", ()):
            yield from walk(child)
    return json.dumps(list(walk(widget)), ensure_ascii=False, default=str)


def right(q):
    return sorted(q.answers)


def wrong(q):
    return [next(c for c in q.choice_ids if c not in q.answers)]


def answers(store, participant=MARIE):
    return [r for r in store.records(participant) if r["type"] == "answer"]


@pytest.fixture
def store(tmp_path):
    return AnswerStore(tmp_path)


def test_practice_wrong_then_right(store):
    quiz = run_quiz(DSO, MARIE, store=store)
    view = quiz.views[0]
    q = view.question
    assert "Une seule réponse possible" in view.prompt.value and "Question 1/10" in view.prompt.value
    view.select(wrong(q))
    view.button.click()
    assert view.feedback.value == "<b>✘ Réponse incorrecte</b> : 0 / 1 point. Il vous reste 1 tentative."
    view.select(right(q))
    view.button.click()
    assert view.feedback.value.startswith("<b>✔ Bonne réponse</b> : 1 / 1 point.<br>Réponse attendue : ")
    assert q.explanation.split("'")[0] in view.feedback.value
    assert view.button.disabled and view.radio.disabled  # right with limited attempts: locked
    assert [r["choices"] for r in answers(store)] == [wrong(q), right(q)]
    assert quiz.summary.value == "Questions répondues : 1/10 · 1 / 10 points · note 2/20"  # 20 × 1 / 10


def test_when_attempts_run_out_the_answer_is_shown_and_the_question_locked(store):
    quiz = run_quiz(DSO, MARIE, store=store)
    view = quiz.views[0]
    for _ in range(3):  # the third click does nothing: 2 attempts
        view.select(wrong(view.question))
        view.button.click()
    assert len(answers(store)) == 2 and view.button.disabled
    assert "✘ Réponse incorrecte" in view.feedback.value and "Réponse attendue" in view.feedback.value


def test_qcm_partial_credit_and_tick_all_in_feedback(store):
    quiz = run_quiz(DSO, MARIE, store=store, max_attempts=None)
    view = next(v for v in quiz.views if v.question.id == "02-q08")  # 3 right choices out of 4
    assert "Plusieurs réponses possibles" in view.prompt.value and len(view.question.answers) == 3
    view.select(right(view.question)[:2])
    view.button.click()
    assert "◐ Réponse partiellement juste</b> : 0,67 / 1 point." in view.feedback.value  # 2/3 − 0/1
    view.select(view.question.choice_ids)
    view.button.click()
    assert "✘ Réponse incorrecte</b> : 0 / 1 point." in view.feedback.value  # 3/3 − 1/1 = 0
    assert "Réponses attendues" in view.feedback.value  # unlimited attempts: shown at once


def test_validating_nothing_records_nothing(store):
    quiz = run_quiz(DSO, MARIE, store=store)
    quiz.views[0].button.click()
    assert "Sélectionnez une réponse" in quiz.views[0].feedback.value and answers(store) == []


def test_a_new_widget_restores_answers_attempts_and_feedback(store):
    first = run_quiz(DSO, MARIE, store=store)
    q = first.views[0].question
    first.views[0].select(wrong(q))
    first.views[0].button.click()
    again = run_quiz(DSO, MARIE, store=store)  # kernel restart or notebook re-run
    view = again.views[0]
    assert view.selected() == tuple(wrong(q)) and view.feedback.value == first.views[0].feedback.value
    assert again.answers[q.id].attempts == 1 and state_text(again) == state_text(first)
    view.select(right(q))
    view.button.click()
    assert again.answers[q.id].attempts == 2 and again.result().earned == 1


def test_exam_gives_no_feedback_before_the_paper_is_handed_in(store):
    exam = run_quiz(FINAL, MARIE, store=store)
    bank = load_bank(FINAL)
    first, second, third = exam.views[:3]
    first.select(wrong(first.question))
    first.button.click()
    second.select(right(second.question))
    second.button.click()
    assert first.feedback.value == second.feedback.value == (
        "Réponse enregistrée. Vous pouvez la modifier jusqu'à la remise de votre copie.")
    text = state_text(exam)
    for word in ("Bonne réponse", "incorrecte", "attendue", "Note", "note"):
        assert word not in text
    for q in bank.questions:
        assert q.explanation not in text and all(c.explanation not in text for c in q.choices if c.explanation)
    third.select(right(third.question))  # ticked, not validated
    exam.submit_button.click()
    assert "30 question(s) sans réponse" in exam.summary.value and not exam.submitted
    exam.submit_button.click()  # confirmed
    assert exam.submitted and exam.submit_button.disabled
    saved = {r["question"]: r["choices"] for r in answers(store)}
    assert saved[third.question.id] == right(third.question)  # the pending tick was saved on submission
    assert "✘ Réponse incorrecte" in first.feedback.value and "✔ Bonne réponse" in second.feedback.value
    assert first.button.disabled and all(v.button.disabled for v in exam.views)
    expected = grade_bank(bank, {v.question.id: v.selected() for v in (first, second, third)})
    mark = f"{expected.mark:.1f}".replace(".", ",").removesuffix(",0")
    assert f"note {mark}/20 · seuil de réussite 10/20 non atteint." in exam.summary.value
    first.select(right(first.question))
    first.button.click()
    assert len(answers(store)) == 3  # nothing after submission


def test_exam_attempt_limit_and_pass_mark(store):
    exam = run_quiz(FINAL, MARIE, store=store, max_attempts=1, shuffle=False, pass_mark=4)
    view = exam.views[0]
    view.select(right(view.question))
    view.button.click()
    view.select(wrong(view.question))
    view.button.click()
    assert [r["choices"] for r in answers(store)] == [right(view.question)]
    assert view.button.disabled and "(tentative 1/1)" in view.feedback.value
    exam.submit_button.click()
    exam.submit_button.click()
    # 1 point out of 44: 20 × 1 / 44 = 0.45… → 0.5
    assert "1 / 44 points · note 0,5/20 · seuil de réussite 4/20 non atteint." in exam.summary.value


def test_shuffling_is_deterministic_per_participant(tmp_path):
    def order(participant, folder, **options):
        quiz = run_quiz(FINAL, participant, store=tmp_path / folder, **options)
        return [(v.question.id, tuple(v.letters.items())) for v in quiz.views]

    marie = order(MARIE, "a")
    assert marie == order(MARIE, "b")  # same participant, same order, wherever the store is
    assert marie != order(PAUL, "c")
    assert sorted(marie) != marie  # really shuffled, questions and choices
    plain = order(MARIE, "d", shuffle=False)
    assert [qid for qid, _ in plain] == [q.id for q in load_bank(FINAL).questions]


def test_protected_bank_gives_the_same_widget_and_grades(tmp_path):
    protected = tmp_path / "banques"
    build_protected_banks(protected)
    quizzes = [run_quiz(DSO, MARIE, store=tmp_path / name, banks_dir=banks)
               for name, banks in (("clair", None), ("protege", protected))]
    for quiz in quizzes:
        for view in quiz.views:
            view.select(right(view.question) if view.question.id < "02-q05" else wrong(view.question))
            view.button.click()
    assert state_text(quizzes[0]) == state_text(quizzes[1])
    assert quizzes[0].result() == quizzes[1].result() and quizzes[0].result().earned == 4


def test_run_quiz_uses_the_identified_participant(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "_current", None)
    identify("Marie Dupont", "marie.dupont@exemple.fr", "2025-03 Paris", store=tmp_path)
    monkeypatch.setattr(store_module, "_current", None)
    assert run_quiz(DSO, store=tmp_path).participant == MARIE
