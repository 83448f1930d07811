"""Answer checking for the three challenge types.

Stored forms (`Challenge.solution` and `CertificationChallenge.answer` alike):

- qcu (single choice): the 1-based number of the proposal, e.g. ``"2"``;
- qcm (multiple choice): the numbers joined by ``","``, in any order, e.g. ``"1,3"``;
- qroc (short answer): the accepted answers joined by ``"|"``, compared after normalisation
  (case, accents, spaces, hyphens, apostrophes, a final full stop), e.g. ``"Ctrl+C|ctrl c"``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from sessions_app.models import ChallengeType
from sessions_app.normalize import normalize_name

MAX_ANSWER_LENGTH = 500
_PLUS = re.compile(r"\s*\+\s*")


def normalize_short_answer(value: str) -> str:
    """'  Ctrl + C. ' → 'ctrl+c': normalize_name, then tidy '+' and a trailing full stop."""
    text = normalize_name(value).rstrip(".").strip()
    return _PLUS.sub("+", text)


def _numbers(value: str) -> list[int] | None:
    parts = [part.strip() for part in (value or "").split(",")]
    if not parts or any(not part.isdigit() for part in parts):
        return None
    return [int(part) for part in parts]


def canonical_choice_answer(challenge_type: str, numbers: Iterable[int]) -> str:
    """The stored form of a choice answer: '2' (qcu) or '1,3' sorted without duplicates (qcm)."""
    values = sorted(set(numbers))
    if challenge_type == ChallengeType.SINGLE:
        return str(values[0]) if values else ""
    return ",".join(str(v) for v in values)


def is_correct(challenge: Any, answer: str) -> bool:
    """Whether `answer` (stored form) solves `challenge` (anything with type and solution)."""
    if not answer:
        return False
    if challenge.type == ChallengeType.SHORT:
        given = normalize_short_answer(answer)
        return bool(given) and any(given == normalize_short_answer(ok) for ok in challenge.solution.split("|"))
    given_numbers = _numbers(answer)
    expected = _numbers(challenge.solution)
    if given_numbers is None or expected is None:
        return False
    if challenge.type == ChallengeType.SINGLE:
        return len(given_numbers) == 1 and given_numbers == expected
    return sorted(set(given_numbers)) == sorted(set(expected)) and len(given_numbers) == len(set(given_numbers))


def solution_errors(challenge_type: str, proposals: Sequence[str], solution: str) -> list[str]:
    """Why a challenge's solution does not fit its proposals (empty list: it does)."""
    errors: list[str] = []
    if challenge_type not in ChallengeType.values:
        return [_("type inconnu « %(type)s »") % {"type": challenge_type}]
    if challenge_type == ChallengeType.SHORT:
        if proposals:
            errors.append(_("une réponse courte n'a pas de propositions"))
        accepted = [part for part in solution.split("|") if normalize_short_answer(part)]
        if not accepted or len(accepted) != len(solution.split("|")):
            errors.append(_("solution vide"))
        return errors
    if len(proposals) < 2:
        errors.append(_("au moins deux propositions"))
    if len({normalize_name(p) for p in proposals}) != len(proposals):
        errors.append(_("propositions en double"))
    numbers = _numbers(solution)
    if numbers is None:
        return [*errors, _("solution « %(solution)s » : des numéros de propositions") % {"solution": solution}]
    if any(n < 1 or n > len(proposals) for n in numbers):
        errors.append(_("solution « %(solution)s » hors des propositions") % {"solution": solution})
    if len(set(numbers)) != len(numbers):
        errors.append(_("numéro en double dans la solution"))
    if challenge_type == ChallengeType.SINGLE and len(numbers) != 1:
        errors.append(_("un choix unique a exactement une bonne réponse"))
    if challenge_type == ChallengeType.MULTIPLE and len(numbers) < 2:
        errors.append(_("un choix multiple a au moins deux bonnes réponses"))
    return errors
