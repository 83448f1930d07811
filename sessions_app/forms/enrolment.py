"""Enrolment forms and the candidate rules they share with the ODS import.

The rules live in small functions (`parse_*`, `birth_date_error`, `birthplace_errors`) so the
form and the spreadsheet import say exactly the same thing about the same mistake.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from sessions_app.models import BillingMode, Candidate, Sex
from sessions_app.models.candidate import PREPAYMENT_CODE_MAX_LENGTH
from sessions_app.normalize import normalize_name
from sessions_app.services.enrolment import PREPAYMENT_CODE_REQUIRED_MESSAGE, CandidateData

BIRTH_DATE_MIN = date(1900, 1, 1)
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UPLOAD_LABEL = _("2 Mo")
FRANCE = "FRANCE"
_INSEE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")
_POSTAL = re.compile(r"^\d{5}$")
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
_PERCENT = re.compile(r"^(\d+)(?:[.,]0+)?\s*%?$")


class RuleError(ValueError):
    """A value broke a rule; the message is the French text shown to the user."""


def parse_date(value: str) -> date:
    value = (value or "").strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise RuleError(_("« %(value)s » n'est pas une date valide (format attendu : jj/mm/aaaa).") % {"value": value})


def birth_date_error(value: date) -> str | None:
    if value < BIRTH_DATE_MIN:
        return _("La date de naissance doit être postérieure au 01/01/1900.")
    if value > timezone.localdate():
        return _("La date de naissance ne peut pas être dans le futur.")
    return None


def parse_sex(value: str) -> str:
    normalized = normalize_name(value)
    if normalized in {"m", "h", "homme", "masculin"}:
        return Sex.M
    if normalized in {"f", "femme", "feminin"}:
        return Sex.F
    raise RuleError(_("« %(value)s » n'est pas un sexe valide : indiquez M ou F.") % {"value": value})


def parse_extra_time(value: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    match = _PERCENT.match(value)
    if not match or not 1 <= int(match.group(1)) <= 99:
        raise RuleError(
            _("« %(value)s » : le temps majoré doit être un pourcentage entier entre 1 et 99.") % {"value": value}
        )
    return int(match.group(1))


def parse_email(value: str) -> str:
    value = (value or "").strip()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise RuleError(_("« %(value)s » n'est pas une adresse e-mail valide.") % {"value": value})
    return value


_BILLING_WORDS = {
    "gratuite": BillingMode.FREE,
    "gratuit": BillingMode.FREE,
    "payante": BillingMode.PAID,
    "payant": BillingMode.PAID,
    "prepayee": BillingMode.PREPAID,
    "prepaye": BillingMode.PREPAID,
}
_YES = {"oui", "o", "x", "1", "vrai", "yes", "true"}
_NO = {"non", "n", "0", "faux", "no", "false"}


def parse_billing_mode(value: str) -> str:
    """ "Gratuite", "Payante" or "Prépayée" (case and accents ignored) → a BillingMode value."""
    mode = _BILLING_WORDS.get(normalize_name(value))
    if mode is None:
        raise RuleError(
            _("« %(value)s » n'est pas une tarification valide : indiquez Gratuite, Payante ou Prépayée.")
            % {"value": value}
        )
    return mode


def parse_yes_no(value: str) -> bool:
    """ "oui"/"non" (also x, 1, 0); empty is "non"."""
    normalized = normalize_name(value)
    if not normalized or normalized in _NO:
        return False
    if normalized in _YES:
        return True
    raise RuleError(_("« %(value)s » : indiquez oui ou non.") % {"value": value})


def billing_errors(*, mode: str, code: str, required: bool) -> dict[str, str]:
    """The billing rules of a non-school centre; keys are field names."""
    if not mode:
        return {"billing_mode": _("La tarification part Pix est obligatoire.")} if required else {}
    if len(code) > PREPAYMENT_CODE_MAX_LENGTH:
        return {
            "prepayment_code": _("Le code de prépaiement fait au plus %(max)s caractères.")
            % {"max": PREPAYMENT_CODE_MAX_LENGTH}
        }
    if mode == BillingMode.PREPAID and not code:
        return {"prepayment_code": PREPAYMENT_CODE_REQUIRED_MESSAGE}
    if mode != BillingMode.PREPAID and code:
        return {"prepayment_code": _("Le code de prépaiement ne s'indique que pour une tarification « Prépayée ».")}
    return {}


def is_france(country: str) -> bool:
    return normalize_name(country) in {"france", "fr", "fra"}


def birthplace_errors(*, country: str, insee: str, postal: str, city: str) -> dict[str, str]:
    """Born in France: INSEE code, or postal code + city. Born abroad: city. Keys are field names."""
    errors: dict[str, str] = {}
    if not country:
        errors["birth_country"] = _("Le pays de naissance est obligatoire.")
        return errors
    if is_france(country):
        if insee:
            if not _INSEE.match(insee):
                errors["birth_insee_code"] = _(
                    "« %(value)s » n'est pas un code INSEE valide (5 caractères, ex. 75056)."
                ) % {"value": insee}
        else:
            if not postal:
                errors["birth_postal_code"] = _(
                    "Né(e) en France : renseignez le code INSEE, ou le code postal et la commune de naissance."
                )
            elif not _POSTAL.match(postal):
                errors["birth_postal_code"] = _("« %(value)s » n'est pas un code postal valide (5 chiffres).") % {
                    "value": postal
                }
            if not city:
                errors["birth_city"] = _(
                    "Né(e) en France sans code INSEE : la commune de naissance est obligatoire avec le code postal."
                )
    elif not city:
        errors["birth_city"] = _("Né(e) à l'étranger : la commune de naissance est obligatoire.")
    return errors


def clean_birthplace(*, country: str, insee: str, postal: str, city: str) -> dict[str, str]:
    """The stored birthplace: country upper-cased; abroad, French codes are dropped."""
    country = country.strip().upper()
    if is_france(country):
        country = FRANCE
    else:
        insee = postal = ""
    return {"birth_country": country, "birth_insee_code": insee, "birth_postal_code": postal, "birth_city": city}


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
        cleaned = super().clean()
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
