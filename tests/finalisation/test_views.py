import html

import pytest
import time_machine
from django.utils import timezone

from finalisation.services import abort_reason_set, issue_report_add, session_finalise
from pixcertif.core.models import AuditEvent
from sessions_app.models import CertificationState, IssueReport, SessionStatus
from tests.factories import CandidateFactory, SessionFactory
from tests.finalisation.conftest import QUESTIONS


def page_url(session) -> str:
    return f"/sessions/{session.pk}/finalisation"


def text(response) -> str:
    return html.unescape(response.content.decode())


# ---------------------------------------------------------------- entry


def test_the_details_page_offers_to_finalise_once_a_test_started(center_member_client, unfinished):
    session = unfinished.candidate.session
    body = text(center_member_client.get(f"/sessions/{session.pk}"))
    assert "Finaliser la session" in body and page_url(session) in body


def test_the_details_page_does_not_offer_to_finalise_before_any_start(center_member_client, session):
    assert page_url(session) not in text(center_member_client.get(f"/sessions/{session.pk}"))


def test_the_details_page_does_not_offer_to_finalise_a_finalised_session(center_admin_client, completed, admin_user):
    session = session_finalise(session=completed.candidate.session, by=admin_user)
    body = text(center_admin_client.get(f"/sessions/{session.pk}"))
    assert page_url(session) not in body and "Finalisée" in body


def test_the_details_page_flags_a_session_not_finalised_48_hours_after_its_start(
    center_admin_client, unfinished, admin_user
):
    session = unfinished.candidate.session
    session.refresh_from_db()
    with time_machine.travel(max(session.starts_at, session.started_at) + timezone.timedelta(hours=49)):
        center_admin_client.force_login(admin_user)  # the login session would have expired by then
        body = text(center_admin_client.get(f"/sessions/{session.pk}"))
    assert "La finalisation doit se faire dans les 48h" in body


def test_the_details_page_does_not_flag_a_session_within_48_hours(center_admin_client, unfinished, admin_user):
    session = unfinished.candidate.session
    session.refresh_from_db()
    with time_machine.travel(max(session.starts_at, session.started_at) + timezone.timedelta(hours=47)):
        center_admin_client.force_login(admin_user)  # the login session would have expired by then
        body = text(center_admin_client.get(f"/sessions/{session.pk}"))
    assert "48h" not in body


def test_the_finalisation_page_is_refused_before_any_start(center_admin_client, session):
    response = center_admin_client.get(page_url(session), follow=True)
    assert response.redirect_chain == [(f"/sessions/{session.pk}", 302)]
    assert "cette session ne peut pas encore être finalisée" in text(response)


def test_the_finalisation_page_of_a_finalised_session_goes_back_to_the_details(
    center_admin_client, completed, admin_user
):
    session = session_finalise(session=completed.candidate.session, by=admin_user)
    response = center_admin_client.get(page_url(session), follow=True)
    assert response.redirect_chain == [(f"/sessions/{session.pk}", 302)]
    assert "entre les mains de l'équipe Pix" in text(response)


# ---------------------------------------------------------------- step 1


def test_the_page_lists_unfinished_tests_first_then_completed_ones(center_member_client, unfinished, completed):
    session = unfinished.candidate.session
    CandidateFactory(session=session, last_name="Absent")
    body = text(center_member_client.get(page_url(session)))
    assert f"<h1>Finaliser la session {session.pk}</h1>" in body
    warning = body.index("Ces candidats n'ont pas fini leur test de certification")
    done = body.index("Certification(s) terminée(s)")
    assert warning < body.index("DUPONT") < done < body.index("DELARUE")
    for label in ("Nom", "Prénom", "N° de certification", "Signalement", "Raison de l'abandon"):
        assert f'<th scope="col">{label}</th>' in body
    for option in ("-- Choisissez --", "Abandon : Manque de temps ou départ prématuré", "Problème technique"):
        assert option in body
    assert "ABSENT" not in body


def test_the_page_has_no_warning_when_every_test_is_completed(center_member_client, completed):
    body = text(center_member_client.get(page_url(completed.candidate.session)))
    assert "Ces candidats n'ont pas fini" not in body and "DELARUE" in body


def test_the_page_query_count_does_not_grow_with_the_candidates(
    center_member_client, session, start_test, admin_user, django_assert_max_num_queries
):
    def add(n: int) -> None:
        for i in range(n):
            certification = start_test(session, last_name=f"Nom{i}{n}")
            issue_report_add(
                certification=certification, code="C7", question_number=None, description="x", by=admin_user
            )

    add(1)
    with django_assert_max_num_queries(16) as one:
        center_member_client.get(page_url(session))
    add(6)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert center_member_client.get(page_url(session)).status_code == 200


def test_the_report_dialog_shows_the_grouped_categories(center_member_client, completed):
    session = completed.candidate.session
    body = text(center_member_client.get(f"{page_url(session)}/signalement/{completed.pk}"))
    assert "<h1>Signalement du candidat : Sophie DELARUE</h1>" in body
    for key, title in [("C1-C2", "Modification infos candidat"), ("E1-E12", "Problème technique sur une question")]:
        assert f"<legend><strong>{key}</strong> {title}</legend>" in body
    assert "Sélectionnez une sous-catégorie :" in body
    assert f'max="{QUESTIONS}"' in body and 'data-counter="#description-counter"' in body
    assert "0 / 500" in body and "Annuler" in body and "Valider" in body


def test_a_report_is_added_from_the_dialog_page(center_member_client, completed, member_user):
    session = completed.candidate.session
    response = center_member_client.post(
        f"{page_url(session)}/signalement/{completed.pk}", {"code": "E4", "question_number": "3", "description": ""}
    )
    assert response.status_code == 302 and response["Location"] == f"{page_url(session)}#certification-{completed.pk}"
    report = IssueReport.objects.get()
    assert (report.certification, report.code, report.question_number, report.created_by) == (
        completed,
        "E4",
        3,
        member_user,
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"code": "C9", "description": "x"}, "code", "Cette catégorie de signalement n'existe pas."),
        ({"description": "x"}, "code", "Sélectionnez une catégorie de signalement."),
        ({"code": "E4", "question_number": ""}, "question_number", "Indiquez le numéro de la question concernée."),
        ({"code": "E4", "question_number": "0"}, "question_number", "supérieur ou égal à 1"),
        ({"code": "E4", "question_number": str(QUESTIONS + 1)}, "question_number", f"entre 1 et {QUESTIONS}"),
        ({"code": "E4", "question_number": "trois"}, "question_number", "un nombre entier"),
        ({"code": "C1", "description": "a" * 501}, "description", "ne peuvent pas dépasser 500 caractères"),
        ({"code": "C1", "description": ""}, "description", "Précisez les détails de ce signalement."),
    ],
)
def test_a_bad_report_is_shown_again_with_an_error_under_its_field(
    center_member_client, completed, data, field, message
):
    session = completed.candidate.session
    response = center_member_client.post(f"{page_url(session)}/signalement/{completed.pk}", data)
    assert response.status_code == 200
    assert message in text(response)
    assert field in response.context["form"].errors
    assert not IssueReport.objects.exists()


def test_a_report_for_a_candidate_of_another_session_is_a_404(center_member_client, completed, center, start_test):
    other = start_test(SessionFactory(center=center), last_name="Ailleurs")
    session = completed.candidate.session
    url = f"{page_url(session)}/signalement/{other.pk}"
    assert center_member_client.get(url).status_code == 404
    assert center_member_client.post(url, {"code": "C6"}).status_code == 404
    assert not IssueReport.objects.exists()


def test_a_report_is_listed_and_removable(center_member_client, completed, admin_user):
    session = completed.candidate.session
    report = issue_report_add(certification=completed, code="E4", question_number=3, description="", by=admin_user)
    body = text(center_member_client.get(page_url(session)))
    assert "E4 Le site à visiter est indisponible/en maintenance/inaccessible — question 3" in body
    response = center_member_client.post(f"{page_url(session)}/signalements/{report.pk}/suppression")
    assert response.status_code == 302 and not IssueReport.objects.exists()


def test_a_report_of_another_session_cannot_be_removed(center_member_client, completed, center, start_test, admin_user):
    other = start_test(SessionFactory(center=center), last_name="Ailleurs")
    report = issue_report_add(certification=other, code="C6", question_number=None, description="", by=admin_user)
    url = f"{page_url(completed.candidate.session)}/signalements/{report.pk}/suppression"
    assert center_member_client.post(url).status_code == 302
    assert IssueReport.objects.filter(pk=report.pk).exists()


def test_removing_a_report_twice_says_it_is_already_removed(center_member_client, completed, admin_user):
    report = issue_report_add(certification=completed, code="C6", question_number=None, description="", by=admin_user)
    url = f"{page_url(completed.candidate.session)}/signalements/{report.pk}/suppression"
    center_member_client.post(url)
    response = center_member_client.post(url, follow=True)
    assert "Ce signalement a déjà été supprimé." in text(response)


def test_the_abort_reason_is_saved_at_once(center_member_client, unfinished):
    session = unfinished.candidate.session
    response = center_member_client.post(f"{page_url(session)}/abandon/{unfinished.pk}", {"reason": "technical"})
    assert response.status_code == 302
    unfinished.refresh_from_db()
    assert unfinished.abort_reason == "technical"


def test_a_forged_abort_reason_changes_nothing(center_member_client, unfinished):
    session = unfinished.candidate.session
    response = center_member_client.post(
        f"{page_url(session)}/abandon/{unfinished.pk}", {"reason": "bored"}, follow=True
    )
    assert "Cette raison de l'abandon n'existe pas." in text(response)
    unfinished.refresh_from_db()
    assert unfinished.abort_reason == ""


# ---------------------------------------------------------------- step 2 and drafts


def test_the_complementary_information_shows_the_guides_wording(center_member_client, completed):
    body = text(center_member_client.get(page_url(completed.candidate.session)))
    assert (
        "Malgré un incident survenu pendant la session, les candidats ont pu terminer leur test de certification. "
        "Un temps supplémentaire a été accordé à un ou plusieurs candidats." in body
    )
    assert (
        "Un ou plusieurs candidats étaient présents en session de certification mais n'ont pas pu rejoindre la session."
        in body
    )
    assert 'data-counter="#comment-counter"' in body


def test_a_comment_of_501_characters_is_shown_again_with_its_error(center_member_client, completed):
    session = completed.candidate.session
    response = center_member_client.post(f"{page_url(session)}/informations", {"comment": "a" * 501})
    assert response.status_code == 200
    assert "Le commentaire ne peut pas dépasser 500 caractères." in text(response)
    session.refresh_from_db()
    assert session.finalisation_comment == ""


def test_drafts_are_still_there_when_the_administrator_comes_back(center_admin_client, unfinished):
    session = unfinished.candidate.session
    center_admin_client.post(
        f"{page_url(session)}/signalement/{unfinished.pk}", {"code": "C8", "description": "Retard"}
    )
    center_admin_client.post(f"{page_url(session)}/abandon/{unfinished.pk}", {"reason": "candidate"})
    center_admin_client.post(
        f"{page_url(session)}/informations", {"has_joining_issue": "on", "comment": "Réseau lent en début de session"}
    )
    center_admin_client.get("/sessions/liste")
    center_admin_client.logout()
    center_admin_client.force_login(session.center.memberships.get(role="ADMIN").user)
    response = center_admin_client.get(page_url(session))
    body = text(response)
    assert "C8 Incident lié au candidat non bloquant" in body and "Retard" in body
    assert '<option value="candidate" selected>' in body
    assert response.context["info_form"].initial == {
        "has_incident": False,
        "has_joining_issue": True,
        "comment": "Réseau lent en début de session",
    }
    assert "Réseau lent en début de session</textarea>" in body


# ---------------------------------------------------------------- finalise


def test_the_confirmation_step_works_without_javascript(center_member_client, completed):
    session = completed.candidate.session
    body = text(center_member_client.get(f"{page_url(session)}/confirmation"))
    assert "Vous êtes sur le point de finaliser cette session" in body
    assert f'action="{page_url(session)}/finaliser"' in body


def test_the_page_opens_a_confirmation_dialog_before_finalising(center_member_client, completed):
    body = text(center_member_client.get(page_url(completed.candidate.session)))
    assert 'data-confirm="#finalise-dialog"' in body and '<dialog id="finalise-dialog"' in body


def test_finalising_shows_the_two_messages_and_the_status_finalisee(center_member_client, completed):
    session = completed.candidate.session
    response = center_member_client.post(f"{page_url(session)}/finaliser", follow=True)
    assert response.redirect_chain == [(f"/sessions/{session.pk}", 302)]
    body = text(response)
    assert "Les informations de la session ont été transmises avec succès." in body
    assert "Les résultats seront disponibles après traitement de la session par Pix, sous 1 à quelques jours." in body
    assert "Finalisée" in body
    session.refresh_from_db()
    assert session.status == SessionStatus.FINALIZED


def test_finalising_without_every_abort_reason_is_refused_naming_the_candidate(center_member_client, unfinished):
    session = unfinished.candidate.session
    response = center_member_client.post(f"{page_url(session)}/finaliser", follow=True)
    assert response.redirect_chain == [(page_url(session), 302)]
    assert "Martine DUPONT" in text(response)
    session.refresh_from_db()
    assert session.status == SessionStatus.CREATED


def test_finalising_a_finalised_session_again_changes_nothing(center_member_client, completed, admin_user):
    session = session_finalise(session=completed.candidate.session, by=admin_user)
    response = center_member_client.post(f"{page_url(session)}/finaliser", follow=True)
    assert "Cette session est déjà finalisée." in text(response)
    assert AuditEvent.objects.filter(action="session.finalise").count() == 1


def test_the_finalised_status_shows_in_the_session_list(center_member_client, completed, admin_user):
    session_finalise(session=completed.candidate.session, by=admin_user)
    assert "Finalisée" in text(center_member_client.get("/sessions/liste"))


# ---------------------------------------------------------------- the lock, through the pages


@pytest.fixture
def finalised_session(unfinished, admin_user):
    session = unfinished.candidate.session
    abort_reason_set(certification=unfinished, reason="candidate", by=admin_user)
    return session_finalise(session=session, by=admin_user)


@pytest.mark.parametrize(
    ("suffix", "data"),
    [
        ("/signalement/{cert}", {"code": "C6"}),
        ("/abandon/{cert}", {"reason": "technical"}),
        ("/informations", {"has_incident": "on"}),
        ("/pieces-jointes", {"kind": "screenshot"}),
    ],
)
def test_every_finalisation_write_is_refused_on_a_finalised_session(
    center_admin_client, finalised_session, unfinished, suffix, data
):
    url = page_url(finalised_session) + suffix.format(cert=unfinished.pk)
    response = center_admin_client.post(url, data, follow=True)
    assert response.redirect_chain[-1] == (f"/sessions/{finalised_session.pk}", 302)
    assert "entre les mains de l'équipe Pix" in text(response)
    unfinished.refresh_from_db()
    finalised_session.refresh_from_db()
    assert unfinished.abort_reason == "candidate" and not IssueReport.objects.exists()
    assert not finalised_session.has_incident


def test_an_unfinished_test_is_shown_as_ended_by_finalisation(finalised_session, unfinished):
    unfinished.refresh_from_db()
    assert unfinished.state == CertificationState.ENDED_BY_FINALISATION


def test_finalising_a_session_nobody_started_is_refused(center_admin_client, session):
    response = center_admin_client.post(f"{page_url(session)}/finaliser", follow=True)
    assert response.redirect_chain == [(f"/sessions/{session.pk}", 302)]
    assert text(response).count("cette session ne peut pas encore être finalisée") == 1
    session.refresh_from_db()
    assert session.status == SessionStatus.CREATED
