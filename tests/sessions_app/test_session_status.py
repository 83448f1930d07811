"""The session lifecycle (sessions_app/services/session_status.py): every move from every status,
and no other module writing `Session.status`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.db import transaction

from pixcertif.core.errors import DomainError
from pixcertif.core.models import AuditEvent
from sessions_app.models import Session, SessionStatus
from sessions_app.services.session_status import (
    TRANSITIONS,
    Move,
    apply_move,
    ensure_center_can_change,
    ensure_in_jury_hands,
    guard_move,
    session_lock,
)
from tests.factories import SessionFactory, UserFactory
from tests.finalisation.builders import mark_finalised

ROOT = Path(__file__).resolve().parents[2]
CREATED, FINALIZED, IN_PROCESS, PUBLISHED = (
    SessionStatus.CREATED,
    SessionStatus.FINALIZED,
    SessionStatus.IN_PROCESS,
    SessionStatus.PUBLISHED,
)

# (move, status before) → "apply", "done" (early return) or the refusal's error code.
EXPECTED = {
    (Move.FINALISE, CREATED): "apply",
    (Move.FINALISE, FINALIZED): "done",
    (Move.FINALISE, IN_PROCESS): "done",
    (Move.FINALISE, PUBLISHED): "done",
    (Move.TAKE, CREATED): "session_not_finalized",
    (Move.TAKE, FINALIZED): "apply",
    (Move.TAKE, IN_PROCESS): "apply",  # held by another jury member: taken over
    (Move.TAKE, PUBLISHED): "session_published",
    (Move.PUBLISH, CREATED): "session_not_finalized",
    (Move.PUBLISH, FINALIZED): "apply",
    (Move.PUBLISH, IN_PROCESS): "apply",
    (Move.PUBLISH, PUBLISHED): "done",
    (Move.UNPUBLISH, CREATED): "session_not_finalized",
    (Move.UNPUBLISH, FINALIZED): "done",
    (Move.UNPUBLISH, IN_PROCESS): "done",
    (Move.UNPUBLISH, PUBLISHED): "apply",
    (Move.UNFINALISE, CREATED): "done",
    (Move.UNFINALISE, FINALIZED): "apply",
    (Move.UNFINALISE, IN_PROCESS): "apply",
    (Move.UNFINALISE, PUBLISHED): "session_published",
}


def _session_in(status: str, *, assigned_to=None) -> Session:
    session = SessionFactory()
    if status != CREATED:
        mark_finalised(session, status=status)
    if assigned_to is not None:
        Session.objects.filter(pk=session.pk).update(assigned_to=assigned_to)
        session.refresh_from_db()
    return session


def test_the_table_covers_every_move_from_every_status():
    assert {(move, status) for move in Move for status in SessionStatus} == set(EXPECTED)
    assert set(TRANSITIONS) == set(Move)


@pytest.mark.parametrize(("move", "status"), list(EXPECTED))
def test_guard(db, move, status):
    jury = UserFactory(is_staff=True)
    session = _session_in(status, assigned_to=UserFactory(is_staff=True) if status == IN_PROCESS else None)
    expected = EXPECTED[(move, status)]
    if expected in {"apply", "done"}:
        assert guard_move(session, move, by=jury) is (expected == "apply")
    else:
        with pytest.raises(DomainError) as error:
            guard_move(session, move, by=jury)
        assert error.value.code == expected


def test_taking_a_session_one_already_holds_is_done(db):
    jury = UserFactory(is_staff=True)
    assert guard_move(_session_in(IN_PROCESS, assigned_to=jury), Move.TAKE, by=jury) is False


@pytest.mark.parametrize(
    ("move", "before", "after"),
    [
        (Move.FINALISE, CREATED, FINALIZED),
        (Move.TAKE, FINALIZED, IN_PROCESS),
        (Move.PUBLISH, IN_PROCESS, PUBLISHED),
        (Move.UNPUBLISH, PUBLISHED, FINALIZED),
        (Move.UNFINALISE, IN_PROCESS, CREATED),
    ],
)
def test_apply_move_writes_the_status_its_fields_and_one_audit_row(db, move, before, after):
    jury = UserFactory(is_staff=True)
    session = _session_in(before)
    with transaction.atomic():
        locked = session_lock(session.pk)
        assert guard_move(locked, move, by=jury)
        apply_move(session=locked, move=move, by=jury, detail=1)
    session.refresh_from_db()
    assert session.status == after
    assert (session.finalized_at is None) == (after == CREATED)
    assert (session.published_at is None) == (after != PUBLISHED)
    assert session.assigned_to == (jury if move is Move.TAKE else None)
    event = AuditEvent.objects.get(action=TRANSITIONS[move].action)
    assert (event.session_id_ref, event.actor, event.data) == (session.pk, jury, {"detail": 1})


def test_unpublishing_a_session_a_jury_member_holds_gives_it_back_to_them(db):
    jury = UserFactory(is_staff=True)
    session = _session_in(PUBLISHED, assigned_to=jury)
    apply_move(session=session_lock(session.pk), move=Move.UNPUBLISH, by=jury)
    session.refresh_from_db()
    assert (session.status, session.assigned_to) == (IN_PROCESS, jury)


@pytest.mark.parametrize("status", list(SessionStatus))
def test_one_name_for_the_centre_lock_and_the_jury_window(db, status):
    session = _session_in(status)
    locked = status != CREATED
    assert session.is_locked_for_center is locked
    assert Session.objects.not_locked_for_center().filter(pk=session.pk).exists() is not locked
    assert session.is_in_jury_hands is (status in {FINALIZED, IN_PROCESS})
    if locked:
        with pytest.raises(DomainError) as error:
            ensure_center_can_change(session)
        assert error.value.code == "session_finalized"
    else:
        ensure_center_can_change(session)
    if session.is_in_jury_hands:
        ensure_in_jury_hands(session)
    else:
        with pytest.raises(DomainError):
            ensure_in_jury_hands(session)


def _status_writes(path: Path) -> list[int]:
    """Lines of `path` that set a session status: `x.status = SessionStatus.…`, or `status=` in an
    `update()` / `create()` / `update_or_create()` call on sessions."""
    lines = []
    writers = {"update", "create", "update_or_create", "get_or_create", "bulk_update"}
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            sets_status = any(isinstance(t, ast.Attribute) and t.attr == "status" for t in targets)
            if sets_status and "SessionStatus" in ast.unparse(node):
                lines.append(node.lineno)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in writers:
            called_on = ast.unparse(node.func.value)
            writes_status = any(k.arg == "status" for k in node.keywords) or "'status'" in ast.unparse(node)
            if writes_status and "session" in called_on.lower():
                lines.append(node.lineno)
    return lines


def test_nothing_but_the_lifecycle_module_writes_session_status():
    allowed = ROOT / "sessions_app" / "services" / "session_status.py"
    found = {}
    for app in ("pixcertif", "sessions_app", "invigilation", "finalisation"):
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or path == allowed:
                continue
            lines = _status_writes(path)
            if lines:
                found[str(path.relative_to(ROOT))] = lines
    assert found == {}


def test_the_status_write_detector_sees_each_kind_of_write(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "session.status = SessionStatus.CREATED\n"
        "Session.objects.filter(pk=1).update(status='published')\n"
        "invitation.status = Invitation.Status.CANCELLED\n"
    )
    assert _status_writes(sample) == [1, 2]
