"""The three externalisation solutions side by side on the fil rouge: cost, cash effect, risk transferred,
control kept.

For each solution the best offer is retained: credit insurance with the lowest net cost (cost − average annual
indemnity on the past insolvencies), factoring with the lowest effective rate, outsourced collection with the
highest net cash. Cost is annual (EUR excl. VAT); for collection, the extra cost against the in-house team
(provider fees − internal cost saved). Cash effect: the average annual indemnities (insurance), the
average cash obtained (factoring), the net cash gained against the in-house team (collection). Risk
transferred: the exposure at `as_of` the insurer would indemnify; for factoring with the guarantee included,
the guarantee quotité × the financeable receivables — an upper bound, as the factor's own buyer limits are
not in the data (none in a factoring with recourse); none for collection.
"""

from __future__ import annotations

from dataclasses import fields, replace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from casekit import fmt, plots
from casekit.dates import to_timestamp
from casekit.errors import DataError
from casekit.outsourcing.collection import (
    CollectionOffer,
    InHouseTeam,
    collection_portfolio,
    compare_options,
    real_cost_of_options,
)
from casekit.outsourcing.factoring import compare_factoring_offers, eligible_receivables
from casekit.outsourcing.insurance import InsuranceBasis, compare_insurance_offers

SOLUTION_LABELS = {"insurance": "Assurance-crédit", "factoring": "Affacturage",
                   "collection": "Recouvrement externalisé"}


def compare_solutions(case, as_of=None, year: int = 2025, handover_days: int = 60, *,
                      insurance: pd.DataFrame | None = None, factoring: pd.DataFrame | None = None,
                      collection: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per solution: `solution` (key of `SOLUTION_LABELS`), the offer retained, `annual_cost`,
    `cash_effect`, `risk_transferred` (EUR), and French qualitative `risk` and `control` labels.

    `insurance`, `factoring`, `collection`: the tables of `compare_insurance_offers`,
    `compare_factoring_offers` and `real_cost_of_options` if already computed (e.g. with other parameters).
    """
    as_of = case.as_of if as_of is None else to_timestamp(as_of)
    ins_all = compare_insurance_offers(case, as_of, year) if insurance is None else insurance
    ins = ins_all.sort_values(["net_cost", "offer_id"]).iloc[0]
    if factoring is None:
        cheapest = float(ins_all.sort_values(["total_cost", "offer_id"])["cost_rate"].iloc[0])
        factoring = compare_factoring_offers(case, year, insurance_rate=cheapest)
    fac = factoring.sort_values(["effective_rate", "offer_id"]).iloc[0]
    offers = case.factoring_offers.set_index("offer_id")
    fac_offer = offers.loc[fac["offer_id"]]
    col_all = real_cost_of_options(case, as_of, handover_days) if collection is None else collection
    col = col_all.iloc[1:].sort_values(["net_cash", "option_id"], ascending=[False, True]).iloc[0]
    eligible = eligible_receivables(case.open_items(as_of), as_of,
                                    max_overdue_days=int(fac_offer["max_overdue_days"]))
    guaranteed = (float(fac_offer["guarantee_quotite"]) * eligible.loc[eligible["eligible"], "amount"].sum()
                  if fac_offer["credit_insurance_included"] else 0.0)
    quotite = f"{fac_offer['guarantee_quotite'] * 100:.0f} %"
    return pd.DataFrame([
        dict(solution="insurance", offer_id=ins["offer_id"], provider=ins["insurer"],
             annual_cost=ins["total_cost"],
             cash_effect=ins["annual_indemnity"], risk_transferred=ins["covered"],
             risk="Insolvabilité et impayés couverts à hauteur de la quotité, dans la limite des agréments",
             control="Fort : l'entreprise garde la relation client et le recouvrement ; "
                     "l'assureur fixe les limites"),
        dict(solution="factoring", offer_id=fac["offer_id"], provider=fac["factor"],
             annual_cost=fac["total_cost"],
             cash_effect=fac["average_cash"], risk_transferred=guaranteed,
             risk=(f"Insolvabilité garantie à {quotite} sur les créances financées des acheteurs agréés "
                   "(sans recours)"
                   if fac_offer["credit_insurance_included"]
                   else "Aucun : affacturage avec recours, les impayés sont définancés"),
             control=("Partiel : clients notifiés, le factor encaisse et relance" if fac_offer["notified"]
                      else "Fort : contrat non notifié, l'entreprise garde l'encaissement et la relance")),
        dict(solution="collection", offer_id=col["option_id"], provider=col["provider"],
             annual_cost=col["extra_cost_vs_in_house"], cash_effect=col["net_cash_vs_in_house"],
             risk_transferred=0.0,
             risk="Aucun : le risque d'impayé reste à l'entreprise",
             control=("Fort : les équipes du prestataire travaillent dans l'entreprise, selon ses procédures"
                      if col["model"] == "Insourcing"
                      else "Faible : le prestataire relance en son nom ; image et litiges à surveiller")),
    ])


def plot_solutions(table: pd.DataFrame):
    """Two panels: the annual cost of each solution, and its cash effect and risk transferred."""
    plots.use_house_style()
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5.5))
    fig.suptitle("Externaliser : les trois solutions côte à côte", fontsize=16, fontweight="bold")
    names = table["solution"].map(SOLUTION_LABELS) + "\n(" + table["offer_id"] + ")"
    x = np.arange(len(table))
    left.bar(x, table["annual_cost"], color=plots.PALETTE[1], width=0.5)
    left.set_title("Coût annuel")
    left.set_xticks(x, names)
    plots.euro_axis(left, "y", "k€")
    right.bar(x - 0.2, table["cash_effect"], 0.4, color=plots.PALETTE[0], label="Effet trésorerie")
    right.bar(x + 0.2, table["risk_transferred"], 0.4, color=plots.PALETTE[2], label="Risque transféré")
    right.set_title("Trésorerie et risque transféré")
    right.set_xticks(x, names)
    plots.euro_axis(right, "y", "M€")
    fig.legend(loc="outside lower center", ncols=2)  # out of the data: a simulator draws it with the frame
    return fig


# --- Notebook 09: the comparison under other terms (simulator) ----------------------------------------------

SOLUTIONS_FR = {"solution": "Solution", "offer_id": "Offre retenue", "provider": "Prestataire",
                "annual_cost": "Coût annuel", "cash_effect": "Effet trésorerie",
                "risk_transferred": "Risque transféré", "risk": "Risque d'impayé", "control": "Maîtrise"}


def lowest_insurance_cost_rate(insurance: pd.DataFrame) -> float:
    """The cost rate (total cost / insured turnover) of the credit-insurance offer with the lowest total cost:
    the value `compare_solutions` gives to a buyer-insolvency guarantee included in a factoring offer."""
    return float(insurance.sort_values(["total_cost", "offer_id"])["cost_rate"].iloc[0])


def scenario_insurance(case, premium_scale: float = 1.0, as_of=None, year: int = 2025, *,
                       basis: InsuranceBasis | None = None) -> pd.DataFrame:
    """`compare_insurance_offers` with every premium rate × `premium_scale` (minimum premiums, fees and
    cover unchanged); `basis`: the case's `insurance_basis`, if already computed (it holds for any scale)."""
    if premium_scale < 0:
        raise DataError("le coefficient de taux de prime ne peut pas être négatif")
    offers = case.insurance_offers.assign(premium_rate=case.insurance_offers["premium_rate"] * premium_scale)
    return compare_insurance_offers(replace(case, insurance_offers=offers), as_of, year, basis=basis)


def scenario_factoring(case, fee_scale: float = 1.0, margin_shift: float = 0.0, insurance_rate: float | None = None,
                       year: int = 2025) -> pd.DataFrame:
    """`compare_factoring_offers` with every factoring commission rate × `fee_scale` and every financing
    margin + `margin_shift` (a ratio: 0.005 = +0,50 point); `insurance_rate` values an included guarantee
    (default: as `compare_factoring_offers`)."""
    table = case.factoring_offers
    margins = table["financing_margin"] + margin_shift
    if fee_scale < 0 or (margins < 0).any():
        raise DataError("la commission d'affacturage et la marge de financement ne peuvent pas être négatives")
    offers = table.assign(factoring_fee_rate=table["factoring_fee_rate"] * fee_scale, financing_margin=margins)
    return compare_factoring_offers(replace(case, factoring_offers=offers), year, insurance_rate=insurance_rate)


def scenario_collection(case, handover_days: int = 60, success_fee_scale: float = 1.0, as_of=None,
                        files: pd.DataFrame | None = None) -> pd.DataFrame:
    """`real_cost_of_options` with files handed over at `handover_days` and every success fee ×
    `success_fee_scale` (`files`: the `collection_portfolio` if already computed)."""
    if success_fee_scale < 0:
        raise DataError("le coefficient d'honoraires ne peut pas être négatif")
    files = collection_portfolio(case, as_of, handover_days) if files is None else files
    offers = CollectionOffer.offers_from_table(case.collection_offers).values()
    offers = [o.scaled(success_fee_scale, 1.0) for o in offers]
    return compare_options(files, InHouseTeam.from_case(case), offers)


def solutions_scenario(case, *, premium_scale: float = 1.0, factoring_fee_scale: float = 1.0,
                       financing_margin_shift: float = 0.0, handover_days: int = 60, success_fee_scale: float = 1.0,
                       as_of=None, year: int = 2025) -> pd.DataFrame:
    """`compare_solutions` under other terms: the insurers' premium rates × `premium_scale`, the factors'
    commission rates × `factoring_fee_scale` and margins + `financing_margin_shift`, collection files handed
    over at `handover_days` with success fees × `success_fee_scale`. With the defaults, the table of
    `compare_solutions`."""
    ins = scenario_insurance(case, premium_scale, as_of, year)
    fac = scenario_factoring(case, factoring_fee_scale, financing_margin_shift, lowest_insurance_cost_rate(ins), year)
    col = scenario_collection(case, handover_days, success_fee_scale, as_of)
    return compare_solutions(case, as_of, year, handover_days, insurance=ins, factoring=fac, collection=col)


def format_solutions(table: pd.DataFrame) -> pd.DataFrame:
    """`compare_solutions` for display: French labels, amounts in euros."""
    out = table.assign(solution=table["solution"].map(SOLUTION_LABELS))
    return fmt.french_table(out[list(SOLUTIONS_FR)], {c: "euros0" for c in ("annual_cost", "cash_effect",
                                                                            "risk_transferred")}, SOLUTIONS_FR)


def with_cached_open_items(case):
    """The same case, computing `open_items(as_of)` once per date and ledger: for simulators that recompute the
    offers' tables many times. Results are identical: the cache is keyed by the date and by a fingerprint of the
    invoices, payments and disputes tables (their length and a hash of their content), so a
    `dataclasses.replace` of the offers, or a sub-case of a few customers recomputed each time, finds it, and
    a change of the ledger does not."""
    cache: dict = {}
    seen: dict = {}
    base = type(case)

    def fingerprint(df: pd.DataFrame):
        hit = seen.get(id(df))
        if hit is not None and hit[0] is df:
            return hit[1]
        value = (len(df), int(pd.util.hash_pandas_object(df, index=True).sum()))
        if len(seen) < 64:  # the big tables, hashed once; small sub-tables are cheap to hash again
            seen[id(df)] = (df, value)
        return value

    class CachedOpenItems(base):
        def open_items(self, as_of=None):
            date = self.as_of if as_of is None else to_timestamp(as_of)
            key = (date, fingerprint(self.invoices), fingerprint(self.payments), fingerprint(self.disputes))
            if key not in cache:
                cache[key] = base.open_items(self, date)
            return cache[key].copy()

    CachedOpenItems.__name__ = CachedOpenItems.__qualname__ = base.__name__
    return CachedOpenItems(**{f.name: getattr(case, f.name) for f in fields(case)})
