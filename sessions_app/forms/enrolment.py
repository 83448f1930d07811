"""Enrolment forms. The candidate rules they share with the imports (`parse_*`,
`birth_date_error`, `birthplace_errors`…) live in `sessions_app.enrolment_rules`, so the form and
the spreadsheet imports say exactly the same thing about the same mistake.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from sessions_app.enrolment_rules import (
    FRANCE,
    CandidateData,
    billing_errors,
    birth_date_error,
    birthplace_errors,
    clean_birthplace,
)
from sessions_app.models import BillingMode, Candidate, Sex
from sessions_app.models.candidate import PREPAYMENT_CODE_MAX_LENGTH

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UPLOAD_LABEL = _("2 Mo")


class CandidateForm(forms.Form):
    """ "Inscrire un candidat": every field of a candidate and its rules."""

    last_name = forms.CharField(label=_("Nom de naissance"), max_length=255)
    first_name = forms.CharField(label=_("Prénom"), max_length=255)
    sex = forms.ChoiceField(label=_("Sexe"), choices=[("", "—"), *Sex.choices])
    birth_date = forms.DateField(
        label=_("Date de naissance"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    birth_country = forms.CharField(
        label=_("Pays de naissance"),
        max_length=255,
        initial=FRANCE,
        widget=forms.TextInput(attrs={"data-uppercase": ""}),
    )
    birth_insee_code = forms.CharField(
        label=_("Code INSEE de la commune de naissance"),
        max_length=5,
        required=False,
        help_text=_("Né(e) en France : le code INSEE, ou à défaut le code postal et la commune."),
    )
    birth_postal_code = forms.CharField(label=_("Code postal de naissance"), max_length=5, required=False)
    birth_city = forms.CharField(label=_("Commune de naissance"), max_length=255, required=False)
    external_id = forms.CharField(label=_("Identifiant local"), max_length=255, required=False)
    email = forms.EmailField(label=_("E-mail de convocation"), required=False)
    result_recipient_email = forms.EmailField(label=_("E-mail du destinataire des résultats"), required=False)
    extra_time_percentage = forms.IntegerField(
        label=_("Temps majoré (%)"),
        required=False,
        min_value=1,
        max_value=99,
        help_text=_("Un pourcentage entier entre 1 et 99, par exemple 33."),
    )
    needs_adjustment = forms.BooleanField(
        label=_("Besoin d'un aménagement"),
        required=False,
        help_text=_(
            "Situation de handicap demandant plus qu'un temps majoré : le test ne proposera que des questions "
            "sans image, simulateur, fichier à télécharger ni mode focus."
        ),
    )
    billing_mode = forms.ChoiceField(label=_("Tarification part Pix"), choices=[("", "—"), *BillingMode.choices])
    prepayment_code = forms.CharField(
        label=_("Code de prépaiement"),
        required=False,
        max_length=PREPAYMENT_CODE_MAX_LENGTH,
        help_text=_("Obligatoire pour une tarification « Prépayée »."),
    )

    BILLING_FIELDS = ("billing_mode", "prepayment_code")

    def __init__(self, *args, billing: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.billing = billing
        if not billing:  # schools never see the billing mode
            for name in self.BILLING_FIELDS:
                del self.fields[name]
        else:
            self.fields["billing_mode"].error_messages["required"] = _("La tarification part Pix est obligatoire.")
            self.fields["prepayment_code"].error_messages["max_length"] = _(
                "Le code de prépaiement fait au plus %(limit_value)d caractères."
            )
        self.fields["birth_date"].error_messages["invalid"] = _("Saisissez une date valide (jj/mm/aaaa).")
        self.fields["extra_time_percentage"].error_messages.update(
            {
                "invalid": _("Le temps majoré doit être un pourcentage entier entre 1 et 99."),
                "min_value": _("Le temps majoré doit être un pourcentage entier entre 1 et 99."),
                "max_value": _("Le temps majoré doit être un pourcentage entier entre 1 et 99."),
            }
        )
        for name in ("email", "result_recipient_email"):
            self.fields[name].error_messages["invalid"] = _("Saisissez une adresse e-mail valide.")

    @classmethod
    def for_candidate(cls, candidate: Candidate, data=None, *, billing: bool = True) -> CandidateForm:
        initial = {name: getattr(candidate, name) for name in cls.base_fields}
        return cls(data=data, initial=initial, billing=billing)

    def clean_birth_date(self) -> date:
        value = self.cleaned_data["birth_date"]
        error = birth_date_error(value)
        if error:
            raise ValidationError(error)
        return value

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data
        for name in ("last_name", "first_name", "birth_country", "birth_insee_code", "birth_postal_code", "birth_city"):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = cleaned[name].strip()
        if "birth_country" in cleaned:
            place = {
                "country": cleaned.get("birth_country", ""),
                "insee": cleaned.get("birth_insee_code", "").upper(),
                "postal": cleaned.get("birth_postal_code", ""),
                "city": cleaned.get("birth_city", ""),
            }
            for field, message in birthplace_errors(**place).items():
                self.add_error(field, message)
            if not self.errors:
                cleaned.update(clean_birthplace(**place))
        if self.billing and "billing_mode" in cleaned and "prepayment_code" in cleaned:
            cleaned["prepayment_code"] = cleaned["prepayment_code"].strip()
            if cleaned["billing_mode"] != BillingMode.PREPAID:
                cleaned["prepayment_code"] = ""  # a code left in the box after switching away from "Prépayée"
            errors = billing_errors(mode=cleaned["billing_mode"], code=cleaned["prepayment_code"], required=True)
            for field, message in errors.items():
                self.add_error(field, message)
        return cleaned

    def to_data(self) -> CandidateData:
        return CandidateData(**{name: self.cleaned_data[name] for name in self.fields})


class ExtraTimeForm(forms.Form):
    """A school candidate comes from the roster: only the extra time and the adjustment are edited here."""

    extra_time_percentage = CandidateForm.base_fields["extra_time_percentage"]
    needs_adjustment = CandidateForm.base_fields["needs_adjustment"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["extra_time_percentage"].error_messages.update(
            {
                key: _("Le temps majoré doit être un pourcentage entier entre 1 et 99.")
                for key in ("invalid", "min_value", "max_value")
            }
        )


def check_upload(upload, *, extensions: tuple[str, ...], content_types: tuple[str, ...], label: str) -> None:
    """Size, extension and declared content type of an uploaded file, with French messages."""
    name = (upload.name or "").lower()
    if not name.endswith(extensions):
        raise ValidationError(
            _("Le fichier doit être au format %(label)s (extension %(ext)s).")
            % {"label": label, "ext": str(_(" ou ")).join(extensions)}
        )
    if upload.size == 0:
        raise ValidationError(_("Le fichier est vide."))
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Le fichier est trop volumineux (%(size)s) : la taille maximale est de %(max)s.")
            % {
                # "2,5 Mo" in French, "2.5 MB" in English.
                "size": _("%(size)s Mo") % {"size": formats.number_format(upload.size / 1024 / 1024, 1)},
                "max": MAX_UPLOAD_LABEL,
            }
        )
    content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    if content_type and content_type not in content_types:
        raise ValidationError(
            _("Le type du fichier (%(type)s) ne correspond pas à un fichier %(label)s.")
            % {"type": content_type, "label": label}
        )


ODS_CONTENT_TYPES = (
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/octet-stream",
    "application/zip",
    "application/x-zip-compressed",
)
CSV_CONTENT_TYPES = (
    "text/csv",
    "text/plain",
    "application/csv",
    "application/vnd.ms-excel",
    "text/comma-separated-values",
    "application/octet-stream",
)


class CandidatesImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier de candidats (.ods)"),
        help_text=_("La liste importée remplace la liste actuelle des candidats."),
        widget=forms.ClearableFileInput(attrs={"accept": ".ods,application/vnd.oasis.opendocument.spreadsheet"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].error_messages.update(
            {"required": _("Choisissez un fichier .ods."), "empty": _("Le fichier est vide.")}
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload, extensions=(".ods",), content_types=ODS_CONTENT_TYPES, label="ODS")
        return upload


class StudentsImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier des élèves (.csv)"),
        help_text=_(
            "Colonnes : Classe, Nom, Prénom, Date de naissance, Commune de naissance, Pays de naissance, INE. "
            "Séparateur « ; » ou « , », encodage UTF-8 ou Windows-1252."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].error_messages.update(
            {"required": _("Choisissez un fichier .csv."), "empty": _("Le fichier est vide.")}
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload, extensions=(".csv",), content_types=CSV_CONTENT_TYPES, label="CSV")
        return upload


MASS_IMPORT_CONTENT_TYPES = tuple(sorted(set(ODS_CONTENT_TYPES) | set(CSV_CONTENT_TYPES)))


class SessionsImportForm(forms.Form):
    """The mass import's file: .csv or .ods (the reader checks what it really is)."""

    file = forms.FileField(
        label=_("Fichier des sessions (.csv ou .ods)"),
        help_text=_(
            "Une ligne par candidat, les colonnes de la session répétées ; une ligne sans candidat pour une session "
            "vide. 10 000 lignes et 5 Mo au maximum."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.ods,text/csv,application/vnd.oasis.opendocument.spreadsheet"}
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].error_messages.update(
            {"required": _("Choisissez un fichier .csv ou .ods."), "empty": _("Le fichier est vide.")}
        )

    def clean_file(self):
        from sessions_app.mass_import import MAX_FILE_BYTES, MAX_FILE_LABEL

        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".ods")):
            raise ValidationError(_("Le fichier doit être au format CSV ou ODS (extension .csv ou .ods)."))
        if upload.size == 0:
            raise ValidationError(_("Le fichier est vide."))
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(
                _("Le fichier est trop volumineux : la taille maximale est de %(max)s.") % {"max": MAX_FILE_LABEL}
            )
        content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
        if content_type and content_type not in MASS_IMPORT_CONTENT_TYPES:
            raise ValidationError(
                _("Le type du fichier (%(type)s) ne correspond pas à un fichier CSV ou ODS.") % {"type": content_type}
            )
        return upload
