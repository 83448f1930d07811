"""One permission matrix for every enrolment URL: anonymous → login, stranger → 404,
GET on a POST-only view → 405."""

import pytest

from tests.factories import CandidateFactory

PAGES = [
    "/sessions/{s}/candidats",
    "/sessions/{s}/candidats/ajout",
    "/sessions/{s}/candidats/{c}/modification",
    "/sessions/{s}/liste-candidats.ods",
    "/sessions/{s}/inscription-eleves",
]
POSTS = [
    "/sessions/{s}/candidats/{c}/suppression",
    "/sessions/{s}/candidats/import",
    "/sessions/{s}/inscription-eleves/ajout",
]


@pytest.fixture
def urls(session):
    candidate = CandidateFactory(session=session)
    return lambda pattern: pattern.format(s=session.pk, c=candidate.pk)


@pytest.mark.parametrize("pattern", PAGES + POSTS + ["/eleves", "/eleves/import"])
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, urls, pattern):
    url = urls(pattern)
    method = client.post if pattern in POSTS or pattern == "/eleves/import" else client.get
    response = method(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion?next=")


@pytest.mark.parametrize("pattern", PAGES + POSTS)
def test_another_centre_gets_a_404(stranger_client, urls, pattern):
    method = stranger_client.post if pattern in POSTS else stranger_client.get
    assert method(urls(pattern)).status_code == 404


@pytest.mark.parametrize("pattern", [*POSTS, "/eleves/import"])
def test_a_get_on_a_post_only_view_is_a_405(center_admin_client, urls, pattern):
    assert center_admin_client.get(urls(pattern)).status_code == 405


def test_a_candidate_of_another_session_of_the_centre_is_a_404(center_admin_client, session, center):
    from tests.factories import SessionFactory

    other = CandidateFactory(session=SessionFactory(center=center))
    response = center_admin_client.get(f"/sessions/{session.pk}/candidats/{other.pk}/modification")
    assert response.status_code == 404


def test_the_roster_is_for_school_admins_only(center_member_client):
    assert center_member_client.get("/eleves").status_code == 403


def test_the_roster_of_a_non_school_centre_is_a_404(client, pro_admin_user):
    client.force_login(pro_admin_user)
    assert client.get("/eleves").status_code == 404
