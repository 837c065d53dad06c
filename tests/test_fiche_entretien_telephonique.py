"""Blocks of fiches/entretien-telephonique.md: the board example by hand, the fil rouge figures = casekit's."""

import pandas as pd
import pytest

from casekit import fmt
from casekit.credit.calls import argument_figures, call_history, call_scorecard, promise_kept_rate
from casekit.fiches.blocks import FicheContext, render
from casekit.fiches.blocks.entretien_telephonique import amount_kept_per_call, example_results, fil_rouge_results


@pytest.fixture(scope="module")
def context():
    return FicheContext()


def test_board_example_by_hand(context):
    figures, sheet, (firm, weak), rate = example_results()
    # to collect: 3 000 undisputed + (1 500 − 1 000 contested) − 800 unapplied = 2 700
    assert figures.to_collect == pytest.approx(3_000 + (1_500 - 1_000) - 800) == pytest.approx(2_700)
    # F1, 46 days late (15/11 → 31/12) at ECB 2,15 % + 10 points = 12,15 %: 3 000 × 12,15 % × 46 / 365 = 45,94 €
    assert figures.oldest_days == 46
    assert figures.penalty == pytest.approx(round(3_000 * 0.1215 * 46 / 365, 2)) == pytest.approx(45.94)
    assert figures.indemnity == 40
    assert sheet.objective.startswith("Relancer la promesse non tenue du 15/11/2025")
    # 2 700 € in 7 days: firm; 1 500 € on a Saturday 17 days away: 1 500 / 2 700 = 55,6 %, 1 200 € uncovered
    assert firm.firm and firm.coverage == 1 and firm.days == 7
    assert not weak.firm and weak.coverage == pytest.approx(1_500 / 2_700) and weak.uncovered == 1_200
    # 3 kept, 1 broken, 2 to come → 3 / (3 + 1) = 75 %
    assert rate["kept_rate"] == pytest.approx(3 / 4) and rate["pending"] == 2
    text = render("entretien_telephonique_exemple", context)
    assert f"**{fmt.euros(2_700)}**" in text and fmt.euros(45.94) in text and f"**{fmt.percent(0.75, 0)}**" in text
    assert f"solde de {fmt.euros(1_200, 0)} sans date" in text


def test_fil_rouge_figures_are_casekits(context):
    case, as_of = context.case, context.as_of
    r = fil_rouge_results(context)
    tables = dict(case.tables(), open_items=context.open_items)
    figures = argument_figures(tables, r["client"], as_of)
    assert r["figures"].to_collect == figures.to_collect
    text = render("entretien_telephonique_fil_rouge", context)
    assert f"**{fmt.euros(figures.to_collect, 0)}**" in text and fmt.euros(figures.to_collect) in text
    history = call_history(case.calls, r["client"], as_of, window_days=365)
    assert fmt.percent(history.kept_rate, 0) in text
    card = call_scorecard(case.calls, as_of, start=as_of - pd.Timedelta(days=365))
    assert f"**{fmt.percent(card.at['Ensemble', 'kept_rate'], 0)}**" in text
    # amount kept per call = amount of the promises kept / calls made
    per_call = card.at["Ensemble", "kept_amount"] / card.at["Ensemble", "calls"]
    assert amount_kept_per_call(card)["Ensemble"] == pytest.approx(per_call)
    assert fmt.euros(per_call, 0) in text
    by_outcome = promise_kept_rate(case.calls, by="outcome", as_of=as_of)
    assert fmt.percent(by_outcome.at["Difficultés de trésorerie", "kept_rate"], 0) in text
