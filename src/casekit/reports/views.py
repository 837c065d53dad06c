"""What the report templates display: French tables and small HTML blocks built from the reports' data.

Names are escaped; marks read `14,5/20`, money `1 234,56 €`, dates `31/12/2025`.
"""

from __future__ import annotations

import html
import math
import re

import pandas as pd
from IPython.display import HTML

from casekit import fmt
from casekit.reports.attestation import dates_text, hours_text, result_text

NUMERIC_RE = re.compile(r"^[−+\-]?[\d\s\u00a0\u202f,./%€]*\d[\d\s\u00a0\u202f,./%€]*(jours)?$|^[–-]$")
SCORE_WORDS = {1: "1 – pas du tout", 2: "2 – peu", 3: "3 – moyennement", 4: "4 – bien", 5: "5 – très"}


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def table_html(df: pd.DataFrame, index: bool = True, css: str = "") -> str:
    """A display table as plain HTML: text left-aligned, numbers (`1 234,56 €`, `14,5/20`, `42 %`)
    right-aligned, the index as the first column. `css`: extra classes (`compact`, `wide-first`)."""
    table = df.reset_index() if index else df
    numeric = {c for c in table.columns[1:] if table[c].map(lambda v: bool(NUMERIC_RE.match(str(v)))).all()}
    head = "".join(f"<th class='{'num' if c in numeric else ''}'>{_esc(c)}</th>" for c in table.columns)
    rows = "".join("<tr>" + "".join(f"<td class='{'num' if c in numeric else ''}'>{_esc(v)}</td>"
                                    for c, v in zip(table.columns, row)) + "</tr>"
                   for row in table.itertuples(index=False))
    return f"<table class='casekit-table {css}'><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def table(df: pd.DataFrame, index: bool = True, css: str = "") -> HTML:
    """`table_html` ready for `display()` in a report template."""
    return HTML(table_html(df, index, css))


def mark_text(mark) -> str:
    """`14.5` → `14,5/20`; missing → `–`."""
    missing = mark is None or (isinstance(mark, float) and math.isnan(mark))
    return "–" if missing else f"{fmt.number(mark, 1)}/20"


def session_lines(info) -> str:
    programmes = " ; ".join(info.programmes)
    return (f"<b>Formation</b> : {_esc(programmes)}<br><b>Session</b> : {_esc(info.session)}, "
            f"{_esc(dates_text(info))}, {_esc(info.place)} ; "
            f"durée {_esc(hours_text(info.duration_hours, info.duration_days))}"
            f"<br><b>Formateur</b> : {_esc(info.trainer)} — {_esc(info.organisation.name)}")


def participant_header(report) -> str:
    """The report's title block: the participant, their company, the session."""
    company = f" — {_esc(report.company)}" if report.company else ""
    return (f"<h1>Rapport individuel de formation</h1><div class='casekit-card'><b style='font-size:1.2em'>"
            f"{_esc(report.participant.name)}</b>{company}<br>{session_lines(report.info)}</div>")


def final_card(report) -> str:
    """The final result in one highlighted block."""
    final = report.final
    if final.submitted and not math.isnan(final.final_mark):
        css = "casekit-pass" if final.passed else "casekit-fail"
        verdict = "Évaluation réussie" if final.passed else "Évaluation non réussie"
        head = (f"Note finale : <span class='{css}'>{mark_text(final.final_mark)}</span> — "
                f"<span class='{css}'>{verdict}</span> (seuil {mark_text(final.pass_mark)})")
    else:
        head = "<span class='casekit-fail'>Évaluation finale non remise</span> : pas de note finale."
    return f"<div class='casekit-card'><b>{head}</b><br>{_esc(result_text(final))}</div>"


def results_table(results: pd.DataFrame) -> pd.DataFrame:
    """The marks by quiz, French headers and numbers."""
    table = pd.DataFrame({
        "Quiz": results["title"],
        "Questions répondues": [f"{a}/{q}" for a, q in zip(results["answered"], results["questions"])],
        "Points": [("–" if math.isnan(p) else f"{fmt.number(p, 1)} / {fmt.number(pp, 0)}")
                   for p, pp in zip(results["points"], results["points_possible"])],
        "Note": results["mark"].map(mark_text),
        "Résultat": results["status"],
    })
    return table.set_index("Quiz")


def modules_list(followed: pd.DataFrame) -> str:
    return "<ul>" + "".join(f"<li>{_esc(t)}</li>" for t in followed["title"]) + "</ul>"


def review_html(review: pd.DataFrame, banks_titles: dict | None = None) -> str:
    """The notions to review: one compact block per question missed, with the right answer, the explanation
    and the fiche(s) to read (once per module when they are the same for all its questions)."""
    if review.empty:
        return "<p class='casekit-pass'>Aucune question manquée : bravo, toutes vos réponses sont justes.</p>"
    blocks = []
    for module, group in review.groupby("module", sort=False):
        title = (banks_titles or {}).get(module, module)
        shared = group["fiches"].iloc[0] if group["fiches"].nunique() == 1 else ""
        read = f"<div class='meta'>À relire : {_esc(shared)}</div>" if shared else ""
        blocks.append(f"<h3>{_esc(title)} ({len(group)} question{'s' if len(group) > 1 else ''})</h3>{read}")
        for row in group.itertuples(index=False):
            own = "" if shared else f"<div class='meta'>À relire : {_esc(row.fiches) or '–'}</div>"
            blocks.append(
                f"<div class='casekit-review'><div class='q'>{_esc(row.prompt)} "
                f"<span class='meta'>({_esc(row.question)} · {_esc(row.status)})</span></div>"
                f"<div>Votre réponse : {_esc(row.given)} — <b>Bonne réponse</b> : {_esc(row.right)}</div>"
                f"<div class='why'>{_esc(row.explanation)}</div>{own}</div>")
    return "\n".join(blocks)


def fiches_html(fiches: pd.DataFrame) -> str:
    if fiches.empty:
        return ""
    items = "".join(f"<li>{_esc(f)} : {n} question{'s' if n > 1 else ''}</li>"
                    for f, n in zip(fiches["fiche"], fiches["questions"]))
    return f"<p><b>Les fiches pratiques à relire en priorité</b> :</p><ul>{items}</ul>"


def skills_table(skills: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"Compétence": skills["skill"] + " – " + skills["label"],
                         "Avant": skills["before"].astype(object), "Après": skills["after"].astype(object),
                         "Progression": skills["gain"].map(lambda g: "–" if pd.isna(g) else f"{int(g):+d}")
                         }).set_index("Compétence")


def satisfaction_html(report) -> str:
    s = report.satisfaction
    if not s.sent:
        return "<p>Vous n'avez pas rempli le formulaire d'appréciation.</p>"
    usefulness = pd.DataFrame({"Module": report.usefulness["title"],
                               "Utilité pour votre poste (1 à 5)": report.usefulness["score"].map(
                                   lambda v: SCORE_WORDS.get(v, str(v)))})
    comment = f"<p><b>Votre commentaire</b> : « {_esc(s.comment)} »</p>" if s.comment else ""
    overall = f"<p><b>Satisfaction générale</b> : {s.overall}/5</p>"
    return f"{overall}{table_html(usefulness, index=False)}{comment}"


def class_header(summary) -> str:
    errors = ""
    if summary.errors:
        items = "".join(f"<li>{_esc(e)} : {_esc(c)}</li>" for e, c in summary.errors.items())
        errors = (f"<p class='casekit-fail'>Fichiers de réponses illisibles, participants exclus :</p>"
                  f"<ul>{items}</ul>")
    return (f"<h1>Synthèse de la classe</h1><div class='casekit-card'>{session_lines(summary.info)}<br>"
            f"<b>Participants inscrits</b> : {summary.participants}</div>{errors}")


def class_key_figures(summary) -> str:
    finals = summary.finals
    passed = int((finals >= summary.info.pass_mark).sum())
    handed = len(finals)
    absent = len(summary.table) - handed
    if not handed:
        return "<p>Aucune copie d'évaluation finale remise.</p>"
    return (f"<div class='casekit-card'><b>Évaluation finale</b> : {handed} copie{'s' if handed > 1 else ''} "
            f"remise{'s' if handed > 1 else ''}"
            f"{f', {absent} non remise' + ('s' if absent > 1 else '') if absent else ''} ; moyenne "
            f"{mark_text(finals.mean())}, médiane {mark_text(finals.median())}, "
            f"de {mark_text(finals.min())} à {mark_text(finals.max())} ; <b>{passed} admis sur {handed}</b> "
            f"({fmt.percent(passed / handed, 0)}) au seuil de {mark_text(summary.info.pass_mark)}.</div>")


def gradebook_display(table: pd.DataFrame, titles: dict) -> pd.DataFrame:
    """The class gradebook: one row per participant, a column per quiz (short number), average, final,
    result."""
    out = pd.DataFrame({"Participant": table["name"]})
    for module in [c for c in table.columns if c in titles]:
        out[module.split("_")[0]] = table[module].map(lambda v: "–" if pd.isna(v) else fmt.number(v, 1))
    out["Moy. quiz"] = table["average"].map(lambda v: "–" if pd.isna(v) else fmt.number(v, 1))
    out["Finale /20"] = table["final"].map(lambda v: "–" if pd.isna(v) else fmt.number(v, 1))
    out["Résultat"] = table["result"]
    return out.set_index("Participant")


def hardest_display(items: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Question": items["question"] + " (" + items["competence"] + ")",
        "Énoncé": items["prompt"].map(lambda p: p if len(p) <= 140 else p[:139] + "…"),
        "Bonne(s) réponse(s)": items["answers"],
        "Justes": items["share_right"].map(lambda v: fmt.percent(v, 0)),
        "Score moyen": items["mean_score"].map(lambda v: fmt.percent(v, 0)),
        "Mauvaises réponses choisies": items["distractors"].replace("", "–"),
    }).set_index("Question")


def progression_display(progression: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Compétence": progression["skill"] + " – " + progression["label"],
        "Répondants": progression["respondents"],
        "Avant": progression["before"].map(lambda v: fmt.number(v, 1)),
        "Après": progression["after"].map(lambda v: fmt.number(v, 1)),
        "Progression": progression["gain"].map(lambda v: ("+" if v >= 0 else "−") + fmt.number(abs(v), 1)),
    }).set_index("Compétence")


def satisfaction_class_html(satisfaction) -> str:
    if not satisfaction.respondents:
        return "<p>Aucun formulaire d'appréciation reçu.</p>"
    counts = " · ".join(f"{k} : {v}" for k, v in satisfaction.overall_counts.items())
    comments = "".join(f"<li><b>{_esc(n)}</b> : « {_esc(c)} »</li>" for n, c in satisfaction.comments)
    answers = satisfaction.respondents
    return (f"<div class='casekit-card'><b>Satisfaction générale</b> : "
            f"{fmt.number(satisfaction.overall_mean, 1)}/5 en moyenne ({answers} "
            f"réponse{'s' if answers > 1 else ''} sur {satisfaction.participants}) ; répartition des notes "
            f"{counts}.</div>"
            + (f"<p><b>Commentaires</b> :</p><ul>{comments}</ul>" if comments else ""))


# --- company diagnostic ------------------------------------------------------------------------------------

KIND_LABELS = {"fec": "fichier des écritures comptables (FEC)", "open_items": "export des pièces non soldées"}


def diagnostic_header(data, company: str) -> str:
    """The diagnostic's title block: the company, the data, the date and the payment terms."""
    return (f"<h1>Diagnostic du poste clients</h1><div class='casekit-card'><b style='font-size:1.2em'>"
            f"{_esc(company)}</b><br><b>Données</b> : {_esc(KIND_LABELS[data.kind])} « "
            f"{_esc(data.source.rsplit('/', 1)[-1])} »<br><b>Date d'analyse</b> : {fmt.date(data.as_of)} ; "
            f"<b>délai de paiement appliqué</b> : {data.payment_terms_days} jours</div>")


def summary_display(summary: dict) -> pd.DataFrame:
    """The headline figures of `diagnostic_summary`, in French."""
    def days(v):
        return "–" if v is None else fmt.days(v)
    from casekit.credit.aged_balance import ageing_labels

    rows = [("Date d'analyse", fmt.date(summary["as_of"])),
            ("Encours clients TTC", fmt.euros(summary["receivables_total"])),
            ("dont échu", fmt.euros(summary["overdue_total"])),
            ("Clients avec un encours", fmt.number(summary["customers"])),
            ("Pièces non soldées", fmt.number(summary["open_items"])),
            ("DSO, méthode comptable (3 mois)", days(summary["dso"]["accounting_3m"])),
            ("DSO, méthode comptable (12 mois)", days(summary["dso"]["accounting_12m"])),
            ("DSO, méthode par épuisement", days(summary["dso"]["count_back"])),
            ("Valeur d'un jour de DSO",
             "–" if summary["day_value"] is None else fmt.euros(summary["day_value"], 0))]
    labels = ageing_labels(summary["aged_balance"])
    rows += [(f"Balance âgée : {labels[k].lower() if k != 'total' else 'total'}", fmt.euros(v))
             for k, v in summary["aged_balance"].items()]
    return pd.DataFrame(rows, columns=["Indicateur", "Valeur"]).set_index("Indicateur")


def penalties_display(summary: pd.DataFrame) -> pd.DataFrame:
    labels = {"invoices": "Factures échues", "amount": "Montant TTC échu", "penalty": "Pénalités de retard",
              "indemnity": "Indemnités forfaitaires (40 €)", "total": "Total réclamable"}
    table = summary.rename(index={"undisputed": "Hors litige", "disputed": "En litige", "total": "Total"})
    return fmt.french_table(table, {"invoices": "number", "amount": "euros", "penalty": "euros",
                                    "indemnity": "euros", "total": "euros"}, labels, index_label="Factures")


def priorities_display(priorities: pd.DataFrame) -> pd.DataFrame:
    labels = {"customer_name": "Client", "overdue_amount": "Échu TTC",
              "max_days_overdue": "Retard max (jours)", "priority_score": "Score de priorité"}
    formats = {"overdue_amount": "euros", "max_days_overdue": "number", "priority_score": "number"}
    return fmt.french_table(priorities[list(labels)], formats, labels, index_label="Compte")


def forecast_display(forecast: pd.DataFrame) -> pd.DataFrame:
    from casekit.credit.forecast import period_labels

    return fmt.french_table(forecast.set_axis(period_labels(forecast.index)),
                            {"forecast": "euros0", "naive": "euros0"},
                            {"forecast": "Prévision (retards habituels)", "naive": "À l'échéance"},
                            index_label="Mois")


def dispute_share_html(share, kind: str) -> str:
    """The share of the overdue amount in dispute, and why a FEC cannot tell it."""
    note = ("<p>Le FEC ne dit pas quelles factures sont en litige : toutes sont comptées hors litige. Pour "
            "suivre cette part, ajoutez une colonne « Litige » à un export des pièces non soldées.</p>"
            if kind == "fec" else "")
    return (f"{note}<div class='casekit-card'>Échu : {fmt.euros(share.overdue_amount)}, dont "
            f"{fmt.euros(share.disputed_overdue)} en litige ({fmt.percent(share.share)}).</div>")
