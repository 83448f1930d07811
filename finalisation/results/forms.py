from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from finalisation.jury.services import VERIFICATION_LENGTH, VERIFICATION_PREFIX

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
