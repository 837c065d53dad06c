"""Run a report template with papermill and export it to self-contained HTML (and PDF with Chromium).

* `execute`: papermill, kernel `python3`, an explicit per-cell `execution_timeout`; a kernel that fails to
  start (ports taken by a concurrent run, slow start) is retried once.
* `export_html`: nbconvert without code or prompts, images embedded, nothing fetched from the network: our
  template blanks require.js, MathJax, Mermaid and the widget manager, and `check_offline` refuses any
  `http(s)` script or stylesheet left.
* `to_pdf`: `casekit.chromium.render_pdf`, with a Chromium profile of its own, removed after.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import papermill as pm
from nbconvert import HTMLExporter

from casekit.chromium import render_pdf
from casekit.errors import DataError
from casekit.kernels import SlicedPollKernelManager

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES_DIR = ROOT / "notebooks" / "rapports"
HTML_TEMPLATE = Path(__file__).with_name("templates") / "rapport.html.j2"
REPORT_CSS = Path(__file__).with_name("templates") / "report.css"
KERNEL = "python3"
START_TIMEOUT = 90
KERNEL_WORDS = ("kernel", "address already in use", "zmq", "port", "timeout waiting")
REMOTE_RE = re.compile(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*[\"']?\s*(https?:)?//", re.I)


class QuietKernelManager(SlicedPollKernelManager):
    """A kernel whose own log (a TCP warning at each start) goes to the null device, not to the terminal;
    errors in the notebook still come back through the kernel's messages."""

    async def start_kernel(self, **kw):
        kw.setdefault("stderr", subprocess.DEVNULL)
        return await super().start_kernel(**kw)


def template(name: str) -> Path:
    """A report template of `notebooks/rapports/` (`rapport_participant`, `synthese_classe`…)."""
    path = TEMPLATES_DIR / f"{name}.ipynb"
    if not path.is_file():
        raise DataError("modèle de rapport introuvable.", path=path)
    return path


def _kernel_start_failure(exc: Exception) -> bool:
    """A failure to start or reach the kernel (worth one retry), not an error raised by the notebook's
    code."""
    if isinstance(exc, pm.PapermillExecutionError):
        return False
    text = f"{type(exc).__name__} {exc}".lower()
    return any(word in text for word in KERNEL_WORDS)


def execute(path, parameters: dict, timeout: int, cwd=None, retries: int = 1):
    """Execute the notebook `path` with `parameters` (no file written); returns the executed notebook."""
    for attempt in range(retries + 1):
        try:
            return pm.execute_notebook(str(path), None, parameters=parameters, kernel_name=KERNEL,
                                       execution_timeout=timeout, start_timeout=START_TIMEOUT,
                                       progress_bar=False, log_output=False,
                                       cwd=None if cwd is None else str(cwd),
                                       kernel_manager_class=QuietKernelManager)
        except Exception as exc:  # noqa: BLE001 - classified, then raised again
            if attempt >= retries or not _kernel_start_failure(exc):
                raise
    raise AssertionError("unreachable")


def check_offline(html: str, path=None) -> None:
    """DataError if the page would fetch a script, stylesheet, image or frame from the network."""
    found = REMOTE_RE.search(html)
    if found:
        raise DataError(f"la page chargerait une ressource en ligne : « {found.group(0)[:80]}… ».", path=path)


def export_html(notebook, path, title: str) -> Path:
    """The executed `notebook` as a self-contained HTML page at `path`, without code or prompts."""
    path = Path(path)
    exporter = HTMLExporter(template_file=str(HTML_TEMPLATE), exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, embed_images=True,
                            language_code="fr")
    resources = {"metadata": {"name": title}, "report_css": REPORT_CSS.read_text(encoding="utf-8")}
    body, _ = exporter.from_notebook_node(notebook, resources=resources)
    check_offline(body, path)
    path.write_text(body, encoding="utf-8")
    return path


def to_pdf(html_path, chromium: str, timeout: int = 120) -> Path:
    """`x.html` → `x.pdf` beside it, with a Chromium profile of its own (removed after)."""
    html_path = Path(html_path)
    profile = html_path.parent / f".chromium-{html_path.stem}"
    try:
        return render_pdf(html_path, chromium, timeout=timeout, profile=profile)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def error_cause(exc: BaseException, timeout: int | None = None) -> str:
    """A French one-line cause for a failed report."""
    if isinstance(exc, pm.PapermillExecutionError):
        if exc.ename == "DataError":
            return str(exc.evalue)
        if "timeout" in exc.ename.lower():
            return f"délai d'exécution dépassé ({timeout} s par cellule)."
        return f"erreur dans le modèle de rapport ({exc.ename} : {exc.evalue})"
    name = type(exc).__name__
    if isinstance(exc, DataError):
        return str(exc)
    if "Timeout" in name or isinstance(exc, TimeoutError):
        return f"délai d'exécution dépassé ({timeout} s par cellule)." if timeout else "délai dépassé."
    if "DeadKernel" in name:
        return "le noyau Python s'est arrêté pendant l'exécution du rapport."
    return f"erreur inattendue ({name} : {exc})"
