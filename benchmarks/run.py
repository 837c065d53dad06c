"""The benchmark suite (`make bench`): one table of figures against the targets of issue 12.

    .venv/bin/python benchmarks/run.py [--quick] [--only SECTION ...]

Sections: fec (a FEC of 1 and 5 million lines read and reduced to open items), calculators (1 million open
items, 10 million invoice lines), notebooks (every notebook executed), reports (the demo session, sequential and
parallel), simulators (each simulator's update, chart included). Each step runs in a fresh process, which gives its
peak memory (the largest process: the step, or a kernel or worker it started). `--quick`: smaller sizes and fewer
runs, for a smoke run. Large data are generated once into benchmarks/data/ (not versioned). Not a test: the exit
code is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from importlib import import_module

import pandas as pd
import pyarrow as pa
from timing import MANQUE, Row, StepFailed, table

from casekit import fmt

SECTIONS = {"fec": "fec_reading", "calculators": "calculators", "notebooks": "notebooks", "reports": "reports",
            "simulators": "simulators"}


def section_rows(name: str, quick: bool) -> list[Row]:
    """The section's rows, printed as they come; a failed step ends the section with a « MANQUÉ » row."""
    rows = []
    try:
        for row in import_module(SECTIONS[name]).rows(quick):
            print(f"  {row.what} ({row.size}) : {' '.join(row.cells()[3:5])}", file=sys.stderr, flush=True)
            rows.append(row)
    except StepFailed as error:
        print(error, file=sys.stderr)
        rows.append(Row(name, "étape en échec", "–", failure=str(error).splitlines()[0]))
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Mesures de performance du classeur (issue 12).")
    parser.add_argument("--quick", action="store_true", help="tailles réduites, pour un essai rapide")
    parser.add_argument("--only", nargs="+", choices=list(SECTIONS), metavar="SECTION",
                        help=f"seulement ces sections : {', '.join(SECTIONS)}")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    rows = []
    for name in args.only or SECTIONS:
        print(f"[{name}]", file=sys.stderr, flush=True)
        rows += section_rows(name, args.quick)
    print(f"Mesures {'rapides (--quick)' if args.quick else 'complètes'} : {os.cpu_count()} cœurs, Python "
          f"{platform.python_version()}, pandas {pd.__version__}, pyarrow {pa.__version__} ; médiane et pire des "
          f"exécutions, mémoire max du plus gros processus ; durée totale "
          f"{fmt.number((time.perf_counter() - start) / 60, 1)} min.")
    print(table(rows))
    missed = [row for row in rows if row.verdict == MANQUE]
    print(f"{len(missed)} cible(s) manquée(s) sur {sum(row.verdict != '–' for row in rows)}.")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
