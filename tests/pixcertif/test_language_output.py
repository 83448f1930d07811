"""What the English side sends and serves: e-mails in the recipient's language, documents in the
downloader's, the certificate in the candidate's, domain errors in the request's."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from finalisation.jury.resolution import auto_resolve_reports
from finalisation.jury.services import session_publish
from pixcertif.core.errors import DomainError
from sessions_app.services.session_status import ensure_center_can_change
from tests.factories import CandidateFactory, SessionFactory, UserFactory
from tests.finalisation.builders import mark_finalised, take_test
from tests.sessions_app.document_helpers import flat, pdf_pages_text

COOKIE = settings.LANGUAGE_COOKIE_NAME


def english(client):
    client.cookies[COOKIE] = "en"
    return client


# ---- e-mails: the recipient's language, not the sender's


def test_an_invitation_to_an_english_account_is_in_english_from_a_french_page(center_admin_client, center, db):
    UserFactory(email="colleague@example.org", language="en")
    response = center_admin_client.post("/equipe/invitations", {"emails": "colleague@example.org", "role": "MEMBER"})
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.subject == f"Pix Certif: invitation to join {center.name}"
    assert "invites you to join the certification centre" in message.body
    assert "with the role of member" in message.body
    assert "Bonjour" not in message.body


def test_an_invitation_to_an_unknown_address_follows_the_inviting_person(center_admin_client, center):
    english(center_admin_client).post("/equipe/invitations", {"emails": "new@example.org", "role": "ADMIN"})
    assert "with the role of administrator" in mail.outbox[-1].body
    center_admin_client.cookies[COOKIE] = "fr"
    center_admin_client.post("/equipe/invitations", {"emails": "nouveau@example.org", "role": "MEMBER"})
    assert mail.outbox[-1].subject == f"Pix Certif : invitation à rejoindre {center.name}"
    assert "en tant que membre" in mail.outbox[-1].body


def test_an_invitation_to_a_french_account_is_in_french_from_an_english_page(center_admin_client, center):
    UserFactory(email="collegue@example.org", language="fr")
    english(center_admin_client).post("/equipe/invitations", {"emails": "collegue@example.org", "role": "MEMBER"})
    assert mail.outbox[-1].body.startswith("Bonjour,")


def test_the_password_reset_email_is_in_the_account_language(client, db):
    UserFactory(email="reset@example.org", first_name="Ann", language="en")
    UserFactory(email="oubli@example.org", first_name="Anne", language="")
    client.post("/mot-de-passe-oublie", {"email": "reset@example.org"})
    english(client).post("/mot-de-passe-oublie", {"email": "oubli@example.org"})
    english_mail, french_mail = mail.outbox
    assert english_mail.subject == "Pix Certif: resetting your password"
    assert english_mail.body.startswith("Hello Ann,")
    assert "/mot-de-passe-oublie/" in english_mail.body  # the URL stays the same
    # An account that never chose gets the reference language, whatever page asked.
    assert french_mail.subject == "Pix Certif : réinitialisation de votre mot de passe"
    assert french_mail.body.startswith("Bonjour Anne,")


@pytest.fixture
def published_session(session, candidate_user, db):
    staff = UserFactory(email="jury@pix.test", is_staff=True)
    finalised = mark_finalised(session)
    candidate_user.language = "en"
    candidate_user.save(update_fields=["language"])
    take_test(finalised, user=candidate_user, first_name="Léa", last_name="Martin", result_recipient_email="a@x.test")
    take_test(finalised, first_name="Zoé", last_name="Durand", result_recipient_email="tuteur@x.test")
    UserFactory(email="school@x.test", language="en")
    take_test(finalised, first_name="Hugo", last_name="Petit", result_recipient_email="school@x.test")
    auto_resolve_reports(session=finalised)
    session_publish(session=finalised, by=staff)
    finalised.refresh_from_db()
    return finalised


def test_results_emails_follow_the_recipient_then_the_candidate(published_session):
    by_address = {message.to[0]: message for message in mail.outbox}
    # No account for a@x.test: the candidate it is about chose English.
    assert by_address["a@x.test"].subject == f"Pix certification results — session {published_session.pk}"
    assert "have been published" in by_address["a@x.test"].body
    # The recipient's own account wins.
    assert by_address["school@x.test"].body.startswith("Hello,")
    # Nobody chose: French, the reference.
    assert by_address["tuteur@x.test"].subject == f"Résultats de certification Pix — session {published_session.pk}"
    assert by_address["tuteur@x.test"].body.startswith("Bonjour,")


# ---- documents: the language of the person downloading them


@pytest.fixture
def enrolled(session):
    CandidateFactory(session=session, last_name="Savant", first_name="Paul", extra_time_percentage=30)
    return session


def test_the_attendance_sheet_in_english(center_member_client, enrolled):
    pages = pdf_pages_text(english(center_member_client).get(f"/sessions/{enrolled.pk}/feuille-emargement.pdf").content)
    text = " ".join(pages)
    assert "Attendance sheet" in text
    assert flat("Date of birth (format: dd/mm/yyyy)") in flat(text)
    assert "Savant" in text
    assert "Feuille d'émargement" not in text and "jj/mm/aaaa" not in text


def test_the_attendance_sheet_in_french_keeps_the_guide_wording(center_member_client, enrolled):
    text = " ".join(pdf_pages_text(center_member_client.get(f"/sessions/{enrolled.pk}/feuille-emargement.pdf").content))
    assert "Feuille d'émargement" in text and flat("Date de naissance (format : jj/mm/aaaa)") in flat(text)


def test_the_incident_report_and_its_codes_in_english(center_member_client, enrolled):
    text = " ".join(
        pdf_pages_text(english(center_member_client).get(f"/sessions/{enrolled.pk}/pv-incident.pdf").content)
    )
    assert "Incident report" in text
    assert "Issue report codes" in text
    assert "Suspected fraud" in text
    assert "PV d'incident" not in text and "Signalement" not in text


def test_the_invigilator_kit_in_english(center_member_client, enrolled):
    response = english(center_member_client).get(reverse("invigilation:kit_pdf", args=[enrolled.pk]))
    text = " ".join(pdf_pages_text(response.content))
    assert "Invigilator kit" in text and "Candidate access code" in text and "Step 1" in text
    assert "Kit surveillant" not in text


def test_the_certificate_follows_the_candidate_language_and_says_french_is_authoritative(
    client, published_session, candidate_user
):
    certification = candidate_user.certifications.get()
    client.force_login(candidate_user)
    client.cookies[COOKIE] = "fr"  # the page is French, the candidate's account says English
    response = client.get(reverse("results:certificate", args=[certification.pk]))
    text = " ".join(pdf_pages_text(response.content))
    assert "Pix certification certificate" in text
    assert "only the French version is authoritative" in text
    candidate_user.language = "fr"
    candidate_user.save(update_fields=["language"])
    text = " ".join(pdf_pages_text(client.get(reverse("results:certificate", args=[certification.pk])).content))
    assert "Attestation de certification Pix" in text
    assert "authoritative" not in text and "fait foi" not in text


def test_the_pdf_carries_the_language_of_its_text(center_member_client, enrolled):
    from tests.sessions_app.document_helpers import pdf_reader

    url = f"/sessions/{enrolled.pk}/feuille-emargement.pdf"
    assert pdf_reader(english(center_member_client).get(url).content).trailer["/Root"]["/Lang"] == "en"
    center_member_client.cookies[COOKIE] = "fr"
    assert pdf_reader(center_member_client.get(url).content).trailer["/Root"]["/Lang"] == "fr"


# ---- domain errors: French through gettext, shown in the language of the request


def test_a_domain_error_message_is_translated_and_keeps_its_code(session):
    from django.utils import translation

    session.status = "finalized"
    with translation.override("en"), pytest.raises(DomainError) as english_error:
        ensure_center_can_change(session)
    with translation.override("fr"), pytest.raises(DomainError) as french_error:
        ensure_center_can_change(session)
    assert english_error.value.code == french_error.value.code == "session_finalized"
    assert str(english_error.value).startswith("This session is finalised")
    assert str(french_error.value).startswith("Cette session est finalisée")


def test_a_domain_error_shown_by_a_view_is_in_the_request_language(client, pro_admin_user, pro_center):
    session = SessionFactory(center=pro_center)
    client.force_login(pro_admin_user)
    CandidateFactory(session=session, first_name="Paul", last_name="Savant", birth_date="2010-03-14")
    data = {
        "last_name": "Savant",
        "first_name": "Paul",
        "sex": "M",
        "birth_date": "14/03/2010",
        "birth_country": "Belgique",
        "birth_city": "Liège",
        "billing_mode": "free",
    }
    page = english(client).post(f"/sessions/{session.pk}/candidats/ajout", data)
    body = page.content.decode()
    assert "A candidate with the same birth surname, first name and date of birth is already enrolled" in body
    assert re.search(r'<html lang="en"', body)
