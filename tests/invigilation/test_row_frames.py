"""The live list's rows from frames (invigilation/rows.py) are, character for character, what
`_candidate_row.html` renders: every shape of row the list can show, in both languages, in the
whole list and out of band, with and without a search, open and finalised."""

from __future__ import annotations

import itertools

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from invigilation.rows import RowLinks, row_html
from invigilation.selectors import CandidateRow
from pixcertif.core import frames

LINKS = RowLinks(
    presence="/s/1/c/7/presence", resume="/s/1/c/7/reprise", end="/s/1/c/7/fin", incident="/s/1/c/7/i?q=x", alert=""
)


@pytest.fixture(autouse=True)
def _fresh():
    frames.clear()
    yield
    frames.clear()


def rows() -> list[CandidateRow]:
    """Rows in every state, with the facts the template tests in many combinations."""
    found = []
    states = ["", "started", "completed", "ended_by_invigilator", "ended_by_finalisation"]
    for n, (state, ticked, expired, deadline, alert, inactive, answered, reports) in enumerate(
        itertools.product(
            states, [False, True], [False, True], [False, True], [False, True], [None, 12], [None, 0, 1, 7], [0, 1, 3]
        )
    ):
        if n % 7:  # a seventh of the 3,840 combinations, spread over all of them
            continue
        found.append(
            CandidateRow(
                pk=1000 + n,
                name=f"L'ÉTOILE <b>{n}</b> Zoé & Cie",
                birth="07/03/2010",
                search_text=f"l etoile {n} zoe",
                authorized_to_start=ticked,
                extra_time_percentage=[None, 30][n % 2],
                state=state,
                started="09:02" if state else "",
                theoretical_end="10:47" if state else "",
                needs_adjustment=bool(n % 3),
                alert_id=40 + n if alert else None,
                alert_number=5 if alert else None,
                alert_code="E1" if alert else "",
                last_answer_minutes=answered,
                inactive_minutes=inactive,
                deadline_passed=deadline,
                authorisation_expired=expired,
                reports=reports,
            )
        )
    return found


def template(row, *, query, finalized, oob) -> str:
    context = {"row": row, "links": LINKS, "csrf_token": "tok<en>", "query": query, "finalized": finalized}
    return render_to_string("invigilation/_candidate_row.html", {**context, "oob": oob})


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(("query", "finalized", "oob"), [("", False, False), ("dur", False, True), ("", True, False)])
def test_a_framed_row_is_what_the_template_renders(language, query, finalized, oob):
    with translation.override(language):
        for row in rows():
            expected = template(row, query=query, finalized=finalized, oob=oob)
            first = row_html(row, LINKS, csrf_token="tok<en>", query=query, finalized=finalized, oob=oob)
            again = row_html(row, LINKS, csrf_token="tok<en>", query=query, finalized=finalized, oob=oob)
            assert first == again == expected, row


def test_rows_of_the_same_shape_share_one_frame():
    base = rows()[0]
    other = CandidateRow(**{**{f: getattr(base, f) for f in base.__slots__}, "pk": 9, "name": "MARTIN Léo"})
    first = row_html(base, LINKS, csrf_token="a", query="", finalized=False, oob=False)
    second = row_html(other, LINKS, csrf_token="b", query="", finalized=False, oob=False)
    assert len(frames.keys("live-row")) == 1
    assert "MARTIN Léo" in second and "MARTIN Léo" not in first
    assert 'id="candidate-9"' in second


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_delta_from_its_frame_is_what_its_template_renders(language):
    from types import SimpleNamespace

    from django.utils.safestring import mark_safe

    from invigilation.rows import COUNTS, delta_html

    changed = [mark_safe('<li id="candidate-7">Dupont &amp; fils</li>'), mark_safe("<li id='candidate-9'>é</li>")]
    counts = [0, 1, 2, 3, 1500]
    with translation.override(language):
        for shown in itertools.product(counts, repeat=3):
            listing = SimpleNamespace(**dict(zip(COUNTS, (shown[0] + 4, shown[0] + 31, *shown), strict=True)))
            for rows_shown in ([], changed):
                expected = render_to_string(
                    "invigilation/_candidate_delta.html", {"rows": rows_shown, "listing": listing}
                )
                assert delta_html(rows_shown, listing) == expected
    assert len(frames.keys("live-delta")) == 3**3  # a frame per plural form of each count
