"""The jury's workspace in the Django admin (staff only).

- "Sessions à traiter (jury)": finalised sessions, filtered by default on those still to process,
  with filters by centre, status and "needs action" (unresolved reports or a comment from the
  centre); actions take / publish (several at once) / unpublish / unfinalise / score again.
- A session's page lists its candidates with their result and links to each certification.
- A certification's page shows the answers (neutralise / un-neutralise each question), the reports
  (resolve each with a note), the result, the jury decisions (cancel, reject for fraud, reinstate)
  and the comments for the candidate and for the centre.

Every button posts (CSRF-protected, through `admin_view`, staff only) to a small view that calls
the service of finalisation.jury: nothing here writes to the database by itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from finalisation import jury
from finalisation.models import JuryCertification, JurySession
from finalisation.models.attachments import SessionAttachment
from sessions_app.competences import COMPETENCE_NAMES
from sessions_app.exceptions import DomainError
from sessions_app.models import Candidate, CertificationChallenge, IssueReport, SessionStatus


def _is_staff(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_staff)


def _unresolved_reports(session_ref: str) -> Subquery:
    return Subquery(
        IssueReport.objects.filter(**{"certification__candidate__session": OuterRef(session_ref)}, resolved_at=None)
        .values("certification__candidate__session")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def _button(url: str, label: str, *, danger: bool = False, confirm: str = "") -> str:
    """A submit button of the admin change form, posting (with its CSRF token) to another URL."""
    style = "background:#b3261e;color:#fff" if danger else ""
    ask = format_html(' data-confirm="{}" onclick="return confirm(this.dataset.confirm)"', confirm) if confirm else ""
    return format_html(
        '<button type="submit" class="button" formaction="{}" formmethod="post" formnovalidate'
        ' style="{}"{}>{}</button>',
        url,
        style,
        ask,
        label,
    )


def _run_on_each(
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
            service(**{argument: obj}, by=request.user)
            count += 1
        except DomainError as error:
            model_admin.message_user(request, error.message, messages.ERROR)
    if count:
        model_admin.message_user(request, done.format(count=count), messages.SUCCESS)


class StaffOnlyMixin:
    """Any active staff member is a jury member; nobody adds or deletes from here."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_staff(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_staff(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class JuryActionsMixin:
    """Small POST-only admin views that call one jury service and come back with a message."""

    def _run(self, request: HttpRequest, action: Callable[[], Any], success: str, back: str) -> HttpResponse:
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

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
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
            return queryset.filter(status__in=[SessionStatus.FINALIZED, SessionStatus.IN_PROCESS])
        if value in (SessionStatus.FINALIZED, SessionStatus.IN_PROCESS, SessionStatus.PUBLISHED):
            return queryset.filter(status=value)
        return queryset


class NeedsActionFilter(admin.SimpleListFilter):
    title = _("action requise")
    parameter_name = "action_requise"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
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


class CandidateResultInline(StaffOnlyMixin, admin.TabularInline):
    model = Candidate
    verbose_name = _("candidat")
    verbose_name_plural = _("certifications de la session")
    extra = 0
    can_delete = False
    show_change_link = False
    fields = ["name", "certification_link", "test_state", "jury_status", "rate", "pix_score", "reports"]
    readonly_fields = fields

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
    def reports(self, obj: Candidate) -> str:
        return f"{obj.reports_total} ({obj.reports_open})"


class AttachmentInline(StaffOnlyMixin, admin.TabularInline):
    """The scans the centre sent with the finalisation, each with a link to download it."""

    model = SessionAttachment
    verbose_name = _("pièce jointe")
    verbose_name_plural = _("pièces jointes de finalisation")
    extra = 0
    can_delete = False
    fields = ["kind", "download", "size_display", "uploaded"]
    readonly_fields = fields

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
        (_("Traitement"), {"fields": ["status", "assigned_to", "finalized_at", "published_at", "jury_actions"]}),
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
                unresolved_reports=Coalesce(_unresolved_reports("pk"), 0),
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
    def certification_count(self, obj: JurySession) -> int:
        return obj.certifications

    @admin.display(description=_("signalements non résolus"), ordering="unresolved_reports")
    def unresolved_count(self, obj: JurySession) -> int:
        return obj.unresolved_reports

    @admin.display(description=_("commentaire du centre"), boolean=True)
    def has_center_comment(self, obj: JurySession) -> bool:
        return bool(obj.finalisation_comment)

    @admin.display(description=_("actions du jury"))
    def jury_actions(self, obj: JurySession) -> str:
        def url(name: str) -> str:
            return reverse(f"admin:finalisation_jurysession_{name}", args=[obj.pk])

        buttons = []
        if obj.status in jury.PROCESSING_STATUSES:
            buttons += [
                _button(url("take"), _("Prendre en charge")),
                _button(url("rescore"), _("Recalculer les scores")),
                _button(url("publish"), _("Publier les résultats")),
                _button(
                    url("unfinalise"),
                    _("Définaliser (rendre la session au centre)"),
                    danger=True,
                    confirm=_("Rendre cette session au centre ? Elle repassera au statut Créée."),
                ),
            ]
        elif obj.status == SessionStatus.PUBLISHED:
            buttons.append(_button(url("unpublish"), _("Dépublier les résultats"), danger=True))
        return format_html_join(" ", "{}", ((b,) for b in buttons)) or "—"

    # ---- changelist actions (several sessions at once)

    def _each(self, request: HttpRequest, queryset: QuerySet, service: Callable[..., Any], done: str) -> None:
        _run_on_each(self, request, queryset, service, argument="session", done=f"{done} : {{count}} session(s).")

    @admin.action(description=_("Prendre en charge les sessions sélectionnées"))
    def take(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(request, queryset, jury.session_take, "Prise(s) en charge")

    @admin.action(description=_("Publier les résultats des sessions sélectionnées"))
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(request, queryset, jury.session_publish, "Résultats publiés")

    @admin.action(description=_("Dépublier les résultats des sessions sélectionnées"))
    def unpublish(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(request, queryset, jury.session_unpublish, "Résultats dépubliés")

    @admin.action(description=_("Définaliser les sessions sélectionnées (retour au centre)"))
    def unfinalise(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(request, queryset, jury.session_unfinalise, "Session(s) définalisée(s)")

    @admin.action(description=_("Recalculer les scores des sessions sélectionnées"))
    def rescore(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(request, queryset, jury.session_rescore, "Scores recalculés")

    # ---- one session, from its page

    def get_urls(self) -> list:
        def one(service: Callable[..., Any], success: str) -> Callable[..., HttpResponse]:
            def view(request: HttpRequest, object_id: str) -> HttpResponse:
                session = self.get_object(request, object_id)
                if session is None:
                    raise Http404
                back = reverse("admin:finalisation_jurysession_change", args=[session.pk])
                return self._run(request, lambda: service(session=session, by=request.user), success, back)

            return self._view(view)

        custom = [
            ("take", "prendre", jury.session_take, _("La session est prise en charge.")),
            ("publish", "publier", jury.session_publish, _("Les résultats de la session sont publiés.")),
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


class AnswerInline(StaffOnlyMixin, admin.TabularInline):
    model = CertificationChallenge
    verbose_name = _("question")
    verbose_name_plural = _("réponses du candidat")
    extra = 0
    can_delete = False
    fields = ["number", "competence", "challenge_info", "answer", "result", "is_neutralized", "neutralisation"]
    readonly_fields = fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("challenge", "certification__candidate__session")

    @admin.display(description=_("n°"))
    def number(self, obj: CertificationChallenge) -> int:
        return obj.number

    @admin.display(description=_("épreuve"))
    def challenge_info(self, obj: CertificationChallenge) -> str:
        c = obj.challenge
        flags = [
            label
            for on, label in [
                (c.has_image, "image"),
                (c.has_embed, "simulateur"),
                (c.has_attachment, "fichier"),
                (c.is_timed, "chronométrée"),
                (c.is_focus, "focus"),
            ]
            if on
        ]
        return format_html(
            "{} · niv. {}{}<br><small>{}</small>",
            c.code,
            c.level,
            f" · {', '.join(flags)}" if flags else "",
            c.instruction[:120],
        )

    @admin.display(description=_("neutralisation"))
    def neutralisation(self, obj: CertificationChallenge) -> str:
        if obj.certification.candidate.session.status not in jury.PROCESSING_STATUSES:
            return "—"
        name = "unneutralise" if obj.is_neutralized else "neutralise"
        label = _("Annuler la neutralisation") if obj.is_neutralized else _("Neutraliser")
        url = reverse(f"admin:finalisation_jurycertification_{name}", args=[obj.certification_id, obj.pk])
        return _button(url, label)


class ReportInline(StaffOnlyMixin, admin.TabularInline):
    model = IssueReport
    verbose_name = _("signalement")
    verbose_name_plural = _("signalements")
    extra = 0
    can_delete = False
    fields = ["code", "question_number", "description", "resolution", "resolve"]
    readonly_fields = fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("resolved_by", "certification__candidate__session")

    @admin.display(description=_("résolution"))
    def resolution(self, obj: IssueReport) -> str:
        if not obj.is_resolved:
            return format_html("<strong>{}</strong>", _("À résoudre par le jury"))
        who = _("automatiquement") if obj.auto_resolved else (obj.resolved_by or "—")
        when = timezone.localtime(obj.resolved_at).strftime("%d/%m/%Y %H:%M")
        return format_html("{} ({}, {})", obj.resolution_note, who, when)

    @admin.display(description=_("résoudre"))
    def resolve(self, obj: IssueReport) -> str:
        if obj.certification.candidate.session.status not in jury.PROCESSING_STATUSES:
            return "—"
        url = reverse("admin:finalisation_jurycertification_resolve", args=[obj.certification_id, obj.pk])
        field = f"note-{obj.pk}"
        return format_html(
            '<label for="id_{}">{}</label><br><input type="text" id="id_{}" name="{}" maxlength="500" size="30"> {}',
            field,
            _("Note de résolution"),
            field,
            field,
            _button(url, _("Résoudre")),
        )


@admin.register(JuryCertification)
class JuryCertificationAdmin(StaffOnlyMixin, JuryActionsMixin, admin.ModelAdmin):
    list_display = ["pk", "candidate_name", "session_link", "state", "jury_status", "rate_display", "pix_score"]
    list_filter = ["jury_status", "candidate__session__status", "candidate__session__center"]
    list_select_related = ["candidate__session"]
    search_fields = ["=candidate__session__id", "candidate__last_name", "candidate__first_name", "verification_code"]
    actions = ["cancel", "reject_for_fraud", "reinstate"]
    inlines = [AnswerInline, ReportInline]
    fieldsets = [
        (_("Candidat"), {"fields": ["candidate_name", "birth_date", "session_link"]}),
        (_("Test"), {"fields": ["state", "abort_reason", "started_at", "ended_at"]}),
        (
            _("Résultat"),
            {
                "fields": [
                    "jury_status",
                    "rejected_for_fraud",
                    "rate_display",
                    "pix_score",
                    "levels_display",
                    "verification_code",
                    "scored",
                    "jury_actions",
                ]
            },
        ),
        (_("Commentaires du jury"), {"fields": ["comment_for_candidate", "comment_for_center"]}),
    ]
    readonly_fields = [
        "candidate_name",
        "birth_date",
        "session_link",
        "state",
        "abort_reason",
        "started_at",
        "ended_at",
        "jury_status",
        "rejected_for_fraud",
        "rate_display",
        "pix_score",
        "levels_display",
        "verification_code",
        "scored",
        "jury_actions",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .exclude(candidate__session__status=SessionStatus.CREATED)
            .select_related("candidate__session")
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Comments can be edited while the session is in the jury's hands."""
        if not _is_staff(request):
            return False
        return obj is None or obj.candidate.session.status in jury.PROCESSING_STATUSES

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: JuryCertification, form: Any, change: bool) -> None:
        """The comments go through the service (audited); nothing else is editable here."""
        jury.certification_comment(
            certification=obj,
            for_candidate=form.cleaned_data.get("comment_for_candidate", ""),
            for_center=form.cleaned_data.get("comment_for_center", ""),
            by=request.user,
        )

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> None:
        return None  # recorded in the audit trail by the service

    @admin.display(description=_("candidat"), ordering="candidate__last_name")
    def candidate_name(self, obj: JuryCertification) -> str:
        return obj.candidate.full_name

    @admin.display(description=_("date de naissance"))
    def birth_date(self, obj: JuryCertification) -> str:
        return f"{obj.candidate.birth_date:%d/%m/%Y}"

    @admin.display(description=_("session"), ordering="candidate__session_id")
    def session_link(self, obj: JuryCertification) -> str:
        session = obj.candidate.session
        url = reverse("admin:finalisation_jurysession_change", args=[session.pk])
        return format_html('<a href="{}">Session {} — {}</a>', url, session.pk, session.get_status_display())

    @admin.display(description=_("taux de réussite"))
    def rate_display(self, obj: JuryCertification) -> str:
        return "—" if obj.rate is None else f"{obj.rate * 100:.0f} %"

    @admin.display(description=_("score calculé le"))
    def scored(self, obj: JuryCertification) -> str:
        return "—" if obj.scored_at is None else timezone.localtime(obj.scored_at).strftime("%d/%m/%Y %H:%M")

    @admin.display(description=_("niveaux certifiés"))
    def levels_display(self, obj: JuryCertification) -> str:
        if not obj.competence_levels:
            return "—"
        return format_html_join(
            "",
            '<span title="{}" style="display:inline-block;margin:0 .75rem .25rem 0">{} : <strong>{}</strong></span>',
            ((COMPETENCE_NAMES.get(code, code), code, level) for code, level in obj.competence_levels.items()),
        )

    @admin.display(description=_("décisions du jury"))
    def jury_actions(self, obj: JuryCertification) -> str:
        if obj.candidate.session.status not in jury.PROCESSING_STATUSES:
            return _("Session publiée ou non finalisée : dépubliez-la pour la modifier.")

        def url(name: str) -> str:
            return reverse(f"admin:finalisation_jurycertification_{name}", args=[obj.pk])

        buttons = []
        if obj.jury_status == "cancelled" or obj.rejected_for_fraud:
            buttons.append(_button(url("reinstate"), _("Rétablir le résultat calculé")))
        if obj.jury_status != "cancelled":
            buttons.append(
                _button(
                    url("cancel"),
                    _("Annuler la certification"),
                    danger=True,
                    confirm=_("Annuler cette certification ?"),
                )
            )
        if not obj.rejected_for_fraud:
            buttons.append(
                _button(
                    url("reject_for_fraud"),
                    _("Rejeter pour fraude"),
                    danger=True,
                    confirm=_("Rejeter cette certification pour fraude ?"),
                )
            )
        return format_html_join(" ", "{}", ((b,) for b in buttons))

    # ---- changelist actions

    def _each(self, request: HttpRequest, queryset: QuerySet, service: Callable[..., Any], done: str) -> None:
        _run_on_each(
            self, request, queryset, service, argument="certification", done=f"{done} : {{count}} certification(s)."
        )

    @admin.action(description=_("Annuler les certifications sélectionnées"))
    def cancel(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(request, queryset, jury.certification_cancel, "Annulée(s)")

    @admin.action(description=_("Rejeter pour fraude les certifications sélectionnées"))
    def reject_for_fraud(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(request, queryset, jury.certification_reject_for_fraud, "Rejetée(s) pour fraude")

    @admin.action(description=_("Rétablir le résultat calculé des certifications sélectionnées"))
    def reinstate(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(request, queryset, jury.certification_reinstate, "Rétablie(s)")

    # ---- buttons of one certification's page

    def _certification(self, request: HttpRequest, object_id: str) -> JuryCertification:
        certification = self.get_object(request, object_id)
        if certification is None:
            raise Http404
        return certification

    def _back(self, certification: JuryCertification) -> str:
        return reverse("admin:finalisation_jurycertification_change", args=[certification.pk])

    def get_urls(self) -> list:
        def decision(service: Callable[..., Any], success: str) -> Callable[..., HttpResponse]:
            def view(request: HttpRequest, object_id: str) -> HttpResponse:
                certification = self._certification(request, object_id)
                run = lambda: service(certification=certification, by=request.user)  # noqa: E731
                return self._run(request, run, success, self._back(certification))

            return self._view(view)

        def neutralisation(service: Callable[..., Any], success: str) -> Callable[..., HttpResponse]:
            def view(request: HttpRequest, object_id: str, row_id: int) -> HttpResponse:
                certification = self._certification(request, object_id)
                row = get_object_or_404(CertificationChallenge, pk=row_id, certification=certification)
                run = lambda: service(certification_challenge=row, by=request.user)  # noqa: E731
                return self._run(request, run, success.format(n=row.number), self._back(certification))

            return self._view(view)

        def resolve(request: HttpRequest, object_id: str, report_id: int) -> HttpResponse:
            certification = self._certification(request, object_id)
            report = get_object_or_404(IssueReport, pk=report_id, certification=certification)
            note = request.POST.get(f"note-{report.pk}", "")
            run = lambda: jury.issue_report_resolve(report=report, note=note, by=request.user)  # noqa: E731
            return self._run(request, run, str(_("Le signalement est résolu.")), self._back(certification))

        prefix = "finalisation_jurycertification"
        return [
            path(
                "<path:object_id>/questions/<int:row_id>/neutraliser/",
                neutralisation(jury.challenge_neutralise, "La question {n} est neutralisée."),
                name=f"{prefix}_neutralise",
            ),
            path(
                "<path:object_id>/questions/<int:row_id>/deneutraliser/",
                neutralisation(jury.challenge_unneutralise, "La question {n} n'est plus neutralisée."),
                name=f"{prefix}_unneutralise",
            ),
            path(
                "<path:object_id>/signalements/<int:report_id>/resoudre/",
                self._view(resolve),
                name=f"{prefix}_resolve",
            ),
            path(
                "<path:object_id>/annuler/",
                decision(jury.certification_cancel, "La certification est annulée."),
                name=f"{prefix}_cancel",
            ),
            path(
                "<path:object_id>/rejeter-pour-fraude/",
                decision(jury.certification_reject_for_fraud, "La certification est rejetée pour fraude."),
                name=f"{prefix}_reject_for_fraud",
            ),
            path(
                "<path:object_id>/retablir/",
                decision(jury.certification_reinstate, "Le résultat calculé est rétabli."),
                name=f"{prefix}_reinstate",
            ),
            *super().get_urls(),
        ]
