"""Dunning: the scenario, today's action plan, recovery statistics by level, expected recovery, charts."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from casekit import DataError  # noqa: E402
from casekit.casestudy.generate import DUNNING_LEVELS  # noqa: E402
from casekit.credit.dunning import (  # noqa: E402
    DEFAULT_SCENARIO,
    action_plan,
    check_scenario,
    expected_recovery,
    plot_amounts_by_level,
    plot_recovery_by_level,
    recovery_by_level,
)
from casekit.openitems import canonical_open_items  # noqa: E402

AS_OF = "2025-12-31"
T = pd.Timestamp




def items():
    rows = [  # customer, ref, document date, due date, amount, disputed — days overdue at 31/12/2025
        ("A", "F1", "2025-11-01", "2025-12-27", 100.0, False),  # 4 days: no level yet
        ("A", "F2", "2025-11-01", "2025-12-26", 200.0, False),  # 5 days: level 1
        ("A", "F3", "2025-11-01", "2025-12-20", 300.0, False),  # 11 days: level 1
        ("A", "F4", "2025-10-01", "2025-11-16", 400.0, False),  # 45 days: level 4
        ("B", "F5", "2025-10-01", "2025-12-16", 500.0, False),  # 15 days: level 2
        ("B", "F6", "2025-08-01", "2025-09-01", 600.0, True),  # 121 days but disputed
        ("B", "R1", "2025-11-01", "2025-11-01", -50.0, False),  # credit: nothing to dun
        ("C", "F7", "2025-06-01", "2025-07-01", 700.0, False),  # 183 days: level 5, in proceedings
        ("D", "F8", "2026-01-02", "2026-01-02", 800.0, False),  # issued after as_of
    ]
    df = pd.DataFrame(rows, columns=["customer_id", "document_ref", "document_date", "due_date", "amount",
                                     "disputed"])
    return canonical_open_items(df)


def test_default_scenario_matches_the_fil_rouge_history():
    levels = DEFAULT_SCENARIO[["level", "days_from_due", "channel"]].itertuples(index=False)
    assert [tuple(r) for r in levels] == DUNNING_LEVELS
    assert DEFAULT_SCENARIO["owner"].str.len().gt(0).all()
    assert DEFAULT_SCENARIO["action"].str.len().gt(0).all()


def test_check_scenario_errors():
    with pytest.raises(DataError, match="manquante"):
        check_scenario(DEFAULT_SCENARIO.drop(columns="owner"))
    with pytest.raises(DataError, match="croître"):
        check_scenario(DEFAULT_SCENARIO.assign(days_from_due=[5, 15, 15, 45, 75]))
    with pytest.raises(DataError, match="deux fois"):
        check_scenario(DEFAULT_SCENARIO.assign(level=[1, 2, 2, 4, 5]))
    with pytest.raises(DataError, match="vide"):
        check_scenario(DEFAULT_SCENARIO.iloc[0:0])


def test_action_plan_levels_grouping_and_exclusions():
    plan = action_plan(items(), AS_OF, proceedings=["C"])
    levels = plan.items.set_index("document_ref")["level"].to_dict()
    assert levels == {"F2": 1, "F3": 1, "F4": 4, "F5": 2}  # F1 (4 days) reaches no level
    assert list(plan.disputed["document_ref"]) == ["F6"]
    assert list(plan.proceedings["document_ref"]) == ["F7"]
    actions = plan.actions.set_index(["customer_id", "level"])
    # one action per customer and level: A level 1 = F2 + F3 = 200 + 300 = 500 (2 items, oldest 11 days)
    assert actions.loc[("A", 1), ["items", "amount", "max_days_overdue"]].tolist() == [2, 500.0, 11]
    assert actions.loc[("A", 4), "channel"] == "Lettre recommandée (mise en demeure)"
    assert actions.loc[("B", 2), "owner"] == "Gestionnaire de recouvrement"
    assert list(plan.actions["level"]) == [4, 2, 1]  # highest level first
    assert not plan.actions["done"].any()


def test_action_plan_with_history_and_pre_due_reminder():
    history = pd.DataFrame({"document_ref": ["F2", "F3", "F4"], "level": [1, 1, 3],
                            "dunning_date": [T("2025-12-31"), T("2025-12-26"), T("2025-12-17")]})
    actions = action_plan(items(), AS_OF, dunning_history=history).actions.set_index(["customer_id", "level"])
    assert actions.loc[("A", 1), "done"]  # both F2 and F3 dunned at level 1
    assert not actions.loc[("A", 4), "done"]  # F4 only reached level 3 in the history
    reminder = pd.concat([pd.DataFrame([(0, -5, "Courriel", "Rappel avant échéance", "ADV")],
                                       columns=DEFAULT_SCENARIO.columns), DEFAULT_SCENARIO])
    item = canonical_open_items(pd.DataFrame({"customer_id": ["E"], "document_ref": ["G1"],
                                              "document_date": ["2025-12-01"], "due_date": ["2026-01-03"],
                                              "amount": [90.0]}))
    plan = action_plan(item, AS_OF, reminder)  # due in 3 days: within the 5-day pre-due reminder
    assert plan.actions["level"].tolist() == [0]


def test_action_plan_edge_cases():
    empty = action_plan(items().iloc[0:0], AS_OF)
    assert empty.actions.empty and empty.items.empty
    assert action_plan(items(), "2020-01-01").actions.empty  # before any invoice


def dunning_history():
    # F1 due 01/01: level 1 on 06/01 (1 000 due), level 2 on 16/01 (600 due after 400 paid 10/01);
    # F2 due 01/01: level 1 on 06/01 (500), no level 2 in the history (window to 16/01 by the usual gap of
    # 10 days), a credit note of 200 on 08/01 (not cash) and cash 300 on 20/02; F3: level 1 on 06/01 (300),
    # paid 300 on 07/01
    return pd.DataFrame({
        "document_ref": ["F1", "F1", "F2", "F3"], "customer_id": ["A", "A", "B", "C"], "level": [1, 2, 1, 1],
        "dunning_date": [T("2025-01-06"), T("2025-01-16"), T("2025-01-06"), T("2025-01-06")],
        "days_overdue": [5, 15, 5, 5], "amount_due": [1000.0, 600.0, 500.0, 300.0]})


def payments():
    return pd.DataFrame({
        "document_ref": ["F1", "F1", "F3", "F2", "F2"], "payment_method": ["Virement", "Virement", "Virement",
                                                                          "Imputation d'avoir", "Virement"],
        "payment_date": [T("2025-01-10"), T("2025-01-20"), T("2025-01-07"), T("2025-01-08"), T("2025-02-20")],
        "amount": [400.0, 600.0, 300.0, 200.0, 300.0]})


def test_recovery_by_level_hand_example():
    stats = recovery_by_level(dunning_history(), payments(), as_of="2025-03-31")
    # level 1: dunned 1 000 + 500 + 300 = 1 800; recovered 400 (F1, 10/01) + 300 (F3, 07/01) = 700
    # (F2's credit note is not cash; its payment of 20/02 is after the window ending 16/01)
    assert stats.loc[1, ["actions", "amount_dunned", "amount_recovered"]].tolist() == [3, 1800.0, 700.0]
    assert stats.loc[1, "recovery_rate"] == pytest.approx(700 / 1800)
    assert stats.loc[1, "median_days_to_payment"] == 2.5  # F1 4 days, F3 1 day → median 2.5
    # level 2 (last level, window 30 days): 600 dunned on 16/01, paid 20/01 → 100 %, 4 days
    assert stats.loc[2].tolist() == [1, 600.0, 600.0, 1.0, 1, 4.0]
    # with as_of 31/01, the level-2 window (16/01 → 15/02) is not over: left out as pending
    assert 2 not in recovery_by_level(dunning_history(), payments(), as_of="2025-01-31").index
    with pytest.raises(DataError, match="vide"):
        recovery_by_level(dunning_history().iloc[0:0], payments())
    with pytest.raises(DataError, match="échéances"):
        recovery_by_level(dunning_history().drop(columns="days_overdue"), payments())


def test_expected_recovery():
    plan = action_plan(items(), AS_OF, proceedings=["C"])
    stats = pd.DataFrame({"recovery_rate": [0.5, 0.6, 0.7, 0.8, 0.9],
                          "median_days_to_payment": [5, 7, 7, 10, 10]},
                         index=pd.Index([1, 2, 3, 4, 5], name="level"))
    expected = expected_recovery(plan, stats).set_index(["customer_id", "level"])
    # A level 1: 500 × 50 % = 250, in 5 days; A level 4: 400 × 80 % = 320; B level 2: 500 × 60 % = 300
    assert expected["expected_amount"].to_dict() == {("A", 4): 320.0, ("B", 2): 300.0, ("A", 1): 250.0}
    assert expected.loc[("A", 1), "expected_date"] == T("2026-01-05")


def test_fil_rouge_plan_and_statistics(case):
    items = case.open_items(AS_OF)
    insolvent = case.customers.loc[case.customers["insolvency_date"] <= AS_OF, "customer_id"]
    plan = action_plan(items, AS_OF, dunning_history=case.dunning, proceedings=insolvent)
    overdue = items[(items["amount"] > 0) & (items["due_date"] <= T(AS_OF) - pd.Timedelta(days=5))]
    # every invoice at least 5 days overdue is in exactly one of the three lists
    total = plan.items["amount"].sum() + plan.disputed["amount"].sum() + plan.proceedings["amount"].sum()
    assert total == pytest.approx(overdue["amount"].sum())
    assert plan.actions["amount"].sum() == pytest.approx(plan.items["amount"].sum())
    assert plan.actions["done"].mean() > 0.9  # the team is up to date in the history
    stats = recovery_by_level(case.dunning, case.payments, case.invoices)
    assert list(stats.index) == [1, 2, 3, 4, 5]
    assert stats["actions"].is_monotonic_decreasing  # fewer invoices reach each next level
    assert stats["recovery_rate"].between(0, 1).all()


def test_charts(case):
    stats = recovery_by_level(case.dunning, case.payments, case.invoices)
    fig = plot_recovery_by_level(stats)
    assert fig.axes[0].get_title() == "Taux de recouvrement par niveau de relance"
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()][0] == "Niveau 1"
    fig = plot_amounts_by_level(stats)
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == [
        "Montant relancé", "Montant réglé avant le niveau suivant"]
