"""DSO: accounting and count-back methods, best possible DSO / ADD, monthly series, gap explanation."""

import dataclasses

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from casekit import DataError  # noqa: E402
from casekit.credit.dso import (  # noqa: E402
    average_days_delinquent,
    best_possible_dso,
    count_back_detail,
    dso_accounting,
    dso_breakdown,
    dso_count_back,
    dso_gap_explanation,
    dso_gap_sentence,
    monthly_dso,
    monthly_sales,
    plot_monthly_dso,
    receivables_at,
)
from casekit.openitems import canonical_open_items  # noqa: E402


def sales_series(values: dict) -> pd.Series:
    return pd.Series(list(values.values()), index=pd.PeriodIndex(list(values), freq="M"))


# --- accounting method -------------------------------------------------------------------------------------

def test_dso_accounting_by_hand():
    # 15 000 / 182 500 × 365 = 30 days
    assert dso_accounting(15_000, 182_500, 365) == pytest.approx(30.0)
    # 9 000 / 270 000 × 90 = 3 days
    assert dso_accounting(9_000, 270_000, 90) == pytest.approx(3.0)
    # credits exceed invoices: negative receivables give a negative DSO (a fact to show, not an error)
    assert dso_accounting(-1_000, 36_500, 365) == pytest.approx(-10.0)


@pytest.mark.parametrize("sales, days, words", [
    (0, 365, "chiffre d'affaires"), (-5, 365, "chiffre d'affaires"), (1000, 0, "durée")])
def test_dso_accounting_bad_input(sales, days, words):
    with pytest.raises(DataError, match=words):
        dso_accounting(100, sales, days)


# --- count-back method -------------------------------------------------------------------------------------

def test_count_back_by_hand():
    # 250 = Dec 100 (31 d) + Nov 120 (30 d) + 30 of Oct 90 (31 d) → 31 + 30 + 30/90 × 31 = 71.333 days
    sales = sales_series({"2025-10": 90, "2025-11": 120, "2025-12": 100})
    assert dso_count_back(250, sales) == pytest.approx(31 + 30 + 30 / 90 * 31)
    assert dso_count_back(250, sales) == pytest.approx(71.33, abs=0.01)


def test_count_back_shuffled_order_and_month_end_dates():
    shuffled = sales_series({"2025-11": 120, "2025-10": 90, "2025-12": 100})
    by_dates = pd.Series([120, 100, 90], index=pd.to_datetime(["2025-11-30", "2025-12-31", "2025-10-31"]))
    assert dso_count_back(250, shuffled) == pytest.approx(71.333, abs=0.001)
    assert dso_count_back(250, by_dates) == pytest.approx(71.333, abs=0.001)


def test_count_back_partial_first_month_and_exact_months():
    sales = sales_series({"2025-01": 310, "2025-02": 280})
    # 140 < February's 280 → 140 / 280 × 28 = 14 days
    assert dso_count_back(140, sales) == pytest.approx(14.0)
    # 280 = all of February exactly → 28 days (January untouched)
    assert dso_count_back(280, sales) == pytest.approx(28.0)
    # 590 = February + January → 28 + 31 = 59 days
    assert dso_count_back(590, sales) == pytest.approx(59.0)


def test_count_back_month_without_sales_counts_its_days():
    # Aug has no sales: Sep 300 (30 d) consumed, Aug 0 adds 31 d, then 60 of Jul 310 → 60/310 × 31 = 6 d
    sales = sales_series({"2025-07": 310, "2025-08": 0, "2025-09": 300})
    assert dso_count_back(360, sales) == pytest.approx(30 + 31 + 6.0)


def test_count_back_no_receivables():
    sales = sales_series({"2025-12": 100})
    assert dso_count_back(0, sales) == 0.0
    assert dso_count_back(-50, sales) == 0.0  # only credits: nothing to count back
    assert dso_count_back(0, pd.Series(dtype=float)) == 0.0


def test_count_back_history_too_short():
    sales = sales_series({"2025-11": 120, "2025-12": 100})
    with pytest.raises(DataError, match="trop court"):
        dso_count_back(250, sales)  # 250 > 120 + 100
    with pytest.raises(DataError, match="trop court"):
        dso_count_back(10, pd.Series(dtype=float))


def test_count_back_bad_sales():
    with pytest.raises(DataError, match="négatives"):
        dso_count_back(10, sales_series({"2025-11": -5, "2025-12": 100}))
    with pytest.raises(DataError, match="plusieurs fois"):
        dso_count_back(10, pd.Series([1, 2], index=pd.to_datetime(["2025-12-01", "2025-12-31"])))


def test_count_back_detail_columns():
    detail = count_back_detail(250, sales_series({"2025-10": 90, "2025-11": 120, "2025-12": 100}))
    assert list(detail.index.astype(str)) == ["2025-12", "2025-11", "2025-10"]
    assert list(detail["consumed"]) == pytest.approx([100, 120, 30])
    assert list(detail["days"]) == pytest.approx([31, 30, 30 / 90 * 31])


# --- best possible DSO and ADD -----------------------------------------------------------------------------

def ledger():
    rows = [  # as_of 31/12/2025
        ("A", "F1", "2025-12-01", "2026-01-15", 6000.0),  # not yet due
        ("A", "F2", "2025-11-01", "2025-12-31", 3000.0),  # due on as_of: not yet overdue
        ("B", "F3", "2025-10-01", "2025-11-30", 4000.0),  # overdue
        ("B", "R1", "2025-12-10", "2025-12-10", -1000.0),  # unapplied credit, overdue side
        ("B", "F4", "2026-01-05", "2026-02-28", 9999.0),  # issued after as_of: ignored
    ]
    df = pd.DataFrame(rows, columns=["customer_id", "document_ref", "document_date", "due_date", "amount"])
    return canonical_open_items(df)


def test_best_possible_dso_and_add_by_hand():
    items = ledger()
    # sales 90 000 over 90 days = 1 000 a day
    # not due: 6 000 + 3 000 = 9 000 → 9 days; overdue: 4 000 − 1 000 = 3 000 → 3 days; DSO 12 = 9 + 3
    assert best_possible_dso(items, "2025-12-31", 90_000, 90) == pytest.approx(9.0)
    assert average_days_delinquent(items, "2025-12-31", 90_000, 90) == pytest.approx(3.0)
    b = dso_breakdown(items, "31/12/2025", 90_000, 90)
    assert (b.dso, b.best_possible_dso, b.add) == pytest.approx((12.0, 9.0, 3.0))


def test_breakdown_edge_cases():
    items = ledger()
    # as_of before any invoice: nothing open
    b = dso_breakdown(items, "2025-01-01", 90_000, 90)
    assert (b.dso, b.best_possible_dso, b.add) == (0.0, 0.0, 0.0)
    # everything paid: empty ledger
    assert dso_breakdown(items.iloc[:0], "2025-12-31", 90_000, 90).dso == 0.0
    with pytest.raises(DataError):
        dso_breakdown(items, "2025-12-31", 0, 90)


# --- monthly series ----------------------------------------------------------------------------------------

def small_case(case):
    invoices = pd.DataFrame({
        "document_ref": ["F1", "F2", "F3", "F4", "AV1"],
        "document_type": ["Facture"] * 4 + ["Avoir"],
        "customer_id": ["C0001"] * 5,
        "document_date": pd.to_datetime(["2025-01-10", "2025-02-10", "2025-03-10", "2025-04-10",
                                         "2025-04-20"]),
        "due_date": pd.to_datetime(["2025-02-10", "2025-03-10", "2025-04-10", "2025-05-10", "2025-04-20"]),
        "amount_incl_vat": [1000.0, 2000.0, 3000.0, 1700.0, -200.0],
    })
    payments = pd.DataFrame({
        "payment_ref": ["P1", "P2", "IM1", "IM1", "P3", "P4"],
        "customer_id": ["C0001"] * 6,
        "payment_date": pd.to_datetime(["2025-02-15", "2025-04-05", "2025-04-25", "2025-04-25", "2025-02-20",
                                        "2025-03-05"]),
        "payment_method": ["Virement", "Virement", "Imputation d'avoir", "Imputation d'avoir", "Chèque",
                           "Virement"],
        "document_ref": ["F1", "F2", "AV1", "F4", "", "F3"],
        "amount": [1000.0, 2000.0, -200.0, 200.0, 300.0, 500.0],
    })
    return dataclasses.replace(case, invoices=invoices, payments=payments, disputes=case.disputes.iloc[:0])


def test_monthly_sales_by_hand(case):
    sales = monthly_sales(small_case(case).invoices)
    # April: 1 700 − 200 (credit note) = 1 500
    assert list(sales.index.astype(str)) == ["2025-01", "2025-02", "2025-03", "2025-04"]
    assert list(sales) == [1000.0, 2000.0, 3000.0, 1500.0]
    gap = pd.DataFrame({"document_date": pd.to_datetime(["2025-01-05", "2025-03-05"]),
                        "amount_incl_vat": [10.0, 20.0]})
    assert list(monthly_sales(gap)) == [10.0, 0.0, 20.0]  # February without sales kept at 0
    assert monthly_sales(gap.iloc[:0]).empty


def test_receivables_at_by_hand_and_equal_to_open_items(case):
    small = small_case(case)
    dates = ["2025-01-31", "2025-02-28", "2025-03-07", "2025-03-31", "2025-04-30"]
    got = receivables_at(small.invoices, small.payments, dates)
    # Jan: 1 000; Feb: 1 000 − 1 000 + 2 000 − 300 unapplied = 1 700
    # 07/03: P4 (05/03) pays F3, not issued before 10/03 → not counted yet: 1 700
    # Mar: 1 700 + 3 000 − 500 = 4 200; Apr: 4 200 − 2 000 + 1 700 − 200 + 200 − 200 = 3 700
    assert list(got) == pytest.approx([1000.0, 1700.0, 1700.0, 4200.0, 3700.0])
    assert list(got) == pytest.approx([small.open_items(d)["amount"].sum() for d in dates])
    twice = pd.concat([small.invoices, small.invoices.iloc[:1]])
    with pytest.raises(DataError, match="F1.*en double"):
        receivables_at(twice, small.payments, dates)


def test_monthly_dso_by_hand(case):
    out = monthly_dso(small_case(case), "2025-03", "2025-04")
    assert list(out.index.strftime("%d/%m/%Y")) == ["31/03/2025", "30/04/2025"]
    # March: window Jan–Mar = 6 000 over 31 + 28 + 31 = 90 days → 4 200 / 6 000 × 90 = 63 days
    # count-back: Mar 3 000 (31 d), then 1 200 of Feb 2 000 → 1 200 / 2 000 × 28 = 16.8 → 47.8 days
    assert out.loc["2025-03-31", "window_days"] == 90
    assert out.loc["2025-03-31", "dso_accounting"] == pytest.approx(63.0)
    assert out.loc["2025-03-31", "dso_count_back"] == pytest.approx(47.8)
    # April: window Feb–Apr = 6 500 over 28 + 31 + 30 = 89 days → 3 700 / 6 500 × 89
    # count-back: Apr 1 500 (30 d), then 2 200 of Mar 3 000 → 2 200 / 3 000 × 31
    assert out.loc["2025-04-30", "dso_accounting"] == pytest.approx(3700 / 6500 * 89)
    assert out.loc["2025-04-30", "dso_count_back"] == pytest.approx(30 + 2200 / 3000 * 31)


def test_monthly_dso_options_and_errors(case):
    small = small_case(case)
    default = monthly_dso(small)  # first full 3-month window (March) to the last month invoiced (April)
    assert len(default) == 2
    assert list(monthly_dso(small, method="accounting").columns)[-1] == "dso_accounting"
    assert "dso_accounting" not in monthly_dso(small, method="count_back")
    same = monthly_dso(small.invoices, "2025-04", "2025-04", payments=small.payments)
    assert same["dso_count_back"].iloc[0] == pytest.approx(default["dso_count_back"].iloc[-1])
    with pytest.raises(DataError, match="historique insuffisant"):
        monthly_dso(small, "2025-02", "2025-04")
    with pytest.raises(DataError, match="méthode"):
        monthly_dso(small, method="moyenne")
    with pytest.raises(DataError, match="aucune facture"):
        monthly_dso(dataclasses.replace(small, invoices=small.invoices.iloc[:0]))


def test_monthly_dso_fil_rouge(case):
    out = monthly_dso(case, "2025-01", "2025-12")
    assert len(out) == 12
    # receivables equal the open items at each month end
    for month_end in out.index[[0, 5, 11]]:
        assert out.loc[month_end, "receivables"] == pytest.approx(case.open_items(month_end)["amount"].sum(),
                                                                  abs=0.01)
    # at 31/12/2025 the ledger reconciles with the balance sheet (9 490 745,02 €)
    assert out["receivables"].iloc[-1] == pytest.approx(
        case.financials.set_index("year").loc[2025, "trade_receivables"], abs=0.01)
    assert out[["dso_accounting", "dso_count_back"]].stack().between(40, 120).all()


# --- gap explanation and chart -----------------------------------------------------------------------------

def test_gap_explanation_by_hand():
    sales = sales_series({"2025-10": 90, "2025-11": 120, "2025-12": 100})
    gap = dso_gap_explanation(250, sales)
    # accounting: 250 / (90 + 120 + 100) × (31 + 30 + 31) = 250 / 310 × 92 = 74.19 days; count-back 71.33
    assert gap.dso_accounting == pytest.approx(250 / 310 * 92)
    assert gap.gap == pytest.approx(71.3333 - 74.1935, abs=1e-3)
    # covered months sell 250 / 71.33 = 3.50 a day, more than the window's 310 / 92 = 3.37
    # → the count-back is shorter
    assert gap.covered_daily_sales == pytest.approx(250 / 71.3333, abs=1e-3)
    assert gap.window_daily_sales == pytest.approx(310 / 92)
    text = dso_gap_sentence(gap)
    assert "plus court" in text and "d'octobre 2025" in text and "71,3" in text


def test_gap_explanation_errors_and_no_receivables():
    sales = sales_series({"2025-11": 120, "2025-12": 100})
    with pytest.raises(DataError, match="historique insuffisant"):
        dso_gap_explanation(50, sales)
    gap = dso_gap_explanation(0, sales, window_months=2)
    assert gap.dso_count_back == 0.0 and "aucun encours" in dso_gap_sentence(gap)


def test_gap_explanation_fil_rouge(case):
    monthly = monthly_dso(case, "2025-10", "2025-10")
    gap = dso_gap_explanation(monthly["receivables"].iloc[0], monthly_sales(case.invoices).loc[:"2025-10"])
    assert gap.dso_count_back == pytest.approx(monthly["dso_count_back"].iloc[0])
    assert gap.dso_accounting == pytest.approx(monthly["dso_accounting"].iloc[0])
    assert "31/10/2025" in dso_gap_sentence(gap)


def test_plot_monthly_dso(case):
    fig = plot_monthly_dso(monthly_dso(case, "2025-01", "2025-12"))
    ax = fig.axes[0]
    assert [line.get_label() for line in ax.get_lines()] == ["Méthode comptable (3 derniers mois)",
                                                              "Méthode par épuisement"]
    assert ax.get_ylabel() == "DSO (jours)"


# --- headline figures at a date (dso_summary), recent series, HT/TTC trap ----------------------------------

from casekit.credit.dso import (  # noqa: E402
    dso_summary,
    format_dso_summary,
    recent_monthly_dso,
    sales_between,
    vat_basis_trap,
    window_start,
)


@pytest.mark.parametrize("as_of, months, start", [
    ("2025-12-31", 3, "2025-09-30"), ("2025-02-28", 3, "2024-11-30"), ("2025-12-15", 3, "2025-09-15"),
    ("2025-12-31", 12, "2024-12-31"), ("2024-02-29", 12, "2023-02-28"),
])
def test_window_start(as_of, months, start):
    assert window_start(as_of, months) == pd.Timestamp(start)


def monthly_invoices(amounts: dict) -> pd.DataFrame:
    """One invoice on the 5th of each month, `amounts` month → amount incl. VAT."""
    dates = [pd.Timestamp(f"{month}-05") for month in amounts]
    return pd.DataFrame({"document_ref": [f"F{i}" for i in range(len(dates))], "customer_id": "A",
                         "document_date": dates, "amount_incl_vat": list(amounts.values())})


YEAR_2025 = {f"2025-{m:02d}": 30_000.0 for m in range(1, 10)} | {"2025-10": 40_000.0, "2025-11": 30_000.0,
                                                                  "2025-12": 22_000.0}


def test_sales_between_excludes_start_includes_end():
    invoices = monthly_invoices(YEAR_2025)
    # (05/10, 05/12] holds November and December: 30 000 + 22 000
    assert sales_between(invoices, "2025-10-05", "2025-12-05") == pytest.approx(52_000)


def test_dso_summary_by_hand():
    s = dso_summary(ledger(), monthly_invoices(YEAR_2025), "2025-12-31")
    # receivables 6 000 + 3 000 (not due) + 4 000 − 1 000 (overdue) = 12 000; overdue 3 000
    assert (s.receivables, s.overdue) == pytest.approx((12_000, 3_000))
    # 3 months: 40 000 + 30 000 + 22 000 = 92 000 over 92 days → 12 000 / 92 000 × 92 = 12 days = 9 + 3
    assert (s.sales_3m, s.days_3m, s.dso_3m) == (pytest.approx(92_000), 92, pytest.approx(12.0))
    assert (s.best_possible_dso, s.add) == pytest.approx((9.0, 3.0))
    # 12 months: 9 × 30 000 + 92 000 = 362 000 over 365 days → 12 000 × 365 / 362 000 = 12.099 days
    assert (s.sales_12m, s.days_12m) == (pytest.approx(362_000), 365)
    assert s.dso_12m == pytest.approx(12.099, abs=0.001)
    assert s.add_12m == pytest.approx(3_000 * 365 / 362_000)  # 3.025 days
    assert s.day_value == pytest.approx(362_000 / 365)  # 991.78 €
    # count-back: 12 000 < December's 22 000 → 12 / 22 × 31 = 16.91 days
    assert s.dso_count_back == pytest.approx(12 / 22 * 31)
    assert s.notes == ()
    table = format_dso_summary(s)
    assert table.loc["DSO, méthode comptable (3 mois)", "Valeur"] == "12,0\u00a0jours"


def test_dso_summary_short_history_and_mid_month():
    short = monthly_invoices({"2025-11": 30_000.0, "2025-12": 22_000.0})  # first invoice 05/11/2025
    s = dso_summary(ledger(), short, "2025-12-31")
    # the 3-month window starts in October, before the history: no accounting DSO, no day value
    assert s.dso_3m is None and s.dso_12m is None and s.day_value is None and s.add is None
    assert any("ne commence que le 05/11/2025" in note for note in s.notes)
    assert s.dso_count_back == pytest.approx(12 / 22 * 31)  # the count-back only needs December
    assert format_dso_summary(s).loc["DSO, méthode comptable (12 mois)", "Valeur"] == "–"
    mid = dso_summary(ledger(), monthly_invoices(YEAR_2025), "2025-12-20")
    assert mid.dso_count_back is None and any("fin de mois" in note for note in mid.notes)
    assert mid.days_3m == 91  # 20/09 → 20/12


def test_dso_summary_without_sales():
    s = dso_summary(ledger().iloc[:0], monthly_invoices(YEAR_2025), "2024-12-31")
    assert s.receivables == 0 and s.first_invoice is None and s.dso_count_back is None
    assert len(s.notes) == 2 and all("aucune vente" in note for note in s.notes)


def test_recent_monthly_dso(case):
    recent = recent_monthly_dso(case.invoices, case.payments, "2025-12-31", months=12)
    full = monthly_dso(case, "2025-01", "2025-12")
    assert list(recent.index) == list(full.index)
    assert list(recent["dso_accounting"]) == pytest.approx(list(full["dso_accounting"]))
    assert list(recent["dso_count_back"]) == pytest.approx(list(full["dso_count_back"]))
    # mid-month: the series stops at the previous month end
    assert recent_monthly_dso(case.invoices, case.payments, "2025-12-15", months=3).index[-1] == \
        pd.Timestamp("2025-11-30")
    # history before as_of shorter than the window: empty, not an error
    assert recent_monthly_dso(case.invoices, case.payments, "2022-02-28").empty
    assert recent_monthly_dso(case.invoices.iloc[:0], case.payments, "2025-12-31").empty


def test_vat_basis_trap_by_hand():
    trap = vat_basis_trap(120_000, 500_000, 600_000, 365)
    # right: 120 000 / 600 000 × 365 = 73 days; wrong: / 500 000 → 87.6 days; +14.6 days; ratio 1.2
    assert (trap.dso, trap.dso_wrong, trap.overstatement, trap.vat_ratio) == pytest.approx((73, 87.6, 14.6, 1.2))
    # export sales without VAT: both bases equal, no trap
    assert vat_basis_trap(120_000, 600_000, 600_000, 365).overstatement == pytest.approx(0)
