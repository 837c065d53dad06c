"""The end-of-course form: overall satisfaction, usefulness of each module, comments, and a self-assessment of each
skill before and after the course (scales 1 to 5). Stored in the answer store as `satisfaction` and
`self_assessment` records; sending again replaces the previous answers (the last record counts).
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from casekit.quiz.bank import load_banks, load_skills
from casekit.quiz.grading import CSV_OPTIONS
from casekit.quiz.store import AnswerStore, Participant, as_store, identify, read_records

SCALE = [(str(i), i) for i in range(1, 6)]
SKILL_LEGEND = ("1 : je ne connais pas · 2 : j'ai des notions · 3 : je sais faire avec de l'aide · "
                "4 : je sais faire seul · 5 : je peux l'expliquer à d'autres")
PEOPLE = ["session", "participant", "name", "email"]


def _scale() -> widgets.ToggleButtons:
    return widgets.ToggleButtons(options=SCALE, value=None, style={"button_width": "2.6em"})


def _row(label: str, *controls) -> widgets.HBox:
    text = widgets.HTML(html.escape(label, quote=False), layout=widgets.Layout(width="40%"))
    return widgets.HBox([text, *controls])


class SatisfactionForm(widgets.VBox):
    """The form for one participant; `modules`: {module: title}; `skills`: the skills list."""

    def __init__(self, participant: Participant, store: AnswerStore, modules: dict[str, str], skills):
        super().__init__()
        self.participant, self.store = participant, store
        self.overall = _scale()
        self.usefulness = {module: _scale() for module in modules}
        self.comment = widgets.Textarea(placeholder="Vos remarques et suggestions",
                                        layout=widgets.Layout(width="90%", height="6em"))
        self.before = {s.id: _scale() for s in skills}
        self.after = {s.id: _scale() for s in skills}
        self.button = widgets.Button(description="Envoyer mes réponses", button_style="primary",
                                     layout=widgets.Layout(width="auto"))
        self.button.on_click(lambda _button: self._save_form())
        self.message = widgets.HTML()
        self.children = [
            widgets.HTML("<h3>Votre appréciation de la formation</h3>"),
            _row("Satisfaction générale (1 : pas du tout satisfait · 5 : très satisfait)", self.overall),
            widgets.HTML("<b>Utilité de chaque module pour votre poste</b> (1 : inutile · 5 : très utile)"),
            *[_row(title, self.usefulness[module]) for module, title in modules.items()],
            widgets.HTML("<b>Commentaires libres</b>"), self.comment,
            widgets.HTML(f"<h3>Évolution de vos compétences</h3><p>{SKILL_LEGEND}</p>"),
            *[_row(s.label, widgets.Label("avant"), self.before[s.id], widgets.Label("après"), self.after[s.id])
              for s in skills],
            self.button, self.message,
        ]
        self._restore()

    def _restore(self) -> None:
        last = {r["type"]: r for r in self.store.records(self.participant)}
        if "satisfaction" in last:
            record = last["satisfaction"]
            self.overall.value = record["overall"]
            for module, value in record["modules"].items():
                if module in self.usefulness:
                    self.usefulness[module].value = value
            self.comment.value = record["comment"]
        for skill, values in last.get("self_assessment", {"skills": {}})["skills"].items():
            if skill in self.before:
                self.before[skill].value, self.after[skill].value = values["before"], values["after"]

    def _save_form(self) -> None:
        if self.overall.value is None:
            self.message.value = "<span style='color:#b35c00'>Indiquez au moins votre satisfaction générale.</span>"
            return
        modules = {m: w.value for m, w in self.usefulness.items() if w.value is not None}
        self.store.append(self.participant, "satisfaction", overall=self.overall.value, modules=modules,
                          comment=self.comment.value.strip())
        skills = {s: {"before": self.before[s].value, "after": self.after[s].value} for s in self.before
                  if self.before[s].value is not None or self.after[s].value is not None}
        self.store.append(self.participant, "self_assessment", skills=skills)
        self.message.value = ("Merci ! Vos réponses sont enregistrées. Vous pouvez les modifier et les renvoyer : "
                              "la dernière version compte.")


def satisfaction_form(participant: Participant | None = None, *, store=None, banks_dir=None) -> SatisfactionForm:
    """The form for the identified participant; modules are the practice banks, skills the skills list."""
    store = as_store(store)
    participant = participant or identify(store=store)
    modules = {name: bank.title for name, bank in load_banks(banks_dir).items() if bank.mode == "practice"}
    return SatisfactionForm(participant, store, modules, load_skills(banks_dir))


def _last(store, kind: str):
    """(participant record, last record of `kind`) for every participant file that has one."""
    for path in as_store(store).files():
        records = read_records(path)
        found = [r for r in records if r["type"] == kind]
        who = next((r for r in records if r["type"] == "participant"), None)
        if found and who:
            yield who, found[-1]


def read_satisfaction(store=None) -> pd.DataFrame:
    """One row per participant: overall satisfaction, comment, and one usefulness column per module (1 to 5)."""
    found = list(_last(store, "satisfaction"))
    modules = sorted({m for _, r in found for m in r["modules"]})
    rows = [{**{k: who[k] for k in PEOPLE}, "submitted_at": r["ts"], "overall": r["overall"],
             "comment": r["comment"], **r["modules"]} for who, r in found]
    table = pd.DataFrame(rows, columns=PEOPLE + ["submitted_at", "overall", "comment"] + modules)
    return table.astype({c: "Int64" for c in ["overall", *modules]})


def read_self_assessment(store=None, banks_dir=None) -> pd.DataFrame:
    """One row per participant × skill: self-assessment before and after (1 to 5) and the gain."""
    labels = {s.id: s.label for s in load_skills(banks_dir)}
    rows = [{**{k: who[k] for k in PEOPLE}, "skill": skill, "label": labels.get(skill, ""),
             "before": v["before"], "after": v["after"]}
            for who, r in _last(store, "self_assessment") for skill, v in r["skills"].items()]
    table = pd.DataFrame(rows, columns=PEOPLE + ["skill", "label", "before", "after"])
    table = table.astype({"before": "Int64", "after": "Int64"})
    table["gain"] = table["after"] - table["before"]
    return table


SATISFACTION_FR = {"session": "Session", "participant": "Participant", "name": "Nom", "email": "E-mail",
                   "submitted_at": "Envoyé le (UTC)", "overall": "Satisfaction générale", "comment": "Commentaires"}
SELF_ASSESSMENT_FR = {**{k: SATISFACTION_FR[k] for k in PEOPLE}, "skill": "Compétence", "label": "Intitulé",
                      "before": "Avant", "after": "Après", "gain": "Progression"}


def write_form_reports(out_dir, store=None, banks_dir=None) -> list[Path]:
    """`satisfaction.csv` and `autoevaluation.csv` (French headers, `;`) when the store holds such forms."""
    paths, out_dir = [], Path(out_dir)
    for name, table, labels in (("satisfaction.csv", read_satisfaction(store), SATISFACTION_FR),
                                ("autoevaluation.csv", read_self_assessment(store, banks_dir), SELF_ASSESSMENT_FR)):
        if not table.empty:
            paths.append(out_dir / name)
            table.rename(columns=labels).to_csv(paths[-1], **CSV_OPTIONS)
    return paths
