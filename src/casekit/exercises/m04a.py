"""Exercises of notebook 04a (commercial process: internal scoring, negotiation, follow-up indicators),
checked with the scoring calculators."""

from __future__ import annotations

import pandas as pd

from casekit.credit.scoring import (
    DEFAULT_WEIGHTS,
    class_indicators,
    customer_features,
    early_payment_discount,
    score_customers,
    terms_review,
)
from casekit.dates import to_timestamp
from casekit.exercises import exercise


@exercise("04a.1",
          "Un client présente, sur les douze derniers mois, un retard moyen de paiement de 18 jours, en hausse de "
          "4 jours sur l'année précédente, 5 % de factures en litige, 8 ans d'ancienneté, une utilisation de sa "
          "limite de crédit de 90 %, une note externe de 12/20 et un taux de marge brute de 32 %. Avec la grille "
          "et les pondérations par défaut d'Hexaform, quel est son score sur 100 ?",
          unit="number", abs_tolerance=0.15,
          hints=("Chaque critère donne de 0 à 100 points, linéairement entre les deux bornes de la grille : par "
                 "exemple 18 jours de retard → (60 − 18) / 60 × 100 = 70 points.",
                 "Le score est la moyenne des points pondérée par les poids (30, 10, 10, 10, 10, 25, 5) : ce n'est "
                 "pas la moyenne simple des sept notes.",
                 "Points : retard 70, tendance 30, litiges 75, ancienneté 80, limite 42,9, note externe 57,9, marge "
                 "60 ; score = Σ poids × points / 100."))
def _customer_score(days_late: float = 18.0, late_trend: float = 4.0, dispute_rate: float = 0.05,
                    seniority_years: float = 8.0, limit_use: float = 0.90, external_score: float = 12.0,
                    margin_rate: float = 0.32, weights: dict | None = None) -> float:
    features = pd.DataFrame({"days_late": [days_late], "late_trend": [late_trend], "dispute_rate": [dispute_rate],
                             "seniority_years": [seniority_years], "limit_use": [limit_use],
                             "external_score": [external_score], "margin_rate": [margin_rate]}, index=["X"])
    return float(score_customers(features, DEFAULT_WEIGHTS if weights is None else weights).loc["X", "score"])


@exercise("04a.2",
          "Un client de classe A demande un délai de 60 jours date de facture. Le commercial lui propose plutôt un "
          "escompte pour un paiement à 10 jours. Hexaform se finance à 4,7 % par an. Quel est l'escompte maximal "
          "que le commercial peut accorder sans que l'escompte coûte plus cher que le financement qu'il économise ? "
          "Donnez un ratio (0,01 pour 1 %).",
          unit="percent", rel_tolerance=0.01, abs_tolerance=0.00002,
          hints=("Le paiement est avancé de 60 − 10 = 50 jours : l'escompte doit rester sous le coût de 50 jours de "
                 "financement à 4,7 % par an.",
                 "Seuil de rentabilité : k / (1 + k) avec k = 4,7 % × 50 / 365 ; la réponse est un ratio, pas un "
                 "pourcentage.",
                 "`casekit.early_payment_discount(montant, 0, 50, 0.047).breakeven_discount` (le seuil ne dépend "
                 "pas du montant)."))
def _breakeven_discount(days_earlier: int = 50, financing_rate: float = 0.047) -> float:
    return early_payment_discount(1.0, 0.0, days_earlier, financing_rate).breakeven_discount


def _indicators(case, as_of):
    as_of = to_timestamp(as_of)
    features = customer_features(case, as_of)
    scores = score_customers(features)
    return class_indicators(scores, features, case.open_items(as_of), as_of)


@exercise("04a.3",
          "Indicateur de suivi du processus commercial : au 31/12/2025, quelle part du chiffre d'affaires TTC des "
          "douze derniers mois Hexaform a-t-elle réalisée avec des clients classés D ou E par le score interne "
          "(pondérations par défaut) ? Donnez un ratio (0,25 pour 25 %).",
          unit="percent", rel_tolerance=0.002, abs_tolerance=0.0005,
          hints=("Le tableau des indicateurs par classe (`casekit.class_indicators`) donne la part du chiffre "
                 "d'affaires de chaque classe (colonne « Part du CA »).",
                 "Additionnez les parts des classes D et E ; la réponse est un ratio, pas un pourcentage.",))
def _risky_sales_share(case, as_of="2025-12-31") -> float:
    table = _indicators(case, as_of)
    return float(table.loc[["D", "E"], "sales_share"].sum())


@exercise("04a.4",
          "Argument de négociation : si tous les clients de classe C d'Hexaform revenaient au délai de leur classe "
          "(30 jours date de facture), de combien l'encours clients baisserait-il, à chiffre d'affaires égal (en "
          "euros, sur la base des factures des douze mois au 31/12/2025) ?",
          unit="euros", rel_tolerance=0.002, abs_tolerance=1.0,
          hints=("Pour chaque client, l'encours libéré = factures de l'année / 365 × jours accordés au-delà du délai "
                 "de sa classe.",
                 "`casekit.terms_review(scores, wb.case.customers, wb.case.invoices, as_of)` calcule ces jours et "
                 "ces montants (colonne `cash_at_stake`) ; `casekit.terms_review_by_class` les additionne par "
                 "classe.",
                 "Gardez la ligne C du tableau par classe, colonne « Encours libérable »."))
def _class_c_cash(case, as_of="2025-12-31", cls: str = "C") -> float:
    as_of = to_timestamp(as_of)
    scores = score_customers(customer_features(case, as_of))
    review = terms_review(scores, case.customers, case.invoices, as_of)
    return float(review.loc[review["class"] == cls, "cash_at_stake"].sum())
