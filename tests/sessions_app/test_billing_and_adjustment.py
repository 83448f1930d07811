"""Billing mode (non-school centres) and the adjustment box, through every entry path and output."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from finalisation.jury.resolution import auto_resolve_reports
from finalisation.jury.services import session_publish
from finalisation.results.rows import results_csv
from pixcertif.core.errors import DomainError
from sessions_app import documents
from sessions_app.enrolment_rules import CandidateData
from sessions_app.models import BillingMode, Candidate
from sessions_app.ods import read_candidates
from sessions_app.services.enrolment import candidate_add, candidate_update
from tests.factories import CandidateFactory, SessionFactory, StudentFactory, UserFactory
from tests.finalisation.builders import mark_finalised, take_test
from tests.sessions_app.document_helpers import ods_rows, pdf_pages_text
from tests.sessions_app.ods_helpers import candidates_ods, valid_row
from tests.sessions_app.test_enrolment_candidates import form_data

ODS_TYPE = "application/vnd.oasis.opendocument.spreadsheet"


@pytest.fixture
def pro_client(client, pro_admin_user):
    client.force_login(pro_admin_user)
    return client


@pytest.fixture
def pro_session(pro_center):
    return SessionFactory(center=pro_center)


def data(**overrides) -> CandidateData:
    values = {"last_name": "Durand", "first_name": "Élodie", "birth_date": dt.date(1988, 4, 12)}
    values.update(overrides)
    return CandidateData(**values)


# ---------------------------------------------------------------- manual form


def test_a_pro_admin_enrols_a_prepaid_candidate_with_an_adjustment(pro_client, pro_session):
    response = pro_client.post(
        f"/sessions/{pro_session.pk}/candidats/ajout",
        form_data(billing_mode="prepaid", prepayment_code=" CODE-2026 ", needs_adjustment="on"),
    )
    assert response.status_code == 302
    candidate = pro_session.candidates.get()
    assert (candidate.billing_mode, candidate.prepayment_code, candidate.needs_adjustment) == (
        BillingMode.PREPAID,
        "CODE-2026",
        True,
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"billing_mode": ""}, "billing_mode", "La tarification part Pix est obligatoire."),
        ({"billing_mode": "prepaid"}, "prepayment_code", "Le code de prépaiement est obligatoire"),
        ({"billing_mode": "prepaid", "prepayment_code": "X" * 200}, "prepayment_code", "au plus 50 caractères"),
        ({"billing_mode": "gift"}, "billing_mode", "Sélectionnez un choix valide"),
    ],
    ids=["missing", "prepaid-without-code", "code-of-200", "unknown-mode"],
)
def test_the_form_refuses_a_wrong_billing(pro_client, pro_session, overrides, field, message):
    response = pro_client.post(f"/sessions/{pro_session.pk}/candidats/ajout", form_data(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not pro_session.candidates.exists()


def test_a_code_left_after_choosing_free_is_dropped(pro_client, pro_session):
    pro_client.post(
        f"/sessions/{pro_session.pk}/candidats/ajout", form_data(billing_mode="free", prepayment_code="OLD")
    )
    assert pro_session.candidates.get().prepayment_code == ""


def test_editing_changes_the_billing_and_the_adjustment(pro_client, pro_session):
    candidate = CandidateFactory(session=pro_session, last_name="Durand", first_name="Élodie", billing_mode="free")
    response = pro_client.post(
        f"/sessions/{pro_session.pk}/candidats/{candidate.pk}/modification",
        form_data(billing_mode="paid", needs_adjustment="on", birth_date=f"{candidate.birth_date:%Y-%m-%d}"),
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.billing_mode, candidate.needs_adjustment) == ("paid", True)


def test_a_school_edits_the_adjustment_and_never_sees_a_billing_mode(center_admin_client, session, center):
    student = StudentFactory(center=center)
    candidate = CandidateFactory(session=session, student=student)
    url = f"/sessions/{session.pk}/candidats/{candidate.pk}/modification"
    page = center_admin_client.get(url).content.decode()
    assert "Besoin d&#x27;un aménagement" in page or "Besoin d'un aménagement" in page
    assert "Tarification" not in page
    center_admin_client.post(url, {"extra_time_percentage": "", "needs_adjustment": "on", "billing_mode": "paid"})
    candidate.refresh_from_db()
    assert candidate.needs_adjustment is True
    assert candidate.billing_mode == ""


# ---------------------------------------------------------------- services and the database


def test_the_service_refuses_a_billing_mode_for_a_school(session):
    with pytest.raises(DomainError) as error:
        candidate_add(session=session, data=data(billing_mode="paid"), by=UserFactory())
    assert error.value.code == "billing_not_for_schools"
    assert not session.candidates.exists()


def test_the_service_refuses_prepaid_without_code_and_a_code_too_long(pro_session):
    with pytest.raises(DomainError) as error:
        candidate_add(session=pro_session, data=data(billing_mode="prepaid"), by=UserFactory())
    assert error.value.code == "prepayment_code_required"
    with pytest.raises(DomainError) as error:
        candidate_add(
            session=pro_session, data=data(billing_mode="prepaid", prepayment_code="X" * 200), by=UserFactory()
        )
    assert error.value.code == "prepayment_code_too_long"


def test_the_update_service_refuses_a_code_without_prepaid(pro_session):
    candidate = candidate_add(session=pro_session, data=data(billing_mode="free"), by=UserFactory())
    with pytest.raises(DomainError) as error:
        candidate_update(candidate=candidate, data=data(billing_mode="paid", prepayment_code="X"), by=UserFactory())
    assert error.value.code == "prepayment_code_unexpected"


def test_the_database_refuses_prepaid_without_code(pro_session):
    with pytest.raises(IntegrityError), transaction.atomic():
        CandidateFactory(session=pro_session, billing_mode="prepaid", prepayment_code="")


# ---------------------------------------------------------------- ODS round-trip


def errors_of(content: bytes) -> list[str]:
    return [str(e) for e in read_candidates(content).errors]


def test_the_ods_reads_billing_and_adjustment_in_french_words():
    result = read_candidates(
        candidates_ods(valid_row(billing_mode="PRÉPAYÉE", prepayment_code="P-1", needs_adjustment="Oui"))
    )
    assert result.is_valid, result.errors
    (row,) = result.rows
    assert (row.billing_mode, row.prepayment_code, row.needs_adjustment) == ("prepaid", "P-1", True)


def test_the_ods_reports_billing_mistakes_by_line_and_column():
    content = candidates_ods(
        valid_row(billing_mode="Prépayée"),
        valid_row(last_name="Martin", billing_mode="Offerte"),
        valid_row(last_name="Petit", billing_mode="Prépayée", prepayment_code="X" * 200),
        valid_row(last_name="Roux", needs_adjustment="peut-être"),
        valid_row(last_name="Blanc", billing_mode=""),
    )
    assert errors_of(content) == [
        "Ligne 2, colonne O « Code de prépaiement » : Le code de prépaiement est obligatoire pour une "
        "tarification « Prépayée ».",
        "Ligne 3, colonne N « Tarification part Pix » : « Offerte » n'est pas une tarification valide : "
        "indiquez Gratuite, Payante ou Prépayée.",
        "Ligne 4, colonne O « Code de prépaiement » : 50 caractères au maximum.",
        "Ligne 5, colonne M « Besoin d'un aménagement (oui/non) » : « peut-être » : indiquez oui ou non.",
        "Ligne 6, colonne N « Tarification part Pix » : cette case est obligatoire.",
    ]


def test_the_downloaded_list_carries_billing_and_adjustment(pro_client, pro_session):
    CandidateFactory(session=pro_session, billing_mode="prepaid", prepayment_code="P-9", needs_adjustment=True)
    rows = ods_rows(pro_client.get(f"/sessions/{pro_session.pk}/liste-candidats.ods").content)
    header, line = rows[0], rows[1]
    assert line[header.index("Tarification part Pix *")] == "Prépayée"
    assert line[header.index("Code de prépaiement")] == "P-9"
    assert line[header.index("Besoin d'un aménagement (oui/non)")] == "oui"


def test_an_ods_import_stores_billing_and_adjustment(pro_client, pro_session):
    content = candidates_ods(valid_row(billing_mode="Payante", needs_adjustment="x"))
    upload = SimpleUploadedFile("liste.ods", content, content_type=ODS_TYPE)
    response = pro_client.post(f"/sessions/{pro_session.pk}/candidats/import", {"file": upload})
    assert response.status_code == 302
    candidate = pro_session.candidates.get()
    assert (candidate.billing_mode, candidate.needs_adjustment) == ("paid", True)


# ---------------------------------------------------------------- where it is shown


def test_the_candidate_list_shows_billing_for_a_pro_centre(pro_client, pro_session):
    CandidateFactory(session=pro_session, billing_mode="prepaid", prepayment_code="P-9", needs_adjustment=True)
    page = pro_client.get(f"/sessions/{pro_session.pk}/candidats").content.decode()
    assert "Prépayée" in page and "P-9" in page
    assert "Besoin d'un aménagement</span>" in page


def test_the_candidate_list_of_a_school_has_no_billing_column(center_admin_client, session):
    CandidateFactory(session=session, needs_adjustment=True)
    page = center_admin_client.get(f"/sessions/{session.pk}/candidats").content.decode()
    assert "Tarification" not in page
    assert "Besoin d'un aménagement</span>" in page


def test_the_attendance_sheet_ods_has_billing_for_a_pro_centre_only(pro_session, session):
    CandidateFactory(session=pro_session, last_name="Abel", billing_mode="prepaid", prepayment_code="P-9")
    CandidateFactory(session=session, last_name="Abel", needs_adjustment=True)
    pro_rows = ods_rows(documents.attendance_sheet_ods(pro_session)[1])
    assert pro_rows[7][-2:] == ["Tarification part Pix", "Signature"]
    assert "Prépayée (P-9)" in pro_rows[8]
    school_rows = ods_rows(documents.attendance_sheet_ods(session)[1])
    assert "Tarification part Pix" not in school_rows[7]
    assert school_rows[8][school_rows[7].index("Aménagement ?")] == "Oui"


def test_the_attendance_sheet_pdf_marks_an_adjustment(session):
    CandidateFactory(session=session, last_name="Abel", needs_adjustment=True)
    (page,) = pdf_pages_text(documents.attendance_sheet_pdf(session)[1])
    assert "Aménagement" in page


def test_the_results_csv_of_a_pro_centre_exports_the_billing(pro_session):
    finalised = mark_finalised(pro_session)
    take_test(finalised, first_name="Léa", last_name="Martin", billing_mode="prepaid", prepayment_code="P-7")
    auto_resolve_reports(session=finalised)
    session_publish(session=finalised, by=UserFactory(is_staff=True))
    _, content = results_csv(Candidate.objects.get().session)
    (row,) = csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")
    assert (row["Tarification part Pix"], row["Code de prépaiement"]) == ("Prépayée", "P-7")


def test_the_results_csv_of_a_school_has_no_billing_columns(session):
    finalised = mark_finalised(session)
    take_test(finalised, first_name="Léa", last_name="Martin")
    auto_resolve_reports(session=finalised)
    session_publish(session=finalised, by=UserFactory(is_staff=True))
    _, content = results_csv(finalised)
    header = content.decode("utf-8-sig").splitlines()[0]
    assert "Tarification" not in header
