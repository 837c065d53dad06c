"""The attestation individuelle de formation (art. L6353-1 du Code du travail).

At the end of the training the provider gives each trainee an attestation stating the objectives, the nature
and the duration of the action and the results of the assessment of what was learnt. Here: programme title(s),
nature, objectives, dates, duration, place, participant and company, training organisation with its numéro de
déclaration d'activité, and the result of the final evaluation. One printable A4 page (HTML, PDF by Chromium),
also the last, page-broken section of the participant's report.
"""

from __future__ import annotations

import html
import math
from pathlib import Path

from casekit import fmt
from casekit.quiz.results import FinalResult
from casekit.reports.session import SessionInfo

ATTESTATION_CSS = """
@page { size: A4; margin: 12mm 15mm; }
.attestation { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; line-height: 1.35;
  color: #1a1a1a; max-width: 170mm; margin: 0 auto; }
.attestation.page-break { break-before: page; page-break-before: always; }
.attestation h1 { font-size: 16pt; text-align: center; letter-spacing: 0.04em; margin: 0 0 2pt 0;
  color: #1f4e79; }
.attestation .legal { text-align: center; font-size: 9pt; color: #555; margin: 0 0 8pt 0; }
.attestation .org { border-bottom: 2px solid #1f4e79; padding-bottom: 6pt; margin-bottom: 12pt;
  font-size: 10pt; }
.attestation .org b { font-size: 11.5pt; color: #1f4e79; }
.attestation table { border-collapse: collapse; width: 100%; margin: 8pt 0; }
.attestation th { text-align: left !important; vertical-align: top; width: 28%; padding: 3pt 8pt 3pt 0;
  color: #1f4e79; font-weight: 600; background: none; }
.attestation td { text-align: left !important; padding: 3pt 0; vertical-align: top; }
.attestation ul.modules { columns: 2; column-gap: 14pt; font-size: 8.5pt; }
.attestation tr { border-bottom: 1px solid #dde3ea; }
.attestation ul { margin: 0; padding-left: 14pt; }
.attestation .result { font-weight: 600; }
.attestation .signature { margin-top: 12pt; display: flex; justify-content: space-between; }
.attestation .signature .box { width: 48%; }
.attestation .signature .line { margin-top: 30pt; border-top: 1px solid #999; font-size: 9pt; color: #555; }
.attestation .note { margin-top: 10pt; font-size: 8.5pt; color: #666; }
"""


def hours_text(hours: float, days: float) -> str:
    """`21, 3` → `21 heures (3 jours)`; `7, 1` → `7 heures (1 jour)`; `3.5, 0.5` → `3,5 heures (0,5 jour)`."""
    def num(x):
        return fmt.number(x, 0 if float(x).is_integer() else 1)
    return f"{num(hours)} heure{'s' if hours >= 2 else ''} ({num(days)} jour{'s' if days >= 2 else ''})"


def dates_text(info: SessionInfo) -> str:
    """`le 17/11/2025` for one day, else `du 17/11/2025 au 19/11/2025`."""
    if info.start == info.end:
        return f"le {fmt.date(info.start)}"
    return f"du {fmt.date(info.start)} au {fmt.date(info.end)}"


def result_text(final: FinalResult) -> str:
    """The result of the assessment of what was learnt, in one French sentence."""
    threshold = f"seuil de réussite {fmt.number(final.pass_mark, 1)}/20"
    if not final.submitted or math.isnan(final.final_mark):
        text = "Évaluation finale des acquis non remise : résultat non disponible."
    else:
        verdict = "acquis validés" if final.passed else "acquis non validés"
        mark = fmt.number(final.final_mark, 1)
        text = f"Évaluation finale des acquis (QCM/QCU) : {mark}/20 ({threshold}) : {verdict}."
    if final.answered_modules:
        done = final.answered_modules
        text += (f" Quiz de module : {done} réalisé{'s' if done > 1 else ''}, note moyenne "
                 f"{fmt.number(final.average_module_mark, 1)}/20.")
    return text


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def attestation_section(info: SessionInfo, name: str, company: str, final: FinalResult, module_titles,
                        page_break: bool = False) -> str:
    """The attestation as an HTML `<section>` (with its own CSS), to embed in a page or a report."""
    org = info.organisation
    address = f"<br>{_esc(org.address)}" if org.address else ""
    objectives = "".join(f"<li>{_esc(o)}</li>" for o in info.objectives) or "<li>–</li>"
    modules = "".join(f"<li>{_esc(t)}</li>" for t in module_titles) or "<li>–</li>"
    who = _esc(name) + (f", de l'entreprise {_esc(company)}" if company else "")
    rows = [
        ("Intitulé de la formation", "<br>".join(_esc(p) for p in info.programmes)),
        ("Nature de l'action", _esc(info.nature)),
        ("Objectifs", f"<ul>{objectives}</ul>"),
        ("Dates", _esc(dates_text(info).capitalize())),
        ("Durée", _esc(hours_text(info.duration_hours, info.duration_days))),
        ("Lieu", _esc(info.place)),
        ("Formateur", _esc(info.trainer)),
        ("Modules suivis", f"<ul class='modules'>{modules}</ul>"),
        ("Résultats de l'évaluation des acquis", f"<span class='result'>{_esc(result_text(final))}</span>"),
    ]
    table = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    css_class = "attestation page-break" if page_break else "attestation"
    return (
        f"<style>{ATTESTATION_CSS}</style>\n<section class='{css_class}'>\n"
        f"<div class='org'><b>{_esc(org.name)}</b>{address}<br>Déclaration d'activité enregistrée sous le "
        f"n° {_esc(org.nda)}</div>\n"
        "<h1>ATTESTATION INDIVIDUELLE DE FORMATION</h1>\n"
        "<p class='legal'>Article L6353-1 du Code du travail</p>\n"
        f"<p>L'organisme de formation <b>{_esc(org.name)}</b> atteste que <b>{who}</b> a suivi l'action de "
        f"formation décrite ci-dessous, {_esc(dates_text(info))}, pour une durée de "
        f"{_esc(hours_text(info.duration_hours, info.duration_days))}.</p>\n"
        f"<table>{table}</table>\n"
        f"<div class='signature'><div class='box'>Fait à {_esc(info.place)}, le {fmt.date(info.end)}</div>"
        f"<div class='box'>Pour l'organisme de formation<br>{_esc(info.trainer)}, formateur"
        "<div class='line'>Signature et cachet</div></div></div>\n"
        "<p class='note'>Attestation remise au participant à l'issue de la formation (article L6353-1 du "
        "Code du travail). Elle ne vaut pas certification.</p>\n</section>\n")


def attestation_page(info: SessionInfo, name: str, company: str, final: FinalResult, module_titles) -> str:
    """A complete HTML document (A4, printable, offline) holding the attestation."""
    body = attestation_section(info, name, company, final, module_titles)
    return (f'<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
            f"<title>Attestation de formation – {_esc(name)}</title>\n</head>\n<body>\n{body}</body>\n"
            "</html>\n")


def report_attestation(report, page_break: bool = False) -> str:
    """The attestation section of a `ParticipantReport`."""
    return attestation_section(report.info, report.participant.name, report.company, report.final,
                               list(report.followed["title"]), page_break)


def write_attestation(report, path) -> Path:
    """Write the attestation page of a `ParticipantReport` to `path` (.html)."""
    path = Path(path)
    path.write_text(attestation_page(report.info, report.participant.name, report.company, report.final,
                                     list(report.followed["title"])), encoding="utf-8")
    return path
