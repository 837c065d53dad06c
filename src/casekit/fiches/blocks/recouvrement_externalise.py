"""Blocks of `fiches/recouvrement-externalise.md`: the real cost of an agency on three files and the break-even
between a subscription and a success fee, worked on the board; then the fil rouge: what could be handed over,
the real cost and net cash of the three offers received against the in-house team, and the same decision with
the team's measured recovery curve."""

from __future__ import annotations

import pandas as pd

from casekit import fmt
from casekit.fiches.blocks import block, source_line
from casekit.outsourcing.collection import (
    BANDS,
    DEFAULT_IN_HOUSE_RECOVERY,
    IN_HOUSE,
    CollectionOffer,
    InHouseTeam,
    collection_portfolio,
    compare_options,
    fee_break_even,
    handover_scope,
    historical_recovery,
    in_house_cost,
    insolvent_customer_ids,
)

# The board example (same as notebook 09): files A (10 000 €, 0–90 days), B (200 €, 0–90 days), C (5 000 €,
# 91–180 days, disputed); a team of 2 FTE (100 000 € loaded salaries, 20 000 € overhead); an agency at 8 % / 12 %,
# announcing 88 % / 68 % recovered, refusing files under 300 € and disputes, and freeing 1 FTE.
EXAMPLE_FILES = pd.DataFrame({"file_id": ["A", "B", "C"], "band": ["0-90", "0-90", "91-180"],
                              "amount": [10_000.0, 200.0, 5_000.0], "disputed": [False, False, True]})
EXAMPLE_TEAM = InHouseTeam(fte=2, salaries=100_000, overhead=20_000)
EXAMPLE_AGENCY = CollectionOffer(offer_id="AGENCE", provider="Agence", success_fee_0_90=0.08,
                                 success_fee_91_180=0.12, recovery_0_90=0.88, recovery_91_180=0.68,
                                 min_file_amount=300, internal_fte_saved=1)
# A platform at 12 000 € a year + 4 % of the amounts recovered, against an agency at 10 %.
EXAMPLE_BREAK_EVEN = dict(fixed_a=0.0, rate_a=0.10, fixed_b=12_000.0, rate_b=0.04)
HANDOVER_DAYS = 60


def _grid(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table, first column left-aligned, the others right-aligned."""
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def example_results():
    """The board example: the decision table (in-house, agency) and the platform/agency break-even."""
    results = compare_options(EXAMPLE_FILES, EXAMPLE_TEAM, [EXAMPLE_AGENCY]).set_index("option_id")
    return results, fee_break_even(**EXAMPLE_BREAK_EVEN)


@block("recouvrement_externalise_exemple")
def recouvrement_externalise_exemple(context) -> str:
    results, break_even = example_results()
    inside, agency = results.loc[IN_HOUSE], results.loc[EXAMPLE_AGENCY.offer_id]
    a = EXAMPLE_FILES.set_index("file_id").loc["A"]
    fee, rate = EXAMPLE_AGENCY.success_fee_0_90, EXAMPLE_AGENCY.recovery_0_90
    b = EXAMPLE_BREAK_EVEN

    def pair(label, col, decimals=0, bold=False):
        cells = [fmt.euros(inside[col], decimals), fmt.euros(agency[col], decimals)]
        if bold:
            label, cells = f"**{label}**", [f"**{c}**" for c in cells]
        return [label, *cells]

    rows = [
        [f"Honoraires : seul A est pris ({fmt.number(a['amount'])} × {fmt.percent(rate, 0)} × "
         f"{fmt.percent(fee, 0)})", fmt.euros(inside["fees"], 0), fmt.euros(agency["fees"], 0)],
        [f"Coût interne conservé ({fmt.number(EXAMPLE_AGENCY.internal_fte_saved)} ETP libéré sur "
         f"{fmt.number(EXAMPLE_TEAM.fte)})", fmt.euros(inside["internal_cost"], 0),
         fmt.euros(agency["internal_cost"], 0)],
        pair("Coût réel", "real_cost", bold=True),
        pair("Sommes recouvrées (B et C restent en interne)", "recovered"),
        ["Écart de trésorerie nette avec l'équipe interne", "",
         f"**+{fmt.euros(agency['net_cash_vs_in_house'], 0)}**"],
    ]
    platform = (f"Plateforme à {fmt.euros(b['fixed_b'], 0)} par an + {fmt.percent(b['rate_b'], 0)} contre agence à "
                f"{fmt.percent(b['rate_a'], 0)} : point mort {fmt.number(b['fixed_b'])} / "
                f"({fmt.percent(b['rate_a'], 0)} − {fmt.percent(b['rate_b'], 0)}) = **{fmt.euros(break_even, 0)}** "
                "recouvrés par an.")
    f = EXAMPLE_FILES.set_index("file_id")
    t, o = EXAMPLE_TEAM, EXAMPLE_AGENCY
    setting = (f"Dossiers A {fmt.euros(f.at['A', 'amount'], 0)} et B {fmt.euros(f.at['B', 'amount'], 0)} (0 à 90 "
               f"jours), C {fmt.euros(f.at['C', 'amount'], 0)} (91 à 180 jours, en litige). Équipe : "
               f"{fmt.number(t.fte)} ETP, {fmt.euros(t.salaries, 0)} + {fmt.euros(t.overhead, 0)} de structure, "
               f"recouvre {fmt.percent(t.recovery[0], 0)} / {fmt.percent(t.recovery[1], 0)}. Agence : "
               f"{fmt.percent(o.success_fee_0_90, 0)} / {fmt.percent(o.success_fee_91_180, 0)}, annonce "
               f"{fmt.percent(o.recovery_0_90, 0)} / {fmt.percent(o.recovery_91_180, 0)}, refuse litiges et "
               f"dossiers de moins de {fmt.euros(o.min_file_amount, 0)}, libère {fmt.number(o.internal_fte_saved)} "
               "ETP.")
    return "\n\n".join([setting, _grid(["Exemple : dossiers A, B, C", "Interne", "Agence"], rows), platform])


def _signed(value: float) -> str:
    """Euros with an explicit sign: +31 861 € / -36 192 €."""
    return ("+" if value > 0 else "") + fmt.euros(value, 0)


def _tariff(offer: CollectionOffer) -> str:
    """The fee structure of an offer in a few words."""
    parts = []
    if offer.annual_subscription:
        parts.append(f"{fmt.number(offer.annual_subscription / 1000)} k€/an")
    fees = [offer.success_fees[b] for b in BANDS]
    if max(fees) > 0:
        parts.append(f"{fmt.number(min(fees) * 100)}-{fmt.percent(max(fees), 0)}")
    if offer.file_fee:
        parts.append(f"{fmt.euros(offer.file_fee, 0)}/dos.")
    return " + ".join(parts)


def fil_rouge_results(context) -> dict:
    """The offers, the scope at 60 days, the decision table, the break-evens and the measured curve."""
    case, as_of = context.case, context.as_of
    team = InHouseTeam.from_case(case)
    offers = CollectionOffer.offers_from_table(case.collection_offers)
    files = collection_portfolio(case, as_of, HANDOVER_DAYS)
    results = compare_options(files, team, list(offers.values()))
    scope = handover_scope(context.open_items, as_of, HANDOVER_DAYS, min_file_amount=0,
                           exclude_customers=insolvent_customer_ids(case.customers, as_of)).set_index("category")
    start = as_of - pd.DateOffset(years=1)
    curve = historical_recovery(case.open_items(start), case.payments, start,
                                exclude_customers=insolvent_customer_ids(case.customers, start)).set_index("band")
    measured = float(curve.at["0-90", "recovery_rate"])
    own_team = InHouseTeam.from_case(case, recovery=(measured, *DEFAULT_IN_HOUSE_RECOVERY[1:]))
    own = compare_options(files, own_team, list(offers.values()))
    agency = next(o for o in offers.values() if o.model == "Agence de recouvrement")
    break_evens = {k: fee_break_even(agency.annual_subscription, agency.success_fee_0_90, o.annual_subscription,
                                     o.success_fee_0_90) for k, o in offers.items() if o is not agency}
    in_house = in_house_cost(team, int(results.at[0, "files"]), float(results.at[0, "recovered"]))
    return dict(team=team, in_house=in_house, offers=offers, results=results, scope=scope, measured=measured, own=own,
                agency=agency, break_evens=break_evens, start=start)


@block("recouvrement_externalise_fil_rouge")
def recouvrement_externalise_fil_rouge(context) -> str:
    r = fil_rouge_results(context)
    team, offers, res, scope = r["team"], r["offers"], r["results"].set_index("option_id"), r["scope"]
    keys = list(res.index)

    def line(label, f, bold=False):
        cells = [f(k) for k in keys]
        if bold:
            label, cells = f"**{label}**", [f"**{c}**" for c in cells]
        return [label, *cells]

    def euros(col):
        return lambda k: fmt.euros(res.at[k, col], 0)

    header = [f"Transmis à {HANDOVER_DAYS} j"] + [
        "Interne" if k == IN_HOUSE else f"{k}" for k in keys]
    rows = [
        line("Tarif HT", lambda k: "—" if k == IN_HOUSE else _tariff(offers[k])),
        line("Litiges ; min.", lambda k: "—" if k == IN_HOUSE else
             f"{'oui' if offers[k].handles_disputes else 'non'} ; {fmt.euros(offers[k].min_file_amount, 0)}"),
        line("Honoraires, frais", euros("fees")),
        line("ETP libérés", lambda k: fmt.number(res.at[k, "fte_saved"], 1)),
        line("Coût interne", euros("internal_cost")),
        line("Coût réel", euros("real_cost"), bold=True),
        line("Recouvré (TTC)", euros("recovered")),
        line("Écart tréso. nette", lambda k: "—" if k == IN_HOUSE else _signed(res.at[k, "net_cash_vs_in_house"]),
             bold=True),
    ]
    best = res.drop(index=IN_HOUSE).sort_values("net_cash", ascending=False).iloc[0]
    best_id = res.drop(index=IN_HOUSE)["net_cash"].idxmax()
    own = r["own"].set_index("option_id").drop(index=IN_HOUSE)
    agency = r["agency"]
    be = " ; ".join(f"{k} / {agency.offer_id} {fmt.euros(v, 0)}" for k, v in r["break_evens"].items())
    reading = [
        f"* **Périmètre** : {fmt.euros(scope.at['overdue', 'amount'], 0)} échus à plus de "
        f"{HANDOVER_DAYS} jours, dont {fmt.euros(scope.at['insolvent', 'amount'], 0)} "
        f"({fmt.percent(scope.at['insolvent', 'share'], 0)}) en procédure collective (à déclarer, pas à confier) ; "
        f"{fmt.euros(scope.at['to_reconcile', 'amount'], 0)} non lettrés à rapprocher.",
        f"* **Équipe** : {fmt.number(team.fte, 1)} ETP, {fmt.euros(team.total_cost, 0)} par an "
        f"({fmt.euros(r['in_house'].hourly_cost, 2)} de l'heure) ; meilleure offre : {best_id} "
        f"(+{fmt.euros(best['net_cash_vs_in_house'], 0)}).",
        f"* **Point mort** (0 à 90 jours) : {be} par an.",
        f"* **Courbe mesurée** : l'équipe a encaissé en un an {fmt.percent(r['measured'], 1)} de l'échu de 0 à 90 "
        f"jours au {fmt.date(r['start'])} ; à ce taux, chaque offre fait perdre "
        f"{fmt.euros(-own['net_cash_vs_in_house'].max(), 0)} à {fmt.euros(-own['net_cash_vs_in_house'].min(), 0)}.",
    ]
    return "\n\n".join([_grid(header, rows), "\n".join(reading), source_line(context)])

