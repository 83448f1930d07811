"""Usernames ("identifiant"): generation, login with an e-mail address or a username, throttling."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest
from django.db import IntegrityError, transaction

from pixcertif.accounts.models import User
from pixcertif.accounts.usernames import base_username, login_key, unique_usernames
from tests.factories import UserFactory

WRONG = "L'adresse e-mail ou l'identifiant et/ou le mot de passe saisis sont incorrects."
LOCKED = "la connexion à ce compte depuis votre appareil est bloquée pendant 15 minutes"


@pytest.fixture
def pupil(db):
    return UserFactory(email=None, username="sophie.delarue0407")


def login(client, name: str, password: str = "pixcertif"):
    return client.post("/connexion", {"username": name, "password": password})


def test_a_username_is_first_name_dot_last_name_and_day_and_month_of_birth():
    assert base_username("Sophie", "Delarue", dt.date(2001, 7, 4)) == "sophie.delarue0407"


def test_accents_spaces_hyphens_and_apostrophes_are_dropped():
    assert base_username("Jean-Émile", "D'Ávila de la Tour", dt.date(2010, 12, 25)) == "jeanemile.daviladelatour2512"


def test_a_very_long_name_keeps_the_username_within_its_length_and_room_for_a_counter():
    name = base_username("A" * 80, "B" * 80, dt.date(2010, 1, 2))
    assert len(name) <= 60 and name.endswith("0201")


def test_two_pupils_with_the_same_names_and_birth_date_get_a_unique_suffix(db):
    UserFactory(email=None, username="sophie.delarue0407")
    assert unique_usernames(["sophie.delarue0407", "sophie.delarue0407", "paul.martin0101"]) == [
        "sophie.delarue04072",
        "sophie.delarue04073",
        "paul.martin0101",
    ]


def test_the_database_refuses_a_username_that_looks_like_an_email(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email=None, username="sophie@delarue.fr")


def test_the_database_refuses_an_account_without_email_or_username(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email=None, username=None)


def test_the_login_page_asks_for_an_email_or_a_username(client, db):
    assert "Adresse e-mail ou identifiant" in unescape(client.get("/connexion").content.decode())


def test_a_pupil_logs_in_with_the_username_in_any_case(client, pupil):
    response = login(client, " Sophie.Delarue0407 ")
    assert response.status_code == 302
    assert client.get("/connexion-espace-surveillant").wsgi_request.user == pupil


def test_an_account_with_both_logs_in_with_either(client, db):
    UserFactory(email="lea@example.org", username="lea.martin0101")
    assert login(client, "lea@example.org").status_code == 302
    client.logout()
    assert login(client, "lea.martin0101").status_code == 302


def test_a_wrong_password_with_a_username_gets_the_one_message(client, pupil):
    response = login(client, "sophie.delarue0407", "mauvais")
    assert response.status_code == 200
    assert WRONG in unescape(response.content.decode())


def test_a_disabled_account_cannot_log_in_with_its_username(client, pupil):
    pupil.is_active = False
    pupil.save()
    response = login(client, "sophie.delarue0407")
    assert response.status_code == 200
    assert WRONG in unescape(response.content.decode())
    assert not response.wsgi_request.user.is_authenticated


def test_five_failures_with_a_username_lock_it(client, pupil):
    for _ in range(5):
        login(client, "sophie.delarue0407", "mauvais")
    response = login(client, "SOPHIE.DELARUE0407")
    assert response.status_code == 429
    assert LOCKED in unescape(response.content.decode())


def test_alternating_the_email_and_the_username_of_one_account_shares_one_counter(client, db):
    UserFactory(email="lea@example.org", username="lea.martin0101")
    for name in ["lea@example.org", "lea.martin0101"] * 2 + ["LEA@example.org"]:
        login(client, name, "mauvais")
    assert login(client, "lea.martin0101").status_code == 429


def test_the_throttling_key_names_the_account_or_the_typed_text(db):
    user = UserFactory(email="lea@example.org", username="lea.martin0101")
    assert login_key("Lea.Martin0101") == login_key("LEA@example.org") == f"compte:{user.pk}"
    assert login_key(" Personne ") == "personne"


def test_a_one_time_password_account_chooses_its_password_before_anything_else(client, db):
    user = UserFactory(email=None, username="paul.martin0101", must_change_password=True)
    response = login(client, "paul.martin0101")
    assert response.status_code == 302
    page = client.get("/sessions/liste")
    assert page.status_code == 302 and page["Location"].startswith("/mot-de-passe/choisir")
    response = client.post(
        "/mot-de-passe/choisir", {"new_password1": "Cerf-volant-2026", "new_password2": "Cerf-volant-2026"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.must_change_password is False
    assert user.check_password("Cerf-volant-2026")
    assert client.get("/connexion-espace-surveillant").status_code == 200


def test_choosing_a_password_applies_the_password_rules(client, db):
    UserFactory(email=None, username="paul.martin0101", must_change_password=True)
    login(client, "paul.martin0101")
    response = client.post("/mot-de-passe/choisir", {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert User.objects.get(username="paul.martin0101").must_change_password is True
