"""Blocks of fiches/clauses-cgv.md: due dates and escompte by hand, fil rouge figures = casekit's."""

import pandas as pd
import pytest

from casekit import fmt
from casekit.credit.penalties import check_payment_terms
from casekit.credit.risk import credit_limit_status, early_payment_discount_rate, risk_overview
from casekit.credit.scoring import early_payment_discount
from casekit.fiches.blocks import FicheContext, render
from casekit.fiches.blocks.clauses_cgv import example_discount, example_due_dates, fil_rouge_results


@pytest.fixture(scope="module")
def context():
    return FicheContext()


def test_due_dates_by_hand(context):
    # facture du 15/01/2025 : + 30 j = 14/02 ; + 60 j = 16/03 ; + 45 j = 01/03, puis fin du mois = 31/03 (75 jours)
    expected = pd.to_datetime(["2025-02-14", "2025-03-16", "2025-03-31"])
    assert list(example_due_dates()) == list(expected)
    text = render("clauses_cgv_exemple", context)
    assert "| 31/03/2025 | 75 j |" in text and "| 16/03/2025 | 60 j |" in text


def test_escompte_by_hand(context):
    offer = example_discount()
    # 1 % de 100 000 € = 1 000 € ; financement économisé 99 000 × 5 % × 30 / 365 = 406,85 € ; perte 593,15 €
    assert offer.discount_cost == pytest.approx(1_000)
    assert offer.financing_saved == pytest.approx(99_000 * 0.05 * 30 / 365) == pytest.approx(406.85, abs=0.005)
    assert -offer.net_gain == pytest.approx(1_000 - 406.85, abs=0.005)
    # coût annuel 0,01 / 0,99 × 365 / 30 = 12,29 %
    assert offer.annual_rate == pytest.approx(0.01 / 0.99 * 365 / 30) == pytest.approx(0.1229, abs=5e-5)
    text = render("clauses_cgv_exemple", context)
    assert f"**{fmt.euros(593.15)}**" in text and fmt.percent(0.1229, 2) in text


def test_fil_rouge_figures_are_casekits(context):
    terms, year, rate, breakeven, annual, procedures = fil_rouge_results(context)
    french = check_payment_terms(context.case.customers).query("applicable")
    assert int(french["compliant"].sum()) == len(french) == len(terms.query("applicable"))
    # escompte maximal à 30 jours : k / (1 + k), k = taux × 30 / 365
    k = rate * 30 / 365
    assert breakeven == pytest.approx(k / (1 + k))
    assert breakeven == pytest.approx(early_payment_discount(1.0, 0.0, 30, rate).breakeven_discount)
    assert annual == pytest.approx(early_payment_discount_rate(0.01, 30))
    overview = risk_overview(credit_limit_status(context.open_items, context.case.customers, context.as_of))
    assert procedures["exposure"].sum() == pytest.approx(overview["insolvent_exposure"])
    assert len(procedures) == overview["insolvent"]
    text = render("clauses_cgv_fil_rouge", context)
    assert f"**{fmt.percent(breakeven, 2)}**" in text
    assert f"**{fmt.euros(overview['insolvent_exposure'], 0)}**" in text
    assert f"{fmt.number(len(french))} clients français" in text and "**tous conformes**" in text
