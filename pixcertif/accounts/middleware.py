from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

EXEMPT_PREFIXES = ("/cgu", "/deconnexion", "/static/", "/mentions-legales", "/accessibilite", "/admin/", "/i18n/")


class TermsOfUseMiddleware:
    """A logged-in account that has not accepted the terms of use sees them before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.cgu_accepted_at is None
            and not request.path.startswith(EXEMPT_PREFIXES)
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:cgu')}?{query}")
        return self.get_response(request)


PASSWORD_CHOICE_EXEMPT = ("/mot-de-passe/choisir", "/deconnexion", "/static/", "/i18n/", "/mentions-legales")


class PasswordChoiceMiddleware:
    """An account opened with a one-time password (a pupil's sheet) chooses its own password first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(PASSWORD_CHOICE_EXEMPT)
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:choose_password')}?{query}")
        return self.get_response(request)
