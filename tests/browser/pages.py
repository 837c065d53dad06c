"""Driving notebooks in a real browser: run them, find their simulators and quizzes, read what they show.

JupyterLab is started with `expose_app_in_browser`, so `window.jupyterapp` runs its commands and reads the notebook
model (execution counts, outputs); the widgets themselves are driven through the page like a trainee would.
"""

from __future__ import annotations

import re
import time

from playwright.sync_api import Locator, Page

SIMULATOR_CALL = re.compile(r"\b\w*(simulator|explorer|calculator)\w*\(")
QUIZ_CALL = re.compile(r"\.quiz\(")
FEEDBACK = re.compile(r"Bonne réponse|Réponse incorrecte|partiellement juste|Réponse enregistrée")
# Controls tried in turn until the simulator's display changes (sliders first: what a trainee moves).
CONTROLS = [".widget-slider .noUi-handle", ".widget-dropdown select", ".widget-text input",
            ".widget-toggle-buttons button:not(.mod-active)", ".widget-checkbox input"]
DISPLAY = ".widget-output, .widget-html, .widget-htmlmath"
ERROR_OUTPUT = '[data-mime-type="application/vnd.jupyter.stderr"]'

CELLS_JS = """() => {
  const cells = window.jupyterapp.shell.currentWidget.content.model.cells, out = [];
  for (let i = 0; i < cells.length; i++) {
    const c = cells.get(i);
    out.push({index: i, type: c.type, source: c.sharedModel.getSource(),
              count: c.type === 'code' ? c.executionCount : 0,
              outputs: c.type === 'code' ? c.outputs.toJSON() : []});
  }
  return out;
}"""


def command(page: Page, name: str) -> None:
    page.evaluate("name => window.jupyterapp.commands.execute(name)", name)


def open_notebook(page: Page, server, name: str, timeout: float = 90) -> None:
    """Open `name` and wait until its kernel is idle and connected (before that, Run All does nothing)."""
    page.goto(f"{server.url}/lab/tree/{name}?reset&token={server.token}")  # reset: no tab of the last test
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sessions = [s for s in server.api("/api/sessions") if s["path"].endswith(name)]
        if sessions and sessions[0]["kernel"]["execution_state"] == "idle" \
                and sessions[0]["kernel"]["connections"] >= 1:
            command(page, "application:toggle-left-area")
            return
        time.sleep(0.3)
    raise AssertionError(f"{name} : le noyau n'est pas prêt après {timeout:.0f} s")


def cells(page: Page) -> list[dict]:
    return page.evaluate(CELLS_JS)


def problems(cell: dict) -> list[str]:
    """The error and stderr outputs of a cell, as one line each."""
    found = []
    for output in cell["outputs"]:
        if output["output_type"] == "error":
            found.append(f"cellule {cell['index']} : {output['ename']}: {output['evalue']}")
        elif output["output_type"] == "stream" and output["name"] == "stderr":
            found.append(f"cellule {cell['index']} (stderr) : {''.join(output['text']).strip()[:300]}")
    return found


def run_all(page: Page, timeout: float = 240) -> list[dict]:
    """Clear every output, Run All, wait until every code cell has run (or one failed); return the cells."""
    command(page, "notebook:clear-all-cell-outputs")
    command(page, "notebook:run-all-cells")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.5)
        current = cells(page)
        code = [c for c in current if c["type"] == "code" and c["source"].strip()]
        failed = any(problems(c) for c in code)
        if all(c["count"] is not None for c in code) or failed:
            if page.locator(".jp-Notebook .jp-InputPrompt", has_text="[*]").count() == 0:
                return current
    raise AssertionError(f"exécution incomplète après {timeout:.0f} s")


def cell_node(page: Page, index: int) -> Locator:
    """The cell `index` of the notebook in the current tab."""
    panel = page.evaluate("window.jupyterapp.shell.currentWidget.id")
    return page.locator(f"[id='{panel}'] .jp-Notebook .jp-Cell").nth(index)


def show(page: Page, node: Locator) -> None:
    """Scroll `node` to the top of the notebook panel (for a screenshot of what a trainee sees)."""
    node.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)


def display_state(area: Locator) -> str:
    """What a simulator shows: its outputs' and HTML panes' text, and its charts (image sources)."""
    return area.evaluate(f"""e => Array.from(e.querySelectorAll('{DISPLAY}')).map(d => d.innerText).join('|')
        + Array.from(e.querySelectorAll('img')).map(i => i.src.length + ':' + i.src.slice(-200)).join('|')""")


def wait_change(area: Locator, before: str, timeout: float = 15, settle: float = 1.0) -> bool:
    """Wait until the display differs from `before`, then until it stays the same for `settle` seconds."""
    deadline = time.monotonic() + timeout
    state, since = before, time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.2)
        current = display_state(area)
        if current != state:
            state, since = current, time.monotonic()
        elif state != before and time.monotonic() - since >= settle:
            return True
    return state != before


def move(control: Locator, kind: str) -> None:
    """Change a control the way a trainee would (keyboard on a slider, next option of a list, …)."""
    if kind.endswith("noUi-handle"):
        control.focus()
        for _ in range(3):
            control.press("ArrowRight")
    elif kind.endswith("select"):
        options = control.locator("option").all_inner_texts()
        current = control.evaluate("s => s.selectedIndex")
        control.select_option(index=(current + 1) % len(options))
    elif kind.endswith("input") and "text" in kind:
        value = control.input_value()
        control.fill(str(float(value.replace(",", ".") or 0) + 1))
        control.press("Enter")
    else:
        control.click()


def exercise_simulator(area: Locator) -> str:
    """Move the simulator's controls in turn until its display changes; return the control that did it."""
    for kind in CONTROLS:
        for control in area.locator(kind).all()[:2]:
            if not control.is_enabled() or not control.is_visible():
                continue
            before = display_state(area)
            move(control, kind)
            if wait_change(area, before):
                return kind
    raise AssertionError("aucune commande du simulateur ne change son affichage")


def answer_quiz(area: Locator) -> str:
    """Tick the first choice of the first question, validate, hand in an exam; return the feedback shown."""
    first = area.locator(".widget-radio-box input, .widget-checkbox input").first
    first.check()
    area.get_by_role("button", name="Valider").first.click()
    feedback = area.locator(".widget-html", has_text=FEEDBACK).first
    feedback.wait_for(timeout=15_000)
    hand_in = area.get_by_role("button", name="Remettre ma copie")
    if hand_in.count():
        hand_in.click()  # unanswered questions: the quiz asks to confirm
        area.locator(".widget-html", has_text="pour confirmer").wait_for(timeout=15_000)
        hand_in.click()
        area.locator(".widget-html", has_text="Copie remise").wait_for(timeout=15_000)
    summary = area.locator(".widget-html", has_text=re.compile(r"note [\d,]+/20")).last
    summary.wait_for(timeout=15_000)
    return summary.inner_text()
