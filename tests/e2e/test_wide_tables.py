"""Every wide table of the product, measured in the browser with long but real-looking data.

On a 1366 px school screen every column is visible: no table is wider than its box and no cell's
text is cut. On a 360 px phone the page itself never scrolls sideways: a table that is too wide
scrolls inside its box, a line above it says so, and the column naming the row stays in view when
the table is scrolled to its far right. Axe runs at both sizes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from finalisation.jury.resolution import auto_resolve_reports
from finalisation.jury.services import session_publish
from pixcertif.accounts.models import CertificationCenter, Membership
from sessions_app.models import CertificationState, SessionStatus, Student
from tests.e2e.conftest import PHONE, SCHOOL_SCREEN
from tests.factories import (
    CandidateFactory,
    CenterFactory,
    CertificationFactory,
    InvitationFactory,
    MembershipFactory,
    SessionFactory,
    StudentFactory,
    UserFactory,
)
from tests.finalisation.builders import mark_finalised, take_test

ADMIN = "claire.martin-delacroix@college-jean-moulin.example"
LONG_PEOPLE = [
    ("DE LA FONTAINE-MARTIN", "Marie-Charlotte", "Saint-Rémy-de-Provence"),
    ("N'GUESSAN-KOUASSI", "Jean-Baptiste", "Boulogne-Billancourt"),
    ("LEFÈVRE", "Zoé", "Paris"),
]

# How each page's tables measure themselves: the box that scrolls (.table-wrap), its table, the hint.
MEASURE = """() => [...document.querySelectorAll('.table-wrap')].map((wrap) => {
  const box = wrap.getBoundingClientRect();
  const cells = [...wrap.querySelectorAll('th, td')];
  const text = (cell) => cell.textContent.trim().slice(0, 30);
  const columns = [...wrap.querySelectorAll('thead th')].map((th) => Math.round(th.getBoundingClientRect().width));
  const hint = wrap.previousElementSibling;
  return {
    caption: (wrap.querySelector('caption') || wrap).textContent.trim().slice(0, 60),
    tableWider: wrap.scrollWidth > wrap.clientWidth + 1,
    widths: `${wrap.scrollWidth} px in ${wrap.clientWidth} px; columns ${columns.join(' ')}`,
    cellsOutside: cells.filter((c) => c.getBoundingClientRect().right > box.right + 1).map(text),
    cellsCut: cells.filter((c) => c.scrollWidth > c.clientWidth + 1).map(text),
    hintShown: !!(hint && hint.classList.contains('table-scroll-hint') && !hint.hidden && hint.offsetParent !== null),
  };
})"""
# Scroll every wide table to its far right: the kept column (sticky) must still sit at the box's left.
KEPT_IN_VIEW = """() => [...document.querySelectorAll('.table-wrap')]
  .filter((wrap) => wrap.scrollWidth > wrap.clientWidth + 1)
  .map((wrap) => {
    wrap.scrollLeft = wrap.scrollWidth;
    const row = wrap.querySelector('tbody tr');
    const first = wrap.querySelector('.keep-first-column') ? row.firstElementChild : null;
    const kept = row.querySelector('.sticky-col') || first;
    const caption = wrap.textContent.trim().slice(0, 40);
    if (!kept) return {caption, kept: null};
    const box = kept.getBoundingClientRect();
    return {
      caption,
      kept: kept.textContent.trim(),
      left: Math.round(box.left - wrap.getBoundingClientRect().left),
      scrolled: wrap.scrollLeft,
      width: Math.round(box.width),
    };
  })"""


def _school():
    center = CenterFactory(name="Collège Jean Moulin", type=CertificationCenter.Type.SCO)
    MembershipFactory(
        center=center,
        role=Membership.Role.ADMIN,
        user=UserFactory(email=ADMIN, first_name="Claire", last_name="Martin-Delacroix"),
    )
    return center


def _students(center):
    for index, (last, first, city) in enumerate(LONG_PEOPLE * 3):
        StudentFactory(
            center=center, division="3EME B" if index % 2 else "3EME A", last_name=last, first_name=first,
            birth_city=city, birth_country="France", ine=f"{index:09d}AB", birth_date=dt.date(2011, 3, 1 + index),
        )  # fmt: skip


def sessions_list() -> tuple[str, str]:
    center = _school()
    for index in range(6):
        SessionFactory(
            center=center,
            address="Collège Jean Moulin — annexe Pasteur, bâtiment des sciences",
            room=f"Salle informatique {index} (2e étage)",
            examiner="Mme Nathalie Roux-Lambert, M. Karim Benali et Mme Sophie Lefèvre",
        )
    return ADMIN, "/sessions/liste"


def session_details() -> tuple[str, str]:
    session = SessionFactory(
        center=_school(),
        address="Collège Jean Moulin — annexe Pasteur",
        room="Salle informatique 2",
        examiner="Mme Nathalie Roux-Lambert et M. Karim Benali",
    )
    return ADMIN, f"/sessions/{session.pk}"


def school_candidates() -> tuple[str, str]:
    center = _school()
    _students(center)
    session = SessionFactory(center=center)
    for student in Student.objects.filter(center=center):
        CandidateFactory(
            session=session, student=student, last_name=student.last_name, first_name=student.first_name,
            birth_city=student.birth_city, birth_date=student.birth_date, extra_time_percentage=33,
            needs_adjustment=True,
        )  # fmt: skip
    return ADMIN, f"/sessions/{session.pk}/candidats"


def pro_candidates() -> tuple[str, str]:
    center = CenterFactory(name="Centre de formation Numérique Pro", type=CertificationCenter.Type.PRO)
    MembershipFactory(center=center, role=Membership.Role.ADMIN, user=UserFactory(email=ADMIN))
    session = SessionFactory(center=center)
    for last, first, city in LONG_PEOPLE:
        CandidateFactory(
            session=session, last_name=last, first_name=first, birth_city=city, billing_mode="paid",
            result_recipient_email="service.formation@centre-numerique-pro.example",
        )  # fmt: skip
    CandidateFactory(session=session, billing_mode="prepaid", prepayment_code="PREPAY-2026-0042")
    return ADMIN, f"/sessions/{session.pk}/candidats"


def students_by_class() -> tuple[str, str]:
    center = _school()
    _students(center)
    return ADMIN, "/eleves"


def students_to_enrol() -> tuple[str, str]:
    center = _school()
    _students(center)
    session = SessionFactory(center=center)
    return ADMIN, f"/sessions/{session.pk}/inscription-eleves"


def results() -> tuple[str, str]:
    center = _school()
    session = mark_finalised(SessionFactory(center=center))
    for last, first, _city in LONG_PEOPLE:
        take_test(session, competences=16, level=5, last_name=last, first_name=first)
    auto_resolve_reports(session=session)
    session_publish(session=session, by=UserFactory(is_staff=True))
    return ADMIN, f"/sessions/{session.pk}/resultats"


def finalisation() -> tuple[str, str]:
    center = _school()
    session = SessionFactory(center=center, started_at=timezone.now(), date=timezone.localdate())
    for last, first, _city in LONG_PEOPLE:
        candidate = CandidateFactory(session=session, last_name=last, first_name=first, user=UserFactory())
        CertificationFactory(candidate=candidate, state=CertificationState.STARTED)
    assert session.status == SessionStatus.CREATED
    return ADMIN, f"/sessions/{session.pk}/finalisation"


def team() -> tuple[str, str]:
    center = _school()
    for last, first, _city in LONG_PEOPLE:
        MembershipFactory(
            center=center,
            user=UserFactory(
                first_name=first, last_name=last, email=f"{first}.{last}@college-jean-moulin.example".lower()
            ),
        )
    InvitationFactory(center=center, email="anne-sophie.de-la-fontaine@college-jean-moulin.example")
    return ADMIN, "/equipe"


PAGES: dict[str, Callable[[], tuple[str, str]]] = {
    "sessions list": sessions_list,
    "session details": session_details,
    "candidates (school)": school_candidates,
    "candidates (professional centre)": pro_candidates,
    "students by class": students_by_class,
    "students to enrol": students_to_enrol,
    "results": results,
    "finalisation": finalisation,
    "team": team,
}


@pytest.mark.parametrize("name", list(PAGES))
def test_every_column_is_visible_at_1366_px_and_a_phone_never_scrolls_the_page(
    name, transactional_db, live_server, page, login, assert_accessible
):
    email, url = PAGES[name]()
    login(page, email)

    page.set_viewport_size(SCHOOL_SCREEN)
    page.goto(live_server.url + url)
    tables = page.evaluate(MEASURE)
    assert tables or name == "session details", f"{name}: no table found"
    for table in tables:
        assert not table["tableWider"], (
            f"{name} at 1366 px: {table['caption']} is wider than its box ({table['widths']})"
        )
        assert not table["cellsOutside"], f"{name} at 1366 px: cells outside the box: {table['cellsOutside']}"
        assert not table["cellsCut"], f"{name} at 1366 px: cut cells: {table['cellsCut']}"
        assert not table["hintShown"], f"{name} at 1366 px: a scroll hint for a table that fits"
    assert_accessible(page)

    page.set_viewport_size(PHONE)
    page.goto(live_server.url + url)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), (
        f"{name} at 360 px: the whole page scrolls sideways"
    )
    for table in page.evaluate(MEASURE):
        assert not table["cellsCut"], f"{name} at 360 px: cut cells: {table['cellsCut']}"
        if table["tableWider"]:
            assert table["hintShown"], f"{name} at 360 px: {table['caption']} scrolls without saying so"
    for kept in page.evaluate(KEPT_IN_VIEW):
        assert kept["kept"], f"{name} at 360 px: {kept['caption']} scrolls with no column kept in view"
        assert kept["scrolled"] > 0 and abs(kept["left"]) <= 2, f"{name} at 360 px: {kept} left the view"
        assert 90 <= kept["width"] <= 150, f"{name} at 360 px: the kept column is squeezed or too wide: {kept}"
    assert_accessible(page)


def test_the_session_details_are_stacked_on_a_phone(transactional_db, live_server, page, login):
    email, url = session_details()
    login(page, email)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + url)
    password = page.locator("#session-password")
    box = password.bounding_box()
    assert box and box["x"] + box["width"] <= PHONE["width"], "the invigilator password is off screen"
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
