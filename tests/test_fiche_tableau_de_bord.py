"""Blocks of fiches/tableau-de-bord.md: the board example by hand, the fil rouge figures = casekit's."""

import pandas as pd
import pytest

from casekit import fmt
from casekit.credit.calls import promise_kept_trend
from casekit.credit.dashboard import dashboard, dso_target_status
from casekit.fiches.blocks import FicheContext, render
from casekit.fiches.blocks.tableau_de_bord import DSO_TARGET, example_results


@pytest.fixture(scope="module")
def context():
    return FicheContext()


@pytest.fixture(scope="module")
def fil_rouge_text(context):
    return render("tableau_de_bord_fil_rouge", context)


def test_board_example_by_hand(context):
    r = example_results()
    # (70 − 65) j × 36 500 000 / 365 = 5 × 100 000 = 500 000 € ; × 4 % = 20 000 €
    assert r["dso"].cash_released == pytest.approx((70 - 65) * 36_500_000 / 365) == pytest.approx(500_000)
    assert r["dso"].financing_saved == pytest.approx(500_000 * 0.04)
    # échu (1,6 + 0,4) / encours 8 M = 25 % ; > 90 j 0,4 / 8 = 5 % ; en litige 0,4 / 2 = 20 %
    assert r["summary"].overdue_share == pytest.approx((1_600_000 + 400_000) / 8_000_000)
    assert r["summary"].over_90_share == pytest.approx(400_000 / 8_000_000)
    assert r["disputed"].share == pytest.approx(400_000 / 2_000_000)
    # promesses : 3 tenues sur 4 échues (2 à venir exclues) = 75 %
    assert r["promises"]["kept_rate"] == pytest.approx(3 / 4)
    # relance : 600 / 1 000 = 60 %, puis (600 + 250) / 1 000 = 85 %
    assert list(r["dunning"]["cumulative_rate"]) == pytest.approx([0.60, 0.85])
    # prévision : (1,8 − 2,0) / 2,0 = −10 %
    assert r["forecast"]["gap_forecast_pct"] == pytest.approx((1.8 - 2.0) / 2.0)
    # litiges : clos en 10, 20, 30 j → 2 sur 3 dans 20 j ; ouverts depuis 5, 25, 40 j → 2 au-delà
    assert r["disputes"].within_rate == pytest.approx(2 / 3) and r["disputes"].beyond_count == 2
    text = render("tableau_de_bord_exemple", context)
    for value in (f"**{fmt.euros(500_000, 0)}**", f"**{fmt.percent(0.25, 0)}**", f"**{fmt.percent(0.75, 0)}**",
                  f"**{fmt.percent(0.85, 0)}**", f"**{fmt.percent(-0.10, 0)}**"):
        assert value in text


def test_fil_rouge_figures_are_casekits(context, fil_rouge_text):
    for month in ("2024-12", "2025-12"):
        ind = dashboard(context.case, month, dso_target=DSO_TARGET).indicators
        assert fmt.days(ind["dso_accounting"]) in fil_rouge_text
        assert fmt.euros(ind["receivables"], 0) in fil_rouge_text
        assert fmt.percent(ind["overdue_share"]) in fil_rouge_text
        assert fmt.euros(ind["forecast_next_month"], 0) in fil_rouge_text
        assert fmt.euros(ind["open_disputes_amount"], 0) in fil_rouge_text
    board = dashboard(context.case, "2025-12", dso_target=DSO_TARGET)
    status = dso_target_status(board.dso, DSO_TARGET)
    # écart à l'objectif × valeur d'un jour = trésorerie à libérer
    assert status.cash_to_release == pytest.approx((status.dso - DSO_TARGET) * status.day_value)
    assert fmt.euros(status.cash_to_release, 0) in fil_rouge_text
    quarter = promise_kept_trend(context.case.calls, "Q", context.as_of).loc[pd.Period("2025Q4")]
    assert fmt.percent(quarter["kept_rate"]) in fil_rouge_text
