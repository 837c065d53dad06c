"""The trainee edition's protected banks: no answer in clear, same grading as the clear banks."""

import dataclasses
from pathlib import Path

import pytest
import yaml

from casekit import DataError
from casekit.quiz.bank import BANKS_DIR, load_bank, load_banks, parse_bank
from casekit.quiz.keys import build_protected_banks, protect_bank, seal, unseal


@pytest.fixture(scope="module")
def protected(tmp_path_factory):
    out = tmp_path_factory.mktemp("eleve")
    build_protected_banks(out)
    return out


def test_every_bank_and_the_skills_are_written(protected):
    names = sorted(p.name for p in protected.iterdir())
    assert names == sorted(p.name for p in BANKS_DIR.glob("*.yaml"))
    assert (protected / "competences.yaml").read_bytes() == (BANKS_DIR / "competences.yaml").read_bytes()


def test_protected_files_show_no_right_answer(protected):
    clear = load_banks()
    for path in protected.glob("[0-9]*.yaml"):
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        assert "answers:" not in text and "explanation:" not in text
        for q in data["questions"]:
            assert set(q) == {"id", "type", "competence", "points", "prompt", "choices", "sealed"}
            assert all(set(c) == {"id", "text"} for c in q["choices"])  # no choice is marked
        for q in clear[path.stem].questions:  # no explanation, global or per choice, in clear
            for note in [q.explanation] + [c.explanation for c in q.choices if c.explanation]:
                assert note not in text, q.id


def test_protected_banks_load_to_the_same_questions(protected):
    for module, bank in load_banks().items():
        other = load_bank(module, protected)
        assert other.protected and dataclasses.replace(other, protected=False) == bank


def test_build_is_deterministic(protected, tmp_path):
    build_protected_banks(tmp_path)
    for path in protected.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes()


def test_seal_is_bound_to_the_question_and_detects_tampering():
    token = seal({"answers": ["b"]}, "sel", "02-q01")
    assert unseal(token, "sel", "02-q01") == {"answers": ["b"]}
    with pytest.raises(ValueError, match="02-q02"):
        unseal(token, "sel", "02-q02")  # copied onto another question
    with pytest.raises(ValueError, match="illisible"):
        unseal(token[:-8] + "AAAAAAA=", "sel", "02-q01")


def test_a_damaged_protected_bank_is_a_data_error(protected):
    data = yaml.safe_load((protected / "02_valeur_jour_dso.yaml").read_text(encoding="utf-8"))
    data["questions"][0]["sealed"], data["questions"][1]["sealed"] = (data["questions"][1]["sealed"],
                                                                      data["questions"][0]["sealed"])
    with pytest.raises(DataError, match="02-q01 : clé de réponse scellée illisible"):
        parse_bank(data, "02_valeur_jour_dso.yaml")


def test_protecting_twice_is_refused(protected, tmp_path):
    with pytest.raises(DataError, match="déjà protégée"):
        protect_bank(protected / "02_valeur_jour_dso.yaml", tmp_path / "x.yaml")
    assert protect_bank(Path(BANKS_DIR, "02_valeur_jour_dso.yaml"), tmp_path / "02_valeur_jour_dso.yaml").is_file()
