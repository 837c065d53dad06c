"""Participants and the answer store: one JSON-lines file per participant, only ever appended to.

Layout: `<root>/<session>/<participant>.jsonl`, one JSON object per line with `type`, `ts` (ISO 8601, UTC),
`session` and `participant` (the slug). The first line of a file is the `participant` record (name, e-mail).

Appending is atomic: the file is opened with O_APPEND, locked (flock, or msvcrt on Windows), the whole new line is
written by one `os.write`, then fsync-ed. A rewrite (temp file + `os.replace`) would be atomic too, but two notebooks
rewriting the same file at once can lose each other's lines unless they also lock, and every answer would rewrite
the whole file: appending under a lock writes only the new line and never touches what is already there.
A file that does not parse raises `DataError` naming the file and the line, and is never written to again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from casekit.errors import DataError

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None
    import msvcrt

STORE_ENV = "CASEKIT_STORE"
DEFAULT_DIR = "reponses"
REMEMBERED = "participant.json"
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
REQUIRED = {"participant": ("name", "email"), "answer": ("module", "question", "choices"),
            "submission": ("module",), "satisfaction": ("overall", "modules", "comment"),
            "self_assessment": ("skills",)}


def slugify(text: str, limit: int = 40) -> str:
    """`"Marie-Ève d'Orléans"` → `"marie-eve-d-orleans"`: ASCII, lowercase, safe in a file name."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")


@dataclass(frozen=True)
class Participant:
    name: str
    email: str
    session: str

    def __post_init__(self):
        for field in ("name", "email", "session"):
            object.__setattr__(self, field, " ".join(str(getattr(self, field) or "").split()))
        object.__setattr__(self, "email", self.email.lower())
        if not slugify(self.name):
            raise DataError("indiquez votre nom (prénom et nom).")
        if not EMAIL_RE.match(self.email):
            raise DataError(f"adresse e-mail invalide : « {self.email} ».")
        if not slugify(self.session):
            raise DataError("indiquez l'identifiant de la session de formation (ex. « 2025-03-paris »).")

    @property
    def slug(self) -> str:
        """Stable and unique per e-mail: `marie-dupont-exemple-fr-1a2b3c`."""
        return f"{slugify(self.email, 30)}-{hashlib.sha256(self.email.encode()).hexdigest()[:6]}"

    @property
    def session_slug(self) -> str:
        return slugify(self.session)


def default_store_root() -> Path:
    """`$CASEKIT_STORE` if set, else `./reponses/` in the current directory."""
    return Path(os.environ.get(STORE_ENV) or Path.cwd() / DEFAULT_DIR)


@contextmanager
def _locked(fd: int):
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    else:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
        try:
            yield
        finally:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


def read_records(path) -> list[dict]:
    """Every record of a participant file, in file order; DataError (file, line) on the first bad line."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except UnicodeDecodeError:
        raise DataError("fichier de réponses illisible (encodage non UTF-8) ; il n'a pas été modifié.",
                        path=path) from None
    records = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            ok = (isinstance(record, dict) and isinstance(record.get("ts"), str)
                  and all(k in record for k in REQUIRED[record.get("type")]))
        except (ValueError, KeyError, TypeError):
            ok = False
        if not ok or (record["type"] == "answer" and not isinstance(record["choices"], list)):
            raise DataError("ligne de réponses illisible ou incomplète : le fichier est endommagé. Il n'a pas été "
                            "modifié ; faites-en une copie et prévenez le formateur.", path=path, line=number)
        records.append(record)
    return records


class AnswerStore:
    """The folder of answer files. `root`: a folder (default: `default_store_root()`); `clock`: for tests."""

    def __init__(self, root=None, clock: Callable[[], datetime] | None = None):
        self.root = Path(root) if root else default_store_root()
        self.clock = clock or (lambda: datetime.now(timezone.utc))

    def __repr__(self):
        return f"AnswerStore({str(self.root)!r})"

    def path(self, participant: Participant) -> Path:
        return self.root / participant.session_slug / f"{participant.slug}.jsonl"

    def files(self) -> list[Path]:
        """Every participant file, sorted."""
        return sorted(self.root.glob("*/*.jsonl"))

    def records(self, participant: Participant) -> list[dict]:
        path = self.path(participant)
        return read_records(path) if path.exists() else []

    def _line(self, participant: Participant, kind: str, fields: dict) -> str:
        stamp = self.clock().astimezone(timezone.utc).isoformat(timespec="milliseconds")
        record = {"type": kind, "ts": stamp, "session": participant.session, "participant": participant.slug,
                  **fields}
        return json.dumps(record, ensure_ascii=False) + "\n"

    def append(self, participant: Participant, kind: str, **fields) -> None:
        """Append one record (`kind` in answer, submission, satisfaction, self_assessment) atomically."""
        if kind not in REQUIRED or kind == "participant" or any(k not in fields for k in REQUIRED[kind]):
            raise ValueError(f"record {kind!r} with fields {sorted(fields)}")
        path = self.path(participant)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
        try:
            with _locked(fd):
                text = self._line(participant, kind, fields)
                if os.fstat(fd).st_size == 0:
                    who = {"name": participant.name, "email": participant.email}
                    text = self._line(participant, "participant", who) + text
                else:
                    os.lseek(fd, -1, os.SEEK_END)
                    if os.read(fd, 1) != b"\n":
                        raise DataError("la dernière ligne du fichier de réponses est incomplète : le fichier est "
                                        "endommagé et n'a pas été modifié. Prévenez le formateur.", path=path)
                data = text.encode("utf-8")
                while data:
                    data = data[os.write(fd, data):]
                os.fsync(fd)
        finally:
            os.close(fd)

    def remember(self, participant: Participant) -> None:
        """Keep the participant for the next notebooks (`identify()` without arguments)."""
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".{REMEMBERED}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(asdict(participant), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.root / REMEMBERED)

    def recall(self) -> Participant | None:
        path = self.root / REMEMBERED
        if not path.is_file():
            return None
        try:
            return Participant(**json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, TypeError):
            raise DataError("participant mémorisé illisible : appelez identify(nom, e-mail, session).",
                            path=path) from None


def as_store(store) -> AnswerStore:
    """An AnswerStore from an AnswerStore, a folder, or None (the default folder)."""
    return store if isinstance(store, AnswerStore) else AnswerStore(store)


_current: Participant | None = None


def identify(name: str | None = None, email: str | None = None, session: str | None = None, *,
             store=None) -> Participant:
    """Identify the participant once: `identify("Marie Dupont", "marie.dupont@exemple.fr", "2025-03-paris")`.

    The participant is remembered in this kernel and in the store, so that later notebooks only call `identify()`.
    """
    global _current
    store = as_store(store)
    if name is None and email is None and session is None:
        participant = _current or store.recall()
        if participant is None:
            raise DataError('aucun participant identifié : exécutez identify("Prénom Nom", "adresse@exemple.fr", '
                            '"identifiant de session") une fois.')
        return participant
    _current = Participant(name, email, session)
    store.remember(_current)
    return _current
