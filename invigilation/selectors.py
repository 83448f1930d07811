"""Reads of the invigilator space: the session an account may watch, its candidate rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from types import SimpleNamespace

from django.db import connection
from django.utils import timezone

from invigilation.models import InvigilatorAccess
from pixcertif.accounts import session_login
from pixcertif.accounts.models import User
from pixcertif.accounts.session_login import Claim, LoginSQL
from pixcertif.core.rows import aware
from pixcertif.core.rows import cursor as hot_cursor
from sessions_app import clock
from sessions_app.live_alerts import pupil_label
from sessions_app.models import (
    Candidate,
    Certification,
    CertificationState,
    IssueReport,
    IssueReportSource,
    LiveAlert,
    LiveAlertStatus,
    Session,
)
from sessions_app.normalize import normalize_name

MAX_ID = 2**63 - 1  # bigint


def watched_session(user, session_id: int) -> Session | None:
    """The session `session_id` if `user` entered its password, else None — in one query."""
    if not user.is_authenticated:
        return None
    return Session.objects.filter(pk=session_id, invigilator_accesses__user_id=user.pk).first()


@dataclass(frozen=True, slots=True)
class ListStamp:
    """What the live list's version is made of, read in one query (the 304 path)."""

    changed_at: datetime  # the session row: a session-level change (enrolment, edit, finalisation)
    status: str
    rows: datetime | None  # the newest row stamp: max of Candidate.changed_at and Certification.last_answered_at
    alerts: str  # the set of live alerts: "count.newest created_at / handled_at" (the alert rows come first)
    user: User  # the account row: the poll's login is checked on it (`pixcertif.accounts.session_login`)
    login_data: str | None  # the session row's data, when the query read it


_STAMP_SQL = """
SELECT {login.columns}, s.changed_at, s.status,
  MAX({greatest}(c.changed_at, COALESCE(ce.last_answered_at, c.changed_at))),
  SUM((SELECT COUNT(*) FROM {alert} la WHERE la.certification_id = ce.id)),
  MAX((SELECT MAX(COALESCE(la.handled_at, la.created_at)) FROM {alert} la WHERE la.certification_id = ce.id))
FROM {login.start}
JOIN {access} a ON a.user_id = u.id AND a.session_id = %s
JOIN {session} s ON s.id = a.session_id
LEFT JOIN {candidate} c ON c.session_id = s.id
LEFT JOIN {certification} ce ON ce.candidate_id = c.id
WHERE {login.where}
GROUP BY s.id, s.changed_at, s.status, {login.group}
"""


@cache
def _stamp_sql(login: LoginSQL, vendor: str) -> str:
    return _STAMP_SQL.format(
        login=login,
        # The greater of two values: GREATEST on PostgreSQL, the two-argument scalar max() on SQLite.
        greatest="MAX" if vendor == "sqlite" else "GREATEST",
        session=Session._meta.db_table,
        access=InvigilatorAccess._meta.db_table,
        candidate=Candidate._meta.db_table,
        certification=Certification._meta.db_table,
        alert=LiveAlert._meta.db_table,
    )


def list_stamp(login: Claim | None, session_id: int) -> ListStamp | None:
    """The live list's version if the account `login` reads entered the session's password, else
    None, in one query that reads the login too (`session_login`: the account row, `ListStamp.user`,
    and the session row when the sessions are in the database, `ListStamp.login_data`):
    the session's own stamp and status (with the access check), the newest row stamp (the greater
    of `Candidate.changed_at` and `Certification.last_answered_at` over the session's candidates)
    and the live alerts' stamp (their number and the newest `created_at` / `handled_at`; a handled
    alert's `handled_at` is after its `created_at`): one walk of the session's candidates and tests,
    each test's alerts read by index (three subqueries walking the room each cost PostgreSQL 40 %
    more CPU).

    The live list's hot path: every invigilator, every 5 s, mostly to answer 304. Written in SQL:
    built by the ORM (correlated subqueries) the same query cost 10× the app CPU (4.5 ms against
    0.43 ms measured in process on the benchmark machine, when a whole bare request costs 2.5–5 ms;
    bench/invigilator.py). Each part walks an index (candidate.session_id,
    certification.candidate_id, livealert.certification_id)."""
    if login is None or not 0 < session_id <= MAX_ID:  # a URL may hold any number
        return None
    with hot_cursor() as cursor:
        cursor.execute(_stamp_sql(login.sql(), connection.vendor), [session_id, *login.params()])
        found = cursor.fetchone()
    if found is None:
        return None
    user, data, row = session_login.read(found)
    changed_at, status, rows, alerts, newest_alert = row
    return ListStamp(
        changed_at=aware(changed_at),
        status=status,
        rows=aware(rows),
        alerts=f"{int(alerts or 0)}.{_micro(aware(newest_alert))}",
        user=user,
        login_data=data,
    )


def _micro(value: datetime | None) -> int:
    return int(value.timestamp() * 1_000_000) if value is not None else 0


def watched_sessions(user) -> list[Session]:
    """The sessions this account may return to: entered before, not finalised, soonest first."""
    return list(
        Session.objects.not_locked_for_center()
        .filter(invigilator_accesses__user_id=user.pk)
        .only("id", "date", "time", "address", "room")
        .order_by("date", "time", "id")
    )


@dataclass(frozen=True, slots=True)
class CandidateRow:
    """What the list shows of one candidate: plain values, ready to print (the list is rendered
    every time it changes, for every invigilator: it must be cheap)."""

    pk: int
    name: str  # "DUPONT Martine"
    birth: str  # "21/06/1994"
    search_text: str  # normalised "dupont martine"
    authorized_to_start: bool
    extra_time_percentage: int | None
    state: str  # "" (not started) or a CertificationState value
    started: str  # "09:02" (local time) when started
    theoretical_end: str  # "10:47" (local time) when started
    needs_adjustment: bool = False  # "Besoin d'un aménagement", shown on the row
    # The live day (as of the list's minute): open alert, activity, clock tags, reports logged.
    alert_id: int | None = None
    alert_number: int | None = None  # question number of the open alert
    alert_code: str = ""
    last_answer_minutes: int | None = None  # whole minutes since the last answer
    inactive_minutes: int | None = None  # set after INACTIVE_AFTER without an answer, while in progress
    deadline_passed: bool = False  # "Délai expiré": no (first) start or resume any more
    authorisation_expired: bool = False  # the ticked box / the resume authorisation is over 15 min old
    reports: int = 0  # reports entered during the session
    # The row's change stamp: Candidate.changed_at or the last answer, whichever is newer (the
    # live list's "only what changed" answer sends the rows newer than the browser's copy).
    stamp: datetime | None = None

    @property
    def is_started(self) -> bool:
        return self.state != ""

    @property
    def is_in_progress(self) -> bool:
        return self.state == CertificationState.STARTED

    @property
    def is_present(self) -> bool:
        return self.authorized_to_start or self.is_started

    @property
    def resume_authorized(self) -> bool:
        return self.is_in_progress and self.authorized_to_start and not self.authorisation_expired

    @property
    def has_alert(self) -> bool:
        return self.alert_id is not None

    @property
    def alert_label(self) -> str:
        return f"{self.alert_code} — {pupil_label(self.alert_code)}" if self.alert_code else ""

    @property
    def state_label(self) -> str:
        return str(CertificationState(self.state).label) if self.state else ""


@dataclass(frozen=True)
class CandidateList:
    rows: list[CandidateRow]
    total: int
    present: int
    query: str
    in_progress: int = 0
    finished: int = 0
    open_alerts: int = 0
    reports: int = 0
    # The next instant a row could read differently with nothing written (a minute label, a
    # 15-minute authorisation, a 24-hour limit); None when nothing shown depends on the time.
    valid_until: datetime | None = None


# mypy reads a property on its class as its getter function (python/mypy#6185): it is the property.
_theoretical_end = Certification.theoretical_end.fget  # type: ignore[attr-defined]


def _rows(values, alerts: dict, reports: dict, now: datetime) -> tuple[list[CandidateRow], list[datetime]]:
    """The rows of `values` (the first 13 columns of `_ROWS_SQL`), and the instants at which one of them
    would read differently with nothing written."""
    inactive_after = clock.setting("INACTIVE_AFTER")
    changes: list[datetime] = []
    rows = []
    for row in values:
        pk, last_name, first_name, birth_date, extra, authorized, state, started_at = row[:8]
        authorized_at, session_started_at, last_answer = (aware(v) for v in row[8:11])
        adjustment, changed_at = row[11], aware(row[12])
        started_at = aware(started_at)
        started = end = ""
        live: dict = {}
        if authorized:
            expires = clock.authorisation_expires_at(authorized_at) if authorized_at else now
            live["authorisation_expired"] = now >= expires
            if expires > now:
                changes.append(expires)
        if started_at is not None and state == CertificationState.STARTED:  # times are shown while in progress
            # The one definition of the theoretical end lives on the model; call it on plain values
            # (building two model instances per row cost more than the rest of the row).
            theoretical = _theoretical_end(
                SimpleNamespace(started_at=started_at, candidate=SimpleNamespace(extra_time_percentage=extra))
            )
            started = timezone.localtime(started_at).strftime("%H:%M")
            end = timezone.localtime(theoretical).strftime("%H:%M")
            deadline = clock.resume_deadline(started_at)
            live["deadline_passed"] = now >= deadline
            if deadline > now:
                changes.append(deadline)
            activity = last_answer or started_at
            if last_answer is not None:
                live["last_answer_minutes"] = clock.minutes_between(last_answer, now)
            idle = clock.minutes_between(activity, now)
            if idle * 60 >= inactive_after.total_seconds():
                live["inactive_minutes"] = idle
            changes.append(clock.next_minute(now))  # minute labels
        elif not state and session_started_at is not None:
            deadline = clock.first_start_deadline(session_started_at)
            live["deadline_passed"] = now >= deadline
            if deadline > now:
                changes.append(deadline)
        if pk in alerts:
            live["alert_id"], live["alert_number"], live["alert_code"] = alerts[pk]
        rows.append(
            CandidateRow(
                pk=pk,
                name=f"{last_name.upper()} {first_name}",
                birth=f"{birth_date.day:02d}/{birth_date.month:02d}/{birth_date.year}",
                search_text=normalize_name(f"{last_name} {first_name}"),
                authorized_to_start=authorized,
                extra_time_percentage=extra,
                state=state or "",
                started=started,
                theoretical_end=end,
                needs_adjustment=adjustment,
                reports=reports.get(pk, 0),
                stamp=max(changed_at, last_answer) if last_answer else changed_at,
                **live,
            )
        )
    return rows, changes


def _searched(rows: list[CandidateRow], query: str) -> list[CandidateRow]:
    words = normalize_name(query).split()
    return [r for r in rows if all(w in r.search_text for w in words)] if words else rows


def candidate_list(session: Session, query: str = "", *, now: datetime | None = None) -> CandidateList:
    """Every candidate of the session with their test's state, open alert, activity and clock tags,
    in one query whatever the number of candidates, alerts and reports (the delta's, `_ROWS_SQL`,
    without its "changed since"); candidates with an open alert first, then sorted by name;
    filtered by `query` (accents, case, hyphens and word order ignored). Counts cover the whole
    session."""
    now = now or timezone.now()
    with hot_cursor() as cursor:
        cursor.execute(_tables(_ROWS_SQL), _params(session))
        found = cursor.fetchall()
    alerts = {row[0]: (row[13], row[14] + 1, row[15]) for row in found if row[13] is not None}
    reports = {row[0]: row[16] for row in found if row[16]}
    rows, changes = _rows([row[:13] for row in found], alerts, reports, now)
    rows.sort(key=lambda r: (not r.has_alert, r.search_text, r.pk))
    return CandidateList(
        rows=_searched(rows, query),
        total=len(rows),
        present=sum(1 for r in rows if r.is_present),
        query=query.strip(),
        in_progress=sum(1 for r in rows if r.is_in_progress),
        finished=sum(1 for r in rows if r.is_started and not r.is_in_progress),
        open_alerts=len(alerts),
        reports=sum(reports.values()),
        valid_until=min(changes) if changes else None,
    )


# A row of the live list: the candidate, their test, its open alert and the reports entered during
# the session (the whole list; the delta adds its "changed since").
_ROWS_SQL = """
SELECT c.id, c.last_name, c.first_name, c.birth_date, c.extra_time_percentage, c.authorized_to_start,
  ce.state, ce.started_at, c.authorized_at, s.started_at, ce.last_answered_at, c.needs_adjustment, c.changed_at,
  la.id, la.question_index, la.code,
  (SELECT COUNT(*) FROM {report} r WHERE r.certification_id = ce.id AND r.source <> %(finalisation)s)
FROM {candidate} c JOIN {session} s ON s.id = c.session_id
LEFT JOIN {certification} ce ON ce.candidate_id = c.id
LEFT JOIN {alert} la ON la.certification_id = ce.id AND la.status = %(open)s
WHERE c.session_id = %(session)s
"""
_DELTA_SQL = _ROWS_SQL + " AND (c.changed_at > %(since)s OR ce.last_answered_at > %(since)s)"


def _params(session: Session) -> dict:
    return {
        "session": session.pk,
        "open": LiveAlertStatus.OPEN.value,
        "started": CertificationState.STARTED.value,
        "finalisation": IssueReportSource.FINALISATION.value,
    }


_COUNTS_SQL = """
SELECT COUNT(*),
  SUM(CASE WHEN c.authorized_to_start OR ce.id IS NOT NULL THEN 1 ELSE 0 END),
  SUM(CASE WHEN ce.state = %(started)s THEN 1 ELSE 0 END),
  SUM(CASE WHEN ce.id IS NOT NULL AND ce.state <> %(started)s THEN 1 ELSE 0 END),
  (SELECT COUNT(*) FROM {alert} la JOIN {certification} ce2 ON ce2.id = la.certification_id
     JOIN {candidate} c2 ON c2.id = ce2.candidate_id WHERE c2.session_id = %(session)s AND la.status = %(open)s),
  (SELECT COUNT(*) FROM {report} r JOIN {certification} ce2 ON ce2.id = r.certification_id
     JOIN {candidate} c2 ON c2.id = ce2.candidate_id WHERE c2.session_id = %(session)s AND r.source <> %(finalisation)s)
FROM {candidate} c LEFT JOIN {certification} ce ON ce.candidate_id = c.id
WHERE c.session_id = %(session)s
"""

# The delta's one query: the counters' row (always one), joined to each changed row (none: the
# counters alone, with empty row columns).
_COUNTERS = 6  # the columns of _COUNTS_SQL, first in each row of _CHANGED_SQL
_CHANGED_SQL = f"SELECT n.*, d.* FROM ({_COUNTS_SQL}) n LEFT JOIN ({_DELTA_SQL}) d ON 1 = 1"  # noqa: S608 - two constants of this module


def _tables(sql: str) -> str:
    return sql.format(
        session=Session._meta.db_table,
        candidate=Candidate._meta.db_table,
        certification=Certification._meta.db_table,
        alert=LiveAlert._meta.db_table,
        report=IssueReport._meta.db_table,
    )


def changed_rows(
    session: Session, query: str, since: datetime, until: datetime | None, *, now: datetime | None = None
) -> CandidateList:
    """The rows stamped after `since` (a candidate's change or a last answer), with the counters of
    the whole session, for a page whose copy reads right until `until`: the changed rows alone are
    built (the list's cost in a room where a few pupils answered). One query whatever the number
    of candidates: the counters, joined to the changed rows with their open alert and their reports.
    Written in SQL, as `list_stamp`: built by the ORM, the four queries it replaced cost 4 of the
    delta's 6 ms of app CPU (bench/invigilator.py). `valid_until`: the earlier of `until` and the
    changed rows' own instants."""
    now = now or timezone.now()
    params = {**_params(session), "since": connection.ops.adapt_datetimefield_value(since)}
    with hot_cursor() as cursor:
        cursor.execute(_tables(_CHANGED_SQL), params)
        together = cursor.fetchall()
    total, present, in_progress, finished, open_alerts, reports = together[0][:_COUNTERS]
    # No row changed: the counters' row alone, its row columns empty.
    found = [row[_COUNTERS:] for row in together if row[_COUNTERS] is not None]
    alerts = {row[0]: (row[13], row[14] + 1, row[15]) for row in found if row[13] is not None}
    rows, changes = _rows([row[:13] for row in found], alerts, {row[0]: row[16] for row in found}, now)
    if until is not None:
        changes.append(until)
    return CandidateList(
        rows=_searched(rows, query),
        total=total,
        present=present or 0,
        query=query.strip(),
        in_progress=in_progress or 0,
        finished=finished or 0,
        open_alerts=open_alerts,
        reports=reports,
        valid_until=min(changes) if changes else None,
    )
