"""Headless Chromium: find it, print an HTML page to PDF (used by the fiches and the reports).

`chromium --headless --print-to-pdf` renders a local HTML file in about a second. Each call gets a user-data
folder (`profile`, by default `.chromium-profile` beside the page) so that concurrent runs in different
folders never share one; the caller removes it when done.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from casekit.errors import DataError

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--no-pdf-header-footer"]


def find_chromium() -> str | None:
    """The path of the first Chromium (or Chrome) on the PATH, or None."""
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


def render_pdf(html_path: Path, chromium: str, timeout: int = 60, pdf: Path | None = None,
               profile: Path | None = None) -> Path:
    """Print `html_path` to `pdf` (default: the same name with `.pdf`); DataError (French) when it fails."""
    html_path = Path(html_path)
    pdf = Path(pdf) if pdf else html_path.with_suffix(".pdf")
    profile = Path(profile) if profile else html_path.parent / ".chromium-profile"
    command = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf}",
               html_path.resolve().as_uri()]
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0 or not pdf.is_file():
        raise DataError(f"Chromium n'a pas produit le PDF : {result.stderr.strip()[-300:]}", path=html_path)
    return pdf
