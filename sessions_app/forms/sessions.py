"""Forms of the sessions pages: create / edit a session, and the list's search, filter, sort and page."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sessions_app.models import SessionStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ADDRESS_MAX = 255
ROOM_MAX = 255
EXAMINER_MAX = 1000
DESCRIPTION_MAX = 2000
FORM_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class ErrorsDescribedMixin(forms.BaseForm):
    """Link every field in error to its message (`aria-describedby`), as includes/field.html renders it."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            error_id = f"id_{name}_error"
            described = widget.attrs.get("aria-describedby", "")
            if error_id not in described.split():
                widget.attrs["aria-describedby"] = f"{described} {error_id}".strip()


class SessionForm(ErrorsDescribedMixin, forms.Form):
    """Site, room, date, local time, invigilators, observations. With `started=True`, only
    observations can change (the other fields are shown disabled and their posted values ignored)."""

    address = forms.CharField(
        label=_("Nom du site"),
        max_length=ADDRESS_MAX,
        error_messages={
            "required": _("Veuillez indiquer un nom de site."),
            "max_length": _(
                "Le nom du site ne doit pas dépasser %(limit_value)d caractères (vous en avez saisi %(show_value)d)."
            ),
        },
    )
    room = forms.CharField(
        label=_("Nom de la salle"),
        max_length=ROOM_MAX,
        error_messages={
            "required": _("Veuillez indiquer un nom de salle."),
            "max_length": _(
                "Le nom de la salle ne doit pas dépasser %(limit_value)d caractères "
                "(vous en avez saisi %(show_value)d)."
            ),
        },
    )
    date = forms.DateField(
        label=_("Date de début"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Veuillez indiquer une date de début."),
            "invalid": _("Veuillez indiquer une date de début valide (jj/mm/aaaa)."),
        },
    )
    time = forms.TimeField(
        label=_("Heure de début (heure locale)"),
        input_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Veuillez indiquer une heure de début."),
            "invalid": _("Veuillez indiquer une heure de début valide (hh:mm)."),
        },
    )
    examiner = forms.CharField(
        label=_("Surveillant(s)"),
        max_length=EXAMINER_MAX,
        help_text=_("Précisez nom(s) et prénom(s), séparés par des virgules, « et » ou un retour à la ligne."),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Veuillez indiquer le nom du ou des surveillant(s)."),
            "max_length": _(
                "La liste des surveillants ne doit pas dépasser %(limit_value)d caractères "
                "(vous en avez saisi %(show_value)d)."
            ),
        },
    )
    description = forms.CharField(
        label=_("Observations"),
        max_length=DESCRIPTION_MAX,
        required=False,
        help_text=_("Elles pourront être complétées à tout moment avant la finalisation de la session."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _(
                "Les observations ne doivent pas dépasser %(limit_value)d caractères "
                "(vous en avez saisi %(show_value)d)."
            ),
        },
    )

    FROZEN_WHEN_STARTED = ("address", "room", "date", "time", "examiner")

    def __init__(self, *args, started: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.started = started
        # The date picker greys out the past days the server refuses (the rule itself is clean_date).
        today = timezone.localdate()
        current = self.initial.get("date")
        self.fields["date"].widget.attrs["min"] = f"{min(today, current) if current else today:%Y-%m-%d}"
        if started:
            for name in self.FROZEN_WHEN_STARTED:
                self.fields[name].disabled = True

    def clean_date(self) -> dt.date | None:
        """A real date of this century; not before today (Europe/Paris) for a new session. An existing
        session keeps its date even once it has passed, but cannot be moved to another past day."""
        value = self.cleaned_data.get("date")
        if value is None:
            return value
        if not 2000 <= value.year <= 2099:
            raise forms.ValidationError(_("Veuillez indiquer une date de début valide (jj/mm/aaaa)."), code="invalid")
        current = self.initial.get("date")
        if value < timezone.localdate() and value != current:
            message: StrOrPromise
            if current is None:
                message = _(
                    "Une session ne peut pas être programmée dans le passé : "
                    "indiquez la date d'aujourd'hui ou une date à venir."
                )
            else:
                message = _(
                    "Une session ne peut pas être déplacée dans le passé : gardez sa date actuelle "
                    "(%(current)s) ou indiquez la date d'aujourd'hui ou une date à venir."
                ) % {"current": f"{current:%d/%m/%Y}"}
            raise forms.ValidationError(message, code="past")
        return value

    def clean_address(self) -> str:
        return self._required_text("address", _("Veuillez indiquer un nom de site."))

    def clean_room(self) -> str:
        return self._required_text("room", _("Veuillez indiquer un nom de salle."))

    def clean_examiner(self) -> str:
        return self._required_text("examiner", _("Veuillez indiquer le nom du ou des surveillant(s)."))

    def _required_text(self, name: str, message: StrOrPromise) -> str:
        value = (self.cleaned_data.get(name) or "").strip()
        if not value and not self.fields[name].disabled:
            raise forms.ValidationError(message, code="required")
        return value

    def changed_values(self) -> dict:
        """The cleaned values a service may write (observations only once started)."""
        names = ["description"] if self.started else list(self.fields)
        return {name: self.cleaned_data[name] for name in names}


class CreateTokenForm(forms.Form):
    """The one-time token a creation form carries: the same token twice creates one session."""

    form_token = forms.CharField(required=False, max_length=64)

    def token(self) -> str:
        if not self.is_valid():
            return ""
        value = self.cleaned_data["form_token"]
        return value if FORM_TOKEN_RE.match(value) else ""


# ---- the list: search, status filter, sort, page (every GET parameter is validated) ----

STATUS_FILTERS = {
    "created": [SessionStatus.CREATED],
    "finalized": [SessionStatus.FINALIZED, SessionStatus.IN_PROCESS],
    "published": [SessionStatus.PUBLISHED],
}
STATUS_FILTER_CHOICES = [
    ("", _("Tous les statuts")),
    ("created", _("Créée")),
    ("finalized", _("Finalisée")),
    ("published", _("Résultats transmis par Pix")),
]
# Column key → (label, ORDER BY fields ascending).
SORT_COLUMNS = {
    "numero": (_("N° de session"), ["id"]),
    "site": (_("Nom du site"), ["address", "id"]),
    "salle": (_("Salle"), ["room", "id"]),
    "date": (_("Date"), ["date", "time", "id"]),
    "heure": (_("Heure"), ["time", "date", "id"]),
    "surveillants": (_("Surveillant(s)"), ["examiner", "id"]),
    "inscrits": (_("Candidats inscrits"), ["enrolled_count", "id"]),
    "passees": (_("Certifications passées"), ["started_count", "id"]),
    "statut": (_("Statut"), ["status", "id"]),  # created < finalized < in_process < published
}
DEFAULT_SORT = "date"
DEFAULT_ORDER = "desc"


class SessionListForm(forms.Form):
    """GET parameters of /sessions/liste. Invalid values are ignored, never an error page."""

    q = forms.CharField(label=_("Rechercher"), required=False, max_length=100)
    statut = forms.ChoiceField(label=_("Statut"), required=False, choices=STATUS_FILTER_CHOICES)
    tri = forms.ChoiceField(required=False, choices=[(key, key) for key in SORT_COLUMNS])
    ordre = forms.ChoiceField(required=False, choices=[("asc", "asc"), ("desc", "desc")])

    def __init__(self, data=None, *args, **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        self.fields["q"].widget.attrs.update({"type": "search", "placeholder": _("N°, site, salle, surveillant")})
        self.full_clean()
        # Keep the valid parameters only: garbage in one does not cancel the others.
        self.values = {
            "q": self.cleaned_data.get("q", "").strip(),
            "statut": self.cleaned_data.get("statut", ""),
            "tri": self.cleaned_data.get("tri") or DEFAULT_SORT,
            "ordre": self.cleaned_data.get("ordre") or DEFAULT_ORDER,
        }
