"""The exam day's hot requests check the login on the account row their own query reads
(`pixcertif.accounts.session_login`): every way a login ends or is gated behaves as Django's
`get_user` and the middlewares make it behave on any other page."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.utils import timezone

from invigilation.models import InvigilatorAccess
from pixcertif.accounts.models import LoginSession
from sessions_app.models import Certification
from sessions_app.services.certification import candidate_set_presence
from tests.factories import CandidateFactory, ProfileFactory, UserFactory, certifiable_levels, make_bank

HTMX = {"HX-Request": "true"}


@pytest.fixture
def started(client, db) -> Certification:
    make_bank(levels=[1])
    user = UserFactory(email="eleve@example.test")
    ProfileFactory(user=user, levels=certifiable_levels(level=1, count=5))
    candidate = CandidateFactory(user=user)
    candidate_set_presence(candidate=candidate, present=True, by=None)
    client.force_login(user)
    client.post(f"/certifications/candidat/{candidate.pk}", {"access_code": candidate.session.access_code})
    return Certification.objects.get(candidate=candidate)


def page(certification) -> str:
    return f"/certifications/{certification.pk}"


def answer(client, certification, **headers):
    return client.post(f"{page(certification)}/reponse", {"index": 0, "answer": "1"}, headers=headers)


def heartbeat(client, certification):
    return client.post(f"{page(certification)}/presence", {"token": "x"})


def recorded(certification) -> list[str]:
    return list(certification.challenges.order_by("index").values_list("result", flat=True))[:1]


def test_the_question_page_and_the_answer_work_with_a_valid_login(client, started):
    assert "Question 1 / " in client.get(page(started)).content.decode()
    assert answer(client, started).status_code == 302
    assert recorded(started) == ["ok"]


def test_a_password_changed_elsewhere_ends_the_login_of_the_test_page(client, started):
    started.user.set_password("un-autre-mot-de-passe-2026")
    started.user.save()
    response = client.get(page(started))
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion")
    assert not LoginSession.objects.exists()  # flushed, as Django does
    assert client.get(page(started))["Location"].startswith("/connexion")


def test_a_password_changed_elsewhere_refuses_the_answer_and_writes_nothing(client, started):
    started.user.set_password("un-autre-mot-de-passe-2026")
    started.user.save()
    response = answer(client, started, **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/connexion")
    assert recorded(started) == [""]
    assert not LoginSession.objects.exists()


def test_a_deactivated_account_is_logged_out_everywhere_on_the_test(client, started):
    type(started.user).objects.filter(pk=started.user.pk).update(is_active=False)
    assert client.get(page(started))["Location"].startswith("/connexion")
    assert answer(client, started)["Location"].startswith("/connexion")
    assert heartbeat(client, started)["Location"].startswith("/connexion")
    assert recorded(started) == [""]


def test_a_login_signed_with_a_former_secret_key_goes_on_and_is_renewed(client, started, settings):
    key_before = client.session.session_key
    renewed = {
        "SECRET_KEY": "la-nouvelle-cle-secrete-0123456789-abcdefghij",
        "SECRET_KEY_FALLBACKS": [settings.SECRET_KEY],
    }
    with override_settings(**renewed):
        assert answer(client, started).status_code == 302
        assert recorded(started) == ["ok"]
        assert client.session.session_key != key_before  # cycled, as Django does
        assert "Question 2 / " in client.get(page(started)).content.decode()


def test_a_one_time_password_to_replace_comes_first_and_nothing_is_written(client, started):
    type(started.user).objects.filter(pk=started.user.pk).update(must_change_password=True)
    assert client.get(page(started))["Location"].startswith("/mot-de-passe/choisir")
    assert answer(client, started)["Location"].startswith("/mot-de-passe/choisir")
    assert answer(client, started, **HTMX)["HX-Redirect"].startswith("/mot-de-passe/choisir")
    assert heartbeat(client, started)["Location"].startswith("/mot-de-passe/choisir")
    assert recorded(started) == [""]


def test_terms_of_use_not_accepted_come_first(client, started):
    type(started.user).objects.filter(pk=started.user.pk).update(cgu_accepted_at=None)
    assert client.get(page(started))["Location"].startswith("/cgu")
    assert answer(client, started)["Location"].startswith("/cgu")
    assert recorded(started) == [""]


def test_another_accounts_test_is_a_404_and_no_login_a_login_page(client, started):
    stranger = UserFactory(cgu_accepted_at=timezone.now())
    client.force_login(stranger)
    assert client.get(page(started)).status_code == 404
    assert answer(client, started).status_code == 404
    assert heartbeat(client, started).status_code == 404
    client.logout()
    assert client.get(page(started))["Location"].startswith("/connexion")
    assert answer(client, started)["Location"].startswith("/connexion")


# ---------------------------------------------------------------- the invigilator's live list


@pytest.fixture
def watching(client, session, invigilator_user):
    InvigilatorAccess.objects.create(user=invigilator_user, session=session)
    client.force_login(invigilator_user)
    return f"/sessions/{session.pk}/surveiller/candidats"


def test_the_live_list_polls_with_a_valid_login(client, watching):
    assert client.get(watching, headers=HTMX).status_code == 200


def test_a_password_changed_elsewhere_ends_the_invigilators_polls(client, watching, invigilator_user):
    invigilator_user.set_password("un-autre-mot-de-passe-2026")
    invigilator_user.save()
    response = client.get(watching, headers=HTMX)
    assert response["HX-Redirect"].startswith("/connexion")
    assert not LoginSession.objects.exists()


def test_a_deactivated_invigilator_gets_no_list(client, watching, invigilator_user):
    type(invigilator_user).objects.filter(pk=invigilator_user.pk).update(is_active=False)
    response = client.get(watching)
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion")


def test_the_invigilators_terms_of_use_come_first(client, watching, invigilator_user):
    type(invigilator_user).objects.filter(pk=invigilator_user.pk).update(cgu_accepted_at=None)
    assert client.get(watching)["Location"].startswith("/cgu")


# ---------------------------------------------------------------- the session's data, verified once


def test_the_sessions_data_read_as_django_reads_them(db, settings, caplog):
    """`session_data` gives what Django's `decode` gives, for the same data read again (its
    signature remembered), for tampered data (an empty session, logged) and after the secret key
    changed (data signed with the former key verify only while it is a fallback)."""
    from pixcertif.accounts.login_sessions import SessionStore
    from pixcertif.accounts.session_login import session_data

    store = SessionStore()
    content = {"_auth_user_id": "12", "certification_access": [34], "note": "é"}
    data = store.encode(content)
    assert session_data(store, data) == session_data(store, data) == store.decode(data) == content
    first = session_data(store, data)
    first["certification_access"].append(56)  # each request gets its own copy
    assert session_data(store, data) == content
    assert session_data(store, data[:-1] + ("A" if data[-1] != "A" else "B")) == {}
    assert "Session data corrupted" in caplog.text
    former = settings.SECRET_KEY
    with override_settings(SECRET_KEY="la-nouvelle-cle-secrete-0123456789-abcdefghij", SECRET_KEY_FALLBACKS=[]):
        assert session_data(store, data) == store.decode(data) == {}
    with override_settings(SECRET_KEY="la-nouvelle-cle-secrete-0123456789-abcdefghij", SECRET_KEY_FALLBACKS=[former]):
        assert session_data(store, data) == content
