"""The audit trail as one hash chain: each row stores SHA-256(previous row's hash + its own content).

One chain for the whole table, in id order, rather than one per session: a per-session chain cannot
see a whole session's rows deleted (its head goes with them), nor rows moved from one session to
another; one global chain makes any edited, inserted or deleted row break the link of the next one.
Only the newest rows could be cut off unseen: `verify_audit` prints the head (last id and hash) for
an operator to note elsewhere. The price is that appends are serialised: `audit_record` takes
a transaction-scoped lock (PostgreSQL advisory lock; SQLite already serialises writers, every
transaction begins IMMEDIATE) before reading the last hash, so two concurrent services never
chain to the same row. On PostgreSQL the lock, the read and the hashing happen inside the INSERT
(the `pixcertif_audit_links` function, migration core 0003: one round trip, the lock held from
that statement to the commit only); the application checks each returned hash against
`row_hash`, so the two computations cannot drift apart unseen.

What is hashed never changes after the insert: time, action, actor label (name and e-mail at the
time), session and candidate ids, details. The actor and centre foreign keys are protected (never
set to NULL by a deletion) but are not part of the content: the label is.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils.translation import gettext as _

from pixcertif.core import rows

ADVISORY_LOCK_KEY = 0x5049_5841_5544_4954 & 0x7FFF_FFFF_FFFF_FFFF  # "PIXAUDIT"
FIELDS = ["id", "at", "action", "actor_label", "session_id_ref", "candidate_id_ref", "data", "prev_hash", "hash"]


_NATIVE = (str, int, float, bool, type(None))
_NOT_NATIVE = object()


def _native_copy(value: Any) -> Any:
    """A copy of `value` when it is made of JSON's own types only (dicts with string keys, lists,
    strings, numbers, booleans, None), which read back as they are; else `_NOT_NATIVE`."""
    kind = type(value)
    if kind in _NATIVE:
        return value
    if kind is dict:
        copied = {}
        for key, item in value.items():
            if type(key) is not str or (item := _native_copy(item)) is _NOT_NATIVE:
                return _NOT_NATIVE
            copied[key] = item
        return copied
    if kind is list:
        items = [_native_copy(item) for item in value]
        return _NOT_NATIVE if any(item is _NOT_NATIVE for item in items) else items
    return _NOT_NATIVE


def canonical_data(data: Any) -> Any:
    """`data` as it reads back from the JSON column (dates as strings, tuples as lists…): a copy.
    Data of JSON's own types (an answer's audit row: numbers and strings) are copied as they are,
    without the JSON round trip."""
    copied = _native_copy(data)
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder)) if copied is _NOT_NATIVE else copied


def row_content(
    *,
    at: datetime,
    action: str,
    actor_label: str,
    session_id_ref: int | None,
    candidate_id_ref: int | None,
    data: Any,
) -> str:
    """What a row's hash covers besides the previous hash: its content as canonical JSON."""
    return json.dumps(
        [
            at.astimezone(UTC).isoformat(timespec="microseconds"),
            action,
            actor_label,
            session_id_ref,
            candidate_id_ref,
            canonical_data(data),
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def link(prev_hash: str, content: str) -> str:
    """SHA-256 of the previous hash followed by the content (`pixcertif_audit_links` computes the same)."""
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


def row_hash(*, prev_hash: str, **content: Any) -> str:
    """The hash of a row: `link` of the previous hash and `row_content(**content)`."""
    return link(prev_hash, row_content(**content))


def event_content(event: Any) -> str:
    """`row_content` of an audit row about to be written (an `AuditEvent`, or anything with its fields)."""
    return row_content(
        at=event.at,
        action=event.action,
        actor_label=event.actor_label,
        session_id_ref=event.session_id_ref,
        candidate_id_ref=event.candidate_id_ref,
        data=event.data,
    )


def event_hash(event: Any) -> str:
    """`row_hash` of an audit row about to be written (an `AuditEvent`, or anything with its fields)."""
    return link(event.prev_hash, event_content(event))


def last_hash() -> str:
    """The hash of the trail's last row ("" for an empty trail): the link the next row follows. On
    SQLite, whose writers are serialised (PostgreSQL reads it under the lock, `pixcertif_audit_links`)."""
    from pixcertif.core.models import AuditEvent

    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with rows.cursor() as cursor:  # prepared: every answer appends
        cursor.execute(f"SELECT hash FROM {table} ORDER BY id DESC LIMIT 1")  # noqa: S608 - the model's table
        row = cursor.fetchone()
    return row[0] if row else ""


@dataclass(frozen=True)
class Break:
    row_id: int
    reason: str

    def __str__(self) -> str:
        return _("ligne n° %(id)s : %(reason)s") % {"id": self.row_id, "reason": self.reason}


def first_break(rows: Iterable[dict[str, Any]], *, previous_hash: str | None = None) -> tuple[Break | None, int]:
    """The first broken row of `rows` (dicts of FIELDS, in id order) and the number of rows checked.

    `previous_hash` is the hash of the row before the first one (None: the first row starts a chain,
    or is checked against nothing when it is the start of a window)."""
    count = 0
    expected_prev = previous_hash
    for row in rows:
        count += 1
        if expected_prev is not None and row["prev_hash"] != expected_prev:
            return Break(row["id"], _("la ligne précédente a été supprimée ou modifiée")), count
        computed = row_hash(
            prev_hash=row["prev_hash"],
            at=row["at"],
            action=row["action"],
            actor_label=row["actor_label"],
            session_id_ref=row["session_id_ref"],
            candidate_id_ref=row["candidate_id_ref"],
            data=row["data"],
        )
        if computed != row["hash"]:
            return Break(row["id"], _("son contenu a été modifié")), count
        expected_prev = row["hash"]
    return None, count


def rows_in_order(queryset) -> Iterator[dict[str, Any]]:
    return queryset.order_by("id").values(*FIELDS).iterator(chunk_size=5000)


def verify_session(session_id: int) -> tuple[Break | None, int]:
    """Check the part of the chain that holds a session's rows, from the row before its first to
    the row after its last: an edited, inserted or deleted row of the session breaks a link there."""
    from django.db.models import Max, Min

    from pixcertif.core.models import AuditEvent

    bounds = AuditEvent.objects.filter(session_id_ref=session_id).aggregate(first=Min("id"), last=Max("id"))
    if bounds["first"] is None:
        return None, 0
    before = AuditEvent.objects.filter(id__lt=bounds["first"]).order_by("-id").values_list("hash", flat=True).first()
    after = AuditEvent.objects.filter(id__gt=bounds["last"]).order_by("id").values_list("id", flat=True).first()
    window = AuditEvent.objects.filter(id__gte=bounds["first"], id__lte=after or bounds["last"])
    return first_break(rows_in_order(window), previous_hash="" if before is None else before)
