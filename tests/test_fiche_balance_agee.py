"""Blocks of fiches/balance-agee.md: the board example by hand, the fil rouge figures = casekit's."""

import pytest

from casekit import fmt
from casekit.context import portfolio_summary
from casekit.credit.aged_balance import aged_balance_disputed_split, aged_balance_totals
from casekit.fiches.blocks import FicheContext, render
from casekit.fiches.blocks.balance_agee import example_results


@pytest.fixture(scope="module")
def context():
    return FicheContext()


def test_board_example_by_hand(context):
    r = example_results()
    due, invoice = r["due"], r["invoice"]
    # au 31/12/2025 : FA-101 échoit le 14/01/2026 (non échue) ; FA-087 16 j de retard, avoir AV-012 21 j ;
    # FA-064 47 j ; FA-052 76 j ; FA-031 (litige) 123 j
    assert due["not_due"] == 12_000
    assert due["1-30"] == 8_000 - 1_000 == 7_000
    assert (due["31-60"], due["61-90"], due[">90"]) == (5_000, 4_000, 3_000)
    assert due["total"] == 12_000 + 8_000 - 1_000 + 5_000 + 4_000 + 3_000 == 31_000
    # par date de pièce : âges 16, 21 (avoir) → 0-30 ; 61 → 61-90 ; 92, 121, 153 → > 90
    assert invoice["0-30"] == 12_000 - 1_000 and invoice["31-60"] == 0
    assert invoice["61-90"] == 8_000 and invoice[">90"] == 5_000 + 4_000 + 3_000
    assert r["buckets"]["due_date"]["FA-087"] == "1-30" and r["buckets"]["document_date"]["FA-087"] == "61-90"
    assert r["split"].loc["disputed", ">90"] == 3_000
    text = render("balance_agee_exemple", context)
    # échu = 31 000 − 12 000 = 19 000 (61 %), dont 3 000 en litige → 16 000 à relancer
    assert f"**{fmt.euros(19_000, 0)}**" in text and fmt.percent(19_000 / 31_000, 0) in text
    assert f"{fmt.euros(16_000, 0)} à relancer" in text


def test_fil_rouge_figures_are_casekits(context):
    totals = aged_balance_totals(context.open_items, context.as_of)
    split = aged_balance_disputed_split(context.open_items, context.as_of)
    summary = portfolio_summary(context.open_items, context.as_of)
    text = render("balance_agee_fil_rouge", context)
    for column in totals.index:
        assert fmt.euros(totals[column], 0) in text
    assert fmt.euros(split.loc["disputed", "total"], 0) in text
    overdue = totals["total"] - totals["not_due"]
    assert summary.overdue == pytest.approx(overdue)
    assert f"**Échu** {fmt.euros(overdue, 0)}" in text
    assert fmt.euros(-summary.credits, 0) in text
    # the Excel export carries the same grand total as the balance
    assert f"total {fmt.euros(totals['total'], 0)} = balance" in text
