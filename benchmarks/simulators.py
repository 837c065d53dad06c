"""Section « simulators »: each simulator of the notebooks (`casekit.app.SIMULATORS`, built as its notebook builds
it), its first slider (else its first list or number box) moved `updates` times; a move runs the function the
control calls, chart redraw included (`casekit.widgets.figures.show` and the dashboard draw the PNG with a
`Blitter`; a figure displayed as such would be drawn by the IPython formatter, as the notebook's inline backend
does). Reference: the same moves without drawing the charts (the figures are still built)."""

from __future__ import annotations

import contextlib
import os
import statistics
import time

import ipywidgets as widgets
import numpy as np
from IPython.core.interactiveshell import InteractiveShell
from IPython.core.pylabtools import select_figure_formats
from timing import Row, duration, run_step

from casekit import load_case
from casekit.app import SIMULATORS
from casekit.plots import use_house_style
from casekit.widgets import blitting

LIMIT_S = 0.100
DRAW = blitting.Blitter.png
SLIDERS = (widgets.IntSlider, widgets.FloatSlider, widgets.FloatLogSlider, widgets.SelectionSlider)
CHOICES = (widgets.Dropdown, widgets.Select, widgets.RadioButtons, widgets.ToggleButtons)
NUMBERS = (widgets.BoundedFloatText, widgets.BoundedIntText, widgets.FloatText, widgets.IntText)


def controls(widget):
    """Every widget of the tree under `widget`, depth first."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from controls(child)


def first_control(box):
    """The control a trainer moves first: a slider, else a list, else a number box (enabled)."""
    found = [w for w in controls(box) if not getattr(w, "disabled", False)]
    for kinds in (SLIDERS, CHOICES, NUMBERS):
        for widget in found:
            if isinstance(widget, kinds):
                return widget
    raise LookupError("aucun curseur, liste ou champ numérique")


def planned_values(control, count: int) -> list:
    """`count` values for `control`, each different from the one before (the first from the current value)."""
    if hasattr(control, "options"):
        options = [o[1] if isinstance(o, tuple) else o for o in control.options]
        values = [options[(options.index(control.value) + 1 + k) % len(options)] for k in range(count)]
    elif isinstance(control, SLIDERS):
        grid = np.linspace(control.min, control.max, count)
        values = [int(round(v)) if isinstance(control, widgets.IntSlider) else float(v) for v in grid]
    else:
        values = [control.value * (1 + 0.05 * (k + 1)) for k in range(count)]
    out, previous = [], control.value
    for value in values:
        out.append(value if value != previous else values[0] if value != values[0] else values[-1])
        previous = out[-1]
    return out


def moves(index: int, updates: int, chart: bool) -> tuple[list[float], str]:
    """Build simulator `index`, then time `updates` moves of its first control (without `chart`, no drawing)."""
    select_figure_formats(InteractiveShell.instance(), {"png"} if chart else set())
    blitting.Blitter.png = DRAW if chart else lambda blitter, figure: b""
    use_house_style()
    box = SIMULATORS[index].build(load_case())
    control = first_control(box)
    seconds = []
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        for value in planned_values(control, updates):
            start = time.perf_counter()
            control.value = value
            seconds.append(time.perf_counter() - start)
    return seconds, control.description or type(control).__name__


def simulator(index: int, updates: int) -> dict:
    """The moves with the charts rendered, then without (the reference)."""
    bare, _ = moves(index, updates, chart=False)
    seconds, label = moves(index, updates, chart=True)
    return {"seconds": seconds, "without_chart": statistics.median(bare), "control": label}


def rows(quick: bool):
    updates = 5 if quick else 20
    for index, spec in enumerate(SIMULATORS):
        result = run_step("simulators", "simulator", index=index, updates=updates)
        yield Row("Simulateurs", f"{spec.module} · {spec.function}", f"« {result.data['control'].strip(' :')} »",
                  result.seconds, result.peak_mb, target="< 100 ms", limit_s=LIMIT_S,
                  reference=f"sans dessiner les graphiques : {duration(result.data['without_chart'])}")
