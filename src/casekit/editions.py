"""The workbook's two editions: the trainer edition (the committed, executed notebooks) and the trainee edition.

The trainee edition is derived from the trainer's notebooks, so the two never drift (as in INRIA's MOOC): cells
tagged `solution` become an empty exercise cell, outputs of exercise cells are cleared, and the quiz banks are
shipped only in their protected form.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
SOLUTION_TAG = "solution"
EXERCISE_TAG = "exercise"
EXERCISE_CELL = "# À vous de jouer : écrivez votre réponse ici, puis exécutez la cellule de vérification.\n"


def notebook_paths(folder: Path = NOTEBOOKS) -> list[Path]:
    """The course notebooks in teaching order (report templates in `rapports/` excluded)."""
    return sorted(p for p in Path(folder).glob("*.ipynb"))


def execute_notebook(path: Path, timeout: int = 300) -> float:
    """Execute a notebook in place (kernel `python3`, working directory = its folder); return the seconds taken."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    elapsed = time.perf_counter() - start
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    return elapsed


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def trainee_notebook(nb):
    """A trainee copy of a trainer notebook: solutions replaced by empty exercise cells, their outputs cleared."""
    nb = nbformat.from_dict(nb)
    cells = []
    for cell in nb.cells:
        tags = _tags(cell)
        if SOLUTION_TAG in tags:
            cell = nbformat.v4.new_code_cell(EXERCISE_CELL, metadata={"tags": [EXERCISE_TAG]})
        elif EXERCISE_TAG in tags and cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop("widgets", None)
    return nb


def build_trainee_edition(out_dir: Path, source: Path = NOTEBOOKS) -> list[Path]:
    """Write the trainee edition of every course notebook into `out_dir`, which must lie outside `source`."""
    out_dir, source = Path(out_dir).resolve(), Path(source).resolve()
    if out_dir == source or source in out_dir.parents:
        from casekit.errors import DataError

        raise DataError("le dossier de l'édition stagiaire doit être en dehors des sources", path=out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    written = []
    for path in notebook_paths(source):
        target = out_dir / path.name
        nbformat.write(trainee_notebook(nbformat.read(path, as_version=4)), target)
        written.append(target)
    return written
