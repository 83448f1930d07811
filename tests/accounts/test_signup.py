from html import unescape

from pixcertif.accounts.models import User
from pixcertif.core.models import AuditEvent
from tests.factories import UserFactory

VALID = {
    "first_name": "Camille",
    "last_name": "Durand",
    "email": "Camille.Durand@Example.org",
    "password": "un-mot-de-passe-solide",
    "cgu": "on",
}


def test_it_creates_an_account_logs_in_and_records_the_terms(client, db):
    response = client.post("/inscription", VALID)
    user = User.objects.get(email="camille.durand@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/connexion-espace-surveillant"
    assert user.check_password("un-mot-de-passe-solide")
    assert user.cgu_accepted_at is not None
    assert client.get("/connexion-espace-surveillant").wsgi_request.user == user
    assert AuditEvent.objects.filter(action="user_sign_up", actor=user).exists()


def test_it_refuses_an_email_that_already_has_an_account(client, db):
    UserFactory(email="camille.durand@example.org")
    response = client.post("/inscription", VALID)
    assert response.status_code == 200
    assert "Un compte existe déjà avec cette adresse e-mail." in unescape(response.content.decode())
    assert User.objects.filter(email__iexact="camille.durand@example.org").count() == 1


def test_it_refuses_a_weak_password_with_a_french_message(client, db):
    response = client.post("/inscription", {**VALID, "password": "12345678"})
    assert response.status_code == 200
    assert response.context["form"].has_error("password")
    assert "Ce mot de passe est entièrement numérique." in unescape(response.content.decode())
    assert not User.objects.filter(email="camille.durand@example.org").exists()


def test_it_requires_the_terms_of_use(client, db):
    data = {key: value for key, value in VALID.items() if key != "cgu"}
    response = client.post("/inscription", data)
    assert "Vous devez accepter les conditions générales d'utilisation." in unescape(response.content.decode())
    assert not User.objects.exists()


def test_it_honours_a_next_url_of_this_site(client, db):
    response = client.post("/inscription?next=/invitation/abc", VALID)
    assert response["Location"] == "/invitation/abc"


def test_it_ignores_a_next_url_to_another_site(client, db):
    response = client.post("/inscription", {**VALID, "next": "https://elsewhere.example/"})
    assert response["Location"] == "/connexion-espace-surveillant"


def test_it_prefills_the_email_of_an_invitation(client, db):
    response = client.get("/inscription?email=invite@example.org&next=/invitation/abc")
    assert 'value="invite@example.org"' in unescape(response.content.decode())


def test_the_signup_page_links_to_readable_terms_of_use(client, db):
    response = client.get("/cgu")
    assert response.status_code == 200
    assert "Conditions générales d'utilisation" in unescape(response.content.decode())
    assert 'name="accept"' not in unescape(response.content.decode())
