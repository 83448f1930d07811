"""Joining a session: exactly one candidate must match the normalised names and birth date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pixcertif.accounts.models import Attempt
from pixcertif.core.errors import DomainError
from pixcertif.core.models import AuditEvent
from sessions_app.models import SessionStatus
from sessions_app.services.certification import candidate_join
from tests.factories import CandidateFactory, SessionFactory, UserFactory

BIRTH = dt.date(2010, 5, 17)


@pytest.fixture
def candidate(db):
    return CandidateFactory(first_name="Jean-Émile", last_name="D'Ávila Martín", birth_date=BIRTH)


def join(candidate, user, first_name="Jean-Émile", last_name="D'Ávila Martín", birth_date=BIRTH, session_id=None):
    return candidate_join(
        session_id=session_id or candidate.session_id,
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        user=user,
    )


def test_it_links_the_matching_candidate_to_the_account(candidate):
    user = UserFactory()
    assert join(candidate, user) == candidate
    candidate.refresh_from_db()
    assert candidate.user == user
    assert candidate.linked_at is not None
    assert AuditEvent.objects.filter(action="candidate.joined", candidate_id_ref=candidate.pk, actor=user).exists()


@pytest.mark.parametrize(
    ("first_name", "last_name"),
    [
        ("  jean emile ", "d avila martin"),
        ("JEAN-EMILE", "D’AVILA-MARTIN"),
        ("Jéan Èmile", "d'avila  martin"),
    ],
)
def test_it_matches_names_whatever_the_case_accents_spaces_hyphens_and_apostrophes(candidate, first_name, last_name):
    user = UserFactory()
    assert join(candidate, user, first_name=first_name, last_name=last_name) == candidate


def test_it_refuses_another_birth_date_with_a_message_saying_what_to_do(candidate):
    with pytest.raises(DomainError) as error:
        join(candidate, UserFactory(), birth_date=dt.date(2010, 5, 18))
    assert error.value.code == "no_match"
    assert "vérifiez les informations avec votre surveillant" in error.value.message.lower()


def test_it_refuses_a_candidate_of_another_session(candidate):
    other = SessionFactory(center=candidate.session.center)
    with pytest.raises(DomainError) as error:
        join(candidate, UserFactory(), session_id=other.pk)
    assert error.value.code == "no_match"


def test_it_gives_the_same_answer_for_an_unknown_session(candidate):
    with pytest.raises(DomainError) as error:
        join(candidate, UserFactory(), session_id=candidate.session_id + 1000)
    assert error.value.code == "no_match"


def test_joining_twice_with_the_same_account_is_harmless(candidate):
    user = UserFactory()
    join(candidate, user)
    join(candidate, user)
    assert AuditEvent.objects.filter(action="candidate.joined").count() == 1


def test_it_refuses_a_candidate_linked_to_another_account(candidate):
    join(candidate, UserFactory())
    with pytest.raises(DomainError) as error:
        join(candidate, UserFactory())
    assert error.value.code == "candidate_taken"


def test_it_refuses_an_account_already_linked_to_another_candidate_of_the_session(candidate):
    user = UserFactory()
    CandidateFactory(session=candidate.session, user=user, first_name="Zoé", last_name="Autre")
    with pytest.raises(DomainError) as error:
        join(candidate, user)
    assert error.value.code == "account_already_linked"
    candidate.refresh_from_db()
    assert candidate.user is None


def test_it_refuses_to_join_a_finalised_session(candidate):
    session = candidate.session
    session.status = SessionStatus.FINALIZED
    session.finalized_at = timezone.now()
    session.save()
    with pytest.raises(DomainError) as error:
        join(candidate, UserFactory())
    assert error.value.code == "session_finalized"


# ---- the page


def form_data(candidate, **overrides):
    data = {
        "session_number": str(candidate.session_id),
        "first_name": "jean emile",
        "last_name": "D'AVILA MARTIN",
        "birth_day": "17",
        "birth_month": "05",
        "birth_year": "2010",
    }
    data.update(overrides)
    return data


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, db):
    response = client.get("/certifications")
    assert response.status_code == 302
    assert response.url == "/connexion?next=/certifications"


def test_the_page_shows_the_four_fields(client, candidate):
    client.force_login(UserFactory())
    content = client.get("/certifications").content.decode()
    for label in ("Numéro de session", "Prénom", "Nom de naissance", "Date de naissance", "JJ", "MM", "AAAA"):
        assert label in content


def test_joining_leads_to_the_access_code_page(client, candidate):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/certifications", form_data(candidate))
    assert response.status_code == 302
    assert response.url == f"/certifications/candidat/{candidate.pk}"
    candidate.refresh_from_db()
    assert candidate.user == user


def test_a_session_number_with_letters_is_a_field_error(client, candidate):
    client.force_login(UserFactory())
    response = client.post("/certifications", form_data(candidate, session_number="12A4"))
    assert response.status_code == 200
    assert "uniquement de chiffres" in response.context["form"].errors["session_number"][0]


def test_an_impossible_date_is_a_field_error(client, candidate):
    client.force_login(UserFactory())
    response = client.post("/certifications", form_data(candidate, birth_day="31", birth_month="02", birth_year="2008"))
    assert response.status_code == 200
    assert "n'est pas valide" in response.context["form"].errors["birth_day"][0]


def test_a_mismatch_never_reveals_another_candidate(client, candidate):
    CandidateFactory(session=candidate.session, first_name="Zoé", last_name="Secretnom", birth_date=BIRTH)
    client.force_login(UserFactory())
    response = client.post("/certifications", form_data(candidate, first_name="Zoe", last_name="Autre"))
    content = response.content.decode()
    assert "Vérifiez les informations avec votre surveillant" in content
    assert "Secretnom" not in content
    assert "Zoé" not in content


def test_failed_joins_are_throttled_per_account(client, candidate):
    client.force_login(UserFactory())
    for _ in range(10):
        client.post("/certifications", form_data(candidate, first_name="Paul"))
    response = client.post("/certifications", form_data(candidate))
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.user is None
    assert Attempt.objects.filter(scope="certification-join").count() == 20
