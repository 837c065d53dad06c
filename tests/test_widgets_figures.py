"""The simulators' charts: drawn as PNG at the figure's own resolution, then closed."""

import io
import struct

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from casekit.plots import new_figure  # noqa: E402
from casekit.widgets.blitting import Blitter  # noqa: E402
from casekit.widgets.figures import show  # noqa: E402


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])  # IHDR: width, height


def test_png_at_the_figures_own_resolution():
    fig, ax = new_figure("Essai")  # house style: 11 × 5.5 inches at 100 dpi (savefig.dpi is 150)
    ax.plot([0, 1], [0, 1])
    assert png_size(Blitter().png(fig)) == (1100, 550)  # no tight crop: the whole figure
    fig.set_dpi(80)
    assert png_size(Blitter().png(fig)) == (880, 440)  # 11 × 80, 5.5 × 80
    plt.close(fig)


def test_show_closes_the_figures_it_draws():
    fig, _ = new_figure("Essai")
    show(widgets.Output(), "texte", fig, None)
    assert not plt.fignum_exists(fig.number)


def test_the_fast_compression_keeps_every_pixel():
    """Level 1 instead of matplotlib's default level 6, and no alpha channel where all is opaque: a larger file,
    the very same image."""
    fig, ax = new_figure("Essai")
    ax.bar(["0-30 j", "31-60 j", "> 60 j"], [120_000, 45_000, 8_000])
    usual = io.BytesIO()
    fig.savefig(usual, format="png", dpi=fig.dpi)
    fast = Blitter().png(fig)
    assert fast != usual.getvalue() and len(fast) > len(usual.getvalue())
    assert Image.open(io.BytesIO(fast)).mode == "RGB" and Image.open(usual).mode == "RGBA"
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(fast))), np.asarray(Image.open(usual).convert("RGB")))
    plt.close(fig)


def test_a_see_through_figure_keeps_its_alpha_channel():
    fig, ax = new_figure("Essai")
    fig.patch.set_alpha(0.0)
    ax.plot([0, 1], [0, 1])
    assert Image.open(io.BytesIO(Blitter().png(fig))).mode == "RGBA"
    plt.close(fig)
