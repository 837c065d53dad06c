"""Time `casekit reports` on the demo session: sequentially (`--workers 1`) then with the pool (`--workers
2`).

    .venv/bin/python benchmarks/report_timings.py [--no-pdf] [--workers N]

Prints both wall-clock times and the speed-up. Each run writes to a temporary folder, removed afterwards.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from casekit.reports.batch import generate_reports
from casekit.reports.demo import DEMO_DIR


def timed(workers: int, pdf: bool) -> tuple[float, int]:
    with tempfile.TemporaryDirectory(prefix="casekit_rapports_") as out:
        start = time.perf_counter()
        result = generate_reports(DEMO_DIR, Path(out), workers=workers, pdf=pdf, progress=False)
        return time.perf_counter() - start, len(result.failures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-pdf", action="store_true", help="sans PDF (HTML seulement)")
    parser.add_argument("--workers", type=int, default=2,
                        help="processus de la seconde mesure (par défaut : 2)")
    args = parser.parse_args()
    pdf = not args.no_pdf
    print(f"Session de démonstration : {DEMO_DIR} ; {os.cpu_count()} cœurs ; PDF : {'oui' if pdf else 'non'}")
    sequential, failed_seq = timed(1, pdf)
    print(f"Séquentiel (--workers 1) : {sequential:.1f} s ({failed_seq} échec(s))")
    pooled, failed_pool = timed(args.workers, pdf)
    print(f"Pool (--workers {args.workers}) : {pooled:.1f} s ({failed_pool} échec(s))")
    print(f"Accélération : × {sequential / pooled:.2f}")


if __name__ == "__main__":
    main()
