"""Team services: invitations and memberships of a certification centre.

Every change locks the centre row first (`select_for_update`), so two administrators acting at
once are serialised: the "at least one administrator" rule cannot be broken by a race.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pixcertif.accounts.language import recipient_language
from pixcertif.accounts.models import INVITATION_VALIDITY, CertificationCenter, Invitation, Membership, User
from pixcertif.core.audit import audit_record
from pixcertif.core.errors import DomainError


@dataclass
class InvitationOutcome:
    """What `invitation_send` did with each address."""

    invited: list[str] = field(default_factory=list)
    resent: list[str] = field(default_factory=list)
    already_members: list[str] = field(default_factory=list)


def _lock_center(center: CertificationCenter) -> CertificationCenter:
    return CertificationCenter.objects.select_for_update().get(pk=center.pk)


def _ensure_admin(center: CertificationCenter, by: User) -> None:
    if not Membership.objects.filter(center=center, user=by, role=Membership.Role.ADMIN).exists():
        raise DomainError("not_admin", _("Cette action est réservée aux administrateurs du centre."))


def _admin_count(center: CertificationCenter) -> int:
    return Membership.objects.filter(center=center, role=Membership.Role.ADMIN).count()


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("team:invitation", kwargs={"token": invitation.token})


def _send_invitation_email(invitation: Invitation, by: User) -> None:
    context = {
        "invitation": invitation,
        "center": invitation.center,
        "invited_by": by,
        "url": invitation_url(invitation),
        "validity_days": INVITATION_VALIDITY.days,
    }
    # In the invitee's language when they have an account, else in the inviting person's.
    with translation.override(recipient_language(invitation.email, fallback=translation.get_language())):
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation.txt", context)
    try:
        send_mail(subject, body, None, [invitation.email], fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        raise DomainError(
            "mail_failed",
            _("L'e-mail d'invitation à %(email)s n'a pas pu être envoyé. Réessayez dans quelques minutes.")
            % {"email": invitation.email},
        ) from error


def invitation_send(
    *, center: CertificationCenter, emails: list[str], role: str = Membership.Role.MEMBER, by: User
) -> InvitationOutcome:
    """Invite people to join the centre, one e-mail each, with a link valid 7 days.

    Addresses of current members are skipped; a pending, still valid invitation is sent again
    (same link); an expired one is replaced by a new invitation. Refuses non-administrators and
    unknown roles. Nothing is saved if an e-mail cannot be sent.
    """
    if role not in Membership.Role.values:
        raise DomainError("invalid_role", _("Ce rôle n'existe pas."))
    wanted = list(dict.fromkeys(email.strip().lower() for email in emails if email.strip()))
    if not wanted:
        raise DomainError("no_email", _("Veuillez indiquer au moins une adresse e-mail."))
    outcome = InvitationOutcome()
    with transaction.atomic():
        center = _lock_center(center)
        _ensure_admin(center, by)
        members = set(
            Membership.objects.filter(center=center, user__email__in=wanted).values_list("user__email", flat=True)
        )
        pending = {
            invitation.email: invitation
            for invitation in Invitation.objects.select_for_update().filter(
                center=center, email__in=wanted, status=Invitation.Status.PENDING
            )
        }
        for email in wanted:
            if email in members:
                outcome.already_members.append(email)
                continue
            invitation = pending.get(email)
            if invitation is not None and not invitation.is_expired:
                _send_invitation_email(invitation, by)
                outcome.resent.append(email)
                audit_record(action="invitation_resend", by=by, center=center, email=email)
                continue
            if invitation is not None:
                invitation.status = Invitation.Status.CANCELLED
                invitation.save(update_fields=["status", "updated_at"])
            invitation = Invitation.objects.create(center=center, email=email, role=role, invited_by=by)
            _send_invitation_email(invitation, by)
            outcome.invited.append(email)
            audit_record(action="invitation_send", by=by, center=center, email=email, role=role)
    return outcome


def invitation_cancel(*, invitation: Invitation, by: User) -> Invitation:
    """Cancel a pending invitation: its link stops working. Refuses an accepted invitation."""
    with transaction.atomic():
        _lock_center(invitation.center)
        invitation = Invitation.objects.select_for_update().select_related("center").get(pk=invitation.pk)
        _ensure_admin(invitation.center, by)
        if invitation.status == Invitation.Status.CANCELLED:
            return invitation
        if invitation.status == Invitation.Status.ACCEPTED:
            raise DomainError(
                "invitation_already_accepted",
                _("Cette invitation a déjà été acceptée : elle ne peut plus être annulée."),
            )
        invitation.status = Invitation.Status.CANCELLED
        invitation.save(update_fields=["status", "updated_at"])
        audit_record(action="invitation_cancel", by=by, center=invitation.center, email=invitation.email)
    return invitation


def invitation_check(invitation: Invitation) -> None:
    """Raise the French reason why this invitation link cannot be used (any more)."""
    if invitation.status == Invitation.Status.ACCEPTED:
        raise DomainError("invitation_used", _("Cette invitation a déjà été utilisée."))
    if invitation.status == Invitation.Status.CANCELLED:
        raise DomainError("invitation_cancelled", _("Cette invitation a été annulée par un administrateur du centre."))
    if invitation.is_expired:
        raise DomainError(
            "invitation_expired",
            _(
                "Cette invitation a expiré : elle était valable %(days)s jours. "
                "Demandez à un administrateur du centre de vous en envoyer une nouvelle."
            )
            % {"days": INVITATION_VALIDITY.days},
        )


def invitation_accept(*, invitation: Invitation, by: User) -> tuple[Membership, bool]:
    """Join the invitation's centre with the invited role. Returns (membership, created).

    Refuses an expired, cancelled or already used invitation. Somebody who is already a member
    keeps their role; the invitation is then used up all the same. Accepting twice is harmless.
    """
    with transaction.atomic():
        _lock_center(invitation.center)
        invitation = Invitation.objects.select_for_update().select_related("center").get(pk=invitation.pk)
        existing = Membership.objects.filter(center=invitation.center, user=by).first()
        if invitation.status == Invitation.Status.ACCEPTED and invitation.accepted_by_id == by.pk and existing:
            return existing, False
        invitation_check(invitation)
        invitation.status = Invitation.Status.ACCEPTED
        invitation.accepted_by = by
        invitation.save(update_fields=["status", "accepted_by", "updated_at"])
        if existing is not None:
            audit_record(action="invitation_accept", by=by, center=invitation.center, email=invitation.email)
            return existing, False
        membership = Membership.objects.create(center=invitation.center, user=by, role=invitation.role)
        audit_record(
            action="invitation_accept",
            by=by,
            center=invitation.center,
            email=invitation.email,
            role=invitation.role,
        )
    return membership, True


def membership_change_role(*, membership: Membership, role: str, by: User) -> Membership:
    """Make a member an administrator or the reverse. Never leaves the centre without an administrator."""
    if role not in Membership.Role.values:
        raise DomainError("invalid_role", _("Ce rôle n'existe pas."))
    with transaction.atomic():
        center = _lock_center(membership.center)
        _ensure_admin(center, by)
        membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
        if membership.role == role:
            return membership
        if membership.is_admin and _admin_count(center) <= 1:
            raise DomainError(
                "last_admin",
                _(
                    "Le centre doit garder au moins un administrateur : "
                    "nommez d'abord un autre administrateur avant de changer ce rôle."
                ),
            )
        previous = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        audit_record(
            action="membership_change_role",
            by=by,
            center=center,
            user_email=membership.user.email,
            previous=previous,
            role=role,
        )
    return membership


def membership_remove(*, membership: Membership, by: User) -> None:
    """Remove somebody from the centre. Never the last administrator. Removing twice is harmless."""
    with transaction.atomic():
        center = _lock_center(membership.center)
        _ensure_admin(center, by)
        locked = Membership.objects.select_for_update().select_related("user").filter(pk=membership.pk).first()
        if locked is None:
            return
        membership = locked
        if membership.is_admin and _admin_count(center) <= 1:
            raise DomainError(
                "last_admin",
                _(
                    "Impossible de retirer le dernier administrateur du centre : "
                    "nommez d'abord un autre administrateur."
                ),
            )
        if membership.is_referent:
            raise DomainError(
                "referent_member",
                _(
                    "%(name)s est le référent Pix du centre : désignez d'abord un autre référent "
                    "(« Changer de référent ») avant de le retirer de l'équipe."
                )
                % {"name": membership.user.full_name or membership.user.email},
            )
        email = membership.user.email
        role = membership.role
        membership.delete()
        audit_record(action="membership_remove", by=by, center=center, user_email=email, role=role)


def user_sign_up(*, email: str, password: str, first_name: str, last_name: str) -> User:
    """Create an account whose owner accepted the terms of use while signing up."""
    with transaction.atomic():
        user = User.objects.create_user(
            email=email.strip().lower(),
            password=password,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            cgu_accepted_at=timezone.now(),
        )
        audit_record(action="user_sign_up", by=user)
    return user


def user_accept_terms(*, user: User) -> User:
    """Record that the account accepted the terms of use; accepting again changes nothing."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.cgu_accepted_at is not None:
            return user
        user.cgu_accepted_at = timezone.now()
        user.save(update_fields=["cgu_accepted_at"])
        audit_record(action="user_accept_terms", by=user)
    return user


def user_choose_password(*, user: User, password: str) -> User:
    """Replace a one-time password with the account's own; clears `must_change_password`."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.set_password(password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        audit_record(action="user_choose_password", by=user)
    return user


def center_designate_referent(*, center: CertificationCenter, membership: Membership, by: User) -> Membership:
    """Make `membership` the centre's "Référent Pix" (the previous referent, if any, stops being one).

    Refused: `by` is not an administrator of the centre, `membership` belongs to another centre.
    Designating the current referent again changes nothing."""
    with transaction.atomic():
        center = _lock_center(center)
        _ensure_admin(center, by)
        locked = Membership.objects.select_for_update().select_related("user").filter(pk=membership.pk).first()
        if locked is None or locked.center_id != center.pk:
            raise DomainError("not_a_member", _("Le référent doit être un membre de l'équipe du centre."))
        membership = locked
        if membership.is_referent:
            return membership
        previous = Membership.objects.select_for_update().select_related("user").filter(center=center, is_referent=True)
        previous_email: str | None = ""
        for old in previous:
            previous_email = old.user.email
            old.is_referent = False
            old.save(update_fields=["is_referent"])
        membership.is_referent = True
        membership.save(update_fields=["is_referent"])
        audit_record(
            action="center.referent_designate",
            by=by,
            center=center,
            user_email=membership.user.email,
            previous=previous_email,
        )
    return membership
