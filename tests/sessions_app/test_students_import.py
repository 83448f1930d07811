"""The school roster: CSV reading, the "Élèves" page and its import, `manage.py import_students`."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from sessions_app.models import Student
from sessions_app.students_csv import StudentsFileError, read_students
from tests.factories import ProfileFactory, StudentFactory, UserFactory

HEADER = "Classe;Nom;Prénom;Date de naissance;Commune de naissance;Pays de naissance;INE"
GOOD = [
    "3EME A;Lovelace;Ada;01/01/2011;Paris;France;12345678901",
    "3EME B;Turing;Alan;23/06/2011;Londres;Royaume-Uni;12345678902",
]


def csv_bytes(*lines: str, header: str = HEADER, encoding: str = "utf-8", sep: str = ";") -> bytes:
    text = "\r\n".join([header, *lines]).replace(";", sep)
    return text.encode(encoding)


# ---------------------------------------------------------------- reading


def test_a_valid_file_gives_one_student_per_line():
    result = read_students(csv_bytes(*GOOD))
    assert result.is_valid
    assert [(s.division, s.last_name, s.ine) for s in result.rows] == [
        ("3EME A", "Lovelace", "12345678901"),
        ("3EME B", "Turing", "12345678902"),
    ]


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf" + csv_bytes(*GOOD),
        csv_bytes(*GOOD, encoding="cp1252"),
        csv_bytes(*GOOD, sep=","),
    ],
    ids=["utf8-bom", "windows-1252", "comma"],
)
def test_encodings_and_separators_are_recognised(data):
    result = read_students(data)
    assert result.is_valid, result.errors
    assert result.rows[0].first_name == "Ada"
    assert result.rows[1].birth_country == "Royaume-Uni"


def test_reordered_columns_are_read_by_their_headers():
    data = csv_bytes("12345678901;Ada;Lovelace;3EME A;01/01/2011", header="INE;Prénom;Nom;Classe;Date de naissance")
    result = read_students(data)
    assert result.is_valid, result.errors
    assert (result.rows[0].last_name, result.rows[0].birth_city) == ("Lovelace", "")


def test_every_wrong_line_is_listed_by_line_in_french():
    data = csv_bytes(
        GOOD[0],
        "3EME A;;Ada;01/01/2011;Paris;France;12345678903",
        "3EME A;Hopper;Grace;31/02/2011;Paris;France;12345678904",
        "3EME A;Hamilton;Margaret;01/01/2011;Paris;France;123",
        "3EME A;Lovelace;Ada;01/01/2011;Paris;France;12345678901",
    )
    assert read_students(data).errors == [
        "Ligne 3, colonne « Nom » : cette case est obligatoire.",
        "Ligne 4, colonne « Date de naissance » : « 31/02/2011 » n'est pas une date valide "
        "(format attendu : jj/mm/aaaa).",
        "Ligne 5 : l'INE « 123 » doit comporter 11 caractères (chiffres et lettres).",
        "Ligne 6 : l'INE « 12345678901 » figure déjà ligne 2.",
    ]


def test_an_unknown_column_is_an_error():
    data = csv_bytes(GOOD[0] + ";x", header=HEADER + ";Pointure")
    assert read_students(data).errors == ["Ligne 1 : colonne inconnue « Pointure »."]


def test_a_missing_required_column_is_an_error():
    assert read_students(csv_bytes("Ada", header="Prénom")).errors == [
        "Ligne 1 : la colonne obligatoire « Classe » est absente.",
        "Ligne 1 : la colonne obligatoire « Nom » est absente.",
        "Ligne 1 : la colonne obligatoire « Date de naissance » est absente.",
        "Ligne 1 : la colonne obligatoire « INE » est absente.",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "Le fichier est vide."), (b"\r\n \r\n", "Le fichier est vide."), (csv_bytes(), "aucun élève")],
    ids=["empty", "blank", "header-only"],
)
def test_an_unusable_file_is_refused(data, message):
    with pytest.raises(StudentsFileError, match=message):
        read_students(data)


# ---------------------------------------------------------------- the "Élèves" page


def upload(data: bytes, name: str = "eleves.csv", content_type: str = "text/csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_the_roster_lists_and_filters_the_students(center_admin_client, center):
    user = UserFactory()
    ProfileFactory(user=user)
    StudentFactory(center=center, division="3EME A", last_name="Alpha", user=user)
    StudentFactory(center=center, division="3EME B", last_name="Beta")
    html = center_admin_client.get("/eleves").content.decode()
    assert "Liste des élèves (2)" in html
    assert "Certifiable" in html and "Profil inconnu" in html
    filtered = center_admin_client.get("/eleves", {"classe": "3EME B"}).content.decode()
    assert "BETA" in filtered and "ALPHA" not in filtered


def test_the_menu_shows_the_roster_to_school_admins(center_admin_client):
    assert 'href="/eleves"' in center_admin_client.get("/sessions/liste").content.decode()


def test_the_menu_hides_the_roster_from_other_centres(client, pro_admin_user):
    client.force_login(pro_admin_user)
    assert 'href="/eleves"' not in client.get("/sessions/liste").content.decode()


def test_the_roster_runs_a_constant_number_of_queries(center_admin_client, center, django_assert_max_num_queries):
    StudentFactory.create_batch(40, center=center)
    with django_assert_max_num_queries(10):
        assert center_admin_client.get("/eleves").status_code == 200


def test_importing_a_valid_file_creates_the_students(center_admin_client, center):
    response = center_admin_client.post("/eleves/import", {"file": upload(csv_bytes(*GOOD))}, follow=True)
    assert "2 élève(s) ajouté(s), 0 élève(s) mis à jour" in response.content.decode()
    assert Student.objects.filter(center=center).count() == 2


def test_a_reimport_updates_students_by_ine(center_admin_client, center):
    center_admin_client.post("/eleves/import", {"file": upload(csv_bytes(*GOOD))})
    moved = GOOD[0].replace("3EME A", "3EME C")
    response = center_admin_client.post("/eleves/import", {"file": upload(csv_bytes(moved, GOOD[1]))}, follow=True)
    assert "0 élève(s) ajouté(s), 1 élève(s) mis à jour" in response.content.decode()
    assert Student.objects.get(ine="12345678901").division == "3EME C"
    assert Student.objects.count() == 2


def test_a_file_with_one_wrong_line_writes_nothing(center_admin_client, center):
    data = csv_bytes(GOOD[0], "3EME A;Turing;Alan;pas une date;;;12345678902")
    response = center_admin_client.post("/eleves/import", {"file": upload(data)})
    assert response.status_code == 400
    html = response.content.decode().replace("&#x27;", "'")
    assert "aucun élève n'a été importé" in html
    assert "Ligne 3, colonne « Date de naissance »" in html
    assert not Student.objects.exists()


@pytest.mark.parametrize(
    ("name", "content_type", "data", "message"),
    [
        ("eleves.ods", "text/csv", csv_bytes(*GOOD), "extension .csv"),
        ("eleves.csv", "image/png", csv_bytes(*GOOD), "ne correspond pas à un fichier CSV"),
        ("eleves.csv", "text/csv", b"", "Le fichier est vide"),
        ("eleves.csv", "text/csv", b"x" * (5 * 1024 * 1024), "taille maximale est de 2 Mo"),
    ],
    ids=["extension", "content-type", "empty", "5MB"],
)
def test_a_bad_file_is_refused_with_a_clear_message(center_admin_client, name, content_type, data, message):
    response = center_admin_client.post("/eleves/import", {"file": upload(data, name, content_type)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Student.objects.exists()


def test_a_member_cannot_import_students(center_member_client):
    response = center_member_client.post("/eleves/import", {"file": upload(csv_bytes(*GOOD))})
    assert response.status_code == 403
    assert not Student.objects.exists()


# ---------------------------------------------------------------- manage.py import_students


def test_the_command_imports_a_file(tmp_path, center):
    path = tmp_path / "eleves.csv"
    path.write_bytes(csv_bytes(*GOOD, encoding="cp1252"))
    out = io.StringIO()
    call_command("import_students", "--center", str(center.pk), str(path), stdout=out)
    assert "2 élève(s) ajouté(s)" in out.getvalue()
    assert Student.objects.filter(center=center).count() == 2


def test_the_command_lists_the_errors_and_writes_nothing(tmp_path, center):
    path = tmp_path / "eleves.csv"
    path.write_bytes(csv_bytes(GOOD[0], "3EME A;;Alan;01/01/2011;;;12345678902"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 erreur"):
        call_command("import_students", "--center", str(center.pk), str(path), stderr=err)
    assert "Ligne 3, colonne « Nom »" in err.getvalue()
    assert not Student.objects.exists()


def test_the_command_refuses_an_unknown_centre(tmp_path, db):
    path = tmp_path / "eleves.csv"
    path.write_bytes(csv_bytes(*GOOD))
    with pytest.raises(CommandError, match="Aucun centre"):
        call_command("import_students", "--center", "999999", str(path))
