"""Exercises of notebook 04b (dunning process: scenario, recovery levels, adapted aged balances), checked with
the dunning and aged-balance calculators."""

from __future__ import annotations

import pandas as pd

from casekit.credit.aged_balance import aged_balance, aged_balance_disputed_split
from casekit.credit.dunning import DEFAULT_SCENARIO, action_plan, cumulative_recovery, recovery_by_level
from casekit.errors import DataError
from casekit.exercises import exercise


@exercise("04b.1",
          "Avec le scénario de relance d'Hexaform (courriel à J+5, téléphone à J+15, courrier à J+30, mise en "
          "demeure à J+45, contentieux à J+75), quel montant TTC des pièces non soldées de vos données "
          "(`wb.open_items`) a atteint, à la date d'analyse, le niveau 3 ou au-delà (courrier, mise en demeure, "
          "contentieux) ? Laissez de côté les pièces en litige et, sur le cas fil rouge, les clients en procédure "
          "collective (`procedures`).",
          unit="euros", rel_tolerance=0.001, abs_tolerance=0.5,
          hints=("Une facture atteint le niveau dont le délai est le plus grand parmi ceux qui ne dépassent pas son "
                 "retard (date d'analyse − échéance) : 30 jours de retard ou plus pour le niveau 3.",
                 "`casekit.action_plan(wb.open_items, wb.as_of, proceedings=procedures).items` donne chaque facture "
                 "relancée avec son niveau (`level`) : gardez les niveaux 3, 4 et 5.",
                 "Additionnez la colonne `amount` des factures de niveau 3 ou plus (pas le nombre d'actions)."))
def _amount_at_level(items: pd.DataFrame, as_of, proceedings=(), min_level: int = 3,
                     scenario: pd.DataFrame = DEFAULT_SCENARIO) -> float:
    plan = action_plan(items, as_of, scenario, proceedings=proceedings)
    return float(plan.items.loc[plan.items["level"] >= min_level, "amount"].sum())


@exercise("04b.2",
          "Sur l'historique des relances d'Hexaform (cas fil rouge), quelle part du montant entré en relance au "
          "niveau 1 est encaissée à l'issue du niveau 2 (taux de recouvrement cumulé des niveaux 1 et 2) ? Donnez "
          "un ratio (0,5 pour 50 %).",
          unit="percent", rel_tolerance=0.002, abs_tolerance=0.0005,
          hints=("Le taux cumulé rapporte les montants encaissés aux niveaux 1 et 2 au montant relancé au niveau 1 "
                 "(le montant relancé au niveau 2 est ce qui restait dû).",
                 "Ce n'est pas la somme des deux taux par niveau : leurs dénominateurs diffèrent.",
                 "`casekit.cumulative_recovery(stats)` ajoute la colonne `cumulative_rate` au tableau des niveaux."))
def _cumulative_rate(case, as_of="2025-12-31", level: int = 2) -> float:
    stats = recovery_by_level(case.dunning, case.payments, as_of=as_of)
    table = cumulative_recovery(stats)
    if level not in table.index:
        raise DataError(f"niveau {level} absent de l'historique des relances")
    return float(table.at[level, "cumulative_rate"])


@exercise("04b.3",
          "Balance âgée de vos données (`wb.open_items`) à la date d'analyse, par date d'échéance : quel montant "
          "est échu depuis plus de 60 jours, hors pièces en litige (en euros) ?",
          unit="euros", rel_tolerance=0.001, abs_tolerance=0.5,
          hints=("Une balance âgée par échéance classe chaque pièce selon son retard ; la ventilation litige / hors "
                 "litige est `casekit.aged_balance_disputed_split`.",
                 "Plus de 60 jours = tranches « 61 à 90 jours » et « Plus de 90 jours » de la ligne « Hors litige » "
                 "(la tranche 31 à 60 jours n'en fait pas partie)."))
def _undisputed_over_60(items: pd.DataFrame, as_of) -> float:
    split = aged_balance_disputed_split(items, as_of)
    return float(split.loc["undisputed", ["61-90", ">90"]].sum())


@exercise("04b.4",
          "Cas fil rouge, au 31/12/2025 : quel gestionnaire de recouvrement porte le plus gros montant échu depuis "
          "plus de 30 jours ? Donnez son prénom et son nom, tels qu'ils figurent dans la balance par gestionnaire.",
          unit="text",
          hints=("Construisez la balance âgée par gestionnaire : `casekit.aged_balance(items, as_of, by=...)` avec "
                 "la correspondance client → nom du gestionnaire.",
                 "Plus de 30 jours = tranches 31 à 60, 61 à 90 et plus de 90 jours ; ce n'est pas le total de "
                 "l'encours, ni le seul montant échu à plus de 90 jours."))
def _collector_with_most_overdue(case, as_of="2025-12-31") -> str:
    names = case.collectors.set_index("collector_id")["name"]
    mapping = case.customers.set_index("customer_id")["collector_id"].map(names).rename("collector_id")
    table = aged_balance(case.open_items(as_of), as_of, by=mapping)
    return str(table[["31-60", "61-90", ">90"]].sum(axis=1).idxmax())
