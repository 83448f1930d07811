"""The login sessions' engine with Redis (SESSION_ENGINE when REDIS_URL is set): Django's
`cached_db`, read from the cache, written through to the same `LoginSession` rows as
`pixcertif.accounts.login_sessions`."""

from __future__ import annotations

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore

from pixcertif.accounts.login_sessions import account_of


class SessionStore(CachedDBStore):
    cache_key_prefix = "pixcertif.accounts.login_sessions_cached"

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
