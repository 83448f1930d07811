"""Candidate side forms: join a session, enter the access code, answer a question."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sessions_app.answers import MAX_ANSWER_LENGTH, canonical_choice_answer
from sessions_app.codes import normalize_access_code
from sessions_app.models import Challenge, ChallengeType

MAX_SESSION_NUMBER = 2**63 - 1


class JoinForm(forms.Form):
    """Session number, first name, birth name, birth date (JJ / MM / AAAA)."""

    session_number = forms.CharField(
        label=_("Numéro de session"),
        max_length=18,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Indiquez le numéro de session communiqué par votre surveillant.")},
    )
    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": _("Indiquez votre prénom.")},
    )
    last_name = forms.CharField(
        label=_("Nom de naissance"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        error_messages={"required": _("Indiquez votre nom de naissance.")},
    )
    birth_day = forms.CharField(
        label=_("Jour (JJ)"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 2, "inputmode": "numeric", "autocomplete": "bday-day", "size": 2}),
    )
    birth_month = forms.CharField(
        label=_("Mois (MM)"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 2, "inputmode": "numeric", "autocomplete": "bday-month", "size": 2}),
    )
    birth_year = forms.CharField(
        label=_("Année (AAAA)"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 4, "inputmode": "numeric", "autocomplete": "bday-year", "size": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("birth_day", "birth_month", "birth_year"):
            self.fields[name].widget.attrs["aria-describedby"] = "birth-date-help birth-date-error"

    def clean_session_number(self) -> int:
        value = self.cleaned_data["session_number"].strip()
        if not value.isascii() or not value.isdigit() or int(value) < 1 or int(value) > MAX_SESSION_NUMBER:
            raise forms.ValidationError(
                _("Le numéro de session est composé uniquement de chiffres, par exemple 12345."), code="invalid"
            )
        return int(value)

    def clean(self) -> dict[str, Any]:
        """Combine JJ / MM / AAAA; a problem is reported once, on the date fieldset (`birth_day`)."""
        super().clean()
        cleaned = self.cleaned_data
        parts = [(cleaned.get(name) or "").strip() for name in ("birth_day", "birth_month", "birth_year")]
        if not all(parts):
            self.add_error("birth_day", _("Indiquez votre date de naissance : jour, mois et année."))
            return cleaned
        try:
            if not all(p.isascii() and p.isdigit() and len(p) <= 4 for p in parts) or len(parts[2]) != 4:
                raise ValueError
            birth_date = dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            self.add_error(
                "birth_day",
                _("La date de naissance n'est pas valide : saisissez-la au format JJ MM AAAA, par exemple 14 03 2011."),
            )
            return cleaned
        if birth_date.year < 1900 or birth_date > dt.date.today():
            self.add_error("birth_day", _("La date de naissance n'est pas valide."))
            return cleaned
        cleaned["birth_date"] = birth_date
        return cleaned


class AccessCodeForm(forms.Form):
    """The 6-character access code the invigilator announces (case-insensitive)."""

    access_code = forms.CharField(
        label=_("Code d'accès communiqué par le surveillant"),
        help_text=_("6 caractères, par exemple TQVF63"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "data-uppercase": "", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={
            "required": _("Saisissez le code d'accès communiqué par votre surveillant."),
            "min_length": _("Le code d'accès comporte 6 caractères."),
            "max_length": _("Le code d'accès comporte 6 caractères."),
        },
    )

    def clean_access_code(self) -> str:
        return normalize_access_code(self.cleaned_data["access_code"])


class AnswerForm(forms.Form):
    """The answer to one challenge: radio buttons (qcu), checkboxes (qcm) or a text input (qroc).
    `cleaned_data["answer"]` is the stored form (see sessions_app.answers)."""

    index = forms.IntegerField(min_value=0, max_value=10_000, widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[("answer", "answer"), ("skip", "skip")], required=False)

    def __init__(self, *args: Any, challenge: Challenge, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.challenge = challenge
        choices = [(str(i), text) for i, text in enumerate(challenge.proposals, start=1)]
        label = _("Votre réponse")
        if challenge.type == ChallengeType.SINGLE:
            field: forms.Field = forms.ChoiceField(
                label=label, choices=choices, required=False, widget=forms.RadioSelect
            )
        elif challenge.type == ChallengeType.MULTIPLE:
            field = forms.MultipleChoiceField(
                label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
            )
        else:
            field = forms.CharField(
                label=label,
                required=False,
                max_length=MAX_ANSWER_LENGTH,
                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            )
        field.error_messages["invalid_choice"] = _("Choisissez parmi les réponses proposées.")
        field.error_messages["max_length"] = _("Votre réponse est trop longue (500 caractères au maximum).")
        self.fields["answer"] = field

    @property
    def is_skip(self) -> bool:
        return self.cleaned_data.get("action") == "skip"

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if "answer" not in cleaned:
            return cleaned
        raw = cleaned.get("answer")
        if cleaned.get("action") == "skip":
            cleaned["answer"] = ""
            return cleaned
        if self.challenge.type == ChallengeType.SHORT:
            value = (raw or "").strip()
        elif self.challenge.type == ChallengeType.SINGLE:
            value = canonical_choice_answer(self.challenge.type, [int(raw)]) if raw else ""
        else:
            value = canonical_choice_answer(self.challenge.type, [int(v) for v in raw or []])
        if not value:
            self.add_error("answer", _("Choisissez ou saisissez une réponse, ou cliquez sur « Je passe »."))
        cleaned["answer"] = value
        return cleaned


# What AnswerForm accepts, read from its own fields (so that `quick_answer` cannot drift from it).
_HIGHEST_INDEX = AnswerForm.base_fields["index"].max_value  # type: ignore[attr-defined]
_ACTIONS = frozenset(value for value, _label in AnswerForm.base_fields["action"].choices) | {""}  # type: ignore[attr-defined]


def _plain_number(raw: Any, highest: int) -> int | None:
    """`raw` as a number from 0 to `highest` when written plainly (up to 5 ASCII digits), else None."""
    if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 5:
        number = int(raw)
        return number if number <= highest else None
    return None


def _choice_number(raw: Any, count: int) -> int | None:
    """The proposal number a posted choice names ("1" to `count` exactly, as the form's choices), else None."""
    number = _plain_number(raw, count)
    return number if number and raw[0] != "0" else None


def quick_answer(challenge: Challenge, data: Any) -> str | None:
    """What `AnswerForm(data, challenge=challenge)` cleans the answer to, for a post it accepts, read
    without building the form (each answer POST built one: about 5 % of the answer's CPU). None for
    anything else, or anything unusual: then the form decides, and says what is wrong. Checked
    against the form on every kind of post (tests/sessions_app/test_answer_form.py)."""
    if _plain_number(data.get("index"), _HIGHEST_INDEX) is None:
        return None
    action = data.get("action") or ""
    if action not in _ACTIONS:
        return None
    skip, count = action == "skip", len(challenge.proposals)
    if challenge.type == ChallengeType.SINGLE:
        raw = data.get("answer")
        if raw in (None, ""):
            return "" if skip else None
        number = _choice_number(raw, count)
        if number is None:
            return None
        return "" if skip else canonical_choice_answer(challenge.type, [number])
    if challenge.type == ChallengeType.MULTIPLE:
        numbers = [_choice_number(raw, count) for raw in data.getlist("answer")]
        if any(number is None for number in numbers):
            return None
        if skip:
            return ""
        return canonical_choice_answer(challenge.type, numbers) or None  # type: ignore[arg-type]
    if challenge.type == ChallengeType.SHORT:
        raw = data.get("answer") or ""
        if not isinstance(raw, str) or "\x00" in raw:
            return None
        value = raw.strip()
        if len(value) > MAX_ANSWER_LENGTH:
            return None
        return "" if skip else (value or None)
    return None
