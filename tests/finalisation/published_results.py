"""A published session with a validated, a rejected and a cancelled certification (shared fixtures)."""

from __future__ import annotations

import pytest

from finalisation.jury.resolution import auto_resolve_reports
from finalisation.jury.services import certification_cancel, session_publish
from tests.factories import UserFactory
from tests.finalisation.builders import mark_finalised, take_test

REJECTED = ["ok"] * 5 + ["ko"] * 10


@pytest.fixture
def staff(db):
    return UserFactory(email="jury@pix.test", is_staff=True)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def finalised(session):
    return mark_finalised(session)


@pytest.fixture
def results(finalised, staff, candidate_user):
    """Léa (validated, 120 pix, a candidate account), Paul (rejected), Zoé (cancelled by the jury)."""
    lea = take_test(finalised, user=candidate_user, first_name="Léa", last_name="Martin", birth_city="Lyon")
    paul = take_test(finalised, first_name="Paul", last_name="Bernard", results=REJECTED)
    zoe = take_test(finalised, first_name="Zoé", last_name="Durand")
    auto_resolve_reports(session=finalised)
    certification_cancel(certification=zoe, by=staff)
    return {"lea": lea, "paul": paul, "zoe": zoe}


@pytest.fixture
def published(finalised, results, staff):
    session_publish(session=finalised, by=staff)
    finalised.refresh_from_db()
    for certification in results.values():
        certification.refresh_from_db()
    return finalised
