import pytest

from finalisation.services import finalisation_info_update
from pixcertif.core.errors import DomainError
from pixcertif.core.models import AuditEvent


def test_it_saves_the_boxes_and_the_comment_as_entered(session, admin_user):
    finalisation_info_update(
        session=session, has_incident=True, has_joining_issue=False, comment=" Coupure réseau à 10 h. ", by=admin_user
    )
    session.refresh_from_db()
    assert (session.has_incident, session.has_joining_issue) == (True, False)
    assert session.finalisation_comment == "Coupure réseau à 10 h."
    assert AuditEvent.objects.filter(action="session.finalisation_info_update").count() == 1


def test_saving_the_same_information_again_records_nothing(session, admin_user):
    for _ in range(2):
        finalisation_info_update(session=session, has_incident=True, has_joining_issue=True, comment="", by=admin_user)
    assert AuditEvent.objects.filter(action="session.finalisation_info_update").count() == 1


def test_it_refuses_a_comment_of_501_characters(session, admin_user):
    with pytest.raises(DomainError) as error:
        finalisation_info_update(
            session=session, has_incident=False, has_joining_issue=False, comment="a" * 501, by=admin_user
        )
    assert error.value.code == "comment_too_long"
    session.refresh_from_db()
    assert session.finalisation_comment == ""
