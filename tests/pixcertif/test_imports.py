"""Imports that cannot pin a worker nor crash on odd bytes: size and row caps, control characters.

Every import (the school roster CSV, the candidate list ODS) refuses a control character (a NUL
byte…) with its line and column, and an ODS whose content inflates past the cap before parsing it.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sessions_app import ods
from sessions_app.models import Candidate, Student
from sessions_app.ods import OdsFileError, read_candidates
from sessions_app.students_csv import StudentsFileError, read_students
from tests.factories import SessionFactory
from tests.sessions_app.ods_helpers import candidates_ods, valid_row

ROSTER_HEADER = "Classe;Nom;Prénom;Date de naissance;Commune de naissance;Pays de naissance;INE"
ADA = "3EME A;Lovelace;Ada;01/01/2011;Paris;France;12345678901"


def roster(*lines: str) -> bytes:
    return "\r\n".join([ROSTER_HEADER, *lines]).encode("utf-8")


# ---------------------------------------------------------------- roster CSV


def test_a_nul_byte_in_the_roster_is_refused_with_its_line_and_column(center_admin_client, center):
    data = roster(ADA, "3EME B;Tur\x00ing;Alan;23/06/2011;Londres;Royaume-Uni;12345678902")
    upload = SimpleUploadedFile("eleves.csv", data, content_type="text/csv")
    response = center_admin_client.post(reverse("enrolment:students_import"), {"file": upload})
    assert response.status_code == 400
    html = response.content.decode().replace("&#x27;", "'")
    assert "Ligne 3, colonne 11 : caractère de contrôle interdit (U+0000)" in html
    assert not Student.objects.exists()


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x7f"])
def test_every_control_character_is_refused_in_the_roster(char):
    with pytest.raises(StudentsFileError, match=r"Ligne 2, colonne 8 : caractère de contrôle interdit"):
        read_students(roster(f"3EME A;{char}Lovelace;Ada;01/01/2011;Paris;France;12345678901"))


def test_tabs_and_line_breaks_are_not_control_characters_for_the_roster():
    assert read_students(roster(ADA.replace("Paris", "Paris\t"))).is_valid


# ---------------------------------------------------------------- candidate list ODS


@pytest.fixture
def pro_session(pro_center):
    return SessionFactory(center=pro_center)


@pytest.fixture
def pro_client(client, pro_admin_user):
    client.force_login(pro_admin_user)
    return client


def import_ods(client, session, data: bytes):
    upload = SimpleUploadedFile("liste.ods", data, content_type="application/vnd.oasis.opendocument.spreadsheet")
    return client.post(reverse("enrolment:candidates_import", args=[session.pk]), {"file": upload})


def test_a_nul_byte_in_the_candidate_list_is_refused_with_its_line_and_column(pro_client, pro_session):
    data = rezipped(candidates_ods(valid_row(), valid_row(first_name="MaXrc")), b"MaXrc", b"Ma\x00rc")
    response = import_ods(pro_client, pro_session, data)
    assert response.status_code == 400
    html = response.content.decode().replace("&#x27;", "'")
    assert "Ligne 3, colonne B « Prénom » : caractère de contrôle interdit (U+0000)" in html
    assert not Candidate.objects.exists()


def rezipped(data: bytes, old: bytes, new: bytes) -> bytes:
    """`data` (an ODS) with `old` replaced by `new` in content.xml, byte for byte (odfpy would clean it)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "content.xml":
                content = content.replace(old, new, 1)
            method = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            target.writestr(info.filename, content, compress_type=method)
    return out.getvalue()


def inflated(data: bytes, padding: int) -> bytes:
    """`data` with `padding` bytes of blanks inside content.xml: a few KB zipped."""
    return rezipped(data, b"<office:body>", b"<office:body>" + b" " * padding)


def test_an_ods_inflating_to_megabytes_of_xml_is_refused_before_parsing(pro_client, pro_session):
    bomb = inflated(candidates_ods(valid_row()), 20 * 1024 * 1024)
    assert len(bomb) < 200 * 1024
    response = import_ods(pro_client, pro_session, bomb)
    assert response.status_code == 400
    html = response.content.decode().replace("&#x27;", "'")
    assert "Le contenu du fichier est trop volumineux une fois décompressé" in html
    assert "10 Mo au maximum" in html
    assert not Candidate.objects.exists()


def test_an_ods_just_under_the_cap_is_read():
    data = inflated(candidates_ods(valid_row()), ods.MAX_CONTENT_BYTES - 64 * 1024)
    assert read_candidates(data).is_valid


def test_an_ods_lying_about_its_inflated_size_is_refused():
    data = bytearray(inflated(candidates_ods(valid_row()), 2 * 1024 * 1024))
    # the central directory says 1 KB where the real content is 2 MB: reading stops at 1 KB
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("content.xml")
    for offset in (info.header_offset + 22, data.rfind(b"content.xml") - 46 + 24):
        data[offset : offset + 4] = (1024).to_bytes(4, "little")
    with pytest.raises(OdsFileError):
        read_candidates(bytes(data))


def test_more_lines_than_the_cap_are_refused_with_a_french_message(monkeypatch):
    monkeypatch.setattr(ods, "MAX_LINES", 3)
    with pytest.raises(OdsFileError, match="plus de 3 candidats"):
        read_candidates(candidates_ods(*[valid_row(first_name=f"P{i}") for i in range(4)]))
