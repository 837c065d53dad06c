"""`casekit credit figures`: the headline figures of the fil rouge, in French."""

import argparse

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from casekit import DataError  # noqa: E402
from casekit.credit.cli import register  # noqa: E402


def run(argv, capsys):
    parser = argparse.ArgumentParser(prog="casekit")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code = args.func(args)
    return code, capsys.readouterr().out


def test_figures_at_year_end(capsys):
    code, out = run(["credit", "figures"], capsys)
    assert code == 0
    assert out.startswith("Hexaform SAS — indicateurs crédit clients au 31/12/2025")
    for text in ("Méthode comptable (3 derniers mois) :", "Méthode par épuisement :", "Meilleur DSO possible",
                 "retard moyen (ADD)", "Valeur d'un jour de DSO :", "Non échu", "Plus de 90 jours",
                 "Total                  9\u00a0490\u00a0745,02\u00a0€", "Litiges", "Ouverts : 21 pour",
                 "Prévision d'encaissements de janvier 2026 sur l'encours au 31/12/2025"):
        assert text in out, text
    assert ".0 pour" not in out  # counts printed as integers


def test_default_subcommand_and_as_of(capsys):
    code, out = run(["credit"], capsys)
    assert code == 0 and "au 31/12/2025" in out
    code, out = run(["credit", "figures", "--as-of", "30/06/2024"], capsys)
    assert code == 0 and "au 30/06/2024" in out and "juillet 2024" in out


def test_as_of_must_be_a_month_end(capsys):
    with pytest.raises(DataError, match="fin de mois"):
        run(["credit", "figures", "--as-of", "2025-12-15"], capsys)
