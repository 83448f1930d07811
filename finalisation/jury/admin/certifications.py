"""The jury's certifications in the Django admin.

A certification's page shows the answers (neutralise / un-neutralise each question), the reports
(resolve each with a note), the result, the jury decisions (cancel, reject for fraud, reinstate)
and the comments for the candidate and for the centre. Buttons post to views that call
`finalisation.jury.services`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from finalisation.jury import services as jury
from finalisation.jury.admin.common import (
    JuryActionsMixin,
    StaffOnlyMixin,
    _button,
    _is_staff,
    _run_on_each,
)
from finalisation.models import JuryCertification
from sessions_app.competences import COMPETENCE_CODES, COMPETENCE_NAMES
from sessions_app.models import CertificationChallenge, IssueReport, SessionStatus


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
        if not obj.certification.candidate.session.is_in_jury_hands:
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
        return obj is None or obj.candidate.session.is_in_jury_hands

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
        """A table (competence, level) of the assessed competences, in the framework's order."""
        levels = obj.competence_levels or {}
        if not levels:
            return "—"
        rows = [(code, COMPETENCE_NAMES[code], levels[code]) for code in COMPETENCE_CODES if code in levels]
        return render_to_string("admin/finalisation/jurycertification/_levels.html", {"levels": rows})

    @admin.display(description=_("décisions du jury"))
    def jury_actions(self, obj: JuryCertification) -> str:
        if not obj.candidate.session.is_in_jury_hands:
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
