"""A whole certification day, with real browsers and the people who would use them.

The school administrator creates a session through the form, enrols two pupils of a class and
downloads the invigilator kit; an invigilator on a phone enters the session with its number and
password and ticks both pupils present; Ada takes her whole test on a school computer while the
invigilator's list follows her live; Grace starts and the invigilator ends her test; the
administrator finalises (abort reason, a report, the confirmation dialog); a Pix jury member takes
and publishes the session in the Django admin; the school reads the results and Ada her own.
Nothing is created behind the browsers' backs except what exists before the day: the centre, its
accounts, its pupils (with their Pix profiles) and the question bank.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from pixcertif.accounts.models import CertificationCenter, Membership
from sessions_app.codes import PASSWORD_ALPHABET
from sessions_app.models import Certification, CertificationState, IssueReport, Session, SessionStatus
from tests.e2e.conftest import PHONE, SCHOOL_SCREEN
from tests.factories import (
    CenterFactory,
    MembershipFactory,
    ProfileFactory,
    StudentFactory,
    UserFactory,
    certifiable_levels,
    make_bank,
)

ADMIN = "direction@college-moulin.test"
INVIGILATOR = "surveillant@college-moulin.test"
JURY = "jury@pix.test"
ADA = "ada.lovelace@eleve.test"
GRACE = "grace.hopper@eleve.test"
BIRTH_DATE = dt.date(2011, 3, 14)
QUESTIONS = 15  # 5 competences at level 1, 3 questions each


@pytest.fixture
def school(transactional_db):
    """What exists before the day: a school, its administrator, four pupils, a question bank."""
    make_bank(levels=[1])  # the right answer is always "Bonne réponse"
    center = CenterFactory(name="Collège Jean Moulin", type=CertificationCenter.Type.SCO)
    MembershipFactory(center=center, role=Membership.Role.ADMIN, user__email=ADMIN)
    UserFactory(email=INVIGILATOR, first_name="Paul", last_name="Surveillant")
    UserFactory(email=JURY, is_staff=True, is_superuser=True)
    for division, last_name, first_name, email in [
        ("3EME A", "Lovelace", "Ada", ADA),
        ("3EME A", "Hopper", "Grace", GRACE),
        ("3EME A", "Turing", "Alan", "alan.turing@eleve.test"),
        ("3EME B", "Hamilton", "Margaret", "margaret.hamilton@eleve.test"),
    ]:
        user = UserFactory(email=email, first_name=first_name, last_name=last_name)
        ProfileFactory(user=user, levels=certifiable_levels(level=1, count=5))
        StudentFactory(
            center=center,
            division=division,
            last_name=last_name,
            first_name=first_name,
            birth_date=BIRTH_DATE,
            user=user,
        )
    return center


def new_page(browser, viewport):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", viewport=viewport)
    return context.new_page()


def heading(page):
    return page.get_by_role("heading", level=1)


def join_and_start(page, live_server, login, email, first_name, last_name, session) -> None:
    """A pupil logs in, joins the session with their identity, consents and enters the access code."""
    login(page, email, next_url="/certifications")
    expect(heading(page)).to_have_text("Rejoindre une session de certification")
    page.get_by_label("Numéro de session").fill(str(session.pk))
    page.get_by_label("Prénom").fill(first_name)
    page.get_by_label("Nom de naissance").fill(last_name)
    page.get_by_label("Jour (JJ)").fill(f"{BIRTH_DATE:%d}")
    page.get_by_label("Mois (MM)").fill(f"{BIRTH_DATE:%m}")
    page.get_by_label("Année (AAAA)").fill(f"{BIRTH_DATE:%Y}")
    page.get_by_role("button", name="Rejoindre la session").click()
    expect(heading(page)).to_have_text("Vous allez commencer votre test de certification")
    expect(page.get_by_text('En cliquant sur "Commencer mon test", j\'accepte que')).to_be_visible()
    page.get_by_label("Code d'accès communiqué par le surveillant").fill(session.access_code)
    page.get_by_role("button", name="Commencer mon test").click()
    expect(heading(page)).to_have_text(f"Question 1 / {QUESTIONS}")


def answer(page, first: int, last: int) -> None:
    for number in range(first, last + 1):
        expect(heading(page)).to_have_text(f"Question {number} / {QUESTIONS}")
        page.get_by_label("Bonne réponse").check()
        page.get_by_role("button", name="Valider").click()


def test_a_whole_certification_day(school, live_server, browser, login, assert_accessible):
    base = live_server.url
    admin = new_page(browser, SCHOOL_SCREEN)
    invigilator = new_page(browser, PHONE)
    ada = new_page(browser, SCHOOL_SCREEN)
    grace = new_page(browser, SCHOOL_SCREEN)
    jury = new_page(browser, SCHOOL_SCREEN)

    # 1. Morning, the school administrator creates the session and enrols two pupils of 3EME A.
    login(admin, ADMIN)
    admin.goto(f"{base}/sessions/liste")
    admin.get_by_role("link", name="Créer une session +").click()
    admin.get_by_label("Nom du site").fill("Collège Jean Moulin")
    admin.get_by_label("Nom de la salle").fill("Salle B12")
    admin.get_by_label("Date de début").fill(timezone.localdate().isoformat())
    admin.get_by_label("Heure de début (heure locale)").fill("00:00")  # tests start from 1 h before, on the date
    admin.get_by_label("Surveillant(s)").fill("Paul Surveillant")
    admin.get_by_role("button", name="Créer la session").click()
    session = Session.objects.get(center=school, room="Salle B12")
    expect(admin).to_have_url(f"{base}/sessions/{session.pk}")
    expect(heading(admin)).to_have_text(f"Session {session.pk}")

    admin.goto(f"{base}/sessions/{session.pk}/inscription-eleves")
    admin.get_by_label("Classe").select_option("3EME A")
    admin.get_by_role("button", name="Filtrer").click()
    expect(admin.get_by_text("HAMILTON")).to_have_count(0)
    admin.get_by_label("Sélectionner Ada Lovelace").check()
    admin.get_by_label("Sélectionner Grace Hopper").check()
    admin.get_by_role("button", name="Ajouter", exact=True).click()
    expect(admin.get_by_text("Le(s) candidat(s) ont été ajouté(s) avec succès.")).to_be_visible()
    expect(admin.get_by_role("heading", name="Liste des candidats (2)")).to_be_visible()

    admin.get_by_role("link", name="Détails", exact=True).click()
    expect(heading(admin)).to_have_text(f"Session {session.pk}")
    assert_accessible(admin)
    with admin.expect_download() as download_info:
        admin.get_by_role("link", name="Kit surveillant (PDF)").click()
    kit = "\n".join(p.extract_text() for p in PdfReader(download_info.value.path()).pages)
    password = re.search(rf"\bC-[{PASSWORD_ALPHABET}]{{5}}\b", kit).group(0)
    assert password == f"C-{session.invigilator_password}"
    assert str(session.pk) in kit

    # 2. The invigilator, on a phone, enters the session with what the kit says and ticks presence.
    login(invigilator, INVIGILATOR)
    expect(heading(invigilator)).to_have_text("Surveiller une session")
    invigilator.get_by_label("Numéro de la session").fill(str(session.pk))
    invigilator.get_by_label("Mot de passe de la session").fill(password)
    invigilator.get_by_role("button", name="Surveiller la session").click()
    expect(heading(invigilator)).to_have_text(f"Session {session.pk}")
    invigilator.get_by_label("LOVELACE Ada").check()
    expect(invigilator.locator(".presence-count")).to_have_text("1/2 candidats présents")
    invigilator.get_by_label("HOPPER Grace").check()
    expect(invigilator.locator(".presence-count")).to_have_text("2/2 candidats présents")
    assert_accessible(invigilator)

    # 3. Ada starts on a school computer; the invigilator's list follows her.
    join_and_start(ada, live_server, login, ADA, "Ada", "Lovelace", session)
    assert_accessible(ada)
    answer(ada, 1, 3)
    ada_row = invigilator.locator(".candidate-row", has_text="LOVELACE Ada")
    expect(ada_row.get_by_text("En cours")).to_be_visible(timeout=15_000)  # the 5 s poll, on a busy machine
    answer(ada, 4, QUESTIONS)
    expect(heading(ada)).to_have_text("Votre test de certification est terminé")

    # Grace starts; she has to leave, and the invigilator ends her test.
    join_and_start(grace, live_server, login, GRACE, "Grace", "Hopper", session)
    answer(grace, 1, 2)
    invigilator.get_by_role("link", name="Actualiser").click()
    grace_row = invigilator.locator(".candidate-row", has_text="HOPPER Grace")
    expect(grace_row.get_by_text("En cours")).to_be_visible()
    grace_row.locator("summary", has_text="Actions pour HOPPER Grace").click()
    grace_row.get_by_role("button", name="Terminer le test").click()
    dialog = invigilator.locator("#dialog-end")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("HOPPER Grace")
    dialog.get_by_role("button", name="Terminer le test").click()
    expect(invigilator.get_by_role("status").first).to_contain_text(
        "Le test de certification de HOPPER Grace est terminé."
    )
    expect(invigilator.locator(".candidate-row", has_text="HOPPER Grace")).to_contain_text("Terminé par le surveillant")
    expect(invigilator.locator(".candidate-row", has_text="LOVELACE Ada")).to_contain_text("Terminé")

    # 4. The administrator finalises: Grace's abort reason, a report for Ada, the dialog.
    admin.goto(f"{base}/sessions/{session.pk}/finalisation")
    expect(heading(admin)).to_have_text(f"Finaliser la session {session.pk}")
    expect(admin.get_by_text("Ces candidats n'ont pas fini leur test de certification")).to_be_visible()
    admin.get_by_label("Raison de l'abandon de Grace HOPPER").select_option("candidate")
    grace_certification = Certification.objects.get(candidate__session=session, candidate__last_name="Hopper")
    expect(admin.locator(f"#certification-{grace_certification.pk} [data-autosave-status]")).to_have_text("Enregistré")
    admin.get_by_role("link", name="Ajouter un signalement pour Ada LOVELACE").click()
    expect(heading(admin)).to_have_text("Signalement du candidat : Ada LOVELACE")
    admin.get_by_label("C1 Modification des prénom/nom/date de naissance").check()
    admin.get_by_label("Détails").fill("Le prénom correct est Augusta Ada")
    admin.get_by_role("button", name="Valider").click()
    expect(admin.get_by_text("Le signalement C1 de Ada LOVELACE a été ajouté.")).to_be_visible()
    assert_accessible(admin)
    admin.get_by_role("button", name="Finaliser", exact=True).click()
    dialog = admin.get_by_role("dialog", name="Finalisation de la session")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Confirmer la finalisation").click()
    expect(admin.get_by_text("Les informations de la session ont été transmises avec succès.")).to_be_visible()
    expect(admin.locator(".session-header .badge")).to_have_text("Finalisée")

    # Meanwhile the invigilator's list is read-only and Ada waits for her result.
    invigilator.get_by_role("link", name="Actualiser").click()
    expect(
        invigilator.get_by_text("Cette session est finalisée : elle est entre les mains de l'équipe Pix.")
    ).to_be_visible()
    expect(invigilator.get_by_role("button", name=re.compile("Terminer le test"))).to_have_count(0)
    ada.goto(f"{base}/mes-certifications")
    expect(
        ada.get_by_text(
            "Vos résultats seront disponibles après traitement de la session par Pix, sous 1 à quelques jours."
        )
    ).to_be_visible()

    # 5. A Pix jury member finds the session among those to process, takes it and publishes it.
    login(jury, JURY)
    jury.goto(f"{base}/admin/finalisation/jurysession/")
    row = jury.get_by_role("row").filter(has=jury.get_by_role("link", name=str(session.pk), exact=True))
    expect(row).to_contain_text("Collège Jean Moulin")
    expect(row).to_contain_text("Finalisée")
    row.get_by_role("link", name=str(session.pk), exact=True).click()
    jury.get_by_role("button", name="Prendre en charge").click()
    expect(jury.get_by_text("La session est prise en charge.")).to_be_visible()
    jury.get_by_role("button", name="Publier les résultats").click()  # too early: the C1 is not resolved
    expect(
        jury.get_by_text(f"Session {session.pk} : impossible de publier, 1 signalement(s) non résolu(s).")
    ).to_be_visible()
    ada_certification = Certification.objects.get(candidate__session=session, candidate__last_name="Lovelace")
    jury.get_by_role("link", name=f"Certification {ada_certification.pk}", exact=True).click()
    jury.get_by_label("Note de résolution").fill("Prénom corrigé dans le fichier élèves")
    jury.get_by_role("button", name="Résoudre").click()
    expect(jury.get_by_text("Le signalement est résolu.")).to_be_visible()
    jury.get_by_role("link", name=re.compile(rf"^Session {session.pk}")).click()
    jury.get_by_role("button", name="Publier les résultats").click()
    expect(jury.get_by_text("Les résultats de la session sont publiés.")).to_be_visible()

    # 6. The school sees the results; Ada sees hers.
    admin.goto(f"{base}/sessions/liste")
    expect(admin.get_by_role("row").filter(has_text="Salle B12")).to_contain_text("Résultats transmis par Pix")
    admin.goto(f"{base}/sessions/{session.pk}")
    admin.get_by_role("navigation", name="Onglets de la session").get_by_role("link", name="Résultats").click()
    expect(admin.get_by_role("heading", name="Résultats (2)")).to_be_visible()
    ada_result = admin.get_by_role("row").filter(has_text="LOVELACE Ada")
    expect(ada_result).to_contain_text("Validée")
    expect(ada_result).to_contain_text("40")  # 8 pix x 5 competences at level 1
    expect(admin.get_by_role("row").filter(has_text="HOPPER Grace")).to_contain_text("Rejetée")  # 2 / 15 right
    assert_accessible(admin)

    ada.reload()
    expect(heading(ada)).to_have_text("Mes certifications")
    expect(ada.get_by_text("Validée")).to_be_visible()
    expect(ada.get_by_text("40 pix")).to_be_visible()
    ada_certification.refresh_from_db()
    expect(ada.get_by_text(ada_certification.verification_code)).to_be_visible()
    assert_accessible(ada)

    session.refresh_from_db()
    grace_certification.refresh_from_db()
    assert session.status == SessionStatus.PUBLISHED
    assert ada_certification.state == CertificationState.COMPLETED
    assert grace_certification.state == CertificationState.ENDED_BY_INVIGILATOR
    assert grace_certification.abort_reason == "candidate"
    assert IssueReport.objects.filter(certification=ada_certification, code="C1").exists()
    for page in (admin, invigilator, ada, grace, jury):
        page.context.close()
