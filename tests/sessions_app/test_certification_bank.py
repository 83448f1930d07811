"""The demo question bank file and its loading command."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sessions_app.answers import is_correct, solution_errors
from sessions_app.competences import COMPETENCE_CODES
from sessions_app.management.commands.load_challenges import DEFAULT_FILE
from sessions_app.models import Challenge

BANK = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))


def test_the_bank_has_at_least_288_challenges():
    assert len(BANK) >= 288


@pytest.mark.parametrize("competence", COMPETENCE_CODES)
def test_every_competence_has_three_distinct_challenges_at_each_level_from_1_to_6(competence):
    for level in range(1, 7):
        items = [c for c in BANK if c["competence"] == competence and c["level"] == level]
        assert len({c["instruction"] for c in items}) >= 3, (competence, level)


def test_no_two_challenges_share_a_code_or_an_instruction():
    assert len({c["code"] for c in BANK}) == len(BANK)
    assert len({c["instruction"] for c in BANK}) == len(BANK)


def test_the_bank_mixes_the_three_types():
    types = Counter(c["type"] for c in BANK)
    assert set(types) == {"qcu", "qcm", "qroc"}
    assert min(types.values()) >= 30


@pytest.mark.parametrize("flag", ["has_image", "has_attachment", "has_embed", "is_focus", "timer_seconds"])
def test_the_flags_the_neutralisation_rules_need_all_occur(flag):
    assert sum(1 for c in BANK if c.get(flag)) >= 5


def test_every_solution_is_valid_for_its_proposals():
    problems = {c["code"]: solution_errors(c["type"], c.get("proposals", []), c["solution"]) for c in BANK}
    assert {code: errors for code, errors in problems.items() if errors} == {}


def test_every_solution_solves_its_own_challenge():
    for item in BANK:
        challenge = Challenge(type=item["type"], solution=item["solution"])
        answer = item["solution"].split("|")[0] if item["type"] == "qroc" else item["solution"]
        assert is_correct(challenge, answer), item["code"]


def test_the_right_answers_are_spread_over_the_proposals():
    positions = Counter(c["solution"] for c in BANK if c["type"] == "qcu")
    assert max(positions.values()) < 0.5 * sum(positions.values())


def test_loading_the_bank_twice_creates_each_challenge_once(db):
    call_command("load_challenges", stdout=io.StringIO())
    call_command("load_challenges", stdout=io.StringIO())
    assert Challenge.objects.count() == len(BANK)


def test_loading_updates_a_challenge_edited_in_the_database(db):
    call_command("load_challenges", stdout=io.StringIO())
    Challenge.objects.filter(code=BANK[0]["code"]).update(instruction="modifiée")
    call_command("load_challenges", stdout=io.StringIO())
    assert Challenge.objects.get(code=BANK[0]["code"]).instruction == BANK[0]["instruction"]


def test_an_invalid_file_is_refused_and_loads_nothing(db, tmp_path: Path):
    bad = tmp_path / "bank.json"
    bad.write_text(json.dumps([{**BANK[0], "solution": "9"}, BANK[1]]), encoding="utf-8")
    with pytest.raises(CommandError, match="hors des propositions"):
        call_command("load_challenges", file=bad, stdout=io.StringIO())
    assert Challenge.objects.count() == 0


def test_the_demo_data_loads_the_bank(db):
    call_command("seed_demo", stdout=io.StringIO())
    assert Challenge.objects.count() == len(BANK)
