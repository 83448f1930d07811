"""Choosing the language: the footer's switcher, the account's choice, the cookie, Accept-Language."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from tests.factories import UserFactory

COOKIE = settings.LANGUAGE_COOKIE_NAME


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]*)"', response.content.decode()).group(1)


def test_french_is_the_default_without_cookie_or_accept_language(client, db):
    response = client.get("/connexion")
    assert html_lang(response) == "fr"
    assert response.headers["Content-Language"] == "fr"


def test_every_response_says_its_language_and_that_it_depends_on_accept_language(client, db):
    """`LanguageMiddleware` (Django's LocaleMiddleware without language prefixes): on a page, a
    redirect and a 404 alike, the language chosen (the cookie's here) and `Vary: Accept-Language`."""
    client.cookies[COOKIE] = "en"
    for path, status in [("/connexion", 200), ("/", 302), ("/nulle-part", 404)]:
        response = client.get(path, headers={"accept-language": "fr"})
        assert response.status_code == status, path
        assert response.headers["Content-Language"] == "en", path
        assert "Accept-Language" in response.headers["Vary"], path
    assert response.wsgi_request.LANGUAGE_CODE == "en"


def test_the_language_middleware_refuses_language_prefixes_it_does_not_look_for(settings):
    from django.core.exceptions import ImproperlyConfigured

    from pixcertif.accounts.language import LanguageMiddleware

    settings.ROOT_URLCONF = "tests.pixcertif.i18n_urls"
    with pytest.raises(ImproperlyConfigured):
        LanguageMiddleware(lambda request: None)


def test_accept_language_is_honoured_on_the_first_visit(client, db):
    assert html_lang(client.get("/connexion", headers={"accept-language": "en-GB,en;q=0.9"})) == "en"
    assert html_lang(client.get("/connexion", headers={"accept-language": "de-DE,de;q=0.9"})) == "fr"


def test_the_footer_switcher_is_a_post_form_on_every_layout(client, admin_user):
    page = client.get("/connexion").content.decode()
    assert 'action="/i18n/setlang/"' in page and 'method="post"' in page
    assert '<button type="submit" name="language" value="en" lang="en" class="button-link">English</button>' in page
    assert '<span class="language-current" lang="fr" aria-current="true">Français</span>' in page
    assert 'name="next" value="/connexion"' in page
    client.force_login(admin_user)
    assert 'action="/i18n/setlang/"' in client.get("/sessions/liste").content.decode()


def test_the_switcher_sets_the_cookie_and_goes_back_to_the_page(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/connexion"})
    assert response.status_code == 302
    assert response["Location"] == "/connexion"
    assert response.cookies[COOKIE].value == "en"
    assert html_lang(client.get("/connexion")) == "en"
    # The cookie wins over Accept-Language.
    assert html_lang(client.get("/connexion", headers={"accept-language": "fr"})) == "en"


def test_the_switcher_refuses_get(client, db):
    assert client.get("/i18n/setlang/?language=en").status_code == 405


@pytest.mark.parametrize("code", ["de", "xx", "", "en-evil", "fr\r\nSet-Cookie: a=b"])
def test_an_unknown_language_code_is_ignored(client, db, code):
    response = client.post("/i18n/setlang/", {"language": code, "next": "/connexion"})
    assert response.status_code == 302
    assert response["Location"] == "/connexion"
    assert COOKIE not in response.cookies
    assert html_lang(client.get("/connexion")) == "fr"


@pytest.mark.parametrize("target", ["https://evil.example/phish", "//evil.example/", "javascript:alert(1)"])
def test_next_to_another_site_is_refused(client, db, target):
    response = client.post("/i18n/setlang/", {"language": "en", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies[COOKIE].value == "en"


def test_a_logged_in_user_switching_keeps_the_choice_on_the_account(client, admin_user):
    client.force_login(admin_user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/sessions/liste"})
    admin_user.refresh_from_db()
    assert admin_user.language == "en"
    client.post("/i18n/setlang/", {"language": "de", "next": "/sessions/liste"})
    admin_user.refresh_from_db()
    assert admin_user.language == "en"


def test_a_user_who_has_not_accepted_the_terms_can_still_switch(client, db):
    user = UserFactory(email="nouveau@example.org", cgu_accepted_at=None)
    client.force_login(user)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/cgu"})
    assert response["Location"] == "/cgu"
    user.refresh_from_db()
    assert user.language == "en"


def test_at_login_the_account_language_wins_over_the_cookie(client, db):
    UserFactory(email="agent@example.org", language="en")
    client.cookies[COOKIE] = "fr"
    response = client.post("/connexion", {"username": "agent@example.org", "password": "pixcertif"})
    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "en"
    assert html_lang(client.get("/connexion-espace-surveillant")) == "en"


def test_an_account_without_a_language_records_the_one_it_logs_in_with(client, db):
    user = UserFactory(email="agent@example.org")
    assert user.language == ""
    client.post(
        "/connexion", {"username": "agent@example.org", "password": "pixcertif"}, headers={"accept-language": "en"}
    )
    user.refresh_from_db()
    assert user.language == "en"


def test_the_javascript_catalogue_is_a_static_script_in_the_active_language(client, db):
    page = client.get("/connexion").content.decode()
    assert '<script src="/i18n/js/?v=fr" defer></script>' in page
    assert page.index("/i18n/js/") < page.index("js/app.js")
    client.cookies[COOKIE] = "en"
    assert '<script src="/i18n/js/?v=en" defer></script>' in client.get("/connexion").content.decode()
    script = client.get("/i18n/js/?v=en")
    assert script.status_code == 200
    assert "max-age=3600" in script["Cache-Control"] and "private" in script["Cache-Control"]
    assert script["Content-Type"].startswith("text/javascript")
    assert "Copied!" in script.content.decode()


def test_the_admin_pages_carry_the_language_too(client, db):
    staff = UserFactory(email="jury@pix.test", is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert html_lang(client.get("/admin/")) == "fr"
    client.cookies[COOKIE] = "en"
    assert html_lang(client.get("/admin/")) == "en"
