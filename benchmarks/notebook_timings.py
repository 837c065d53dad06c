"""Run time of every course notebook, top to bottom, on the fil rouge (target: under 20 s each on 2 cores).

Usage: `python benchmarks/notebook_timings.py [NOM…]`. Not a test: each notebook is executed on a temporary copy
(the committed notebooks are not touched) in its own kernel, and the seconds are printed with the verdict.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from casekit.editions import NOTEBOOKS, execute_notebook, notebook_paths

TARGET_SECONDS = 20


def main(names: list[str]) -> int:
    paths = [p for p in notebook_paths() if not names or any(p.stem.startswith(n) for n in names)]
    slow = 0
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            copy = Path(tmp) / path.name
            shutil.copy(path, copy)
            seconds = execute_notebook(copy, kernel_cwd=NOTEBOOKS)
            slow += seconds >= TARGET_SECONDS
            print(f"{path.stem:<40} {seconds:6.1f} s  {'TROP LENT' if seconds >= TARGET_SECONDS else 'ok'}",
                  flush=True)
    print(f"{len(paths)} notebooks, {slow} au-delà de {TARGET_SECONDS} s")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
