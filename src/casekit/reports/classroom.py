"""The class summary for the trainer: gradebook, distribution of the final marks, item analysis, satisfaction
and skills progression. Marks are those of the participants' reports (`participant.module_results`, the rules
of `quiz.scoring`); the item analysis is `quiz.grading.item_analysis`, as in `casekit quiz grade`.

A damaged answer file does not stop the summary: that participant is left out and named in `errors`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from casekit.errors import DataError
from casekit.quiz.bank import load_banks, load_skills
from casekit.quiz.grading import ANSWER_COLUMNS, item_analysis
from casekit.quiz.scoring import counted_answers
from casekit.reports.participant import last_record, module_results, session_banks
from casekit.reports.session import Session, SessionInfo

MARK_BINS = (0, 4, 8, 10, 12, 14, 16, 18, 20)


def class_records(session: Session) -> tuple[dict[str, list], dict[str, str]]:
    """Each roster participant's records by e-mail (empty when they never answered), and the damaged files
    (e-mail → French cause)."""
    records, errors = {}, {}
    for email in session.roster["email"]:
        try:
            records[email] = session.store.records(session.participant(email))
        except DataError as exc:
            errors[email] = str(exc)
    return records, errors


def class_answers(session: Session, records: dict[str, list], banks: dict) -> pd.DataFrame:
    """The answers that count, one row per participant and question (the table of `quiz.grading`)."""
    rows = []
    for email, recs in records.items():
        who = session.participant(email)
        counted, submitted = counted_answers(recs)
        for (module, qid), c in counted.items():
            if module in banks and qid in {q.id for q in banks[module].questions}:
                rows.append({"session": who.session, "participant": who.slug, "name": who.name,
                             "email": who.email, "module": module, "question": qid, "choices": c.choices,
                             "submitted": module in submitted if banks[module].mode == "exam" else None})
    return pd.DataFrame(rows, columns=ANSWER_COLUMNS)


def gradebook_table(roster: pd.DataFrame, results: dict[str, pd.DataFrame], pass_mark: float) -> pd.DataFrame:
    """One row per roster participant with results (roster order): `name`, `company`, the mark /20 of each
    module quiz (NaN: not answered), `average` of the module marks, `final` (NaN: not handed in), `result`
    (French).

    `results`: e-mail → `participant.module_results`, so that the class sees the marks of the participants'
    own reports (a final handed in blank is 0/20, not missing)."""
    rows = []
    for name, email, company in roster[["name", "email", "company"]].itertuples(index=False):
        if email not in results:
            continue
        table = results[email]
        marks = dict(zip(table["module"], table["mark"]))
        practice = table.loc[table["mode"] == "practice", "mark"]
        final = table.loc[table["mode"] == "exam", "mark"].iloc[0]
        rows.append({"email": email, "name": name, "company": company,
                     **{m: marks[m] for m in table.loc[table["mode"] == "practice", "module"]},
                     "average": practice.mean() if practice.notna().any() else math.nan, "final": final,
                     "result": "Copie non remise" if math.isnan(final) else
                     ("Admis" if final >= pass_mark else "Non admis")})
    return pd.DataFrame(rows).set_index("email")


def mark_distribution(marks: pd.Series, bins=MARK_BINS) -> pd.DataFrame:
    """How many marks fall in each band `[low, high[` (the last band includes 20): `band` (French),
    `count`."""
    values = marks.dropna().astype(float).to_numpy()
    edges = np.asarray(bins, dtype=float)
    position = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, len(edges) - 2)
    counts = np.bincount(position, minlength=len(edges) - 1)
    labels = [f"{lo:g} à {hi:g}" + (" inclus" if i == len(edges) - 2 else "")
              for i, (lo, hi) in enumerate(zip(edges[:-1], edges[1:]))]
    return pd.DataFrame({"band": labels, "low": edges[:-1], "high": edges[1:], "count": counts})


def hardest_questions(items: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """The `top` questions the class missed most (lowest mean score first), from
    `quiz.grading.item_analysis`."""
    answered = items[items["respondents"] > 0]
    return answered.sort_values(["mean_score", "module", "question"], kind="stable").head(top)


def missed_by_skill(items: pd.DataFrame, skills) -> pd.DataFrame:
    """Mean score of the class per skill (weighted by respondents): `skill`, `label`, `questions`,
    `mean_score`."""
    labels = {s.id: s.label for s in skills}
    answered = items[items["respondents"] > 0]
    weighted = (answered["mean_score"] * answered["respondents"]).groupby(answered["competence"]).sum()
    weights = answered.groupby("competence")["respondents"].sum()
    out = pd.DataFrame({"questions": answered.groupby("competence").size(), "mean_score": weighted / weights})
    out.insert(0, "label", out.index.map(labels))
    order = [s.id for s in skills]
    return out.reindex([s for s in order if s in out.index]).rename_axis("skill").reset_index()


@dataclass(frozen=True)
class SatisfactionSummary:
    respondents: int
    participants: int
    overall_mean: float
    overall_counts: pd.Series     # 1..5 → number of participants
    usefulness: pd.DataFrame      # module, title, respondents, mean
    comments: list                # (name, comment), non-empty comments only


def satisfaction_summary(records: dict[str, list], banks: dict, names: dict[str, str]) -> SatisfactionSummary:
    """The end-of-course forms of the class: overall satisfaction (mean, counts 1 to 5), usefulness of each
    module (mean), comments. `names`: e-mail → name."""
    forms = {e: r for e, recs in records.items() if (r := last_record(recs, "satisfaction"))}
    overall = pd.Series([int(f["overall"]) for f in forms.values()], dtype=float)
    counts = overall.value_counts().reindex(range(1, 6), fill_value=0).astype(int).rename_axis("score")
    rows = []
    for module, bank in banks.items():
        scores = [f["modules"][module] for f in forms.values() if module in f["modules"]]
        if bank.mode == "practice" and scores:
            rows.append({"module": module, "title": bank.title, "respondents": len(scores),
                         "mean": float(np.mean(scores))})
    comments = [(names.get(e, e), f["comment"]) for e, f in forms.items() if str(f["comment"]).strip()]
    return SatisfactionSummary(len(forms), len(records), float(overall.mean()) if len(overall) else math.nan,
                               counts, pd.DataFrame(rows, columns=["module", "title", "respondents", "mean"]),
                               comments)


def skills_progression(records: dict[str, list], skills) -> pd.DataFrame:
    """Per skill, the class's self-assessment: `skill`, `label`, `respondents`, `before`, `after` (means, 1 to
    5) and `gain`, in programme order (skills nobody assessed are left out)."""
    rows = []
    forms = [r["skills"] for recs in records.values() if (r := last_record(recs, "self_assessment"))]
    for s in skills:
        pairs = [(f[s.id].get("before"), f[s.id].get("after")) for f in forms if s.id in f]
        pairs = [(b, a) for b, a in pairs if b is not None and a is not None]
        if pairs:
            before, after = np.mean([b for b, _ in pairs]), np.mean([a for _, a in pairs])
            rows.append({"skill": s.id, "label": s.label, "respondents": len(pairs), "before": float(before),
                         "after": float(after), "gain": float(after - before)})
    return pd.DataFrame(rows, columns=["skill", "label", "respondents", "before", "after", "gain"])


@dataclass(frozen=True)
class ClassSummary:
    info: SessionInfo
    participants: int
    errors: dict
    table: pd.DataFrame
    distribution: pd.DataFrame
    items: pd.DataFrame
    by_skill: pd.DataFrame
    satisfaction: SatisfactionSummary
    skills: pd.DataFrame
    titles: dict

    @property
    def finals(self) -> pd.Series:
        return self.table["final"].dropna()


def class_summary(session: Session, banks: dict | None = None, skills=None) -> ClassSummary:
    """Everything the class summary shows, for the session's modules and final evaluation."""
    banks = session_banks(session.info, load_banks() if banks is None else banks)
    skills = load_skills() if skills is None else skills
    records, errors = class_records(session)
    answers = class_answers(session, records, banks)
    results = {e: module_results(recs, banks, session.info.pass_mark) for e, recs in records.items()}
    table = gradebook_table(session.roster, results, session.info.pass_mark)
    items = item_analysis(answers, banks)
    names = dict(zip(session.roster["email"], session.roster["name"]))
    return ClassSummary(session.info, len(session.roster), errors, table, mark_distribution(table["final"]),
                        items, missed_by_skill(items, skills), satisfaction_summary(records, banks, names),
                        skills_progression(records, skills), {m: b.title for m, b in banks.items()})
