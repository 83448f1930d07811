"""The main pages in English, in a real browser: the footer switcher chooses English, then the
centre, the invigilator and the candidate walk their pages. On every page: <html lang="en">, axe
clean (valid lang attributes included), and none of a list of French words left in the visible
text. The question content keeps lang="fr" (the question bank is French) and is left out of the
check; so is the switcher's "Français" button, which is named in its own language.

"Session" is not in the list: it is the same word in English.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from finalisation.jury.resolution import auto_resolve_reports
from finalisation.jury.services import session_publish
from pixcertif.accounts.models import CertificationCenter, Membership
from sessions_app.models import Session
from tests.factories import (
    CandidateFactory,
    CenterFactory,
    MembershipFactory,
    ProfileFactory,
    SessionFactory,
    UserFactory,
    certifiable_levels,
    make_bank,
)
from tests.finalisation.builders import mark_finalised, take_test

ADMIN = "head@riverside.test"
INVIGILATOR = "invigilator@riverside.test"
CANDIDATE = "sam.taylor@riverside.test"
GRADUATE = "alex.morgan@riverside.test"

FRENCH_WORDS = [
    "Connexion",
    "Candidats",
    "Valider",
    "Terminer le test",
    "Surveillant",
    "surveillant",
    "Mot de passe",
    "Se déconnecter",
    "Enregistrer",
    "Ajouter",
    "Supprimer",
    "Rechercher",
    "émargement",
    "PV d'incident",
    "Finaliser",
    "Résultats",
    "Élèves",
    "Créer",
    "Date de naissance",
    "Prénom",
    "Langue",
    "Mentions légales",
    "Accessibilité",
    "Je passe",
    "Signalement",
    "Télécharger",
    "Retour",
    "Consignes",
    "Équipe",
    "Numéro",
    "Temps majoré",
    "Code d'accès",
    "Rejoindre",
    "Commencer",
    "Mes certifications",
    "Aucun",
    "Votre",
    "vous",
]
ACCENTED = re.compile(r"[éèêàâçùûôîœÉÈÀÇ]")

VISIBLE_TEXT_OUTSIDE_FRENCH = """() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll('[lang]:not([lang|="en"]), script, style, template, [hidden]').forEach((el) => el.remove());
  document.body.appendChild(copy); copy.style.position = 'absolute'; copy.style.left = '-99999px';
  const text = copy.innerText; copy.remove(); return text;
}"""


@pytest.fixture
def world(transactional_db):
    """A professional centre abroad, with English names so that only interface text is checked."""
    make_bank(levels=[1])
    center = CenterFactory(name="Riverside Centre", type=CertificationCenter.Type.PRO)
    MembershipFactory(
        center=center, role=Membership.Role.ADMIN, user__email=ADMIN, user__first_name="Jo", user__last_name="Head"
    )
    UserFactory(email=INVIGILATOR, first_name="Pat", last_name="Watch")
    sam = UserFactory(email=CANDIDATE, first_name="Sam", last_name="Taylor")
    ProfileFactory(user=sam, levels=certifiable_levels(level=1, count=5))
    today = dict(center=center, address="Main building", room="Room 4", examiner="Pat Watch", description="")
    upcoming = SessionFactory(**today)
    CandidateFactory(
        session=upcoming,
        first_name="Sam",
        last_name="Taylor",
        birth_date=dt.date(2010, 5, 17),
        birth_city="Leeds",
        birth_country="United Kingdom",
        authorized_to_start=True,
    )
    CandidateFactory(
        session=upcoming, first_name="Kim", last_name="Lee", birth_city="York", birth_country="United Kingdom"
    )
    done = SessionFactory(**dict(today, room="Room 5"))
    take_test(done, first_name="Robin", last_name="Hill", birth_city="Bath", birth_country="United Kingdom")
    Session.objects.filter(pk=done.pk).update(started_at=timezone.now())
    published = mark_finalised(SessionFactory(**dict(today, room="Room 6")))
    graduate = UserFactory(email=GRADUATE, first_name="Alex", last_name="Morgan", language="en")
    take_test(
        published,
        user=graduate,
        first_name="Alex",
        last_name="Morgan",
        birth_city="Hull",
        birth_country="United Kingdom",
    )
    auto_resolve_reports(session=published)
    session_publish(session=published, by=UserFactory(email="jury@pix.test", is_staff=True))
    return {"upcoming": upcoming, "done": done, "published": published}


def check_english(page, assert_accessible) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page)
    text = page.evaluate(VISIBLE_TEXT_OUTSIDE_FRENCH)
    left = [word for word in FRENCH_WORDS if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)]
    assert not left, f"French left on {page.url}: {left}\n{text}"
    assert not ACCENTED.search(text), f"Accented French left on {page.url}: {ACCENTED.findall(text)}\n{text}"
    assert ACCENTED.search(page.title()) is None, page.title()


def log_in(page, email: str) -> None:
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill("pixcertif")
    page.get_by_role("button", name="Log in").click()


def test_the_main_pages_in_english(world, live_server, page, browser, assert_accessible):
    upcoming, done, published = world["upcoming"], world["done"], world["published"]

    # A French browser: the login page is French until the footer's switcher says English.
    page.goto(f"{live_server.url}/connexion")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to your account")
    assert page.url == f"{live_server.url}/connexion"
    check_english(page, assert_accessible)

    # The centre: sessions, one session, its candidates, the finalisation of another, results.
    log_in(page, ADMIN)
    expect(page).to_have_url(f"{live_server.url}/sessions/liste")
    expect(page.get_by_role("link", name="Create a session +")).to_be_visible()
    check_english(page, assert_accessible)
    page.goto(f"{live_server.url}/sessions/{upcoming.pk}")
    expect(page.get_by_text("Candidate access code", exact=True)).to_be_visible()
    check_english(page, assert_accessible)
    page.goto(f"{live_server.url}/sessions/{upcoming.pk}/candidats")
    expect(page.get_by_role("heading", name=re.compile(r"List of candidates \(2\)"))).to_be_visible()
    check_english(page, assert_accessible)
    page.goto(f"{live_server.url}/sessions/{done.pk}/finalisation")
    expect(page.get_by_role("heading", name="Step 1: Enter your candidates' information")).to_be_visible()
    check_english(page, assert_accessible)
    page.goto(f"{live_server.url}/sessions/{published.pk}/resultats")
    expect(page.get_by_text("MORGAN Alex")).to_be_visible()
    check_english(page, assert_accessible)

    # The invigilator, on another device whose browser asks for English (Accept-Language).
    invigilator = browser.new_context(locale="en-GB").new_page()
    invigilator.goto(f"{live_server.url}/connexion")
    log_in(invigilator, INVIGILATOR)
    expect(invigilator.get_by_role("heading", level=1)).to_have_text("Invigilate a session")
    check_english(invigilator, assert_accessible)
    invigilator.get_by_label("Session number").fill(str(upcoming.pk))
    invigilator.get_by_label("Session password").fill(upcoming.invigilator_password)
    invigilator.get_by_role("button", name="Invigilate the session").click()
    expect(invigilator.get_by_text(upcoming.access_code, exact=True)).to_be_visible()
    expect(invigilator.get_by_label("TAYLOR Sam")).to_be_checked()
    expect(invigilator.locator(".presence-count")).to_have_text(re.compile(r"1\s*/\s*2\b.*present"))
    check_english(invigilator, assert_accessible)

    # The candidate: join, instructions (the questions stay French), a question.
    candidate = browser.new_context(locale="en-GB").new_page()
    candidate.goto(f"{live_server.url}/certifications")
    log_in(candidate, CANDIDATE)
    expect(candidate.get_by_role("heading", level=1)).to_have_text("Join a certification session")
    check_english(candidate, assert_accessible)
    candidate.get_by_label("Session number").fill(str(upcoming.pk))
    candidate.get_by_label("First name").fill("Sam")
    candidate.get_by_label("Birth surname").fill("Taylor")
    candidate.get_by_label("Day (DD)").fill("17")
    candidate.get_by_label("Month (MM)").fill("05")
    candidate.get_by_label("Year (YYYY)").fill("2010")
    candidate.get_by_role("button", name="Join the session").click()
    expect(candidate.get_by_role("heading", level=1)).to_have_text("You are about to start your certification test")
    expect(candidate.get_by_text("The test questions are in French")).to_be_visible()
    check_english(candidate, assert_accessible)
    candidate.get_by_label("Access code given by the invigilator").fill(upcoming.access_code)
    candidate.get_by_role("button", name="Start my test").click()
    expect(candidate.get_by_role("heading", level=1)).to_have_text("Question 1 / 15")
    expect(candidate.locator("#instruction")).to_have_attribute("lang", "fr")
    expect(candidate.get_by_role("button", name="Submit")).to_be_visible()
    expect(candidate.get_by_role("button", name="Skip")).to_be_visible()
    check_english(candidate, assert_accessible)

    # A candidate with published results, whose account says English: it wins over the cookie.
    graduate = browser.new_context(locale="fr-FR").new_page()
    graduate.goto(f"{live_server.url}/mes-certifications")
    expect(graduate.locator("html")).to_have_attribute("lang", "fr")
    graduate.get_by_label("Adresse e-mail").fill(GRADUATE)
    graduate.get_by_label("Mot de passe").fill("pixcertif")
    graduate.get_by_role("button", name="Je me connecte").click()
    expect(graduate.get_by_role("link", name="Download my certificate (PDF)")).to_be_visible()
    check_english(graduate, assert_accessible)
