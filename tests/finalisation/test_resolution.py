import pytest

from finalisation.jury.resolution import auto_resolve_reports
from pixcertif.core.models import AuditEvent
from sessions_app.models import JuryStatus
from tests.finalisation.builders import mark_finalised, report, take_test

WRONG_FIRST = ["ko"] + ["ok"] * 14


@pytest.fixture
def finalised(session):
    return mark_finalised(session)


def question(certification, number):
    return certification.challenges.get(index=number - 1)


@pytest.mark.parametrize("code", ["E4", "E5", "E9", "E11", "E12"])
def test_it_neutralises_the_question_for_unconditional_codes(finalised, code):
    certification = take_test(finalised, results=WRONG_FIRST)
    issue = report(certification, code, 1)
    assert auto_resolve_reports(session=finalised) == 1
    issue.refresh_from_db()
    assert question(certification, 1).is_neutralized
    assert issue.auto_resolved and issue.resolved_at is not None
    assert issue.resolution_note == f"Résolu automatiquement ({code}) : la question 1 a été neutralisée."


@pytest.mark.parametrize(
    ("code", "flag"),
    [
        ("E1", {"has_image": True}),
        ("E2", {"has_embed": True}),
        ("E3", {"has_attachment": True}),
        ("E8", {"timer_seconds": 60}),
        ("E10", {"is_focus": True}),
    ],
)
def test_it_neutralises_the_question_when_its_condition_holds(finalised, code, flag):
    certification = take_test(finalised, results=WRONG_FIRST, challenge=flag)
    report(certification, code, 1)
    auto_resolve_reports(session=finalised)
    assert question(certification, 1).is_neutralized


@pytest.mark.parametrize("code", ["E1", "E2", "E3", "E8", "E10"])
def test_it_leaves_a_conditional_report_to_the_jury_when_the_condition_fails(finalised, code):
    certification = take_test(finalised, results=WRONG_FIRST)
    issue = report(certification, code, 1)
    assert auto_resolve_reports(session=finalised) == 0
    issue.refresh_from_db()
    assert not issue.is_resolved
    assert not question(certification, 1).is_neutralized


@pytest.mark.parametrize("code", ["C1", "C2", "C4", "C6", "C7", "C8"])
def test_it_leaves_candidate_reports_to_the_jury(finalised, code):
    certification = take_test(finalised)
    issue = report(certification, code)
    auto_resolve_reports(session=finalised)
    issue.refresh_from_db()
    assert not issue.is_resolved


def test_it_does_not_neutralise_a_right_answer_but_resolves_the_report(finalised):
    certification = take_test(finalised)
    issue = report(certification, "E4", 2)
    auto_resolve_reports(session=finalised)
    issue.refresh_from_db()
    assert not question(certification, 2).is_neutralized
    assert issue.is_resolved
    assert "répondue correctement" in issue.resolution_note


def test_it_leaves_a_report_on_a_question_number_beyond_the_test_to_the_jury(finalised):
    certification = take_test(finalised)
    issue = report(certification, "E4", 40)
    auto_resolve_reports(session=finalised)
    issue.refresh_from_db()
    assert not issue.is_resolved


def test_running_it_twice_resolves_nothing_more(finalised):
    certification = take_test(finalised, results=WRONG_FIRST)
    report(certification, "E9", 1)
    auto_resolve_reports(session=finalised)
    assert auto_resolve_reports(session=finalised) == 0
    assert AuditEvent.objects.filter(action="jury.issue_report_auto_resolved").count() == 1


def test_it_scores_every_certification_of_the_session(finalised):
    first = take_test(finalised, results=WRONG_FIRST)
    second = take_test(finalised)
    report(first, "E11", 1)
    auto_resolve_reports(session=finalised)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.jury_status, first.rate, first.pix_score) == (JuryStatus.VALIDATED, 1.0, 120)
    assert second.scored_at is not None


def test_it_records_each_automatic_resolution_in_the_audit_trail(finalised):
    certification = take_test(finalised, results=WRONG_FIRST)
    issue = report(certification, "E5", 1)
    auto_resolve_reports(session=finalised)
    event = AuditEvent.objects.get(action="jury.issue_report_auto_resolved")
    assert event.session_id_ref == finalised.pk
    assert event.data["report"] == issue.pk
    assert event.data["code"] == "E5"
