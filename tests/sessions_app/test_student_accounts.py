"""From "Élèves", a school admin creates accounts for pupils without one and prints their sheet."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from pixcertif.accounts.models import User
from pixcertif.core.errors import DomainError
from sessions_app.models import Student
from sessions_app.services.student_accounts import student_reset_password, students_create_accounts
from tests.factories import StudentFactory, UserFactory
from tests.sessions_app.document_helpers import pdf_pages_text


@pytest.fixture
def pupils(center):
    same = {"first_name": "Sophie", "last_name": "Delarue", "birth_date": dt.date(2011, 7, 4)}
    return [
        StudentFactory(center=center, division="3EME A", **same),
        StudentFactory(center=center, division="3EME A", **same),
        StudentFactory(center=center, division="3EME A", first_name="Paul", last_name="Martin"),
        StudentFactory(center=center, division="3EME A", first_name="Léa", last_name="Roux", user=UserFactory()),
        StudentFactory(center=center, division="3EME B", first_name="Hugo", last_name="Petit"),
    ]


def passwords_of(text: str) -> dict[str, str]:
    flat = re.sub(r"\s+", " ", text)
    return dict(re.findall(r"Identifiant : (\S+) Mot de passe provisoire : (\S+)", flat))


def test_the_admin_creates_the_missing_accounts_of_a_class_and_gets_the_sheet(center_admin_client, pupils):
    response = center_admin_client.post(reverse("enrolment:students_create_accounts"), {"classe": "3EME A"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="identifiants-3eme-a.pdf"'
    text = " ".join(pdf_pages_text(response.content))
    found = passwords_of(text)
    assert set(found) == {"sophie.delarue0407", "sophie.delarue04072", "paul.martin1403"}
    assert "ROUX" not in text and "PETIT" not in text
    for username, password in found.items():
        user = User.objects.get(username=username)
        assert user.email is None and user.must_change_password
        assert user.check_password(password)
    assert Student.objects.filter(division="3EME A", user__isnull=True).count() == 0
    assert Student.objects.get(last_name="Petit").user is None


def test_a_pupil_logs_in_with_the_sheet_then_chooses_a_password(client, center_admin_client, pupils):
    sheet = center_admin_client.post(reverse("enrolment:students_create_accounts"), {"classe": "3EME A"})
    password = passwords_of(" ".join(pdf_pages_text(sheet.content)))["paul.martin1403"]
    client.logout()
    response = client.post("/connexion", {"username": "paul.martin1403", "password": password})
    assert response.status_code == 302
    assert client.get("/certifications")["Location"].startswith("/mot-de-passe/choisir")


def test_a_second_click_creates_nothing(center_admin_client, pupils):
    center_admin_client.post(reverse("enrolment:students_create_accounts"), {"classe": "3EME A"})
    response = center_admin_client.post(reverse("enrolment:students_create_accounts"), {"classe": "3EME A"})
    assert response.status_code == 302
    assert User.objects.filter(username__isnull=False).count() == 3


def test_an_unknown_class_is_refused(center, admin_user):
    with pytest.raises(DomainError) as error:
        students_create_accounts(center=center, division="6EME Z", by=admin_user)
    assert error.value.code == "division_unknown"


def test_a_member_may_not_create_accounts(center_member_client, pupils):
    response = center_member_client.post(reverse("enrolment:students_create_accounts"), {"classe": "3EME A"})
    assert response.status_code == 403
    assert not User.objects.filter(username__isnull=False).exists()


def test_another_centre_gets_a_404_on_a_pupil_password_reset(stranger_client, pupils):
    response = stranger_client.post(reverse("enrolment:student_password_reset", args=[pupils[0].pk]))
    assert response.status_code == 404


def test_resetting_gives_a_new_one_time_password(center_admin_client, pupils, admin_user):
    students_create_accounts(center=pupils[0].center, division="3EME A", by=admin_user)
    student = Student.objects.select_related("user").get(pk=pupils[2].pk)
    student.user.set_password("Mon-propre-2026")
    student.user.must_change_password = False
    student.user.save()
    response = center_admin_client.post(reverse("enrolment:student_password_reset", args=[student.pk]))
    assert response.status_code == 200
    (password,) = passwords_of(" ".join(pdf_pages_text(response.content))).values()
    student.user.refresh_from_db()
    assert student.user.check_password(password) and not student.user.check_password("Mon-propre-2026")
    assert student.user.must_change_password


def test_a_pupil_s_own_account_with_an_email_is_not_reset_by_the_school(pupils, admin_user):
    with pytest.raises(DomainError) as error:
        student_reset_password(student=pupils[3], by=admin_user)
    assert error.value.code == "student_own_account"


def test_the_roster_shows_usernames_and_the_reset_button(center_admin_client, pupils, admin_user):
    students_create_accounts(center=pupils[0].center, division="3EME A", by=admin_user)
    page = center_admin_client.get(reverse("enrolment:students")).content.decode()
    assert "sophie.delarue04072" in page
    assert "Réinitialiser le mot de passe" in page
    assert "Créer les comptes et imprimer la fiche (PDF)" in page


def test_a_non_school_centre_has_no_pupil_accounts(client, pro_admin_user):
    client.force_login(pro_admin_user)
    assert client.post(reverse("enrolment:students_create_accounts"), {"classe": "3EME A"}).status_code == 404
