"""`casekit quiz …`: grade a class headlessly, build the trainee edition's protected banks, check the banks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from casekit.errors import DataError
from casekit.quiz.bank import check_banks, load_banks
from casekit.quiz.grading import csv_answers, gradebook, store_answers, write_reports
from casekit.quiz.keys import build_protected_banks
from casekit.quiz.satisfaction import write_form_reports
from casekit.quiz.scoring import PASS_MARK
from casekit.quiz.store import as_store


def _grade(args) -> int:
    banks = load_banks(args.banks)
    store = as_store(args.store)
    frames = []
    if args.store or not args.answers:
        frames.append(store_answers(store, banks, args.session))
    if args.answers:
        frames.append(csv_answers(args.answers, banks))
    frames = [f for f in frames if not f.empty]
    if not frames:
        print(f"Aucune réponse trouvée ({'CSV ' + args.answers if args.answers else store.root}).")
        return 1
    answers = pd.concat(frames, ignore_index=True).drop_duplicates(["session", "participant", "question"],
                                                                     keep="last")
    out = Path(args.out)
    paths = write_reports(answers, out, banks, args.pass_mark)
    if args.store or not args.answers:
        paths += write_form_reports(out, store, args.banks)
    book = gradebook(answers, banks, args.pass_mark)
    print(f"{book['participant'].nunique()} participant(s), {book['module'].nunique()} module(s) notés ; "
          f"fichiers écrits dans {out} : {', '.join(p.name for p in paths)}.")
    for module in [m for m, bank in banks.items() if bank.mode == "exam" and m in set(book["module"])]:
        rows = book[book["module"] == module]
        print(f"{banks[module].title} : {int(rows['passed'].sum())} admis sur {len(rows)} "
              f"(seuil {args.pass_mark:g}/20).")
    return 0


def _protect(args) -> int:
    paths = build_protected_banks(args.out, args.banks)
    print(f"{len(paths) - 1} banques protégées et la liste des compétences écrites dans {args.out}.")
    return 0


def _check(args) -> int:
    problems = check_banks(args.banks)
    for problem in problems:
        print(f"ERREUR : {problem}")
    if not problems:
        banks = load_banks(args.banks)
        count = sum(len(b.questions) for b in banks.values())
        print(f"{len(banks)} banques valides, {count} questions.")
    return 1 if problems else 0


def register(subparsers) -> None:
    """Add `quiz grade`, `quiz protect` and `quiz check` to the `casekit` command line."""
    quiz = subparsers.add_parser("quiz", help="Quiz : notation, banques protégées, contrôle des banques")
    commands = quiz.add_subparsers(dest="quiz_command", required=True)
    grade = commands.add_parser("grade", help="Noter une classe : gradebook.csv et item_analysis.csv")
    grade.add_argument("--store", help="dossier des réponses (par défaut : $CASEKIT_STORE ou ./reponses/)")
    grade.add_argument("--answers", help="CSV de réponses collectées ailleurs (session, nom, email, question, "
                                         "reponses)")
    grade.add_argument("--out", required=True, help="dossier de sortie")
    grade.add_argument("--pass-mark", type=float, default=PASS_MARK, help="seuil de réussite sur 20 (défaut : 10)")
    grade.add_argument("--session", help="ne noter que cette session")
    grade.add_argument("--banks", help="dossier des banques (par défaut : celles du paquet)")
    grade.set_defaults(func=_grade)
    protect = commands.add_parser("protect", help="Écrire les banques protégées de l'édition stagiaire")
    protect.add_argument("--out", required=True)
    protect.add_argument("--banks")
    protect.set_defaults(func=_protect)
    check = commands.add_parser("check", help="Contrôler toutes les banques de questions")
    check.add_argument("--banks")
    check.set_defaults(func=_check)


def main(argv=None) -> int:
    """`casekit quiz …` on its own (tests, `python -m casekit.quiz.cli quiz grade …`)."""
    parser = argparse.ArgumentParser(prog="casekit")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except DataError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
