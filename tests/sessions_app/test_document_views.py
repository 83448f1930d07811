"""Who may download a session's documents, and how they are served."""

from __future__ import annotations

import pytest

from invigilation.models import InvigilatorAccess
from tests.factories import CandidateFactory, SessionFactory
from tests.sessions_app.document_helpers import ods_rows, pdf_reader

PDF = "application/pdf"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

# (path suffix, content type, file name pattern)
DOCUMENTS = [
    ("feuille-emargement.pdf", PDF, "feuille-emargement-session-{}.pdf"),
    ("feuille-emargement.ods", ODS, "feuille-emargement-session-{}.ods"),
    ("pv-incident.pdf", PDF, "pv-incident-session-{}.pdf"),
    ("kit-surveillant.pdf", PDF, "kit-surveillant-session-{}.pdf"),
]
CENTRE_ONLY = [suffix for suffix, *_ in DOCUMENTS if suffix != "kit-surveillant.pdf"]
ALL = [suffix for suffix, *_ in DOCUMENTS]


def url(session, suffix: str) -> str:
    return f"/sessions/{session.pk}/{suffix}"


@pytest.fixture
def enrolled_session(session):
    CandidateFactory(session=session, last_name="Savant", first_name="Paul")
    return session


@pytest.mark.parametrize(("suffix", "content_type", "filename"), DOCUMENTS)
def test_a_member_of_the_centre_downloads_the_document_as_an_attachment(
    center_member_client, enrolled_session, suffix, content_type, filename
):
    response = center_member_client.get(url(enrolled_session, suffix))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    expected_name = filename.format(enrolled_session.pk)
    assert response["Content-Disposition"] == f'attachment; filename="{expected_name}"'


@pytest.mark.parametrize("suffix", ALL)
def test_the_documents_are_never_cached(center_member_client, enrolled_session, suffix):
    response = center_member_client.get(url(enrolled_session, suffix))
    assert "no-store" in response["Cache-Control"]


def test_the_downloaded_attendance_sheet_is_a_pdf_listing_the_candidates(center_member_client, enrolled_session):
    response = center_member_client.get(url(enrolled_session, "feuille-emargement.pdf"))
    assert "Savant Paul" in pdf_reader(response.content).pages[0].extract_text()


def test_the_downloaded_spreadsheet_lists_the_candidates(center_member_client, enrolled_session):
    response = center_member_client.get(url(enrolled_session, "feuille-emargement.ods"))
    assert ods_rows(response.content)[8][:3] == ["1", "Savant", "Paul"]


def test_the_downloaded_incident_report_has_its_form_fields(center_member_client, session):
    response = center_member_client.get(url(session, "pv-incident.pdf"))
    assert "joining_issue" in pdf_reader(response.content).get_fields()


def test_the_attendance_sheet_of_a_session_without_candidates_still_downloads(center_member_client, session):
    response = center_member_client.get(url(session, "feuille-emargement.pdf"))
    assert response.status_code == 200
    assert "Aucun candidat n'est inscrit à cette session." in pdf_reader(response.content).pages[0].extract_text()


@pytest.mark.parametrize("suffix", ALL)
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, session, suffix):
    response = client.get(url(session, suffix))
    assert response.status_code == 302
    assert response["Location"] == f"/connexion?next=/sessions/{session.pk}/{suffix}"


@pytest.mark.parametrize("suffix", ALL)
def test_another_centres_member_gets_a_404(stranger_client, session, suffix):
    assert stranger_client.get(url(session, suffix)).status_code == 404


@pytest.mark.parametrize("suffix", ALL)
def test_an_unknown_session_is_a_404(center_member_client, session, suffix):
    assert center_member_client.get(f"/sessions/{session.pk + 1000}/{suffix}").status_code == 404


@pytest.mark.parametrize("suffix", ALL)
def test_a_post_is_refused(center_member_client, session, suffix):
    assert center_member_client.post(url(session, suffix)).status_code == 405


def test_an_invigilator_who_entered_the_session_downloads_the_kit(client, invigilator_user, session):
    InvigilatorAccess.objects.create(user=invigilator_user, session=session)
    client.force_login(invigilator_user)
    response = client.get(url(session, "kit-surveillant.pdf"))
    assert response.status_code == 200
    assert session.password_display in pdf_reader(response.content).pages[0].extract_text()


@pytest.mark.parametrize("suffix", CENTRE_ONLY)
def test_an_invigilator_who_entered_the_session_gets_no_other_document(client, invigilator_user, session, suffix):
    InvigilatorAccess.objects.create(user=invigilator_user, session=session)
    client.force_login(invigilator_user)
    assert client.get(url(session, suffix)).status_code == 403


def test_an_invigilator_of_another_session_does_not_get_this_kit(client, invigilator_user, session, center):
    InvigilatorAccess.objects.create(user=invigilator_user, session=SessionFactory(center=center))
    client.force_login(invigilator_user)
    assert client.get(url(session, "kit-surveillant.pdf")).status_code == 404


def test_another_centres_member_who_entered_the_session_as_invigilator_gets_the_kit(
    stranger_client, stranger_user, session
):
    InvigilatorAccess.objects.create(user=stranger_user, session=session)
    assert stranger_client.get(url(session, "kit-surveillant.pdf")).status_code == 200


def test_another_centres_member_who_entered_the_session_as_invigilator_gets_no_attendance_sheet(
    stranger_client, stranger_user, session
):
    InvigilatorAccess.objects.create(user=stranger_user, session=session)
    assert stranger_client.get(url(session, "feuille-emargement.pdf")).status_code == 404


# ---- links on the details page -------------------------------------------------------------------


def test_the_details_page_links_the_incident_report_and_the_kit(center_member_client, session):
    html = center_member_client.get(f"/sessions/{session.pk}").content.decode()
    assert "Téléchargements :" in html
    assert f'href="/sessions/{session.pk}/pv-incident.pdf"' in html
    assert "PV d'incident (PDF)" in html
    assert f'href="/sessions/{session.pk}/kit-surveillant.pdf"' in html
    assert "Kit surveillant (PDF)" in html


def test_the_details_page_offers_no_attendance_sheet_before_anyone_is_enrolled(center_member_client, session):
    html = center_member_client.get(f"/sessions/{session.pk}").content.decode()
    assert "feuille-emargement" not in html
    assert "La feuille d'émargement sera disponible dès qu'un candidat sera inscrit à la session." in html


def test_the_details_page_offers_the_attendance_sheet_once_someone_is_enrolled(center_member_client, enrolled_session):
    html = center_member_client.get(f"/sessions/{enrolled_session.pk}").content.decode()
    assert f'href="/sessions/{enrolled_session.pk}/feuille-emargement.pdf"' in html
    assert "Feuille d'émargement (PDF)" in html
    assert f'href="/sessions/{enrolled_session.pk}/feuille-emargement.ods"' in html
    assert "Feuille d'émargement (ODS)" in html
