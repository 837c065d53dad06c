"""The calculators added for notebook 09: scope of a handover, provider scorecard, trade-offs, real-cost breakdown,
file sizes, break-even, cost of the time, thresholds, and the comparison of the three solutions under other
terms."""

import math
from dataclasses import replace

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from casekit import DataError  # noqa: E402
from casekit.outsourcing.collection import (  # noqa: E402
    IN_HOUSE,
    CollectionOffer,
    InHouseTeam,
    collection_delay_cost,
    compare_options,
    fee_break_even,
    file_size_profile,
    handover_scope,
    handover_threshold_table,
    insolvent_customer_ids,
    option_result,
    option_tradeoffs,
    plot_handover_thresholds,
    plot_scorecard,
    provider_scorecard,
    real_cost_breakdown,
    real_cost_of_options,
)
from casekit.outsourcing.comparison import (  # noqa: E402
    compare_solutions,
    format_solutions,
    lowest_insurance_cost_rate,
    scenario_collection,
    scenario_factoring,
    scenario_insurance,
    solutions_scenario,
    with_cached_open_items,
)
from casekit.outsourcing.factoring import compare_factoring_offers  # noqa: E402
from casekit.outsourcing.insurance import compare_insurance_offers  # noqa: E402

AGENCY = CollectionOffer(offer_id="AG", provider="Agence", success_fee_0_90=0.08, success_fee_91_180=0.12,
                         recovery_0_90=0.88, recovery_91_180=0.68, min_file_amount=300, internal_fte_saved=1)
PLATFORM = CollectionOffer(offer_id="PF", file_fee=8, annual_subscription=24_000, minimum_annual_fee=30_000,
                           success_fee_0_90=0.05, recovery_0_90=0.90)
TEAM = InHouseTeam(fte=2, salaries=100_000, overhead=20_000)
FILES = pd.DataFrame({"file_id": ["A", "B", "C"], "band": ["0-90", "0-90", "91-180"],
                      "amount": [10_000.0, 200.0, 5_000.0], "disputed": [False, False, True]})



def _items():
    """At 31/12/2025: A1 121 days overdue (1 000), A2 77 days, disputed (500), A3 16 days (700); B1 152 days
    (200); C1 91 days (400); D1 244 days (5 000), D insolvent; an unallocated receipt of A (−150) and a credit
    note of E, who owes nothing overdue (−80)."""
    rows = [("A", "A1", "2025-08-01", "2025-09-01", 1_000.0, False),
            ("A", "A2", "2025-09-15", "2025-10-15", 500.0, True),
            ("A", "A3", "2025-11-15", "2025-12-15", 700.0, False),
            ("B", "B1", "2025-07-01", "2025-08-01", 200.0, False),
            ("C", "C1", "2025-09-01", "2025-10-01", 400.0, False),
            ("D", "D1", "2025-04-01", "2025-05-01", 5_000.0, False),
            ("A", "RG1", "2025-12-20", "2025-12-20", -150.0, False),
            ("E", "AV1", "2025-12-01", "2025-12-01", -80.0, False)]
    return pd.DataFrame(rows, columns=["customer_id", "document_ref", "document_date", "due_date", "amount",
                                       "disputed"]).astype({"document_date": "datetime64[ns]",
                                                            "due_date": "datetime64[ns]"})


def test_handover_scope_by_hand():
    scope = handover_scope(_items(), "2025-12-31", 60, 300, False, ["D"]).set_index("category")
    # more than 60 days overdue: A1, A2, B1, C1, D1 = 1 000 + 500 + 200 + 400 + 5 000 = 7 100 (A3: 16 days)
    assert scope.at["overdue", "amount"] == 7_100 and scope.at["overdue", "items"] == 5
    assert scope.at["overdue", "files"] == 4  # A, B, C, D
    assert scope.at["insolvent", "amount"] == 5_000  # D1
    assert scope.at["disputed", "amount"] == 500  # A2
    # file totals, disputed items included: A 1 500, B 200, C 400 → B is under 300
    assert scope.at["small", "amount"] == 200
    assert scope.at["transferable", "amount"] == 1_400 and scope.at["transferable", "files"] == 2  # A1 + C1
    parts = scope.loc[["insolvent", "disputed", "small", "transferable"], "amount"].sum()
    assert parts == scope.at["overdue", "amount"]
    assert scope.at["transferable", "share"] == pytest.approx(1_400 / 7_100)
    # A's unallocated receipt must be reconciled first; E's credit note does not concern the handover
    assert scope.at["to_reconcile", "amount"] == 150 and math.isnan(scope.at["to_reconcile", "share"])
    assert "60 jours" in scope.at["overdue", "label"] and "300\u00a0€" in scope.at["small", "label"]


def test_handover_scope_variants_and_edge_cases():
    handled = handover_scope(_items(), "2025-12-31", 60, 300, True, ["D"]).set_index("category")
    assert handled.at["disputed", "amount"] == 0 and handled.at["transferable", "amount"] == 1_900  # + A2
    # a 1 600 € minimum: file A (1 500, disputed A2 included) becomes too small, so does C
    strict = handover_scope(_items(), "2025-12-31", 60, 1_600, False, ["D"]).set_index("category")
    assert strict.at["small", "amount"] == 1_000 + 200 + 400 and strict.at["transferable", "amount"] == 0
    empty = handover_scope(_items(), "2025-01-31", 60).set_index("category")  # nothing due yet
    assert empty["amount"].sum() == 0 and math.isnan(empty.at["transferable", "share"])
    with pytest.raises(DataError, match="négatifs"):
        handover_scope(_items(), "2025-12-31", -1)


def test_insolvent_customer_ids():
    customers = pd.DataFrame({"customer_id": ["A", "B", "C"],
                              "insolvency_date": pd.to_datetime(["2025-06-01", None, "2026-02-01"])})
    assert insolvent_customer_ids(customers, "2025-12-31") == ["A"]  # C's judgement comes later
    assert insolvent_customer_ids(customers[["customer_id"]], "2025-12-31") == []


def test_provider_scorecard_by_hand():
    scores = pd.DataFrame({"P": [4, 2], "Q": [3, 5], "R": [1, 3]}, index=["x", "y"])
    card = provider_scorecard(scores, {"x": 3, "y": 1}).set_index("provider")
    # P: (3 × 4 + 1 × 2) / 4 = 3,5 → 14/20; Q: (9 + 5) / 4 = 3,5; R: (3 + 3) / 4 = 1,5 → 6/20
    assert card.at["P", "weighted_score"] == pytest.approx(3.5) and card.at["P", "score_20"] == pytest.approx(14)
    assert card.at["R", "score_20"] == pytest.approx(6)
    assert card["rank"].tolist() == [1, 1, 3]  # a tie shares the rank
    kept = provider_scorecard(scores, {"x": 3, "y": 1}, eliminatory={"y": 3}).set_index("provider")
    assert kept.at["P", "eliminated"] and "y : 2 < 3" in kept.at["P", "reason"]
    assert math.isnan(kept.at["P", "rank"]) and kept.at["Q", "rank"] == 1 and kept.at["R", "rank"] == 2
    assert isinstance(plot_scorecard(kept.reset_index()), Figure)
    with pytest.raises(DataError, match="sans poids"):
        provider_scorecard(scores, {"x": 1})
    with pytest.raises(DataError, match="entre 0 et 5"):
        provider_scorecard(scores.replace(4, 6), {"x": 1, "y": 1})


def test_option_result_fee_components():
    res = option_result(FILES, TEAM, PLATFORM)
    # taken: A and B (C is disputed) → 2 files × 8 € = 16 €; 10 200 × 90 % × 5 % = 459; + 24 000 = 24 475,
    # under the 30 000 € minimum: top-up 5 525
    assert res["file_fees"] == 16 and res["subscription"] == 24_000
    assert res["success_fees"] == pytest.approx(459) and res["minimum_top_up"] == pytest.approx(5_525)
    assert res["fees"] == pytest.approx(30_000) and res["internal_cost_saved"] == 0
    assert option_result(FILES, TEAM, AGENCY)["internal_cost_saved"] == pytest.approx(50_000)  # 1 FTE of 2


def test_tradeoffs_and_breakdown_by_hand():
    results = compare_options(FILES, TEAM, [AGENCY])
    t = option_tradeoffs(results).set_index("option_id")
    assert t.at["AG", "hours_freed"] == 1_607  # 1 FTE
    assert t.at["AG", "share_transmitted"] == pytest.approx(10_000 / 15_200)  # A only, of 15 200
    assert t.at["AG", "kept_in_house"] == 5_200  # B (200, under 300) + C (5 000, disputed)
    assert t.at["AG", "fee_rate"] == pytest.approx(704 / 10_000)  # 10 000 × 88 % × 8 %
    # recovered: 8 800 + 200 × 90 % + 5 000 × 65 % = 12 230, in-house 12 430
    assert t.at["AG", "recovered_vs_in_house"] == pytest.approx(-200)
    assert math.isnan(t.at[IN_HOUSE, "fee_rate"])
    b = real_cost_breakdown(results)
    assert list(b.columns) == [IN_HOUSE, "AG"]
    assert b.at["= Coût réel", "AG"] == pytest.approx(70_704)  # 704 + 120 000 − 50 000
    assert b.at["pour mémoire : coût interne économisé", "AG"] == pytest.approx(50_000)
    assert b.at["Écart de coût réel avec l'équipe interne", "AG"] == pytest.approx(70_704 - 120_000)


def test_file_size_profile_by_hand():
    profile = file_size_profile(FILES)
    assert profile["size_band"].tolist() == ["Moins de 300\u00a0€", "300\u00a0€ à 1\u00a0000\u00a0€",
                                             "1\u00a0000\u00a0€ à 5\u00a0000\u00a0€",
                                             "5\u00a0000\u00a0€ à 20\u00a0000\u00a0€", "20\u00a0000\u00a0€ et plus"]
    assert profile["files"].tolist() == [1, 0, 0, 2, 0]  # B (200); C (5 000, lower bound included) and A (10 000)
    assert profile["amount"].tolist() == [200, 0, 0, 15_000, 0]
    assert profile["share_files"].sum() == pytest.approx(1)
    assert file_size_profile(FILES.iloc[0:0])["files"].sum() == 0
    with pytest.raises(DataError, match="croissantes"):
        file_size_profile(FILES, (1_000, 500))


def test_fee_break_even_and_cost_of_time():
    assert fee_break_even(0, 0.08, 24_000, 0.05) == pytest.approx(800_000)  # 24 000 / (8 % − 5 %)
    assert math.isnan(fee_break_even(0, 0.05, 24_000, 0.05))  # same rates: never
    assert math.isnan(fee_break_even(0, 0.05, 24_000, 0.08))  # the agency is cheaper at any amount
    assert collection_delay_cost(100_000, 30, 0.047) == pytest.approx(391.6667, abs=1e-3)  # × 4,7 % × 30 / 360
    assert collection_delay_cost(100_000, -30, 0.047) == pytest.approx(-391.6667, abs=1e-3)  # a saving
    with pytest.raises(DataError):
        collection_delay_cost(1, 1, -0.01)


def test_handover_threshold_table(case):
    table = handover_threshold_table(case, (60, 90))
    assert len(table) == 8 and table["threshold"].tolist() == [60] * 4 + [90] * 4
    at60 = real_cost_of_options(case, handover_days=60)
    assert table.loc[table["threshold"] == 60, "net_cash"].tolist() == pytest.approx(at60["net_cash"].tolist())
    rec_a = table[(table["threshold"] == 90) & (table["option_id"] == "REC-A")].iloc[0]
    # REC-A at 90 days: 240 000 − 2,5 FTE × 202 000 / 3,8 = 107 105,26 of internal cost kept + its fees
    assert rec_a["real_cost"] - rec_a["fees"] == pytest.approx(240_000 - 2.5 * 202_000 / 3.8)
    assert table.groupby("threshold")["best"].sum().tolist() == [1, 1]
    assert isinstance(plot_handover_thresholds(table), Figure)


def test_scenarios_by_hand(case):
    base = compare_insurance_offers(case).set_index("offer_id")
    double = scenario_insurance(case, 2.0).set_index("offer_id")
    # ASS-B: 0,16 % × CA HT assuré = 64 675,89 > minimum 45 000 → doubled; halved: 32 338 < 45 000 → minimum
    assert double.at["ASS-B", "premium"] == pytest.approx(2 * base.at["ASS-B", "premium"])
    assert scenario_insurance(case, 0.5).set_index("offer_id").at["ASS-B", "premium"] == pytest.approx(45_000)
    rate = lowest_insurance_cost_rate(base.reset_index())
    assert rate == pytest.approx(base["cost_rate"][base["total_cost"].idxmin()])
    fac = compare_factoring_offers(case, insurance_rate=rate).set_index("offer_id")
    free = scenario_factoring(case, 0.0, 0.0, rate).set_index("offer_id")
    assert free.at["FAC-A", "factoring_commission"] == pytest.approx(40_000)  # the annual minimum
    dearer = scenario_factoring(case, 1.0, 0.01, rate).set_index("offer_id")
    # + 1 point of margin: 1 % × amounts drawn × (DSO + value days) / 360
    extra = 0.01 * fac.at["FAC-A", "amounts_drawn"] * (fac.at["FAC-A", "dso_days"] + 2) / 360
    assert dearer.at["FAC-A", "financing_commission"] - fac.at["FAC-A", "financing_commission"] == pytest.approx(extra)
    col = scenario_collection(case, 60, 0.0).set_index("option_id")
    assert col.at["REC-A", "fees"] == 0 and col.at["INS-A", "fees"] == 118_000  # no success fee, subscription kept
    with pytest.raises(DataError):
        scenario_factoring(case, 1.0, -0.05)


def test_solutions_scenario(case):
    same = solutions_scenario(case)
    ref = compare_solutions(case)
    columns = ["annual_cost", "cash_effect", "risk_transferred"]
    assert same[columns].to_numpy().ravel().tolist() == pytest.approx(ref[columns].to_numpy().ravel().tolist())
    cheaper = solutions_scenario(case, success_fee_scale=0.0, handover_days=90).set_index("solution")
    # REC-A without success fees at 90 days: cost = internal cost kept − 240 000 = −2,5 × 202 000 / 3,8
    assert cheaper.at["collection", "offer_id"] == "REC-A"
    assert cheaper.at["collection", "annual_cost"] == pytest.approx(-2.5 * 202_000 / 3.8)
    shown = format_solutions(same)
    assert list(shown.columns)[:4] == ["Solution", "Offre retenue", "Prestataire", "Coût annuel"]
    assert shown["Solution"].tolist() == ["Assurance-crédit", "Affacturage", "Recouvrement externalisé"]


def test_cached_open_items(case):
    cached = with_cached_open_items(case)
    first = cached.open_items("2025-06-30")
    pd.testing.assert_frame_equal(first, case.open_items("2025-06-30"))
    first.loc[:, "amount"] = 0.0  # callers get a copy
    pd.testing.assert_frame_equal(cached.open_items("2025-06-30"), case.open_items("2025-06-30"))
    fewer = replace(cached, invoices=case.invoices.iloc[:100])  # another ledger: no stale cache
    assert len(fewer.open_items("2025-06-30")) != len(cached.open_items("2025-06-30"))
    offers = replace(cached, insurance_offers=case.insurance_offers)
    assert type(offers).__name__ == "CaseStudy" and offers.open_items().equals(case.open_items())


def test_collection_offer_terms(case):
    from casekit.outsourcing.collection import collection_offer_terms

    terms = collection_offer_terms(case.collection_offers)
    assert list(terms.columns) == ["REC-A", "REC-B", "INS-A"]
    assert terms.at["Honoraires de résultat, 0 à 90 jours de retard", "REC-A"] == "8,0\u00a0%"
    assert terms.at["Abonnement annuel (HT)", "INS-A"] == "118\u00a0000\u00a0€"
    assert terms.at["Instruit les litiges", "INS-A"] == "oui" and terms.at["Instruit les litiges", "REC-A"] == "non"
    assert terms.at["ETP internes libérés (annoncé)", "REC-A"] == "2,5"
