"""The timeline of one certification, in the jury's admin, from the audit trail and the answers."""

import datetime as dt

import time_machine
from django.urls import reverse

from finalisation.jury.scoring import session_score
from finalisation.jury.services import certification_correct_identity, issue_report_resolve, session_publish
from finalisation.jury.timeline import certification_timeline
from finalisation.services import abort_reason_set, issue_report_add, session_finalise
from sessions_app.services.certification import (
    candidate_authorize_resume,
    candidate_set_presence,
    certification_answer,
    certification_end_by_invigilator,
    certification_start,
)
from tests.factories import CandidateFactory, ProfileFactory, UserFactory, certifiable_levels

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def at(minutes: float):
    return time_machine.travel(T0 + dt.timedelta(minutes=minutes), tick=False)


def test_the_timeline_lists_every_event_in_order_with_who_did_it(session, bank, admin_user, staff_user_factory):
    staff = staff_user_factory()
    session.date, session.time = T0.date(), dt.time(9, 0)  # tests start on the session's date only
    session.save(update_fields=["date", "time"])
    invigilator = UserFactory(first_name="Paul", last_name="Surveillant")
    pupil = UserFactory(first_name="Léa", last_name="Martin")
    ProfileFactory(user=pupil, levels=certifiable_levels(level=1, count=5))
    candidate = CandidateFactory(session=session, user=pupil, first_name="Léa", last_name="Martin")
    with at(0):
        candidate_set_presence(candidate=candidate, present=True, by=invigilator)
    with at(1):
        certification = certification_start(candidate=candidate, user=pupil)
    with at(3):
        certification_answer(certification=certification, user=pupil, index=0, answer="1")
    with at(4):
        candidate_authorize_resume(candidate=candidate, by=invigilator)
    with at(5):
        certification_start(candidate=candidate, user=pupil)
    with at(7.5):
        certification_answer(certification=certification, user=pupil, index=1, answer="2")
    with at(20):
        certification_end_by_invigilator(candidate=candidate, by=invigilator)
    with at(60):
        issue_report_add(
            certification=certification, code="C8", description="Arrivée en retard", question_number=None, by=admin_user
        )
    with at(60.5):
        abort_reason_set(certification=certification, reason="candidate", by=admin_user)
    with at(61):
        session_finalise(session=session, by=admin_user)
    with at(62):
        issue_report_resolve(report=certification.issue_reports.get(), note="Sans effet sur le score", by=staff)
    with at(24 * 60):
        session_score(session=session, by=staff)
    with at(24 * 60 + 1):
        session_publish(session=session, by=staff)
    with at(24 * 60 + 2):
        certification_correct_identity(
            certification=certification,
            first_name="Léna",
            last_name="Martin",
            birth_date=candidate.birth_date,
            birth_city=candidate.birth_city,
            birth_country=candidate.birth_country,
            reason="Signalement C1",
            by=staff,
        )

    events = certification_timeline(certification)
    labels = [e.label for e in events]
    assert labels == [
        "Présence confirmée",
        "Test commencé",
        "Question 1",
        "Reprise du test autorisée",
        "Test repris",
        "Question 2",
        "Test terminé par le surveillant",
        "Signalement ajouté",
        "Raison de l'abandon indiquée",
        "Session finalisée",
        "Score calculé",
        "Signalement résolu par le jury",
        "Score calculé",
        "Résultats publiés",
        "Identité corrigée",
    ]
    assert [e.at for e in events] == sorted(e.at for e in events)
    by = {e.label: e.by for e in events}
    assert by["Présence confirmée"] == by["Reprise du test autorisée"] == "Paul Surveillant"
    assert by["Test terminé par le surveillant"] == "Paul Surveillant"
    assert by["Session finalisée"] == admin_user.full_name
    question_1 = events[2]
    assert "compétence 1.1" in question_1.details and "temps passé 2 min 00 s" in question_1.details
    assert "temps passé 4 min 30 s" in events[5].details
    assert "first_name : Léa → Léna" in events[-1].details and "Signalement C1" in events[-1].details


def test_another_candidates_events_are_not_in_the_timeline(session, start_test):
    lea = start_test(session, last_name="Martin", first_name="Léa")
    start_test(session, last_name="Durand", first_name="Hugo")
    assert [e.label for e in certification_timeline(lea)] == ["Test commencé"]


def test_the_admin_page_shows_the_timeline_to_staff(client, session, start_test, staff_user_factory):
    certification = start_test(session)
    session_finalise_for(session)
    client.force_login(staff_user_factory())
    url = reverse("admin:finalisation_jurycertification_timeline", args=[certification.pk])
    body = client.get(url).content.decode()
    assert "Chronologie de la certification" in body and "Test commencé" in body


def test_the_timeline_is_for_staff_only(client, session, start_test, admin_user):
    certification = start_test(session)
    session_finalise_for(session)
    client.force_login(admin_user)  # the centre's own administrator is not staff
    url = reverse("admin:finalisation_jurycertification_timeline", args=[certification.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_timeline_of_an_unknown_certification_is_a_404_for_staff(client, db, staff_user_factory):
    client.force_login(staff_user_factory())
    assert client.get(reverse("admin:finalisation_jurycertification_timeline", args=[999999])).status_code in (
        302,
        404,
    )


def session_finalise_for(session):
    from tests.finalisation.builders import mark_finalised

    return mark_finalised(session)


def test_a_live_alert_and_its_refusal_show_in_the_timeline(session, start_test):
    from sessions_app.live_alerts import ALERT_CODES
    from sessions_app.services.live_alerts import live_alert_open, live_alert_refuse

    certification = start_test(session)
    invigilator = UserFactory(first_name="Paul", last_name="Surveillant")
    with at(1):
        alert = live_alert_open(
            certification=certification, user=certification.user, index=0, code=next(iter(ALERT_CODES))
        )
    with at(2):
        live_alert_refuse(alert=alert, by=invigilator)
    events = [e for e in certification_timeline(certification) if e.label.startswith("Signalement en direct")]
    assert [(e.label, e.by, e.details) for e in events] == [
        ("Signalement en direct par le candidat", certification.user.full_name, "question 1"),
        ("Signalement en direct refusé par le surveillant", "Paul Surveillant", "question 1"),
    ]
