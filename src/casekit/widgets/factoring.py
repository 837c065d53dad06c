"""Factoring simulator (notebook 08): the parameters of an offer → its annual cost, the cash it brings and its
effective rate against an overdraft and a Dailly line. No formula here: every figure comes from
`casekit.outsourcing.factoring`."""

from __future__ import annotations

from dataclasses import replace

import ipywidgets as widgets

from casekit import fmt
from casekit.outsourcing.factoring import (
    FactoringOffer,
    case_factoring_inputs,
    cheapest_insurance_rate,
    compare_factoring_offers,
    factoring_cost,
    plot_factoring_cost,
)
from casekit.widgets.figures import show

FEE_RATES = [round(0.0005 + i * 0.0001, 4) for i in range(76)]        # 0,05 % … 0,80 %
INDEX_RATES = [round(i * 0.0005, 4) for i in range(81)]                # 0 % … 4 %
MARGINS = [round(0.0025 + i * 0.0005, 4) for i in range(56)]           # 0,25 % … 3 %
FUND_RATES = [round(i * 0.01, 2) for i in range(21)]                   # 0 % … 20 %
SHARES = [round(i * 0.05, 2) for i in range(21)]                       # 0 % … 100 %
DSO_DAYS = list(range(30, 121))                                        # 30 … 120 jours
STYLE = {"description_width": "300px"}
LAYOUT = {"width": "660px"}


def _slider(description, options):
    return widgets.SelectionSlider(options=options, description=description, style=STYLE,
                                   layout=widgets.Layout(**LAYOUT), continuous_update=False)


def _nearest(values, value):
    return min(values, key=lambda v: abs(v - value))


def simulation_text(cost, offer: FactoringOffer) -> str:
    """The French HTML summary of one `factoring_cost` result for `offer`."""
    minimum = " (minimum annuel appliqué)" if cost.minimum_applied else ""
    fees = cost.invoice_fees + cost.buyer_fees + cost.dispute_fees + cost.setup_fee
    verdict_o = "économie" if cost.saving_vs_overdraft >= 0 else "surcoût"
    verdict_d = "économie" if cost.saving_vs_dailly >= 0 else "surcoût"
    insurance = (f" − garantie d'insolvabilité incluse {fmt.euros(cost.insurance_value, 0)}"
                 if cost.insurance_value else "")
    return (
        "<div style='font-size:15px;line-height:1.55'>"
        f"<b>Coût annuel</b> : commission d'affacturage {fmt.euros(cost.factoring_commission, 0)}{minimum} "
        f"+ commission de financement {fmt.euros(cost.financing_commission, 0)} "
        f"({fmt.percent(offer.financing_rate, 2)} l'an, base 360) + frais {fmt.euros(fees, 0)} "
        f"+ coût du fonds de garantie {fmt.euros(cost.guarantee_fund_cost, 0)} "
        f"= <b>{fmt.euros(cost.total_cost, 0)}</b>.<br>"
        f"<b>Trésorerie moyenne obtenue</b> : <b>{fmt.euros(cost.average_cash, 0)}</b> "
        f"(encours moyen {fmt.euros(cost.average_receivables, 0)}, fonds de garantie "
        f"{fmt.euros(cost.guarantee_fund, 0)}).<br>"
        f"<b>Taux effectif du financement</b> (coût{insurance}, rapporté à la trésorerie obtenue) : "
        f"<b>{fmt.percent(cost.effective_rate, 2)}</b> ; découvert sur la même trésorerie "
        f"{fmt.euros(cost.overdraft_cost, 0)} ({verdict_o} {fmt.euros(abs(cost.saving_vs_overdraft), 0)}), "
        f"Dailly {fmt.euros(cost.dailly_cost, 0)} ({verdict_d} {fmt.euros(abs(cost.saving_vs_dailly), 0)})."
        "</div>")


def factoring_simulator(case, year: int = 2025, insurance_rate: float | None = None) -> widgets.VBox:
    """Controls for a factoring offer (starting offer, factoring commission, Euribor, margin, guarantee fund,
    share of the available financing drawn, DSO) on the fil rouge's `year`; shows the annual cost, the cash
    obtained and the effective rate against the overdraft and the Dailly line, with the cost chart.

    The container exposes `.controls` (dict of widgets) and `.result` (the HTML summary) for tests.
    """
    inputs = case_factoring_inputs(case, year)
    if insurance_rate is None:
        insurance_rate = cheapest_insurance_rate(case, year)
    of_year = case.invoices["document_date"].dt.year == year
    sales_excl = float(case.invoices.loc[of_year, "amount_excl_vat"].sum())
    offers = FactoringOffer.offers_from_table(case.factoring_offers)
    shares = compare_factoring_offers(case, year, insurance_rate).set_index("offer_id")["share_drawn"].to_dict()

    share_options = sorted({*SHARES, *shares.values()})
    dso_options = sorted({*DSO_DAYS, inputs["dso_days"]})
    controls = {
        "offer": widgets.Dropdown(options=[(f"{k} – {o.factor} ({o.contract_type.lower()})", k)
                                           for k, o in offers.items()],
                                  description="Offre de départ :", style=STYLE, layout=widgets.Layout(**LAYOUT)),
        "factoring_fee_rate": _slider("Commission d'affacturage (% du TTC cédé) :",
                                      [(fmt.percent(v, 2), v) for v in FEE_RATES]),
        "index_rate": _slider("Euribor 3 mois (index) :", [(fmt.percent(v, 2), v) for v in INDEX_RATES]),
        "financing_margin": _slider("Marge du factor sur l'index :", [(fmt.percent(v, 2), v) for v in MARGINS]),
        "guarantee_fund_rate": _slider("Fonds de garantie :", [(fmt.percent(v, 0), v) for v in FUND_RATES]),
        "share_drawn": _slider("Part du financement disponible utilisée :",
                               [(fmt.percent(v, 1) if v not in SHARES else fmt.percent(v, 0), v)
                                for v in share_options]),
        "dso_days": _slider("DSO des créances cédées :",
                            [(fmt.days(v, 1) if v not in DSO_DAYS else fmt.days(v, 0), v) for v in dso_options]),
    }
    grids = {"factoring_fee_rate": FEE_RATES, "index_rate": INDEX_RATES, "financing_margin": MARGINS,
             "guarantee_fund_rate": FUND_RATES}
    result = widgets.HTML()
    out = widgets.Output()
    state = {"hold": False}

    def load_offer(_=None):
        state["hold"] = True
        offer = offers[controls["offer"].value]
        for name, values in grids.items():
            controls[name].value = _nearest(values, getattr(offer, name))
        controls["share_drawn"].value = _nearest(share_options, shares[offer.offer_id])
        controls["dso_days"].value = _nearest(dso_options, inputs["dso_days"])
        state["hold"] = False
        update()

    def update(_=None):
        if state["hold"]:
            return
        offer = replace(offers[controls["offer"].value], **{name: controls[name].value for name in grids})
        value = insurance_rate * sales_excl if offer.credit_insurance_included else 0.0
        args = {**inputs, "dso_days": controls["dso_days"].value}
        cost = factoring_cost(offer, share_drawn=controls["share_drawn"].value, insurance_value=value, **args)
        result.value = simulation_text(cost, offer)
        show(out, plot_factoring_cost(cost, title=f"{offer.offer_id} : coût annuel de l'affacturage et du crédit "
                                                  "bancaire"))

    controls["offer"].observe(load_offer, names="value")
    for name, control in controls.items():
        if name != "offer":
            control.observe(update, names="value")
    load_offer()
    box = widgets.VBox([widgets.HTML("<b>Simulateur d'offre d'affacturage</b> (cas fil rouge, ventes "
                                     f"{year} cédées)"), *controls.values(), result, out])
    box.controls = controls
    box.result = result
    return box
