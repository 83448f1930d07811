"""A candidate who needs an adjustment draws only accessible questions (with a documented fallback)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from sessions_app.management.commands.load_challenges import DEFAULT_FILE, read_bank
from sessions_app.models import CertificationChallenge, Challenge
from sessions_app.services.certification import candidate_set_presence, certification_start, draw_challenges
from tests.factories import CandidateFactory, ChallengeFactory, ProfileFactory, UserFactory, certifiable_levels

CONSTRAINTS = ("has_image", "has_attachment", "has_embed", "is_focus")


def test_the_bank_file_marks_accessible_exactly_the_questions_without_image_attachment_embed_or_focus():
    items = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    for item in items:
        assert bool(item.get("accessible")) == (not any(item.get(flag) for flag in CONSTRAINTS)), item["code"]
    assert 200 < sum(1 for item in items if item.get("accessible")) < len(items)


def test_load_challenges_stores_the_accessible_flag(db):
    call_command("load_challenges", stdout=io.StringIO())
    assert Challenge.objects.filter(accessible=True).count() == sum(
        1 for item in json.loads(DEFAULT_FILE.read_text(encoding="utf-8")) if item.get("accessible")
    )
    assert not Challenge.objects.filter(accessible=True, has_image=True).exists()


def test_the_loader_refuses_an_accessible_question_with_an_image(tmp_path):
    bank = [
        {
            "code": "x-1",
            "competence": "1.1",
            "level": 1,
            "type": "qcu",
            "instruction": "Q",
            "proposals": ["a", "b"],
            "solution": "1",
            "has_image": True,
            "accessible": True,
        }
    ]
    path = tmp_path / "bank.json"
    path.write_text(json.dumps(bank), encoding="utf-8")
    with pytest.raises(CommandError, match="n'est pas accessible"):
        read_bank(path)


@pytest.fixture
def mixed_bank(db):
    """Competence 1.1: at each level 1–3, one accessible and two not (image, focus)."""
    for level in (1, 2, 3):
        ChallengeFactory(competence="1.1", level=level, accessible=True)
        ChallengeFactory(competence="1.1", level=level, has_image=True)
        ChallengeFactory(competence="1.1", level=level, is_focus=True)


def test_an_adjusted_draw_takes_only_accessible_questions_highest_level_first(mixed_bank):
    drawn = draw_challenges({"1.1": 3}, seed=1, accessible_only=True)
    assert [(c.level, c.accessible) for c in drawn] == [(3, True), (2, True), (1, True)]


def test_without_adjustment_the_draw_keeps_the_highest_levels_whatever_the_flag(mixed_bank):
    drawn = draw_challenges({"1.1": 3}, seed=1)
    assert [c.level for c in drawn] == [3, 3, 3]


def test_too_few_accessible_questions_are_completed_by_the_others_highest_first(mixed_bank):
    drawn = draw_challenges({"1.1": 2}, seed=1, accessible_only=True)
    assert [(c.level, c.accessible) for c in drawn] == [(2, True), (1, True), (2, False)]


def test_a_candidate_who_needs_an_adjustment_starts_a_test_of_accessible_questions(db):
    for code in ("1.1", "1.2", "1.3", "2.1", "2.2"):
        for level in (1, 2, 3):
            ChallengeFactory(competence=code, level=level, accessible=True)
            ChallengeFactory(competence=code, level=level, has_embed=True)
    user = UserFactory()
    ProfileFactory(user=user, levels=certifiable_levels(level=3, count=5))
    candidate = CandidateFactory(user=user, needs_adjustment=True)
    candidate_set_presence(candidate=candidate, present=True, by=None)
    certification = certification_start(candidate=candidate, user=user)
    stored = CertificationChallenge.objects.filter(certification=certification).select_related("challenge")
    assert stored.count() == 15
    assert all(q.challenge.accessible for q in stored)


@pytest.mark.parametrize(("adjusted", "expected"), [(True, True), (False, False)])
def test_a_live_alert_replacement_stays_accessible_for_an_adjusted_candidate(db, adjusted, expected):
    from sessions_app.services.live_alerts import _replacement_for
    from tests.factories import CertificationFactory

    asked = ChallengeFactory(competence="1.1", level=3, accessible=True)
    ChallengeFactory(competence="1.1", level=2, accessible=True)
    ChallengeFactory(competence="1.1", level=3, has_image=True)
    certification = CertificationFactory(candidate__needs_adjustment=adjusted, questions=[asked])
    question = CertificationChallenge.objects.get(certification=certification, index=0)
    replacement = _replacement_for(certification, question)
    assert replacement.accessible is expected
    assert replacement.level == (2 if adjusted else 3)
