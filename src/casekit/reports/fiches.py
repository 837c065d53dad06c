"""Which fiche pratique to read after a missed question: each quiz module → its fiche(s), as the notebooks
link them.

The final evaluation spans every module: its questions are sent to the fiches of the module that teaches their
skill (`competence`). `tests/test_reports_content.py` checks this table against the links of the notebooks.
"""

from __future__ import annotations

FICHES_DIR = "fiches"
FICHE_TITLES = {
    "dso": "Calcul du DSO", "valeur-jour-dso": "Valeur d'un jour de DSO", "balance-agee": "Balance âgée",
    "penalites-retard": "Pénalités de retard", "tableau-de-bord": "Tableau de bord",
    "gestion-litiges": "Gestion des litiges", "clauses-cgv": "Clauses des CGV",
    "moyens-paiement": "Moyens de paiement", "scoring-limites-credit": "Scoring et limites de crédit",
    "scenario-relance": "Scénario de relance", "entretien-telephonique": "Entretien téléphonique",
    "assurance-credit": "Assurance-crédit", "affacturage": "Affacturage",
    "recouvrement-externalise": "Recouvrement externalisé",
}
# The fiches linked from each module notebook (notebooks/<module>.ipynb, "Fiches à lire").
MODULE_FICHES = {
    "01_introduction_pilotage": ("dso", "gestion-litiges", "penalites-retard", "tableau-de-bord",
                                 "valeur-jour-dso"),
    "02_valeur_jour_dso": ("dso", "valeur-jour-dso"),
    "03_gestion_risque": ("clauses-cgv", "moyens-paiement", "penalites-retard", "scoring-limites-credit"),
    "04a_processus_commercial_scoring": ("clauses-cgv", "moyens-paiement", "scoring-limites-credit"),
    "04b_processus_relance": ("balance-agee", "penalites-retard", "scenario-relance"),
    "04c_processus_litiges": ("gestion-litiges",),
    "05_entretiens_telephoniques": ("entretien-telephonique",),
    "06_leviers_performance": ("balance-agee", "dso", "tableau-de-bord"),
    "07_assurance_credit": ("assurance-credit",),
    "08_affacturage": ("affacturage", "assurance-credit", "recouvrement-externalise"),
    "09_recouvrement_externalise": ("affacturage", "assurance-credit", "recouvrement-externalise"),
}
# The module that teaches each skill of banks/competences.yaml.
SKILL_MODULE = {
    "M1": "01_introduction_pilotage", "M2": "02_valeur_jour_dso", "M3": "03_gestion_risque",
    "M4a": "04a_processus_commercial_scoring", "M4b": "04b_processus_relance", "M4c": "04c_processus_litiges",
    "M5": "05_entretiens_telephoniques", "M6": "06_leviers_performance", "E1": "07_assurance_credit",
    "E2": "07_assurance_credit", "E3": "07_assurance_credit", "E4": "08_affacturage", "E5": "08_affacturage",
    "E6": "08_affacturage", "E7": "09_recouvrement_externalise",
}


def fiches_for(module: str, competence: str = "") -> tuple[str, ...]:
    """The fiche slugs to read for a question of `module` (final evaluation: by the question's skill)."""
    if module in MODULE_FICHES:
        return MODULE_FICHES[module]
    return MODULE_FICHES.get(SKILL_MODULE.get(competence, ""), ())


def fiche_label(slug: str) -> str:
    """`"dso"` → `"Calcul du DSO (fiches/dso.md)"`."""
    return f"{FICHE_TITLES.get(slug, slug)} ({FICHES_DIR}/{slug}.md)"
