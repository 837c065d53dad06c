"""casekit: the library behind the French trade-credit management workbook.

A notebook starts with `wb = casekit.open_workbook(as_of=..., source=...)`. Data: `load_case` (the fil rouge
company), `read_fec` and `open_items_from_fec` (a company's FEC), `read_open_items` (a CSV/Excel export of open
items). Every calculator of `casekit.credit` and `casekit.outsourcing` takes the canonical tables and an explicit
`as_of`, and is importable from here (`casekit.dso_accounting`, `casekit.factoring_cost`…). Quizzes:
`identify`, `run_quiz`, `satisfaction_form`.
"""

from importlib import import_module

from casekit import exercises
from casekit.casestudy.case import CaseStudy, load_case
from casekit.dates import due_dates, to_timestamp
from casekit.errors import DataError
from casekit.fec import fec_from_case, open_items_from_fec, read_fec, write_fec
from casekit.openitems import canonical_open_items, read_open_items
from casekit.quiz import identify, run_quiz, satisfaction_form
from casekit.workbook import Workbook, open_workbook

CALCULATOR_MODULES = (
    "credit.dso", "credit.dso_value", "credit.aged_balance", "credit.excel", "credit.penalties", "credit.scoring",
    "credit.dunning", "credit.disputes", "credit.calls", "credit.priorities", "credit.forecast", "credit.dashboard",
    "credit.risk",
    "outsourcing.insurance", "outsourcing.factoring", "outsourcing.factoring_accounting", "outsourcing.collection",
    "outsourcing.comparison",
)

__all__ = [
    "CaseStudy", "DataError", "Workbook", "canonical_open_items", "due_dates", "exercises", "fec_from_case", "identify",
    "load_case", "open_items_from_fec", "open_workbook", "read_fec", "read_open_items", "run_quiz",
    "satisfaction_form", "to_timestamp", "write_fec",
]


def public_names(module) -> dict:
    """The functions and classes a calculator module defines (not those it imports), by name."""
    return {name: value for name, value in vars(module).items()
            if not name.startswith("_") and getattr(value, "__module__", None) == module.__name__}


for _module_name in CALCULATOR_MODULES:
    for _name, _value in public_names(import_module(f"casekit.{_module_name}")).items():
        if _name in globals():
            raise ImportError(f"casekit: {_name} is defined twice ({_module_name})")
        globals()[_name] = _value
        __all__.append(_name)
