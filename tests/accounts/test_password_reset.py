import re
from html import unescape

from django.core import mail

from tests.factories import UserFactory


def test_a_reset_link_by_email_lets_the_user_choose_a_new_password_and_log_in(client, db):
    UserFactory(email="oubli@example.org")
    response = client.post("/mot-de-passe-oublie", {"email": "Oubli@example.org"})
    assert response["Location"] == "/mot-de-passe-oublie/envoye"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["oubli@example.org"]
    link = re.search(r"https?://[^/\s]+(/mot-de-passe-oublie/\S+)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    assert "Choisissez un nouveau mot de passe" in unescape(form_page.content.decode())
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(set_url, {"new_password1": "nouveau-secret-2026", "new_password2": "nouveau-secret-2026"})
    assert done["Location"] == "/mot-de-passe-oublie/termine"

    response = client.post("/connexion", {"username": "oubli@example.org", "password": "nouveau-secret-2026"})
    assert response.status_code == 302


def test_the_old_password_no_longer_works_after_a_reset(client, db):
    user = UserFactory(email="oubli@example.org")
    client.post("/mot-de-passe-oublie", {"email": "oubli@example.org"})
    link = re.search(r"https?://[^/\s]+(/mot-de-passe-oublie/\S+)", mail.outbox[0].body).group(1)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": "nouveau-secret-2026", "new_password2": "nouveau-secret-2026"})
    user.refresh_from_db()
    assert not user.check_password("pixcertif")


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, db):
    response = client.post("/mot-de-passe-oublie", {"email": "inconnu@example.org"})
    assert response["Location"] == "/mot-de-passe-oublie/envoye"
    assert mail.outbox == []


def test_a_used_reset_link_says_so(client, db):
    UserFactory(email="oubli@example.org")
    client.post("/mot-de-passe-oublie", {"email": "oubli@example.org"})
    link = re.search(r"https?://[^/\s]+(/mot-de-passe-oublie/\S+)", mail.outbox[0].body).group(1)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": "nouveau-secret-2026", "new_password2": "nouveau-secret-2026"})
    response = client.get(link, follow=True)
    assert "Ce lien de réinitialisation n'est plus valide" in unescape(response.content.decode())
