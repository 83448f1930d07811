"""Presence, resume and end of test from the invigilator page: POST forms that work without JS."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from pixcertif.core.models import AuditEvent
from sessions_app.models import Certification, CertificationState
from tests.factories import CandidateFactory
from tests.invigilation.conftest import finalize, start


def action_url(name, candidate):
    return reverse(f"invigilation:{name}", args=[candidate.session_id, candidate.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# ---------------------------------------------------------------- presence


def test_ticking_without_javascript_redirects_to_the_page_with_a_message(invigilator_client, candidate):
    response = invigilator_client.post(action_url("presence", candidate), {"present": "1"}, follow=True)
    candidate.refresh_from_db()
    assert candidate.authorized_to_start is True
    assert response.redirect_chain[-1][0] == reverse("invigilation:session", args=[candidate.session_id])
    assert messages_of(response) == ["La présence de DUPONT Martine est confirmée."]


def test_unticking_without_javascript_posts_no_box_value(invigilator_client, candidate):
    candidate.authorized_to_start = True
    candidate.authorized_at = timezone.now()
    candidate.save()
    invigilator_client.post(action_url("presence", candidate), {})
    candidate.refresh_from_db()
    assert candidate.authorized_to_start is False


def test_ticking_keeps_the_search_of_the_page(invigilator_client, candidate):
    response = invigilator_client.post(action_url("presence", candidate), {"present": "1", "q": "dup"})
    assert response.url.endswith("/surveiller?q=dup")


def test_ticking_with_htmx_answers_the_refreshed_list_and_its_etag(invigilator_client, candidate):
    response = invigilator_client.post(action_url("presence", candidate), {"present": "1"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="candidate-list"')
    assert "checked" in html
    assert 'hx-swap-oob="true"' in html
    assert response["ETag"]


def test_unticking_a_started_candidate_is_refused_with_a_message(invigilator_client, candidate):
    start(candidate)
    response = invigilator_client.post(action_url("presence", candidate), {}, follow=True)
    assert messages_of(response) == ["Ce candidat a déjà commencé son test : sa présence ne peut plus être décochée."]


def test_ticking_in_a_finalised_session_is_refused_with_a_message(invigilator_client, candidate):
    finalize(candidate.session)
    response = invigilator_client.post(action_url("presence", candidate), {"present": "1"}, follow=True)
    assert "Cette session est finalisée" in messages_of(response)[0]
    candidate.refresh_from_db()
    assert candidate.authorized_to_start is False


# ---------------------------------------------------------------- resume and end


@pytest.mark.parametrize("name", ["authorize_resume", "end_test"])
def test_without_confirmation_it_shows_a_confirmation_step_and_changes_nothing(invigilator_client, candidate, name):
    start(candidate)
    response = invigilator_client.post(action_url(name, candidate))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="confirmed" value="1"' in html
    assert "DUPONT Martine" in html
    assert not AuditEvent.objects.filter(candidate_id_ref=candidate.pk).exists()


def test_a_confirmed_resume_is_authorised_with_a_confirmation_message(invigilator_client, candidate):
    start(candidate)
    response = invigilator_client.post(action_url("authorize_resume", candidate), {"confirmed": "1"}, follow=True)
    candidate.refresh_from_db()
    assert candidate.authorized_to_start is True
    assert messages_of(response)[0].startswith("La reprise du test est autorisée pour DUPONT Martine")


def test_a_confirmed_end_ends_the_test_with_a_confirmation_message(invigilator_client, candidate):
    start(candidate)
    response = invigilator_client.post(action_url("end_test", candidate), {"confirmed": "1"}, follow=True)
    assert Certification.objects.get(candidate=candidate).state == CertificationState.ENDED_BY_INVIGILATOR
    assert messages_of(response) == ["Le test de certification de DUPONT Martine est terminé."]
    assert "Terminé par le surveillant" in response.content.decode()


def test_ending_a_test_that_did_not_start_is_refused_with_a_message(invigilator_client, candidate):
    response = invigilator_client.post(action_url("end_test", candidate), {"confirmed": "1"}, follow=True)
    assert messages_of(response) == ["Ce candidat n'a pas encore commencé son test."]


@pytest.mark.parametrize("name", ["authorize_resume", "end_test"])
def test_actions_on_a_finalised_session_are_refused_with_a_message(invigilator_client, candidate, name):
    start(candidate)
    finalize(candidate.session)
    response = invigilator_client.post(action_url(name, candidate), {"confirmed": "1"}, follow=True)
    assert "Cette session est finalisée" in messages_of(response)[0]
    assert Certification.objects.get(candidate=candidate).state == CertificationState.STARTED


def test_every_action_records_who_did_it(invigilator_client, candidate, invigilator_user):
    invigilator_client.post(action_url("presence", candidate), {"present": "1"})
    start(candidate)
    invigilator_client.post(action_url("authorize_resume", candidate), {"confirmed": "1"})
    invigilator_client.post(action_url("end_test", candidate), {"confirmed": "1"})
    events = AuditEvent.objects.filter(candidate_id_ref=candidate.pk).order_by("id")
    assert [(e.action, e.actor) for e in events] == [
        ("candidate.presence_confirmed", invigilator_user),
        ("candidate.resume_authorized", invigilator_user),
        ("certification.ended_by_invigilator", invigilator_user),
    ]


def test_a_second_invigilator_acts_on_the_same_session(client, session, candidate):
    from invigilation.models import InvigilatorAccess
    from tests.factories import UserFactory

    second = UserFactory()
    InvigilatorAccess.objects.create(user=second, session=session)
    client.force_login(second)
    client.post(action_url("presence", candidate), {"present": "1"})
    candidate.refresh_from_db()
    assert candidate.authorized_to_start is True


def test_the_first_candidate_of_a_session_is_independent_of_the_others(invigilator_client, session, candidate):
    other = CandidateFactory(session=session)
    invigilator_client.post(action_url("presence", candidate), {"present": "1"})
    other.refresh_from_db()
    assert other.authorized_to_start is False
