"""A simulator's chart redrawn at each move of a control by blitting (matplotlib's technique for fast animation).

Each move builds a new figure with the plot function, as before, or updates the data of the same figure (the
dashboard's month picker, whose canvas and text measures are then kept). When its frame is one already drawn (same size,
axes, limits, ticks and their labels, titles, axis labels, legend entries), the axes are placed where that layout put
them, and only the data (bars, lines, texts, legends…) are drawn over the saved pixels of the frame: matplotlib's
cost is in the tick labels and the layout, which are then not redone. Otherwise the figure is laid out and drawn in
full, and its frame is kept for the next moves (the last few frames: a control moved back and forth finds its own).

The frame is what an axes draws below its lowest data artist (its background, ticks, labels and grid: the house
style's `axes.axisbelow`), its titles, and the figure's own titles and texts; everything else an axes draws from its
lowest data artist up (spines included) is drawn at each move, in matplotlib's order. Titles sit above the axes,
where no data go, so the PNG is the very image a full drawing of the figure gives (tested on every simulator).
"""

from __future__ import annotations

import io
from collections import OrderedDict

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

FRAMES = 8  # frames kept per chart: about 3 MB each for a 14 × 5,5 inch chart at 100 dpi


def png_bytes(canvas: FigureCanvasAgg) -> bytes:
    """What `canvas` has drawn, as PNG (compression level 1: the same pixels, faster than matplotlib's level 6;
    without the alpha channel when every pixel is opaque, a fifth less to compress)."""
    rgba = np.asarray(canvas.buffer_rgba())
    image = Image.fromarray(rgba)
    buffer = io.BytesIO()
    (image.convert("RGB") if rgba[..., 3].min() == 255 else image).save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def data_artists(ax: Axes) -> list:
    """What `ax` shows of the data: its patches, lines, collections, texts, images, tables and legend."""
    legend = [ax.get_legend()] if ax.get_legend() is not None else []
    return [*ax.patches, *ax.lines, *ax.collections, *ax.texts, *ax.images, *ax.tables, *ax.artists, *legend]


def foreground(ax: Axes) -> list:
    """The children of `ax` drawn from its lowest data artist up, in matplotlib's drawing order, but its titles
    (placed by the drawing of the whole axes, above them)."""
    data = [a for a in data_artists(ax) if a.get_visible()]
    if not data:
        return []
    lowest = min(a.get_zorder() for a in data)
    drawn = [a for a in ax.get_children() if a.get_visible() and a.get_zorder() >= lowest and a is not ax.patch
             and (a in data or not isinstance(a, Text))]
    return sorted(drawn, key=lambda a: a.get_zorder())


def axis_key(axis) -> tuple:
    """An axis' ticks as drawn: positions and labels, major and minor, and its label."""
    major, minor = axis.get_majorticklocs(), axis.get_minorticklocs()
    return (axis.get_visible(), axis.get_label_text(), tuple(major), tuple(minor),
            tuple(axis.get_major_formatter().format_ticks(major)),
            tuple(axis.get_minor_formatter().format_ticks(minor)))


def frame_key(figure: Figure) -> tuple | None:
    """What the frame of `figure` looks like and what its layout depends on; None when it cannot be blitted
    (a figure-level artist other than texts and legends, or axes inside axes)."""
    known = (*figure.axes, *figure.texts, *figure.legends, figure.patch)
    if any(a not in known for a in figure.get_children()) or any(ax.child_axes for ax in figure.axes):
        return None
    figure_texts = tuple(t.get_text() for t in figure.texts)
    figure_legends = tuple(tuple(t.get_text() for t in legend.get_texts()) for legend in figure.legends)
    axes = []
    for ax in figure.axes:
        legend = ax.get_legend()
        spec = ax.get_subplotspec()  # its place in the grid, which its laid out position does not change
        place = spec.get_position(figure).bounds if spec is not None else ax.get_position(original=True).bounds
        axes.append((place, ax.axison, ax.get_xlim(), ax.get_ylim(),
                     ax.get_xscale(), ax.get_yscale(), axis_key(ax.xaxis), axis_key(ax.yaxis),
                     tuple(ax.get_title(loc) for loc in ("left", "center", "right")),
                     tuple(t.get_text() for t in legend.get_texts()) if legend is not None else None,
                     tuple(name for name, spine in ax.spines.items() if spine.get_visible())))
    return (tuple(figure.get_size_inches()), figure.dpi, figure_texts, figure_legends, tuple(axes))


class Blitter:
    """The successive figures of one chart of a simulator, each returned as PNG bytes (see the module). The last
    `frames` frames drawn are kept: a control moved back and forth finds its frames again."""

    def __init__(self, frames: int = FRAMES):
        self.frames: OrderedDict = OrderedDict()  # frame key → (saved pixels, axes positions), oldest first
        self.capacity = frames
        self.canvas: FigureCanvasAgg | None = None  # the last figure's, with its renderer and text measures

    def png(self, figure: Figure) -> bytes:
        """`figure` drawn as PNG at its own resolution, over a kept frame when it is the same."""
        key = frame_key(figure)
        if self.canvas is None or self.canvas.figure is not figure:  # a figure redrawn in place keeps its canvas
            self.canvas = FigureCanvasAgg(figure)
        canvas = self.canvas
        shown = [artist for ax in figure.axes for artist in foreground(ax)]
        if key in self.frames:
            self.frames.move_to_end(key)
            background, positions = self.frames[key]
            figure.set_layout_engine("none")
            for ax, position in zip(figure.axes, positions):
                ax.set_position(position)
            canvas.restore_region(background)
        else:
            if figure.get_layout_engine() is not None:  # the layout, data included (a legend outside takes room)
                figure.get_layout_engine().execute(figure)
            figure.set_layout_engine("none")
            for artist in shown:
                artist.set_visible(False)
            canvas.draw()
            for artist in shown:
                artist.set_visible(True)
            if key is not None:
                self.frames[key] = canvas.copy_from_bbox(figure.bbox), [ax.get_position() for ax in figure.axes]
                while len(self.frames) > self.capacity:
                    self.frames.popitem(last=False)
        renderer = canvas.get_renderer()
        for artist in shown:
            artist.draw(renderer)
        return png_bytes(canvas)
