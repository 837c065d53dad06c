"""Blocks of `fiches/assurance-credit.md`: one claim and one premium worked on the board, and the fil rouge's three
offers (ASS-A, ASS-B, ASS-C) compared on cost, coverage of the exposure, past insolvencies and broker saving."""

from __future__ import annotations

import pandas as pd

from casekit import fmt
from casekit.fiches.blocks import block, source_line, table
from casekit.outsourcing.insurance import (
    Claim,
    InsurancePolicy,
    compare_insurance_offers,
    coverage,
    coverage_summary,
    indemnity,
    limit_request_needs,
    policy_cost,
)

# The board example (same as notebook 07): a buyer approved for 80 000 € leaves 120 000 € TTC unpaid.
EXAMPLE_POLICY = InsurancePolicy(offer_id="exemple", premium_rate=0.0021, minimum_premium=60_000, quotite=0.90,
                                 waiting_period_days=150, payment_delay_days=30)
EXAMPLE_CLAIM = Claim("client agréé", amount_incl_vat=120_000, amount_excl_vat=100_000,
                      due_date=pd.Timestamp("2025-01-31"), approved_limit=80_000)
EXAMPLE_TURNOVERS = (40_000_000, 25_000_000)


def _grid(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table, first column left-aligned, the others right-aligned."""
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def example_results():
    """The board example's indemnity and the premium at two turnovers (what the block shows, for the tests)."""
    claim = indemnity(EXAMPLE_CLAIM, EXAMPLE_POLICY)
    premiums = [policy_cost(EXAMPLE_POLICY, t) for t in EXAMPLE_TURNOVERS]
    return claim, premiums


@block("assurance_credit_exemple")
def assurance_credit_exemple(context) -> str:
    claim, premiums = example_results()
    kept = claim.loss_excl_vat - claim.indemnity
    rows = [
        (f"Perte HT = {fmt.euros(EXAMPLE_CLAIM.amount_incl_vat, 0)} TTC − TVA récupérée "
         f"{fmt.euros(claim.vat_recovered, 0)}", fmt.euros(claim.loss_excl_vat, 0)),
        (f"**Indemnité** = (min({fmt.euros(claim.loss_excl_vat, 0)} ; {fmt.euros(claim.cover_limit, 0)}) − "
         f"{fmt.euros(claim.deductible, 0)}) × {fmt.percent(claim.quotite, 0)}",
         "**" + fmt.euros(claim.indemnity, 0) + "**"),
        ("Reste à la charge de l'assuré (HT)", fmt.euros(kept, 0)),
        (f"Versement : échéance {fmt.date(EXAMPLE_CLAIM.due_date)} + carence "
         f"{EXAMPLE_POLICY.waiting_period_days} j + {EXAMPLE_POLICY.payment_delay_days} j",
         fmt.date(claim.payment_date)),
        (f"Prime = max({fmt.percent(EXAMPLE_POLICY.premium_rate, 2)} × CA ; "
         f"{fmt.euros(EXAMPLE_POLICY.minimum_premium, 0)}), CA de "
         + " / ".join(f"{fmt.number(p.turnover / 1e6)} M€" for p in premiums),
         " / ".join(fmt.euros(p.premium, 0) + (" (minimum)" if p.minimum_applied else "") for p in premiums)),
    ]
    return table(rows, (f"Sinistre (agrément {fmt.euros(claim.cover_limit, 0)}, quotité "
                        f"{fmt.percent(claim.quotite, 0)})", "Montant"))


def fil_rouge_results(context) -> dict:
    """The three offers compared, the coverage split of each, and the limit needs of the broker's offer."""
    case = context.case
    cmp = compare_insurance_offers(case, context.as_of, context.as_of.year)
    policies = InsurancePolicy.offers_from_table(case.insurance_offers)
    splits = {k: coverage_summary(coverage(context.open_items, case.customers, case.insurance_limits, p))
              .set_index("part")["amount"] for k, p in policies.items()}
    brokered = cmp[cmp["via_broker"]].iloc[0]
    needs = limit_request_needs(context.open_items, policies[brokered["offer_id"]].discretionary_limit)
    return dict(comparison=cmp, policies=policies, splits=splits, brokered=brokered, needs=needs,
                years=case.financials["year"].nunique())


@block("assurance_credit_fil_rouge")
def assurance_credit_fil_rouge(context) -> str:
    r = fil_rouge_results(context)
    cmp, policies, splits = r["comparison"], r["policies"], r["splits"]
    keys = list(cmp["offer_id"])
    row = {k: cmp.set_index("offer_id").loc[k] for k in keys}

    def line(label, f):
        return [label] + [f(k) for k in keys]

    names = [k + (" (courtier)" if policies[k].via_broker else "") for k in keys]
    terms = [
        line("Taux / prime minimale", lambda k: f"{fmt.percent(policies[k].premium_rate, 2)} / "
             f"{fmt.euros(policies[k].minimum_premium, 0)}"),
        line("Quotité agréés / autres", lambda k: f"{fmt.percent(policies[k].quotite, 0)} / "
             f"{fmt.percent(policies[k].discretionary_quotite, 0)}"),
        line("Limite discrétionnaire / carence", lambda k: f"{fmt.euros(policies[k].discretionary_limit, 0)} / "
             f"{policies[k].waiting_period_days} j"),
        line("Franchise sinistre / an", lambda k: f"{fmt.euros(policies[k].per_claim_deductible, 0)} / "
             f"{fmt.euros(policies[k].aggregate_deductible, 0)}"),
    ]
    results = [
        line("**Coût total** (prime + frais)", lambda k: f"**{fmt.euros(row[k]['total_cost'], 0)}**"),
        line("Encours couvert", lambda k: f"{fmt.euros(row[k]['covered'], 0)} "
             f"({fmt.percent(row[k]['coverage_rate'], 0)})"),
        line("Risque résiduel", lambda k: fmt.euros(row[k]["residual"], 0)),
        line(f"Indemnités {context.as_of.year - r['years'] + 1}–{context.as_of.year}",
             lambda k: fmt.euros(row[k]["historical_indemnity"], 0)),
        line("**Coût net** (− indemnités/an)", lambda k: f"**{fmt.euros(row[k]['net_cost'], 0)}**"),
    ]
    b, needs = r["brokered"], r["needs"]
    direct = [k for k in keys if policies[k].insurer == b["insurer"] and not policies[k].via_broker][0]
    cheapest = cmp.sort_values(["total_cost", "offer_id"]).iloc[0]
    dearest = cmp.sort_values(["total_cost", "offer_id"], ascending=[False, True]).iloc[0]
    best_net = cmp.sort_values(["net_cost", "offer_id"]).iloc[0]
    best_cov = cmp.sort_values(["coverage_rate", "offer_id"], ascending=[False, True]).iloc[0]
    loss = cmp["historical_loss"].iloc[0]
    above = splits[b["offer_id"]]["above_limit"] + splits[b["offer_id"]]["refused"]
    lowest = (f"Coûts total et net les plus bas : {cheapest['offer_id']}"
              if cheapest["offer_id"] == best_net["offer_id"] else
              f"Coût total le plus bas : {cheapest['offer_id']} ; coût net : {best_net['offer_id']}")
    reading = [
        f"* Encours {fmt.euros(cmp['exposure'].iloc[0], 0)}, pertes HT sur {r['years']} ans "
        f"{fmt.euros(loss, 0)}. {lowest} ; meilleure couverture : {best_cov['offer_id']} ; la plus chère "
        f"({dearest['offer_id']}) aurait indemnisé {fmt.euros(dearest['historical_indemnity'], 0)}.",
        f"* Courtier : {b['offer_id']} coûte {fmt.euros(b['broker_saving'], 0)} de moins que {direct} ; "
        f"limite discrétionnaire {fmt.euros(policies[b['offer_id']].discretionary_limit, 0)} contre "
        f"{fmt.euros(policies[direct].discretionary_limit, 0)}.",
        f"* Agréments à demander ({b['offer_id']}) : {needs.customers_above} clients sur {needs.customers} au-delà de "
        f"{fmt.euros(needs.discretionary_limit, 0)} ; {fmt.euros(above, 0)} hors agrément.",
    ]
    return "\n\n".join([_grid(["Conditions des offres"] + names, terms),
                        _grid(["Au " + fmt.date(context.as_of)] + names, results),
                        "\n".join(reading), source_line(context)])
