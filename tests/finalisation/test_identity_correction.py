"""The jury corrects a candidate's identity (before or after publication) and the extra time (before)."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from finalisation.jury.services import certification_correct_identity, certification_set_extra_time
from pixcertif.core.errors import DomainError
from pixcertif.core.models import AuditEvent
from tests.factories import SessionFactory
from tests.finalisation.builders import take_test

VERIFY = "/verification"
CORRECTED = {
    "first_name": "Léna",
    "last_name": "Martin-Roux",
    "birth_date": dt.date(2010, 6, 1),
    "birth_city": "Villeurbanne",
    "birth_country": "France",
}


def correct(certification, by, **overrides):
    return certification_correct_identity(
        certification=certification, by=by, **{**CORRECTED, "reason": "Signalement C1", **overrides}
    )


def identity_url(certification):
    return reverse("admin:finalisation_jurycertification_identity", args=[certification.pk])


def extra_time_url(certification):
    return reverse("admin:finalisation_jurycertification_extra_time", args=[certification.pk])


def test_the_correction_is_audited_field_by_field(published, results, staff):
    old_birth = results["lea"].candidate.birth_date
    correct(results["lea"], staff)
    event = AuditEvent.objects.get(action="jury.identity_correct")
    assert event.actor == staff and event.data["reason"] == "Signalement C1"
    assert event.data["changes"]["first_name"] == ["Léa", "Léna"]
    assert event.data["changes"]["last_name"] == ["Martin", "Martin-Roux"]
    assert event.data["changes"]["birth_date"] == [old_birth.isoformat(), "2010-06-01"]
    assert event.data["changes"]["birth_city"] == ["Lyon", "Villeurbanne"]


def test_the_certificate_shows_the_corrected_identity(client, candidate_user, published, results, staff):
    correct(results["lea"], staff)
    client.force_login(candidate_user)
    response = client.get(reverse("results:certificate", args=[results["lea"].pk]))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Léna MARTIN-ROUX" in text and "01/06/2010" in text and "Villeurbanne" in text
    assert "Léa MARTIN" not in text


def test_the_centre_results_and_csv_show_the_corrected_identity(center_admin_client, published, results, staff):
    correct(results["lea"], staff)
    body = center_admin_client.get(reverse("results:session_results", args=[published.pk])).content.decode()
    assert "MARTIN-ROUX Léna" in body and "01/06/2010" in body
    content = center_admin_client.get(reverse("results:session_results_csv", args=[published.pk])).content
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    lea = next(row for row in rows if row["Nom"] == "Martin-Roux")
    assert (lea["Prénom"], lea["Date de naissance"]) == ("Léna", "01/06/2010")


def test_the_verification_page_shows_the_corrected_identity(client, published, results, staff):
    correct(results["lea"], staff)
    body = client.post(VERIFY, {"code": results["lea"].verification_code}).content.decode()
    assert "Léna MARTIN-ROUX" in body and "01/06/2010" in body


def test_an_unpublished_certification_can_be_corrected_too(finalised, results, staff):
    correct(results["paul"], staff, first_name="Paolo", last_name="Bernard")
    results["paul"].candidate.refresh_from_db()
    assert results["paul"].candidate.first_name == "Paolo"


def test_the_same_identity_twice_changes_nothing(published, results, staff):
    correct(results["lea"], staff)
    correct(results["lea"], staff)
    assert AuditEvent.objects.filter(action="jury.identity_correct").count() == 1


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"first_name": "  "}, "name_required"),
        ({"last_name": ""}, "name_required"),
        ({"birth_date": None}, "birth_date_required"),
        ({"birth_date": dt.date(2026, 3, 3)}, "birth_date_future"),
        ({"birth_date": dt.date(1899, 12, 31)}, "birth_date_too_old"),
        ({"reason": " "}, "reason_required"),
    ],
)
def test_bad_corrections_are_refused_and_change_nothing(published, results, staff, overrides, code):
    with time_machine.travel("2026-03-02 10:00 +01:00", tick=False), pytest.raises(DomainError) as error:
        correct(results["lea"], staff, **overrides)
    assert error.value.code == code
    results["lea"].candidate.refresh_from_db()
    assert results["lea"].candidate.first_name == "Léa"
    assert not AuditEvent.objects.filter(action="jury.identity_correct").exists()


def test_an_identity_another_candidate_of_the_session_has_is_refused(published, results, staff):
    paul = results["paul"].candidate
    with pytest.raises(DomainError) as error:
        correct(results["lea"], staff, first_name=paul.first_name, last_name=paul.last_name, birth_date=paul.birth_date)
    assert error.value.code == "identity_taken"


def test_a_session_not_finalised_cannot_be_corrected(staff):
    certification = take_test(SessionFactory())
    with pytest.raises(DomainError) as error:
        correct(certification, staff)
    assert error.value.code == "session_not_finalized"


# ---- extra time (C2)


def test_the_extra_time_is_set_before_publication_and_audited(finalised, results, staff):
    certification_set_extra_time(certification=results["lea"], percentage=30, reason="Signalement C2", by=staff)
    results["lea"].candidate.refresh_from_db()
    assert results["lea"].candidate.extra_time_percentage == 30
    event = AuditEvent.objects.get(action="jury.extra_time_set")
    assert event.data == {
        "certification": results["lea"].pk,
        "reason": "Signalement C2",
        "changes": {"extra_time_percentage": [None, 30]},
    }


def test_the_extra_time_cannot_change_after_publication(published, results, staff):
    with pytest.raises(DomainError) as error:
        certification_set_extra_time(certification=results["lea"], percentage=30, reason="C2", by=staff)
    assert error.value.code == "session_published"


@pytest.mark.parametrize("percentage", [0, 100, -5])
def test_an_extra_time_out_of_range_is_refused(finalised, results, staff, percentage):
    with pytest.raises(DomainError) as error:
        certification_set_extra_time(certification=results["lea"], percentage=percentage, reason="C2", by=staff)
    assert error.value.code == "extra_time_invalid"


# ---- the admin pages


def test_the_certification_page_links_to_the_corrections(staff_client, finalised, results):
    url = reverse("admin:finalisation_jurycertification_change", args=[results["lea"].pk])
    body = staff_client.get(url).content.decode()
    assert identity_url(results["lea"]) in body and extra_time_url(results["lea"]) in body


def test_the_identity_form_is_prefilled_and_saves_through_the_service(staff_client, published, results):
    body = staff_client.get(identity_url(results["lea"])).content.decode()
    assert 'value="Léa"' in body and 'value="Martin"' in body
    data = {**CORRECTED, "birth_date": "01/06/2010", "reason": "Demande reçue par e-mail"}
    response = staff_client.post(identity_url(results["lea"]), data)
    assert response.status_code == 302
    results["lea"].candidate.refresh_from_db()
    assert results["lea"].candidate.last_name == "Martin-Roux"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "", "Indiquez le prénom."),
        ("birth_date", "01/01/2999", "La date de naissance ne peut pas être dans le futur."),
        ("birth_date", "31/02/2010", "Saisissez une date au format jj/mm/aaaa."),
        ("reason", "", "Indiquez le motif de la modification."),
    ],
)
def test_the_identity_form_shows_french_errors(staff_client, published, results, field, value, message):
    data = {**CORRECTED, "birth_date": "01/06/2010", "reason": "C1", field: value}
    response = staff_client.post(identity_url(results["lea"]), data)
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    results["lea"].candidate.refresh_from_db()
    assert results["lea"].candidate.first_name == "Léa"


def test_the_extra_time_form_is_not_offered_after_publication(staff_client, published, results):
    url = reverse("admin:finalisation_jurycertification_change", args=[results["lea"].pk])
    assert extra_time_url(results["lea"]) not in staff_client.get(url).content.decode()
    response = staff_client.post(extra_time_url(results["lea"]), {"extra_time_percentage": "30", "reason": "C2"})
    assert response.status_code == 400 and "dépubliez-la" in response.content.decode()


def test_the_extra_time_form_saves_before_publication(staff_client, finalised, results):
    response = staff_client.post(extra_time_url(results["lea"]), {"extra_time_percentage": "25", "reason": "C2"})
    assert response.status_code == 302
    results["lea"].candidate.refresh_from_db()
    assert results["lea"].candidate.extra_time_percentage == 25
