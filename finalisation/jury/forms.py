"""Forms of the jury's admin pages: identity correction, extra time, cancelling a published certificate.

They validate and convert; `finalisation.jury.services` saves (and checks the same rules again)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finalisation.jury.services import EARLIEST_BIRTH_DATE, REASON_MAX_LENGTH


class ReasonField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Motif"))
        kwargs.setdefault(
            "help_text",
            _("Obligatoire : un signalement C1/C2, une demande reçue par e-mail… (500 caractères au plus)."),
        )
        kwargs.setdefault("error_messages", {"required": _("Indiquez le motif de la modification.")})
        super().__init__(max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), **kwargs)


class IdentityForm(forms.Form):
    last_name = forms.CharField(
        label=_("Nom de naissance"), max_length=255, error_messages={"required": _("Indiquez le nom de naissance.")}
    )
    first_name = forms.CharField(
        label=_("Prénom"), max_length=255, error_messages={"required": _("Indiquez le prénom.")}
    )
    birth_date = forms.DateField(
        label=_("Date de naissance"),
        help_text=_("jj/mm/aaaa"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%d/%m/%Y"),
        error_messages={
            "required": _("Indiquez la date de naissance."),
            "invalid": _("Saisissez une date au format jj/mm/aaaa."),
        },
    )
    birth_city = forms.CharField(label=_("Commune de naissance"), max_length=255, required=False)
    birth_country = forms.CharField(label=_("Pays de naissance"), max_length=255, required=False)
    reason = ReasonField()

    def clean_birth_date(self) -> date:
        value = self.cleaned_data["birth_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("La date de naissance ne peut pas être dans le futur."), code="future")
        if value < EARLIEST_BIRTH_DATE:
            raise forms.ValidationError(_("La date de naissance doit être postérieure au 01/01/1900."), code="old")
        return value


class ExtraTimeForm(forms.Form):
    extra_time_percentage = forms.IntegerField(
        label=_("Temps majoré (%)"),
        required=False,
        min_value=1,
        max_value=99,
        help_text=_("Un pourcentage entier de 1 à 99 ; laissez vide pour aucun temps majoré."),
        error_messages={
            "invalid": _("Le temps majoré doit être un pourcentage entier compris entre 1 et 99."),
            "min_value": _("Le temps majoré doit être un pourcentage entier compris entre 1 et 99."),
            "max_value": _("Le temps majoré doit être un pourcentage entier compris entre 1 et 99."),
        },
    )
    reason = ReasonField()


class CancelCertificateForm(forms.Form):
    reason = ReasonField(
        label=_("Motif de l'annulation"),
        help_text=_("Obligatoire : il est conservé dans le journal des actions (500 caractères au plus)."),
        error_messages={"required": _("Indiquez le motif de l'annulation.")},
    )


class ConfirmForm(forms.Form):
    """A confirmation with nothing to fill (restoring a certificate)."""
