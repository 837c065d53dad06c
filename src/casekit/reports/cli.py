"""`casekit reports` (a training session) and `casekit diagnostic` (a company's receivables)."""

from __future__ import annotations

import sys
from pathlib import Path

from casekit.chromium import find_chromium
from casekit.dates import to_timestamp
from casekit.reports.batch import DEFAULT_TIMEOUT, generate_reports
from casekit.reports.diagnostic import company_data, write_diagnostic_files
from casekit.reports.run import error_cause, execute, export_html, template, to_pdf

DIAGNOSTIC_TEMPLATE = "diagnostic_entreprise"


def _reports(args) -> int:
    result = generate_reports(args.session, args.out, workers=args.workers, timeout=args.timeout,
                              pdf=not args.no_pdf, progress=not args.quiet)
    for outcome in result.failures:
        print(f"Échec : {outcome.job.label} — {outcome.error}", file=sys.stderr)
    total = sum(o.job.kind == "participant" for o in result.outcomes)
    summary_ok = all(o.ok for o in result.outcomes if o.job.kind == "class")
    pdf = " (HTML et PDF)" if result.pdf else " (HTML)"
    print(f"{result.reports_written} rapport(s) de participant écrit(s) sur {total}, avec leur attestation"
          f"{pdf} ; synthèse de la classe : {'écrite' if summary_ok else 'en échec'}.")
    if not result.pdf and not args.no_pdf:
        print("PDF non produits : Chromium est absent (Debian : apt-get install chromium).")
    print(f"À ouvrir : {result.index}")
    return 1 if result.failures else 0


def _diagnostic(args) -> int:
    kind, source = ("fec", args.fec) if args.fec else ("open_items", args.open_items)
    out = Path(args.out).resolve()
    data = company_data(source, kind, args.as_of, args.terms)
    files = write_diagnostic_files(data, out)
    parameters = {"source": str(Path(source).resolve()), "kind": kind,
                  "as_of": to_timestamp(args.as_of).date().isoformat(), "payment_terms_days": int(args.terms),
                  "company": args.company or Path(source).stem}
    try:
        notebook = execute(template(DIAGNOSTIC_TEMPLATE), parameters, args.timeout, cwd=out)
    except Exception as exc:  # noqa: BLE001 - reported in French
        print(f"Échec du diagnostic : {error_cause(exc, args.timeout)}", file=sys.stderr)
        return 1
    title = f"Diagnostic du poste clients – {parameters['company']}"
    page = export_html(notebook, out / "diagnostic.html", title)
    chromium = None if args.no_pdf else find_chromium()
    written = [page, *([to_pdf(page, chromium)] if chromium else []), files["summary"], files["excel"]]
    print("Diagnostic écrit : " + ", ".join(p.name for p in written) + f" dans {out}")
    if not chromium and not args.no_pdf:
        print("PDF non produit : Chromium est absent (Debian : apt-get install chromium).")
    print(f"À ouvrir : {page}")
    return 0


def register(subparsers) -> None:
    """Add `casekit reports` and `casekit diagnostic`."""
    reports = subparsers.add_parser("reports",
                                    help="Rapports d'une session : participants, attestations, classe")
    reports.add_argument("--session", required=True, help="dossier de la session (session.yaml, "
                         "participants.csv, reponses/)")
    reports.add_argument("--out", required=True, help="dossier de sortie")
    reports.add_argument("--workers", type=int, default=2, help="processus en parallèle (par défaut : 2)")
    reports.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT,
                         help=f"délai maximal par cellule, en secondes (par défaut : {DEFAULT_TIMEOUT})")
    reports.add_argument("--no-pdf", action="store_true", help="ne pas produire les PDF")
    reports.add_argument("--quiet", action="store_true", help="sans barre de progression")
    reports.set_defaults(func=_reports)
    diag = subparsers.add_parser("diagnostic", help="Diagnostic du poste clients d'une entreprise (FEC ou "
                                 "export des pièces non soldées)")
    source = diag.add_mutually_exclusive_group(required=True)
    source.add_argument("--fec", help="fichier des écritures comptables (FEC)")
    source.add_argument("--open-items", help="export CSV/Excel des pièces non soldées")
    diag.add_argument("--as-of", required=True, help="date d'analyse (JJ/MM/AAAA ou AAAA-MM-JJ)")
    diag.add_argument("--terms", type=int, required=True, help="délai de paiement en jours (le FEC n'a pas "
                      "d'échéances)")
    diag.add_argument("--out", required=True, help="dossier de sortie")
    diag.add_argument("--company", help="nom de l'entreprise affiché (par défaut : nom du fichier)")
    diag.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, help="délai maximal par cellule (s)")
    diag.add_argument("--no-pdf", action="store_true", help="ne pas produire le PDF")
    diag.set_defaults(func=_diagnostic)
