"""Section « notebooks »: every course notebook executed top to bottom (papermill's engine, `execute_notebook`) on
a temporary copy, each in its own process; the whole workbook against its 2-minute target."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from timing import Row, duration, run_step

from casekit.editions import NOTEBOOKS, execute_notebook, notebook_paths

LIMIT_S = 20.0  # one notebook, in front of the room
TOTAL_LIMIT_S = 120.0
QUICK = ("00_", "02_")


def execute(name: str) -> dict:
    """Execute a copy of `notebooks/name` (the committed notebook is not touched)."""
    with tempfile.TemporaryDirectory(prefix="casekit_bench_") as tmp:
        copy = Path(tmp) / name
        shutil.copy(NOTEBOOKS / name, copy)
        return {"seconds": [execute_notebook(copy, kernel_cwd=NOTEBOOKS)]}


def rows(quick: bool):
    paths = [p for p in notebook_paths() if not quick or p.name.startswith(QUICK)]
    total, peak = 0.0, 0.0
    for path in paths:
        result = run_step("notebooks", "execute", name=path.name)
        total += result.seconds[0]
        peak = max(peak, result.peak_mb)
        yield Row("Notebooks", path.stem, "fil rouge", result.seconds, result.peak_mb, target="< 20 s",
                  limit_s=LIMIT_S)
    yield Row("Notebooks", "Tout le classeur, l'un après l'autre", f"{len(paths)} notebooks", [total], peak,
              target="< 2 min", limit_s=TOTAL_LIMIT_S,
              reference=f"moyenne par notebook : {duration(total / len(paths))}")
