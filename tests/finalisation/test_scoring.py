import pytest

from finalisation.jury.scoring import Outcome, certification_score, compute_result
from finalisation.jury.services import certification_cancel, certification_reject_for_fraud, challenge_neutralise
from sessions_app.models import JuryStatus
from tests.finalisation.builders import mark_finalised, take_test


def outcomes(spec: str, level: int = 3) -> list[Outcome]:
    """'ok,ok,ko|ok,ok,ok' → competences separated by |, N = neutralised wrong, n = neutralised right."""
    result = []
    codes = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"]
    for code, group in zip(codes, spec.split("|"), strict=False):
        for mark in group.split(","):
            result.append(Outcome(code, level, right=mark in ("ok", "n"), neutralized=mark in ("N", "n")))
    return result


ALL_RIGHT = "ok,ok,ok"


@pytest.mark.parametrize(
    ("spec", "rate", "validated", "levels", "pix"),
    [
        # everything right: every level confirmed, 8 pix × 5 × 3
        ("|".join([ALL_RIGHT] * 5), 1.0, True, [3, 3, 3, 3, 3], 120),
        # one wrong answer, rate 14/15 ≥ 80 %: 2 right still confirms
        ("ok,ok,ko|" + "|".join([ALL_RIGHT] * 4), 14 / 15, True, [3, 3, 3, 3, 3], 120),
        # rate 11/15 < 80 %: every competence with 2 right loses a level
        ("ok,ok,ko|ok,ok,ko|ok,ok,ko|ok,ok,ko|" + ALL_RIGHT, 11 / 15, True, [2, 2, 2, 2, 3], 88),
        # 1 right of 3: not certified in that competence
        ("ok,ko,ko|" + "|".join([ALL_RIGHT] * 4), 13 / 15, True, [0, 3, 3, 3, 3], 96),
        # exactly 50 %: still validated (only under 50 % is rejected)
        ("ok,ok,ok|ok,ok,ok|ok,ok,ko|ko,ko,ko|ko,ko,ko|ko,ko,ok", 0.5, True, [3, 3, 2, 0, 0, 0], 64),
        # under 50 %: rejected, 0 pix, nothing certified
        ("ok,ok,ko|ko,ko,ko|ko,ko,ko|ok,ok,ok|ko,ko,ko", 5 / 15, False, [0, 0, 0, 0, 0], 0),
        # a neutralised wrong answer leaves 2 right of 2: confirmed, and the rate counts 14 questions
        ("ok,ok,N|ok,ok,ko|" + "|".join([ALL_RIGHT] * 3), 13 / 14, True, [3, 3, 3, 3, 3], 120),
        # neutralising a right answer changes nothing
        ("ok,ok,n|" + "|".join([ALL_RIGHT] * 4), 1.0, True, [3, 3, 3, 3, 3], 120),
        # 1 right + 1 wrong + 1 neutralised: fewer than 2 right, not certified
        ("ok,ko,N|" + "|".join([ALL_RIGHT] * 4), 13 / 14, True, [0, 3, 3, 3, 3], 96),
        # everything neutralised in a competence: no evidence, not certified
        ("N,N,N|" + "|".join([ALL_RIGHT] * 4), 1.0, True, [0, 3, 3, 3, 3], 96),
        # neutralising turns a rejection into a validation (rate 7/14 = 50 %)
        ("ko,ko,N|ok,ok,ok|ok,ok,ok|ok,ko,ko|ko,ko,ko", 7 / 14, True, [0, 3, 3, 0, 0], 48),
    ],
)
def test_the_score_follows_the_rules(spec, rate, validated, levels, pix):
    result = compute_result(outcomes(spec))
    assert result.rate == pytest.approx(rate)
    assert result.validated is validated
    assert list(result.competence_levels.values()) == levels
    assert result.pix_score == pix


def test_a_level_one_competence_with_two_right_answers_and_a_low_rate_is_not_certified():
    spec = "ok,ok,ko|ok,ok,ko|ok,ok,ko|ok,ok,ko|" + ALL_RIGHT
    assert list(compute_result(outcomes(spec, level=1)).competence_levels.values()) == [0, 0, 0, 0, 1]


def test_a_test_with_no_question_is_rejected():
    result = compute_result([])
    assert (result.validated, result.pix_score, result.rate) == (False, 0, 0.0)


def test_the_competence_level_is_the_highest_level_drawn():
    mixed = [Outcome("1.1", 5, True), Outcome("1.1", 4, True), Outcome("1.1", 4, True)]
    assert compute_result(mixed).competence_levels == {"1.1": 5}


@pytest.fixture
def finalised(session):
    return mark_finalised(session)


def test_scoring_stores_the_result_on_the_certification(finalised):
    certification = take_test(finalised, results=["ok", "ok", "ko"] + ["ok"] * 12)
    certification_score(certification=certification)
    certification.refresh_from_db()
    assert certification.jury_status == JuryStatus.VALIDATED
    assert certification.pix_score == 120
    assert certification.competence_levels == {"1.1": 3, "1.2": 3, "1.3": 3, "2.1": 3, "2.2": 3}
    assert certification.scored_at is not None


def test_scoring_rejects_a_test_under_half_right(finalised):
    certification = take_test(finalised, results=["ok"] * 7 + ["ko"] * 4 + ["skipped", "", "", ""])
    certification_score(certification=certification)
    certification.refresh_from_db()
    assert (certification.jury_status, certification.pix_score) == (JuryStatus.REJECTED, 0)


def test_neutralising_a_question_scores_the_certification_again(finalised, admin_user):
    certification = take_test(finalised, results=["ko", "ko", "ko"] + ["ok"] * 5 + ["ko"] * 7)
    certification_score(certification=certification)
    certification.refresh_from_db()
    assert certification.jury_status == JuryStatus.REJECTED
    for row in certification.challenges.filter(result="ko")[:2]:
        challenge_neutralise(certification_challenge=row, by=admin_user)
    certification.refresh_from_db()
    assert certification.rate == pytest.approx(5 / 13, abs=1e-4)
    for row in certification.challenges.filter(result="ko", is_neutralized=False)[:3]:
        challenge_neutralise(certification_challenge=row, by=admin_user)
    certification.refresh_from_db()
    assert certification.rate == pytest.approx(0.5)
    assert certification.jury_status == JuryStatus.VALIDATED


def test_a_cancelled_certification_stays_cancelled_when_scored_again(finalised, admin_user):
    certification = take_test(finalised)
    certification_cancel(certification=certification, by=admin_user)
    certification_score(certification=certification)
    certification.refresh_from_db()
    assert certification.jury_status == JuryStatus.CANCELLED


def test_a_fraud_rejection_keeps_zero_pix_when_scored_again(finalised, admin_user):
    certification = take_test(finalised)
    certification_reject_for_fraud(certification=certification, by=admin_user)
    certification_score(certification=certification)
    certification.refresh_from_db()
    assert (certification.jury_status, certification.pix_score) == (JuryStatus.REJECTED, 0)
