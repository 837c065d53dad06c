"""The course's context figures (notebooks 00 and 01), on small hand-made tables."""

import matplotlib

matplotlib.use("Agg")

from types import SimpleNamespace  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from casekit import DataError, fec_from_case, load_case, open_items_from_fec  # noqa: E402
from casekit import context as cx  # noqa: E402
from casekit.casestudy.case import CaseStudy  # noqa: E402
from casekit.openitems import canonical_open_items  # noqa: E402

D = pd.Timestamp


def items(rows):
    """Open items from (customer, ref, document date, due date, amount, disputed) tuples."""
    frame = pd.DataFrame(rows, columns=["customer_id", "document_ref", "document_date", "due_date", "amount",
                                        "disputed"])
    frame["customer_name"] = "Client " + frame["customer_id"]
    return canonical_open_items(frame)


# ----------------------------------------------------------------------------------- indicators

def test_reference_indicators_are_all_sourced():
    table = cx.load_context_indicators()
    assert table["id"].is_unique and len(table) >= 10
    for column in ("publisher", "report", "published", "url"):
        assert (table[column].str.strip() != "").all(), column
    assert table["url"].str.startswith("https://").all()
    assert table["value"].dtype == float
    assert cx.context_indicator("fr_late_days_2024q4") == pytest.approx(13.6)
    assert set(table.loc[table["id"].str.endswith("_late_days_2024q4"), "country"]) >= {"FR", "EU", "DE", "IT"}


def test_unknown_indicator_and_incomplete_source(tmp_path):
    with pytest.raises(DataError, match="absent"):
        cx.context_indicator("nope")
    bad = tmp_path / "bad.csv"
    bad.write_text(",".join(cx.INDICATOR_COLUMNS) + "\n"
                   "x,t,Un chiffre,1.5,jours,FR,2024,,Rapport,2024-01-01,https://exemple.fr,,\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"ligne 2 : source incomplète \(colonne « publisher » vide\)"):
        cx.load_context_indicators(bad)
    bad.write_text(",".join(cx.INDICATOR_COLUMNS) + "\n"
                   "x,t,Un chiffre,1.5,jours,FR,2024,Éditeur,Rapport,janvier 2024,https://exemple.fr,,\n",
                   encoding="utf-8")
    with pytest.raises(DataError, match="date de publication « janvier 2024 » illisible"):
        cx.load_context_indicators(bad)


def test_indicator_display():
    assert cx.indicator_value_text(13.6, "jours") == "13,6\u00a0jours"
    assert cx.indicator_value_text(3.0, "jours") == "3\u00a0jours"  # whole numbers without decimals
    assert cx.indicator_value_text(46.2, "%") == "46,2\u00a0%"
    assert cx.indicator_value_text(65764.0, "nombre") == "65\u00a0764"
    table = cx.format_context_indicators(cx.load_context_indicators(), ["fr_late_days_2024q4"])
    row = table.iloc[0]
    assert row["Valeur"] == "13,6\u00a0jours" and row["Période"] == "4e trimestre 2024"
    assert row["Source"].endswith("« Rapport annuel de l'Observatoire des délais de paiement 2024 », 2025")


# ----------------------------------------------------------------------------------- portfolio

AS_OF = D("2025-03-31")
BOOK = items([
    ("A", "F1", D("2025-03-01"), D("2025-04-30"), 24_000.0, False),   # not due
    ("B", "F2", D("2024-11-01"), D("2024-12-01"), 5_000.0, True),     # 120 days overdue, disputed
    ("B", "F3", D("2025-02-01"), D("2025-03-01"), 1_500.0, False),    # 30 days overdue
    ("B", "R1", D("2025-03-10"), D("2025-03-10"), -500.0, False),     # unapplied credit, overdue
    ("C", "F4", D("2025-04-02"), D("2025-05-02"), 9_999.0, False),    # dated after as_of: ignored
])


def test_portfolio_summary_by_hand():
    s = cx.portfolio_summary(BOOK, AS_OF)
    assert (s.items, s.customers) == (4, 2)
    # 24 000 + 5 000 + 1 500 − 500 = 30 000; overdue 5 000 + 1 500 − 500 = 6 000 (20 %)
    assert s.receivables == pytest.approx(30_000) and s.overdue == pytest.approx(6_000)
    assert s.not_due == pytest.approx(24_000) and s.overdue_share == pytest.approx(0.2)
    # more than 90 days: F2 only, 5 000 / 30 000
    assert s.over_90 == pytest.approx(5_000) and s.over_90_share == pytest.approx(1 / 6)
    assert s.disputed_overdue == pytest.approx(5_000) and s.credits == pytest.approx(-500)
    # 31/03/2025 − 01/12/2024 = 31 + 31 + 28 + 30 = 120 days
    assert s.oldest_days_overdue == 120
    table = cx.format_portfolio_summary(s)
    assert table.loc["Part échue de l'encours", "Valeur"] == "20,0\u00a0%"


def test_portfolio_summary_of_nothing():
    s = cx.portfolio_summary(BOOK.iloc[0:0], AS_OF)
    assert s.items == 0 and s.receivables == 0 and np.isnan(s.overdue_share) and s.oldest_days_overdue == 0


SALES = pd.DataFrame({"document_date": [D("2025-01-15"), D("2025-03-31"), D("2024-06-01"), D("2024-12-31")],
                      "amount_incl_vat": [60_000.0, 30_000.0, 1_000.0, 7_000.0]})


def test_steering_indicators_by_hand():
    ind = cx.steering_indicators(BOOK, SALES, AS_OF)
    # window (31/12/2024, 31/03/2025] = 31 + 28 + 31 = 90 days; sales 60 000 + 30 000 (31/12/2024 excluded)
    assert ind.window_days == 90 and ind.window_sales == pytest.approx(90_000)
    # DSO = 30 000 / 90 000 × 90 = 30; best possible = 24 000 / 90 000 × 90 = 24; ADD = 6 000 / 90 000 × 90 = 6
    assert ind.dso == pytest.approx(30) and ind.best_possible_dso == pytest.approx(24)
    assert ind.add == pytest.approx(6) and ind.has_dso
    # 365 days back: 91 000 + 7 000 = 98 000 € (01/06/2024 included) → 98 000 / 365 a day
    assert ind.annual_sales == pytest.approx(98_000) and ind.day_value == pytest.approx(98_000 / 365)
    table = cx.format_steering_indicators(ind)
    assert table.loc["dont retard moyen (ADD)", "Valeur"] == "6,0\u00a0jours"


def test_steering_indicators_without_sales():
    ind = cx.steering_indicators(BOOK, SALES, "2023-12-31")
    assert not ind.has_dso and np.isnan(ind.day_value)
    assert cx.format_steering_indicators(ind).loc["DSO, méthode comptable", "Valeur"] == "–"
    with pytest.raises(DataError, match="au moins un mois"):
        cx.steering_indicators(BOOK, SALES, AS_OF, window_months=0)


# ----------------------------------------------------------------------------------- financial stakes

FINANCIALS = pd.DataFrame({
    "year": [2025], "revenue_excl_vat": [30_000_000.0], "revenue_incl_vat": [36_500_000.0],
    "ebitda": [2_250_000.0], "net_income": [1_000_000.0], "trade_receivables": [9_000_000.0],
    "working_capital": [10_000_000.0], "cash": [500_000.0], "borrowing_rate": [0.05], "bad_debt_losses": [60_000.0]})


def test_receivables_financing_by_hand():
    row = cx.receivables_financing(FINANCIALS).loc[2025]
    assert row["financing_cost"] == pytest.approx(450_000)          # 9 000 000 × 5 %
    assert row["dso"] == pytest.approx(90)                          # 9 000 000 / 36 500 000 × 365
    assert row["receivables_share_of_wc"] == pytest.approx(0.9)     # 9 000 000 / 10 000 000
    assert row["cost_share_of_ebitda"] == pytest.approx(0.2)        # 450 000 / 2 250 000
    assert row["net_margin_rate"] == pytest.approx(1 / 30)          # 1 000 000 / 30 000 000
    table = cx.format_receivables_financing(cx.receivables_financing(FINANCIALS))
    assert table.loc["Coût annuel de financement de l'encours", "2025"] == "450\u00a0000\u00a0€"


def test_financing_chart_draws_one_pair_of_bars_per_year():
    fig = cx.plot_receivables_financing(cx.receivables_financing(FINANCIALS))
    assert len(fig.axes[0].patches) == 2 and "20 % de l'EBE" in fig.axes[0].texts[0].get_text().replace("\u00a0", " ")


def test_sales_to_offset_a_loss():
    assert cx.sales_to_offset_loss(10_000, 0.05) == pytest.approx(200_000)   # 10 000 / 5 %
    assert cx.sales_to_offset_loss(60_000, 1 / 30) == pytest.approx(1_800_000)
    with pytest.raises(DataError, match="marge"):
        cx.sales_to_offset_loss(10_000, 0)


# ----------------------------------------------------------------------------------- payment behaviour

INVOICES = pd.DataFrame({
    "document_ref": ["D1", "D2", "D3", "AV1"], "customer_id": ["A", "A", "B", "B"],
    "document_date": [D("2025-01-01"), D("2025-01-01"), D("2025-01-29"), D("2025-02-01")],
    "due_date": [D("2025-01-31"), D("2025-01-31"), D("2025-02-28"), D("2025-02-01")],
    "amount_incl_vat": [1_000.0, 3_000.0, 2_500.0, -500.0]})
PAYMENTS = pd.DataFrame({
    "payment_ref": ["P1", "P2", "P3", "IM1", "IM1"], "customer_id": ["A", "A", "B", "B", "B"],
    "payment_date": [D("2025-02-10"), D("2025-01-31"), D("2025-04-09"), D("2025-02-01"), D("2025-02-01")],
    "payment_method": ["Virement", "Virement", "Virement", "Imputation d'avoir", "Imputation d'avoir"],
    "document_ref": ["D1", "D2", "D3", "D3", "AV1"], "amount": [1_000.0, 3_000.0, 2_000.0, 500.0, -500.0]})


def test_days_late_by_group_by_hand():
    table = cx.days_late_by_group(INVOICES, PAYMENTS, {"A": "FR", "B": "IT"}, "2024-12-31", "2025-12-31")
    fr, it = table.loc["FR"], table.loc["IT"]
    # A: 1 000 € paid 10 days late, 3 000 € on the due date → (1 000 × 10 + 3 000 × 0) / 4 000 = 2,5 days
    assert fr["days_late"] == pytest.approx(2.5) and fr["amount_paid"] == pytest.approx(4_000)
    assert fr["paid_late_share"] == pytest.approx(0.25) and fr["over_30_share"] == 0
    # B: the credit-note offset is not cash; 2 000 € paid 28/02 → 09/04 = 40 days late
    assert it["days_late"] == pytest.approx(40) and it["amount_paid"] == pytest.approx(2_000)
    assert it["over_30_share"] == pytest.approx(1.0) and it["customers"] == 1
    # a customer outside the mapping is left out; a window without payments gives an empty table
    assert list(cx.days_late_by_group(INVOICES, PAYMENTS, {"A": "FR"}, "2024-12-31", "2025-12-31").index) == ["FR"]
    assert cx.days_late_by_group(INVOICES, PAYMENTS, {"A": "FR"}, "2023-01-01", "2023-12-31").empty


def test_days_late_by_country_on_the_fil_rouge():
    case = load_case()
    table = cx.days_late_by_country(case, "2024-12-31", "2025-12-31", cx.load_context_indicators())
    assert table.loc["FR", "domestic"] and table.loc["FR", "country_name"] == "France"
    assert table.loc["FR", "benchmark"] == pytest.approx(13.6) and np.isnan(table.loc["MA", "benchmark"])
    assert table["days_late"].is_monotonic_increasing
    both = cx.domestic_vs_export(case, "2024-12-31", "2025-12-31")
    assert list(both.index) == ["France", "Export"]
    assert both["amount_paid"].sum() == pytest.approx(table["amount_paid"].sum())


# ----------------------------------------------------------------------------------- qualification

def test_overdue_qualification_by_hand():
    book = items([
        ("P", "F1", D("2025-01-01"), D("2025-02-01"), 1_000.0, False),   # customer in proceedings
        ("P", "F2", D("2025-01-01"), D("2025-02-01"), 300.0, True),      # proceedings come first
        ("L", "F3", D("2025-03-01"), D("2025-04-01"), 400.0, True),      # dispute
        ("R", "F4", D("2025-01-01"), D("2025-02-01"), 2_000.0, False),   # promise to come (> 90 days too)
        ("O", "F5", D("2025-01-01"), D("2025-02-01"), 700.0, False),     # 149 days overdue
        ("S", "F6", D("2025-05-01"), D("2025-06-01"), 600.0, False),     # plain delay
        ("S", "AV", D("2025-06-15"), D("2025-06-15"), -100.0, False),    # credit
        ("S", "F7", D("2025-06-01"), D("2025-07-31"), 9_000.0, False),   # not due: left out
    ])
    customers = pd.DataFrame({"customer_id": ["P", "L"], "insolvency_date": [D("2025-05-01"), pd.NaT]})
    calls = pd.DataFrame({"customer_id": ["R", "O"], "call_date": [D("2025-06-20"), D("2025-05-01")],
                          "promise_date": [D("2025-07-10"), D("2025-05-15")]})  # O's promise is past
    table = cx.overdue_qualification(book, "2025-06-30", customers, calls)
    assert list(table.index) == list(cx.QUALIFICATIONS)
    amounts = table["amount"].to_dict()
    assert amounts == pytest.approx({"procedure": 1_300, "dispute": 400, "promise": 2_000, "over_90": 700,
                                     "to_chase": 600, "credit": -100})
    # net overdue = 1 300 + 400 + 2 000 + 700 + 600 − 100 = 4 900
    assert table.loc["promise", "share"] == pytest.approx(2_000 / 4_900)
    assert table.loc["procedure", "items"] == 2 and table.loc["procedure", "customers"] == 1
    # without customers nor calls: F1, F4 and F5 are all more than 90 days overdue; F2 and F3 disputed
    plain = cx.overdue_qualification(book, "2025-06-30")
    assert plain.loc["procedure", "amount"] == 0 and plain.loc["over_90", "amount"] == pytest.approx(3_700)
    assert plain.loc["dispute", "amount"] == pytest.approx(700)


# ----------------------------------------------------------------------------------- insolvencies

def mini_case():
    """X: insolvent on 01/07/2025 (limit 1 000 €); Y: healthy."""
    empty = pd.DataFrame()
    customers = pd.DataFrame({
        "customer_id": ["X", "Y"], "customer_name": ["Xeno SARL", "Yval SAS"],
        "insolvency_date": [D("2025-07-01"), pd.NaT], "insolvency_procedure": ["Redressement judiciaire", ""],
        "credit_limit": [1_000.0, 5_000.0]})
    invoices = pd.DataFrame({
        "document_ref": ["I1", "I2", "J1"], "customer_id": ["X", "X", "Y"],
        "document_date": [D("2024-12-01"), D("2025-03-01"), D("2025-01-01")],
        "due_date": [D("2024-12-31"), D("2025-03-31"), D("2025-01-31")],
        "amount_incl_vat": [1_000.0, 2_000.0, 500.0]})
    payments = pd.DataFrame({
        "payment_ref": ["P1", "P2"], "customer_id": ["X", "Y"], "payment_date": [D("2025-01-10"), D("2025-01-31")],
        "payment_method": ["Virement", "Virement"], "document_ref": ["I1", "J1"], "amount": [1_000.0, 500.0]})
    calls = pd.DataFrame({"customer_id": ["X", "X"], "call_date": [D("2025-05-01"), D("2024-05-01")],
                          "promise_kept": ["Non", "Non"]})
    disputes = pd.DataFrame({"document_ref": pd.Series([], dtype=str), "opened_date": pd.Series([], dtype="M8[ns]"),
                             "closed_date": pd.Series([], dtype="M8[ns]")})
    return CaseStudy(company=empty, financials=empty, collectors=empty, customers=customers, invoices=invoices,
                     payments=payments, disputes=disputes, dunning=empty, calls=calls, insurance_offers=empty,
                     insurance_limits=empty, factoring_offers=empty, collection_offers=empty)


def test_insolvency_warning_signs_by_hand():
    signs = cx.insolvency_warning_signs(mini_case(), months_before=(3,))
    x = signs.loc["X"]
    # at the judgement, window (02/01/2025, 01/07/2025]: I1 paid 10 days late (1 000 €), I2 open and 92 days
    # overdue (31/03 → 01/07) → (1 000 × 10 + 2 000 × 92) / 3 000 = 64,67 days
    assert x["days_late_judgement"] == pytest.approx(194_000 / 3_000)
    # 3 months before (01/04/2025): I1 10 days, I2 1 day overdue → (10 000 + 2 000) / 3 000 = 4 days
    assert x["days_late_3m"] == pytest.approx(4.0)
    # portfolio at the judgement: X 64,67 and Y 0 (paid on the due date) → median 32,33
    assert x["portfolio_median"] == pytest.approx(194_000 / 6_000)
    # last cash 10/01/2025 → 01/07/2025 = 21 + 28 + 31 + 30 + 31 + 30 + 1 = 172 days
    assert x["last_cash_date"] == D("2025-01-10") and x["days_without_cash"] == 172
    assert x["sales_12m"] == pytest.approx(3_000) and x["sales_prev_12m"] == 0
    assert x["broken_promises"] == 1  # the 2024 call is more than 12 months before
    # exposure 2 000 € (I2) for a 1 000 € limit → 200 %
    assert x["exposure"] == pytest.approx(2_000) and x["limit_use"] == pytest.approx(2.0)
    assert list(signs.index) == ["X"]
    display = cx.format_warning_signs(signs, months_before=(3,))
    assert display.loc["X", "Utilisation de la limite"] == "200,0\u00a0%"


def test_days_late_path_by_hand():
    path = cx.days_late_path(mini_case(), months=1)
    assert list(path.index) == [1, 0] and list(path.columns) == ["Xeno SARL"]
    # 01/06/2025: I1 10 days late, I2 62 days overdue (31/03 → 01/06) → (10 000 + 124 000) / 3 000
    assert path.loc[1, "Xeno SARL"] == pytest.approx(134_000 / 3_000)
    assert path.loc[0, "Xeno SARL"] == pytest.approx(194_000 / 3_000)
    # the warning signs reuse the path's values when given one
    fake = path * 0 + 1.0
    signs = cx.insolvency_warning_signs(mini_case(), months_before=(1,), path=fake)
    assert signs.loc["X", "days_late_1m"] == 1.0 and signs.loc["X", "days_late_judgement"] == 1.0


# ----------------------------------------------------------------------------------- one customer

def test_customer_history_by_hand():
    invoices = pd.DataFrame({"customer_id": ["K", "K", "Z"], "document_ref": ["F1", "AV1", "F9"],
                             "document_date": [D("2025-01-10"), D("2025-03-20"), D("2025-01-10")],
                             "amount_incl_vat": [1_000.0, -50.0, 99.0]})
    payments = pd.DataFrame({"customer_id": ["K"], "payment_date": [D("2025-02-05")], "amount": [600.0],
                             "document_ref": ["F1"]})
    history = cx.customer_history(invoices, payments, "K", "2025-03-15", months=3)
    assert list(history.index) == [D("2025-01-31"), D("2025-02-28"), D("2025-03-15")]
    assert list(history["invoiced"]) == [1_000.0, 0.0, 0.0]   # the 20/03 credit note is after as_of
    assert list(history["collected"]) == [0.0, 600.0, 0.0]
    assert list(history["balance"]) == [1_000.0, 400.0, 400.0]  # 1 000, then 1 000 − 600
    situation = cx.customer_situation(BOOK, AS_OF, "B")
    assert situation.receivables == pytest.approx(6_000) and situation.items == 3


def test_customers_history_by_hand():
    # K: 200 € invoiced before the window (12/2024), 1 000 € in January, 600 € paid in February; Z: 99 € in March
    invoices = pd.DataFrame({"customer_id": ["K", "K", "Z"], "document_ref": ["F0", "F1", "F9"],
                             "document_date": [D("2024-12-15"), D("2025-01-10"), D("2025-03-01")],
                             "amount_incl_vat": [200.0, 1_000.0, 99.0]})
    payments = pd.DataFrame({"customer_id": ["K"], "payment_date": [D("2025-02-05")], "amount": [600.0],
                             "document_ref": ["F1"]})
    history = cx.customers_history(invoices, payments, "2025-03-15", months=3)
    assert list(history.index.get_level_values("customer_id").unique()) == ["K", "Z"]
    assert list(history.loc["K"].index) == [D("2025-01-31"), D("2025-02-28"), D("2025-03-15")]
    assert list(history.loc["K", "invoiced"]) == [1_000.0, 0.0, 0.0]  # the 200 € are before the window
    assert list(history.loc["K", "balance"]) == [1_200.0, 600.0, 600.0]  # 200 + 1 000, then − 600
    assert list(history.loc["Z", "balance"]) == [0.0, 0.0, 99.0]
    # the customers asked for, in their order; zeros for one without any line
    chosen = cx.customers_history(invoices, payments, "2025-03-15", months=3, customers=["Z", "Y"])
    assert list(chosen.index.get_level_values("customer_id").unique()) == ["Z", "Y"]
    assert (chosen.loc["Y"].to_numpy() == 0).all() and list(chosen.loc["Z", "invoiced"]) == [0.0, 0.0, 99.0]


# ----------------------------------------------------------------------------------- FEC check

def fec_lines(rows):
    return pd.DataFrame(rows, columns=["CompteNum", "CompteLib", "CompAuxNum", "CompAuxLib", "EcritureDate",
                                       "Debit", "Credit"])


def test_reconcile_open_items_by_hand():
    fec = fec_lines([
        ("41100000", "Clients", "C1", "Alpha", D("2025-01-10"), 1_000.0, 0.0),
        ("41100000", "Clients", "C1", "Alpha", D("2025-02-01"), 0.0, 400.0),
        ("70100000", "Ventes", "", "", D("2025-01-10"), 0.0, 1_000.0),        # not a customer account
        ("411002", "Bêta", "", "", D("2025-04-01"), 50.0, 0.0),               # after as_of
    ])
    balances = cx.ledger_balances(fec, "2025-03-31")
    assert balances.loc["C1", "balance"] == pytest.approx(600) and "411002" not in balances.index
    assert cx.ledger_balances(fec, "2025-04-30").loc["411002", "customer_name"] == "Bêta"
    book = items([("C1", "F1", D("2025-01-10"), D("2025-02-10"), 600.0, False),
                  ("C3", "F9", D("2025-01-10"), D("2025-02-10"), 10.0, False)])
    table = cx.reconcile_open_items(book, fec, "2025-03-31")
    assert table.loc["C1", "gap"] == 0 and table.loc["C3", "gap"] == pytest.approx(10)  # C3: not in the ledger
    assert table.loc["C3", "ledger_balance"] == 0


def test_the_fil_rouge_fec_reconciles_customer_by_customer():
    case = load_case()
    fec = fec_from_case(case, "2025-12-31")
    table = cx.reconcile_open_items(open_items_from_fec(fec, "2025-12-31", 45), fec, "2025-12-31")
    assert (table["gap"].abs() < 0.005).all()
    assert table["ledger_balance"].sum() == pytest.approx(case.open_items()["amount"].sum())


def test_case_open_items_follow_the_workbook():
    case = SimpleNamespace(open_items=lambda: "case items", as_of=D("2025-12-31"))
    fil_rouge = SimpleNamespace(is_fil_rouge=True, open_items="wb items", as_of=D("2025-06-30"), case=case)
    company = SimpleNamespace(is_fil_rouge=False, open_items="fec items", as_of=D("2022-12-31"), case=case)
    assert cx.case_open_items(fil_rouge) == ("wb items", D("2025-06-30"))
    assert cx.case_open_items(company) == ("case items", D("2025-12-31"))


def test_late_payment_base_takes_the_workbook_figures_else_the_fil_rouge():
    case = SimpleNamespace(name="Fil rouge SAS", financials=FINANCIALS, invoices=SALES, open_items=lambda: BOOK,
                           as_of=AS_OF)
    company = SimpleNamespace(is_fil_rouge=False, open_items=BOOK, invoices=SALES, as_of=AS_OF, case=case,
                              company_name="Client SA")
    base = cx.late_payment_base(company)
    # the company's own figures (DSO 30 days, ADD 6 days, 98 000 € of sales: see above), the fil rouge's rate,
    # no net income: a company's is not in its ledger
    assert (base.name, base.annual_sales, base.financing_rate, base.net_income) == ("Client SA", 98_000, 0.05, None)
    assert base.dso == pytest.approx(30) and base.add == pytest.approx(6)
    no_sales = SimpleNamespace(**{**vars(company), "invoices": SALES.iloc[0:0]})
    base = cx.late_payment_base(no_sales)  # no DSO on its data: the fil rouge's, with its net income
    assert (base.name, base.net_income) == ("Fil rouge SAS", 1_000_000) and base.dso == pytest.approx(30)


# ----------------------------------------------------------------------------------- the fil rouge

def test_case_tables_overview():
    case = load_case()
    table = cx.case_tables_overview(case)
    assert len(table) == 13 and table.loc["customers", "file"] == "clients.csv"
    assert table.loc["customers", "rows"] == len(case.customers) == 350
    assert table.loc["collectors", "columns"] == len(case.collectors.columns)


def test_monthly_activity_by_hand():
    invoices = pd.DataFrame({"document_ref": ["F1", "F2", "F3"], "customer_id": ["A", "A", "A"],
                             "document_date": [D("2025-01-10"), D("2025-02-10"), D("2025-03-20")],
                             "amount_incl_vat": [1_000.0, 500.0, 800.0]})
    payments = pd.DataFrame({"customer_id": ["A", "A"], "payment_date": [D("2025-02-05"), D("2025-03-20")],
                             "document_ref": ["F1", "F2"], "amount": [1_000.0, 500.0]})
    activity = cx.monthly_activity(invoices, payments, "2025-03-15")
    assert list(activity.index) == [D("2025-01-31"), D("2025-02-28")]  # no sales yet in March at 15/03
    assert list(activity["sales"]) == [1_000.0, 500.0]
    assert list(activity["receivables"]) == [1_000.0, 500.0]  # 1 000; then 1 000 + 500 − 1 000
    assert cx.monthly_activity(invoices, payments, "2024-12-31").empty
    cx.plot_activity(cx.monthly_activity(invoices, payments, "2025-03-31"))
