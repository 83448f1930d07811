"""What a candidate is, as plain values, and the rules of each of its fields.

The enrolment form, the candidate list import (ODS), the roster import (CSV), the sessions mass
import and the enrolment services share these, so they say exactly the same thing about the same
mistake; every one of them imports this module, which imports none of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sessions_app.models import BillingMode, Candidate, Sex
from sessions_app.models.candidate import PREPAYMENT_CODE_MAX_LENGTH
from sessions_app.normalize import identity_key, normalize_name

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PREPAYMENT_CODE_REQUIRED_MESSAGE = _("Le code de prépaiement est obligatoire pour une tarification « Prépayée ».")


@dataclass(frozen=True)
class CandidateData:
    """A candidate's fields, validated and converted (by a form or an import)."""

    last_name: str
    first_name: str
    birth_date: date
    sex: str = ""
    birth_city: str = ""
    birth_postal_code: str = ""
    birth_insee_code: str = ""
    birth_country: str = ""
    external_id: str = ""
    email: str = ""
    result_recipient_email: str = ""
    extra_time_percentage: int | None = None
    billing_mode: str = ""
    prepayment_code: str = ""
    needs_adjustment: bool = False

    @property
    def identity_key(self) -> str:
        return identity_key(self.first_name, self.last_name)

    @classmethod
    def of(cls, candidate: Candidate) -> CandidateData:
        return cls(**{f.name: getattr(candidate, f.name) for f in fields(cls)})


@dataclass(frozen=True)
class StudentData:
    """One line of a school roster file."""

    division: str
    last_name: str
    first_name: str
    birth_date: date
    birth_city: str
    birth_country: str
    ine: str


BIRTH_DATE_MIN = date(1900, 1, 1)
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


def birth_date_error(value: date) -> StrOrPromise | None:
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


def billing_errors(*, mode: str, code: str, required: bool) -> dict[str, StrOrPromise]:
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


def birthplace_errors(*, country: str, insee: str, postal: str, city: str) -> dict[str, StrOrPromise]:
    """Born in France: INSEE code, or postal code + city. Born abroad: city. Keys are field names."""
    errors: dict[str, StrOrPromise] = {}
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
