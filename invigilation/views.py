"""The invigilator space: entry by session number + password, then one phone-sized page per
session with a live candidate list (an htmx-polled fragment).

The live list's versions. A candidate-level change (presence, start, resume authorised, end,
join, a live alert opened or handled, an incident logged) stamps `Candidate.changed_at`; an answer
stamps `Certification.last_answered_at`; a session-level change (enrolment, session edit,
finalisation, status) stamps `Session.changed_at`. One query (`selectors.list_stamp`, with the
access check; in SQL, see there why) reads the session's stamp and status, the newest row stamp and the live alerts'
stamp; the ETag is

    "<version>-<newest row stamp>-<read at (ms)>-<reads right until (s)>"

where <version> is the markup's version, the session's stamp and status, the query and the
alerts' stamp (a change in the set of alerts reorders the list: alert rows first).

A poll gets:
- 304 when the copy it names is of the same version and row stamp and its minute has not turned;
- "only what changed" when the page's script names its copy in `X-Pix-List-Copy` (with htmx) and
  that copy is of the same version and not turned: the rows stamped after the copy was read (less
  `SKEW_MARGIN`), each `<li id="candidate-N" hx-swap-oob="true">`, and the counters, with
  `HX-Reswap: none` (nothing swapped in place) and `Cache-Control: no-store`;
- else the whole list (`private, no-cache`).

The browser's HTTP cache can never hand htmx a delta for a 304: a delta is never stored
(`no-store`), and the script's polls carry their own If-None-Match, which makes the browser bypass
its cache for them (Fetch: a request with author conditional headers is "no-store"). The only
body the cache may hold is a whole list with its own ETag, and a delta is only asked for through
`X-Pix-List-Copy`, which only the script sends: a revalidation by the browser itself (If-None-Match
alone) gets a 304 for that very copy or a whole list. The script takes each answer's ETag as its
copy, and a delta it did not apply (a menu opened meanwhile) leaves its copy as it was.

The fragment is gzipped when the client accepts it (`gzip_page`: Django's "Heal The Breach" random
length); the session page, which holds the access code, is not (see the README, deployment).
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import http_date, parse_etags
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from invigilation import selectors
from invigilation.forms import EntryForm
from invigilation.models import has_invigilator_access
from invigilation.rows import RowLinks, delta_html, row_html
from invigilation.selectors import CandidateRow, ListStamp
from invigilation.services import invigilator_access_grant, invigilator_access_refused
from pixcertif import downloads
from pixcertif.accounts import session_login, throttle
from pixcertif.accounts.session_login import login_in_query
from pixcertif.accounts.tenancy import AuthenticatedRequest, HtmxRequest, current_center
from pixcertif.core.csrf import masked_token
from pixcertif.core.errors import DomainError
from pixcertif.core.htmx import header
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
FRAGMENT_VERSION = "3"
# The page's script names the copy on screen in this request header: the only way to ask for
# "only what changed" (see the module docstring). A delta answer says how many rows it carries.
COPY_HEADER = "X-Pix-List-Copy"
DELTA_HEADER = "X-Pix-List-Delta"
# A delta sends the rows stamped after the copy was read, less this margin: a transaction that
# took its stamp before the copy was read but committed after it (or a few ms of clock skew
# between app servers) is still sent by the next change of the session.
SKEW_MARGIN = timedelta(seconds=2)
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


def _to_entry(request: HtmxRequest, session_id: int) -> HttpResponse:
    """No access (never entered the password, or logged out): back to the entry form."""
    url = f"{reverse('invigilation:entry')}?{urlencode({'numero': session_id})}"
    if not request.user.is_authenticated:
        url = f"{reverse('accounts:login')}?{urlencode({'next': reverse('invigilation:session', args=[session_id])})}"
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _known(request: HttpRequest) -> session_login.Claim | None:
    """The login of a request whose account is loaded (`request.user`), for `selectors.list_stamp`."""
    return session_login.known(request.user) if request.user.is_authenticated else None


def _session_page_url(session_id: int, query: str = "") -> str:
    url = reverse("invigilation:session", args=[session_id])
    return f"{url}?{urlencode({'q': query})}" if query else url


def _search_query(request: HttpRequest) -> str:
    return request.GET.get("q", request.POST.get("q", ""))[:100]


# ---------------------------------------------------------------- the list's versions


def _micro(value: datetime | None) -> int:
    return int(value.timestamp() * 1_000_000) if value is not None else 0


def _version(session_id: int, stamp: ListStamp, query: str) -> str:
    """What, when it changes, makes the browser's copy useless: the markup's version, the session
    row (a session-level change), its status, the query (crc32, not hash(): the same on every
    worker process) and the set of live alerts (alert rows come first: the order changes)."""
    query_crc = zlib.crc32(query.encode())
    return f"{FRAGMENT_VERSION}-{session_id}-{_micro(stamp.changed_at)}-{stamp.status}-{query_crc:x}-{stamp.alerts}"


def _etag(version: str, stamp: ListStamp, read_at: float, valid_until: datetime | None) -> str:
    """The version, the newest row stamp (a new one: not 304), the instant the stamps were read
    (ms: the next delta sends the rows stamped after it, less `SKEW_MARGIN`), then the instant
    (epoch seconds, 0: never) until which the copy reads right with nothing written: a minute
    label ("il y a 2 min", "Inactif depuis N min"), a 15-minute authorisation or a 24-hour limit
    turns then. A poll answers 304 before it, and renders the list again after it: once a minute
    at most while tests are in progress."""
    until = int(valid_until.timestamp()) if valid_until else 0
    return f'"{version}-{_micro(stamp.rows)}-{int(read_at * 1000)}-{until}"'


@dataclass(frozen=True, slots=True)
class _Copy:
    """A copy the browser holds, read back from its ETag."""

    version: str
    rows: int  # its newest row stamp (µs)
    read_at: int  # when its stamps were read (ms)
    until: int  # epoch seconds, 0: nothing depends on the time

    def reads_right_at(self, now: float) -> bool:
        return self.until == 0 or now < self.until


def _copies(header: str) -> list[_Copy]:
    copies = []
    for etag in parse_etags(header):
        parts = etag.removeprefix("W/").strip('"').rsplit("-", 3)  # weak: the gzipped copy
        if len(parts) == 4 and all(part.isdigit() for part in parts[1:]):
            copies.append(_Copy(parts[0], int(parts[1]), int(parts[2]), int(parts[3])))
    return copies


# ---------------------------------------------------------------- pages


@login_required
@require_GET
def session_page(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    stamp = selectors.list_stamp(_known(request), session_id)  # before the rows: see the module docstring
    session = selectors.watched_session(request.user, session_id) if stamp is not None else None
    if session is None or stamp is None:
        return _to_entry(request, session_id)
    context = _list_context(request, session, stamp, _search_query(request), time.time())
    context["alert_choices"] = ALERT_CHOICES
    return render(request, "invigilation/session.html", context)


@require_GET
@gzip_page
@login_in_query
def candidate_list(request: HtmxRequest, session_id: int) -> HttpResponse:
    """The live list (htmx polls it every 5 s): 304 when the browser's copy is current, decided
    from one query before anything is rendered (the login checked on the account row it reads:
    `session_login`); the changed rows alone (out of band) when the page's copy is of the same
    version; else the whole list. See the module docstring."""
    login = session_login.claim(request)
    stamp = selectors.list_stamp(login, session_id) if login is not None else None
    if login is None or stamp is None:
        return _to_entry(request, session_id)
    user = session_login.accept(request, login, stamp.user, stamp.login_data)
    if user is None:
        return _to_entry(request, session_id)
    if (gate := session_login.gate(request, user)) is not None:
        return gate
    query = _search_query(request)
    version = _version(session_id, stamp, query)
    now = time.time()  # after the stamps were read: the instant a new copy is "as of"
    rows = _micro(stamp.rows)
    page_copy = _copies(header(request, COPY_HEADER) or "") if request.htmx else []
    held: _Copy | None
    for held in page_copy or _copies(header(request, "If-None-Match") or ""):
        if held.version == version and held.rows == rows and held.reads_right_at(now):
            response: HttpResponse = HttpResponseNotModified()
            response["ETag"] = _etag_of(held)
            response["Cache-Control"] = "private, no-cache"
            return response
    session = Session(pk=session_id, changed_at=stamp.changed_at, status=stamp.status)  # all the list needs of it
    held = page_copy[0] if page_copy else None
    if held is not None and held.version == version and held.reads_right_at(now):
        return _delta_response(request, session, stamp, query, held, now)
    return _full_response(request, session, stamp, query, now)


def _etag_of(copy: _Copy) -> str:
    return f'"{copy.version}-{copy.rows}-{copy.read_at}-{copy.until}"'


_SENTINELS = (918273645, 546372819)  # ids reverse() accepts, replaced by each row's own
_ROW_URL_FORMATS: dict[str, str] = {}


def _row_url_format(name: str) -> str:
    """reverse(f"invigilation:{name}", args=[session id, candidate or alert id]) as a format string,
    reversed once per process (reversing per row, or per poll, costs)."""
    found = _ROW_URL_FORMATS.get(name)
    if found is None:
        session, row = (str(sentinel) for sentinel in _SENTINELS)
        reversed_ = reverse(f"invigilation:{name}", args=list(_SENTINELS))
        found = _ROW_URL_FORMATS[name] = reversed_.replace(session, "{session}").replace(row, "{pk}")
    return found


def _row_links(session_id: int, query: str) -> Callable[[CandidateRow], RowLinks]:
    """Each row's addresses from its ids (`_row_url_format`)."""

    def maker(name: str) -> Callable[[int], str]:
        prefix, suffix = _row_url_format(name).format(session=int(session_id), pk="{}").split("{}")
        return lambda pk: f"{prefix}{pk}{suffix}"

    presence, resume, end, incident, alert = (
        maker(name) for name in ("presence", "authorize_resume", "end_test", "incident", "alert")
    )
    search = f"?{urlencode({'q': query})}" if query else ""
    return lambda row: RowLinks(
        presence=presence(row.pk),
        resume=resume(row.pk),
        end=end(row.pk),
        incident=incident(row.pk) + search,
        alert=f"{alert(row.alert_id)}{search}" if row.alert_id else "",
    )


def _rows_html(
    rows: list[CandidateRow], session_id: int, query: str, *, csrf_token: str, finalized: bool, oob: bool
) -> list[SafeString]:
    """Each row's markup (`invigilation.rows`: from its frame)."""
    links = _row_links(session_id, query)
    return [row_html(row, links(row), csrf_token=csrf_token, query=query, finalized=finalized, oob=oob) for row in rows]


def _rows_context(
    request: HttpRequest, session: Session, rows: list[CandidateRow], query: str, *, oob: bool = False
) -> dict:
    csrf_token, finalized = masked_token(request), session.is_locked_for_center
    return {
        "rows": _rows_html(rows, session.pk, query, csrf_token=csrf_token, finalized=finalized, oob=oob),
        "csrf_token": csrf_token,
        "finalized": finalized,
        "query": query,
    }


def _list_context(request: HttpRequest, session: Session, stamp: ListStamp, query: str, read_at: float) -> dict:
    """The whole list; `stamp` was read before its rows, at `read_at`."""
    listing = selectors.candidate_list(session, query)
    return {
        **_rows_context(request, session, listing.rows, query),
        "session": session,
        "listing": listing,
        "etag": _etag(_version(session.pk, stamp, query), stamp, read_at, listing.valid_until),
    }


def _full_response(
    request: HttpRequest,
    session: Session,
    stamp: ListStamp,
    query: str,
    read_at: float,
    feedback: str = "",
    error: bool = False,
) -> HttpResponse:
    # render_to_string without the request: no context processor runs (the fragment needs none).
    context = _list_context(request, session, stamp, query, read_at)
    context.update(feedback=feedback, feedback_error=error, oob_feedback=True)
    response = HttpResponse(render_to_string("invigilation/_candidate_list.html", context))
    response["ETag"] = context["etag"]
    response["Last-Modified"] = http_date(max(filter(None, (session.changed_at, stamp.rows))).timestamp())
    response["Cache-Control"] = "private, no-cache"
    return response


def _delta_response(
    request: HttpRequest, session: Session, stamp: ListStamp, query: str, held: _Copy, read_at: float
) -> HttpResponse:
    """Only what changed since the page's copy: the rows stamped after it was read (less `SKEW_MARGIN`),
    each swapped out of band by its id, and the counters; nothing swapped in place
    (`HX-Reswap: none`), never stored by a cache (`no-store`)."""
    since = datetime.fromtimestamp(held.read_at / 1000, UTC) - SKEW_MARGIN
    until = datetime.fromtimestamp(held.until, UTC) if held.until else None
    listing = selectors.changed_rows(session, query, since, until)  # only those rows are built
    changed = listing.rows
    context = _rows_context(request, session, changed, query, oob=True)
    response = HttpResponse(delta_html(context["rows"], listing))  # `_candidate_delta.html`, from its frame
    response["ETag"] = _etag(_version(session.pk, stamp, query), stamp, read_at, listing.valid_until)
    response["Cache-Control"] = "no-store"
    response["HX-Reswap"] = "none"
    response[DELTA_HEADER] = str(len(changed))
    return response


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
@gzip_page
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
        stamp = selectors.list_stamp(_known(request), session.pk)
        if stamp is None:  # the access was just checked: only a session deleted meanwhile gets here
            return _to_entry(request, session_id)
        session.changed_at, session.status = stamp.changed_at, stamp.status
        return _full_response(request, session, stamp, query, time.time(), feedback, is_error)
    (messages.error if is_error else messages.success)(request, feedback)
    return redirect(_session_page_url(session.pk, query))


def _confirmed_action(
    request: AuthenticatedRequest,
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
