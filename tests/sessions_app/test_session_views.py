import datetime as dt
from html import unescape

import pytest
from django.utils import timezone

from pixcertif.core.models import AuditEvent
from sessions_app.models import Session, SessionStatus
from tests.factories import CandidateFactory, CertificationFactory, SessionFactory

VALID = {
    "address": "Université Pix",
    "room": "B12",
    "date": "2030-01-05",
    "time": "15:00",
    "examiner": "Surveillant test",
    "description": "",
}


def text(response) -> str:
    return unescape(response.content.decode())


def finalized(center):
    return SessionFactory(center=center, status=SessionStatus.FINALIZED, finalized_at=timezone.now())


def started(center):
    session = SessionFactory(center=center, started_at=timezone.now())
    CertificationFactory(candidate__session=session)
    return session


# ---- permission matrix ----

PAGES = [
    ("get", "/sessions/liste", False),
    ("get", "/sessions/creation", False),
    ("get", "/sessions/{id}", True),
    ("get", "/sessions/{id}/modification", True),
    ("post", "/sessions/{id}/modification", True),
    ("post", "/sessions/{id}/suppression", True),
]


@pytest.mark.parametrize("method, url, _owned", PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, session, method, url, _owned):
    path = url.format(id=session.pk)
    response = getattr(client, method)(path)
    assert response.status_code == 302
    assert response["Location"] == f"/connexion?next={path}"


@pytest.mark.parametrize("method, url, _owned", PAGES)
def test_an_account_of_no_centre_is_refused(client, invigilator_user, session, method, url, _owned):
    client.force_login(invigilator_user)
    assert getattr(client, method)(url.format(id=session.pk)).status_code == 403


@pytest.mark.parametrize("method, url", [(m, u) for m, u, owned in PAGES if owned])
def test_another_centres_session_is_a_404_everywhere(stranger_client, session, method, url):
    response = getattr(stranger_client, method)(url.format(id=session.pk), VALID if method == "post" else None)
    assert response.status_code == 404
    session.refresh_from_db()
    assert session.address != VALID["address"]


def test_a_missing_session_is_a_404(center_admin_client):
    assert center_admin_client.get("/sessions/999999").status_code == 404


@pytest.mark.parametrize(
    "url", ["/sessions/liste", "/sessions/creation", "/sessions/{id}", "/sessions/{id}/modification"]
)
def test_members_can_open_every_session_page(center_member_client, session, url):
    assert center_member_client.get(url.format(id=session.pk)).status_code == 200


def test_members_can_create_sessions(center_member_client, member_user):
    response = center_member_client.post("/sessions/creation", VALID)
    session = Session.objects.get()
    assert response["Location"] == f"/sessions/{session.pk}"
    assert session.created_by == member_user


def test_members_can_delete_sessions(center_member_client, session):
    center_member_client.post(f"/sessions/{session.pk}/suppression")
    assert not Session.objects.filter(pk=session.pk).exists()


@pytest.mark.parametrize("client_fixture", ["client", "center_admin_client"])
def test_a_get_on_delete_is_a_405(request, session, client_fixture):
    client = request.getfixturevalue(client_fixture)
    assert client.get(f"/sessions/{session.pk}/suppression").status_code == 405
    assert Session.objects.filter(pk=session.pk).exists()


# ---- create ----


def test_the_creation_form_has_the_guides_labels(center_admin_client):
    html = text(center_admin_client.get("/sessions/creation"))
    for label in [
        "Nom du site",
        "Nom de la salle",
        "Date de début",
        "Heure de début (heure locale)",
        "Surveillant(s)",
        "Observations",
        "(optionnel)",
        "Annuler",
        "Créer la session",
    ]:
        assert label in html
    assert 'type="date"' in html and 'type="time"' in html


def test_creating_a_session_leads_to_its_details_with_a_success_message(center_admin_client, center, admin_user):
    response = center_admin_client.post("/sessions/creation", VALID, follow=True)
    session = Session.objects.get()
    assert response.redirect_chain == [(f"/sessions/{session.pk}", 302)]
    assert session.center == center
    assert (session.date, session.time) == (dt.date(2030, 1, 5), dt.time(15, 0))
    html = text(response)
    assert "a été créée avec succès" in html
    assert session.access_code in html and session.password_display in html


def test_missing_fields_are_reported_under_each_field_in_french(center_admin_client):
    response = center_admin_client.post("/sessions/creation", {"description": "x"})
    html = text(response)
    assert response.status_code == 200
    for message in [
        "Veuillez indiquer un nom de site.",
        "Veuillez indiquer un nom de salle.",
        "Veuillez indiquer une date de début.",
        "Veuillez indiquer une heure de début.",
        "Veuillez indiquer le nom du ou des surveillant(s).",
    ]:
        assert message in html
    assert 'aria-describedby="id_address_error"' in html
    assert not Session.objects.exists()


def test_blank_text_made_of_spaces_is_missing(center_admin_client):
    html = text(center_admin_client.post("/sessions/creation", {**VALID, "address": "   "}))
    assert "Veuillez indiquer un nom de site." in html
    assert not Session.objects.exists()


@pytest.mark.parametrize("value", ["2023-02-31", "31/02/2023", "demain", "0202-01-01", "99999-01-01"])
def test_an_impossible_date_is_refused(center_admin_client, value):
    html = text(center_admin_client.post("/sessions/creation", {**VALID, "date": value}))
    assert "Veuillez indiquer une date de début valide (jj/mm/aaaa)." in html
    assert not Session.objects.exists()


@pytest.mark.parametrize("value", ["25:00", "12:61", "midi"])
def test_an_impossible_time_is_refused(center_admin_client, value):
    html = text(center_admin_client.post("/sessions/creation", {**VALID, "time": value}))
    assert "Veuillez indiquer une heure de début valide (hh:mm)." in html
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    "field, message",
    [
        ("address", "Le nom du site ne doit pas dépasser 255 caractères (vous en avez saisi 10000)."),
        ("room", "Le nom de la salle ne doit pas dépasser 255 caractères (vous en avez saisi 10000)."),
        ("examiner", "La liste des surveillants ne doit pas dépasser 1000 caractères (vous en avez saisi 10000)."),
        ("description", "Les observations ne doivent pas dépasser 2000 caractères (vous en avez saisi 10000)."),
    ],
)
def test_ten_thousand_characters_get_a_clear_message(center_admin_client, field, message):
    response = center_admin_client.post("/sessions/creation", {**VALID, field: "x" * 10_000})
    assert response.status_code == 200
    assert message in text(response)
    assert not Session.objects.exists()


def test_a_null_character_is_refused_not_a_500(center_admin_client):
    response = center_admin_client.post("/sessions/creation", {**VALID, "room": "B\x0012"})
    assert response.status_code == 200
    assert not Session.objects.exists()


def test_a_double_submitted_creation_form_creates_one_session(center_admin_client):
    html = text(center_admin_client.get("/sessions/creation"))
    token = html.split('name="form_token" value="')[1].split('"')[0]
    first = center_admin_client.post("/sessions/creation", {**VALID, "form_token": token})
    second = center_admin_client.post("/sessions/creation", {**VALID, "form_token": token})
    session = Session.objects.get()
    assert first["Location"] == second["Location"] == f"/sessions/{session.pk}"


def test_a_garbage_form_token_is_ignored(center_admin_client):
    response = center_admin_client.post("/sessions/creation", {**VALID, "form_token": "<script>" * 40})
    assert response.status_code == 302
    assert Session.objects.count() == 1


def test_an_invalid_form_keeps_its_token(center_admin_client):
    token = "a" * 32
    html = text(center_admin_client.post("/sessions/creation", {"form_token": token}))
    assert f'name="form_token" value="{token}"' in html


def test_cancel_goes_back_to_the_list(center_admin_client):
    html = text(center_admin_client.get("/sessions/creation"))
    assert 'href="/sessions/liste">Annuler</a>' in html


# ---- edit ----


def test_the_edit_form_is_prefilled(center_admin_client, session):
    html = text(center_admin_client.get(f"/sessions/{session.pk}/modification"))
    assert f'value="{session.room}"' in html
    assert f'value="{session.date:%Y-%m-%d}"' in html
    assert "Modifier la session" in html
    assert f'href="/sessions/{session.pk}">Annuler</a>' in html


def test_editing_a_session_saves_and_goes_back_to_its_details(center_admin_client, session, admin_user):
    data = {**VALID, "room": "Salle 3", "description": "Casques audio"}
    response = center_admin_client.post(f"/sessions/{session.pk}/modification", data, follow=True)
    assert response.redirect_chain == [(f"/sessions/{session.pk}", 302)]
    session.refresh_from_db()
    assert (session.room, session.description) == ("Salle 3", "Casques audio")
    assert "La session a été modifiée avec succès." in text(response)
    assert AuditEvent.objects.get(action="session.update").actor == admin_user


def test_an_invalid_edit_changes_nothing(center_admin_client, session):
    room = session.room
    response = center_admin_client.post(f"/sessions/{session.pk}/modification", {**VALID, "room": ""})
    assert "Veuillez indiquer un nom de salle." in text(response)
    session.refresh_from_db()
    assert session.room == room


def test_a_started_sessions_form_only_lets_observations_change(center_admin_client, center):
    session = started(center)
    html = text(center_admin_client.get(f"/sessions/{session.pk}/modification"))
    assert html.count("disabled") == 5
    assert "seules les observations peuvent encore être modifiées" in html


def test_a_started_session_ignores_posted_frozen_fields_and_saves_observations(center_admin_client, center):
    session = started(center)
    room = session.room
    data = {**VALID, "room": "Piratée", "description": "Coupure réseau"}
    response = center_admin_client.post(f"/sessions/{session.pk}/modification", data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.room, session.description) == (room, "Coupure réseau")


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_finalised_session_cannot_be_edited(center_admin_client, center, method):
    session = finalized(center)
    response = getattr(center_admin_client, method)(f"/sessions/{session.pk}/modification", VALID, follow=True)
    assert response.redirect_chain == [(f"/sessions/{session.pk}", 302)]
    assert "entre les mains de l'équipe Pix" in text(response)
    session.refresh_from_db()
    assert session.address != VALID["address"]


# ---- delete ----


def test_deleting_a_session_goes_back_to_the_list_with_a_message(center_admin_client, session):
    response = center_admin_client.post(f"/sessions/{session.pk}/suppression", follow=True)
    assert response.redirect_chain == [("/sessions/liste", 302)]
    assert f"La session {session.pk} a été supprimée." in text(response)
    assert not Session.objects.filter(pk=session.pk).exists()


def test_deleting_a_started_session_is_refused_with_a_message(center_admin_client, center):
    session = started(center)
    response = center_admin_client.post(f"/sessions/{session.pk}/suppression", follow=True)
    assert "Il n'est plus possible de supprimer une session" in text(response)
    assert Session.objects.filter(pk=session.pk).exists()


def test_deleting_a_finalised_session_is_refused_with_a_message(center_admin_client, center):
    session = finalized(center)
    response = center_admin_client.post(f"/sessions/{session.pk}/suppression", follow=True)
    assert "entre les mains de l'équipe Pix" in text(response)
    assert Session.objects.filter(pk=session.pk).exists()


def test_without_javascript_delete_first_shows_a_confirmation_page(center_admin_client, session):
    response = center_admin_client.post(f"/sessions/{session.pk}/suppression", {"etape": "confirmation"})
    html = text(response)
    assert response.status_code == 200
    assert f"Supprimer la session {session.pk} ?" in html
    assert Session.objects.filter(pk=session.pk).exists()


def test_the_confirmation_page_of_a_started_session_says_it_cannot_be_deleted(center_admin_client, center):
    session = started(center)
    html = text(center_admin_client.post(f"/sessions/{session.pk}/suppression", {"etape": "confirmation"}))
    assert "Il n'est plus possible de supprimer une session" in html
    assert "Supprimer la session</button>" not in html


# ---- details ----


def test_the_details_page_shows_the_number_codes_and_guides_labels(center_admin_client, center):
    session = SessionFactory(center=center, date=dt.date(2022, 1, 5), time=dt.time(15, 0), room="B12")
    html = text(center_admin_client.get(f"/sessions/{session.pk}"))
    assert f"Session {session.pk}</h1>" in html
    assert "mercredi 05 janv. 2022" in html
    assert "15:00" in html
    for label in [
        "Numéro de session",
        "Code d'accès Candidat",
        "Mot de passe de session Surveillant",
        "Nom du site",
        "Salle",
        "Surveillant(s)",
        "Observations",
        "Détails",
        "Candidats (0)",
    ]:
        assert label in html
    assert f'id="session-access-code">{session.access_code}<' in html
    assert f'id="session-password">{session.password_display}<' in html
    assert html.count("data-copy=") == 3


def test_the_details_page_offers_modifier_while_not_finalised(center_admin_client, session):
    html = text(center_admin_client.get(f"/sessions/{session.pk}"))
    assert f'href="/sessions/{session.pk}/modification">Modifier</a>' in html


def test_the_details_page_hides_modifier_once_finalised(center_admin_client, center):
    session = finalized(center)
    html = text(center_admin_client.get(f"/sessions/{session.pk}"))
    assert "/modification" not in html
    assert "Finalisée" in html


def test_the_details_page_warns_when_candidates_outnumber_twenty_per_invigilator(center_admin_client, center):
    session = SessionFactory(center=center, examiner="Mme Dupont")
    CandidateFactory.create_batch(21, session=session)
    html = text(center_admin_client.get(f"/sessions/{session.pk}"))
    assert "alert-warning" in html
    assert "21 candidats inscrits pour 1 surveillant(s)" in html
    assert "soit 2 surveillant(s)" in html


def test_two_invigilators_named_with_et_cover_forty_candidates(center_admin_client, center):
    session = SessionFactory(center=center, examiner="Mme Dupont et M. Martin")
    CandidateFactory.create_batch(40, session=session)
    html = text(center_admin_client.get(f"/sessions/{session.pk}"))
    assert "alert-warning" not in html
    assert "Candidats (40)" in html
