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

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
from django.contrib.auth.backends import ModelBackend
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from pixcertif.accounts.gates import gate
from pixcertif.accounts.login_sessions import SessionStore as DatabaseSessions
from pixcertif.accounts.models import LoginSession, User
from pixcertif.core.rows import columns, quote, table

__all__ = [
    "Claim",
    "LoginSQL",
    "Pending",
    "accept",
    "claim",
    "gate",
    "known",
    "login_in_query",
    "read",
    "reads_login_in_query",
    "verified",
]

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
    """A request's login before the hot query reads it: with the sessions in the database, the
    session key (the query reads the session row and its account, `LoginSession.user`); with the
    sessions in Redis (or for an account already known), the account id the session names."""

    key: str | None = None
    pk: int | None = None

    @property
    def reads_session(self) -> bool:
        return self.key is not None

    def sql(self) -> LoginSQL:
        return _login_sql(self.reads_session, connection.vendor)

    def params(self) -> list[Any]:
        """The parameters of `sql().where`."""
        if self.key is not None:
            return [self.key, LoginSession._meta.get_field("expire_date").get_db_prep_value(timezone.now(), connection)]
        return [self.pk]


@dataclass(frozen=True, slots=True)
class LoginSQL:
    """The parts of a hot query that read its login: `columns` first in the SELECT (the session's
    data, then the account's columns), `start` as its FROM (`u`: the account), `where` in its WHERE
    (with `Claim.params`), `group` in a GROUP BY."""

    columns: str
    start: str
    where: str
    group: str


@cache
def _login_sql(reads_session: bool, vendor: str) -> LoginSQL:
    account = columns(User, "u")
    if reads_session:
        return LoginSQL(
            columns=f"ls.{quote('session_data')}, {account.sql}",
            start=f"{table(LoginSession)} ls JOIN {table(User)} u ON u.{quote('id')} = ls.{quote('user_id')}",
            where=f"ls.{quote('session_key')} = %s AND ls.{quote('expire_date')} > %s",
            group=f"u.{quote('id')}, ls.{quote('session_key')}",
        )
    return LoginSQL(
        columns=f"NULL, {account.sql}",
        start=f"{table(User)} u",
        where=f"u.{quote('id')} = %s",
        group=f"u.{quote('id')}",
    )


def read(row: Sequence[Any]) -> tuple[User, str | None, Sequence[Any]]:
    """The account and the session's data (None: not read) at the start of a hot query's `row`,
    and the rest of the row."""
    account = columns(User, "u")
    user = account.instance(row[1 : 1 + len(account)])
    assert isinstance(user, User)
    return user, row[0], row[1 + len(account) :]


def known(user: User) -> Claim:
    """The login of an account already loaded (a service called outside a request)."""
    return Claim(pk=user.pk)


def claim(request: HttpRequest) -> Claim | None:
    """What the request's hot query reads its login by (no query here); None when the request has
    no login: anonymous, as `get_user` decides.

    Sessions in the database: the session key (None without a session cookie). Otherwise the
    account the session names (read from Redis), when it names one with a listed backend."""
    session = request.session
    if type(session) is DatabaseSessions and not hasattr(session, "_session_cache"):
        key = session.session_key
        return Claim(key=key) if key else None
    user_id, _backend = _named(session)
    return Claim(pk=user_id) if user_id is not None else None


def _named(data: Any) -> tuple[int | None, ModelBackend | None]:
    """(the account a session's data names, its backend when it is ModelBackend's lookup) or
    (None, None) when it names none or a backend no longer listed."""
    try:
        user_id = User._meta.pk.to_python(data[SESSION_KEY])
        backend_path = data[BACKEND_SESSION_KEY]
    except (KeyError, ValidationError):
        return None, None
    if backend_path not in settings.AUTHENTICATION_BACKENDS or user_id is None:
        return None, None
    backend = load_backend(backend_path)
    if isinstance(backend, ModelBackend) and type(backend).get_user is ModelBackend.get_user:
        return int(user_id), backend
    return int(user_id), None


def accept(request: HttpRequest, login: Claim, row: User | None, data: str | None = None) -> User | None:
    """The logged-in account, checked on `row` (the account as the request's hot query read it,
    None when that query found nothing) and `data` (the session row's data when the query read it),
    or None: anonymous. Sets `request.user`.

    When the row does not verify as it stands (an inactive account, a password changed elsewhere, a
    session signed with a fallback secret, another backend), Django's own `request.user` decides,
    with its side effects (the session flushed, or its key cycled): one query more, on a rare path."""
    user = verified(request, login, row, data)
    if user is not None:
        request.user = request._cached_user = user  # type: ignore[attr-defined]
        return user
    found = request.user  # django.contrib.auth.get_user
    return found if isinstance(found, User) and found.is_authenticated else None


@lru_cache(maxsize=4096)
def _unsigned(value: str, salt: str, key: str, fallback_keys: tuple[str, ...]) -> str:
    """`TimestampSigner.unsign` of `value` (raises BadSignature), once per process for the same
    value, salt and keys: a login session's data stay the same from one request to the next until
    the session changes, and verifying their signature was half the cost of reading them."""
    return signing.TimestampSigner(key=key, salt=salt, fallback_keys=list(fallback_keys)).unsign(value)


class _RememberingSigner(signing.TimestampSigner):
    """Django's signer of session data, remembering which data it verified (`_unsigned`)."""

    def unsign(self, value: str, max_age: Any = None) -> str:
        if max_age is not None:
            return super().unsign(value, max_age)
        return _unsigned(value, self.salt, str(self.key), tuple(str(key) for key in self.fallback_keys))


def session_data(session: Any, data: str) -> dict[str, Any]:
    """What `session.decode(data)` gives (Django's `signing.loads` of the session's salt and
    serializer), with the signature of data already verified in this process not verified again.
    Data that do not verify or decode get Django's own answer (logged: an empty session)."""
    try:
        decoded = _RememberingSigner(salt=session.key_salt).unsign_object(data, serializer=session.serializer)
    except Exception:
        return session.decode(data)
    return decoded if isinstance(decoded, dict) else session.decode(data)


def verified(request: HttpRequest, login: Claim, row: User | None, data: str | None = None) -> User | None:
    """`row` when it is the logged-in account as `django.contrib.auth.get_user` would load it (the
    session names it with a listed backend that accepts it, and the session's hash of its password
    verifies with the current secret), else None. When the query read the session row, its data
    become the request's session (as `SessionStore.load` would have read them). No other side
    effect: safe inside a transaction that may roll back."""
    if row is None:
        return None
    session = request.session
    if login.reads_session and not hasattr(session, "_session_cache"):  # not read yet in this request
        if data is None:
            return None
        session._session_cache = session_data(session, data)  # type: ignore[attr-defined]
    user_id, backend = _named(session)
    if backend is None or user_id != row.pk or (login.pk is not None and login.pk != row.pk):
        return None
    if not backend.user_can_authenticate(row):
        return None
    session_hash = session.get(HASH_SESSION_KEY)
    if not session_hash or not constant_time_compare(session_hash, row.get_session_auth_hash()):
        return None
    return row


@dataclass(frozen=True, slots=True)
class Pending:
    """A request's login handed to a service that reads the account row under its own lock (the
    candidate's answer), checked (`checked`) on that row before anything is written, with `here`:
    what the request must also satisfy once its session is read (the browser started the test)."""

    request: HttpRequest
    login: Claim
    here: Callable[[], bool] | None = None

    def checked(self, row: User | None, data: str | None) -> User:
        """The account, or DomainError: "login_refused" (the row does not verify as it stands: the
        view asks Django, outside the transaction), "account_gate" (a one-time password to
        replace, the terms of use: the view redirects), "not_here" (`here` refused)."""
        from pixcertif.core.errors import DomainError

        user = verified(self.request, self.login, row, data)
        if user is None:
            raise DomainError("login_refused", "")
        self.request.user = self.request._cached_user = user  # type: ignore[attr-defined]
        if gate(self.request, user) is not None:
            raise DomainError("account_gate", "")
        if self.here is not None and not self.here():
            raise DomainError("not_here", "")
        return user
