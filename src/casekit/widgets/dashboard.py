"""Dashboard month picker (notebook 06): a month end of the fil rouge → the dashboard's indicators, the DSO against
its target and the four charts. Every figure comes from `casekit.credit.dashboard`; each month is computed once and
kept (cache by month)."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd

from casekit import fmt
from casekit.credit.dashboard import (
    dashboard,
    dashboard_history,
    dashboard_months,
    dso_target_sentence,
    format_dashboard,
)
from casekit.credit.forecast import payment_lines
from casekit.errors import DataError
from casekit.widgets import figures  # figures.figure_png looked up at each call: the benchmark can replace it

STYLE = {"description_width": "initial"}
DPI = 80  # 16 × 10 inches → 1 280 × 800 pixels: readable when projected, drawn faster than the notebook's 100 dpi


def dashboard_simulator(case, months=None, dso_target: float | None = None, chart: bool = True) -> widgets.VBox:
    """A « Fin de mois » dropdown → `dashboard(case, month)` → French indicators table, target sentence, charts.

    `months`: the months offered (default `dashboard_months(case)`, the last one selected). The DSO history and
    the payment lines are computed once, each month's dashboard on first display and then kept. The box exposes
    `.month` (the dropdown), `.result` (HTML), `.image` (the charts, PNG), `.board` (the last `Dashboard`) and
    `.cache` (month → Dashboard).
    """
    months = [pd.Period(m, freq="M") for m in (months if months is not None else dashboard_months(case))]
    if not months:
        raise DataError("aucun mois disponible pour le tableau de bord")
    month = widgets.Dropdown(options=[(fmt.date(m.to_timestamp(how="end")), str(m)) for m in months],
                             value=str(months[-1]), description="Fin de mois", style=STYLE)
    result = widgets.HTML()
    image = widgets.Image(format="png", layout=widgets.Layout(width="100%", max_width="1280px"))
    box = widgets.VBox([month, result, image] if chart else [month, result])
    cache: dict[str, object] = {}
    pictures: dict[str, bytes] = {}
    history = dashboard_history(case, months)  # what does not depend on the month, computed once
    lines = payment_lines(case.invoices, case.payments)

    def update(_=None):
        key = month.value
        if key not in cache:
            board = dashboard(case, key, dso_target=dso_target, history=history, lines=lines)
            plt.close(board.figure)  # shown in the Output below, not again by the notebook
            cache[key] = board
        board = cache[key]
        box.board = board
        sentence = dso_target_sentence(board.dso, dso_target)
        result.value = (f"<p><b>Tableau de bord au {fmt.date(board.as_of)}.</b> {sentence}</p>"
                        + format_dashboard(board).to_html(escape=True))
        if chart:
            if key not in pictures:
                pictures[key] = figures.figure_png(board.figure, DPI)
            image.value = pictures[key]

    month.observe(update, names="value")
    box.month, box.result, box.image, box.cache = month, result, image, cache
    update()
    return box
