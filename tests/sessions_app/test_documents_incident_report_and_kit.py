"""The incident report (an editable PDF form) and the invigilator kit, read back with pypdf."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import override_settings

from sessions_app import documents
from tests.factories import CenterFactory, SessionFactory
from tests.sessions_app.document_helpers import flat, pdf_pages_text, pdf_reader

pytestmark = pytest.mark.django_db

TEXT_FIELD = "/Tx"
BUTTON_FIELD = "/Btn"
MULTILINE = 1 << 12


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    """Both documents of one session, rendered once for the module (the data is rolled back)."""
    with django_db_blocker.unblock(), transaction.atomic():
        session = SessionFactory(
            center=CenterFactory(name="Collège Jean Moulin"),
            address="Site Ariane",
            room="Salle B12",
            date=dt.date(2022, 1, 5),
            time=dt.time(15, 0),
            examiner="Julien Martin\n<i>Anne Petit",
            access_code="TQVF63",
            invigilator_password="24WB4",
        )
        incident_report = documents.incident_report_pdf(session)
        with override_settings(SITE_URL="https://certif.example.org"):
            kit = documents.invigilator_kit_pdf(session)
        data = {"session_id": session.pk, "incident_report": incident_report, "kit": kit}
        transaction.set_rollback(True)
    return data


@pytest.fixture
def doc_session(rendered):
    return SimpleNamespace(pk=rendered["session_id"])


@pytest.fixture
def incident_report(rendered):
    return rendered["incident_report"]


@pytest.fixture
def kit(rendered):
    return rendered["kit"]


# ---- incident report ----------------------------------------------------------------------------


def test_the_incident_report_is_named_after_the_session(incident_report, doc_session):
    assert incident_report[0] == f"pv-incident-session-{doc_session.pk}.pdf"


def test_the_incident_report_is_prefilled_with_the_session(incident_report, doc_session):
    first_page = pdf_pages_text(incident_report[1])[0]
    for expected in [str(doc_session.pk), "05/01/2022", "15:00 / 17:00", "Site Ariane", "Salle B12"]:
        assert expected in first_page
    assert "Julien Martin, <i>Anne Petit" in first_page


def test_each_individual_report_row_has_fields_for_name_code_question_and_details(incident_report):
    fields = pdf_reader(incident_report[1]).get_fields()
    for n in range(1, documents.INCIDENT_REPORT_ROWS + 1):
        for part in ("candidate", "code", "question", "details"):
            assert fields[f"report_{n}_{part}"]["/FT"] == TEXT_FIELD
        assert fields[f"report_{n}_details"]["/Ff"] & MULTILINE
    assert fields["report_1_candidate"]["/TU"] == "Signalement 1 : Prénom/Nom"


def test_the_two_lists_of_unfinished_tests_are_multiline_text_fields(incident_report):
    fields = pdf_reader(incident_report[1]).get_fields()
    for name in ("unfinished_abandon", "unfinished_technical"):
        assert fields[name]["/FT"] == TEXT_FIELD
        assert fields[name]["/Ff"] & MULTILINE
    assert fields["unfinished_abandon"]["/TU"] == "Abandon : Manque de temps ou départ prématuré"


def test_the_two_complementary_information_boxes_are_unticked_checkboxes(incident_report):
    fields = pdf_reader(incident_report[1]).get_fields()
    for name in ("incident_extra_time", "joining_issue"):
        assert fields[name]["/FT"] == BUTTON_FIELD
        assert fields[name]["/V"] == "/Off"
    assert fields["joining_issue"]["/TU"] == (
        "Un ou plusieurs candidats étaient présents en session de certification mais n'ont pas pu rejoindre la session."
    )


def test_the_incident_report_has_no_other_field(incident_report):
    fields = pdf_reader(incident_report[1]).get_fields()
    assert len(fields) == documents.INCIDENT_REPORT_ROWS * 4 + 4


def test_the_incident_report_prints_the_sections_and_both_checkbox_wordings(incident_report):
    text = flat("".join(pdf_pages_text(incident_report[1])))
    for expected in [
        "Signalementsindividuels",
        "Prénom/Nom",
        "Codedusignalement",
        "N°question",
        "Détails",
        "Certificationsnonterminées",
        "Abandon:Manquedetempsoudépartprématuré",
        "Problèmetechnique:listezci-dessous",
        "Informationscomplémentaires",
        flat(
            "Un temps supplémentaire a été accordé à un ou plusieurs candidats en raison d'un incident survenu "
            "pendant la session."
        ),
        flat("Un ou plusieurs candidats étaient présents en session de certification mais n'ont pas pu"),
    ]:
        assert expected in text, expected


def test_the_incident_report_lists_every_code_with_the_guides_wording(incident_report):
    text = flat("".join(pdf_pages_text(incident_report[1])))
    assert "Signalementsliésaucandidat" in text
    assert flat("Problème technique sur une question - précisez obligatoirement le numéro de question") in text
    for code, label, details in documents.CANDIDATE_CODES:
        assert flat(f"{code}{label}{details}") in text, code
    for code, label in documents.QUESTION_CODES:
        assert flat(f"{code}{label}Numéro de question") in text, code
    assert [code for code, *_ in documents.CANDIDATE_CODES] == ["C1", "C2", "C4", "C6", "C7", "C8"]
    assert [code for code, _ in documents.QUESTION_CODES] == [f"E{n}" for n in (1, 2, 3, 4, 5, 8, 9, 10, 11, 12)]


def test_every_page_of_the_incident_report_is_numbered(incident_report):
    pages = pdf_pages_text(incident_report[1])
    assert len(pages) == 2
    assert "Page 1/2" in pages[0]
    assert "Page 2/2" in pages[1]


# ---- invigilator kit ----------------------------------------------------------------------------


def test_the_kit_is_named_after_the_session(kit, doc_session):
    assert kit[0] == f"kit-surveillant-session-{doc_session.pk}.pdf"


def test_the_kit_fits_on_one_page(kit):
    assert len(pdf_reader(kit[1]).pages) == 1


def test_the_kit_gives_the_three_codes(kit, doc_session):
    text = pdf_pages_text(kit[1])[0]
    assert "Numéro de session" in text
    assert f"\n{doc_session.pk}\n" in text
    assert "Mot de passe de la session" in text
    assert "C-24WB4" in text
    assert "Code d'accès candidat" in text
    assert "TQVF63" in text


def test_the_kit_gives_date_time_site_room_and_invigilators(kit):
    text = pdf_pages_text(kit[1])[0]
    for expected in ["Mercredi 05 janvier 2022", "15:00", "Site Ariane", "Salle B12", "Julien Martin, <i>Anne Petit"]:
        assert expected in text, expected


def test_the_kit_gives_the_address_of_the_invigilator_space(kit):
    assert "https://certif.example.org/connexion-espace-surveillant" in pdf_pages_text(kit[1])[0]


def test_the_kit_lists_the_four_steps_of_the_day(kit):
    text = flat(pdf_pages_text(kit[1])[0])
    for expected in [
        "Etape1:lesurveillantseconnecteàsonespacegrâceaunumérodesession+lemotdepassedelasession",
        "Etape2:ilvérifielaprésencedescandidatsetcocheleurprésencesurl'espacesurveillant",
        "Etape3:ilcommuniquelesconsignesd'examenauxcandidats",
        "Etape4:lesurveillantcommuniqueauxcandidats:",
        "numérodesession",
        "coded'accèsdelasession",
    ]:
        assert expected in text, expected
