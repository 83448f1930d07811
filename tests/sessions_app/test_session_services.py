import datetime as dt

import pytest
from django.utils import timezone

from pixcertif.core.errors import DomainError
from pixcertif.core.models import AuditEvent
from sessions_app.codes import ACCESS_CODE_RE, PASSWORD_RE, generate_access_code, generate_invigilator_password
from sessions_app.models import Candidate, Session, SessionStatus
from sessions_app.models.session import split_invigilators
from sessions_app.services.sessions import (
    invigilators_required,
    session_create,
    session_delete,
    session_has_started,
    session_update,
)
from tests.factories import CandidateFactory, CertificationFactory, SessionFactory


def create(center, user, **overrides):
    data = {
        "address": "Collège Jean Moulin",
        "room": "Salle B12",
        "date": dt.date(2030, 1, 5),
        "time": dt.time(15, 0),
        "examiner": "Mme Dupont",
        "description": "",
    }
    return session_create(center=center, by=user, **{**data, **overrides})


def finalized_session(center):
    return SessionFactory(center=center, status=SessionStatus.FINALIZED, finalized_at=timezone.now())


# ---- codes ----


def test_access_codes_are_four_consonants_then_two_digits():
    for _ in range(200):
        assert ACCESS_CODE_RE.match(generate_access_code())


def test_invigilator_passwords_are_five_characters_of_the_safe_alphabet():
    for _ in range(200):
        assert PASSWORD_RE.match(generate_invigilator_password())


def test_codes_never_use_ambiguous_characters():
    drawn = "".join(generate_access_code() + generate_invigilator_password() for _ in range(300))
    assert not set(drawn) & set("AEIOUL015S")


def test_a_new_session_gets_codes_in_the_documented_formats(center, admin_user):
    session = create(center, admin_user)
    assert ACCESS_CODE_RE.match(session.access_code)
    assert PASSWORD_RE.match(session.invigilator_password)
    assert session.password_display == f"C-{session.invigilator_password}"


def test_the_access_code_is_unique_among_open_sessions(center, admin_user, monkeypatch):
    SessionFactory(center=center, access_code="TQVF63")
    drawn = iter(["TQVF63", "TQVF63", "BCDF22"])
    monkeypatch.setattr("sessions_app.services.sessions.generate_access_code", lambda: next(drawn))
    session = create(center, admin_user)
    assert session.access_code == "BCDF22"


def test_a_finalised_sessions_access_code_can_be_drawn_again(center, admin_user, monkeypatch):
    old = finalized_session(center)
    monkeypatch.setattr("sessions_app.services.sessions.generate_access_code", lambda: old.access_code)
    assert create(center, admin_user).access_code == old.access_code


def test_the_database_refuses_two_open_sessions_with_one_access_code(center):
    from django.db import IntegrityError, transaction

    SessionFactory(center=center, access_code="TQVF63")
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(center=center, access_code="TQVF63")


# ---- create ----


def test_create_strips_text_and_records_who_created_it(center, admin_user):
    session = create(center, admin_user, address="  Site 1  ", room=" B304 ")
    assert (session.address, session.room, session.status) == ("Site 1", "B304", SessionStatus.CREATED)
    event = AuditEvent.objects.get(action="session.create")
    assert (event.actor, event.session_id_ref, event.center_id) == (admin_user, session.pk, center.pk)
    assert event.data["room"] == "B304"


def test_create_with_the_same_form_token_twice_creates_one_session(center, admin_user):
    first = create(center, admin_user, form_token="tok-abcdefghijklmnop")
    second = create(center, admin_user, form_token="tok-abcdefghijklmnop")
    assert first.pk == second.pk
    assert Session.objects.count() == 1


def test_another_centre_reusing_a_form_token_gets_its_own_session(center, pro_center, admin_user):
    first = create(center, admin_user, form_token="tok-abcdefghijklmnop")
    second = create(pro_center, admin_user, form_token="tok-abcdefghijklmnop")
    assert first.pk != second.pk


# ---- update ----


def test_update_changes_fields_and_audits_old_and_new_values(session, admin_user):
    old_room = session.room
    session_update(session=session, by=admin_user, room="Salle 3", description="Prévoir des casques")
    session.refresh_from_db()
    assert (session.room, session.description) == ("Salle 3", "Prévoir des casques")
    event = AuditEvent.objects.get(action="session.update")
    assert event.actor == admin_user
    assert event.data["changes"]["room"] == {"old": old_room, "new": "Salle 3"}
    assert set(event.data["changes"]) == {"room", "description"}


def test_update_with_nothing_changed_writes_nothing(session, admin_user):
    session_update(session=session, by=admin_user, room=session.room, address=session.address)
    assert not AuditEvent.objects.filter(action="session.update").exists()


def test_update_bumps_the_change_marker_of_the_live_list(session, admin_user):
    before = session.changed_at
    session_update(session=session, by=admin_user, examiner="M. Martin")
    session.refresh_from_db()
    assert session.changed_at > before


def test_it_refuses_to_change_the_room_once_a_test_has_started(session, admin_user):
    session.started_at = timezone.now()
    session.save(update_fields=["started_at"])
    with pytest.raises(DomainError) as error:
        session_update(session=session, by=admin_user, room="Salle 9")
    assert error.value.code == "session_started"
    session.refresh_from_db()
    assert session.room != "Salle 9"


@pytest.mark.parametrize(
    "field, value",
    [("address", "Autre site"), ("date", dt.date(2031, 1, 1)), ("time", dt.time(8, 0)), ("examiner", "M. Nouveau")],
)
def test_it_refuses_to_change_frozen_fields_when_a_certification_exists(session, admin_user, field, value):
    CertificationFactory(candidate__session=session)
    with pytest.raises(DomainError) as error:
        session_update(session=session, by=admin_user, **{field: value})
    assert error.value.code == "session_started"


def test_observations_stay_editable_once_started(session, admin_user):
    CertificationFactory(candidate__session=session)
    session_update(session=session, by=admin_user, description="Coupure réseau à 10 h")
    session.refresh_from_db()
    assert session.description == "Coupure réseau à 10 h"


def test_it_refuses_any_change_after_finalisation(center, admin_user):
    session = finalized_session(center)
    with pytest.raises(DomainError) as error:
        session_update(session=session, by=admin_user, description="Trop tard")
    assert error.value.code == "session_finalized"


def test_it_refuses_to_update_a_deleted_session(session, admin_user):
    Session.objects.filter(pk=session.pk).delete()
    with pytest.raises(DomainError) as error:
        session_update(session=session, by=admin_user, room="Salle 9")
    assert error.value.code == "session_deleted"


def test_update_refuses_fields_that_are_not_editable(session, admin_user):
    with pytest.raises(ValueError):
        session_update(session=session, by=admin_user, access_code="BBBB22")


# ---- delete ----


def test_delete_removes_the_session_and_its_candidates_and_keeps_a_trace(session, admin_user):
    CandidateFactory(session=session)
    session_id = session.pk
    session_delete(session=session, by=admin_user)
    assert not Session.objects.filter(pk=session_id).exists()
    assert not Candidate.objects.filter(session_id=session_id).exists()
    event = AuditEvent.objects.get(action="session.delete")
    assert (event.session_id_ref, event.actor, event.data["candidates"]) == (session_id, admin_user, 1)


def test_it_refuses_to_delete_a_started_session(session, admin_user):
    CertificationFactory(candidate__session=session)
    with pytest.raises(DomainError) as error:
        session_delete(session=session, by=admin_user)
    assert error.value.code == "session_started"
    assert Session.objects.filter(pk=session.pk).exists()


def test_it_refuses_to_delete_a_finalised_session(center, admin_user):
    session = finalized_session(center)
    with pytest.raises(DomainError) as error:
        session_delete(session=session, by=admin_user)
    assert error.value.code == "session_finalized"


def test_deleting_twice_is_not_an_error(session, admin_user):
    session_delete(session=session, by=admin_user)
    session_delete(session=session, by=admin_user)
    assert AuditEvent.objects.filter(action="session.delete").count() == 1


# ---- started, invigilators ----


def test_a_session_with_a_certification_counts_as_started(session):
    assert not session_has_started(session)
    CertificationFactory(candidate__session=session)
    assert session_has_started(session)


def test_invigilator_names_are_split_on_commas_et_and_new_lines():
    assert split_invigilators("Mme Dupont, M. Martin et Mme Leroy\nM. Petit") == [
        "Mme Dupont",
        "M. Martin",
        "Mme Leroy",
        "M. Petit",
    ]


def test_a_name_containing_et_is_not_split():
    assert split_invigilators("Mme Bernadette Etienne") == ["Mme Bernadette Etienne"]


@pytest.mark.parametrize("count, required", [(0, 0), (1, 1), (20, 1), (21, 2), (40, 2), (41, 3)])
def test_one_invigilator_is_required_per_twenty_candidates(count, required):
    assert invigilators_required(count) == required
