"""An administrator finalises a session in the browser: reports, an abort reason, a box, a scan, finalise."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from finalisation.models import SessionAttachment
from sessions_app.models import Certification, CertificationState, IssueReport, SessionStatus
from sessions_app.services.certification import certification_start
from tests.factories import CandidateFactory, ProfileFactory, UserFactory, certifiable_levels, make_bank

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def start(session, first_name: str, last_name: str) -> Certification:
    user = UserFactory(first_name=first_name, last_name=last_name)
    ProfileFactory(user=user, levels=certifiable_levels(level=1, count=5))
    candidate = CandidateFactory(
        session=session, user=user, first_name=first_name, last_name=last_name, authorized_to_start=True
    )
    return certification_start(candidate=candidate, user=user)


@pytest.fixture
def started_session(session, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_bank(levels=range(1, 3), per_level=3)
    completed = start(session, "Sophie", "Delarue")
    Certification.objects.filter(pk=completed.pk).update(state=CertificationState.COMPLETED)
    unfinished = start(session, "Martine", "Dupont")
    return session, unfinished


def test_an_administrator_finalises_a_session(live_server, page, login, assert_accessible, admin_user, started_session):
    session, unfinished = started_session
    login(page, admin_user.email)

    page.goto(f"{live_server.url}/sessions/{session.pk}")
    assert_accessible(page)
    page.get_by_role("link", name="Finaliser la session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Finaliser la session {session.pk}")
    expect(page.get_by_text("Ces candidats n'ont pas fini leur test de certification")).to_be_visible()
    assert_accessible(page)

    # A C1 for the candidate who completed her test.
    page.get_by_role("link", name="Ajouter un signalement pour Sophie DELARUE").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signalement du candidat : Sophie DELARUE")
    expect(page.get_by_label("Numéro de question")).to_be_hidden()
    assert_accessible(page)
    page.get_by_label("C1 Modification des prénom/nom/date de naissance").check()
    page.get_by_label("Détails").fill("La date de naissance correcte est 06/07/1999")
    expect(page.locator("#description-counter")).to_have_text("44 / 500")
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("Le signalement C1 de Sophie DELARUE a été ajouté.")).to_be_visible()

    # An E4 on question 3 for the candidate who did not finish.
    page.get_by_role("link", name="Ajouter un signalement pour Martine DUPONT").click()
    page.get_by_label("E4 Le site à visiter est indisponible").check()
    page.get_by_label("Numéro de question").fill("3")
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("question 3")).to_be_visible()

    # Her abort reason saves itself; a box of step 2 too; then a scan.
    page.get_by_label("Raison de l'abandon de Martine DUPONT").select_option("technical")
    expect(page.locator(f"#certification-{unfinished.pk} [data-autosave-status]")).to_have_text("Enregistré")
    page.get_by_label(re.compile("^Malgré un incident survenu pendant la session")).check()
    expect(page.locator("#informations [data-autosave-status]")).to_have_text("Enregistré")
    page.get_by_label("Type de document").select_option(label="Feuille d'émargement scannée")
    page.get_by_label("Fichier").set_input_files(
        files=[{"name": "feuille-emargement.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Joindre le fichier").click()
    expect(page.get_by_role("link", name="feuille-emargement.pdf")).to_be_visible()
    assert_accessible(page)

    # The drafts survive a reload.
    page.reload()
    expect(page.get_by_label("Raison de l'abandon de Martine DUPONT")).to_have_value("technical")
    expect(page.get_by_label(re.compile("^Malgré un incident survenu pendant la session"))).to_be_checked()

    page.get_by_role("button", name="Finaliser", exact=True).click()
    dialog = page.get_by_role("dialog", name="Finalisation de la session")
    expect(dialog).to_be_visible()
    assert_accessible(page)
    dialog.get_by_role("button", name="Confirmer la finalisation").click()

    expect(page.get_by_text("Les informations de la session ont été transmises avec succès.")).to_be_visible()
    expect(
        page.get_by_text(
            "Les résultats seront disponibles après traitement de la session par Pix, sous 1 à quelques jours."
        )
    ).to_be_visible()
    expect(page.locator(".session-header .badge")).to_have_text("Finalisée")
    expect(page.get_by_role("link", name="Finaliser la session")).to_have_count(0)
    assert_accessible(page)

    session.refresh_from_db()
    unfinished.refresh_from_db()
    assert session.status == SessionStatus.FINALIZED and session.has_incident
    assert unfinished.state == CertificationState.ENDED_BY_FINALISATION and unfinished.abort_reason == "technical"
    assert sorted(IssueReport.objects.values_list("code", "question_number")) == [("C1", None), ("E4", 3)]
    assert SessionAttachment.objects.get().original_name == "feuille-emargement.pdf"
