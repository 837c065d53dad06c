"""The generated blocks of the fiches: each function returns the Markdown of one block, computed by casekit on
the fil rouge at the context's `as_of`. A block named `x` in a fiche is written by the function registered as `x`
with `@block("x")`, in the module of this package named after the fiche (`dso.py` for `fiches/dso.md`…).
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from casekit import fmt  # noqa: E402
from casekit.casestudy.case import CaseStudy, load_case  # noqa: E402
from casekit.dates import to_timestamp  # noqa: E402
from casekit.errors import DataError  # noqa: E402

BLOCKS: dict[str, Callable] = {}
FICHE_AS_OF = "2025-12-31"


@dataclass
class FicheContext:
    """What blocks compute from: the fil rouge at `as_of`; charts are saved in `img_dir` (None: not saved)."""
    as_of: pd.Timestamp = field(default_factory=lambda: to_timestamp(FICHE_AS_OF))
    img_dir: Path | None = None
    case: CaseStudy = field(default_factory=load_case)

    @cached_property
    def open_items(self) -> pd.DataFrame:
        return self.case.open_items(self.as_of)

    def chart(self, fig, name: str, alt: str) -> str:
        """Save `fig` as `img/<name>.png` (deterministic PNG) and return its Markdown image line."""
        if self.img_dir is not None:
            self.img_dir.mkdir(parents=True, exist_ok=True)
            fig.savefig(self.img_dir / f"{name}.png", dpi=110, bbox_inches="tight", metadata={"Software": None})
        plt.close(fig)
        return f"![{alt}](img/{name}.png)"


def block(name: str):
    """Register the function writing the block `name`."""
    def wrap(function):
        BLOCKS[name] = function
        return function
    return wrap


def render(name: str, context: FicheContext) -> str:
    if name not in BLOCKS:  # load every block module (some may have been imported alone)
        for info in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{info.name}")
    if name not in BLOCKS:
        raise DataError(f"bloc « {name} » inconnu (blocs connus : {', '.join(sorted(BLOCKS))})")
    return BLOCKS[name](context)


def table(rows: list[tuple[str, str]], header: tuple[str, str] = ("", "")) -> str:
    """A two-column Markdown table, values right-aligned."""
    lines = [f"| {header[0]} | {header[1]} |", "|---|---:|"]
    return "\n".join(lines + [f"| {label} | {value} |" for label, value in rows])


def source_line(context: FicheContext) -> str:
    return f"*Chiffres calculés par casekit sur le cas fil rouge {context.case.name} au {fmt.date(context.as_of)}.*"
