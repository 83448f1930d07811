"""The database unreachable: a 503 with Retry-After and a French page (an htmx fragment for htmx)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from invigilation.models import InvigilatorAccess
from tests.factories import SessionFactory, UserFactory

MESSAGE = "Le service est momentanément indisponible, réessayez dans quelques instants."


@contextmanager
def database_unreachable():
    """The test database made unreachable for the requests inside the block (as in a restart)."""
    settings = connection.settings_dict
    saved = {key: settings.get(key) for key in ("NAME", "PORT", "HOST")}
    connection.close()
    if connection.vendor == "sqlite":
        settings["NAME"] = "/nonexistent-folder/pixcertif.sqlite3"
    else:
        settings["HOST"], settings["PORT"] = "127.0.0.1", "1"
    try:
        yield
    finally:
        connection.close()
        settings.update(saved)


@pytest.fixture
def logged_in(transactional_db):
    client = Client(raise_request_exception=False)
    user = UserFactory()
    session = SessionFactory()
    InvigilatorAccess.objects.create(user=user, session=session)
    client.force_login(user)
    return client, session


def test_a_page_answers_503_with_retry_after_and_the_french_message(logged_in):
    client, session = logged_in
    with database_unreachable():
        response = client.get(reverse("invigilation:session", args=[session.pk]))
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert MESSAGE in response.content.decode()
    assert "<h1>" in response.content.decode()


def test_the_invigilators_live_list_gets_a_fragment_to_show_beside_its_last_copy(logged_in):
    client, session = logged_in
    with database_unreachable():
        response = client.get(reverse("invigilation:candidate_list", args=[session.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 503
    assert response["Retry-After"]
    body = response.content.decode()
    assert MESSAGE in body and "<html" not in body and 'id="candidate-list"' not in body


def test_a_post_during_the_outage_is_a_503_too(logged_in):
    client, _session = logged_in
    with database_unreachable():
        response = client.post(reverse("invigilation:entry"), {"session_number": "1", "password": "x"})
    assert response.status_code == 503


def test_the_service_answers_again_once_the_database_is_back(logged_in):
    client, session = logged_in
    with database_unreachable():
        client.get(reverse("invigilation:session", args=[session.pk]))
    assert client.get(reverse("invigilation:session", args=[session.pk])).status_code == 200


def test_another_error_stays_a_500(client, settings, db):
    from django.test import RequestFactory

    from pixcertif.outage import server_error

    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
