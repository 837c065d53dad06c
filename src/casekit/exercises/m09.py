"""Exercises of notebook 09 (outsourced collection), checked with the collection calculators."""

from __future__ import annotations

from casekit.errors import DataError
from casekit.exercises import exercise
from casekit.outsourcing.collection import (
    BANDS,
    SUFFIX,
    CollectionOffer,
    agency_cost,
    fee_break_even,
    handover_scope,
    real_cost_of_options,
)


@exercise("09.1",
          "Une agence de recouvrement facture 12 % HT des sommes encaissées sur les créances de 91 à 180 jours de "
          "retard, et 40 € HT par dossier transmis. Vous lui confiez 25 dossiers pour 80 000 € TTC, tous entre 91 "
          "et 180 jours de retard ; elle annonce un taux de recouvrement de 70 % sur cette tranche. Combien lui "
          "paierez-vous d'honoraires et de frais sur l'année (en euros HT) ?",
          unit="euros",
          hints=("Les honoraires de résultat ne portent que sur les sommes effectivement encaissées, pas sur le "
                 "montant confié.",
                 "Sommes encaissées = 80 000 × 70 % ; honoraires = 12 % de ce montant ; ajoutez 40 € par dossier.",
                 "80 000 × 70 % × 12 % + 25 × 40."))
def _agency_fees(amount: float = 80_000, band: str = "91-180", recovery: float = 0.70, success_fee: float = 0.12,
                 file_fee: float = 40, files: int = 25):
    if band not in BANDS:
        raise DataError(f"tranche d'ancienneté « {band} » inconnue")
    suffix = SUFFIX[band]
    offer = CollectionOffer(file_fee=file_fee, **{f"success_fee_{suffix}": success_fee,
                                                  f"recovery_{suffix}": recovery})
    return agency_cost(offer, {band: amount}, files).fees


@exercise("09.2",
          "Hexaform envisage une externalisation complète : tous les dossiers seraient confiés à Recouvra Conseil "
          "(offre REC-A) dès 30 jours de retard, au lieu de 60. Avec casekit.real_cost_of_options, calculez le coût "
          "réel annuel de cette option sur le cas fil rouge (honoraires du prestataire + coût interne conservé), en "
          "euros.",
          unit="euros",
          hints=("Le coût réel ne se limite pas aux honoraires : ajoutez le coût de l'équipe interne qui reste "
                 "(salaires des ETP non libérés et frais de structure).",
                 "Le seuil de transmission est le paramètre handover_days de casekit.real_cost_of_options ; la ligne "
                 "REC-A du tableau donne la colonne real_cost.",
                 "casekit.real_cost_of_options(wb.case, handover_days=30).set_index(\"option_id\")"
                 ".at[\"REC-A\", \"real_cost\"]"))
def _full_outsourcing_cost(case, offer_id: str = "REC-A", handover_days: int = 30):
    table = real_cost_of_options(case, handover_days=handover_days).set_index("option_id")
    if offer_id not in table.index:
        raise DataError(f"offre de recouvrement « {offer_id} » inconnue")
    return float(table.at[offer_id, "real_cost"])


@exercise("09.3",
          "Hexaform compare avec l'insourcing (offre INS-A) : ses équipes instruisent aussi les litiges et "
          "n'exigent aucun montant minimal par dossier. Si les dossiers leur étaient confiés au-delà de 45 jours de "
          "retard, quel montant TTC des pièces non soldées à la date d'analyse pourraient-elles prendre en charge "
          "(en euros) ? Les clients en procédure collective (liste `excluded` définie plus haut) restent exclus : "
          "leurs créances se déclarent au mandataire judiciaire. Utilisez casekit.handover_scope.",
          unit="euros",
          hints=("Partez de l'échu au-delà du seuil et retirez seulement les clients en procédure collective : "
                 "ici, ni les litiges ni les petits dossiers ne sont écartés.",
                 "casekit.handover_scope(wb.open_items, wb.as_of, handover_days=45, min_file_amount=0, "
                 "handles_disputes=True, exclude_customers=excluded)",
                 "Lisez la ligne « transferable » : …set_index(\"category\").at[\"transferable\", \"amount\"]"))
def _transferable(items, as_of, excluded=(), handover_days: int = 45, min_file_amount: float = 0,
                  handles_disputes: bool = True):
    scope = handover_scope(items, as_of, handover_days, min_file_amount, handles_disputes, excluded)
    return float(scope.set_index("category").at["transferable", "amount"])


@exercise("09.4",
          "Sur les créances de 0 à 90 jours de retard, l'agence Recouvra Conseil (REC-A) ne facture que des "
          "honoraires de résultat ; la plateforme ProRecouv Digital (REC-B) facture un abonnement annuel et des "
          "honoraires de résultat plus bas. En lisant les deux offres et en ignorant les frais de dossier et la "
          "facturation minimale, à partir de quel montant annuel recouvré la plateforme coûte-t-elle moins cher "
          "que l'agence (en euros) ?",
          unit="euros",
          hints=("Écrivez le coût de chaque offre en fonction du montant recouvré X : partie fixe + taux × X, puis "
                 "cherchez X pour lequel les deux coûts sont égaux.",
                 "L'abonnement est amorti par l'écart de taux : X = abonnement / (taux de l'agence − taux de la "
                 "plateforme).",
                 "24 000 / (8 % − 5 %)."))
def _break_even(case, agency: str = "REC-A", platform: str = "REC-B"):
    offers = CollectionOffer.offers_from_table(case.collection_offers)
    if agency not in offers or platform not in offers:
        raise DataError("offre de recouvrement inconnue")
    a, b = offers[agency], offers[platform]
    return fee_break_even(a.annual_subscription, a.success_fee_0_90, b.annual_subscription, b.success_fee_0_90)
