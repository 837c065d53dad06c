"""What a participant's report says, computed from their answer records (pure functions, no I/O).

`records` are the lines of the participant's answer file (`quiz.store.read_records`); `banks` the question
banks (`quiz.bank.load_banks`). Marks follow the rules of `quiz.scoring`, the same as `casekit quiz grade`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from casekit.quiz.results import results_from_records
from casekit.quiz.scoring import counted_answers, score
from casekit.reports.fiches import fiche_label, fiches_for
from casekit.reports.session import SessionInfo

REVIEW_COLUMNS = ["module", "question", "prompt", "status", "given", "right", "explanation", "fiches"]
STATUS_WRONG, STATUS_PARTLY, STATUS_NONE = "Réponse fausse", "Partiellement juste", "Sans réponse"


def session_banks(info: SessionInfo, banks: dict) -> dict:
    """The banks of the modules followed, then the final evaluation(s) (exam banks), in teaching order."""
    return {m: b for m, b in banks.items() if m in info.modules or b.mode == "exam"}


def modules_followed(info: SessionInfo, banks: dict) -> pd.DataFrame:
    """The modules of the session: `module`, `title` (the quiz title), in teaching order."""
    rows = [{"module": m, "title": banks[m].title} for m in info.modules]
    return pd.DataFrame(rows, columns=["module", "title"])


def module_results(records: list[dict], banks: dict, pass_mark: float) -> pd.DataFrame:
    """`quiz.results.results_from_records` as a report written after the session shows it: a bank without
    answer is "Pas de réponse"."""
    return results_from_records(records, banks, pass_mark, unanswered="Pas de réponse")


def _choice_texts(question, ids) -> str:
    texts = {c.id: c.text for c in question.choices}
    return " ; ".join(f"{i}) {texts[i]}" for i in sorted(ids)) if ids else "–"


def notions_to_review(records: list[dict], banks: dict) -> pd.DataFrame:
    """The questions missed or partly missed, in teaching order: `module`, `question`, `prompt`, `status`,
    `given` and `right` (choices as text), `explanation`, `fiches` (where to read again).

    Module quizzes: the questions answered and not fully right. Final evaluation, once handed in: every
    question not fully right, unanswered ones included. Nothing of an exam not handed in (it was never
    corrected).
    """
    counted, submitted = counted_answers(records)
    rows = []
    for module, bank in banks.items():
        exam = bank.mode == "exam"
        if exam and module not in submitted:
            continue
        for q in bank.questions:
            answer = counted.get((module, q.id))
            if answer is None and not exam:
                continue
            given = answer.choices if answer else ()
            earned = score(q, given)
            if earned == q.points:
                continue
            status = STATUS_NONE if not given else (STATUS_PARTLY if earned > 0 else STATUS_WRONG)
            rows.append({"module": module, "question": q.id, "prompt": q.prompt, "status": status,
                         "given": _choice_texts(q, given), "right": _choice_texts(q, q.answers),
                         "explanation": q.explanation,
                         "fiches": ", ".join(fiche_label(s) for s in fiches_for(module, q.competence))})
    return pd.DataFrame(rows, columns=REVIEW_COLUMNS)


def fiches_to_read(review: pd.DataFrame) -> pd.DataFrame:
    """The fiches named in `review`, with the number of missed questions that send to each (most first)."""
    names = review["fiches"].str.split(", ").explode().dropna()
    names = names[names != ""]
    counts = names.value_counts(sort=False).rename("questions")
    out = counts.rename_axis("fiche").reset_index()
    return out.sort_values(["questions", "fiche"], ascending=[False, True], ignore_index=True)


def last_record(records: list[dict], kind: str) -> dict | None:
    """The last record of `kind` (the form may be sent again: the last version counts)."""
    return next((r for r in reversed(records) if r["type"] == kind), None)


def self_assessment(records: list[dict], skills) -> pd.DataFrame:
    """One row per skill assessed: `skill`, `label`, `before`, `after` (1 to 5) and `gain`, in programme
    order."""
    record = last_record(records, "self_assessment")
    levels = record["skills"] if record else {}
    rows = [{"skill": s.id, "label": s.label, "before": levels[s.id].get("before"),
             "after": levels[s.id].get("after")} for s in skills if s.id in levels]
    table = pd.DataFrame(rows, columns=["skill", "label", "before", "after"])
    table = table.astype({"before": "Int64", "after": "Int64"})
    table["gain"] = table["after"] - table["before"]
    return table


@dataclass(frozen=True)
class Satisfaction:
    """The participant's end-of-course form: `overall` (1 to 5, None when not sent), usefulness of each module
    (`modules`: module → 1 to 5) and the free `comment`."""
    overall: int | None
    modules: dict
    comment: str

    @property
    def sent(self) -> bool:
        return self.overall is not None


def satisfaction_answers(records: list[dict]) -> Satisfaction:
    record = last_record(records, "satisfaction")
    if record is None:
        return Satisfaction(None, {}, "")
    return Satisfaction(int(record["overall"]), dict(record["modules"]), str(record["comment"]))


def usefulness_table(satisfaction: Satisfaction, banks: dict) -> pd.DataFrame:
    """The usefulness given to each module (`module`, `title`, `score`), teaching order."""
    rows = [{"module": m, "title": banks[m].title, "score": satisfaction.modules[m]}
            for m in banks if m in satisfaction.modules]
    return pd.DataFrame(rows, columns=["module", "title", "score"])
