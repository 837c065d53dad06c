"""The participant's results panel (notebook 10): a button re-reads the answer store and shows the marks by
module and the final mark. No formula here: every figure comes from `casekit.quiz.results`."""

from __future__ import annotations

import html

import ipywidgets as widgets

from casekit.quiz.results import format_results, participant_results, results_summary
from casekit.quiz.scoring import PASS_MARK
from casekit.quiz.store import Participant


def results_html(participant: Participant, store=None, demo: bool = False, pass_mark: float = PASS_MARK,
                 banks=None) -> str:
    """The French summary and the table of `participant_results`, as HTML."""
    results = participant_results(participant, store, banks, pass_mark)
    summary = "<br>".join(html.escape(line, quote=False)
                          for line in results_summary(participant, results, demo, pass_mark).splitlines())
    table = format_results(results).to_html(border=0, classes="casekit-results")
    return f"<div style='font-size:15px;line-height:1.5'><p>{summary}</p>{table}</div>"


def results_panel(participant: Participant, store=None, demo: bool = False, pass_mark: float = PASS_MARK,
                  banks=None) -> widgets.VBox:
    """A "Mettre à jour mes résultats" button above the participant's results; the container exposes `.button`,
    `.result` (the HTML widget) and `.refresh()` for tests."""
    result = widgets.HTML()
    button = widgets.Button(description="Mettre à jour mes résultats", button_style="primary",
                            layout=widgets.Layout(width="auto"))

    def refresh(_=None):
        result.value = results_html(participant, store, demo, pass_mark, banks)

    button.on_click(refresh)
    refresh()
    box = widgets.VBox([button, result])
    box.button, box.result, box.refresh = button, result, refresh
    return box
