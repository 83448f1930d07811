"""A PRO admin imports a file of three sessions, fixes an error, confirms, and sees the sessions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pixcertif.accounts.models import CertificationCenter, Membership
from sessions_app import mass_import
from sessions_app.models import Candidate, Session
from tests.factories import CenterFactory, MembershipFactory

KEYS = [c.key for c in mass_import.COLUMNS]


@pytest.fixture
def pro(transactional_db):
    center = CenterFactory(name="Centre Pro", type=CertificationCenter.Type.PRO)
    MembershipFactory(center=center, role=Membership.Role.ADMIN, user__email="admin@pro.test")
    return center


def three_sessions(*, second_examiner: str) -> bytes:
    day = f"{timezone.localdate() + dt.timedelta(days=5):%d/%m/%Y}"
    base = {"address": "Campus Nord", "date": day, "time": "09:00", "examiner": "Camille Martin"}
    person = {"sex": "F", "birth_country": "FRANCE", "birth_insee_code": "69123", "billing_mode": "Payante"}
    rows = [
        {
            **base,
            "room": "Amphi A",
            "last_name": "Durand",
            "first_name": "Élodie",
            "birth_date": "12/04/1988",
            **person,
        },
        {**base, "room": "Amphi A", "last_name": "Martin", "first_name": "Léa", "birth_date": "01/02/1990", **person},
        {
            **base,
            "room": "Salle B",
            "examiner": second_examiner,
            "last_name": "Petit",
            "first_name": "Jean",
            "birth_date": "03/03/1985",
            **person,
        },
        {**base, "room": "Salle C", "time": "14:00"},
    ]
    lines = [";".join(c.header for c in mass_import.COLUMNS)]
    lines += [";".join(str(row.get(k, "")) for k in KEYS) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def test_a_pro_admin_imports_three_sessions_after_fixing_an_error(
    pro, live_server, page, login, assert_accessible, tmp_path
):
    login(page, "admin@pro.test")
    page.goto(f"{live_server.url}/sessions/liste")
    page.get_by_role("link", name="Créer/éditer plusieurs sessions").click()
    expect(page.get_by_role("heading", name="Créer/éditer plusieurs sessions")).to_be_visible()
    assert_accessible(page)

    wrong = tmp_path / "sessions.csv"
    wrong.write_bytes(three_sessions(second_examiner=""))
    page.get_by_label("Fichier des sessions (.csv ou .ods)").set_input_files(str(wrong))
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_text("Le fichier contient 1 erreur : rien n'a été importé.")).to_be_visible()
    expect(page.get_by_text("Ligne 4, colonne F « Surveillant(s) » : cette case est obligatoire.")).to_be_visible()
    assert_accessible(page)
    assert not Session.objects.exists()

    fixed = tmp_path / "sessions-corrige.csv"
    fixed.write_bytes(three_sessions(second_examiner="Paul Leroy"))
    page.get_by_label("Fichier des sessions (.csv ou .ods)").set_input_files(str(fixed))
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_text("3 sessions dont 1 sans candidat · 3 candidats")).to_be_visible()
    assert_accessible(page)
    assert not Session.objects.exists()

    page.get_by_role("button", name="Finaliser l'import").click()
    expect(page.get_by_text("Import terminé : 3 sessions dont 1 sans candidat · 3 candidats.")).to_be_visible()
    expect(page.get_by_role("heading", name="Sessions de certification")).to_be_visible()
    for room in ("Amphi A", "Salle B", "Salle C"):
        expect(page.get_by_role("cell", name=room, exact=True)).to_be_visible()
    assert_accessible(page)
    assert Session.objects.filter(center=pro).count() == 3
    assert Candidate.objects.filter(session__center=pro).count() == 3
