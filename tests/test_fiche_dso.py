"""Blocks of fiches/dso.md: the board example by hand, the fil rouge figures = casekit's calculators."""

import pytest

from casekit import fmt
from casekit.credit.dso import dso_summary, monthly_dso, vat_basis_trap
from casekit.credit.dso_value import latest_financial_year
from casekit.credit.penalties import MAX_DAYS_END_OF_MONTH, MAX_DAYS_NET
from casekit.fiches import FICHES_DIR, refresh_text
from casekit.fiches.blocks import FicheContext, render
from casekit.fiches.blocks.dso import example_results, fil_rouge_results


@pytest.fixture(scope="module")
def context():
    return FicheContext()


def test_board_example_by_hand(context):
    r = example_results()
    # comptable : 250 000 / (90 000 + 120 000 + 100 000) × (31 + 30 + 31) = 250 000 / 310 000 × 92 = 74,19 j
    assert r["window_days"] == 31 + 30 + 31 == 92
    assert r["accounting"] == pytest.approx(250_000 / 310_000 * 92) == pytest.approx(74.194, abs=1e-3)
    # épuisement : décembre 100 000 (31 j) + novembre 120 000 (30 j) ; reste 30 000 sur les 90 000 d'octobre
    assert r["count_back"] == pytest.approx(31 + 30 + 30_000 / 90_000 * 31) == pytest.approx(71.333, abs=1e-3)
    # décomposition : 9 000 non échus, 3 000 échus, 90 000 de ventes sur 90 jours → 9 + 3 = 12 jours
    assert r["split"].best_possible_dso == pytest.approx(9_000 / 90_000 * 90) == pytest.approx(9)
    assert r["split"].add == pytest.approx(3_000 / 90_000 * 90) == pytest.approx(3)
    assert r["split"].dso == pytest.approx(12)
    # TTC : 120 000 / 600 000 × 365 = 73 j ; à tort sur le HT : 120 000 / 500 000 × 365 = 87,6 j (+14,6)
    assert r["vat"].dso == pytest.approx(73) and r["vat"].dso_wrong == pytest.approx(87.6)
    assert r["vat"].overstatement == pytest.approx(14.6)
    text = render("dso_exemple", context)
    for expected in ("**74,2\u00a0jours**", "**71,3\u00a0jours**", "9,0 + 3,0 = 12,0\u00a0jours",
                     "73,0\u00a0jours (faux : 87,6)", "oct. 30\u00a0000 / 90\u00a0000 × 31 j"):
        assert expected in text


def test_fil_rouge_figures_are_casekits(context):
    summary = dso_summary(context.open_items, context.case.invoices, context.as_of)
    text = render("dso_fil_rouge", context)
    assert text.startswith("| Indicateur | Valeur |")  # tests/test_fiches.py relies on it
    assert f"**{fmt.days(summary.dso_3m)}**" in text
    for value in (summary.dso_12m, summary.dso_count_back, summary.add):
        assert fmt.days(value) in text
    assert fmt.number(summary.best_possible_dso, 1) in text
    assert fmt.euros(summary.receivables, 0) in text and fmt.euros(summary.sales_12m, 0) in text
    # the split adds up, and the monthly series ends on the same DSO as the summary
    assert summary.best_possible_dso + summary.add == pytest.approx(summary.dso_3m)
    month = context.as_of.to_period("M")
    series = monthly_dso(context.case, month - 12, month)
    assert series["dso_accounting"].iloc[-1] == pytest.approx(summary.dso_3m)
    assert series["dso_count_back"].iloc[-1] == pytest.approx(summary.dso_count_back)
    # the excl.-VAT mistake on the latest closed year's accounts
    year = latest_financial_year(context.case.financials, context.as_of)
    accounts = context.case.financials.set_index("year").loc[year]
    trap = vat_basis_trap(accounts["trade_receivables"], accounts["revenue_excl_vat"],
                          accounts["revenue_incl_vat"], 365)
    assert fmt.days(trap.dso_wrong) in text and fmt.number(trap.vat_ratio, 3) in text
    assert trap.dso_wrong == pytest.approx(trap.dso * trap.vat_ratio)


def test_seasonality_reading_names_the_widest_gap(context):
    r = fil_rouge_results(context)
    series = r["series"]
    widest = (series["dso_accounting"] - series["dso_count_back"]).abs().idxmax()
    text = render("dso_fil_rouge", context)
    assert fmt.days(series.at[widest, "dso_accounting"]) in text
    assert fmt.days(series.at[widest, "dso_count_back"]) in text


def test_fiche_is_up_to_date_and_quotes_the_legal_caps(context):
    text = (FICHES_DIR / "dso.md").read_text(encoding="utf-8")
    assert refresh_text(text, context) == text
    assert f"{MAX_DAYS_NET} jours à compter de l'émission de la facture" in text
    assert f"{MAX_DAYS_END_OF_MONTH} jours fin de mois" in text
