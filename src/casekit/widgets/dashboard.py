"""Dashboard month picker (notebook 06): a month end of the fil rouge → the dashboard's indicators, the DSO against
its target and the four charts. Every figure comes from `casekit.credit.dashboard`. All the months are computed
when the picker is built: the charts keep one frame (`DashboardChart` on scales covering every month), so that
a month picked redraws only its data (`casekit.widgets.blitting`)."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from casekit import fmt
from casekit.credit.dashboard import (
    DashboardChart,
    dashboard,
    dashboard_history,
    dashboard_months,
    dashboard_scales,
    dso_target_sentence,
    format_dashboard,
)
from casekit.credit.forecast import payment_lines
from casekit.errors import DataError
from casekit.widgets.figures import FigureImage

STYLE = {"description_width": "initial"}


def dashboard_simulator(case, months=None, dso_target: float | None = None, chart: bool = True) -> widgets.VBox:
    """A « Fin de mois » dropdown → `dashboard(case, month)` → French indicators table, target sentence, charts.

    `months`: the months offered (default `dashboard_months(case)`, the last one selected), all computed at once
    (the DSO history and the payment lines once for all). The charts share the scales of all the months: from one
    month to the next, the bars and lines move in a steady frame. The box exposes `.month` (the dropdown),
    `.result` (HTML), `.image` (the charts, PNG), `.chart` (the `DashboardChart`), both None without `chart`,
    `.board` (the month's `Dashboard`) and `.boards` (month → Dashboard).
    """
    months = [pd.Period(m, freq="M") for m in (months if months is not None else dashboard_months(case))]
    if not months:
        raise DataError("aucun mois disponible pour le tableau de bord")
    month = widgets.Dropdown(options=[(fmt.date(m.to_timestamp(how="end")), str(m)) for m in months],
                             value=str(months[-1]), description="Fin de mois", style=STYLE)
    result = widgets.HTML()
    history = dashboard_history(case, months)
    lines = payment_lines(case.invoices, case.payments)
    boards = {str(m): dashboard(case, m, dso_target, history=history, lines=lines, chart=False) for m in months}
    charts = DashboardChart(dashboard_scales(boards.values(), dso_target), dso_target) if chart else None
    picture = FigureImage(charts.figure) if chart else None  # 16 × 10 inches → 1 280 × 800 pixels
    box = widgets.VBox([month, result, picture.image] if chart else [month, result])

    def update(_=None):
        board = box.board = boards[month.value]
        sentence = dso_target_sentence(board.dso, dso_target)
        result.value = (f"<p><b>Tableau de bord au {fmt.date(board.as_of)}.</b> {sentence}</p>"
                        + format_dashboard(board).to_html(escape=True))
        if chart:
            charts.show(board)
            picture.draw()

    month.observe(update, names="value")
    box.month, box.result, box.boards, box.chart = month, result, boards, charts
    box.image = picture.image if chart else None
    update()
    return box
