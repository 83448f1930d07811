import csv
import datetime as dt
import html
import io
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from finalisation.jury.resolution import auto_resolve_reports
from finalisation.jury.services import (
    certification_cancel,
    session_publish,
    session_unpublish,
)
from finalisation.results.recipients import recipient_token
from pixcertif.core.models import AuditEvent
from sessions_app.codes import VERIFICATION_ALPHABET
from sessions_app.models import Certification
from tests.factories import UserFactory
from tests.finalisation.builders import mark_finalised, take_test

REJECTED = ["ok"] * 5 + ["ko"] * 10


@pytest.fixture
def staff(db):
    return UserFactory(email="jury@pix.test", is_staff=True)


@pytest.fixture
def finalised(session):
    return mark_finalised(session)


@pytest.fixture
def results(finalised, staff, candidate_user):
    """A scored session: Léa (validated, 120 pix), Paul (rejected), Zoé (cancelled), Hugo (no recipient)."""
    lea = take_test(
        finalised, user=candidate_user, first_name="Léa", last_name="Martin", result_recipient_email="parents@x.test"
    )
    paul = take_test(
        finalised, first_name="Paul", last_name="Bernard", results=REJECTED, result_recipient_email="PARENTS@x.test"
    )
    zoe = take_test(finalised, first_name="Zoé", last_name="Durand", result_recipient_email="tuteur@x.test")
    hugo = take_test(finalised, first_name="Hugo", last_name="Petit", external_id="LOC-42")
    auto_resolve_reports(session=finalised)
    certification_cancel(certification=zoe, by=staff)
    return {"lea": lea, "paul": paul, "zoe": zoe, "hugo": hugo}


@pytest.fixture
def published(finalised, results, staff):
    session_publish(session=finalised, by=staff)
    finalised.refresh_from_db()
    for certification in results.values():
        certification.refresh_from_db()
    return finalised


def results_url(session):
    return reverse("results:session_results", args=[session.pk])


def csv_url(session):
    return reverse("results:session_results_csv", args=[session.pk])


def link_of(message):
    return re.search(r"http://\S+/resultats/\S+", message.body).group(0)


# ---- centre: status and tab


def test_the_centre_sees_results_sent_by_pix_on_the_session_page(center_admin_client, published):
    body = center_admin_client.get(f"/sessions/{published.pk}").content.decode()
    assert "Résultats transmis par Pix" in body
    assert results_url(published) in body


def test_the_results_tab_is_hidden_before_publication(center_admin_client, finalised, results):
    body = center_admin_client.get(f"/sessions/{finalised.pk}").content.decode()
    assert results_url(finalised) not in body
    assert center_admin_client.get(results_url(finalised)).status_code == 404
    assert center_admin_client.get(csv_url(finalised)).status_code == 404


def test_the_results_tab_lists_status_score_and_levels(center_member_client, published):
    body = center_member_client.get(results_url(published)).content.decode()
    assert "MARTIN Léa" in body and "Validée" in body and "Rejetée" in body and "Annulée" in body
    assert "<strong>120</strong>" in body
    assert '<abbr title="1.1 Mener une recherche et une veille d&#x27;information">1.1</abbr>' in body


def test_another_centre_gets_a_404_on_the_results(stranger_client, published):
    assert stranger_client.get(results_url(published)).status_code == 404
    assert stranger_client.get(csv_url(published)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, published):
    response = client.get(results_url(published))
    assert response.status_code == 302 and response["Location"].startswith("/connexion")


def test_a_post_on_the_results_page_is_refused(center_admin_client, published):
    assert center_admin_client.post(results_url(published)).status_code == 405


def test_the_results_page_runs_a_constant_number_of_queries(
    center_admin_client, published, django_assert_max_num_queries
):
    for _ in range(5):
        take_test(published)
    with django_assert_max_num_queries(10):
        assert center_admin_client.get(results_url(published)).status_code == 200


# ---- centre: CSV


def read_csv(response):
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_the_csv_is_named_after_the_publication_date(center_admin_client, published):
    response = center_admin_client.get(csv_url(published))
    day = published.published_at.astimezone(dt.timezone(dt.timedelta(hours=1))).strftime("%Y%m%d")
    assert response["Content-Disposition"] == f'attachment; filename="{day}_resultats_session_{published.pk}.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_the_csv_has_one_row_per_candidate_with_french_headers(center_admin_client, published):
    rows = read_csv(center_admin_client.get(csv_url(published)))
    assert [row["Nom"] for row in rows] == ["Bernard", "Durand", "Martin", "Petit"]
    lea = rows[2]
    assert (lea["Prénom"], lea["Statut"], lea["Nombre de Pix"], lea["Compétence 1.1"]) == ("Léa", "Validée", "120", "3")
    assert lea["Compétence 5.2"] == "-"
    assert (rows[0]["Statut"], rows[0]["Nombre de Pix"]) == ("Rejetée", "0")
    assert (rows[1]["Statut"], rows[1]["Nombre de Pix"]) == ("Annulée", "-")
    assert rows[3]["Identifiant local"] == "LOC-42"


def test_the_csv_neutralises_names_and_comments_a_spreadsheet_would_run(center_admin_client, finalised, staff):
    take_test(finalised, first_name="@SUM(1+1)*cmd|' /C calc'!A0", last_name='=HYPERLINK("http://evil.test")')
    auto_resolve_reports(session=finalised)
    Certification.objects.filter(candidate__session=finalised).update(comment_for_center="+33 6 00 00 00 00 !")
    session_publish(session=finalised, by=staff)
    [row] = read_csv(center_admin_client.get(csv_url(finalised)))
    assert row["Nom"] == '\'=HYPERLINK("http://evil.test")'
    assert row["Prénom"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert row["Commentaire jury pour le centre"] == "'+33 6 00 00 00 00 !"
    assert row["Compétence 5.2"] == "-"


# ---- recipients


def test_each_distinct_recipient_gets_one_email_at_publication(published):
    assert sorted(m.to[0] for m in mail.outbox) == ["parents@x.test", "tuteur@x.test"]
    assert AuditEvent.objects.get(action="jury.results_emails_sent").data["count"] == 2


def test_the_recipient_email_names_the_candidates_and_carries_a_link(published):
    message = next(m for m in mail.outbox if m.to == ["parents@x.test"])
    assert "Léa MARTIN" in message.body and "Paul BERNARD" in message.body
    assert "Zoé" not in message.body
    assert link_of(message)


def test_publishing_twice_sends_no_second_email(published, staff):
    session_publish(session=published, by=staff)
    assert len(mail.outbox) == 2


def test_the_link_shows_only_the_candidates_of_that_recipient(client, published):
    message = next(m for m in mail.outbox if m.to == ["parents@x.test"])
    body = client.get(link_of(message)).content.decode()
    assert "MARTIN Léa" in body and "BERNARD Paul" in body
    assert "Durand" not in body and "Petit" not in body


def test_a_tampered_link_shows_a_clear_page_without_data(client, published):
    token = recipient_token(session=published, email="parents@x.test")
    response = client.get(reverse("results:recipient", args=[token[:-3] + "abc"]))
    assert response.status_code == 404
    body = response.content.decode()
    assert "Ce lien n'est pas valide" in body and "Martin" not in body


def test_a_link_is_valid_for_30_days(client, published):
    url = reverse("results:recipient", args=[recipient_token(session=published, email="parents@x.test")])
    with time_machine.travel(dt.timedelta(days=29)):
        assert client.get(url).status_code == 200


def test_an_expired_link_shows_a_clear_page_without_data(client, published):
    url = reverse("results:recipient", args=[recipient_token(session=published, email="parents@x.test")])
    with time_machine.travel(dt.timedelta(days=31)):
        response = client.get(url)
    assert response.status_code == 410
    assert "Ce lien a expiré" in response.content.decode() and "Martin" not in response.content.decode()


def test_a_link_to_an_unpublished_session_shows_nothing(client, published, staff):
    url = reverse("results:recipient", args=[recipient_token(session=published, email="parents@x.test")])
    session_unpublish(session=published, by=staff)
    assert client.get(url).status_code == 404


# ---- candidates


def test_validated_certifications_get_a_verification_code_at_publication(published, results):
    code = results["lea"].verification_code
    assert re.fullmatch(rf"P-[{VERIFICATION_ALPHABET}]{{8}}", code)
    assert results["paul"].verification_code == "" and results["zoe"].verification_code == ""


def test_the_candidate_sees_a_waiting_message_before_publication(client, candidate_user, results):
    client.force_login(candidate_user)
    body = client.get(reverse("results:my_certifications")).content.decode()
    assert "après traitement de la session par Pix" in body
    assert "120 pix" not in body


def test_the_candidate_sees_the_result_once_published(client, candidate_user, published, results):
    client.force_login(candidate_user)
    body = client.get(reverse("results:my_certifications")).content.decode()
    assert "Validée" in body and "120 pix" in body
    assert results["lea"].verification_code in body
    assert reverse("results:certificate", args=[results["lea"].pk]) in body


def test_the_certificate_carries_the_name_score_levels_and_code(client, candidate_user, published, results):
    client.force_login(candidate_user)
    response = client.get(reverse("results:certificate", args=[results["lea"].pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Léa MARTIN" in text
    assert "120 pix" in text
    assert "1.1 Mener une recherche" in text
    assert results["lea"].verification_code in text


def test_another_users_certificate_is_a_404(client, published, results):
    client.force_login(UserFactory())
    assert client.get(reverse("results:certificate", args=[results["lea"].pk])).status_code == 404


def test_a_rejected_certification_has_no_certificate(client, published, results):
    client.force_login(results["paul"].user)
    assert client.get(reverse("results:certificate", args=[results["paul"].pk])).status_code == 404


def test_the_certificate_needs_a_login(client, published, results):
    response = client.get(reverse("results:certificate", args=[results["lea"].pk]))
    assert response.status_code == 302 and "/connexion" in response["Location"]


# ---- verification


VERIFY = "/verification"


def test_a_valid_code_shows_name_date_score_and_levels(client, published, results):
    body = client.post(VERIFY, {"code": results["lea"].verification_code}).content.decode()
    assert "Léa MARTIN" in body and "120 pix" in body
    assert published.date.strftime("%d/%m/%Y") in body
    assert "1.1 Mener une recherche" in body


def test_a_code_is_accepted_in_lower_case_without_its_prefix(client, published, results):
    code = results["lea"].verification_code[2:].lower()
    assert "Léa MARTIN" in client.post(VERIFY, {"code": code}).content.decode()


def test_an_unknown_code_shows_nothing(client, published):
    body = client.post(VERIFY, {"code": "P-BCDFGHJK"}).content.decode()
    assert "Aucune certification ne correspond à ce code de vérification." in body
    assert "Certification vérifiée" not in body


@pytest.mark.parametrize("code", ["P-ZZZZZZZZ", "P-BCDFGHJ0", "P-ABCDEFGH", "zzzz 1111"])
def test_a_well_shaped_code_that_does_not_exist_is_simply_unknown(client, published, results, code):
    """Characters Pix never uses are no reason to explain the shape the person already typed."""
    body = html.unescape(client.post(VERIFY, {"code": code}).content.decode())
    assert "Aucune certification ne correspond à ce code de vérification." in body
    assert "suivi de 8 caractères" not in body
    assert "Certification vérifiée" not in body


@pytest.mark.parametrize("code", ["P-BCDF", "P-BCDFGHJKM", "P-BCD FGH!", "Q-BCDFGHJK", "P_BCDFGHJK"])
def test_a_code_of_the_wrong_shape_says_which_characters_a_code_uses(client, db, code):
    body = html.unescape(client.post(VERIFY, {"code": code}).content.decode())
    assert (
        "Le code de vérification comporte « P- » suivi de 8 caractères : les chiffres 2 à 9 sauf 5, "
        "et les lettres B C D F G H J K M P Q R T V W X Y, par exemple P-7KQ2MXBD."
    ) in body
    assert "Aucune certification" not in body


def test_the_characters_the_shape_message_lists_are_those_codes_are_made_of():
    from finalisation.results.forms import SHAPE_MESSAGE

    letters = re.search(r"les lettres ([A-Z ]+),", str(SHAPE_MESSAGE)).group(1).split()
    digits = [d for d in "0123456789" if 2 <= int(d) <= 9 and d != "5"]
    assert sorted(VERIFICATION_ALPHABET) == sorted(digits + letters)


def test_the_code_of_an_unpublished_session_is_unknown(client, published, results, staff):
    session_unpublish(session=published, by=staff)
    body = client.post(VERIFY, {"code": results["lea"].verification_code}).content.decode()
    assert "Aucune certification ne correspond" in body


def test_verification_is_throttled_after_too_many_unknown_codes(client, published, results, settings):
    settings.THROTTLE_LIMITS = {"certificate-verification": {"per_address": 10}}
    for _ in range(10):
        client.post(VERIFY, {"code": "P-BCDFGHJK"})
    response = client.post(VERIFY, {"code": results["lea"].verification_code})
    body = response.content.decode()
    assert response.status_code == 429
    assert "Trop de tentatives" in body and "Léa MARTIN" not in body


def test_a_logged_in_visitor_is_throttled_per_account_after_ten_unknown_codes(client, published, results, staff):
    client.force_login(staff)
    for i in range(10):
        client.post(VERIFY, {"code": "P-BCDFGHJK"}, REMOTE_ADDR=f"10.0.0.{i}")
    assert client.post(VERIFY, {"code": "P-BCDFGHJK"}, REMOTE_ADDR="10.0.1.1").status_code == 429


def test_the_verification_page_shows_the_form(client, db):
    body = client.get(VERIFY).content.decode()
    assert 'name="code"' in body and "Code de vérification" in body
