"""Section « fec »: a company's FEC of 1 and 5 million lines read and reduced to its open items, against the bare
pyarrow read of the same file (the floor for reading)."""

from __future__ import annotations

import statistics

import pyarrow.csv as pcsv
from large_data import AS_OF, SEPARATORS, fec_file
from timing import Row, duration, memory, run_step, seconds_of

from casekit import fmt
from casekit.fec import open_items_from_fec, read_fec

FULL = ((1_000_000, "tab", 3), (1_000_000, "pipe", 3), (5_000_000, "tab", 1))
QUICK = ((200_000, "tab", 3), (200_000, "pipe", 1))
GB = 1024


def prepare(lines: int, sep: str) -> dict:
    """Generate the file if it is not cached yet."""
    return {"path": str(fec_file(lines, sep))}


def read_and_reduce(path: str, runs: int) -> dict:
    """`read_fec` then `open_items_from_fec` at 31/12/2025, `runs` times."""
    found = {}

    def once():
        fec = read_fec(path)
        found.update(lines=len(fec), items=len(open_items_from_fec(fec, AS_OF)))

    return {"seconds": seconds_of(once, runs), **found}


def bare_read(path: str, sep: str, runs: int) -> dict:
    """pyarrow's CSV reader alone (Latin-1, types guessed), `runs` times."""
    options = dict(read_options=pcsv.ReadOptions(encoding="latin-1"),
                   parse_options=pcsv.ParseOptions(delimiter=SEPARATORS[sep], quote_char=False))
    return {"seconds": seconds_of(lambda: pcsv.read_csv(path, **options), runs)}


def rows(quick: bool):
    for lines, sep, runs in QUICK if quick else FULL:
        path = run_step("fec_reading", "prepare", lines=lines, sep=sep).data["path"]
        result = run_step("fec_reading", "read_and_reduce", path=path, runs=runs)
        floor = run_step("fec_reading", "bare_read", path=path, sep=sep, runs=runs)
        big = lines > 1_000_000
        yield Row("FEC", "Lecture et pièces non soldées (read_fec, open_items_from_fec)",
                  f"{fmt.number(result.data['lines'])} lignes ({sep}), {fmt.number(result.data['items'])} pièces",
                  result.seconds, result.peak_mb,
                  target="sans saturer 24 Go" if big else "< 5 s et < 2 Go",
                  limit_s=None if big else 5.0, limit_mb=24 * GB if big else 2 * GB,
                  reference=f"pyarrow.csv seul : {duration(statistics.median(floor.seconds))}, {memory(floor.peak_mb)}")
