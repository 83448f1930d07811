"""The candidate's test as its hot requests read it: one query each (see `pixcertif.core.rows`).

Each reads the test's account row too: the request's login is checked on it
(`pixcertif.accounts.session_login`), so the request reads no account row of its own.

- `for_page`: the question page (GET) reads the test, its candidate and session, its latest live
  alert (id and state) and the current question row with its challenge's version, in one query;
- `for_heartbeat`: the test page's heartbeat reads what its token and the presence rules need;
- `locked_for_answer`: the answer POST reads the test under lock (on PostgreSQL `FOR UPDATE OF`
  the test's row only: a room's answers never queue on their session's or candidate's row), its
  candidate and session, whether an alert is open, and the question rows it may need (the one
  answered, the next one, the current one), in one query.

The challenges' content comes from the process's cache (`challenge_content`), keyed by the version
read here. Both return ordinary model instances: `certification.candidate.session` and the
question's `challenge` are set, as `select_related` would.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from django.db import connection

from pixcertif.accounts.models import User
from pixcertif.core.rows import Columns, aware, columns, quote, table
from sessions_app import challenge_content
from sessions_app.models import (
    Candidate,
    Certification,
    CertificationChallenge,
    Challenge,
    LiveAlert,
    LiveAlertStatus,
    Session,
)


def _parts() -> tuple[Columns, Columns, Columns, Columns]:
    return (
        columns(Certification, "c"),
        columns(Candidate, "cd"),
        columns(Session, "s"),
        columns(CertificationChallenge, "q"),
    )


def _account() -> Columns:
    """The test's account: the request's login is checked on it (`pixcertif.accounts.session_login`),
    so the request reads no account row of its own. Selected first."""
    return columns(User, "u")


def _from(question_join: str) -> str:
    return f"""
    FROM {table(Certification)} c
    JOIN {table(User)} u ON u.{quote("id")} = c.{quote("user_id")}
    JOIN {table(Candidate)} cd ON cd.{quote("id")} = c.{quote("candidate_id")}
    JOIN {table(Session)} s ON s.{quote("id")} = cd.{quote("session_id")}
    LEFT JOIN {table(CertificationChallenge)} q ON q.{quote("certification_id")} = c.{quote("id")} AND {question_join}
    LEFT JOIN {table(Challenge)} ch ON ch.{quote("id")} = q.{quote("challenge_id")}"""


@cache
def _test_page_sql(vendor: str) -> str:
    cert, candidate, session, question = _parts()
    alerts = f"""FROM {table(LiveAlert)} a WHERE a.{quote("certification_id")} = c.{quote("id")}
        ORDER BY a.{quote("created_at")} DESC, a.{quote("id")} DESC LIMIT 1"""
    current = "q.{} = c.{}".format(quote("index"), quote("current_index"))
    return f"""SELECT {_account().sql}, {cert.sql}, {candidate.sql}, {session.sql}, {question.sql},
    ch.{quote("updated_at")}, (SELECT a.{quote("id")} {alerts}), (SELECT a.{quote("status")} {alerts})
    {_from(current)}
    WHERE c.{quote("id")} = %s AND c.{quote("user_id")} = %s AND cd.{quote("user_id")} = %s"""


@cache
def _locked_sql(vendor: str) -> str:
    cert, candidate, session, question = _parts()
    open_alert = f"""EXISTS (SELECT 1 FROM {table(LiveAlert)} a
        WHERE a.{quote("certification_id")} = c.{quote("id")} AND a.{quote("status")} = %s)"""
    lock = " FOR UPDATE OF c" if vendor == "postgresql" else ""  # SQLite: the writer's lock (BEGIN IMMEDIATE)
    index = quote("index")
    return f"""SELECT {_account().sql}, {cert.sql}, {candidate.sql}, {session.sql}, {question.sql},
    ch.{quote("updated_at")}, {open_alert}
    {_from(f"q.{index} IN (%s, %s, c.{quote('current_index')})")}
    WHERE c.{quote("id")} = %s{lock}"""


def _certification(row) -> Certification:
    """The test of `row` (its account's columns cut off, see `_split`)."""
    cert, candidate, session, _question = _parts()
    start = 0
    instances = []
    for part in (cert, candidate, session):
        instances.append(part.instance(row[start : start + len(part)]))
        start += len(part)
    certification, enrolled, where = instances
    assert isinstance(certification, Certification) and isinstance(enrolled, Candidate)
    assert isinstance(where, Session)
    enrolled.session = where
    certification.candidate = enrolled
    return certification


def _question(row, certification: Certification) -> CertificationChallenge | None:
    cert, candidate, session, question = _parts()
    start = len(cert) + len(candidate) + len(session)
    values = row[start : start + len(question)]
    if values[0] is None:  # no question row at that position (LEFT JOIN)
        return None
    instance = question.instance(values)
    assert isinstance(instance, CertificationChallenge)
    instance.challenge_version = aware(row[start + len(question)])
    instance.certification = certification
    return instance


def _split(row) -> tuple[User, Any]:
    """The account of `row` (selected first), and the rest of the row."""
    account = _account()
    user = account.instance(row[: len(account)])
    assert isinstance(user, User)
    return user, row[len(account) :]


def with_content(questions: Iterable[CertificationChallenge]) -> None:
    """Give each question its challenge, from the process's cache (the missing ones in one query)."""
    questions = list(questions)
    content = challenge_content.get_many((q.challenge_id, q.challenge_version) for q in questions)
    for question in questions:
        question.challenge = content[question.challenge_id]


def for_page(certification_id: int, user_id: int) -> Certification | None:
    """The user's test with its `user` (the account row), its candidate and session,
    `latest_alert_id` / `latest_alert_status`, and `current_question` (the question row at
    `current_index` with its challenge, or None); None when it is not this user's test."""
    with connection.cursor() as cursor:
        cursor.execute(_test_page_sql(connection.vendor), [certification_id, user_id, user_id])
        found = cursor.fetchone()
    if found is None:
        return None
    user, row = _split(found)
    certification = _certification(row)
    certification.user = user
    certification.current_question = question = _question(row, certification)
    if question is not None:
        with_content([question])
    certification.latest_alert_id, certification.latest_alert_status = row[-2], row[-1]
    return certification


Questions = dict[int, CertificationChallenge]


def locked_for_answer(certification_id: int, index: int) -> tuple[Certification, Questions] | None:
    """The test (locked until the transaction ends) with its `user` (the account row, not locked), its
    candidate, session and `has_open_alert`, and its question rows at `index`, `index + 1` and
    `current_index`, by index, without their content yet (`with_content`, once the test is known to
    be the caller's)."""
    params: list[str | int] = [LiveAlertStatus.OPEN.value, index, index + 1, certification_id]
    with connection.cursor() as cursor:
        cursor.execute(_locked_sql(connection.vendor), params)
        found = cursor.fetchall()
    if not found:
        return None
    user, _rest = _split(found[0])
    rows = [row[len(_account()) :] for row in found]
    certification = _certification(rows[0])
    certification.user = user
    certification.has_open_alert = bool(rows[0][-1])
    questions = {}
    for row in rows:
        question = _question(row, certification)
        if question is not None:
            questions[question.index] = question
    return certification, questions


@cache
def _heartbeat_sql(vendor: str) -> str:
    open_alert = f"""(SELECT a.{quote("id")} FROM {table(LiveAlert)} a
        WHERE a.{quote("certification_id")} = c.{quote("id")} AND a.{quote("status")} = %s LIMIT 1)"""
    return f"""SELECT {_account().sql}, c.{quote("state")}, c.{quote("last_seen_at")}, c.{quote("last_answered_at")},
    {open_alert}, s.{quote("status")}
    FROM {table(Certification)} c
    JOIN {table(User)} u ON u.{quote("id")} = c.{quote("user_id")}
    JOIN {table(Candidate)} cd ON cd.{quote("id")} = c.{quote("candidate_id")}
    JOIN {table(Session)} s ON s.{quote("id")} = cd.{quote("session_id")}
    WHERE c.{quote("id")} = %s AND c.{quote("user_id")} = %s"""


def for_heartbeat(certification_id: int, user_id: int) -> tuple[User, str, Any, Any, int | None, str] | None:
    """(account row, state, last_seen_at, last_answered_at, open alert id, session status) of the
    user's test, or None: the heartbeat's one read (every open test page, every 40 s at most)."""
    with connection.cursor() as cursor:
        cursor.execute(_heartbeat_sql(connection.vendor), [LiveAlertStatus.OPEN.value, certification_id, user_id])
        found = cursor.fetchone()
    if found is None:
        return None
    user, row = _split(found)
    state, last_seen_at, last_answered_at, open_alert_id, session_status = row
    return user, state, aware(last_seen_at), aware(last_answered_at), open_alert_id, session_status
