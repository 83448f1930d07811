from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pixcertif.accounts.tenancy import center_required
from sessions_app.models import Session
from sessions_app.selectors import session_for_center


@center_required
def session_list(request: HttpRequest) -> HttpResponse:
    sessions = Session.objects.for_center(request.center).with_counts().order_by("-date", "-time", "-id")
    return render(request, "sessions_app/session_list.html", {"sessions": sessions})


@center_required
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_for_center(request, session_id)
    return render(request, "sessions_app/session_detail.html", {"session": session, "tab": "details"})
