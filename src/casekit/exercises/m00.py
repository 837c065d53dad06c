"""Exercises of notebook 00 (getting started): check that the workbook is set up and read right."""

from __future__ import annotations

from casekit.context import portfolio_summary
from casekit.exercises import exercise


@exercise("00.1",
          "Combien de pièces non soldées (factures, avoirs et encaissements non lettrés) la table `wb.open_items` "
          "compte-t-elle à la date d'analyse ?",
          unit="number", rel_tolerance=0.0, abs_tolerance=0.0,
          hints=("Chaque ligne de `wb.open_items` est une pièce non soldée.",
                 "`len(wb.open_items)` donne le nombre de lignes d'un tableau pandas."))
def _items(items, as_of):
    return portfolio_summary(items, as_of).items


@exercise("00.2",
          "Quel est l'encours clients total TTC (en euros) à la date d'analyse, c'est-à-dire la somme des "
          "montants de `wb.open_items` ?",
          unit="euros", rel_tolerance=0.0, abs_tolerance=0.01,
          hints=("L'encours est la somme de la colonne « amount » (montant TTC restant dû, avoirs en négatif).",
                 "`wb.open_items[\"amount\"].sum()` ; c'est aussi le montant affiché par la bannière du classeur."))
def _receivables(items, as_of):
    return portfolio_summary(items, as_of).receivables


@exercise("00.3",
          "Dans la démonstration du FEC (section 3), combien de clients (comptes auxiliaires 411) ont au moins "
          "une pièce non soldée parmi les pièces tirées du FEC (`pieces_fec`) ?",
          unit="number", rel_tolerance=0.0, abs_tolerance=0.0,
          hints=("Un client peut avoir plusieurs pièces : comptez les identifiants distincts, pas les lignes.",
                 "`pieces_fec[\"customer_id\"].nunique()`"))
def _fec_customers(items, as_of):
    return portfolio_summary(items, as_of).customers
