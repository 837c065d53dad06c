"""Loading a session folder: French errors for every kind of bad input; safe output folder names."""

import pytest

from casekit.errors import DataError
from casekit.reports.batch import inside, participant_folders
from casekit.reports.session import load_session, read_roster
from reports_helpers import write_session


@pytest.fixture
def session_dir(tmp_path):
    return write_session(tmp_path / "session")


def test_a_good_session_loads(session_dir):
    session = load_session(session_dir)
    assert session.info.session == "2025-12 Test"
    # start is written JJ/MM/AAAA, end AAAA-MM-JJ
    assert str(session.info.start.date()) == "2025-12-15" == str(session.info.end.date())
    assert session.info.modules == ("02_valeur_jour_dso",)
    assert session.info.duration_hours == 7 and session.info.organisation.nda == "11 75 00000 75"
    assert list(session.roster["name"]) == ["Zoé N'Diaye", "../x", "Dupont / Durand"]  # `,`, quotes
    assert session.participant("ZOE.NDIAYE@exemple.fr ").name == "Zoé N'Diaye"
    assert session.info.objectives == ("Acquérir toutes les clefs nécessaires au management du poste crédit "
                                       "clients de l'entreprise",)


@pytest.mark.parametrize("old, new, message", [
    ("end: 2025-12-15", "end: 2025-13-45", "date invalide pour « end » : « 2025-13-45 »"),
    ("end: 2025-12-15", "end: 2025-12-14",
     "la date de fin (14/12/2025) précède la date de début (15/12/2025)"),
    ("duration_hours: 7\n", "", "clé(s) manquante(s) : duration_hours"),
    ("duration_days: 1", "duration_days: zéro", "« duration_days » doit être un nombre positif"),
    ("pass_mark: 10", "pass_mark: 25", "« pass_mark » doit être une note entre 0 et 20"),
    ("modules: [02_valeur_jour_dso]", "modules: [02_dso, 10_evaluation_finale]",
     "module(s) inconnu(s) : 02_dso, 10_evaluation_finale"),
    ('organisation: {name: "Formation Test (fictif)", nda: "11 75 00000 75"}',
     'organisation: {name: "Formation Test (fictif)"}', "« nda » doit être un texte non vide"),
    ("session: ", "session: [", "YAML illisible"),
])
def test_session_yaml_errors_are_french(session_dir, old, new, message):
    path = session_dir / "session.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    with pytest.raises(DataError) as error:
        load_session(session_dir)
    assert message in str(error.value)
    assert "session.yaml" in str(error.value)


@pytest.mark.parametrize("text, message", [
    ("nom;entreprise\nA;B\n", "colonne(s) manquante(s) : e-mail"),
    ("nom;e-mail;entreprise\nA;a@exemple.fr;X\nB;A@Exemple.fr;Y\n",
     "ligne 3, colonne « e-mail » : adresse e-mail en double : « a@exemple.fr »"),
    ("nom;e-mail;entreprise\nA;pas-une-adresse;X\n", "ligne 2, colonne « e-mail » : adresse e-mail invalide"),
    ("nom;e-mail;entreprise\n;a@exemple.fr;X\n", "ligne 2, colonne « nom » : nom du participant vide"),
    ("nom;e-mail;entreprise\n", "aucun participant dans la liste"),
])
def test_roster_errors_are_french(tmp_path, text, message):
    path = tmp_path / "participants.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as error:
        read_roster(path)
    assert message in str(error.value)


def test_missing_files_are_named(session_dir, tmp_path):
    with pytest.raises(DataError, match="dossier de session introuvable"):
        load_session(tmp_path / "absent")
    (session_dir / "participants.csv").unlink()
    with pytest.raises(DataError, match=r"participants\.csv.*liste des participants introuvable"):
        load_session(session_dir)
    (session_dir / "session.yaml").unlink()
    with pytest.raises(DataError, match="fichier de session introuvable"):
        load_session(session_dir)


def test_missing_answers_folder(session_dir):
    import shutil

    shutil.rmtree(session_dir / "reponses")
    with pytest.raises(DataError, match="dossier des réponses introuvable"):
        load_session(session_dir)


def test_participant_folders_are_safe_and_distinct():
    names = ["../x", "x", "Dupont / Durand", "Zoé N'Diaye", "..", "/etc/passwd", 'Jean "Jo" Martin',
             "synthese classe", "Zoé N’Diaye"]
    folders = participant_folders(names)
    assert folders == ["x", "x-2", "dupont-durand", "zoe-n-diaye", "participant-5", "etc-passwd",
                       "jean-jo-martin", "synthese-classe", "zoe-ndiaye"]
    assert len(set(folders)) == len(folders)


def test_inside_refuses_paths_leaving_the_output_folder(tmp_path):
    assert inside(tmp_path, "zoe") == (tmp_path / "zoe").resolve()
    for bad in ("../evil", "/etc", "a/../../b", ".", ""):
        with pytest.raises(DataError, match="sortirait du dossier de sortie"):
            inside(tmp_path, bad)
