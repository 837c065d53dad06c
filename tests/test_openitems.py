"""read_open_items: CSV and Excel exports of open items into the canonical table."""

import pandas as pd
import pytest

from casekit import DataError, read_open_items

CSV = """Code client;Raison sociale;N° facture;Date facture;Date échéance;Montant TTC;Litige
C1;Alpha SARL;F001;15/01/2025;14/02/2025;1 234,56;non
C1;Alpha SARL;F002;20/01/2025;19/02/2025;-100,00;
C2;Bêta SAS;F003;2025-02-01;2025-03-03;2500;oui
"""


def test_csv_with_french_headers_and_numbers(tmp_path):
    path = tmp_path / "encours.csv"
    path.write_text(CSV, encoding="utf-8")
    items = read_open_items(path)
    assert list(items.columns) == ["customer_id", "customer_name", "document_ref", "document_date", "due_date",
                                   "amount", "disputed"]
    assert items["amount"].tolist() == [1234.56, -100.0, 2500.0]
    assert items["due_date"].tolist() == [pd.Timestamp("2025-02-14"), pd.Timestamp("2025-02-19"),
                                          pd.Timestamp("2025-03-03")]
    assert items["disputed"].tolist() == [False, False, True]
    assert items.loc[2, "customer_name"] == "Bêta SAS"


def test_latin1_tab_file_with_mapping_and_terms(tmp_path):
    path = tmp_path / "export.txt"
    path.write_bytes("cli\tpiece\tdte\tsolde\nC9\tX1\t31/01/2025\t500,00\nC8\tX2\t10/02/2025\t-20,00\n"
                     .encode("latin-1"))
    items = read_open_items(path, columns={"customer_id": "cli", "document_ref": "piece", "document_date": "dte",
                                           "amount": "solde"}, payment_terms_days=45, terms_by_customer={"C9": 30},
                            end_of_month=True)
    due = items.set_index("document_ref")["due_date"]
    assert due["X1"] == pd.Timestamp("2025-03-31")  # 31/01 + 30 days = 02/03, then end of month → 31/03
    assert due["X2"] == pd.Timestamp("2025-02-10")  # a credit is due at once
    assert items.set_index("document_ref").loc["X1", "customer_name"] == "C9"


def test_excel_export(tmp_path):
    path = tmp_path / "encours.xlsx"
    pd.DataFrame({"Compte": ["C1", "C2"], "Pièce": ["F1", "F2"],
                  "Date pièce": pd.to_datetime(["2025-03-01", "2025-03-05"]),
                  "Échéance": pd.to_datetime(["2025-04-30", "2025-04-04"]),
                  "Montant": [100.5, 200.0]}).to_excel(path, index=False)
    items = read_open_items(path)
    assert items["amount"].sum() == 300.5
    assert items.loc[0, "due_date"] == pd.Timestamp("2025-04-30")


@pytest.mark.parametrize("content, kwargs, words", [
    ("Code client;N° facture;Date facture;Montant\nC1;F1;15/01/2025;12\n", {}, ["due_date", "payment_terms_days"]),
    ("Code client;N° facture;Date facture;Échéance;Montant\nC1;F1;15/13/2025;20/01/2025;12\n", {},
     ["ligne 2", "Date facture", "15/13/2025"]),
    ("Code client;N° facture;Date facture;Échéance;Montant\nC1;F1;15/01/2025;20/01/2025;12\n"
     "C1;F2;15/01/2025;20/01/2025;douze\n", {}, ["ligne 3", "Montant", "douze"]),
    ("Code client;N° facture;Date facture;Échéance;Montant;Litige\nC1;F1;15/01/2025;20/01/2025;12;peut-être\n", {},
     ["ligne 2", "Litige", "oui/non"]),
    ("a;b\n1;2\n", {"columns": {"customer_id": "client"}}, ["client", "absente"]),
])
def test_bad_input(tmp_path, content, kwargs, words):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_open_items(path, **kwargs)
    for word in words:
        assert word in str(err.value)
    assert str(path) in str(err.value)
    assert [p.name for p in tmp_path.iterdir()] == ["bad.csv"]


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="introuvable"):
        read_open_items(tmp_path / "nope.csv")
