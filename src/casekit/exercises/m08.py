"""Exercises of notebook 08 (factoring), checked with the factoring calculators."""

from __future__ import annotations

from casekit.errors import DataError
from casekit.exercises import exercise
from casekit.outsourcing.factoring import (
    FactoringOffer,
    eligible_receivables,
    factor_availability,
    factoring_variants,
    invoice_factoring,
)
from casekit.outsourcing.factoring_accounting import (
    example_factor_statement,
    journal_for_month,
    reconcile_factor_account,
)


def _offer(case, offer_id: str) -> FactoringOffer:
    offers = FactoringOffer.offers_from_table(case.factoring_offers)
    if offer_id not in offers:
        raise DataError(f"offre d'affacturage « {offer_id} » inconnue")
    return offers[offer_id]


@exercise("08.1",
          "Hexaform cède à Finaxo Factor (offre FAC-B, conditions dans le tableau des offres) une facture de "
          "24 000 € TTC que le client paiera dans 60 jours. Le factor retient le fonds de garantie et finance le "
          "reste ; il facture la commission d'affacturage sur le TTC, les frais par facture, et la commission de "
          "financement sur le montant financé, pour 60 jours + les jours de valeur, base 360. Quel est le coût "
          "total hors TVA de l'affacturage de cette facture (en euros) ?",
          unit="euros", abs_tolerance=0.5,
          hints=("Trois composantes : commission d'affacturage (taux × 24 000 €), frais par facture, commission de "
                 "financement ; la TVA (déductible) n'est pas un coût.",
                 "Montant financé = 24 000 × (1 − 12 %) = 21 120 € ; la commission de financement court sur "
                 "60 + 3 jours de valeur = 63 jours, base 360, au taux Euribor + marge = 3,00 %.",
                 "0,18 % × 24 000 + 4,50 + 3,00 % × 21 120 × 63 / 360."))
def _invoice_cost(case, offer_id: str = "FAC-B", amount: float = 24_000.0, days: float = 60):
    return invoice_factoring(_offer(case, offer_id), amount, days).cost_excl_vat


@exercise("08.2",
          "Factobanque (offre FAC-A) accepte de ramener le fonds de garantie de 10 % à 7 % et sa marge sur "
          "l'Euribor de 1,20 % à 0,90 %, toutes autres conditions inchangées. De combien le coût total annuel de "
          "l'offre sur les ventes 2025 d'Hexaform baisse-t-il (en euros, montant positif) ? Utilisez "
          "casekit.factoring_variants.",
          unit="euros", abs_tolerance=1.0,
          hints=("Évaluez l'offre de base et la variante ensemble : casekit.factoring_variants(wb.case, offre, "
                 "{\"Négociée\": {...}}) ; la colonne `change` donne l'écart de coût total.",
                 "offre = casekit.FactoringOffer.offers_from_table(wb.case.factoring_offers)[\"FAC-A\"] ; la "
                 "variante s'écrit {\"guarantee_fund_rate\": 0.07, \"financing_margin\": 0.009}.",
                 "La baisse est l'opposé de `change` sur la ligne de la variante ; elle cumule moins d'intérêts "
                 "(marge) et moins de trésorerie immobilisée (fonds), mais un peu plus de montant financé."))
def _negotiation_saving(case, offer_id: str = "FAC-A", guarantee_fund_rate: float = 0.07,
                        financing_margin: float = 0.009, insurance_rate: float | None = None, year: int = 2025):
    # the total cost does not include the value of the insolvency guarantee: any insurance rate gives the same
    # change, so none is computed (0) unless one is given
    table = factoring_variants(case, _offer(case, offer_id),
                               {"Négociée": {"guarantee_fund_rate": guarantee_fund_rate,
                                             "financing_margin": financing_margin}},
                               year=year, insurance_rate=0.0 if insurance_rate is None else insurance_rate)
    return -float(table["change"].iloc[1])


@exercise("08.3",
          "Refaites le rapprochement du compte courant de décembre 2025 pour le contrat Finaxo Factor (FAC-B) : "
          "journal du mois (casekit.journal_for_month), relevé du factor (casekit.example_factor_statement), "
          "rapprochement (casekit.reconcile_factor_account). Une fois passées les écritures que le relevé révèle "
          "(non-valeur définancée, frais, écart sur les commissions), quel est le solde du compte 4671 dans la "
          "comptabilité d'Hexaform (en euros, positif si le factor doit de l'argent à Hexaform) ?",
          unit="euros", abs_tolerance=0.01,
          hints=("Partez du solde du compte 4671 au 31/12 (grand livre) et ajoutez les opérations du relevé non "
                 "encore comptabilisées et les écarts de montant ; le bordereau en transit ne se comptabilise pas "
                 "une seconde fois.",
                 "journal = casekit.journal_for_month(wb.case, offre, \"2025-12\") avec offre = "
                 "casekit.FactoringOffer.offers_from_table(wb.case.factoring_offers)[\"FAC-B\"] ; puis le relevé "
                 "et le rapprochement, comme pour FAC-A dans la section du compte courant.",
                 "C'est l'attribut adjusted_ledger_balance du rapprochement (casekit.reconcile_factor_account)."))
def _adjusted_ledger_balance(case, offer_id: str = "FAC-B", month: str = "2025-12",
                             dso_days: float | None = None):
    offer = _offer(case, offer_id)
    journal = journal_for_month(case, offer, month, dso_days)
    return reconcile_factor_account(example_factor_statement(journal, case, offer), journal).adjusted_ledger_balance


@exercise("08.4",
          "Finaxo Factor (FAC-B) accepte de ramener son fonds de garantie de 12 % à 8 %, ses autres règles "
          "restant inchangées (factures non financées au-delà de 60 jours de retard, litiges exclus, avoirs et "
          "règlements non affectés déduits). En supposant que tous les clients sont agréés et que toutes les "
          "pièces non soldées ont été cédées, quel montant l'entreprise pourrait-elle appeler (« disponible ») à "
          "la date d'analyse, avant tout tirage et toute commission (en euros) ? Le calcul porte sur les données "
          "du notebook (wb.open_items, wb.as_of).",
          unit="euros", abs_tolerance=1.0,
          hints=("Disponible = encours finançable − fonds de garantie ; l'encours finançable exclut les "
                 "non-valeurs (litiges, retards au-delà de 60 jours) et déduit les avoirs et règlements non "
                 "affectés.",
                 "casekit.eligible_receivables(wb.open_items, wb.as_of, max_overdue_days=60) classe chaque pièce ; "
                 "casekit.factor_availability(eligibles, 0.08) fait le reste.",
                 "L'attribut `available` de casekit.factor_availability(...) est la réponse."))
def _availability(items, as_of, guarantee_fund_rate: float = 0.08, max_overdue_days: int = 60):
    eligible = eligible_receivables(items, as_of, max_overdue_days=max_overdue_days)
    return factor_availability(eligible, guarantee_fund_rate).available
