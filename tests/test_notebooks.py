"""The course notebooks as a whole: the module map, parameters, syllabus coverage, runs on a company's FEC, and the
trainee edition. (Their outputs are compared by nbval, collected from `notebooks/` by `make test`.)"""

import ast
import json
import re
from pathlib import Path

import nbformat
import papermill
import pytest

from casekit.editions import NOTEBOOKS, SOLUTION_TAG, build_trainee_edition, execute_notebook, notebook_paths
from casekit.exercises import get
from casekit.kernels import SlicedPollKernelManager
from casekit.syllabus import load_syllabus, taught_bullets

PATHS = notebook_paths()
IDS = [p.stem for p in PATHS]
PARAMETERS = {"as_of", "source", "payment_terms_days", "participant", "email", "session"}
SHARED_FEC = Path(__file__).resolve().parents[2] / "shared" / "data" / "fec" / "111111111FEC20221231.TXT"
CHECK_RE = re.compile(r"""check\(\s*["']([^"']+)["']""")


def read(path):
    return nbformat.read(path, as_version=4)


def tags(cell):
    return set(cell.get("metadata", {}).get("tags", []))


def test_every_module_of_the_map_has_its_notebook():
    assert set(IDS) == set(load_syllabus()["notebook"])


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_parameters_cell_comes_first(path):
    code = [c for c in read(path).cells if c.cell_type == "code"]
    assert "parameters" in tags(code[0])
    assigned = {t.id for node in ast.parse(code[0].source).body if isinstance(node, ast.Assign)
                for t in node.targets if isinstance(t, ast.Name)}
    assert assigned == PARAMETERS
    assert "open_workbook(" in code[1].source


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_syllabus_bullets_are_taught_where_announced(path):
    syllabus = load_syllabus()
    announced = set(syllabus.loc[syllabus["notebook"] == path.stem, "id"])
    assert announced <= taught_bullets(path), f"bullets not tagged: {sorted(announced - taught_bullets(path))}"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_exercises_pair_a_solution_with_a_known_check(path):
    cells = read(path).cells
    for i, cell in enumerate(cells):
        if SOLUTION_TAG in tags(cell):
            following = [c for c in cells[i + 1:] if "exercise" in tags(c)]
            assert following and CHECK_RE.search(following[0].source), f"solution without check: {cell.source[:60]}"
    for cell in cells:
        for exercise_id in CHECK_RE.findall(cell.source if "exercise" in tags(cell) else ""):
            get(exercise_id)  # raises if the check is not registered


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_answers_are_used_only_by_their_checks(path):
    """In the trainee edition the `reponse…` variables are `...`: no other cell may rely on them."""
    for cell in read(path).cells:
        if cell.cell_type == "code" and not tags(cell) & {SOLUTION_TAG, "exercise"}:
            assert not re.search(r"\breponse\w*", cell.source), cell.source[:80]


def run_on(path, out, monkeypatch, tmp_path, **parameters):
    monkeypatch.setenv("CASEKIT_STORE", str(tmp_path / "reponses"))
    papermill.execute_notebook(path, out, parameters=parameters, kernel_name="python3", progress_bar=False,
                               execution_timeout=180, cwd=str(NOTEBOOKS),
                               kernel_manager_class=SlicedPollKernelManager)


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_runs_on_a_small_company_fec(path, small_fec, tmp_path, monkeypatch):
    run_on(path, tmp_path / path.name, monkeypatch, tmp_path, source=str(small_fec), as_of="2025-12-31",
           payment_terms_days=45)


@pytest.mark.skipif(not SHARED_FEC.is_file(), reason="../shared/data/fec absent")
@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_runs_on_a_real_fec_sample(path, tmp_path, monkeypatch):
    run_on(path, tmp_path / path.name, monkeypatch, tmp_path, source=str(SHARED_FEC), as_of="2022-12-31",
           payment_terms_days=45)


@pytest.fixture(scope="module")
def trainee(tmp_path_factory):
    out = tmp_path_factory.mktemp("stagiaire")
    build_trainee_edition(out)
    return out / "notebooks"


def test_trainee_edition_carries_no_solution_nor_key(trainee):
    for path in PATHS:
        text = (trainee / path.name).read_text(encoding="utf-8")
        for cell in read(path).cells:
            if SOLUTION_TAG in tags(cell):
                for line in cell.source.splitlines():
                    if line.strip() and not line.lstrip().startswith("#") and "= ..." not in line:
                        assert json.dumps(line)[1:-1] not in text, f"{path.name}: {line}"
        nb = read(trainee / path.name)
        assert not any(c.outputs for c in nb.cells if "exercise" in tags(c) and c.cell_type == "code")
        assert "widgets" not in nb.metadata
    for bank in (trainee / "banques").glob("[0-9]*.yaml"):
        text = bank.read_text(encoding="utf-8")
        assert "sealed:" in text and not re.search(r"^\s*(answers|explanation):", text, re.M), bank.name


def test_a_trainee_notebook_runs_with_its_exercises_unanswered(trainee, monkeypatch, tmp_path):
    monkeypatch.setenv("CASEKIT_STORE", str(tmp_path))
    path = next(p for p in sorted(trainee.glob("*.ipynb")) if '"solution"' in (NOTEBOOKS / p.name).read_text())
    execute_notebook(path)
    outputs = json.dumps([c.outputs for c in read(path).cells if "exercise" in tags(c)], ensure_ascii=False)
    assert "pas encore de réponse" in outputs
