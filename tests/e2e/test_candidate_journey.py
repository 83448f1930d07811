"""A candidate's whole (short) test in the browser, the invigilator acting through the services:
join, consent and code, refused before presence, start, leave, come back on another computer,
refused until the resume is authorised, finish. Axe on every candidate page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from sessions_app.models import Certification, CertificationState
from sessions_app.services.certification import candidate_authorize_resume, candidate_set_presence
from tests.e2e.conftest import PHONE
from tests.factories import CandidateFactory, ProfileFactory, UserFactory, certifiable_levels, make_bank

EMAIL = "lea.dupont@eleve.example"


@pytest.fixture
def candidate(transactional_db):
    make_bank(levels=[1])  # every answer: "Bonne réponse"
    user = UserFactory(email=EMAIL)
    ProfileFactory(user=user, levels=certifiable_levels(level=1, count=5))  # 5 competences → 15 questions
    return CandidateFactory(first_name="Léa", last_name="Dupont-Moreau", birth_date=dt.date(2010, 5, 17))


def join_session(page, candidate) -> None:
    page.get_by_label("Numéro de session").fill(str(candidate.session_id))
    page.get_by_label("Prénom").fill("lea")
    page.get_by_label("Nom de naissance").fill("DUPONT MOREAU")
    page.get_by_label("Jour (JJ)").fill("17")
    page.get_by_label("Mois (MM)").fill("05")
    page.get_by_label("Année (AAAA)").fill("2010")
    page.get_by_role("button", name="Rejoindre la session").click()


def enter_code(page, candidate) -> None:
    page.get_by_label("Code d'accès communiqué par le surveillant").fill(candidate.session.access_code.lower())
    page.get_by_role("button", name="Commencer mon test").click()


def test_a_candidate_takes_a_whole_test_with_a_resume_on_another_computer(
    candidate, live_server, page, browser, login, assert_accessible
):
    # Log in from /certifications (anonymous → login page → back).
    page.goto(f"{live_server.url}/certifications")
    assert "/connexion?next=/certifications" in page.url
    page.get_by_label("Adresse e-mail").fill(EMAIL)
    page.get_by_label("Mot de passe").fill("pixcertif")
    page.get_by_role("button", name="Je me connecte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rejoindre une session de certification")
    assert_accessible(page)

    # A wrong date first: a field error, then the right information.
    page.get_by_label("Numéro de session").fill(str(candidate.session_id))
    page.get_by_label("Prénom").fill("Léa")
    page.get_by_label("Nom de naissance").fill("Dupont-Moreau")
    page.get_by_label("Jour (JJ)").fill("31")
    page.get_by_label("Mois (MM)").fill("02")
    page.get_by_label("Année (AAAA)").fill("2010")
    page.get_by_role("button", name="Rejoindre la session").click()
    expect(page.get_by_text("La date de naissance n'est pas valide")).to_be_visible()
    assert_accessible(page)
    join_session(page, candidate)

    # Instructions, consent, code: refused until the invigilator ticks presence.
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous allez commencer votre test de certification")
    expect(page.get_by_text('En cliquant sur "Commencer mon test", j\'accepte que')).to_be_visible()
    assert_accessible(page)
    enter_code(page, candidate)
    expect(page.get_by_text("Votre surveillant n'a pas confirmé votre présence dans la salle de test.")).to_be_visible()
    assert_accessible(page)

    candidate_set_presence(candidate=candidate, present=True, by=None)  # the invigilator ticks presence
    enter_code(page, candidate)
    expect(page.get_by_role("heading", level=1)).to_have_text("Question 1 / 15")
    assert_accessible(page)

    # Question 1 with the keyboard only; question 2 skipped; question 3 answered with the mouse.
    page.get_by_label("Bonne réponse").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Question 2 / 15")
    page.get_by_role("button", name="Je passe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Question 3 / 15")
    page.get_by_role("button", name="Valider").click()  # nothing chosen: an error, same question
    expect(page.get_by_text("ou cliquez sur « Je passe »")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Bonne réponse").check()
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Question 4 / 15")

    # The same browser keeps its place.
    page.goto(f"{live_server.url}/certifications/candidat/{candidate.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Question 4 / 15")

    # Another computer (a phone-sized screen): refused until the invigilator authorises the resume.
    other = browser.new_context(viewport=PHONE, locale="fr-FR")
    phone = other.new_page()
    try:
        login(phone, EMAIL, next_url="/certifications")
        join_session(phone, candidate)
        expect(phone.get_by_role("heading", level=1)).to_have_text("Vous allez reprendre votre test de certification")
        expect(phone.get_by_text("Votre surveillant doit autoriser la reprise de votre test")).to_be_visible()
        enter_code(phone, candidate)
        expect(phone.get_by_text("Votre surveillant doit autoriser la reprise de votre test")).to_be_visible()
        expect(phone.get_by_text("Votre surveillant n'a pas confirmé votre présence")).to_have_count(0)
        assert_accessible(phone)

        candidate_authorize_resume(candidate=candidate, by=None)  # "Autoriser la reprise du test"
        enter_code(phone, candidate)
        expect(phone.get_by_role("heading", level=1)).to_have_text("Question 4 / 15")
        assert_accessible(phone)
        for number in range(4, 16):
            expect(phone.get_by_role("heading", level=1)).to_have_text(f"Question {number} / 15")
            phone.get_by_label("Bonne réponse").check()
            phone.get_by_role("button", name="Valider").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text("Votre test de certification est terminé")
        assert_accessible(phone)
    finally:
        other.close()

    certification = Certification.objects.get(candidate=candidate)
    assert certification.state == CertificationState.COMPLETED
    results = list(certification.challenges.order_by("index").values_list("result", flat=True))
    assert results == ["ok", "skipped"] + ["ok"] * 13

    # The first computer now sees the end screen too.
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("terminé"))
