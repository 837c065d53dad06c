"""The syllabus: every bullet of both programmes, and where the notebooks teach it (`syllabus:<id>` cell tags)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import nbformat
import pandas as pd

TAG_PREFIX = "syllabus:"


def load_syllabus() -> pd.DataFrame:
    """One row per bullet: `id`, `programme`, `section`, `bullet`, `notebook`."""
    with resources.files("casekit.reference").joinpath("syllabus.csv").open(encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str)


def taught_bullets(notebook: Path) -> set[str]:
    """The bullet ids a notebook tags (`syllabus:M4.6` → `M4.6`)."""
    nb = nbformat.read(notebook, as_version=4)
    return {tag[len(TAG_PREFIX):] for cell in nb.cells for tag in cell.get("metadata", {}).get("tags", [])
            if tag.startswith(TAG_PREFIX)}
