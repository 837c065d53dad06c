"""Outsourced collection: in-house cost, agency fees, real cost of each option, sensitivity, fil rouge."""

import math
from dataclasses import replace

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import casekit  # noqa: E402
from casekit import DataError  # noqa: E402
from casekit.outsourcing.collection import (  # noqa: E402
    DEFAULT_IN_HOUSE_RECOVERY,
    IN_HOUSE,
    CollectionOffer,
    InHouseTeam,
    age_band,
    agency_cost,
    compare_options,
    historical_recovery,
    in_house_cost,
    option_result,
    overdue_flow,
    overdue_stock,
    plot_options,
    plot_sensitivity,
    real_cost_of_options,
    sensitivity,
    takeovers,
)

T = pd.Timestamp
AGENCY = CollectionOffer(offer_id="AG", success_fee_0_90=0.08, success_fee_91_180=0.12,
                         success_fee_181_365=0.18, success_fee_over_365=0.25, recovery_0_90=0.88,
                         recovery_91_180=0.68, recovery_181_365=0.45, recovery_over_365=0.20,
                         min_file_amount=300, internal_fte_saved=1)
PLATFORM = CollectionOffer(offer_id="PF", file_fee=8, annual_subscription=24_000, minimum_annual_fee=30_000,
                           success_fee_0_90=0.05, recovery_0_90=0.90)
TEAM = InHouseTeam(fte=2, salaries=100_000, overhead=20_000)


def test_age_bands():
    assert age_band([0, 90, 91, 180, 181, 365, 366]).tolist() == [
        "0-90", "0-90", "91-180", "91-180", "181-365", "181-365", ">365"]


def test_default_in_house_curve_decreases_with_age():
    assert list(DEFAULT_IN_HOUSE_RECOVERY) == sorted(DEFAULT_IN_HOUSE_RECOVERY, reverse=True)
    assert TEAM.recovery_rates == {"0-90": 0.90, "91-180": 0.65, "181-365": 0.40, ">365": 0.15}


def test_agency_cost_by_band():
    c = agency_cost(AGENCY, {"0-90": 10_000, "91-180": 5_000, ">365": 2_000}, files=3)
    # 10 000 × 88 % + 5 000 × 68 % + 2 000 × 20 % = 8 800 + 3 400 + 400
    assert c.recovered == pytest.approx(12_600)
    assert c.success_fees == pytest.approx(1_212)  # 8 800 × 8 % + 3 400 × 12 % + 400 × 25 % = 704 + 408 + 100
    assert c.fees == pytest.approx(1_212) and c.minimum_top_up == 0
    assert c.net_recovered == pytest.approx(11_388)  # 12 600 − 1 212


def test_platform_minimum_annual_fee():
    c = agency_cost(PLATFORM, {"0-90": 100_000}, files=50)
    # 100 000 × 90 % × 5 % = 4 500; + 50 × 8 = 400; + 24 000 = 28 900 < minimum 30 000
    assert c.success_fees == pytest.approx(4_500)
    assert c.file_fees == 400
    assert c.minimum_top_up == pytest.approx(1_100)
    assert c.fees == 30_000


def test_success_fee_zero():
    free = replace(PLATFORM, success_fee_0_90=0.0, minimum_annual_fee=0)
    c = agency_cost(free, {"0-90": 100_000}, files=0)
    assert c.success_fees == 0 and c.fees == 24_000  # the subscription only
    assert c.net_recovered == pytest.approx(66_000)  # 90 000 − 24 000


def test_in_house_cost():
    c = in_house_cost(TEAM, files=400, amount_collected=2_400_000, hours_per_file=2)
    assert c.total == 120_000  # 100 000 salaries + 20 000 overhead
    assert c.cost_per_file == 300  # 120 000 / 400
    assert c.cost_per_euro == pytest.approx(0.05)  # 120 000 / 2 400 000
    assert c.hourly_cost == pytest.approx(120_000 / 3_214)  # 2 FTE × 1 607 h = 3 214 h → 37,34 €/h
    assert c.time_cost_per_file == pytest.approx(2 * 120_000 / 3_214)
    assert c.capacity_files == pytest.approx(1_607)  # 3 214 h / 2 h
    assert math.isnan(in_house_cost(TEAM, 0, 0).cost_per_file)


FILES = pd.DataFrame({"file_id": ["A", "B", "C"], "band": ["0-90", "0-90", "91-180"],
                      "amount": [10_000.0, 200.0, 5_000.0], "disputed": [False, False, True]})


def test_option_result_by_hand():
    res = option_result(FILES, TEAM, AGENCY)
    # taken: A only (B below the 300 minimum, C disputed): 10 000 × 88 % = 8 800, fee 8 % = 704
    assert res["transmitted"] == 10_000 and res["fees"] == pytest.approx(704)
    # kept in-house: 200 × 90 % + 5 000 × 65 % = 180 + 3 250 = 3 430; recovered 8 800 + 3 430 = 12 230
    assert res["recovered"] == pytest.approx(12_230)
    assert res["internal_cost"] == pytest.approx(70_000)  # 120 000 − 1 FTE × 50 000
    assert res["real_cost"] == pytest.approx(70_704)
    assert res["net_cash"] == pytest.approx(12_230 - 70_704)
    base = option_result(FILES, TEAM)
    assert base["recovered"] == pytest.approx(12_430)  # 10 200 × 90 % + 5 000 × 65 % = 9 180 + 3 250
    assert base["real_cost"] == 120_000 and base["option_id"] == IN_HOUSE


def test_compare_options_and_no_overdue_items():
    df = compare_options(FILES, TEAM, [AGENCY])
    assert df["net_cash_vs_in_house"].tolist() == pytest.approx([0, (12_230 - 70_704) - (12_430 - 120_000)])
    assert df["best"].tolist() == [False, True]
    empty = compare_options(FILES.iloc[0:0], TEAM, [AGENCY, PLATFORM])
    assert empty["recovered"].tolist() == [0, 0, 0]
    # in-house 120 000; AG: 120 000 − 50 000 saved; PF: minimum 30 000 + 120 000
    assert empty["net_cash"].tolist() == pytest.approx([-120_000, -70_000, -150_000])


def test_sensitivity_grid():
    grid = sensitivity(FILES, TEAM, [AGENCY], fee_scales=(0.0, 1.0), recovery_scales=(0.5, 1.0))
    assert len(grid) == 8  # (in-house + 1 offer) × 2 × 2
    g = grid.set_index(["option_id", "fee_scale", "recovery_scale"])
    # no success fee, recovery halved: 10 000 × 44 % = 4 400 + 3 430 in-house; cost 70 000
    assert g.at[("AG", 0.0, 0.5), "net_cash"] == pytest.approx(4_400 + 3_430 - 70_000)
    assert g.at[("AG", 1.0, 1.0), "net_cash"] == pytest.approx(12_230 - 70_704)
    assert isinstance(plot_sensitivity(grid), Figure)


def test_takeovers_by_hand_once_per_rule():
    known = {}
    scaled = AGENCY.scaled(2.0, 0.5)  # other fees and rates, same take rule (minimum 300 €, no dispute)
    home, agency, platform, again = takeovers(FILES, [None, AGENCY, PLATFORM, scaled], known)
    assert home.transmitted.tolist() == [0, 0, 0, 0] and home.files == 0
    assert home.kept.tolist() == [10_200, 5_000, 0, 0]  # A + B in 0-90, C in 91-180
    # AG takes A only (B: 200 < 300, C disputed); PF (no minimum) takes A and B
    assert agency.transmitted.tolist() == [10_000, 0, 0, 0] and agency.kept.tolist() == [200, 5_000, 0, 0]
    assert platform.transmitted.tolist() == [10_200, 0, 0, 0] and platform.files == 2
    assert again is agency and len(known) == 3  # in-house, AG's rule, PF's rule
    # a known takeover is reused as is: here a made-up one (5 000 transmitted in 0-90, 1 file, nothing kept)
    known[(300, False)] = type(agency)(agency.transmitted / 2, agency.kept * 0, 1)
    res = compare_options(FILES, TEAM, [AGENCY], known=known).set_index("option_id")
    assert res.at["AG", "recovered"] == pytest.approx(4_400)  # 5 000 × 88 %
    plain = compare_options(FILES, TEAM, [AGENCY, PLATFORM, scaled])
    pd.testing.assert_frame_equal(compare_options(FILES, TEAM, [AGENCY, PLATFORM, scaled], known={}), plain,
                                  check_exact=True)


def test_sensitivity_is_option_result_on_each_scaled_offer():
    grid = sensitivity(FILES, TEAM, [AGENCY, PLATFORM], fee_scales=(0.0, 1.3), recovery_scales=(0.8, 1.0, 1.2))
    expected = [(IN_HOUSE, f, r, option_result(FILES, TEAM)) for f in (0.0, 1.3) for r in (0.8, 1.0, 1.2)]
    expected += [(o.offer_id, f, r, option_result(FILES, TEAM, o.scaled(f, r)))
                 for o in (AGENCY, PLATFORM) for f in (0.0, 1.3) for r in (0.8, 1.0, 1.2)]
    assert list(grid.itertuples(index=False, name=None)) == [
        (option, f, r, res["real_cost"], res["net_cash"]) for option, f, r, res in expected]


def test_overdue_flow_by_hand():
    invoices = pd.DataFrame({
        "document_ref": ["I1", "I2", "I3", "I4"], "customer_id": ["A", "A", "B", "B"],
        "due_date": pd.to_datetime(["2025-06-30", "2025-09-30", "2025-12-15", "2024-09-01"]),
        "amount_incl_vat": [1_000.0, 500.0, 800.0, 700.0]})
    payments = pd.DataFrame({"document_ref": ["I1", "I2", "I1"], "customer_id": ["A", "A", "A"],
                             "payment_date": pd.to_datetime(["2025-07-15", "2025-10-05", "2025-09-15"]),
                             "amount": [400.0, 500.0, 600.0]})
    flow = overdue_flow(invoices, payments, "2025-12-31", handover_days=60)
    # I1: handover 29/08/2025, 1 000 − 400 = 600 open; I2 paid before; I3 handover in 2026; I4 before the year
    assert flow[["document_ref", "amount", "band"]].values.tolist() == [["I1", 600.0, "0-90"]]
    assert flow["file_id"].tolist() == ["A:2025-08"]


def _items():
    rows = [("A", "1", "2025-01-01", "2025-02-01", 100), ("A", "2", "2025-11-01", "2025-12-01", 50),
            ("B", "3", "2025-12-01", "2026-01-31", 70), ("C", "4", "2025-01-01", "2025-03-01", 90),
            ("A", "5", "2025-12-01", "2025-12-01", -20)]
    return casekit.canonical_open_items(pd.DataFrame(
        rows, columns=["customer_id", "document_ref", "document_date", "due_date", "amount"]))


def test_overdue_stock():
    stock = overdue_stock(_items(), "2025-12-31", exclude_customers=["C"]).set_index("document_ref")
    # 1: 01/02 → 31/12 = 333 days; 2: 30 days; 3 not yet due; 4 excluded; 5 a credit
    assert stock["days_overdue"].to_dict() == {"1": 333, "2": 30}
    assert stock["band"].to_dict() == {"1": "181-365", "2": "0-90"}
    assert overdue_stock(_items(), "2024-12-31").empty  # before any due date


def test_historical_recovery():
    payments = pd.DataFrame({"document_ref": ["1", "2", "2"], "payment_method": ["Virement", "Virement",
                                                                                 "Imputation d'avoir"],
                             "payment_date": pd.to_datetime(["2026-03-01", "2027-06-01", "2026-01-15"]),
                             "amount": [100.0, 50.0, 20.0]})
    curve = historical_recovery(_items(), payments, "2025-12-31").set_index("band")
    # 181-365: items 1 (333 days, 100) and 4 (305 days, 90) = 190, of which 100 paid within a year → 52,6 %
    # 0-90: item 2 (50), nothing paid in cash within the year (the credit-note offset does not count, the
    # transfer comes after 365 days)
    assert curve.at["181-365", "amount"] == 190
    assert curve.at["181-365", "recovery_rate"] == pytest.approx(100 / 190)
    assert curve.at["0-90", "amount"] == 50 and curve.at["0-90", "recovery_rate"] == 0
    assert math.isnan(curve.at[">365", "recovery_rate"])


def test_bad_input():
    with pytest.raises(DataError, match="success_fee_0_90"):
        CollectionOffer(success_fee_0_90=1.2)
    with pytest.raises(DataError, match="ETP"):
        InHouseTeam(fte=0, salaries=1)
    with pytest.raises(DataError, match="négatifs"):
        agency_cost(AGENCY, {"0-90": -1}, files=1)


def test_fil_rouge_options():
    case = casekit.load_case()
    df = real_cost_of_options(case).set_index("option_id")
    assert list(df.index) == [IN_HOUSE, "REC-A", "REC-B", "INS-A"]
    # salaries 58 000 + 49 000 + 41 000 + 54 000 + overhead 38 000 = 240 000
    assert df.at[IN_HOUSE, "real_cost"] == pytest.approx(240_000)
    # REC-A saves 2,5 FTE of the 3,8 FTE team at 202 000 / 3,8 = 53 157,89 € each
    assert df.at["REC-A", "internal_cost"] == pytest.approx(240_000 - 2.5 * 202_000 / 3.8)
    assert df.at["INS-A", "fees"] == 118_000  # subscription = minimum, no success fee
    assert (df["transmitted"] + df["kept_in_house"]).tolist() == pytest.approx(df["amount"].tolist())
    failed = set(case.customers.loc[case.customers["insolvency_date"].notna(), "customer_id"])
    assert df["amount"].nunique() == 1 and df["best"].sum() == 1
    from casekit.outsourcing.collection import collection_portfolio
    files = collection_portfolio(case)
    assert not files["customer_id"].isin(failed).any()
    assert isinstance(plot_options(df.reset_index()), Figure)
