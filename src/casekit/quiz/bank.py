"""Question banks: YAML files (clear or protected), their schema, and the list of skills (compétences).

A bank is one YAML file per module notebook, `banks/<module>.yaml`; the schema is checked by `parse_bank`, which
collects every problem and raises one `DataError` listing them in French. See `README.md` for the format.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import yaml

from casekit.errors import DataError
from casekit.quiz.keys import PROTECTED_FORMAT, unprotect_data

BANKS_DIR = Path(__file__).with_name("banks")
BANKS_ENV = "CASEKIT_BANKS"
TRAINEE_BANKS_DIR = "banques"
SKILLS_FILE = "competences.yaml"
MODULE_RE = re.compile(r"^(\d{2}[a-z]?)_[a-z0-9_]+$")
CHOICE_RE = re.compile(r"^[a-z]$")
INSTRUCTIONS = {"qcu": "Une seule réponse possible", "qcm": "Plusieurs réponses possibles"}
MODES = ("practice", "exam")
BANK_KEYS = {"module", "title", "mode", "max_attempts", "shuffle", "questions"}
QUESTION_KEYS = {"id", "module", "type", "prompt", "choices", "answers", "explanation", "points", "competence"}
CHOICE_KEYS = {"id", "text", "explanation"}


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    explanation: str = ""


@dataclass(frozen=True)
class Question:
    id: str
    module: str
    type: str  # "qcu" (exactly one right answer) or "qcm" (one or more)
    prompt: str
    choices: tuple[Choice, ...]
    answers: frozenset[str]
    explanation: str
    points: Fraction
    competence: str

    @property
    def instruction(self) -> str:
        """"Une seule réponse possible" or "Plusieurs réponses possibles", shown on every question."""
        return INSTRUCTIONS[self.type]

    @property
    def choice_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.choices)


@dataclass(frozen=True)
class Bank:
    module: str
    title: str
    mode: str  # "practice" (immediate feedback) or "exam" (feedback after submission)
    max_attempts: int | None  # None: unlimited
    shuffle: bool
    questions: tuple[Question, ...]
    protected: bool = False

    @property
    def points(self) -> Fraction:
        return sum((q.points for q in self.questions), Fraction(0))

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)


@dataclass(frozen=True)
class Skill:
    id: str
    programme: str
    label: str
    syllabus: tuple[str, ...]


def default_banks_dir() -> Path:
    """`$CASEKIT_BANKS` if set; else `banques/` in the working directory if there is one (the trainee edition ships
    its protected banks there, beside its notebooks); else the banks shipped here."""
    if os.environ.get(BANKS_ENV):
        return Path(os.environ[BANKS_ENV])
    local = Path.cwd() / TRAINEE_BANKS_DIR
    return local if local.is_dir() else BANKS_DIR


def list_banks(banks_dir=None) -> list[str]:
    """The module names of the banks in `banks_dir`, sorted (`01_introduction_pilotage`, …)."""
    folder = Path(banks_dir) if banks_dir else default_banks_dir()
    return sorted(p.stem for p in folder.glob("*.yaml") if MODULE_RE.match(p.stem))


def load_bank(module, banks_dir=None) -> Bank:
    """A bank by module name (`"02_valeur_jour_dso"`) or by path to a YAML file, clear or protected."""
    path = Path(module)
    if path.suffix != ".yaml":
        path = (Path(banks_dir) if banks_dir else default_banks_dir()) / f"{module}.yaml"
    if not path.is_file():
        raise DataError("banque de questions introuvable.", path=path)
    data = _read_yaml(path)
    bank = parse_bank(data, path)
    if bank.module != path.stem:
        raise DataError(f"le module « {bank.module} » ne correspond pas au nom du fichier.", path=path)
    return bank


def load_banks(banks_dir=None) -> dict[str, Bank]:
    """Every bank of `banks_dir`, by module name, in teaching order."""
    return {name: load_bank(name, banks_dir) for name in list_banks(banks_dir)}


def load_skills(banks_dir=None) -> list[Skill]:
    """The skills (compétences) assessed by the questions and by the self-assessment, in programme order."""
    path = (Path(banks_dir) if banks_dir else default_banks_dir()) / SKILLS_FILE
    data = _read_yaml(path)
    try:
        skills = [Skill(s["id"], s["programme"], s["label"], tuple(s["syllabus"])) for s in data["skills"]]
    except (KeyError, TypeError) as exc:
        raise DataError(f"liste de compétences invalide (attendu : skills: [{{id, programme, label, syllabus}}]) : "
                        f"{exc!r}", path=path) from None
    return skills


def check_banks(banks_dir=None) -> list[str]:
    """Problems across banks (French): duplicate question ids, unknown skills, a final evaluation under 30 questions."""
    banks = load_banks(banks_dir)
    skills = {s.id for s in load_skills(banks_dir)}
    problems, seen = [], {}
    for bank in banks.values():
        for q in bank.questions:
            if q.id in seen:
                problems.append(f"question {q.id} : identifiant présent dans {seen[q.id]} et {bank.module}")
            seen[q.id] = bank.module
            if q.competence not in skills:
                problems.append(f"question {q.id} : compétence inconnue « {q.competence} »")
        minimum = 30 if bank.mode == "exam" else 8
        if len(bank.questions) < minimum:
            problems.append(f"{bank.module} : {len(bank.questions)} questions, il en faut au moins {minimum}")
    return problems


def _read_yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DataError(f"YAML illisible : {exc}", path=path) from None


def parse_bank(data, source=None) -> Bank:
    """Validate a bank read from YAML (clear or protected) and build it; every problem is listed in one DataError."""
    protected = isinstance(data, dict) and data.get("format") == PROTECTED_FORMAT
    if protected:
        try:
            data = unprotect_data(data)
        except ValueError as exc:
            raise DataError(str(exc), path=source) from None
    problems: list[str] = []
    if not isinstance(data, dict):
        raise DataError("une banque de questions doit être un dictionnaire YAML (module, title, questions).",
                        path=source)
    _unknown(problems, "banque", data, BANK_KEYS)
    module = data.get("module")
    match = MODULE_RE.match(module) if isinstance(module, str) else None
    if not match:
        problems.append(f"« module » doit ressembler à « 02_valeur_jour_dso » (trouvé : {module!r})")
    if not _text(data.get("title")):
        problems.append("« title » (titre du quiz) manque")
    mode = data.get("mode", "practice")
    if mode not in MODES:
        problems.append(f"« mode » doit être « practice » ou « exam » (trouvé : {mode!r})")
    max_attempts = data.get("max_attempts")
    if max_attempts is not None and (type(max_attempts) is not int or max_attempts < 1):
        problems.append(f"« max_attempts » doit être un entier ≥ 1 ou null (trouvé : {max_attempts!r})")
    if not isinstance(data.get("shuffle", False), bool):
        problems.append("« shuffle » doit valoir true ou false")
    items = data.get("questions")
    if not isinstance(items, list) or not items:
        problems.append("« questions » doit être une liste non vide")
        items = []
    prefix = match.group(1) if match else "??"
    questions, ids = [], set()
    for n, item in enumerate(items, 1):
        q = _question(item, n, module, prefix, problems)
        if q is not None:
            if q.id in ids:
                problems.append(f"question {q.id} : identifiant en double")
            ids.add(q.id)
            questions.append(q)
    if problems:
        raise DataError("banque de questions invalide :\n- " + "\n- ".join(problems), path=source)
    return Bank(module, data["title"].strip(), mode, max_attempts, data.get("shuffle", False), tuple(questions),
                protected)


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _unknown(problems, where, item, allowed):
    extra = sorted(set(item) - allowed)
    if extra:
        problems.append(f"{where} : clé(s) inconnue(s) {', '.join(map(str, extra))}")


def _question(item, n, module, prefix, problems) -> Question | None:
    if not isinstance(item, dict):
        problems.append(f"question n° {n} : un dictionnaire est attendu")
        return None
    qid = item.get("id")
    label = f"question {qid}" if isinstance(qid, str) else f"question n° {n}"
    before = len(problems)
    _unknown(problems, label, item, QUESTION_KEYS)
    if not (isinstance(qid, str) and re.fullmatch(rf"{prefix}-q\d{{2}}", qid)):
        problems.append(f"{label} : « id » doit être de la forme « {prefix}-q01 » (trouvé : {qid!r})")
    if item.get("module", module) != module:
        problems.append(f"{label} : « module » vaut {item.get('module')!r} au lieu de {module!r}")
    kind = item.get("type")
    if kind not in INSTRUCTIONS:
        problems.append(f"{label} : « type » doit être « qcu » ou « qcm » (trouvé : {kind!r})")
    for key in ("prompt", "explanation", "competence"):
        if not _text(item.get(key)):
            problems.append(f"{label} : « {key} » manque ou est vide")
    points = item.get("points")
    if type(points) not in (int, float) or points <= 0:
        problems.append(f"{label} : « points » doit être un nombre > 0 (trouvé : {points!r})")
    choices = _choices(item.get("choices"), label, problems)
    answers = item.get("answers")
    ids = [c.id for c in choices]
    if not (isinstance(answers, list) and answers and all(isinstance(a, str) for a in answers)):
        problems.append(f"{label} : « answers » doit être une liste non vide d'identifiants de choix")
        answers = []
    elif len(set(answers)) != len(answers) or not set(answers) <= set(ids):
        problems.append(f"{label} : « answers » {answers} doit citer des choix existants ({', '.join(ids)}), "
                        "chacun une fois")
    elif kind == "qcu" and len(answers) != 1:
        problems.append(f"{label} : une QCU a exactement une bonne réponse (trouvé : {len(answers)})")
    elif len(answers) == len(ids):
        problems.append(f"{label} : au moins un choix doit être faux")
    if len(problems) > before:
        return None
    return Question(qid, module, kind, item["prompt"].strip(), choices, frozenset(answers),
                    item["explanation"].strip(), Fraction(str(points)), item["competence"].strip())


def _choices(items, label, problems) -> tuple[Choice, ...]:
    if not isinstance(items, list) or not 2 <= len(items) <= 6:
        problems.append(f"{label} : « choices » doit être une liste de 2 à 6 choix")
        return ()
    out = []
    for item in items:
        if not isinstance(item, dict) or not CHOICE_RE.match(str(item.get("id"))) or not _text(item.get("text")):
            problems.append(f"{label} : chaque choix a un « id » (une lettre minuscule) et un « text » non vide "
                            f"(trouvé : {item!r})")
            continue
        _unknown(problems, f"{label}, choix {item['id']}", item, CHOICE_KEYS)
        explanation = item.get("explanation", "")
        if not isinstance(explanation, str):
            problems.append(f"{label}, choix {item['id']} : « explanation » doit être un texte")
            continue
        out.append(Choice(item["id"], item["text"].strip(), explanation.strip()))
    if len({c.id for c in out}) != len(out):
        problems.append(f"{label} : identifiants de choix en double")
    return tuple(out)
