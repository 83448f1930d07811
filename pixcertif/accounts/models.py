"""Accounts, certification centres, memberships, invitations and login-attempt counters."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

USERNAME_MAX_LENGTH = 64


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str | None, password: str | None, **extra: object) -> User:
        if not email and not extra.get("username"):
            raise ValueError("An e-mail address or a username is required.")
        user = self.model(email=self.normalize_email(email).lower() if email else None, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str | None, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        """The login field holds an e-mail address or a username ("identifiant"): a username never
        contains "@", so the two cannot be confused."""
        value = (username or "").strip()
        if "@" in value:
            return self.get(email__iexact=value)
        return self.get(username__iexact=value)


class User(AbstractBaseUser, PermissionsMixin):
    """A Pix account: centre staff, invigilators, candidates and the Pix team alike."""

    # A pupil whose account the school created has a username and no e-mail address.
    email = models.EmailField(_("adresse e-mail"), unique=True, null=True, blank=True)
    username = models.CharField(
        _("identifiant"),
        max_length=USERNAME_MAX_LENGTH,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Par exemple sophie.delarue0407 : prénom.nom suivis du jour et du mois de naissance."),
    )
    # Set on an account created or reset with a one-time password: a new password first.
    must_change_password = models.BooleanField(_("doit choisir un mot de passe"), default=False)
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    is_staff = models.BooleanField(_("équipe Pix"), default=False)
    is_active = models.BooleanField(_("actif"), default=True)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)
    cgu_accepted_at = models.DateTimeField(_("CGU acceptées le"), null=True, blank=True)
    # The interface and e-mail language of the account ("" = not chosen yet: French for e-mails).
    language = models.CharField(
        _("langue"), max_length=8, choices=[("fr", "Français"), ("en", "English")], blank=True, default=""
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(email__isnull=False) | Q(username__isnull=False),
                name="accounts_user_email_or_username",
            ),
            models.CheckConstraint(
                condition=Q(username__isnull=True) | ~Q(username__contains="@"),
                name="accounts_user_username_not_an_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email or self.username}>"

    @property
    def login_name(self) -> str:
        """What the account logs in with: its username if it has one, else its e-mail address."""
        return self.username or self.email or ""

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name


class CertificationCenter(models.Model):
    class Type(models.TextChoices):
        SCO = "SCO", _("Établissement scolaire")
        SUP = "SUP", _("Enseignement supérieur")
        PRO = "PRO", _("Centre professionnel")

    name = models.CharField(_("nom"), max_length=255)
    type = models.CharField(_("type"), max_length=3, choices=Type.choices)
    external_id = models.CharField(_("identifiant externe (UAI)"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("centre de certification")
        verbose_name_plural = _("centres de certification")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(type__in=["SCO", "SUP", "PRO"]), name="accounts_center_type_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_school(self) -> bool:
        return self.type == self.Type.SCO


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "ADMIN", _("Administrateur")
        MEMBER = "MEMBER", _("Membre")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    center = models.ForeignKey(CertificationCenter, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rôle"), max_length=6, choices=Role.choices, default=Role.MEMBER)
    # The centre's "Référent Pix" (one at most per centre): gets the results e-mail of every session.
    is_referent = models.BooleanField(_("référent Pix"), default=False)
    created_at = models.DateTimeField(_("depuis le"), auto_now_add=True)

    class Meta:
        verbose_name = _("membre")
        verbose_name_plural = _("membres")
        ordering = ["center__name", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "center"], name="accounts_membership_unique_user_center"),
            models.CheckConstraint(condition=Q(role__in=["ADMIN", "MEMBER"]), name="accounts_membership_role_valid"),
            models.UniqueConstraint(
                fields=["center"], condition=Q(is_referent=True), name="accounts_membership_one_referent_per_center"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.center} ({self.get_role_display()})"

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN


INVITATION_VALIDITY = timedelta(days=7)


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An invitation to join a centre, sent by e-mail by one of its administrators."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        ACCEPTED = "accepted", _("Acceptée")
        CANCELLED = "cancelled", _("Annulée")

    center = models.ForeignKey(CertificationCenter, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("adresse e-mail"))
    role = models.CharField(_("rôle"), max_length=6, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "cancelled"]), name="accounts_invitation_status_valid"
            ),
            models.UniqueConstraint(
                fields=["center", "email"],
                condition=Q(status="pending"),
                name="accounts_invitation_one_pending_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.center}"

    @property
    def expires_at(self):
        return self.created_at + INVITATION_VALIDITY

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class Attempt(models.Model):
    """One failed attempt at a guarded action (invigilator entry, access code…).

    Counted in the database so that every app server sees the same numbers.
    """

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=255)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"], name="accounts_attempt_lookup")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} {self.at:%d/%m/%Y %H:%M}"


class LoginSession(AbstractBaseSession):
    """A login session (Django's session row) with the account it is logged in to, in a column of
    its own: the exam day's hot requests read their session, their account and what they show in
    one query (`pixcertif.accounts.session_login`), and deleting an account deletes its sessions.
    The engines are `pixcertif.accounts.login_sessions` (the database) and
    `pixcertif.accounts.login_sessions_cached` (Redis in front of the database)."""

    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("session de connexion")
        verbose_name_plural = _("sessions de connexion")


# Who acts, as every service of the apps takes it (`by=request.user` behind `center_required` or
# `login_required`): an account, or nobody (a command, the demo data, an automatic step).
Actor = User | None
