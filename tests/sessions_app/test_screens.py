"""The question screen from frames (sessions_app/screens.py) is, character for character, what the
templates render: every challenge type and flag, odd characters to escape, both languages, the
whole page and htmx's swapped content; and what a frame cannot hold falls back to the templates."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.utils import translation
from django_htmx.middleware import HtmxDetails

from pixcertif.accounts import session_login
from pixcertif.core import frames
from sessions_app import challenge_content, screens, test_reads
from sessions_app.forms.certifications import AnswerForm
from sessions_app.models import Certification, Challenge, ChallengeType
from sessions_app.services.certification import candidate_set_presence
from sessions_app.views.certifications import _question_screen
from tests.factories import CandidateFactory, ProfileFactory, UserFactory, certifiable_levels, make_bank

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture(autouse=True)
def _fresh():
    screens.clear()
    challenge_content.clear()
    yield
    screens.clear()
    challenge_content.clear()


def _tokens_out(html: str) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value="…"', html)


@pytest.fixture
def started(client, db) -> Certification:
    make_bank(levels=[1])
    user = UserFactory(first_name="Zoé <b>", last_name="L'Étoile & Cie", email="zoe@example.test")
    ProfileFactory(user=user, levels=certifiable_levels(level=1, count=5))
    candidate = CandidateFactory(user=user)
    candidate_set_presence(candidate=candidate, present=True, by=None)
    client.force_login(user)
    client.post(f"/certifications/candidat/{candidate.pk}", {"access_code": candidate.session.access_code})
    return Certification.objects.get(candidate=candidate)


CHALLENGES = {
    "qcu": dict(type=ChallengeType.SINGLE, proposals=['Un "kilo" <octet>', "Un gigaoctet & plus"], solution="1"),
    "qcm": dict(type=ChallengeType.MULTIPLE, proposals=["A", "B", "C"], solution="1,2"),
    "qroc": dict(type=ChallengeType.SHORT, proposals=[], solution="ctrl+c"),
    "timed": dict(type=ChallengeType.SINGLE, proposals=["Oui", "Non"], solution="1", timer_seconds=90),
    "focus": dict(type=ChallengeType.SINGLE, proposals=["Oui", "Non"], solution="1", is_focus=True),
}


def _use(certification: Certification, kind: str, index: int) -> None:
    """Question `index` of the test becomes a `kind` challenge, with an instruction to escape."""
    question = certification.challenges.get(index=index)
    Challenge.objects.filter(pk=question.challenge_id).update(
        instruction="Que fait <Ctrl> & « C » ?\nDeux lignes.", **CHALLENGES[kind]
    )
    if index:
        certification.challenges.filter(index__lt=index).update(result="skipped", answer="")
        Certification.objects.filter(pk=certification.pk).update(current_index=index)


def _templates(user, certification_id: int, *, method: str = "get", htmx: bool = False) -> str:
    """The same screen rendered by the templates (the fallback path: an unbound form given)."""
    path = f"/certifications/{certification_id}" + ("/reponse" if method == "post" else "")
    request = getattr(RequestFactory(), method)(path, headers={"HX-Request": "true"} if htmx else {})
    request.user, request.session = user, SessionStore()
    request._messages = default_storage(request)
    request.htmx = HtmxDetails(request)
    certification = test_reads.for_page(certification_id, session_login.known(user))
    question = certification.current_question
    response = _question_screen(request, certification, question, AnswerForm(challenge=question.challenge))
    return response.content.decode()


@pytest.mark.parametrize("kind", sorted(CHALLENGES))
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_framed_page_is_what_the_templates_render(client, started, kind, language):
    _use(started, kind, 3)
    headers = {"Accept-Language": language}
    first = client.get(f"/certifications/{started.pk}", headers=headers).content.decode()
    again = client.get(f"/certifications/{started.pk}", headers=headers).content.decode()  # from the frame
    with translation.override(language):
        expected = _templates(started.user, started.pk)
    assert _tokens_out(first) == _tokens_out(again) == _tokens_out(expected)
    assert "Question 4 / 15" in first
    assert "Zoé &lt;b&gt; L&#x27;Étoile &amp; Cie" in first  # the name escaped as the templates do
    assert "&lt;Ctrl&gt; &amp; « C »" in first
    assert '<input type="hidden" name="index" value="3">' in first
    assert f'action="/certifications/{started.pk}/reponse"' in first


@pytest.mark.parametrize("kind", ["qcu", "qroc"])
def test_the_swapped_card_is_what_the_templates_render(client, started, kind):
    _use(started, kind, 1)
    response = client.post(
        f"/certifications/{started.pk}/reponse", {"index": 0, "action": "skip"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response["HX-Push-Url"] == f"/certifications/{started.pk}"
    html = response.content.decode()
    assert html.startswith("<title>Question 2 / 15 · Pix Certif</title>")
    assert _tokens_out(html) == _tokens_out(_templates(started.user, started.pk, method="post", htmx=True))


def test_one_frame_serves_every_candidate_of_a_challenge(client, started):
    client.get(f"/certifications/{started.pk}")
    client.get(f"/certifications/{started.pk}")
    (key,) = frames.keys("question")
    # Its holes are the request's values, nothing of one candidate's is kept in it.
    frame = frames.held(key)
    assert "Zoé" not in "".join(frame.parts)
    assert f"/certifications/{started.pk}" not in "".join(frame.parts)
    assert set(frame.holes) >= {"number", "total", "csrf", "user_name", "path", "answer_url", "live_token"}


def test_an_edited_challenge_gets_a_new_frame(client, started):
    assert "Question certification" not in client.get(f"/certifications/{started.pk}").content.decode()
    question = started.challenges.get(index=0)
    challenge = Challenge.objects.get(pk=question.challenge_id)
    challenge.instruction = "Question certification modifiée"
    challenge.save()
    assert "Question certification modifiée" in client.get(f"/certifications/{started.pk}").content.decode()


def test_messages_and_form_errors_come_from_the_templates(client, started):
    _use(started, "qcu", 0)
    invalid = client.post(f"/certifications/{started.pk}/reponse", {"index": 0, "answer": "9"})
    assert invalid.status_code == 200  # the question again, with the error under it
    assert "Choisissez parmi les réponses proposées." in invalid.content.decode()
    htmx = client.post(
        f"/certifications/{started.pk}/reponse", {"index": 0, "answer": "9"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "Choisissez parmi les réponses proposées." in htmx and 'aria-invalid="true"' in htmx
    # A refusal told by a message (a later question posted), shown once above the question.
    refused = client.post(f"/certifications/{started.pk}/reponse", {"index": 5, "answer": "1"}, follow=True)
    assert "Répondez d&#x27;abord à la question affichée." in refused.content.decode()
    assert "Question 1 / 15" in refused.content.decode()
    assert "Répondez d&#x27;abord" not in client.get(f"/certifications/{started.pk}").content.decode()
    assert len(frames.keys("question")) == 1  # the last page, from the frame


def test_the_frames_are_bounded(monkeypatch):
    monkeypatch.setattr(frames, "MAX_FRAMES", 3)
    for n in range(5):
        frames.frame(("key", n), lambda n=n: f"frame {n} {frames.hole('number')}")
    assert frames.keys("key") == [("key", 2), ("key", 3), ("key", 4)]
    assert frames.frame(("key", 4), lambda: "unused").fill({"number": "<7>"}) == "frame 4 &lt;7&gt;"


def test_test_urls_are_reverses():
    from django.urls import reverse

    for name in ("certifications:answer", "certifications:report", "certifications:heartbeat", "certifications:test"):
        assert screens.url_of(name, 4321) == reverse(name, args=[4321])
