"""`casekit data …`: generate, validate and describe the fil rouge, and export it as a FEC."""

from __future__ import annotations

import tempfile
from pathlib import Path

from casekit.casestudy.case import default_data_dir, load_case
from casekit.casestudy.describe import describe_case, format_figures
from casekit.casestudy.dictionary import render_dictionary
from casekit.casestudy.files import write_tables
from casekit.casestudy.generate import SEED, generate
from casekit.casestudy.validate import validate_case

DICTIONARY = "README.md"


def write_case(out_dir: Path, seed: int = SEED) -> list[Path]:
    """Generate the fil rouge into `out_dir`: every CSV and the data dictionary."""
    out_dir = Path(out_dir)
    paths = write_tables(generate(seed), out_dir)
    case = load_case(out_dir)
    readme = out_dir / DICTIONARY
    readme.write_text(render_dictionary(case.tables(), describe_case(case)), encoding="utf-8")
    return paths + [readme]


def _generate(args) -> int:
    out = Path(args.out) if args.out else default_data_dir()
    before = {p.name: p.read_bytes() for p in out.glob("*")} if out.is_dir() else {}
    paths = write_case(out, args.seed)
    changed = [p.name for p in paths if before.get(p.name) != p.read_bytes()]
    print(f"Cas fil rouge généré dans {out} (graine {args.seed}) : {len(paths)} fichiers.")
    print("Fichiers modifiés : " + ", ".join(changed) if changed else "Fichiers identiques aux précédents.")
    return 0


def _check(args) -> int:
    folder = Path(args.path) if args.path else default_data_dir()
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_case(Path(tmp), args.seed)
        different = [p.name for p in paths if not (folder / p.name).is_file()
                     or (folder / p.name).read_bytes() != p.read_bytes()]
    if different:
        print("Les données ne correspondent pas au générateur : " + ", ".join(different))
        return 1
    print(f"Données identiques à l'octet près à une régénération ({len(paths)} fichiers).")
    return 0


def _validate(args) -> int:
    case = load_case(args.path)
    problems = validate_case(case)
    for problem in problems:
        print(f"ERREUR : {problem}")
    if not problems:
        print(f"Données valides : {len(case.tables())} tables, aucune incohérence détectée.")
    return 1 if problems else 0


def _describe(args) -> int:
    print(format_figures(describe_case(load_case(args.path))))
    return 0


def _fec(args) -> int:
    from casekit.fec import fec_from_case, write_fec

    case = load_case(args.path)
    sep = {"tab": "\t", "pipe": "|"}[args.sep]
    path = write_fec(fec_from_case(case, args.as_of), args.out, sep=sep)
    print(f"FEC du cas fil rouge écrit dans {path}.")
    return 0


def register(subparsers) -> None:
    data = subparsers.add_parser("data", help="Données du cas fil rouge")
    commands = data.add_subparsers(dest="data_command", required=True)
    gen = commands.add_parser("generate", help="Régénérer le cas fil rouge (CSV + dictionnaire)")
    gen.add_argument("--out", help="dossier de sortie (par défaut : casestudy_data/)")
    gen.add_argument("--seed", type=int, default=SEED)
    gen.set_defaults(func=_generate)
    check = commands.add_parser("check", help="Vérifier que les données sont celles du générateur")
    check.add_argument("--path")
    check.add_argument("--seed", type=int, default=SEED)
    check.set_defaults(func=_check)
    for name, func, text in (("validate", _validate, "Contrôler la cohérence des données"),
                             ("describe", _describe, "Afficher les chiffres clés du cas")):
        cmd = commands.add_parser(name, help=text)
        cmd.add_argument("--path", help="dossier des données (par défaut : casestudy_data/)")
        cmd.set_defaults(func=func)
    fec = commands.add_parser("fec", help="Exporter le cas fil rouge au format FEC")
    fec.add_argument("--out", required=True)
    fec.add_argument("--as-of", default=None)
    fec.add_argument("--sep", choices=["tab", "pipe"], default="tab")
    fec.add_argument("--path")
    fec.set_defaults(func=_fec)
