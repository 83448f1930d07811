from __future__ import annotations

import re
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from sessions_app.codes import VERIFICATION_LENGTH, VERIFICATION_PREFIX

# The shape a person recognises: 8 letters or digits. A well-shaped code made of characters Pix never
# uses (P-ZZZZZZZZ) is simply unknown; only a code of another shape gets the description below.
CODE_SHAPE_RE = re.compile(rf"^[A-Z0-9]{{{VERIFICATION_LENGTH}}}$")
SHAPE_MESSAGE = _(
    "Le code de vérification comporte « P- » suivi de 8 caractères : les chiffres 2 à 9 sauf 5, "
    "et les lettres B C D F G H J K M P Q R T V W X Y, par exemple P-7KQ2MXBD."
)


class VerificationForm(forms.Form):
    code = forms.CharField(
        label=_("Code de vérification"),
        help_text=_("Il figure sur l'attestation de certification, par exemple P-7KQ2MXBD."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "data-uppercase": ""}),
    )

    def clean_code(self) -> str:
        """Accept 'P-7KQ2MXBD', 'p-7kq2mxbd', '7KQ2 MXBD' alike; return the stored form 'P-7KQ2MXBD'."""
        value = re.sub(r"\s+", "", self.cleaned_data["code"]).upper()
        if value.startswith(VERIFICATION_PREFIX):
            value = value[len(VERIFICATION_PREFIX) :]
        if not CODE_SHAPE_RE.match(value):
            raise forms.ValidationError(SHAPE_MESSAGE, code="invalid")
        return VERIFICATION_PREFIX + value


class ClassResultsFilterForm(forms.Form):
    """Filters of the school's "Résultats" page: a class of the centre's roster, a published session.

    A class or a session the centre does not have is a form error (never another centre's data)."""

    classe = forms.ChoiceField(
        label=_("Classe"),
        required=False,
        error_messages={"invalid_choice": _("Cette classe n'existe pas dans votre établissement.")},
    )
    session = forms.TypedChoiceField(
        label=_("Session"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Cette session n'existe pas ou ses résultats ne sont pas publiés.")},
    )

    def __init__(self, *args, divisions: list[str], sessions: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["classe"]).choices = [
            ("", _("Toutes les classes")),
            *[(d, d) for d in divisions],
        ]
        cast(forms.ChoiceField, self.fields["session"]).choices = [
            ("", _("Toutes les sessions")),
            *[(str(s.pk), f"{s.pk} — {s.date:%d/%m/%Y} — {s.room}") for s in sessions],
        ]
