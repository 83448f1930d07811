"""Answer checking: qcu proposal number, qcm set of numbers, qroc normalised accepted answers."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from sessions_app.answers import canonical_choice_answer, is_correct, solution_errors


def challenge(type_, solution):
    return SimpleNamespace(type=type_, solution=solution)


def test_a_single_choice_is_right_only_with_the_solution_number():
    assert is_correct(challenge("qcu", "2"), "2")
    assert not is_correct(challenge("qcu", "2"), "1")
    assert not is_correct(challenge("qcu", "2"), "2,3")


def test_a_multiple_choice_needs_exactly_the_right_set_in_any_order():
    assert is_correct(challenge("qcm", "1,3"), "3,1")
    assert not is_correct(challenge("qcm", "1,3"), "1,3,4")
    assert not is_correct(challenge("qcm", "1,3"), "1,1,3")


@pytest.mark.parametrize("given", ["Hameçonnage", " hameconnage. ", "HAMEÇONNAGE", "filoutage"])
def test_a_short_answer_accepts_any_accepted_form_once_normalised(given):
    assert is_correct(challenge("qroc", "hameçonnage|filoutage"), given)


@pytest.mark.parametrize("given", ["Ctrl + C", "ctrl+c", "CTRL C", "ctrl-c"])
def test_a_shortcut_answer_ignores_spaces_around_plus_signs(given):
    assert is_correct(challenge("qroc", "Ctrl+C|ctrl c"), given)


def test_an_empty_answer_is_never_right():
    assert not is_correct(challenge("qroc", "x"), "   ")
    assert not is_correct(challenge("qcu", "1"), "")


def test_choice_answers_are_stored_sorted_without_duplicates():
    assert canonical_choice_answer("qcm", [3, 1, 3]) == "1,3"
    assert canonical_choice_answer("qcu", [2]) == "2"


@pytest.mark.parametrize(
    ("type_", "proposals", "solution"),
    [
        ("qcu", ["a", "b"], "3"),
        ("qcu", ["a", "b"], "1,2"),
        ("qcm", ["a", "b", "c"], "2"),
        ("qcm", ["a", "a", "c"], "1,2"),
        ("qroc", ["a"], "a"),
        ("qroc", [], ""),
        ("xyz", [], "a"),
    ],
)
def test_it_finds_solutions_that_do_not_fit_their_proposals(type_, proposals, solution):
    assert solution_errors(type_, proposals, solution)


def test_a_valid_solution_has_no_error():
    assert solution_errors("qcm", ["a", "b", "c"], "1,3") == []
