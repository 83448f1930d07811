"""A school administrator opens "Résultats", filters a class and downloads its CSV and its PDF."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from playwright.sync_api import expect
from pypdf import PdfReader

from finalisation.jury.resolution import auto_resolve_reports
from finalisation.jury.services import session_publish
from tests.factories import SessionFactory, StudentFactory, UserFactory
from tests.finalisation.builders import mark_finalised, take_test


def pupil(session, division, last_name, first_name):
    student = StudentFactory(center=session.center, division=division, last_name=last_name, first_name=first_name)
    return take_test(session, student=student, last_name=last_name, first_name=first_name)


def test_a_school_admin_downloads_the_results_and_certificates_of_a_class(
    live_server, page, login, assert_accessible, center, admin_user
):
    staff = UserFactory(email="jury@pix.test", is_staff=True)
    session = mark_finalised(SessionFactory(center=center))
    pupil(session, "3EME A", "Zola", "Émile")
    pupil(session, "3EME A", "Abel", "Inès")
    pupil(session, "3EME B", "Bernard", "Léo")
    auto_resolve_reports(session=session)
    session_publish(session=session, by=staff)

    login(page, admin_user.email)
    page.get_by_role("navigation").get_by_role("link", name="Résultats", exact=True).first.click()
    expect(page.get_by_role("heading", name="Résultats", exact=True)).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="BERNARD Léo")).to_contain_text("Validée")
    assert_accessible(page)

    page.get_by_label("Classe").select_option("3EME A")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("row").filter(has_text="BERNARD")).to_have_count(0)
    expect(page.get_by_role("row").filter(has_text="ABEL Inès")).to_contain_text("120")
    assert_accessible(page)

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Exporter les résultats de la classe (.csv)").click()
    expect(page.get_by_role("status")).to_contain_text("Fichier prêt")
    assert csv_download.value.suggested_filename == "resultats_classe_3EME-A.csv"
    content = Path(csv_download.value.path()).read_bytes()
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert [row["Nom"] for row in rows] == ["Abel", "Zola"]

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Télécharger les attestations de la classe (PDF, 2 pages)").click()
    expect(page.get_by_role("status")).to_contain_text("Fichier prêt")
    assert pdf_download.value.suggested_filename == "attestations_classe_3EME-A.pdf"
    pages = PdfReader(pdf_download.value.path()).pages
    assert len(pages) == 2
    assert "Inès ABEL" in pages[0].extract_text() and "Émile ZOLA" in pages[1].extract_text()
