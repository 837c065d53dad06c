"""Exercises of notebook 05 (collection calls), checked with the calculators of `casekit.credit.calls`."""

from __future__ import annotations

from casekit.credit.calls import (
    argument_figures,
    call_scorecard,
    check_commitment,
    promise_delay_summary,
    promise_payment_delays,
)
from casekit.errors import DataError
from casekit.exercises import exercise


@exercise("05.1",
          "En 2024 (appels du 01/01/2024 au 31/12/2024), quel a été le taux de promesses tenues de Marco Rossi (G4), "
          "gestionnaire du portefeuille export ? Seules comptent les promesses dont l'issue était connue au "
          "31/12/2024 (« Oui » ou « Non »). Donnez un ratio entre 0 et 1 (par exemple 0.62 pour 62 %).",
          unit="percent", rel_tolerance=0.0, abs_tolerance=0.005,
          hints=("Taux de promesses tenues = promesses tenues / promesses échues dont l'issue est connue ; les "
                 "promesses « À venir » ne comptent ni au numérateur ni au dénominateur.",
                 "casekit.call_scorecard(wb.case.calls, \"2024-12-31\", start=\"2023-12-31\") donne ce taux par "
                 "gestionnaire pour les appels de 2024 (colonne kept_rate).",
                 "reponse1 = casekit.call_scorecard(wb.case.calls, \"2024-12-31\", start=\"2023-12-31\").loc["
                 "\"G4\", \"kept_rate\"]"))
def _kept_rate(calls, as_of="2024-12-31", start="2023-12-31", collector_id: str = "G4"):
    card = call_scorecard(calls, as_of, start=start)
    if collector_id not in card.index:
        raise DataError(f"le gestionnaire « {collector_id} » n'a pas passé d'appel sur la période")
    return float(card.loc[collector_id, "kept_rate"])


@exercise("05.2",
          "Troisième client de la liste d'appels, Distillerie Berthier (C0124) a une facture en litige et des "
          "règlements non lettrés. Quel montant le gestionnaire doit-il lui demander à la date d'analyse : ses "
          "factures échues non contestées, plus la part non contestée de ses factures échues en litige, diminuées "
          "des règlements et avoirs non lettrés (en euros) ?",
          unit="euros",
          hints=("Les règlements non lettrés (montants négatifs de l'encours) ont probablement réglé une partie des "
                 "factures échues : on les déduit avant de réclamer ; la partie contestée d'une facture en litige "
                 "ne se réclame pas.",
                 "casekit.argument_figures(wb.case, \"C0124\", case_as_of) détaille ces montants "
                 "(undisputed_overdue, collectable_disputed, unapplied).",
                 "reponse2 = casekit.argument_figures(wb.case, \"C0124\", case_as_of).to_collect"))
def _to_collect(case, as_of, customer_id: str = "C0124"):
    return argument_figures(case, customer_id, as_of).to_collect


@exercise("05.3",
          "Au téléphone, le client de l'appel du jour s'engage à régler 40 000 € le 09/01/2026 et demande à "
          "étaler le reste. Quel solde l'échéancier écrit devra-t-il couvrir (en euros) ?",
          unit="euros",
          hints=("Le solde à couvrir est le montant à obtenir (exercice 05.2) moins le montant promis, et jamais "
                 "négatif.",
                 "casekit.check_commitment(figures, 40_000, \"2026-01-09\") compare la promesse au montant à "
                 "obtenir (attribut uncovered).",
                 "reponse3 = casekit.check_commitment(casekit.argument_figures(wb.case, client, case_as_of), "
                 "40_000, \"2026-01-09\").uncovered"))
def _uncovered(case, customer_id: str, as_of, amount: float = 40_000, date="2026-01-09"):
    return check_commitment(argument_figures(case, customer_id, as_of), amount, date).uncovered


@exercise("05.4",
          "Pour les promesses non tenues (« Non ») obtenues par Julie Lefèvre (G3) et échues avant la date "
          "d'analyse, combien de jours après la date promise l'argent est-il arrivé, en médiane (jours entre la date "
          "promise et la date à laquelle les encaissements du client depuis l'appel atteignent le montant promis) ?",
          unit="days", rel_tolerance=0.0, abs_tolerance=0.1,
          hints=("On ne garde que les promesses non tenues de la gestionnaire, puis on prend la médiane des écarts "
                 "entre la date promise et la date où l'argent a couvert la promesse.",
                 "casekit.promise_payment_delays(wb.case.calls, wb.case.payments, case_as_of) donne ces écarts "
                 "(le tableau delays de la section 6) ; casekit.promise_delay_summary(..., by=\"collector_id\") "
                 "les résume par gestionnaire.",
                 "reponse4 = casekit.promise_delay_summary(delays[delays[\"status\"] == \"Non\"], "
                 "by=\"collector_id\").loc[\"G3\", \"median_days\"]"))
def _broken_median(case, as_of, collector_id: str = "G3"):
    delays = promise_payment_delays(case.calls, case.payments, as_of)
    summary = promise_delay_summary(delays[delays["status"] == "Non"], by="collector_id")
    if collector_id not in summary.index:
        raise DataError(f"aucune promesse non tenue de « {collector_id} » avant la date d'analyse")
    return float(summary.loc[collector_id, "median_days"])
