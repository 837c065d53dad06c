"""Run one benchmark step in this fresh process: `python benchmarks/step.py MODULE FUNCTION JSON_KWARGS`.

The step's return value (a dict) is printed as JSON on the last line of the standard output; whatever the step
itself prints goes to the error output.
"""

from __future__ import annotations

import json
import sys
from importlib import import_module
from pathlib import Path

import matplotlib

matplotlib.use("Agg")


def main(module: str, function: str, kwargs: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    out, sys.stdout = sys.stdout, sys.stderr
    result = getattr(import_module(module), function)(**json.loads(kwargs))
    out.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
