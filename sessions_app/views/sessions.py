from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pixcertif.accounts.tenancy import center_required
from sessions_app.models import Session


@center_required
def session_list(request: HttpRequest) -> HttpResponse:
    sessions = Session.objects.for_center(request.center).with_counts().order_by("-date", "-time", "-id")
    return render(request, "sessions_app/session_list.html", {"sessions": sessions})
