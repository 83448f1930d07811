import io

from django.core.management import call_command

from pixcertif.core.models import AuditEvent
from sessions_app.models import Certification, CertificationState, Session, SessionStatus
from tests.factories import make_bank


def test_the_demo_finalises_a_past_session_of_the_school_with_a_report(db):
    make_bank(levels=range(1, 3), per_level=3)
    call_command("seed_demo", stdout=io.StringIO())
    session = Session.objects.get(center__name="Collège Jean Moulin", room="Salle A01")
    assert session.status == SessionStatus.FINALIZED
    certifications = list(Certification.objects.filter(candidate__session=session))
    assert len(certifications) >= 3
    assert CertificationState.STARTED not in {c.state for c in certifications}
    assert all(c.abort_reason for c in certifications if c.state != CertificationState.COMPLETED)
    assert "C1" in [r.code for c in certifications for r in c.issue_reports.all()]


def test_the_demo_can_run_twice(db):
    make_bank(levels=range(1, 3), per_level=3)
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    session = Session.objects.get(room="Salle A01")
    assert AuditEvent.objects.filter(action="session.finalise", session_id_ref=session.pk).count() == 1


def test_the_demo_step_skips_quietly_without_a_question_bank(db):
    from finalisation import demo_finalisation
    from tests.factories import CenterFactory, UserFactory

    CenterFactory(name=demo_finalisation.SCHOOL_NAME)
    UserFactory(email=demo_finalisation.ADMIN_EMAIL)
    out = io.StringIO()
    demo_finalisation.seed_demo(out)
    assert "aucune épreuve" in out.getvalue()
    assert not Session.objects.filter(status=SessionStatus.FINALIZED).exists()
