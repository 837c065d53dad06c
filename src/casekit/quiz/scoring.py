"""Scoring rules: one question, a whole quiz, the mark out of 20, and which recorded answer counts.

* QCU: the right choice alone earns the question's points; anything else (a wrong choice, nothing) earns 0.
* QCM: points × max(0, right ticked / right choices − wrong ticked / wrong choices). Ticking every choice or
  none earns 0; the right choices only earn everything.
* Mark /20 = 20 × points earned / points of the whole bank (unanswered questions earn 0), rounded half up to the
  nearest tenth. A participant passes when that rounded mark is at least the pass mark (10 by default).
* Which answer counts: the last one recorded for the question; when the number of attempts is limited to N, the
  last of the first N (later ones are ignored); in exam mode, none recorded after the paper was handed in.

All arithmetic is exact (fractions), so 12,35 is rounded to 12,4 and never to 12,3 by a float error.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from casekit.errors import DataError

PASS_MARK = 10.0


def score(question, selected: Iterable[str]) -> Fraction:
    """Points earned on `question` by ticking the choice ids `selected`."""
    chosen = set(selected)
    unknown = chosen - set(question.choice_ids)
    if unknown:
        raise DataError(f"question {question.id} : choix inconnu(s) {', '.join(sorted(unknown))}")
    right = question.answers
    if question.type == "qcu":
        return question.points if chosen == right else Fraction(0)
    wrong = set(question.choice_ids) - right
    penalty = Fraction(len(chosen & wrong), len(wrong)) if wrong else Fraction(0)
    return max(Fraction(0), Fraction(len(chosen & right), len(right)) - penalty) * question.points


def mark_20(earned, possible) -> float:
    """20 × earned / possible, rounded half up to the nearest tenth (exact arithmetic)."""
    exact = Fraction(20) * Fraction(earned) / Fraction(possible)
    return math.floor(exact * 10 + Fraction(1, 2)) / 10


@dataclass(frozen=True)
class Result:
    earned: Fraction
    possible: Fraction
    answered: int
    mark: float
    passed: bool


def grade_bank(bank, answers: Mapping[str, Iterable[str]], pass_mark: float = PASS_MARK) -> Result:
    """Grade `answers` (question id → ticked choice ids) against the whole bank."""
    earned = sum((score(bank.question(qid), choices) for qid, choices in answers.items()), Fraction(0))
    mark = mark_20(earned, bank.points)
    return Result(earned, bank.points, len(answers), mark, mark >= pass_mark)


@dataclass(frozen=True)
class Counted:
    """The answer that counts for one question, how many attempts were recorded, and the attempt limit."""
    choices: tuple[str, ...]
    attempts: int
    limit: int | None

    @property
    def exhausted(self) -> bool:
        return self.limit is not None and self.attempts >= self.limit


def counted_answers(records: Iterable[dict]) -> tuple[dict[tuple[str, str], Counted], set[str]]:
    """From one participant's records in file order: {(module, question id): Counted} and the submitted modules.

    The attempt limit is the one recorded with the first answer to the question.
    """
    counted: dict[tuple[str, str], Counted] = {}
    submitted: set[str] = set()
    for record in records:
        if record["type"] == "submission":
            submitted.add(record["module"])
        if record["type"] != "answer" or record["module"] in submitted:
            continue
        key = (record["module"], record["question"])
        previous = counted.get(key)
        if previous is None:
            counted[key] = Counted(tuple(record["choices"]), 1, record.get("max_attempts"))
        elif not previous.exhausted:
            counted[key] = Counted(tuple(record["choices"]), previous.attempts + 1, previous.limit)
    return counted, submitted
