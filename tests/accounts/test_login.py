from html import unescape

import pytest
from axes.models import AccessAttempt

from tests.factories import UserFactory

WRONG = "L'adresse e-mail ou l'identifiant et/ou le mot de passe saisis sont incorrects."
LOCKED = "la connexion à ce compte depuis votre appareil est bloquée pendant 15 minutes"


@pytest.fixture
def account(db):
    return UserFactory(email="agent@example.org")


def login(client, email="agent@example.org", password="pixcertif", **extra):
    return client.post("/connexion", {"username": email, "password": password, **extra})


def test_the_login_page_shows_the_labels_of_the_guide(client, db):
    page = unescape(client.get("/connexion").content.decode())
    for label in ("Adresse e-mail", "Mot de passe", "Je me connecte", "Mot de passe oublié ?", "Créer un compte"):
        assert label in page


def test_the_right_password_logs_in(client, account):
    response = login(client)
    assert response.status_code == 302
    assert client.get("/connexion-espace-surveillant").wsgi_request.user == account


def test_the_email_is_not_case_sensitive(client, account):
    response = login(client, email="Agent@Example.ORG")
    assert response.status_code == 302


def test_a_wrong_password_says_neither_which_field_was_wrong(client, account):
    response = login(client, password="mauvais")
    assert response.status_code == 200
    assert WRONG in unescape(response.content.decode())
    assert not response.wsgi_request.user.is_authenticated


def test_an_unknown_email_gets_the_same_message(client, db):
    response = login(client, email="personne@example.org")
    assert WRONG in unescape(response.content.decode())


def test_a_malformed_email_gets_the_same_message(client, db):
    response = login(client, email="pas-une-adresse")
    assert response.status_code == 200
    assert WRONG in unescape(response.content.decode())


def test_five_failures_lock_the_account_from_that_address_with_a_clear_message(client, account):
    for _ in range(4):
        assert WRONG in unescape(login(client, password="mauvais").content.decode())
    response = login(client, password="mauvais")
    assert response.status_code == 429
    assert LOCKED in unescape(response.content.decode())
    response = login(client)
    assert response.status_code == 429
    assert LOCKED in unescape(response.content.decode())
    assert not response.wsgi_request.user.is_authenticated


def test_the_lock_cannot_be_dodged_by_changing_the_case_of_the_email(client, account):
    for _ in range(5):
        login(client, password="mauvais")
    response = login(client, email="AGENT@example.org")
    assert response.status_code == 429


def test_the_lock_is_per_account_not_for_everybody(client, account):
    UserFactory(email="autre@example.org")
    for _ in range(5):
        login(client, password="mauvais")
    assert login(client, email="autre@example.org").status_code == 302


def test_a_success_forgets_earlier_failures(client, account):
    for _ in range(3):
        login(client, password="mauvais")
    assert login(client).status_code == 302
    assert not AccessAttempt.objects.filter(failures_since_start__gt=0).exists()


def test_logout_is_a_post(client, account):
    client.force_login(account)
    response = client.post("/deconnexion")
    assert response.status_code == 302
    assert response["Location"] == "/connexion"
    assert not client.get("/connexion").wsgi_request.user.is_authenticated


def test_logout_refuses_a_get(client, account):
    client.force_login(account)
    assert client.get("/deconnexion").status_code == 405
    assert client.get("/connexion-espace-surveillant").wsgi_request.user.is_authenticated
