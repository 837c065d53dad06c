"""The French data dictionary `casestudy_data/README.md`, rendered from the schema and the generated tables."""

from __future__ import annotations

import pandas as pd

from casekit import fmt
from casekit.casestudy.generate import DUNNING_LEVELS, SEED
from casekit.casestudy.schema import TABLES

TYPE_LABELS = {
    "str": "texte", "category": "texte (liste fermée)", "date": "date AAAA-MM-JJ", "float": "nombre décimal",
    "int": "entier", "bool": "booléen (True/False)",
}

STORY = """\
## L'histoire de l'entreprise

**Hexaform SAS** conçoit et fabrique à Villeurbanne (Rhône) des emballages techniques en plastique et en carton :
flacons et pots pour la cosmétique et la pharmacie, barquettes et opercules pour l'agroalimentaire, calages et
caisses pour l'industrie. Créée en 1987, elle emploie 185 personnes et réalise {revenue} de chiffre d'affaires
hors taxes en {year}, en croissance régulière depuis {first_year}.

Ses {customers} clients sont des industriels de l'agroalimentaire, de la cosmétique, de la pharmacie, des vins et
spiritueux, de la chimie, des distributeurs et quelques grands comptes. L'activité est saisonnière (pointes avant
l'été et avant les fêtes, creux en août) et concentrée : 20 % des clients font {top20} du chiffre d'affaires.
L'export ({export} du chiffre d'affaires) va vers l'Allemagne, les Pays-Bas et la Suisse, qui paient vite, la
Belgique et le Royaume-Uni, et l'Italie, l'Espagne et le Maroc, où les retards sont d'usage. Les ventes
intracommunautaires sont facturées hors taxes (autoliquidation par le client), les exportations hors UE exonérées.

En France, les délais de paiement respectent les plafonds de la loi de modernisation de l'économie (art. L441-10 I
du Code de commerce) : 30 ou 60 jours date de facture, 30 ou 45 jours fin de mois (calculés « date de facture +
délai, puis fin du mois »). Les contrats à l'export relèvent du droit du client et prévoient jusqu'à 90 jours. Les
grands comptes paient par campagnes le 10 et le 25 du mois ; les clients en LCR ou en prélèvement paient à
l'échéance, sauf rejet ; un client sur dix environ est un payeur chroniquement en retard, et certains se dégradent
d'année en année.

Le service crédit clients compte {collectors} gestionnaires de recouvrement aux portefeuilles inégaux. Il applique
un scénario de relance en cinq niveaux ({levels}), suspendu tant qu'un litige est ouvert. Les litiges
({dispute_rate} des factures) portent sur les prix, la qualité, les quantités, la livraison ou la facturation et
retardent le paiement : la part non contestée est souvent réglée à l'échéance, le reste après résolution, parfois
diminué d'un avoir. Quelques encaissements récents ne sont pas encore lettrés. {insolvencies} clients ont fait
l'objet d'une procédure collective entre 2023 et 2025 : ils avaient cessé de payer plusieurs mois avant le jugement,
et leurs factures impayées restent dans l'encours (créances douteuses).

Au {as_of}, l'encours clients atteint {receivables} TTC, soit un DSO de {dso} (méthode comptable sur
l'année {year}). La direction financière veut le réduire et a reçu en novembre 2025 trois propositions
d'assurance-crédit (dont une négociée par un courtier), deux offres d'affacturage et trois offres de recouvrement
externalisé (une agence, une plateforme digitale, une solution d'insourcing) : elles servent de base aux modules
7 à 9.

Toutes les données sont fictives ; les noms, SIREN et numéros de TVA sont inventés (les SIREN respectent la clé de
Luhn). Elles sont produites par `casekit data generate` à partir de la graine {seed} : régénérer donne des fichiers
identiques à l'octet près.
"""


def _column_rows(table) -> list[str]:
    rows = ["| colonne | type | unité | signification |", "|---|---|---|---|"]
    for c in table.columns:
        optional = " (peut être vide)" if not c.required else ""
        rows.append(f"| `{c.name}` | {TYPE_LABELS[c.type]} | {c.unit or '–'} | {c.description}{optional} |")
    return rows


def render_dictionary(tables: dict[str, pd.DataFrame], figures) -> str:
    """Markdown text of the data dictionary; `figures` is a `CaseFigures` of the same tables."""
    levels = ", ".join(f"{channel.lower()} à J+{days}" for _, days, channel in DUNNING_LEVELS)
    story = STORY.format(
        revenue=fmt.euros(figures.revenue_excl_vat / 1e6, 1).replace("€", "M€"), year=figures.as_of.year,
        first_year=figures.first_document.year, customers=figures.customers, top20=fmt.percent(figures.top20_share),
        export=fmt.percent(figures.export_share), collectors=figures.collectors, levels=levels,
        dispute_rate=fmt.percent(figures.dispute_rate), insolvencies=figures.insolvencies,
        as_of=fmt.date(figures.as_of), receivables=fmt.euros(figures.receivables, 0), dso=fmt.days(figures.dso),
        seed=SEED)
    out = [
        "# Données du cas fil rouge : Hexaform SAS",
        "",
        "Ce dossier contient l'entreprise fictive qui sert de fil rouge à tous les modules du classeur. Chaque "
        "fichier est un CSV en UTF-8, séparé par des virgules, avec un point décimal et des dates au format "
        "AAAA-MM-JJ (format d'échange ; le classeur affiche `1 234,56 €` et `31/12/2025`). Les montants sont en "
        "euros. Dans Python : `casekit.load_case()` charge tous les fichiers, typés.",
        "",
        "Fichier généré par `casekit data generate` : ne pas le modifier à la main.",
        "",
        story,
        "## Les fichiers",
        "",
        "| fichier | contenu | lignes |",
        "|---|---|---|",
    ]
    for t in TABLES:
        rows = fmt.number(len(tables[t.name]))
        out.append(f"| [`{t.file}`](#{t.file.replace('.', '')}) | {t.description} | {rows} |")
    out += ["", "Sens des montants : une facture est positive, un avoir négatif ; dans `reglements.csv`, le montant "
            "affecté à une pièce est du même signe que la pièce. Le solde d'un client à une date est la somme des "
            "pièces émises moins la somme des affectations et encaissements à cette date : c'est ce que donne "
            "`CaseStudy.open_items(as_of)` (table canonique des pièces non soldées).", ""]
    for t in TABLES:
        out += [f"### {t.file}", "", t.description, ""] + _column_rows(t) + [""]
    return "\n".join(out)
