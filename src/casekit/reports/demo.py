"""The demo session (`notebooks/rapports/session_demo/`): 12 fictional participants, their simulated answers
to every module quiz, the final evaluation and the end-of-course form, written through the real `AnswerStore`
with a fixed clock and a seeded generator, so that regenerating gives byte-identical files.

`python -m casekit.reports.demo [DOSSIER]` rewrites the folder (default: the committed demo session).
"""

from __future__ import annotations

import csv
import random
import shutil
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from casekit.quiz.bank import load_banks, load_skills
from casekit.quiz.store import AnswerStore, Participant
from casekit.reports.session import ANSWERS_DIR, ROSTER_FILE, SESSION_FILE

DEMO_DIR = Path(__file__).resolve().parents[3] / "notebooks" / "rapports" / "session_demo"
SEED = 2025
SESSION = "2025-11 Lyon"
START = datetime(2025, 11, 17, 8, 30, tzinfo=timezone.utc)
# name, e-mail, company, ability (chance of a right answer), module quiz skipped (or None)
PEOPLE = [
    ("Camille Rousseau", "camille.rousseau@exemple.fr", "Emballages Rhône-Alpes", 0.80, None),
    ("Zoé N'Diaye", "zoe.ndiaye@exemple.fr", "Transports Vidal & Fils", 0.72, None),
    ("Éric Lemaître", "eric.lemaitre@exemple.fr", "Métallerie du Forez", 0.22, "05_entretiens_telephoniques"),
    ("Inès Benali", "ines.benali@exemple.fr", "Laboratoires Arvel", 0.93, None),
    ("Hugo Marchand", "hugo.marchand@exemple.fr", "Groupe Solvéo", 0.62, None),
    ("Léa Fontaine", "lea.fontaine@exemple.fr", "Distribution Alpine", 0.76, None),
    ("Mathéo Garnier", "matheo.garnier@exemple.fr", "Bâtiplus SA", 0.18, "09_recouvrement_externalise"),
    ("Chloé Dubois-Ménard", "chloe.dubois-menard@exemple.fr", "Imprimerie Lacroix", 0.86, None),
    ("Noah Perrin", "noah.perrin@exemple.fr", "Textiles de l'Ain", 0.58, None),
    ("Manon Lefèvre", "manon.lefevre@exemple.fr", "Agroalimentaire Bressan", 0.68, None),
    ("Yanis Haddad", "yanis.haddad@exemple.fr", "Hexa Logistique", 0.30, None),
    ("Sophie Lambert-Ouédraogo", "sophie.lambert@exemple.fr", "Clinique Saint-Roch", 0.89, None),
]
NO_SUBMISSION = "noah.perrin@exemple.fr"  # answers the final evaluation but never hands it in
COMMENTS = [
    "Très concret, le cas fil rouge aide beaucoup.",
    "Le module sur l'affacturage mériterait une demi-journée de plus.",
    "Les simulateurs sont parlants ; j'aurais aimé plus d'exercices sur nos propres données.",
    "Rythme soutenu mais formation très utile pour mon poste.",
    "",
    "Les fiches pratiques sont claires, je vais les diffuser à mon équipe.",
    "Un peu trop dense le deuxième jour.",
]
SESSION_YAML = """\
# Session de démonstration (fictive) : générée par `python -m casekit.reports.demo`.
session: "2025-11 Lyon"
programmes:
  - "Management du poste crédit clients"
  - "Externaliser la gestion du poste clients : comment réussir ?"
start: 2025-11-17
end: 2025-11-19
duration_hours: 21
duration_days: 3
place: "Lyon (69)"
trainer: "Claire Vasseur"
organisation:
  name: "Crédit & Trésorerie Formation (organisme fictif)"
  nda: "84 69 99999 69"
  address: "12 rue de la Bourse, 69002 Lyon"
pass_mark: 10
modules:
{modules}
"""


def _wrong(question, rng) -> list[str]:
    ids = list(question.choice_ids)
    while True:
        pick = [rng.choice(ids)] if question.type == "qcu" else [c for c in ids if rng.random() < 0.5]
        if pick and set(pick) != question.answers:
            return sorted(pick)


def _partly(question, rng) -> list[str]:
    """A QCM answer with some of the right choices only (partly right)."""
    right = sorted(question.answers)
    return right[: max(1, len(right) - 1)] if len(right) > 1 else _wrong(question, rng)


def _answer(question, ability: float, rng) -> list[str]:
    draw = rng.random()
    if draw < ability:
        return sorted(question.answers)
    if question.type == "qcm" and draw < ability + (1 - ability) / 3:
        return _partly(question, rng)
    return _wrong(question, rng)


def write_demo_session(folder=DEMO_DIR, seed: int = SEED) -> Path:
    """Write the demo session into `folder` (its `reponses/` is rebuilt from scratch); returns `folder`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    banks, skills = load_banks(), load_skills()
    practice = [m for m, b in banks.items() if b.mode == "practice"]
    (folder / SESSION_FILE).write_text(SESSION_YAML.format(modules="\n".join(f"  - {m}" for m in practice)),
                                       encoding="utf-8")
    with open(folder / ROSTER_FILE, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter=";", lineterminator="\n")
        writer.writerow(["nom", "e-mail", "entreprise"])
        writer.writerows([name, email, company] for name, email, company, _, _ in PEOPLE)
    answers = folder / ANSWERS_DIR
    shutil.rmtree(answers, ignore_errors=True)
    rng = random.Random(seed)
    ticks = iter(range(10**7))
    store = AnswerStore(answers, clock=lambda: START + timedelta(seconds=40 * next(ticks)))
    for name, email, _company, ability, skipped in PEOPLE:
        who = Participant(name, email, SESSION)
        for module, bank in banks.items():
            if module == skipped:
                continue
            for question in bank.questions:
                final = _answer(question, ability, rng)
                tries = [final]
                if bank.mode == "practice" and final != sorted(question.answers) and rng.random() < 0.4:
                    tries = [final, _answer(question, ability, rng)]  # a second attempt
                elif bank.mode == "practice" and rng.random() < 0.15:
                    tries = [_wrong(question, rng), final]
                for choices in tries:
                    store.append(who, "answer", module=module, question=question.id, choices=choices,
                                 mode=bank.mode, max_attempts=bank.max_attempts)
            if bank.mode == "exam" and email != NO_SUBMISSION:
                store.append(who, "submission", module=module)
        usefulness = {m: rng.randint(2 if ability < 0.5 else 3, 5) for m in practice if m != skipped}
        store.append(who, "satisfaction", overall=rng.randint(3, 5) if ability >= 0.5 else rng.randint(2, 4),
                     modules=usefulness, comment=rng.choice(COMMENTS))
        levels = {}
        for s in skills:
            before = rng.randint(1, 3)
            gain = rng.randint(0 if ability < 0.5 else 1, 2)
            levels[s.id] = {"before": before, "after": min(5, before + gain)}
        store.append(who, "self_assessment", skills=levels)
    return folder


if __name__ == "__main__":
    target = write_demo_session(Path(sys.argv[1]) if len(sys.argv) > 1 else DEMO_DIR)
    print(f"Session de démonstration écrite dans {target}")
