"""Wording where the guides say it: the login page, the way back to the list, the help's contact."""

from django.test import override_settings


def test_the_login_page_says_access_is_limited_to_certification_centres_and_welcomes_candidates(client, db):
    page = client.get("/connexion").content.decode()
    assert "L&#x27;accès à Pix Certif est limité aux centres de certification Pix." in page or (
        "L'accès à Pix Certif est limité aux centres de certification Pix." in page
    )
    assert "Vous passez la certification ?" in page


def test_every_session_page_leads_back_to_the_list_of_sessions(center_admin_client, session):
    page = center_admin_client.get(f"/sessions/{session.pk}").content.decode()
    assert '<a href="/sessions/liste">← Retour à la liste des sessions</a>' in page


@override_settings(CONTACT_EMAIL="aide@centre.example")
def test_the_help_page_has_a_contact_link(center_admin_client):
    page = center_admin_client.get("/documentation").content.decode()
    assert '<a href="mailto:aide@centre.example">aide@centre.example</a>' in page
