"""The priority list and team simulator driven headlessly: move a control, read the new figures."""

import time

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import casekit  # noqa: E402
from casekit import fmt  # noqa: E402
from casekit.credit.priorities import balance_portfolios  # noqa: E402
from casekit.openitems import canonical_open_items  # noqa: E402
from casekit.widgets.priorities import priorities_simulator, priorities_simulator_for_case  # noqa: E402

AS_OF = "2025-12-31"
NAMES = pd.Series({"G1": "Anne", "G2": "Paul"})


def items():
    rows = [  # customer, name, ref, document date, due date, amount — days overdue at 31/12/2025
        ("A", "Alpha", "F1", "2025-10-01", "2025-11-16", 10000.0),  # 45 days
        ("A", "Alpha", "F2", "2025-11-01", "2025-12-21", 2000.0),  # 10 days
        ("B", "Bêta", "F4", "2025-06-01", "2025-07-01", 8000.0),  # 183 days
        ("C", "Gamma", "F6", "2025-11-01", "2025-12-01", 20000.0),  # 30 days
        ("D", "Delta", "F7", "2025-05-01", "2025-06-01", 50000.0),  # in collective proceedings: excluded
    ]
    return canonical_open_items(pd.DataFrame(rows, columns=["customer_id", "customer_name", "document_ref",
                                                            "document_date", "due_date", "amount"]))


@pytest.fixture()
def sim():
    assignments = pd.Series({"A": "G1", "B": "G1", "C": "G2", "D": "G2"})
    return priorities_simulator(items(), AS_OF, assignments, pd.Series({"G1": 1.0, "G2": 0.5}), names=NAMES,
                                exclude=["D"], chart=False)


def text(widget):
    return widget.value.replace("\u00a0", " ")


def test_starts_with_every_priority_customer(sim):
    # scores: B 8 000 × 3 = 24 000, C 20 000, A 10 000 × 1.5 + 2 000 = 17 000; D is excluded
    assert list(sim.plan.index) == ["B", "C", "A"]
    assert "<b>3 clients</b>" in text(sim.result) and "<b>40 000 €</b>" in text(sim.result)
    # 15 calls a day: everybody on day 1 → 1 day, 100 % of the amount
    assert "en <b>1 jour</b>" in text(sim.result) and "<b>100,0 %</b>" in text(sim.result)
    assert "Appels du jour de G1 – Anne</b> (2 clients)" in text(sim.call_list)


def test_minimum_amount_and_calls_per_day(sim):
    sim.controls["min_amount"].value = 10_000  # B (8 000 €) is left to the email reminders
    assert "<b>2 clients</b>" in text(sim.result) and "<b>32 000 €</b>" in text(sim.result)
    assert "Bêta" not in text(sim.call_list) and "Alpha" in text(sim.call_list)
    sim.controls["min_amount"].value = 0
    sim.controls["calls_per_day"].value = 1
    # G1 calls B on day 1 and A on day 2: the team needs 2 days; day 1 covers B 8 000 + C 20 000 = 28 000 of 40 000
    assert "en <b>2 jours</b>" in text(sim.result)
    assert f"le premier jour couvre {fmt.euros(28_000, 0)}".replace("\u00a0", " ") in text(sim.result)
    assert "<b>70,0 %</b>" in text(sim.result)
    assert "Bêta" in text(sim.call_list) and "Alpha" not in text(sim.call_list)
    sim.controls["collector"].value = "G2"
    assert "Appels du jour de G2 – Paul</b> (1 client)" in text(sim.call_list) and "Gamma" in text(sim.call_list)


def test_rebalancing_uses_the_proposal(sim):
    kept = items()[items()["customer_id"] != "D"]
    proposal = balance_portfolios(kept, AS_OF, pd.Series({"A": "G1", "B": "G1", "C": "G2", "D": "G2"}),
                                  pd.Series({"G1": 1.0, "G2": 0.5})).assignments
    sim.controls["rebalance"].value = True
    assert sim.plan["collector_id"].to_dict() == {c: proposal[c] for c in sim.plan.index}


def test_fil_rouge_reacts_under_a_second():
    case = casekit.load_case()
    items_ = case.open_items(AS_OF)
    customers = case.customers.set_index("customer_id")
    collectors = case.collectors.set_index("collector_id")
    sim = priorities_simulator(items_, AS_OF, customers["collector_id"], collectors["fte"], names=collectors["name"],
                               exclude=customers.index[customers["insolvency_date"] <= AS_OF], locked=["G4"])
    before = sim.result.value
    start = time.perf_counter()
    sim.controls["calls_per_day"].value = 5
    assert time.perf_counter() - start < 1.0
    assert sim.result.value != before
    assert sim.workload["calls_per_day"].to_dict() == {"G1": 5, "G2": 5, "G3": 4, "G4": 5}  # 5 × 0,8 = 4 for G3


def test_fil_rouge_setup_of_notebook_06():
    case = casekit.load_case()
    sim = priorities_simulator_for_case(case, chart=False)
    insolvent = set(casekit.insolvent_customer_ids(case.customers, case.as_of))
    assert insolvent and not insolvent & set(sim.plan.index)  # collective proceedings: left out
    assert sim.plan["risk_class"].notna().all()  # every customer called has a class of the internal score
    export = set(case.customers.loc[case.customers["collector_id"] == "G4", "customer_id"])
    sim.controls["rebalance"].value = True
    g4 = sim.plan["collector_id"] == "G4"
    assert g4.any() and g4[sim.plan.index.isin(export)].all() and sim.plan.index[g4].isin(export).all()  # kept
    assert sim.controls["collector"].options[0] == ("G1 – Sophie Marchand", "G1")
