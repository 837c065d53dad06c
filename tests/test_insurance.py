"""Credit insurance: policy cost, indemnity on claims, annual deductible and cap, coverage, fil rouge."""

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
    annual_indemnities,
    broker_saving,
    compare_insurance_offers,
    coverage,
    indemnity,
    insolvency_debts,
    insurance_basis,
    past_insolvencies_cost,
    plot_coverage,
    plot_insurance_offers,
    policy_cost,
)

T = pd.Timestamp
POLICY = InsurancePolicy(offer_id="P", premium_rate=0.0021, minimum_premium=60_000, quotite=0.90,
                         discretionary_limit=15_000, discretionary_quotite=0.70, limit_request_fee=45,
                         monitoring_fee_per_buyer=90, waiting_period_days=150, payment_delay_days=30)



def test_premium_above_minimum_with_fees():
    cost = policy_cost(POLICY, 40_000_000, limit_requests=10, approved_buyers=8)
    assert cost.premium == pytest.approx(84_000)  # 40 000 000 × 0,21 % = 84 000 > minimum 60 000
    assert not cost.minimum_applied
    assert cost.limit_request_fees == 450  # 10 requests × 45 = 450
    assert cost.monitoring_fees == 720  # 8 approved buyers × 90 = 720
    assert cost.total == pytest.approx(85_170)  # 84 000 + 450 + 720
    assert cost.cost_rate == pytest.approx(85_170 / 40_000_000)  # 0,213 % of turnover


def test_zero_turnover_pays_the_minimum_premium():
    cost = policy_cost(POLICY, 0)
    assert cost.premium == 60_000 and cost.minimum_applied  # 0 × 0,21 % = 0 < 60 000
    assert math.isnan(cost.cost_rate)


def test_premium_on_granted_limits():
    policy = replace(POLICY, premium_basis="Encours garanti", premium_rate=0.005, minimum_premium=30_000)
    cost = policy_cost(policy, 40_000_000, granted_limits=5_000_000)
    assert cost.basis_amount == 5_000_000
    assert cost.premium == 30_000  # 5 000 000 × 0,5 % = 25 000 < minimum 30 000


def test_broker_saving():
    brokered = replace(POLICY, premium_rate=0.0017, minimum_premium=50_000, limit_request_fee=25,
                       monitoring_fee_per_buyer=60)
    direct = policy_cost(POLICY, 40_000_000, limit_requests=10, approved_buyers=8)
    via = policy_cost(brokered, 40_000_000, limit_requests=10, approved_buyers=8)
    # 68 000 + 10 × 25 + 8 × 60 = 68 730; 85 170 − 68 730 = 16 440
    saving = broker_saving(direct, via)
    assert saving.amount == pytest.approx(16_440)
    assert saving.share == pytest.approx(16_440 / 85_170)


def test_claim_above_the_limit():
    claim = Claim("C1", 24_000, 20_000, T("2025-01-31"), approved_limit=15_000)
    res = indemnity(claim, POLICY)
    assert res.vat_recovered == 4_000  # 24 000 TTC − 20 000 HT: VAT recovered from the Treasury
    assert res.covered_loss == 15_000  # min(20 000 HT, limit 15 000)
    assert res.indemnity == pytest.approx(13_500)  # 15 000 × 90 %
    assert res.cover == "named"


def test_claim_below_the_limit_with_per_claim_deductible():
    policy = replace(POLICY, quotite=0.85, per_claim_deductible=1_500)
    res = indemnity(Claim("C1", 12_000, 10_000, T("2025-01-31"), approved_limit=15_000), policy)
    assert res.indemnity == pytest.approx(7_225)  # (10 000 − 1 500) × 85 % = 7 225


def test_non_named_buyer_uses_the_discretionary_limit_and_quotite():
    res = indemnity(Claim("C1", 24_000, 20_000, T("2025-01-31")), POLICY)
    assert res.cover == "discretionary"
    assert res.indemnity == pytest.approx(10_500)  # min(20 000, 15 000) × 70 % = 10 500


def test_refused_buyer_is_not_covered_even_by_the_discretionary_limit():
    res = indemnity(Claim("C1", 6_000, 5_000, T("2025-01-31"), approved_limit=0), POLICY)
    assert res.cover == "refused" and res.indemnity == 0  # 5 000 < discretionary 15 000, but refused


def test_export_not_covered():
    policy = replace(POLICY, insured_share_export=False)
    res = indemnity(Claim("C1", 5_000, 5_000, T("2025-01-31"), approved_limit=10_000, export=True), policy)
    assert res.cover == "export_excluded" and res.indemnity == 0


def test_timing_protracted_default_and_insolvency():
    res = indemnity(Claim("C1", 1_200, 1_000, T("2025-01-31"), approved_limit=5_000), POLICY)
    # 31/01/2025 + 150 days = 30/06/2025 (28 + 31 + 30 + 31 + 30 = 150), paid 30 days later: 30/07/2025
    assert (res.event, res.constituted_date, res.payment_date) == (
        "protracted_default", T("2025-06-30"), T("2025-07-30"))
    res = indemnity(Claim("C1", 1_200, 1_000, T("2025-01-31"), T("2025-03-15"), 5_000), POLICY)
    assert (res.event, res.constituted_date, res.payment_date) == (
        "insolvency", T("2025-03-15"), T("2025-04-14"))  # judgement date, + 30 days
    res = indemnity(Claim("C1", 1_200, 1_000, T("2025-01-31"), T("2025-08-01"), 5_000), POLICY)
    assert res.constituted_date == T("2025-06-30")  # the default came first


def _claim(day, excl, limit):
    return Claim(f"C{day}", excl * 1.2, excl, T(day) - pd.Timedelta(days=150), approved_limit=limit)


def test_aggregate_deductible_absorbs_the_first_losses_of_the_year():
    policy = replace(POLICY, aggregate_deductible=20_000)
    claims = [_claim("2025-03-01", 10_000, 50_000), _claim("2025-05-01", 15_000, 50_000),
              _claim("2025-09-01", 5_000, 50_000)]
    df = annual_indemnities(claims, policy, premium=84_000)
    # indemnities 9 000, 13 500, 4 500; cumulated 9 000, 22 500, 27 000; minus 20 000 → paid 0, 2 500, 4 500
    assert df["indemnity"].tolist() == pytest.approx([9_000, 13_500, 4_500])
    assert df["indemnity_paid"].tolist() == pytest.approx([0, 2_500, 4_500])
    assert df["aggregate_deductible_applied"].tolist() == pytest.approx([9_000, 11_000, 0])
    assert df["indemnity_paid"].sum() == pytest.approx(27_000 - 20_000)


def test_cap_reached_and_new_year_starts_again():
    policy = replace(POLICY, max_indemnity_multiple=10, aggregate_deductible=1_000)
    claims = [_claim("2025-09-01", 15_000, 50_000), _claim("2025-03-01", 10_000, 50_000),
              _claim("2026-02-01", 10_000, 50_000)]
    df = annual_indemnities(claims, policy, premium=1_000)  # cap = 10 × 1 000 = 10 000 per year
    assert df["customer_id"].tolist() == ["C2025-03-01", "C2025-09-01", "C2026-02-01"]  # date order
    # 2025: 9 000 − 1 000 = 8 000 paid; then 13 500 → cumulated 21 500 after the deductible,
    # capped at 10 000 → 2 000 paid and 11 500 cut; 2026 starts again: 9 000 − 1 000 = 8 000
    assert df["indemnity_paid"].tolist() == pytest.approx([8_000, 2_000, 8_000])
    assert df["cap_applied"].tolist() == pytest.approx([0, 11_500, 0])
    assert df["policy_year"].tolist() == [2025, 2025, 2026]


def test_no_claims():
    assert annual_indemnities([], POLICY, 84_000).empty


def test_bad_parameters_raise_french_errors():
    with pytest.raises(DataError, match="quotite"):
        InsurancePolicy(quotite=1.5)
    with pytest.raises(DataError, match="assiette"):
        InsurancePolicy(premium_basis="Chiffre d'affaires")
    with pytest.raises(DataError, match="négatif"):
        policy_cost(POLICY, -1)
    with pytest.raises(DataError, match="incohérents"):
        Claim("C1", 1_000, 1_200, T("2025-01-31"))


def _items(rows):
    return casekit.canonical_open_items(pd.DataFrame(
        [dict(customer_id=c, customer_name=c, document_ref=f"{c}-{i}", document_date=T("2025-11-01"),
              due_date=T("2025-12-31"), amount=a) for i, (c, a) in enumerate(rows)]))


def test_coverage_splits_each_exposure():
    items = _items([("A", 24_000), ("B", 10_000), ("B2", 20_000), ("C", 5_000), ("D", 3_000), ("E", 2_000),
                    ("E", -2_500)])
    limits = pd.DataFrame({"offer_id": ["P", "P", "Q"], "customer_id": ["A", "C", "B"],
                           "limit_granted": [15_000, 0, 99_999]})
    customers = pd.DataFrame({"customer_id": list("ABCDE") + ["B2"],
                              "country": ["FR", "FR", "FR", "DE", "FR", "FR"]})
    policy = replace(POLICY, discretionary_quotite=0.90, insured_share_export=False)
    df = coverage(items, customers, limits, policy).set_index("customer_id")
    # limit 15 000 × 90 % = 13 500; 15 000 × 10 % = 1 500; 24 000 − 15 000 = 9 000
    assert df.loc["A", ["covered", "uninsured_share", "above_limit"]].tolist() == pytest.approx(
        [13_500, 1_500, 9_000])
    assert df.loc["B", "cover"] == "discretionary"  # the limit of offer Q is ignored
    # B: 10 000 × 90 % = 9 000 and 1 000; B2: min(20 000, 15 000) × 90 % = 13 500, 5 000 above the limit
    assert df.loc["B", ["covered", "uninsured_share"]].tolist() == pytest.approx([9_000, 1_000])
    assert df.loc["B2", ["covered", "above_limit"]].tolist() == pytest.approx([13_500, 5_000])
    assert df.loc["C", ["cover", "refused", "covered"]].tolist() == ["refused", 5_000, 0]
    assert df.loc["D", ["cover", "export_excluded"]].tolist() == ["export_excluded", 3_000]
    assert df.loc["E", "exposure"] == 0  # 2 000 − 2 500 credit, floored at 0
    parts = df[["covered", "uninsured_share", "above_limit", "refused", "export_excluded"]].sum(axis=1)
    assert parts.tolist() == pytest.approx(df["exposure"].tolist())
    assert df.index[0] == "A"  # sorted by exposure


def test_coverage_requires_limit_columns():
    with pytest.raises(DataError, match="limit_granted"):
        coverage(_items([("A", 1)]), None, pd.DataFrame({"customer_id": ["A"]}), POLICY)


def test_fil_rouge_insolvencies_match_the_bad_debt_losses(case):
    debts = insolvency_debts(case)
    assert len(debts) == 5
    # the financial statements book the open amount of failed customers / 1,2 as bad-debt losses
    assert debts["open_excl_vat"].sum() == pytest.approx(case.financials["bad_debt_losses"].sum(), abs=0.05)


def test_fil_rouge_past_insolvencies_under_ass_a_are_absorbed_by_the_aggregate_deductible(case):
    policy = InsurancePolicy.offers_from_table(case.insurance_offers)["ASS-A"]
    df = past_insolvencies_cost(case, policy).set_index("customer_id")
    # C0142: limit in force 1 000 € → 1 000 × 90 % = 900 €, below the 20 000 € aggregate deductible of 2023
    assert df.loc["C0142", "indemnity"] == pytest.approx(900)
    # yearly indemnities 2023: 900; 2024: 13 500 + 4 619,47; 2025: 5 400 + 9 900 — each year < 20 000
    assert df["indemnity_paid"].sum() == 0
    assert (df["net_loss_with"] == df["net_loss_without"]).all()


def test_fil_rouge_compare_offers(case):
    df = compare_insurance_offers(case).set_index("offer_id")
    assert list(df.index) == ["ASS-A", "ASS-B", "ASS-C"]
    items = case.open_items(case.as_of)
    exposure = items.groupby("customer_id")["amount"].sum().clip(lower=0).sum()
    assert df["exposure"].tolist() == pytest.approx([exposure] * 3)
    saving = df.at["ASS-A", "total_cost"] - df.at["ASS-C", "total_cost"]
    assert df.at["ASS-C", "broker_saving"] == pytest.approx(saving)
    assert math.isnan(df.at["ASS-A", "broker_saving"])
    assert df.at["ASS-A", "premium"] == pytest.approx(0.0021 * 40_422_432.20)  # CA HT 2025 × 0,21 %
    assert (df["covered"] + df["residual"]).tolist() == pytest.approx(df["exposure"].tolist())
    assert isinstance(plot_insurance_offers(df.reset_index()), Figure)
    cov = coverage(items, case.customers, case.insurance_limits, InsurancePolicy.offers_from_table(
        case.insurance_offers)["ASS-A"])
    assert isinstance(plot_coverage(cov), Figure)


def test_compare_offers_from_a_basis_is_the_full_computation(case):
    basis = insurance_basis(case)
    for scale in (0.5, 1.0, 1.45):
        offers = case.insurance_offers.assign(premium_rate=case.insurance_offers["premium_rate"] * scale)
        scaled = replace(case, insurance_offers=offers)
        pd.testing.assert_frame_equal(compare_insurance_offers(scaled, basis=basis),
                                      compare_insurance_offers(scaled), check_exact=True)
    # a cap that binds (0,4 × the premium) is applied to the stored claims, which stay unchanged
    capped = case.insurance_offers.assign(max_indemnity_multiple=0.4, aggregate_deductible=0.0)
    other = replace(case, insurance_offers=capped)
    other_basis = insurance_basis(other)
    claims = other_basis.offers["ASS-A"].claims.copy()
    df = compare_insurance_offers(other, basis=other_basis)
    pd.testing.assert_frame_equal(df, compare_insurance_offers(other), check_exact=True)
    pd.testing.assert_frame_equal(other_basis.offers["ASS-A"].claims, claims, check_exact=True)
    assert (df["historical_indemnity"] < df["historical_loss"]).all()
    # a basis of other offers, or of another year, is not used
    pd.testing.assert_frame_equal(compare_insurance_offers(other, basis=basis), df, check_exact=True)
    pd.testing.assert_frame_equal(compare_insurance_offers(case, year=2024, basis=basis),
                                  compare_insurance_offers(case, year=2024), check_exact=True)
