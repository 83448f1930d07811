"""The attendance sheet ("feuille d'émargement"), PDF and ODS, read back with pypdf and odfpy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.template.loader import render_to_string
from weasyprint import HTML

from pixcertif.accounts.models import CertificationCenter
from sessions_app import documents
from tests.factories import CandidateFactory, CenterFactory, SessionFactory, StudentFactory
from tests.sessions_app.document_helpers import flat, ods_rows, pdf_pages_text, pdf_reader

LONG_NAME = ("Montmorency-Laval" * 8)[:120]
RTL_LAST_NAME = "العربي"
RTL_FIRST_NAME = "דוד"
SCRIPT_NAME = "<script>alert('x')</script>"

# Every test may read the module's shared document; pytest-django only creates the test database
# for a run that selects at least one test marked as needing it.
pytestmark = pytest.mark.django_db


def _make_session(center_type: str = CertificationCenter.Type.SCO, **session_fields):
    center = CenterFactory(name="Collège Jean Moulin", type=center_type)
    return SessionFactory(
        center=center,
        address="Site Ariane",
        room="Salle B12",
        date=dt.date(2022, 1, 5),
        time=dt.time(15, 0),
        examiner="Julien Martin, Anne Petit",
        **session_fields,
    )


@pytest.fixture(scope="module")
def sheet_45(django_db_setup, django_db_blocker):
    """One school session of 45 candidates with awkward names, rendered once for the module
    (inside a rolled-back transaction: nothing stays in the database)."""
    with django_db_blocker.unblock(), transaction.atomic():
        session = _make_session()
        center = session.center
        specials = [
            ("Zoé", LONG_NAME, None, "3EME B", 25),
            ("Hélène", "D'Ávila-Émile", None, "3EME A", None),
            (RTL_FIRST_NAME, RTL_LAST_NAME, None, "3EME A", None),
            ("Bobby", SCRIPT_NAME, None, "3EME A", None),
        ]
        for first, last, _unused, division, extra in specials:
            student = StudentFactory(center=center, division=division, last_name=last, first_name=first)
            CandidateFactory(
                session=session, student=student, first_name=first, last_name=last, extra_time_percentage=extra
            )
        for i in range(41):
            student = StudentFactory(center=center, division="4EME C", last_name=f"Eleve{i:02d}", first_name="Paul")
            CandidateFactory(session=session, student=student, last_name=f"Eleve{i:02d}", first_name="Paul")
        filename, content = documents.attendance_sheet_pdf(session)
        ods_filename, ods = documents.attendance_sheet_ods(session)
        data = {
            "session_id": session.pk,
            "filename": filename,
            "content": content,
            "pages": pdf_pages_text(content),
            "ods_filename": ods_filename,
            "ods_rows": ods_rows(ods),
        }
        transaction.set_rollback(True)
    return data


# ---- PDF ----------------------------------------------------------------------------------------


def test_the_pdf_is_named_after_the_session(sheet_45):
    assert sheet_45["filename"] == f"feuille-emargement-session-{sheet_45['session_id']}.pdf"


def test_it_prints_every_header_value(sheet_45):
    first_page = sheet_45["pages"][0]
    for expected in [
        "Feuille d'émargement",
        "N° de session :",
        str(sheet_45["session_id"]),
        "05/01/2022",
        "15:00 / 17:00",
        "Site Ariane",
        "Salle B12",
        "Julien Martin, Anne Petit",
        "Signature des",
        "surveillant(s) :",
    ]:
        assert expected in first_page, expected
    assert "Heure locale" in first_page
    assert "(début/fin)" in first_page


def test_it_prints_the_participant_columns(sheet_45):
    text = flat(sheet_45["pages"][0])
    for label in ["Nomdenaissance", "Prénom", "Datedenaissance(format:jj/mm/aaaa)", "Identifiantlocal", "Tempsmajoré?"]:
        assert label in text
    assert "Signature" in sheet_45["pages"][0]


def test_it_puts_twenty_participants_a_page_and_numbers_the_pages(sheet_45):
    pages = sheet_45["pages"]
    assert len(pages) == 3
    assert [f"Page {n}/3" in page for n, page in enumerate(pages, start=1)] == [True, True, True]
    assert "Page 2/3" in pages[1]


def test_it_repeats_the_header_on_every_page(sheet_45):
    for page in sheet_45["pages"]:
        assert "N° de session :" in page
        assert "Site Ariane" in page
        assert "Nom de naissance" in page


def test_it_lists_every_candidate_once(sheet_45):
    text = "".join(flat(page) for page in sheet_45["pages"])
    for i in range(41):
        assert text.count(f"Eleve{i:02d}") == 1


def test_it_numbers_the_participants_in_name_order_across_pages(sheet_45):
    pages = sheet_45["pages"]
    # Sorted on normalised names: "<script>…" (punctuation first), "d avila…", "eleve00"…, "montmorency…",
    # then the Arabic name.
    assert "\n2 D'Ávila-Émile Hélène" in pages[0]
    assert "\n3 Eleve00 Paul" in pages[0]
    assert "\n21 Eleve18 Paul" in pages[1]
    assert "\n40 Eleve37 Paul" in pages[1]
    assert "\n41 Eleve38 Paul" in pages[2]
    assert "Eleve18" not in pages[0]


def test_a_120_character_name_is_printed_whole(sheet_45):
    assert flat(LONG_NAME) in flat("".join(sheet_45["pages"]))


def test_accents_and_apostrophes_are_printed(sheet_45):
    assert "D'Ávila-Émile" in "".join(sheet_45["pages"])


def test_right_to_left_names_are_printed(sheet_45):
    text = "".join(sheet_45["pages"])
    assert RTL_LAST_NAME in text or RTL_LAST_NAME[::-1] in text
    assert RTL_FIRST_NAME in text or RTL_FIRST_NAME[::-1] in text


def test_html_in_a_name_is_printed_as_text(sheet_45):
    assert flat(SCRIPT_NAME) in flat(sheet_45["pages"][0])


def test_the_local_id_of_a_school_candidate_is_their_class(sheet_45):
    assert "Eleve00 Paul 14/03/2011 4EME C" in sheet_45["pages"][0]


def test_extra_time_is_printed_as_a_percentage(sheet_45):
    assert "3EME B 25 %" in "".join(sheet_45["pages"])


def test_the_local_id_outside_schools_is_the_one_given_at_enrolment():
    session = _make_session(center_type=CertificationCenter.Type.PRO)
    CandidateFactory(session=session, last_name="Durand", first_name="Simon", external_id="MAT-0042")
    _, content = documents.attendance_sheet_pdf(session)
    assert "Durand Simon 17/05/2010 MAT-0042" in pdf_pages_text(content)[0]


def test_a_session_without_candidates_gives_a_one_page_sheet_saying_so():
    session = _make_session()
    _, content = documents.attendance_sheet_pdf(session)
    pages = pdf_pages_text(content)
    assert len(pages) == 1
    assert "Aucun candidat n'est inscrit à cette session." in pages[0]
    assert "Page 1/1" in pages[0]


def test_a_full_page_of_twenty_stays_on_one_page():
    session = _make_session()
    CandidateFactory.create_batch(20, session=session)
    _, content = documents.attendance_sheet_pdf(session)
    assert len(pdf_reader(content).pages) == 1


def test_the_html_escapes_names():
    session = _make_session()
    CandidateFactory(session=session, last_name=SCRIPT_NAME)
    html = render_to_string(
        "documents/attendance_sheet.html",
        {**documents.session_header(session), "pages": [documents.participants(session)]},
    )
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_the_end_time_is_two_hours_after_the_start_even_past_midnight():
    session = SessionFactory.build(date=dt.date(2022, 1, 5), time=dt.time(23, 30))
    assert documents.end_time(session) == dt.time(1, 30)


# ---- ODS ----------------------------------------------------------------------------------------


def test_the_ods_is_named_after_the_session(sheet_45):
    assert sheet_45["ods_filename"] == f"feuille-emargement-session-{sheet_45['session_id']}.ods"


def test_the_ods_has_the_session_header_laid_out_like_the_sample(sheet_45):
    rows = sheet_45["ods_rows"]
    assert rows[1] == ["La session de certification", "", "", "N° de session :", str(sheet_45["session_id"])]
    assert rows[2] == ["Date", "05/01/2022", "", "Session surveillée par :"]
    assert rows[3] == ["Heure locale (début/fin)", "15:00", "17:00", "Julien Martin, Anne Petit"]
    assert rows[4] == ["Nom du site", "Site Ariane", "", "Signature des surveillant(s) :"]
    assert rows[5] == ["Nom de la salle", "Salle B12"]
    assert rows[7] == [
        "",
        "Nom de naissance",
        "Prénom",
        "Date de naissance (format : jj/mm/aaaa)",
        "Identifiant local",
        "Temps majoré ?",
        "Aménagement ?",
        "Signature",
    ]


def test_the_ods_has_one_numbered_row_per_candidate_in_name_order(sheet_45):
    participants = sheet_45["ods_rows"][8:]
    assert len(participants) == 45
    assert participants[1] == ["2", "D'Ávila-Émile", "Hélène", "14/03/2011", "3EME A"]
    assert participants[2][:3] == ["3", "Eleve00", "Paul"]
    assert [row[0] for row in participants] == [str(n) for n in range(1, 46)]


def test_the_ods_keeps_long_names_and_markup_as_plain_text(sheet_45):
    last_names = [row[1] for row in sheet_45["ods_rows"][8:]]
    assert LONG_NAME in last_names
    assert SCRIPT_NAME in last_names
    assert RTL_LAST_NAME in last_names


def test_the_ods_prints_extra_time_as_a_percentage(sheet_45):
    row = next(row for row in sheet_45["ods_rows"][8:] if row[1] == LONG_NAME)
    assert row[4:6] == ["3EME B", "25 %"]


def test_three_digit_numbers_keep_twenty_rows_on_one_page():
    session = SessionFactory.build(pk=7, center=CenterFactory.build(), date=dt.date(2022, 1, 5), time=dt.time(9, 0))
    rows = [
        documents.Participant(
            number=n,
            last_name=f"Nom{n}",
            first_name="Prénom",
            birth_date="01/02/2011",
            local_id="3EME A",
            extra_time="33 %",
        )
        for n in range(981, 1001)
    ]
    html = render_to_string("documents/attendance_sheet.html", {**documents.session_header(session), "pages": [rows]})
    pages = pdf_pages_text(HTML(string=html).write_pdf())
    assert len(pages) == 1
    assert "\n1000 Nom1000 Prénom" in pages[0]
