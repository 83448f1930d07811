"""The invigilator's day on a phone: enter the session, tick presence, follow a start, authorise a
resume, end a test — with axe on every page and no horizontal scrolling at 360 px."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from sessions_app.models import Candidate, Certification, CertificationState
from sessions_app.services.certification import certification_start
from tests.e2e.conftest import PHONE
from tests.factories import CandidateFactory, ProfileFactory, SessionFactory, UserFactory, make_bank


@pytest.fixture
def day(transactional_db):
    """A session of three candidates; Léa Martin has a certifiable profile and joined the session."""
    make_bank()
    session = SessionFactory(address="Collège Jean Moulin", room="Salle B12", examiner="Mme Dupont")
    student = UserFactory(email="lea@example.test", first_name="Léa", last_name="Martin")
    ProfileFactory(user=student)
    lea = CandidateFactory(
        session=session,
        last_name="Martin",
        first_name="Léa",
        user=student,
        extra_time_percentage=30,
        birth_date=dt.date(2010, 4, 2),
    )
    paul = CandidateFactory(session=session, last_name="Dupont", first_name="Paul")
    CandidateFactory(session=session, last_name="Durand", first_name="Simon")
    UserFactory(email="surveillant@example.test")
    return {"session": session, "lea": lea, "paul": paul, "student": student}


def assert_no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_an_invigilator_follows_a_session_from_a_phone(day, live_server, page, login, assert_accessible):
    session, lea = day["session"], day["lea"]
    page.set_viewport_size(PHONE)

    # Entry.
    login(page, "surveillant@example.test")
    assert page.url == f"{live_server.url}/connexion-espace-surveillant"
    expect(page.get_by_role("heading", level=1)).to_have_text("Surveiller une session")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.get_by_label("Numéro de la session").fill(f" {session.pk} ")
    page.get_by_label("Mot de passe de la session").fill(f"c-{session.invigilator_password.lower()}")
    page.get_by_role("button", name="Surveiller la session").click()

    # The session page.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Session {session.pk}")
    assert page.url == f"{live_server.url}/sessions/{session.pk}/surveiller"
    expect(page.get_by_text(session.access_code, exact=True)).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    # Tick two candidates (htmx posts on change; no reload).
    page.get_by_label("MARTIN Léa").check()
    expect(page.locator(".presence-count")).to_have_text("1/3 candidats présents")
    page.get_by_label("DUPONT Paul").check()
    expect(page.locator(".presence-count")).to_have_text("2/3 candidats présents")
    assert Candidate.objects.filter(session=session, authorized_to_start=True).count() == 2

    # The candidate starts: within one poll the list says "En cours".
    certification_start(candidate=lea, user=day["student"])
    row = page.locator(".candidate-row", has_text="MARTIN Léa")
    expect(row.get_by_text("En cours")).to_be_visible(timeout=8000)
    expect(row).to_contain_text("(temps majoré 30 %)")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    # Authorise a resume, through the dialog.
    row.locator("summary", has_text="Actions pour MARTIN Léa").click()
    row.get_by_role("button", name="Autoriser la reprise du test").click()
    dialog = page.locator("#dialog-resume")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("MARTIN Léa")
    assert_accessible(page)
    dialog.get_by_role("button", name="Je confirme l'autorisation").click()
    expect(page.get_by_role("status").first).to_contain_text("La reprise du test est autorisée pour MARTIN Léa")
    lea.refresh_from_db()
    assert lea.authorized_to_start is True

    # End the test, through the dialog.
    row = page.locator(".candidate-row", has_text="MARTIN Léa")
    row.locator("summary", has_text="Actions pour MARTIN Léa").click()
    row.get_by_role("button", name="Terminer le test").click()
    dialog = page.locator("#dialog-end")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Terminer le test").click()
    expect(page.get_by_role("status").first).to_contain_text("Le test de certification de MARTIN Léa est terminé.")
    expect(page.locator(".candidate-row", has_text="MARTIN Léa")).to_contain_text("Terminé par le surveillant")
    assert Certification.objects.get(candidate=lea).state == CertificationState.ENDED_BY_INVIGILATOR
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_touch_targets_of_the_list_are_at_least_44_px(day, live_server, page, login):
    from invigilation.models import InvigilatorAccess
    from pixcertif.accounts.models import User

    session = day["session"]
    InvigilatorAccess.objects.create(user=User.objects.get(email="surveillant@example.test"), session=session)
    page.set_viewport_size(PHONE)
    login(page, "surveillant@example.test", next_url=f"/sessions/{session.pk}/surveiller")
    for label in page.locator(".presence-form label").all():
        assert label.bounding_box()["height"] >= 44
    assert page.get_by_role("link", name="Quitter").bounding_box()["height"] >= 44


def test_the_search_box_filters_the_list_as_you_type(day, live_server, page, login):
    from invigilation.models import InvigilatorAccess
    from pixcertif.accounts.models import User

    session = day["session"]
    InvigilatorAccess.objects.create(user=User.objects.get(email="surveillant@example.test"), session=session)
    page.set_viewport_size(PHONE)
    login(page, "surveillant@example.test", next_url=f"/sessions/{session.pk}/surveiller")
    page.get_by_label("Rechercher un candidat").fill("dur")
    expect(page.locator(".candidate-row:visible")).to_have_count(1)
    expect(page.locator(".candidate-row:visible")).to_contain_text("DURAND Simon")
    page.get_by_label("Rechercher un candidat").fill("")
    expect(page.locator(".candidate-row:visible")).to_have_count(3)


def test_every_action_works_without_javascript(day, live_server, browser):
    from invigilation.models import InvigilatorAccess
    from pixcertif.accounts.models import User

    session, lea = day["session"], day["lea"]
    InvigilatorAccess.objects.create(user=User.objects.get(email="surveillant@example.test"), session=session)
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/connexion?next=/sessions/{session.pk}/surveiller")
        page.get_by_label("Adresse e-mail").fill("surveillant@example.test")
        page.get_by_label("Mot de passe").fill("pixcertif")
        page.get_by_role("button", name="Je me connecte").click()

        row = page.locator(".candidate-row", has_text="MARTIN Léa")
        row.get_by_label("MARTIN Léa").check()
        row.get_by_role("button", name="Valider").click()
        expect(page.get_by_text("La présence de MARTIN Léa est confirmée.")).to_be_visible()

        certification_start(candidate=lea, user=day["student"])
        page.get_by_role("link", name="Actualiser").click()
        row = page.locator(".candidate-row", has_text="MARTIN Léa")
        expect(row.get_by_text("En cours")).to_be_visible()

        row.locator("summary").click()
        row.get_by_role("button", name="Terminer le test").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Terminer le test")
        page.get_by_role("button", name="Terminer le test").click()
        expect(page.get_by_text("Le test de certification de MARTIN Léa est terminé.")).to_be_visible()
        assert Certification.objects.get(candidate=lea).state == CertificationState.ENDED_BY_INVIGILATOR
    finally:
        context.close()
