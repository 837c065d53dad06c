"""The `casekit` command line: each concept registers its own subcommands."""

from __future__ import annotations

import argparse
import sys

from casekit.errors import DataError


def build_parser() -> argparse.ArgumentParser:
    from casekit import app, editions, slides
    from casekit.casestudy import cli as data_cli
    from casekit.credit import cli as credit_cli
    from casekit.fiches import build as fiches_cli
    from casekit.outsourcing import cli as outsourcing_cli
    from casekit.quiz import cli as quiz_cli
    from casekit.reports import cli as reports_cli

    parser = argparse.ArgumentParser(prog="casekit", description="Outils du classeur casekit.")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for module in (data_cli, credit_cli, outsourcing_cli, quiz_cli, editions, slides, fiches_cli, reports_cli, app):
        module.register(subparsers)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except DataError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
