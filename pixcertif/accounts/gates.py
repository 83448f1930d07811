"""The account's gates: what a logged-in account must do before anything else (a one-time password
to replace, the terms of use). Applied by the middlewares (`pixcertif.accounts.middleware`), and by
the views that read their account row in their own query (`session_login.gate`)."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

EXEMPT_PREFIXES = ("/cgu", "/deconnexion", "/static/", "/mentions-legales", "/accessibilite", "/admin/", "/i18n/")
PASSWORD_CHOICE_EXEMPT = ("/mot-de-passe/choisir", "/deconnexion", "/static/", "/i18n/", "/mentions-legales")


def terms_of_use_redirect(request: HttpRequest, user) -> HttpResponseRedirect | None:
    """A logged-in account that has not accepted the terms of use sees them before anything else."""
    if (
        user is not None
        and user.is_authenticated
        and user.cgu_accepted_at is None
        and not request.path.startswith(EXEMPT_PREFIXES)
    ):
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('accounts:cgu')}?{query}")
    return None


def password_choice_redirect(request: HttpRequest, user) -> HttpResponseRedirect | None:
    """An account opened with a one-time password (a pupil's sheet) chooses its own password first."""
    if (
        user is not None
        and user.is_authenticated
        and getattr(user, "must_change_password", False)
        and not request.path.startswith(PASSWORD_CHOICE_EXEMPT)
    ):
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('accounts:choose_password')}?{query}")
    return None


def gate(request: HttpRequest, user) -> HttpResponseRedirect | None:
    """Where the account must go first, or None (the password before the terms, as the middlewares)."""
    return password_choice_redirect(request, user) or terms_of_use_redirect(request, user)
