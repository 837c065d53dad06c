"""Credit insurance, teaching helpers of notebook 07: losses, claim anatomy and timeline, limits, residual risk,
policy variants."""

import math
from dataclasses import replace

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import casekit  # noqa: E402
from casekit import DataError  # noqa: E402
from casekit.outsourcing.insurance import (  # noqa: E402
    Claim,
    InsurancePolicy,
    case_policy_cost,
    claim_breakdown,
    claim_timeline,
    compare_insurance_offers,
    coverage,
    coverage_summary,
    declaration_summary,
    disputed_amount,
    evaluate_insurance_policy,
    exposure_by_country,
    indemnity,
    insolvency_burden,
    insolvency_debts,
    insolvency_overview,
    limit_decisions_summary,
    limit_request_needs,
    limit_scenario,
    limit_shortfalls,
    offer_terms_table,
    overdue_declarations,
    plot_claim_breakdown,
    plot_insolvency_losses,
    policy_cost,
    policy_variants,
    saving_by_component,
)

T = pd.Timestamp
POLICY = InsurancePolicy(offer_id="P", premium_rate=0.0021, minimum_premium=60_000, quotite=0.90,
                         discretionary_limit=15_000, discretionary_quotite=0.70, limit_request_fee=45,
                         monitoring_fee_per_buyer=90, waiting_period_days=150, payment_delay_days=30,
                         max_extension_days=60)



AS_OF = T("2025-12-31")


def _items(rows, as_due=AS_OF):
    """rows: (customer, amount[, due date[, disputed]])."""
    data = []
    for i, row in enumerate(rows):
        c, a = row[0], row[1]
        due = row[2] if len(row) > 2 else as_due
        data.append(dict(customer_id=c, customer_name=f"Client {c}", document_ref=f"{c}-{i}",
                         document_date=T("2025-09-01"), due_date=due, amount=a,
                         disputed=row[3] if len(row) > 3 else False))
    return casekit.canonical_open_items(pd.DataFrame(data))


def test_insolvency_burden():
    fin = pd.DataFrame({"year": [2024, 2025], "revenue_excl_vat": [1_000_000, 1_000_000],
                        "gross_margin": [250_000, 250_000], "bad_debt_losses": [20_000, 10_000],
                        "net_income": [50_000, 70_000]})
    b = insolvency_burden(fin)
    assert b.loss_excl_vat == 30_000 and b.annual_loss == 15_000  # 20 000 + 10 000, / 2 years
    assert b.gross_margin_rate == pytest.approx(0.25)  # 500 000 / 2 000 000
    assert b.sales_equivalent == pytest.approx(120_000)  # 30 000 / 25 %
    assert b.share_of_net_income == pytest.approx(0.25)  # 30 000 / 120 000


def test_insolvency_burden_edge_cases():
    fin = pd.DataFrame({"revenue_excl_vat": [100.0], "gross_margin": [-10.0], "bad_debt_losses": [5.0],
                        "net_income": [-20.0]})
    b = insolvency_burden(fin)
    assert math.isnan(b.sales_equivalent) and math.isnan(b.share_of_net_income)  # no margin, no profit
    with pytest.raises(DataError, match="sans chiffre d'affaires"):
        insolvency_burden(fin.iloc[0:0])
    with pytest.raises(DataError, match="net_income"):
        insolvency_burden(fin.drop(columns="net_income"))


def test_claim_breakdown_adds_up_to_the_debt_incl_vat():
    policy = replace(POLICY, per_claim_deductible=1_000)
    res = indemnity(Claim("C1", 24_000, 20_000, T("2025-01-31"), approved_limit=15_000), policy)
    parts = claim_breakdown(res).set_index("part")["amount"]
    # limit 15 000: (15 000 − 1 000) × 90 % = 12 600 indemnity; 14 000 × 10 % = 1 400 uninsured;
    # 20 000 − 15 000 = 5 000 above the limit; 24 000 − 20 000 = 4 000 VAT
    assert parts.to_dict() == pytest.approx({"vat_recovered": 4_000, "indemnity": 12_600,
                                             "uninsured_share": 1_400, "deductible": 1_000,
                                             "above_limit": 5_000})
    assert parts.sum() == pytest.approx(24_000)
    assert isinstance(plot_claim_breakdown(claim_breakdown(res)), Figure)


def test_claim_breakdown_of_a_refused_buyer():
    res = indemnity(Claim("C1", 6_000, 5_000, T("2025-01-31"), approved_limit=0), POLICY)
    df = claim_breakdown(res).set_index("part")
    assert df.loc["above_limit", "amount"] == 5_000 and df.loc["indemnity", "amount"] == 0
    assert df.loc["uninsured_share", "amount"] == 0  # quotité 0: nothing to split, and no "-0"
    assert "refusé" in df.loc["above_limit", "label"]


def test_claim_timeline_insolvency_first():
    claim = Claim("C1", 1_200, 1_000, T("2025-01-31"), T("2025-03-15"), 5_000)
    df = claim_timeline(claim, POLICY)
    dates = dict(zip(df["days_after_due"], df["date"]))
    # declaration deadline 31/01 + 60 days = 01/04 (28 + 31 + 1); judgement 15/03 = day 43; paid 14/04
    assert dates[60] == T("2025-04-01") and dates[43] == T("2025-03-15") and dates[73] == T("2025-04-14")
    assert list(df["date"]) == sorted(df["date"])
    assert "sans objet" in df["event"].iloc[-1]  # 31/01 + 150 days = 30/06, after the judgement


def test_claim_timeline_protracted_default():
    df = claim_timeline(Claim("C1", 1_200, 1_000, T("2025-01-31"), approved_limit=5_000), POLICY)
    assert len(df) == 5  # no judgement
    assert df["event"].str.contains("carence").any()
    assert df["days_after_due"].tolist() == [0, 60, 150, 150, 180]  # constituted at 150, paid 30 days later


def _limits():
    return pd.DataFrame({"offer_id": ["P", "P", "P", "Q"], "customer_id": ["A", "B", "C", "A"],
                         "limit_requested": [30_000.0, 20_000.0, 10_000.0, 5_000.0],
                         "limit_granted": [15_000.0, 20_000.0, 0.0, 5_000.0],
                         "decision": ["Accord partiel", "Accord total", "Refus", "Accord total"]})


def test_limit_scenarios():
    limits = _limits()
    assert limit_scenario(limits, "P")["limit_granted"].tolist() == [15_000, 20_000, 0]
    assert limit_scenario(limits, "P", "requested")["limit_granted"].tolist() == [30_000, 20_000, 10_000]
    assert limit_scenario(limits, "P", "none").empty
    with pytest.raises(DataError, match="scénario"):
        limit_scenario(limits, "P", "all")


def test_limit_decisions_summary():
    df = limit_decisions_summary(_limits()).set_index(["offer_id", "decision"])
    assert list(df.loc["P"].index) == ["Accord total", "Accord partiel", "Refus", "Total"]
    assert df.loc[("P", "Total"), "requests"] == 3
    # requested 30 000 + 20 000 + 10 000 = 60 000; granted 15 000 + 20 000 = 35 000; 35 / 60
    assert df.loc[("P", "Total"), "granted_rate"] == pytest.approx(35_000 / 60_000)
    assert df.loc[("P", "Accord partiel"), "granted_rate"] == pytest.approx(0.5)  # 15 000 / 30 000


def test_coverage_summary_and_shortfalls():
    items = _items([("A", 24_000), ("B", 10_000), ("C", 5_000), ("D", 40_000), ("E", 1_000), ("E", -3_000)])
    cov = coverage(items, None, _limits(), POLICY)
    summary = coverage_summary(cov).set_index("part")
    # A: 15 000 × 90 % = 13 500 covered; B: 10 000 × 90 % = 9 000; D (no request): 15 000 × 70 % = 10 500
    assert summary.loc["covered", "amount"] == pytest.approx(33_000)
    # 1 500 (A) + 1 000 (B) + 4 500 (D: 15 000 × 30 %)
    assert summary.loc["uninsured_share", "amount"] == pytest.approx(7_000)
    assert summary.loc["above_limit", "amount"] == pytest.approx(34_000)  # A 9 000 + D 25 000
    assert summary.loc["refused", ["amount", "customers"]].tolist() == [5_000, 1]
    assert summary.loc["exposure", "amount"] == 79_000  # 24 000 + 10 000 + 5 000 + 40 000 (E floored at 0)
    assert summary.loc["covered", "share"] == pytest.approx(33_000 / 79_000)
    assert summary.loc[["covered"] + list(summary.index[1:5]), "amount"].sum() == pytest.approx(79_000)
    short = limit_shortfalls(cov, _limits(), "P")
    assert short["customer_id"].tolist() == ["D", "A", "C"]  # uncovered 25 000, 9 000, 5 000
    assert short["decision"].tolist() == ["Pas de demande", "Accord partiel", "Refus"]
    assert short["uncovered"].tolist() == [25_000, 9_000, 5_000]


def test_limit_request_needs():
    items = _items([("A", 10_000), ("B", 40_000), ("C", 100_000), ("D", 500), ("D", -800)])
    needs = limit_request_needs(items, 25_000)
    assert (needs.customers, needs.customers_above) == (3, 2)  # D nets to −300: no exposure
    assert needs.within_limit == 60_000  # 10 000 + 25 000 + 25 000
    assert needs.excess == 90_000  # 15 000 + 75 000
    assert needs.exposure_above == 140_000
    assert needs.within_share == pytest.approx(60_000 / 150_000)
    empty = limit_request_needs(items.iloc[0:0], 25_000)
    assert empty.customers == 0 and math.isnan(empty.within_share)
    with pytest.raises(DataError, match="négative"):
        limit_request_needs(items, -1)


def test_overdue_declarations():
    as_of = T("2025-12-31")
    items = _items([("A", 1_000, T("2025-10-01")), ("A", 500, T("2025-12-15")), ("A", 700, T("2026-01-31")),
                    ("B", 2_000, T("2025-11-10")), ("C", 3_000, T("2025-12-20")), ("D", -400, T("2025-09-01"))])
    df = overdue_declarations(items, as_of, 60, horizon_days=15)
    # A: oldest 01/10 + 60 = 30/11, 31 days late; overdue 1 000 + 500 (the 31/01/2026 item is not due)
    # B: 10/11 + 60 = 09/01/2026, 9 days left; C: 20/12 + 60 = 18/02/2026, 49 days left → not listed
    assert df["customer_id"].tolist() == ["A", "B"]
    assert df["overdue_amount"].tolist() == [1_500, 2_000]
    assert df["days_left"].tolist() == [-31, 9] and df["status"].tolist() == ["late", "soon"]
    assert df["days_overdue"].tolist() == [91, 51]
    summary = declaration_summary(df).set_index("status")
    assert summary.loc["late", ["customers", "overdue_amount"]].tolist() == [1, 1_500]
    assert summary.loc["soon", ["customers", "overdue_amount"]].tolist() == [1, 2_000]
    assert overdue_declarations(items, T("2025-09-30"), 60).empty  # nothing overdue yet (D is a credit)
    assert declaration_summary(overdue_declarations(items, T("2025-09-30"), 60))["customers"].tolist() == [0, 0]
    with pytest.raises(DataError, match="négatifs"):
        overdue_declarations(items, as_of, -1)


def test_disputed_amount():
    items = _items([("A", 1_000, T("2025-10-01"), True), ("A", -200, T("2025-10-01"), True),
                    ("B", 3_000, T("2025-10-01"), False)])
    assert disputed_amount(items) == 1_000  # the disputed credit is not netted, undisputed B is excluded
    assert disputed_amount(items.iloc[0:0]) == 0


def test_exposure_by_country():
    items = _items([("A", 6_000), ("B", 3_000), ("C", 1_000), ("D", 500), ("D", -900)])
    customers = pd.DataFrame({"customer_id": ["A", "B", "D"], "country": ["FR", "MA", "MA"],
                              "country_name": ["France", "Maroc", "Maroc"]})
    df = exposure_by_country(items, customers).set_index("country")
    assert df.loc["FR", ["customers", "exposure"]].tolist() == [2, 7_000]  # A + C (unknown = France)
    assert df.loc["MA", ["country_name", "exposure"]].tolist() == ["Maroc", 3_000]  # D floored at 0
    assert df.loc["MA", "share"] == pytest.approx(0.3)  # 3 000 / 10 000


def test_saving_by_component():
    brokered = replace(POLICY, premium_rate=0.0017, minimum_premium=50_000, limit_request_fee=25,
                       monitoring_fee_per_buyer=60)
    direct = policy_cost(POLICY, 40_000_000, limit_requests=10, approved_buyers=8)
    via = policy_cost(brokered, 40_000_000, limit_requests=10, approved_buyers=8)
    df = saving_by_component(direct, via).set_index("component")["saving"]
    # premium 84 000 − 68 000 = 16 000; requests 450 − 250 = 200; monitoring 720 − 480 = 240; total 16 440
    assert df.to_dict() == pytest.approx({"premium": 16_000, "limit_request_fees": 200, "monitoring_fees": 240,
                                          "total": 16_440})


def test_fil_rouge_overview_and_plot(case):
    df = insolvency_overview(case)
    assert len(df) == 5 and df["insolvency_date"].is_monotonic_increasing
    assert df["loss_excl_vat"].sum() == pytest.approx(case.financials["bad_debt_losses"].sum(), abs=0.05)
    row = df.set_index("customer_id").loc["C0142"]
    assert row["days_unpaid"] == 115  # 21/01/2023 → 16/05/2023: 10 + 28 + 31 + 30 + 16
    assert row["vat_recoverable"] == pytest.approx(row["open_incl_vat"] - row["loss_excl_vat"])
    assert isinstance(plot_insolvency_losses(df), Figure)
    assert isinstance(insolvency_burden(case.financials).sales_equivalent, float)


def test_fil_rouge_evaluation_matches_the_comparison(case):
    offers = InsurancePolicy.offers_from_table(case.insurance_offers)
    table = compare_insurance_offers(case).set_index("offer_id")
    debts = insolvency_debts(case)
    for key, policy in offers.items():
        ev = evaluate_insurance_policy(case, policy, debts=debts)
        assert ev.cost.total == pytest.approx(table.at[key, "total_cost"])
        assert ev.covered == pytest.approx(table.at[key, "covered"])
        assert ev.net_cost == pytest.approx(table.at[key, "net_cost"])
    policy = offers["ASS-A"]
    full = evaluate_insurance_policy(case, policy, limits=limit_scenario(case.insurance_limits, "ASS-A",
                                                                         "requested"), debts=debts)
    none = evaluate_insurance_policy(case, policy, limits=limit_scenario(case.insurance_limits, "ASS-A", "none"),
                                     debts=debts)
    base = evaluate_insurance_policy(case, policy, debts=debts)
    assert none.covered < base.covered < full.covered
    assert none.cost.limit_request_fees == 0 and none.cost.monitoring_fees == 0  # no request, no fee
    # ASS-B has no aggregate deductible: 0 applied, never "-0,00 €" once formatted
    applied = evaluate_insurance_policy(case, offers["ASS-B"], debts=debts).past["aggregate_deductible_applied"]
    assert all(math.copysign(1.0, v) > 0 for v in applied)


def test_fil_rouge_policy_variants(case):
    policy = InsurancePolicy.offers_from_table(case.insurance_offers)["ASS-A"]
    df = policy_variants(case, policy, {"taux": dict(premium_rate=0.0017), "quotité": dict(quotite=0.95)})
    turnover = case_policy_cost(case, policy).turnover
    assert df["variant"].tolist() == ["Offre de base", "taux", "quotité"]
    # −0,04 point on the insured turnover, above the minimum premium either way
    assert df.loc[1, "total_change"] == pytest.approx(-0.0004 * turnover)
    assert df.loc[2, "covered"] > df.loc[0, "covered"] and df.loc[2, "total_change"] == 0


def test_offer_terms_table():
    other = replace(POLICY, offer_id="Q", via_broker=True, broker="Courtier X", insured_share_export=False)
    df = offer_terms_table({"P": POLICY, "Q": other})
    assert list(df.columns) == ["P", "Q"]
    assert df.at["Taux de prime", "P"] == "0,21\u00a0% du CA assuré"  # two decimals: 0,0021 → 0,21 %
    assert df.at["Prime minimale annuelle", "P"] == "60\u00a0000\u00a0€"
    assert df.at["Courtier", "P"].startswith("aucun") and df.at["Courtier", "Q"] == "Courtier X"
    assert df.at["Ventes à l'export couvertes", "Q"] == "non"
    assert df.at["Délai constitutif de sinistre (jours après l'échéance)", "P"] == "150"
