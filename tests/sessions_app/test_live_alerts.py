"""Live alerts: open → validated (issue report; replacement question or neutralisation) / refused."""

from __future__ import annotations

import pytest

from pixcertif.core.errors import DomainError
from pixcertif.core.models import AuditEvent
from sessions_app.live_alerts import ALERT_CODES
from sessions_app.models import (
    Certification,
    CertificationChallenge,
    CertificationState,
    IssueReport,
    IssueReportSource,
    LiveAlert,
    LiveAlertOutcome,
    LiveAlertStatus,
    SessionStatus,
)
from sessions_app.report_categories import QUESTION_CODES
from sessions_app.services.certification import candidate_set_presence, certification_answer, certification_start
from sessions_app.services.live_alerts import live_alert_open, live_alert_refuse, live_alert_validate
from tests.factories import CandidateFactory, ProfileFactory, UserFactory, certifiable_levels, make_bank


def started(per_level: int = 3) -> Certification:
    make_bank(levels=[1], per_level=per_level)
    user = UserFactory()
    ProfileFactory(user=user, levels=certifiable_levels(level=1, count=5))
    candidate = CandidateFactory(user=user)
    candidate_set_presence(candidate=candidate, present=True, by=None)
    return certification_start(candidate=candidate, user=user)


@pytest.fixture
def certification(db) -> Certification:
    """5 competences × 3 questions, and a 4th question per competence left in the bank."""
    return started(per_level=4)


@pytest.fixture
def invigilator(db):
    return UserFactory()


def raise_alert(certification: Certification, code: str = "E1", index: int | None = None) -> LiveAlert:
    index = certification.current_index if index is None else index
    return live_alert_open(certification=certification, user=certification.user, index=index, code=code)


def question(certification: Certification, index: int = 0) -> CertificationChallenge:
    return CertificationChallenge.objects.select_related("challenge").get(certification=certification, index=index)


def code_of(action) -> str:
    with pytest.raises(DomainError) as error:
        action()
    return error.value.code


def test_the_pupils_categories_are_the_question_categories_of_the_incident_report():
    assert ALERT_CODES == QUESTION_CODES


def test_a_candidate_raises_an_alert_on_the_current_question(certification):
    alert = raise_alert(certification, "E4")
    assert alert.status == LiveAlertStatus.OPEN
    assert alert.question_number == 1
    assert alert.challenge_id == question(certification).challenge_id
    assert AuditEvent.objects.filter(action="live_alert.opened", data__code="E4").count() == 1


def test_the_same_alert_sent_twice_is_one_alert(certification):
    first = raise_alert(certification, "E4")
    assert raise_alert(certification, "E4") == first
    assert LiveAlert.objects.count() == 1


def test_a_second_alert_while_one_is_open_is_refused(certification):
    raise_alert(certification, "E4")
    assert code_of(lambda: raise_alert(certification, "E1")) == "alert_already_open"
    assert LiveAlert.objects.count() == 1


def test_an_alert_on_a_question_that_is_not_the_current_one_is_refused(certification):
    assert code_of(lambda: raise_alert(certification, "E1", index=3)) == "not_current_question"
    certification_answer(certification=certification, user=certification.user, index=0, skip=True)
    assert code_of(lambda: raise_alert(certification, "E1", index=0)) == "not_current_question"
    assert not LiveAlert.objects.exists()


def test_an_alert_with_a_category_that_does_not_exist_is_refused(certification):
    for code in ["E6", "C8", "", "E1; DROP TABLE"]:
        assert code_of(lambda code=code: raise_alert(certification, code)) == "invalid_category"
    assert not LiveAlert.objects.exists()


def test_an_alert_after_the_test_ended_is_refused(certification):
    Certification.objects.filter(pk=certification.pk).update(state=CertificationState.ENDED_BY_INVIGILATOR)
    assert code_of(lambda: raise_alert(certification)) == "test_finished"


def test_an_alert_on_another_accounts_test_is_refused(certification):
    with pytest.raises(DomainError) as error:
        live_alert_open(certification=certification, user=UserFactory(), index=0, code="E1")
    assert error.value.code == "not_your_certification"


def test_answering_is_refused_while_an_alert_is_open(certification):
    raise_alert(certification)
    answer = lambda: certification_answer(certification=certification, user=certification.user, index=0, skip=True)  # noqa: E731
    assert code_of(answer) == "alert_open"
    assert question(certification).result == ""


def test_validating_creates_a_report_from_the_live_alert_and_replaces_the_question(certification, invigilator):
    before = question(certification)
    alert = live_alert_validate(alert=raise_alert(certification, "E1"), by=invigilator)
    after = question(certification)
    assert alert.status == LiveAlertStatus.VALIDATED and alert.handled_by == invigilator
    assert alert.outcome == LiveAlertOutcome.REPLACED
    assert after.challenge_id != before.challenge_id
    assert after.challenge.competence == before.challenge.competence
    assert after.result == "" and not after.is_neutralized
    certification.refresh_from_db()
    assert certification.current_index == 0  # the candidate answers the new question at the same place
    report = IssueReport.objects.get()
    assert (report.code, report.category, report.question_number) == ("E1", "E1-E12", 1)
    assert report.source == IssueReportSource.LIVE_ALERT and report.entered_during_session
    assert report.created_by == invigilator
    # Settled during the session: finalisation must not neutralise the replacement question.
    assert report.is_resolved and "remplacée" in report.resolution_note
    assert AuditEvent.objects.filter(action="live_alert.validated", data__outcome="replaced").count() == 1


def test_the_invigilator_may_validate_another_sub_category(certification, invigilator):
    alert = live_alert_validate(alert=raise_alert(certification, "E1"), by=invigilator, code="E2")
    assert alert.code == "E1" and alert.handled_code == "E2"
    assert IssueReport.objects.get().code == "E2"


def test_validating_with_a_category_that_does_not_exist_is_refused(certification, invigilator):
    alert = raise_alert(certification)
    assert code_of(lambda: live_alert_validate(alert=alert, by=invigilator, code="C8")) == "invalid_category"
    alert.refresh_from_db()
    assert alert.status == LiveAlertStatus.OPEN and not IssueReport.objects.exists()


def test_where_no_other_question_of_the_competence_is_left_the_question_is_neutralised(db, invigilator):
    certification = started(per_level=3)  # the bank holds no 4th question
    alert = live_alert_validate(alert=raise_alert(certification, "E4"), by=invigilator)
    assert alert.outcome == LiveAlertOutcome.NEUTRALIZED
    first = question(certification)
    assert first.is_neutralized and first.result == CertificationChallenge.Result.SKIPPED
    certification.refresh_from_db()
    assert certification.current_index == 1  # the test moves on
    assert "neutralisée" in IssueReport.objects.get().resolution_note


def test_neutralising_the_last_question_completes_the_test(db, invigilator):
    certification = started(per_level=3)
    last = certification.challenges.count() - 1
    for index in range(last):
        certification_answer(certification=certification, user=certification.user, index=index, skip=True)
    certification.refresh_from_db()
    live_alert_validate(alert=raise_alert(certification, "E4"), by=invigilator)
    certification.refresh_from_db()
    assert certification.state == CertificationState.COMPLETED


def test_a_replacement_never_brings_back_a_question_already_replaced(db, invigilator):
    certification = started(per_level=4)
    live_alert_validate(alert=raise_alert(certification, "E1"), by=invigilator)  # the 4th question comes in
    second = live_alert_validate(alert=raise_alert(certification, "E1"), by=invigilator)
    assert second.outcome == LiveAlertOutcome.NEUTRALIZED  # the first one is not drawn again


def test_validating_twice_validates_once(certification, invigilator):
    alert = raise_alert(certification)
    live_alert_validate(alert=alert, by=invigilator)
    live_alert_validate(alert=alert, by=UserFactory())
    assert IssueReport.objects.count() == 1
    assert AuditEvent.objects.filter(action="live_alert.validated").count() == 1


def test_refusing_sends_the_candidate_back_to_the_same_question(certification, invigilator):
    before = question(certification)
    alert = live_alert_refuse(alert=raise_alert(certification), by=invigilator)
    assert alert.status == LiveAlertStatus.REFUSED and alert.handled_at is not None
    assert question(certification).challenge_id == before.challenge_id
    assert not IssueReport.objects.exists()
    certification_answer(certification=certification, user=certification.user, index=0, skip=True)  # free again
    assert AuditEvent.objects.filter(action="live_alert.refused").count() == 1


def test_a_refused_alert_cannot_be_validated_nor_a_validated_one_refused(certification, invigilator):
    refused = live_alert_refuse(alert=raise_alert(certification), by=invigilator)
    assert code_of(lambda: live_alert_validate(alert=refused, by=invigilator)) == "alert_already_refused"
    validated = live_alert_validate(alert=raise_alert(certification), by=invigilator)
    assert code_of(lambda: live_alert_refuse(alert=validated, by=invigilator)) == "alert_already_validated"
    assert live_alert_refuse(alert=refused, by=invigilator).status == LiveAlertStatus.REFUSED  # harmless repeat


def test_a_new_alert_may_follow_a_handled_one(certification, invigilator):
    live_alert_refuse(alert=raise_alert(certification, "E1"), by=invigilator)
    assert raise_alert(certification, "E2").status == LiveAlertStatus.OPEN


def test_nothing_is_handled_once_the_session_is_finalised(certification, invigilator):
    alert = raise_alert(certification)
    session = certification.candidate.session
    session.status, session.finalized_at = SessionStatus.FINALIZED, session.changed_at
    session.save(update_fields=["status", "finalized_at"])
    assert code_of(lambda: live_alert_validate(alert=alert, by=invigilator)) == "session_finalized"
    assert code_of(lambda: live_alert_refuse(alert=alert, by=invigilator)) == "session_finalized"


def test_a_validated_alert_on_a_test_ended_meanwhile_only_records_the_report(certification, invigilator):
    alert = raise_alert(certification, "E4")
    Certification.objects.filter(pk=certification.pk).update(state=CertificationState.ENDED_BY_INVIGILATOR)
    alert = live_alert_validate(alert=alert, by=invigilator)
    assert alert.outcome == LiveAlertOutcome.NONE
    report = IssueReport.objects.get()
    assert not report.is_resolved  # finalisation applies its rules (E4 neutralises)


def test_every_step_stamps_the_candidates_row_of_the_live_list_not_the_session(certification, invigilator):
    candidate, session = certification.candidate, certification.candidate.session
    session_stamp = type(session).objects.get(pk=session.pk).changed_at

    def row_stamp():
        return type(candidate).objects.get(pk=candidate.pk).changed_at

    stamps = [row_stamp()]
    alert = raise_alert(certification)
    stamps.append(row_stamp())
    live_alert_refuse(alert=alert, by=invigilator)
    stamps.append(row_stamp())
    assert stamps == sorted(stamps) and len(set(stamps)) == 3
    assert type(session).objects.get(pk=session.pk).changed_at == session_stamp
