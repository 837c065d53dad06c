"""The tables of the fil rouge company: file names, columns, types, units and French meanings.

This is the single source of the loader's dtypes and of the data dictionary `casestudy_data/README.md`.
Types: `str` (identifiers and text), `category` (a small set of French labels), `date`, `float`, `int`, `bool`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    unit: str
    description: str
    required: bool = True


@dataclass(frozen=True)
class Table:
    name: str
    file: str
    description: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name, type_, unit, description, required=True):
    return Column(name, type_, unit, description, required)


TABLES: tuple[Table, ...] = (
    Table("company", "societe.csv", "Fiche d'identité de l'entreprise et paramètres financiers (une ligne).", (
        _c("name", "str", "", "Raison sociale"),
        _c("legal_form", "str", "", "Forme juridique"),
        _c("siren", "str", "", "Numéro SIREN fictif (9 chiffres, clé de Luhn valide)"),
        _c("activity", "str", "", "Activité"),
        _c("naf_code", "str", "", "Code NAF (APE)"),
        _c("city", "str", "", "Siège social"),
        _c("founded", "date", "", "Date de création"),
        _c("headcount", "int", "personnes", "Effectif au 31/12/2025"),
        _c("fiscal_year_end", "str", "", "Date de clôture de l'exercice (JJ/MM)"),
        _c("as_of", "date", "", "Date de référence du cas (date d'arrêté des données)"),
        _c("standard_vat_rate", "float", "ratio", "Taux normal de TVA appliqué aux ventes en France"),
        _c("overdraft_rate", "float", "ratio/an", "Taux du découvert bancaire autorisé (base 360 jours)"),
        _c("dailly_rate", "float", "ratio/an", "Taux de la mobilisation de créances (Dailly / escompte), base 360 jours"),
        _c("cost_of_capital", "float", "ratio/an", "Coût moyen du financement court terme retenu pour valoriser le BFR"),
        _c("collection_team_overhead", "float", "EUR/an", "Frais de structure annuels du service recouvrement (outils, locaux, encadrement)"),
    )),
    Table("financials", "etats_financiers.csv", "Trois exercices de comptes résumés (un exercice par ligne).", (
        _c("year", "int", "", "Exercice (clos au 31/12)"),
        _c("revenue_excl_vat", "float", "EUR HT", "Chiffre d'affaires net hors taxes (factures moins avoirs)"),
        _c("revenue_incl_vat", "float", "EUR TTC", "Chiffre d'affaires toutes taxes comprises (base du DSO)"),
        _c("gross_margin", "float", "EUR", "Marge brute"),
        _c("ebitda", "float", "EUR", "Excédent brut d'exploitation (EBE)"),
        _c("net_income", "float", "EUR", "Résultat net"),
        _c("trade_receivables", "float", "EUR TTC", "Créances clients au 31/12 (encours TTC, y compris douteux)"),
        _c("inventory", "float", "EUR", "Stocks au 31/12"),
        _c("trade_payables", "float", "EUR TTC", "Dettes fournisseurs au 31/12"),
        _c("working_capital", "float", "EUR", "Besoin en fonds de roulement d'exploitation (créances + stocks − dettes fournisseurs)"),
        _c("cash", "float", "EUR", "Trésorerie nette au 31/12 (disponibilités − concours bancaires courants)"),
        _c("borrowing_rate", "float", "ratio/an", "Taux moyen des financements court terme de l'exercice"),
        _c("bad_debt_losses", "float", "EUR HT", "Pertes sur créances irrécouvrables de l'exercice (HT)"),
    )),
    Table("collectors", "gestionnaires.csv", "Les gestionnaires de recouvrement (credit collectors).", (
        _c("collector_id", "str", "", "Identifiant du gestionnaire"),
        _c("name", "str", "", "Prénom et nom"),
        _c("portfolio", "str", "", "Portefeuille confié"),
        _c("fte", "float", "ETP", "Temps de travail en équivalent temps plein"),
        _c("loaded_annual_cost", "float", "EUR/an", "Coût complet annuel (salaire chargé)"),
        _c("languages", "str", "", "Langues parlées"),
        _c("start_date", "date", "", "Date d'arrivée dans le service"),
    )),
    Table("customers", "clients.csv", "Le portefeuille clients (un client par ligne).", (
        _c("customer_id", "str", "", "Identifiant client (compte auxiliaire 411)"),
        _c("customer_name", "str", "", "Raison sociale du client"),
        _c("legal_form", "str", "", "Forme juridique"),
        _c("siren", "str", "", "SIREN fictif (clients français seulement, vide à l'export)", required=False),
        _c("vat_number", "str", "", "Numéro de TVA intracommunautaire ou identifiant fiscal étranger"),
        _c("sector", "category", "", "Secteur d'activité du client"),
        _c("segment", "category", "", "Segment commercial : Grand compte, ETI, PME, TPE, Distributeur"),
        _c("region", "category", "", "Région (France) ou « Export »"),
        _c("country", "category", "", "Pays (code ISO 3166 à deux lettres)"),
        _c("country_name", "category", "", "Pays en clair"),
        _c("vat_regime", "category", "", "Régime de TVA des ventes : France, autoliquidation intracommunautaire ou export hors UE"),
        _c("sales_rep", "category", "", "Commercial en charge du client"),
        _c("collector_id", "str", "", "Gestionnaire de recouvrement en charge (voir gestionnaires.csv)"),
        _c("payment_terms_days", "int", "jours", "Délai de paiement contractuel"),
        _c("terms_end_of_month", "bool", "", "Vrai si le délai est « fin de mois » (date de facture + délai, puis fin du mois)"),
        _c("terms_label", "category", "", "Délai de paiement en clair (ex. « 45 jours fin de mois »)"),
        _c("payment_method", "category", "", "Mode de paiement convenu"),
        _c("credit_limit", "float", "EUR TTC", "Limite de crédit (encours maximal autorisé) fixée par le credit manager"),
        _c("external_score", "int", "1 à 20", "Score de défaillance d'un fournisseur d'informations (20 = risque très faible), dernière note connue"),
        _c("gross_margin_rate", "float", "ratio", "Taux de marge brute moyen sur les ventes au client"),
        _c("founded", "date", "", "Date de création de l'entreprise cliente"),
        _c("customer_since", "date", "", "Date d'ouverture du compte client"),
        _c("insolvency_date", "date", "", "Date du jugement d'ouverture d'une procédure collective (vide sinon)", required=False),
        _c("insolvency_procedure", "category", "", "Procédure : sauvegarde, redressement ou liquidation judiciaire (vide sinon)", required=False),
    )),
    Table("invoices", "factures.csv", "Factures et avoirs émis du 01/01/2022 au 31/12/2025.", (
        _c("document_ref", "str", "", "Numéro de la pièce (FA… facture, AV… avoir)"),
        _c("document_type", "category", "", "« Facture » ou « Avoir »"),
        _c("customer_id", "str", "", "Client facturé"),
        _c("document_date", "date", "", "Date d'émission"),
        _c("due_date", "date", "", "Date d'échéance (selon le délai contractuel du client ; date d'émission pour un avoir)"),
        _c("amount_excl_vat", "float", "EUR HT", "Montant hors taxes (négatif pour un avoir)"),
        _c("vat_rate", "float", "ratio", "Taux de TVA appliqué (0 en autoliquidation intracommunautaire ou à l'export)"),
        _c("vat_amount", "float", "EUR", "Montant de TVA"),
        _c("amount_incl_vat", "float", "EUR TTC", "Montant toutes taxes comprises (négatif pour un avoir)"),
        _c("gross_margin", "float", "EUR", "Marge brute de la pièce"),
        _c("related_ref", "str", "", "Pour un avoir : la facture qu'il corrige", required=False),
        _c("dispute_id", "str", "", "Pour un avoir issu d'un litige : le litige", required=False),
    )),
    Table("payments", "reglements.csv",
          "Règlements reçus et leur affectation (lettrage) : une ligne par affectation à une pièce.", (
        _c("payment_ref", "str", "", "Référence du règlement (un virement peut régler plusieurs pièces)"),
        _c("customer_id", "str", "", "Client payeur"),
        _c("payment_date", "date", "", "Date de valeur de l'encaissement ou de l'imputation"),
        _c("payment_method", "category", "", "Mode de règlement, ou « Imputation d'avoir » (compensation sans flux de trésorerie)"),
        _c("document_ref", "str", "", "Pièce réglée (vide : encaissement non affecté, dit « non lettré »)", required=False),
        _c("amount", "float", "EUR TTC", "Montant affecté à la pièce (négatif quand un avoir est imputé)"),
    )),
    Table("disputes", "litiges.csv", "Litiges ouverts par les clients sur des factures.", (
        _c("dispute_id", "str", "", "Identifiant du litige"),
        _c("document_ref", "str", "", "Facture contestée"),
        _c("customer_id", "str", "", "Client"),
        _c("reason", "category", "", "Motif du litige"),
        _c("owner_department", "category", "", "Service responsable de la résolution"),
        _c("amount", "float", "EUR TTC", "Montant contesté"),
        _c("opened_date", "date", "", "Date de signalement"),
        _c("closed_date", "date", "", "Date de résolution (vide si le litige est encore ouvert au 31/12/2025)", required=False),
        _c("outcome", "category", "", "Issue : avoir émis, geste commercial, litige rejeté, ou « En cours »"),
        _c("credit_note_amount", "float", "EUR TTC", "Montant de l'avoir accordé (0 si aucun)"),
    )),
    Table("dunning", "relances.csv", "Historique des relances, une ligne par facture et par niveau atteint.", (
        _c("dunning_id", "str", "", "Identifiant de l'action de relance"),
        _c("document_ref", "str", "", "Facture relancée"),
        _c("customer_id", "str", "", "Client"),
        _c("level", "int", "1 à 5", "Niveau de relance (1 = rappel amiable … 5 = transmission au contentieux)"),
        _c("dunning_date", "date", "", "Date de l'action"),
        _c("days_overdue", "int", "jours", "Retard de la facture à la date de l'action"),
        _c("channel", "category", "", "Canal : courriel, téléphone, courrier, lettre recommandée, contentieux"),
        _c("amount_due", "float", "EUR TTC", "Reste dû sur la facture à la date de l'action"),
        _c("outcome", "category", "", "Effet constaté avant le niveau suivant"),
    )),
    Table("calls", "appels.csv", "Journal des appels de recouvrement (un appel par ligne).", (
        _c("call_id", "str", "", "Identifiant de l'appel"),
        _c("call_date", "date", "", "Date de l'appel"),
        _c("customer_id", "str", "", "Client appelé"),
        _c("collector_id", "str", "", "Gestionnaire qui appelle"),
        _c("contact", "category", "", "Interlocuteur chez le client"),
        _c("objective", "category", "", "Objectif de l'appel"),
        _c("amount_overdue", "float", "EUR TTC", "Montant échu visé par l'appel"),
        _c("outcome", "category", "", "Résultat de l'appel"),
        _c("promise_amount", "float", "EUR TTC", "Montant promis (0 sans promesse)"),
        _c("promise_date", "date", "", "Date de paiement promise (vide sans promesse)", required=False),
        _c("promise_kept", "category", "", "Promesse tenue : « Oui », « Non », « À venir » (échéance après le 31/12/2025), vide sans promesse", required=False),
        _c("duration_min", "int", "minutes", "Durée de l'appel"),
    )),
    Table("insurance_offers", "offres_assurance_credit.csv",
          "Propositions d'assurance-crédit reçues en novembre 2025 (une offre par ligne).", (
        _c("offer_id", "str", "", "Identifiant de l'offre"),
        _c("insurer", "str", "", "Assureur (fictif)"),
        _c("via_broker", "bool", "", "Vrai si l'offre a été négociée par un courtier"),
        _c("broker", "str", "", "Courtier (vide sinon)", required=False),
        _c("policy_type", "category", "", "Type de police : globale classique, gestion concertée, excédent de pertes"),
        _c("premium_basis", "category", "", "Assiette de la prime : « CA assuré » ou « Encours garanti »"),
        _c("premium_rate", "float", "ratio", "Taux de prime appliqué à l'assiette (CA HT assuré, ou limites agréées)"),
        _c("minimum_premium", "float", "EUR/an", "Prime minimale annuelle"),
        _c("quotite", "float", "ratio", "Quotité garantie (part de la perte indemnisée)"),
        _c("discretionary_limit", "float", "EUR", "Limite discrétionnaire : encours couvert sans agrément nominatif (acheteurs non dénommés)"),
        _c("discretionary_quotite", "float", "ratio", "Quotité garantie sur les acheteurs non dénommés"),
        _c("per_claim_deductible", "float", "EUR", "Franchise par sinistre"),
        _c("aggregate_deductible", "float", "EUR/an", "Franchise annuelle globale (montant de pertes restant à la charge de l'assuré chaque année)"),
        _c("max_indemnity_multiple", "float", "× prime", "Plafond annuel d'indemnisation, en multiple de la prime payée"),
        _c("limit_request_fee", "float", "EUR", "Frais par demande d'agrément (limite de crédit)"),
        _c("monitoring_fee_per_buyer", "float", "EUR/an", "Frais de surveillance annuels par acheteur agréé"),
        _c("waiting_period_days", "int", "jours", "Délai constitutif du sinistre : jours après l'échéance impayée avant indemnisation (défaut de paiement)"),
        _c("payment_delay_days", "int", "jours", "Délai de versement de l'indemnité après constitution du sinistre"),
        _c("max_extension_days", "int", "jours", "Prorogation d'échéance maximale admise sans déclaration"),
        _c("insured_share_export", "bool", "", "Vrai si les ventes à l'export sont couvertes"),
    )),
    Table("insurance_limits", "limites_assurance.csv",
          "Demandes de limites (agréments) par offre et par client : demandé et accordé.", (
        _c("offer_id", "str", "", "Offre d'assurance-crédit"),
        _c("customer_id", "str", "", "Client (acheteur)"),
        _c("limit_requested", "float", "EUR TTC", "Limite demandée (la limite de crédit interne)"),
        _c("limit_granted", "float", "EUR TTC", "Limite accordée par l'assureur (0 = refus). Pour un client défaillant : limite en vigueur avant la défaillance"),
        _c("decision", "category", "", "Décision : « Accord total », « Accord partiel », « Refus »"),
    )),
    Table("factoring_offers", "offres_affacturage.csv",
          "Propositions d'affacturage reçues en novembre 2025 (une offre par ligne).", (
        _c("offer_id", "str", "", "Identifiant de l'offre"),
        _c("factor", "str", "", "Factor (fictif)"),
        _c("contract_type", "category", "", "Type de contrat"),
        _c("notified", "bool", "", "Vrai si les clients sont notifiés de la subrogation"),
        _c("factoring_fee_rate", "float", "ratio", "Commission d'affacturage, en % du montant TTC des factures cédées"),
        _c("minimum_factoring_fee", "float", "EUR/an", "Commission d'affacturage minimale annuelle"),
        _c("financing_index", "str", "", "Index de la commission de financement"),
        _c("index_rate", "float", "ratio/an", "Valeur de l'index à la date de l'offre"),
        _c("financing_margin", "float", "ratio/an", "Marge ajoutée à l'index"),
        _c("value_days", "int", "jours", "Jours de valeur ajoutés à la durée de financement"),
        _c("guarantee_fund_rate", "float", "ratio", "Retenue de garantie (fonds de garantie) sur les créances financées"),
        _c("per_invoice_fee", "float", "EUR", "Frais par facture cédée"),
        _c("per_buyer_fee", "float", "EUR/an", "Frais annuels par acheteur agréé"),
        _c("dispute_fee", "float", "EUR", "Frais par litige traité"),
        _c("credit_insurance_included", "bool", "", "Vrai si la garantie contre l'insolvabilité des acheteurs est incluse"),
        _c("guarantee_quotite", "float", "ratio", "Quotité garantie si la garantie est incluse"),
        _c("max_overdue_days", "int", "jours", "Au-delà de ce retard, une facture n'est plus finançable"),
        _c("setup_fee", "float", "EUR", "Frais de mise en place"),
    )),
    Table("collection_offers", "offres_recouvrement.csv",
          "Offres de recouvrement externalisé et d'insourcing reçues en novembre 2025.", (
        _c("offer_id", "str", "", "Identifiant de l'offre"),
        _c("provider", "str", "", "Prestataire (fictif)"),
        _c("model", "category", "", "Modèle : agence de recouvrement, plateforme digitale, insourcing"),
        _c("file_fee", "float", "EUR", "Frais d'ouverture par dossier transmis"),
        _c("annual_subscription", "float", "EUR/an", "Abonnement annuel (plateforme, licences, mise à disposition)"),
        _c("minimum_annual_fee", "float", "EUR/an", "Facturation minimale annuelle"),
        _c("success_fee_0_90", "float", "ratio", "Honoraires de résultat sur les sommes encaissées, créances de 0 à 90 jours de retard"),
        _c("success_fee_91_180", "float", "ratio", "Honoraires de résultat, créances de 91 à 180 jours de retard"),
        _c("success_fee_181_365", "float", "ratio", "Honoraires de résultat, créances de 181 à 365 jours de retard"),
        _c("success_fee_over_365", "float", "ratio", "Honoraires de résultat, créances de plus de 365 jours de retard"),
        _c("recovery_0_90", "float", "ratio", "Taux de recouvrement annoncé, créances de 0 à 90 jours de retard"),
        _c("recovery_91_180", "float", "ratio", "Taux de recouvrement annoncé, créances de 91 à 180 jours"),
        _c("recovery_181_365", "float", "ratio", "Taux de recouvrement annoncé, créances de 181 à 365 jours"),
        _c("recovery_over_365", "float", "ratio", "Taux de recouvrement annoncé, créances de plus de 365 jours"),
        _c("min_file_amount", "float", "EUR TTC", "Montant minimal d'un dossier accepté"),
        _c("handles_disputes", "bool", "", "Vrai si le prestataire instruit aussi les litiges"),
        _c("internal_fte_saved", "float", "ETP", "Temps de gestionnaire interne libéré par la solution"),
    )),
)

BY_NAME = {t.name: t for t in TABLES}
