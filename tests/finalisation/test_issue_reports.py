import pytest

from finalisation.services import issue_report_add, issue_report_remove
from pixcertif.core.errors import DomainError
from pixcertif.core.models import AuditEvent
from sessions_app.models import IssueReport
from tests.finalisation.conftest import QUESTIONS


def add(certification, user, code="C1", question_number=None, description="Le prénom correct est Martin."):
    return issue_report_add(
        certification=certification, code=code, question_number=question_number, description=description, by=user
    )


def test_it_adds_a_candidate_information_report_with_its_details(unfinished, admin_user):
    report = add(unfinished, admin_user)
    assert (report.code, report.category, report.question_number) == ("C1", "C1-C2", None)
    assert report.description == "Le prénom correct est Martin."
    assert report.created_by == admin_user


def test_it_records_the_report_in_the_audit_trail(unfinished, admin_user):
    report = add(unfinished, admin_user)
    event = AuditEvent.objects.get(action="issue_report.add")
    assert event.actor == admin_user and event.data["report"] == report.pk and event.data["code"] == "C1"


def test_it_adds_a_question_report_with_its_question_number(unfinished, admin_user):
    report = add(unfinished, admin_user, code="E4", question_number=3, description="")
    assert (report.code, report.category, report.question_number) == ("E4", "E1-E12", 3)


def test_it_accepts_the_last_question_of_the_test(unfinished, admin_user):
    assert add(unfinished, admin_user, code="E1", question_number=QUESTIONS).question_number == QUESTIONS


def test_it_keeps_several_reports_for_one_candidate(unfinished, admin_user):
    add(unfinished, admin_user)
    add(unfinished, admin_user, code="E4", question_number=3)
    assert unfinished.issue_reports.count() == 2


def test_it_drops_a_question_number_given_with_a_code_that_has_none(unfinished, admin_user):
    assert add(unfinished, admin_user, code="C7", question_number=4).question_number is None


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"code": "C3"}, "invalid_category"),
        ({"code": "E6", "question_number": 1}, "invalid_category"),
        ({"code": "<script>"}, "invalid_category"),
        ({"code": "E4", "question_number": None}, "question_required"),
        ({"code": "E4", "question_number": 0}, "question_out_of_range"),
        ({"code": "E4", "question_number": QUESTIONS + 1}, "question_out_of_range"),
        ({"code": "C1", "description": "x" * 501}, "description_too_long"),
        ({"code": "C1", "description": "   "}, "description_required"),
    ],
)
def test_it_refuses_a_bad_report(unfinished, admin_user, kwargs, code):
    with pytest.raises(DomainError) as error:
        add(unfinished, admin_user, **kwargs)
    assert error.value.code == code
    assert not IssueReport.objects.exists()


def test_it_accepts_exactly_500_characters_of_details(unfinished, admin_user):
    assert len(add(unfinished, admin_user, description="é" * 500).description) == 500


def test_it_accepts_a_fraud_suspicion_without_details(unfinished, admin_user):
    assert add(unfinished, admin_user, code="C6", description="").code == "C6"


def test_it_removes_a_report_and_records_it(unfinished, admin_user):
    report = add(unfinished, admin_user)
    issue_report_remove(report=report, by=admin_user)
    assert not IssueReport.objects.exists()
    assert AuditEvent.objects.filter(action="issue_report.remove", data__code="C1").exists()


def test_removing_a_removed_report_changes_nothing(unfinished, admin_user):
    report = add(unfinished, admin_user)
    issue_report_remove(report=report, by=admin_user)
    issue_report_remove(report=report, by=admin_user)
    assert AuditEvent.objects.filter(action="issue_report.remove").count() == 1
