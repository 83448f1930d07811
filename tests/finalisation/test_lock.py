"""After finalisation, every centre-side write on the session is refused on the server."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from finalisation import services
from finalisation.services import abort_reason_set, issue_report_add, session_finalise
from pixcertif.core.errors import DomainError
from sessions_app.models import CertificationState, IssueReport, SessionStatus
from sessions_app.services.certification import (
    candidate_authorize_resume,
    candidate_set_presence,
    certification_end_by_invigilator,
    certification_start,
)
from tests.factories import CandidateFactory

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def finalised(unfinished, admin_user):
    """A finalised session with one report and one attachment made before, and its test."""
    session = unfinished.candidate.session
    report = issue_report_add(
        certification=unfinished, code="C7", question_number=None, description="Écran noir", by=admin_user
    )
    attachment = services.attachment_add(
        session=session, kind="attendance_sheet", upload=SimpleUploadedFile("feuille.pdf", PDF), by=admin_user
    )
    abort_reason_set(certification=unfinished, reason="technical", by=admin_user)
    session_finalise(session=session, by=admin_user)
    unfinished.refresh_from_db()
    return {"session": session, "certification": unfinished, "report": report, "attachment": attachment}


def refused(call) -> None:
    with pytest.raises(DomainError) as error:
        call()
    assert error.value.code == "session_finalized"


def test_a_report_can_no_longer_be_added(finalised, admin_user):
    refused(
        lambda: issue_report_add(
            certification=finalised["certification"], code="C1", question_number=None, description="x", by=admin_user
        )
    )
    assert IssueReport.objects.count() == 1


def test_a_report_can_no_longer_be_removed(finalised, admin_user):
    refused(lambda: services.issue_report_remove(report=finalised["report"], by=admin_user))
    assert IssueReport.objects.count() == 1


def test_an_abort_reason_can_no_longer_be_changed(finalised, admin_user):
    refused(lambda: abort_reason_set(certification=finalised["certification"], reason="candidate", by=admin_user))
    finalised["certification"].refresh_from_db()
    assert finalised["certification"].abort_reason == "technical"


def test_the_complementary_information_can_no_longer_be_changed(finalised, admin_user):
    refused(
        lambda: services.finalisation_info_update(
            session=finalised["session"], has_incident=True, has_joining_issue=True, comment="après coup", by=admin_user
        )
    )
    finalised["session"].refresh_from_db()
    assert finalised["session"].finalisation_comment == ""


def test_an_attachment_can_no_longer_be_added(finalised, admin_user):
    upload = SimpleUploadedFile("capture.pdf", PDF)
    refused(
        lambda: services.attachment_add(session=finalised["session"], kind="screenshot", upload=upload, by=admin_user)
    )
    assert finalised["session"].attachments.count() == 1


def test_an_attachment_can_no_longer_be_removed(finalised, admin_user):
    refused(lambda: services.attachment_remove(attachment=finalised["attachment"], by=admin_user))
    assert finalised["session"].attachments.count() == 1
    assert finalised["attachment"].file.storage.exists(finalised["attachment"].file.name)


def test_the_invigilator_can_no_longer_tick_presence(finalised, invigilator_user):
    candidate = CandidateFactory(session=finalised["session"])
    refused(lambda: candidate_set_presence(candidate=candidate, present=True, by=invigilator_user))
    candidate.refresh_from_db()
    assert not candidate.authorized_to_start


def test_the_invigilator_can_no_longer_authorise_a_resume(finalised, invigilator_user):
    refused(lambda: candidate_authorize_resume(candidate=finalised["certification"].candidate, by=invigilator_user))


def test_the_invigilator_can_no_longer_end_a_test(finalised, invigilator_user):
    refused(
        lambda: certification_end_by_invigilator(candidate=finalised["certification"].candidate, by=invigilator_user)
    )
    finalised["certification"].refresh_from_db()
    assert finalised["certification"].state == CertificationState.ENDED_BY_FINALISATION


def test_a_candidate_can_no_longer_start_or_resume(finalised):
    candidate = finalised["certification"].candidate
    refused(lambda: certification_start(candidate=candidate, user=candidate.user))


def test_finalising_again_changes_nothing(finalised, member_user):
    session = session_finalise(session=finalised["session"], by=member_user)
    assert session.status == SessionStatus.FINALIZED
    assert session.finalized_by != member_user
