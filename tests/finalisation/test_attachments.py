from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from finalisation.models import SessionAttachment
from finalisation.services import (
    ATTACHMENT_MAX_SIZE,
    ATTACHMENTS_MAX_PER_SESSION,
    attachment_add,
    attachment_remove,
    detect_content_type,
)
from pixcertif.core.errors import DomainError
from pixcertif.core.models import AuditEvent
from tests.factories import UserFactory

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64


def upload(name: str = "feuille.pdf", content: bytes = PDF, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("head", "expected"),
    [(PDF, "application/pdf"), (JPEG, "image/jpeg"), (PNG, "image/png"), (EXE, None), (b"", None), (b"%PD", None)],
)
def test_the_type_is_read_from_the_first_bytes(head, expected):
    assert detect_content_type(head) == expected


def test_it_stores_a_pdf_privately_under_a_random_name(session, admin_user, private_media):
    attachment = attachment_add(session=session, kind="attendance_sheet", upload=upload(), by=admin_user)
    path = Path(attachment.file.path)
    assert path.is_relative_to(private_media) and path.read_bytes() == PDF
    assert not path.is_relative_to(settings.STATIC_ROOT) and "feuille" not in path.name
    assert (attachment.original_name, attachment.size, attachment.content_type) == (
        "feuille.pdf",
        len(PDF),
        "application/pdf",
    )
    assert attachment.uploaded_by == admin_user
    assert AuditEvent.objects.filter(action="attachment.add").count() == 1


def test_two_uploads_of_the_same_name_get_two_files(session, admin_user):
    first = attachment_add(session=session, kind="screenshot", upload=upload("a.png", PNG), by=admin_user)
    second = attachment_add(session=session, kind="screenshot", upload=upload("a.png", PNG), by=admin_user)
    assert first.file.name != second.file.name


def test_it_trusts_the_content_not_the_name_of_a_picture(session, admin_user):
    attachment = attachment_add(session=session, kind="screenshot", upload=upload("capture.pdf", JPEG), by=admin_user)
    assert attachment.content_type == "image/jpeg" and attachment.file.name.endswith(".jpg")


def test_it_refuses_an_executable_renamed_pdf(session, admin_user, private_media):
    with pytest.raises(DomainError) as error:
        attachment_add(session=session, kind="fraud_report", upload=upload("pv.pdf", EXE), by=admin_user)
    assert error.value.code == "attachment_type"
    assert not SessionAttachment.objects.exists()
    assert [p for p in Path(private_media).rglob("*") if p.is_file()] == []


def test_it_refuses_a_file_over_10_mb(session, admin_user):
    big = upload("scan.pdf", PDF + b"0" * (ATTACHMENT_MAX_SIZE - len(PDF) + 1))
    with pytest.raises(DomainError) as error:
        attachment_add(session=session, kind="incident_report", upload=big, by=admin_user)
    assert error.value.code == "attachment_too_large"


def test_it_accepts_a_file_of_exactly_10_mb(session, admin_user):
    exact = upload("scan.pdf", PDF + b"0" * (ATTACHMENT_MAX_SIZE - len(PDF)))
    assert (
        attachment_add(session=session, kind="incident_report", upload=exact, by=admin_user).size == ATTACHMENT_MAX_SIZE
    )


def test_it_refuses_an_unknown_kind(session, admin_user):
    with pytest.raises(DomainError) as error:
        attachment_add(session=session, kind="selfie", upload=upload(), by=admin_user)
    assert error.value.code == "invalid_attachment_kind"


def test_removing_an_attachment_deletes_its_file(session, admin_user, django_capture_on_commit_callbacks):
    attachment = attachment_add(session=session, kind="attendance_sheet", upload=upload(), by=admin_user)
    path = Path(attachment.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(attachment=attachment, by=admin_user)
    assert not SessionAttachment.objects.exists() and not path.exists()


# ---------------------------------------------------------------- views


@pytest.fixture
def attachment(session, admin_user):
    return attachment_add(session=session, kind="attendance_sheet", upload=upload(), by=admin_user)


def url(attachment) -> str:
    return f"/sessions/{attachment.session_id}/finalisation/pieces-jointes/{attachment.pk}"


def test_a_member_of_the_centre_downloads_the_file_as_an_attachment(center_member_client, attachment):
    response = center_member_client.get(url(attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="feuille.pdf"')


def test_pix_staff_download_the_file(client, attachment):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url(attachment)).status_code == 200


def test_another_centre_gets_a_404(stranger_client, attachment):
    assert stranger_client.get(url(attachment)).status_code == 404


def test_an_attachment_of_another_session_of_the_centre_is_a_404(center_member_client, attachment, center):
    from tests.factories import SessionFactory

    other = SessionFactory(center=center)
    assert (
        center_member_client.get(f"/sessions/{other.pk}/finalisation/pieces-jointes/{attachment.pk}").status_code == 404
    )


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, attachment):
    response = client.get(url(attachment))
    assert response.status_code == 302 and response["Location"].startswith("/connexion?next=")


def test_an_account_of_no_centre_is_refused(client, attachment, invigilator_user):
    client.force_login(invigilator_user)
    assert client.get(url(attachment)).status_code == 403


def test_the_page_uploads_a_pdf(center_admin_client, unfinished):
    session = unfinished.candidate.session
    response = center_admin_client.post(
        f"/sessions/{session.pk}/finalisation/pieces-jointes", {"kind": "incident_report", "file": upload("pv.pdf")}
    )
    assert response.status_code == 302
    assert session.attachments.get().original_name == "pv.pdf"


def test_the_page_shows_a_field_error_for_an_executable_renamed_pdf(center_admin_client, unfinished):
    session = unfinished.candidate.session
    response = center_admin_client.post(
        f"/sessions/{session.pk}/finalisation/pieces-jointes", {"kind": "fraud_report", "file": upload("pv.pdf", EXE)}
    )
    assert response.status_code == 200
    assert "ni un PDF, ni une image JPEG ou PNG" in response.content.decode()
    assert not session.attachments.exists()


def test_the_page_removes_an_attachment(center_admin_client, unfinished, admin_user):
    session = unfinished.candidate.session
    attachment = attachment_add(session=session, kind="screenshot", upload=upload("a.png", PNG), by=admin_user)
    response = center_admin_client.post(f"{url(attachment)}/suppression")
    assert response.status_code == 302
    assert not session.attachments.exists()


def test_it_refuses_more_than_30_attachments_per_session(session, admin_user):
    for i in range(ATTACHMENTS_MAX_PER_SESSION):
        attachment_add(session=session, kind="screenshot", upload=upload(f"{i}.png", PNG), by=admin_user)
    with pytest.raises(DomainError) as error:
        attachment_add(session=session, kind="screenshot", upload=upload("encore.png", PNG), by=admin_user)
    assert error.value.code == "too_many_attachments"
    assert SessionAttachment.objects.count() == 30


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("x.html", PDF, "x.pdf"),
        ("scan", PDF, "scan.pdf"),
        ("photo.PDF", JPEG, "photo.jpg"),
        ("feuille.pdf.exe", PNG, "feuille.pdf.png"),
        ("PV.JPEG", JPEG, "PV.jpg"),
    ],
)
def test_a_scan_is_stored_and_downloaded_under_a_name_of_its_detected_type(
    center_member_client, session, admin_user, name, content, expected
):
    attachment = attachment_add(session=session, kind="attendance_sheet", upload=upload(name, content), by=admin_user)
    assert attachment.original_name == expected
    assert Path(attachment.file.name).suffix == Path(expected).suffix
    response = center_member_client.get(url(attachment))
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_old_row_named_html_still_downloads_as_a_pdf(center_member_client, attachment):
    SessionAttachment.objects.filter(pk=attachment.pk).update(original_name="x.html")
    response = center_member_client.get(url(attachment))
    assert response["Content-Disposition"] == 'attachment; filename="x.pdf"'
