"""`casekit externalisation`: the fil rouge figures, printed the French way."""

import argparse

from casekit.outsourcing import cli


def _run(argv, capsys):
    parser = argparse.ArgumentParser(prog="casekit")
    cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    assert args.func(args) == 0
    return capsys.readouterr().out


def test_externalisation_prints_every_offer(capsys):
    out = _run(["externalisation"], capsys)
    for offer in ("ASS-A", "ASS-B", "ASS-C", "FAC-A", "FAC-B", "REC-A", "REC-B", "INS-A", "INTERNE"):
        assert offer in out
    assert "au 31/12/2025" in out
    assert "prime 84\u00a0887\u00a0€" in out  # 40 422 432,20 € × 0,21 % = 84 887 €
    assert "économie obtenue par le courtier : 25\u00a0819\u00a0€" in out  # 102 347 − 76 528
    assert "coût réel 240\u00a0000\u00a0€" in out  # in-house: 202 000 salaries + 38 000 overhead
    assert "découvert 6,29\u00a0%" in out  # 6,2 % × 365 / 360
    assert "Assurance-crédit (ASS-B)" in out


def test_handover_option(capsys):
    out = _run(["externalisation", "--handover-days", "90", "--as-of", "2025-12-31"], capsys)
    assert "transmis à 90 jours" in out
