"""The exercise-check framework: verdicts, tolerance, successive hints, unknown ids."""

import pytest

from casekit import DataError, exercises
from casekit.exercises import check, exercise


@exercise("test.1", "Valeur d'un jour de DSO pour 36 500 000 € TTC de ventes annuelles ?", unit="euros",
          hints=("Divisez le CA TTC annuel par 365.", "36 500 000 / 365"))
def _day_value(sales=36_500_000):
    return sales / 365  # 36 500 000 / 365 = 100 000


def test_right_answer_within_tolerance():
    result = check("test.1", 100_000.4)
    assert result.correct and "✅" in repr(result) and "100\u00a0000,40\u00a0€" in repr(result)


def test_wrong_answers_reveal_hints_in_turn():
    first = check("test.1", 36_500_000 / 360)
    second = check("test.1", 1)
    third = check("test.1", 2)
    assert not first.correct and "Indice : Divisez le CA TTC annuel par 365." in repr(first)
    assert second.hint == third.hint == "36 500 000 / 365"
    assert "fdecea" in second._repr_html_()


def test_context_reaches_the_expected_value():
    assert check("test.1", 50_000, sales=18_250_000).correct  # 18 250 000 / 365 = 50 000


def test_non_numeric_answer_is_wrong_not_an_error():
    assert not check("test.1", "beaucoup").correct


def test_unknown_exercise():
    with pytest.raises(DataError, match="inconnu"):
        exercises.get("99.9")


def test_no_answer_yet_costs_no_hint():
    exercises._ATTEMPTS.pop("test.1", None)
    pending = check("test.1", ...)
    assert not pending.correct and "pas encore de réponse" in repr(pending) and pending.hint == ""
    assert "Indice : Divisez" in repr(check("test.1", 1))  # the first wrong answer still gets the first hint
