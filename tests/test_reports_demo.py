"""The committed demo session is what its seeded generator writes, byte for byte (regenerating changes
nothing)."""

from pathlib import Path

from casekit.reports import class_summary, load_session
from casekit.reports.demo import DEMO_DIR, NO_SUBMISSION, write_demo_session


def _files(folder: Path) -> dict:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files}


def test_demo_session_is_deterministic_and_committed_as_generated(tmp_path):
    generated = _files(write_demo_session(tmp_path / "demo"))
    assert generated == _files(DEMO_DIR)
    assert len([name for name in generated if name.endswith(".jsonl")]) == 12


def test_demo_session_has_a_realistic_spread():
    summary = class_summary(load_session(DEMO_DIR))
    results = summary.table.set_index("name")["result"]
    assert len(results) == 12 and "Zoé N'Diaye" in results.index
    assert 2 <= (results == "Non admis").sum() <= 4          # a few fail
    assert (results == "Copie non remise").sum() == 1         # one never hands in the final
    assert summary.table.loc[NO_SUBMISSION, "result"] == "Copie non remise"
    assert summary.satisfaction.respondents == 12 and len(summary.skills) == 15
