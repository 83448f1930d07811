"""The interface language: French (default, reference wording) or English.

Where the language of a request comes from, first match wins:
1. at login, the account's `User.language` (so the account's choice wins over the device's cookie;
   an account that never chose records the language it logs in with);
2. the `django_language` cookie, set by the footer's switcher (`set_language`, a POST);
3. the browser's Accept-Language (first visit);
4. French.
`LanguageMiddleware` does 2–4 (Django's LocaleMiddleware without its language prefixes in URLs); this
module adds 1, the switcher view and the language of e-mails (`recipient_language`, `language_of`),
which follow the recipient's account, not the sender's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ImproperlyConfigured
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

if TYPE_CHECKING:
    from pixcertif.accounts.models import Actor, User

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)
DEFAULT_LANGUAGE = settings.LANGUAGE_CODE


def _valid(code: str | None) -> str:
    return code if code in LANGUAGE_CODES else ""


def language_of(user: Actor, *, fallback: str = DEFAULT_LANGUAGE) -> str:
    """The account's language, or `fallback` (French unless told) when it has none."""
    return _valid(getattr(user, "language", "")) or _valid(fallback) or DEFAULT_LANGUAGE


def recipient_language(email: str, *, users: Iterable[Actor] = (), fallback: str = DEFAULT_LANGUAGE) -> str:
    """The language of an e-mail to `email`: the account with that address, else the first of
    `users` (the people the e-mail is about) that has a language, else `fallback`."""
    from pixcertif.accounts.models import User

    account = User.objects.filter(email__iexact=(email or "").strip()).only("language").first()
    if account is not None and _valid(account.language):
        return account.language
    for user in users:
        if user is not None and _valid(getattr(user, "language", "")):
            return user.language
    return _valid(fallback) or DEFAULT_LANGUAGE


def _safe_target(request: HttpRequest) -> str:
    """Django's own rule for `next`: only this site, else the referring page, else the home page."""
    for target in (request.POST.get("next"), request.GET.get("next"), request.headers.get("referer")):
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return target
    return "/"


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The footer's switcher: Django's `set_language` (cookie, `next` only to this site), and the
    choice saved on the account of a logged-in user. A code outside LANGUAGES changes nothing."""
    code = _valid(request.POST.get("language"))
    if not code:
        return HttpResponseRedirect(_safe_target(request))
    response = django_set_language(request)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language != code:
        user.language = code
        user.save(update_fields=["language"])
    return response


@receiver(user_logged_in, dispatch_uid="pixcertif.accounts.language.apply_account_language")
def apply_account_language(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """At login the account's language wins (the middleware below writes it into the cookie); an
    account without one records the language of the request it logs in with."""
    if request is None:
        return
    code = _valid(getattr(user, "language", ""))
    if not code:
        code = _valid(getattr(request, "LANGUAGE_CODE", None))  # set by LanguageMiddleware
        if not code or not getattr(user, "pk", None):
            return
        user.language = code
        type(user).objects.filter(pk=user.pk).update(language=code)
    request.LANGUAGE_CODE = code
    cast(_LoginRequest, request).account_language = code


class _LoginRequest(HttpRequest):
    """The request a user logged in with, once `apply_account_language` saw it: for type checkers."""

    account_language: str


class LanguageMiddleware:
    """Django's LocaleMiddleware for a site whose addresses carry no language (no `i18n_patterns`):
    the language of the cookie, else of Accept-Language, else French, activated for the request;
    the response says which (Content-Language) and that it depends on Accept-Language (Vary).

    Django's middleware does the same, plus looking for a language prefix in the path twice per
    request (once more on the way out, for a 404 to redirect) — about 3 % of a hot request here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if is_language_prefix_patterns_used(settings.ROOT_URLCONF)[0]:
            raise ImproperlyConfigured("LanguageMiddleware: with i18n_patterns, use Django's LocaleMiddleware.")
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class AccountLanguageMiddleware:
    """Writes the language cookie on the response of the request that logged a user in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        code = getattr(request, "account_language", "")
        if code and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != code:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                code,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                # django-stubs types the setting `str`, set_cookie's argument the Literal of its values.
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]
            )
        return response
