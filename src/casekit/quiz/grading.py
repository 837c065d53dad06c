"""Headless grading: the answers that count (from the store or a CSV) → gradebook and item analysis.

The answers table has one row per participant and question: `session, participant, name, email, module, question,
choices` (a tuple of choice ids) and `submitted` (exam modules: paper handed in; None for practice or CSV).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pandas as pd

from casekit.errors import DataError
from casekit.quiz.bank import load_banks
from casekit.quiz.scoring import PASS_MARK, counted_answers, grade_bank, score
from casekit.quiz.store import Participant, as_store, read_records, slugify

ANSWER_COLUMNS = ["session", "participant", "name", "email", "module", "question", "choices", "submitted"]
GRADEBOOK_FR = {"session": "Session", "participant": "Participant", "name": "Nom", "email": "E-mail",
                "module": "Module", "answered": "Questions répondues", "questions": "Questions",
                "points": "Points obtenus", "points_possible": "Points possibles", "mark": "Note /20",
                "passed": "Admis", "submitted": "Copie remise"}
ITEMS_FR = {"module": "Module", "question": "Question", "type": "Type", "competence": "Compétence",
            "prompt": "Énoncé", "answers": "Bonne(s) réponse(s)", "respondents": "Répondants",
            "right": "Réponses justes", "share_right": "Part de réponses justes (%)",
            "mean_score": "Score moyen (%)", "distractors": "Distracteurs choisis (nombre de fois)"}
CSV_COLUMNS = {"session": "session", "nom": "name", "name": "name", "email": "email", "e-mail": "email",
               "question": "question", "reponses": "choices", "choix": "choices"}
CSV_OPTIONS = {"sep": ";", "decimal": ",", "encoding": "utf-8-sig", "index": False}  # opens as is in French Excel


def _check(banks, module, question_id, choices, path, line=None):
    bank = banks.get(module)
    if bank is None or question_id not in {q.id for q in bank.questions}:
        raise DataError(f"question « {question_id} » inconnue des banques de questions.", path=path, line=line)
    unknown = set(choices) - set(bank.question(question_id).choice_ids)
    if unknown:
        raise DataError(f"question {question_id} : choix inconnu(s) {', '.join(sorted(unknown))}.",
                        path=path, line=line)


def store_answers(store=None, banks=None, session: str | None = None) -> pd.DataFrame:
    """The answers that count, from every participant file of the store (or of one session)."""
    banks = banks or load_banks()
    rows = []
    for path in as_store(store).files():
        records = read_records(path)
        who = next((r for r in records if r["type"] == "participant"), None)
        if who is None:
            raise DataError("fichier de réponses sans ligne « participant ».", path=path)
        if session is not None and slugify(who["session"]) != slugify(session):
            continue
        counted, submitted = counted_answers(records)
        for (module, question_id), c in counted.items():
            _check(banks, module, question_id, c.choices, path)
            rows.append({"session": who["session"], "participant": who["participant"], "name": who["name"],
                         "email": who["email"], "module": module, "question": question_id, "choices": c.choices,
                         "submitted": module in submitted if banks[module].mode == "exam" else None})
    return pd.DataFrame(rows, columns=ANSWER_COLUMNS)


def csv_answers(path, banks=None) -> pd.DataFrame:
    """Answers collected elsewhere: a CSV (`;` or `,`) with columns session, nom, email, question, reponses.

    `reponses` lists the ticked choice ids (`b` or `a;c` or `a c`); an empty cell is no answer. When a participant
    answered a question several times, the last line counts.
    """
    path = Path(path)
    try:
        table = pd.read_csv(path, sep=None, engine="python", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataError(f"CSV de réponses illisible : {exc}", path=path) from None
    table = table.rename(columns=lambda c: CSV_COLUMNS.get(slugify(str(c)), c))
    missing = [c for c in ("session", "name", "email", "question", "choices") if c not in table.columns]
    if missing:
        raise DataError("colonnes attendues : session, nom, email, question, reponses (manquantes : "
                        f"{', '.join(missing)}).", path=path)
    banks = banks or load_banks()
    modules = {q.id: bank.module for bank in banks.values() for q in bank.questions}
    rows = {}
    for line, row in enumerate(table.itertuples(index=False), 2):
        try:
            who = Participant(row.name, row.email, row.session)
        except DataError as exc:
            raise DataError(exc.detail, path=path, line=line) from None
        choices = tuple(sorted(c for c in re.split(r"[\s,;|+]+", row.choices.strip().lower()) if c))
        question_id = row.question.strip()
        if not choices:
            continue
        _check(banks, modules.get(question_id), question_id, choices, path, line)
        key = (who.session_slug, who.slug, question_id)
        rows.pop(key, None)
        rows[key] = {"session": who.session, "participant": who.slug, "name": who.name, "email": who.email,
                     "module": modules[question_id], "question": question_id, "choices": choices, "submitted": None}
    return pd.DataFrame(list(rows.values()), columns=ANSWER_COLUMNS)


def gradebook(answers: pd.DataFrame, banks=None, pass_mark: float = PASS_MARK) -> pd.DataFrame:
    """One row per participant × module answered: points, mark /20 (unanswered questions earn 0), pass."""
    banks = banks or load_banks()
    rows = []
    for (session, participant, module), group in answers.groupby(["session", "participant", "module"], sort=True):
        bank = banks[module]
        result = grade_bank(bank, dict(zip(group["question"], group["choices"])), pass_mark)
        rows.append({"session": session, "participant": participant, "name": group["name"].iloc[-1],
                     "email": group["email"].iloc[-1], "module": module, "answered": result.answered,
                     "questions": len(bank.questions), "points": round(float(result.earned), 2),
                     "points_possible": float(result.possible), "mark": result.mark, "passed": result.passed,
                     "submitted": group["submitted"].iloc[0]})
    table = pd.DataFrame(rows, columns=list(GRADEBOOK_FR))
    by = ["session", "name", "participant", "module"]
    return table.sort_values(by, key=lambda col: col.map(slugify), ignore_index=True)  # "Léa" before "Lucas"


def item_analysis(answers: pd.DataFrame, banks=None) -> pd.DataFrame:
    """Per question of every bank answered: share of fully right answers, mean score, distractors chosen."""
    banks = banks or load_banks()
    rows = []
    for module, bank in banks.items():
        answered = answers[answers["module"] == module]
        if answered.empty:
            continue
        for q in bank.questions:
            picks = list(answered.loc[answered["question"] == q.id, "choices"])
            ratios = [score(q, p) / q.points for p in picks]
            wrong = Counter(c for p in picks for c in p if c not in q.answers)
            n = len(picks)
            rows.append({"module": module, "question": q.id, "type": q.type.upper(), "competence": q.competence,
                         "prompt": q.prompt, "answers": ", ".join(sorted(q.answers)), "respondents": n,
                         "right": sum(r == 1 for r in ratios),
                         "share_right": sum(r == 1 for r in ratios) / n if n else float("nan"),
                         "mean_score": float(sum(ratios)) / n if n else float("nan"),
                         "distractors": ", ".join(f"{c} ({k})" for c, k in
                                                  sorted(wrong.items(), key=lambda item: (-item[1], item[0])))})
    return pd.DataFrame(rows, columns=list(ITEMS_FR))


def _yes_no(value) -> str:
    return "" if value is None or pd.isna(value) else ("oui" if value else "non")


def write_reports(answers: pd.DataFrame, out_dir, banks=None, pass_mark: float = PASS_MARK) -> list[Path]:
    """`gradebook.csv` and `item_analysis.csv` in `out_dir`, French headers, `;` and decimal comma."""
    banks = banks or load_banks()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    book = gradebook(answers, banks, pass_mark)
    book["passed"] = book["passed"].map(_yes_no)
    book["submitted"] = book["submitted"].map(_yes_no)
    items = item_analysis(answers, banks)
    items[["share_right", "mean_score"]] = (items[["share_right", "mean_score"]] * 100).round(1)
    paths = [out_dir / "gradebook.csv", out_dir / "item_analysis.csv"]
    book.rename(columns=GRADEBOOK_FR).to_csv(paths[0], **CSV_OPTIONS)
    items.rename(columns=ITEMS_FR).to_csv(paths[1], **CSV_OPTIONS)
    return paths
