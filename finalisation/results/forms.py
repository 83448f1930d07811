from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from finalisation.jury.services import VERIFICATION_ALPHABET, VERIFICATION_LENGTH, VERIFICATION_PREFIX

CODE_RE = re.compile(rf"^[{VERIFICATION_ALPHABET}]{{{VERIFICATION_LENGTH}}}$")


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
        if not CODE_RE.match(value):
            raise forms.ValidationError(
                _(
                    "Le code de vérification comporte « P- » suivi de 8 caractères (lettres et chiffres), "
                    "par exemple P-7KQ2MXBD."
                ),
                code="invalid",
            )
        return VERIFICATION_PREFIX + value
