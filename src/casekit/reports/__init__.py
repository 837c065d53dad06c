"""Reports of a training session and of a company's receivables, run by papermill from `notebooks/rapports/`.

* `session`: the session folder (`session.yaml`, `participants.csv`, `reponses/`) → `load_session`.
* `participant`, `report`: one participant's results, self-assessment, notions to review →
  `participant_report`.
* `attestation`: the attestation individuelle de formation (art. L6353-1 du Code du travail).
* `classroom`: the class summary for the trainer → `class_summary`.
* `diagnostic`: a company's FEC or open items → `company_data`, `diagnostic_summary` (`summary.json`).
* `run`, `batch`, `cli`: papermill + nbconvert (offline HTML) + Chromium (PDF), worker processes,
  `casekit reports` and `casekit diagnostic`.
* `demo`: the committed demo session's generator.
"""

from casekit.reports.attestation import attestation_page, report_attestation, write_attestation
from casekit.reports.classroom import class_summary
from casekit.reports.diagnostic import company_data, diagnostic_summary, write_diagnostic_files
from casekit.reports.report import ParticipantReport, participant_report
from casekit.reports.session import Session, load_session

__all__ = [
    "ParticipantReport", "Session", "attestation_page", "class_summary", "company_data", "diagnostic_summary",
    "load_session", "participant_report", "report_attestation", "write_attestation", "write_diagnostic_files",
]
