"""The day's documents: notice, instructions, fraud report (parsed with pypdf); ID documents in the
kit and the help; downloads from the details page and the invigilator space."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from invigilation.services import invigilator_access_grant
from sessions_app import documents
from tests.factories import SessionFactory
from tests.sessions_app.document_helpers import flat, pdf_pages_text, pdf_reader

DOCUMENTS = [
    ("invigilation:candidate_notice_pdf", "notice-candidat-session-{n}.pdf"),
    ("invigilation:candidate_instructions_pdf", "consignes-candidats-session-{n}.pdf"),
    ("invigilation:fraud_report_pdf", "pv-fraude-session-{n}.pdf"),
]


@pytest.fixture
def day_session(center):
    return SessionFactory(
        center=center, address="Site Ariane", room="Salle B12", date=dt.date(2030, 1, 5), time=dt.time(15, 0)
    )


def text_of(content: bytes) -> str:
    return flat(" ".join(pdf_pages_text(content)))


def test_the_notice_says_how_to_join_without_printing_the_access_code(day_session, settings):
    settings.SITE_URL = "https://certif.example.fr"
    name, content = documents.candidate_notice_pdf(day_session)
    assert name == f"notice-candidat-session-{day_session.pk}.pdf"
    text = text_of(content)
    for expected in ["Noticecandidat", str(day_session.pk), "https://certif.example.fr/certifications", "SiteAriane"]:
        assert expected in text, expected
    assert flat("Saisissez le code d'accès annoncé par le surveillant") in text
    assert day_session.access_code not in text
    assert day_session.invigilator_password not in text


def test_the_instructions_cover_the_rules_of_the_test(day_session):
    name, content = documents.candidate_instructions_pdf(day_session)
    assert name == f"consignes-candidats-session-{day_session.pk}.pdf"
    text = text_of(content)
    for expected in ["Consignesàlireauxcandidats", "1h45", "«Jepasse»", "téléphone", "brouillon", str(day_session.pk)]:
        assert expected in text, expected
    assert day_session.access_code not in text


def test_the_fraud_report_is_an_editable_form_pre_filled_with_the_session(day_session):
    day_session.examiner = "Julien Martin"
    name, content = documents.fraud_report_pdf(day_session)
    assert name == f"pv-fraude-session-{day_session.pk}.pdf"
    text = text_of(content)
    for expected in ["PVdefraude", "C6", "Descriptionprécisedesfaits", "Signatureducandidat", "SalleB12"]:
        assert expected in text, expected
    fields = pdf_reader(content).get_fields()
    assert {"candidate_last_name", "candidate_first_name", "facts", "measures", "invigilator_names"} <= set(fields)
    assert fields["invigilator_names"].get("/V") == "Julien Martin"


def test_the_kit_lists_the_accepted_id_documents(day_session):
    _, content = documents.invigilator_kit_pdf(day_session)
    text = text_of(content)
    assert "Piècesd'identitéacceptées" in text
    for document in ["carted'identité", "passeport", "permisdeconduire", "titreoucartedeséjour"]:
        assert document in text, document


def test_the_help_page_lists_the_accepted_id_documents(center_admin_client):
    page = center_admin_client.get("/documentation").content.decode()
    assert "Quelles pièces d'identité sont acceptées pour une session de certification ?" in page
    for document in ["carte d&#x27;identité", "passeport", "permis de conduire", "titre ou carte de séjour"]:
        assert f"<li>{document}</li>" in page


@pytest.mark.parametrize(("name", "filename"), DOCUMENTS)
def test_a_member_downloads_each_document_from_the_details_page(center_member_client, day_session, name, filename):
    url = reverse(name, args=[day_session.pk])
    assert f'href="{url}"' in center_member_client.get(f"/sessions/{day_session.pk}").content.decode()
    response = center_member_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename.format(n=day_session.pk)}"'
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("name", "filename"), [*DOCUMENTS, ("invigilation:kit_pdf", "kit-surveillant-session-{n}.pdf")]
)
def test_an_invigilator_downloads_each_document_from_the_invigilator_space(
    client, invigilator_user, session, name, filename
):
    invigilator_access_grant(session=session, by=invigilator_user)
    client.force_login(invigilator_user)
    url = reverse(name, args=[session.pk])
    assert f'href="{url}"' in client.get(reverse("invigilation:session", args=[session.pk])).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{filename.format(n=session.pk)}"'


@pytest.mark.parametrize(("name", "filename"), DOCUMENTS)
def test_an_account_without_access_gets_a_404(stranger_client, day_session, name, filename):
    assert stranger_client.get(reverse(name, args=[day_session.pk])).status_code == 404
