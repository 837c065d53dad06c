"""A training session's folder: `session.yaml` (metadata), `participants.csv` (roster), `reponses/` (answers).

`session.yaml`:

```yaml
session: "2025-11 Lyon"              # the session id given to identify() by the participants
programmes:                          # title(s) of the programme(s) taught
  - "Management du poste crédit clients"
start: 2025-11-17                    # AAAA-MM-JJ or JJ/MM/AAAA
end: 2025-11-19
duration_hours: 21
duration_days: 3
place: "Lyon (69)"
trainer: "Claire Vasseur"
organisation: {name: "…", nda: "84 69 12345 69", address: "…"}  # numéro de déclaration d'activité
pass_mark: 10                        # seuil de réussite de l'évaluation finale, sur 20
modules: [01_introduction_pilotage, 02_valeur_jour_dso]          # modules suivis (banques de quiz)
objectives: ["…"]                    # optional: default from the programmes' own objectives
```

`participants.csv`: columns `nom`, `e-mail` (or `email`, `courriel`), `entreprise`; separator `;` or `,`.
Loading checks everything and raises `DataError` with a French message naming the file (and the line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import yaml

from casekit.errors import DataError
from casekit.quiz.bank import load_banks
from casekit.quiz.store import EMAIL_RE, AnswerStore, Participant, slugify

SESSION_FILE = "session.yaml"
ROSTER_FILE = "participants.csv"
ANSWERS_DIR = "reponses"
REQUIRED_KEYS = ("session", "programmes", "start", "end", "duration_hours", "duration_days", "place",
                 "trainer", "organisation", "pass_mark", "modules")
ROSTER_COLUMNS = {"nom": "name", "name": "name", "nom-prenom": "name", "prenom-nom": "name",
                  "e-mail": "email", "email": "email", "mail": "email", "courriel": "email",
                  "adresse-e-mail": "email", "entreprise": "company", "societe": "company",
                  "company": "company"}
# The programmes' own objectives (programmes/*.txt), used when session.yaml gives none.
PROGRAMME_OBJECTIVES = {
    "management du poste credit clients": [
        "Acquérir toutes les clefs nécessaires au management du poste crédit clients de l'entreprise"],
    "externaliser la gestion du poste clients": [
        "Appréhender les modalités pratiques et les mécanismes de couverture d'un contrat d'assurance-crédit",
        "Maîtriser les avantages et les inconvénients d'avoir recours à un factor",
        "Calculer le coût réel d'une solution d'externalisation complète du recouvrement pour affiner ses "
        "choix"],
}


class _Loader(yaml.SafeLoader):
    """YAML without implicit dates: `2025-13-45` stays a text, so that `parse_date` can say what is wrong."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
NATURE = "Action de formation (article L6313-1, 1° du Code du travail), en présentiel"


@dataclass(frozen=True)
class Organisation:
    name: str
    nda: str          # numéro de déclaration d'activité
    address: str = ""


@dataclass(frozen=True)
class SessionInfo:
    session: str
    programmes: tuple[str, ...]
    start: pd.Timestamp
    end: pd.Timestamp
    duration_hours: float
    duration_days: float
    place: str
    trainer: str
    organisation: Organisation
    pass_mark: float
    modules: tuple[str, ...]
    objectives: tuple[str, ...]
    nature: str = NATURE

    @property
    def slug(self) -> str:
        return slugify(self.session)


@dataclass(frozen=True)
class Session:
    """A loaded session folder: its metadata, its roster (`name`, `email`, `company`) and its answer store."""
    folder: Path
    info: SessionInfo
    roster: pd.DataFrame

    @property
    def store(self) -> AnswerStore:
        return AnswerStore(self.folder / ANSWERS_DIR)

    def participant(self, email: str) -> Participant:
        """The roster's participant with this e-mail (DataError if absent)."""
        rows = self.roster[self.roster["email"] == str(email).strip().lower()]
        if rows.empty:
            raise DataError(f"participant « {email} » absent de la liste des participants.",
                            path=self.folder / ROSTER_FILE)
        return Participant(rows["name"].iloc[0], rows["email"].iloc[0], self.info.session)

    def company(self, email: str) -> str:
        rows = self.roster[self.roster["email"] == str(email).strip().lower()]
        return rows["company"].iloc[0] if len(rows) else ""


def parse_date(value, key: str, path: Path) -> pd.Timestamp:
    """A date from YAML (a date, `AAAA-MM-JJ` or `JJ/MM/AAAA`) or a French DataError."""
    if isinstance(value, (date, datetime)):
        return pd.Timestamp(value).normalize()
    text = str(value).strip()
    for pattern, fmt in ((r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d"), (r"\d{2}/\d{2}/\d{4}", "%d/%m/%Y")):
        if re.fullmatch(pattern, text):
            try:
                return pd.Timestamp(datetime.strptime(text, fmt))
            except ValueError:
                break
    raise DataError(f"date invalide pour « {key} » : « {text} » (attendu : JJ/MM/AAAA ou AAAA-MM-JJ).",
                    path=path)


def _positive(value, key: str, path: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise DataError(f"« {key} » doit être un nombre positif (trouvé : {value!r}).", path=path)
    return float(value)


def _text(data: dict, key: str, path: Path) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DataError(f"« {key} » doit être un texte non vide.", path=path)
    return " ".join(value.split())


def _texts(value, key: str, path: Path) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(v, str) and v.strip() for v in items):
        raise DataError(f"« {key} » doit être une liste de textes non vides.", path=path)
    return tuple(" ".join(v.split()) for v in items)


def default_objectives(programmes) -> tuple[str, ...]:
    """The objectives of the known programmes among `programmes` (matched on their title)."""
    found = []
    for title in programmes:
        key = slugify(title, 200).replace("-", " ")
        found += next((goals for name, goals in PROGRAMME_OBJECTIVES.items() if key.startswith(name)), [])
    return tuple(found)


def read_session_info(path, banks=None) -> SessionInfo:
    """`session.yaml` checked: every key present, dates, durations, pass mark and modules valid."""
    path = Path(path)
    if not path.is_file():
        raise DataError("fichier de session introuvable (session.yaml).", path=path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DataError(f"YAML illisible : {exc}", path=path) from None
    if not isinstance(data, dict):
        raise DataError("session.yaml doit décrire la session (clés session, programmes, start…).", path=path)
    missing = [k for k in REQUIRED_KEYS if k not in data]
    if missing:
        raise DataError(f"clé(s) manquante(s) : {', '.join(missing)}.", path=path)
    start, end = parse_date(data["start"], "start", path), parse_date(data["end"], "end", path)
    if end < start:
        raise DataError(f"la date de fin ({end:%d/%m/%Y}) précède la date de début ({start:%d/%m/%Y}).",
                        path=path)
    org = data["organisation"]
    if not isinstance(org, dict):
        raise DataError("« organisation » doit donner name (raison sociale) et nda (numéro de déclaration "
                        "d'activité).", path=path)
    organisation = Organisation(_text(org, "name", path), _text(org, "nda", path),
                                " ".join(str(org.get("address") or "").split()))
    pass_mark = data["pass_mark"]
    if isinstance(pass_mark, bool) or not isinstance(pass_mark, (int, float)) or not 0 <= pass_mark <= 20:
        raise DataError(f"« pass_mark » doit être une note entre 0 et 20 (trouvé : {pass_mark!r}).",
                        path=path)
    modules = _texts(data["modules"], "modules", path)
    known = load_banks() if banks is None else banks
    unknown = [m for m in modules if m not in known or known[m].mode != "practice"]
    if unknown:
        raise DataError(f"module(s) inconnu(s) : {', '.join(unknown)} (attendu : un quiz de module, par "
                        f"exemple 02_valeur_jour_dso).", path=path)
    programmes = _texts(data["programmes"], "programmes", path)
    objectives = (_texts(data["objectives"], "objectives", path) if data.get("objectives") is not None
                  else default_objectives(programmes))
    session = data["session"]
    if not isinstance(session, str) or not slugify(session):
        raise DataError("« session » doit être l'identifiant de la session (ex. « 2025-11 Lyon »).",
                        path=path)
    return SessionInfo(session=" ".join(session.split()), programmes=programmes, start=start, end=end,
                       duration_hours=_positive(data["duration_hours"], "duration_hours", path),
                       duration_days=_positive(data["duration_days"], "duration_days", path),
                       place=_text(data, "place", path), trainer=_text(data, "trainer", path),
                       organisation=organisation, pass_mark=float(pass_mark),
                       modules=tuple(m for m in known if m in modules), objectives=objectives,
                       nature=_text(data, "nature", path) if data.get("nature") else NATURE)


def read_roster(path) -> pd.DataFrame:
    """`participants.csv` → `name`, `email` (lowercase), `company`, one row per participant, roster order."""
    path = Path(path)
    if not path.is_file():
        raise DataError("liste des participants introuvable (participants.csv).", path=path)
    try:
        table = pd.read_csv(path, sep=None, engine="python", dtype=str, keep_default_na=False,
                            encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataError(f"liste des participants illisible : {exc}", path=path) from None
    table = table.rename(columns=lambda c: ROSTER_COLUMNS.get(slugify(str(c)), c))
    missing = [label for column, label in (("name", "nom"), ("email", "e-mail"), ("company", "entreprise"))
               if column not in table.columns]
    if missing:
        raise DataError(f"colonne(s) manquante(s) : {', '.join(missing)} (attendu : nom ; e-mail ; "
                        "entreprise).", path=path)
    table = table[["name", "email", "company"]].apply(lambda col: col.str.split().str.join(" "))
    table["email"] = table["email"].str.lower()
    for line, row in enumerate(table.itertuples(index=False), 2):
        if not slugify(row.name):
            raise DataError("nom du participant vide.", path=path, line=line, column="nom")
        if not EMAIL_RE.match(row.email):
            raise DataError(f"adresse e-mail invalide : « {row.email} ».", path=path, line=line,
                            column="e-mail")
    duplicated = table["email"].duplicated()
    if duplicated.any():
        line = int(duplicated.to_numpy().argmax()) + 2
        twice = table["email"][duplicated].iloc[0]
        raise DataError(f"adresse e-mail en double : « {twice} » (chaque participant a sa propre adresse).",
                        path=path, line=line, column="e-mail")
    if table.empty:
        raise DataError("aucun participant dans la liste.", path=path)
    return table.reset_index(drop=True)


def load_session(folder, banks=None) -> Session:
    """The session folder checked: `session.yaml`, `participants.csv` and the answers folder `reponses/`."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError("dossier de session introuvable.", path=folder)
    info = read_session_info(folder / SESSION_FILE, banks)
    roster = read_roster(folder / ROSTER_FILE)
    if not (folder / ANSWERS_DIR).is_dir():
        raise DataError("dossier des réponses introuvable (reponses/, écrit par les quiz).",
                        path=folder / ANSWERS_DIR)
    return Session(folder, info, roster)
