"""casekit: the library behind the French trade-credit management workbook.

Data: `load_case` (the fil rouge company), `read_fec` and `open_items_from_fec` (a company's FEC),
`read_open_items` (a CSV/Excel export of open items). Every calculator takes the canonical open-items table
and an explicit `as_of`.
"""

from casekit.casestudy.case import CaseStudy, load_case
from casekit.dates import due_dates, to_timestamp
from casekit.errors import DataError
from casekit.fec import fec_from_case, open_items_from_fec, read_fec, write_fec
from casekit.openitems import canonical_open_items, read_open_items

__all__ = [
    "CaseStudy", "DataError", "canonical_open_items", "due_dates", "fec_from_case", "load_case",
    "open_items_from_fec", "read_fec", "read_open_items", "to_timestamp", "write_fec",
]
