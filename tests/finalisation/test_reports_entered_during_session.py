"""Reports entered during the session (phone-logged incidents, validated live alerts) at finalisation:
already listed, marked "saisi pendant la session", editable and removable; on the incident report PDF."""

from __future__ import annotations

import html

import pytest

from finalisation.services import issue_report_add, issue_report_update
from invigilation.services import incident_log
from pixcertif.core.errors import DomainError
from pixcertif.core.models import AuditEvent
from sessions_app import documents
from sessions_app.models import IssueReport, IssueReportSource
from sessions_app.services.live_alerts import live_alert_open, live_alert_validate
from tests.factories import CandidateFactory
from tests.sessions_app.document_helpers import pdf_reader

DETAILS = "Arrivé avec 10 minutes de retard, installé au poste 12."


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def logged(unfinished, invigilator_user):
    return incident_log(candidate=unfinished.candidate, code="C8", description=DETAILS, by=invigilator_user)


def test_an_invigilator_logs_a_c8_report_with_details(logged, unfinished, invigilator_user):
    assert (logged.code, logged.category, logged.question_number) == ("C8", "C8", None)
    assert logged.source == IssueReportSource.INVIGILATOR and logged.created_by == invigilator_user
    assert AuditEvent.objects.filter(action="issue_report.logged_by_invigilator", data__code="C8").count() == 1


@pytest.mark.parametrize(
    ("code", "details", "error"),
    [
        ("E1", "x", "invalid_category"),  # question problems come from the candidate's live alert
        ("C5", "x", "invalid_category"),
        ("", "x", "invalid_category"),
        ("C8", "", "description_required"),
        ("C8", "x" * 600, "description_too_long"),
    ],
)
def test_a_phone_logged_report_is_checked(unfinished, invigilator_user, code, details, error):
    with pytest.raises(DomainError) as refused:
        incident_log(candidate=unfinished.candidate, code=code, description=details, by=invigilator_user)
    assert refused.value.code == error
    assert not IssueReport.objects.exists()


def test_a_fraud_suspicion_needs_no_details(unfinished, invigilator_user):
    assert incident_log(candidate=unfinished.candidate, code="C6", description="", by=invigilator_user).code == "C6"


def test_a_report_for_a_candidate_who_has_not_started_is_refused(session, invigilator_user):
    with pytest.raises(DomainError) as refused:
        incident_log(candidate=CandidateFactory(session=session), code="C8", description=DETAILS, by=invigilator_user)
    assert refused.value.code == "not_started"


def test_finalisation_lists_them_marked_saisi_pendant_la_session(center_admin_client, logged, unfinished):
    session = unfinished.candidate.session
    body = text(center_admin_client.get(f"/sessions/{session.pk}/finalisation"))
    assert "C8 Incident lié au candidat non bloquant" in body
    assert DETAILS in body
    assert "saisi pendant la session" in body
    assert f"/finalisation/signalements/{logged.pk}/modification" in body
    assert f"/finalisation/signalements/{logged.pk}/suppression" in body


def test_a_report_entered_at_finalisation_is_not_marked(center_admin_client, unfinished, admin_user):

    issue_report_add(
        certification=unfinished, code="C1", question_number=None, description="Nom : Durant", by=admin_user
    )
    body = text(center_admin_client.get(f"/sessions/{unfinished.candidate.session_id}/finalisation"))
    assert "saisi pendant la session" not in body


def test_the_school_edits_a_phone_logged_report(center_admin_client, logged, unfinished):
    session = unfinished.candidate.session
    url = f"/sessions/{session.pk}/finalisation/signalements/{logged.pk}/modification"
    form = text(center_admin_client.get(url))
    assert "Modifier le signalement du candidat" in form and DETAILS in form
    response = center_admin_client.post(url, {"code": "C7", "description": "L'ordinateur s'est éteint."})
    assert response.status_code == 302
    logged.refresh_from_db()
    assert (logged.code, logged.description) == ("C7", "L'ordinateur s'est éteint.")
    assert logged.source == IssueReportSource.INVIGILATOR  # still entered during the session


def test_an_edit_with_600_characters_of_details_is_refused(center_admin_client, logged, unfinished):
    url = f"/sessions/{unfinished.candidate.session_id}/finalisation/signalements/{logged.pk}/modification"
    response = center_admin_client.post(url, {"code": "C8", "description": "x" * 600})
    assert response.status_code == 200
    assert "Les détails ne peuvent pas dépasser 500 caractères." in text(response)
    logged.refresh_from_db()
    assert logged.description == DETAILS


def test_a_stranger_cannot_edit_the_report(stranger_client, logged, unfinished):
    url = f"/sessions/{unfinished.candidate.session_id}/finalisation/signalements/{logged.pk}/modification"
    assert stranger_client.get(url).status_code == 404
    assert stranger_client.post(url, {"code": "C7", "description": "x"}).status_code == 404


def test_the_school_removes_a_phone_logged_report(center_admin_client, logged, unfinished):
    url = f"/sessions/{unfinished.candidate.session_id}/finalisation/signalements/{logged.pk}/suppression"
    center_admin_client.post(url)
    assert not IssueReport.objects.exists()


def test_editing_the_question_of_a_settled_live_alert_report_clears_its_resolution(unfinished, invigilator_user):
    alert = live_alert_open(certification=unfinished, user=unfinished.user, index=0, code="E4")
    report = live_alert_validate(alert=alert, by=invigilator_user).issue_report
    assert report.is_resolved
    report = issue_report_update(report=report, code="E4", question_number=2, description="", by=invigilator_user)
    assert not report.is_resolved and report.resolution_note == ""
    unchanged = issue_report_update(report=report, code="E4", question_number=2, description="", by=invigilator_user)
    assert AuditEvent.objects.filter(action="issue_report.update").count() == 1
    assert unchanged.pk == report.pk


def test_the_incident_report_pdf_lists_the_reports_entered_during_the_session(logged, unfinished, invigilator_user):
    alert = live_alert_open(certification=unfinished, user=unfinished.user, index=0, code="E1")
    live_alert_validate(alert=alert, by=invigilator_user)
    _, content = documents.incident_report_pdf(unfinished.candidate.session)
    fields = pdf_reader(content).get_fields()
    name = unfinished.candidate.full_name
    rows = {(fields[f"report_{n}_candidate"].get("/V"), fields[f"report_{n}_code"].get("/V")) for n in (1, 2)}
    assert rows == {(name, "C8"), (name, "E1")}
    numbers = {fields[f"report_{n}_code"].get("/V"): fields[f"report_{n}_question"].get("/V") for n in (1, 2)}
    assert numbers["E1"] == "1"
    details = [fields[f"report_{n}_details"].get("/V") for n in (1, 2)]
    assert any(DETAILS in d and "saisi pendant la session" in d for d in details)
    assert not fields["report_3_candidate"].get("/V")  # blank lines follow, to write on
