"""`quick_answer` reads an answer POST as `AnswerForm` cleans it, without building the form: on every
kind of post, it gives the form's answer or None (then the form decides and says what is wrong)."""

from __future__ import annotations

import itertools

import pytest
from django.http import QueryDict

from sessions_app.forms.certifications import AnswerForm, quick_answer
from sessions_app.models import Challenge, ChallengeType

PROPOSALS = ["Un", "Deux", "Trois", "Quatre", "Cinq", "Six", "Sept", "Huit", "Neuf", "Dix", "Onze", "Douze"]
INDEXES = [None, "", "0", "7", "10000", "10001", "00012", " 3", "3.0", "-1", "x", "²", "٣"]
ACTIONS = [None, "", "answer", "skip", "Skip", "other"]
CHOICES = [
    [],
    [""],
    ["1"],
    ["3"],
    ["12"],
    ["13"],
    ["0"],
    ["01"],
    [" 1"],
    ["1", "3"],
    ["3", "1", "3"],
    ["1", "99"],
    ["abc"],
    ["٣"],
    ["1", ""],
]
TEXTS = [None, "", "   ", "tableur", "  Tableur  ", "a" * 500, " " + "a" * 500 + " ", "a" * 501, "nul\x00", "é « ü »"]


def _post(index, action, answers) -> QueryDict:
    data = QueryDict(mutable=True)
    if index is not None:
        data["index"] = index
    if action is not None:
        data["action"] = action
    for value in answers:
        data.appendlist("answer", value)
    return data


def _form_answer(challenge, data) -> str | None:
    form = AnswerForm(data, challenge=challenge)
    return form.cleaned_data["answer"] if form.is_valid() else None


@pytest.mark.parametrize(
    ("kind", "count"), [(ChallengeType.SINGLE, 4), (ChallengeType.MULTIPLE, 5), (ChallengeType.MULTIPLE, 12)]
)
def test_choices_read_as_the_form_reads_them(kind, count):
    challenge = Challenge(type=kind, proposals=PROPOSALS[:count], solution="1")
    quick_ones = 0
    for index, action, answers in itertools.product(INDEXES, ACTIONS, CHOICES):
        data = _post(index, action, answers)
        quick = quick_answer(challenge, data)
        expected = _form_answer(challenge, data)
        assert quick is None or quick == expected, (index, action, answers, quick, expected)
        quick_ones += quick is not None
    assert quick_ones > 20  # the usual posts do not build the form


def test_a_short_answer_reads_as_the_form_reads_it():
    challenge = Challenge(type=ChallengeType.SHORT, proposals=[], solution="tableur")
    quick_ones = 0
    for index, action, text in itertools.product(INDEXES, ACTIONS, TEXTS):
        data = _post(index, action, [] if text is None else [text])
        quick = quick_answer(challenge, data)
        expected = _form_answer(challenge, data)
        assert quick is None or quick == expected, (index, action, text, quick, expected)
        quick_ones += quick is not None
    assert quick_ones > 20


@pytest.mark.parametrize(
    ("kind", "answers", "expected"),
    [
        (ChallengeType.SINGLE, ["2"], "2"),
        (ChallengeType.MULTIPLE, ["3", "1", "3"], "1,3"),
        (ChallengeType.SHORT, ["  Tableur "], "Tableur"),
    ],
)
def test_the_usual_posts_are_read_without_the_form(kind, answers, expected):
    challenge = Challenge(type=kind, proposals=PROPOSALS[:4], solution="1")
    assert quick_answer(challenge, _post("4", "answer", answers)) == expected
    assert quick_answer(challenge, _post("4", "skip", answers)) == ""


@pytest.mark.parametrize(
    ("kind", "answers"),
    [
        (ChallengeType.SINGLE, []),
        (ChallengeType.SINGLE, ["5"]),
        (ChallengeType.MULTIPLE, []),
        (ChallengeType.SHORT, ["   "]),
        (ChallengeType.SHORT, ["a" * 501]),
    ],
)
def test_what_the_form_refuses_is_left_to_the_form(kind, answers):
    challenge = Challenge(type=kind, proposals=PROPOSALS[:4], solution="1")
    data = _post("4", "answer", answers)
    assert quick_answer(challenge, data) is None
    assert not AnswerForm(data, challenge=challenge).is_valid()
