"""The jury's certifications in the Django admin.

A certification's page shows the answers (neutralise / un-neutralise each question), the reports
(resolve each with a note), the result, the jury decisions (cancel, reject for fraud, reinstate)
and the comments for the candidate and for the centre. Buttons post to views that call
`finalisation.jury.services`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from finalisation.jury import services as jury
from finalisation.jury.admin.common import (
    JuryActionsMixin,
    StaffOnlyMixin,
    action_button,
    is_staff_member,
    run_on_each,
    staff_user,
)
from finalisation.jury.forms import CancelCertificateForm, ConfirmForm, ExtraTimeForm, IdentityForm
from finalisation.jury.timeline import certification_timeline
from finalisation.models import JuryCertification
from pixcertif.core.errors import DomainError
from sessions_app.competences import COMPETENCE_CODES, COMPETENCE_NAMES
from sessions_app.models import CertificationChallenge, IssueReport, SessionStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _posted(request: HttpRequest) -> Any:
    """The form data of a POST (even an empty one: a confirmation), None on a GET."""
    return request.POST if request.method == "POST" else None


class AnswerInline(StaffOnlyMixin, admin.TabularInline):
    model = CertificationChallenge
    verbose_name = _("question")
    verbose_name_plural = _("réponses du candidat")
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "number",
        "competence",
        "challenge_info",
        "answer",
        "result",
        "is_neutralized",
        "neutralisation",
    )

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
        if not obj.certification.candidate.session.is_in_jury_hands:
            return "—"
        name = "unneutralise" if obj.is_neutralized else "neutralise"
        label = _("Annuler la neutralisation") if obj.is_neutralized else _("Neutraliser")
        url = reverse(f"admin:finalisation_jurycertification_{name}", args=[obj.certification_id, obj.pk])
        return action_button(url, label)


class ReportInline(StaffOnlyMixin, admin.TabularInline):
    model = IssueReport
    verbose_name = _("signalement")
    verbose_name_plural = _("signalements")
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "code",
        "question_number",
        "description",
        "resolution",
        "resolve",
    )

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
        if not obj.certification.candidate.session.is_in_jury_hands:
            return "—"
        url = reverse("admin:finalisation_jurycertification_resolve", args=[obj.certification_id, obj.pk])
        field = f"note-{obj.pk}"
        return format_html(
            '<label for="id_{}">{}</label><br><input type="text" id="id_{}" name="{}" maxlength="500" size="30"> {}',
            field,
            _("Note de résolution"),
            field,
            field,
            action_button(url, _("Résoudre")),
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
        (
            _("Candidat"),
            {"fields": ["candidate_name", "birth_date", "birth_place", "extra_time", "session_link", "corrections"]},
        ),
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
                    "cancellation",
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
        "birth_place",
        "extra_time",
        "session_link",
        "corrections",
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
        "cancellation",
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
        if not is_staff_member(request):
            return False
        return obj is None or obj.candidate.session.is_in_jury_hands

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: JuryCertification, form: Any, change: bool) -> None:
        """The comments go through the service (audited); nothing else is editable here."""
        jury.certification_comment(
            certification=obj,
            for_candidate=form.cleaned_data.get("comment_for_candidate", ""),
            for_center=form.cleaned_data.get("comment_for_center", ""),
            by=staff_user(request),
        )

    # Django ignores what log_change returns (django-stubs says a LogEntry): nothing is logged here.
    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> None:  # type: ignore[override]
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
        return format_html(gettext('<a href="{}">Session {} — {}</a>'), url, session.pk, session.get_status_display())

    @admin.display(description=_("taux de réussite"))
    def rate_display(self, obj: JuryCertification) -> str:
        return "—" if obj.rate is None else f"{obj.rate * 100:.0f} %"

    @admin.display(description=_("score calculé le"))
    def scored(self, obj: JuryCertification) -> str:
        return "—" if obj.scored_at is None else timezone.localtime(obj.scored_at).strftime("%d/%m/%Y %H:%M")

    @admin.display(description=_("niveaux certifiés"))
    def levels_display(self, obj: JuryCertification) -> str:
        """A table (competence, level) of the assessed competences, in the framework's order."""
        levels = obj.competence_levels or {}
        if not levels:
            return "—"
        rows = [(code, COMPETENCE_NAMES[code], levels[code]) for code in COMPETENCE_CODES if code in levels]
        return render_to_string("admin/finalisation/jurycertification/_levels.html", {"levels": rows})

    @admin.display(description=_("lieu de naissance"))
    def birth_place(self, obj: JuryCertification) -> str:
        parts = [obj.candidate.birth_city, obj.candidate.birth_country]
        return " — ".join(p for p in parts if p) or "—"

    @admin.display(description=_("temps majoré"))
    def extra_time(self, obj: JuryCertification) -> str:
        percentage = obj.candidate.extra_time_percentage
        return f"{percentage} %" if percentage else "—"

    @admin.display(description=_("corrections et chronologie"))
    def corrections(self, obj: JuryCertification) -> str:
        """Links to the identity / extra-time forms (GET pages) and to the timeline."""
        links = [(self._url("identity", obj), _("Corriger l'identité du candidat"))]
        if obj.candidate.session.is_in_jury_hands:
            links.append((self._url("extra_time", obj), _("Modifier le temps majoré")))
        links.append((self._url("timeline", obj), _("Chronologie de la certification")))
        return format_html_join(" ", '<a class="button" href="{}">{}</a>', links)

    @admin.display(description=_("annulation de l'attestation"))
    def cancellation(self, obj: JuryCertification) -> str:
        if obj.cancelled_at is None:
            return "—"
        when = timezone.localtime(obj.cancelled_at).strftime("%d/%m/%Y %H:%M")
        return format_html("{} — {}", when, obj.cancellation_reason)

    def _url(self, name: str, obj: JuryCertification) -> str:
        return reverse(f"admin:finalisation_jurycertification_{name}", args=[obj.pk])

    @admin.display(description=_("décisions du jury"))
    def jury_actions(self, obj: JuryCertification) -> StrOrPromise:
        status = obj.candidate.session.status
        if status == SessionStatus.PUBLISHED:
            if obj.jury_status == "cancelled":
                link = (self._url("restore_certificate", obj), _("Rétablir"))
            else:
                link = (self._url("cancel_certificate", obj), _("Annuler l'attestation"))
            return format_html(
                '{} <a class="button" href="{}">{}</a>',
                _("Session publiée : l'attestation peut être annulée ou rétablie sans dépublier la session."),
                *link,
            )
        if not obj.candidate.session.is_in_jury_hands:
            return _("Session non finalisée.")

        def url(name: str) -> str:
            return reverse(f"admin:finalisation_jurycertification_{name}", args=[obj.pk])

        buttons = []
        if obj.jury_status == "cancelled" or obj.rejected_for_fraud:
            buttons.append(action_button(url("reinstate"), _("Rétablir le résultat calculé")))
        if obj.jury_status != "cancelled":
            buttons.append(
                action_button(
                    url("cancel"),
                    _("Annuler la certification"),
                    danger=True,
                    confirm=_("Annuler cette certification ?"),
                )
            )
        if not obj.rejected_for_fraud:
            buttons.append(
                action_button(
                    url("reject_for_fraud"),
                    _("Rejeter pour fraude"),
                    danger=True,
                    confirm=_("Rejeter cette certification pour fraude ?"),
                )
            )
        return format_html_join(" ", "{}", ((b,) for b in buttons))

    # ---- changelist actions

    def _each(self, request: HttpRequest, queryset: QuerySet, service: Callable[..., Any], done: StrOrPromise) -> None:
        run_on_each(
            self, request, queryset, service, argument="certification", done=f"{done} : {{count}} certification(s)."
        )

    @admin.action(description=_("Annuler les certifications sélectionnées"))
    def cancel(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(request, queryset, jury.certification_cancel, _("Annulée(s)"))

    @admin.action(description=_("Rejeter pour fraude les certifications sélectionnées"))
    def reject_for_fraud(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(request, queryset, jury.certification_reject_for_fraud, _("Rejetée(s) pour fraude"))

    @admin.action(description=_("Rétablir le résultat calculé des certifications sélectionnées"))
    def reinstate(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(request, queryset, jury.certification_reinstate, _("Rétablie(s)"))

    # ---- buttons of one certification's page

    def _certification(self, request: HttpRequest, object_id: str) -> JuryCertification:
        certification = self.get_object(request, object_id)
        if certification is None:
            raise Http404
        return certification

    def _back(self, certification: JuryCertification) -> str:
        return reverse("admin:finalisation_jurycertification_change", args=[certification.pk])

    # ---- forms of one certification: identity, extra time, cancel / restore a published certificate

    def _form_page(
        self,
        request: HttpRequest,
        certification: JuryCertification,
        *,
        form: Form,
        title: str,
        submit: str,
        run: Callable[[dict[str, Any]], Any],
        success: str,
        intro: str = "",
    ) -> HttpResponse:
        if request.method == "POST" and form.is_valid():
            try:
                run(form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                self.message_user(request, success, messages.SUCCESS)
                return HttpResponseRedirect(self._back(certification))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": certification,
            "title": title,
            "intro": intro,
            "form": form,
            "submit": submit,
            "back": self._back(certification),
        }
        status = 400 if request.method == "POST" else 200
        return TemplateResponse(request, "admin/finalisation/jurycertification/jury_form.html", context, status=status)

    def identity_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        certification = self._certification(request, object_id)
        candidate = certification.candidate
        initial = {field: getattr(candidate, field) for field in jury.IDENTITY_FIELDS}
        form = IdentityForm(_posted(request), initial=initial)

        def run(data: dict[str, Any]) -> Any:
            return jury.certification_correct_identity(certification=certification, by=staff_user(request), **data)

        return self._form_page(
            request,
            certification,
            form=form,
            title=gettext("Corriger l'identité du candidat"),
            intro=gettext(
                "L'attestation, les résultats du centre, les exports CSV et la page de vérification afficheront "
                "l'identité corrigée. L'ancienne et la nouvelle valeur sont conservées dans le journal des actions."
            ),
            submit=gettext("Enregistrer la correction"),
            run=run,
            success=gettext("L'identité du candidat est corrigée."),
        )

    def extra_time_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        certification = self._certification(request, object_id)
        initial = {"extra_time_percentage": certification.candidate.extra_time_percentage}
        form = ExtraTimeForm(_posted(request), initial=initial)

        def run(data: dict[str, Any]) -> Any:
            return jury.certification_set_extra_time(
                certification=certification,
                percentage=data["extra_time_percentage"],
                reason=data["reason"],
                by=staff_user(request),
            )

        return self._form_page(
            request,
            certification,
            form=form,
            title=gettext("Modifier le temps majoré"),
            intro=gettext("Possible tant que les résultats de la session ne sont pas publiés."),
            submit=gettext("Enregistrer le temps majoré"),
            run=run,
            success=gettext("Le temps majoré est enregistré."),
        )

    def cancel_certificate_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        certification = self._certification(request, object_id)

        def run(data: dict[str, Any]) -> Any:
            return jury.certification_cancel_published(
                certification=certification, reason=data["reason"], by=staff_user(request)
            )

        return self._form_page(
            request,
            certification,
            form=CancelCertificateForm(_posted(request)),
            title=gettext("Annuler l'attestation"),
            intro=gettext(
                "La session reste publiée. Le centre et le candidat verront « Annulée » ; la page de vérification "
                "indiquera que l'attestation a été annulée. L'annulation peut être défaite avec « Rétablir »."
            ),
            submit=gettext("Annuler l'attestation"),
            run=run,
            success=gettext("L'attestation est annulée."),
        )

    def restore_certificate_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        certification = self._certification(request, object_id)

        def run(data: dict[str, Any]) -> Any:
            return jury.certification_restore_published(certification=certification, by=staff_user(request))

        return self._form_page(
            request,
            certification,
            form=ConfirmForm(_posted(request)),
            title=gettext("Rétablir l'attestation"),
            intro=gettext(
                "La certification retrouve son résultat calculé ; son code de vérification redevient valable."
            ),
            submit=gettext("Rétablir"),
            run=run,
            success=gettext("L'attestation est rétablie."),
        )

    def timeline_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        certification = self._certification(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": certification,
            "title": gettext("Chronologie de la certification"),
            "events": certification_timeline(certification),
            "back": self._back(certification),
        }
        return TemplateResponse(request, "admin/finalisation/jurycertification/timeline.html", context)

    def get_urls(self) -> list:
        def page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
            return self.admin_site.admin_view(require_http_methods(["GET", "POST"])(view))

        def decision(service: Callable[..., Any], success: StrOrPromise) -> Callable[..., HttpResponse]:
            def view(request: HttpRequest, object_id: str) -> HttpResponse:
                certification = self._certification(request, object_id)
                run = lambda: service(certification=certification, by=staff_user(request))  # noqa: E731
                return self._run(request, run, success, self._back(certification))

            return self._view(view)

        def neutralisation(service: Callable[..., Any], success: StrOrPromise) -> Callable[..., HttpResponse]:
            def view(request: HttpRequest, object_id: str, row_id: int) -> HttpResponse:
                certification = self._certification(request, object_id)
                row = get_object_or_404(CertificationChallenge, pk=row_id, certification=certification)
                run = lambda: service(certification_challenge=row, by=staff_user(request))  # noqa: E731
                return self._run(request, run, str(success).format(n=row.number), self._back(certification))

            return self._view(view)

        def resolve(request: HttpRequest, object_id: str, report_id: int) -> HttpResponse:
            certification = self._certification(request, object_id)
            report = get_object_or_404(IssueReport, pk=report_id, certification=certification)
            note = request.POST.get(f"note-{report.pk}", "")
            run = lambda: jury.issue_report_resolve(report=report, note=note, by=staff_user(request))  # noqa: E731
            return self._run(request, run, str(_("Le signalement est résolu.")), self._back(certification))

        prefix = "finalisation_jurycertification"
        return [
            path(
                "<path:object_id>/questions/<int:row_id>/neutraliser/",
                neutralisation(jury.challenge_neutralise, _("La question {n} est neutralisée.")),
                name=f"{prefix}_neutralise",
            ),
            path(
                "<path:object_id>/questions/<int:row_id>/deneutraliser/",
                neutralisation(jury.challenge_unneutralise, _("La question {n} n'est plus neutralisée.")),
                name=f"{prefix}_unneutralise",
            ),
            path(
                "<path:object_id>/signalements/<int:report_id>/resoudre/",
                self._view(resolve),
                name=f"{prefix}_resolve",
            ),
            path(
                "<path:object_id>/annuler/",
                decision(jury.certification_cancel, _("La certification est annulée.")),
                name=f"{prefix}_cancel",
            ),
            path(
                "<path:object_id>/rejeter-pour-fraude/",
                decision(jury.certification_reject_for_fraud, _("La certification est rejetée pour fraude.")),
                name=f"{prefix}_reject_for_fraud",
            ),
            path(
                "<path:object_id>/chronologie/",
                self.admin_site.admin_view(require_GET(self.timeline_view)),
                name=f"{prefix}_timeline",
            ),
            path("<path:object_id>/identite/", page(self.identity_view), name=f"{prefix}_identity"),
            path("<path:object_id>/temps-majore/", page(self.extra_time_view), name=f"{prefix}_extra_time"),
            path(
                "<path:object_id>/annuler-attestation/",
                page(self.cancel_certificate_view),
                name=f"{prefix}_cancel_certificate",
            ),
            path(
                "<path:object_id>/retablir-attestation/",
                page(self.restore_certificate_view),
                name=f"{prefix}_restore_certificate",
            ),
            path(
                "<path:object_id>/retablir/",
                decision(jury.certification_reinstate, _("Le résultat calculé est rétabli.")),
                name=f"{prefix}_reinstate",
            ),
            *super().get_urls(),
        ]
