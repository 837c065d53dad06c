"""Dunning, continued (module 4b): public holidays, recovery statistics by any grouping, cumulative recovery,
the aged balance by dunning level, the calendar of the next days and its expected recovery."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from casekit import DataError  # noqa: E402
from casekit.credit.dunning import (  # noqa: E402
    DEFAULT_SCENARIO,
    action_calendar,
    action_plan,
    actions_summary,
    aged_balance_by_level,
    check_scenario,
    cumulative_recovery,
    dunning_groups,
    dunning_outcomes,
    easter_sunday,
    escalations,
    expected_from_actions,
    french_public_holidays,
    level_labels,
    plot_action_calendar,
    plot_overdue_by_level,
    plot_recovery_by_group,
    recovery_by_level,
    scenario_from_steps,
    summarize_recovery,
)
from casekit.openitems import canonical_open_items  # noqa: E402

AS_OF = "2025-12-31"  # a Wednesday; 01/01/2026 is a public holiday
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
        ("E", "G1", "2025-12-01", "2026-01-03", 90.0, False),  # due in 3 days
    ]
    return canonical_open_items(pd.DataFrame(rows, columns=["customer_id", "document_ref", "document_date",
                                                            "due_date", "amount", "disputed"]))


def test_easter_and_french_public_holidays():
    assert easter_sunday(2025) == T("2025-04-20") and easter_sunday(2026) == T("2026-04-05")
    assert easter_sunday(2024) == T("2024-03-31")  # an early Easter, in March
    days = french_public_holidays([2026])
    assert len(days) == 11
    # Easter Monday 06/04, Ascension (Easter + 39) 14/05, Whit Monday (Easter + 50) 25/05
    assert {T("2026-04-06"), T("2026-05-14"), T("2026-05-25"), T("2026-01-01"), T("2026-11-11")} <= set(days)


def test_level_labels_and_dunning_groups():
    assert level_labels()[1] == "Niveau 1 – Courriel (J+5)"
    groups = dunning_groups(items(), AS_OF, proceedings=["C"]).set_axis(items()["document_ref"]).to_dict()
    assert groups["F1"] == "Aucun niveau atteint" and groups["G1"] == "Aucun niveau atteint"
    assert groups["F2"] == groups["F3"] == "Niveau 1 – Courriel (J+5)"
    assert groups["F4"] == "Niveau 4 – Lettre recommandée (mise en demeure) (J+45)"
    assert groups["F6"] == "En litige (relance suspendue)"
    assert groups["F7"] == "Procédure collective (relance arrêtée)"
    assert groups["R1"] == "Avoirs et encaissements non lettrés"


def test_aged_balance_by_level_by_hand():
    table = aged_balance_by_level(items(), AS_OF, proceedings=["C"])
    # rows in scenario order, empty levels (3, 5) left out; F8 (issued after as_of) excluded
    assert list(table.index) == ["Aucun niveau atteint", "Niveau 1 – Courriel (J+5)",
                                 "Niveau 2 – Téléphone (J+15)",
                                 "Niveau 4 – Lettre recommandée (mise en demeure) (J+45)",
                                 "En litige (relance suspendue)", "Procédure collective (relance arrêtée)",
                                 "Avoirs et encaissements non lettrés"]
    # no level: F1 100 (4 days, 1-30) + G1 90 (not due)
    assert table.loc["Aucun niveau atteint", ["not_due", "1-30", "total"]].tolist() == [90.0, 100.0, 190.0]
    assert table.loc["Niveau 1 – Courriel (J+5)", "1-30"] == 500.0  # F2 + F3
    assert table.loc["Procédure collective (relance arrêtée)", ">90"] == 700.0
    assert table["total"].sum() == pytest.approx(100 + 200 + 300 + 400 + 500 + 600 - 50 + 700 + 90)


def dunning_history():
    # F1 due 01/01: level 1 on 06/01 (1 000 due), level 2 on 16/01 (600 due after 400 paid 10/01);
    # F2 due 01/01: level 1 on 06/01 (500), window to 16/01 by the usual gap; paid 300 on 20/02 (too late);
    # F3: level 1 on 06/01 (300), paid 300 on 07/01
    return pd.DataFrame({
        "document_ref": ["F1", "F1", "F2", "F3"], "customer_id": ["A", "A", "B", "C"], "level": [1, 2, 1, 1],
        "channel": ["Courriel", "Téléphone", "Courriel", "Courriel"],
        "dunning_date": [T("2025-01-06"), T("2025-01-16"), T("2025-01-06"), T("2025-01-06")],
        "days_overdue": [5, 15, 5, 5], "amount_due": [1000.0, 600.0, 500.0, 300.0]})


def payments():
    return pd.DataFrame({
        "document_ref": ["F1", "F1", "F3", "F2", "F2"], "payment_method": ["Virement", "Virement", "Virement",
                                                                          "Imputation d'avoir", "Virement"],
        "payment_date": [T("2025-01-10"), T("2025-01-20"), T("2025-01-07"), T("2025-01-08"), T("2025-02-20")],
        "amount": [400.0, 600.0, 300.0, 200.0, 300.0]})


def test_outcomes_and_summaries_by_channel_and_customer_group():
    outcomes = dunning_outcomes(dunning_history(), payments(), as_of="2025-03-31")
    assert outcomes.set_index(["document_ref", "level"])["recovered"].to_dict() == {
        ("F1", 1): 400.0, ("F1", 2): 600.0, ("F2", 1): 0.0, ("F3", 1): 300.0}
    by_level = summarize_recovery(outcomes)
    assert by_level.equals(recovery_by_level(dunning_history(), payments(), as_of="2025-03-31"))
    by_channel = summarize_recovery(outcomes, "channel")
    # e-mail: 1 800 dunned, 700 recovered (F1 400 + F3 300); phone: 600 of 600
    assert by_channel.loc["Courriel", ["amount_dunned", "amount_recovered"]].tolist() == [1800.0, 700.0]
    assert by_channel.loc["Téléphone", "recovery_rate"] == 1.0
    segments = pd.Series({"A": "PME", "B": "PME", "C": "ETI"}, name="segment")
    by_segment = summarize_recovery(outcomes, [segments, "level"])
    # PME level 1: F1 1 000 + F2 500 dunned, 400 recovered; ETI level 1: F3 300 of 300
    assert by_segment.loc[("PME", 1), ["amount_dunned", "amount_recovered"]].tolist() == [1500.0, 400.0]
    assert by_segment.loc[("ETI", 1), "recovery_rate"] == 1.0
    assert by_segment.index.names == ["segment", "level"]
    unknown = summarize_recovery(outcomes, pd.Series({"A": "PME"}, name="segment"))
    assert unknown.loc["non renseigné", "actions"] == 2  # B and C not in the mapping
    with pytest.raises(DataError, match="inconnu"):
        summarize_recovery(outcomes, "sector")
    assert plot_recovery_by_group(by_segment).axes[0].get_lines()


def test_cumulative_recovery_by_hand():
    stats = pd.DataFrame({"amount_dunned": [1000.0, 400.0, 150.0], "amount_recovered": [600.0, 250.0, 100.0]},
                         index=pd.Index([1, 2, 3], name="level"))
    out = cumulative_recovery(stats)
    # 600 / 1 000 = 60 %; (600 + 250) / 1 000 = 85 %; (850 + 100) / 1 000 = 95 %
    assert out["cumulative_rate"].tolist() == [0.6, 0.85, 0.95]
    with pytest.raises(DataError, match="vides"):
        cumulative_recovery(stats.iloc[0:0])


def test_action_calendar_by_hand():
    cal = action_calendar(items(), AS_OF, horizon_days=10, proceedings=["C"])  # until 10/01/2026
    rows = [(f"{r.action_date:%d/%m}", r.customer_id, r.level, r.items, r.amount, r.days_overdue, r.catch_up)
            for r in cal.itertuples()]
    assert rows == [
        # today, no history: every overdue invoice at the level it has reached (highest level first)
        ("31/12", "A", 4, 1, 400.0, 45, True), ("31/12", "B", 2, 1, 500.0, 15, True),
        ("31/12", "A", 1, 2, 500.0, 11, True),
        # F1 due 27/12 reaches J+5 on 01/01 (public holiday) → Friday 02/01, 6 days overdue
        ("02/01", "A", 1, 1, 100.0, 6, False),
        # F3 due 20/12 reaches J+15 on Sunday 04/01 → Monday 05/01
        ("05/01", "A", 2, 1, 300.0, 16, False),
        # G1 due Saturday 03/01 reaches J+5 on Thursday 08/01
        ("08/01", "E", 1, 1, 90.0, 5, False),
    ]  # F2's J+15 falls on Saturday 10/01 → Monday 12/01, beyond the horizon; F6 disputed, F7 stopped, F8 later
    assert cal.loc[3, "channel"] == "Courriel" and cal.loc[4, "owner"] == "Gestionnaire de recouvrement"
    calendar_days = action_calendar(items(), AS_OF, horizon_days=10, proceedings=["C"], business_days=False)
    # calendar days: F1's J+5 on the holiday 01/01, F2's J+15 on Saturday 10/01
    assert ((calendar_days["action_date"] == T("2026-01-01")) & (calendar_days["level"] == 1)).any()
    assert ((calendar_days["action_date"] == T("2026-01-10")) & (calendar_days["level"] == 2)).any()
    history = pd.DataFrame({"document_ref": ["F2", "F3"], "level": [1, 1],
                            "dunning_date": [T("2025-12-31"), T("2025-12-26")]})
    done = action_calendar(items(), AS_OF, horizon_days=10, dunning_history=history, proceedings=["C"])
    today = done[done["catch_up"]]
    assert list(zip(today["customer_id"], today["level"])) == [("A", 4), ("B", 2)]  # A level 1 already done
    before = action_calendar(items(), "2020-01-01")
    assert before.empty and list(before.columns) == list(cal.columns)
    stats = pd.DataFrame({"recovery_rate": [0.5], "median_days_to_payment": [5.0]}, index=pd.Index([1], name="level"))
    assert expected_from_actions(before, stats)["expected_date"].dtype.kind == "M"  # an empty plan stays typed
    with pytest.raises(DataError, match="horizon"):
        action_calendar(items(), AS_OF, horizon_days=-1)


def test_pre_due_reminder_expected_recovery_and_summaries():
    reminder = pd.concat([pd.DataFrame([(0, -5, "Courriel", "Rappel avant échéance", "ADV")],
                                       columns=DEFAULT_SCENARIO.columns), DEFAULT_SCENARIO])
    cal = action_calendar(items(), AS_OF, reminder, horizon_days=3, proceedings=["C"])
    # level 0 (J−5) is reached today by G1 (due 03/01, −3 days) and by F1 (4 days overdue, before J+5):
    # without history, both get the reminder today
    pre = cal[cal["level"] == 0]
    assert pre[["customer_id", "days_overdue", "catch_up"]].values.tolist() == [["A", 4, True], ["E", -3, True]]
    stats = pd.DataFrame({"recovery_rate": [0.4, 0.6], "median_days_to_payment": [5.0, 7.0]},
                         index=pd.Index(["Courriel", "Téléphone"], name="channel"))
    expected = expected_from_actions(cal, stats, by="channel")
    by_key = expected.set_index(["action_date", "customer_id", "level"])
    today = T(AS_OF)
    assert by_key.loc[(today, "E", 0), "expected_amount"] == 0.0  # a reminder before the due date: not measured
    assert by_key.loc[(today, "A", 1), "expected_amount"] == 200.0  # 500 × 40 %
    assert by_key.loc[(today, "A", 1), "expected_date"] == T("2026-01-05")  # 31/12 + 5 days
    assert by_key.loc[(today, "A", 4), "expected_amount"] == 0.0  # registered letter: channel absent from stats
    summary = actions_summary(expected, "channel")
    # e-mails: today F1 at level 0 (100, 4 days overdue → 40), G1 at level 0 (90, before due → 0), F2 + F3 at
    # level 1 (500 → 200); on 02/01 F1 at level 1 (100 → 40)
    assert summary.loc["Courriel", ["actions", "items", "amount", "expected_amount"]].tolist() == [4, 5, 790.0,
                                                                                                   280.0]
    assert plot_action_calendar(cal).axes[0].patches
    assert plot_action_calendar(cal.iloc[0:0]).axes[0].texts


def test_escalations_for_the_sales_people():
    plan = action_plan(items(), AS_OF)
    customers = pd.DataFrame({"customer_id": ["A", "B", "C"], "sales_rep": ["Luc", "Ana", "Ana"],
                              "collector_id": ["G1", "G2", "G2"]})
    out = escalations(plan.actions, customers, min_level=2)
    # level ≥ 2: C level 5 (700), B level 2 (500), A level 4 (400) — by sales rep, then amount
    assert list(zip(out["sales_rep"], out["customer_id"], out["level"])) == [("Ana", "C", 5), ("Ana", "B", 2),
                                                                            ("Luc", "A", 4)]
    assert escalations(plan.actions, customers).shape[0] == 2  # default: level 4 and beyond


def test_scenario_from_steps():
    scenario = scenario_from_steps([(-5, "Courriel"), (5, "Courriel"), (15, "Téléphone")])
    assert scenario[["level", "days_from_due", "channel"]].values.tolist() == [[0, -5, "Courriel"],
                                                                             [1, 5, "Courriel"],
                                                                             [2, 15, "Téléphone"]]
    assert scenario.loc[0, "action"].startswith("Relance préventive")
    assert scenario.loc[2, "action"] == DEFAULT_SCENARIO.loc[1, "action"]  # the phone call's action
    default = scenario_from_steps(DEFAULT_SCENARIO[["days_from_due", "channel"]].itertuples(index=False))
    assert default.equals(check_scenario(DEFAULT_SCENARIO))
    assert scenario_from_steps([(-10, "Courriel"), (-2, "Téléphone"), (3, "Courriel")])["level"].tolist() == \
        [-1, 0, 1]
    with pytest.raises(DataError, match="croître"):
        scenario_from_steps([(15, "Courriel"), (5, "Téléphone")])
    with pytest.raises(DataError, match="inconnu"):
        scenario_from_steps([(5, "Pigeon voyageur")])


def test_plot_overdue_by_level():
    table = aged_balance_by_level(items(), AS_OF, proceedings=["C"])
    ax = plot_overdue_by_level(table).axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == "Aucun niveau atteint" and labels[0] == "Avoirs et encaissements non lettrés"
    assert len(ax.patches) == len(table) * 4  # four overdue buckets per row, « non échu » left out
    assert min(p.get_x() + p.get_width() for p in ax.patches) == -50  # the credit R1, left of zero
