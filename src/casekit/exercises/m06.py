"""Exercises of notebook 06 (performance levers: aged balance for priorities and team, dashboard), checked with the
priorities, DSO and forecast calculators."""

from __future__ import annotations

from casekit.credit.dso import dso_summary
from casekit.credit.forecast import forecast_track
from casekit.credit.priorities import call_schedule, overdue_pareto, pareto_summary, priority_list, schedule_workload
from casekit.errors import DataError
from casekit.exercises import exercise


@exercise("06.1",
          "Pareto de l'échu : en prenant les clients par montant échu hors litige décroissant (hors clients en "
          "procédure collective), combien de clients faut-il pour atteindre 80 % de l'échu hors litige ?",
          unit="number", abs_tolerance=0.0,
          hints=("Partez du tableau du Pareto : les clients y sont classés du plus gros montant échu hors litige au "
                 "plus petit, avec la part cumulée.",
                 "Cherchez le premier rang dont la part cumulée atteint ou dépasse 80 %.",
                 "`casekit.pareto_summary(pareto, 0.8).customers_needed` donne ce rang."))
def _pareto_customers(items, as_of, exclude=(), threshold: float = 0.8):
    return pareto_summary(overdue_pareto(items, as_of, exclude), threshold).customers_needed


@exercise("06.2",
          "À 15 appels par jour et par ETP, en n'appelant que les clients dont l'échu hors litige atteint au moins "
          "5 000 €, combien de jours faut-il à Julie Lefèvre (G3, 0,8 ETP) pour joindre une fois chacun de ses "
          "clients prioritaires ?",
          unit="number", abs_tolerance=0.0,
          hints=("Comptez d'abord les clients de G3 dont l'échu hors litige atteint 5 000 € (liste de priorités, "
                 "hors clients en procédure collective).",
                 "Sa capacité est de 15 × 0,8 = 12 appels par jour (arrondi à l'entier inférieur).",
                 "Jours nécessaires = nombre de clients ÷ 12, arrondi à l'entier supérieur."))
def _collector_days(items, as_of, assignments, fte=None, exclude=(), collector: str = "G3",
                    calls_per_day: int = 15, min_amount: float = 5_000):
    kept = items[~items["customer_id"].isin(set(exclude))]
    plan = call_schedule(priority_list(kept, as_of), assignments, calls_per_day, min_amount, fte)
    workload = schedule_workload(plan, calls_per_day, fte, [collector])
    return int(workload.loc[collector, "days_needed"])


@exercise("06.3",
          "Le DSO comptable sur 3 mois se décompose en meilleur DSO possible (encours non échu) et retard moyen "
          "(ADD, encours échu). Si les relances réduisaient de moitié le retard moyen, sans rien changer d'autre, "
          "quel serait le nouveau DSO comptable sur 3 mois (en jours) ?",
          unit="days", abs_tolerance=0.05,
          hints=("DSO = meilleur DSO possible + ADD : seule la part ADD baisse.",
                 "Nouveau DSO = meilleur DSO possible + ADD ÷ 2 (ou DSO − ADD ÷ 2).",
                 "Lisez le meilleur DSO possible et l'ADD (base 3 mois) dans le tableau du DSO de la section 4."))
def _dso_with_half_add(items, invoices, as_of):
    summary = dso_summary(items, invoices, as_of)
    if summary.dso_3m is None:
        raise DataError("DSO sur 3 mois non calculable sur ces données : " + " ".join(summary.notes))
    return summary.best_possible_dso + summary.add / 2


@exercise("06.4",
          "Dans le suivi mois par mois des prévisions (section 5), quel est l'écart relatif entre les encaissements "
          "réels du dernier mois suivi et la prévision fondée sur les retards habituels (réel − prévision, rapporté "
          "à la prévision) ? Donnez un ratio : −0,10 pour −10 %.",
          unit="percent", abs_tolerance=0.0005, rel_tolerance=0.0,
          hints=("L'écart se rapporte à la prévision, pas au réalisé.",
                 "Écart relatif = (encaissements réels − prévision) ÷ prévision, sur la dernière ligne du tableau.",
                 "Un écart négatif signifie que les clients ont payé moins que prévu : cherchez-en les causes "
                 "(promesses non tenues, litiges, défaillance)."))
def _forecast_gap(month_end, case=None, invoices=None, payments=None, payment_terms_days: int = 30):
    if case is not None:
        track = forecast_track(case, [month_end])
    else:
        track = forecast_track(invoices, [month_end], payments=payments, payment_terms_days=payment_terms_days)
    return float(track["gap_forecast_pct"].iloc[0])
