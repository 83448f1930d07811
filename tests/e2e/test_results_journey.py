"""From a finalised session to the centre's results: the jury takes it in the admin, neutralises a
question, publishes; the centre sees "Résultats transmis par Pix" and the Résultats tab."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from finalisation.jury.resolution import auto_resolve_reports
from sessions_app.models import Certification, SessionStatus
from tests.factories import UserFactory
from tests.finalisation.builders import mark_finalised, take_test


def test_the_jury_publishes_and_the_centre_reads_the_results(
    live_server, page, login, assert_accessible, session, admin_user
):
    UserFactory(email="jury@pix.test", is_staff=True)
    finalised = mark_finalised(session)
    certification = take_test(finalised, results=["ko"] + ["ok"] * 14, first_name="Léa", last_name="Martin")
    auto_resolve_reports(session=finalised)

    # The jury takes the session, neutralises question 1 and publishes.
    login(page, "jury@pix.test")
    page.goto(f"{live_server.url}/admin/finalisation/jurysession/")
    page.get_by_role("link", name=str(finalised.pk), exact=True).click()
    page.get_by_role("button", name="Prendre en charge").click()
    expect(page.get_by_text("La session est prise en charge.")).to_be_visible()
    page.get_by_role("link", name=f"Certification {certification.pk}").click()
    page.get_by_role("button", name="Neutraliser").first.click()
    expect(page.get_by_text("La question 1 est neutralisée.")).to_be_visible()
    page.get_by_role("link", name=re.compile(rf"Session {finalised.pk}")).click()
    page.get_by_role("button", name="Publier les résultats").click()
    expect(page.get_by_text("Les résultats de la session sont publiés.")).to_be_visible()
    finalised.refresh_from_db()
    assert finalised.status == SessionStatus.PUBLISHED
    assert Certification.objects.get(pk=certification.pk).rate == 1.0

    # The centre administrator sees the new status and the results.
    page.context.clear_cookies()
    login(page, admin_user.email)
    row = page.get_by_role("row").filter(has_text=str(finalised.pk))
    expect(row).to_contain_text("Résultats transmis par Pix")
    page.goto(f"{live_server.url}/sessions/{finalised.pk}")
    page.get_by_role("navigation", name="Onglets de la session").get_by_role("link", name="Résultats").click()
    expect(page.get_by_role("heading", name="Résultats (1)")).to_be_visible()
    results = page.get_by_role("row").filter(has_text="MARTIN Léa")
    expect(results).to_contain_text("Validée")
    expect(results).to_contain_text("120")
    assert_accessible(page)

    # Anyone checks the certificate code.
    code = Certification.objects.get(pk=certification.pk).verification_code
    page.goto(f"{live_server.url}/verification")
    assert_accessible(page)
    page.get_by_label("Code de vérification").fill(code)
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_role("heading", name="Certification vérifiée")).to_be_visible()
    expect(page.get_by_text("120 pix")).to_be_visible()
    assert_accessible(page)


def test_pressing_enter_in_a_resolution_note_triggers_no_jury_decision(live_server, page, login, session):
    from tests.finalisation.builders import report

    UserFactory(email="jury@pix.test", is_staff=True)
    finalised = mark_finalised(session)
    certification = take_test(finalised, results=["ko"] + ["ok"] * 14)
    issue = report(certification, "C6")
    auto_resolve_reports(session=finalised)
    login(page, "jury@pix.test")
    page.on("dialog", lambda dialog: dialog.accept())  # a person confirming without reading
    page.goto(f"{live_server.url}/admin/finalisation/jurycertification/{certification.pk}/change/")
    page.get_by_label("Note de résolution").fill("Rien constaté")
    with page.expect_navigation():
        page.get_by_label("Note de résolution").press("Enter")
    assert not certification.challenges.filter(is_neutralized=True).exists()
    certification.refresh_from_db()
    assert certification.jury_status == "validated"
    issue.refresh_from_db()
    assert not issue.is_resolved
