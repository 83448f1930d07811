"""Results by class for school centres: the page, its filters, the class CSV and the class PDF."""

import csv
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from finalisation.jury.resolution import auto_resolve_reports
from finalisation.jury.services import certification_cancel, session_publish
from pixcertif.accounts.models import CertificationCenter, Membership
from tests.factories import CenterFactory, MembershipFactory, SessionFactory, StudentFactory
from tests.finalisation.builders import mark_finalised, take_test

PAGE = "/eleves/resultats"
CSV = "/eleves/resultats.csv"
PDF = "/eleves/resultats/attestations.pdf"
REJECTED = ["ok"] * 5 + ["ko"] * 10


def pupil(session, division, last_name, first_name, **kwargs):
    student = StudentFactory(center=session.center, division=division, last_name=last_name, first_name=first_name)
    return take_test(session, student=student, last_name=last_name, first_name=first_name, **kwargs)


@pytest.fixture
def school(center, staff):
    """Two published sessions of 3EME A / 3EME B pupils, and one session not published yet."""
    first = mark_finalised(SessionFactory(center=center, room="Salle A"))
    second = mark_finalised(SessionFactory(center=center, room="Salle B"))
    pending = mark_finalised(SessionFactory(center=center, room="Salle C"))
    certifications = {
        "zola": pupil(first, "3EME A", "Zola", "Émile"),
        "abel": pupil(first, "3EME A", "Abel", "Inès"),
        "eluard": pupil(second, "3EME A", "Éluard", "Paul"),
        "martin": pupil(second, "3EME A", "Martin", "Hugo", results=REJECTED),
        "durand": pupil(first, "3EME A", "Durand", "Zoé"),
        "bernard": pupil(first, "3EME B", "Bernard", "Léo"),
        "pending": pupil(pending, "3EME A", "Attente", "Noa"),
    }
    for session in (first, second):
        auto_resolve_reports(session=session)
    certification_cancel(certification=certifications["durand"], by=staff)
    session_publish(session=first, by=staff)
    session_publish(session=second, by=staff)
    return {"first": first, "second": second, "pending": pending, **certifications}


def names_in(body, *names):
    positions = [body.index(name) for name in names]
    return positions == sorted(positions)


# ---- the page


def test_the_page_lists_the_published_results_of_the_pupils_by_name(center_member_client, school):
    body = center_member_client.get(PAGE).content.decode()
    assert names_in(body, "ABEL Inès", "BERNARD Léo", "DURAND Zoé", "ÉLUARD Paul", "MARTIN Hugo", "ZOLA Émile")
    assert "ATTENTE" not in body  # its session is not published
    assert "Validée" in body and "Rejetée" in body and "Annulée" in body
    assert "<strong>120</strong>" in body


def test_the_page_shows_the_session_and_the_date_of_each_result(center_member_client, school):
    body = center_member_client.get(PAGE).content.decode()
    assert reverse("results:session_results", args=[school["second"].pk]) in body
    assert school["first"].date.strftime("%d/%m/%Y") in body


def test_the_class_filter_keeps_one_class(center_member_client, school):
    body = center_member_client.get(PAGE, {"classe": "3EME B"}).content.decode()
    assert "BERNARD Léo" in body and "ZOLA" not in body


def test_the_session_filter_keeps_one_session(center_member_client, school):
    body = center_member_client.get(PAGE, {"session": school["second"].pk}).content.decode()
    assert "ÉLUARD Paul" in body and "MARTIN Hugo" in body and "ZOLA" not in body


def test_the_page_offers_the_downloads_of_the_selected_class(center_member_client, school):
    body = center_member_client.get(PAGE, {"classe": "3EME A"}).content.decode()
    assert f"{CSV}?classe=3EME+A" in body and f"{PDF}?classe=3EME+A" in body
    assert "PDF, 3 pages" in body  # Abel, Éluard, Zola are validated


def test_the_page_without_a_class_asks_for_one_before_downloading(center_member_client, school):
    body = center_member_client.get(PAGE).content.decode()
    assert "Choisissez une classe" in body and PDF not in body


def test_a_class_of_another_centre_is_a_form_error_without_data(center_member_client, school):
    other = CenterFactory(name="Autre collège")
    StudentFactory(center=other, division="4EME Z")
    response = center_member_client.get(PAGE, {"classe": "4EME Z"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Cette classe n&#x27;existe pas dans votre établissement." in body
    assert "ZOLA" not in body


def test_a_session_of_another_centre_is_a_form_error(center_member_client, school):
    other = mark_finalised(SessionFactory(center=CenterFactory()), status="published")
    response = center_member_client.get(PAGE, {"session": other.pk})
    assert response.status_code == 400 and "Cette session n&#x27;existe pas" in response.content.decode()


def test_another_centres_pupils_never_show(client, school, stranger_user):
    other_center = stranger_user.memberships.get().center
    CertificationCenter.objects.filter(pk=other_center.pk).update(type="SCO")
    client.force_login(stranger_user)
    body = client.get(PAGE).content.decode()
    assert "ZOLA" not in body and "Aucun résultat publié" in body


def test_a_centre_that_is_not_a_school_has_no_such_page(client, pro_admin_user):
    client.force_login(pro_admin_user)
    assert client.get(PAGE).status_code == 404
    assert client.get(CSV, {"classe": "3EME A"}).status_code == 404
    assert client.get(PDF, {"classe": "3EME A"}).status_code == 404


def test_the_school_menu_has_a_results_entry(center_member_client, school):
    body = center_member_client.get("/sessions/liste").content.decode()
    assert f'href="{PAGE}"' in body


def test_the_students_page_links_to_the_results(center_admin_client, school):
    assert f'href="{PAGE}"' in center_admin_client.get("/eleves").content.decode()


def test_the_page_runs_a_constant_number_of_queries(center_member_client, school, django_assert_max_num_queries):
    for i in range(10):
        pupil(school["first"], "3EME B", f"Nom{i}", "Prénom")
    with django_assert_max_num_queries(12):
        assert center_member_client.get(PAGE).status_code == 200


def test_a_post_is_refused(center_member_client, school):
    assert center_member_client.post(PAGE).status_code == 405


# ---- the class CSV


def read_csv(response):
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_the_class_csv_has_one_row_per_result_by_name(center_member_client, school):
    response = center_member_client.get(CSV, {"classe": "3EME A"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="resultats_classe_3EME-A.csv"'
    rows = read_csv(response)
    assert [row["Nom"] for row in rows] == ["Abel", "Durand", "Éluard", "Martin", "Zola"]
    assert {row["Classe"] for row in rows} == {"3EME A"}
    abel = rows[0]
    assert (abel["Statut"], abel["Nombre de Pix"], abel["Compétence 1.1"]) == ("Validée", "120", "3")
    assert abel["Numéro de session"] == str(school["first"].pk)
    assert (rows[1]["Statut"], rows[3]["Statut"]) == ("Annulée", "Rejetée")


def test_the_class_csv_honours_the_session_filter(center_member_client, school):
    rows = read_csv(center_member_client.get(CSV, {"classe": "3EME A", "session": school["second"].pk}))
    assert [row["Nom"] for row in rows] == ["Éluard", "Martin"]


def test_the_class_csv_neutralises_formulas(center_member_client, school, staff):
    session = mark_finalised(SessionFactory(center=school["first"].center))
    pupil(session, "3EME C", "=HYPERLINK(1)", "Eve")
    auto_resolve_reports(session=session)
    session_publish(session=session, by=staff)
    rows = read_csv(center_member_client.get(CSV, {"classe": "3EME C"}))
    assert rows[0]["Nom"] == "'=HYPERLINK(1)"


def test_a_class_with_no_published_result_gives_a_message_not_an_empty_file(center_member_client, school):
    StudentFactory(center=school["first"].center, division="6EME A")
    for url in (CSV, PDF):
        response = center_member_client.get(url, {"classe": "6EME A"}, follow=True)
        assert response["Content-Type"].startswith("text/html")
        assert "Aucun résultat publié pour la classe 6EME A." in response.content.decode()


def test_a_download_without_a_class_asks_for_one(center_member_client, school):
    response = center_member_client.get(CSV, {"classe": ""}, follow=True)
    assert "Choisissez une classe pour télécharger ses résultats." in response.content.decode()


def test_a_download_for_another_centres_class_is_a_404(center_member_client, school):
    StudentFactory(center=CenterFactory(), division="4EME Z")
    assert center_member_client.get(CSV, {"classe": "4EME Z"}).status_code == 404
    assert center_member_client.get(PDF, {"classe": "4EME Z"}).status_code == 404


def test_a_download_token_comes_back_as_a_cookie_for_the_page(center_member_client, school):
    response = center_member_client.get(CSV, {"classe": "3EME A", "jeton": "Abc23456Def"})
    assert response.cookies["telechargement"].value == "Abc23456Def"
    response = center_member_client.get(CSV, {"classe": "3EME A", "jeton": "<script>"})
    assert "telechargement" not in response.cookies


# ---- the class PDF


def test_the_class_pdf_holds_every_validated_certificate_one_per_page_in_name_order(center_member_client, school):
    response = center_member_client.get(PDF, {"classe": "3EME A"})
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="attestations_classe_3EME-A.pdf"'
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) == 3  # Abel, Éluard, Zola; Durand is cancelled, Martin rejected, Attente not published
    texts = [page.extract_text() for page in pages]
    assert "Inès ABEL" in texts[0] and "Paul ÉLUARD" in texts[1] and "Émile ZOLA" in texts[2]
    assert school["zola"].__class__.objects.get(pk=school["zola"].pk).verification_code in texts[2]
    assert all("120 pix" in text for text in texts)


def test_a_class_without_a_validated_certificate_has_no_pdf(center_member_client, school, staff):
    session = mark_finalised(SessionFactory(center=school["first"].center))
    pupil(session, "3EME D", "Rejet", "Ana", results=REJECTED)
    auto_resolve_reports(session=session)
    session_publish(session=session, by=staff)
    response = center_member_client.get(PDF, {"classe": "3EME D"}, follow=True)
    assert response["Content-Type"].startswith("text/html")
    assert "Aucune attestation pour la classe 3EME D" in response.content.decode()


def test_a_member_downloads_the_files_too(client, center, school):
    member = MembershipFactory(center=center, role=Membership.Role.MEMBER).user
    client.force_login(member)
    assert client.get(CSV, {"classe": "3EME B"}).status_code == 200


def test_each_page_of_the_class_pdf_is_in_its_pupils_language(center_member_client, school):
    user = school["abel"].user
    user.language = "en"
    user.save(update_fields=["language"])
    response = center_member_client.get(PDF, {"classe": "3EME A"})  # the downloader's page is French
    reader = PdfReader(io.BytesIO(response.content))
    texts = [page.extract_text() for page in reader.pages]
    assert "Pix certification certificate" in texts[0] and "only the French version is authoritative" in texts[0]
    assert "Attestation de certification Pix" in texts[1] and "authoritative" not in texts[1]
    assert reader.trailer["/Root"]["/Lang"] == "fr"


# ---- the class PDF's pages, kept in the cache; the preparation in steps

PREPARATION = "/eleves/resultats/attestations/preparation"


@pytest.fixture
def renders(monkeypatch):
    """The pages WeasyPrint renders for the class PDF, one list per WeasyPrint document."""
    from finalisation.results import classes

    calls = []
    real = classes.pdf.render_pdf

    def counting(html, **kwargs):
        calls.append(html.count('class="certificate-page"'))
        return real(html, **kwargs)

    monkeypatch.setattr(classes.pdf, "render_pdf", counting)
    return calls


def pdf_texts(response):
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]


def test_a_second_download_renders_no_page_again(center_member_client, school, renders):
    first = pdf_texts(center_member_client.get(PDF, {"classe": "3EME A"}))
    assert renders == [3]
    second = pdf_texts(center_member_client.get(PDF, {"classe": "3EME A"}))
    assert renders == [3]  # every page from the cache
    assert second == first


def test_a_correction_of_the_identity_renders_that_page_again_and_shows_it(
    center_member_client, school, staff, renders
):
    from finalisation.jury.services import certification_correct_identity

    center_member_client.get(PDF, {"classe": "3EME A"})
    eluard = school["eluard"]
    certification_correct_identity(
        certification=eluard,
        first_name="Paule",
        last_name="Éluard",
        birth_date=eluard.candidate.birth_date,
        birth_city=eluard.candidate.birth_city,
        birth_country=eluard.candidate.birth_country,
        reason="C1 : prénom mal orthographié",
        by=staff,
    )
    texts = pdf_texts(center_member_client.get(PDF, {"classe": "3EME A"}))
    assert renders == [3, 1]  # only the corrected page
    assert len(texts) == 3
    assert "Paule ÉLUARD" in texts[1] and "Paul ÉLUARD" not in texts[1]
    assert "Inès ABEL" in texts[0] and "Émile ZOLA" in texts[2]


def test_a_certificate_cancelled_after_a_download_leaves_the_class_pdf(center_member_client, school, staff, renders):
    from finalisation.jury.services import certification_cancel_published

    center_member_client.get(PDF, {"classe": "3EME A"})
    certification_cancel_published(certification=school["abel"], reason="Fraude avérée", by=staff)
    texts = pdf_texts(center_member_client.get(PDF, {"classe": "3EME A"}))
    assert renders == [3]
    assert len(texts) == 2
    assert "Paul ÉLUARD" in texts[0] and "Émile ZOLA" in texts[1]


def test_the_preparation_renders_the_pages_in_steps_then_the_download_renders_none(
    center_member_client, school, renders, monkeypatch
):
    from finalisation.results import classes

    monkeypatch.setattr(classes, "PREPARATION_STEP_PAGES", 2)
    assert center_member_client.get(PREPARATION, {"classe": "3EME A"}).json() == {"ready": 2, "total": 3}
    assert center_member_client.get(PREPARATION, {"classe": "3EME A"}).json() == {"ready": 3, "total": 3}
    assert center_member_client.get(PREPARATION, {"classe": "3EME A"}).json() == {"ready": 3, "total": 3}
    assert renders == [2, 1]
    texts = pdf_texts(center_member_client.get(PDF, {"classe": "3EME A"}))
    assert renders == [2, 1]
    assert len(texts) == 3 and "Inès ABEL" in texts[0] and "Paul ÉLUARD" in texts[1] and "Émile ZOLA" in texts[2]


def test_the_preparation_of_a_class_without_a_validated_certificate_has_nothing_to_do(
    center_member_client, school, renders
):
    response = center_member_client.get(PREPARATION, {"classe": "3EME C"})
    assert response.status_code == 404  # not a class of the centre
    assert center_member_client.get(PREPARATION, {"classe": "3EME B"}).json() == {"ready": 1, "total": 1}
    assert center_member_client.get(PREPARATION).status_code == 404
    assert center_member_client.get(PREPARATION, {"classe": "4EME Z"}).status_code == 404


def test_the_preparation_of_another_centres_class_is_a_404(client, school, stranger_user):
    client.force_login(stranger_user)
    response = client.get(PREPARATION, {"classe": "3EME A"})
    assert response.status_code == 404


# ---- the pages rendered ahead of time, when the jury publishes (admin)


def jury_client(staff):
    from django.test import Client

    client = Client()
    client.force_login(staff)
    return client


def ready_to_publish(center, division, *names):
    session = mark_finalised(SessionFactory(center=center))
    for name in names:
        pupil(session, division, name, "Léa")
    auto_resolve_reports(session=session)
    return session


def test_the_jury_publishing_a_session_renders_its_pupils_pages_so_the_class_pdf_renders_none(
    center_member_client, center, staff, renders
):
    session = ready_to_publish(center, "4EME C", "Morel", "Blanc")
    jury_client(staff).post(reverse("admin:finalisation_jurysession_publish", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == "published"
    assert renders == [2]
    texts = pdf_texts(center_member_client.get(PDF, {"classe": "4EME C"}))
    assert renders == [2]  # the download put the pages published together
    assert "Léa BLANC" in texts[0] and "Léa MOREL" in texts[1]


def test_publishing_several_sessions_renders_a_bounded_number_of_pages_ahead(
    center_member_client, center, staff, renders, monkeypatch
):
    from finalisation.results import classes

    monkeypatch.setattr(classes, "PUBLICATION_PAGES", 3)
    sessions = [ready_to_publish(center, "4EME D", "Roux", "Faure"), ready_to_publish(center, "4EME D", "Gay", "Roy")]
    jury_client(staff).post(
        reverse("admin:finalisation_jurysession_changelist"),
        {"action": "publish", "_selected_action": [str(s.pk) for s in sessions], "index": 0},
    )
    assert renders == [2, 1]  # the first session's two pupils, one of the second's
    assert len(pdf_texts(center_member_client.get(PDF, {"classe": "4EME D"}))) == 4
    assert renders == [2, 1, 1]  # the download rendered the one left


def test_a_session_of_no_school_renders_nothing_at_publication(staff, renders):
    session = mark_finalised(SessionFactory(center=CenterFactory(type=CertificationCenter.Type.PRO)))
    take_test(session, last_name="Libre")
    auto_resolve_reports(session=session)
    jury_client(staff).post(reverse("admin:finalisation_jurysession_publish", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == "published" and renders == []
