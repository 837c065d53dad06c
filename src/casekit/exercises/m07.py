"""Exercises of notebook 07 (credit insurance), checked with the credit-insurance calculators."""

from __future__ import annotations

from dataclasses import replace

from casekit.errors import DataError
from casekit.exercises import exercise
from casekit.outsourcing.insurance import (
    InsurancePolicy,
    case_policy_cost,
    coverage,
    evaluate_insurance_policy,
    indemnity,
    insolvency_claims,
    limit_scenario,
)


def _policy(case, offer_id: str) -> InsurancePolicy:
    offers = InsurancePolicy.offers_from_table(case.insurance_offers)
    if offer_id not in offers:
        raise DataError(f"offre d'assurance-crédit « {offer_id} » inconnue")
    return offers[offer_id]


@exercise("07.1",
          "Garantia Crédit accepte de ramener le taux de prime de l'offre ASS-B à 0,14 % du CA HT assuré et ses "
          "frais de surveillance à 45 € par acheteur agréé (prime minimale et frais d'étude inchangés). Quel est "
          "le nouveau coût annuel total de l'offre ASS-B (en euros) ?",
          unit="euros",
          hints=("Coût total = prime + frais d'étude des demandes d'agrément + frais de surveillance des acheteurs "
                 "agréés ; la prime est le taux × le CA HT assuré 2025, sans descendre sous la prime minimale.",
                 "Le CA HT assuré 2025 est affiché en tête du notebook ; le nombre d'acheteurs agréés "
                 "d'ASS-B (accords totaux + partiels) dans le tableau des décisions de l'assureur ; ASS-B ne "
                 "facture pas de frais d'étude.",
                 "0,14 % × CA HT assuré (au-dessus de la prime minimale de 45 000 €) + 45 € × nombre d'acheteurs "
                 "agréés."))
def _negotiated_cost(case, offer_id: str = "ASS-B", premium_rate: float = 0.0014,
                     monitoring_fee_per_buyer: float = 45.0, year: int = 2025):
    policy = replace(_policy(case, offer_id), premium_rate=premium_rate,
                     monitoring_fee_per_buyer=monitoring_fee_per_buyer)
    return case_policy_cost(case, policy, year).total


@exercise("07.2",
          "Laboratoires Sauvage (C0266), en redressement judiciaire depuis le 17/06/2025, n'a pas d'agrément chez "
          "Garantia Crédit : sous l'offre ASS-B, sa créance relève de la limite discrétionnaire (acheteur non "
          "dénommé). À partir de la perte hors taxes affichée dans le tableau des défaillances et des paramètres "
          "de l'offre ASS-B, calculez l'indemnité de ce sinistre avant franchise annuelle (en euros).",
          unit="euros",
          hints=("La perte indemnisable est hors taxes (la TVA est récupérée auprès du Trésor) et retenue dans la "
                 "limite de couverture : ici la limite discrétionnaire de l'offre.",
                 "Indemnité = (min(perte HT, limite discrétionnaire) − franchise par sinistre) × quotité des non "
                 "dénommés.",
                 "(min(66 341,04 ; 50 000) − 1 500) × 70 %."))
def _insolvency_indemnity(case, offer_id: str = "ASS-B", customer_id: str = "C0266"):
    policy = _policy(case, offer_id)
    claims = [c for c in insolvency_claims(case, policy) if c.customer_id == customer_id]
    if not claims:
        raise DataError(f"le client « {customer_id} » n'a pas de créance impayée au jour de sa défaillance")
    return indemnity(claims[0], policy).indemnity


@exercise("07.3",
          "Sous l'offre ASS-A, Sécuricrédit n'a accordé qu'une partie de la limite demandée pour Distillerie "
          "Berthier (C0124). Avec l'encours TTC du client au 31/12/2025, la limite accordée et la quotité de "
          "l'offre, quel est le risque résiduel sur ce client, c'est-à-dire la part de son encours que l'assureur "
          "n'indemniserait pas s'il faisait défaut (en euros) ?",
          unit="euros",
          hints=("L'assureur indemnise l'encours retenu dans la limite accordée, à hauteur de la quotité ; tout "
                 "le reste est le risque résiduel.",
                 "Risque résiduel = encours − min(encours, limite accordée) × quotité : il comprend la part au-delà "
                 "de la limite et la part non garantie (1 − quotité).",
                 "333 043,52 − 144 000 × 90 %."))
def _customer_residual(items, case, offer_id: str = "ASS-A", customer_id: str = "C0124"):
    cov = coverage(items, case.customers, case.insurance_limits, _policy(case, offer_id)).set_index("customer_id")
    if customer_id not in cov.index:
        raise DataError(f"le client « {customer_id} » n'a pas d'encours")
    return float(cov.at[customer_id, "residual"])


@exercise("07.4",
          "Si Lumière Courtage obtenait de Sécuricrédit toutes les limites demandées pour l'offre ASS-C "
          "(accords partiels et refus portés au montant demandé), de combien l'encours couvert au 31/12/2025 "
          "augmenterait-il (en euros) ? Utilisez casekit.evaluate_insurance_policy et casekit.limit_scenario.",
          unit="euros",
          hints=("Évaluez l'offre ASS-C deux fois : avec les limites accordées (scénario « granted ») puis avec "
                 "les limites demandées (scénario « requested ») ; comparez l'attribut `covered`.",
                 "policy = casekit.InsurancePolicy.offers_from_table(wb.case.insurance_offers)[\"ASS-C\"] ; "
                 "limits = casekit.limit_scenario(wb.case.insurance_limits, \"ASS-C\", \"requested\").",
                 "reponse4 = casekit.evaluate_insurance_policy(wb.case, policy, limits=limits).covered - "
                 "casekit.evaluate_insurance_policy(wb.case, policy).covered"))
def _limits_gain(case, offer_id: str = "ASS-C"):
    policy = _policy(case, offer_id)
    granted = evaluate_insurance_policy(case, policy, limits=limit_scenario(case.insurance_limits, offer_id))
    full = evaluate_insurance_policy(case, policy,
                                     limits=limit_scenario(case.insurance_limits, offer_id, "requested"))
    return full.covered - granted.covered
