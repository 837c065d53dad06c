"""What the reports say: a participant's marks, notions to review, self-assessment, satisfaction, the
attestation, and the class summary, on the small session of `reports_helpers` (marks worked out by hand
there)."""

import json
import math
import re
from pathlib import Path

import pytest

from casekit.quiz.bank import load_banks, load_skills
from casekit.quiz.store import AnswerStore, Participant
from casekit.reports import class_summary, load_session, participant_report
from casekit.reports.attestation import attestation_page, hours_text, result_text
from casekit.reports.classroom import mark_distribution
from casekit.reports.fiches import MODULE_FICHES, fiches_for
from casekit.reports.participant import module_results, notions_to_review, session_banks
from reports_helpers import PEOPLE, write_session

ROOT = Path(__file__).resolve().parents[1]
ZOE, X, DUPONT = (email for _, email, _ in PEOPLE)


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    return load_session(write_session(tmp_path_factory.mktemp("reports") / "session"))


@pytest.fixture(scope="module")
def banks():
    return load_banks()


def test_module_02_is_ten_questions_of_one_point(banks):
    """The hand-computed marks below rely on it: a mark /20 in module 02 is 2 × the points earned."""
    assert [float(q.points) for q in banks["02_valeur_jour_dso"].questions] == [1.0] * 10


def test_marks_and_final_result(session, banks):
    zoe, x, dupont = (participant_report(session, e, banks) for e in (ZOE, X, DUPONT))
    marks = {r.participant.name: dict(zip(r.results["module"], r.results["mark"])) for r in (zoe, x, dupont)}
    assert list(zoe.results["module"]) == ["02_valeur_jour_dso", "10_evaluation_finale"]  # session's modules
    assert marks["Zoé N'Diaye"] == {"02_valeur_jour_dso": 20.0, "10_evaluation_finale": 20.0}  # 10/10, 44/44
    assert marks["../x"] == {"02_valeur_jour_dso": 10.0, "10_evaluation_finale": 0.0}          # 5/10, 0/44
    assert math.isnan(marks["Dupont / Durand"]["02_valeur_jour_dso"])
    assert math.isnan(marks["Dupont / Durand"]["10_evaluation_finale"])                        # not handed in
    assert list(x.results["status"]) == ["Réussi", "Non admis"]      # 10,0 ≥ pass mark 10 ; 0,0 < 10
    assert list(dupont.results["status"]) == ["Pas de réponse", "Copie non remise"]
    assert (zoe.final.final_mark, zoe.final.passed, zoe.final.submitted) == (20.0, True, True)
    assert (x.final.final_mark, x.final.passed) == (0.0, False)
    assert dupont.final.submitted is False and dupont.final.passed is None
    assert x.company == "Société <b>X</b>"


def test_notions_to_review(session, banks):
    zoe, x, dupont = (participant_report(session, e, banks).review for e in (ZOE, X, DUPONT))
    assert zoe.empty and dupont.empty      # all right; nothing answered in 02 and the exam never corrected
    in_02 = x[x["module"] == "02_valeur_jour_dso"]
    assert list(in_02["question"]) == [f"02-q{i:02d}" for i in range(6, 11)]   # q06–q10 answered wrong
    assert set(in_02["status"]) == {"Réponse fausse"}
    final = x[x["module"] == "10_evaluation_finale"]
    assert len(final) == 33 and set(final["status"]) == {"Sans réponse"}   # handed in blank: every question
    q06 = in_02.iloc[0]
    question = banks["02_valeur_jour_dso"].question("02-q06")
    assert q06["right"] == "c) " + next(c.text for c in question.choices if c.id == "c")
    assert q06["given"].startswith("a) ")            # the first wrong choice, as written by the helper
    assert q06["explanation"] == question.explanation
    assert q06["fiches"] == ("Calcul du DSO (fiches/dso.md), Valeur d'un jour de DSO "
                             "(fiches/valeur-jour-dso.md)")


def test_a_partly_right_qcm(tmp_path, banks):
    """02-q08 (QCM, right a, c, d; wrong b): ticking a and c earns 2/3 − 0/1 = 2/3 point; 02-q01 right: 1
    point. Mark = 20 × (1 + 2/3) / 10 = 3,33… → 3,3/20, « À revoir »."""
    store = AnswerStore(tmp_path)
    who = Participant("Anne Test", "anne@exemple.fr", "s")
    for qid, choices in (("02-q01", ["b"]), ("02-q08", ["a", "c"])):
        store.append(who, "answer", module="02_valeur_jour_dso", question=qid, choices=choices,
                     mode="practice", max_attempts=2)
    records = store.records(who)
    chosen = {"02_valeur_jour_dso": banks["02_valeur_jour_dso"]}
    results = module_results(records, chosen, 10)
    assert results["mark"].iloc[0] == 3.3 and results["status"].iloc[0] == "À revoir"
    assert results["points"].iloc[0] == pytest.approx(5 / 3)
    review = notions_to_review(records, chosen)
    assert list(review["question"]) == ["02-q08"] and review["status"].iloc[0] == "Partiellement juste"


def test_self_assessment_and_satisfaction(session, banks):
    zoe = participant_report(session, ZOE, banks)
    assert zoe.skills[["skill", "before", "after", "gain"]].values.tolist() == [["M2", 2, 4, 2]]
    assert (zoe.satisfaction.overall, zoe.satisfaction.comment) == (5, "Très utile")
    assert zoe.usefulness[["module", "score"]].values.tolist() == [["02_valeur_jour_dso", 4]]
    x = participant_report(session, X, banks)
    assert x.skills.empty and not x.satisfaction.sent


def test_fiches_are_those_the_notebooks_link():
    """Each module's fiches are exactly the `../fiches/<slug>.md` links of its notebook."""
    for module, fiches in MODULE_FICHES.items():
        notebook = json.loads((ROOT / "notebooks" / f"{module}.ipynb").read_text(encoding="utf-8"))
        text = "".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")
        assert set(re.findall(r"\]\(\.\./fiches/([a-z-]+)\.md\)", text)) == set(fiches), module
    assert fiches_for("10_evaluation_finale", "E5") == MODULE_FICHES["08_affacturage"]   # final: by skill
    skills = {s.id for s in load_skills()}
    assert all(fiches_for("10_evaluation_finale", s) for s in skills)


def test_attestation_texts(session, banks):
    assert hours_text(21, 3) == "21 heures (3 jours)"
    assert hours_text(7, 1) == "7 heures (1 jour)"
    assert hours_text(3.5, 0.5) == "3,5 heures (0,5 jour)"
    zoe = participant_report(session, ZOE, banks)
    assert result_text(zoe.final) == ("Évaluation finale des acquis (QCM/QCU) : 20,0/20 (seuil de réussite "
                                      "10,0/20) : acquis validés. Quiz de module : 1 réalisé, note moyenne "
                                      "20,0/20.")
    dupont = participant_report(session, DUPONT, banks)
    assert result_text(dupont.final) == "Évaluation finale des acquis non remise : résultat non disponible."
    titles = list(zoe.followed["title"])
    page = attestation_page(zoe.info, zoe.participant.name, zoe.company, zoe.final, titles)
    for text in ("ATTESTATION INDIVIDUELLE DE FORMATION", "Article L6353-1 du Code du travail",
                 "Zoé N&#x27;Diaye", "Transports Vidal &amp; Fils", "Formation Test (fictif)",
                 "11 75 00000 75", "le 15/12/2025", "7 heures (1 jour)", "Management du poste crédit clients",
                 "Module 2 – Valeur d&#x27;un jour de DSO", "Acquérir toutes les clefs", "20,0/20",
                 "Paris (75)"):
        assert text in page, text
    x = participant_report(session, X, banks)
    hostile = attestation_page(x.info, x.participant.name, x.company, x.final, [])
    assert "<b>X</b>" not in hostile and "Société &lt;b&gt;X&lt;/b&gt;" in hostile   # escaped, not markup


def test_mark_distribution_by_hand():
    """Bands [0,4[ [4,8[ [8,10[ [10,12[ … [18,20]: 0 → first, 4 → second, 9.9 → third, 10 → fourth, 20 → last;
    a missing mark (paper not handed in) is not counted."""
    table = mark_distribution(__import__("pandas").Series([0, 4, 9.9, 10, 20, float("nan")]))
    assert table["count"].tolist() == [1, 1, 1, 1, 0, 0, 0, 1]
    assert table["band"].iloc[-1] == "18 à 20 inclus"


def test_class_summary(session, banks):
    summary = class_summary(session, banks)
    table = summary.table
    assert table["final"].tolist()[:2] == [20.0, 0.0] and math.isnan(table["final"].iloc[2])
    assert table["result"].tolist() == ["Admis", "Non admis", "Copie non remise"]
    assert table["02_valeur_jour_dso"].tolist()[:2] == [20.0, 10.0]
    assert summary.distribution["count"].sum() == 2                  # two papers handed in
    assert summary.satisfaction.respondents == 1 and summary.satisfaction.overall_mean == 5.0
    usefulness = summary.satisfaction.usefulness
    assert usefulness[["module", "mean"]].values.tolist() == [["02_valeur_jour_dso", 4.0]]
    assert summary.skills[["skill", "before", "after", "gain"]].values.tolist() == [["M2", 2.0, 4.0, 2.0]]
    items = summary.items.set_index("question")
    # 02-q06: Zoé right, x wrong, Dupont did not answer → 2 respondents, 1 right: 50 %
    assert (items.loc["02-q06", "respondents"], items.loc["02-q06", "share_right"]) == (2, 0.5)
    assert summary.errors == {}


def test_class_summary_leaves_out_a_damaged_file(tmp_path, banks):
    folder = write_session(tmp_path / "session")
    session = load_session(folder)
    path = session.store.path(session.participant(X))
    with open(path, "a", encoding="utf-8") as f:
        f.write("{pas du json\n")
    summary = class_summary(session, banks)
    assert list(summary.errors) == [X] and "ligne de réponses illisible" in summary.errors[X]
    assert summary.table["name"].tolist() == ["Zoé N'Diaye", "Dupont / Durand"]


def test_session_banks_are_the_modules_followed_and_the_final(session, banks):
    assert list(session_banks(session.info, banks)) == ["02_valeur_jour_dso", "10_evaluation_finale"]
