"""read_fec and open_items_from_fec on small FEC files written here, and on the shared real samples."""

from pathlib import Path

import pandas as pd
import pytest

from casekit import DataError, load_case, open_items_from_fec, read_fec
from casekit.credit.dso import receivables_at
from casekit.fec import FEC_COLUMNS, fec_from_case, fec_ledger, write_fec

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "fec"

# JournalCode, EcritureNum, EcritureDate, CompteNum, CompteLib, CompAuxNum, CompAuxLib, PieceRef, Debit, Credit,
# EcritureLet, DateLet
LINES = [
    ("VE", "1", "20250110", "41100000", "Clients", "C001", "Alpha SARL", "FA1", "1200,00", "0,00", "A", "20250215"),
    ("VE", "1", "20250110", "70100000", "Ventes", "", "", "FA1", "0,00", "1000,00", "", ""),
    ("VE", "1", "20250110", "44571000", "TVA collectée", "", "", "FA1", "0,00", "200,00", "", ""),
    ("VE", "2", "20250120", "41100000", "Clients", "C001", "Alpha SARL", "FA2", "600,00", "0,00", "", ""),
    ("VE", "2", "20250120", "70100000", "Ventes", "", "", "FA2", "0,00", "500,00", "", ""),
    ("VE", "2", "20250120", "44571000", "TVA collectée", "", "", "FA2", "0,00", "100,00", "", ""),
    ("BQ", "3", "20250215", "51200000", "Banque", "", "", "RG1", "1200,00", "0,00", "", ""),
    ("BQ", "3", "20250215", "41100000", "Clients", "C001", "Alpha SARL", "RG1", "0,00", "1200,00", "A", "20250215"),
    ("VE", "4", "20250201", "41100000", "Clients", "C002", "Bêta SAS", "FA3", "2400,00", "0,00", "B", "20250310"),
    ("VE", "4", "20250201", "70100000", "Ventes", "", "", "FA3", "0,00", "2000,00", "", ""),
    ("VE", "4", "20250201", "44571000", "TVA collectée", "", "", "FA3", "0,00", "400,00", "", ""),
    ("BQ", "5", "20250310", "51200000", "Banque", "", "", "RG2", "1000,00", "0,00", "", ""),
    ("BQ", "5", "20250310", "41100000", "Clients", "C002", "Bêta SAS", "RG2", "0,00", "1000,00", "B", "20250310"),
    ("VE", "6", "20250305", "41100099", "CLIENTS DIVERS", "", "", "FA4", "300,00", "0,00", "", ""),
    ("VE", "6", "20250305", "70100000", "Ventes", "", "", "FA4", "0,00", "250,00", "", ""),
    ("VE", "6", "20250305", "44571000", "TVA collectée", "", "", "FA4", "0,00", "50,00", "", ""),
    ("BQ", "7", "20250320", "51200000", "Banque", "", "", "RG3", "150,00", "0,00", "", ""),
    ("BQ", "7", "20250320", "41100000", "Clients", "C001", "Alpha SARL", "RG3", "0,00", "150,00", "", ""),
]


def fec_rows(lines=LINES, amount=lambda a: a):
    rows = []
    for j, n, d, acct, lib, aux, auxlib, ref, debit, credit, let, datelet in lines:
        rows.append([j, {"VE": "Ventes", "BQ": "Banque"}[j], n, d, acct, lib, aux, auxlib, ref, d, f"Pièce {ref}",
                     amount(debit), amount(credit), let, datelet, d, "", ""])
    return rows


def write(path: Path, header=FEC_COLUMNS, rows=None, sep="\t", encoding="utf-8", newline="\n", bom=False):
    rows = fec_rows() if rows is None else rows
    text = newline.join(sep.join(r) for r in [list(header)] + rows) + newline
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    return path


def by_customer(items):
    """Customer totals, zero totals left out (a customer may have open items that offset each other)."""
    totals = items.groupby("customer_id")["amount"].sum().round(2)
    return totals[totals.abs() > 0.005].to_dict()


def balances_411(fec, as_of):
    lines = fec[fec["CompteNum"].str.startswith("411") & (fec["EcritureDate"] <= pd.Timestamp(as_of))]
    customer = lines["CompAuxNum"].where(lines["CompAuxNum"] != "", lines["CompteNum"])
    balances = (lines["Debit"] - lines["Credit"]).groupby(customer).sum().round(2)
    return balances[balances.abs() > 0.005].to_dict()


def test_open_items_by_hand(tmp_path):
    fec = read_fec(write(tmp_path / "fec.txt"))
    items = open_items_from_fec(fec, "2025-03-31", payment_terms_days=30, terms_by_customer={"C002": 60})
    got = {(r.customer_id, r.document_ref): r.amount for r in items.itertuples()}
    # C001: FA1 1 200 lettered A with RG1 −1 200 on 15/02 → nets to 0, closed; FA2 600 open; RG3 −150 unapplied.
    # C002: letter B = FA3 2 400 − RG2 1 000 = 1 400 residual, carried by FA3 (its debit line).
    # 41100099 (no auxiliary account): FA4 300.
    assert got == {("C001", "FA2"): 600.0, ("C001", "RG3"): -150.0, ("C002", "FA3"): 1400.0,
                   ("41100099", "FA4"): 300.0}
    due = items.set_index("document_ref")["due_date"]
    assert due["FA2"] == pd.Timestamp("2025-02-19")  # 20/01 + 30 days
    assert due["FA3"] == pd.Timestamp("2025-04-02")  # 01/02 + 60 days (C002's own terms)
    assert due["RG3"] == pd.Timestamp("2025-03-20")  # a credit is due at once
    assert items.set_index("document_ref").loc["FA4", "customer_name"] == "CLIENTS DIVERS"
    assert items.set_index("customer_id").loc["C002", "customer_name"] == "Bêta SAS"
    assert by_customer(items) == balances_411(fec, "2025-03-31") == {"C001": 450.0, "C002": 1400.0,
                                                                     "41100099": 300.0}
    assert list(items.columns) == ["customer_id", "customer_name", "document_ref", "document_date", "due_date",
                                   "amount", "disputed"]
    assert not items["disputed"].any()


def test_fec_ledger_splits_sales_from_other_movements(tmp_path):
    invoices, payments = fec_ledger(read_fec(write(tmp_path / "fec.txt")))
    # sales entries (with a 70x line): FA1 1 200 + FA2 600 + FA3 2 400 + FA4 300 = 4 500
    assert list(invoices["amount_incl_vat"]) == [1200.0, 600.0, 2400.0, 300.0]
    assert invoices["document_date"].min() == pd.Timestamp("2025-01-10")
    # receipts RG1 1 200 + RG2 1 000 + RG3 150 = 2 350, unallocated
    assert list(payments["amount"]) == [1200.0, 1000.0, 150.0] and (payments["document_ref"] == "").all()
    # 411 balance at 31/03/2025 = 4 500 − 2 350 = 2 150
    assert receivables_at(invoices, payments, ["2025-03-31"]).iloc[0] == 2150.0
    # at 31/01/2025: FA1 + FA2 = 1 800, nothing received yet
    assert receivables_at(invoices, payments, ["2025-01-31"]).iloc[0] == 1800.0


def test_lettering_after_as_of_leaves_lines_open(tmp_path):
    fec = read_fec(write(tmp_path / "fec.txt"))
    items = open_items_from_fec(fec, pd.Timestamp("2025-02-10"))
    got = {(r.customer_id, r.document_ref): r.amount for r in items.itertuples()}
    # On 10/02, letter A (DateLet 15/02) and letter B (10/03) are not yet lettered; RG1 (15/02) not yet booked.
    assert got == {("C001", "FA1"): 1200.0, ("C001", "FA2"): 600.0, ("C002", "FA3"): 2400.0}


def test_as_of_before_any_entry_gives_empty_table(tmp_path):
    items = open_items_from_fec(read_fec(write(tmp_path / "fec.txt")), "2024-12-31")
    assert items.empty and list(items.columns)[:3] == ["customer_id", "customer_name", "document_ref"]


@pytest.mark.parametrize("variant", ["pipe-latin1-padded", "bom", "crlf", "cr", "extra-columns", "lowercase"])
def test_format_variants_read_the_same(tmp_path, variant):
    reference = read_fec(write(tmp_path / "ref.txt"))
    header, rows = list(FEC_COLUMNS), fec_rows()
    options = {}
    if variant == "pipe-latin1-padded":
        rows = fec_rows(amount=lambda a: a.zfill(13))
        rows = [r + [""] for r in rows]  # trailing separator, as some software writes
        header = header + [""]
        options = dict(sep="|", encoding="latin-1")
    elif variant == "bom":
        options = dict(bom=True)
    elif variant == "crlf":
        options = dict(newline="\r\n")
    elif variant == "cr":
        options = dict(newline="\r")
    elif variant == "extra-columns":
        header = header + ["DateRglt", "ModeRglt"]
        rows = [r + ["20250101", "VIR"] for r in rows]
    elif variant == "lowercase":
        header = [h.lower() if i % 2 else h.upper() for i, h in enumerate(header)]
    fec = read_fec(write(tmp_path / "v.txt", header=header, rows=rows, **options))
    assert list(fec.columns[:18]) == FEC_COLUMNS
    pd.testing.assert_frame_equal(fec[FEC_COLUMNS], reference[FEC_COLUMNS])
    assert fec["CompAuxLib"].tolist()[8] == "Bêta SAS"


def test_montant_sens_variant(tmp_path):
    header = [c for c in FEC_COLUMNS if c not in ("Debit", "Credit")] + ["Montant", "Sens"]
    rows = []
    for r in fec_rows():
        debit, credit = r[11], r[12]
        d = dict(zip(FEC_COLUMNS, r))
        rows.append([d[c] for c in header[:-2]] + ([debit, "D"] if debit != "0,00" else [credit, "C"]))
    fec = read_fec(write(tmp_path / "ms.txt", header=header, rows=rows))
    items = open_items_from_fec(fec, "2025-03-31")
    assert by_customer(items) == {"C001": 450.0, "C002": 1400.0, "41100099": 300.0}


def test_decimal_point_and_thousands_spaces_accepted(tmp_path):
    rows = fec_rows(amount=lambda a: "1 200,00" if a == "1200,00" else a.replace(",", "."))
    fec = read_fec(write(tmp_path / "p.txt", rows=rows))
    assert fec.loc[0, "Debit"] == 1200.0 and fec.loc[1, "Credit"] == 1000.0


@pytest.mark.parametrize("mutate, line, words", [
    (lambda h, r: (h, [x[:3] + ["20251341"] + x[4:] if i == 4 else x for i, x in enumerate(r)]), 6,
     ["date", "20251341", "EcritureDate"]),
    (lambda h, r: (h, [x[:11] + ["12,3x"] + x[12:] if i == 2 else x for i, x in enumerate(r)]), 4,
     ["montant", "12,3x", "Debit"]),
    (lambda h, r: (h, [x[:12] + ["999,00"] + x[13:] if i == 1 else x for i, x in enumerate(r)]), 2,
     ["déséquilibrée", "VE", "n° 1", "débit − crédit = 1,00\u00a0€"]),  # 1 200 − (999 + 200) = 1
    (lambda h, r: (h, [x + ["en trop"] if i == 3 else x for i, x in enumerate(r)]), 5, ["19 champs", "18"]),
    (lambda h, r: ([c for c in h if c != "CompteNum"], [x[:4] + x[5:] for x in r]), 1,
     ["obligatoire", "CompteNum"]),
])
def test_bad_input_gives_french_error_with_line(tmp_path, mutate, line, words):
    header, rows = mutate(list(FEC_COLUMNS), fec_rows())
    path = write(tmp_path / "bad.txt", header=header, rows=rows)
    before = sorted((p.name, p.stat().st_mtime_ns) for p in tmp_path.iterdir())
    with pytest.raises(DataError) as err:
        read_fec(path)
    message = str(err.value)
    assert str(path) in message and f"ligne {line}" in message
    for word in words:
        assert word in message
    assert sorted((p.name, p.stat().st_mtime_ns) for p in tmp_path.iterdir()) == before  # nothing written


def test_wrong_separator_and_missing_file(tmp_path):
    with pytest.raises(DataError, match="séparateur non conforme .*« ; »"):
        read_fec(write(tmp_path / "semi.csv", sep=";"))
    with pytest.raises(DataError, match="introuvable"):
        read_fec(tmp_path / "absent.txt")
    (tmp_path / "empty.txt").write_text("")
    with pytest.raises(DataError, match="vide"):
        read_fec(tmp_path / "empty.txt")


def test_bad_as_of_is_refused(tmp_path):
    fec = read_fec(write(tmp_path / "fec.txt"))
    with pytest.raises(DataError, match="as_of"):
        open_items_from_fec(fec, "31 mars")


def test_fil_rouge_fec_round_trip(tmp_path):
    """The fil rouge written as a FEC and read back gives exactly its own open items, item by item."""
    case = load_case()
    for as_of in ("2024-06-30", "2025-12-31"):
        path = write_fec(fec_from_case(case, as_of), tmp_path / "hexaform.txt", sep="|")
        fec = read_fec(path)
        mine, theirs = case.open_items(as_of), open_items_from_fec(fec, as_of)
        assert by_customer(theirs) == pytest.approx(balances_411(fec, as_of), abs=0.005)
        assert by_customer(mine) == pytest.approx(by_customer(theirs), abs=0.005)
    # at the case date every document is lettered with all its allocations: the items match one by one
    merged = mine.merge(theirs, on=["customer_id", "document_ref"], how="outer", indicator=True)
    assert (merged["_merge"] == "both").all()
    assert (merged["amount_x"] - merged["amount_y"]).abs().max() < 0.005


SAMPLES = sorted(SHARED.glob("*FEC*")) if SHARED.is_dir() else []


@pytest.mark.skipif(not SAMPLES, reason="../shared/data/fec absent")
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_shared_samples_reconcile_with_411_balances(path):
    fec = read_fec(path)
    assert len(fec) > 900
    dates = fec["EcritureDate"]
    for as_of in (dates.min(), dates.quantile(0.5), dates.max()):
        items = open_items_from_fec(fec, as_of)
        assert by_customer(items) == pytest.approx(balances_411(fec, as_of), abs=0.01)
