"""The whole chain (`casekit reports`) on the small session of `reports_helpers`: content, hostile names,
offline HTML, failure isolation, and one PDF (skipped without Chromium)."""

import contextlib
import html
import io
import re
from pathlib import Path

import pytest

from casekit.chromium import find_chromium
from casekit.cli import main
from casekit.reports.run import REMOTE_RE, to_pdf
from reports_helpers import X, write_session


def run_reports(session: Path, out: Path, *extra) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["reports", "--session", str(session), "--out", str(out), "--no-pdf", "--workers", "2",
                     "--quiet", "--timeout", "120", *extra])
    return code, stdout.getvalue(), stderr.getvalue()


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    root = tmp_path_factory.mktemp("chain")
    session = write_session(root / "session")
    code, out, err = run_reports(session, root / "sortie")
    return {"root": root, "out": root / "sortie", "code": code, "stdout": out, "stderr": err}


def text(path: Path) -> str:
    """The page's text: tags removed, then entities decoded (names are escaped in the HTML)."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))


def test_every_report_is_written(chain):
    assert chain["code"] == 0, chain["stderr"]
    assert "3 rapport(s) de participant écrit(s) sur 3" in chain["stdout"]
    assert "synthèse de la classe : écrite" in chain["stdout"]
    out = chain["out"]
    assert sorted(p.name for p in out.iterdir()) == ["dupont-durand", "index.html", "synthese_classe.html",
                                                     "x", "zoe-n-diaye"]
    for folder in ("dupont-durand", "x", "zoe-n-diaye"):
        assert sorted(p.name for p in (out / folder).iterdir()) == ["attestation.html", "rapport.html"]


def test_hostile_names_stay_inside_the_output_folder(chain):
    """« ../x » and « Dupont / Durand » give the folders x and dupont-durand; nothing is written elsewhere."""
    root, out = chain["root"], chain["out"].resolve()
    assert sorted(p.name for p in root.iterdir()) == ["session", "sortie"]
    assert not (root / "x").exists() and not (root.parent / "x").exists()
    for path in out.rglob("*"):
        assert path.resolve().is_relative_to(out)
    index = text(out / "index.html")
    for name in ("Zoé N'Diaye", "../x", "Dupont / Durand"):
        assert name in index
    links = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="x/rapport.html"' in links and 'href="dupont-durand/attestation.html"' in links


def test_participant_report_content(chain):
    out = chain["out"]
    zoe = text(out / "zoe-n-diaye" / "rapport.html")
    assert "Rapport individuel de formation" in zoe and "Zoé N'Diaye" in zoe
    assert "Transports Vidal & Fils" in zoe
    assert "Note finale : 20,0/20" in zoe and "Évaluation réussie" in zoe
    assert "Aucune question manquée" in zoe
    x = text(out / "x" / "rapport.html")
    # module 02: 5 right of 10 → 10,0/20 « Réussi »; final handed in blank → 0,0/20, « Non admis »
    assert "attestation page-break" in (out / "x" / "rapport.html").read_text(encoding="utf-8")
    assert "10,0/20" in x and "Réussi" in x and "Note finale : 0,0/20" in x and "Non admis" in x
    assert "Les fiches pratiques à relire en priorité" in x and "Calcul du DSO (fiches/dso.md)" in x
    assert "Société <b>X</b>" in x                      # shown as text: the markup was escaped in the HTML
    dupont = text(out / "dupont-durand" / "rapport.html")
    assert "Évaluation finale non remise" in dupont
    for page in (zoe, x, dupont):                       # the attestation closes the report, on a new page
        assert "ATTESTATION INDIVIDUELLE DE FORMATION" in page
        assert "participant_report(" not in page and "import " not in page   # no code
        assert "data:image/png;base64," in page           # charts embedded


def test_attestation_page(chain):
    page = text(chain["out"] / "x" / "attestation.html")
    for expected in ("ATTESTATION INDIVIDUELLE DE FORMATION", "../x", "7 heures (1 jour)", "le 15/12/2025",
                     "Formation Test (fictif)", "11 75 00000 75", "Management du poste crédit clients",
                     "Évaluation finale des acquis (QCM/QCU) : 0,0/20 (seuil de réussite 10,0/20) : "
                     "acquis non validés"):
        assert expected in page, expected


def test_class_summary_page(chain):
    page = text(chain["out"] / "synthese_classe.html")
    assert "Synthèse de la classe" in page
    for expected in ("Zoé N'Diaye", "../x", "Dupont / Durand", "Copie non remise", "Admis", "Non admis",
                     "2 copies remises, 1 non remise"):
        assert expected in page, expected


def test_pages_open_offline(chain):
    for path in chain["out"].rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        assert REMOTE_RE.search(page) is None, path
        assert "<script src" not in page and "<link" not in page, path   # styles inline, no script file


def test_one_damaged_answer_file_fails_alone(tmp_path):
    session = write_session(tmp_path / "session")
    damaged = next((session / "reponses").rglob("x-exemple-fr-*.jsonl"))
    with open(damaged, "a", encoding="utf-8") as f:
        f.write('{"type": "answer", "incomplet\n')
    lines = damaged.read_text(encoding="utf-8").count("\n")
    code, stdout, stderr = run_reports(session, tmp_path / "sortie")
    assert code == 1
    assert f"Échec : ../x — Fichier « {damaged} », ligne {lines} : ligne de réponses illisible" in stderr
    assert "2 rapport(s) de participant écrit(s) sur 3" in stdout
    assert "synthèse de la classe : écrite" in stdout
    out = tmp_path / "sortie"
    assert (out / "zoe-n-diaye" / "rapport.html").is_file()
    assert (out / "dupont-durand" / "rapport.html").is_file()
    assert not (out / "x" / "rapport.html").exists()
    assert "échec : Fichier" in text(out / "index.html")
    assert X in text(out / "synthese_classe.html")      # named among the files left out of the class summary


@pytest.mark.skipif(find_chromium() is None, reason="Chromium absent : pas de PDF")
def test_pdf_with_chromium(chain, tmp_path):
    source = chain["out"] / "zoe-n-diaye" / "attestation.html"
    copy = tmp_path / "attestation.html"
    copy.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    pdf = to_pdf(copy, find_chromium())
    assert pdf == tmp_path / "attestation.pdf" and pdf.read_bytes().startswith(b"%PDF")
    assert pdf.read_bytes().count(b"/Type /Page\n") + pdf.read_bytes().count(b"/Type/Page") <= 2
    # no Chromium profile left behind
    assert sorted(p.name for p in tmp_path.iterdir()) == ["attestation.html", "attestation.pdf"]


def test_a_kernel_that_fails_to_start_is_retried_once(monkeypatch):
    from casekit.reports import run

    calls = []

    def flaky(*args, **kwargs):
        calls.append(kwargs["kernel_name"])
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return "exécuté"

    monkeypatch.setattr(run.pm, "execute_notebook", flaky)
    assert run.execute("modele.ipynb", {}, timeout=5) == "exécuté" and calls == ["python3", "python3"]


def test_an_error_in_the_notebook_is_not_retried_and_is_said_in_french(monkeypatch):
    from casekit.reports import run

    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        raise run.pm.PapermillExecutionError(3, 2, "code", "DataError", "Fichier « x.jsonl », ligne 4 : …",
                                             [])

    monkeypatch.setattr(run.pm, "execute_notebook", failing)
    with pytest.raises(run.pm.PapermillExecutionError) as error:
        run.execute("modele.ipynb", {}, timeout=5)
    assert calls == [1]
    assert run.error_cause(error.value) == "Fichier « x.jsonl », ligne 4 : …"
    timeout = run.pm.PapermillExecutionError(3, 2, "code", "CellTimeoutError", "…", [])
    assert run.error_cause(timeout, 30) == "délai d'exécution dépassé (30 s par cellule)."
    assert run.error_cause(TimeoutError(), 30) == "délai d'exécution dépassé (30 s par cellule)."


def test_check_offline_refuses_remote_resources():
    from casekit.errors import DataError
    from casekit.reports.run import check_offline

    check_offline('<img src="data:image/png;base64,AAAA"><style>/* https://exemple.fr */</style>')
    for page in ('<script src="https://cdn.exemple.fr/require.js"></script>',
                 "<link rel='stylesheet' href='//fonts.exemple.fr/x.css'>"):
        with pytest.raises(DataError, match="ressource en ligne"):
            check_offline(page)
