"""The audit trail: every service records who did what, when, as the next link of a hash chain."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Union

from django.db import connection, transaction
from django.db.models import Field, Model
from django.utils import timezone

from pixcertif.core import chain, rows
from pixcertif.core.models import AuditEvent

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

# Who acts, as every service takes it (`by=request.user`): an account, the anonymous visitor (a
# candidate's own page before login never gets here, but `request.user` may say so), or nobody (a
# command, the demo data, an automatic step).
Actor = Union["AbstractBaseUser", "AnonymousUser", None]


def actor_label(user: Actor) -> str:
    """The actor as the trail keeps them: name and e-mail at the time (the account may change later)."""
    if user is None or not user.is_authenticated:
        return ""
    name = str(getattr(user, "get_full_name", str)() or "").strip()
    login = getattr(user, "email", "") or getattr(user, "username", "") or f"compte n° {user.pk}"
    return f"{name} <{login}>" if name else login


def _event(
    *, action: str, by: Actor = None, session: Any = None, candidate: Any = None, center: Any = None, **data: Any
) -> AuditEvent:
    actor = by if getattr(by, "is_authenticated", False) else None
    center_id = session.center_id if center is None and session is not None else getattr(center, "pk", None)
    return AuditEvent(
        at=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        actor_label=actor_label(actor),
        action=action,
        center_id=center_id,
        session_id_ref=getattr(session, "pk", None),
        candidate_id_ref=getattr(candidate, "pk", None),
        data=chain.canonical_data(data),
    )


def audit_record(
    *,
    action: str,
    by: Actor = None,
    session: Any = None,
    candidate: Any = None,
    center: Any = None,
    **data: Any,
) -> AuditEvent:
    return audit_records([dict(action=action, by=by, session=session, candidate=candidate, center=center, **data)])[0]


Change = tuple[Model, Sequence[str]]  # an instance and the fields of it to write (`rows.update`)


def audit_records(entries: list[dict[str, Any]], *, along: Sequence[Change] = ()) -> list[AuditEvent]:
    """Append several rows (each the keyword arguments of `audit_record`) as consecutive links, and
    write `along` (instances and fields, as `rows.update`) with them.

    What it costs on PostgreSQL: one statement, `along`'s UPDATEs (data-modifying WITH) and the
    INSERT of the rows, linked to the chain inside it by `pixcertif_audit_links` (the append lock,
    the last hash, the hashes: migration core 0003), so the lock is held from that statement to the
    commit only. On SQLite, whose writers are already serialised: the UPDATEs, the last hash and one
    INSERT. No savepoint inside the caller's transaction (a failed append fails the caller's
    transaction anyway), so a service pays nothing more."""
    events = [_event(**entry) for entry in entries]
    with transaction.atomic(savepoint=False):
        if rows.vendor() == "postgresql":
            _append_linked_in_sql(events, along)
        else:
            for instance, fields in along:
                rows.update(instance, fields)
            last = chain.last_hash()
            for event in events:
                event.prev_hash = last
                event.hash = chain.event_hash(event)
                last = event.hash
            # One INSERT (hand-written: every answer writes one); the ids follow the list's order (the
            # chain is verified in id order).
            rows.insert(events)
    return events


def _append_linked_in_sql(events: list[AuditEvent], along: Sequence[Change]) -> None:
    updates = [rows.update_sql(instance, fields) for instance, fields in along]
    values: list[Any] = [value for _sql, params in updates for value in params]
    contents = [chain.event_content(event) for event in events]
    values += [chain.ADVISORY_LOCK_KEY, contents]
    columns, db = _inserted_fields(), rows.this_connection()
    for event in events:
        values += [field.get_db_prep_save(field.pre_save(event, add=True), db) for field in columns]
    sql = _linked_insert(len(events), len(updates)).format(*(update for update, _params in updates))
    with rows.cursor() as cursor:  # prepared: every answer appends
        cursor.execute(sql, values)
        linked = sorted(cursor.fetchall())  # by id: the ids follow the chain
    for event, content, (pk, prev_hash, hash_) in zip(events, contents, linked, strict=True):
        event.pk, event.prev_hash, event.hash = pk, prev_hash, hash_
        event._state.adding = False
        event._state.db = db.alias
        # The database and `chain.row_hash` must agree on every link (the content is the one just sent).
        if chain.link(prev_hash, content) != hash_:
            raise RuntimeError(f"audit row {pk}: the database's hash differs from chain.row_hash")


@cache
def _inserted_fields() -> list[Field]:
    return [field for field in AuditEvent._meta.concrete_fields if field.name not in {"id", "prev_hash", "hash"}]


@cache
def _linked_insert(count: int, updates: int) -> str:
    """The statement for `count` rows after `updates` UPDATEs (their SQL in the {} placeholders)."""
    fields = _inserted_fields()
    quote = connection.ops.quote_name
    names = [quote(field.column) for field in fields]
    row = ", ".join(f"%s::{field.db_type(connection)}" for field in fields)
    given = ", ".join(f"({n}, {row})" for n in range(1, count + 1))
    withs = [f"along{i} AS ({{}})" for i in range(updates)]
    withs.append("link AS MATERIALIZED (SELECT * FROM pixcertif_audit_links(%s, %s::text[]))")
    table = quote(AuditEvent._meta.db_table)
    given_columns = ", ".join(f"c{i}" for i in range(len(fields)))
    selected = ", ".join(f"given.c{i}" for i in range(len(fields)))
    insert = f"INSERT INTO {table} ({quote('id')}, {', '.join(names)}, {quote('prev_hash')}, {quote('hash')})"
    linked = f"link.link_id, {selected}, link.link_prev, link.link_hash"
    source = f"SELECT {linked} FROM (VALUES {given}) AS given (n, {given_columns})"  # noqa: S608 - placeholders
    returning = f"RETURNING {quote('id')}, {quote('prev_hash')}, {quote('hash')}"
    sql = f"WITH {', '.join(withs)} {insert} {source} JOIN link ON link.link_n = given.n ORDER BY given.n {returning}"
    return sql
