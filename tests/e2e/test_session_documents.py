"""A centre member downloads a session's documents from its details page."""

from __future__ import annotations

from pypdf import PdfReader

from pixcertif.accounts.models import Membership
from tests.factories import CandidateFactory, CenterFactory, MembershipFactory, SessionFactory


def test_a_member_downloads_the_attendance_sheet_from_an_accessible_details_page(
    live_server, page, login, assert_accessible, transactional_db
):
    center = CenterFactory(name="Collège Jean Moulin")
    MembershipFactory(center=center, role=Membership.Role.MEMBER, user__email="membre@college.test")
    session = SessionFactory(center=center)
    CandidateFactory(session=session, last_name="Savant", first_name="Paul")

    login(page, "membre@college.test")
    page.goto(f"{live_server.url}/sessions/{session.pk}")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Feuille d'émargement (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"feuille-emargement-session-{session.pk}.pdf"
    assert "Savant Paul" in PdfReader(download.path()).pages[0].extract_text()
