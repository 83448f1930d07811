"""The test is drawn at first start: 3 challenges per competence of level ≥ 1, at or below it."""

from __future__ import annotations

import pytest

from pixcertif.core.errors import DomainError
from sessions_app.competences import COMPETENCE_CODES
from sessions_app.models import Certification, CertificationChallenge
from sessions_app.services.certification import candidate_set_presence, certification_start, draw_challenges
from tests.factories import CandidateFactory, ChallengeFactory, ProfileFactory, UserFactory, make_bank

LEVELS = {"1.1": 3, "2.1": 1, "3.4": 6, "4.1": 2, "5.2": 4, "1.2": 0}


@pytest.fixture
def bank(db):
    return make_bank()


def test_it_draws_three_challenges_per_competence_of_level_one_or_more(bank):
    drawn = draw_challenges(LEVELS, seed=1)
    assert len(drawn) == 15
    assert {c.competence for c in drawn} == {"1.1", "2.1", "3.4", "4.1", "5.2"}
    for code in ("1.1", "2.1", "3.4", "4.1", "5.2"):
        assert sum(1 for c in drawn if c.competence == code) == 3


def test_it_draws_only_challenges_at_or_below_the_competence_level(bank):
    drawn = draw_challenges(LEVELS, seed=2)
    assert all(c.level <= LEVELS[c.competence] for c in drawn)


def test_it_puts_the_highest_levels_first(db):
    for level in (1, 2, 3):
        ChallengeFactory.create_batch(2, competence="1.1", level=level)
    drawn = draw_challenges({"1.1": 3}, seed=3)
    assert [c.level for c in drawn] == [3, 3, 2]


def test_it_never_draws_the_same_challenge_twice(bank):
    drawn = draw_challenges(dict.fromkeys(COMPETENCE_CODES, 6), seed=4)
    assert len(drawn) == 48
    assert len({c.pk for c in drawn}) == 48


def test_it_is_deterministic_for_a_seed(bank):
    assert [c.pk for c in draw_challenges(LEVELS, seed=42)] == [c.pk for c in draw_challenges(LEVELS, seed=42)]


def test_it_draws_differently_with_another_seed(bank):
    draws = {tuple(c.pk for c in draw_challenges(LEVELS, seed=seed)) for seed in range(5)}
    assert len(draws) > 1


def test_it_ignores_inactive_challenges_and_unusable_levels(db):
    ChallengeFactory(competence="1.1", level=1, is_active=False)
    kept = ChallengeFactory(competence="1.1", level=1)
    assert draw_challenges({"1.1": 1, "2.1": "beaucoup", "2.2": None}, seed=5) == [kept]


def test_the_first_start_stores_the_drawn_challenges_in_order(bank):
    user = UserFactory()
    ProfileFactory(user=user, levels=LEVELS)
    candidate = CandidateFactory(user=user)
    candidate_set_presence(candidate=candidate, present=True, by=None)
    certification = certification_start(candidate=candidate, user=user)
    stored = list(CertificationChallenge.objects.filter(certification=certification).order_by("index"))
    assert [q.index for q in stored] == list(range(15))
    assert [q.challenge_id for q in stored] == [c.pk for c in draw_challenges(LEVELS, certification.seed)]


def test_a_profile_with_four_competences_is_not_certifiable(bank):
    user = UserFactory()
    ProfileFactory(user=user, levels={"1.1": 5, "1.2": 5, "1.3": 5, "2.1": 5})
    candidate = CandidateFactory(user=user)
    candidate_set_presence(candidate=candidate, present=True, by=None)
    with pytest.raises(DomainError) as error:
        certification_start(candidate=candidate, user=user)
    assert error.value.code == "not_certifiable"
    candidate.refresh_from_db()
    assert candidate.authorized_to_start


def test_a_profile_with_level_one_in_five_competences_is_certifiable(bank):
    user = UserFactory()
    ProfileFactory(user=user, levels=dict.fromkeys(["1.1", "1.2", "1.3", "2.1", "2.2"], 1))
    candidate = CandidateFactory(user=user)
    candidate_set_presence(candidate=candidate, present=True, by=None)
    assert certification_start(candidate=candidate, user=user).challenges.count() == 15


def test_it_refuses_to_start_a_test_with_an_empty_bank(db):
    user = UserFactory()
    ProfileFactory(user=user)
    candidate = CandidateFactory(user=user)
    candidate_set_presence(candidate=candidate, present=True, by=None)
    with pytest.raises(DomainError) as error:
        certification_start(candidate=candidate, user=user)
    assert error.value.code == "no_challenges"
    assert not Certification.objects.filter(candidate=candidate).exists()
