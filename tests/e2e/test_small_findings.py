"""What a careful administrator noticed in a real browser, checked there with axe: a session dated in
the past, the verification message for an unknown code, the jury's levels table, the end screen of a
test the invigilator ended."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from finalisation.jury.resolution import auto_resolve_reports
from sessions_app.models import Certification, Session
from sessions_app.services.certification import candidate_set_presence, certification_end_by_invigilator
from tests.e2e.conftest import PHONE
from tests.factories import CandidateFactory, ProfileFactory, UserFactory, certifiable_levels, make_bank
from tests.finalisation.builders import mark_finalised, take_test


def test_a_session_dated_in_the_past_is_refused_with_a_message_next_to_the_date(
    live_server, page, login, admin_user, assert_accessible
):
    login(page, admin_user.email)
    page.goto(f"{live_server.url}/sessions/creation")
    page.get_by_label("Nom du site").fill("Collège Jean Moulin")
    page.get_by_label("Nom de la salle").fill("B12")
    page.get_by_label("Date de début").fill("2020-01-15")
    page.get_by_label("Heure de début (heure locale)").fill("09:00")
    page.get_by_label("Surveillant(s)").fill("Mme Durand")
    page.get_by_role("button", name="Créer la session").click()
    date = page.get_by_label("Date de début")
    expect(date).to_have_accessible_description(
        "Une session ne peut pas être programmée dans le passé : indiquez la date d'aujourd'hui ou une date à venir."
    )
    assert not Session.objects.exists()
    assert_accessible(page)
    date.fill(f"{timezone.localdate():%Y-%m-%d}")
    page.get_by_role("button", name="Créer la session").click()
    expect(page.get_by_text("a été créée avec succès")).to_be_visible()


@pytest.mark.parametrize(
    "code, message",
    [
        ("P-ZZZZZZZZ", "Aucune certification ne correspond à ce code de vérification."),
        ("P-ZZZ", "les chiffres 2 à 9 sauf 5, et les lettres B C D F G H J K M P Q R T V W X Y"),
    ],
)
def test_the_verification_page_answers_an_unknown_code_plainly(live_server, page, assert_accessible, code, message):
    page.goto(f"{live_server.url}/verification")
    page.get_by_label("Code de vérification").fill(code)
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_label("Code de vérification")).to_have_accessible_description(re.compile(re.escape(message)))
    assert_accessible(page)


def test_the_jury_reads_the_certified_levels_as_a_table(live_server, page, login, session, assert_accessible):
    UserFactory(email="jury@pix.test", is_staff=True)
    finalised = mark_finalised(session)
    certification = take_test(finalised, results=["ko"] + ["ok"] * 14)
    auto_resolve_reports(session=finalised)
    login(page, "jury@pix.test")
    page.goto(f"{live_server.url}/admin/finalisation/jurycertification/{certification.pk}/change/")
    table = page.get_by_role("table", name="Niveau certifié par compétence")
    expect(table.get_by_role("row")).to_have_count(6)  # header + 5 competences
    expect(table.get_by_role("row", name="1.1 Mener une recherche et une veille d'information 3")).to_be_visible()
    expect(table.get_by_role("row", name="1.2 Gérer des données 3")).to_be_visible()
    assert_accessible(page)


def test_the_end_screen_after_the_invigilator_ended_the_test_says_it_once(
    transactional_db, live_server, browser, login, assert_accessible
):
    make_bank(levels=[1])
    user = UserFactory(email="lea.dupont@eleve.example")
    ProfileFactory(user=user, levels=certifiable_levels(level=1, count=5))
    candidate = CandidateFactory(first_name="Léa", last_name="Dupont", birth_date=dt.date(2010, 5, 17), user=user)
    candidate_set_presence(candidate=candidate, present=True, by=None)
    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    page = context.new_page()
    # The page's heartbeat would reload it on its own once the test is ended; what is checked here is
    # the answer the pupil sends before it notices, so the heartbeat is held back.
    page.route("**/presence", lambda route: route.abort())
    try:
        login(page, user.email, next_url=f"/certifications/candidat/{candidate.pk}")
        page.get_by_label("Code d'accès communiqué par le surveillant").fill(candidate.session.access_code)
        page.get_by_role("button", name="Commencer mon test").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Question 1 / 15")

        certification_end_by_invigilator(candidate=candidate, by=None)  # meanwhile, on the invigilator's phone
        page.get_by_label("Bonne réponse").check()
        page.get_by_role("button", name="Valider").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Votre test de certification est terminé")
        expect(page.get_by_text("Votre surveillant a mis fin à votre test de certification")).to_have_count(1)
        expect(page.locator(".alert-error")).to_have_count(0)
        assert_accessible(page)
    finally:
        context.close()
    assert Certification.objects.get(candidate=candidate).state == "ended_by_invigilator"
