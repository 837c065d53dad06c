"""The "fiches pratiques": Markdown sources in `fiches/`, whose figures and charts casekit generates.

A fiche is plain Markdown, readable on GitHub as it is. Every figure computed from the fil rouge sits in a
generated block::

    <!-- casekit:dso_figures -->
    …written by `casekit fiches build`, never by hand…
    <!-- /casekit:dso_figures -->

`refresh_text` rewrites each block from the function of that name in `casekit.fiches.blocks`, so a fiche can never
disagree with the library (a test checks that the committed fiches are up to date). `casekit fiches build` refreshes
the sources and their charts (`fiches/img/`), then renders every fiche and an index to HTML with a print
stylesheet, and to PDF with headless Chromium when it is installed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
FICHES_DIR = ROOT / "fiches"
BLOCK_RE = re.compile(r"(<!-- casekit:(?P<name>[a-z0-9_]+) -->\n)(?P<body>.*?)(<!-- /casekit:(?P=name) -->)", re.S)
TITLE_RE = re.compile(r"^# (.+)$", re.M)


@dataclass(frozen=True)
class Fiche:
    path: Path
    title: str
    text: str

    @property
    def slug(self) -> str:
        return self.path.stem


def fiche_paths(folder: Path = FICHES_DIR) -> list[Path]:
    """The fiches' Markdown sources, sorted (the folder's README excluded)."""
    return sorted(p for p in Path(folder).glob("*.md") if p.name != "README.md")


def read_fiche(path: Path) -> Fiche:
    from casekit.errors import DataError

    text = Path(path).read_text(encoding="utf-8")
    title = TITLE_RE.search(text)
    if title is None:
        raise DataError("fiche sans titre (une ligne « # Titre » est attendue)", path=path)
    return Fiche(Path(path), title.group(1).strip(), text)


def block_names(text: str) -> list[str]:
    return [m.group("name") for m in BLOCK_RE.finditer(text)]


def refresh_text(text: str, context) -> str:
    """`text` with every generated block rewritten from `casekit.fiches.blocks`."""
    from casekit.fiches import blocks

    def replace(match):
        body = blocks.render(match.group("name"), context)
        return f"{match.group(1)}{body.rstrip()}\n{match.group(4)}"

    return BLOCK_RE.sub(replace, text)
