"""The application's URLs plus `/bench/bare`: a Django view returning a fixed string, through the
same middleware (login session, terms of use…). Loaded by `bench/settings.py` only."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare", bare),
    path("", include("pixcertif.urls")),
]
