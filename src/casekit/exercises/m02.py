"""Exercises of notebook 02 (value of a day of DSO): expected answers computed by casekit calculators."""

from __future__ import annotations

import pandas as pd

from casekit.credit.dso import dso_accounting, dso_count_back
from casekit.credit.dso_value import dso_environment, dso_value_for_case, sales_to_offset_loss
from casekit.exercises import exercise

COUNT_BACK_SALES = {"2025-10": 90_000.0, "2025-11": 150_000.0, "2025-12": 120_000.0}
COUNT_BACK_RECEIVABLES = 300_000.0


@exercise("02.1", "DSO 2025 d'Hexaform par la méthode comptable sur 12 mois : créances clients TTC au 31/12/2025 "
          "divisées par le chiffre d'affaires TTC de 2025, multipliées par 365 (états financiers du fil rouge).",
          unit="days", abs_tolerance=0.1,
          hints=("Le numérateur et le dénominateur doivent être sur la même base : les créances sont TTC, prenez le "
                 "CA TTC (`revenue_incl_vat`), pas le CA HT.",
                 "Ligne 2025 de `wb.case.financials` : `trade_receivables` / `revenue_incl_vat` × 365.",
                 "9 490 745 / 46 716 894 × 365."))
def dso_2025(financials: pd.DataFrame, year: int = 2025) -> float:
    row = financials.set_index("year").loc[year]
    return dso_accounting(row["trade_receivables"], row["revenue_incl_vat"], 365)


@exercise("02.2", "DSO par épuisement au 31/12/2025 d'un encours TTC de 300 000 €, avec des ventes TTC de "
          "120 000 € en décembre, 150 000 € en novembre et 90 000 € en octobre.", unit="days", abs_tolerance=0.05,
          hints=("Partez du mois le plus récent : décembre absorbe 120 000 € de l'encours et compte pour ses 31 jours.",
                 "Après décembre et novembre (31 + 30 jours), il reste 30 000 € : quelle fraction d'octobre ?",
                 "31 + 30 + 30 000 / 90 000 × 31."))
def count_back_example(receivables: float = COUNT_BACK_RECEIVABLES, sales: dict | None = None) -> float:
    sales = COUNT_BACK_SALES if sales is None else sales
    return dso_count_back(receivables, pd.Series(sales).set_axis(pd.PeriodIndex(list(sales), freq="M")))


@exercise("02.3", "Hexaform ramène son DSO 2025 à 60 jours. Quel effet annuel sur son résultat net (en euros, après "
          "impôt sur les sociétés à 25 %) procure l'économie de frais financiers, au taux moyen de ses financements "
          "court terme de 2025 ?", unit="euros", rel_tolerance=0.005, abs_tolerance=1.0,
          hints=("La trésorerie libérée (jours gagnés × valeur d'un jour) est un gain ponctuel : ce n'est pas l'effet "
                 "annuel sur le résultat.",
                 "Trésorerie libérée × taux des financements (`borrowing_rate`) = frais financiers économisés par an, "
                 "avant impôt.",
                 "`casekit.dso_value_for_case(wb.case, 2025, target_dso=60).result_after_tax`."))
def result_after_tax(case, year: int = 2025, target_dso: float = 60.0) -> float:
    return dso_value_for_case(case, year, target_dso=target_dso).result_after_tax


@exercise("02.4", "Pertes sur créances irrécouvrables d'Hexaform en 2025 (HT) : quel chiffre d'affaires HT "
          "supplémentaire aurait-il fallu réaliser pour les compenser, avec le taux de marge nette de 2025 (résultat "
          "net / CA HT) ?", unit="euros", rel_tolerance=0.005, abs_tolerance=100.0,
          hints=("Une vente supplémentaire ne rapporte que sa marge nette : divisez la perte par le taux de marge "
                 "nette.",
                 "Taux de marge nette 2025 = `net_income` / `revenue_excl_vat` ; perte = `bad_debt_losses`.",
                 "`casekit.sales_to_offset_loss(perte, taux_de_marge_nette)`."))
def sales_to_offset(financials: pd.DataFrame, year: int = 2025) -> float:
    row = dso_environment(financials).loc[year]
    return sales_to_offset_loss(row["bad_debt_losses"], row["net_margin_rate"])
