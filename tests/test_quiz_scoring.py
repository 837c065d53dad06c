"""Scoring rules: QCU, QCM partial credit, mark /20 and its rounding, pass mark, and which answer counts."""

from fractions import Fraction

import pytest

from casekit import DataError
from casekit.quiz.bank import Bank, Choice, Question
from casekit.quiz.scoring import Counted, counted_answers, grade_bank, mark_20, score


def question(qid="99-q01", kind="qcm", answers=("a", "b"), ids="abcd", points=1):
    return Question(qid, "99_test", kind, "?", tuple(Choice(c, c.upper()) for c in ids), frozenset(answers), "!",
                    Fraction(str(points)), "M1")


QCU = question(kind="qcu", answers=("c",))
QCM = question()  # right: a, b (2) ; wrong: c, d (2)


@pytest.mark.parametrize("ticked, expected", [
    (["c"], 1),  # the right choice alone: full points
    (["a"], 0),  # a wrong choice: 0
    ([], 0),  # nothing: 0
    (["a", "c"], 0),  # the right one among others (not possible with radio buttons, but in a CSV): 0
])
def test_qcu_is_all_or_nothing(ticked, expected):
    assert score(QCU, ticked) == expected


@pytest.mark.parametrize("ticked, expected", [
    (["a", "b"], Fraction(1)),  # 2/2 right − 0/2 wrong = 1 → 1 point
    (["a"], Fraction(1, 2)),  # 1/2 − 0/2 = 1/2 → 0.5 point
    (["a", "b", "c"], Fraction(1, 2)),  # 2/2 − 1/2 = 1/2 → 0.5 point
    (["a", "c"], Fraction(0)),  # 1/2 − 1/2 = 0
    (["c"], Fraction(0)),  # 0/2 − 1/2 < 0 → floored at 0
    (["a", "b", "c", "d"], Fraction(0)),  # tick everything: 2/2 − 2/2 = 0
    ([], Fraction(0)),  # tick nothing: 0/2 − 0/2 = 0
])
def test_qcm_partial_credit(ticked, expected):
    assert score(QCM, ticked) == expected


def test_qcm_partial_credit_is_scaled_by_points_and_exact():
    three = question(answers=("a", "b", "c"), ids="abcd", points=2)
    # right a, b (2/3), wrong none (0/1): 2/3 × 2 points = 4/3, kept exact
    assert score(three, ["a", "b"]) == Fraction(4, 3)
    # right a, b, c (3/3), wrong d (1/1): 3/3 − 1/1 = 0 — ticking all gives nothing even with one wrong choice
    assert score(three, ["a", "b", "c", "d"]) == 0


def test_qcm_without_wrong_choice_gives_full_credit_for_all():
    # not allowed by the bank schema, but the rule is total: 2/2 right − no penalty term = 1 point
    assert score(question(ids="ab"), ["a", "b"]) == 1


def test_unknown_choice_is_an_error():
    with pytest.raises(DataError, match="choix inconnu"):
        score(QCM, ["z"])


@pytest.mark.parametrize("earned, possible, expected", [
    (7, 9, 15.6),  # 20 × 7 / 9 = 15.555… → 15.6
    (247, 400, 12.4),  # 20 × 247 / 400 = 12.35 exactly → half up 12.4 (a float round would give 12.3)
    (Fraction(1, 6), 10, 0.3),  # 20 × (1/6) / 10 = 0.333… → 0.3
    (0, 44, 0.0),
    (44, 44, 20.0),
])
def test_mark_out_of_20_rounded_half_up_to_a_tenth(earned, possible, expected):
    assert mark_20(earned, possible) == expected


def bank():
    return Bank("99_test", "Test", "practice", None, False,
                (QCU, question("99-q02"), question("99-q03", kind="qcu", answers=("a",), points=2)))


def test_grade_bank_counts_unanswered_as_zero_and_applies_the_pass_mark():
    # possible = 1 + 1 + 2 = 4 points; earned = QCU right (1) + QCM a only (1/2) + q03 unanswered (0) = 1.5
    result = grade_bank(bank(), {"99-q01": ["c"], "99-q02": ["a"]})
    assert (result.earned, result.possible, result.answered) == (Fraction(3, 2), 4, 2)
    assert result.mark == 7.5  # 20 × 1.5 / 4
    assert not result.passed
    # earned = 1 + 0 + 0 … plus q03 right (2) = 3 → 20 × 3 / 4 = 15
    assert grade_bank(bank(), {"99-q01": ["c"], "99-q03": ["a"]}, pass_mark=15).passed  # 15 ≥ 15


def test_pass_mark_is_compared_to_the_rounded_mark():
    two = Bank("99_test", "Test", "exam", None, False, (question("99-q01", "qcu", ("a",), points=1.99),
                                                        question("99-q02", "qcu", ("a",), points=2.01)))
    result = grade_bank(two, {"99-q01": ["a"], "99-q02": ["b"]})
    # earned 1.99 of 4 points: 20 × 1.99 / 4 = 9.95 exactly → half up 10.0 → passes at 10
    assert (result.earned, result.mark, result.passed) == (Fraction("1.99"), 10.0, True)
    assert not grade_bank(two, {"99-q01": ["a"]}, pass_mark=10.5).passed


def answer(question_id, choices, limit=None, module="m"):
    return {"type": "answer", "module": module, "question": question_id, "choices": choices, "max_attempts": limit}


def test_last_answer_counts_when_attempts_are_unlimited():
    counted, submitted = counted_answers([answer("q1", ["a"]), answer("q1", ["b"]), answer("q1", ["c"])])
    assert counted == {("m", "q1"): Counted(("c",), 3, None)} and submitted == set()


def test_with_a_limit_the_last_of_the_first_n_counts():
    records = [answer("q1", ["a"], 2), answer("q1", ["b"], 2), answer("q1", ["c"], 2)]
    counted, _ = counted_answers(records)
    assert counted[("m", "q1")] == Counted(("b",), 2, 2)  # the 3rd attempt is ignored
    assert counted[("m", "q1")].exhausted


def test_the_limit_recorded_with_the_first_answer_wins():
    counted, _ = counted_answers([answer("q1", ["a"], 1), answer("q1", ["b"], None)])
    assert counted[("m", "q1")].choices == ("a",)


def test_answers_after_submission_are_ignored_in_that_module_only():
    records = [answer("q1", ["a"]), {"type": "submission", "module": "m"}, answer("q1", ["b"]),
               answer("q2", ["c"]), answer("x1", ["d"], module="other")]
    counted, submitted = counted_answers(records)
    assert counted == {("m", "q1"): Counted(("a",), 1, None), ("other", "x1"): Counted(("d",), 1, None)}
    assert submitted == {"m"}
