"""`casekit credit …`: the headline credit figures of the fil rouge at a month end."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd

from casekit import fmt
from casekit.casestudy.case import load_case
from casekit.credit.aged_balance import ageing_labels
from casekit.credit.dashboard import dashboard
from casekit.credit.disputes import overdue_explained_by_disputes
from casekit.credit.dso import dso_breakdown, month_name, monthly_sales
from casekit.credit.dso_value import dso_day_value
from casekit.dates import to_timestamp
from casekit.errors import DataError


def credit_figures_text(case, as_of=None) -> str:
    """The French text printed by `casekit credit figures` (as of a month end, default the case's date)."""
    as_of = case.as_of if as_of is None else to_timestamp(as_of)
    month_end = as_of + pd.offsets.MonthEnd(0)
    if as_of != month_end:
        raise DataError(f"date {fmt.date(as_of)} : les indicateurs se calculent à une fin de mois "
                        f"(ex. {fmt.date(month_end)})")
    board = dashboard(case, as_of)
    plt.close(board.figure)  # the text needs the figures, not the chart
    ind = board.indicators
    last = board.dso.iloc[-1]
    items = case.open_items(as_of)
    split = dso_breakdown(items, as_of, last["window_sales"], last["window_days"])
    sales = monthly_sales(case.invoices).loc[:board.month].tail(12)
    day = dso_day_value(sales.sum())
    lines = [f"{case.name} — indicateurs crédit clients au {fmt.date(as_of)}", "",
             "DSO",
             f"  Méthode comptable (3 derniers mois) : {fmt.days(ind['dso_accounting'])} "
             f"(variation sur 12 mois : {_signed_days(ind['dso_accounting_change_12m'])})",
             f"  Méthode par épuisement : {fmt.days(ind['dso_count_back'])} "
             f"(variation sur 12 mois : {_signed_days(ind['dso_count_back_change_12m'])})",
             f"  Meilleur DSO possible (encours non échu) : {fmt.days(split.best_possible_dso)} ; "
             f"retard moyen (ADD) : {fmt.days(split.add)}",
             f"  Valeur d'un jour de DSO : {fmt.euros(day, 0)} (CA TTC des 12 derniers mois "
             f"{fmt.euros(sales.sum(), 0)} / 365)", "",
             "Balance âgée (TTC)"]
    labels = ageing_labels(board.aged.index)
    lines += [f"  {labels[k]:<18} {fmt.euros(v):>18}" for k, v in board.aged.items()]
    lines.append(f"  Part échue de l'encours : {fmt.percent(ind['overdue_share'])}")
    explained = overdue_explained_by_disputes(items, as_of)
    lines += ["", "Litiges",
              f"  Ouverts : {board.disputes.open_count} pour {fmt.euros(board.disputes.open_amount)}",
              f"  Part de l'échu en litige : {fmt.percent(explained.share)}"]
    lines += [f"  - {reason} : {count} pour {fmt.euros(amount)}" for reason, count, amount in
              zip(board.disputes.by_reason.index, board.disputes.by_reason["count"],
                  board.disputes.by_reason["amount"])]
    next_month = board.forecast.index[0]
    lines += ["", f"Prévision d'encaissements de {month_name(next_month)} sur l'encours au {fmt.date(as_of)}",
              f"  Selon les retards habituels des clients : {fmt.euros(ind['forecast_next_month'], 0)}",
              f"  À l'échéance (prévision naïve) : {fmt.euros(ind['naive_next_month'], 0)}"]
    return "\n".join(lines)


def _signed_days(value) -> str:
    return fmt.days(value) if math.isnan(value) or value < 0 else "+" + fmt.days(value)


def _figures(args) -> int:
    print(credit_figures_text(load_case(args.path), args.as_of))
    return 0


def register(subparsers) -> None:
    """Add `casekit credit` (default subcommand: `figures`)."""
    credit = subparsers.add_parser("credit", help="Indicateurs crédit clients du cas fil rouge")
    credit.set_defaults(func=_figures, as_of=None, path=None)
    commands = credit.add_subparsers(dest="credit_command")
    figures = commands.add_parser("figures", help="DSO, valeur d'un jour, balance âgée, litiges, prévision")
    figures.add_argument("--as-of", default=None,
                         help="date d'arrêté, une fin de mois (par défaut : 31/12/2025)")
    figures.add_argument("--path", help="dossier des données (par défaut : casestudy_data/)")
    figures.set_defaults(func=_figures)
