"""The audit trail can't be rewritten: labels kept, rows hash-chained, verify_audit, append-only on PostgreSQL."""

from __future__ import annotations

import datetime
import decimal
import json
import threading
import time
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from finalisation.jury.resolution import auto_resolve_reports
from pixcertif.core import chain
from pixcertif.core.audit import audit_record, audit_records
from pixcertif.core.models import AuditEvent
from sessions_app.models import CertificationChallenge, CertificationState
from tests.factories import SessionFactory, UserFactory
from tests.finalisation.builders import mark_finalised, take_test

TABLE = AuditEvent._meta.db_table


@contextmanager
def as_the_table_owner():
    """What someone holding the database owner's role could do: bypass the append-only trigger."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
    else:
        yield


def verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


@pytest.fixture
def trail(db):
    user = UserFactory(first_name="Anne", last_name="Petit", email="anne@college.test")
    session = SessionFactory()
    events = [audit_record(action=f"test.step{i}", by=user, session=session, step=i) for i in range(5)]
    return user, session, events


def test_each_row_keeps_the_actors_name_and_email_at_the_time(trail):
    user, _session, events = trail
    user.email = "anne.nouvelle@college.test"
    user.save()
    assert AuditEvent.objects.get(pk=events[0].pk).actor_label == "Anne Petit <anne@college.test>"


def test_each_row_chains_to_the_previous_one(trail):
    _user, _session, _events = trail
    rows = list(AuditEvent.objects.order_by("id"))
    assert all(row.hash and len(row.hash) == 64 for row in rows)
    assert [row.prev_hash for row in rows[1:]] == [row.hash for row in rows[:-1]]


def test_verify_audit_passes_on_an_intact_chain(trail):
    assert "Journal intègre : 5 ligne(s) vérifiée(s)" in verify()


def test_verify_audit_names_a_row_edited_in_sql(trail):
    _user, _session, events = trail
    with as_the_table_owner(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET action = 'test.forged' WHERE id = %s", [events[2].pk])
    with pytest.raises(CommandError, match=rf"ligne n° {events[2].pk} : son contenu a été modifié"):
        verify()


def test_verify_audit_names_the_row_after_a_deleted_one(trail):
    _user, _session, events = trail
    with as_the_table_owner(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError, match=rf"ligne n° {events[2].pk} : la ligne précédente a été supprimée"):
        verify()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's")
@pytest.mark.parametrize("sql", [f"UPDATE {TABLE} SET action = 'x'", f"DELETE FROM {TABLE}"])
def test_the_application_role_cannot_update_or_delete_a_row(trail, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEvent.objects.count() == 5


def test_an_account_named_in_the_trail_cannot_be_deleted(trail):
    user, _session, _events = trail
    with pytest.raises(ProtectedError):
        user.delete()


def test_staff_deactivate_rather_than_delete_an_account_of_the_trail(client, trail):
    user, _session, _events = trail
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    change = client.get(reverse("admin:accounts_user_change", args=[user.pk])).content.decode()
    assert reverse("admin:accounts_user_delete", args=[user.pk]) not in change
    assert client.get(reverse("admin:accounts_user_delete", args=[user.pk])).status_code == 403
    response = client.post(
        reverse("admin:accounts_user_changelist"), {"action": "deactivate", "_selected_action": [user.pk]}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active is False
    assert AuditEvent.objects.filter(action="user.deactivate", data__user=user.pk).exists()


def test_many_services_appending_several_rows_at_once_keep_one_chain_in_id_order(transactional_db):
    """Four services recording at once, one or two rows per transaction, some holding the lock a
    little after: one chain, whose ids follow it (on PostgreSQL taken under the append lock)."""
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def record(i: int) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            for step in range(12):
                with transaction.atomic():
                    if step % 2:  # two rows at once
                        audit_records([dict(action="test.many", worker=i, step=step, part=part) for part in (0, 1)])
                    else:
                        audit_record(action="test.many", worker=i, step=step)
                    time.sleep(0.002 * (i % 2))
        except BaseException as error:  # reported to the test
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=record, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert AuditEvent.objects.count() == 4 * 18
    assert chain.first_break(chain.rows_in_order(AuditEvent.objects.all()), previous_hash="") == (None, 72)
    assert "Journal intègre : 72 ligne(s)" in verify()


def test_the_database_links_rows_as_row_hash_does(db):
    """Accents, quotes, guillemets, an emoji: the hash the database computed (PostgreSQL) is the one
    `chain.row_hash` gives."""
    first, second = audit_records(
        [dict(action="test.accents", name="Élève « Zoé » d'Arc 🙂"), dict(action="test.next", n=2)]
    )
    stored = {row["id"]: row for row in chain.rows_in_order(AuditEvent.objects.all())}
    assert stored[second.pk]["prev_hash"] == first.hash == stored[first.pk]["hash"]
    for event in (first, second):
        row = stored[event.pk]
        assert row["hash"] == chain.row_hash(**{k: row[k] for k in chain.FIELDS if k not in {"id", "hash"}})


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database links the rows on PostgreSQL only")
def test_a_link_the_application_disagrees_with_is_refused_and_nothing_written(db, monkeypatch):
    audit_record(action="test.before")
    monkeypatch.setattr(chain, "link", lambda prev_hash, content: "0" * 64)
    with pytest.raises(RuntimeError, match=r"differs from chain\.row_hash"), transaction.atomic():
        audit_record(action="test.refused")
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["test.before"]


# ---------------------------------------------------------------- the jury's session page


@pytest.fixture
def jury_page(client, session):
    finalised = mark_finalised(session)
    take_test(finalised, results=["ok"] * 15)
    auto_resolve_reports(session=finalised)
    client.force_login(UserFactory(is_staff=True))
    return lambda: client.get(reverse("admin:finalisation_jurysession_change", args=[finalised.pk])).content.decode()


def test_the_jury_session_page_says_the_trail_is_intact(jury_page):
    assert "journal intègre" in jury_page()


def test_the_jury_session_page_says_where_the_trail_broke(jury_page, session):
    row = AuditEvent.objects.filter(session_id_ref=session.pk).order_by("id").first()
    with as_the_table_owner(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET data = '{{}}' WHERE id = %s", [row.pk])
    assert f"journal rompu à la ligne n° {row.pk}" in jury_page()


@pytest.mark.parametrize(
    "data",
    [
        {"question": 12, "seconds": 41, "over_time": False, "note": "Élève « Zoé »", "ratio": 0.5, "none": None},
        {"nested": {"ids": [1, 2, [3]], "label": "x"}},
        {"when": datetime.date(2026, 6, 1), "at": datetime.datetime(2026, 6, 1, 8, 30, tzinfo=datetime.UTC)},
        {"pair": (1, 2), "amount": decimal.Decimal("1.50")},
        {1: "int key", "b": "str key"},
        {"state": CertificationState.STARTED, "index": CertificationChallenge.Result.OK},
        [],
        "text",
    ],
)
def test_canonical_data_reads_as_the_json_column_reads_it_back(data):
    """JSON's own types are copied as they are; anything else (dates, tuples, decimals, int keys,
    choices) makes the JSON round trip: both give what the column reads back."""
    canonical = chain.canonical_data(data)
    assert canonical == json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    assert json.dumps(canonical) == json.dumps(json.loads(json.dumps(data, cls=DjangoJSONEncoder)))
    assert _json_native(canonical)
    if isinstance(data, dict) and "nested" in data:
        assert canonical["nested"]["ids"] is not data["nested"]["ids"]  # a copy: the caller's list is its own


def _json_native(value) -> bool:
    if type(value) is dict:
        return all(type(key) is str and _json_native(item) for key, item in value.items())
    if type(value) is list:
        return all(_json_native(item) for item in value)
    return type(value) in (str, int, float, bool, type(None))
