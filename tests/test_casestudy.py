"""The committed fil rouge: reproducible to the byte, typed, consistent, and as realistic as the brief asks."""

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from casekit import DataError, load_case
from casekit.casestudy.case import default_data_dir
from casekit.casestudy.cli import write_case
from casekit.casestudy.describe import describe_case, format_figures
from casekit.casestudy.schema import TABLES
from casekit.casestudy.validate import validate_case


@pytest.fixture(scope="module")
def figures(case):
    return describe_case(case)


def test_regeneration_is_byte_identical(tmp_path):
    committed = default_data_dir()
    paths = write_case(tmp_path)
    assert sorted(p.name for p in paths) == sorted([t.file for t in TABLES] + ["README.md"])
    for path in paths:
        assert path.read_bytes() == (committed / path.name).read_bytes(), f"{path.name} differs from the generator"


def test_tables_are_typed(case):
    assert case.as_of == pd.Timestamp("2025-12-31")
    assert case.invoices["document_date"].dtype.kind == "M"
    assert case.customers["insolvency_date"].dtype.kind == "M"
    assert isinstance(case.customers["customer_id"].iloc[0], str)
    assert case.customers["segment"].dtype == "category"
    assert case.customers["terms_end_of_month"].dtype == bool
    assert case.invoices["amount_incl_vat"].dtype == float
    assert case.dunning["level"].dtype == "int64"
    for table in TABLES:
        assert list(getattr(case, table.name).columns) == table.column_names


def test_realism_figures(figures):
    assert figures.customers >= 300
    assert 0.15 <= figures.export_share <= 0.30
    assert figures.invoices + figures.credit_notes >= 20000 and figures.credit_notes > 0
    assert figures.full_years >= 3 and figures.last_document.year == 2025
    assert 55 <= figures.dso <= 80
    assert 0.10 <= figures.overdue_share <= 0.40
    assert figures.top20_share >= 0.60
    assert 0.02 <= figures.dispute_rate <= 0.08
    assert figures.insolvencies >= 3
    assert 0.4 <= figures.promise_kept_rate <= 0.9


def test_describe_prints_french_figures(figures):
    text = format_figures(figures)
    assert "31/12/2025" in text and "DSO" in text and "jours" in text and "Hexaform SAS" in text


def test_domestic_terms_follow_the_lme(case):
    fr = case.customers[case.customers["country"] == "FR"]
    net = fr[~fr["terms_end_of_month"]]["payment_terms_days"]
    eom = fr[fr["terms_end_of_month"]]["payment_terms_days"]
    assert net.max() <= 60 and eom.max() <= 45


def test_behaviour_is_consistent(case):
    c = case
    # insolvent customers stopped paying before their judgement: nothing paid in the last 30 days before it
    failed = c.customers.dropna(subset=["insolvency_date"]).set_index("customer_id")["insolvency_date"]
    pay = c.payments[c.payments["customer_id"].isin(failed.index)]
    assert (pay["payment_date"] < pay["customer_id"].map(failed) - pd.Timedelta(days=30)).all()
    # disputed invoices are paid later than the others
    paid = c.payments[c.payments["document_ref"] != ""].groupby("document_ref")["payment_date"].max()
    inv = c.invoices[c.invoices["document_type"] == "Facture"].set_index("document_ref")
    delay = (paid.reindex(inv.index) - inv["due_date"]).dt.days
    disputed = inv.index.isin(c.disputes["document_ref"])
    assert delay[disputed].mean() > delay[~disputed].mean() + 7  # seen: 25 vs 15 days
    # export customers from southern Europe pay later than German ones
    country = inv["customer_id"].map(c.customers.set_index("customer_id")["country"])
    assert delay[country.isin(["IT", "ES"])].mean() > delay[country == "DE"].mean() + 10
    # dunning runs only on invoices overdue in the ledger: checked by validate_case
    assert validate_case(c) == []


@pytest.mark.parametrize("corrupt, message", [
    (lambda c: replace(c, invoices=c.invoices.assign(vat_amount=c.invoices["vat_amount"] + 1)), "TVA"),
    (lambda c: replace(c, dunning=c.dunning.assign(dunning_date=c.dunning["dunning_date"] - pd.Timedelta(days=90))),
     "non échue"),
    (lambda c: replace(c, dunning=c.dunning.assign(amount_due=c.dunning["amount_due"] * 2)), "reste dû"),
    (lambda c: replace(c, customers=c.customers.assign(payment_terms_days=90)), "LME"),
    (lambda c: replace(c, payments=c.payments.assign(customer_id="C0001")), "autre client"),
    (lambda c: replace(c, calls=c.calls.assign(call_date=pd.Timestamp("2026-02-01"))), "postérieur"),
])
def test_validation_detects_corruption(case, corrupt, message):
    problems = validate_case(corrupt(case))
    assert any(message in p for p in problems), problems


def test_open_items_at_any_date(case):
    items = case.open_items("2024-06-30")
    assert items["document_date"].max() <= pd.Timestamp("2024-06-30")
    # receivables at a year end = the balance sheet figure of that year
    for year in (2023, 2024, 2025):
        total = case.open_items(f"{year}-12-31")["amount"].sum()
        assert total == pytest.approx(case.financials.set_index("year").loc[year, "trade_receivables"], abs=0.01)
    assert case.open_items("2021-12-31").empty
    assert case.open_items()["disputed"].sum() > 0


def test_missing_or_broken_file_is_a_french_error(tmp_path):
    with pytest.raises(DataError, match="introuvable"):
        load_case(tmp_path)
    source = default_data_dir()
    for path in source.glob("*.csv"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    clients = tmp_path / "clients.csv"
    raw = pd.read_csv(clients, dtype=str, keep_default_na=False)
    raw.loc[2, "customer_since"] = "pas une date"  # third data row = line 4 of the file
    raw.to_csv(clients, index=False)
    with pytest.raises(DataError, match=r"clients\.csv.*ligne 4.*customer_since"):
        load_case(tmp_path)


def test_repository_data_dir_is_the_default():
    assert default_data_dir() == Path(__file__).resolve().parents[1] / "casestudy_data"
