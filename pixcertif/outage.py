"""The database unreachable (a restart, a failover) is a 503 with Retry-After, never a crash page.

Django turns any uncaught exception, in a view or in a middleware, into the response of
`handler500`: this one answers 503 when the exception says the database cannot be reached (or is
locked: SQLite), and the usual 500 otherwise. The page is rendered without the request's context
(no session, no user: they live in the database). An htmx request gets a fragment: the
invigilator's page shows it in its feedback region and keeps its last good list (htmx swaps
nothing on an error status).
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

RETRY_AFTER_SECONDS = 30


def is_outage(error: BaseException | None) -> bool:
    return isinstance(error, OperationalError | InterfaceError)


def unavailable(request: HttpRequest) -> HttpResponse:
    htmx = request.headers.get("HX-Request") == "true"
    template = "errors/_unavailable.html" if htmx else "errors/unavailable.html"
    response = HttpResponse(render_to_string(template), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest, template_name: str = defaults.ERROR_500_TEMPLATE_NAME) -> HttpResponse:
    if is_outage(sys.exc_info()[1]):
        return unavailable(request)
    return defaults.server_error(request, template_name)
