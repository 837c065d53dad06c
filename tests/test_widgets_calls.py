"""The call preparation simulator driven headlessly: choose a customer, read its sheet and its script."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from casekit import fmt  # noqa: E402
from casekit.credit.calls import argument_figures, call_preparation, overdue_by_customer  # noqa: E402
from casekit.widgets.calls import call_sheet_simulator, customer_options  # noqa: E402

AS_OF = "2025-12-31"



@pytest.fixture(scope="module")
def sim(case):
    return call_sheet_simulator(case, AS_OF)


def test_customers_sorted_by_overdue(sim, case):
    options = sim.controls["customer"].options
    ranking = overdue_by_customer(case.open_items(AS_OF), AS_OF, case.customers)
    assert [value for _, value in options] == ranking.index[:60].tolist()
    assert options[0] == ("Fromagerie du Léman (C0258) — 281\u00a0408\u00a0€ échus", "C0258")  # the largest
    assert "procédure collective" in dict((v, k) for k, v in options)["C0142"]


def test_choosing_a_customer_shows_its_sheet_and_script(sim, case):
    sim.controls["customer"].value = "C0124"
    sheet = call_preparation(case, "C0124", AS_OF)
    figures = argument_figures(case, "C0124", AS_OF)
    assert sheet.objective in sim.headline.value
    assert f"Montant à obtenir : <b>{fmt.euros(figures.to_collect)}</b>" in sim.headline.value
    assert "Fiche de préparation d&#x27;appel — Distillerie Berthier (C0124)" in sim.result.value
    assert "LIT-0894" in sim.script.value  # its open dispute is part of the discovery
    assert f"Demander : {fmt.euros(figures.to_collect)}" in sim.script.value


def test_history_chart_drawn_when_its_tab_opens(sim):
    sim.controls["customer"].value = "C0337"
    assert sim.state["drawn"] != "C0337"  # the slow chart waits for its tab
    sim.tabs.selected_index = 2
    assert sim.state["drawn"] == "C0337"
    sim.controls["customer"].value = "C0258"  # tab open: redrawn at once
    assert sim.state["drawn"] == "C0258"
    sim.tabs.selected_index = 0


def test_on_a_company_fec(case):
    items = case.open_items(AS_OF)
    items = items[items["customer_id"].isin(["C0124", "C0337"])]
    sim = call_sheet_simulator({"open_items": items}, AS_OF, company="Ma société")
    assert [v for _, v in sim.controls["customer"].options] == ["C0337", "C0124"]
    assert "Ma société" in sim.script.value
    empty = call_sheet_simulator({"open_items": items.iloc[0:0]}, AS_OF)
    assert "Aucun client n'a de facture échue au 31/12/2025" in empty.children[1].value


def test_customer_options_top():
    ranking = pd.DataFrame({"customer_name": ["A", "B"], "overdue": [2000.0, 1000.0], "insolvent": [False, True]},
                           index=pd.Index(["X1", "X2"], name="customer_id"))
    assert customer_options(ranking, top=1) == [("A (X1) — 2\u00a0000\u00a0€ échus", "X1")]
    assert customer_options(ranking)[1][0].endswith("— procédure collective")
