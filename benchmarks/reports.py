"""Section « reports »: `casekit reports` on the demo session, sequentially (`--workers 1`) then with the pool of
2 processes; PDF by Chromium when it is installed (HTML only with `--quick`)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from timing import Row, run_step

from casekit import fmt
from casekit.chromium import find_chromium
from casekit.reports.batch import generate_reports
from casekit.reports.demo import DEMO_DIR


def generate(workers: int, pdf: bool) -> dict:
    """Every report of the demo session into a temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="casekit_rapports_") as out:
        start = time.perf_counter()
        result = generate_reports(DEMO_DIR, Path(out), workers=workers, pdf=pdf, progress=False)
        return {"seconds": [time.perf_counter() - start], "reports": result.reports_written,
                "failures": len(result.failures), "pdf": result.pdf}


def rows(quick: bool):
    pdf = not quick and find_chromium() is not None
    sequential = None
    for workers in (1, 2):
        result = run_step("reports", "generate", workers=workers, pdf=pdf)
        data = result.data
        size = f"{data['reports']} participants, {'HTML et PDF' if data['pdf'] else 'HTML'}"
        if workers == 1:
            sequential = result.seconds[0]
            reference = "–"
        else:
            reference = f"accélération × {fmt.number(sequential / result.seconds[0], 2)} sur le séquentiel"
        yield Row("Rapports", f"Session de démonstration, --workers {workers}", size, result.seconds,
                  result.peak_mb, reference=reference,
                  failure=f"{data['failures']} rapport(s) en échec" if data["failures"] else "")
