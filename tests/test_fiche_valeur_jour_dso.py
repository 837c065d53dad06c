"""Blocks of fiches/valeur-jour-dso.md: the board example by hand, the fil rouge figures = casekit's calculators."""

import pytest

from casekit import fmt
from casekit.credit.dso import dso_summary
from casekit.credit.dso_value import CORPORATE_TAX_RATE, dso_change_impact, dso_environment, dso_value_for_case
from casekit.credit.penalties import FIXED_INDEMNITY, MAX_DAYS_END_OF_MONTH, MAX_DAYS_NET, STATUTORY_MARGIN
from casekit.fiches import FICHES_DIR, refresh_text
from casekit.fiches.blocks import FicheContext, render
from casekit.fiches.blocks.valeur_jour_dso import example_results


@pytest.fixture(scope="module")
def context():
    return FicheContext()


def test_board_example_by_hand(context):
    impact, growth, offset = example_results()
    # 36 500 000 / 365 = 100 000 € par jour ; 60 → 50 j : 10 × 100 000 = 1 000 000 € libérés (une fois)
    assert impact.day_value == pytest.approx(36_500_000 / 365) == pytest.approx(100_000)
    assert impact.cash_released == pytest.approx(10 * 100_000)
    # 1 000 000 × 5 % = 50 000 € par an avant IS ; × (1 − 25 %) = 37 500 € après IS
    assert impact.financing_saved == pytest.approx(1_000_000 * 0.05) == pytest.approx(50_000)
    assert impact.result_after_tax == pytest.approx(50_000 * (1 - 0.25)) == pytest.approx(37_500)
    # créances 6 → 7,15 M€, CA 36,5 → 40,15 M€ : DSO 60 → 65 j ;
    # croissance 3 650 000 / 365 × 60 = 600 000 ; DSO (65 − 60) × 40 150 000 / 365 = 5 × 110 000 = 550 000
    assert growth.dso_before == pytest.approx(60) and growth.dso_after == pytest.approx(65)
    assert growth.growth_effect == pytest.approx(3_650_000 / 365 * 60) == pytest.approx(600_000)
    assert growth.dso_effect == pytest.approx(5 * 110_000) == pytest.approx(550_000)
    assert growth.growth_effect + growth.dso_effect == pytest.approx(7_150_000 - 6_000_000)
    # une perte de 10 000 € à 5 % de marge nette : 10 000 / 0,05 = 200 000 € de ventes
    assert offset == pytest.approx(10_000 / 0.05) == pytest.approx(200_000)
    text = render("valeur_jour_dso_exemple", context)
    for value in (100_000, 50_000, 200_000):
        assert fmt.euros(value, 0) in text
    assert f"**{fmt.euros(1_000_000, 0)}**" in text and "+" + fmt.euros(37_500, 0) in text
    assert f"{fmt.euros(600_000, 0)} + {fmt.euros(550_000, 0)}" in text


def test_fil_rouge_figures_are_casekits(context):
    case = context.case
    impact = dso_value_for_case(case, 2025)  # 10 jours de moins, au taux moyen des financements 2025
    text = render("valeur_jour_dso_fil_rouge", context)
    assert f"**{fmt.euros(impact.day_value, 0)}**" in text and f"**{fmt.euros(impact.cash_released, 0)}**" in text
    assert f"{fmt.euros(impact.financing_saved, 0)} / {fmt.euros(impact.result_after_tax, 0)}" in text
    assert fmt.euros(impact.working_capital_after, 0) in text
    # the cash released is 10 days of sales incl. VAT, the yearly gain that cash at the borrowing rate
    accounts = case.financials.set_index("year").loc[2025]
    assert impact.cash_released == pytest.approx(10 * accounts["revenue_incl_vat"] / 365)
    assert impact.financing_saved == pytest.approx(impact.cash_released * accounts["borrowing_rate"])
    env = dso_environment(case.financials).loc[2025]
    assert fmt.euros(env["financing_cost"], 0) in text and fmt.euros(env["sales_to_offset_losses"], 0) in text
    overdraft = dso_change_impact(accounts["revenue_incl_vat"], impact.dso_from, impact.dso_to,
                                  float(case.company["overdraft_rate"].iloc[0]), tax_rate=CORPORATE_TAX_RATE)
    assert fmt.euros(overdraft.financing_saved, 0) in text
    summary = dso_summary(context.open_items, case.invoices, context.as_of)
    half = dso_change_impact(summary.sales_12m, summary.dso_12m, summary.dso_12m - summary.add_12m / 2,
                             accounts["borrowing_rate"])
    assert fmt.euros(half.cash_released, 0) in text
    assert half.cash_released == pytest.approx(summary.add_12m / 2 * summary.sales_12m / 365)


def test_fiche_is_up_to_date_and_quotes_casekits_legal_figures(context):
    text = (FICHES_DIR / "valeur-jour-dso.md").read_text(encoding="utf-8")
    assert refresh_text(text, context) == text
    tax = fmt.percent(CORPORATE_TAX_RATE, 0).replace("\u00a0", " ")  # the hand-written text has plain spaces
    assert f"taux normal de l'impôt sur les sociétés, {tax}" in text
    assert f"{MAX_DAYS_NET} jours après l'émission de la facture, ou {MAX_DAYS_END_OF_MONTH} jours fin" in text
    assert f"taux BCE + {round(STATUTORY_MARGIN * 100)} points" in text
    assert f"indemnité forfaitaire de {FIXED_INDEMNITY:.0f} €" in text
