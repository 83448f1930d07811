"""The candidate list, manual entry, editing, deleting and the ODS round-trip (views)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sessions_app.models import Candidate
from tests.factories import CandidateFactory, SessionFactory, StudentFactory, UserFactory
from tests.sessions_app.ods_helpers import candidates_ods, valid_row

ODS_TYPE = "application/vnd.oasis.opendocument.spreadsheet"


@pytest.fixture
def pro_client(client, pro_admin_user):
    client.force_login(pro_admin_user)
    return client


@pytest.fixture
def pro_session(pro_center):
    return SessionFactory(center=pro_center)


def form_data(**overrides):
    values = {
        "last_name": "Durand",
        "first_name": "Élodie",
        "sex": "F",
        "birth_date": "1988-04-12",
        "birth_country": "FRANCE",
        "birth_insee_code": "69123",
        "birth_postal_code": "",
        "birth_city": "Lyon",
        "external_id": "",
        "email": "",
        "result_recipient_email": "",
        "extra_time_percentage": "",
        "billing_mode": "free",
        "prepayment_code": "",
    }
    values.update(overrides)
    return values


def upload(data: bytes, name: str = "liste.ods", content_type: str = ODS_TYPE) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


# ---------------------------------------------------------------- list


def test_the_list_shows_the_school_columns_sorted_by_name(center_admin_client, session, center):
    student = StudentFactory(center=center, division="3EME A")
    CandidateFactory(session=session, last_name="Zola", student=student, extra_time_percentage=33)
    CandidateFactory(session=session, last_name="Abel")
    html = center_admin_client.get(f"/sessions/{session.pk}/candidats").content.decode()
    assert "Liste des candidats (2)" in html
    assert html.index("ABEL") < html.index("ZOLA")
    for header in [
        "Nom de naissance",
        "Prénom",
        "Date de naissance",
        "Commune de naissance",
        "Pays de naissance",
        "Temps majoré",
        "Classe",
    ]:
        assert f">{header}</th>" in html
    assert "33 %" in html
    assert "E-mail du destinataire des résultats" not in html
    assert f"/sessions/{session.pk}/inscription-eleves" in html


def test_the_list_of_another_centre_type_shows_the_results_recipient(pro_client, pro_session):
    CandidateFactory(session=pro_session, result_recipient_email="formateur@example.org")
    html = pro_client.get(f"/sessions/{pro_session.pk}/candidats").content.decode()
    assert ">E-mail du destinataire des résultats</th>" in html
    assert "formateur@example.org" in html
    assert ">Classe</th>" not in html
    assert f"/sessions/{pro_session.pk}/candidats/ajout" in html


def test_the_list_runs_a_constant_number_of_queries(
    center_admin_client, session, center, django_assert_max_num_queries
):
    for _ in range(30):
        CandidateFactory(session=session, student=StudentFactory(center=center))
    with django_assert_max_num_queries(12):
        response = center_admin_client.get(f"/sessions/{session.pk}/candidats")
    assert response.status_code == 200


def test_a_started_session_offers_no_more_changes(center_admin_client, session):
    CandidateFactory(session=session)
    session.started_at = timezone.now()
    session.save()
    html = center_admin_client.get(f"/sessions/{session.pk}/candidats").content.decode()
    assert "Ajouter des candidats" not in html
    assert "suppression" not in html
    assert "La session a débuté" in html


def test_a_candidate_who_joined_cannot_be_deleted_from_the_list(center_admin_client, session):
    CandidateFactory(session=session, user=UserFactory())
    html = center_admin_client.get(f"/sessions/{session.pk}/candidats").content.decode()
    assert "suppression" not in html
    assert "A rejoint la session" in html


# ---------------------------------------------------------------- manual entry


def test_a_pro_admin_adds_a_candidate_by_hand(pro_client, pro_session):
    response = pro_client.post(f"/sessions/{pro_session.pk}/candidats/ajout", form_data(extra_time_percentage="33"))
    assert response.status_code == 302
    candidate = Candidate.objects.get(session=pro_session)
    assert (candidate.last_name, candidate.extra_time_percentage, candidate.identity_key) == (
        "Durand",
        33,
        "durand|elodie",
    )
    page = pro_client.get(response["Location"]).content.decode()
    assert "Le(s) candidat(s) ont été ajouté(s) avec succès." in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"last_name": ""}, "last_name", "obligatoire"),
        ({"sex": ""}, "sex", "obligatoire"),
        ({"birth_date": "1899-12-31"}, "birth_date", "postérieure au 01/01/1900"),
        ({"birth_date": "2999-01-01"}, "birth_date", "dans le futur"),
        ({"birth_date": "pas une date"}, "birth_date", "date valide"),
        ({"email": "nope"}, "email", "adresse e-mail valide"),
        ({"result_recipient_email": "a@"}, "result_recipient_email", "adresse e-mail valide"),
        ({"extra_time_percentage": "0"}, "extra_time_percentage", "entre 1 et 99"),
        ({"extra_time_percentage": "100"}, "extra_time_percentage", "entre 1 et 99"),
        ({"extra_time_percentage": "33.5"}, "extra_time_percentage", "entre 1 et 99"),
        ({"birth_insee_code": "", "birth_postal_code": ""}, "birth_postal_code", "code INSEE, ou le code postal"),
        ({"birth_insee_code": "", "birth_postal_code": "69001", "birth_city": ""}, "birth_city", "obligatoire"),
        ({"birth_insee_code": "ABCDE"}, "birth_insee_code", "code INSEE valide"),
        ({"birth_country": "Belgique", "birth_city": ""}, "birth_city", "étranger"),
    ],
)
def test_the_add_form_enforces_the_candidate_rules(pro_client, pro_session, overrides, field, message):
    response = pro_client.post(f"/sessions/{pro_session.pk}/candidats/ajout", form_data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in e for e in errors), errors
    assert not Candidate.objects.exists()


def test_born_abroad_drops_the_french_codes(pro_client, pro_session):
    pro_client.post(
        f"/sessions/{pro_session.pk}/candidats/ajout",
        form_data(birth_country="belgique", birth_city="Liège", birth_insee_code="69123"),
    )
    candidate = Candidate.objects.get()
    assert (candidate.birth_country, candidate.birth_insee_code, candidate.birth_city) == ("BELGIQUE", "", "Liège")


def test_the_add_form_refuses_a_duplicate_with_a_message(pro_client, pro_session):
    CandidateFactory(session=pro_session, last_name="Durand", first_name="Elodie", birth_date=dt.date(1988, 4, 12))
    response = pro_client.post(f"/sessions/{pro_session.pk}/candidats/ajout", form_data())
    assert response.status_code == 200
    assert "déjà inscrit" in response.content.decode()
    assert pro_session.candidates.count() == 1


def test_a_school_is_sent_to_its_students_instead_of_the_manual_form(center_admin_client, session):
    response = center_admin_client.get(f"/sessions/{session.pk}/candidats/ajout")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/sessions/{session.pk}/inscription-eleves")


def test_editing_a_candidate_changes_it(pro_client, pro_session):
    candidate = CandidateFactory(session=pro_session, last_name="Durand", first_name="Élodie")
    url = f"/sessions/{pro_session.pk}/candidats/{candidate.pk}/modification"
    assert pro_client.get(url).status_code == 200
    response = pro_client.post(url, form_data(last_name="Durand-Martin"))
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.last_name, candidate.identity_key) == ("Durand-Martin", "durand martin|elodie")


def test_a_school_candidate_edits_only_the_extra_time(center_admin_client, session, center):
    student = StudentFactory(center=center, last_name="Savant")
    candidate = CandidateFactory(session=session, student=student, last_name="Savant")
    url = f"/sessions/{session.pk}/candidats/{candidate.pk}/modification"
    response = center_admin_client.post(url, {"extra_time_percentage": "33", "last_name": "Autre"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.extra_time_percentage, candidate.last_name) == (33, "Savant")


def test_editing_is_refused_once_the_session_started(pro_client, pro_session):
    candidate = CandidateFactory(session=pro_session, last_name="Durand")
    pro_session.started_at = timezone.now()
    pro_session.save()
    response = pro_client.post(
        f"/sessions/{pro_session.pk}/candidats/{candidate.pk}/modification", form_data(last_name="Autre")
    )
    assert response.status_code == 200
    assert "La session a déjà débuté" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.last_name == "Durand"


# ---------------------------------------------------------------- delete


def test_deleting_asks_for_confirmation_first(pro_client, pro_session):
    candidate = CandidateFactory(session=pro_session)
    response = pro_client.post(f"/sessions/{pro_session.pk}/candidats/{candidate.pk}/suppression")
    assert response.status_code == 200
    assert "Supprimer le candidat" in response.content.decode()
    assert Candidate.objects.filter(pk=candidate.pk).exists()


def test_deleting_once_confirmed_removes_the_candidate(pro_client, pro_session):
    candidate = CandidateFactory(session=pro_session)
    response = pro_client.post(f"/sessions/{pro_session.pk}/candidats/{candidate.pk}/suppression", {"confirmer": "1"})
    assert response.status_code == 302
    assert not Candidate.objects.filter(pk=candidate.pk).exists()


def test_deleting_a_candidate_who_joined_is_refused_with_a_message(pro_client, pro_session):
    candidate = CandidateFactory(session=pro_session, user=UserFactory())
    response = pro_client.post(
        f"/sessions/{pro_session.pk}/candidats/{candidate.pk}/suppression", {"confirmer": "1"}, follow=True
    )
    assert "a déjà rejoint la session" in response.content.decode()
    assert Candidate.objects.filter(pk=candidate.pk).exists()


# ---------------------------------------------------------------- ODS


def test_the_ods_download_is_named_after_the_session(pro_client, pro_session):
    CandidateFactory(session=pro_session)
    response = pro_client.get(f"/sessions/{pro_session.pk}/liste-candidats.ods")
    assert response["Content-Type"] == ODS_TYPE
    assert response["Content-Disposition"] == f'attachment; filename="liste-candidats-session-{pro_session.pk}.ods"'
    assert response.content.startswith(b"PK")


def test_an_ods_import_replaces_the_list(pro_client, pro_session):
    CandidateFactory(session=pro_session, last_name="Ancien")
    data = candidates_ods(valid_row(), valid_row(last_name="Martin", extra_time_percentage="25"))
    response = pro_client.post(f"/sessions/{pro_session.pk}/candidats/import", {"file": upload(data)})
    assert response.status_code == 302
    assert sorted(pro_session.candidates.values_list("last_name", flat=True)) == ["Durand", "Martin"]


def test_an_ods_with_one_wrong_line_imports_nothing_and_lists_the_errors(pro_client, pro_session):
    CandidateFactory(session=pro_session, last_name="Ancien")
    data = candidates_ods(valid_row(), valid_row(last_name="Martin", birth_date="32/01/2000"))
    response = pro_client.post(f"/sessions/{pro_session.pk}/candidats/import", {"file": upload(data)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "aucun candidat n&#x27;a été importé" in html
    assert "Ligne 3, colonne D « Date de naissance (jj/mm/aaaa) »" in html
    assert list(pro_session.candidates.values_list("last_name", flat=True)) == ["Ancien"]


@pytest.mark.parametrize(
    ("name", "content_type", "data", "message"),
    [
        ("liste.xlsx", ODS_TYPE, b"PK...", "extension .ods"),
        ("liste.ods", "text/html", b"PK...", "ne correspond pas à un fichier ODS"),
        ("liste.ods", ODS_TYPE, b"", "Le fichier est vide"),
        ("liste.ods", ODS_TYPE, b"0" * (5 * 1024 * 1024), "taille maximale est de 2 Mo"),
        ("liste.ods", ODS_TYPE, b"hello", "pas un tableur au format .ods valide"),
    ],
    ids=["extension", "content-type", "empty", "5MB", "not-ods"],
)
def test_a_bad_file_is_refused_with_a_clear_message(pro_client, pro_session, name, content_type, data, message):
    CandidateFactory(session=pro_session, last_name="Ancien")
    response = pro_client.post(
        f"/sessions/{pro_session.pk}/candidats/import", {"file": upload(data, name, content_type)}
    )
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert list(pro_session.candidates.values_list("last_name", flat=True)) == ["Ancien"]


def test_an_import_without_a_file_says_so(pro_client, pro_session):
    response = pro_client.post(f"/sessions/{pro_session.pk}/candidats/import", {})
    assert response.status_code == 400
    assert "Choisissez un fichier .ods." in response.content.decode()


def test_an_import_into_a_started_session_is_refused(pro_client, pro_session):
    pro_session.started_at = timezone.now()
    pro_session.save()
    response = pro_client.post(
        f"/sessions/{pro_session.pk}/candidats/import", {"file": upload(candidates_ods(valid_row()))}
    )
    assert response.status_code == 400
    assert not pro_session.candidates.exists()
