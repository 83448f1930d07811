"""Enrolment journeys in a browser: a school enrols students of a class; a PRO centre adds a
candidate by hand and imports an ODS list. Axe runs on every enrolment page."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from pixcertif.accounts.models import CertificationCenter, Membership
from sessions_app.ods import write_candidates
from tests.factories import (
    CandidateFactory,
    CenterFactory,
    MembershipFactory,
    ProfileFactory,
    SessionFactory,
    StudentFactory,
    UserFactory,
)


@pytest.fixture
def school(transactional_db):
    center = CenterFactory(name="Collège Jean Moulin", type=CertificationCenter.Type.SCO)
    MembershipFactory(center=center, role=Membership.Role.ADMIN, user__email="admin@college.test")
    session = SessionFactory(center=center, room="Salle B12")
    for division, last_name, first_name in [
        ("3EME A", "Lovelace", "Ada"),
        ("3EME A", "Hopper", "Grace"),
        ("3EME A", "Turing", "Alan"),
        ("3EME B", "Hamilton", "Margaret"),
    ]:
        user = UserFactory()
        ProfileFactory(user=user)
        StudentFactory(center=center, division=division, last_name=last_name, first_name=first_name, user=user)
    return session


@pytest.fixture
def pro(transactional_db):
    center = CenterFactory(name="Centre Pro", type=CertificationCenter.Type.PRO)
    MembershipFactory(center=center, role=Membership.Role.ADMIN, user__email="admin@pro.test")
    return SessionFactory(center=center, room="Salle 3")


def test_a_school_admin_enrols_two_students_of_a_class(school, live_server, page, login, assert_accessible):
    login(page, "admin@college.test")
    page.goto(f"{live_server.url}/sessions/{school.pk}/candidats")
    assert_accessible(page)
    page.get_by_role("link", name="Ajouter des candidats").click()
    expect(page.get_by_role("heading", name="Ajouter des candidats")).to_be_visible()
    page.get_by_label("Classe").select_option("3EME A")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_text("HAMILTON")).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("Sélectionner Ada Lovelace").check()
    page.get_by_label("Sélectionner Grace Hopper").check()
    expect(page.locator("[data-selected-count]")).to_have_text("2")
    expect(page.get_by_text("candidat(s) sélectionné(s) | 0 candidat(s) déjà ajouté(s) à la session")).to_be_visible()
    page.get_by_role("button", name="Ajouter", exact=True).click()
    expect(page.get_by_text("Le(s) candidat(s) ont été ajouté(s) avec succès.")).to_be_visible()
    expect(page.get_by_role("heading", name="Liste des candidats (2)")).to_be_visible()
    expect(page.get_by_role("cell", name="LOVELACE", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="HOPPER", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Ajouter des candidats").click()
    expect(page.get_by_label("Ada Lovelace, déjà ajouté(e) à la session")).to_be_disabled()
    page.get_by_label("Sélectionner tous les élèves de la page").check()
    expect(page.locator("[data-selected-count]")).to_have_text("2")


def test_a_school_admin_sees_the_roster_page_accessible(school, live_server, page, login, assert_accessible):
    login(page, "admin@college.test")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Élèves").click()
    expect(page.get_by_role("heading", name="Élèves", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Liste des élèves (4)")).to_be_visible()
    assert_accessible(page)


def test_a_pro_admin_adds_a_candidate_by_hand_then_imports_a_list(
    pro, live_server, page, login, assert_accessible, tmp_path
):
    login(page, "admin@pro.test")
    page.goto(f"{live_server.url}/sessions/{pro.pk}/candidats")
    assert_accessible(page)
    page.get_by_role("link", name="Ajouter des candidats").click()
    expect(page.get_by_role("heading", name="Inscrire un candidat")).to_be_visible()
    page.get_by_role("button", name="Inscrire le candidat").click()
    expect(page.get_by_text("Ce champ est obligatoire.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Nom de naissance").fill("Durand")
    page.get_by_label("Prénom").fill("Élodie")
    page.get_by_label("Sexe").select_option("F")
    page.get_by_label("Date de naissance").fill("1988-04-12")
    page.get_by_label("Code INSEE de la commune de naissance").fill("69123")
    page.get_by_role("textbox", name=re.compile(r"^Commune de naissance")).fill("Lyon")
    page.get_by_label("Temps majoré (%)").fill("33")
    page.get_by_label("Tarification part Pix").select_option("Prépayée")
    page.get_by_label("Code de prépaiement").fill("PRE-2026")
    page.get_by_role("button", name="Inscrire le candidat").click()
    expect(page.get_by_text("Le(s) candidat(s) ont été ajouté(s) avec succès.")).to_be_visible()
    expect(page.get_by_role("cell", name="33 %", exact=True)).to_be_visible()

    rows = [
        SimpleNamespace(
            last_name=last,
            first_name=first,
            sex="M",
            birth_date=dt.date(1990, 1, day),
            birth_country="FRANCE",
            birth_insee_code="75056",
            birth_postal_code="",
            birth_city="Paris",
            external_id="",
            email="",
            result_recipient_email="formateur@example.org",
            extra_time_percentage=None,
            needs_adjustment=False,
            billing_mode="paid",
            prepayment_code="",
        )
        for day, (last, first) in enumerate([("Martin", "Paul"), ("Bernard", "Luc")], start=1)
    ]
    good = tmp_path / f"liste-candidats-session-{pro.pk}.ods"
    good.write_bytes(write_candidates(rows))
    rows[1].birth_date = "31/02/1990"
    bad = tmp_path / "erreurs.ods"
    bad.write_bytes(write_candidates(rows))

    page.get_by_label("Fichier de candidats (.ods)").set_input_files(str(bad))
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_text(re.compile(r"Ligne 3, colonne D « Date de naissance"))).to_be_visible()
    expect(page.get_by_role("heading", name="Liste des candidats (1)")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Fichier de candidats (.ods)").set_input_files(str(good))
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_text("La liste des candidats a été importée : 2 candidat(s).")).to_be_visible()
    expect(page.get_by_role("heading", name="Liste des candidats (2)")).to_be_visible()
    expect(page.get_by_role("cell", name="DURAND", exact=True)).to_have_count(0)

    page.get_by_role("button", name="Supprimer Paul Martin").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    assert_accessible(page)
    dialog.get_by_role("button", name="Supprimer").click()
    expect(page.get_by_text("a été supprimé de la session")).to_be_visible()
    expect(page.get_by_role("heading", name="Liste des candidats (1)")).to_be_visible()


def test_enrolling_a_non_certifiable_student_asks_for_confirmation(school, live_server, page, login, assert_accessible):
    user = UserFactory()
    ProfileFactory(user=user, levels={"1.1": 1})
    StudentFactory(center=school.center, division="3EME A", last_name="Debutant", first_name="Tom", user=user)
    login(page, "admin@college.test")
    page.goto(f"{live_server.url}/sessions/{school.pk}/inscription-eleves?nom=Debutant")
    expect(page.get_by_text("Non certifiable")).to_be_visible()
    page.get_by_label("Sélectionner Tom Debutant").check()
    page.get_by_role("button", name="Ajouter", exact=True).click()
    expect(page.get_by_role("heading", name="Confirmer l'ajout de candidats non certifiables")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirmer l'ajout").click()
    expect(page.get_by_text("Le(s) candidat(s) ont été ajouté(s) avec succès.")).to_be_visible()
    expect(page.get_by_role("cell", name="DEBUTANT", exact=True)).to_be_visible()


def test_without_javascript_select_all_and_delete_still_work(school, live_server, browser):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    context.set_default_timeout(5000)
    page = context.new_page()
    page.goto(f"{live_server.url}/connexion")
    page.get_by_label("Adresse e-mail").fill("admin@college.test")
    page.get_by_label("Mot de passe").fill("pixcertif")
    page.get_by_role("button", name="Je me connecte").click()
    page.goto(f"{live_server.url}/sessions/{school.pk}/inscription-eleves?classe=3EME+A")
    page.get_by_role("link", name="Tout sélectionner sur cette page").click()
    expect(page.get_by_label("Sélectionner Alan Turing")).to_be_checked()
    page.get_by_role("button", name="Ajouter", exact=True).click()
    expect(page.get_by_role("heading", name="Liste des candidats (3)")).to_be_visible()
    page.get_by_role("button", name="Supprimer Alan Turing").click()
    expect(page.get_by_role("heading", name="Supprimer le candidat Alan TURING ?")).to_be_visible()
    page.get_by_role("button", name="Supprimer", exact=True).click()
    expect(page.get_by_role("heading", name="Liste des candidats (2)")).to_be_visible()
    context.close()


def test_the_delete_confirmation_page_is_accessible(school, live_server, page, login, assert_accessible):
    """The page people without JavaScript see before a deletion (with JS, a dialog asks instead)."""
    student = school.center.students.get(last_name="Turing")
    CandidateFactory(session=school, student=student, last_name="Turing", first_name="Alan")
    login(page, "admin@college.test")
    page.goto(f"{live_server.url}/sessions/{school.pk}/candidats")
    page.locator("form[data-confirm]").first.evaluate("form => form.removeAttribute('data-confirm')")
    page.get_by_role("button", name="Supprimer Alan Turing").click()
    expect(page.get_by_role("heading", name="Supprimer le candidat Alan TURING ?")).to_be_visible()
    assert_accessible(page)
