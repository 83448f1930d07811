"""Personas shared by every test: centre admin, centre member, invigilator, candidate, stranger."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from pixcertif.accounts.models import CertificationCenter, Membership
from pixcertif.core.catalogue import compile_catalogues
from tests.factories import CenterFactory, MembershipFactory, ProfileFactory, SessionFactory, UserFactory

# A published session with validated, rejected and cancelled certifications (jury and results tests).
pytest_plugins = ["tests.finalisation.published_results"]


def pytest_configure(config):
    """`pytest` alone sees the English catalogue: compile any .po whose .mo is missing or older."""
    compile_catalogues()


@pytest.fixture(scope="session", autouse=True)
def _no_connection_left_on_the_test_database(django_db_setup, django_db_blocker):
    """At the end, before the test database is dropped: close what the live server's threads may
    still hold. Its request threads are daemons, not joined when it stops; a page's script (a
    heartbeat, the live list, the class PDF's preparation) can be in the middle of a request then,
    and PostgreSQL refuses to drop a database someone is connected to."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _french_by_default():
    """Every test starts in French (the default), whatever language an earlier test activated."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def login_queries() -> int:
    """Queries a logged-in request spends on its login: the user, and the session row unless the
    sessions are cached in Redis (REDIS_URL: `cached_db`)."""
    return 1 if "cached" in settings.SESSION_ENGINE else 2


@pytest.fixture
def center(db) -> CertificationCenter:
    return CenterFactory(name="Collège Jean Moulin", type=CertificationCenter.Type.SCO)


@pytest.fixture
def pro_center(db) -> CertificationCenter:
    return CenterFactory(name="Centre Pro", type=CertificationCenter.Type.PRO)


@pytest.fixture
def admin_user(center):
    return MembershipFactory(center=center, role=Membership.Role.ADMIN, user__email="admin@college.test").user


@pytest.fixture
def member_user(center):
    return MembershipFactory(center=center, role=Membership.Role.MEMBER, user__email="membre@college.test").user


@pytest.fixture
def pro_admin_user(pro_center):
    return MembershipFactory(center=pro_center, role=Membership.Role.ADMIN, user__email="admin@pro.test").user


@pytest.fixture
def stranger_user(db):
    """Admin of another centre: must never see our centre's objects (404)."""
    other = CenterFactory(name="Autre centre")
    return MembershipFactory(center=other, role=Membership.Role.ADMIN, user__email="stranger@other.test").user


@pytest.fixture
def invigilator_user(db):
    """An account with no membership (invigilators need no centre)."""
    return UserFactory(email="surveillant@example.test")


@pytest.fixture
def candidate_user(db):
    user = UserFactory(email="eleve@example.test", first_name="Léa", last_name="Martin")
    ProfileFactory(user=user)
    return user


@pytest.fixture
def session(center):
    return SessionFactory(center=center)


@pytest.fixture
def center_admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def center_member_client(client, member_user):
    client.force_login(member_user)
    return client


@pytest.fixture
def stranger_client(client, stranger_user):
    client.force_login(stranger_user)
    return client
