"""Exercises of notebook 04c (disputes), checked with the dispute calculators of `casekit.credit.disputes`."""

from __future__ import annotations

from casekit.credit.disputes import dispute_payment_delay, dispute_summary, target_check, target_for_rate
from casekit.errors import DataError
from casekit.exercises import exercise


@exercise("04c.1",
          "À la fin du trimestre précédent, le 30/09/2025, quel était le montant contesté (TTC) des litiges alors "
          "ouverts dont la résolution appartenait au service Logistique (en euros) ?",
          unit="euros",
          hints=("Un litige est ouvert à une date s'il a été signalé au plus tard ce jour-là et n'était pas encore "
                 "clos ; on additionne les montants contestés, pas les montants des factures.",
                 "casekit.dispute_summary(wb.case.disputes, \"2025-09-30\") donne les litiges ouverts à cette date ; "
                 "son tableau by_department les détaille par service responsable.",
                 "reponse1 = casekit.dispute_summary(wb.case.disputes, \"2025-09-30\").by_department.loc["
                 "\"Logistique\", \"amount\"]"))
def _department_amount(disputes, as_of="2025-09-30", department: str = "Logistique"):
    table = dispute_summary(disputes, as_of).by_department
    return float(table.loc[department, "amount"]) if department in table.index else 0.0


@exercise("04c.2",
          "Le responsable logistique propose de ramener son délai cible de résolution de 20 à 10 jours. Combien de "
          "litiges ouverts du service Logistique dépassent ce nouveau délai à la date d'analyse (âge depuis "
          "l'ouverture strictement supérieur à 10 jours) ?",
          unit="number", rel_tolerance=0.0, abs_tolerance=0.0,
          hints=("L'âge d'un litige ouvert est le nombre de jours entre sa date d'ouverture et la date d'analyse.",
                 "casekit.target_check(wb.case.disputes, case_as_of, 10, department=\"Logistique\") compare les "
                 "litiges ouverts du service au délai cible.",
                 "reponse2 = casekit.target_check(wb.case.disputes, case_as_of, 10, "
                 "department=\"Logistique\").beyond_count"))
def _beyond_target(disputes, as_of, target_days: int = 10, department: str = "Logistique"):
    return target_check(disputes, as_of, target_days, department=department).beyond_count


@exercise("04c.3",
          "Quel délai cible, en jours entiers, faudrait-il fixer au service Qualité pour que 80 % des litiges qu'il "
          "a clos dans les 365 jours précédant la date d'analyse l'aient respecté (résolution en un nombre de jours "
          "inférieur ou égal au délai cible) ? Donnez le plus petit délai qui convient.",
          unit="number", rel_tolerance=0.0, abs_tolerance=0.0,
          hints=("Classez les délais de résolution des litiges clos du service du plus court au plus long : le délai "
                 "cible cherché est celui du litige qui porte le rang ⌈80 % × nombre de litiges⌉.",
                 "casekit.target_for_rate(wb.case.disputes, case_as_of, 0.8, department=\"Qualité\") fait ce "
                 "calcul ; vérifiez-le avec le simulateur ou avec casekit.target_check.",
                 "reponse3 = casekit.target_for_rate(wb.case.disputes, case_as_of, 0.8, department=\"Qualité\")"))
def _target_for_rate(disputes, as_of, rate: float = 0.8, department: str = "Qualité", window_days: int = 365):
    target = target_for_rate(disputes, as_of, rate, department=department, window_days=window_days)
    if target != target:
        raise DataError(f"aucun litige du service « {department} » clos sur la période")
    return target


@exercise("04c.4",
          "Pour les factures soldées en 2024 (du 01/01/2024 au 31/12/2024), de combien de jours, en moyenne, une "
          "facture qui a fait l'objet d'un litige a-t-elle été soldée plus tard qu'une facture sans litige (retard "
          "moyen à l'échéance avec litige − sans litige) ?",
          unit="days", rel_tolerance=0.0, abs_tolerance=0.1,
          hints=("Le retard d'une facture soldée est le nombre de jours entre son échéance et la date à laquelle "
                 "elle est entièrement soldée (règlements et avoirs) ; on compare les moyennes des deux groupes.",
                 "casekit.dispute_payment_delay(wb.case.invoices, wb.case.payments, wb.case.disputes, start=..., "
                 "end=...) retient les factures soldées après start et au plus tard à end.",
                 "reponse4 = casekit.dispute_payment_delay(wb.case.invoices, wb.case.payments, wb.case.disputes, "
                 "start=\"2023-12-31\", end=\"2024-12-31\").extra_days"))
def _extra_days(case, start="2023-12-31", end="2024-12-31"):
    return dispute_payment_delay(case.invoices, case.payments, case.disputes, start=start, end=end).extra_days
