import pytest

from tests.factories import UserFactory


def login(client, email, **extra):
    return client.post("/connexion", {"username": email, "password": "pixcertif", **extra})


def test_a_centre_member_lands_on_the_sessions_list(client, member_user):
    assert login(client, member_user.email)["Location"] == "/sessions/liste"


def test_an_account_with_no_centre_lands_on_the_invigilator_entry(client, invigilator_user):
    assert login(client, invigilator_user.email)["Location"] == "/connexion-espace-surveillant"


def test_next_of_this_site_is_honoured(client, invigilator_user):
    response = login(client, invigilator_user.email, next="/certifications")
    assert response["Location"] == "/certifications"


@pytest.mark.parametrize(
    "target", ["https://elsewhere.example/", "//elsewhere.example/", "javascript:alert(1)", "https:/\\elsewhere"]
)
def test_next_to_another_site_is_ignored(client, member_user, target):
    assert login(client, member_user.email, next=target)["Location"] == "/sessions/liste"


def test_the_home_page_sends_a_member_to_the_sessions(client, member_user):
    client.force_login(member_user)
    assert client.get("/")["Location"] == "/sessions/liste"


def test_the_home_page_sends_an_anonymous_visitor_to_the_login(client, db):
    assert client.get("/")["Location"].startswith("/connexion")


def test_a_logged_in_visitor_of_the_login_page_goes_to_their_landing(client, db):
    client.force_login(UserFactory())
    assert client.get("/connexion")["Location"] == "/connexion-espace-surveillant"
