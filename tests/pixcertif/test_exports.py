"""No export the product writes can be turned into code by a spreadsheet (CSV and ODS)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pixcertif.exports import csv_bytes, safe_cell, unsafe_cell
from sessions_app.ods import read_candidates
from tests.factories import CandidateFactory, SessionFactory
from tests.sessions_app.document_helpers import ods_rows

FORMULAS = ['=HYPERLINK("http://x.test")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("value", FORMULAS)
def test_a_text_starting_like_a_formula_is_prefixed_with_an_apostrophe(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Durand", "D'Ávila-Émile", "", "-", "-12", "+3,5", "4.25", "a=b"])
def test_plain_text_numbers_and_the_not_assessed_dash_are_left_alone(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", [-12, 3.5, 0, None])
def test_non_text_values_are_left_alone(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", [*FORMULAS, "'quoted", "Durand", "-3"])
def test_reading_back_a_neutralised_cell_gives_the_original_text(value):
    assert unsafe_cell(safe_cell(value)) == value


def test_the_csv_writer_neutralises_every_text_cell():
    assert csv_bytes([["=1+1", -3, "-"]], bom=False) == b"'=1+1;-3;-\r\n"


@pytest.fixture
def booby_trapped(pro_center):
    """A professional centre's list: its import requires the billing mode (schools have none)."""
    session = SessionFactory(center=pro_center)
    CandidateFactory(
        session=session,
        last_name='=HYPERLINK("http://evil.test";"clic")',
        first_name="@SUM(A1)",
        billing_mode="free",
    )
    return session


@pytest.fixture
def pro_admin_client(client, pro_admin_user):
    client.force_login(pro_admin_user)
    return client


def test_the_candidate_list_ods_carries_no_formula(pro_admin_client, booby_trapped):
    response = pro_admin_client.get(reverse("enrolment:candidates_ods", args=[booby_trapped.pk]))
    assert response.status_code == 200
    row = ods_rows(response.content)[1]
    assert row[:2] == ['\'=HYPERLINK("http://evil.test";"clic")', "'@SUM(A1)"]
    assert b"table:formula" not in response.content


def test_a_downloaded_list_with_neutralised_cells_reads_back_as_it_was(pro_admin_client, booby_trapped):
    response = pro_admin_client.get(reverse("enrolment:candidates_ods", args=[booby_trapped.pk]))
    result = read_candidates(response.content)
    assert result.is_valid, result.errors
    assert result.rows[0].first_name == "@SUM(A1)"
    assert result.rows[0].last_name.startswith("=HYPERLINK")


def test_the_attendance_sheet_ods_carries_no_formula(pro_admin_client, booby_trapped):
    url = reverse("documents:attendance_sheet_ods", args=[booby_trapped.pk])
    response = pro_admin_client.get(url)
    assert response.status_code == 200
    participant = ods_rows(response.content)[8]
    assert participant[:3] == ["1", '\'=HYPERLINK("http://evil.test";"clic")', "'@SUM(A1)"]
