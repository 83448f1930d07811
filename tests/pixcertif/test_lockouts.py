"""Lockouts that punish the attacker, not the people behind the same proxy or the same school NAT.

Production runs behind one reverse proxy (PROXY_COUNT=1): REMOTE_ADDR is the proxy's, the client
is the address the proxy appended to X-Forwarded-For. Every throttle and django-axes read it
through one function, `pixcertif.accounts.throttle.client_ip`.
"""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import reverse

from invigilation.models import InvigilatorAccess
from pixcertif.core.models import AuditEvent
from tests.factories import UserFactory

PROXY = "10.0.0.1"
ATTACKER = "203.0.113.5"
SCHOOL = "198.51.100.7"
OTHER = "192.0.2.44"
LOCKED = "bloquée pendant 15 minutes"


@pytest.fixture(autouse=True)
def behind_one_proxy(settings):
    settings.PROXY_COUNT = 1


def via_proxy(address: str) -> dict[str, str]:
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"6.6.6.6, {address}"}


def login(client, email, password, address):
    return client.post("/connexion", {"username": email, "password": password}, **via_proxy(address))


# ---------------------------------------------------------------- login (django-axes)


def test_five_wrong_passwords_lock_the_account_only_from_the_attackers_address(client, db):
    UserFactory(email="agent@example.org")
    for _ in range(5):
        login(client, "agent@example.org", "mauvais", ATTACKER)
    assert login(client, "agent@example.org", "pixcertif", ATTACKER).status_code == 429
    assert login(client, "agent@example.org", "pixcertif", SCHOOL).status_code == 302


def test_a_pupil_locking_their_own_account_does_not_lock_a_classmate_behind_the_same_nat(client, db):
    UserFactory(email="eleve01@example.org")
    UserFactory(email="eleve02@example.org")
    for _ in range(5):
        login(client, "eleve01@example.org", "mauvais", SCHOOL)
    assert login(client, "eleve01@example.org", "pixcertif", SCHOOL).status_code == 429
    assert login(client, "eleve02@example.org", "pixcertif", SCHOOL).status_code == 302


def test_spraying_many_accounts_from_one_address_hits_a_ceiling(client, db, settings):
    settings.THROTTLE_LIMITS = {"login": {"per_address": 12}}
    victims = [UserFactory(email=f"cible{i}@example.org") for i in range(13)]
    for victim in victims[:12]:
        assert login(client, victim.email, "mauvais", ATTACKER).status_code == 200
    response = login(client, victims[12].email, "pixcertif", ATTACKER)
    assert response.status_code == 429
    assert "depuis votre réseau" in unescape(response.content.decode())
    assert not response.wsgi_request.user.is_authenticated
    # the ceiling is the attacker's address only
    assert login(client, victims[12].email, "pixcertif", OTHER).status_code == 302


def test_the_login_ceiling_per_address_is_a_few_hundred_by_default(settings):
    from pixcertif.accounts.views import LOGIN_GUARD

    assert LOGIN_GUARD.limits()["per_address"] >= 100


# ---------------------------------------------------------------- invigilator entry


def enter(client, session, password, address):
    data = {"session_number": str(session.pk), "password": password}
    return client.post(reverse("invigilation:entry"), data, **via_proxy(address))


def test_ten_wrong_tries_by_a_pupil_do_not_shut_out_the_invigilators_of_the_school(client, session):
    client.force_login(UserFactory())
    for _ in range(10):
        enter(client, session, "C-WRONG", SCHOOL)
    assert enter(client, session, session.password_display, SCHOOL).status_code == 429
    invigilator = UserFactory()
    client.force_login(invigilator)
    assert enter(client, session, session.password_display, SCHOOL).status_code == 302
    assert InvigilatorAccess.objects.filter(user=invigilator, session=session).exists()


def test_the_entry_is_limited_loosely_per_address_across_accounts(client, session, settings):
    settings.THROTTLE_LIMITS = {"invigilator-entry": {"per_address": 6}}
    for _ in range(3):
        client.force_login(UserFactory())
        enter(client, session, "C-WRONG", ATTACKER)
        enter(client, session, "C-WRONG", ATTACKER)
    client.force_login(UserFactory())
    assert enter(client, session, session.password_display, ATTACKER).status_code == 429
    assert enter(client, session, session.password_display, OTHER).status_code == 302


def test_a_failed_entry_is_audited_with_the_account_and_the_address(client, session):
    user = UserFactory()
    client.force_login(user)
    enter(client, session, "C-WRONG", SCHOOL)
    event = AuditEvent.objects.get(action="invigilation.access_refused")
    assert event.actor_id == user.pk
    assert event.data["ip"] == SCHOOL


# ---------------------------------------------------------------- verification page


VERIFY = "/verification"


def test_a_locked_verification_answers_429(client, db, settings):
    settings.THROTTLE_LIMITS = {"certificate-verification": {"per_address": 3}}
    for _ in range(3):
        assert client.post(VERIFY, {"code": "P-BCDFGHJK"}, **via_proxy(ATTACKER)).status_code == 200
    response = client.post(VERIFY, {"code": "P-BCDFGHJK"}, **via_proxy(ATTACKER))
    assert response.status_code == 429
    assert "Trop de tentatives" in unescape(response.content.decode())
    assert client.post(VERIFY, {"code": "P-BCDFGHJK"}, **via_proxy(OTHER)).status_code == 200


def test_a_failed_verification_is_audited_with_the_address(client, db):
    client.post(VERIFY, {"code": "P-BCDFGHJK"}, **via_proxy(ATTACKER))
    event = AuditEvent.objects.get(action="certificate.verification_failed")
    assert event.data == {"code": "P-BCDFGHJK", "ip": ATTACKER}
