"""The simulators of every module as one app without code, for trainees who should not see Python.

`SIMULATORS` lists each simulator the notebooks show, with a builder fed as its notebook feeds it on the fil rouge;
`simulators_app()` puts them in one tab per module, each built the first time it is opened. Voilà serves it from
`notebooks/app/simulateurs.ipynb` (`casekit app`).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import NoReturn

import ipywidgets as widgets

from casekit import fmt
from casekit.casestudy.case import CaseStudy, load_case
from casekit.context import late_payment_base
from casekit.credit.dashboard import dashboard_months
from casekit.credit.dso_value import latest_financial_year
from casekit.errors import DataError
from casekit.outsourcing.collection import insolvent_customer_ids
from casekit.plots import use_house_style
from casekit.widgets.calls import call_sheet_simulator
from casekit.widgets.collection import collection_simulator
from casekit.widgets.comparison import solutions_simulator
from casekit.widgets.dashboard import dashboard_simulator
from casekit.widgets.disputes import dispute_target_simulator
from casekit.widgets.dso import dso_target_simulator_for_case
from casekit.widgets.dunning import dunning_simulator
from casekit.widgets.explorer import customer_explorer
from casekit.widgets.factoring import factoring_simulator
from casekit.widgets.insurance import insurance_simulator
from casekit.widgets.introduction import late_payment_simulator_for
from casekit.widgets.penalties import penalty_calculator
from casekit.widgets.priorities import priorities_simulator_for_case
from casekit.widgets.scoring import scoring_simulator
from casekit.workbook import case_workbook

APP_NOTEBOOK = "app/simulateurs.ipynb"  # under notebooks/
TITLE = "Simulateurs — crédit clients"
LOADING = "<p><i>Chargement du simulateur…</i></p>"
DSO_TARGET = 65  # days: the finance department's target of notebook 06
ERROR_COLOR = "#c0392b"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Simulator:
    """One simulator of a module's notebook: `function` is the name the notebook calls."""

    module: str
    function: str
    title: str
    hint: str
    build: Callable[[CaseStudy], widgets.Widget]


def _explorer(case):
    wb = case_workbook(case)
    return customer_explorer(wb.open_items, wb.as_of, wb.invoices, wb.payments)


def _dunning(case):
    wb = case_workbook(case)
    return dunning_simulator(wb.open_items, wb.as_of, case.dunning, case.payments,
                             insolvent_customer_ids(case.customers, wb.as_of))


SIMULATORS = (
    Simulator("00", "customer_explorer", "00 · Explorateur des clients",
              "Choisissez un client : sa situation, ses pièces non soldées, sa balance âgée et ses douze derniers "
              "mois s'affichent.", _explorer),
    Simulator("01", "late_payment_simulator_for", "01 · Ce que coûtent les retards de paiement",
              "Réduisez le retard moyen de quelques jours et regardez la trésorerie libérée et les frais financiers "
              "économisés.", lambda case: late_payment_simulator_for(late_payment_base(case_workbook(case)))),
    Simulator("02", "dso_target_simulator_for_case", "02 · Valeur d'un jour de DSO et objectif",
              "Fixez un DSO visé et un taux de financement : trésorerie libérée, frais financiers économisés et "
              "effet sur le résultat.",
              lambda case: dso_target_simulator_for_case(case, latest_financial_year(case.financials, case.as_of))),
    Simulator("03", "penalty_calculator", "03 · Pénalités de retard et indemnité forfaitaire",
              "Changez le montant, l'échéance ou la date de paiement : pénalités, indemnité forfaitaire et total à "
              "réclamer.", lambda case: penalty_calculator()),
    Simulator("04a", "scoring_simulator", "04a · Score interne des clients",
              "Changez le poids d'un critère, ou partez d'une pondération type, et voyez les classes des clients et "
              "le back-test bouger.", lambda case: scoring_simulator(case, case.as_of)),
    Simulator("04b", "dunning_simulator", "04b · Scénario de relance",
              "Avancez ou retardez une étape du scénario, changez son canal : calendrier des prochains jours et "
              "encaissements attendus.", _dunning),
    Simulator("04c", "dispute_target_simulator", "04c · Délais de résolution des litiges",
              "Choisissez un service et un motif, fixez un délai cible : litiges résolus dans le délai et litiges "
              "ouverts à escalader.",
              lambda case: dispute_target_simulator(case.disputes, case.as_of,
                                                    names=case.customers.set_index("customer_id")["customer_name"])),
    Simulator("05", "call_sheet_simulator", "05 · Préparer un appel de relance",
              "Choisissez un client parmi les plus gros montants échus : fiche de préparation, scénario d'appel et "
              "historique.", lambda case: call_sheet_simulator(case, case.as_of)),
    Simulator("06", "priorities_simulator_for_case", "06 · Priorités d'appel et charge de l'équipe",
              "Changez le nombre d'appels par jour ou le montant minimum, rééquilibrez les portefeuilles : en "
              "combien de jours l'équipe joint-elle tous les clients ?",
              lambda case: priorities_simulator_for_case(case, case.as_of)),
    Simulator("06", "dashboard_simulator", "06 · Tableau de bord mensuel",
              f"Choisissez une fin de mois : indicateurs, DSO face à l'objectif de {DSO_TARGET} jours et graphiques.",
              lambda case: dashboard_simulator(case, months=dashboard_months(case, 13), dso_target=DSO_TARGET)),
    Simulator("07", "insurance_simulator", "07 · Assurance-crédit",
              "Partez d'une offre, changez le taux de prime, la quotité ou les franchises et choisissez un client "
              "défaillant : coût, indemnité et risque résiduel.", insurance_simulator),
    Simulator("08", "factoring_simulator", "08 · Affacturage",
              "Changez la commission, la marge ou la part du financement utilisée : coût annuel et taux effectif, "
              "face au découvert et au Dailly.", factoring_simulator),
    Simulator("09", "collection_simulator", "09 · Recouvrement externalisé : le coût réel",
              "Changez le seuil de transmission, les honoraires ou les taux de recouvrement : coût réel et "
              "trésorerie nette de chaque option.", collection_simulator),
    Simulator("09", "solutions_simulator", "09 · Les trois solutions côte à côte",
              "Faites varier les conditions des assureurs, des factors et des prestataires : coût, effet sur la "
              "trésorerie et risque transféré de chaque solution.", solutions_simulator),
)
TAB_TITLES = {"00": "00 Clients", "01": "01 Retards", "02": "02 DSO", "03": "03 Pénalités", "04a": "04a Scoring",
              "04b": "04b Relances", "04c": "04c Litiges", "05": "05 Appels", "06": "06 Pilotage",
              "07": "07 Assurance", "08": "08 Affacturage", "09": "09 Recouvrement"}


def by_module(simulators=SIMULATORS) -> dict[str, list[Simulator]]:
    """The simulators grouped by module, in teaching order."""
    modules: dict[str, list[Simulator]] = {}
    for simulator in simulators:
        modules.setdefault(simulator.module, []).append(simulator)
    return modules


def failure_message(error: Exception) -> str:
    """The French message shown in place of a simulator whose builder failed."""
    detail = f" : {escape(str(error))}" if isinstance(error, DataError) else "."
    return (f"<p style='color:{ERROR_COLOR}'><b>Ce simulateur n'a pas pu être chargé</b>{detail} Les autres onglets "
            "restent utilisables ; signalez-le au formateur.</p>")


def simulator_section(simulator: Simulator, case: CaseStudy) -> widgets.VBox:
    """The simulator under its title and hint, or the French message when its builder fails."""
    heading = widgets.HTML(f"<h3>{escape(simulator.title)}</h3><p><i>À essayer</i> : {escape(simulator.hint)}</p>")
    try:
        body = simulator.build(case)
    except Exception as error:  # a broken simulator must not take the app down
        log.exception("simulateur %s (%s)", simulator.function, simulator.module)
        body = widgets.HTML(failure_message(error))
    return widgets.VBox([heading, body])


def header(case: CaseStudy) -> widgets.HTML:
    """The app's title, the company and the date of the case."""
    return widgets.HTML(f"<h2>{TITLE}</h2><p>Cas <b>{escape(case.name)}</b>, situation au "
                        f"<b>{fmt.date(case.as_of)}</b>. Chaque onglet est un module de la formation.</p>")


def simulators_app(case: CaseStudy | None = None, simulators=SIMULATORS) -> widgets.VBox:
    """A header and one tab per module; a tab's simulators are built the first time it is selected (the first
    one at once). `case`: the fil rouge (loaded once when not given). Applies the house style to the charts.

    The box exposes `.tabs`, `.panes` (one VBox per tab) and `.built` (the indices of the tabs built) for tests.
    """
    use_house_style()
    case = load_case() if case is None else case
    modules = list(by_module(simulators).items())
    panes = [widgets.VBox([widgets.HTML(LOADING)]) for _ in modules]
    tabs = widgets.Tab(children=panes, titles=[TAB_TITLES.get(module, module) for module, _ in modules])
    built: set[int] = set()

    def build(index):
        if index is None or index in built:
            return
        built.add(index)
        panes[index].children = [simulator_section(s, case) for s in modules[index][1]]

    tabs.observe(lambda change: build(change["new"]), names="selected_index")
    build(tabs.selected_index)
    box = widgets.VBox([header(case), tabs])
    box.tabs, box.panes, box.built = tabs, panes, built
    return box


def voila_command(port: int = 8866, ip: str = "127.0.0.1", browser: bool = False) -> list[str]:
    """Voilà on the app notebook, light theme, sources stripped (Voilà's default), kernel clients that do not
    stall (`casekit.kernels`); it opens a browser only with `browser`."""
    from casekit.editions import NOTEBOOKS  # nbformat and jupyter_server: not needed by the app's kernel
    from casekit.kernels import VOILA_KERNELS

    return [sys.executable, "-m", "voila", str(NOTEBOOKS / APP_NOTEBOOK), f"--port={port}", f"--Voila.ip={ip}",
            "--theme=light", VOILA_KERNELS, *([] if browser else ["--no-browser"])]


def _run(args) -> NoReturn:
    """Print the address, then become Voilà: Ctrl+C and signals reach it directly, and it stops its kernels."""
    print(f"Simulateurs servis par Voilà à l'adresse http://{args.ip}:{args.port}/ (Ctrl+C pour arrêter).",
          flush=True)
    command = voila_command(args.port, args.ip, browser=not args.no_browser)
    os.execv(command[0], command)


def register(subparsers) -> None:
    """Add `casekit app [--port 8866] [--ip 127.0.0.1] [--no-browser]`."""
    app = subparsers.add_parser("app", help="Servir les simulateurs de tous les modules, sans code (Voilà)",
                                description="Sert les simulateurs de tous les modules dans une application sans "
                                            "code (Voilà), pour les participants.")
    app.add_argument("--port", type=int, default=8866, help="port du serveur (par défaut : 8866)")
    app.add_argument("--ip", default="127.0.0.1",
                     help="adresse d'écoute (par défaut : 127.0.0.1 ; 0.0.0.0 pour la salle entière)")
    app.add_argument("--no-browser", action="store_true", help="ne pas ouvrir le navigateur")
    app.set_defaults(func=_run)
