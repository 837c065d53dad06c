"""One participant's results across the course, read from the answer store (notebook 10 and the reports).

* `current_participant()`: the identified participant (as the quizzes find them), or the demonstration
  participant of the notebooks when nobody is identified.
* `participant_results(participant)`: one row per bank in teaching order: questions answered, points, mark /20
  (unanswered questions earn 0) and pass, by the rules of `scoring` (the same as `casekit quiz grade`). The mark
  of an exam bank (the final evaluation) is withheld until the paper is handed in: showing it earlier would tell
  the participant, answer after answer, whether each one is right.
* `final_result(results)` and `results_summary(...)`: the final mark /20 and pass, and a French summary.
* `scoring_examples()`: how a QCM and a QCU are scored, on a made-up question (no question of a bank is shown).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from casekit import fmt
from casekit.errors import DataError
from casekit.quiz.bank import Bank, Choice, Question, load_banks
from casekit.quiz.scoring import PASS_MARK, counted_answers, grade_bank, score
from casekit.quiz.store import Participant, as_store, identify

RESULT_COLUMNS = ["module", "title", "mode", "questions", "answered", "points", "points_possible", "mark", "passed",
                  "submitted", "status"]
RESULTS_FR = {"title": "Quiz", "questions": "Questions", "answered": "Questions répondues",
              "points": "Points obtenus", "points_possible": "Points possibles", "mark": "Note /20",
              "status": "Résultat"}


def _demo() -> Participant:
    from casekit.workbook import DEMO_EMAIL, DEMO_PARTICIPANT

    return Participant(DEMO_PARTICIPANT, DEMO_EMAIL, "demonstration")


def current_participant(store=None) -> tuple[Participant, bool]:
    """(participant, is_demo): the participant `identify()` finds (this kernel, or remembered in the store), or
    the notebooks' demonstration participant when nobody is identified."""
    try:
        return identify(store=store), False
    except DataError:
        return _demo(), True


def participant_results(participant: Participant, store=None, banks: dict[str, Bank] | None = None,
                        pass_mark: float = PASS_MARK) -> pd.DataFrame:
    """One row per bank (teaching order) for `participant`: `module`, `title`, `mode`, `questions`, `answered`,
    `points`, `points_possible`, `mark` (/20, NaN when nothing is answered, and for an exam not yet handed in),
    `passed` (None when there is no mark), `submitted` (exam banks; None for practice) and a French `status`.

    Answers to questions no longer in a bank are ignored.
    """
    banks = load_banks() if banks is None else banks
    return results_from_records(as_store(store).records(participant), banks, pass_mark)


def results_from_records(records: list[dict], banks: dict[str, Bank], pass_mark: float = PASS_MARK,
                         unanswered: str = "Pas encore de réponse") -> pd.DataFrame:
    """`participant_results` from a participant's answer records; `unanswered` is the status of a bank with no
    answer (a report written after the session says "Pas de réponse")."""
    counted, submitted = counted_answers(records)
    rows = []
    for module, bank in banks.items():
        known = {q.id for q in bank.questions}
        answers = {qid: c.choices for (m, qid), c in counted.items() if m == module and qid in known}
        result = grade_bank(bank, answers, pass_mark)
        exam = bank.mode == "exam"
        handed_in = module in submitted if exam else None
        shown = bool(handed_in) if exam else bool(answers)
        if not shown:
            status = "Copie non remise" if answers else unanswered
        elif exam:
            status = "Admis" if result.passed else "Non admis"
        else:
            status = "Réussi" if result.passed else "À revoir"
        rows.append({"module": module, "title": bank.title, "mode": bank.mode, "questions": len(bank.questions),
                     "answered": result.answered, "points": float(result.earned) if shown else math.nan,
                     "points_possible": float(result.possible), "mark": result.mark if shown else math.nan,
                     "passed": result.passed if shown else None, "submitted": handed_in, "status": status})
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


@dataclass(frozen=True)
class FinalResult:
    answered_modules: int      # practice quizzes with at least one answer
    modules: int               # practice quizzes of the course
    average_module_mark: float  # mean mark /20 of the practice quizzes answered (NaN if none)
    final_mark: float          # mark /20 of the final evaluation (NaN until the paper is handed in)
    passed: bool | None        # final mark ≥ pass mark (None until the paper is handed in)
    submitted: bool            # the final evaluation was handed in
    pass_mark: float


def final_result(results: pd.DataFrame, pass_mark: float = PASS_MARK) -> FinalResult:
    """The final mark and pass from `participant_results` (the exam bank), and the mean of the module quizzes."""
    practice = results[results["mode"] == "practice"]
    answered = practice[practice["mark"].notna()]
    exam = results[results["mode"] == "exam"]
    if exam.empty:
        raise DataError("aucune banque d'évaluation finale (mode examen) parmi les banques de questions.")
    final = exam.iloc[0]
    mark = float(final["mark"])
    return FinalResult(len(answered), len(practice),
                       float(answered["mark"].mean()) if len(answered) else math.nan, mark,
                       None if math.isnan(mark) else bool(final["passed"]), bool(final["submitted"]), pass_mark)


def results_summary(participant: Participant, results: pd.DataFrame, demo: bool = False,
                    pass_mark: float = PASS_MARK) -> str:
    """A French summary of the participant's results (several lines)."""
    final = final_result(results, pass_mark)
    who = ("Participant de démonstration (aucun participant identifié)" if demo
           else f"Participant : {participant.name} ({participant.email}), session « {participant.session} »")
    if results["answered"].sum() == 0:
        return f"{who}.\nAucune réponse enregistrée pour l'instant : les quiz et l'évaluation finale sont à faire."
    lines = [f"{who}."]
    lines.append(f"Quiz des modules : {final.answered_modules} sur {final.modules} commencés"
                 + ("" if math.isnan(final.average_module_mark)
                    else f", note moyenne {fmt.number(final.average_module_mark, 1)}/20") + ".")
    threshold = f"seuil de réussite {fmt.number(pass_mark, 1)}/20"
    if final.submitted:
        lines.append(f"Évaluation finale : {fmt.number(final.final_mark, 1)}/20 ({threshold}) : "
                     f"{'admis' if final.passed else 'non admis'}.")
    else:
        exam = results[results["mode"] == "exam"].iloc[0]
        lines.append(f"Évaluation finale : {exam['answered']} question(s) sur {exam['questions']} enregistrée(s), "
                     "copie non remise : la note finale s'affichera après « Remettre ma copie ».")
    return "\n".join(lines)


def format_results(results: pd.DataFrame) -> pd.DataFrame:
    """`participant_results` for display: French headers, marks and points the French way, indexed by module."""
    out = results.set_index("module")[list(RESULTS_FR)].copy()
    out["answered"] = [f"{a}/{q}" for a, q in zip(results["answered"], results["questions"])]
    out = fmt.french_table(out.drop(columns="questions"), {"points": "number1", "points_possible": "number1",
                                                           "mark": "number1"}, RESULTS_FR, index_label="Module")
    return out


EXAMPLE_QCM = Question("ex-q01", "exemple", "qcm", "Question d'exemple à choix multiples",
                       tuple(Choice(c, f"Choix {c}") for c in "abcd"), frozenset("abc"), "", Fraction(1), "")
EXAMPLE_QCU = Question("ex-q02", "exemple", "qcu", "Question d'exemple à choix unique",
                       tuple(Choice(c, f"Choix {c}") for c in "abcd"), frozenset("b"), "", Fraction(1), "")
EXAMPLE_TICKS = (
    (EXAMPLE_QCM, "abc", "les trois bonnes réponses"),
    (EXAMPLE_QCM, "ab", "deux bonnes réponses sur trois"),
    (EXAMPLE_QCM, "a", "une bonne réponse sur trois"),
    (EXAMPLE_QCM, "abd", "deux bonnes réponses et la mauvaise"),
    (EXAMPLE_QCM, "abcd", "toutes les cases"),
    (EXAMPLE_QCU, "b", "la bonne réponse"),
    (EXAMPLE_QCU, "c", "une mauvaise réponse"),
)


def scoring_examples() -> pd.DataFrame:
    """The scoring rules on a made-up 1-point QCM (right answers a, b, c; d wrong) and QCU (right answer b):
    `question`, `ticked`, `case` (French) and `points` (float) for typical tick patterns."""
    rows = []
    for question, ticked, case in EXAMPLE_TICKS:
        rows.append({"question": question.type.upper() + (" (bonnes réponses : a, b, c)" if question.type == "qcm"
                                                           else " (bonne réponse : b)"),
                     "ticked": ", ".join(ticked), "case": case, "points": float(score(question, ticked))})
    return pd.DataFrame(rows)
