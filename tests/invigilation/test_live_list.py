"""The live list fragment: ETag / Last-Modified from the session's and the rows' stamps, 304 when unchanged."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from sessions_app.services.certification import candidate_set_presence
from sessions_app.services.sessions import session_touch
from tests.factories import CandidateFactory
from tests.invigilation.conftest import finalize


@pytest.fixture
def fragment_url(session):
    return reverse("invigilation:candidate_list", args=[session.pk])


def test_the_fragment_is_the_list_alone(invigilator_client, session, fragment_url):
    CandidateFactory(session=session, last_name="Durand", first_name="Simon")
    response = invigilator_client.get(fragment_url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="candidate-list"')
    assert "DURAND Simon" in html
    assert "<html" not in html


def test_the_fragment_carries_an_etag_a_last_modified_and_must_be_revalidated(invigilator_client, fragment_url):
    response = invigilator_client.get(fragment_url)
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_304_to_the_copy_it_already_sent(invigilator_client, fragment_url):
    etag = invigilator_client.get(fragment_url)["ETag"]
    response = invigilator_client.get(fragment_url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_the_304_path_costs_one_query_with_its_login(invigilator_client, fragment_url, django_assert_num_queries):
    etag = invigilator_client.get(fragment_url)["ETag"]
    with django_assert_num_queries(1):  # the login session, the account, the stamps (with the access check)
        invigilator_client.get(fragment_url, HTTP_IF_NONE_MATCH=etag)


def test_the_page_gives_the_list_the_etag_of_its_copy(invigilator_client, session, fragment_url):
    page = invigilator_client.get(reverse("invigilation:session", args=[session.pk])).content.decode()
    etag = html.unescape(re.search(r'data-etag="([^"]+)"', page).group(1))
    assert invigilator_client.get(fragment_url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_change_in_the_session_gives_a_fresh_200(invigilator_client, session, invigilator_user, fragment_url):
    candidate = CandidateFactory(session=session)
    etag = invigilator_client.get(fragment_url)["ETag"]
    candidate_set_presence(candidate=candidate, present=True, by=invigilator_user)
    response = invigilator_client.get(fragment_url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert f'id="presence-{candidate.pk}" name="present" value="1" checked' in response.content.decode()


def test_a_touched_session_gives_a_fresh_200(invigilator_client, session, fragment_url):
    etag = invigilator_client.get(fragment_url)["ETag"]
    session_touch(session)
    assert invigilator_client.get(fragment_url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_finalising_the_session_gives_a_fresh_200(invigilator_client, session, fragment_url):
    etag = invigilator_client.get(fragment_url)["ETag"]
    finalize(session)
    assert invigilator_client.get(fragment_url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_searched_list_has_its_own_etag(invigilator_client, fragment_url):
    assert invigilator_client.get(fragment_url)["ETag"] != invigilator_client.get(fragment_url + "?q=dur")["ETag"]


def test_an_account_without_access_gets_no_304_but_the_entry_form(client, invigilator_user, session, fragment_url):
    client.force_login(invigilator_user)
    response = client.get(fragment_url, HTTP_IF_NONE_MATCH='"anything"')
    assert response.status_code == 302
    assert response.url.startswith(reverse("invigilation:entry"))


def test_an_htmx_poll_without_access_redirects_the_whole_page(client, invigilator_user, session, fragment_url):
    client.force_login(invigilator_user)
    response = client.get(fragment_url, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(reverse("invigilation:entry"))


def test_an_htmx_poll_after_logout_redirects_to_the_login_page(client, session, fragment_url):
    response = client.get(fragment_url, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith("/connexion?next=")
