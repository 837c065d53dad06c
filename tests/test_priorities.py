"""Priorities and team: priority list, collectors' workload and the balancing proposal."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

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


# --- notebook 06 additions: Pareto, call schedule, ageing trend, follow-up sheet ----------------------------------

from casekit.credit.priorities import (  # noqa: E402
    call_schedule,
    customer_follow_up,
    follow_up_by,
    overdue_ageing_trend,
    overdue_pareto,
    pareto_summary,
    plot_ageing_trend,
    plot_pareto,
    plot_schedule_workload,
    schedule_workload,
)


def test_overdue_pareto_and_summary():
    p = overdue_pareto(items(), AS_OF)
    # undisputed overdue: C 20 000, A 10 000 + 2 000 = 12 000, B 8 000 (F5 disputed, R1 a credit) → 40 000
    assert list(p.index) == ["C", "A", "B"] and p["rank"].tolist() == [1, 2, 3]
    assert p["overdue_amount"].tolist() == [20000.0, 12000.0, 8000.0]
    assert p["cumulative_share"].tolist() == pytest.approx([0.5, 0.8, 1.0])  # 20/40, 32/40, 40/40
    s = pareto_summary(p, 0.8)
    # 80 % is reached exactly by the 2nd customer (edge: equality counts); 20 % of 3 customers → 1 → 50 %
    assert (s.customers, s.amount, s.customers_needed) == (3, 40000.0, 2)
    assert s.share_of_customers == pytest.approx(2 / 3)
    assert (s.top_customers, s.top_share) == (1, pytest.approx(0.5))
    assert pareto_summary(p, 0.81).customers_needed == 3
    assert list(overdue_pareto(items(), AS_OF, exclude=["C"]).index) == ["A", "B"]
    tie = canonical_open_items(pd.DataFrame(
        [(c, f"F{c}", "2025-10-01", "2025-11-01", 100.0, False) for c in ("Z", "M")],
        columns=["customer_id", "document_ref", "document_date", "due_date", "amount", "disputed"]))
    assert list(overdue_pareto(tie, AS_OF).index) == ["M", "Z"]  # equal amounts: by customer id
    empty = pareto_summary(overdue_pareto(items().iloc[0:0], AS_OF))
    assert empty.customers == 0 and empty.customers_needed == 0 and pd.isna(empty.top_share)
    with pytest.raises(DataError, match="Pareto"):
        pareto_summary(p, 1.5)


def test_call_schedule_and_workload():
    priorities = priority_list(items(), AS_OF)  # B 24 000, C 20 000, A 17 000 (scores)
    assignments = pd.Series({"A": "G1", "B": "G1", "C": "G2"})
    fte = pd.Series({"G1": 1.0, "G2": 0.5})
    plan = call_schedule(priorities, assignments, calls_per_day=1, fte=fte)
    # G1: 1 call a day → B day 1, A day 2; G2: 0.5 × 1 = 0.5 → at least 1 call → C day 1
    assert plan[["collector_id", "rank", "day"]].values.tolist() == [["G1", 1, 1], ["G2", 1, 1], ["G1", 2, 2]]
    w = schedule_workload(plan, 1, fte, collectors=["G3"])
    assert w.loc["G1", ["customers", "overdue_amount", "calls_per_day", "days_needed", "day1_amount"]].tolist() \
        == [2, 20000.0, 1, 2, 8000.0]  # B 8 000 + A 12 000; day 1 = B
    assert w.loc["G1", "day1_share"] == pytest.approx(0.4)  # 8 000 / 20 000
    assert w.loc["G2", ["customers", "days_needed", "day1_amount"]].tolist() == [1, 1, 20000.0]
    assert w.loc["G3", ["customers", "days_needed"]].tolist() == [0, 0] and pd.isna(w.loc["G3", "day1_share"])
    # 15 calls a day at 0.5 FTE → 7 calls (rounded down); minimum 10 000 €: B (8 000) is left to the emails
    plan = call_schedule(priorities, assignments, calls_per_day=15, min_amount=10_000, fte=fte)
    assert list(plan.index) == ["C", "A"] and plan["day"].tolist() == [1, 1]
    assert schedule_workload(plan, 15, fte).loc["G2", "calls_per_day"] == 7
    unassigned = call_schedule(priorities, pd.Series({"A": "G1"}))
    assert set(unassigned.loc[["B", "C"], "collector_id"]) == {"non affecté"}
    with pytest.raises(DataError, match="appels"):
        call_schedule(priorities, assignments, calls_per_day=0)


def test_overdue_ageing_trend():
    assignments = pd.Series({"A": "G1", "B": "G1", "C": "G2", "D": "G3"})
    data = items()
    trend = overdue_ageing_trend({"2025-11-30": data, "2025-12-31": data}, assignments, threshold_days=60)
    assert list(trend.index) == [pd.Timestamp("2025-11-30"), pd.Timestamp("2025-12-31")]
    # 31/12: G1 = A 10 000 + 2 000 + 9 000, B 8 000 + 5 000 − 1 000 = 33 000, of which > 60 days F4 8 000 (183 d)
    # + F5 5 000 (91 d) = 13 000; G2: C 20 000, nothing > 60 days; all: 13 000 / 57 000
    assert trend.loc["2025-12-31", "G1"] == pytest.approx(13000 / 33000)
    assert trend.loc["2025-12-31", ["G2", "G3"]].tolist() == [0.0, 0.0]
    assert trend.loc["2025-12-31", "Ensemble"] == pytest.approx(13000 / 57000)
    # 30/11: documents dated by then: F1, F2, F4, F5 (G1: 25 000), F6 (G2); F5 is 60 days overdue (not > 60):
    # G1 > 60 days = F4 8 000 → 8 000 / 25 000; G3 has no open item yet → missing
    assert trend.loc["2025-11-30", "G1"] == pytest.approx(0.32)
    assert pd.isna(trend.loc["2025-11-30", "G3"])
    assert trend.loc["2025-11-30", "Ensemble"] == pytest.approx(8000 / 45000)
    fig = plot_ageing_trend(trend, names=pd.Series({"G1": "Anne"}))
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["Anne", "G2", "G3", "Ensemble"]


def test_customer_follow_up_and_groups():
    dunning = pd.DataFrame({
        "document_ref": ["F1", "F1", "F4", "F4", "ZZ"], "customer_id": ["A", "A", "B", "B", "A"],
        "level": [1, 2, 4, 5, 5], "channel": ["Courriel", "Téléphone", "Lettre recommandée", "Contentieux", "X"],
        "dunning_date": pd.to_datetime(["2025-11-21", "2025-12-01", "2025-08-15", "2026-01-05", "2025-12-20"])})
    calls = pd.DataFrame({
        "customer_id": ["A", "A", "B", "C"],
        "call_date": pd.to_datetime(["2025-12-10", "2025-12-20", "2025-12-15", "2026-01-02"]),
        "promise_amount": [3000.0, 5000.0, 8000.0, 1000.0],
        "promise_date": pd.to_datetime(["2026-01-05", "2026-01-10", "2025-12-28", "2026-01-20"])})
    f = customer_follow_up(items(), AS_OF, dunning=dunning, calls=calls)
    # overdue (due before 31/12, credits included): C 20 000; A 10 000 + 2 000; B 8 000 + 5 000 − 1 000; D 0
    assert list(f.index) == ["C", "A", "B", "D"]  # A and B tie at 12 000: by customer id
    assert f.loc["A", ["open_amount", "overdue_amount", "overdue_over", "disputed_amount"]].tolist() == \
        [21000.0, 12000.0, 0.0, 0.0]
    # B: more than 60 days: F4 (183 d) 8 000 + F5 (91 d) 5 000; disputed F5; oldest positive item 183 days
    assert f.loc["B", ["overdue_over", "disputed_amount", "max_days_overdue"]].tolist() == [13000.0, 5000.0, 183]
    assert pd.isna(f.loc["D", "max_days_overdue"])
    # last action by 31/12 on open items: A level 2 (F1), B level 4 (level 5 is dated 2026; ZZ is not open)
    assert (f.loc["A", "last_level"], f.loc["A", "last_action"]) == (2, "Téléphone")
    assert f.loc["B", "last_level"] == 4 and pd.isna(f.loc["C", "last_level"])
    # pending promise: A's latest call (20/12, 5 000 € for 10/01); B's promise date is past; C called in 2026
    assert (f.loc["A", "promise_amount"], f.loc["A", "promise_date"]) == (5000.0, pd.Timestamp("2026-01-10"))
    assert pd.isna(f.loc["B", "promise_amount"]) and pd.isna(f.loc["C", "promise_amount"])
    g = follow_up_by(f, {"A": "Nord", "B": "Nord", "C": "Sud"}, "region")
    assert list(g.index) == ["Nord", "Sud", "non renseigné"] and g.index.name == "region"
    assert g.loc["Nord", ["customers", "overdue_customers", "open_amount", "overdue_amount", "overdue_over",
                          "disputed_amount"]].tolist() == [2, 2, 33000.0, 24000.0, 13000.0, 5000.0]
    assert g.loc["Nord", "overdue_share"] == pytest.approx(24000 / 33000)
    assert g.loc["non renseigné", ["customers", "overdue_customers", "overdue_amount"]].tolist() == [1, 0, 0.0]


def test_notebook_06_charts():
    p = overdue_pareto(items(), AS_OF)
    fig = plot_pareto(p)
    assert len(fig.axes[0].patches) == 3
    assert "2 clients sur 3" in fig.axes[1].texts[0].get_text()
    plan = call_schedule(priority_list(items(), AS_OF), pd.Series({"A": "G1", "B": "G1", "C": "G2"}), 1)
    fig = plot_schedule_workload(schedule_workload(plan, 1), names=pd.Series({"G1": "Anne", "G2": "Paul"}))
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["Anne", "Paul"]
    assert fig.axes[0].patches[0].get_height() == 2  # G1: 2 customers at 1 call a day
