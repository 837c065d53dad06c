"""Every bank against the schema, the content rules (counts, skills, both programmes), and schema errors."""

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from casekit import DataError
from casekit.quiz.bank import BANKS_DIR, check_banks, list_banks, load_bank, load_banks, load_skills, parse_bank

MODULES = ["01_introduction_pilotage", "02_valeur_jour_dso", "03_gestion_risque", "04a_processus_commercial_scoring",
           "04b_processus_relance", "04c_processus_litiges", "05_entretiens_telephoniques", "06_leviers_performance",
           "07_assurance_credit", "08_affacturage", "09_recouvrement_externalise", "10_evaluation_finale"]
# syllabus bullets per section (syllabus.csv): M1.1–M1.5, M2.1–M2.3, …, E7.1–E7.7
SECTIONS = {"M1": 5, "M2": 3, "M3": 4, "M4": 8, "M5": 6, "M6": 6,
            "E1": 3, "E2": 2, "E3": 3, "E4": 2, "E5": 2, "E6": 3, "E7": 7}


def test_there_is_one_bank_per_module_notebook():
    assert list_banks() == MODULES


@pytest.mark.parametrize("module", MODULES)
def test_bank_is_valid_against_the_schema(module):
    bank = load_bank(module)
    assert bank.module == module and not bank.protected
    assert len(bank.questions) >= (30 if module == "10_evaluation_finale" else 8)
    assert all(q.id.startswith(module.split("_")[0] + "-q") for q in bank.questions)


def test_cross_bank_checks_pass():
    assert check_banks() == []  # unique ids across banks, known skills, minimum counts


def test_modes_module_quizzes_practice_final_evaluation_exam():
    banks = load_banks()
    assert {m for m, b in banks.items() if b.mode == "exam"} == {"10_evaluation_finale"}
    assert banks["10_evaluation_finale"].shuffle


def test_skills_cover_each_syllabus_bullet_exactly_once():
    skills = load_skills()
    expected = [f"{s}.{n}" for s, count in SECTIONS.items() for n in range(1, count + 1)]
    listed = [bullet for skill in skills for bullet in skill.syllabus]
    assert sorted(listed) == sorted(expected) and len(listed) == len(set(listed))
    assert len({s.id for s in skills}) == len(skills) == 15


def test_final_evaluation_assesses_every_skill_of_both_programmes():
    final = load_bank("10_evaluation_finale")
    assert {q.competence for q in final.questions} == {s.id for s in load_skills()}
    assert {q.competence[0] for q in final.questions} == {"M", "E"}


def test_module_banks_assess_their_own_section():
    expected = {"01": {"M1"}, "02": {"M2"}, "03": {"M3"}, "04a": {"M4a"}, "04b": {"M4b"}, "04c": {"M4c"},
                "05": {"M5"}, "06": {"M6"}, "07": {"E1", "E2", "E3"}, "08": {"E4", "E5", "E6"}, "09": {"E7"}}
    for module, bank in load_banks().items():
        if bank.mode == "practice":
            assert {q.competence for q in bank.questions} == expected[module.split("_")[0]], module


def test_right_answers_are_not_always_at_the_same_place():
    # otherwise the order of the choices, visible in the trainee files, would give the answers away
    for module, bank in load_banks().items():
        places = Counter(q.choice_ids.index(next(iter(q.answers))) for q in bank.questions if q.type == "qcu")
        assert max(places.values()) <= 0.6 * sum(places.values()), module


def test_both_question_types_are_used_and_state_their_instruction():
    questions = [q for bank in load_banks().values() for q in bank.questions]
    assert {q.instruction for q in questions if q.type == "qcu"} == {"Une seule réponse possible"}
    assert {q.instruction for q in questions if q.type == "qcm"} == {"Plusieurs réponses possibles"}
    assert Counter(q.type for q in questions)["qcm"] >= 30


def texts():
    for bank in load_banks().values():
        for q in bank.questions:
            yield from [(q.id, q.prompt), (q.id, q.explanation)]
            yield from [(q.id, t) for c in q.choices for t in (c.text, c.explanation) if t]


def test_french_typography_is_consistent():
    for qid, text in texts():
        assert "’" not in text and '"' not in text, qid  # straight apostrophes, « guillemets »
        assert not re.search(r"\S[?!;»]|«\S|[^\s\d]:|\s[,.]", text), (qid, text)  # spaces around ? ! ; : « »
        assert not re.search(r"\s{2}", text), qid


def test_prompts_are_questions():
    for bank in load_banks().values():
        for q in bank.questions:
            assert q.prompt.endswith("?"), q.id


def write(tmp_path, data, name="99_test.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def good():
    return {"module": "99_test", "title": "Test", "questions": [
        {"id": "99-q01", "type": "qcu", "competence": "M1", "points": 1, "prompt": "Question ?",
         "choices": [{"id": "a", "text": "Oui"}, {"id": "b", "text": "Non"}], "answers": ["a"], "explanation": "Car."}]}


def test_a_minimal_bank_loads_with_defaults(tmp_path):
    bank = load_bank(write(tmp_path, good()))
    assert (bank.mode, bank.max_attempts, bank.shuffle, bank.points) == ("practice", None, False, 1)


@pytest.mark.parametrize("change, message", [
    (lambda q: q.update(answers=["a", "b"]), "une QCU a exactement une bonne réponse"),
    (lambda q: q.update(answers=["z"]), "doit citer des choix existants"),
    (lambda q: q.update(type="qcm", answers=["a", "b"]), "au moins un choix doit être faux"),
    (lambda q: q.update(id="02-q01"), "de la forme « 99-q01 »"),
    (lambda q: q.update(type="vrai-faux"), "« qcu » ou « qcm »"),
    (lambda q: q.update(points=0), "« points » doit être un nombre > 0"),
    (lambda q: q.update(reponse="a"), "clé(s) inconnue(s) reponse"),
    (lambda q: q.pop("explanation"), "« explanation » manque"),
    (lambda q: q.update(choices=[{"id": "a", "text": "Seul"}]), "de 2 à 6 choix"),
    (lambda q: q.update(choices=[{"id": "A", "text": "x"}, {"id": "b", "text": "y"}]), "une lettre minuscule"),
    (lambda q: q.update(module="01_autre"), "« module » vaut"),
])
def test_schema_errors_are_explicit_in_french(tmp_path, change, message):
    data = good()
    change(data["questions"][0])
    with pytest.raises(DataError) as error:
        load_bank(write(tmp_path, data))
    assert message in str(error.value) and "99_test.yaml" in str(error.value)


def test_all_problems_are_listed_at_once():
    data = good()
    data["mode"] = "examen"
    data["questions"].append(dict(data["questions"][0]))  # duplicate id
    data["questions"].append({"id": "99-q03"})
    message = str(pytest.raises(DataError, parse_bank, data).value)
    assert "« mode »" in message and "identifiant en double" in message and "question 99-q03 : « type »" in message


def test_file_name_must_match_module_and_yaml_errors_are_reported(tmp_path):
    with pytest.raises(DataError, match="ne correspond pas au nom du fichier"):
        load_bank(write(tmp_path, good(), "98_autre.yaml"))
    broken = tmp_path / "97_casse.yaml"
    broken.write_text("module: 97_casse\nquestions: [\n", encoding="utf-8")
    with pytest.raises(DataError, match="YAML illisible"):
        load_bank(broken)
    with pytest.raises(DataError, match="introuvable"):
        load_bank("99_absent", banks_dir=tmp_path)


def test_banks_dir_comes_from_the_environment(tmp_path, monkeypatch):
    write(tmp_path, good())
    (tmp_path / "competences.yaml").write_bytes(Path(BANKS_DIR, "competences.yaml").read_bytes())
    monkeypatch.setenv("CASEKIT_BANKS", str(tmp_path))
    assert list_banks() == ["99_test"] and load_bank("99_test").title == "Test"
