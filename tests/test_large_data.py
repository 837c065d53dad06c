"""The large-data paths give exactly the small-data results: the pyarrow FEC reader against pandas' parser, the fast
date and amount parsing against the general one, a FEC grown by `scale_fec` (balanced entries, open items = the
original's renamed, summing to the 411 balances), and the calculators on repeated copies of the fil rouge."""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from casekit import DataError
from casekit.credit import aged_balance as ab
from casekit.credit import dso, forecast, priorities, scoring
from casekit.fec import (
    _read_pandas,
    _read_raw,
    fec_from_case,
    open_items_from_fec,
    read_fec,
    scale_fec,
    write_fec,
)
from casekit.lookup import duplicated, positions
from casekit.parsing import parse_amounts, parse_dates

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from calculators import aged_balance_per_row  # noqa: E402
from large_data import replicate  # noqa: E402

AS_OF = "2022-06-30"


@pytest.fixture(scope="module")
def base(case):
    """The fil rouge's FEC at 30/06/2022: 9 546 lines, 258 customers."""
    return fec_from_case(case, AS_OF)


@pytest.fixture(scope="module")
def scaled(base):
    return scale_fec(base, 25_000)  # 2 whole copies (19 092 lines) and the first customers of a third


def copy_of(customers: pd.Series) -> pd.Series:
    """0 for an original customer number, k for `C0038-00k`."""
    return customers.str.extract(r"-(\d{3})$", expand=False).fillna("0").astype(int)


def strip_copy(items: pd.DataFrame) -> pd.DataFrame:
    out = items.copy()
    for column in {"customer_id", "customer_name", "document_ref"} & set(out.columns):
        out[column] = out[column].str.replace(r"-\d{3}$", "", regex=True)
    return out


def cents(values: pd.Series) -> pd.Series:
    return (values * 100).round().astype("int64")


def test_scaled_fec_repeats_whole_customers_and_balances(base, scaled):
    assert 2 * len(base) < len(scaled) <= 25_000
    copy = copy_of(scaled["CompAuxNum"].where(scaled["CompAuxNum"] != "", pd.NA).ffill())  # bank lines follow theirs
    assert sorted(copy_of(scaled.loc[scaled["CompAuxNum"] != "", "CompAuxNum"]).unique()) == [0, 1, 2]
    entries = scaled.groupby(["JournalCode", "EcritureNum"])
    assert (entries.apply(lambda e: (cents(e["Debit"]) - cents(e["Credit"])).sum(), include_groups=False) == 0).all()
    assert entries.ngroups == 2 * base.groupby(["JournalCode", "EcritureNum"]).ngroups + (copy == 2).groupby(
        [scaled["JournalCode"], scaled["EcritureNum"]]).any().sum()
    first = scaled[~scaled["EcritureNum"].isin(scaled.loc[copy > 0, "EcritureNum"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(first, base)  # copy 0 is the original, line for line
    assert scaled["EcritureDate"].is_monotonic_increasing  # in date order, as a real FEC


def test_scaled_fec_open_items_are_the_originals_renamed(base, scaled, tmp_path):
    original = open_items_from_fec(read_fec(write_fec(base, tmp_path / "base.txt")), AS_OF)
    fec = read_fec(write_fec(scaled, tmp_path / "scaled.txt", sep="|"))
    items = open_items_from_fec(fec, AS_OF)
    copy = copy_of(items["customer_id"])
    for k in (0, 1):  # whole copies: the original's items, renamed
        mine = strip_copy(items[copy == k]).reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, original, check_exact=True)
    partial = strip_copy(items[copy == 2]).reset_index(drop=True)
    expected = original[original["customer_id"].isin(partial["customer_id"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(partial, expected, check_exact=True)
    lines = fec[fec["CompteNum"].str.startswith("411")]
    balances = (cents(lines["Debit"]) - cents(lines["Credit"])).groupby(lines["CompAuxNum"]).sum()
    by_customer = cents(items["amount"]).groupby(items["customer_id"]).sum()
    pd.testing.assert_series_equal(by_customer, balances[balances != 0].rename_axis("customer_id"),
                                   check_names=False)


def test_read_fec_gives_back_what_was_written(scaled, tmp_path):
    fec = read_fec(write_fec(scaled, tmp_path / "scaled.txt"))
    dates = {column: "datetime64[ns]" for column in ("EcritureDate", "PieceDate", "DateLet", "ValidDate")}
    pd.testing.assert_frame_equal(fec, scaled.astype(dates), check_exact=True)


@pytest.mark.parametrize("sep, encoding, bom", [("\t", "latin-1", False), ("|", "latin-1", False),
                                                ("\t", "utf-8", True)])
def test_pyarrow_reader_equals_pandas_parser(base, tmp_path, sep, encoding, bom):
    path = write_fec(base, tmp_path / "fec.txt", sep=sep, encoding="utf-8-sig" if bom else encoding)
    pd.testing.assert_frame_equal(_read_raw(path, sep, encoding), _read_pandas(path, sep, encoding))


def test_every_latin1_character_is_read_back(tmp_path):
    text = "".join(chr(c) for c in range(0x20, 0x100) if chr(c) not in "|\x7f")  # é is E9 in the file
    path = tmp_path / "fec.txt"
    path.write_bytes(f"A|B\n{text}|Règlement\n|x\n".encode("latin-1"))
    assert _read_raw(path, "|", "latin-1").to_dict("list") == {"A": [text, ""], "B": ["Règlement", "x"]}


def test_fast_date_parsing_equals_pandas_on_every_day():
    days = pd.date_range("1678-01-01", "2261-12-31", freq="D")  # 213 077 days, leap years included
    text = pd.Series(days.strftime("%Y%m%d"), dtype="str")
    parsed = parse_dates(text)
    assert (parsed.to_numpy() == days.to_numpy("datetime64[ns]")).all()
    mixed = parse_dates(pd.Series(["20240229", "31/12/2025", "2025-01-15", ""], dtype="str"), required=False)
    assert mixed.tolist()[:3] == [pd.Timestamp("2024-02-29"), pd.Timestamp("2025-12-31"),
                                  pd.Timestamp("2025-01-15")] and pd.isna(mixed.iloc[3])


@pytest.mark.parametrize("bad", ["20250230", "20231301", "20230229", "2025013", "２０２５０１０１"])
def test_impossible_dates_are_refused_with_their_line(bad):
    with pytest.raises(DataError, match=f"Ligne 4.*date illisible « {bad} »"):
        parse_dates(pd.Series(["20250101", "20250102", bad], dtype="str"), column="EcritureDate")


def test_fast_amount_parsing_equals_the_general_path():
    values = ["0000001888,31", "-12,50", "12.5", "0,00", "", "7", "123456789,99", "-0,01"]
    fast = parse_amounts(pd.Series(values, dtype="str"))
    general = parse_amounts(pd.Series(values + ["1 000,00"], dtype="str")).iloc[:-1]  # a space: general path
    pd.testing.assert_series_equal(fast, general, check_exact=True)
    assert fast.tolist() == [1888.31, -12.5, 12.5, 0.0, 0.0, 7.0, 123456789.99, -0.01]
    with pytest.raises(DataError, match="Ligne 3 : montant illisible"):
        parse_amounts(pd.Series(["1,00", ""], dtype="str"), allow_empty=False)


def test_lookup_positions_and_duplicates():
    # "b" is at position 1; "c" is absent; the repeated "a" answers its first position, 0
    assert [p.tolist() for p in positions(["a", "b", "a"], ["b", "c", "a"])] == [[1, -1, 0]]
    assert duplicated(["x", "y", "x", "x"]).tolist() == pd.Series(["x", "y", "x", "x"]).duplicated().tolist()


@pytest.fixture(scope="module")
def copies(case):
    """The fil rouge's tables three times over, copies 1 and 2 renamed (`-001`, `-002`)."""
    from large_data import TABLES
    return {name: replicate(getattr(case, name), 3, columns) for name, columns in TABLES.items()}


def test_calculators_on_copies_give_each_copy_the_originals_figures(case, copies):
    as_of = "2025-12-31"
    mine = scoring.customer_features(case, as_of)
    theirs = scoring.customer_features(copies, as_of)
    for suffix in ("", "-001", "-002"):
        part = theirs.loc[mine.index + suffix].set_axis(mine.index)
        pd.testing.assert_frame_equal(part, mine, check_exact=True)
    delays = forecast.customer_payment_delays(copies["invoices"], copies["payments"], as_of)
    original = forecast.customer_payment_delays(case.invoices, case.payments, as_of)
    pd.testing.assert_frame_equal(delays.loc[original.index + "-002"].set_axis(original.index), original)
    # three copies owe three times as much, at every month end: the DSO does not move
    monthly = dso.monthly_dso(copies["invoices"], payments=copies["payments"])
    single = dso.monthly_dso(case)
    assert np.allclose(monthly["receivables"], 3 * single["receivables"], atol=0.02)
    assert np.allclose(monthly[["dso_accounting", "dso_count_back"]], single[["dso_accounting", "dso_count_back"]])


def test_open_item_calculators_on_copies(case):
    as_of = "2025-12-31"
    items = case.open_items(as_of)
    tripled = replicate(items, 3, ("customer_id", "customer_name", "document_ref"))
    totals, single = ab.aged_balance_totals(tripled, as_of), ab.aged_balance_totals(items, as_of)
    assert np.allclose(totals, 3 * single, atol=0.02)  # e.g. total: 3 × the fil rouge's receivables
    aged = ab.aged_balance(tripled, as_of)
    loop = pd.DataFrame(aged_balance_per_row(tripled, as_of)).T.round(2)
    pd.testing.assert_frame_equal(loop.sort_index() + 0.0, aged.drop(columns="total").sort_index(),
                                  check_names=False, atol=0.005)
    classes = scoring.score_customers(scoring.customer_features(case, as_of))["class"]
    risk = replicate(classes.rename_axis("customer_id").reset_index(), 3, ["customer_id"]).set_index("customer_id")
    listed = priorities.priority_list(tripled, as_of, risk["class"])
    original = priorities.priority_list(items, as_of, classes)
    copy2 = strip_copy(listed.loc[original.index + "-002"].reset_index()).set_index("customer_id")
    # pandas' grouped sums over a longer table may round a half-cent the other way: one cent of tolerance
    pd.testing.assert_frame_equal(copy2, original, check_exact=False, atol=0.011, rtol=0)


# --- the vectorised calculators against the plain pandas way, on awkward data ---------------------------------------

def awkward_ledger(hour: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Invoices and payments (dated at `hour`) with what the lookups must get right: partial and repeated payments,
    a payment of an unknown document, credit notes and their offsets, an unallocated receipt, a payment dated
    before its invoice, lines after the date, an invoice due before its date, a customer absent from the master
    data (Z). Amounts in quarters, halved or quartered: every sum is exact, whatever its order."""
    rng = np.random.default_rng(12)
    day = pd.Timestamp("2024-01-01") + pd.Timedelta(hours=hour)
    refs = [f"FA-{i:04d}" for i in range(400)]
    invoices = pd.DataFrame({
        "document_ref": pd.Series(refs + ["AV-0001", "AV-0002"], dtype="str"),
        "customer_id": pd.Series([f"C{i % 37:02d}" for i in range(400)] + ["C01", "Z"], dtype="str"),
        "document_date": [day + pd.Timedelta(days=int(d)) for d in rng.integers(0, 730, 400)]
                         + [day + pd.Timedelta(days=400)] * 2,
        "amount_incl_vat": list(rng.integers(4, 40_000, 400) / 4) + [-250.0, -100.0],
        "amount_excl_vat": list(rng.integers(4, 40_000, 400) / 4) + [-200.0, -80.0],
        "gross_margin": list(rng.integers(0, 4_000, 400) / 4) + [0.0, 0.0]})
    invoices["due_date"] = invoices["document_date"] + pd.to_timedelta(rng.integers(0, 90, 402), unit="D")
    invoices.loc[3, "due_date"] = day  # due before it was issued (an input error): not overdue before its date
    invoices.loc[3, "document_date"] = day + pd.Timedelta(days=800)
    paid = rng.permutation(400)[:330]
    lines = [(refs[i], invoices.loc[i, "customer_id"], invoices.loc[i, "document_date"]
              + pd.Timedelta(days=int(rng.integers(-5, 120))), invoices.loc[i, "amount_incl_vat"] / k, "Virement")
             for i in paid for k in ([1] if i % 3 else [2, 4, 4])]  # one in three paid in three parts
    lines += [("FA-9999", "C05", day + pd.Timedelta(days=500), 75.0, "Virement"),  # unknown document
              ("", "C06", day + pd.Timedelta(days=600), 125.0, "Virement"),  # unallocated receipt
              ("AV-0001", "C01", day + pd.Timedelta(days=410), -250.0, "Imputation d'avoir"),
              (refs[7], "C01", day + pd.Timedelta(days=410), 250.0, "Imputation d'avoir"),
              ("AV-0002", "Z", day + pd.Timedelta(days=420), 100.0, "Virement")]  # the credit note refunded
    payments = pd.DataFrame(lines, columns=["document_ref", "customer_id", "payment_date", "amount", "payment_method"])
    payments = payments.astype({"document_ref": "str", "customer_id": "str"}).sample(frac=1, random_state=3)
    return invoices, payments.reset_index(drop=True)


def reference_days_late(invoices, payments, end, days=365) -> pd.Series:
    end = pd.Timestamp(end)
    invoiced = invoices[invoices["amount_incl_vat"] > 0]
    cash = payments[(payments["amount"] > 0) & (payments["document_ref"] != "")
                    & (payments["payment_method"] != "Imputation d'avoir")
                    & (payments["payment_date"] > end - pd.Timedelta(days=days)) & (payments["payment_date"] <= end)]
    paid = cash.merge(invoiced[["document_ref", "due_date"]], on="document_ref")
    settled = payments[payments["payment_date"] <= end].groupby("document_ref")["amount"].sum()
    owed = invoiced[invoiced["document_date"] <= end]
    owed = owed.assign(open=owed["amount_incl_vat"] - owed["document_ref"].map(settled).fillna(0.0))
    owed = owed[(owed["open"] > 0.005) & (owed["due_date"] < end)]
    frame = pd.concat([
        pd.DataFrame({"customer_id": paid["customer_id"], "w": paid["amount"],
                      "days": (paid["payment_date"] - paid["due_date"]).dt.days}),
        pd.DataFrame({"customer_id": owed["customer_id"], "w": owed["open"],
                      "days": (end - owed["due_date"]).dt.days})])
    sums = frame.assign(wd=frame["w"] * frame["days"]).groupby("customer_id")[["w", "wd"]].sum()
    return (sums["wd"] / sums["w"]).rename("days_late")


@pytest.mark.parametrize("end", ["2025-06-30", "2025-12-31", "2024-03-31"])
def test_days_late_and_payment_delays_equal_the_pandas_way(end):
    invoices, payments = awkward_ledger()
    pd.testing.assert_series_equal(scoring.days_late(invoices, payments, end),
                                   reference_days_late(invoices, payments, end), check_exact=True)
    customers = pd.DataFrame({"customer_id": [f"C{i:02d}" for i in range(40)]})  # Z absent, C37-C39 idle
    features = scoring.customer_features({"invoices": invoices, "payments": payments, "customers": customers}, end)
    expected = reference_days_late(invoices, payments, end).reindex(features.index)
    pd.testing.assert_series_equal(features["days_late"], expected, check_exact=True)
    dated = invoices[invoices["document_date"] <= pd.Timestamp(end)]
    exposure = dated.groupby("customer_id")["amount_incl_vat"].sum().sub(
        payments[payments["payment_date"] <= pd.Timestamp(end)].groupby("customer_id")["amount"].sum(),
        fill_value=0.0)
    pd.testing.assert_series_equal(features["exposure"], exposure.reindex(features.index, fill_value=0.0).round(2),
                                   check_names=False, check_exact=True)
    delays = forecast.customer_payment_delays(invoices, payments, end)
    lines = forecast.payment_lines(invoices, payments, pd.Timestamp(end) - pd.Timedelta(days=365), end)
    assert len(lines) and lines["document_ref"].isin(invoices.loc[invoices["amount_incl_vat"] > 0,
                                                                  "document_ref"]).all()
    weighted = (lines["amount"] * lines["days_late"]).groupby(lines["customer_id"]).sum()
    pd.testing.assert_series_equal(delays["average_delay"], weighted / delays["amount_paid"], check_names=False,
                                   check_exact=True)


@pytest.mark.parametrize("hour", [0, 6])  # at 6 am, a month end's own events count at the next one
def test_receivables_at_equals_the_pandas_way(hour):
    invoices, payments = awkward_ledger(hour)
    dates = pd.date_range("2023-12-31", "2026-06-30", freq="ME")
    known = payments["document_ref"].isin(invoices["document_ref"])
    document_dates = payments["document_ref"].map(invoices.set_index("document_ref")["document_date"])
    counted = payments["payment_date"].where(~known, np.maximum(payments["payment_date"], document_dates))
    allocated = payments["document_ref"] != ""
    expected = [invoices.loc[invoices["document_date"] <= d, "amount_incl_vat"].sum()
                - payments.loc[(known | ~allocated) & (counted <= d), "amount"].sum() for d in dates]
    np.testing.assert_array_equal(dso.receivables_at(invoices, payments, dates).to_numpy(), np.round(expected, 2))


def test_receivables_are_rounded_to_the_cent_never_to_minus_zero():
    """Floating-point residues vanish in the rounding to the cent, with no « -0,00 € »; dates in any order."""
    invoices = pd.DataFrame({"document_ref": [f"F{i}" for i in range(10)] + ["C"], "customer_id": "X",
                             "document_date": pd.to_datetime(["2025-01-01"] * 10 + ["2025-01-02"]),
                             "amount_incl_vat": [0.1] * 10 + [-1.0]})
    payments = pd.DataFrame({"document_ref": ["F0"], "customer_id": "X", "payment_date": pd.to_datetime(["2025-01-03"]),
                             "amount": [0.1]})
    # ten invoices of 0,10 € = 1,00 € on 01/01 (in floats 0.1 added ten times is 0.9999999999999999); a credit note of
    # −1,00 € on 02/01 → 0,00 € (in floats −1.1e-16, which rounds to −0.0); 0,10 € paid on 03/01 → −0,10 €
    got = dso.receivables_at(invoices, payments, ["2025-01-01", "2025-01-02", "2025-01-03"])
    assert got.tolist() == [1.0, 0.0, -0.1]
    assert not np.signbit(got.iloc[1])  # « 0,00 € », never « -0,00 € »
    assert dso.receivables_at(invoices, payments, ["2025-01-03", "2024-12-31", "2025-01-01"]).tolist() == [-0.1, 0.0,
                                                                                                            1.0]
    with pytest.raises(DataError, match="pièce « A » en double"):
        dso.receivables_at(invoices.assign(document_ref=["A"] * 10 + ["A"]), payments, ["2025-01-03"])
