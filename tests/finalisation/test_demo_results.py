import io

from django.core.management import call_command

from finalisation import demo_results
from sessions_app.models import Certification, Session, SessionStatus
from tests.factories import make_bank


def test_the_demo_publishes_a_session_of_the_school_and_can_run_twice(db):
    make_bank()
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    session = Session.objects.get(room=demo_results.ROOM, center__name="Collège Jean Moulin")
    assert session.status == SessionStatus.PUBLISHED
    assert Certification.objects.filter(candidate__session=session, scored_at__isnull=False).count() == 3


def test_the_demo_step_is_skipped_without_a_question_bank(db):
    from pixcertif.accounts.demo import SCHOOL_NAME
    from tests.factories import CenterFactory, UserFactory

    CenterFactory(name=SCHOOL_NAME)
    UserFactory(email="admin@college.example")
    UserFactory(email="staff@pix.example", is_staff=True)
    demo_results.seed_demo(io.StringIO())
    assert not Session.objects.filter(room=demo_results.ROOM).exists()
