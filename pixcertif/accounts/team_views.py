"""Team page (members, invitations, roles), the invitation link, and the documentation."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pixcertif.accounts import services
from pixcertif.accounts.forms import InviteForm, ReferentForm, RoleForm
from pixcertif.accounts.models import INVITATION_VALIDITY, Invitation, Membership
from pixcertif.accounts.tenancy import (
    AuthenticatedRequest,
    CenterRequest,
    center_required,
    get_for_center,
    switch_center,
)
from pixcertif.core.errors import DomainError
from pixcertif.core.id_documents import ACCEPTED_ID_DOCUMENTS


def _render_team(
    request: CenterRequest,
    invite_form: InviteForm | None = None,
    status: int = 200,
    referent_form: ReferentForm | None = None,
) -> HttpResponse:
    memberships = list(
        Membership.objects.filter(center=request.center)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email")
    )
    context = {
        "memberships": memberships,
        "is_admin": request.membership.is_admin,
        "role_choices": Membership.Role.choices,
        "referent": next((m for m in memberships if m.is_referent), None),
    }
    if request.membership.is_admin:
        context["referent_form"] = referent_form or ReferentForm(center=request.center)
        context["invite_form"] = invite_form or InviteForm()
        context["invitations"] = Invitation.objects.filter(
            center=request.center, status=Invitation.Status.PENDING
        ).order_by("email")
        context["validity_days"] = INVITATION_VALIDITY.days
    return render(request, "accounts/team.html", context, status=status)


@require_GET
@center_required
def team(request: CenterRequest) -> HttpResponse:
    return _render_team(request)


@require_POST
@center_required(admin=True)
def invite(request: CenterRequest) -> HttpResponse:
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _render_team(request, invite_form=form)
    try:
        outcome = services.invitation_send(
            center=request.center, emails=form.cleaned_data["emails"], role=form.cleaned_data["role"], by=request.user
        )
    except DomainError as error:
        form.add_error("emails", error.message)
        return _render_team(request, invite_form=form)
    if outcome.invited:
        messages.success(
            request,
            ngettext(
                "Une invitation a été envoyée à %(emails)s.",
                "Des invitations ont été envoyées à %(emails)s.",
                len(outcome.invited),
            )
            % {"emails": ", ".join(outcome.invited)},
        )
    if outcome.resent:
        messages.info(
            request,
            ngettext(
                "Une invitation était déjà en attente pour %(emails)s : elle a été renvoyée.",
                "Des invitations étaient déjà en attente pour %(emails)s : elles ont été renvoyées.",
                len(outcome.resent),
            )
            % {"emails": ", ".join(outcome.resent)},
        )
    if outcome.already_members:
        messages.warning(
            request,
            ngettext(
                "%(emails)s est déjà membre du centre : aucune invitation n'a été envoyée.",
                "%(emails)s sont déjà membres du centre : aucune invitation ne leur a été envoyée.",
                len(outcome.already_members),
            )
            % {"emails": ", ".join(outcome.already_members)},
        )
    return redirect("team:team")


@require_POST
@center_required(admin=True)
def invitation_cancel(request: CenterRequest, invitation_id: int) -> HttpResponse:
    invitation = get_for_center(request, Invitation, pk=invitation_id)
    try:
        services.invitation_cancel(invitation=invitation, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("L'invitation de %(email)s a été annulée.") % {"email": invitation.email})
    return redirect("team:team")


@require_POST
@center_required(admin=True)
def membership_change_role(request: CenterRequest, membership_id: int) -> HttpResponse:
    membership = get_for_center(request, Membership.objects.select_related("user"), pk=membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(message) for message in form.errors["role"]))
        return redirect("team:team")
    try:
        membership = services.membership_change_role(
            membership=membership, role=form.cleaned_data["role"], by=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("team:team")
    messages.success(
        request,
        _("%(name)s est maintenant %(role)s.")
        % {"name": membership.user.full_name or membership.user.email, "role": membership.get_role_display().lower()},
    )
    return redirect("team:team")


@require_POST
@center_required(admin=True)
def membership_remove(request: CenterRequest, membership_id: int) -> HttpResponse:
    membership = get_for_center(request, Membership.objects.select_related("user"), pk=membership_id)
    try:
        services.membership_remove(membership=membership, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("team:team")
    name = membership.user.full_name or membership.user.email
    if membership.user_id == request.user.pk:
        messages.success(request, _("Vous avez quitté le centre %(center)s.") % {"center": request.center.name})
        return redirect("accounts:landing")
    messages.success(request, _("%(name)s a été retiré(e) du centre.") % {"name": name})
    return redirect("team:team")


@require_POST
@center_required(admin=True)
def referent_designate(request: CenterRequest) -> HttpResponse:
    """ "Désigner un référent" / "Changer de référent": one member of the team becomes the Référent Pix."""
    form = ReferentForm(request.POST, center=request.center)
    if not form.is_valid():
        return _render_team(request, referent_form=form, status=400)
    try:
        membership = services.center_designate_referent(
            center=request.center, membership=form.cleaned_data["membership"], by=request.user
        )
    except DomainError as error:
        form.add_error("membership", error.message)
        return _render_team(request, referent_form=form, status=400)
    messages.success(
        request,
        _("%(name)s est maintenant le référent Pix du centre.")
        % {"name": membership.user.full_name or membership.user.email},
    )
    return redirect("team:team")


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the invitation e-mail: log in or create an account, then join the centre."""
    invitation = Invitation.objects.select_related("center").filter(token=token).first()
    if invitation is None:
        return render(request, "accounts/invitation.html", {"unknown": True}, status=404)
    here = reverse("team:invitation", kwargs={"token": token})
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={here}")
        try:
            membership, created = services.invitation_accept(invitation=invitation, by=request.user)
        except DomainError as error:
            return render(
                request, "accounts/invitation.html", {"invitation": invitation, "error": error.message}, status=410
            )
        if hasattr(request.user, "_memberships_cache"):
            del request.user._memberships_cache
        switch_center(request, membership.center_id)
        if created:
            messages.success(request, _("Vous avez rejoint le centre %(center)s.") % {"center": membership.center})
        else:
            messages.info(request, _("Vous êtes déjà membre du centre %(center)s.") % {"center": membership.center})
        return redirect("sessions_app:list")
    try:
        services.invitation_check(invitation)
    except DomainError as error:
        return render(
            request, "accounts/invitation.html", {"invitation": invitation, "error": error.message}, status=410
        )
    context = {
        "invitation": invitation,
        "here": here,
        "already_member": request.user.is_authenticated
        and Membership.objects.filter(center=invitation.center, user=request.user).exists(),
    }
    return render(request, "accounts/invitation.html", context)


@login_required
@require_GET
def documentation(request: AuthenticatedRequest) -> HttpResponse:
    context = {"contact_email": settings.CONTACT_EMAIL, "id_documents": ACCEPTED_ID_DOCUMENTS}
    return render(request, "accounts/documentation.html", context)
