"""The test pages: permissions, one question a page, "Valider" / "Je passe", forged input."""

from __future__ import annotations

import html

import pytest

from sessions_app.models import CertificationChallenge, ChallengeType
from sessions_app.services.certification import candidate_set_presence
from tests.factories import CandidateFactory, ChallengeFactory, ProfileFactory, UserFactory


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def started(client, db):
    """A candidate who started a 15-question test in `client`: a single choice, a multiple choice and a
    short answer first (competence 1.1 at levels 3, 2, 1: highest first), then single choices."""
    ChallengeFactory(competence="1.1", level=3, instruction="Choix unique 1.1")
    ChallengeFactory(competence="1.1", level=2, type=ChallengeType.MULTIPLE, solution="1,3")
    ChallengeFactory(competence="1.1", level=1, type=ChallengeType.SHORT, proposals=[], solution="Ctrl+C")
    for code in ("1.2", "1.3", "2.1", "2.2"):
        ChallengeFactory.create_batch(3, competence=code, level=1)
    user = UserFactory()
    ProfileFactory(user=user, levels={"1.1": 3, "1.2": 1, "1.3": 1, "2.1": 1, "2.2": 1})
    candidate = CandidateFactory(user=user)
    candidate_set_presence(candidate=candidate, present=True, by=None)
    client.force_login(user)
    client.post(f"/certifications/candidat/{candidate.pk}", {"access_code": candidate.session.access_code})
    return candidate.certification


def url(certification, suffix=""):
    return f"/certifications/{certification.pk}{suffix}"


def post(client, certification, index, **data):
    return client.post(url(certification, "/reponse"), {"index": index, "action": "answer", **data})


def current(certification):
    certification.refresh_from_db()
    return certification.current_index


@pytest.mark.parametrize("path", ["/certifications", "/certifications/candidat/1", "/certifications/1"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith(f"/connexion?next={path}")


def test_a_get_on_the_answer_url_is_not_allowed(client, started):
    assert client.get(url(started, "/reponse")).status_code == 405


def test_another_candidate_certification_is_a_404(client, started):
    client.force_login(UserFactory())
    assert client.get(url(started)).status_code == 404
    assert post(client, started, 0, answer="1").status_code == 404
    assert client.get(f"/certifications/candidat/{started.candidate_id}").status_code == 404
    assert current(started) == 0


def test_the_question_page_shows_the_progress_the_instruction_and_both_buttons(client, started):
    content = text(client.get(url(started)))
    assert "Question 1 / 15" in content
    assert '<progress id="progress" max="15" value="0"' in content
    question = CertificationChallenge.objects.select_related("challenge").get(certification=started, index=0)
    assert question.challenge.instruction in content
    assert 'type="radio"' in content
    assert ">Valider</button>" in content
    assert ">Je passe</button>" in content


def test_a_timed_challenge_shows_its_time_limit(client, started):
    question = CertificationChallenge.objects.get(certification=started, index=0)
    question.challenge.timer_seconds = 90
    question.challenge.save()
    assert "vous disposez de 1 min 30 s" in text(client.get(url(started)))


def test_validating_without_an_answer_shows_an_error_under_the_question(client, started):
    response = post(client, started, 0)
    assert response.status_code == 200
    assert "ou cliquez sur « Je passe »" in text(response)
    assert current(started) == 0


def test_je_passe_moves_to_the_next_question_and_loses_this_one(client, started):
    response = client.post(url(started, "/reponse"), {"index": 0, "action": "skip"})
    assert response.url == url(started)
    assert CertificationChallenge.objects.get(certification=started, index=0).result == "skipped"
    assert "Question 2 / 15" in text(client.get(url(started)))


def test_a_second_post_of_the_same_answer_just_redirects(client, started):
    post(client, started, 0, answer="1")
    response = post(client, started, 0, answer="1")
    assert response.status_code == 302
    assert current(started) == 1
    assert CertificationChallenge.objects.filter(certification=started).exclude(result="").count() == 1


def test_going_back_to_change_an_answer_is_refused(client, started):
    post(client, started, 0, answer="2")
    response = post(client, started, 0, answer="1")
    assert "pas possible d'y revenir" in text(client.get(response.url))
    assert CertificationChallenge.objects.get(certification=started, index=0).answer == "2"


@pytest.mark.parametrize("index", ["5", "abc", "", "-3", "99999999999999999999"])
def test_a_forged_index_is_refused(client, started, index):
    response = client.post(url(started, "/reponse"), {"index": index, "action": "answer", "answer": "1"})
    assert response.status_code == 302
    assert current(started) == 0
    assert not CertificationChallenge.objects.filter(certification=started).exclude(result="").exists()


def test_a_proposal_that_does_not_exist_is_refused(client, started):
    response = post(client, started, 0, answer="7")
    assert response.status_code == 200
    assert current(started) == 0


def test_a_multiple_choice_shows_checkboxes_and_accepts_several_answers(client, started):
    post(client, started, 0, answer="1")
    assert 'type="checkbox"' in text(client.get(url(started)))
    client.post(url(started, "/reponse"), {"index": 1, "action": "answer", "answer": ["3", "1"]})
    stored = CertificationChallenge.objects.get(certification=started, index=1)
    assert (stored.answer, stored.result) == ("1,3", "ok")


def test_a_short_answer_shows_a_text_input_and_is_compared_normalised(client, started):
    post(client, started, 0, answer="1")
    post(client, started, 1, answer=["1", "3"])
    assert 'maxlength="500"' in text(client.get(url(started)))
    post(client, started, 2, answer=" ctrl + c ")
    assert CertificationChallenge.objects.get(certification=started, index=2).result == "ok"


def test_a_huge_answer_text_is_refused_cleanly(client, started):
    post(client, started, 0, answer="1")
    post(client, started, 1, answer=["1", "3"])
    response = post(client, started, 2, answer="x" * 100_000)
    assert response.status_code == 200
    assert "trop longue" in text(response)
    assert current(started) == 2


def test_finishing_the_last_question_shows_the_end_screen(client, started):
    for index in range(15):
        client.post(url(started, "/reponse"), {"index": index, "action": "skip"})
    started.refresh_from_db()
    assert started.state == "completed"
    content = text(client.get(url(started)))
    assert "Votre test de certification est terminé" in content
    assert "Vous avez répondu à toutes les questions" in content
