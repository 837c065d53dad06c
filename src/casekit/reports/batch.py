"""`casekit reports`: every participant's report and attestation and the class summary, in worker processes.

One job per participant (its report, its attestation, their PDFs) and one for the class summary. Jobs run in a
`ProcessPoolExecutor`: each worker process runs one papermill kernel at a time (papermill runs in one process
can collide on kernel ports), and a kernel that fails to start is retried once. A failed job never stops the
others: its cause is collected and reported at the end. Output folders are safe slugs of the names, made
distinct, and every path is checked to stay inside the output folder.
"""

from __future__ import annotations

import html
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from casekit.chromium import find_chromium
from casekit.errors import DataError
from casekit.quiz.store import slugify
from casekit.reports.attestation import dates_text, write_attestation
from casekit.reports.report import participant_report
from casekit.reports.run import error_cause, execute, export_html, template, to_pdf
from casekit.reports.session import Session, load_session

PARTICIPANT_TEMPLATE = "rapport_participant"
CLASS_TEMPLATE = "synthese_classe"
CLASS_STEM = "synthese_classe"
DEFAULT_TIMEOUT = 120


@dataclass(frozen=True)
class Job:
    kind: str            # "participant" or "class"
    label: str           # the participant's name, or "Synthèse de la classe"
    session_dir: str
    folder: str          # absolute, inside the output folder
    timeout: int
    chromium: str | None
    email: str = ""


@dataclass(frozen=True)
class Outcome:
    job: Job
    files: tuple[str, ...] = ()
    error: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass
class BatchResult:
    out_dir: Path
    outcomes: list = field(default_factory=list)
    index: Path | None = None
    pdf: bool = False

    @property
    def failures(self) -> list:
        return [o for o in self.outcomes if not o.ok]

    @property
    def reports_written(self) -> int:
        return sum(o.ok for o in self.outcomes if o.job.kind == "participant")


def inside(out_dir: Path, name: str) -> Path:
    """`out_dir / name`, resolved, refused (DataError) unless strictly inside `out_dir`."""
    root = Path(out_dir).resolve()
    path = (root / name).resolve()
    if path == root or not path.is_relative_to(root):
        raise DataError(f"chemin refusé : « {name} » sortirait du dossier de sortie.", path=root)
    return path


def participant_folders(names, reserved=("index", CLASS_STEM)) -> list[str]:
    """A distinct, safe folder name per participant: `"Zoé N'Diaye"` → `zoe-n-diaye`, `"../x"` → `x`; the
    second `x` → `x-2`; a name with no letter or digit → `participant-3` (its rank)."""
    taken, out = set(reserved), []
    for rank, name in enumerate(names, 1):
        base = slugify(str(name)) or f"participant-{rank}"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        out.append(slug)
    return out


def _participant_job(job: Job) -> list[Path]:
    folder = Path(job.folder)
    report = participant_report(job.session_dir, job.email)  # a damaged answer file fails here, fast
    folder.mkdir(parents=True, exist_ok=True)
    files = [write_attestation(report, folder / "attestation.html")]
    notebook = execute(template(PARTICIPANT_TEMPLATE), {"session_dir": job.session_dir, "email": job.email},
                       job.timeout, cwd=folder)
    files.append(export_html(notebook, folder / "rapport.html", f"Rapport de formation – {job.label}"))
    if job.chromium:
        files += [to_pdf(path, job.chromium) for path in list(files)]
    return files


def _class_job(job: Job) -> list[Path]:
    folder = Path(job.folder)
    notebook = execute(template(CLASS_TEMPLATE), {"session_dir": job.session_dir}, job.timeout, cwd=folder)
    files = [export_html(notebook, folder / f"{CLASS_STEM}.html", "Synthèse de la classe")]
    if job.chromium:
        files.append(to_pdf(files[0], job.chromium))
    return files


def run_job(job: Job) -> Outcome:
    """Run one job; never raises: a failure is returned with its French cause."""
    start = time.perf_counter()
    try:
        files = _participant_job(job) if job.kind == "participant" else _class_job(job)
    except Exception as exc:  # noqa: BLE001 - one failure must not stop the others
        return Outcome(job, error=error_cause(exc, job.timeout), seconds=time.perf_counter() - start)
    return Outcome(job, tuple(str(p) for p in files), seconds=time.perf_counter() - start)


def plan_jobs(session: Session, out_dir: Path, timeout: int, chromium: str | None) -> list[Job]:
    """The class summary job first, then one job per participant (roster order)."""
    session_dir = str(session.folder.resolve())
    out = str(Path(out_dir).resolve())
    jobs = [Job("class", "Synthèse de la classe", session_dir, out, timeout, chromium)]
    names = list(session.roster["name"])
    for name, email, slug in zip(names, session.roster["email"], participant_folders(names)):
        folder = str(inside(out_dir, slug))
        jobs.append(Job("participant", name, session_dir, folder, timeout, chromium, email))
    return jobs


def _run_all(jobs: list[Job], workers: int, progress: bool) -> list[Outcome]:
    """Outcomes in the order of `jobs`: sequentially for one worker, else in a pool of worker processes."""
    bar = tqdm(total=len(jobs), desc="Rapports", unit="rapport", disable=not progress)
    outcomes: dict[int, Outcome] = {}
    try:
        if workers <= 1:
            for i, job in enumerate(jobs):
                outcomes[i] = run_job(job)
                bar.update()
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = {pool.submit(run_job, job): i for i, job in enumerate(jobs)}
                for future in as_completed(futures):
                    i = futures[future]
                    try:
                        outcomes[i] = future.result()
                    except Exception as exc:  # noqa: BLE001 - a worker process died
                        outcomes[i] = Outcome(jobs[i], error=f"processus de travail interrompu ({exc}).")
                    bar.update()
    finally:
        bar.close()
    return [outcomes[i] for i in range(len(jobs))]


def _link(path: Path | None, out_dir: Path, text: str) -> str:
    if path is None or not path.is_file():
        return "–"
    return f'<a href="{html.escape(path.relative_to(out_dir).as_posix())}">{text}</a>'


def write_index(result: BatchResult, session: Session) -> Path:
    """`index.html`: the class summary and, per participant, report and attestation (HTML, PDF) or the
    failure."""
    out, info = result.out_dir, session.info
    rows = []
    for o in result.outcomes:
        if o.job.kind != "participant":
            continue
        folder = Path(o.job.folder)
        cells = [_link(folder / f"{stem}.{ext}", out, ext.upper()) for stem in ("rapport", "attestation")
                 for ext in ("html", "pdf")]
        status = "écrit" if o.ok else f"<span style='color:#b3261e'>échec : {html.escape(o.error)}</span>"
        rows.append(f"<tr><td>{html.escape(o.job.label)}</td><td>{html.escape(session.company(o.job.email))}</td>"
                    f"<td>{cells[0]} {cells[1]}</td><td>{cells[2]} {cells[3]}</td><td>{status}</td></tr>")
    summary = " ".join(_link(out / f"{CLASS_STEM}.{ext}", out, ext.upper()) for ext in ("html", "pdf"))
    page = f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Rapports – session {html.escape(info.session)}</title>
<style>body{{font-family:"DejaVu Sans",Arial,sans-serif;max-width:1000px;margin:24px auto;color:#1a1a1a}}
h1{{color:#1f4e79}} table{{border-collapse:collapse;width:100%}} th,td{{border-bottom:1px solid #dde3ea;
padding:6px 8px;text-align:left}} th{{background:#1f4e79;color:#fff}}</style></head><body>
<h1>Rapports de la session {html.escape(info.session)}</h1>
<p>{html.escape(" ; ".join(info.programmes))} — {html.escape(dates_text(info))}, {html.escape(info.place)} ;
formateur : {html.escape(info.trainer)}.</p>
<p><b>Synthèse de la classe</b> (pour le formateur) : {summary}</p>
<table><tr><th>Participant</th><th>Entreprise</th><th>Rapport</th><th>Attestation</th><th>État</th></tr>
{chr(10).join(rows)}
</table></body></html>
"""
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def generate_reports(session_dir, out_dir, workers: int = 2, timeout: int = DEFAULT_TIMEOUT, pdf: bool = True,
                     progress: bool = True) -> BatchResult:
    """Every report of the session folder into `out_dir`; see the module docstring."""
    session = load_session(session_dir)
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    chromium = find_chromium() if pdf else None
    jobs = plan_jobs(session, out, int(timeout), chromium)
    result = BatchResult(out, _run_all(jobs, max(1, int(workers)), progress), pdf=chromium is not None)
    result.index = write_index(result, session)
    return result
