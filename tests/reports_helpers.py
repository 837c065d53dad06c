"""A small session folder for the report tests: 3 participants, module 02 and the final evaluation.

Answers (written through the real AnswerStore, fixed clock), marks worked out by hand — module 02 has 10
questions of 1 point each (checked in the tests), so a mark /20 is 2 × the right answers:
* Zoé N'Diaye: the 10 questions of 02 right → 20 × 10/10 = 20,0/20; every final question right, handed in →
  20,0/20, passed.
* "../x": q01–q05 of 02 right, q06–q10 wrong → 20 × 5/10 = 10,0/20 (= pass mark 10: « Réussi »); final handed
  in with no answer → 20 × 0/44 = 0,0/20, failed.
* "Dupont / Durand": nothing in 02; three final questions answered, paper never handed in → no final mark.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from casekit.quiz.bank import load_banks
from casekit.quiz.store import AnswerStore, Participant

SESSION_ID = "2025-12 Test"
X = "x@exemple.fr"
PEOPLE = [("Zoé N'Diaye", "zoe.ndiaye@exemple.fr", "Transports Vidal & Fils"),
          ("../x", "x@exemple.fr", "Société <b>X</b>"),
          ("Dupont / Durand", "dupont.durand@exemple.fr", "Dupont, Durand et Cie")]
SESSION_YAML = """\
session: "2025-12 Test"
programmes: ["Management du poste crédit clients"]
start: 15/12/2025
end: 2025-12-15
duration_hours: 7
duration_days: 1
place: "Paris (75)"
trainer: "Claire Vasseur"
organisation: {name: "Formation Test (fictif)", nda: "11 75 00000 75"}
pass_mark: 10
modules: [02_valeur_jour_dso]
"""


def wrong_choice(question) -> list[str]:
    """One wrong choice only: 0 point for a QCU, and for a QCM (0 right − 1 wrong < 0 → 0)."""
    return [next(c for c in question.choice_ids if c not in question.answers)]


def write_session(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "session.yaml").write_text(SESSION_YAML, encoding="utf-8")
    rows = ["nom,e-mail,entreprise"] + [f'"{n}",{e},"{c}"' for n, e, c in PEOPLE]
    (folder / "participants.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    banks = load_banks()
    ticks = iter(range(10**6))
    start = datetime(2025, 12, 15, 9, 0, tzinfo=timezone.utc)
    store = AnswerStore(folder / "reponses", clock=lambda: start + timedelta(seconds=next(ticks)))
    zoe, x, dupont = (Participant(n, e, SESSION_ID) for n, e, _ in PEOPLE)
    m02, final = banks["02_valeur_jour_dso"], banks["10_evaluation_finale"]

    def answer(who, bank, question, choices):
        store.append(who, "answer", module=bank.module, question=question.id, choices=sorted(choices),
                     mode=bank.mode, max_attempts=bank.max_attempts)

    for q in m02.questions:
        answer(zoe, m02, q, q.answers)
    for q in final.questions:
        answer(zoe, final, q, q.answers)
    store.append(zoe, "submission", module=final.module)
    store.append(zoe, "satisfaction", overall=5, modules={"02_valeur_jour_dso": 4}, comment="Très utile")
    store.append(zoe, "self_assessment", skills={"M2": {"before": 2, "after": 4}})
    for i, q in enumerate(m02.questions):
        answer(x, m02, q, q.answers if i < 5 else wrong_choice(q))
    store.append(x, "submission", module=final.module)
    for q in final.questions[:3]:
        answer(dupont, final, q, q.answers)
    return folder
