"""The invigilator sees which candidates need an adjustment, before and after the start."""

from __future__ import annotations

from django.urls import reverse

from tests.factories import CandidateFactory
from tests.invigilation.conftest import start

BADGE = '<span class="badge badge-warning candidate-adjustment">Besoin d\'un aménagement</span>'


def row_of(html: str, name: str) -> str:
    start_at = html.index(name)
    return html[html.rindex("<li", 0, start_at) : html.index("</li>", start_at)]


def test_the_presence_row_of_a_candidate_who_needs_an_adjustment_says_so(invigilator_client, session):
    CandidateFactory(session=session, last_name="Abel", first_name="Léa", needs_adjustment=True)
    CandidateFactory(session=session, last_name="Bruno", first_name="Marc")
    html = invigilator_client.get(reverse("invigilation:session", args=[session.pk])).content.decode()
    assert BADGE in row_of(html, "ABEL Léa")
    assert BADGE not in row_of(html, "BRUNO Marc")


def test_the_row_of_a_started_candidate_keeps_the_adjustment(invigilator_client, session):
    start(CandidateFactory(session=session, last_name="Abel", first_name="Léa", needs_adjustment=True))
    html = invigilator_client.get(reverse("invigilation:candidate_list", args=[session.pk])).content.decode()
    assert BADGE in row_of(html, "ABEL Léa")
