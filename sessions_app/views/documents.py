"""Downloads of a session's documents, as attachments.

The attendance sheet and the incident report are for members of the session's centre (the
invigilator kit, served to invigilators too, is in `invigilation.views`). Another centre's
session is a 404. Documents carry the session's codes: never cached.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from pixcertif import downloads
from pixcertif.accounts.tenancy import CenterRequest, center_required
from sessions_app import documents
from sessions_app.selectors import session_for_center


@require_GET
@never_cache
@center_required
def attendance_sheet_pdf(request: CenterRequest, session_id: int) -> HttpResponse:
    session = session_for_center(request, session_id)
    filename, content = documents.attendance_sheet_pdf(session)
    return downloads.attachment(filename, content, documents.PDF_CONTENT_TYPE)


@require_GET
@never_cache
@center_required
def attendance_sheet_ods(request: CenterRequest, session_id: int) -> HttpResponse:
    session = session_for_center(request, session_id)
    filename, content = documents.attendance_sheet_ods(session)
    return downloads.attachment(filename, content, documents.ODS_CONTENT_TYPE)


@require_GET
@never_cache
@center_required
def incident_report_pdf(request: CenterRequest, session_id: int) -> HttpResponse:
    session = session_for_center(request, session_id)
    filename, content = documents.incident_report_pdf(session)
    return downloads.attachment(filename, content, documents.PDF_CONTENT_TYPE)
