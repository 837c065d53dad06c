"""Simulator charts redrawn by blitting: each PNG is the very image a full drawing of the same figure gives."""

import io

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from PIL import Image  # noqa: E402

from casekit.app import SIMULATORS  # noqa: E402
from casekit.plots import new_figure, use_house_style  # noqa: E402
from casekit.widgets.blitting import Blitter, frame_key, png_bytes  # noqa: E402


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)))


def full_drawing(figure) -> bytes:
    """The figure laid out afresh and drawn whole, as matplotlib does without blitting."""
    figure.set_layout_engine("constrained")
    figure.draw_without_rendering()
    figure.set_layout_engine("none")
    figure.canvas.draw()
    return png_bytes(figure.canvas)


def drawn_again(figure) -> bytes:
    """The figure drawn whole where it stands (the positions its Blitter gave it)."""
    figure.canvas.draw()
    return png_bytes(figure.canvas)


def drawn_as_usual(figure) -> bytes:
    """The figure drawn as matplotlib draws it without blitting: laid out by its own engine, then drawn whole."""
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return png_bytes(canvas)


def bars(heights, title="Essai"):
    fig, ax = new_figure(title)
    ax.bar(["A", "B", "C"], heights)
    ax.set_ylim(0, 100)
    ax.annotate(f"total {sum(heights)}", (0.5, 0.9), xycoords="axes fraction")
    return fig


@pytest.fixture
def checked(monkeypatch):
    """Every PNG a Blitter returns is compared with the full drawing; returns the counts of frames reused."""
    counts = {"reused": 0, "drawn": 0}
    png = Blitter.png

    def compare(self, figure):
        key = frame_key(figure)
        reused = key in self.frames
        out = png(self, figure)
        counts["reused" if reused else "drawn"] += 1
        expected = full_drawing(figure) if reused else drawn_again(figure)
        assert np.array_equal(pixels(out), pixels(expected))
        return out

    monkeypatch.setattr(Blitter, "png", compare)
    return counts


def test_the_frame_is_reused_only_while_it_is_the_same(checked):
    use_house_style()
    blitter = Blitter()
    for heights in ([10, 20, 30], [15, 25, 35], [40, 10, 5]):  # same frame: reused twice
        blitter.png(bars(heights))
    blitter.png(bars([40, 10, 5], title="Autre titre"))  # the title is in the frame: drawn in full
    assert checked == {"reused": 2, "drawn": 2}
    plt.close("all")


def test_a_control_moved_back_finds_its_frame_while_it_is_kept(checked):
    use_house_style()
    blitter = Blitter(frames=2)
    for title in ("Premier", "Second", "Premier", "Troisième", "Second"):  # kept: 2 frames, the last used
        blitter.png(bars([10, 20, 30], title=title))
    assert checked == {"reused": 1, "drawn": 4}  # « Second » was dropped when « Troisième » came
    assert list(blitter.frames) == [frame_key(bars([10, 20, 30], title=t)) for t in ("Troisième", "Second")]
    plt.close("all")


def test_the_frame_key_sees_limits_ticks_titles_and_legends():
    use_house_style()
    base = frame_key(bars([10, 20, 30]))
    assert frame_key(bars([11, 21, 31])) == base
    assert frame_key(bars([10, 20, 30], title="Autre")) != base
    fig = bars([10, 20, 30])
    fig.axes[0].set_ylim(0, 120)
    assert frame_key(fig) != base
    fig = bars([10, 20, 30])
    fig.axes[0].set_xlabel("Classe")
    assert frame_key(fig) != base
    fig = bars([10, 20, 30])
    fig.axes[0].bar(["A"], [1], label="nouvelle série")
    fig.axes[0].legend()
    assert frame_key(fig) != base
    plt.close("all")


def test_figures_with_axes_inside_axes_are_always_drawn_in_full():
    fig = bars([10, 20, 30])
    fig.axes[0].inset_axes([0.6, 0.6, 0.3, 0.3])
    assert frame_key(fig) is None
    plt.close(fig)


CONTROLS = (widgets.IntSlider, widgets.FloatSlider, widgets.SelectionSlider, widgets.Dropdown,
            widgets.BoundedFloatText, widgets.BoundedIntText)


def descendants(widget):
    """`widget` and every widget under it, depth first."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from descendants(child)


def other_values(control, count):
    """`count` values of `control` other than its current one: the next options, or steps up its range."""
    if hasattr(control, "options"):
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        start = values.index(control.value)
        return [values[(start + k) % len(values)] for k in range(1, count + 1)]
    step = control.step or (control.max - control.min) / 10
    return [min(control.max, control.value + k * step) if control.value + k * step <= control.max
            else max(control.min, control.value - k * step) for k in range(1, count + 1)]


def built(index, case):
    """Simulator `index` built on `case`, the last tab of each of its tabs shown (05: « Historique », a chart
    drawn only when its tab is shown)."""
    box = SIMULATORS[index].build(case)
    for tab in (w for w in descendants(box) if isinstance(w, widgets.Tab)):
        tab.selected_index = len(tab.children) - 1
    return box


@pytest.mark.parametrize("index", range(len(SIMULATORS)), ids=[s.function for s in SIMULATORS])
def test_every_simulator_shows_what_a_full_drawing_shows(case, checked, index):
    """Each control of each simulator moved: the first one five steps (as `make bench` moves it), the others one."""
    box = built(index, case)
    found = [w for w in descendants(box) if isinstance(w, CONTROLS) and not w.disabled]
    for position, control in enumerate(found):
        for value in other_values(control, 5 if position == 0 else 1):
            control.value = value
    plt.close("all")
    assert checked["drawn"] > 0


WITHOUT_BLITTER = ("dunning_simulator",)  # no chart


@pytest.mark.parametrize("index", range(len(SIMULATORS)), ids=[s.function for s in SIMULATORS])
def test_a_new_frame_is_what_matplotlib_draws(case, monkeypatch, index):
    """Each chart of a simulator as built (a new frame each) against the same figure built again and drawn as
    matplotlib draws it: one layout by its own engine, one drawing."""
    blitted, usual = [], []
    png = Blitter.png
    monkeypatch.setattr(Blitter, "png", lambda self, figure: blitted.append(png(self, figure)) or blitted[-1])
    built(index, case)
    monkeypatch.setattr(Blitter, "png", lambda self, figure: usual.append(drawn_as_usual(figure)) or usual[-1])
    built(index, case)
    plt.close("all")
    assert len(blitted) == len(usual) and (blitted or SIMULATORS[index].function in WITHOUT_BLITTER)
    for mine, theirs in zip(blitted, usual):
        assert np.array_equal(pixels(mine), pixels(theirs))
