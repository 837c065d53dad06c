"""The simulators app: every notebook simulator is in it, built as its notebook builds it; tabs built lazily."""

import ast
import inspect
import re
from dataclasses import replace
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import nbformat  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from casekit import DataError  # noqa: E402
from casekit import app as simulators  # noqa: E402
from casekit.cli import main  # noqa: E402
from casekit.editions import NOTEBOOKS, notebook_paths  # noqa: E402
from casekit.kernels import VOILA_KERNELS  # noqa: E402
from casekit.widgets.penalties import penalty_calculator  # noqa: E402

SIMULATOR_CALL = re.compile(r"display\(\s*(\w*(?:simulator\w*|customer_explorer|penalty_calculator))\(")
# notebook 02 shows a second DSO simulator on a company's own data only, never on the fil rouge
COMPANY_DATA_ONLY = {("02", "dso_target_simulator")}
FAKE_CASE = SimpleNamespace(name="Exemple SAS", as_of=pd.Timestamp("2025-12-31"))


def notebook_simulators() -> set[tuple[str, str]]:
    """(module, function) of every simulator a course notebook displays."""
    found = set()
    for path in notebook_paths():
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                found |= {(path.stem.split("_")[0], name) for name in SIMULATOR_CALL.findall(cell.source)}
    return found


def test_the_app_has_every_simulator_of_the_notebooks_and_no_other():
    registry = {(s.module, s.function) for s in simulators.SIMULATORS}
    assert len(registry) == len(simulators.SIMULATORS) == 14
    assert notebook_simulators() - COMPANY_DATA_ONLY == registry


def notebook_match(name: str, pattern: str) -> re.Match:
    """The first match of `pattern` in the code of the notebook whose name starts with `name`."""
    path = next(p for p in notebook_paths() if p.stem.startswith(name))
    return re.search(pattern, "\n".join(c.source for c in nbformat.read(path, as_version=4).cells
                                         if c.cell_type == "code"))


def test_the_inputs_the_app_repeats_are_still_the_notebooks():
    assert int(notebook_match("06", r"objectif_dso = (\d+)").group(1)) == simulators.DSO_TARGET
    example = ast.literal_eval(notebook_match("03", r"display\(penalty_calculator\((.*)\)\)").group(1))
    defaults = inspect.signature(penalty_calculator).parameters
    assert example == tuple(defaults[name].default for name in ("amount", "due_date", "payment_date"))


def test_titles_hints_and_tabs_are_french_and_short():
    for s in simulators.SIMULATORS:
        assert s.title.startswith(f"{s.module} · ")
        assert s.hint[0].isupper() and s.hint[-1] in ".?" and ". " not in s.hint  # one sentence
    assert list(simulators.TAB_TITLES) == list(simulators.by_module())  # one tab per module, in teaching order
    assert all(title.split()[0] in simulators.TAB_TITLES and len(title) <= 16
               for title in simulators.TAB_TITLES.values())


@pytest.mark.parametrize("simulator", simulators.SIMULATORS, ids=lambda s: f"{s.module}-{s.function}")
def test_every_builder_gives_a_widget_on_the_fil_rouge(simulator, case):
    assert isinstance(simulator.build(case), widgets.Widget)


def fake(module, calls, error=None):
    """A simulator that counts its builds, or raises `error`."""
    def build(case):
        calls.append(module)
        if error is not None:
            raise error
        return widgets.HTML(f"simulateur {module}")
    return simulators.Simulator(module, f"sim_{module}", f"{module} · Essai", "Essayez.", build)


def texts(widget) -> str:
    """The HTML of a widget and of its children, depth first."""
    own = widget.value if isinstance(widget, widgets.HTML) else ""
    return own + "".join(texts(child) for child in getattr(widget, "children", ()))


def test_tabs_are_built_once_when_first_selected():
    calls = []
    app = simulators.simulators_app(FAKE_CASE, [fake("00", calls), fake("01", calls), fake("02", calls)])
    assert calls == ["00"] and app.built == {0}  # only the first tab at start
    assert list(app.tabs.titles) == ["00 Clients", "01 Retards", "02 DSO"]
    assert "Exemple SAS" in texts(app) and "31/12/2025" in texts(app) and simulators.TITLE in texts(app)
    assert "Chargement du simulateur…" in texts(app.panes[2])
    app.tabs.selected_index = 2
    app.tabs.selected_index = 0
    app.tabs.selected_index = 2
    assert calls == ["00", "02"] and "simulateur 02" in texts(app.panes[2])
    assert "Chargement" in texts(app.panes[1]) and "Essayez." in texts(app.panes[2])


def test_a_failing_builder_shows_a_french_message_and_the_other_tabs_work():
    calls = []
    app = simulators.simulators_app(FAKE_CASE, [fake("00", calls, KeyError("customer_id")),
                                                fake("01", calls, DataError("aucun exercice")), fake("02", calls)])
    first = texts(app.panes[0])
    assert "Ce simulateur n'a pas pu être chargé</b>." in first and "customer_id" not in first  # no technical detail
    app.tabs.selected_index = 1
    assert "n'a pas pu être chargé</b> : aucun exercice" in texts(app.panes[1])  # a data error says what is wrong
    app.tabs.selected_index = 2
    assert "simulateur 02" in texts(app.panes[2])


def test_the_case_loads_once(monkeypatch):
    loads = []
    monkeypatch.setattr(simulators, "load_case", lambda: loads.append(1) or FAKE_CASE)
    seen = []
    build = simulators.Simulator("00", "sim", "00 · Essai", "Essayez.", lambda case: seen.append(case) or
                                 widgets.HTML())
    app = simulators.simulators_app(simulators=[build, replace(build, module="01")])
    app.tabs.selected_index = 1
    assert loads == [1] and seen == [FAKE_CASE, FAKE_CASE]


def test_the_real_app_builds_the_explorer_only(case):
    app = simulators.simulators_app(case)
    assert app.built == {0} and len(app.tabs.children) == 12
    assert "00 · Explorateur des clients" in texts(app.panes[0]) and "Chargement" in texts(app.panes[11])


def test_the_app_notebook_is_served_not_taught():
    nb = nbformat.read(NOTEBOOKS / simulators.APP_NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert nb.metadata.kernelspec.name == "python3" and len(code) == 1
    assert "simulators_app()" in code[0].source and "nbval-ignore-output" in code[0].metadata.tags
    assert code[0].outputs  # committed executed
    assert NOTEBOOKS / simulators.APP_NOTEBOOK not in notebook_paths()  # no trainee edition, no slides


def test_casekit_app_command(capsys, monkeypatch):
    with pytest.raises(SystemExit) as done:
        main(["app", "--help"])
    assert done.value.code == 0 and "--no-browser" in capsys.readouterr().out
    commands = []
    monkeypatch.setattr(simulators.os, "execv", lambda path, command: commands.append(command))
    main(["app", "--port", "8877", "--no-browser"])
    assert "http://127.0.0.1:8877/" in capsys.readouterr().out
    command = commands[0]
    assert command[1:3] == ["-m", "voila"] and command[3].endswith("notebooks/app/simulateurs.ipynb")
    assert {"--port=8877", "--Voila.ip=127.0.0.1", "--theme=light", "--no-browser", VOILA_KERNELS} <= set(command)
    assert "--no-browser" not in simulators.voila_command(browser=True)

