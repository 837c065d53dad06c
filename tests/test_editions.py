"""The trainee edition: solutions replaced, checks cleared, quiz banks protected, sources never written to."""

import shutil

import nbformat
import pytest
import yaml

from casekit import DataError
from casekit.editions import NOTEBOOKS, OUTPUT_DIR, answer_names, build_trainee_edition, trainee_notebook

SOLUTION = "total = 9_490_745.02\nreponse = total / 46_716_894 * 365\nreponse_b, autre = 1, 2\n"


def trainer_notebook():
    cells = [
        nbformat.v4.new_markdown_cell("Calculez le DSO."),
        nbformat.v4.new_code_cell(SOLUTION, metadata={"tags": ["solution"]}),
        nbformat.v4.new_code_cell('check("02.1", reponse)', metadata={"tags": ["exercise"]}),
        nbformat.v4.new_code_cell("print(1)"),
    ]
    cells[2].outputs = [nbformat.v4.new_output("stream", text="✅ bonne réponse (74,2 jours)")]
    cells[2].execution_count = 3
    cells[3].outputs = [nbformat.v4.new_output("stream", text="1\n")]
    return nbformat.v4.new_notebook(cells=cells, metadata={"widgets": {"state": {}}})


def test_answer_names_in_assignment_order():
    assert answer_names(SOLUTION) == ["reponse", "reponse_b"]
    assert answer_names("reponse: float = 3\nreponse += 1\nx = 2\n") == ["reponse"]


def test_trainee_notebook_hides_solutions_and_checks():
    nb = trainee_notebook(trainer_notebook())
    exercise, check, plain = nb.cells[1], nb.cells[2], nb.cells[3]
    assert "reponse = ...\nreponse_b = ...\n" in exercise.source and "46_716_894" not in exercise.source
    assert exercise.metadata.tags == ["exercise"]
    assert check.outputs == [] and check.execution_count is None
    assert plain.outputs[0].text == "1\n"  # other outputs are kept
    assert "widgets" not in nb.metadata


def test_trainee_edition_layout(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    nbformat.write(trainer_notebook(), source / "02_demo.ipynb")
    fiches = tmp_path / "fiches"
    fiches.mkdir()
    (fiches / "dso.md").write_text("# DSO\n", encoding="utf-8")
    written = build_trainee_edition(tmp_path / "out", source, fiches)
    assert [p.name for p in written] == ["02_demo.ipynb"]
    assert (tmp_path / "out" / "fiches" / "dso.md").is_file()
    bank = yaml.safe_load((tmp_path / "out/notebooks/banques/02_valeur_jour_dso.yaml").read_text(encoding="utf-8"))
    assert all("sealed" in q and "answers" not in q and "explanation" not in q for q in bank["questions"])
    assert nbformat.read(source / "02_demo.ipynb", as_version=4).cells[1].source == SOLUTION  # source untouched


def test_trainee_edition_refuses_a_folder_inside_the_sources():
    with pytest.raises(DataError, match="en dehors des sources"):
        build_trainee_edition(NOTEBOOKS / "stagiaire")
    assert not (NOTEBOOKS / "stagiaire").exists()


def test_trainee_edition_may_go_to_the_output_folder(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    nbformat.write(trainer_notebook(), source / "02_demo.ipynb")
    with pytest.raises(DataError, match="en dehors des sources"):
        build_trainee_edition(source.parent, source)  # a parent of the sources
    written = build_trainee_edition(OUTPUT_DIR / "test_stagiaire", source, tmp_path / "pas_de_fiches")
    assert written[0].is_file()
    shutil.rmtree(OUTPUT_DIR / "test_stagiaire")
