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

from pixcertif.accounts import session_login
from pixcertif.accounts.models import User
from pixcertif.accounts.session_login import Claim, LoginSQL
from pixcertif.core.rows import Columns, aware, columns, quote, table
from pixcertif.core.rows import cursor as hot_cursor
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


def _from(login: LoginSQL, question_join: str, *, own_candidate: bool) -> str:
    """From the login (`session_login`: the account `u`, with the session row when the sessions are
    in the database) to the test `c.id = %s` of that account, its candidate (the account's own with
    `own_candidate`), session and question rows."""
    candidate_is_own = f" AND cd.{quote('user_id')} = u.{quote('id')}" if own_candidate else ""
    return f"""
    FROM {login.start}
    JOIN {table(Certification)} c ON c.{quote("user_id")} = u.{quote("id")} AND c.{quote("id")} = %s
    JOIN {table(Candidate)} cd ON cd.{quote("id")} = c.{quote("candidate_id")}{candidate_is_own}
    JOIN {table(Session)} s ON s.{quote("id")} = cd.{quote("session_id")}
    LEFT JOIN {table(CertificationChallenge)} q ON q.{quote("certification_id")} = c.{quote("id")} AND {question_join}
    LEFT JOIN {table(Challenge)} ch ON ch.{quote("id")} = q.{quote("challenge_id")}
    WHERE {login.where}"""


@cache
def _test_page_sql(login: LoginSQL, vendor: str) -> str:
    cert, candidate, session, question = _parts()
    alerts = f"""FROM {table(LiveAlert)} a WHERE a.{quote("certification_id")} = c.{quote("id")}
        ORDER BY a.{quote("created_at")} DESC, a.{quote("id")} DESC LIMIT 1"""
    current = "q.{} = c.{}".format(quote("index"), quote("current_index"))
    return f"""SELECT {login.columns}, {cert.sql}, {candidate.sql}, {session.sql}, {question.sql},
    ch.{quote("updated_at")}, (SELECT a.{quote("id")} {alerts}), (SELECT a.{quote("status")} {alerts})
    {_from(login, current, own_candidate=True)}"""


@cache
def _locked_sql(login: LoginSQL, vendor: str) -> str:
    cert, candidate, session, question = _parts()
    open_alert = f"""EXISTS (SELECT 1 FROM {table(LiveAlert)} a
        WHERE a.{quote("certification_id")} = c.{quote("id")} AND a.{quote("status")} = %s)"""
    lock = " FOR UPDATE OF c" if vendor == "postgresql" else ""  # SQLite: the writer's lock (BEGIN IMMEDIATE)
    index = quote("index")
    return f"""SELECT {login.columns}, {cert.sql}, {candidate.sql}, {session.sql}, {question.sql},
    ch.{quote("updated_at")}, {open_alert}
    {_from(login, f"q.{index} IN (%s, %s, c.{quote('current_index')})", own_candidate=False)}{lock}"""


def _certification(row) -> Certification:
    """The test of `row` (its login's columns cut off: `session_login.read`)."""
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


def with_content(questions: Iterable[CertificationChallenge]) -> None:
    """Give each question its challenge, from the process's cache (the missing ones in one query)."""
    questions = list(questions)
    content = challenge_content.get_many((q.challenge_id, q.challenge_version) for q in questions)
    for question in questions:
        question.challenge = content[question.challenge_id]


def for_page(certification_id: int, login: Claim) -> Certification | None:
    """The test `certification_id` of the account `login` reads, with its `user` (the account row)
    and `login_data` (the session row's data, when read: see `session_login`), its candidate and
    session, `latest_alert_id` / `latest_alert_status`, and `current_question` (the question row at
    `current_index` with its challenge, or None); None when the login does not read (no such
    session) or it is not this account's test."""
    with hot_cursor() as cursor:
        cursor.execute(_test_page_sql(login.sql(), connection.vendor), [certification_id, *login.params()])
        found = cursor.fetchone()
    if found is None:
        return None
    user, data, row = session_login.read(found)
    certification = _certification(row)
    certification.user, certification.login_data = user, data
    certification.current_question = question = _question(row, certification)
    if question is not None:
        with_content([question])
    certification.latest_alert_id, certification.latest_alert_status = row[-2], row[-1]
    return certification


Questions = dict[int, CertificationChallenge]


def locked_for_answer(certification_id: int, index: int, login: Claim) -> tuple[Certification, Questions] | None:
    """The test `certification_id` of the account `login` reads (locked until the transaction ends)
    with its `user` (the account row, not locked) and `login_data` (see `for_page`), its candidate,
    session and `has_open_alert`, and its question rows at `index`, `index + 1` and
    `current_index`, by index, without their content yet (`with_content`, once the test is known to
    be the caller's); None when the login does not read or it is not this account's test."""
    params = [LiveAlertStatus.OPEN.value, certification_id, index, index + 1, *login.params()]
    with hot_cursor() as cursor:
        cursor.execute(_locked_sql(login.sql(), connection.vendor), params)
        found = cursor.fetchall()
    if not found:
        return None
    user, data, _rest = session_login.read(found[0])
    rows = [session_login.read(row)[2] for row in found]
    certification = _certification(rows[0])
    certification.user, certification.login_data = user, data
    certification.has_open_alert = bool(rows[0][-1])
    questions = {}
    for row in rows:
        question = _question(row, certification)
        if question is not None:
            questions[question.index] = question
    return certification, questions


@cache
def _heartbeat_sql(login: LoginSQL, vendor: str) -> str:
    open_alert = f"""(SELECT a.{quote("id")} FROM {table(LiveAlert)} a
        WHERE a.{quote("certification_id")} = c.{quote("id")} AND a.{quote("status")} = %s LIMIT 1)"""
    return f"""SELECT {login.columns}, c.{quote("state")}, c.{quote("last_seen_at")}, c.{quote("last_answered_at")},
    {open_alert}, s.{quote("status")}
    FROM {login.start}
    JOIN {table(Certification)} c ON c.{quote("user_id")} = u.{quote("id")} AND c.{quote("id")} = %s
    JOIN {table(Candidate)} cd ON cd.{quote("id")} = c.{quote("candidate_id")}
    JOIN {table(Session)} s ON s.{quote("id")} = cd.{quote("session_id")}
    WHERE {login.where}"""


def for_heartbeat(
    certification_id: int, login: Claim
) -> tuple[User, str | None, str, Any, Any, int | None, str] | None:
    """(account row, session data or None, state, last_seen_at, last_answered_at, open alert id,
    session status) of the test `certification_id` of the account `login` reads, or None: the
    heartbeat's one read (every open test page, every 40 s at most)."""
    params = [LiveAlertStatus.OPEN.value, certification_id, *login.params()]
    with hot_cursor() as cursor:
        cursor.execute(_heartbeat_sql(login.sql(), connection.vendor), params)
        found = cursor.fetchone()
    if found is None:
        return None
    user, data, row = session_login.read(found)
    state, last_seen_at, last_answered_at, open_alert_id, session_status = row
    return user, data, state, aware(last_seen_at), aware(last_answered_at), open_alert_id, session_status
