"""One house style for every chart: large French labels readable when projected, French number formats."""

from __future__ import annotations

import math

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import Formatter, FuncFormatter

from casekit import fmt

PALETTE = ["#1f4e79", "#e07b39", "#3a9d5d", "#c0392b", "#8e6bb8", "#7f8c8d", "#d4ac0d", "#17a2b8"]
AGEING_COLORS = ["#3a9d5d", "#f1c40f", "#e67e22", "#d35400", "#c0392b", "#7b241c"]
STYLE = {
    "figure.figsize": (11, 5.5), "figure.dpi": 100, "savefig.dpi": 150, "font.size": 13, "axes.titlesize": 16,
    "axes.titleweight": "bold", "axes.labelsize": 13, "xtick.labelsize": 12, "ytick.labelsize": 12,
    "legend.fontsize": 12, "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True,
    "grid.alpha": 0.3, "axes.prop_cycle": matplotlib.cycler(color=PALETTE), "figure.constrained_layout.use": True,
    "axes.formatter.use_locale": False, "axes.axisbelow": True,
}


def use_house_style() -> None:
    """Apply the house style to every new figure."""
    plt.rcParams.update(STYLE)


class EuroFormatter(Formatter):
    """French money ticks in `€`, `k€` or `M€`, with as few decimals as keep the labels distinct
    (0,20 / 0,25 / 0,30 M€ rather than 0,2 / 0,2 / 0,3 M€)."""

    def __init__(self, unit: str = "€"):
        self.unit, self.scale = unit, {"€": 1, "k€": 1e3, "M€": 1e6}[unit]
        self.decimals = 1 if unit == "M€" else 0

    def label(self, value: float, decimals: int) -> str:
        return f"{fmt.number(value / self.scale, decimals)}{fmt.NBSP}{self.unit}"

    def __call__(self, value, pos=None) -> str:
        return self.label(value, self.decimals)

    def format_ticks(self, values) -> list[str]:
        for decimals in range(self.decimals, self.decimals + 3):
            labels = [self.label(v, decimals) for v in values]
            if len(set(labels)) == len(labels):
                break
        return labels


def euro_axis(ax, axis: str = "y", unit: str = "€") -> None:
    """French money ticks: `1 234 €`, or in thousands/millions with `unit="k€"` / `"M€"`."""
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(EuroFormatter(unit))


def percent_axis(ax, axis: str = "y", decimals: int = 0) -> None:
    """Ratios shown as French percentages (`25 %`)."""
    formatter = FuncFormatter(lambda v, _: fmt.percent(v, decimals))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def number_axis(ax, axis: str = "y", decimals: int = 0, suffix: str = "") -> None:
    """Plain French numbers (`1 234,5`) with an optional suffix (` j`)."""
    formatter = FuncFormatter(lambda v, _: fmt.number(v, decimals) + suffix)
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def new_figure(title: str, xlabel: str = "", ylabel: str = "", **subplots):
    """A figure and axes in the house style, titled in French."""
    use_house_style()
    fig, ax = plt.subplots(**subplots)
    ax.set_title(title)
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    return fig, ax


NICE_STEPS = (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)
COARSE_STEPS = (1, 2, 2.5, 5, 10)  # fewer scales: a chart whose data change much keeps its frame more often


def nice_limit(value: float, steps=NICE_STEPS) -> float:
    """The smallest round number at or above `value`: one of `steps` (by default 1; 1,2; 1,5; 2; 2,5; 3; 4; 5; 6; 8)
    × a power of ten; 1 when `value` is not positive. An axis that keeps its scale, and a simulator its frame,
    while the data move a little."""
    if not value > 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(step * power for step in steps if step * power >= value * (1 - 1e-12))


def nice_bounds(low: float, high: float) -> tuple[float, float]:
    """Axis bounds around `low`..`high` on multiples of a round step (a fifth of the largest magnitude, made round),
    with at least a quarter of a step of margin on each side: the scale stays put while the data move."""
    step = nice_limit(max(abs(low), abs(high)) / 5)
    return math.floor(low / step - 0.25) * step, math.ceil(high / step + 0.25) * step


def bar_limits(*values, steps=NICE_STEPS) -> tuple[float, float]:
    """Axis bounds for bars drawn from zero: 0, and on each side where there are values a round number
    (`nice_limit` on `steps`) at least 10 % beyond the farthest one; (0, 1) without any value."""
    data = np.concatenate([np.ravel(np.asarray(v, dtype=float)) for v in values]) if values else np.zeros(0)
    low, high = float(np.nanmin(data, initial=0.0)), float(np.nanmax(data, initial=0.0))
    return (-nice_limit(-low * 1.1, steps) if low < 0 else 0.0,
            nice_limit(high * 1.1, steps) if high > 0 or low == 0 else 0.0)


def month_labels(periods) -> list[str]:
    """`2025-03` periods or dates → `mars 2025`-style short French labels (`03/2025`)."""
    return [f"{p.month:02d}/{p.year}" for p in periods]
