"""The simulators' charts: each figure drawn once to PNG at its own resolution, then closed; in `show`, over a
frame of the figures shown at its place before, when they share it (`casekit.widgets.blitting`). A picker's figure,
updated in place, is shown by a `FigureImage`.

The notebook's inline backend draws a figure twice (`bbox_inches="tight"` measures it, then draws it cropped);
the house style's constrained layout already fits the labels, so one drawing is enough: about a third less time
per move of a slider. The PNG is compressed at level 1 rather than 6, without the alpha channel of an opaque figure:
the same pixels in a larger file, written faster.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import Image, display
from matplotlib.figure import Figure

from casekit.widgets.blitting import Blitter

BLITTERS: WeakKeyDictionary = WeakKeyDictionary()  # Output widget → {place among the items shown: Blitter}
DPI = 80  # a picker's 16-inch-wide figure → 1 280 pixels: readable when projected, drawn faster than at 100 dpi


class FigureImage:
    """A figure that a picker updates in place, shown as PNG in `image` (an Image widget) at `DPI`: closed for
    pyplot (the notebook would show it again) before its dpi is set (closing gives a figure back its first dpi);
    `draw` draws it as it now is, over a kept frame when it has one (`Blitter`)."""

    def __init__(self, figure: Figure):
        plt.close(figure)
        figure.set_dpi(DPI)
        self.figure, self.blitter = figure, Blitter()
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="100%", max_width="1280px"))

    def draw(self) -> None:
        self.image.value = self.blitter.png(self.figure)


def show(out: widgets.Output, *items) -> None:
    """What `out` shows becomes `items` (None left out): a figure as its PNG (then closed), anything else as is.
    Each figure is drawn over a frame of the figures shown at its place before, when they share it (`blitting`)."""
    blitters = BLITTERS.setdefault(out, {})
    with out:
        out.clear_output(wait=True)
        for place, item in enumerate(items):
            if isinstance(item, Figure):
                display(Image(blitters.setdefault(place, Blitter()).png(item)))
                plt.close(item)
            elif item is not None:
                display(item)
