"""The jury's sessions in the Django admin: "Sessions à traiter (jury)".

Finalised sessions, filtered by default on those still to process, with filters by centre,
status and "needs action" (unresolved reports or a comment from the centre); actions take /
publish (several at once) / unpublish / unfinalise / score again. A session's page lists its
candidates with their result and links to each certification, and its finalisation attachments.
Every button posts (CSRF-protected, through `admin_view`, staff only) to a small view that calls
a service of `finalisation.jury.services`: nothing here writes to the database by itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from finalisation.jury import services as jury
from finalisation.jury.admin.common import (
    CenterFilter,
    JuryActionsMixin,
    NeedsActionFilter,
    ProcessingFilter,
    StaffOnlyMixin,
    action_button,
    run_on_each,
    staff_user,
    unresolved_reports,
)
from finalisation.models import JurySession
from finalisation.models.attachments import SessionAttachment
from finalisation.results.classes import prepare_published_certificates
from pixcertif.core import chain
from sessions_app.models import Candidate, Session, SessionStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations

    from pixcertif.accounts.models import User


class _ReportCounts(TypedDict):  # what CandidateResultInline.get_queryset annotates
    reports_total: int
    reports_open: int


class _SessionCounts(TypedDict):  # what JurySessionAdmin.get_queryset annotates
    certifications: int
    unresolved_reports: int


class CandidateResultInline(StaffOnlyMixin, admin.TabularInline):
    model = Candidate
    verbose_name = _("candidat")
    verbose_name_plural = _("certifications de la session")
    extra = 0
    can_delete = False
    show_change_link = False
    fields = readonly_fields = (
        "name",
        "certification_link",
        "test_state",
        "jury_status",
        "rate",
        "pix_score",
        "reports",
    )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .filter(certification__isnull=False)
            .select_related("certification")
            .annotate(
                reports_total=Count("certification__issue_reports", distinct=True),
                reports_open=Count(
                    "certification__issue_reports",
                    filter=Q(certification__issue_reports__resolved_at=None),
                    distinct=True,
                ),
            )
        )

    @admin.display(description=_("candidat"))
    def name(self, obj: Candidate) -> str:
        return obj.full_name

    @admin.display(description=_("certification"))
    def certification_link(self, obj: Candidate) -> str:
        url = reverse("admin:finalisation_jurycertification_change", args=[obj.certification.pk])
        return format_html('<a href="{}">{} {}</a>', url, _("Certification"), obj.certification.pk)

    @admin.display(description=_("test"))
    def test_state(self, obj: Candidate) -> str:
        return obj.certification.get_state_display()

    @admin.display(description=_("statut"))
    def jury_status(self, obj: Candidate) -> str:
        return obj.certification.get_jury_status_display()

    @admin.display(description=_("taux de réussite"))
    def rate(self, obj: Candidate) -> str:
        rate = obj.certification.rate
        return "—" if rate is None else f"{rate * 100:.0f} %"

    @admin.display(description=_("score pix"))
    def pix_score(self, obj: Candidate) -> str:
        score = obj.certification.pix_score
        return "—" if score is None else str(score)

    @admin.display(description=_("signalements (non résolus)"))
    def reports(self, obj: WithAnnotations[Candidate, _ReportCounts]) -> str:
        return f"{obj.reports_total} ({obj.reports_open})"


class AttachmentInline(StaffOnlyMixin, admin.TabularInline):
    """The scans the centre sent with the finalisation, each with a link to download it."""

    model = SessionAttachment
    verbose_name = _("pièce jointe")
    verbose_name_plural = _("pièces jointes de finalisation")
    extra = 0
    can_delete = False
    fields = readonly_fields = ("kind", "download", "size_display", "uploaded")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).order_by("uploaded_at", "pk")

    @admin.display(description=_("nom du fichier"))
    def download(self, obj: SessionAttachment) -> str:
        url = reverse("finalisation:attachment_download", args=[obj.session_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)

    @admin.display(description=_("taille"))
    def size_display(self, obj: SessionAttachment) -> str:
        return filesizeformat(obj.size)

    @admin.display(description=_("ajouté le"))
    def uploaded(self, obj: SessionAttachment) -> str:
        return timezone.localtime(obj.uploaded_at).strftime("%d/%m/%Y %H:%M")


def _publish_and_prepare(*, session: Session, by: User) -> Session:
    """Publish the session, then render its school pupils' certificate pages ahead of the class
    downloads (`prepare_published_certificates`: 30 pupils, about 1.5 s)."""
    published = jury.session_publish(session=session, by=by)
    prepare_published_certificates([published])
    return published


@admin.register(JurySession)
class JurySessionAdmin(StaffOnlyMixin, JuryActionsMixin, admin.ModelAdmin):
    list_display = [
        "number",
        "center_name",
        "date",
        "room",
        "status",
        "assigned_to",
        "finalized_at",
        "certification_count",
        "unresolved_count",
        "has_center_comment",
        "published_at",
    ]
    list_display_links = ["number"]
    list_filter = [ProcessingFilter, NeedsActionFilter, ("center", CenterFilter)]
    list_select_related = ["center", "assigned_to"]
    search_fields = ["=id", "center__name", "room", "address"]
    ordering = ["finalized_at", "id"]
    actions = ["take", "publish", "unpublish", "unfinalise", "rescore"]
    inlines = [CandidateResultInline, AttachmentInline]
    fieldsets = [
        (
            _("Session"),
            {"fields": ["number", "center_name", "address", "room", "date", "time", "examiner", "description"]},
        ),
        (
            _("Traitement"),
            {"fields": ["status", "assigned_to", "finalized_at", "published_at", "jury_actions", "audit_integrity"]},
        ),
        (
            _("Informations de finalisation"),
            {"fields": ["has_incident", "has_joining_issue", "finalisation_comment"]},
        ),
    ]
    readonly_fields = [
        "number",
        "center_name",
        "address",
        "room",
        "date",
        "time",
        "examiner",
        "description",
        "status",
        "assigned_to",
        "finalized_at",
        "published_at",
        "jury_actions",
        "audit_integrity",
        "has_incident",
        "has_joining_issue",
        "finalisation_comment",
    ]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # read only: every change goes through a jury action

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        certifications = Subquery(
            Candidate.objects.filter(session=OuterRef("pk"), certification__isnull=False)
            .values("session")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        )
        return (
            super()
            .get_queryset(request)
            .exclude(status=SessionStatus.CREATED)
            .annotate(
                unresolved_reports=Coalesce(unresolved_reports("pk"), 0),
                certifications=Coalesce(certifications, 0),
            )
        )

    @admin.display(description=_("n° de session"), ordering="id")
    def number(self, obj: JurySession) -> int:
        return obj.pk

    @admin.display(description=_("centre de certification"), ordering="center__name")
    def center_name(self, obj: JurySession) -> str:
        return obj.center.name

    @admin.display(description=_("certifications"), ordering="certifications")
    def certification_count(self, obj: WithAnnotations[JurySession, _SessionCounts]) -> int:
        return obj.certifications

    @admin.display(description=_("signalements non résolus"), ordering="unresolved_reports")
    def unresolved_count(self, obj: WithAnnotations[JurySession, _SessionCounts]) -> int:
        return obj.unresolved_reports

    @admin.display(description=_("commentaire du centre"), boolean=True)
    def has_center_comment(self, obj: JurySession) -> bool:
        return bool(obj.finalisation_comment)

    @admin.display(description=_("journal des actions"))
    def audit_integrity(self, obj: JurySession) -> str:
        broken, count = chain.verify_session(obj.pk)
        if broken is None:
            return _("journal intègre (%(n)s ligne(s) vérifiée(s))") % {"n": count}
        return _("journal rompu à la %(where)s") % {"where": broken}

    @admin.display(description=_("actions du jury"))
    def jury_actions(self, obj: JurySession) -> str:
        def url(name: str) -> str:
            return reverse(f"admin:finalisation_jurysession_{name}", args=[obj.pk])

        buttons = []
        if obj.is_in_jury_hands:
            buttons += [
                action_button(url("take"), _("Prendre en charge")),
                action_button(url("rescore"), _("Recalculer les scores")),
                action_button(url("publish"), _("Publier les résultats")),
                action_button(
                    url("unfinalise"),
                    _("Définaliser (rendre la session au centre)"),
                    danger=True,
                    confirm=_("Rendre cette session au centre ? Elle repassera au statut Créée."),
                ),
            ]
        elif obj.status == SessionStatus.PUBLISHED:
            buttons.append(action_button(url("unpublish"), _("Dépublier les résultats"), danger=True))
        return format_html_join(" ", "{}", ((b,) for b in buttons)) or "—"

    # ---- changelist actions (several sessions at once)

    def _each(self, request: HttpRequest, queryset: QuerySet, service: Callable[..., Any], done: StrOrPromise) -> None:
        run_on_each(
            self,
            request,
            queryset,
            service,
            argument="session",
            done=_("%(done)s : {count} session(s).") % {"done": done},
        )

    @admin.action(description=_("Prendre en charge les sessions sélectionnées"))
    def take(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(request, queryset, jury.session_take, _("Prise(s) en charge"))

    @admin.action(description=_("Publier les résultats des sessions sélectionnées"))
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        selected = list(queryset.order_by("pk").values_list("pk", flat=True))  # the list's filter may hide them after
        self._each(request, queryset, jury.session_publish, _("Résultats publiés"))
        # The school pupils' certificate pages, ahead of the class downloads (a bounded number).
        published = Session.objects.filter(pk__in=selected, status=SessionStatus.PUBLISHED).select_related("center")
        prepare_published_certificates(published.order_by("pk"))

    @admin.action(description=_("Dépublier les résultats des sessions sélectionnées"))
    def unpublish(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(request, queryset, jury.session_unpublish, _("Résultats dépubliés"))

    @admin.action(description=_("Définaliser les sessions sélectionnées (retour au centre)"))
    def unfinalise(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(request, queryset, jury.session_unfinalise, _("Session(s) définalisée(s)"))

    @admin.action(description=_("Recalculer les scores des sessions sélectionnées"))
    def rescore(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(request, queryset, jury.session_rescore, _("Scores recalculés"))

    # ---- one session, from its page

    def get_urls(self) -> list:
        def one(service: Callable[..., Any], success: str) -> Callable[..., HttpResponse]:
            def view(request: HttpRequest, object_id: str) -> HttpResponse:
                session = self.get_object(request, object_id)
                if session is None:
                    raise Http404
                back = reverse("admin:finalisation_jurysession_change", args=[session.pk])
                return self._run(request, lambda: service(session=session, by=staff_user(request)), success, back)

            return self._view(view)

        custom = [
            ("take", "prendre", jury.session_take, _("La session est prise en charge.")),
            ("publish", "publier", _publish_and_prepare, _("Les résultats de la session sont publiés.")),
            ("unpublish", "depublier", jury.session_unpublish, _("Les résultats de la session sont dépubliés.")),
            ("unfinalise", "definaliser", jury.session_unfinalise, _("La session est rendue au centre.")),
            ("rescore", "recalculer", jury.session_rescore, _("Les scores de la session sont recalculés.")),
        ]
        return [
            *(
                path(f"<path:object_id>/{segment}/", one(service, str(text)), name=f"finalisation_jurysession_{name}")
                for name, segment, service, text in custom
            ),
            *super().get_urls(),
        ]


# ---------------------------------------------------------------- certifications
