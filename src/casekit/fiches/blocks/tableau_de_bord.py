"""Blocks of `fiches/tableau-de-bord.md`: each indicator computed on small round numbers on the board, and the fil
rouge's monthly dashboard at the fiche's date against the same month a year earlier, with its four panels."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from casekit import fmt
from casekit.context import portfolio_summary
from casekit.credit.calls import promise_kept_rate, promise_kept_trend
from casekit.credit.dashboard import dashboard, dso_target_sentence
from casekit.credit.disputes import DEFAULT_TARGET, overdue_explained_by_disputes, target_check
from casekit.credit.dso import dso_breakdown
from casekit.credit.dso_value import dso_change_impact
from casekit.credit.dunning import cumulative_recovery, dunning_outcomes, summarize_recovery
from casekit.credit.forecast import forecast_gaps, forecast_track
from casekit.fiches.blocks import block, source_line
from casekit.openitems import canonical_open_items

DSO_TARGET = 65  # days: the fil rouge's target (Hexaform's finance department, notebook 06)

# The board example, one line per indicator.
EXAMPLE_AS_OF = pd.Timestamp("2025-12-31")
EXAMPLE_DSO = dict(annual_sales_incl_vat=36_500_000, dso_from=70, dso_to=65, financing_rate=0.04)
EXAMPLE_ITEMS = canonical_open_items(pd.DataFrame([
    ("A", "FA-1", "2025-12-10", "2026-01-24", 6_000_000, False),  # non échu
    ("B", "FA-2", "2025-10-31", "2025-12-15", 1_600_000, False),  # échu, 16 jours
    ("C", "FA-3", "2025-08-01", "2025-09-15", 400_000, True),     # échu en litige, 107 jours
], columns=["customer_id", "document_ref", "document_date", "due_date", "amount", "disputed"]))
EXAMPLE_PROMISES = pd.DataFrame({"promise_kept": ["Oui", "Oui", "Oui", "Non", "À venir", "À venir"]})
EXAMPLE_DUNNING = pd.DataFrame({"amount_dunned": [1_000.0, 400.0], "amount_recovered": [600.0, 250.0]},
                               index=pd.Index([1, 2], name="level"))
EXAMPLE_FORECAST = pd.DataFrame({"forecast": [2_000_000.0], "naive": [3_000_000.0], "actual": [1_800_000.0]})
EXAMPLE_DISPUTES = pd.DataFrame({
    "dispute_id": ["L1", "L2", "L3", "L4", "L5", "L6"], "reason": "Prix", "owner_department": "Commercial",
    "amount": 1_000.0,
    "opened_date": pd.to_datetime(["2025-12-26", "2025-12-06", "2025-11-21", "2025-06-01", "2025-07-01",
                                   "2025-08-01"]),
    "closed_date": pd.to_datetime([None, None, None, "2025-06-11", "2025-07-21", "2025-08-31"])})
EXAMPLE_DISPUTE_TARGET = 20


def example_results() -> dict:
    """Each indicator of the board example, computed by casekit (what the block shows, for the tests)."""
    return dict(
        dso=dso_change_impact(**EXAMPLE_DSO),
        summary=portfolio_summary(EXAMPLE_ITEMS, EXAMPLE_AS_OF),
        disputed=overdue_explained_by_disputes(EXAMPLE_ITEMS, EXAMPLE_AS_OF),
        promises=promise_kept_rate(EXAMPLE_PROMISES, by=None).iloc[0],
        dunning=cumulative_recovery(EXAMPLE_DUNNING),
        forecast=forecast_gaps(EXAMPLE_FORECAST).iloc[0],
        disputes=target_check(EXAMPLE_DISPUTES, EXAMPLE_AS_OF, EXAMPLE_DISPUTE_TARGET),
    )


def _grid(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table, first column left-aligned, the others right-aligned."""
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def _meur(value) -> str:
    return f"{fmt.number(value / 1e6, 1)} M€"


@block("tableau_de_bord_exemple")
def tableau_de_bord_exemple(context) -> str:
    r = example_results()
    d, s, x, p, c, f, t = (r["dso"], r["summary"], r["disputed"], r["promises"], r["dunning"], r["forecast"],
                           r["disputes"])
    e = EXAMPLE_DSO
    rows = [
        ["Écart à l'objectif de DSO", f"({fmt.number(e['dso_from'])} − {fmt.number(e['dso_to'])}) j × "
         f"{_meur(e['annual_sales_incl_vat'])} / 365", f"**{fmt.euros(d.cash_released, 0)}** à libérer"],
        ["Coût annuel de l'écart", f"{fmt.euros(d.cash_released, 0)} × {fmt.percent(d.financing_rate, 0)}",
         fmt.euros(d.financing_saved, 0)],
        ["Taux d'échu", f"{_meur(s.overdue)} / {_meur(s.receivables)}", f"**{fmt.percent(s.overdue_share, 0)}**"],
        ["Échu à plus de 90 jours", f"{_meur(s.over_90)} / {_meur(s.receivables)}",
         fmt.percent(s.over_90_share, 0)],
        ["Part de l'échu en litige", f"{_meur(x.disputed_overdue)} / {_meur(x.overdue_amount)}",
         fmt.percent(x.share, 0)],
        [f"Litiges clos en {EXAMPLE_DISPUTE_TARGET} j au plus", f"{t.within_count} sur {t.closed_count} clos "
         f"(ouverts hors délai : {t.beyond_count} sur {t.open_count})", fmt.percent(t.within_rate)],
        ["Promesses tenues", f"{int(p['kept'])} tenues / {int(p['promises'])} échues "
         f"({int(p['pending'])} à venir exclues)", f"**{fmt.percent(p['kept_rate'], 0)}**"],
        ["Relance : taux cumulé", f"({fmt.euros(c['amount_recovered'].iloc[0], 0)} + "
         f"{fmt.euros(c['amount_recovered'].iloc[1], 0)}) / {fmt.euros(c['amount_dunned'].iloc[0], 0)} relancés",
         f"{fmt.percent(c['cumulative_rate'].iloc[0], 0)} puis **{fmt.percent(c['cumulative_rate'].iloc[1], 0)}**"],
        ["Écart de prévision", f"({_meur(f['actual'])} − {_meur(f['forecast'])}) / {_meur(f['forecast'])}",
         f"**{fmt.percent(f['gap_forecast_pct'], 0)}**"],
    ]
    lines = ["| Indicateur (exemple) | Calcul | Résultat |", "|---|---|---:|"]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def _column(context, as_of: pd.Timestamp, outcomes: pd.DataFrame) -> dict:
    """The indicators of the dashboard at the month end `as_of`."""
    case = context.case
    board = dashboard(case, as_of.to_period("M"), dso_target=DSO_TARGET)
    last = board.dso.iloc[-1]
    items = case.open_items(as_of)
    recent = outcomes[(outcomes["dunning_date"] > as_of - pd.DateOffset(years=1))
                      & (outcomes["window_end"] <= as_of)]
    quarter = promise_kept_trend(case.calls, "Q", as_of).loc[as_of.to_period("Q")]
    previous = (as_of.to_period("M") - 1).to_timestamp(how="end").normalize()
    return dict(board=board, split=dso_breakdown(items, as_of, last["window_sales"], last["window_days"]),
                summary=portfolio_summary(items, as_of),
                disputes=target_check(case.disputes, as_of, DEFAULT_TARGET), promises=quarter,
                dunning=cumulative_recovery(summarize_recovery(recent, "level")),
                track=forecast_track(case, [previous]).iloc[0])


def fil_rouge_results(context) -> dict:
    """The dashboard at the fiche's date and twelve months earlier (same month: seasonality cancels out)."""
    as_of = context.as_of
    before = (as_of.to_period("M") - 12).to_timestamp(how="end").normalize()
    outcomes = dunning_outcomes(context.case.dunning, context.case.payments, as_of=as_of)
    return {"before": _column(context, before, outcomes), "now": _column(context, as_of, outcomes),
            "before_date": before}


@block("tableau_de_bord_fil_rouge")
def tableau_de_bord_fil_rouge(context) -> str:
    r = fil_rouge_results(context)
    cols = [r["before"], r["now"]]
    plt.close(r["before"]["board"].figure)

    def line(label, f):
        return [label] + [f(k) for k in cols]

    rows = [
        line(f"**DSO comptable** (objectif {DSO_TARGET} j)",
             lambda k: f"**{fmt.days(k['board'].indicators['dso_accounting'])}**"),
        line("dont retard moyen (ADD)", lambda k: fmt.days(k["split"].add)),
        line("Encours clients TTC", lambda k: fmt.euros(k["board"].indicators["receivables"], 0)),
        line("**Taux d'échu**", lambda k: f"**{fmt.percent(k['board'].indicators['overdue_share'])}**"),
        line("Échu à plus de 90 jours", lambda k: fmt.percent(k["summary"].over_90_share)),
        line("Litiges ouverts : nombre, montant", lambda k: f"{int(k['board'].indicators['open_disputes'])} ; "
             f"{fmt.euros(k['board'].indicators['open_disputes_amount'], 0)}"),
        line(f"Litiges clos en {DEFAULT_TARGET} j au plus (sur 12 mois)",
             lambda k: fmt.percent(k["disputes"].within_rate)),
        line("Promesses tenues (4e trimestre)", lambda k: fmt.percent(k["promises"]["kept_rate"])),
        line("Relance : taux cumulé, niveau 1 puis 1 à 3",
             lambda k: f"{fmt.percent(k['dunning']['cumulative_rate'].iloc[0])} ; "
             f"{fmt.percent(k['dunning']['cumulative_rate'].loc[3])}"),
        line("Encaissements prévus, mois suivant",
             lambda k: fmt.euros(k["board"].indicators["forecast_next_month"], 0)),
        line("Écart au réalisé du mois écoulé", lambda k: fmt.percent(k["track"]["gap_forecast_pct"])),
    ]
    header = ["Indicateur", fmt.date(r["before_date"]), fmt.date(context.as_of)]
    now, before = r["now"], r["before"]
    reading = [
        "* " + dso_target_sentence(now["board"].dso, DSO_TARGET),
        f"* En 12 mois, le retard moyen (ADD, levier de la relance) passe de {fmt.days(before['split'].add)} à "
        f"{fmt.days(now['split'].add)} ; le meilleur DSO possible (délais accordés, rythme des ventes) de "
        f"{fmt.days(before['split'].best_possible_dso)} à {fmt.days(now['split'].best_possible_dso)}.",
        f"* Le mois écoulé, la prévision naïve (tout à l'échéance) s'écartait du réalisé de "
        f"{fmt.percent(now['track']['gap_naive_pct'])}, celle par les retards habituels de "
        f"{fmt.percent(now['track']['gap_forecast_pct'])} : c'est elle qui va au trésorier.",
    ]
    plt.close(now["board"].figure)
    return "\n\n".join(["\n".join(reading), _grid(header, rows),
                        source_line(context)])
