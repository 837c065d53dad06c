"""Timing helpers of the benchmark suite: runs of a function, a step in a fresh process with its peak memory, and
one result line of the table.

A step runs as `python benchmarks/step.py MODULE FUNCTION JSON` so that its peak memory is its own: the parent
reads it with `os.wait4`, whose `ru_maxrss` covers the child and the processes it waited for (a notebook's kernel).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from casekit import fmt

HERE = Path(__file__).resolve().parent
ATTEINT, MANQUE = "atteint", "MANQUÉ"


def seconds_of(func, runs: int) -> list[float]:
    """Wall-clock seconds of `runs` calls of `func()`."""
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        out.append(time.perf_counter() - start)
    return out


@dataclass
class StepResult:
    """What a step returned (`seconds` of each run and anything else it reports) and its peak memory (MB)."""

    data: dict
    peak_mb: float

    @property
    def seconds(self) -> list[float]:
        return self.data["seconds"]


class StepFailed(RuntimeError):
    """A step's process failed (its exit code and the end of its error output)."""


def run_step(module: str, function: str, **kwargs) -> StepResult:
    """`module.function(**kwargs)` (a module of benchmarks/) in a fresh Python process."""
    command = [sys.executable, str(HERE / "step.py"), module, function, json.dumps(kwargs)]
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=err, text=True)
        out = proc.stdout.read()
        proc.stdout.close()
        _, status, usage = os.wait4(proc.pid, 0)  # not proc.wait(): wait4 also gives the child's resource usage
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise StepFailed(f"{module}.{function} : code {proc.returncode}\n{err.read().strip()[-2000:]}")
    return StepResult(json.loads(out.strip().splitlines()[-1]), usage.ru_maxrss / 1024)


def duration(seconds: float | None) -> str:
    """`0.0123` → `12 ms`, `1.234` → `1,23 s`, `83.4` → `83,4 s`; None → `–`."""
    if seconds is None:
        return "–"
    if seconds < 1:
        return f"{fmt.number(seconds * 1000, 0)} ms"
    return f"{fmt.number(seconds, 2 if seconds < 10 else 1)} s"


def memory(mb: float | None) -> str:
    """`845.2` → `845 Mo`, `1900` → `1,9 Go`; None → `–`."""
    if mb is None:
        return "–"
    return f"{fmt.number(mb, 0)} Mo" if mb < 1024 else f"{fmt.number(mb / 1024, 1)} Go"


@dataclass
class Row:
    """One line of the table. `limit_s` / `limit_mb`: the target on the median and on the peak memory (None: no
    target of that kind); `target` says it in French; `runs` defaults to the number of measured runs."""

    section: str
    what: str
    size: str
    seconds: list[float] = field(default_factory=list)
    peak_mb: float | None = None
    target: str = "–"
    limit_s: float | None = None
    limit_mb: float | None = None
    reference: str = ""
    runs: int | None = None
    failure: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None

    @property
    def worst(self) -> float | None:
        return max(self.seconds) if self.seconds else None

    @property
    def verdict(self) -> str:
        if self.failure:
            return MANQUE
        if self.limit_s is None and self.limit_mb is None:
            return "–"
        fast = self.limit_s is None or self.median < self.limit_s
        small = self.limit_mb is None or (self.peak_mb is not None and self.peak_mb < self.limit_mb)
        return ATTEINT if fast and small else MANQUE

    def cells(self) -> list[str]:
        runs = self.runs if self.runs is not None else len(self.seconds)
        return [self.what, self.size, str(runs), duration(self.median), duration(self.worst), memory(self.peak_mb),
                self.target, self.verdict, self.failure or self.reference]


HEADERS = ["Mesure", "Taille", "Exéc.", "Médiane", "Pire", "Mémoire max", "Cible", "Verdict",
           "Référence (même exécution)"]


def table(rows: list[Row]) -> str:
    """The rows as a plain-text table, grouped by section."""
    cells = [HEADERS] + [row.cells() for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(HEADERS))]
    right = {2, 3, 4, 5}

    def line(values):
        return "  ".join(v.rjust(w) if i in right else v.ljust(w) for i, (v, w) in enumerate(zip(values, widths)))

    out, section = [line(HEADERS), "  ".join("-" * w for w in widths)], None
    for row, values in zip(rows, cells[1:]):
        if row.section != section:
            section = row.section
            out.append(f"[{section}]")
        out.append(line(values).rstrip())
    return "\n".join(out)
