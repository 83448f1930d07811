"""The login of a hot request, checked on the account row that request's own query reads.

Django's `AuthenticationMiddleware` loads the account on the first use of `request.user`: one ORM
query on every request (0.45 ms of app CPU measured on the benchmark machine, a fifth of a bare
request). The few requests made hundreds of times a second on an exam day (the candidate's question
page, answer and heartbeat; the invigilator's live list) make one query anyway: they read the
account row in it, joined on the id the login session names, and check the login on it as
`django.contrib.auth.get_user` does: the session names an account and a backend listed in
`AUTHENTICATION_BACKENDS`, the backend accepts the account (`user_can_authenticate`: an inactive
account is anonymous), and the session's hash of the password verifies with the current
`SECRET_KEY`. When anything is unusual (no row, an inactive account, a hash that does not verify: a
password changed elsewhere, a session signed with one of `SECRET_KEY_FALLBACKS`; a backend whose
`get_user` is not `ModelBackend`'s), Django's own `request.user` decides, with its side effects
(the session flushed, its key cycled): one query more, on a rare path.

Then the account's gates the middlewares apply elsewhere (a one-time password to replace, the terms
of use). A view opts in with `@login_in_query`: `TermsOfUseMiddleware` and `PasswordChoiceMiddleware`
then leave `request.user` alone, and the view calls `accept` with the row it read, then `gate`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare

from pixcertif.accounts.gates import gate
from pixcertif.accounts.models import User

__all__ = ["Claim", "Pending", "accept", "claim", "gate", "login_in_query", "reads_login_in_query", "verified"]

V = TypeVar("V", bound=Callable[..., Any])


def login_in_query(view: V) -> V:
    """Mark a view that reads its account row in its own query and calls `accept` (see the module
    docstring). `functools.wraps` carries the mark through the decorators above it."""
    view.login_in_query = True  # type: ignore[attr-defined]
    return view


def reads_login_in_query(view: Callable[..., Any]) -> bool:
    return getattr(view, "login_in_query", False)


@dataclass(frozen=True, slots=True)
class Claim:
    """The account a login session names, before its row is read."""

    pk: int
    backend: ModelBackend | None  # None: not ModelBackend's lookup, left to Django


def claim(request: HttpRequest) -> Claim | None:
    """The account the request's login session names, from the session alone (no account query);
    None when it names none, or a backend no longer listed: anonymous, as `get_user` decides."""
    try:
        user_id = User._meta.pk.to_python(request.session[SESSION_KEY])
        backend_path = request.session[BACKEND_SESSION_KEY]
    except (KeyError, ValidationError):
        return None
    if backend_path not in settings.AUTHENTICATION_BACKENDS or user_id is None:
        return None
    backend = load_backend(backend_path)
    if isinstance(backend, ModelBackend) and type(backend).get_user is ModelBackend.get_user:
        return Claim(int(user_id), backend)
    return Claim(int(user_id), None)


def accept(request: HttpRequest, login: Claim, row: User | None) -> User | None:
    """The logged-in account, checked on `row` (the account `login` names, as the request's query
    read it; None when that query found nothing), or None: anonymous. Sets `request.user`.

    When the row does not verify as it stands (an inactive account, a password changed elsewhere, a
    session signed with a fallback secret, another backend), Django's own `request.user` decides,
    with its side effects (the session flushed, or its key cycled): one query more, on a rare path."""
    user = verified(request, login, row)
    if user is not None:
        request.user = request._cached_user = user  # type: ignore[attr-defined]
        return user
    found = request.user  # django.contrib.auth.get_user
    return found if isinstance(found, User) and found.is_authenticated and found.pk == login.pk else None


def verified(request: HttpRequest, login: Claim, row: User | None) -> User | None:
    """`row` when it is the logged-in account as `django.contrib.auth.get_user` would load it (the
    backend accepts it, the session's hash of its password verifies with the current secret), else
    None. No side effect: safe inside a transaction that may roll back."""
    if login.backend is None or row is None or row.pk != login.pk or not login.backend.user_can_authenticate(row):
        return None
    session_hash = request.session.get(HASH_SESSION_KEY)
    if not session_hash or not constant_time_compare(session_hash, row.get_session_auth_hash()):
        return None
    return row


@dataclass(frozen=True, slots=True)
class Pending:
    """A request's login handed to a service that reads the account row under its own lock (the
    candidate's answer): `pk` to match the row against, `checked(row)` before anything is written."""

    request: HttpRequest
    login: Claim

    @property
    def pk(self) -> int:
        return self.login.pk

    def checked(self, row: User | None) -> User:
        """The account, or DomainError: "login_refused" (the row does not verify as it stands: the
        view asks Django, outside the transaction), "account_gate" (a one-time password to
        replace, the terms of use: the view redirects)."""
        from pixcertif.core.errors import DomainError

        user = verified(self.request, self.login, row)
        if user is None:
            raise DomainError("login_refused", "")
        self.request.user = self.request._cached_user = user  # type: ignore[attr-defined]
        if gate(self.request, user) is not None:
            raise DomainError("account_gate", "")
        return user
