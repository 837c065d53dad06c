"""The quick paths of `monthly_dso` give, bit for bit, what the plain computations give: sales grouped by month rank
(vs `Period`), count-backs on a history checked once (vs `dso_count_back` month by month), allocations counted
from the later of their dates' ranks (vs the later of their dates)."""

import numpy as np
import pandas as pd
import pytest

from casekit import DataError
from casekit.credit import dso


def random_dates(rng, count, unit="us"):
    days = rng.integers(-400, 1500, count)
    seconds = rng.integers(0, 86_400, count) * rng.integers(0, 2, count)  # midnight or any time of day
    dates = (np.datetime64("1969-06-01") + days.astype("timedelta64[D]") + seconds.astype("timedelta64[s]"))
    return pd.Series(dates.astype(f"datetime64[{unit}]"))


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("unit", ["s", "us", "ns"])
def test_monthly_sales_by_rank_is_the_sum_by_period(seed, unit):
    rng = np.random.default_rng(seed)
    dates = random_dates(rng, 500, unit)
    dates[rng.random(500) < 0.05] = pd.NaT
    invoices = pd.DataFrame({"document_date": dates, "amount_incl_vat": rng.normal(100, 300, 500).round(2)})
    plain = invoices["amount_incl_vat"].groupby(invoices["document_date"].dt.to_period("M")).sum()
    plain = plain.reindex(pd.period_range(plain.index.min(), plain.index.max(), freq="M"), fill_value=0.0)
    sales = dso.monthly_sales(invoices)
    pd.testing.assert_series_equal(sales, plain.rename("sales").rename_axis("month"), check_exact=True)
    assert dso.monthly_sales(invoices.assign(document_date=pd.NaT)).empty


def sales_history(rng, months):
    values = rng.gamma(2, 50, months).round(2)
    values[rng.random(months) < 0.15] = 0.0
    return pd.Series(values, index=pd.period_range("2023-01", periods=months, freq="M"))


def plain_count_backs(receivables, sales, months):
    out = []
    for r, m in zip(receivables, months):
        try:
            out.append(dso.dso_count_back(r, sales.loc[:m]))
        except DataError as error:
            out.append(str(error))
    return out


def quick_count_backs(receivables, sales, months):
    out = []
    for r, m in zip(receivables, months):  # one month at a time, for each month's error
        try:
            out.extend(dso._count_backs([r], sales, pd.PeriodIndex([m])))
        except DataError as error:
            out.append(str(error))
    return out


@pytest.mark.parametrize("seed", range(6))
def test_count_backs_are_dso_count_back_month_by_month(seed):
    rng = np.random.default_rng(seed)
    sales = sales_history(rng, 30)
    if seed % 2:
        sales.iloc[rng.integers(15, 30)] = -25.0  # a negative month: its error from then on
    months = sales.index[2:]
    receivables = rng.uniform(-100, 1500, len(months)).round(2)  # negative, and too large for a short history
    receivables[::5] = 0.0
    expected = plain_count_backs(receivables, sales, months)
    assert quick_count_backs(receivables, sales, months) == expected
    if not any(isinstance(x, str) for x in expected):
        assert dso._count_backs(receivables, sales, months) == expected
    assert any(isinstance(x, float) and x > 0 for x in expected)


@pytest.mark.parametrize("seed", range(4))
def test_receivables_at_counts_allocations_from_the_later_date(seed):
    rng = np.random.default_rng(seed)
    invoices = pd.DataFrame({"document_ref": [f"F{i}" for i in range(200)],
                             "document_date": random_dates(rng, 200).dt.normalize(),
                             "amount_incl_vat": rng.normal(500, 400, 200).round(2)})
    refs = np.where(rng.random(300) < 0.1, "", np.array([f"F{i}" for i in rng.integers(0, 230, 300)]))
    payments = pd.DataFrame({"document_ref": pd.Series(refs, dtype="str"),  # F200… : no such invoice
                             "payment_date": random_dates(rng, 300).dt.normalize(),
                             "amount": rng.uniform(1, 600, 300).round(2)})
    dates = pd.date_range("1969-05-31", "1973-12-31", freq="ME")
    got = dso.receivables_at(invoices, payments, dates)
    doc_date = invoices.set_index("document_ref")["document_date"]
    counted_from = np.maximum(payments["payment_date"], payments["document_ref"].map(doc_date))
    allocated = payments["document_ref"] != ""
    for date, value in got.items():
        expected = (invoices.loc[invoices["document_date"] <= date, "amount_incl_vat"].sum()
                    - payments.loc[allocated & (counted_from <= date), "amount"].sum()
                    - payments.loc[~allocated & (payments["payment_date"] <= date), "amount"].sum())
        assert value == pytest.approx(expected, abs=0.006)


def test_receivables_at_without_invoices_counts_the_unallocated_receipts():
    payments = pd.DataFrame({"document_ref": pd.Series(["F1", "", ""], dtype="str"),
                             "payment_date": pd.to_datetime(["2025-01-10", "2025-01-20", "2025-02-05"]),
                             "amount": [100.0, 30.0, 20.0]})
    invoices = pd.DataFrame({"document_ref": pd.Series([], dtype="str"), "document_date": pd.to_datetime([]),
                             "amount_incl_vat": pd.Series([], dtype=float)})
    got = dso.receivables_at(invoices, payments, ["2025-01-31", "2025-02-28"])
    assert list(got) == [-30.0, -50.0]  # F1 is no invoice: its allocation is left out


def test_a_reference_twice_among_the_invoices_stops_the_receivables_from_the_background_lookup():
    invoices = pd.DataFrame({"document_ref": pd.Series(["F1", "F2", "F1"], dtype="str"),
                             "document_date": pd.to_datetime(["2025-01-05", "2025-01-06", "2025-01-07"]),
                             "amount_incl_vat": [100.0, 200.0, 300.0]})
    payments = pd.DataFrame({"document_ref": pd.Series(["F2"], dtype="str"),
                             "payment_date": pd.to_datetime(["2025-01-20"]), "amount": [200.0]})
    with pytest.raises(DataError, match="pièce « F1 » en double dans les factures"):
        dso.receivables_at(invoices, payments, ["2025-01-31"])
