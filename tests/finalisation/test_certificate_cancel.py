"""Cancelling one certificate after publication, without unpublishing the session, and restoring it."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from finalisation.jury.services import certification_cancel_published, certification_restore_published
from pixcertif.core.errors import DomainError
from pixcertif.core.models import AuditEvent
from sessions_app.models import JuryStatus, SessionStatus

VERIFY = "/verification"


def cancel_url(certification):
    return reverse("admin:finalisation_jurycertification_cancel_certificate", args=[certification.pk])


def restore_url(certification):
    return reverse("admin:finalisation_jurycertification_restore_certificate", args=[certification.pk])


def test_cancelling_a_published_certificate_keeps_the_session_published(published, results, staff):
    lea = certification_cancel_published(certification=results["lea"], reason="Fraude avérée (C6)", by=staff)
    published.refresh_from_db()
    assert published.status == SessionStatus.PUBLISHED
    assert lea.jury_status == JuryStatus.CANCELLED
    assert lea.cancellation_reason == "Fraude avérée (C6)"
    assert lea.verification_code  # kept: the code now verifies as cancelled


def test_the_verification_page_says_the_certificate_was_cancelled(client, published, results, staff):
    certification_cancel_published(certification=results["lea"], reason="Fraude avérée", by=staff)
    body = client.post(VERIFY, {"code": results["lea"].verification_code}).content.decode()
    assert "Cette attestation a été annulée" in body
    assert "Certification vérifiée" not in body and "120 pix" not in body and "MARTIN" not in body


def test_the_centre_sees_annulee_in_the_results_and_the_csv(center_admin_client, published, results, staff):
    certification_cancel_published(certification=results["lea"], reason="Fraude avérée", by=staff)
    body = center_admin_client.get(reverse("results:session_results", args=[published.pk])).content.decode()
    assert body.count("Annulée") >= 2  # Léa and Zoé
    csv = center_admin_client.get(reverse("results:session_results_csv", args=[published.pk])).content.decode()
    lea_line = next(line for line in csv.splitlines() if "Martin" in line)
    assert ";Annulée;-;" in lea_line


def test_the_candidate_sees_annulee_and_has_no_certificate_any_more(client, candidate_user, published, results, staff):
    certification_cancel_published(certification=results["lea"], reason="Fraude avérée", by=staff)
    client.force_login(candidate_user)
    body = client.get(reverse("results:my_certifications")).content.decode()
    assert "Annulée" in body and "120 pix" not in body
    assert client.get(reverse("results:certificate", args=[results["lea"].pk])).status_code == 404


def test_restoring_brings_the_result_and_the_verification_back(client, candidate_user, published, results, staff):
    certification_cancel_published(certification=results["lea"], reason="Erreur de saisie", by=staff)
    lea = certification_restore_published(certification=results["lea"], by=staff)
    assert (lea.jury_status, lea.pix_score, lea.cancellation_reason, lea.cancelled_at) == ("validated", 120, "", None)
    body = client.post(VERIFY, {"code": lea.verification_code}).content.decode()
    assert "Certification vérifiée" in body and "Léa MARTIN" in body and "annulée" not in body
    client.force_login(candidate_user)
    response = client.get(reverse("results:certificate", args=[lea.pk]))
    assert "120 pix" in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()


def test_cancel_and_restore_are_audited_with_the_reason(published, results, staff):
    certification_cancel_published(certification=results["lea"], reason="Fraude avérée", by=staff)
    certification_restore_published(certification=results["lea"], by=staff)
    cancel = AuditEvent.objects.get(action="jury.certificate_cancel")
    assert (cancel.actor, cancel.data["reason"]) == (staff, "Fraude avérée")
    assert cancel.data["previous_status"] == "validated"
    assert AuditEvent.objects.get(action="jury.certificate_restore").data["status"] == "validated"


def test_restoring_a_certificate_cancelled_before_publication_gives_it_a_code(client, published, results, staff):
    zoe = certification_restore_published(certification=results["zoe"], by=staff)
    assert zoe.jury_status == JuryStatus.VALIDATED and zoe.verification_code
    assert "Certification vérifiée" in client.post(VERIFY, {"code": zoe.verification_code}).content.decode()


def test_cancelling_twice_changes_nothing(published, results, staff):
    certification_cancel_published(certification=results["lea"], reason="Fraude avérée", by=staff)
    certification_cancel_published(certification=results["lea"], reason="Autre motif", by=staff)
    results["lea"].refresh_from_db()
    assert results["lea"].cancellation_reason == "Fraude avérée"
    assert AuditEvent.objects.filter(action="jury.certificate_cancel").count() == 1


def test_cancelling_a_certificate_of_an_unpublished_session_is_refused(finalised, results, staff):
    with pytest.raises(DomainError) as error:
        certification_cancel_published(certification=results["lea"], reason="Fraude", by=staff)
    assert error.value.code == "session_not_published"
    assert "ne sont pas publiés" in error.value.message
    results["lea"].refresh_from_db()
    assert results["lea"].jury_status == JuryStatus.VALIDATED


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_cancellation_needs_a_reason(published, results, staff, reason):
    with pytest.raises(DomainError) as error:
        certification_cancel_published(certification=results["lea"], reason=reason, by=staff)
    assert error.value.code == "reason_required"


# ---- the admin pages


def test_a_published_certification_page_offers_to_cancel_the_certificate(staff_client, published, results):
    url = reverse("admin:finalisation_jurycertification_change", args=[results["lea"].pk])
    body = staff_client.get(url).content.decode()
    assert cancel_url(results["lea"]) in body and "Annuler l&#x27;attestation" in body


def test_the_admin_cancels_with_a_reason_then_restores(staff_client, published, results):
    lea = results["lea"]
    assert staff_client.get(cancel_url(lea)).status_code == 200
    response = staff_client.post(cancel_url(lea), {"reason": "Fraude avérée (PV de fraude)"})
    assert response.status_code == 302
    lea.refresh_from_db()
    assert lea.jury_status == JuryStatus.CANCELLED
    change = staff_client.get(reverse("admin:finalisation_jurycertification_change", args=[lea.pk])).content.decode()
    assert restore_url(lea) in change and "Fraude avérée (PV de fraude)" in change
    assert staff_client.post(restore_url(lea)).status_code == 302
    lea.refresh_from_db()
    assert lea.jury_status == JuryStatus.VALIDATED


def test_the_admin_form_without_a_reason_shows_an_error_and_changes_nothing(staff_client, published, results):
    response = staff_client.post(cancel_url(results["lea"]), {"reason": ""})
    assert response.status_code == 400
    assert "Indiquez le motif de l&#x27;annulation." in response.content.decode()
    results["lea"].refresh_from_db()
    assert results["lea"].jury_status == JuryStatus.VALIDATED


def test_the_admin_refuses_to_cancel_a_certificate_of_an_unpublished_session(staff_client, finalised, results):
    response = staff_client.post(cancel_url(results["lea"]), {"reason": "Fraude"})
    assert response.status_code == 400
    assert "ne sont pas publiés" in response.content.decode()


def test_a_centre_member_cannot_open_the_cancel_page(center_admin_client, published, results):
    response = center_admin_client.post(cancel_url(results["lea"]), {"reason": "Fraude"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    results["lea"].refresh_from_db()
    assert results["lea"].jury_status == JuryStatus.VALIDATED
