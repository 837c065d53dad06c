"""The scoring ledger's shortcuts: cash allocated from a future of the lookup, per-customer totals on every
customer, and the features of customers without any line."""

from concurrent.futures import Future

import numpy as np
import pandas as pd

from casekit.credit.forecast import allocated_cash, invoiced_positions
from casekit.credit.scoring import _Ledger, customer_features

T = pd.Timestamp


def tables():
    customers = pd.DataFrame({"customer_id": ["A", "B", "C"], "customer_since": [T("2020-01-01")] * 3,
                              "credit_limit": [5000.0, 1000.0, 0.0], "external_score": [12, 8, 15],
                              "gross_margin_rate": [0.3, 0.25, 0.2]})
    invoices = pd.DataFrame({
        "document_ref": ["I1", "I2", "I3", "X1"], "customer_id": ["A", "A", "C", "Z"],
        "document_date": [T("2025-03-01"), T("2025-10-01"), T("2025-09-01"), T("2025-09-01")],
        "due_date": [T("2025-04-30"), T("2025-11-30"), T("2025-10-01"), T("2025-10-01")],
        "amount_incl_vat": [6000.0, 2400.0, 600.0, 100.0], "amount_excl_vat": [5000.0, 2000.0, 500.0, 80.0],
        "gross_margin": [1500.0, 500.0, 150.0, 20.0]})
    payments = pd.DataFrame({
        "payment_ref": ["P1", "P2", "P3"], "customer_id": ["A", "C", "Z"],
        "payment_date": [T("2025-05-20"), T("2025-10-15"), T("2025-10-02")],
        "payment_method": ["Virement", "Virement", "Virement"], "document_ref": ["I1", "", "X1"],
        "amount": [6000.0, 50.0, 100.0]})
    return {"customers": customers, "invoices": invoices, "payments": payments}


def test_allocated_cash_awaits_a_future_of_the_lookup():
    t = tables()
    where = invoiced_positions(t["invoices"], t["payments"])
    future = Future()
    future.set_result(where)
    expected = allocated_cash(t["invoices"], t["payments"])
    for given in (where, future):
        rows, due = allocated_cash(t["invoices"], t["payments"], where=given)
        assert np.array_equal(rows, expected[0]) and np.array_equal(due, expected[1])
    assert rows.tolist() == [0, 2]  # P2 names no invoice


def test_totals_cover_every_customer_and_sums_the_present_ones():
    t = tables()
    ledger = _Ledger(t["invoices"], t["payments"], pd.Index(["A", "B", "C"]))
    amounts = t["invoices"]["amount_incl_vat"].to_numpy(float)
    totals = ledger.totals(ledger.invoice_customer, amount=amounts)
    assert totals["amount"].tolist() == [8400.0, 0.0, 600.0]  # B: no line; Z: not a customer
    sums = ledger.sums(ledger.invoice_customer, amount=amounts)
    assert sums.index.tolist() == [0, 2] and sums["amount"].tolist() == [8400.0, 600.0]


def test_customer_without_lines_has_no_exposure_nor_purchases():
    features = customer_features(tables(), "2025-12-31")
    assert features.loc["B", ["exposure", "monthly_purchases"]].tolist() == [0.0, 0.0]
    assert features.loc["B", "margin_rate"] == 0.25  # the customers table's rate
    assert features.loc["A", "exposure"] == 2400.0 and features.loc["C", "exposure"] == 550.0
    assert np.isnan(features.loc["B", "days_late"])
