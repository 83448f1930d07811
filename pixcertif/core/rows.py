"""Hand-written SQL for the few requests every candidate makes many times, with the ORM's own conversions.

The candidate's question page and answer run hundreds of times a second on an exam day; building
their queries with the ORM cost more CPU than the rest of the request (a select_related with two
subqueries took ~3 ms to compile, the database ~0.2 ms to run it). Those queries are written once
here as SQL, and their rows become ordinary model instances through the same field conversions the
ORM applies (`get_db_prep_value` for parameters, the backend's and the field's converters for
results), so the rest of the code sees no difference: aware datetimes on both databases, JSON
decoded, booleans as booleans.

Everything else in the product uses the ORM. Use these only on a measured hot path (see
`bench/candidates.py`), with the query count asserted in a test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Field, Model

PREPARE_AFTER = 2  # executions of a hot query on a connection before psycopg prepares it


def this_connection() -> Any:
    """This thread's connection itself: `django.db.connection` is a proxy that finds it again on
    every attribute read (a thread-local lookup: ~50 of them made an answer 5 % dearer)."""
    return connections[DEFAULT_DB_ALIAS]


@cache
def vendor() -> str:
    """The database's vendor: fixed by the settings for the life of the process."""
    return connection.vendor


@contextmanager
def cursor() -> Iterator[Any]:
    """A cursor for a hot query: on PostgreSQL one that binds its parameters on the server, so that
    psycopg prepares the query once it has run `PREPARE_AFTER` times on the connection and
    PostgreSQL no longer plans it on every request: planning the candidate's page query (eight
    tables) cost PostgreSQL 1 ms, its execution 0.15 ms. Django's own cursors bind on the client
    (`server_side_binding` off), and stay so everywhere else. Wrapped as Django wraps its cursors
    (the debug log, `CaptureQueriesContext`, execute wrappers, error translation)."""
    db = this_connection()
    if vendor() != "postgresql":
        with db.cursor() as found:
            yield found
        return
    # What Django's `cursor()` does (the connection's health check, the connection, its error
    # translation, the debug log: `BaseDatabaseWrapper._cursor`), with the connection's one
    # server-binding cursor, made once per connection, where Django makes a new client cursor
    # (making one per statement cost the answer 0.2 ms of its 5; Django's, made and closed, 8 µs).
    db.close_if_health_check_failed()
    db.ensure_connection()
    raw = db.connection
    held = getattr(db, "_hot_cursor", None)
    if held is None or held[0] is not raw or held[1].closed:
        if raw.prepare_threshold is None:  # Django turns preparing off; its client-side cursors never prepare anyway
            raw.prepare_threshold = PREPARE_AFTER
        held = db._hot_cursor = (raw, _preparing_cursor()(raw))
    with db.wrap_database_errors:
        wrapped = db._prepare_cursor(held[1])
    yield wrapped  # not closed: the connection's cursor for its next hot statement


@cache
def _preparing_cursor() -> type:
    import psycopg

    class PreparingCursor(psycopg.Cursor):
        """psycopg's server-binding cursor. Running an already prepared query, it keeps no text of it
        (`_query` is None), where Django's query log reads it (`last_executed_query`): kept here."""

        def execute(self, query, params=None, **kwargs):
            done = super().execute(query, params, **kwargs)
            if self._query is None:
                self._query = SimpleNamespace(query=str(query).encode(), params=None)  # type: ignore[assignment]
            return done

    return PreparingCursor


@cache
def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def table(model: type[Model]) -> str:
    return quote(model._meta.db_table)


@dataclass(frozen=True)
class Columns:
    """A model's concrete columns as a query selects them (`alias."column"`, in field order), and how
    to turn their values into an instance."""

    model: type[Model]
    alias: str
    fields: tuple[Field, ...]
    converters: tuple[tuple[int, Field, tuple[Callable, ...]], ...]
    attnames: list[str]  # from_db's field names (a list: Model.from_db compares it with one)

    @property
    def sql(self) -> str:
        return ", ".join(f"{self.alias}.{quote(field.column)}" for field in self.fields)

    def __len__(self) -> int:
        return len(self.fields)

    def instance(self, values: Sequence[Any]) -> Model:
        """The instance of `values` (this model's slice of a row), as the ORM would have built it."""
        values = list(values)
        db = this_connection()
        for position, field, converters in self.converters:
            value = values[position]
            for converter in converters:
                value = converter(value, field, db)
            values[position] = value
        return self.model.from_db(DEFAULT_DB_ALIAS, self.attnames, values)


@cache
def _columns(model: type[Model], alias: str, vendor: str) -> Columns:
    fields = tuple(model._meta.concrete_fields)
    converters = []
    for position, field in enumerate(fields):
        col = field.get_col(alias)
        found = tuple(connection.ops.get_db_converters(col)) + tuple(col.get_db_converters(connection))
        if found:
            converters.append((position, field, found))
    return Columns(model, alias, fields, tuple(converters), [field.attname for field in fields])


def columns(model: type[Model], alias: str) -> Columns:
    return _columns(model, alias, vendor())


def aware(value: Any) -> Any:
    """A datetime read by hand (a column, or a MAX() over one) as a DateTimeField reads it: aware, in
    UTC (SQLite returns naive datetimes, or text for a computed column); None stays None."""
    if value is None:
        return None
    db = this_connection()
    for converter in _datetime_converters(vendor()):
        value = converter(value, None, db)
    return value


@cache
def _datetime_converters(vendor: str) -> tuple[Callable, ...]:
    from django.db.models import DateTimeField, Value

    return tuple(connection.ops.get_db_converters(Value(None, output_field=DateTimeField())))


def update_sql(instance: Model, fields: Iterable[str]) -> tuple[str, list[Any]]:
    """The UPDATE of `update` and its parameters (PostgreSQL may run it inside another statement, as a
    data-modifying WITH: see `pixcertif.core.audit`)."""
    model = type(instance)
    by_name = {field.name: field for field in model._meta.concrete_fields}
    chosen = [by_name[name] for name in fields]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in chosen)
    db = this_connection()
    params = [field.get_db_prep_value(getattr(instance, field.attname), db) for field in chosen]
    where = f"{quote(model._meta.pk.column)} = %s"
    return f"UPDATE {table(model)} SET {assignments} WHERE {where}", [*params, instance.pk]


def update(instance: Model, fields: Iterable[str]) -> None:
    """`instance.save(update_fields=fields)` in one plain UPDATE (no signals: the hot path has none)."""
    sql, params = update_sql(instance, fields)
    with cursor() as found:
        found.execute(sql, params)


def insert(instances: Sequence[Model]) -> None:
    """Insert `instances` (of one model, primary keys not set) in one INSERT, in order, setting their
    primary keys (as `bulk_create` does on both databases: RETURNING)."""
    model, db = type(instances[0]), this_connection()
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    names = ", ".join(quote(field.column) for field in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    params = [
        field.get_db_prep_save(field.pre_save(instance, add=True), db) for instance in instances for field in fields
    ]
    pk = quote(model._meta.pk.column)
    with cursor() as inserting:
        inserting.execute(
            f"INSERT INTO {table(model)} ({names}) VALUES {', '.join([row] * len(instances))} RETURNING {pk}", params
        )
        ids = [found[0] for found in inserting.fetchall()]
    for instance, pk_value in zip(instances, sorted(ids), strict=True):
        instance.pk = pk_value
        instance._state.adding = False
        instance._state.db = DEFAULT_DB_ALIAS
