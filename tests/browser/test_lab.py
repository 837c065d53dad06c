"""Every course notebook in JupyterLab, in Chromium: Run All without error, each simulator reacts to its controls,
the quiz is answered and graded in the page and the answer lands in the store."""

from __future__ import annotations

import re

import pytest
from pages import (
    ERROR_OUTPUT,
    QUIZ_CALL,
    SIMULATOR_CALL,
    answer_quiz,
    cell_node,
    exercise_simulator,
    open_notebook,
    problems,
    run_all,
    show,
)

from casekit.editions import notebook_paths
from casekit.quiz.bank import list_banks
from casekit.quiz.store import read_records

NOTEBOOKS = [path.name for path in notebook_paths()]


def answers_in_store(store, module: str) -> list[dict]:
    return [r for path in sorted(store.glob("*/*.jsonl")) for r in read_records(path)
            if r.get("module") == module and r["type"] in ("answer", "submission")]


@pytest.fixture(autouse=True)
def _one_kernel_at_a_time(lab):
    yield
    lab.shutdown_kernels()


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_and_reacts_in_the_browser(name, lab, page, store, artefacts):
    stem = name.removesuffix(".ipynb")
    open_notebook(page, lab, name)
    cells = run_all(page)
    page.screenshot(path=artefacts / f"{stem}-0-fin.png")
    errors = [line for cell in cells for line in problems(cell)]
    assert not errors, "\n".join(errors)

    simulators = [c for c in cells if c["type"] == "code" and SIMULATOR_CALL.search(c["source"])]
    quizzes = [c for c in cells if c["type"] == "code" and QUIZ_CALL.search(c["source"])]
    assert bool(quizzes) == (stem in list_banks()), f"{name} : quiz attendu si et seulement si une banque existe"
    for n, cell in enumerate(simulators, 1):
        node = cell_node(page, cell["index"])
        show(page, node)
        try:
            control = exercise_simulator(node)
        finally:
            page.screenshot(path=artefacts / f"{stem}-{n}-simulateur.png")
        assert node.locator(ERROR_OUTPUT).count() == 0, f"{name} : erreur après « {control} »"

    if not quizzes:
        return
    before = len(answers_in_store(store, stem))
    node = cell_node(page, quizzes[0]["index"])
    show(page, node)
    summary = answer_quiz(node)
    page.screenshot(path=artefacts / f"{stem}-9-quiz.png")
    assert re.search(r"note [\d,]+/20", summary)
    stored = answers_in_store(store, stem)
    assert len(stored) > before, f"{name} : aucune réponse dans le store"
    assert stored[-1]["type"] == ("submission" if "Copie remise" in summary else "answer")
