"""Answer-key protection for the trainee edition: right answers and explanations are sealed, not in clear.

A protected bank keeps what the trainee must see (prompts, choices, points, skill) and replaces, per question,
`answers`, `explanation` and the per-choice explanations by one `sealed` string: the JSON of those fields, with a
checksum, XOR-ed with a SHA-256 keystream derived from the bank's salt and the question id, in base64.
There is no secret: anyone who reads this module can unseal a bank. The aim is that reading the YAML, the notebook
or the widget state never shows an answer by accident.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import yaml

from casekit.errors import DataError

PROTECTED_FORMAT = "casekit-quiz-protegee/1"
HEADER = ("# Banque de questions protégée, générée par `casekit quiz protect` : les réponses et les explications\n"
          "# sont scellées (champ « sealed »). Ne pas modifier à la main : régénérer depuis la banque en clair.\n")
_CHECK = 8  # bytes of SHA-256 checksum in front of the sealed JSON


def _keystream(key: bytes, size: int) -> bytes:
    blocks = (hashlib.sha256(key + i.to_bytes(8, "big")).digest() for i in range(size // 32 + 1))
    return b"".join(blocks)[:size]


def _xor(data: bytes, salt: str, question_id: str) -> bytes:
    key = hashlib.sha256(f"casekit-quiz|{salt}|{question_id}".encode()).digest()
    return bytes(a ^ b for a, b in zip(data, _keystream(key, len(data))))


def seal(payload: dict, salt: str, question_id: str) -> str:
    """`payload` → an opaque base64 string bound to (`salt`, `question_id`)."""
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    return base64.b64encode(_xor(hashlib.sha256(data).digest()[:_CHECK] + data, salt, question_id)).decode()


def unseal(token: str, salt: str, question_id: str) -> dict:
    """The payload sealed by `seal`; ValueError (French) if the string was altered or moved to another question."""
    try:
        raw = _xor(base64.b64decode(token, validate=True), salt, question_id)
        check, data = raw[:_CHECK], raw[_CHECK:]
        if hashlib.sha256(data).digest()[:_CHECK] != check:
            raise ValueError
        return json.loads(data)
    except (ValueError, TypeError):
        raise ValueError(f"question {question_id} : clé de réponse scellée illisible (fichier modifié ?)") from None


def protect_data(data: dict) -> dict:
    """A clear bank (as read from YAML) → its protected form. Deterministic: same bank, same output."""
    salt = hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]
    questions = []
    for q in data["questions"]:
        secret = {"answers": sorted(q["answers"]), "explanation": q["explanation"],
                  "choices": {c["id"]: c["explanation"] for c in q["choices"] if c.get("explanation")}}
        public = {k: v for k, v in q.items() if k not in ("answers", "explanation", "choices")}
        public["choices"] = [{"id": c["id"], "text": c["text"]} for c in q["choices"]]
        public["sealed"] = seal(secret, salt, q["id"])
        questions.append(public)
    head = {k: v for k, v in data.items() if k != "questions"}
    return {"format": PROTECTED_FORMAT, **head, "salt": salt, "questions": questions}


def unprotect_data(data: dict) -> dict:
    """A protected bank → the clear form, in memory only. ValueError (French) on a damaged file."""
    if not isinstance(data.get("salt"), str) or not isinstance(data.get("questions"), list):
        raise ValueError("banque protégée incomplète (« salt » ou « questions » manquant)")
    questions = []
    for q in data["questions"]:
        if not (isinstance(q, dict) and isinstance(q.get("sealed"), str) and isinstance(q.get("choices"), list)
                and all(isinstance(c, dict) for c in q["choices"])):
            raise ValueError(f"banque protégée : question {q!r} sans « sealed » ou sans « choices »")
        secret = unseal(q["sealed"], data["salt"], str(q.get("id")))
        clear = {k: v for k, v in q.items() if k != "sealed"}
        notes = secret["choices"]
        clear["choices"] = [{**c, "explanation": notes[c.get("id")]} if c.get("id") in notes else c
                            for c in q["choices"]]
        clear.update(answers=secret["answers"], explanation=secret["explanation"])
        questions.append(clear)
    head = {k: v for k, v in data.items() if k not in ("format", "salt", "questions")}
    return {**head, "questions": questions}


def protect_bank(path_in, path_out) -> Path:
    """Write the protected form of the clear bank `path_in` to `path_out`, after checking it against the schema."""
    from casekit.quiz.bank import load_bank  # bank.py imports this module

    path_in, path_out = Path(path_in), Path(path_out)
    if load_bank(path_in).protected:
        raise DataError("banque déjà protégée : partir de la banque en clair.", path=path_in)
    data = protect_data(yaml.safe_load(path_in.read_text(encoding="utf-8")))
    path_out.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
    path_out.write_text(HEADER + text, encoding="utf-8")
    return path_out


def build_protected_banks(out_dir, banks_dir=None) -> list[Path]:
    """Protect every bank of `banks_dir` into `out_dir` (same file names) and copy the skills list.

    `out_dir` then replaces `banks/` in the trainee edition (or is pointed at by `$CASEKIT_BANKS`).
    """
    from casekit.quiz.bank import SKILLS_FILE, default_banks_dir, list_banks

    source = Path(banks_dir) if banks_dir else default_banks_dir()
    out_dir = Path(out_dir)
    paths = [protect_bank(source / f"{name}.yaml", out_dir / f"{name}.yaml") for name in list_banks(source)]
    skills = out_dir / SKILLS_FILE
    skills.write_bytes((source / SKILLS_FILE).read_bytes())
    return paths + [skills]
