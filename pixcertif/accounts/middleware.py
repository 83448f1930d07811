"""The account's gates (`pixcertif.accounts.gates`) on every page.

Both are checked once the address is resolved (`process_view`), so that the views reading their
account row in their own query (`session_login.login_in_query`, the exam day's hot requests) apply
them themselves on that row (`session_login.gate`) and `request.user` is not loaded for them.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from pixcertif.accounts.gates import password_choice_redirect, terms_of_use_redirect
from pixcertif.accounts.session_login import reads_login_in_query


class _Gate:
    check: Callable[[HttpRequest, object], HttpResponse | None]

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if reads_login_in_query(view_func):
            return None  # the view applies the gates on the account row it reads
        return type(self).check(request, getattr(request, "user", None))


class TermsOfUseMiddleware(_Gate):
    """A logged-in account that has not accepted the terms of use sees them before anything else."""

    check = staticmethod(terms_of_use_redirect)


class PasswordChoiceMiddleware(_Gate):
    """An account opened with a one-time password (a pupil's sheet) chooses its own password first."""

    check = staticmethod(password_choice_redirect)
