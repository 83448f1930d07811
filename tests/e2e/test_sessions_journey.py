import re

from playwright.sync_api import expect

from sessions_app.models import Session
from tests.factories import SessionFactory


def test_an_admin_creates_reads_edits_and_deletes_sessions(
    live_server, page, login, admin_user, center, assert_accessible
):
    login(page, admin_user.email)
    page.goto(f"{live_server.url}/sessions/liste")
    expect(page.get_by_role("heading", name="Créez votre première session de certification")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Créer une session +").click()
    page.get_by_role("button", name="Créer la session").click()
    expect(page.get_by_text("Veuillez indiquer un nom de site.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Nom du site").fill("Université Pix")
    page.get_by_label("Nom de la salle").fill("B12")
    page.get_by_label("Date de début").fill("2030-01-09")
    page.get_by_label("Heure de début (heure locale)").fill("15:00")
    page.get_by_label("Surveillant(s)").fill("Surveillant test")
    page.get_by_role("button", name="Créer la session").click()

    session = Session.objects.get(room="B12")
    expect(page).to_have_url(f"{live_server.url}/sessions/{session.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Session {session.pk}")
    expect(page.get_by_text("mercredi 09 janv. 2030")).to_be_visible()
    expect(page.locator("#session-access-code")).to_have_text(session.access_code)
    expect(page.locator("#session-password")).to_have_text(f"C-{session.invigilator_password}")
    assert re.fullmatch(r"[A-Z]{4}\d{2}", page.locator("#session-access-code").inner_text())
    assert_accessible(page)

    page.get_by_role("link", name="Modifier", exact=True).click()
    page.get_by_label("Nom de la salle").fill("Salle B304")
    page.get_by_role("button", name="Modifier la session").click()
    expect(page.get_by_text("La session a été modifiée avec succès.")).to_be_visible()
    expect(page.get_by_role("definition").filter(has_text="Salle B304")).to_be_visible()

    other = SessionFactory(center=center, room="Salle à supprimer")
    page.goto(f"{live_server.url}/sessions/liste")
    expect(page.get_by_role("cell", name="Salle à supprimer")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=f"Supprimer la session {other.pk}").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Supprimer la session").click()
    expect(page.get_by_text(f"La session {other.pk} a été supprimée.")).to_be_visible()
    expect(page.get_by_role("cell", name="Salle à supprimer")).to_have_count(0)
    assert not Session.objects.filter(pk=other.pk).exists()
    assert Session.objects.filter(pk=session.pk).exists()


def test_cancelling_the_delete_dialog_keeps_the_session(live_server, page, login, admin_user, center):
    session = SessionFactory(center=center, room="Salle gardée")
    login(page, admin_user.email)
    page.goto(f"{live_server.url}/sessions/liste")
    page.get_by_role("button", name=f"Supprimer la session {session.pk}").click()
    page.get_by_role("dialog").get_by_role("button", name="Annuler").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert Session.objects.filter(pk=session.pk).exists()
