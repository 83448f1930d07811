from __future__ import annotations

import re
import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from sessions_app.codes import normalize_invigilator_password
from sessions_app.models import Session

WRONG_PAIR = _("Le numéro de session et/ou le mot de passe saisis sont incorrects.")
_MAX_SESSION_ID = 2**63 - 1


def parse_session_number(value: str) -> int | None:
    """' 00123 ' → 123; anything that is not a positive whole number (letters, '12 a') → None."""
    cleaned = re.sub(r"\s+", "", value or "")
    if not cleaned.isdigit() or not cleaned.isascii():
        return None
    number = int(cleaned)
    return number if 0 < number <= _MAX_SESSION_ID else None


class EntryForm(forms.Form):
    """Session number + session password. Whatever is wrong, one message: never reveal which."""

    session_number = forms.CharField(
        label=_("Numéro de la session"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    password = forms.CharField(
        label=_("Mot de passe de la session"),
        help_text=_("Exemple : C-12345"),
        max_length=30,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    session: Session  # set by a successful clean(): read it once is_valid()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}_helptext"

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        number = parse_session_number(data["session_number"])
        password = normalize_invigilator_password(data["password"])
        session = Session.objects.filter(pk=number).first() if number is not None else None
        if session is None or not secrets.compare_digest(
            password.encode(), session.invigilator_password.upper().encode()
        ):
            raise forms.ValidationError(WRONG_PAIR, code="wrong_pair")
        self.session = session
        return data
