"""Instructions, consent and access code; starting and resuming; the same browser keeps its place."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.utils import timezone

from pixcertif.core.errors import DomainError
from pixcertif.core.models import AuditEvent
from sessions_app.models import Certification, SessionStatus
from sessions_app.services.certification import (
    candidate_authorize_resume,
    candidate_set_presence,
    certification_end_by_invigilator,
    certification_start,
)
from tests.factories import CandidateFactory, ProfileFactory, UserFactory, certifiable_levels, make_bank

NOT_AUTHORIZED = (
    "Votre surveillant n'a pas confirmé votre présence dans la salle de test. Vous ne pouvez donc pas encore "
    "commencer votre test de certification. Merci de prévenir votre surveillant."
)
CONSENT = (
    "En cliquant sur \"Commencer mon test\", j'accepte que mes données d'identité, le numéro de "
    "certification et les circonstances de la passation telles que renseignées par le surveillant soient "
    "communiquées à Pix."
)


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def candidate(db):
    make_bank(levels=[1])
    user = UserFactory()
    ProfileFactory(user=user, levels=certifiable_levels(level=1, count=5))
    return CandidateFactory(user=user)


@pytest.fixture
def candidate_client(client, candidate):
    client.force_login(candidate.user)
    return client


def start_url(candidate):
    return f"/certifications/candidat/{candidate.pk}"


def post_code(client, candidate, code=None):
    return client.post(start_url(candidate), {"access_code": code or candidate.session.access_code})


# ---- the service


def test_starting_consumes_the_authorisation(candidate):
    candidate_set_presence(candidate=candidate, present=True, by=None)
    certification_start(candidate=candidate, user=candidate.user)
    candidate.refresh_from_db()
    assert not candidate.authorized_to_start
    assert candidate.session.__class__.objects.get(pk=candidate.session_id).started_at is not None


def test_resuming_needs_a_new_authorisation_from_the_invigilator(candidate):
    candidate_set_presence(candidate=candidate, present=True, by=None)
    certification_start(candidate=candidate, user=candidate.user)
    with pytest.raises(DomainError) as error:
        certification_start(candidate=candidate, user=candidate.user)
    assert error.value.code == "resume_not_authorized"
    assert "Votre surveillant doit autoriser la reprise de votre test" in error.value.message
    candidate_authorize_resume(candidate=candidate, by=None)
    certification_start(candidate=candidate, user=candidate.user)
    assert AuditEvent.objects.filter(action="certification.resumed").count() == 1
    assert Certification.objects.filter(candidate=candidate).count() == 1


def test_another_account_cannot_start_the_candidate_test(candidate):
    candidate_set_presence(candidate=candidate, present=True, by=None)
    with pytest.raises(DomainError) as error:
        certification_start(candidate=candidate, user=UserFactory())
    assert error.value.code == "not_your_candidate"


# ---- the page


def test_the_page_shows_the_instructions_the_consent_and_the_access_code_field(candidate_client, candidate):
    content = text(candidate_client.get(start_url(candidate)))
    assert "Consignes" in content
    assert CONSENT in content
    assert "Code d'accès communiqué par le surveillant" in content
    assert "data-uppercase" in content
    assert "Commencer mon test" in content


def test_it_refuses_before_the_invigilator_confirms_presence_with_the_exact_message(candidate_client, candidate):
    response = post_code(candidate_client, candidate)
    assert response.status_code == 200
    assert NOT_AUTHORIZED in text(response)
    assert not Certification.objects.filter(candidate=candidate).exists()


def test_it_starts_the_test_with_a_lower_case_code(candidate_client, candidate):
    candidate_set_presence(candidate=candidate, present=True, by=None)
    response = post_code(candidate_client, candidate, candidate.session.access_code.lower())
    certification = Certification.objects.get(candidate=candidate)
    assert response.status_code == 302
    assert response.url == f"/certifications/{certification.pk}"


def test_a_wrong_code_is_refused_and_starts_nothing(candidate_client, candidate):
    candidate_set_presence(candidate=candidate, present=True, by=None)
    response = post_code(
        candidate_client, candidate, "BBBB22" if candidate.session.access_code != "BBBB22" else "CCCC33"
    )
    assert "Ce code d'accès est incorrect" in text(response)
    candidate.refresh_from_db()
    assert candidate.authorized_to_start
    assert not Certification.objects.filter(candidate=candidate).exists()


def test_wrong_codes_are_throttled(candidate_client, candidate):
    candidate_set_presence(candidate=candidate, present=True, by=None)
    for _ in range(10):
        post_code(candidate_client, candidate, "ZZZZ99")
    response = post_code(candidate_client, candidate)
    assert response.status_code == 429
    assert not Certification.objects.filter(candidate=candidate).exists()


def test_a_code_of_another_session_is_refused(candidate_client, candidate):
    other_code = "BCDF22" if candidate.session.access_code != "BCDF22" else "BCDF23"
    other = CandidateFactory(session__access_code=other_code)
    candidate_set_presence(candidate=candidate, present=True, by=None)
    response = post_code(candidate_client, candidate, other.session.access_code)
    assert "Ce code d'accès est incorrect" in text(response)


def test_a_code_that_is_not_six_characters_is_a_field_error(candidate_client, candidate):
    response = post_code(candidate_client, candidate, "ABC")
    assert "6 caractères" in response.context["form"].errors["access_code"][0]


def test_a_profile_that_is_not_certifiable_is_refused_clearly(client, db):
    make_bank(levels=[1])
    user = UserFactory()
    ProfileFactory(user=user, levels=certifiable_levels(level=1, count=4))
    candidate = CandidateFactory(user=user)
    candidate_set_presence(candidate=candidate, present=True, by=None)
    client.force_login(user)
    assert "n'est pas certifiable" in text(client.get(start_url(candidate)))
    response = post_code(client, candidate)
    assert "n'est pas certifiable" in text(response)
    assert not Certification.objects.filter(candidate=candidate).exists()


def test_the_same_browser_goes_back_to_its_question_without_the_invigilator(candidate_client, candidate):
    candidate_set_presence(candidate=candidate, present=True, by=None)
    post_code(candidate_client, candidate)
    certification = Certification.objects.get(candidate=candidate)
    response = candidate_client.get("/certifications")
    assert response.status_code == 200
    response = candidate_client.get(start_url(candidate))
    assert response.url == f"/certifications/{certification.pk}"
    assert candidate_client.get(response.url).status_code == 200


def test_another_browser_must_wait_for_the_invigilator_to_authorise_the_resume(candidate_client, candidate):
    candidate_set_presence(candidate=candidate, present=True, by=None)
    post_code(candidate_client, candidate)
    certification = Certification.objects.get(candidate=candidate)
    other_browser = Client()
    other_browser.force_login(candidate.user)
    response = other_browser.get(f"/certifications/{certification.pk}")
    assert response.url == start_url(candidate)
    refused = text(post_code(other_browser, candidate))
    assert "Votre surveillant doit autoriser la reprise de votre test" in refused
    assert NOT_AUTHORIZED not in refused  # a resume, not the first start's message about presence
    candidate_authorize_resume(candidate=candidate, by=None)
    response = post_code(other_browser, candidate)
    assert response.url == f"/certifications/{certification.pk}"
    assert "Question 1 / 15" in text(other_browser.get(response.url))


def test_a_test_ended_by_the_invigilator_shows_that_it_is_over(candidate_client, candidate):
    candidate_set_presence(candidate=candidate, present=True, by=None)
    post_code(candidate_client, candidate)
    certification_end_by_invigilator(candidate=candidate, by=None)
    certification = Certification.objects.get(candidate=candidate)
    content = text(candidate_client.get(f"/certifications/{certification.pk}"))
    assert "Votre surveillant a mis fin à votre test de certification" in content


def test_a_finalised_session_shows_that_the_test_is_over(candidate_client, candidate):
    candidate_set_presence(candidate=candidate, present=True, by=None)
    post_code(candidate_client, candidate)
    session = candidate.session
    session.status = SessionStatus.FINALIZED
    session.finalized_at = timezone.now()
    session.save()
    certification = Certification.objects.get(candidate=candidate)
    response = candidate_client.get(f"/certifications/{certification.pk}")
    assert "Votre test de certification est terminé" in text(response)
    response = candidate_client.post(f"/certifications/{certification.pk}/reponse", {"index": 0, "answer": "1"})
    certification.refresh_from_db()
    assert certification.current_index == 0
