from __future__ import annotations

import re
from typing import cast

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pixcertif.accounts.language import language_of
from pixcertif.accounts.models import Membership, User

DUPLICATE_EMAIL = _(
    "Un compte existe déjà avec cette adresse e-mail. Connectez-vous ou réinitialisez votre mot de passe."
)
WRONG_CREDENTIALS = _("L'adresse e-mail ou l'identifiant et/ou le mot de passe saisis sont incorrects.")


class LoginForm(AuthenticationForm):
    """E-mail address or username ("identifiant") + password. One message for any failure
    (unknown account, wrong password, disabled account): never says which one was wrong."""

    username = forms.CharField(
        label=_("Adresse e-mail ou identifiant"),
        max_length=254,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autofocus": True, "autocapitalize": "none", "spellcheck": "false"}
        ),
        error_messages={"required": _("Veuillez indiquer votre adresse e-mail ou votre identifiant.")},
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Veuillez indiquer votre mot de passe.")},
    )
    error_messages = {
        "invalid_login": WRONG_CREDENTIALS,
        "inactive": WRONG_CREDENTIALS,
    }

    def clean(self):
        login_name = (self.cleaned_data.get("username") or "").strip().lower()
        password = self.cleaned_data.get("password")
        if login_name and password:
            self.user_cache = authenticate(self.request, username=login_name, password=password)
            if self.user_cache is None:
                raise forms.ValidationError(WRONG_CREDENTIALS, code="invalid_login")
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class SignupForm(forms.Form):
    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": _("Veuillez indiquer votre prénom.")},
    )
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        error_messages={"required": _("Veuillez indiquer votre nom.")},
    )
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Veuillez indiquer votre adresse e-mail."),
            "invalid": _("Veuillez indiquer une adresse e-mail valide (exemple : nom@domaine.fr)."),
        },
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Au moins 8 caractères, pas uniquement des chiffres, ni trop courant."),
        error_messages={"required": _("Veuillez choisir un mot de passe.")},
    )
    cgu = forms.BooleanField(
        label=_("J'accepte les conditions générales d'utilisation de Pix Certif"),
        error_messages={"required": _("Vous devez accepter les conditions générales d'utilisation.")},
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                DUPLICATE_EMAIL,
                code="duplicate_email",
            )
        return email

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        password = cleaned.get("password")
        if password:
            probe = User(
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password, probe)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class ResetRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Veuillez indiquer votre adresse e-mail."),
            "invalid": _("Veuillez indiquer une adresse e-mail valide (exemple : nom@domaine.fr)."),
        },
    )

    def get_users(self, email: str):
        return User.objects.filter(email__iexact=email, is_active=True)

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs) -> None:
        """The reset e-mail in the account's language (French when it never chose one)."""
        with translation.override(language_of(context.get("user"))):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class NewPasswordForm(SetPasswordForm):
    error_messages = {"password_mismatch": _("Les deux mots de passe ne correspondent pas.")}


class ChoosePasswordForm(NewPasswordForm):
    """First login with a one-time password: the account's own password, checked by the validators."""


MAX_INVITATIONS = 50
_ADDRESS_SEPARATORS = re.compile(r"[\s,;]+")


class InviteForm(forms.Form):
    """Several addresses at once, separated by commas, spaces or new lines."""

    emails = forms.CharField(
        label=_("Adresses e-mail des personnes à inviter"),
        help_text=_("Séparez les adresses par des virgules, des espaces ou des retours à la ligne."),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        error_messages={"required": _("Veuillez indiquer au moins une adresse e-mail.")},
    )
    role = forms.ChoiceField(
        label=_("Rôle"),
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        error_messages={"invalid_choice": _("Ce rôle n'existe pas."), "required": _("Veuillez choisir un rôle.")},
    )

    def clean_emails(self) -> list[str]:
        raw = [part for part in _ADDRESS_SEPARATORS.split(self.cleaned_data["emails"]) if part]
        emails = list(dict.fromkeys(part.lower() for part in raw))
        invalid = []
        for email in emails:
            try:
                validate_email(email)
            except forms.ValidationError:
                invalid.append(email)
        if invalid:
            raise forms.ValidationError(
                ngettext(
                    "Cette adresse e-mail n'est pas valide : %(emails)s.",
                    "Ces adresses e-mail ne sont pas valides : %(emails)s.",
                    len(invalid),
                )
                % {"emails": ", ".join(f"« {email} »" for email in invalid)},
                code="invalid_email",
            )
        if not emails:
            raise forms.ValidationError(self.fields["emails"].error_messages["required"], code="required")
        if len(emails) > MAX_INVITATIONS:
            raise forms.ValidationError(
                _("Vous pouvez inviter au plus %(max)s personnes à la fois.") % {"max": MAX_INVITATIONS},
                code="too_many",
            )
        return emails


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Rôle"),
        choices=Membership.Role.choices,
        error_messages={"invalid_choice": _("Ce rôle n'existe pas."), "required": _("Veuillez choisir un rôle.")},
    )


class MemberChoiceField(forms.ModelChoiceField):
    """A member of the centre's team, shown as "name (e-mail)"."""

    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.full_name or obj.user.email} ({obj.user.email})"


class ReferentForm(forms.Form):
    """Pick the centre's "Référent Pix" among its members (a non-member is not a choice)."""

    membership = MemberChoiceField(
        label=_("Référent Pix"),
        queryset=Membership.objects.none(),
        empty_label=_("Choisissez un membre"),
        error_messages={
            "required": _("Choisissez le membre de l'équipe à désigner comme référent."),
            "invalid_choice": _("Le référent doit être un membre de l'équipe du centre."),
        },
    )

    def __init__(self, *args, center, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = cast(MemberChoiceField, self.fields["membership"])
        field.queryset = (
            Membership.objects.filter(center=center)
            .select_related("user")
            .order_by("user__last_name", "user__first_name", "user__email")
        )
