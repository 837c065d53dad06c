"""`casekit externalisation`: the fil rouge figures of credit insurance, factoring and outsourced
collection."""

from __future__ import annotations

from casekit import fmt
from casekit.casestudy.case import load_case
from casekit.dates import to_timestamp
from casekit.outsourcing.collection import real_cost_of_options
from casekit.outsourcing.comparison import SOLUTION_LABELS, compare_solutions
from casekit.outsourcing.factoring import compare_factoring_offers
from casekit.outsourcing.insurance import compare_insurance_offers


def _e(value) -> str:
    return fmt.euros(value, 0)


def report(case, as_of=None, year: int = 2025, handover_days: int = 60) -> str:
    """The text the command prints."""
    as_of = case.as_of if as_of is None else to_timestamp(as_of)
    ins = compare_insurance_offers(case, as_of, year)
    cheapest = float(ins.sort_values(["total_cost", "offer_id"])["cost_rate"].iloc[0])
    fac = compare_factoring_offers(case, year, insurance_rate=cheapest)
    col = real_cost_of_options(case, as_of, handover_days)
    sol = compare_solutions(case, as_of, year, handover_days, insurance=ins, factoring=fac, collection=col)
    out = [f"Externaliser la gestion du poste clients – {case.name}, au {fmt.date(as_of)}", "",
           f"Assurance-crédit (ventes HT {year}, encours clients au {fmt.date(as_of)}) :"]
    for r in ins.itertuples(index=False):
        broker = " (via courtier)" if r.via_broker else ""
        out.append(f"  {r.offer_id} {r.insurer}{broker} : prime {_e(r.premium)} + frais {_e(r.fees)} = "
                   f"{_e(r.total_cost)} ({fmt.percent(r.cost_rate, 2)} du CA) ; encours couvert "
                   f"{_e(r.covered)} sur {_e(r.exposure)} ({fmt.percent(r.coverage_rate)}), "
                   f"risque résiduel {_e(r.residual)}")
        out.append(f"      défaillances passées : pertes HT {_e(r.historical_loss)}, indemnités "
                   f"{_e(r.historical_indemnity)} ; coût net annuel {_e(r.net_cost)}")
        if r.via_broker and r.broker_saving == r.broker_saving:
            out.append(f"      économie obtenue par le courtier : {_e(r.broker_saving)} par an")
    out += ["", f"Affacturage (ventes TTC {year} cédées, DSO {fmt.days(fac['dso_days'].iloc[0])}) :"]
    for r in fac.itertuples(index=False):
        out.append(f"  {r.offer_id} {r.factor} : coût total {_e(r.total_cost)} (dont fonds de garantie "
                   f"{_e(r.guarantee_fund_cost)}), trésorerie moyenne obtenue {_e(r.average_cash)}, "
                   f"taux effectif {fmt.percent(r.effective_rate, 2)} contre découvert "
                   f"{fmt.percent(r.overdraft_rate, 2)} "
                   f"et Dailly {fmt.percent(r.dailly_rate, 2)} (économie sur le découvert "
                   f"{_e(r.saving_vs_overdraft)})")
    out += ["", f"Recouvrement externalisé (dossiers transmis à {handover_days} jours de retard, "
                "première année) :"]
    for r in col.itertuples(index=False):
        out.append(f"  {r.option_id} {r.provider} : coût réel {_e(r.real_cost)} (honoraires {_e(r.fees)}, "
                   f"coût interne {_e(r.internal_cost)}), recouvré {_e(r.recovered)}, trésorerie nette "
                   f"{_e(r.net_cash)}, coût par euro recouvré {fmt.number(r.cost_per_euro, 3)} €"
                   f"{' ← meilleure option' if r.best else ''}")
    out += ["", "Les trois solutions côte à côte (meilleure offre de chacune) :"]
    for r in sol.itertuples(index=False):
        out.append(f"  {SOLUTION_LABELS[r.solution]} ({r.offer_id}) : coût annuel {_e(r.annual_cost)}, effet "
                   f"trésorerie {_e(r.cash_effect)}, risque transféré {_e(r.risk_transferred)}")
        out.append(f"      risque : {r.risk} ; maîtrise : {r.control}")
    return "\n".join(out)


def _run(args) -> int:
    print(report(load_case(args.path), args.as_of, args.year, args.handover_days))
    return 0


def register(subparsers) -> None:
    cmd = subparsers.add_parser("externalisation", help="Chiffres du fil rouge : assurance-crédit, "
                                "affacturage, recouvrement externalisé")
    cmd.add_argument("--path", help="dossier des données (par défaut : casestudy_data/)")
    cmd.add_argument("--as-of", default=None, help="date d'arrêté (par défaut : celle du cas, 31/12/2025)")
    cmd.add_argument("--year", type=int, default=2025, help="exercice des ventes (par défaut : 2025)")
    cmd.add_argument("--handover-days", type=int, default=60, help="retard à partir duquel un dossier est "
                     "confié au prestataire (par défaut : 60 jours)")
    cmd.set_defaults(func=_run)
