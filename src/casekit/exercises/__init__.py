"""Trainee exercises with immediate checks: `casekit.exercises.check("02.1", reponse)`.

Each module's exercises live in `casekit/exercises/m<module>.py` and register themselves with `@exercise`. The
expected answer is computed by a casekit calculator when the check runs, so a notebook never holds the solution;
the trainee gets a French verdict and, when wrong, the next hint.
"""

from __future__ import annotations

import importlib
import math
import pkgutil
from dataclasses import dataclass, field
from typing import Any, Callable

from casekit import fmt
from casekit.errors import DataError

FORMATS = {"euros": fmt.euros, "days": fmt.days, "percent": fmt.percent, "number": fmt.number, "text": str}


@dataclass(frozen=True)
class Exercise:
    id: str
    statement: str
    expected: Callable[..., Any]
    unit: str = "number"
    rel_tolerance: float = 0.005
    abs_tolerance: float = 0.5
    hints: tuple[str, ...] = ()


@dataclass
class CheckResult:
    exercise: Exercise
    answer: Any
    expected: Any
    correct: bool
    hint: str = ""
    attempts: int = field(default=1)

    def message(self) -> str:
        if self.answer is ...:
            return f"✏️ Exercice {self.exercise.id} : pas encore de réponse ; remplacez « ... » par votre calcul."
        if self.correct:
            return f"✅ Exercice {self.exercise.id} : bonne réponse ({FORMATS[self.exercise.unit](self.answer)})."
        text = f"❌ Exercice {self.exercise.id} : ce n'est pas encore cela ({self._shown(self.answer)})."
        return text + (f"\nIndice : {self.hint}" if self.hint else "")

    def _shown(self, value) -> str:
        try:
            return FORMATS[self.exercise.unit](value)
        except (TypeError, ValueError):
            return repr(value)

    def __repr__(self) -> str:
        return self.message()

    def _repr_html_(self) -> str:
        color = "#e8f5e9" if self.correct else "#fdecea"
        body = self.message().replace("\n", "<br>")
        return f'<div style="background:{color};padding:8px 12px;border-radius:6px">{body}</div>'


_REGISTRY: dict[str, Exercise] = {}
_ATTEMPTS: dict[str, int] = {}
_loaded = False


def exercise(id: str, statement: str, unit: str = "number", rel_tolerance: float = 0.005,
             abs_tolerance: float = 0.5, hints: tuple[str, ...] = ()):
    """Decorator registering `expected(**context)` as the answer of exercise `id`."""
    def wrap(expected):
        _REGISTRY[id] = Exercise(id, statement, expected, unit, rel_tolerance, abs_tolerance, tuple(hints))
        return expected
    return wrap


def _load_all() -> None:
    global _loaded
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    _loaded = True


def get(exercise_id: str) -> Exercise:
    if exercise_id not in _REGISTRY and not _loaded:
        _load_all()
    if exercise_id not in _REGISTRY:
        raise DataError(f"exercice « {exercise_id} » inconnu")
    return _REGISTRY[exercise_id]


def _matches(answer, expected, ex: Exercise) -> bool:
    if isinstance(expected, str):
        return str(answer).strip().casefold() == expected.strip().casefold()
    if isinstance(expected, (set, frozenset, list, tuple)):
        return set(answer) == set(expected)
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return False
    return math.isclose(value, float(expected), rel_tol=ex.rel_tolerance, abs_tol=ex.abs_tolerance)


def check(exercise_id: str, answer, **context) -> CheckResult:
    """Check a trainee's answer; each wrong attempt reveals the next hint. `...` (no answer yet) costs nothing."""
    ex = get(exercise_id)
    expected = ex.expected(**context)
    if answer is ...:
        return CheckResult(ex, answer, expected, False, "", _ATTEMPTS.get(exercise_id, 0))
    correct = _matches(answer, expected, ex)
    attempt = _ATTEMPTS.get(exercise_id, 0)
    hint = "" if correct or not ex.hints else ex.hints[min(attempt, len(ex.hints) - 1)]
    if not correct:
        _ATTEMPTS[exercise_id] = attempt + 1
    return CheckResult(ex, answer, expected, correct, hint, attempt + 1)


def statement(exercise_id: str) -> str:
    """The French statement of an exercise."""
    return get(exercise_id).statement
