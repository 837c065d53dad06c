"""Quizzes (QCU/QCM), the final evaluation and the end-of-course form, graded in Python.

In a notebook::

    from casekit.quiz import identify, run_quiz
    identify("Marie Dupont", "marie.dupont@exemple.fr", "2025-03-paris")   # once
    run_quiz("02_valeur_jour_dso")                                           # the module's quiz

Banks: `load_bank`, `load_banks`, `load_skills`; scoring: `score`, `mark_20`, `grade_bank`; store: `Participant`,
`AnswerStore`, `identify`; grading: `store_answers`, `csv_answers`, `gradebook`, `item_analysis`; protection:
`protect_bank`, `build_protected_banks`; form: `satisfaction_form`, `read_satisfaction`, `read_self_assessment`.
"""

from casekit.quiz.bank import Bank, Question, Skill, load_bank, load_banks, load_skills
from casekit.quiz.grading import csv_answers, gradebook, item_analysis, store_answers, write_reports
from casekit.quiz.keys import build_protected_banks, protect_bank
from casekit.quiz.satisfaction import read_satisfaction, read_self_assessment, satisfaction_form
from casekit.quiz.scoring import grade_bank, mark_20, score
from casekit.quiz.store import AnswerStore, Participant, identify
from casekit.quiz.widget import run_quiz

__all__ = [
    "AnswerStore", "Bank", "Participant", "Question", "Skill", "build_protected_banks", "csv_answers", "grade_bank",
    "gradebook", "identify", "item_analysis", "load_bank", "load_banks", "load_skills", "mark_20", "protect_bank",
    "read_satisfaction", "read_self_assessment", "run_quiz", "satisfaction_form", "score", "store_answers",
    "write_reports",
]
