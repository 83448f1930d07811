"""/connexion-espace-surveillant: session number + session password."""

from __future__ import annotations

import pytest
from django.urls import reverse

from invigilation.models import InvigilatorAccess
from pixcertif.accounts.models import Attempt
from pixcertif.core.models import AuditEvent
from tests.factories import SessionFactory
from tests.invigilation.conftest import finalize

URL = "/connexion-espace-surveillant"
WRONG = "Le numéro de session et/ou le mot de passe saisis sont incorrects."


@pytest.fixture
def logged_in(client, invigilator_user):
    client.force_login(invigilator_user)
    return client


def post(client, number, password, **extra):
    return client.post(URL, {"session_number": number, "password": password}, **extra)


def test_the_entry_page_shows_the_form_of_the_guide(logged_in):
    html = logged_in.get(URL).content.decode()
    for text in ["Surveiller une session", "Numéro de la session", "Mot de passe de la session", "Exemple : C-12345"]:
        assert text in html
    assert "Surveiller la session</button>" in html


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith("/connexion?next=")


def test_the_right_pair_opens_the_session_page(logged_in, session):
    response = post(logged_in, str(session.pk), session.password_display)
    assert response.status_code == 302
    assert response.url == reverse("invigilation:session", args=[session.pk])


def test_the_right_pair_is_remembered_for_that_account_and_audited(logged_in, session, invigilator_user):
    post(logged_in, str(session.pk), session.password_display)
    assert InvigilatorAccess.objects.filter(user=invigilator_user, session=session).exists()
    assert AuditEvent.objects.get(action="invigilation.access_granted").actor == invigilator_user


def test_entering_again_keeps_one_access(logged_in, session):
    post(logged_in, str(session.pk), session.password_display)
    post(logged_in, str(session.pk), session.password_display)
    assert InvigilatorAccess.objects.filter(session=session).count() == 1
    assert AuditEvent.objects.filter(action="invigilation.access_granted").count() == 1


def test_a_centre_member_needs_no_membership_of_its_own_to_invigilate(client, stranger_user, session):
    client.force_login(stranger_user)
    assert post(client, str(session.pk), session.password_display).status_code == 302


@pytest.mark.parametrize(
    "shape",
    [
        lambda p: f"C-{p}",
        lambda p: p,
        lambda p: f"c-{p.lower()}",
        lambda p: f"  C-{p}  ",
        lambda p: p.lower(),
    ],
    ids=["with-prefix", "without-prefix", "lower-case", "surrounding-spaces", "lower-without-prefix"],
)
def test_it_accepts_the_password_in_every_reasonable_shape(logged_in, session, shape):
    assert post(logged_in, str(session.pk), shape(session.invigilator_password)).status_code == 302


@pytest.mark.parametrize("shape", [lambda n: f"  {n} ", lambda n: f"000{n}"], ids=["spaces", "leading-zeros"])
def test_it_accepts_the_session_number_with_spaces_or_leading_zeros(logged_in, session, shape):
    assert post(logged_in, shape(session.pk), session.password_display).status_code == 302


@pytest.mark.parametrize("number", ["12a", "abc", "-1", "0", "99999999999999999999999", "١٢"])
def test_it_answers_the_one_message_for_a_malformed_session_number(logged_in, session, number):
    response = post(logged_in, number, session.password_display)
    assert response.status_code == 200
    assert WRONG in response.content.decode()


def test_it_answers_the_one_message_for_a_wrong_password(logged_in, session):
    other = SessionFactory()
    response = post(logged_in, str(session.pk), other.password_display)
    assert WRONG in response.content.decode()
    assert not InvigilatorAccess.objects.exists()


def test_it_answers_the_one_message_for_an_unknown_session(logged_in, session):
    response = post(logged_in, str(session.pk + 1000), session.password_display)
    assert WRONG in response.content.decode()


def test_empty_fields_are_required_without_counting_as_a_wrong_try(logged_in, db):
    response = post(logged_in, "", "")
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not Attempt.objects.exists()


def test_it_refuses_a_finalised_session_with_a_clear_message(logged_in, session):
    finalize(session)
    response = post(logged_in, str(session.pk), session.password_display)
    assert "Cette session est finalisée" in response.content.decode()
    assert not InvigilatorAccess.objects.exists()


def test_it_blocks_an_account_after_ten_wrong_tries(client, invigilator_user, session):
    client.force_login(invigilator_user)
    for i in range(10):
        post(client, str(session.pk), "C-WRONG", REMOTE_ADDR=f"10.0.0.{i}")
    response = post(client, str(session.pk), session.password_display, REMOTE_ADDR="10.0.1.1")
    assert response.status_code == 429
    assert "Trop de tentatives erronées" in response.content.decode()
    assert not InvigilatorAccess.objects.exists()


def test_ten_wrong_tries_from_several_accounts_at_one_address_block_nobody_else(client, session):
    from tests.factories import UserFactory

    for _ in range(10):
        client.force_login(UserFactory())
        post(client, str(session.pk), "C-WRONG", REMOTE_ADDR="10.9.9.9")
    client.force_login(UserFactory())
    assert post(client, str(session.pk), session.password_display, REMOTE_ADDR="10.9.9.9").status_code == 302


def test_it_blocks_an_address_past_its_loose_ceiling_across_accounts(client, session, settings):
    from tests.factories import UserFactory

    settings.THROTTLE_LIMITS = {"invigilator-entry": {"per_address": 4}}
    for _ in range(4):
        client.force_login(UserFactory())
        post(client, str(session.pk), "C-WRONG", REMOTE_ADDR="10.9.9.9")
    client.force_login(UserFactory())
    assert post(client, str(session.pk), session.password_display, REMOTE_ADDR="10.9.9.9").status_code == 429


def test_nine_wrong_tries_do_not_block(logged_in, session):
    for _ in range(9):
        post(logged_in, str(session.pk), "C-WRONG")
    assert post(logged_in, str(session.pk), session.password_display).status_code == 302


def test_the_block_ends_after_fifteen_minutes(logged_in, session, time_machine):
    time_machine.move_to("2030-01-10 09:00 +01:00")
    for _ in range(10):
        post(logged_in, str(session.pk), "C-WRONG")
    time_machine.move_to("2030-01-10 09:16 +01:00")
    assert post(logged_in, str(session.pk), session.password_display).status_code == 302


def test_it_lists_the_sessions_the_account_may_return_to(logged_in, invigilator_user, session):
    done = SessionFactory()
    InvigilatorAccess.objects.create(user=invigilator_user, session=session)
    InvigilatorAccess.objects.create(user=invigilator_user, session=done)
    finalize(done)
    html = logged_in.get(URL).content.decode()
    assert reverse("invigilation:session", args=[session.pk]) in html
    assert reverse("invigilation:session", args=[done.pk]) not in html


def test_the_menu_entry_espace_surveillant_leads_here(logged_in):
    html = logged_in.get(URL).content.decode()
    assert f'href="{URL}"' in html
    assert "Espace surveillant" in html
