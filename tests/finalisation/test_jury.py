import pytest

from finalisation.jury import services as jury
from finalisation.jury.resolution import auto_resolve_reports
from pixcertif.core.errors import DomainError
from pixcertif.core.models import AuditEvent
from sessions_app.models import SessionStatus
from tests.factories import SessionFactory, UserFactory
from tests.finalisation.builders import mark_finalised, take_test


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True)


def test_a_session_not_finalised_cannot_be_taken(session, staff):
    with pytest.raises(DomainError) as error:
        jury.session_take(session=session, by=staff)
    assert error.value.code == "session_not_finalized"


def test_taking_a_session_twice_records_it_once(session, staff):
    mark_finalised(session)
    jury.session_take(session=session, by=staff)
    jury.session_take(session=session, by=staff)
    assert AuditEvent.objects.filter(action="jury.session_take").count() == 1


def test_another_jury_member_can_take_a_session_over(session, staff):
    mark_finalised(session)
    jury.session_take(session=session, by=staff)
    other = UserFactory(is_staff=True)
    jury.session_take(session=session, by=other)
    session.refresh_from_db()
    assert session.assigned_to == other
    assert AuditEvent.objects.filter(action="jury.session_take").first().data["previous_assignee"] == staff.pk


def test_unfinalising_draws_a_new_access_code_when_an_open_session_took_it(session, staff):
    mark_finalised(session)
    SessionFactory(center=session.center, access_code=session.access_code)
    jury.session_unfinalise(session=session, by=staff)
    session.refresh_from_db()
    assert session.status == SessionStatus.CREATED
    assert SessionFactory._meta.model.objects.filter(access_code=session.access_code).count() == 1


def test_a_comment_over_2000_characters_is_refused(session, staff):
    certification = take_test(mark_finalised(session))
    with pytest.raises(DomainError) as error:
        jury.certification_comment(certification=certification, for_candidate="x" * 2001, for_center="", by=staff)
    assert error.value.code == "comment_too_long"


def test_unpublishing_a_session_that_is_not_published_changes_nothing(session, staff):
    mark_finalised(session)
    jury.session_unpublish(session=session, by=staff)
    assert not AuditEvent.objects.filter(action="jury.session_unpublish").exists()


def test_a_verification_code_is_kept_across_unpublish_and_publish(session, staff):
    certification = take_test(mark_finalised(session))
    auto_resolve_reports(session=session)
    jury.session_publish(session=session, by=staff)
    certification.refresh_from_db()
    code = certification.verification_code
    jury.session_unpublish(session=session, by=staff)
    jury.session_publish(session=session, by=staff)
    certification.refresh_from_db()
    assert certification.verification_code == code
