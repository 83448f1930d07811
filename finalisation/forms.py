"""Finalisation forms: they validate and convert; the services save (and check again)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from finalisation.models import AttachmentKind
from finalisation.services import ATTACHMENT_MAX_SIZE, COMMENT_MAX_LENGTH
from sessions_app.models import AbortReason
from sessions_app.report_categories import CATEGORIES, CODE_CHOICES, DETAILS_MAX_LENGTH, GROUPS


class IssueReportForm(forms.Form):
    """One report. The template draws `code` as one radio group per category group."""

    code = forms.ChoiceField(
        label=_("Catégorie du signalement"),
        choices=CODE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Sélectionnez une catégorie de signalement."),
            "invalid_choice": _("Cette catégorie de signalement n'existe pas."),
        },
    )
    question_number = forms.IntegerField(
        label=_("Numéro de question"),
        required=False,
        min_value=1,
        error_messages={
            "invalid": _("Saisissez un numéro de question (un nombre entier)."),
            "min_value": _("Le numéro de question doit être supérieur ou égal à 1."),
        },
    )
    description = forms.CharField(
        label=_("Détails"),
        required=False,
        max_length=DETAILS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "data-counter": "#description-counter"}),
        help_text=_("Renseignez les informations correctes ou décrivez l'incident (500 caractères au plus)."),
        error_messages={"max_length": _("Les détails ne peuvent pas dépasser 500 caractères.")},
    )

    def __init__(self, *args, question_count: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.question_count = question_count
        field = cast(forms.IntegerField, self.fields["question_number"])
        field.max_value = question_count
        field.widget.attrs.update({"min": 1, "max": max(question_count, 1), "inputmode": "numeric"})
        self.fields["question_number"].widget.attrs["aria-describedby"] = "id_question_number_helptext"
        self.fields["description"].widget.attrs["aria-describedby"] = "id_description_helptext description-counter"

    def link_errors(self) -> None:
        """Point the hand-written fields at their error messages (call once errors are final)."""
        for name in ("question_number", "description"):
            if name in self.errors:
                attrs = self.fields[name].widget.attrs
                attrs["aria-describedby"] += f" id_{name}_error"
                attrs["aria-invalid"] = "true"

    def clean_question_number(self) -> int | None:
        number = self.cleaned_data.get("question_number")
        if number is not None and number > self.question_count:
            raise forms.ValidationError(
                _("Le numéro de question doit être compris entre 1 et %(n)s (nombre de questions du test)."),
                params={"n": self.question_count},
            )
        return number

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data
        category = CATEGORIES.get(cleaned.get("code") or "")
        if category is None:
            return cleaned
        if category.needs_question and cleaned.get("question_number") is None and "question_number" not in self.errors:
            self.add_error("question_number", _("Indiquez le numéro de la question concernée."))
        description = (cleaned.get("description") or "").strip()
        if category.needs_details and not description and "description" not in self.errors:
            self.add_error("description", _("Précisez les détails de ce signalement."))
        return cleaned

    def grouped_choices(self) -> list[dict]:
        """[{group, radios: [(category, checked)]}] for the template's fieldsets."""
        selected = self.data.get("code") if self.is_bound else self.initial.get("code")
        return [
            {"group": group, "radios": [(category, category.code == selected) for category in group.categories]}
            for group in GROUPS
        ]


class AbortReasonForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Raison de l'abandon"),
        choices=[("", _("-- Choisissez --")), *AbortReason.choices],
        required=False,
        error_messages={"invalid_choice": _("Cette raison de l'abandon n'existe pas.")},
    )


class FinalisationInfoForm(forms.Form):
    has_incident = forms.BooleanField(
        label=_(
            "Malgré un incident survenu pendant la session, les candidats ont pu terminer leur test de certification. "
            "Un temps supplémentaire a été accordé à un ou plusieurs candidats."
        ),
        required=False,
    )
    has_joining_issue = forms.BooleanField(
        label=_(
            "Un ou plusieurs candidats étaient présents en session de certification mais n'ont pas pu rejoindre la "
            "session."
        ),
        required=False,
    )
    comment = forms.CharField(
        label=_("Commentaire"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "data-counter": "#comment-counter"}),
        help_text=_("500 caractères au plus."),
        error_messages={"max_length": _("Le commentaire ne peut pas dépasser 500 caractères.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["comment"].widget.attrs["aria-describedby"] = "id_comment_helptext comment-counter"


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type de document"),
        choices=[("", _("-- Choisissez --")), *AttachmentKind.choices],
        error_messages={
            "required": _("Choisissez le type de document."),
            "invalid_choice": _("Choisissez le type de document."),
        },
    )
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("PDF, JPEG ou PNG, 10 Mo au plus."),
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
        error_messages={"required": _("Choisissez un fichier."), "empty": _("Ce fichier est vide.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > ATTACHMENT_MAX_SIZE:
            raise forms.ValidationError(_("Ce fichier dépasse la taille maximale de 10 Mo."))
        return upload
