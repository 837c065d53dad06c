"""The company diagnostic: `summary.json` against figures worked out by hand on a tiny FEC, and against the
casekit calculators on `small_fec`; `casekit diagnostic` end to end (HTML offline, summary.json, Excel)."""

import contextlib
import io
import json

import pytest

from casekit import aged_balance_totals, dso_summary, read_fec
from casekit.cli import main
from casekit.credit.excel import excel_contents
from casekit.errors import DataError
from casekit.fec import FEC_COLUMNS, fec_ledger, open_items_from_fec
from casekit.reports.diagnostic import company_data, diagnostic_summary
from casekit.reports.run import REMOTE_RE

# Tiny FEC (journal, n°, date, account, customer, name, piece, debit, credit, letter, letter date).
# C1 Alpha: F1 1 200 € on 15/10/2025 paid on 01/12/2025 (lettered A), F2 600 € on 20/11/2025 open.
# C2 Beta: F00 240 € on 20/12/2024 paid on 20/01/2025 (lettered B), F0 360 € on 05/09/2025 and F3 2 400 € on
# 10/12/2025 open.
ENTRIES = [
    ("VE", "1", "20241220", "411", "C2", "Beta SA", "F00", 240, 0, "B", "20250120"),
    ("VE", "1", "20241220", "706", "", "", "F00", 0, 200, "", ""),
    ("VE", "1", "20241220", "44571", "", "", "F00", 0, 40, "", ""),
    ("BQ", "1", "20250120", "411", "C2", "Beta SA", "R1", 0, 240, "B", "20250120"),
    ("BQ", "1", "20250120", "512", "", "", "R1", 240, 0, "", ""),
    ("VE", "2", "20250905", "411", "C2", "Beta SA", "F0", 360, 0, "", ""),
    ("VE", "2", "20250905", "706", "", "", "F0", 0, 300, "", ""),
    ("VE", "2", "20250905", "44571", "", "", "F0", 0, 60, "", ""),
    ("VE", "3", "20251015", "411", "C1", "Alpha SARL", "F1", 1200, 0, "A", "20251201"),
    ("VE", "3", "20251015", "706", "", "", "F1", 0, 1000, "", ""),
    ("VE", "3", "20251015", "44571", "", "", "F1", 0, 200, "", ""),
    ("VE", "4", "20251120", "411", "C1", "Alpha SARL", "F2", 600, 0, "", ""),
    ("VE", "4", "20251120", "706", "", "", "F2", 0, 500, "", ""),
    ("VE", "4", "20251120", "44571", "", "", "F2", 0, 100, "", ""),
    ("BQ", "2", "20251201", "411", "C1", "Alpha SARL", "R2", 0, 1200, "A", "20251201"),
    ("BQ", "2", "20251201", "512", "", "", "R2", 1200, 0, "", ""),
    ("VE", "5", "20251210", "411", "C2", "Beta SA", "F3", 2400, 0, "", ""),
    ("VE", "5", "20251210", "706", "", "", "F3", 0, 2000, "", ""),
    ("VE", "5", "20251210", "44571", "", "", "F3", 0, 400, "", ""),
]


@pytest.fixture
def tiny_fec(tmp_path):
    lines = ["\t".join(FEC_COLUMNS)]
    for journal, number, date, account, aux, name, piece, debit, credit, letter, let_date in ENTRIES:
        amounts = [f"{debit:.2f}".replace(".", ","), f"{credit:.2f}".replace(".", ",")]
        lines.append("\t".join([journal, journal, number, date, account, account, aux, name, piece, date,
                                piece, *amounts, letter, let_date, date, "", ""]))
    path = tmp_path / "123456789FEC20251231.txt"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def test_summary_by_hand_on_a_tiny_fec(tiny_fec):
    """Terms 30 days, as of 31/12/2025.

    Open: F0 360 (due 05/10/2025: 87 days late → 61-90), F2 600 (due 20/12/2025: 11 days → 1-30), F3 2 400
    (due 09/01/2026: not due). Receivables 360 + 600 + 2 400 = 3 360; overdue 360 + 600 = 960.
    DSO 3 months: sales of (30/09, 31/12] = F1 1 200 + F2 600 + F3 2 400 = 4 200 over 92 days
    → 3 360 / 4 200 × 92 = 73,6 days.
    DSO 12 months: sales of 2025 = 360 + 1 200 + 600 + 2 400 = 4 560 (F00 is 2024) over 365 days
    → 3 360 / 4 560 × 365 = 268,947… → 268,9 days; one day = 4 560 / 365 = 12,493… → 12,49 €.
    Count-back: December 2 400 (31 days), November 600 (30 days), the 360 left on October's 1 200:
    360 / 1 200 × 31 = 9,3 → 31 + 30 + 9,3 = 70,3 days."""
    data = company_data(tiny_fec, "fec", "2025-12-31", 30)
    summary = diagnostic_summary(data.open_items, data.invoices, data.as_of)
    assert summary == {
        "as_of": "2025-12-31", "receivables_total": 3360.0, "overdue_total": 960.0,
        "dso": {"accounting_3m": 73.6, "accounting_12m": 268.9, "count_back": 70.3}, "day_value": 12.49,
        "aged_balance": {"not_due": 2400.0, "1-30": 600.0, "31-60": 0.0, "61-90": 360.0, ">90": 0.0,
                         "total": 3360.0},
        "customers": 2, "open_items": 3}
    assert json.loads(json.dumps(summary)) == summary          # plain JSON numbers


def test_open_items_export_has_no_dso(tmp_path):
    path = tmp_path / "encours.csv"
    path.write_text("Code client;Client;N° facture;Date facture;Date échéance;Montant TTC\n"
                    "C1;Alpha;F1;01/11/2025;01/12/2025;1 000,00\nC2;Beta;F2;15/12/2025;14/01/2026;500,50\n",
                    encoding="utf-8")
    data = company_data(path, "open_items", "31/12/2025", 30)
    summary = diagnostic_summary(data.open_items, data.invoices, data.as_of)
    # F1 due 01/12: 30 days late → 1-30; F2 not due. No sales in an open-items export: no DSO.
    assert summary["receivables_total"] == 1500.5 and summary["overdue_total"] == 1000.0
    assert summary["dso"] == {"accounting_3m": None, "accounting_12m": None, "count_back": None}
    assert summary["day_value"] is None and summary["aged_balance"]["1-30"] == 1000.0


def test_summary_matches_the_calculators_on_small_fec(small_fec):
    fec = read_fec(small_fec)
    items = open_items_from_fec(fec, "2025-12-31", 45)
    invoices, _ = fec_ledger(fec)
    data = company_data(small_fec, "fec", "2025-12-31", 45)
    summary = diagnostic_summary(data.open_items, data.invoices, data.as_of)
    dso = dso_summary(items, invoices, "2025-12-31")
    totals = aged_balance_totals(items, "2025-12-31")
    assert summary["receivables_total"] == round(items["amount"].sum(), 2) == round(dso.receivables, 2)
    assert summary["dso"]["accounting_3m"] == round(dso.dso_3m, 1)
    assert summary["dso"]["accounting_12m"] == round(dso.dso_12m, 1)
    assert summary["dso"]["count_back"] == round(dso.dso_count_back, 1)
    assert summary["aged_balance"] == {k: round(v, 2) for k, v in totals.items()}
    assert summary["customers"] == items["customer_id"].nunique() <= 15
    assert summary["open_items"] == len(items)


def test_diagnostic_errors_are_french(tmp_path):
    with pytest.raises(DataError, match="fichier introuvable"):
        company_data(tmp_path / "absent.txt", "fec", "2025-12-31", 30)
    with pytest.raises(DataError, match="type de fichier « xls » inconnu"):
        company_data(tmp_path / "absent.txt", "xls", "2025-12-31", 30)


def test_diagnostic_command(small_fec, tmp_path):
    out = tmp_path / "diagnostic"
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = main(["diagnostic", "--fec", str(small_fec), "--as-of", "31/12/2025", "--terms", "45", "--out",
                     str(out), "--no-pdf", "--company", "Entreprise test"])
    assert code == 0, stdout.getvalue()
    assert sorted(p.name for p in out.iterdir()) == ["balance_agee.xlsx", "diagnostic.html", "summary.json"]
    data = company_data(small_fec, "fec", "2025-12-31", 45)
    assert json.loads((out / "summary.json").read_text(encoding="utf-8")) == \
        diagnostic_summary(data.open_items, data.invoices, data.as_of)
    page = (out / "diagnostic.html").read_text(encoding="utf-8")
    assert REMOTE_RE.search(page) is None and "data:image/png;base64," in page
    for expected in ("Diagnostic du poste clients", "Entreprise test", "31/12/2025", "balance âgée",
                     "pénalités de retard", "appeler en priorité",
                     "Le FEC ne dit pas quelles factures sont en litige", "prévision d'encaissements"):
        assert expected.lower() in page.lower(), expected
    excel = excel_contents(out / "balance_agee.xlsx").iloc[0]
    assert excel["lines"] == data.open_items["customer_id"].nunique()          # one row per customer
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert excel["total"] == pytest.approx(summary["receivables_total"])
