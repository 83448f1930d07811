"""The end screen of a test ended meanwhile says so once, in one neutral box, with no error on top."""

from __future__ import annotations

import html

import pytest
from django.utils import timezone

from pixcertif.core.errors import DomainError
from sessions_app.models import Certification, SessionStatus
from sessions_app.services.certification import (
    candidate_set_presence,
    certification_answer,
    certification_end_by_invigilator,
)
from tests.factories import CandidateFactory, ProfileFactory, UserFactory, certifiable_levels, make_bank

ENDED = "Votre surveillant a mis fin à votre test de certification"


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def certification(client, db) -> Certification:
    """A test under way in this browser (started through the access-code form)."""
    make_bank(levels=[1])
    user = UserFactory()
    ProfileFactory(user=user, levels=certifiable_levels(level=1, count=5))
    candidate = CandidateFactory(user=user)
    candidate_set_presence(candidate=candidate, present=True, by=None)
    client.force_login(user)
    client.post(f"/certifications/candidat/{candidate.pk}", {"access_code": candidate.session.access_code})
    return Certification.objects.get(candidate=candidate)


def answer_the_question_on_screen(client, certification):
    return client.post(
        f"/certifications/{certification.pk}/reponse", {"index": "0", "answer": "1", "action": "answer"}, follow=True
    )


def test_an_answer_sent_after_the_invigilator_ended_the_test_shows_the_end_once(client, certification):
    certification_end_by_invigilator(candidate=certification.candidate, by=None)
    body = text(answer_the_question_on_screen(client, certification))
    assert "Votre test de certification est terminé" in body
    assert body.count(ENDED) == 1
    assert "alert-error" not in body
    assert 'class="alert alert-info" role="status">' + ENDED in body


def test_an_answer_sent_after_finalisation_shows_the_end_once(client, certification):
    session = certification.candidate.session
    type(session).objects.filter(pk=session.pk).update(status=SessionStatus.FINALIZED, finalized_at=timezone.now())
    body = text(answer_the_question_on_screen(client, certification))
    assert body.count("vous ne pouvez plus répondre") == 1
    assert "entre les mains de l'équipe Pix" not in body
    assert "alert-error" not in body


def test_a_refused_answer_of_a_test_under_way_is_still_an_error(client, certification):
    body = text(
        client.post(
            f"/certifications/{certification.pk}/reponse",
            {"index": "3", "answer": "1", "action": "answer"},
            follow=True,
        )
    )
    assert "alert-error" in body
    assert "Question 1 / 15" in body


def test_the_service_still_refuses_the_answer_with_its_code(certification):
    certification_end_by_invigilator(candidate=certification.candidate, by=None)
    with pytest.raises(DomainError) as error:
        certification_answer(certification=certification, user=certification.user, index=0, answer="1")
    assert error.value.code == "ended_by_invigilator"
