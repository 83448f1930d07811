from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pixcertif.accounts.tenancy import center_required
from sessions_app.selectors import session_for_center


@center_required
def candidate_list(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_for_center(request, session_id)
    candidates = session.candidates.select_related("student").order_by("last_name", "first_name", "id")
    return render(
        request,
        "sessions_app/candidate_list.html",
        {"session": session, "candidates": candidates, "tab": "candidates"},
    )
