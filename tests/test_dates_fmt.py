"""as_of parsing, due dates from payment terms, French number formats."""

import datetime as dt

import pandas as pd
import pytest

from casekit import DataError, due_dates, fmt, to_timestamp


@pytest.mark.parametrize("value", ["2025-12-31", "31/12/2025", dt.date(2025, 12, 31),
                                   dt.datetime(2025, 12, 31, 15, 30), pd.Timestamp("2025-12-31 08:00")])
def test_as_of_forms(value):
    assert to_timestamp(value) == pd.Timestamp("2025-12-31")


@pytest.mark.parametrize("value", ["31 décembre", "2025-13-01", 20251231, None])
def test_as_of_refused_in_french(value):
    with pytest.raises(DataError, match="as_of"):
        to_timestamp(value)


def test_due_dates_net_and_end_of_month():
    dates = pd.Series(pd.to_datetime(["2025-01-15", "2025-01-15", "2025-12-20", "2024-01-31"]))
    due = due_dates(dates, [30, 45, 45, 30], [False, True, True, True])
    # 15/01 + 30 = 14/02; 15/01 + 45 = 01/03 → end of March 31/03;
    # 20/12 + 45 = 03/02/2026 → 28/02/2026; 31/01/2024 + 30 = 01/03/2024 → 31/03/2024
    assert due.tolist() == [pd.Timestamp("2025-02-14"), pd.Timestamp("2025-03-31"), pd.Timestamp("2026-02-28"),
                            pd.Timestamp("2024-03-31")]


def test_french_formats():
    nbsp = "\u00a0"
    assert fmt.euros(1234567.891) == f"1{nbsp}234{nbsp}567,89{nbsp}€"
    assert fmt.euros(-40) == f"-40,00{nbsp}€"
    assert fmt.percent(0.125) == f"12,5{nbsp}%"
    assert fmt.days(62.37) == f"62,4{nbsp}jours"
    assert fmt.days(1.54) == f"1,5{nbsp}jour" and fmt.days(1.96) == f"2,0{nbsp}jours"  # 1,96 shows as 2,0: plural
    assert fmt.days(0) == f"0,0{nbsp}jour" and fmt.days(-1.2) == f"-1,2{nbsp}jour"
    assert fmt.years(0) == f"0{nbsp}an" and fmt.years(3) == f"3{nbsp}ans" and fmt.years(1.96, 1) == f"2,0{nbsp}ans"
    assert fmt.date(pd.Timestamp("2025-12-31")) == "31/12/2025"
    assert fmt.euros(float("nan")) == fmt.date(pd.NaT) == "–"


def test_french_table_formats_and_relabels_without_touching_data():
    df = pd.DataFrame({"amount": [1500.0], "rate": [0.05]})
    shown = fmt.french_table(df, {"amount": "euros", "rate": "percent"}, {"amount": "Montant", "rate": "Taux"})
    assert shown.loc[0, "Montant"] == "1\u00a0500,00\u00a0€" and shown.loc[0, "Taux"] == "5,0\u00a0%"
    assert df.loc[0, "amount"] == 1500.0
