"""Sessions of the current centre: list, create, details, edit, delete.

Every member of a centre (ADMIN or MEMBER) manages its sessions, as in Pix Certif: school staff
create sessions, invigilators often are members too. Rules live in the services; these views
turn a `DomainError` into a French message.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pixcertif.accounts.tenancy import CenterRequest, center_required
from pixcertif.core.errors import DomainError
from sessions_app.forms.sessions import (
    DEFAULT_ORDER,
    SORT_COLUMNS,
    STATUS_FILTERS,
    CreateTokenForm,
    SessionForm,
    SessionListForm,
)
from sessions_app.models import Session
from sessions_app.selectors import session_for_center
from sessions_app.services.session_status import ensure_center_can_change
from sessions_app.services.sessions import (
    DELETE_STARTED_MESSAGE,
    EDITABLE_FIELDS,
    MAX_CANDIDATES_PER_INVIGILATOR,
    invigilators_required,
    session_create,
    session_delete,
    session_has_started,
    session_update,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 25
SEARCH_ID_MAX_DIGITS = 12


def _query(values: dict[str, str], **overrides: str) -> str:
    merged = {**values, **overrides}
    return "?" + urlencode({key: value for key, value in merged.items() if value})


@require_GET
@center_required
def session_list(request: CenterRequest) -> HttpResponse:
    form = SessionListForm(request.GET)
    values = form.values
    sessions = Session.objects.for_center(request.center)
    has_sessions = sessions.exists()
    if values["statut"]:
        sessions = sessions.filter(status__in=STATUS_FILTERS[values["statut"]])
    search = values["q"]
    if search:
        condition = Q(address__icontains=search) | Q(room__icontains=search) | Q(examiner__icontains=search)
        if search.isdigit() and len(search) <= SEARCH_ID_MAX_DIGITS:
            condition |= Q(pk=int(search))
        sessions = sessions.filter(condition)
    ascending = values["ordre"] == "asc"
    order_by = [field if ascending else f"-{field}" for field in SORT_COLUMNS[values["tri"]][1]]
    page = Paginator(sessions.with_counts().order_by(*order_by), PAGE_SIZE).get_page(request.GET.get("page"))
    for session in page.object_list:
        session.can_delete = (
            not session.is_locked_for_center and session.started_at is None and not session.started_count
        )

    filters = {"q": search, "statut": values["statut"]}
    columns = []
    for key, (label, _fields) in SORT_COLUMNS.items():
        current = key == values["tri"]
        # A click on the sorted column flips its order; another column starts ascending (dates: newest first).
        first_order = DEFAULT_ORDER if key == "date" else "asc"
        next_order = ("desc" if ascending else "asc") if current else first_order
        columns.append(
            {
                "label": label,
                "url": _query(filters, tri=key, ordre=next_order),
                "aria_sort": ("ascending" if ascending else "descending") if current else "",
            }
        )
    sorting = {"tri": values["tri"], "ordre": values["ordre"]}
    context = {
        "form": form,
        "page": page,
        "sessions": page.object_list,
        "has_sessions": has_sessions,
        "is_filtered": bool(search or values["statut"]),
        "columns": columns,
        "page_query": _query({**filters, **sorting}),
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
    }
    return render(request, "sessions_app/session_list.html", context)


@require_http_methods(["GET", "POST"])
@center_required
def session_create_view(request: CenterRequest) -> HttpResponse:
    token = ""
    if request.method == "POST":
        form = SessionForm(request.POST)
        token = CreateTokenForm(request.POST).token()
        if form.is_valid():
            try:
                session = session_create(
                    center=request.center, by=request.user, form_token=token, **form.changed_values()
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("La session %(number)s a été créée avec succès.") % {"number": session.pk})
                return redirect("sessions_app:detail", session.pk)
    else:
        form = SessionForm()
    context = {"form": form, "form_token": token or secrets.token_urlsafe(24), "creating": True}
    return render(request, "sessions_app/session_form.html", context)


@require_GET
@center_required
def session_detail(request: CenterRequest, session_id: int) -> HttpResponse:
    session = session_for_center(request, session_id)
    invigilator_count = len(session.invigilator_names)
    context = {
        "session": session,
        "tab": "details",
        "can_edit": not session.is_locked_for_center,
        "invigilator_count": invigilator_count,
        "invigilators_required": invigilators_required(session.enrolled_count),
        "too_few_invigilators": session.enrolled_count > MAX_CANDIDATES_PER_INVIGILATOR * invigilator_count,
        "max_per_invigilator": MAX_CANDIDATES_PER_INVIGILATOR,
    }
    return render(request, "sessions_app/session_detail.html", context)


@require_http_methods(["GET", "POST"])
@center_required
def session_edit(request: CenterRequest, session_id: int) -> HttpResponse:
    session = session_for_center(request, session_id)
    try:
        ensure_center_can_change(session)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("sessions_app:detail", session.pk)
    started = session_has_started(session)
    initial = {name: getattr(session, name) for name in EDITABLE_FIELDS}
    if request.method == "POST":
        form = SessionForm(request.POST, initial=initial, started=started)
        if form.is_valid():
            try:
                session_update(session=session, by=request.user, **form.changed_values())
            except DomainError as error:
                if error.code == "session_deleted":
                    messages.error(request, error.message)
                    return redirect("sessions_app:list")
                if error.code == "session_finalized":
                    messages.error(request, error.message)
                    return redirect("sessions_app:detail", session.pk)
                form.add_error(None, error.message)
            else:
                messages.success(request, _("La session a été modifiée avec succès."))
                return redirect("sessions_app:detail", session.pk)
    else:
        form = SessionForm(initial=initial, started=started)
    context = {"form": form, "session": session, "creating": False, "started": started}
    return render(request, "sessions_app/session_form.html", context)


@require_POST
@center_required
def session_delete_view(request: CenterRequest, session_id: int) -> HttpResponse:
    """POST only. Without JavaScript the list's form asks for a confirmation page first."""
    session = session_for_center(request, session_id)
    if request.POST.get("etape") == "confirmation":
        refusal: StrOrPromise = ""
        try:
            ensure_center_can_change(session)
        except DomainError as error:
            refusal = error.message
        else:
            if session_has_started(session):
                refusal = DELETE_STARTED_MESSAGE
        return render(request, "sessions_app/session_confirm_delete.html", {"session": session, "refusal": refusal})
    try:
        session_delete(session=session, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("La session %(number)s a été supprimée.") % {"number": session_id})
    return redirect("sessions_app:list")
