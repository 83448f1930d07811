from tests.factories import UserFactory


def test_an_account_that_has_not_accepted_the_terms_is_sent_to_them_first(client, db):
    client.force_login(UserFactory(cgu_accepted_at=None))
    response = client.get("/documentation")
    assert response.status_code == 302
    assert response["Location"] == "/cgu?next=%2Fdocumentation"


def test_accepting_the_terms_records_the_time_and_goes_on_to_next(client, db):
    user = UserFactory(cgu_accepted_at=None)
    client.force_login(user)
    response = client.post("/cgu", {"accept": "on", "next": "/documentation"})
    assert response["Location"] == "/documentation"
    user.refresh_from_db()
    assert user.cgu_accepted_at is not None


def test_the_terms_are_never_asked_again_once_accepted(client, db):
    user = UserFactory(cgu_accepted_at=None)
    client.force_login(user)
    client.post("/cgu", {"accept": "on"})
    accepted_at = type(user).objects.get(pk=user.pk).cgu_accepted_at
    assert client.get("/documentation").status_code == 200
    client.post("/cgu", {"accept": "on"})
    assert type(user).objects.get(pk=user.pk).cgu_accepted_at == accepted_at


def test_refusing_the_terms_keeps_the_account_on_the_terms_page(client, db):
    user = UserFactory(cgu_accepted_at=None)
    client.force_login(user)
    response = client.post("/cgu", {})
    assert response.status_code == 200
    assert "Vous devez accepter les conditions" in response.content.decode()
    user.refresh_from_db()
    assert user.cgu_accepted_at is None


def test_the_terms_page_ignores_a_next_to_another_site(client, db):
    client.force_login(UserFactory(cgu_accepted_at=None))
    response = client.post("/cgu", {"accept": "on", "next": "https://elsewhere.example/"})
    assert response["Location"] == "/connexion-espace-surveillant"


def test_logout_stays_possible_before_accepting_the_terms(client, db):
    client.force_login(UserFactory(cgu_accepted_at=None))
    assert client.post("/deconnexion")["Location"] == "/connexion"
