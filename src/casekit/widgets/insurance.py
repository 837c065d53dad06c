"""Credit-insurance simulator (notebook 07): the parameters of a policy → its annual cost, the indemnity on one of
the fil rouge's insolvencies, and the residual risk on the exposure. No formula here: every figure comes from
`casekit.outsourcing.insurance`."""

from __future__ import annotations

from dataclasses import replace

import ipywidgets as widgets

from casekit import fmt
from casekit.outsourcing.insurance import (
    COVER_LABELS,
    EVENT_LABELS,
    LIMIT_SCENARIOS,
    InsurancePolicy,
    annual_indemnities,
    claim_breakdown,
    evaluate_insurance_policy,
    indemnity,
    insolvency_claims,
    insolvency_debts,
    limit_scenario,
    plot_claim_breakdown,
)
from casekit.widgets.figures import show

RATES = [round(0.0010 + i * 0.0001, 4) for i in range(31)]          # 0,10 % … 0,40 %
QUOTITES = [0.70, 0.75, 0.80, 0.85, 0.90, 0.95]
DISCRETIONARY = [i * 5_000 for i in range(13)]                       # 0 … 60 000 €
PER_CLAIM = [i * 500 for i in range(11)]                             # 0 … 5 000 €
AGGREGATE = [i * 5_000 for i in range(11)]                           # 0 … 50 000 €
WAITING = [60, 90, 120, 150, 180, 210]
STYLE = {"description_width": "260px"}
LAYOUT = {"width": "620px"}


def _slider(description, values, label):
    return widgets.SelectionSlider(options=[(label(v), v) for v in values], description=description,
                                   style=STYLE, layout=widgets.Layout(**LAYOUT), continuous_update=False)


def _nearest(values, value):
    return min(values, key=lambda v: abs(v - value))


def _cover_text(res) -> str:
    if res.cover == "named":
        return f"agrément de {fmt.euros(res.cover_limit, 0)}"
    if res.cover == "discretionary":
        return f"limite discrétionnaire de {fmt.euros(res.cover_limit, 0)} (client non dénommé)"
    return COVER_LABELS[res.cover].lower()


def simulation_text(ev, result, paid_row, customer_name: str, as_of) -> str:
    """The French HTML summary of one simulation (`evaluate_insurance_policy`, the chosen claim's `indemnity`
    and its row of `annual_indemnities`)."""
    cost, policy = ev.cost, ev.policy
    minimum = " (prime minimale appliquée)" if cost.minimum_applied else ""
    residual = ev.coverage
    return (
        "<div style='font-size:15px;line-height:1.5'>"
        f"<b>Coût annuel</b> : prime {fmt.euros(cost.premium, 0)}{minimum} "
        f"({fmt.percent(policy.premium_rate, 2)} × {fmt.euros(cost.basis_amount, 0)} de CA HT assuré) "
        f"+ frais d'agrément et de surveillance {fmt.euros(cost.limit_request_fees + cost.monitoring_fees, 0)} "
        f"= <b>{fmt.euros(cost.total, 0)}</b> ({fmt.percent(cost.cost_rate, 3)} du CA).<br>"
        f"<b>Sinistre {customer_name}</b> : créance {fmt.euros(result.loss_excl_vat + result.vat_recovered, 0)} "
        f"TTC, perte {fmt.euros(result.loss_excl_vat, 0)} HT ; couverture : {_cover_text(result)} ; "
        f"indemnité avant franchise annuelle <b>{fmt.euros(result.indemnity, 0)}</b>, "
        f"versée après franchise annuelle et plafond <b>{fmt.euros(paid_row['indemnity_paid'], 0)}</b> ; "
        f"sinistre constitué le {fmt.date(result.constituted_date)} par {EVENT_LABELS[result.event]}, "
        f"indemnité versée le {fmt.date(result.payment_date)}.<br>"
        f"<b>Encours au {fmt.date(as_of)}</b> : {fmt.euros(ev.exposure, 0)}, dont couvert "
        f"<b>{fmt.euros(ev.covered, 0)}</b> ({fmt.percent(ev.coverage_rate)}) ; risque résiduel "
        f"<b>{fmt.euros(ev.residual, 0)}</b> (part non garantie {fmt.euros(residual['uninsured_share'].sum(), 0)}, "
        f"au-delà des limites {fmt.euros(residual['above_limit'].sum(), 0)}, agréments refusés "
        f"{fmt.euros(residual['refused'].sum(), 0)})."
        "</div>")


def insurance_simulator(case, items=None, year: int = 2025) -> widgets.VBox:
    """Controls for a policy (starting offer, premium rate, quotité, discretionary limit, deductibles, waiting
    period, the insurer's limits) and an insolvent customer; shows the annual cost, the indemnity on that
    insolvency and the residual risk on the open items at the case's date, with the claim's breakdown chart.

    The container exposes `.controls` (dict of widgets) and `.result` (the HTML summary) for tests.
    """
    items = case.open_items(case.as_of) if items is None else items
    debts = insolvency_debts(case)
    offers = InsurancePolicy.offers_from_table(case.insurance_offers)
    names = case.customers.set_index("customer_id")["customer_name"]
    procedures = case.customers.set_index("customer_id")["insolvency_procedure"].astype(str)

    base = widgets.Dropdown(options=[(f"{k} – {p.insurer}{' (via courtier)' if p.via_broker else ''}", k)
                                     for k, p in offers.items()], description="Offre de départ :", style=STYLE,
                            layout=widgets.Layout(**LAYOUT))
    controls = {
        "offer": base,
        "premium_rate": _slider("Taux de prime (CA HT assuré) :", RATES, lambda v: fmt.percent(v, 2)),
        "quotite": _slider("Quotité garantie (acheteurs agréés) :", QUOTITES, lambda v: fmt.percent(v, 0)),
        "discretionary_limit": _slider("Limite discrétionnaire :", DISCRETIONARY, lambda v: fmt.euros(v, 0)),
        "per_claim_deductible": _slider("Franchise par sinistre :", PER_CLAIM, lambda v: fmt.euros(v, 0)),
        "aggregate_deductible": _slider("Franchise annuelle globale :", AGGREGATE, lambda v: fmt.euros(v, 0)),
        "waiting_period_days": _slider("Délai constitutif (carence) :", WAITING, lambda v: f"{v} jours"),
        "limits": widgets.Dropdown(options=[(label, key) for key, label in LIMIT_SCENARIOS.items()],
                                   description="Limites :", style=STYLE, layout=widgets.Layout(**LAYOUT)),
        "customer": widgets.Dropdown(
            options=[(f"{names[d.customer_id]} ({d.customer_id}) – {procedures[d.customer_id].lower()} le "
                      f"{fmt.date(d.insolvency_date)}", d.customer_id) for d in debts.itertuples(index=False)],
            description="Client défaillant :", style=STYLE, layout=widgets.Layout(**LAYOUT)),
    }
    result = widgets.HTML()
    out = widgets.Output()
    state = {"hold": False}
    grids = {"premium_rate": RATES, "quotite": QUOTITES, "discretionary_limit": DISCRETIONARY,
             "per_claim_deductible": PER_CLAIM, "aggregate_deductible": AGGREGATE, "waiting_period_days": WAITING}

    def load_offer(_=None):
        state["hold"] = True
        policy = offers[base.value]
        for name, values in grids.items():
            controls[name].value = _nearest(values, getattr(policy, name))
        state["hold"] = False
        update()

    def update(_=None):
        if state["hold"]:
            return
        policy = replace(offers[base.value], **{name: controls[name].value for name in grids})
        limits = limit_scenario(case.insurance_limits, policy.offer_id, controls["limits"].value)
        ev = evaluate_insurance_policy(case, policy, limits=limits, items=items, debts=debts, year=year)
        claims = insolvency_claims(replace(case, insurance_limits=limits), policy, debts)
        claim = next(c for c in claims if c.customer_id == controls["customer"].value)
        res = indemnity(claim, policy)
        paid = annual_indemnities(claims, policy, ev.cost.premium).set_index("customer_id").loc[claim.customer_id]
        result.value = simulation_text(ev, res, paid, names[claim.customer_id], case.as_of)
        show(out, plot_claim_breakdown(claim_breakdown(res), title=f"Sinistre {names[claim.customer_id]} : "
                                                                    "qui supporte la créance impayée ?"))

    base.observe(load_offer, names="value")
    for name, control in controls.items():
        if name != "offer":
            control.observe(update, names="value")
    load_offer()
    box = widgets.VBox([widgets.HTML("<b>Simulateur de police d'assurance-crédit</b> (cas fil rouge)"),
                        *controls.values(), result, out])
    box.controls = controls
    box.result = result
    return box
