"""The end-of-course form driven headlessly, stored in the answer store, and read back as DataFrames."""

import pandas as pd
import pytest

from casekit.quiz import read_satisfaction, read_self_assessment, satisfaction_form
from casekit.quiz.bank import load_skills
from casekit.quiz.store import AnswerStore, Participant

MARIE = Participant("Marie Dupont", "marie.dupont@exemple.fr", "2025-03 Paris")
PAUL = Participant("Paul Martin", "paul.martin@exemple.fr", "2025-03 Paris")


@pytest.fixture
def store(tmp_path):
    return AnswerStore(tmp_path)


def fill(form, overall, comment="", **skills):
    form.overall.value = overall
    form.usefulness["02_valeur_jour_dso"].value = 5
    form.comment.value = comment
    for skill, (before, after) in skills.items():
        form.before[skill].value, form.after[skill].value = before, after
    form.button.click()


def test_form_lists_practice_modules_and_every_skill(store):
    form = satisfaction_form(MARIE, store=store)
    assert len(form.usefulness) == 11 and "10_evaluation_finale" not in form.usefulness
    assert list(form.before) == [s.id for s in load_skills()] == list(form.after)
    assert all(w.value is None for w in [form.overall, *form.before.values()])  # nothing pre-ticked


def test_overall_satisfaction_is_required(store):
    form = satisfaction_form(MARIE, store=store)
    form.button.click()
    assert "satisfaction générale" in form.message.value and store.records(MARIE) == []


def test_sending_stores_two_records_and_a_new_form_restores_them(store):
    fill(satisfaction_form(MARIE, store=store), 4, "  Très concret.  ", M2=(2, 4), E4=(1, 3))
    kinds = [r["type"] for r in store.records(MARIE)]
    assert kinds == ["participant", "satisfaction", "self_assessment"]
    again = satisfaction_form(MARIE, store=store)
    assert (again.overall.value, again.comment.value) == (4, "Très concret.")
    assert (again.before["M2"].value, again.after["M2"].value, again.before["M1"].value) == (2, 4, None)
    assert again.usefulness["02_valeur_jour_dso"].value == 5


def test_read_back_as_dataframes_last_answer_counts(store):
    fill(satisfaction_form(MARIE, store=store), 3, M2=(2, 3))
    fill(satisfaction_form(MARIE, store=store), 5, "Merci", M2=(2, 4))  # sent again: replaces
    fill(satisfaction_form(PAUL, store=store), 4, M1=(1, 5))
    table = read_satisfaction(store).set_index("name")
    assert table.loc["Marie Dupont", "overall"] == 5 and table.loc["Marie Dupont", "comment"] == "Merci"
    assert table["02_valeur_jour_dso"].tolist() == [5, 5] and str(table["overall"].dtype) == "Int64"
    skills = read_self_assessment(store)
    expected = pd.DataFrame({"name": ["Marie Dupont", "Paul Martin"], "skill": ["M2", "M1"],
                             "before": [2, 1], "after": [4, 5], "gain": [2, 4]})  # gain = after − before
    pd.testing.assert_frame_equal(skills[list(expected.columns)], expected, check_dtype=False)
    assert skills.loc[0, "label"].startswith("Calculer le DSO")


def test_empty_store_gives_empty_tables(store):
    assert read_satisfaction(store).empty and read_self_assessment(store).empty
