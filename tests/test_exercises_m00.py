"""Exercises of notebook 00: right answers pass, typical wrong answers fail with a hint."""

import pandas as pd

from casekit import exercises
from casekit.exercises import check
from casekit.openitems import canonical_open_items

D = pd.Timestamp
ITEMS = canonical_open_items(pd.DataFrame({
    "customer_id": ["A", "A", "B"], "customer_name": ["Alpha", "Alpha", "Bêta"],
    "document_ref": ["F1", "AV1", "F2"], "document_date": [D("2025-11-02"), D("2025-12-01"), D("2025-12-10")],
    "due_date": [D("2025-12-02"), D("2025-12-01"), D("2026-01-09")], "amount": [1_200.0, -200.0, 450.5],
    "disputed": [False, False, False]}))
CONTEXT = {"items": ITEMS, "as_of": "2025-12-31"}


def setup_function():
    exercises._ATTEMPTS.clear()


def test_00_1_count_of_open_items():
    assert check("00.1", 3, **CONTEXT).correct  # three lines, the credit note included
    wrong = check("00.1", 2, **CONTEXT)  # forgot the credit note
    assert not wrong.correct and "Chaque ligne" in wrong.hint


def test_00_2_total_receivables():
    assert check("00.2", 1_450.5, **CONTEXT).correct  # 1 200 − 200 + 450,50
    wrong = check("00.2", 1_650.5, **CONTEXT)  # credit note ignored
    assert not wrong.correct and "avoirs en négatif" in wrong.hint


def test_00_3_distinct_customers():
    assert check("00.3", 2, **CONTEXT).correct  # A and B
    wrong = check("00.3", 3, **CONTEXT)  # lines counted instead of customers
    assert not wrong.correct and "identifiants distincts" in wrong.hint


def test_no_answer_yet():
    assert "pas encore de réponse" in repr(check("00.1", ..., **CONTEXT))
