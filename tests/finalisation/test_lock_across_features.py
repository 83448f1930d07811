"""After finalisation, the session is "entre les mains de l'équipe Pix": every centre-side,
invigilator-side and candidate-side write is refused on the server and changes nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from finalisation.services import session_finalise
from invigilation.models import InvigilatorAccess
from pixcertif.core.errors import DomainError
from sessions_app.models import Candidate, CandidateProfile, Session
from sessions_app.services.certification import (
    candidate_join,
    candidate_set_presence,
    certification_answer,
    certification_skip,
    certification_start,
)
from sessions_app.services.sessions import session_delete, session_update
from tests.factories import CandidateFactory, ProfileFactory, UserFactory, make_bank


@pytest.fixture
def finalised(session, admin_user):
    """A session where one candidate started (then finalised with an abort reason) and one did not."""
    make_bank(levels=range(1, 3), per_level=3)
    user = UserFactory()
    ProfileFactory(user=user)
    started = CandidateFactory(session=session, user=user, first_name="Léa", last_name="Martin")
    candidate_set_presence(candidate=started, present=True, by=admin_user)
    certification = certification_start(candidate=started, user=user)
    certification.abort_reason = "candidate"
    certification.save(update_fields=["abort_reason"])
    waiting = CandidateFactory(session=session, first_name="Paul", last_name="Durand", birth_date=dt.date(2010, 1, 2))
    session_finalise(session=session, by=admin_user)
    session.refresh_from_db()
    return session, certification, started, waiting, user


def test_editing_a_finalised_session_is_refused(finalised, admin_user):
    session = finalised[0]
    with pytest.raises(DomainError) as error:
        session_update(session=session, by=admin_user, description="Après coup")
    assert error.value.code == "session_finalized"
    session.refresh_from_db()
    assert session.description == ""


def test_deleting_a_finalised_session_is_refused(finalised, admin_user):
    session = finalised[0]
    with pytest.raises(DomainError) as error:
        session_delete(session=session, by=admin_user)
    assert error.value.code in {"session_finalized", "session_started"}
    assert Session.objects.filter(pk=session.pk).exists()


def test_the_details_edit_page_refuses_a_finalised_session(finalised, center_admin_client):
    session = finalised[0]
    response = center_admin_client.post(
        f"/sessions/{session.pk}/modification",
        {"address": "Ailleurs", "room": "X", "date": "2030-01-01", "time": "10:00", "examiner": "Moi"},
    )
    session.refresh_from_db()
    assert session.address != "Ailleurs"
    assert response.status_code in {302, 403, 200}


def test_joining_a_finalised_session_is_refused(finalised):
    session, _, _, waiting, _ = finalised
    newcomer = UserFactory()
    with pytest.raises(DomainError) as error:
        candidate_join(
            session_id=session.pk,
            first_name=waiting.first_name,
            last_name=waiting.last_name,
            birth_date=waiting.birth_date,
            user=newcomer,
        )
    assert error.value.code == "session_finalized"
    assert Candidate.objects.get(pk=waiting.pk).user_id is None


def test_answering_or_skipping_after_finalisation_is_refused(finalised):
    _, certification, _, _, user = finalised
    with pytest.raises(DomainError) as error:
        certification_answer(certification=certification, user=user, index=certification.current_index, answer="1")
    assert error.value.code == "session_finalized"
    with pytest.raises(DomainError):
        certification_skip(certification=certification, user=user, index=certification.current_index)
    assert not certification.challenges.exclude(result="").exists()


def test_starting_after_finalisation_is_refused(finalised, admin_user):
    waiting = finalised[3]
    user = UserFactory()
    CandidateProfile.objects.create(user=user, levels={"1.1": 2, "1.2": 2, "1.3": 2, "2.1": 2, "2.2": 2})
    Candidate.objects.filter(pk=waiting.pk).update(user=user, authorized_to_start=True, authorized_at=timezone.now())
    with pytest.raises(DomainError) as error:
        certification_start(candidate=waiting, user=user)
    assert error.value.code == "session_finalized"


def test_the_invigilator_entry_refuses_a_finalised_session(finalised, client, invigilator_user):
    session = finalised[0]
    client.force_login(invigilator_user)
    response = client.post(
        "/connexion-espace-surveillant", {"session_number": session.pk, "password": session.password_display}
    )
    assert "finalisée" in response.content.decode()
    assert not InvigilatorAccess.objects.filter(user=invigilator_user, session=session).exists()
