"""Exercises of notebook 01 (introduction: context, financial stakes, role, risks, steering), on the fil rouge."""

from __future__ import annotations

from casekit.context import days_late_by_country, receivables_financing
from casekit.credit.disputes import overdue_explained_by_disputes
from casekit.credit.dso_value import dso_change_impact
from casekit.errors import DataError
from casekit.exercises import exercise


def _year(financials, year: int):
    table = receivables_financing(financials)
    if year not in table.index:
        raise DataError(f"exercice {year} absent des états financiers")
    return table.loc[year]


@exercise("01.1",
          "D'après les états financiers 2025 du fil rouge, combien coûte chaque année le financement de l'encours "
          "clients au 31/12/2025, au taux moyen d'emprunt de l'exercice (en euros) ?",
          unit="euros", rel_tolerance=0.001, abs_tolerance=1.0,
          hints=("Coût annuel = créances clients TTC × taux moyen d'emprunt.",
                 "Les deux chiffres sont dans le tableau « Ce que coûte l'encours » (colonne 2025).",
                 "9 490 745 € × 4,7 % : attention, le taux s'écrit 0.047 en Python."))
def _financing_cost(financials, year: int = 2025):
    return float(_year(financials, year)["financing_cost"])


@exercise("01.2",
          "Le fil rouge réduit son retard moyen de 5 jours, à chiffre d'affaires 2025 inchangé. Quelle trésorerie "
          "cela libère-t-il (en euros) ? Prenez le chiffre d'affaires TTC 2025 des états financiers et une année "
          "de 365 jours.",
          unit="euros", rel_tolerance=0.001, abs_tolerance=1.0,
          hints=("Un jour de retard en moins, c'est un jour de DSO en moins : il libère un jour de CA TTC.",
                 "Valeur d'un jour = CA TTC annuel / 365 ; multipliez par le nombre de jours gagnés.",
                 "46 716 894 € / 365 × 5."))
def _cash_released(financials, days: int = 5, year: int = 2025):
    row = financials[financials["year"] == year]
    if row.empty:
        raise DataError(f"exercice {year} absent des états financiers")
    sales = float(row["revenue_incl_vat"].iloc[0])
    dso = float(_year(financials, year)["dso"])
    return dso_change_impact(sales, dso, dso - days, float(row["borrowing_rate"].iloc[0])).cash_released


@exercise("01.3",
          "Sur le cas fil rouge à la date du tableau de qualification, quelle part du montant échu (net des avoirs) "
          "porte sur des factures en litige ? Donnez un ratio (0,05 pour 5 %).",
          unit="percent", rel_tolerance=0.005, abs_tolerance=0.0005,
          hints=("Part = montant échu en litige / montant échu total.",
                 "Les deux montants sont imprimés au-dessus du tableau de qualification.",
                 "Ne confondez pas avec la part des litiges dans l'encours total (échu et non échu)."))
def _disputed_share(items, as_of):
    return overdue_explained_by_disputes(items, as_of).share


@exercise("01.4",
          "En 2025, quel est le pays d'export dont les clients du fil rouge ont payé avec le retard moyen le plus "
          "long ? Répondez par le nom du pays en français (ex. « Allemagne »).",
          unit="text",
          hints=("Regardez le tableau et le graphique des retards par pays : la France n'est pas un pays d'export.",
                 "Le classement va du pays le plus ponctuel au moins ponctuel : prenez le dernier."))
def _latest_country(case, start="2024-12-31", end="2025-12-31"):
    table = days_late_by_country(case, start, end)
    export = table[~table["domestic"]]
    return str(export["country_name"].iloc[-1])

