"""One permission matrix for every finalisation URL: anonymous → login, stranger → 404, GET on a POST → 405."""

import pytest

from finalisation.services import attachment_add, issue_report_add
from tests.factories import UserFactory
from tests.finalisation.test_attachments import PDF, upload

GET_URLS = ["", "/signalement/{cert}", "/confirmation", "/pieces-jointes/{attachment}"]
POST_URLS = [
    "/signalement/{cert}",
    "/signalements/{report}/suppression",
    "/abandon/{cert}",
    "/informations",
    "/pieces-jointes",
    "/pieces-jointes/{attachment}/suppression",
    "/finaliser",
]
POST_ONLY = [url for url in POST_URLS if url not in GET_URLS]


@pytest.fixture
def urls(unfinished, admin_user):
    session = unfinished.candidate.session
    report = issue_report_add(certification=unfinished, code="C6", question_number=None, description="", by=admin_user)
    attachment = attachment_add(session=session, kind="screenshot", upload=upload("a.pdf", PDF), by=admin_user)
    ids = {"cert": unfinished.pk, "report": report.pk, "attachment": attachment.pk}
    return lambda suffix: f"/sessions/{session.pk}/finalisation" + suffix.format(**ids)


@pytest.mark.parametrize("suffix", sorted(set(GET_URLS + POST_URLS)))
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, urls, suffix):
    response = client.post(urls(suffix)) if suffix in POST_ONLY else client.get(urls(suffix))
    assert response.status_code == 302 and response["Location"].startswith("/connexion?next=")


@pytest.mark.parametrize("suffix", sorted(set(GET_URLS + POST_URLS)))
def test_another_centre_gets_a_404(stranger_client, urls, suffix):
    response = stranger_client.post(urls(suffix)) if suffix in POST_ONLY else stranger_client.get(urls(suffix))
    assert response.status_code == 404


@pytest.mark.parametrize("suffix", sorted(set(GET_URLS + POST_URLS) - {"/pieces-jointes/{attachment}"}))
def test_an_account_of_no_centre_is_refused(client, urls, suffix):
    client.force_login(UserFactory())
    response = client.post(urls(suffix)) if suffix in POST_ONLY else client.get(urls(suffix))
    assert response.status_code == 403


@pytest.mark.parametrize("suffix", POST_ONLY)
def test_a_get_on_a_change_is_a_405(center_member_client, urls, suffix):
    assert center_member_client.get(urls(suffix)).status_code == 405


@pytest.mark.parametrize("suffix", ["", "/confirmation", "/pieces-jointes/{attachment}"])
def test_a_post_on_a_page_is_a_405(center_member_client, urls, suffix):
    assert center_member_client.post(urls(suffix)).status_code == 405


@pytest.mark.parametrize("suffix", ["", "/signalement/{cert}", "/confirmation", "/pieces-jointes/{attachment}"])
def test_a_member_of_the_centre_opens_every_page(center_member_client, urls, suffix):
    assert center_member_client.get(urls(suffix)).status_code == 200
