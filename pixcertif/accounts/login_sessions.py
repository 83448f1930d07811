"""The login sessions' engine (SESSION_ENGINE without Redis): Django's database sessions, in
`LoginSession` rows that name their account in a column (Django's documented way of extending the
database-backed engines), so that a hot request reads its session, its account and its page in one
query (`pixcertif.accounts.session_login`)."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore


def account_of(data: dict) -> int | None:
    """The account a session's data is logged in to, or None."""
    try:
        return int(data[SESSION_KEY])
    except (KeyError, TypeError, ValueError):
        return None


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls):
        from pixcertif.accounts.models import LoginSession

        return LoginSession

    def create_model_instance(self, data):
        from pixcertif.accounts.models import LoginSession

        row = super().create_model_instance(data)
        assert isinstance(row, LoginSession)
        row.user_id = account_of(data)
        return row
