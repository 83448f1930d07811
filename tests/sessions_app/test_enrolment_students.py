"""/sessions/<id>/inscription-eleves: students of a school picked by class."""

import pytest
from django.utils import timezone

from sessions_app.models import Candidate
from tests.factories import CandidateFactory, CenterFactory, ProfileFactory, SessionFactory, StudentFactory, UserFactory


def certifiable_student(center, **kwargs):
    user = UserFactory()
    ProfileFactory(user=user)
    return StudentFactory(center=center, user=user, **kwargs)


def not_certifiable_student(center, **kwargs):
    user = UserFactory()
    ProfileFactory(user=user, levels={"1.1": 2, "1.2": 1})
    return StudentFactory(center=center, user=user, **kwargs)


def url(session, suffix=""):
    return f"/sessions/{session.pk}/inscription-eleves{suffix}"


def test_the_page_filters_by_class(center_admin_client, session, center):
    StudentFactory(center=center, division="3EME A", last_name="Alpha")
    StudentFactory(center=center, division="3EME B", last_name="Beta")
    html = center_admin_client.get(url(session), {"classe": "3EME B"}).content.decode()
    assert "BETA" in html
    assert "ALPHA" not in html


def test_the_page_filters_by_name(center_admin_client, session, center):
    StudentFactory(center=center, last_name="Lovelace", first_name="Ada")
    StudentFactory(center=center, last_name="Turing", first_name="Alan")
    html = center_admin_client.get(url(session), {"nom": "ada"}).content.decode()
    assert "LOVELACE" in html
    assert "TURING" not in html


def test_the_page_is_paginated(center_admin_client, session, center):
    for i in range(25):
        StudentFactory(center=center, last_name=f"Eleve{i:02d}")
    first = center_admin_client.get(url(session)).content.decode()
    second = center_admin_client.get(url(session), {"page": 2}).content.decode()
    assert "Page 1 / 2" in first
    assert "ELEVE00" in first and "ELEVE24" not in first
    assert "ELEVE24" in second


def test_the_page_shows_certifiability_per_student(center_admin_client, session, center):
    certifiable_student(center, last_name="Apte")
    not_certifiable_student(center, last_name="Debutant")
    StudentFactory(center=center, last_name="Sanscompte")
    StudentFactory(center=center, last_name="Sansprofil", user=UserFactory())
    rows = {
        r["student"].last_name: r["certifiability"][0] for r in center_admin_client.get(url(session)).context["rows"]
    }
    assert rows == {
        "Apte": "Certifiable",
        "Debutant": "Non certifiable",
        "Sanscompte": "Profil inconnu (pas de compte Pix)",
        "Sansprofil": "Profil inconnu (aucun profil)",
    }


def test_students_already_enrolled_are_shown_disabled_and_counted(center_admin_client, session, center):
    student = StudentFactory(center=center, last_name="Dedans")
    CandidateFactory(session=session, student=student)
    html = center_admin_client.get(url(session)).content.decode()
    assert "Déjà ajouté(e)" in html
    assert f'id="student-{student.pk}" checked disabled' in html
    assert "0 candidat(s) sélectionné(s) | 1 candidat(s) déjà ajouté(s) à la session" in " ".join(html.split()).replace(
        "<span data-selected-count>0</span>", "0"
    )


def test_select_all_without_javascript_ticks_every_available_student_of_the_page(center_admin_client, session, center):
    a = StudentFactory(center=center)
    b = StudentFactory(center=center)
    CandidateFactory(session=session, student=b)
    response = center_admin_client.get(url(session), {"tout": "1"})
    checked = {r["student"].pk for r in response.context["rows"] if r["checked"]}
    assert checked == {a.pk}
    assert response.context["selected_count"] == 1


def test_the_page_runs_a_constant_number_of_queries(
    center_admin_client, session, center, django_assert_max_num_queries
):
    for _ in range(20):
        certifiable_student(center)
    with django_assert_max_num_queries(12):
        assert center_admin_client.get(url(session)).status_code == 200


def test_adding_certifiable_students_enrols_them_with_the_banner(center_admin_client, session, center):
    students = [certifiable_student(center), certifiable_student(center)]
    response = center_admin_client.post(url(session, "/ajout"), {"students": [s.pk for s in students]}, follow=True)
    assert response.redirect_chain[-1][0] == f"/sessions/{session.pk}/candidats"
    assert "Le(s) candidat(s) ont été ajouté(s) avec succès." in response.content.decode()
    assert set(session.candidates.values_list("student_id", flat=True)) == {s.pk for s in students}


def test_adding_a_non_certifiable_student_asks_for_confirmation(center_admin_client, session, center):
    doubtful = not_certifiable_student(center, last_name="Debutant")
    fine = certifiable_student(center)
    response = center_admin_client.post(url(session, "/ajout"), {"students": [doubtful.pk, fine.pk]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Confirmer l'ajout de candidats non certifiables" in html
    assert "DEBUTANT" in html
    assert not Candidate.objects.exists()


def test_confirming_enrols_the_non_certifiable_student(center_admin_client, session, center):
    doubtful = not_certifiable_student(center)
    response = center_admin_client.post(url(session, "/ajout"), {"students": [doubtful.pk], "confirmer": "1"})
    assert response.status_code == 302
    assert session.candidates.get().student == doubtful


def test_a_student_of_another_centre_posted_by_hand_is_refused(center_admin_client, session):
    stranger = StudentFactory(center=CenterFactory())
    response = center_admin_client.post(
        url(session, "/ajout"), {"students": [stranger.pk], "confirmer": "1"}, follow=True
    )
    assert "n'appartient pas à la liste de votre établissement" in response.content.decode().replace("&#x27;", "'")
    assert not Candidate.objects.exists()


def test_an_empty_selection_is_refused_with_a_message(center_admin_client, session):
    response = center_admin_client.post(url(session, "/ajout"), {}, follow=True)
    assert "Sélectionnez au moins un élève." in response.content.decode()


def test_a_garbled_selection_is_refused_without_error(center_admin_client, session):
    response = center_admin_client.post(url(session, "/ajout"), {"students": ["1; DROP"]}, follow=True)
    assert response.status_code == 200
    assert "La sélection d&#x27;élèves est invalide." in response.content.decode()


def test_adding_to_a_started_session_is_refused(center_admin_client, session, center):
    session.started_at = timezone.now()
    session.save()
    student = certifiable_student(center)
    response = center_admin_client.post(url(session, "/ajout"), {"students": [student.pk]}, follow=True)
    assert "La session a déjà débuté" in response.content.decode()
    assert not Candidate.objects.exists()


def test_after_an_error_the_page_keeps_its_filter(center_admin_client, session):
    response = center_admin_client.post(url(session, "/ajout"), {"retour": "classe=3EME+A&evil=1"})
    assert response["Location"] == url(session) + "?classe=3EME+A"


@pytest.mark.parametrize("path", ["", "/ajout"])
def test_a_non_school_centre_is_sent_back_to_its_candidates(client, pro_admin_user, pro_center, path):
    client.force_login(pro_admin_user)
    session = SessionFactory(center=pro_center)
    response = client.post(url(session, path)) if path else client.get(url(session))
    assert response.status_code == 302
    assert response["Location"] == f"/sessions/{session.pk}/candidats"
