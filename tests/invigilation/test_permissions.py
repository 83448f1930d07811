"""Who may open and post what in the invigilator space."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import CandidateFactory, SessionFactory
from tests.invigilation.conftest import start

ACTIONS = ["presence", "authorize_resume", "end_test"]


def session_urls(session):
    return [
        reverse("invigilation:session", args=[session.pk]),
        reverse("invigilation:candidate_list", args=[session.pk]),
    ]


def test_an_anonymous_visitor_is_sent_to_the_login_page_everywhere(client, session, candidate):
    for url in [
        *session_urls(session),
        *(reverse(f"invigilation:{a}", args=[session.pk, candidate.pk]) for a in ACTIONS),
    ]:
        method = client.get if "candidats/" not in url else client.post
        response = method(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/connexion?next="), url


def test_an_account_that_never_entered_the_password_is_sent_to_the_entry_form(client, invigilator_user, session):
    client.force_login(invigilator_user)
    response = client.get(reverse("invigilation:session", args=[session.pk]))
    assert response.status_code == 302
    assert response.url == f"{reverse('invigilation:entry')}?numero={session.pk}"


def test_the_entry_form_is_prefilled_with_the_session_number(client, invigilator_user, session):
    client.force_login(invigilator_user)
    html = client.get(f"{reverse('invigilation:entry')}?numero={session.pk}").content.decode()
    assert f'value="{session.pk}"' in html


def test_an_administrator_of_the_centre_still_needs_the_password(center_admin_client, session):
    response = center_admin_client.get(reverse("invigilation:session", args=[session.pk]))
    assert response.url.startswith(reverse("invigilation:entry"))


def test_access_to_one_session_opens_no_other(invigilator_client, center):
    other = SessionFactory(center=center)
    response = invigilator_client.get(reverse("invigilation:session", args=[other.pk]))
    assert response.url.startswith(reverse("invigilation:entry"))


def test_an_unknown_or_huge_session_number_in_the_url_is_sent_to_the_entry_form(invigilator_client):
    for number in [999999, 99999999999999999999]:
        for path in ["surveiller", "surveiller/candidats"]:
            response = invigilator_client.get(f"/sessions/{number}/{path}")
            assert response.status_code == 302, path


@pytest.mark.parametrize("action", ACTIONS)
def test_posting_a_candidate_of_another_session_is_a_404(invigilator_client, session, action):
    foreign = CandidateFactory(session=SessionFactory())
    start(foreign)
    response = invigilator_client.post(
        reverse(f"invigilation:{action}", args=[session.pk, foreign.pk]), {"present": "1", "confirmed": "1"}
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.authorized_to_start is False


@pytest.mark.parametrize("action", ACTIONS)
def test_posting_to_a_session_without_access_changes_nothing(client, invigilator_user, session, action):
    candidate = CandidateFactory(session=session)
    client.force_login(invigilator_user)
    response = client.post(reverse(f"invigilation:{action}", args=[session.pk, candidate.pk]), {"present": "1"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.authorized_to_start is False


@pytest.mark.parametrize("action", ACTIONS)
def test_a_get_on_an_action_is_a_405(invigilator_client, candidate, action):
    response = invigilator_client.get(reverse(f"invigilation:{action}", args=[candidate.session_id, candidate.pk]))
    assert response.status_code == 405


def test_a_post_on_the_page_or_the_fragment_is_a_405(invigilator_client, session):
    for url in session_urls(session):
        assert invigilator_client.post(url).status_code == 405
