"""Finalisation pages: step 1 (reports, abort reasons), step 2 (information, attachments), finalise.

Every object comes from the request's centre (another centre's is a 404). Every change is a POST
that saves at once (drafts survive) and redirects; the services refuse anything on a finalised
session.
"""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from finalisation import services
from finalisation.forms import AbortReasonForm, AttachmentForm, FinalisationInfoForm, IssueReportForm
from finalisation.models import SessionAttachment
from pixcertif import downloads
from pixcertif.accounts.tenancy import CenterRequest, center_required, get_for_center
from pixcertif.core.errors import DomainError
from sessions_app.models import Certification, IssueReport, Session
from sessions_app.report_categories import GROUPS
from sessions_app.selectors import session_for_center

# Which form field a service refusal belongs to.
_REPORT_ERROR_FIELDS = {
    "invalid_category": "code",
    "question_required": "question_number",
    "question_out_of_range": "question_number",
    "description_required": "description",
    "description_too_long": "description",
}


def _page_url(session: Session) -> str:
    return reverse("finalisation:finalise", args=[session.pk])


def _detail_url(session: Session) -> str:
    return reverse("sessions_app:detail", args=[session.pk])


def _closed(request: HttpRequest, session: Session) -> HttpResponse | None:
    """Send the user back to the details page when the session cannot be finalised (any more)."""
    if session.is_locked_for_center:
        messages.info(
            request,
            _("Cette session est finalisée : elle est entre les mains de l'équipe Pix et ne peut plus être modifiée."),
        )
        return redirect(_detail_url(session))
    if not session.is_started:
        messages.error(
            request, _("Aucun candidat n'a commencé son test : cette session ne peut pas encore être finalisée.")
        )
        return redirect(_detail_url(session))
    return None


def _refused(request: HttpRequest, session: Session, error: DomainError) -> HttpResponse:
    messages.error(request, error.message)
    if error.code in {"session_finalized", "session_not_started"}:
        return redirect(_detail_url(session))
    return redirect(_page_url(session))


def _certification(request: HttpRequest, session: Session, certification_id: int) -> Certification:
    """A started test of this session, of the request's centre, or 404."""
    return get_for_center(
        request,
        Certification.objects.select_related("candidate"),
        center_field="candidate__session__center",
        pk=certification_id,
        candidate__session=session,
    )


def _certifications(session: Session) -> list[Certification]:
    return list(
        Certification.objects.filter(candidate__session=session)
        .select_related("candidate")
        .prefetch_related(Prefetch("issue_reports", queryset=IssueReport.objects.order_by("created_at", "id")))
        .order_by("candidate__last_name", "candidate__first_name", "pk")
    )


def _render_page(
    request: HttpRequest,
    session: Session,
    *,
    info_form: FinalisationInfoForm | None = None,
    attachment_form: AttachmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    certifications = _certifications(session)
    unfinished = [c for c in certifications if c.state in services.UNFINISHED_STATES]
    finished = [c for c in certifications if c.state not in services.UNFINISHED_STATES]
    if info_form is None:
        info_form = FinalisationInfoForm(
            initial={
                "has_incident": session.has_incident,
                "has_joining_issue": session.has_joining_issue,
                "comment": session.finalisation_comment,
            }
        )
    context = {
        "session": session,
        "unfinished": unfinished,
        "finished": finished,
        "missing_reasons": [c for c in unfinished if not c.abort_reason],
        "abort_choices": cast(forms.ChoiceField, AbortReasonForm.base_fields["reason"]).choices,
        "info_form": info_form,
        "attachment_form": attachment_form or AttachmentForm(),
        "attachments": list(session.attachments.order_by("uploaded_at", "pk")),
    }
    return render(request, "finalisation/finalise.html", context, status=status)


@center_required
@require_GET
def finalise_page(request: CenterRequest, session_id: int) -> HttpResponse:
    session = session_for_center(request, session_id)
    return _closed(request, session) or _render_page(request, session)


@center_required
@require_http_methods(["GET", "POST"])
def report_add(request: CenterRequest, session_id: int, certification_id: int) -> HttpResponse:
    """The report dialog, as a page: "Signalement du candidat : <Prénom NOM>"."""
    session = session_for_center(request, session_id)
    certification = _certification(request, session, certification_id)
    if closed := _closed(request, session):
        return closed
    question_count = services.question_count(certification)
    form = IssueReportForm(request.POST or None, question_count=question_count)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.issue_report_add(
                certification=certification,
                code=form.cleaned_data["code"],
                question_number=form.cleaned_data["question_number"],
                description=form.cleaned_data["description"],
                by=request.user,
            )
        except DomainError as error:
            field = _REPORT_ERROR_FIELDS.get(error.code)
            if field is None:
                return _refused(request, session, error)
            form.add_error(field, error.message)
        else:
            messages.success(
                request,
                _("Le signalement %(code)s de %(name)s a été ajouté.")
                % {"code": report.code, "name": certification.candidate.full_name},
            )
            return redirect(f"{_page_url(session)}#certification-{certification.pk}")
    form.link_errors()
    return render(
        request,
        "finalisation/report_form.html",
        {
            "session": session,
            "certification": certification,
            "form": form,
            "groups": form.grouped_choices(),
            "question_count": question_count,
            "group_count": len(GROUPS),
        },
    )


@center_required
@require_http_methods(["GET", "POST"])
def report_edit(request: CenterRequest, session_id: int, report_id: int) -> HttpResponse:
    """ "Modifier": the report dialog, as a page, filled with the report (one entered during the
    session is edited like any other)."""
    session = session_for_center(request, session_id)
    report = get_for_center(
        request,
        IssueReport.objects.select_related("certification__candidate"),
        center_field="certification__candidate__session__center",
        pk=report_id,
        certification__candidate__session=session,
    )
    if closed := _closed(request, session):
        return closed
    certification = report.certification
    question_count = services.question_count(certification)
    initial = {"code": report.code, "question_number": report.question_number, "description": report.description}
    form = IssueReportForm(request.POST or None, initial=initial, question_count=question_count)
    if request.method == "POST" and form.is_valid():
        try:
            services.issue_report_update(
                report=report,
                code=form.cleaned_data["code"],
                question_number=form.cleaned_data["question_number"],
                description=form.cleaned_data["description"],
                by=request.user,
            )
        except DomainError as error:
            field = _REPORT_ERROR_FIELDS.get(error.code)
            if field is None:
                return _refused(request, session, error)
            form.add_error(field, error.message)
        else:
            messages.success(
                request,
                _("Le signalement %(code)s de %(name)s a été modifié.")
                % {"code": form.cleaned_data["code"], "name": certification.candidate.full_name},
            )
            return redirect(f"{_page_url(session)}#certification-{certification.pk}")
    form.link_errors()
    return render(
        request,
        "finalisation/report_form.html",
        {
            "session": session,
            "certification": certification,
            "report": report,
            "form": form,
            "groups": form.grouped_choices(),
            "question_count": question_count,
            "group_count": len(GROUPS),
        },
    )


@center_required
@require_POST
def report_remove(request: CenterRequest, session_id: int, report_id: int) -> HttpResponse:
    session = session_for_center(request, session_id)
    try:
        report = get_for_center(
            request,
            IssueReport.objects.select_related("certification__candidate"),
            center_field="certification__candidate__session__center",
            pk=report_id,
            certification__candidate__session=session,
        )
    except Http404:  # a double click: the session is ours, the report is already gone
        messages.info(request, _("Ce signalement a déjà été supprimé."))
        return redirect(_page_url(session))
    try:
        services.issue_report_remove(report=report, by=request.user)
    except DomainError as error:
        return _refused(request, session, error)
    messages.success(
        request,
        _("Le signalement %(code)s de %(name)s a été supprimé.")
        % {"code": report.code, "name": report.certification.candidate.full_name},
    )
    return redirect(f"{_page_url(session)}#certification-{report.certification_id}")


@center_required
@require_POST
def abort_reason(request: CenterRequest, session_id: int, certification_id: int) -> HttpResponse:
    session = session_for_center(request, session_id)
    certification = _certification(request, session, certification_id)
    form = AbortReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cette raison de l'abandon n'existe pas."))
        return redirect(_page_url(session))
    try:
        services.abort_reason_set(certification=certification, reason=form.cleaned_data["reason"], by=request.user)
    except DomainError as error:
        return _refused(request, session, error)
    messages.success(
        request,
        _("La raison de l'abandon de %(name)s a été enregistrée.") % {"name": certification.candidate.full_name},
    )
    return redirect(f"{_page_url(session)}#certification-{certification.pk}")


@center_required
@require_POST
def info_update(request: CenterRequest, session_id: int) -> HttpResponse:
    session = session_for_center(request, session_id)
    form = FinalisationInfoForm(request.POST)
    if not form.is_valid():
        if closed := _closed(request, session):
            return closed
        return _render_page(request, session, info_form=form)
    try:
        services.finalisation_info_update(
            session=session,
            has_incident=form.cleaned_data["has_incident"],
            has_joining_issue=form.cleaned_data["has_joining_issue"],
            comment=form.cleaned_data["comment"],
            by=request.user,
        )
    except DomainError as error:
        return _refused(request, session, error)
    messages.success(request, _("Les informations complémentaires ont été enregistrées."))
    return redirect(f"{_page_url(session)}#informations")


@center_required
@require_POST
def attachment_add(request: CenterRequest, session_id: int) -> HttpResponse:
    session = session_for_center(request, session_id)
    if closed := _closed(request, session):
        return closed
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = services.attachment_add(
                session=session, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"], by=request.user
            )
        except DomainError as error:
            if error.code == "session_finalized":
                return _refused(request, session, error)
            form.add_error("kind" if error.code == "invalid_attachment_kind" else "file", error.message)
        else:
            messages.success(
                request, _("Le fichier « %(name)s » a été joint à la session.") % {"name": attachment.original_name}
            )
            return redirect(f"{_page_url(session)}#pieces-jointes")
    return _render_page(request, session, attachment_form=form)


@center_required
@require_POST
def attachment_remove(request: CenterRequest, session_id: int, attachment_id: int) -> HttpResponse:
    session = session_for_center(request, session_id)
    try:
        attachment = get_for_center(
            request, SessionAttachment, center_field="session__center", pk=attachment_id, session=session
        )
    except Http404:  # a double click: the session is ours, the file is already gone
        messages.info(request, _("Ce fichier a déjà été supprimé."))
        return redirect(_page_url(session))
    try:
        services.attachment_remove(attachment=attachment, by=request.user)
    except DomainError as error:
        return _refused(request, session, error)
    messages.success(request, _("Le fichier « %(name)s » a été supprimé.") % {"name": attachment.original_name})
    return redirect(f"{_page_url(session)}#pieces-jointes")


@require_GET
def attachment_download(request: HttpRequest, session_id: int, attachment_id: int) -> HttpResponseBase:
    """Serve a scan as a download: to the session centre's members, and to Pix staff (the jury)."""
    if request.user.is_authenticated and request.user.is_staff:
        attachment = SessionAttachment.objects.filter(pk=attachment_id, session_id=session_id).first()
        if attachment is None:
            raise Http404
        return _serve(attachment)
    return _member_download(request, session_id, attachment_id)


@center_required
def _member_download(request: CenterRequest, session_id: int, attachment_id: int) -> HttpResponseBase:
    attachment = get_for_center(
        request, SessionAttachment, center_field="session__center", pk=attachment_id, session_id=session_id
    )
    return _serve(attachment)


def _serve(attachment: SessionAttachment) -> FileResponse:
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return downloads.attachment(attachment.download_name, handle, attachment.content_type)


@center_required
@require_GET
def finalise_confirm(request: CenterRequest, session_id: int) -> HttpResponse:
    """The confirmation step (without JavaScript; with it, the page opens a dialog instead)."""
    session = session_for_center(request, session_id)
    if closed := _closed(request, session):
        return closed
    certifications = _certifications(session)
    unfinished = [c for c in certifications if c.state in services.UNFINISHED_STATES]
    return render(
        request,
        "finalisation/finalise_confirm.html",
        {
            "session": session,
            "missing_reasons": [c for c in unfinished if not c.abort_reason],
            "report_count": sum(len(c.issue_reports.all()) for c in certifications),
        },
    )


@center_required
@require_POST
def finalise_submit(request: CenterRequest, session_id: int) -> HttpResponse:
    session = session_for_center(request, session_id)
    if session.is_locked_for_center:
        messages.info(request, _("Cette session est déjà finalisée."))
        return redirect(_detail_url(session))
    try:
        services.session_finalise(session=session, by=request.user)
    except DomainError as error:
        return _refused(request, session, error)
    messages.success(request, _("Les informations de la session ont été transmises avec succès."))
    messages.success(
        request, _("Les résultats seront disponibles après traitement de la session par Pix, sous 1 à quelques jours.")
    )
    return redirect(_detail_url(session))
