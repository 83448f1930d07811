"""Mass import of sessions: the template, step 1 (summary, errors by line and column), step 2 (all or nothing)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pixcertif.core.errors import DomainError
from pixcertif.core.models import AuditEvent
from sessions_app import mass_import
from sessions_app.models import Candidate, Session, SessionImport
from sessions_app.services.mass_import import session_import_finalise, session_import_stage
from tests.factories import CandidateFactory, CenterFactory, MembershipFactory, SessionFactory, UserFactory
from tests.pixcertif.test_imports import rezipped
from tests.sessions_app.document_helpers import ods_rows
from tests.sessions_app.ods_helpers import Formula, make_ods

HEADER = [c.header for c in mass_import.COLUMNS]
KEYS = [c.key for c in mass_import.COLUMNS]
DAY = (timezone.localdate() + dt.timedelta(days=10)).strftime("%d/%m/%Y")


def line(**values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "address": "Site A",
        "room": "Salle 1",
        "date": DAY,
        "time": "09:00",
        "examiner": "Camille Martin",
        "last_name": "Durand",
        "first_name": "Élodie",
        "sex": "F",
        "birth_date": "12/04/1988",
        "birth_country": "FRANCE",
        "birth_insee_code": "69123",
        "billing_mode": "Gratuite",
    }
    row.update(values)
    return row


def session_only(**values: object) -> dict[str, object]:
    keys = ("number", "address", "room", "date", "time", "examiner", "description")
    return {k: v for k, v in line(**values).items() if k in keys}


def csv_file(*rows: dict[str, object], header: list[str] | None = None, encoding: str = "utf-8") -> bytes:
    lines = [";".join(header or HEADER)]
    lines += [";".join(str(row.get(k, "")) for k in KEYS) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def ods_file(*rows: dict[str, object]) -> bytes:
    return make_ods([HEADER] + [[row.get(k, "") for k in KEYS] for row in rows])


def seventy_two_candidates() -> list[dict[str, object]]:
    """5 sessions, one without candidate, 72 candidates."""
    rows = []
    for s in range(4):
        for c in range(18):
            rows.append(line(room=f"Salle {s}", last_name=f"Nom{s}x{c}", birth_date=f"{1 + c:02d}/03/1990"))
    rows.append(session_only(room="Salle vide"))
    return rows


@pytest.fixture
def pro_admin(pro_admin_user):
    return pro_admin_user


@pytest.fixture
def pro_client(client, pro_admin_user):
    client.force_login(pro_admin_user)
    return client


def check(client, content: bytes, name: str = "sessions.csv", content_type: str = "text/csv"):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(reverse("sessions_app:mass_import_check"), {"file": upload})


def errors_of(content: bytes, center) -> list[str]:
    return [str(e) for e in mass_import.validate_file(content, center=center).errors]


# ---------------------------------------------------------------- template


def test_the_csv_template_has_every_column_and_validates_as_it_is(pro_client, pro_center):
    response = pro_client.get(reverse("sessions_app:mass_import_template_csv"))
    assert response["Content-Disposition"] == 'attachment; filename="modele-import-sessions.csv"'
    assert response.content.decode("utf-8-sig").splitlines()[0].split(";") == HEADER
    validation = mass_import.validate_file(response.content, center=pro_center)
    assert validation.is_valid, validation.errors
    assert (validation.session_count, validation.empty_session_count, validation.candidate_count) == (2, 1, 1)


def test_the_ods_template_validates_as_it_is(pro_client, pro_center):
    response = pro_client.get(reverse("sessions_app:mass_import_template_ods"))
    assert ods_rows(response.content)[0] == HEADER
    assert mass_import.validate_file(response.content, center=pro_center).is_valid


# ---------------------------------------------------------------- step 1


def test_step_one_shows_the_summary_and_creates_nothing(pro_client, pro_center):
    response = check(pro_client, csv_file(*seventy_two_candidates()))
    assert response.status_code == 302
    staged = SessionImport.objects.get()
    page = pro_client.get(response["Location"]).content.decode()
    assert "5 sessions dont 1 sans candidat · 72 candidats" in page
    assert "Finaliser l&#x27;import" in page or "Finaliser l'import" in page
    assert not Session.objects.exists() and not Candidate.objects.exists()
    assert (staged.center, staged.session_count, staged.candidate_count) == (pro_center, 5, 72)


def test_the_summary_reads_well_for_one_session():
    assert mass_import.summary(sessions=1, empty=0, candidates=1) == "1 session · 1 candidat"


def test_an_ods_file_is_read_like_a_csv(pro_center):
    validation = mass_import.validate_file(ods_file(line(), line(last_name="Martin")), center=pro_center)
    assert validation.is_valid, validation.errors
    assert validation.candidate_count == 2


def test_every_error_is_given_by_line_and_column_in_french(pro_center):
    content = csv_file(
        line(),
        line(last_name="", examiner=""),
        line(date="01/01/2020", last_name="Martin"),
        line(time="25:00", last_name="Petit", billing_mode="Prépayée"),
        line(last_name="Durand"),
    )
    assert errors_of(content, pro_center) == [
        "Ligne 3, colonne F « Surveillant(s) » : cette case est obligatoire.",
        "Ligne 3, colonne H « Nom de naissance » : cette case est obligatoire.",
        "Ligne 4, colonne D « Date de début (jj/mm/aaaa) » : une session ne peut pas être programmée dans le passé.",
        "Ligne 5, colonne E « Heure de début (hh:mm) » : « 25:00 » n'est pas une heure valide "
        "(format attendu : hh:mm).",
        "Ligne 5, colonne V « Code de prépaiement » : Le code de prépaiement est obligatoire pour une tarification "
        "« Prépayée ».",
        "Ligne 6 : même nom de naissance, prénom et date de naissance que la ligne 2 dans la même session.",
    ]


def test_the_same_candidate_in_two_sessions_is_fine(pro_center):
    assert mass_import.validate_file(csv_file(line(), line(room="Salle 2")), center=pro_center).is_valid


def test_lines_of_one_session_with_different_invigilators_are_refused(pro_center):
    content = csv_file(line(), line(last_name="Martin", examiner="Autre"))
    assert errors_of(content, pro_center) == [
        "Ligne 3 : les informations de la session diffèrent de celles de la ligne 2 (même session : mêmes "
        "surveillants et observations attendus)."
    ]


def test_a_session_number_of_another_centre_is_unknown_here(pro_center):
    other = SessionFactory(center=CenterFactory(type="PRO"))
    assert errors_of(
        csv_file(session_only(number=other.pk, address="", room="", date="", time="", examiner="")), pro_center
    ) == [
        f"Ligne 2, colonne « Numéro de session préexistante » : la session {other.pk} n'existe pas dans votre centre."
    ]


def test_a_started_session_cannot_be_filled(pro_center):
    started = SessionFactory(center=pro_center, started_at=timezone.now())
    content = csv_file(line(number=started.pk, address="", room="", date="", time="", examiner=""))
    assert errors_of(content, pro_center) == [
        f"Ligne 2, colonne « Numéro de session préexistante » : la session {started.pk} a déjà débuté : ses "
        "candidats ne peuvent plus être modifiés."
    ]


def test_a_candidate_already_in_the_existing_session_is_refused(pro_center):
    existing = SessionFactory(center=pro_center)
    CandidateFactory(session=existing, last_name="DURAND", first_name="elodie", birth_date=dt.date(1988, 4, 12))
    content = csv_file(line(number=existing.pk, address="", room="", date="", time="", examiner=""))
    assert errors_of(content, pro_center) == [f"Ligne 2 : ce candidat est déjà inscrit à la session {existing.pk}."]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Le fichier est vide."),
        (csv_file(), "ne contient que l'en-tête"),
        (
            "\n".join(
                [";".join(HEADER)]
                + [";".join(str(line(last_name=f"N{i}").get(k, "")) for k in KEYS) for i in range(10_001)]
            ).encode(),
            "plus de 10 000 lignes : la limite est de 10 000 lignes",
        ),
        ("Nom du site;Salle\r\n".encode("utf-16"), "L'encodage du fichier n'est pas reconnu"),
    ],
    ids=["empty", "only-headers", "10001-lines", "utf-16"],
)
def test_a_file_that_cannot_be_imported_says_why(pro_center, content, message):
    with pytest.raises(mass_import.ImportFileError, match=message):
        mass_import.validate_file(content, center=pro_center)


def test_an_xlsx_renamed_csv_is_refused(pro_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    response = check(pro_client, buffer.getvalue())
    assert response.status_code == 400
    assert "classeur Excel (.xlsx)" in response.content.decode()
    assert not SessionImport.objects.exists()


def test_a_windows_1252_file_is_read(pro_center):
    validation = mass_import.validate_file(csv_file(line(first_name="Hélène"), encoding="cp1252"), center=pro_center)
    assert validation.is_valid, validation.errors
    assert validation.sessions[0]["candidates"][0]["first_name"] == "Hélène"


def test_formula_cells_are_refused_in_csv_and_ods(pro_center):
    assert errors_of(csv_file(line(last_name="=HYPERLINK(1)")), pro_center) == [
        "Ligne 2, colonne H « Nom de naissance » : les formules ne sont pas acceptées : saisissez la valeur."
    ]
    rows = [HEADER, [Formula("of:=1+1", "2") if k == "room" else line().get(k, "") for k in KEYS]]
    assert errors_of(make_ods(rows), pro_center) == [
        "Ligne 2, colonne C « Nom de la salle » : les formules ne sont pas acceptées : saisissez la valeur."
    ]


def test_control_characters_are_refused(pro_center):
    assert errors_of(csv_file(line(room="Salle\x071")), pro_center) == [
        "Ligne 2, colonne C « Nom de la salle » : caractère de contrôle interdit (U+0007) : retapez cette valeur "
        "ou enregistrez le fichier à nouveau."
    ]


def test_a_control_character_in_an_ods_cell_is_refused_by_line_and_column(pro_center):
    errors = errors_of(rezipped(ods_file(line(last_name="DuXrand")), b"DuXrand", b"Du\x00rand"), pro_center)
    assert errors == [
        "Ligne 2, colonne H « Nom de naissance » : caractère de contrôle interdit (U+0000) : retapez cette valeur "
        "ou enregistrez le fichier à nouveau."
    ]


def test_a_file_with_errors_shows_them_and_stages_nothing(pro_client):
    response = check(pro_client, csv_file(line(), line(last_name="")))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Le fichier contient 1 erreur : rien n&#x27;a été importé." in page
    assert "Ligne 3, colonne H « Nom de naissance » : cette case est obligatoire." in page
    assert not SessionImport.objects.exists()


def test_a_school_has_no_mass_import(center_admin_client):
    assert center_admin_client.get(reverse("sessions_app:mass_import")).status_code == 404
    assert check(center_admin_client, csv_file(line())).status_code == 404


# ---------------------------------------------------------------- step 2


def stage(center, user, *rows) -> SessionImport:
    validation = mass_import.validate_file(csv_file(*rows), center=center)
    assert validation.is_valid, validation.errors
    return session_import_stage(center=center, by=user, filename="s.csv", validation=validation)


def test_finalising_creates_every_session_and_candidate(pro_client, pro_center, pro_admin):
    staged = stage(pro_center, pro_admin, *seventy_two_candidates())
    response = pro_client.post(reverse("sessions_app:mass_import_finalise", args=[staged.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("sessions_app:list")
    assert Session.objects.filter(center=pro_center).count() == 5
    assert Candidate.objects.filter(session__center=pro_center).count() == 72
    assert Session.objects.get(room="Salle vide").candidates.count() == 0
    assert AuditEvent.objects.filter(action="session.mass_import").count() == 1
    page = pro_client.get(response["Location"]).content.decode()
    assert "Import terminé : 5 sessions dont 1 sans candidat · 72 candidats." in page


def test_finalising_twice_imports_once(pro_center, pro_admin):
    staged = stage(pro_center, pro_admin, line())
    first = session_import_finalise(staged=staged, by=pro_admin)
    assert session_import_finalise(staged=staged, by=pro_admin) == first
    assert Session.objects.count() == 1 and Candidate.objects.count() == 1


def test_an_existing_session_is_filled_and_changed(pro_center, pro_admin):
    existing = SessionFactory(center=pro_center, room="Ancienne salle")
    CandidateFactory(session=existing, last_name="Déjà", first_name="Là")
    staged = stage(pro_center, pro_admin, line(number=existing.pk, room="Nouvelle salle"))
    session_import_finalise(staged=staged, by=pro_admin)
    existing.refresh_from_db()
    assert existing.room == "Nouvelle salle"
    assert sorted(existing.candidates.values_list("last_name", flat=True)) == ["Durand", "Déjà"]


def test_nothing_is_written_when_one_session_started_meanwhile(pro_center, pro_admin):
    existing = SessionFactory(center=pro_center)
    staged = stage(
        pro_center, pro_admin, line(), line(number=existing.pk, address="", room="", date="", time="", examiner="")
    )
    Session.objects.filter(pk=existing.pk).update(started_at=timezone.now())
    with pytest.raises(DomainError) as error:
        session_import_finalise(staged=staged, by=pro_admin)
    assert error.value.code == "session_started"
    assert Session.objects.count() == 1 and not Candidate.objects.exists()
    staged.refresh_from_db()
    assert staged.imported_at is None


def test_an_expired_import_is_refused(pro_center, pro_admin):
    staged = stage(pro_center, pro_admin, line())
    with time_machine.travel(timezone.now() + dt.timedelta(hours=3)), pytest.raises(DomainError) as error:
        session_import_finalise(staged=staged, by=pro_admin)
    assert error.value.code == "import_expired"
    assert not Session.objects.exists()


def test_another_user_cannot_see_or_finalise_my_import(client, pro_center, pro_admin):
    staged = stage(pro_center, pro_admin, line())
    colleague = UserFactory()
    MembershipFactory(user=colleague, center=pro_center)
    client.force_login(colleague)
    assert client.get(reverse("sessions_app:mass_import_summary", args=[staged.pk])).status_code == 404
    assert client.post(reverse("sessions_app:mass_import_finalise", args=[staged.pk])).status_code == 404
    assert not Session.objects.exists()


def test_the_summary_page_runs_a_constant_number_of_queries(
    pro_client, pro_center, pro_admin, django_assert_max_num_queries
):
    staged = stage(pro_center, pro_admin, *seventy_two_candidates())
    with django_assert_max_num_queries(8):
        assert pro_client.get(reverse("sessions_app:mass_import_summary", args=[staged.pk])).status_code == 200
