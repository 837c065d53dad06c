"""Exercises of notebook 03 (customer risk): expected answers computed by casekit calculators."""

from __future__ import annotations

import pandas as pd

from casekit.credit.penalties import late_payment_claim, penalties
from casekit.credit.risk import ACTIONS, credit_limit_status, early_payment_discount_rate, limit_breaches
from casekit.exercises import exercise


@exercise("03.1", "Une facture de 12 000 € TTC, échue le 15/03/2025, est payée le 30/06/2025. Les CGV ne fixent pas "
          "de taux : quel montant total (pénalités au taux légal + indemnité forfaitaire) pouvez-vous réclamer ?",
          unit="euros", abs_tolerance=0.5,
          hints=("Les pénalités courent du lendemain de l'échéance (16/03/2025) au jour du paiement inclus : comptez "
                 "les jours.",
                 "Taux du premier semestre 2025 : taux BCE au 1er janvier 2025 (3,15 %) + 10 points = 13,15 % ; "
                 "pénalités = montant TTC × taux × jours / 365.",
                 "Ajoutez l'indemnité forfaitaire de 40 € (art. D441-5) ; `casekit.late_payment_claim(...)`."))
def single_claim(amount: float = 12_000.0, due_date="2025-03-15", payment_date="2025-06-30") -> float:
    return late_payment_claim(amount, due_date, payment_date).total


@exercise("03.2", "Total réclamable (pénalités au taux légal + indemnités forfaitaires de 40 €) à la date d'analyse "
          "sur les factures échues non réglées des données du notebook (`wb.open_items`), sans tenir compte des "
          "litiges ni des procédures collectives.", unit="euros", rel_tolerance=0.001, abs_tolerance=1.0,
          hints=("`casekit.penalties(wb.open_items, wb.as_of)` donne une ligne par facture échue.",
                 "Additionnez la colonne `total` (pénalités + indemnité), pas seulement `penalty`.",))
def ledger_claims(items: pd.DataFrame, as_of) -> float:
    return float(penalties(items, as_of)["total"].sum())


@exercise("03.3", "Un client propose de payer à 15 jours au lieu de 60 jours en échange d'un escompte de 1,5 %. Quel "
          "est le coût annuel de cet escompte pour Hexaform ? Donnez un ratio (0,12 pour 12 %).", unit="percent",
          rel_tolerance=0.002, abs_tolerance=0.0005,
          hints=("L'escompte rémunère 45 jours de paiement anticipé (60 − 15).",
                 "Coût = escompte / (1 − escompte) × 365 / jours gagnés ; réponse en ratio, pas en pourcentage.",
                 "`casekit.credit.risk.early_payment_discount_rate(0.015, 45)`."))
def discount_cost(discount: float = 0.015, days_earlier: int = 45) -> float:
    return early_payment_discount_rate(discount, days_earlier)


@exercise("03.4", "Au 31/12/2025, combien de clients du fil rouge dépassent leur limite de crédit sans être en "
          "retard (aucune procédure collective, aucune facture non contestée échue depuis plus de 30 jours) : des "
          "clients dont la limite est à réviser plutôt que les commandes à bloquer ?", unit="number", abs_tolerance=0,
          hints=("`credit_limit_status(...)` donne l'encours et la limite de chaque client ; `limit_breaches(statut, "
                 "late_days=30)` garde ceux qui dépassent et propose une action.",
                 "Comptez les clients dont l'action est « Réviser la limite (pas de retard au-delà du seuil) »."))
def limits_to_review(items: pd.DataFrame, customers: pd.DataFrame, as_of) -> int:
    breaches = limit_breaches(credit_limit_status(items, customers, as_of), late_days=30)
    return int((breaches["action"] == ACTIONS["review"]).sum())
