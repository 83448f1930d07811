"""The live day in two browsers: a candidate raises an alert, the invigilator validates it from a
360 px phone, the candidate's page moves on by itself to a new question; then the invigilator logs
a C8 incident that the school finds at finalisation. Axe on every new screen and dialog."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from invigilation.models import InvigilatorAccess
from pixcertif.accounts.models import Membership
from sessions_app.models import IssueReport, IssueReportSource, LiveAlert, LiveAlertStatus
from sessions_app.services.certification import candidate_set_presence
from tests.e2e.conftest import PHONE
from tests.factories import (
    CandidateFactory,
    MembershipFactory,
    ProfileFactory,
    SessionFactory,
    UserFactory,
    certifiable_levels,
    make_bank,
)


@pytest.fixture
def day(transactional_db):
    make_bank(levels=[1], per_level=4)  # a spare question per competence: a replacement exists
    session = SessionFactory(room="Salle B12")
    MembershipFactory(center=session.center, role=Membership.Role.ADMIN, user__email="admin@college.test")
    pupil = UserFactory(email="lea@example.test", first_name="Léa", last_name="Martin")
    ProfileFactory(user=pupil, levels=certifiable_levels(level=1, count=5))
    lea = CandidateFactory(
        session=session, user=pupil, last_name="Martin", first_name="Léa", birth_date=dt.date(2010, 4, 2)
    )
    invigilator = UserFactory(email="surveillant@example.test")
    InvigilatorAccess.objects.create(user=invigilator, session=session)
    return {"session": session, "lea": lea}


def test_an_alert_validated_from_the_phone_and_an_incident_found_at_finalisation(
    day, live_server, browser, login, assert_accessible
):
    session, lea = day["session"], day["lea"]
    pupil_context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    phone_context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", viewport=PHONE)
    school_context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    try:
        # The candidate starts and reports a problem on question 1.
        pupil = pupil_context.new_page()
        login(pupil, "lea@example.test")
        candidate_set_presence(candidate=lea, present=True, by=None)  # the invigilator ticked the box
        pupil.goto(f"{live_server.url}/certifications/candidat/{lea.pk}")
        pupil.get_by_label("Code d'accès communiqué par le surveillant").fill(session.access_code)
        pupil.get_by_role("button", name="Commencer mon test").click()
        expect(pupil.get_by_role("heading", level=1)).to_have_text("Question 1 / 15")
        first_instruction = pupil.locator("#instruction").inner_text()
        pupil.get_by_role("link", name="Signaler un problème avec la question").click()
        expect(pupil.get_by_role("heading", level=1)).to_have_text("Signaler un problème avec la question 1")
        assert_accessible(pupil)
        pupil.get_by_label("L'image ne s'affiche pas").check()
        pupil.get_by_role("button", name="Prévenir mon surveillant").click()
        expect(pupil.get_by_role("heading", level=1)).to_have_text("Votre surveillant a été prévenu…")
        assert_accessible(pupil)

        # The invigilator, on a phone, sees it first and validates it.
        phone = phone_context.new_page()
        login(phone, "surveillant@example.test")
        phone.goto(f"{live_server.url}/sessions/{session.pk}/surveiller")
        row = phone.locator(".candidate-row", has_text="MARTIN Léa")
        expect(row.get_by_text("Signalement en cours")).to_be_visible()
        expect(phone.get_by_text("1 signalement en cours")).to_be_visible()
        row.locator("summary").click()
        row.get_by_role("link", name="Gérer le signalement").click()
        dialog = phone.get_by_role("dialog", name="Gérer le signalement")
        expect(dialog).to_be_visible()
        expect(dialog.get_by_text("E1 — L'image ne s'affiche pas")).to_be_visible()
        expect(dialog.get_by_label("Sous-catégorie du signalement")).to_be_focused()
        assert_accessible(phone)
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        dialog.get_by_role("button", name="Valider le signalement").click()
        expect(phone.get_by_text("Le signalement de MARTIN Léa est validé (E1, question 1).")).to_be_visible()
        assert LiveAlert.objects.get().status == LiveAlertStatus.VALIDATED

        # The candidate's screen moves on by itself: a new question at the same place.
        expect(pupil.get_by_role("heading", level=1)).to_have_text("Question 1 / 15")
        expect(pupil.get_by_text("la question a été remplacée par une autre question")).to_be_visible()
        assert pupil.locator("#instruction").inner_text() != first_instruction
        assert_accessible(pupil)

        # A C8 incident logged on the spot.
        row = phone.locator(".candidate-row", has_text="MARTIN Léa")
        row.locator("summary").click()
        row.get_by_role("link", name="Saisir un incident").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text("Saisir un incident")
        assert_accessible(phone)
        phone.get_by_label("C8 Incident lié au candidat non bloquant").check()
        phone.get_by_label("Détails").fill("A quitté la salle 5 minutes, accompagné.")
        phone.get_by_role("button", name="Enregistrer l'incident").click()
        expect(phone.get_by_text("L'incident C8 de MARTIN Léa est enregistré")).to_be_visible()
        assert IssueReport.objects.filter(code="C8", source=IssueReportSource.INVIGILATOR).count() == 1

        # The school finds both at finalisation, marked as entered during the session.
        school = school_context.new_page()
        login(school, "admin@college.test")
        school.goto(f"{live_server.url}/sessions/{session.pk}/finalisation")
        row = school.locator(f"#certification-{lea.certification.pk}")
        expect(row).to_contain_text("C8 Incident lié au candidat non bloquant")
        expect(row).to_contain_text("A quitté la salle 5 minutes, accompagné.")
        expect(row).to_contain_text("E1 L'image ne s'affiche pas")
        expect(row.get_by_text("saisi pendant la session")).to_have_count(2)
        assert_accessible(school)
    finally:
        pupil_context.close()
        phone_context.close()
        school_context.close()
