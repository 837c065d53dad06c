"""The workbook's two editions: the trainer edition (the committed, executed notebooks) and the trainee edition.

The trainee edition is derived from the trainer's notebooks, so the two never drift (as in INRIA's MOOC): each cell
tagged `solution` becomes an exercise cell assigning `...` to the same `reponse…` variables, outputs of cells
tagged `exercise` (the checks, which show the right answer) are cleared, and the quiz banks are shipped only in
their protected form, in `banques/` beside the notebooks.

`casekit build notebooks [NOM…]` executes the trainer notebooks in place; `casekit build trainee --out DOSSIER`
writes the trainee edition.
"""

from __future__ import annotations

import ast
import shutil
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from tqdm import tqdm

from casekit.errors import DataError
from casekit.kernels import SlicedPollKernelManager
from casekit.quiz.bank import TRAINEE_BANKS_DIR
from casekit.quiz.keys import build_protected_banks

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
FICHES = ROOT / "fiches"
OUTPUT_DIR = ROOT / "sortie"  # the repository's (ignored) output folder
SOLUTION_TAG = "solution"
EXERCISE_TAG = "exercise"
EXERCISE_HEADER = "# À vous de jouer : remplacez « ... » par votre calcul, puis exécutez la cellule de vérification.\n"


def notebook_paths(folder: Path = NOTEBOOKS) -> list[Path]:
    """The course notebooks in teaching order (report templates in `rapports/` excluded)."""
    return sorted(Path(folder).glob("*.ipynb"))


def select_notebooks(names=None, folder: Path = NOTEBOOKS) -> list[Path]:
    """The course notebooks whose name starts with one of `names` (all when none given); DataError when none does."""
    paths = notebook_paths(folder)
    if names:
        paths = [p for p in paths if any(p.stem.startswith(name) for name in names)]
        if not paths:
            raise DataError(f"aucun notebook ne correspond à : {', '.join(names)}")
    return paths


def in_sources(path: Path) -> bool:
    """True for the repository and every folder in it, except `sortie/` and what it holds."""
    path = Path(path).resolve()
    return path == ROOT or (ROOT in path.parents and path != OUTPUT_DIR and OUTPUT_DIR not in path.parents)


def execute_notebook(path: Path, timeout: int = 300, kernel_cwd: Path | None = None,
                     keep_widgets: bool = False) -> float:
    """Execute a notebook in place (kernel `python3`, working directory `kernel_cwd`, by default the notebook's
    folder); return the seconds taken. The widgets' state is saved only with `keep_widgets` (for static HTML)."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                   kernel_manager_class=SlicedPollKernelManager,
                   resources={"metadata": {"path": str(kernel_cwd or path.parent)}}).execute()
    elapsed = time.perf_counter() - start
    if not keep_widgets:
        nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    return elapsed


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def answer_names(source: str) -> list[str]:
    """The `reponse…` variables a solution cell assigns at top level, in order."""
    names = []
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, (ast.AnnAssign, ast.AugAssign)) else []
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name) and name.id.startswith("reponse") and name.id not in names:
                    names.append(name.id)
    return names


def exercise_cell(solution_source: str):
    """The trainee's cell replacing a solution: the same answer variables, set to `...`."""
    names = answer_names(solution_source) or ["reponse"]
    return nbformat.v4.new_code_cell(EXERCISE_HEADER + "".join(f"{name} = ...\n" for name in names),
                                     metadata={"tags": [EXERCISE_TAG]})


def trainee_notebook(nb):
    """A trainee copy of a trainer notebook: solutions replaced by exercise cells, check outputs cleared."""
    nb = nbformat.from_dict(nb)
    cells = []
    for cell in nb.cells:
        tags = _tags(cell)
        if SOLUTION_TAG in tags:
            cell = exercise_cell(cell.source)
        elif EXERCISE_TAG in tags and cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop("widgets", None)
    return nb


def build_trainee_edition(out_dir: Path, source: Path = NOTEBOOKS, fiches: Path = FICHES) -> list[Path]:
    """Write the trainee edition into `out_dir`, outside the sources (in the repository, only under `sortie/`):
    `notebooks/` with their protected `banques/`, and a copy of `fiches/` so that the notebooks' links resolve.
    Returns the notebooks written."""
    out_dir, source = Path(out_dir).resolve(), Path(source).resolve()
    if in_sources(out_dir) or out_dir == OUTPUT_DIR or out_dir in source.parents or \
            source in out_dir.parents or out_dir == source:
        raise DataError("le dossier de l'édition stagiaire doit être en dehors des sources", path=out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    notebooks = out_dir / "notebooks"
    notebooks.mkdir(parents=True)
    written = []
    for path in notebook_paths(source):
        target = notebooks / path.name
        nbformat.write(trainee_notebook(nbformat.read(path, as_version=4)), target)
        written.append(target)
    build_protected_banks(notebooks / TRAINEE_BANKS_DIR)
    if Path(fiches).is_dir():
        shutil.copytree(fiches, out_dir / "fiches", ignore=shutil.ignore_patterns("_build", "*.pyc"))
    return written


def _build_notebooks(args) -> int:
    for path in tqdm(select_notebooks(args.names), desc="Exécution des notebooks", unit="notebook"):
        tqdm.write(f"{path.name} : {execute_notebook(path):.1f} s")
    return 0


def _build_trainee(args) -> int:
    written = build_trainee_edition(Path(args.out))
    print(f"Édition stagiaire : {len(written)} notebooks et leurs banques de quiz protégées dans {args.out}")
    return 0


def register(subparsers) -> None:
    """Add `casekit build notebooks [NOM…]` and `casekit build trainee --out DOSSIER`."""
    build = subparsers.add_parser("build", help="Exécuter les notebooks, produire l'édition stagiaire")
    commands = build.add_subparsers(dest="build_command", required=True)
    run = commands.add_parser("notebooks", help="Exécuter les notebooks du formateur et enregistrer leurs sorties")
    run.add_argument("names", nargs="*", help="début du nom des notebooks (ex. 02 04a) ; par défaut tous")
    run.set_defaults(func=_build_notebooks)
    trainee = commands.add_parser("trainee", help="Écrire l'édition stagiaire (sans corrigés) dans un dossier")
    trainee.add_argument("--out", required=True, help="dossier de sortie, hors des sources")
    trainee.set_defaults(func=_build_trainee)
