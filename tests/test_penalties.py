"""Late-payment penalties (art. L441-10 and D441-5 C. com.) and the LME check of payment terms."""

import pandas as pd
import pytest

from casekit import DataError
from casekit.credit.penalties import (
    check_contractual_rate,
    check_payment_terms,
    ecb_rate_history,
    ecb_rate_on,
    legal_interest_rate,
    legal_interest_rate_history,
    legal_penalty_rate,
    minimum_contractual_rate,
    penalties,
    penalties_by_customer,
    penalties_on_paid_invoices,
)
from casekit.openitems import canonical_open_items


def ledger(rows):
    df = pd.DataFrame(rows, columns=["customer_id", "document_ref", "document_date", "due_date", "amount"])
    return canonical_open_items(df.assign(customer_name=df["customer_id"] + " SAS"))


# --- reference rates ---------------------------------------------------------------------------------------

def test_reference_tables():
    ecb = ecb_rate_history()
    assert ecb["effective_date"].is_monotonic_increasing
    assert ecb["effective_date"].min() <= pd.Timestamp("2015-01-01")
    legal = legal_interest_rate_history()
    assert len(legal) == len(legal.drop_duplicates(["year", "half"]))
    assert {(2015, 1), (2025, 2)} <= set(zip(legal["year"], legal["half"]))


@pytest.mark.parametrize("date, rate", [
    ("2015-01-01", 0.0005), ("2016-03-15", 0.0005), ("2016-03-16", 0.0), ("2022-07-27", 0.005),
    ("2024-01-01", 0.045), ("2024-06-12", 0.0425), ("2024-07-01", 0.0425), ("2024-12-18", 0.0315),
    ("2025-01-01", 0.0315), ("2025-02-05", 0.029), ("2025-07-01", 0.0215), ("2026-01-01", 0.0215),
])
def test_ecb_rate_on(date, rate):
    assert ecb_rate_on(date) == pytest.approx(rate)


def test_ecb_rate_before_history():
    with pytest.raises(DataError, match="taux BCE inconnu"):
        ecb_rate_on("2014-01-01")


@pytest.mark.parametrize("date, rate", [
    # ECB rate on 1 January / 1 July + 10 points
    ("2023-03-31", 0.125),  # 2,50 % on 01/01/2023
    ("2023-09-30", 0.14),  # 4,00 % on 01/07/2023
    ("2024-02-15", 0.145),  # 4,50 % on 01/01/2024
    ("2024-12-31", 0.1425),  # 4,25 % on 01/07/2024 (the cut to 3,65 % on 18/09 waits for 2025)
    ("2025-01-01", 0.1315),  # 3,15 % on 01/01/2025 (cut of 18/12/2024)
    ("2025-06-30", 0.1315),  # the cuts of February–June 2025 do not change the first half-year
    ("2025-07-01", 0.1215),  # 2,15 % on 01/07/2025
])
def test_legal_penalty_rate(date, rate):
    assert legal_penalty_rate(date) == pytest.approx(rate)


def test_legal_interest_rate_and_floor():
    assert legal_interest_rate("2024-03-01") == pytest.approx(0.0507)
    assert legal_interest_rate("2025-12-31") == pytest.approx(0.0276)
    # floor = 3 × legal interest rate: 3 × 5,07 % = 15,21 % (H1 2024); 3 × 2,76 % = 8,28 % (H2 2025)
    assert minimum_contractual_rate("2024-03-01") == pytest.approx(0.1521)
    assert minimum_contractual_rate("2025-08-01") == pytest.approx(0.0828)
    with pytest.raises(DataError, match="second semestre 2026"):
        legal_interest_rate("2026-09-01")


def test_check_contractual_rate():
    ok = check_contractual_rate(0.12, "2025-08-01")  # 12 % ≥ 8,28 %
    assert ok.compliant and ok.minimum == pytest.approx(0.0828) and "conforme" in ok.message
    exact = check_contractual_rate(0.0828, "2025-08-01")
    assert exact.compliant
    low = check_contractual_rate(0.12, "2024-03-01")  # 12 % < 15,21 % in H1 2024
    assert not low.compliant
    assert "15,21" in low.message and "premier semestre 2024" in low.message


# --- penalties on open items -------------------------------------------------------------------------------

def test_penalty_by_hand_one_half_year():
    items = ledger([("A", "F1", "2025-02-01", "2025-03-31", 10_000.0)])
    out = penalties(items, "2025-04-30")
    row = out.iloc[0]
    # 30 days late (01/04 → 30/04) at 3,15 % + 10 = 13,15 %: 10 000 × 13,15 % × 30 / 365 = 108,08 €
    assert row["days_late"] == 30
    assert row["rate"] == pytest.approx(0.1315)
    assert row["penalty"] == pytest.approx(108.08)
    assert row["indemnity"] == 40.0 and row["total"] == pytest.approx(148.08)


def test_penalty_spanning_two_half_years():
    items = ledger([("A", "F1", "2025-02-01", "2025-03-31", 10_000.0)])
    row = penalties(items, "2025-08-31").iloc[0]
    # 01/04–30/06: 91 days at 13,15 %; 01/07–31/08: 62 days at 12,15 %
    # 10 000 × (0,1315 × 91 + 0,1215 × 62) / 365 = 10 000 × 19,4995 / 365 = 534,23 €
    assert row["days_late"] == 153
    assert row["penalty"] == pytest.approx(534.23)
    assert row["rate"] == pytest.approx((0.1315 * 91 + 0.1215 * 62) / 153, abs=1e-6)


def test_penalty_contractual_rate():
    items = ledger([("A", "F1", "2025-06-01", "2025-07-31", 3_650.0)])
    row = penalties(items, "2025-08-30", rate=0.12).iloc[0]
    # 30 days at 12 % (≥ floor 8,28 %): 3 650 × 12 % × 30 / 365 = 36,00 €
    assert row["penalty"] == pytest.approx(36.0)
    with pytest.raises(DataError, match="non conforme"):
        penalties(items, "2025-08-30", rate=0.05)  # below 3 × 2,76 % = 8,28 %


def test_penalties_selection_and_edge_cases():
    items = ledger([
        ("A", "F1", "2025-10-01", "2025-12-31", 1_000.0),  # due on as_of: not late
        ("A", "F2", "2025-10-01", "2026-01-31", 1_000.0),  # not due
        ("A", "R1", "2025-11-01", "2025-11-01", -500.0),  # credit: no penalty
        ("B", "F3", "2025-10-01", "2025-12-30", 7_300.0),  # 1 day late
        ("B", "F4", "2026-01-02", "2025-12-01", 999.0),  # issued after as_of
    ])
    out = penalties(items, "2025-12-31")
    assert list(out["document_ref"]) == ["F3"]
    # 7 300 × 12,15 % × 1 / 365 = 2,43 €
    assert out["penalty"].iloc[0] == pytest.approx(2.43)
    assert penalties(items, "2025-01-01").empty  # as_of before any invoice
    assert penalties(items.iloc[:0], "2025-12-31").empty
    empty = penalties(items.iloc[:0], "2025-12-31")
    assert list(empty.columns)[-4:] == ["rate", "penalty", "indemnity", "total"]


def test_penalties_stop_at_insolvency_judgment():
    items = ledger([
        ("A", "F1", "2025-02-01", "2025-03-31", 10_000.0),  # born and due before the judgment of 15/04/2025
        ("A", "F2", "2025-03-01", "2025-04-30", 7_300.0),  # born before, due after the judgment
        ("A", "F3", "2025-05-02", "2025-05-30", 7_300.0),  # born after the judgment: normal rules
        ("B", "F4", "2025-02-01", "2025-03-31", 10_000.0),  # no procedure
    ])
    judgments = pd.Series({"A": pd.Timestamp("2025-04-15"), "B": pd.NaT})
    out = penalties(items, "2025-05-31", insolvency_dates=judgments).set_index("document_ref")
    # F1: interest from 01/04 to 14/04 = 14 days: 10 000 × 13,15 % × 14 / 365 = 50,44 €; indemnity due
    assert out.loc["F1", "days_late"] == 61 and out.loc["F1", "interest_days"] == 14
    assert out.loc["F1", "penalty"] == pytest.approx(50.44) and out.loc["F1", "indemnity"] == 40
    # F2: fell due after the judgment → no interest, no indemnity
    assert out.loc["F2", "penalty"] == 0 and out.loc["F2", "indemnity"] == 0
    # F3: 1 day late at 13,15 %: 7 300 × 13,15 % × 1 / 365 = 2,63 €; indemnity due
    assert out.loc["F3", "penalty"] == pytest.approx(2.63) and out.loc["F3", "indemnity"] == 40
    # F4: 61 days: 10 000 × 13,15 % × 61 / 365 = 219,77 €
    assert out.loc["F4", "penalty"] == pytest.approx(219.77)
    same = penalties(items, "2025-05-31").set_index("document_ref")
    assert same.loc["F1", "penalty"] == pytest.approx(219.77)  # without the judgment dates


def test_penalties_by_customer_by_hand():
    items = ledger([
        ("A", "F1", "2025-02-01", "2025-03-31", 10_000.0),
        ("A", "F2", "2025-03-01", "2025-04-20", 3_650.0),
        ("B", "F3", "2025-03-01", "2025-04-29", 1_000.0),
    ])
    out = penalties_by_customer(items, "2025-04-30", fixed_indemnity=40.0)
    # A: 108,08 (F1) + 3 650 × 13,15 % × 10 / 365 = 13,15 (F2) = 121,23 €; indemnities 2 × 40 = 80
    assert out.loc["A", "penalty"] == pytest.approx(121.23)
    assert out.loc["A", "indemnity"] == 80 and out.loc["A", "invoices"] == 2
    assert out.loc["A", "total"] == pytest.approx(201.23)
    # B: 1 000 × 13,15 % × 1 / 365 = 0,36 € + 40
    assert out.loc["B", "total"] == pytest.approx(40.36)
    assert list(out.index) == ["A", "B"]  # largest total first
    assert penalties_by_customer(items.iloc[:0], "2025-04-30").empty


def test_penalties_fil_rouge(case):
    open_items = case.open_items()
    out = penalties(open_items, case.as_of)
    late = open_items[(open_items["amount"] > 0) & (open_items["due_date"] < case.as_of)]
    assert len(out) == len(late) and out["amount"].sum() == pytest.approx(late["amount"].sum())
    assert (out["indemnity"] == 40).all() and (out["penalty"] > 0).all()
    judgments = case.customers.set_index("customer_id")["insolvency_date"]
    by_customer = penalties_by_customer(open_items, case.as_of, insolvency_dates=judgments)
    assert by_customer["total"].sum() < out["total"].sum()  # interest stopped for insolvent customers
    insolvent = by_customer.index.isin(judgments.dropna().index)
    solvent_detail = out[~out["customer_id"].isin(judgments.dropna().index)]
    assert by_customer.loc[~insolvent, "total"].sum() == pytest.approx(solvent_detail["total"].sum(),
                                                                       abs=0.01)


# --- invoices paid late ------------------------------------------------------------------------------------

def test_penalties_on_paid_invoices_by_hand():
    invoices = pd.DataFrame({"document_ref": ["F1", "F2", "F3"], "customer_id": ["A", "A", "B"],
                             "due_date": pd.to_datetime(["2025-03-31", "2025-03-31", "2025-03-31"])})
    payments = pd.DataFrame({
        "payment_ref": ["P1", "P2", "IM1", "P3", "P4"], "customer_id": ["A", "A", "A", "B", "B"],
        "payment_date": pd.to_datetime(["2025-04-30", "2025-05-30", "2025-04-30", "2025-03-30",
                                        "2025-06-30"]),
        "payment_method": ["Virement", "Virement", "Imputation d'avoir", "Virement", "Virement"],
        "document_ref": ["F1", "F1", "F2", "F3", ""], "amount": [6_000.0, 4_000.0, 500.0, 1_000.0, 200.0]})
    out = penalties_on_paid_invoices(invoices, payments, "2025-01-01", "2025-12-31")
    # F1: 6 000 × 13,15 % × 30 / 365 = 64,85 and 4 000 × 13,15 % × 60 / 365 = 86,47 → 151,32 €, one indemnity
    # F2 settled by a credit note and F3 paid before its due date: no penalty
    assert list(out["document_ref"]) == ["F1"]
    row = out.iloc[0]
    assert row["amount"] == 10_000 and row["days_late"] == 60
    assert row["penalty"] == pytest.approx(151.32)
    assert row["total"] == pytest.approx(191.32)
    assert penalties_on_paid_invoices(invoices, payments, "2025-05-01", "2025-12-31")["penalty"].iloc[0] == \
        pytest.approx(86.47)


def test_penalties_on_paid_invoices_fil_rouge(case):
    out = penalties_on_paid_invoices(case.invoices, case.payments, "2025-01-01", "2025-12-31")
    assert len(out) > 100 and out["document_ref"].is_unique
    assert (out["days_late"] > 0).all() and (out["penalty"] >= 0).all()


# --- LME check of payment terms ----------------------------------------------------------------------------

def test_check_payment_terms_by_hand():
    customers = pd.DataFrame({
        "customer_id": ["C1", "C2", "C3", "C4", "C5", "C6"],
        "customer_name": ["Un", "Deux", "Trois", "Quatre", "Cinq", "Six"],
        "country": pd.Categorical(["FR", "FR", "FR", "FR", "FR", "MA"]),
        "payment_terms_days": [60, 75, 45, 60, 30, 90],
        "terms_end_of_month": [False, False, True, True, True, False]})
    out = check_payment_terms(customers).set_index("customer_id")
    # 60 days net ≤ 60: ok; 75 net > 60: not ok; 45 EOM ≤ 45: ok; 60 EOM > 45: not ok; 30 EOM: ok
    assert out["compliant"].to_dict() == {"C1": True, "C2": False, "C3": True, "C4": False, "C5": True,
                                          "C6": True}
    assert out.loc["C6", "applicable"] == False  # noqa: E712 — export customer
    assert "dépasse le plafond légal de 60 jours" in out.loc["C2", "reason"]
    assert "45 jours fin de mois" in out.loc["C4", "reason"] and "étranger" in out.loc["C6", "reason"]


def test_check_payment_terms_fil_rouge(case):
    out = check_payment_terms(case.customers)
    assert len(out) == len(case.customers)
    french = out[out["applicable"]]
    assert len(french) == (case.customers["country"] == "FR").sum()
    assert french["compliant"].all()  # the fil rouge only uses 30/60 days net and 30/45 days end of month


# --- one claim half-year by half-year (penalty calculator) -------------------------------------------------

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from casekit.credit.penalties import (  # noqa: E402
    format_late_payment_claim,
    late_payment_claim,
    penalties_summary,
    plot_late_payment_claim,
)


def test_late_payment_claim_by_hand():
    claim = late_payment_claim(12_000, "2025-03-15", "30/06/2025")
    # 16/03 → 30/06 inclusive: 16 + 30 + 31 + 30 = 107 days at 3,15 % + 10 = 13,15 %
    # 12 000 × 13,15 % × 107 / 365 = 462,59 €; + 40 € = 502,59 €
    assert claim.days_late == 107 and len(claim.segments) == 1
    assert claim.segments["rate"].iloc[0] == pytest.approx(0.1315)
    assert (claim.penalty, claim.indemnity, claim.total) == pytest.approx((462.59, 40.0, 502.59))
    assert claim.compliant and claim.rate_checks == ()


def test_late_payment_claim_two_half_years_several_invoices():
    claim = late_payment_claim(10_000, "2025-05-31", "2025-07-31", invoices=3)
    # 3 × 10 000 = 30 000 €: 01/06–30/06 30 days at 13,15 % → 30 000 × 0,1315 × 30 / 365 = 324,25 €
    # 01/07–31/07 31 days at 12,15 % → 30 000 × 0,1215 × 31 / 365 = 309,58 €; indemnities 3 × 40 = 120 €
    assert list(claim.segments["days"]) == [30, 31]
    assert list(claim.segments["penalty"]) == pytest.approx([324.25, 309.58])
    assert (claim.penalty, claim.indemnity, claim.total) == pytest.approx((633.83, 120.0, 753.83))
    # same figure as `penalties` on one open invoice of 30 000 € at as_of = payment date
    items = ledger([("A", "F1", "2025-04-01", "2025-05-31", 30_000.0)])
    assert penalties(items, "2025-07-31")["penalty"].iloc[0] == pytest.approx(633.83, abs=0.01)


def test_late_payment_claim_contractual_rates():
    ok = late_payment_claim(3_650, "2025-07-31", "2025-08-30", rate=0.12)
    # 30 days at 12 % (≥ floor 3 × 2,76 % = 8,28 %): 3 650 × 12 % × 30 / 365 = 36,00 €
    assert ok.compliant and ok.penalty == pytest.approx(36.0) and len(ok.rate_checks) == 1
    low = late_payment_claim(3_650, "2025-05-31", "2025-07-30", rate=0.05)
    # 5 % is below both floors (11,13 % then 8,28 %): flagged, computed at the statutory rates instead
    assert not low.compliant and [c.compliant for c in low.rate_checks] == [False, False]
    # 3 650 × 13,15 % × 30 / 365 = 39,45 € (01/06–30/06) + 3 650 × 12,15 % × 30 / 365 = 36,45 € (01/07–30/07)
    assert low.penalty == pytest.approx(75.90)


def test_late_payment_claim_on_time_and_bad_input():
    on_time = late_payment_claim(1_000, "2025-05-31", "2025-05-31")
    assert (on_time.days_late, on_time.penalty, on_time.indemnity, on_time.total) == (0, 0.0, 0.0, 0.0)
    assert on_time.segments.empty
    early = late_payment_claim(1_000, "2025-05-31", "2025-05-01", rate=0.12)
    assert early.total == 0 and early.rate_checks == ()
    with pytest.raises(DataError, match="montant"):
        late_payment_claim(0, "2025-05-31", "2025-06-30")
    with pytest.raises(DataError, match="nombre de factures"):
        late_payment_claim(100, "2025-05-31", "2025-06-30", invoices=0)


def test_format_and_plot_late_payment_claim():
    claim = late_payment_claim(10_000, "2025-05-31", "2025-07-31")
    table = format_late_payment_claim(claim)
    assert list(table.index) == ["Du 01/06/2025 au 30/06/2025", "Du 01/07/2025 au 31/07/2025",
                                 "Indemnité forfaitaire (1 facture × 40\u00a0€)", "Total réclamable"]
    # 108,08 + 103,19 + 40 = 251,27 €
    assert table.loc["Total réclamable", "Montant"] == "251,27\u00a0€"
    fig = plot_late_payment_claim(claim)
    assert [b.get_height() for b in fig.axes[0].patches] == pytest.approx([108.08, 103.19, 40.0])
    plt.close(fig)


def test_penalties_summary_by_hand():
    items = ledger([("A", "F1", "2025-02-01", "2025-03-31", 10_000.0),
                    ("B", "F2", "2025-02-01", "2025-03-31", 3_650.0)])
    items.loc[items["document_ref"] == "F2", "disputed"] = True
    summary = penalties_summary(penalties(items, "2025-04-30"))
    # F1: 108,08 + 40; F2 (disputed): 3 650 × 13,15 % × 30 / 365 = 39,45 + 40
    assert summary.loc["undisputed", "total"] == pytest.approx(148.08)
    assert summary.loc["disputed", "total"] == pytest.approx(79.45)
    assert summary.loc["total", "invoices"] == 2 and summary.loc["total", "total"] == pytest.approx(227.53)
    empty = penalties_summary(penalties(items.iloc[:0], "2025-04-30"))
    assert list(empty.index) == ["undisputed", "disputed", "total"] and (empty.to_numpy() == 0).all()
