"""Downloads of a session's documents, as attachments.

The attendance sheet and the incident report are for members of the session's centre; the
invigilator kit also for an account that entered the session's password in the invigilator space.
Another centre's session is a 404. Documents carry the session's codes: never cached.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from invigilation.models import has_invigilator_access
from pixcertif.accounts.tenancy import center_required, current_center
from sessions_app import documents
from sessions_app.models import Session
from sessions_app.selectors import session_for_center


def _attachment(filename: str, content: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@require_GET
@never_cache
@center_required
def attendance_sheet_pdf(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_for_center(request, session_id)
    filename, content = documents.attendance_sheet_pdf(session)
    return _attachment(filename, content, documents.PDF_CONTENT_TYPE)


@require_GET
@never_cache
@center_required
def attendance_sheet_ods(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_for_center(request, session_id)
    filename, content = documents.attendance_sheet_ods(session)
    return _attachment(filename, content, documents.ODS_CONTENT_TYPE)


@require_GET
@never_cache
@center_required
def incident_report_pdf(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_for_center(request, session_id)
    filename, content = documents.incident_report_pdf(session)
    return _attachment(filename, content, documents.PDF_CONTENT_TYPE)


def _session_for_kit(request: HttpRequest, session_id: int) -> Session:
    """The session if the user works for its centre (current centre) or entered it as invigilator; else 404."""
    session = Session.objects.select_related("center").filter(pk=session_id).first()
    if session is None:
        raise Http404
    center = current_center(request)
    if center is not None and center.pk == session.center_id:
        return session
    if has_invigilator_access(request.user, session):
        return session
    raise Http404


@require_GET
@never_cache
def invigilator_kit_pdf(request: HttpRequest, session_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?next={request.get_full_path()}")
    session = _session_for_kit(request, session_id)
    filename, content = documents.invigilator_kit_pdf(session)
    return _attachment(filename, content, documents.PDF_CONTENT_TYPE)
