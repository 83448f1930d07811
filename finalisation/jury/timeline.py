"""The timeline of one certification, for the jury: every event in order, read from the audit trail
and the answers given — nothing is recorded twice for it.

The audit rows of the candidate (joined, presence, start, resumes, answers, end, reports, jury
decisions, corrections) and the session-wide rows that concern every candidate (finalised,
published…) are merged with the answers (question, competence, result, time spent), in time order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pixcertif.core.models import AuditEvent
from sessions_app.models import Certification, CertificationChallenge

# Session-wide actions that concern every candidate of the session.
SESSION_WIDE = {
    "session.finalise": _("Session finalisée"),
    "jury.session_take": _("Session prise en charge par le jury"),
    "jury.session_rescore": _("Session recalculée"),
    "jury.session_publish": _("Résultats publiés"),
    "jury.session_unpublish": _("Résultats dépubliés"),
    "jury.session_unfinalise": _("Session rendue au centre (définalisée)"),
}

LABELS = {
    **SESSION_WIDE,
    "candidate.add": _("Candidat inscrit"),
    "candidate.update": _("Inscription modifiée"),
    "candidate.joined": _("A rejoint la session"),
    "candidate.presence_confirmed": _("Présence confirmée"),
    "candidate.presence_cancelled": _("Présence décochée"),
    "candidate.resume_authorized": _("Reprise du test autorisée"),
    "candidate.resume_renewed": _("Autorisation de reprise renouvelée"),
    "live_alert.opened": _("Signalement en direct par le candidat"),
    "live_alert.validated": _("Signalement en direct validé par le surveillant"),
    "live_alert.refused": _("Signalement en direct refusé par le surveillant"),
    "issue_report.logged_by_invigilator": _("Incident saisi par le surveillant pendant la session"),
    "issue_report.update": _("Signalement modifié"),
    "certification.started": _("Test commencé"),
    "certification.resumed": _("Test repris"),
    "certification.answered": _("Réponse"),
    "certification.skipped": _("Question passée"),
    "certification.completed": _("Test terminé par le candidat"),
    "certification.ended_by_invigilator": _("Test terminé par le surveillant"),
    "certification.abort_reason_set": _("Raison de l'abandon indiquée"),
    "issue_report.add": _("Signalement ajouté"),
    "issue_report.remove": _("Signalement supprimé"),
    "jury.issue_report_auto_resolved": _("Signalement résolu automatiquement"),
    "jury.issue_report_resolve": _("Signalement résolu par le jury"),
    "jury.challenge_neutralise": _("Question neutralisée"),
    "jury.challenge_unneutralise": _("Neutralisation annulée"),
    "jury.certification_scored": _("Score calculé"),
    "jury.certification_cancel": _("Certification annulée"),
    "jury.certification_reject_for_fraud": _("Certification rejetée pour fraude"),
    "jury.certification_reinstate": _("Résultat calculé rétabli"),
    "jury.certification_comment": _("Commentaires du jury modifiés"),
    "jury.identity_correct": _("Identité corrigée"),
    "jury.extra_time_set": _("Temps majoré modifié"),
    "jury.certificate_cancel": _("Attestation annulée après publication"),
    "jury.certificate_restore": _("Attestation rétablie"),
}

ANSWER_ACTIONS = {"certification.answered", "certification.skipped"}
RESULT_LABELS = {"ok": _("juste"), "ko": _("faux"), "skipped": _("passée"), "": _("sans réponse")}


@dataclass(frozen=True)
class Event:
    at: datetime
    label: str
    by: str
    details: str
    order: int  # ties at the same instant keep the trail's order

    @property
    def sort_key(self) -> tuple[datetime, int]:
        return (self.at, self.order)


def _duration(seconds: int | None) -> str:
    if seconds is None or seconds < 0:
        return ""
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def _details(action: str, data: dict[str, Any]) -> str:
    """A short French summary of an audit row's data."""
    if action in ("jury.identity_correct", "jury.extra_time_set"):
        changes = "; ".join(f"{field} : {old or '—'} → {new or '—'}" for field, (old, new) in data["changes"].items())
        return f"{changes} ({_('motif')} : {data.get('reason', '')})"
    if action == "jury.certificate_cancel":
        return f"{_('motif')} : {data.get('reason', '')}"
    if action in (
        "issue_report.add",
        "issue_report.remove",
        "issue_report.update",
        "issue_report.logged_by_invigilator",
        "jury.issue_report_auto_resolved",
    ):
        question = data.get("question_number")
        text = data.get("code", "")
        if question:
            text += f" — {_('question')} {question}"
        if data.get("note"):
            text += f" — {data['note']}"
        return text
    if action == "jury.issue_report_resolve":
        return f"{data.get('code', '')} — {data.get('note', '')}"
    if action.startswith("live_alert."):
        return f"{_('question')} {data.get('question', '')}"
    if action in ("jury.challenge_neutralise", "jury.challenge_unneutralise"):
        return f"{_('question')} {data.get('question_number', '')}"
    if action == "jury.certification_scored":
        rate = data.get("rate")
        rate_text = f"{rate * 100:.0f} %" if isinstance(rate, int | float) else "—"
        return f"{data.get('pix_score', 0)} pix, {_('taux de réussite')} {rate_text}, {data.get('jury_status', '')}"
    if action == "certification.abort_reason_set":
        return str(data.get("reason", ""))
    return ""


def certification_timeline(certification: Certification) -> list[Event]:
    """Every event of one certification, oldest first (two queries)."""
    candidate = certification.candidate
    trail = (
        AuditEvent.objects.filter(session_id_ref=candidate.session_id)
        .filter(Q(candidate_id_ref=candidate.pk) | Q(candidate_id_ref__isnull=True, action__in=list(SESSION_WIDE)))
        .select_related("actor")
        .order_by("at", "id")
    )
    answers = {
        row.number: row for row in CertificationChallenge.objects.filter(certification=certification).order_by("index")
    }
    events: list[Event] = []
    audited_answers: set[int] = set()
    for order, row in enumerate(trail):
        by = (row.actor.full_name or row.actor.email or "") if row.actor else ""
        if row.action in ANSWER_ACTIONS:
            number = row.data.get("question")
            answer = answers.get(number)
            audited_answers.add(number)
            events.append(_answer_event(answer, number, row.at, row.data.get("seconds"), by, order))
            continue
        label = str(LABELS.get(row.action, row.action))
        events.append(Event(at=row.at, label=label, by=by, details=_details(row.action, row.data), order=order))
    # Answers the trail does not hold (e.g. written before answers were audited): from the answers.
    previous = certification.started_at
    for number, answer in answers.items():
        if answer.answered_at is None:
            continue
        if number not in audited_answers:
            seconds = int((answer.answered_at - previous).total_seconds())
            events.append(_answer_event(answer, number, answer.answered_at, seconds, "", len(events) + number))
        previous = answer.answered_at
    return sorted(events, key=lambda event: event.sort_key)


def _answer_event(
    answer: CertificationChallenge | None, number: Any, at: datetime, seconds: Any, by: str, order: int
) -> Event:
    label = f"{_('Question')} {number}"
    if answer is not None:
        result = RESULT_LABELS.get(answer.result, answer.result)
        details = f"{_('compétence')} {answer.competence}, {result}"
        if answer.is_neutralized:
            details += f", {_('neutralisée')}"
    else:
        details = ""
    spent = _duration(seconds if isinstance(seconds, int) else None)
    if spent:
        details = f"{details}, {_('temps passé')} {spent}" if details else f"{_('temps passé')} {spent}"
    return Event(at=at, label=label, by=by, details=details, order=order)
