"""What the jury's admin pages share: staff-only access, the POST buttons, running a service on rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django.contrib import admin, messages
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from pixcertif.accounts.models import User
from pixcertif.core.errors import DomainError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    _ModelAdminBase = admin.ModelAdmin  # what the mixin is mixed into, for type checkers
else:
    _ModelAdminBase = object
from sessions_app.models import IssueReport, SessionStatus
from sessions_app.models.session import IN_JURY_HANDS_STATUSES


def is_staff_member(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_staff)


def staff_user(request: HttpRequest) -> User:
    """Who acts on a jury page: the admin site lets only active staff accounts in (`is_staff_member`)."""
    return cast(User, request.user)


def unresolved_reports(session_ref: str) -> Subquery:
    return Subquery(
        IssueReport.objects.filter(**{"certification__candidate__session": OuterRef(session_ref)}, resolved_at=None)
        .values("certification__candidate__session")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def action_button(url: str, label: StrOrPromise, *, danger: bool = False, confirm: StrOrPromise = "") -> str:
    """A submit button of the admin change form, posting (with its CSRF token) to another URL
    (templates/admin/jury/_action_button.html; confirmation and danger style from the static
    files of `JuryActionsMixin.Media`)."""
    return render_to_string(
        "admin/jury/_action_button.html", {"url": url, "label": label, "danger": danger, "confirm": confirm}
    )


def run_on_each(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    service: Callable[..., Any],
    *,
    argument: str,
    done: str,
) -> None:
    """Run a jury service on each selected row; a refusal is reported and does not stop the others."""
    count = 0
    for obj in queryset.order_by("pk"):
        try:
            service(**{argument: obj}, by=staff_user(request))
            count += 1
        except DomainError as error:
            model_admin.message_user(request, error.message, messages.ERROR)
    if count:
        model_admin.message_user(request, done.format(count=count), messages.SUCCESS)


class StaffOnlyMixin:
    """Any active staff member is a jury member; nobody adds or deletes from here."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_staff_member(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_staff_member(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class JuryActionsMixin(_ModelAdminBase):
    """Small POST-only admin views that call one jury service and come back with a message."""

    class Media:
        js = ["js/jury_admin.js"]
        css = {"all": ["css/jury_admin.css"]}

    def _run(self, request: HttpRequest, action: Callable[[], Any], success: StrOrPromise, back: str) -> HttpResponse:
        try:
            action()
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(request, success, messages.SUCCESS)
        return HttpResponseRedirect(back)

    def _view(self, func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        return self.admin_site.admin_view(require_POST(func))


# ---------------------------------------------------------------- sessions


class ProcessingFilter(admin.SimpleListFilter):
    """Status, with "to process" (finalised or in process) as the default view."""

    title = _("statut")
    parameter_name = "statut"
    TO_PROCESS = "a_traiter"
    ALL = "toutes"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [
            (self.TO_PROCESS, _("À traiter (finalisées ou en cours de traitement)")),
            (SessionStatus.FINALIZED, _("Finalisée")),
            (SessionStatus.IN_PROCESS, _("En cours de traitement")),
            (SessionStatus.PUBLISHED, _("Résultats transmis par Pix")),
            (self.ALL, _("Toutes")),
        ]

    def value(self) -> str:
        return super().value() or self.TO_PROCESS

    def choices(self, changelist: Any):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value == self.TO_PROCESS:
            return queryset.filter(status__in=IN_JURY_HANDS_STATUSES)
        if value in (SessionStatus.FINALIZED, SessionStatus.IN_PROCESS, SessionStatus.PUBLISHED):
            return queryset.filter(status=value)
        return queryset


class NeedsActionFilter(admin.SimpleListFilter):
    title = _("action requise")
    parameter_name = "action_requise"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [
            ("oui", _("Oui (signalements non résolus ou commentaire du centre)")),
            ("non", _("Non")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        needs = Q(unresolved_reports__gt=0) | ~Q(finalisation_comment="")
        if self.value() == "oui":
            return queryset.filter(needs)
        if self.value() == "non":
            return queryset.exclude(needs)
        return queryset


class CenterFilter(admin.RelatedFieldListFilter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title = _("centre de certification")
