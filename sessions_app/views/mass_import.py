"""Mass import of sessions ("Créer/éditer plusieurs sessions"), for centres that are not schools.

Step 1 (`mass_import_check`) validates the uploaded file and, when it is valid, keeps the result
in a `SessionImport` row (never in process memory) and shows its summary; step 2
(`mass_import_finalise`) creates everything in one transaction. Members manage sessions, so
members may import them (as they may create one); a school gets a 404.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from pixcertif import downloads
from pixcertif.accounts.tenancy import CenterRequest, center_required
from pixcertif.core.errors import DomainError
from sessions_app import mass_import
from sessions_app.forms.enrolment import SessionsImportForm
from sessions_app.models import SessionImport
from sessions_app.ods import ODS_MIMETYPE
from sessions_app.services.mass_import import session_import_finalise, session_import_stage

MAX_ERRORS_SHOWN = 300


def _not_for_schools(request: CenterRequest) -> None:
    if request.center.is_school:
        raise Http404


def _staged_for(request: CenterRequest, import_id: uuid.UUID) -> SessionImport:
    """This user's import in the current centre: anybody else's is a 404."""
    staged = SessionImport.objects.filter(pk=import_id, center=request.center, created_by=request.user).first()
    if staged is None:
        raise Http404
    return staged


def _day(iso: str) -> str:
    return f"{dt.date.fromisoformat(iso):%d/%m/%Y}"


def _render(request: HttpRequest, *, form=None, errors=None, staged=None, status: int = 200) -> HttpResponse:
    errors = errors or []
    context = {
        "form": form or SessionsImportForm(),
        "errors": [str(e) for e in errors[:MAX_ERRORS_SHOWN]],
        "errors_total": len(errors),
        "staged": staged,
        "max_lines": mass_import.MAX_LINES_LABEL,
        "max_size": mass_import.MAX_FILE_LABEL,
        "columns": mass_import.COLUMNS,
    }
    if staged is not None:
        context["summary"] = mass_import.summary(
            sessions=staged.session_count, empty=staged.empty_session_count, candidates=staged.candidate_count
        )
        context["staged_sessions"] = [
            {**s, "date": _day(s["fields"]["date"]) if s["fields"] else ""} for s in staged.payload["sessions"]
        ]
    return render(request, "sessions_app/mass_import.html", context, status=status)


@require_GET
@center_required
def mass_import_page(request: CenterRequest) -> HttpResponse:
    _not_for_schools(request)
    return _render(request)


@require_GET
@center_required
def template_csv_download(request: CenterRequest) -> HttpResponse:
    _not_for_schools(request)
    return downloads.attachment("modele-import-sessions.csv", mass_import.template_csv(), "text/csv; charset=utf-8")


@require_GET
@center_required
def template_ods_download(request: CenterRequest) -> HttpResponse:
    _not_for_schools(request)
    return downloads.attachment("modele-import-sessions.ods", mass_import.template_ods(), ODS_MIMETYPE)


@require_POST
@center_required
def mass_import_check(request: CenterRequest) -> HttpResponse:
    """Step 1: every line checked; nothing is created here."""
    _not_for_schools(request)
    form = SessionsImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        validation = mass_import.validate_file(upload.read(), center=request.center)
    except mass_import.ImportFileError as error:
        form.add_error("file", str(error))
        return _render(request, form=form, status=400)
    if not validation.is_valid:
        form.add_error(
            "file",
            ngettext(
                "Le fichier contient %(n)s erreur : rien n'a été importé.",
                "Le fichier contient %(n)s erreurs : rien n'a été importé.",
                len(validation.errors),
            )
            % {"n": len(validation.errors)},
        )
        return _render(request, form=form, errors=validation.errors, status=400)
    try:
        staged = session_import_stage(
            center=request.center, by=request.user, filename=upload.name or "", validation=validation
        )
    except DomainError as error:
        form.add_error("file", error.message)
        return _render(request, form=form, status=400)
    return redirect("sessions_app:mass_import_summary", staged.pk)


@require_GET
@center_required
def mass_import_summary(request: CenterRequest, import_id: uuid.UUID) -> HttpResponse:
    _not_for_schools(request)
    staged = _staged_for(request, import_id)
    if staged.imported_at is not None:
        messages.info(request, _("Cet import a déjà été finalisé."))
        return redirect("sessions_app:list")
    if staged.is_expired:
        form = SessionsImportForm()
        form.add_error(None, _("Cet import a expiré : importez de nouveau le fichier."))
        return _render(request, form=form, status=410)
    return _render(request, staged=staged)


@require_POST
@center_required
def mass_import_finalise(request: CenterRequest, import_id: uuid.UUID) -> HttpResponse:
    """Step 2 "Finaliser l'import": all or nothing."""
    _not_for_schools(request)
    staged = _staged_for(request, import_id)
    try:
        session_ids = session_import_finalise(staged=staged, by=request.user)
    except DomainError as error:
        messages.error(request, error.message + " " + _("Rien n'a été importé."))
        return redirect(reverse("sessions_app:mass_import"))
    messages.success(
        request,
        _("Import terminé : %(summary)s.")
        % {
            "summary": mass_import.summary(
                sessions=len(session_ids), empty=staged.empty_session_count, candidates=staged.candidate_count
            )
        },
    )
    return redirect("sessions_app:list")
