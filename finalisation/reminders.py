"""Finalisation reminders: a centre whose session is started, not finalised and still within the 48 h
gets one e-mail to its administrators 24 h after the session's start, and one at 44 h.

`reminders_send` is run every 15 minutes by `manage.py send_reminders` (cron or a systemd timer,
see README), possibly on several servers at once: each reminder is written as a row
(`FinalisationReminder`, unique per session and kind) in the same transaction that sends it, under
a lock on the session row, so a reminder is sent once; if sending fails the row is rolled back and
the next run tries again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from finalisation.models import FinalisationReminder, ReminderKind
from pixcertif.accounts.language import language_of
from pixcertif.accounts.models import Membership
from pixcertif.core.audit import audit_record
from sessions_app.models import Session, SessionStatus
from sessions_app.models.session import FINALISATION_DEADLINE

# Latest first: a run that finds a session past 44 h sends the 44 h reminder only.
DELAYS = [(ReminderKind.AFTER_44H, timedelta(hours=44)), (ReminderKind.AFTER_24H, timedelta(hours=24))]


def reminder_reference(session: Session) -> datetime:
    """The time the 48 h run from, as `Session.is_finalisation_overdue` reads it."""
    return max(session.starts_at, session.started_at) if session.started_at else session.starts_at


def reminder_due(session: Session, now: datetime) -> str | None:
    """The reminder a session is due now, if any: started, not finalised, within the 48 h."""
    if session.status != SessionStatus.CREATED or session.started_at is None:
        return None
    elapsed = now - reminder_reference(session)
    if elapsed >= FINALISATION_DEADLINE:
        return None
    for kind, delay in DELAYS:
        if elapsed >= delay:
            return kind
    return None


def reminders_send(*, now: datetime | None = None) -> list[FinalisationReminder]:
    """Send every reminder due now; returns the reminders sent by this run."""
    now = now or timezone.now()
    earliest = timezone.localdate(now - FINALISATION_DEADLINE - timedelta(days=1))
    latest = timezone.localdate(now - timedelta(hours=24))
    candidates = Session.objects.filter(
        status=SessionStatus.CREATED, started_at__isnull=False, date__gte=earliest, date__lte=latest
    ).order_by("pk")
    sent = []
    for session in candidates:
        kind = reminder_due(session, now)
        if kind is not None:
            reminder = _send_one(session_id=session.pk, kind=kind, now=now)
            if reminder is not None:
                sent.append(reminder)
    return sent


def _send_one(*, session_id: int, kind: str, now: datetime) -> FinalisationReminder | None:
    with transaction.atomic():
        session = Session.objects.select_for_update().select_related("center").get(pk=session_id)
        if reminder_due(session, now) != kind:
            return None  # finalised meanwhile
        if FinalisationReminder.objects.filter(session=session, kind=kind).exists():
            return None  # another run sent it
        admins = list(
            Membership.objects.filter(center=session.center_id, role=Membership.Role.ADMIN)
            .select_related("user")
            .order_by("user__email")
        )
        emails = [m.user.email for m in admins]
        try:
            with transaction.atomic():
                reminder = FinalisationReminder.objects.create(
                    session=session, kind=kind, sent_at=now, recipients=emails
                )
        except IntegrityError:
            return None  # another server wrote it first
        _email_admins(session, kind, [m.user for m in admins])
        audit_record(action="session.finalisation_reminder", session=session, kind=kind, recipients=emails)
        return reminder


def _email_admins(session: Session, kind: str, users: list) -> None:
    deadline = reminder_reference(session) + FINALISATION_DEADLINE
    context = {
        "session": session,
        "kind": kind,
        "deadline": timezone.localtime(deadline),
        "link": settings.SITE_URL + reverse("finalisation:finalise", args=[session.pk]),
    }
    messages = []
    for user in users:
        with translation.override(language_of(user)):
            subject = render_to_string("finalisation/email/reminder_subject.txt", context).strip()
            body = render_to_string("finalisation/email/reminder.txt", context)
        messages.append(EmailMessage(subject=subject, body=body, to=[user.email]))
    if messages:
        get_connection(fail_silently=False).send_messages(messages)
