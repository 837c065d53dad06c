"""What every notebook does first: read its parameters, load the data, set the house style.

A notebook's `parameters` cell sets `as_of`, `source` ("fil_rouge", or the path of a company's FEC or open-items
export), `payment_terms_days` (the FEC has no due dates) and the participant; `open_workbook(...)` turns them into
a `Workbook`: the open items at `as_of`, and the `invoices` and `payments` tables DSO needs (from the FEC's 411
movements for a FEC; empty for an open-items export, which carries no sales). The fil rouge is always loaded too:
the history a FEC does not carry (disputes, dunning, calls, offers) is taught on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from casekit import fmt
from casekit.casestudy.case import CaseStudy, load_case
from casekit.dates import to_timestamp
from casekit.errors import DataError
from casekit.fec import fec_ledger, open_items_from_fec, read_fec
from casekit.openitems import read_open_items
from casekit.plots import use_house_style

FIL_ROUGE = "fil_rouge"
FEC_SUFFIXES = {".txt", ".fec", ".tsv"}
DEMO_PARTICIPANT = "Démonstration (formateur)"
DEMO_EMAIL = "demonstration@exemple.fr"


@dataclass(frozen=True)
class Workbook:
    as_of: pd.Timestamp
    source: str
    open_items: pd.DataFrame
    case: CaseStudy
    invoices: pd.DataFrame
    payments: pd.DataFrame
    participant: str = ""

    @property
    def is_fil_rouge(self) -> bool:
        return self.source == FIL_ROUGE

    @property
    def has_sales(self) -> bool:
        """False for an open-items export: it carries no sales, so no DSO."""
        return not self.invoices.empty

    @property
    def company_name(self) -> str:
        return self.case.name if self.is_fil_rouge else Path(self.source).stem

    def banner(self) -> str:
        """One French line saying which data the notebook runs on."""
        who = f" — participant : {self.participant}" if self.participant else ""
        data = "cas fil rouge " + self.case.name if self.is_fil_rouge else f"données de l'entreprise ({self.source})"
        return (f"Données : {data} ; date d'analyse : {fmt.date(self.as_of)} ; "
                f"{fmt.number(len(self.open_items))} pièces non soldées, encours "
                f"{fmt.euros(self.open_items['amount'].sum())}{who}")

    def quiz(self, module: str):
        """The module's quiz for the identified participant, or for a demonstration participant if none is."""
        from casekit.quiz import run_quiz
        from casekit.quiz.results import current_participant

        return run_quiz(module, current_participant()[0])


def load_open_items(source, as_of, payment_terms_days: int = 30, terms_by_customer: dict | None = None,
                    case: CaseStudy | None = None) -> pd.DataFrame:
    """Open items at `as_of` from the fil rouge, a FEC (`.txt`) or a CSV/Excel export of open items."""
    if source == FIL_ROUGE:
        return (case or load_case()).open_items(as_of)
    path = Path(source)
    if not path.is_file():
        raise DataError("fichier introuvable", path=path)
    if path.suffix.lower() in FEC_SUFFIXES:
        return open_items_from_fec(read_fec(path), as_of, payment_terms_days, terms_by_customer)
    return read_open_items(path, payment_terms_days=payment_terms_days, terms_by_customer=terms_by_customer)


def load_ledger(source, case: CaseStudy) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The `invoices` and `payments` tables of the source; empty for an open-items export."""
    if source == FIL_ROUGE:
        return case.invoices, case.payments
    if Path(source).suffix.lower() in FEC_SUFFIXES:
        return fec_ledger(read_fec(source))
    return (pd.DataFrame(columns=["document_ref", "customer_id", "document_date", "amount_incl_vat"]),
            pd.DataFrame(columns=["customer_id", "payment_date", "amount", "document_ref"]))


def case_workbook(case: CaseStudy, as_of=None) -> Workbook:
    """The fil rouge as `open_workbook` gives it at `as_of` (default: the case's date), from a case already loaded
    (no house style, no participant)."""
    as_of = case.as_of if as_of is None else to_timestamp(as_of)
    return Workbook(as_of, FIL_ROUGE, case.open_items(as_of), case, case.invoices, case.payments)


def open_workbook(as_of="2025-12-31", source: str = FIL_ROUGE, payment_terms_days: int = 30,
                  terms_by_customer: dict | None = None, participant: str = "", email: str = "",
                  session: str = "") -> Workbook:
    """Load the data a notebook runs on and apply the house style (charts, pandas display).

    A `participant` name with an `email` (and a `session` id) identifies the trainee for the quizzes.
    """
    use_house_style()
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.width", 160)
    as_of = to_timestamp(as_of)
    case = load_case()
    items = load_open_items(source, as_of, payment_terms_days, terms_by_customer, case)
    invoices, payments = load_ledger(source, case)
    if participant and email:
        from casekit.quiz import identify

        identify(participant, email, session)
    return Workbook(as_of, str(source), items, case, invoices, payments, participant)
