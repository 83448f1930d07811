from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pixcertif.accounts.models import CertificationCenter
from sessions_app.competences import is_certifiable


class CandidateProfile(models.Model):
    """A Pix account's profile: a level 0–8 for each of the 16 competences ({"1.1": 3, …})."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    levels = models.JSONField(_("niveaux par compétence"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profil Pix")
        verbose_name_plural = _("profils Pix")

    def __str__(self) -> str:
        return f"Profil de {self.user}"

    @property
    def is_certifiable(self) -> bool:
        return is_certifiable(self.levels)


class Student(models.Model):
    """A pupil of a school centre's roster ("élève")."""

    center = models.ForeignKey(CertificationCenter, on_delete=models.CASCADE, related_name="students")
    division = models.CharField(_("classe"), max_length=64)
    last_name = models.CharField(_("nom de naissance"), max_length=255)
    first_name = models.CharField(_("prénom"), max_length=255)
    birth_date = models.DateField(_("date de naissance"))
    birth_city = models.CharField(_("commune de naissance"), max_length=255, blank=True)
    birth_country = models.CharField(_("pays de naissance"), max_length=255, blank=True)
    ine = models.CharField(_("INE"), max_length=32)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="students"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("élève")
        verbose_name_plural = _("élèves")
        ordering = ["division", "last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["center", "ine"], name="sessions_app_student_unique_ine_per_center"),
        ]

    def __str__(self) -> str:
        return f"{self.last_name} {self.first_name} ({self.division})"


class Sex(models.TextChoices):
    M = "M", _("Homme")
    F = "F", _("Femme")


class BillingMode(models.TextChoices):
    """ "Tarification part Pix" of a candidate of a non-school centre (schools: always empty)."""

    FREE = "free", _("Gratuite")
    PAID = "paid", _("Payante")
    PREPAID = "prepaid", _("Prépayée")


PREPAYMENT_CODE_MAX_LENGTH = 50


class Candidate(models.Model):
    """A person enrolled in one session."""

    session = models.ForeignKey("sessions_app.Session", on_delete=models.CASCADE, related_name="candidates")
    last_name = models.CharField(_("nom de naissance"), max_length=255)
    first_name = models.CharField(_("prénom"), max_length=255)
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("date de naissance"))
    birth_city = models.CharField(_("commune de naissance"), max_length=255, blank=True)
    birth_postal_code = models.CharField(_("code postal de naissance"), max_length=5, blank=True)
    birth_insee_code = models.CharField(_("code INSEE de naissance"), max_length=5, blank=True)
    birth_country = models.CharField(_("pays de naissance"), max_length=255, blank=True)
    external_id = models.CharField(_("identifiant local"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail de convocation"), blank=True)
    result_recipient_email = models.EmailField(_("e-mail du destinataire des résultats"), blank=True)
    extra_time_percentage = models.PositiveSmallIntegerField(_("temps majoré (%)"), null=True, blank=True)
    # Non-school centres only: how the candidate's certification is paid for.
    billing_mode = models.CharField(_("tarification part Pix"), max_length=8, choices=BillingMode.choices, blank=True)
    prepayment_code = models.CharField(_("code de prépaiement"), max_length=PREPAYMENT_CODE_MAX_LENGTH, blank=True)
    # A disability needing more than extra time: the test draws only accessible questions.
    needs_adjustment = models.BooleanField(_("besoin d'un aménagement"), default=False)
    identity_key = models.CharField(max_length=600, editable=False)

    student = models.ForeignKey(Student, on_delete=models.PROTECT, null=True, blank=True, related_name="candidates")
    # When anything the invigilator's live list shows of this candidate last changed (presence,
    # start, resume, end, alert, incident); answers stamp Certification.last_answered_at instead.
    # The list's ETag and its "only what changed" 200 are read from these two stamps.
    changed_at = models.DateTimeField(_("modifié le"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="candidacies"
    )
    linked_at = models.DateTimeField(_("a rejoint la session le"), null=True, blank=True)
    # Ticked by the invigilator; consumed by each start or resume.
    authorized_to_start = models.BooleanField(_("présence confirmée / autorisé à commencer"), default=False)
    # When that authorisation was given: it is valid CERTIFICATION_CLOCK["AUTHORISATION_VALIDITY"].
    authorized_at = models.DateTimeField(_("autorisé le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("candidat")
        verbose_name_plural = _("candidats")
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "identity_key", "birth_date"], name="sessions_app_candidate_unique_identity"
            ),
            models.UniqueConstraint(
                fields=["session", "user"], condition=Q(user__isnull=False), name="sessions_app_candidate_unique_user"
            ),
            models.UniqueConstraint(
                fields=["session", "student"],
                condition=Q(student__isnull=False),
                name="sessions_app_candidate_unique_student",
            ),
            models.CheckConstraint(
                condition=Q(extra_time_percentage__isnull=True)
                | Q(extra_time_percentage__gte=1, extra_time_percentage__lte=99),
                name="sessions_app_candidate_extra_time_range",
            ),
            models.CheckConstraint(condition=Q(sex__in=["", "M", "F"]), name="sessions_app_candidate_sex_valid"),
            models.CheckConstraint(
                condition=Q(authorized_to_start=False) | Q(authorized_at__isnull=False),
                name="sessions_app_candidate_authorisation_has_time",
            ),
            models.CheckConstraint(
                condition=Q(billing_mode__in=["", *BillingMode.values]),
                name="sessions_app_candidate_billing_mode_valid",
            ),
            models.CheckConstraint(
                condition=(Q(billing_mode="prepaid") & ~Q(prepayment_code=""))
                | (~Q(billing_mode="prepaid") & Q(prepayment_code="")),
                name="sessions_app_candidate_prepayment_code_iff_prepaid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name.upper()}"
