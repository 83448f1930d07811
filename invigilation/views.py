"""The invigilator space: entry by session number + password, then one phone-sized page per
session with a live candidate list (an htmx-polled fragment answering 304 when nothing changed)."""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import http_date, parse_etags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from invigilation import selectors
from invigilation.forms import EntryForm
from invigilation.models import has_invigilator_access
from invigilation.rows import render_rows
from invigilation.services import invigilator_access_grant, invigilator_access_refused
from pixcertif import downloads
from pixcertif.accounts import throttle
from pixcertif.accounts.tenancy import AuthenticatedRequest, current_center
from pixcertif.core.errors import DomainError
from sessions_app import documents
from sessions_app.live_alerts import ALERT_CODES
from sessions_app.models import Candidate, Session
from sessions_app.report_categories import CATEGORIES, label_for
from sessions_app.services.certification import (
    candidate_authorize_resume,
    candidate_set_presence,
    certification_end_by_invigilator,
)

# Per account (10 wrong tries in 15 minutes), and only loosely per address: a pupil's tries
# behind the school's NAT must not shut out the invigilators of that school.
ENTRY_GUARD = throttle.Guard("invigilator-entry", per_account=10, per_address=300)
# Part of the live list's ETag: bump it when the fragment's markup changes, so that browsers
# holding a copy made by the previous version get the new one.
FRAGMENT_VERSION = "2"
# "Valider le signalement": the sub-categories an invigilator may pick (E ones, as finalisation words them).
ALERT_CHOICES = [(code, label_for(code)) for code in CATEGORIES if code in ALERT_CODES]


# ---------------------------------------------------------------- entry


@login_required
@require_http_methods(["GET", "POST"])
def entry(request: AuthenticatedRequest) -> HttpResponse:
    """'Surveiller une session': number + password → access remembered, then the session page."""
    blocked = False
    if request.method == "POST":
        form = EntryForm(request.POST)
        if ENTRY_GUARD.is_blocked(request):
            blocked = True
        elif form.is_valid():
            try:
                invigilator_access_grant(session=form.session, by=request.user)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                ENTRY_GUARD.record_success(request)
                return redirect("invigilation:session", session_id=form.session.pk)
        elif form.has_error("__all__", "wrong_pair"):
            ENTRY_GUARD.record_failure(request)
            invigilator_access_refused(
                session_number=form.cleaned_data["session_number"], by=request.user, ip=throttle.client_ip(request)
            )
    else:
        form = EntryForm(initial={"session_number": request.GET.get("numero", "")[:30]})
    response = render(
        request,
        "invigilation/entry.html",
        {"form": form, "blocked": blocked, "watched": selectors.watched_sessions(request.user)},
    )
    if blocked:
        response.status_code = 429
    return response


# ---------------------------------------------------------------- access


def _to_entry(request: HttpRequest, session_id: int) -> HttpResponse:
    """No access (never entered the password, or logged out): back to the entry form."""
    url = f"{reverse('invigilation:entry')}?{urlencode({'numero': session_id})}"
    if not request.user.is_authenticated:
        url = f"{reverse('accounts:login')}?{urlencode({'next': reverse('invigilation:session', args=[session_id])})}"
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _session_page_url(session_id: int, query: str = "") -> str:
    url = reverse("invigilation:session", args=[session_id])
    return f"{url}?{urlencode({'q': query})}" if query else url


def _list_version(session: Session, query: str) -> str:
    stamp = int(session.changed_at.timestamp() * 1_000_000)
    # crc32, not hash(): the same on every worker process.
    return f"{FRAGMENT_VERSION}-{session.pk}-{stamp}-{session.status}-{zlib.crc32(query.encode()):x}"


def _list_etag(session: Session, query: str, valid_until: datetime | None) -> str:
    """The version of the data, then the instant (epoch seconds, 0: never) until which the copy
    reads right with nothing written: a minute label ("il y a 2 min", "Inactif depuis N min"), a
    15-minute authorisation or a 24-hour limit turns then. A poll answers 304 before it, and
    renders the list again after it: once a minute at most while tests are in progress."""
    until = int(valid_until.timestamp()) if valid_until else 0
    return f'"{_list_version(session, query)}-{until}"'


def _current_copy(request: HttpRequest, session: Session, query: str) -> str | None:
    """The ETag the browser holds, if that copy is still the right one now (then: 304)."""
    version = _list_version(session, query)
    now = time.time()
    for etag in parse_etags(request.headers.get("If-None-Match", "")):
        held, _sep, until = etag.strip('"').rpartition("-")
        if held == version and until.isdigit() and (until == "0" or now < int(until)):
            return etag
    return None


def _search_query(request: HttpRequest) -> str:
    return request.GET.get("q", request.POST.get("q", ""))[:100]


# ---------------------------------------------------------------- pages


@login_required
@require_GET
def session_page(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    session = selectors.watched_session(request.user, session_id)
    if session is None:
        return _to_entry(request, session_id)
    context = _list_context(request, session, _search_query(request))
    context["alert_choices"] = ALERT_CHOICES
    return render(request, "invigilation/session.html", context)


@require_GET
def candidate_list(request: HttpRequest, session_id: int) -> HttpResponse:
    """The live list (htmx polls it every 5 s). 304 when the copy the browser holds is current:
    decided from one small query, before anything is rendered."""
    stamp = selectors.watched_session_stamp(request.user, session_id)
    if stamp is None:
        return _to_entry(request, session_id)
    session = Session(pk=session_id, changed_at=stamp[0], status=stamp[1])  # all the list needs of it
    query = _search_query(request)
    etag = _current_copy(request, session, query)
    if etag is not None:
        response: HttpResponse = HttpResponseNotModified()
    else:
        html, etag = _render_list(request, session, query)
        response = HttpResponse(html)
    _cache_headers(response, session, etag)
    return response


def _list_context(request: HttpRequest, session: Session, query: str) -> dict:
    listing = selectors.candidate_list(session, query)
    etag = _list_etag(session, query, listing.valid_until)
    return {
        "session": session,
        "listing": listing,
        "rows_html": render_rows(
            listing.rows,
            session_id=session.pk,
            csrf_token=get_token(request),
            query=query,
            finalized=session.is_locked_for_center,
        ),
        "query": query,
        "etag": etag,
    }


def _render_list(
    request: HttpRequest, session: Session, query: str, feedback: str = "", error: bool = False
) -> tuple[str, str]:
    """(the fragment, its ETag)."""
    # render_to_string without the request: no context processor runs (the fragment needs none).
    context = _list_context(request, session, query)
    context.update(feedback=feedback, feedback_error=error, oob_feedback=True)
    return render_to_string("invigilation/_candidate_list.html", context), context["etag"]


def _cache_headers(response: HttpResponse, session: Session, etag: str) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(session.changed_at.timestamp())
    response["Cache-Control"] = "private, no-cache"


# ---------------------------------------------------------------- actions


def _candidate_action(
    request: HttpRequest, session_id: int, candidate_id: int
) -> tuple[Session, Candidate] | tuple[None, None]:
    session = selectors.watched_session(request.user, session_id)
    if session is None:
        return None, None
    # A candidate of another session is a 404, whatever the account may watch.
    candidate = get_object_or_404(Candidate, pk=candidate_id, session_id=session.pk)
    return session, candidate


def _name(candidate: Candidate) -> str:
    return f"{candidate.last_name.upper()} {candidate.first_name}"


@login_required
@require_POST
def presence(request: AuthenticatedRequest, session_id: int, candidate_id: int) -> HttpResponse:
    """Tick or untick a candidate's presence. With htmx: answers the refreshed list."""
    session, candidate = _candidate_action(request, session_id, candidate_id)
    if session is None or candidate is None:
        return _to_entry(request, session_id)
    present = request.POST.get("present") in {"1", "on", "true"}
    query = _search_query(request)
    try:
        candidate_set_presence(candidate=candidate, present=present, by=request.user)
    except DomainError as error:
        feedback, is_error = error.message, True
    else:
        template = _("La présence de %(name)s est confirmée.") if present else _("La présence de %(name)s est annulée.")
        feedback, is_error = template % {"name": _name(candidate)}, False
    if request.htmx:
        session.refresh_from_db(fields=["changed_at", "status"])
        html, etag = _render_list(request, session, query, feedback, is_error)
        response = HttpResponse(html)
        _cache_headers(response, session, etag)
        return response
    (messages.error if is_error else messages.success)(request, feedback)
    return redirect(_session_page_url(session.pk, query))


def _confirmed_action(
    request: HttpRequest,
    session_id: int,
    candidate_id: int,
    *,
    action: str,
    run: Callable[..., object],
    done: str,
) -> HttpResponse:
    session, candidate = _candidate_action(request, session_id, candidate_id)
    if session is None or candidate is None:
        return _to_entry(request, session_id)
    query = _search_query(request)
    if request.POST.get("confirmed") != "1":
        # Without JavaScript the <dialog> cannot open: this page is the confirmation step.
        return render(
            request,
            "invigilation/confirm.html",
            {"session": session, "candidate": candidate, "name": _name(candidate), "action": action, "query": query},
        )
    try:
        run(candidate=candidate, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done % {"name": _name(candidate)})
    return redirect(_session_page_url(session.pk, query))


@login_required
@require_POST
def authorize_resume(request: AuthenticatedRequest, session_id: int, candidate_id: int) -> HttpResponse:
    return _confirmed_action(
        request,
        session_id,
        candidate_id,
        action="resume",
        run=candidate_authorize_resume,
        done=_(
            "La reprise du test est autorisée pour %(name)s : le candidat peut à nouveau saisir ses informations "
            "de connexion et continuer son test."
        ),
    )


@login_required
@require_POST
def end_test(request: AuthenticatedRequest, session_id: int, candidate_id: int) -> HttpResponse:
    return _confirmed_action(
        request,
        session_id,
        candidate_id,
        action="end",
        run=certification_end_by_invigilator,
        done=_("Le test de certification de %(name)s est terminé."),
    )


# ---------------------------------------------------------------- the invigilator kit (PDF)


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
def invigilator_kit_pdf(request: HttpRequest, session_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?next={request.get_full_path()}")
    session = _session_for_kit(request, session_id)
    filename, content = documents.invigilator_kit_pdf(session)
    return downloads.attachment(filename, content, documents.PDF_CONTENT_TYPE)


# ---------------------------------------------------------------- the day's other documents (PDF)
# Same readers as the kit: the centre's members and the invigilators who entered the session.


def _day_document(request: HttpRequest, session_id: int, make) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?next={request.get_full_path()}")
    session = _session_for_kit(request, session_id)
    filename, content = make(session)
    return downloads.attachment(filename, content, documents.PDF_CONTENT_TYPE)


@require_GET
def candidate_notice_pdf(request: HttpRequest, session_id: int) -> HttpResponse:
    return _day_document(request, session_id, documents.candidate_notice_pdf)


@require_GET
def candidate_instructions_pdf(request: HttpRequest, session_id: int) -> HttpResponse:
    return _day_document(request, session_id, documents.candidate_instructions_pdf)


@require_GET
def fraud_report_pdf(request: HttpRequest, session_id: int) -> HttpResponse:
    return _day_document(request, session_id, documents.fraud_report_pdf)
