"""Priorities and team: priority list, collectors' workload and the balancing proposal."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import casekit  # noqa: E402
from casekit import DataError  # noqa: E402
from casekit.credit.priorities import (  # noqa: E402
    age_weight,
    balance_portfolios,
    collector_workload,
    plot_priorities,
    plot_workload,
    priority_list,
)
from casekit.openitems import canonical_open_items  # noqa: E402

AS_OF = "2025-12-31"


@pytest.fixture(scope="module")
def case():
    return casekit.load_case()


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def items():
    rows = [  # customer, ref, document date, due date, amount, disputed — days overdue at 31/12/2025
        ("A", "F1", "2025-10-01", "2025-11-16", 10000.0, False),  # 45 days → × 1.5
        ("A", "F2", "2025-11-01", "2025-12-21", 2000.0, False),  # 10 days → × 1
        ("A", "F3", "2025-12-01", "2026-01-31", 9000.0, False),  # not due
        ("B", "F4", "2025-06-01", "2025-07-01", 8000.0, False),  # 183 days → × 3
        ("B", "F5", "2025-09-01", "2025-10-01", 5000.0, True),  # disputed: shown apart
        ("B", "R1", "2025-12-01", "2025-12-01", -1000.0, False),  # unapplied credit: shown apart
        ("C", "F6", "2025-11-01", "2025-12-01", 20000.0, False),  # 30 days → × 1
        ("D", "F7", "2025-12-01", "2026-01-31", 4000.0, False),  # not due
    ]
    df = pd.DataFrame(rows, columns=["customer_id", "document_ref", "document_date", "due_date", "amount",
                                     "disputed"])
    return canonical_open_items(df)


def test_age_weight():
    assert age_weight([1, 30, 31, 60, 61, 90, 91, 400]).tolist() == [1, 1, 1.5, 1.5, 2, 2, 3, 3]


def test_priority_list_hand_example():
    risk = pd.Series({"A": "D", "B": "B"})
    p = priority_list(items(), AS_OF, risk)
    # A: 10 000 × 1.5 + 2 000 × 1 = 17 000, class D × 1.25 → 21 250
    # B: 8 000 × 3 = 24 000, class B × 0.9 → 21 600; C: 20 000 × 1, no class × 1 → 20 000
    assert p["priority_score"].to_dict() == {"B": 21600.0, "A": 21250.0, "C": 20000.0}
    assert list(p.index) == ["B", "A", "C"]
    assert p.loc["A", "overdue_amount"] == 12000.0
    assert p.loc["A", "age_weight"] == pytest.approx(17000 / 12000)
    assert (p.loc["B", "disputed_overdue"], p.loc["B", "credits"]) == (5000.0, -1000.0)
    assert pd.isna(p.loc["C", "risk_class"]) and p.loc["C", "risk_weight"] == 1.0
    # without risk: B 24 000, C 20 000, A 17 000
    assert list(priority_list(items(), AS_OF, top=2).index) == ["B", "C"]
    assert "B" not in priority_list(items(), AS_OF, risk, exclude=["B"]).index
    scores = pd.DataFrame({"class": ["E"]}, index=["C"])  # a score_customers table works too
    assert priority_list(items(), AS_OF, scores).loc["C", "priority_score"] == 30000.0  # 20 000 × 1.5
    with pytest.raises(DataError, match="classe"):
        priority_list(items(), AS_OF, pd.Series({"A": "Z"}))
    assert priority_list(items().iloc[0:0], AS_OF).empty
    assert priority_list(items(), "2020-01-01").empty


def test_collector_workload():
    assignments = pd.Series({"A": "G1", "B": "G1", "C": "G2", "D": "G3"})
    fte = pd.Series({"G1": 1.0, "G2": 0.5, "G3": 1.0})
    w = collector_workload(items(), AS_OF, assignments, fte)
    # G1: A and B; overdue undisputed F1 + F2 + F4 = 10 000 + 2 000 + 8 000 = 20 000
    assert w.loc["G1", ["customers", "overdue_customers", "overdue_items", "overdue_amount"]].tolist() == \
        [2, 2, 3, 20000.0]
    assert w.loc["G1", "open_amount"] == 33000.0  # 10 000 + 2 000 + 9 000 + 8 000 + 5 000 − 1 000
    assert w.loc["G2", "overdue_per_fte"] == 40000.0  # 20 000 / 0.5
    assert w.loc["G3", ["overdue_amount", "overdue_customers"]].tolist() == [0.0, 0]
    partial = collector_workload(items(), AS_OF, pd.Series({"A": "G1"}))
    assert partial.loc["non affecté", "customers"] == 3 and partial["fte"].eq(1.0).all()
    with pytest.raises(DataError, match="ETP"):
        collector_workload(items(), AS_OF, assignments, pd.Series({"G1": 0.0}))


def test_balance_portfolios_greedy():
    rows = [(c, f"F{c}", "2025-10-01", "2025-12-01", amount, False)
            for c, amount in [("A", 5000.0), ("B", 3000.0), ("C", 2000.0), ("D", 1000.0)]]
    data = canonical_open_items(pd.DataFrame(rows, columns=["customer_id", "document_ref", "document_date",
                                                            "due_date", "amount", "disputed"]))
    assignments = pd.Series({"A": "G1", "B": "G1", "C": "G1", "D": "G2"})
    result = balance_portfolios(data, AS_OF, assignments, tolerance=0.0)
    # G1 10 000, G2 1 000. Moving A → max(5 000, 6 000) = 6 000; B → max(7 000, 4 000) = 7 000;
    # C → max(8 000, 3 000) = 8 000: move A. Then G2 6 000 > G1 5 000: moving D (1 000) back gives
    # max(6 000, 5 000)... no better than 6 000, so moving stops.
    assert result.moves[["customer_id", "from_collector", "to_collector", "overdue_amount"]].values.tolist() \
        == [["A", "G1", "G2", 5000.0]]
    assert result.after["overdue_amount"].to_dict() == {"G1": 5000.0, "G2": 6000.0}
    assert result.before["overdue_amount"].to_dict() == {"G1": 10000.0, "G2": 1000.0}
    assert result.assignments["A"] == "G2"
    locked = balance_portfolios(data, AS_OF, assignments, locked=["G2"])
    assert locked.moves.empty
    even = balance_portfolios(data, AS_OF, pd.Series({"A": "G1", "B": "G2", "C": "G2"}), tolerance=0.05)
    assert even.moves.empty  # 5 000 vs 5 000: already balanced


def test_fil_rouge(case):
    items = case.open_items(AS_OF)
    assignments = case.customers.set_index("customer_id")["collector_id"]
    fte = case.collectors.set_index("collector_id")["fte"]
    w = collector_workload(items, AS_OF, assignments, fte)
    undisputed = items[(items["due_date"] < AS_OF) & (items["amount"] > 0) & ~items["disputed"]]
    assert w["overdue_amount"].sum() == pytest.approx(undisputed["amount"].sum())
    assert w["open_amount"].sum() == pytest.approx(items["amount"].sum())
    result = balance_portfolios(items, AS_OF, assignments, fte, locked=["G4"])
    spread = lambda t: t.drop("G4")["overdue_per_fte"].max() - t.drop("G4")["overdue_per_fte"].min()  # noqa
    assert spread(result.after) < spread(result.before)
    assert result.after["overdue_amount"].sum() == pytest.approx(result.before["overdue_amount"].sum())
    assert not set(result.moves["from_collector"]) & {"G4"}
    p = priority_list(items, AS_OF)
    assert p["overdue_amount"].sum() == pytest.approx(undisputed["amount"].sum())


def test_charts(case):
    items = case.open_items(AS_OF)
    fig = plot_priorities(priority_list(items, AS_OF), top=10)
    assert fig.axes[0].get_title() == "Clients à appeler en priorité"
    assert len(fig.axes[0].patches) == 10
    assignments = case.customers.set_index("customer_id")["collector_id"]
    fig = plot_workload(balance_portfolios(items, AS_OF, assignments))
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["Avant", "Après"]
