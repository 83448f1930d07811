import html
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from finalisation.jury.resolution import auto_resolve_reports
from finalisation.services import attachment_add
from pixcertif.core.models import AuditEvent
from sessions_app.models import JuryStatus, SessionStatus
from tests.factories import CenterFactory, SessionFactory, UserFactory
from tests.finalisation.builders import mark_finalised, report, take_test

CHANGELIST = "/admin/finalisation/jurysession/"


@pytest.fixture
def staff(db):
    return UserFactory(email="jury@pix.test", is_staff=True)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def finalised(session):
    return mark_finalised(session)


@pytest.fixture
def certification(finalised):
    certification = take_test(finalised, results=["ko"] + ["ok"] * 14, last_name="Zola")
    auto_resolve_reports(session=finalised)
    certification.refresh_from_db()
    return certification


def session_url(session, name):
    return reverse(f"admin:finalisation_jurysession_{name}", args=[session.pk])


def certification_url(certification, name, *args):
    return reverse(f"admin:finalisation_jurycertification_{name}", args=[certification.pk, *args])


def audit(action):
    return AuditEvent.objects.filter(action=action)


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# ---- sessions list


def test_the_list_shows_sessions_to_process_by_default(staff_client, center):
    to_process = mark_finalised(SessionFactory(center=center, room="Salle à traiter"))
    mark_finalised(SessionFactory(center=center, room="Salle publiée"), status=SessionStatus.PUBLISHED)
    SessionFactory(center=center, room="Salle créée")
    body = staff_client.get(CHANGELIST).content.decode()
    assert to_process.room in body
    assert "Salle publiée" not in body
    assert "Salle créée" not in body


def test_the_status_filter_shows_published_sessions(staff_client, center):
    mark_finalised(SessionFactory(center=center, room="Salle publiée"), status=SessionStatus.PUBLISHED)
    body = staff_client.get(CHANGELIST + "?statut=published").content.decode()
    assert "Salle publiée" in body


def test_the_needs_action_filter_keeps_unresolved_reports_and_centre_comments(staff_client, center):
    with_report = mark_finalised(SessionFactory(center=center, room="Salle signalement"))
    report(take_test(with_report), "C6")
    commented = mark_finalised(SessionFactory(center=center, room="Salle commentaire"))
    type(commented).objects.filter(pk=commented.pk).update(finalisation_comment="Un souci de réseau.")
    mark_finalised(SessionFactory(center=center, room="Salle tranquille"))
    body = staff_client.get(CHANGELIST + "?action_requise=oui").content.decode()
    assert "Salle signalement" in body and "Salle commentaire" in body
    assert "Salle tranquille" not in body


def test_the_centre_filter_keeps_one_centre(staff_client, center):
    mark_finalised(SessionFactory(center=center, room="Salle du collège"))
    mark_finalised(SessionFactory(center=CenterFactory(name="Lycée"), room="Salle du lycée"))
    body = staff_client.get(CHANGELIST + f"?center__id__exact={center.pk}").content.decode()
    assert "Salle du collège" in body and "Salle du lycée" not in body


def test_the_list_runs_a_constant_number_of_queries(staff_client, center, django_assert_max_num_queries):
    for _ in range(6):
        session = mark_finalised(SessionFactory(center=center))
        report(take_test(session), "C6")
    with django_assert_max_num_queries(12):
        assert staff_client.get(CHANGELIST).status_code == 200


def test_a_session_page_lists_its_certifications_with_scores(staff_client, certification):
    session = certification.candidate.session
    body = staff_client.get(reverse("admin:finalisation_jurysession_change", args=[session.pk])).content.decode()
    assert certification.candidate.full_name in body
    assert "Validée" in body
    assert "120" in body


PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def scanned(session, admin_user):
    """A session finalised with a scanned attendance sheet, both boxes ticked and a comment."""
    upload = SimpleUploadedFile("émargement 3e B.pdf", PDF, content_type="application/pdf")
    attachment = attachment_add(session=session, kind="attendance_sheet", upload=upload, by=admin_user)
    type(session).objects.filter(pk=session.pk).update(
        has_incident=True, has_joining_issue=True, finalisation_comment="Coupure réseau à 10 h."
    )
    mark_finalised(session)
    return attachment


def test_a_session_page_lists_its_attachments_with_a_download_link(staff_client, scanned):
    body = staff_client.get(reverse("admin:finalisation_jurysession_change", args=[scanned.session_id])).content
    body = body.decode()
    link = reverse("finalisation:attachment_download", args=[scanned.session_id, scanned.pk])
    assert f'<a href="{link}">émargement 3e B.pdf</a>' in body
    assert "Feuille d&#x27;émargement scannée" in body
    assert f"{len(PDF)}\xa0octets" in body


def test_a_session_page_shows_the_finalisation_information_read_only(staff_client, scanned):
    body = staff_client.get(reverse("admin:finalisation_jurysession_change", args=[scanned.session_id])).content
    body = body.decode()
    assert "Coupure réseau à 10 h." in body
    assert body.count('src="/static/admin/img/icon-yes.svg"') >= 2
    assert 'name="finalisation_comment"' not in body and 'name="has_incident"' not in body


def test_staff_download_an_attachment_from_the_session_page(staff_client, scanned):
    response = staff_client.get(reverse("finalisation:attachment_download", args=[scanned.session_id, scanned.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_non_staff_user_cannot_open_a_session_admin_page(client, scanned):
    client.force_login(UserFactory(email="curieux@example.test"))
    response = client.get(reverse("admin:finalisation_jurysession_change", args=[scanned.session_id]))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


# ---- session actions, from the session page


def test_taking_a_session_puts_it_in_process_for_that_staff_member(staff_client, staff, finalised):
    staff_client.post(session_url(finalised, "take"))
    finalised.refresh_from_db()
    assert (finalised.status, finalised.assigned_to) == (SessionStatus.IN_PROCESS, staff)
    assert audit("jury.session_take").get().actor == staff


def test_a_get_on_an_action_url_is_refused(staff_client, finalised):
    assert staff_client.get(session_url(finalised, "take")).status_code == 405
    finalised.refresh_from_db()
    assert finalised.status == SessionStatus.FINALIZED


def test_publishing_a_session_records_it(staff_client, staff, certification):
    session = certification.candidate.session
    response = staff_client.post(session_url(session, "publish"))
    session.refresh_from_db()
    assert session.status == SessionStatus.PUBLISHED
    assert audit("jury.session_publish").get().actor == staff
    assert "Les résultats de la session sont publiés." in texts(response)


def test_publishing_a_session_with_an_unscored_certification_is_refused_and_names_it(staff_client, finalised):
    take_test(finalised, last_name="Pasnote", first_name="Léo")
    response = staff_client.post(session_url(finalised, "publish"))
    finalised.refresh_from_db()
    assert finalised.status == SessionStatus.FINALIZED
    assert any("Léo PASNOTE" in text for text in texts(response))
    assert not audit("jury.session_publish").exists()


def test_publishing_a_session_with_an_unresolved_report_is_refused(staff_client, certification):
    report(certification, "C6")
    staff_client.post(session_url(certification.candidate.session, "publish"))
    certification.candidate.session.refresh_from_db()
    assert certification.candidate.session.status == SessionStatus.FINALIZED


def test_unpublishing_a_session_gives_it_back_to_the_jury(staff_client, staff, certification):
    session = certification.candidate.session
    staff_client.post(session_url(session, "publish"))
    staff_client.post(session_url(session, "unpublish"))
    session.refresh_from_db()
    assert session.status == SessionStatus.FINALIZED and session.published_at is None
    assert audit("jury.session_unpublish").get().actor == staff


def test_unfinalising_a_session_gives_it_back_to_the_centre(staff_client, staff, finalised):
    staff_client.post(session_url(finalised, "unfinalise"))
    finalised.refresh_from_db()
    assert finalised.status == SessionStatus.CREATED and finalised.finalized_at is None
    assert audit("jury.session_unfinalise").get().actor == staff


def test_unfinalising_a_published_session_is_refused(staff_client, certification):
    session = certification.candidate.session
    staff_client.post(session_url(session, "publish"))
    response = staff_client.post(session_url(session, "unfinalise"))
    session.refresh_from_db()
    assert session.status == SessionStatus.PUBLISHED
    assert any("dépubliez-la" in text for text in texts(response))


def test_scoring_a_session_again_records_it(staff_client, staff, finalised):
    certification = take_test(finalised)
    staff_client.post(session_url(finalised, "rescore"))
    certification.refresh_from_db()
    assert certification.pix_score == 120
    assert audit("jury.session_rescore").get().actor == staff


# ---- session actions, from the list (several at once)


def run_action(client, url, action, ids):
    return client.post(url, {"action": action, "_selected_action": [str(i) for i in ids], "index": 0})


def test_several_sessions_are_published_at_once(staff_client, center):
    sessions = [mark_finalised(SessionFactory(center=center)) for _ in range(2)]
    for session in sessions:
        take_test(session)
        auto_resolve_reports(session=session)
    run_action(staff_client, CHANGELIST, "publish", [s.pk for s in sessions])
    for session in sessions:
        session.refresh_from_db()
        assert session.status == SessionStatus.PUBLISHED
    assert audit("jury.session_publish").count() == 2


def test_publishing_several_sessions_publishes_the_ready_ones_and_names_the_others(staff_client, center):
    ready = mark_finalised(SessionFactory(center=center))
    take_test(ready)
    auto_resolve_reports(session=ready)
    unscored = mark_finalised(SessionFactory(center=center))
    take_test(unscored)
    response = run_action(staff_client, CHANGELIST, "publish", [ready.pk, unscored.pk])
    ready.refresh_from_db()
    unscored.refresh_from_db()
    assert ready.status == SessionStatus.PUBLISHED
    assert unscored.status == SessionStatus.FINALIZED
    assert any(f"Session {unscored.pk}" in text for text in texts(response))


@pytest.mark.parametrize(
    ("action", "status", "audited"),
    [
        ("take", SessionStatus.IN_PROCESS, "jury.session_take"),
        ("unfinalise", SessionStatus.CREATED, "jury.session_unfinalise"),
        ("rescore", SessionStatus.FINALIZED, "jury.session_rescore"),
    ],
)
def test_the_list_actions_call_the_services(staff_client, finalised, action, status, audited):
    run_action(staff_client, CHANGELIST, action, [finalised.pk])
    finalised.refresh_from_db()
    assert finalised.status == status
    assert audit(audited).count() == 1


def test_the_unpublish_list_action_unpublishes(staff_client, certification):
    session = certification.candidate.session
    staff_client.post(session_url(session, "publish"))
    run_action(staff_client, CHANGELIST + "?statut=published", "unpublish", [session.pk])
    session.refresh_from_db()
    assert session.status == SessionStatus.FINALIZED
    assert audit("jury.session_unpublish").count() == 1


# ---- one certification


def test_a_certification_page_shows_answers_reports_and_result(staff_client, certification):
    report(certification, "C6", description="Téléphone sur la table")
    body = staff_client.get(reverse("admin:finalisation_jurycertification_change", args=[certification.pk]))
    body = body.content.decode()
    assert "Téléphone sur la table" in body
    assert "Neutraliser" in body
    assert "Faux" in body and "Juste" in body
    assert level_rows(body)[0] == ("1.1 Mener une recherche et une veille d'information", "3")


def level_rows(body: str) -> list[tuple[str, str]]:
    table = re.search(r'<table class="jury-levels".*?</table>', body, re.S)
    assert table, "no table of certified levels"
    rows = re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td></tr>', table.group(0), re.S)
    return [(html.unescape(name), level) for name, level in rows]


def test_the_certified_levels_read_as_a_table_of_competence_and_level(staff_client, certification):
    """One row per assessed competence, in the framework's order, not run together on one line."""
    type(certification).objects.filter(pk=certification.pk).update(competence_levels={"5.2": 6, "1.1": 3, "2.1": 0})
    body = staff_client.get(reverse("admin:finalisation_jurycertification_change", args=[certification.pk]))
    body = body.content.decode()
    assert level_rows(body) == [
        ("1.1 Mener une recherche et une veille d'information", "3"),
        ("2.1 Interagir", "0"),
        ("5.2 Construire un environnement numérique", "6"),
    ]
    assert "1.1 : " not in body


def test_a_certification_not_scored_yet_shows_no_levels_table(staff_client, certification):
    type(certification).objects.filter(pk=certification.pk).update(competence_levels={})
    body = staff_client.get(reverse("admin:finalisation_jurycertification_change", args=[certification.pk]))
    assert 'class="jury-levels"' not in body.content.decode()


def test_a_certification_page_shows_how_each_report_was_resolved(staff_client, finalised):
    certification = take_test(finalised, results=["ko"] + ["ok"] * 14)
    report(certification, "E4", 1)
    auto_resolve_reports(session=finalised)
    body = staff_client.get(reverse("admin:finalisation_jurycertification_change", args=[certification.pk]))
    body = body.content.decode()
    assert "Résolu automatiquement (E4) : la question 1 a été neutralisée. (automatiquement," in body


def test_neutralising_a_question_records_it_and_scores_again(staff_client, staff, certification):
    row = certification.challenges.get(index=0)
    response = staff_client.post(certification_url(certification, "neutralise", row.pk))
    row.refresh_from_db()
    certification.refresh_from_db()
    assert row.is_neutralized
    assert certification.rate == 1.0
    event = audit("jury.challenge_neutralise").get()
    assert (event.actor, event.data["question_number"]) == (staff, 1)
    assert "La question 1 est neutralisée." in texts(response)


def test_unneutralising_a_question_records_it(staff_client, staff, certification):
    row = certification.challenges.get(index=0)
    staff_client.post(certification_url(certification, "neutralise", row.pk))
    staff_client.post(certification_url(certification, "unneutralise", row.pk))
    row.refresh_from_db()
    assert not row.is_neutralized
    assert audit("jury.challenge_unneutralise").get().actor == staff


def test_a_question_of_another_certification_is_a_404(staff_client, certification, finalised):
    other = take_test(finalised)
    row = other.challenges.get(index=0)
    assert staff_client.post(certification_url(certification, "neutralise", row.pk)).status_code == 404


def test_resolving_a_report_keeps_the_note_and_records_it(staff_client, staff, certification):
    issue = report(certification, "C6")
    staff_client.post(certification_url(certification, "resolve", issue.pk), {f"note-{issue.pk}": "Rien constaté."})
    issue.refresh_from_db()
    assert (issue.resolution_note, issue.resolved_by, issue.auto_resolved) == ("Rien constaté.", staff, False)
    assert audit("jury.issue_report_resolve").get().data["note"] == "Rien constaté."


def test_resolving_a_report_without_a_note_is_refused(staff_client, certification):
    issue = report(certification, "C6")
    response = staff_client.post(certification_url(certification, "resolve", issue.pk), {f"note-{issue.pk}": "  "})
    issue.refresh_from_db()
    assert not issue.is_resolved
    assert "Indiquez une note de résolution." in texts(response)


def test_cancelling_a_certification_records_it(staff_client, staff, certification):
    staff_client.post(certification_url(certification, "cancel"))
    certification.refresh_from_db()
    assert certification.jury_status == JuryStatus.CANCELLED
    assert audit("jury.certification_cancel").get().actor == staff


def test_rejecting_for_fraud_records_it(staff_client, staff, certification):
    staff_client.post(certification_url(certification, "reject_for_fraud"))
    certification.refresh_from_db()
    assert (certification.jury_status, certification.pix_score, certification.rejected_for_fraud) == (
        JuryStatus.REJECTED,
        0,
        True,
    )
    assert audit("jury.certification_reject_for_fraud").get().actor == staff


def test_reinstating_gives_back_the_computed_result(staff_client, staff, certification):
    staff_client.post(certification_url(certification, "reject_for_fraud"))
    staff_client.post(certification_url(certification, "reinstate"))
    certification.refresh_from_db()
    assert (certification.jury_status, certification.pix_score) == (JuryStatus.VALIDATED, 120)
    assert audit("jury.certification_reinstate").get().actor == staff


def test_the_comments_are_saved_through_the_service(staff_client, staff, certification):
    url = reverse("admin:finalisation_jurycertification_change", args=[certification.pk])
    page = staff_client.get(url).content.decode()
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    data = {**hidden, "comment_for_candidate": "Bravo.", "comment_for_center": "RAS.", "_save": "1"}
    assert staff_client.post(url, data).status_code == 302
    certification.refresh_from_db()
    assert (certification.comment_for_candidate, certification.comment_for_center) == ("Bravo.", "RAS.")
    assert audit("jury.certification_comment").get().actor == staff


@pytest.mark.parametrize(
    ("action", "status", "audited"),
    [
        ("cancel", JuryStatus.CANCELLED, "jury.certification_cancel"),
        ("reject_for_fraud", JuryStatus.REJECTED, "jury.certification_reject_for_fraud"),
    ],
)
def test_the_certification_list_actions_call_the_services(staff_client, certification, action, status, audited):
    run_action(staff_client, "/admin/finalisation/jurycertification/", action, [certification.pk])
    certification.refresh_from_db()
    assert certification.jury_status == status
    assert audit(audited).count() == 1


def test_the_reinstate_list_action_reinstates(staff_client, certification):
    staff_client.post(certification_url(certification, "cancel"))
    run_action(staff_client, "/admin/finalisation/jurycertification/", "reinstate", [certification.pk])
    certification.refresh_from_db()
    assert certification.jury_status == JuryStatus.VALIDATED


def test_a_published_session_cannot_be_changed(staff_client, certification):
    session = certification.candidate.session
    staff_client.post(session_url(session, "publish"))
    response = staff_client.post(certification_url(certification, "cancel"))
    certification.refresh_from_db()
    assert certification.jury_status == JuryStatus.VALIDATED
    assert any("dépubliez-la" in text for text in texts(response))


# ---- permissions


def admin_urls(certification, issue):
    session = certification.candidate.session
    row = certification.challenges.first()
    return [
        ("get", CHANGELIST),
        ("get", reverse("admin:finalisation_jurysession_change", args=[session.pk])),
        ("get", "/admin/finalisation/jurycertification/"),
        ("get", reverse("admin:finalisation_jurycertification_change", args=[certification.pk])),
        *[("post", session_url(session, name)) for name in ["take", "publish", "unpublish", "unfinalise", "rescore"]],
        ("post", certification_url(certification, "neutralise", row.pk)),
        ("post", certification_url(certification, "unneutralise", row.pk)),
        ("post", certification_url(certification, "resolve", issue.pk)),
        *[("post", certification_url(certification, name)) for name in ["cancel", "reject_for_fraud", "reinstate"]],
    ]


@pytest.mark.parametrize("who", ["anonymous", "centre admin"])
def test_every_jury_url_sends_non_staff_to_the_admin_login(client, admin_user, certification, who):
    if who == "centre admin":
        client.force_login(admin_user)
    issue = report(certification, "C6")
    for method, url in admin_urls(certification, issue):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url
    session = certification.candidate.session
    session.refresh_from_db()
    assert session.status == SessionStatus.FINALIZED
    assert not AuditEvent.objects.filter(action__startswith="jury.").exclude(actor=None).exists()


@pytest.mark.parametrize("status", [SessionStatus.FINALIZED, SessionStatus.PUBLISHED])
def test_the_action_buttons_come_from_a_template_with_no_inline_script_or_style(staff_client, certification, status):
    """templates/admin/jury/_action_button.html: danger said in words (not colour alone); the
    confirmation comes from static/js/jury_admin.js (a CSP without 'unsafe-inline' allows it)."""
    session = mark_finalised(certification.candidate.session, status=status)
    body = staff_client.get(reverse("admin:finalisation_jurysession_change", args=[session.pk])).content.decode()
    buttons = re.findall(r"<button[^>]*formaction=[^>]*>.*?</button>", body, re.S)
    assert buttons
    assert not [b for b in buttons if "onclick" in b or "style=" in b]
    danger = [b for b in buttons if "jury-danger" in b]
    assert danger and all("Attention :" in b for b in danger)
    assert "js/jury_admin.js" in body and "css/jury_admin.css" in body
    if status == SessionStatus.FINALIZED:
        assert any('data-confirm="Rendre cette session au centre' in b for b in danger)
