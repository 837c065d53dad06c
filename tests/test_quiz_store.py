"""The participant and the answer store: identity, atomic appends from several processes, corrupt files."""

import json
import multiprocessing
from datetime import datetime, timezone
from pathlib import Path

import pytest

import casekit.quiz.store as store_module
from casekit import DataError
from casekit.quiz.store import AnswerStore, Participant, default_store_root, identify, read_records

MARIE = Participant("Marie-Ève  d'Orléans", " Marie.Eve@Exemple.FR ", "2025-03 Paris")
FIXED = datetime(2025, 3, 10, 9, 30, tzinfo=timezone.utc)


def test_participant_is_normalised_and_has_a_safe_stable_slug():
    assert (MARIE.name, MARIE.email, MARIE.session) == ("Marie-Ève d'Orléans", "marie.eve@exemple.fr", "2025-03 Paris")
    assert MARIE.slug.startswith("marie-eve-exemple-fr-") and MARIE.slug.replace("-", "").isalnum()
    assert MARIE.slug == Participant("Autre Nom", "MARIE.EVE@exemple.fr", "x").slug  # the e-mail identifies
    assert MARIE.session_slug == "2025-03-paris"


@pytest.mark.parametrize("name, email, session, message", [
    ("", "a@b.fr", "s", "nom"), ("Marie", "pas-un-email", "s", "e-mail"), ("Marie", "a@b.fr", " ", "session")])
def test_participant_fields_are_checked_in_french(name, email, session, message):
    with pytest.raises(DataError, match=message):
        Participant(name, email, session)


def test_store_root_parameter_then_env_var_then_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CASEKIT_STORE", raising=False)
    assert default_store_root() == tmp_path / "reponses"
    monkeypatch.setenv("CASEKIT_STORE", str(tmp_path / "ailleurs"))
    assert AnswerStore().root == tmp_path / "ailleurs"
    assert AnswerStore(tmp_path / "ici").root == tmp_path / "ici"


def test_append_writes_one_json_line_with_utc_timestamp_after_the_participant_line(tmp_path):
    store = AnswerStore(tmp_path, clock=lambda: FIXED)
    store.append(MARIE, "answer", module="02_valeur_jour_dso", question="02-q01", choices=["b"])
    path = tmp_path / "2025-03-paris" / f"{MARIE.slug}.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["type"] for x in lines] == ["participant", "answer"]
    first, second = map(json.loads, lines)
    assert first["name"] == "Marie-Ève d'Orléans" and first["email"] == "marie.eve@exemple.fr"
    assert second["ts"] == "2025-03-10T09:30:00.000+00:00" and second["choices"] == ["b"]
    assert store.records(MARIE) == [first, second] and store.files() == [path]


def test_append_rejects_unknown_or_incomplete_records(tmp_path):
    with pytest.raises(ValueError):
        AnswerStore(tmp_path).append(MARIE, "answer", module="m")  # no question, no choices


def append_many(root, worker, count, barrier):
    """Run in another process: `count` answers with a large payload, as a second notebook would."""
    store = AnswerStore(root)
    barrier.wait()  # all processes write at the same time
    for n in range(count):
        store.append(MARIE, "answer", module="m", question=f"w{worker}-{n:03d}", choices=["a"], pad="x" * 20000)


def test_concurrent_appends_from_several_processes_lose_nothing(tmp_path):
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(4)
    workers = [context.Process(target=append_many, args=(tmp_path, w, 40, barrier)) for w in range(4)]
    for p in workers:
        p.start()
    for p in workers:
        p.join(60)
    assert all(p.exitcode == 0 for p in workers)
    records = read_records(AnswerStore(tmp_path).path(MARIE))  # every line parses: no interleaving
    assert [r["type"] for r in records].count("participant") == 1 and records[0]["type"] == "participant"
    answers = [r["question"] for r in records if r["type"] == "answer"]
    assert len(answers) == 160 == len(set(answers))  # 4 processes × 40 lines, none lost, none doubled
    for w in range(4):  # each process's lines stay in its own order
        mine = [q for q in answers if q.startswith(f"w{w}-")]
        assert mine == sorted(mine)


def corrupt(tmp_path, text):
    store = AnswerStore(tmp_path)
    store.append(MARIE, "answer", module="m", question="q1", choices=["a"])
    path = store.path(MARIE)
    with open(path, "a", encoding="utf-8") as f:
        f.write(text)
    return store, path


def test_a_corrupt_line_names_the_file_and_the_line(tmp_path):
    store, path = corrupt(tmp_path, '{"type": "answer", "ts": "x", "module": "m"}\n')  # line 3: no question
    with pytest.raises(DataError) as error:
        store.records(MARIE)
    assert path.name in str(error.value) and "ligne 3" in str(error.value) and "endommagé" in str(error.value)


def test_a_truncated_last_line_blocks_appends_and_the_file_is_never_rewritten(tmp_path):
    store, path = corrupt(tmp_path, '{"type": "answer", "ts": "2025')  # a write cut short
    before = path.read_bytes()
    with pytest.raises(DataError, match="incomplète"):
        store.append(MARIE, "answer", module="m", question="q2", choices=["b"])
    with pytest.raises(DataError, match="ligne 3"):
        store.records(MARIE)
    assert path.read_bytes() == before


def test_a_non_utf8_file_is_a_data_error(tmp_path):
    store, path = corrupt(tmp_path, "")
    path.write_bytes(path.read_bytes() + b"\xff\xfe\n")
    with pytest.raises(DataError, match="UTF-8"):
        read_records(path)


def test_identify_once_then_recall_in_a_new_kernel(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "_current", None)
    with pytest.raises(DataError, match="aucun participant identifié"):
        identify(store=tmp_path)
    marie = identify("Marie Dupont", "marie.dupont@exemple.fr", "2025-03 Paris", store=tmp_path)
    monkeypatch.setattr(store_module, "_current", None)  # a new kernel: only the store remembers
    assert identify(store=tmp_path) == marie
    assert json.loads(Path(tmp_path, "participant.json").read_text(encoding="utf-8"))["email"] == marie.email
    with pytest.raises(DataError, match="e-mail"):
        identify("Marie Dupont", None, "2025-03 Paris", store=tmp_path)
