"""Everything one participant's report shows, read once from the session folder (`participant_report`)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from casekit.quiz.bank import load_banks, load_skills
from casekit.quiz.results import FinalResult, final_result
from casekit.quiz.store import Participant
from casekit.reports.participant import (
    Satisfaction,
    module_results,
    modules_followed,
    notions_to_review,
    satisfaction_answers,
    self_assessment,
    session_banks,
    usefulness_table,
)
from casekit.reports.session import Session, SessionInfo, load_session


@dataclass(frozen=True)
class ParticipantReport:
    info: SessionInfo
    participant: Participant
    company: str
    followed: pd.DataFrame
    results: pd.DataFrame
    final: FinalResult
    review: pd.DataFrame
    skills: pd.DataFrame
    satisfaction: Satisfaction
    usefulness: pd.DataFrame
    titles: dict              # module → quiz title, for the modules of the session and the final evaluation


def as_session(session) -> Session:
    """A `Session` from a `Session` or a session folder."""
    return session if isinstance(session, Session) else load_session(session)


def participant_report(session, email: str, banks: dict | None = None, skills=None) -> ParticipantReport:
    """The report of the participant with this e-mail; `session`: a `Session` or its folder.

    A damaged answer file raises `DataError` (file and line): that report fails, the others are unaffected.
    """
    session = as_session(session)
    banks = load_banks() if banks is None else banks
    skills = load_skills() if skills is None else skills
    participant = session.participant(email)
    records = session.store.records(participant)
    info = session.info
    chosen = session_banks(info, banks)
    results = module_results(records, chosen, info.pass_mark)
    return ParticipantReport(
        info=info, participant=participant, company=session.company(email),
        followed=modules_followed(info, banks), results=results, final=final_result(results, info.pass_mark),
        review=notions_to_review(records, chosen), skills=self_assessment(records, skills),
        satisfaction=satisfaction_answers(records),
        usefulness=usefulness_table(satisfaction_answers(records), chosen),
        titles={m: b.title for m, b in chosen.items()})
