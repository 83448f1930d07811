"""/sessions/<id>/surveiller: the page an invigilator keeps open on a phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import CertificationState
from tests.factories import CandidateFactory, SessionFactory
from tests.invigilation.conftest import finalize, finish, start


def url(session, **query):
    base = reverse("invigilation:session", args=[session.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def page(client, session, **query) -> str:
    response = client.get(url(session, **query))
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_session_header_an_invigilator_needs(invigilator_client, session):
    session.examiner = "Mme Dupont, M. Martin"
    session.time = dt.time(9, 0)
    session.save()
    html = page(invigilator_client, session)
    assert f"Session {session.pk}" in html
    assert f"{session.date:%d/%m/%Y} · 09:00" in html
    for text in ["Site", session.address, "Salle", session.room, "Surveillants", "Mme Dupont, M. Martin"]:
        assert text in html
    assert session.access_code in html
    assert ">Quitter<" in html


def test_it_shows_the_instruction_of_the_guide(invigilator_client, session):
    assert (
        "Cochez chaque candidat présent dans la salle de test pour l'autoriser à commencer son test de "
        "certification." in page(invigilator_client, session)
    )


def test_it_lists_candidates_sorted_by_name_with_their_birth_date(invigilator_client, session):
    CandidateFactory(session=session, last_name="Durand", first_name="Simon", birth_date=dt.date(1988, 3, 9))
    CandidateFactory(session=session, last_name="delarue", first_name="Sophie", birth_date=dt.date(2001, 7, 4))
    CandidateFactory(session=session, last_name="Dupont", first_name="Paul", birth_date=dt.date(1997, 5, 21))
    html = page(invigilator_client, session)
    positions = [html.index(name) for name in ["DELARUE Sophie", "DUPONT Paul", "DURAND Simon"]]
    assert positions == sorted(positions)
    assert "04/07/2001" in html


def test_it_counts_present_candidates_including_those_who_started(invigilator_client, session):
    CandidateFactory(session=session, authorized_to_start=True)
    start(CandidateFactory(session=session))
    CandidateFactory(session=session)
    assert "<strong>2/3</strong> candidats présents" in page(invigilator_client, session)


def test_a_ticked_candidate_shows_a_ticked_box(invigilator_client, session):
    candidate = CandidateFactory(session=session, authorized_to_start=True)
    html = page(invigilator_client, session)
    assert f'id="presence-{candidate.pk}" name="present" value="1" checked' in html


def test_a_started_candidate_has_no_box_but_en_cours_with_start_and_theoretical_end(invigilator_client, session):
    candidate = CandidateFactory(session=session, extra_time_percentage=30)
    start(candidate, started_at=timezone.make_aware(dt.datetime(2030, 1, 10, 9, 0)))
    html = page(invigilator_client, session)
    assert f'id="presence-{candidate.pk}"' not in html
    assert "En cours" in html
    # 1 h 45 lengthened by 30 % = 2 h 16 min 30 s.
    assert "Début 09:00 · fin théorique 11:16" in html
    assert "(temps majoré 30 %)" in html


def test_a_started_candidate_has_the_two_actions_behind_confirmations(invigilator_client, session):
    candidate = CandidateFactory(session=session)
    start(candidate)
    html = page(invigilator_client, session)
    assert reverse("invigilation:authorize_resume", args=[session.pk, candidate.pk]) in html
    assert reverse("invigilation:end_test", args=[session.pk, candidate.pk]) in html
    assert 'data-confirm="#dialog-resume"' in html and 'id="dialog-resume"' in html
    assert 'data-confirm="#dialog-end"' in html and 'id="dialog-end"' in html


@pytest.mark.parametrize(
    ("state", "label"),
    [
        (CertificationState.COMPLETED, "Terminé<"),
        (CertificationState.ENDED_BY_INVIGILATOR, "Terminé par le surveillant"),
    ],
)
def test_a_finished_test_shows_its_end_and_no_actions(invigilator_client, session, state, label):
    candidate = CandidateFactory(session=session)
    finish(candidate, state)
    html = page(invigilator_client, session)
    assert label in html
    assert reverse("invigilation:end_test", args=[session.pk, candidate.pk]) not in html


def test_the_search_filters_the_list_on_the_server_without_javascript(invigilator_client, session):
    CandidateFactory(session=session, last_name="Élodie-Martin", first_name="Anne")
    CandidateFactory(session=session, last_name="Durand", first_name="Simon")
    html = page(invigilator_client, session, q="elodie%20martin")
    assert "ÉLODIE-MARTIN Anne" in html
    assert "DURAND Simon" not in html
    assert "<strong>0/2</strong> candidats présents" in html


def test_a_search_with_no_match_says_so(invigilator_client, session):
    CandidateFactory(session=session)
    assert "Aucun candidat ne correspond à votre recherche." in page(invigilator_client, session, q="zzz")


def test_an_empty_session_says_no_candidate_is_enrolled(invigilator_client, session):
    assert "Aucun candidat n'est inscrit à cette session." in page(invigilator_client, session)


def test_it_offers_a_refresh_link_for_browsers_without_javascript(invigilator_client, session):
    assert f'href="{url(session)}">Actualiser</a>' in page(invigilator_client, session)


def test_the_list_polls_its_fragment_every_five_seconds_with_htmx(invigilator_client, session):
    html = page(invigilator_client, session)
    assert f'hx-get="{reverse("invigilation:candidate_list", args=[session.pk])}"' in html
    assert 'hx-trigger="every 5s' in html
    assert "htmx" in html and "invigilation.js" in html


def test_a_finalised_session_is_shown_read_only(invigilator_client, session):
    candidate = CandidateFactory(session=session)
    start(CandidateFactory(session=session))
    finalize(session)
    html = page(invigilator_client, session)
    assert "Cette session est finalisée" in html
    assert f'id="presence-{candidate.pk}"' not in html
    assert 'class="candidate-menu"' not in html


def test_it_does_not_show_other_sessions_candidates(invigilator_client, session):
    CandidateFactory(session=SessionFactory(), last_name="Ailleurs")
    assert "AILLEURS" not in page(invigilator_client, session)


@pytest.mark.parametrize("count", [3, 40])
def test_the_page_query_count_does_not_grow_with_candidates(
    invigilator_client, session, count, django_assert_max_num_queries
):
    for i in range(count):
        candidate = CandidateFactory(session=session, extra_time_percentage=10)
        if i % 3 == 1:
            start(candidate)
        elif i % 3 == 2:
            finish(candidate)
    # + the open alerts and the reports entered during the session: one query each, whatever their number;
    # + the list's stamps (read before the rows, for the copy's ETag).
    with django_assert_max_num_queries(8):
        page(invigilator_client, session)


@pytest.mark.parametrize("count", [3, 40])
def test_the_fragment_query_count_does_not_grow_with_candidates(
    invigilator_client, session, count, django_assert_max_num_queries
):
    for i in range(count):
        candidate = CandidateFactory(session=session, extra_time_percentage=10)
        if i % 2:
            start(candidate)
    with django_assert_max_num_queries(2):  # the stamps with the access, then the rows (one query)
        response = invigilator_client.get(reverse("invigilation:candidate_list", args=[session.pk]))
    assert response.status_code == 200
