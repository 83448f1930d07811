"""The candidate / certification state machine, shared by the invigilator and candidate sides.

    enrolled ──tick presence──▶ authorised ──start (consumes)──▶ started
       ▲            │                                          │   │  ▲
       └──untick────┘          resume authorised by invigilator ┘   │  │ resume (consumes)
                                                                   ▼  │
                            completed / ended_by_invigilator / ended_by_finalisation

Every transition runs in a transaction, re-reads the candidate row with `select_for_update()`,
checks its guards (raising `DomainError`), records an audit row and stamps the candidate's
`changed_at` in its own UPDATE (the invigilator list sends that row again; the session row is not
written, so a room's transitions do not queue on it); an answer stamps only
`Certification.last_answered_at`. Repeating a transition is harmless.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pixcertif.accounts import session_login
from pixcertif.accounts.models import Actor, User
from pixcertif.core.audit import audit_record, audit_records
from pixcertif.core.errors import DomainError
from sessions_app import clock, presence, test_reads
from sessions_app.answers import MAX_ANSWER_LENGTH, is_correct
from sessions_app.competences import COMPETENCE_CODES, is_certifiable
from sessions_app.models import (
    Candidate,
    CandidateProfile,
    Certification,
    CertificationChallenge,
    CertificationState,
    Challenge,
    Session,
)
from sessions_app.normalize import normalize_name
from sessions_app.services.session_status import ensure_center_can_change, session_lock

CHALLENGES_PER_COMPETENCE = 3
# Positions a posted index may take (a smallint column): anything else is forged and reads nothing.
MAX_QUESTIONS = 32767


def _lock_candidate(candidate: Candidate) -> Candidate:
    return Candidate.objects.select_for_update().select_related("session").get(pk=candidate.pk)


def _certification_of(candidate: Candidate) -> Certification | None:
    return Certification.objects.select_for_update().filter(candidate=candidate).first()


# ---------------------------------------------------------------- invigilator side


def candidate_set_presence(*, candidate: Candidate, present: bool, by: Actor) -> Candidate:
    """Tick (or untick) a candidate's presence, which authorises the first start.

    Refused once the session is finalised; unticking is refused once the candidate started.
    """
    with transaction.atomic():
        candidate = _lock_candidate(candidate)
        ensure_center_can_change(candidate.session)
        certification = _certification_of(candidate)
        if certification is not None:
            if present:
                return candidate  # already started: presence is a fact, nothing to change
            raise DomainError(
                "candidate_already_started",
                _("Ce candidat a déjà commencé son test : sa présence ne peut plus être décochée."),
            )
        now = timezone.now()
        if present:
            _ensure_first_start_possible(candidate.session, now, invigilator=True)
        expired = present and clock.is_authorisation_expired(candidate.authorized_at, now)
        if candidate.authorized_to_start == present and not expired:
            return candidate
        renewed = candidate.authorized_to_start and expired
        candidate.authorized_to_start = present
        candidate.authorized_at = now if present else None
        candidate.changed_at = now
        candidate.save(update_fields=["authorized_to_start", "authorized_at", "changed_at"])
        audit_record(
            action=(
                ("candidate.presence_renewed" if renewed else "candidate.presence_confirmed")
                if present
                else "candidate.presence_cancelled"
            ),
            by=by,
            session=candidate.session,
            candidate=candidate,
        )
        return candidate


def candidate_authorize_resume(*, candidate: Candidate, by: Actor) -> Candidate:
    """Allow a started candidate to join their test again (another computer, a new login)."""
    with transaction.atomic():
        candidate = _lock_candidate(candidate)
        ensure_center_can_change(candidate.session)
        certification = _certification_of(candidate)
        if certification is None:
            raise DomainError("not_started", _("Ce candidat n'a pas encore commencé son test."))
        if certification.is_finished:
            raise DomainError("test_finished", _("Le test de ce candidat est terminé : il ne peut pas être repris."))
        now = timezone.now()
        if now >= clock.resume_deadline(certification.started_at):
            raise DomainError(
                "resume_deadline_passed",
                _(
                    "Délai expiré : le test de ce candidat a commencé il y a plus de 24 heures, il ne peut plus "
                    "être repris. Vous pouvez seulement terminer son test."
                ),
            )
        expired = clock.is_authorisation_expired(candidate.authorized_at, now)
        if candidate.authorized_to_start and not expired:
            return candidate
        renewed = candidate.authorized_to_start
        candidate.authorized_to_start = True
        candidate.authorized_at = now
        candidate.changed_at = now
        candidate.save(update_fields=["authorized_to_start", "authorized_at", "changed_at"])
        audit_record(
            action="candidate.resume_renewed" if renewed else "candidate.resume_authorized",
            by=by,
            session=candidate.session,
            candidate=candidate,
        )
        return candidate


def certification_end_by_invigilator(*, candidate: Candidate, by: Actor) -> Certification:
    """End a started test. Ending an already ended test changes nothing."""
    with transaction.atomic():
        candidate = _lock_candidate(candidate)
        ensure_center_can_change(candidate.session)
        certification = _certification_of(candidate)
        if certification is None:
            raise DomainError("not_started", _("Ce candidat n'a pas encore commencé son test."))
        if certification.is_finished:
            return certification
        certification.state = CertificationState.ENDED_BY_INVIGILATOR
        certification.ended_at = timezone.now()
        certification.save(update_fields=["state", "ended_at"])
        candidate.authorized_to_start = False
        candidate.changed_at = certification.ended_at
        candidate.save(update_fields=["authorized_to_start", "changed_at"])
        audit_record(action="certification.ended_by_invigilator", by=by, session=candidate.session, candidate=candidate)
        return certification


# ---------------------------------------------------------------- clock rules


def start_window_message(session: Session, now: Any = None) -> str:
    """Why a first start is refused today ("" when the session's date and time allow it)."""
    now = now or timezone.now()
    opens, closes = clock.start_window(session.date, session.time)
    if opens <= now < closes:
        return ""
    values = {
        "date": date_format(session.date, "d/m/Y"),
        "time": session.time.strftime("%H:%M"),
        "opens": timezone.localtime(opens).strftime("%H:%M"),
    }
    if now < opens and timezone.localdate(now) == session.date:
        return (
            _(
                "Le test de cette session ne peut commencer qu'à partir de %(opens)s, une heure avant le début de la "
                "session (%(time)s). Patientez et prévenez votre surveillant."
            )
            % values
        )
    return (
        _(
            "Cette session a lieu le %(date)s à %(time)s : son test ne peut commencer que ce jour-là, à partir de "
            "%(opens)s. Vérifiez le numéro de session avec votre surveillant."
        )
        % values
    )


def _ensure_first_start_possible(session: Session, now: Any, *, invigilator: bool = False) -> None:
    """The session's date and hour (candidate side), and 24 h after the session's first start."""
    deadline = clock.first_start_deadline(session.started_at)
    if deadline is not None and now >= deadline:
        if invigilator:
            raise DomainError(
                "first_start_deadline_passed",
                _(
                    "Délai expiré : le premier test de cette session a commencé il y a plus de 24 heures, plus "
                    "aucun candidat ne peut commencer son test."
                ),
            )
        raise DomainError(
            "first_start_deadline_passed",
            _(
                "Le premier test de cette session a commencé il y a plus de 24 heures : il n'est plus possible d'y "
                "commencer un test. Prévenez votre surveillant."
            ),
        )
    if invigilator:
        return
    message = start_window_message(session, now)
    if message:
        raise DomainError("wrong_day", message)


def _ensure_can_resume(candidate: Candidate, certification: Certification, now: Any) -> None:
    if now >= clock.resume_deadline(certification.started_at):
        raise DomainError(
            "resume_deadline_passed",
            _(
                "Votre test a commencé il y a plus de 24 heures : il ne peut plus être repris. Prévenez votre "
                "surveillant."
            ),
        )
    if not candidate.authorized_to_start:
        raise DomainError("resume_not_authorized", RESUME_NEEDS_INVIGILATOR)
    if clock.is_authorisation_expired(candidate.authorized_at, now):
        raise DomainError(
            "authorisation_expired",
            _(
                "L'autorisation de reprise donnée par votre surveillant a expiré (elle est valable 15 minutes). "
                "Prévenez votre surveillant : il doit autoriser à nouveau la reprise de votre test."
            ),
        )


RESUME_NEEDS_INVIGILATOR = gettext_lazy(
    "Votre surveillant doit autoriser la reprise de votre test. Prévenez-le, puis saisissez à nouveau le code d'accès."
)


# ---------------------------------------------------------------- candidate side


def _level(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def draw_challenges(levels: dict[str, int], seed: int, *, accessible_only: bool = False) -> list[Challenge]:
    """For every competence of level ≥ 1: 3 challenges of that competence at or below that
    level, highest level first; never the same challenge twice. Deterministic for a seed.

    `accessible_only` (a candidate who needs an adjustment): the accessible challenges of the
    competence at or below the level, highest first; when the bank holds fewer than 3 of them,
    the draw completes with the other challenges of that competence at or below the level
    (highest first), so the competence is still assessed on 3 questions."""
    rng = random.Random(seed)  # noqa: S311 - reproducible draw, not a secret
    wanted = {code: _level(levels.get(code)) for code in COMPETENCE_CODES}
    wanted = {code: level for code, level in wanted.items() if level >= 1}
    pool: dict[str, list[Challenge]] = {code: [] for code in wanted}
    for challenge in Challenge.objects.filter(is_active=True, competence__in=list(wanted)).order_by("code"):
        if challenge.level <= wanted[challenge.competence]:
            pool[challenge.competence].append(challenge)
    drawn: list[Challenge] = []
    for code in COMPETENCE_CODES:
        if code not in wanted:
            continue
        candidates = pool[code]
        rng.shuffle(candidates)
        if accessible_only:  # stable: accessible first (the fallback after), each highest level first
            candidates.sort(key=lambda c: (not c.accessible, -c.level))
        else:
            candidates.sort(key=lambda c: -c.level)  # stable: shuffled within a level, highest first
        drawn.extend(candidates[:CHALLENGES_PER_COMPETENCE])
    return drawn


def certification_start(*, candidate: Candidate, user: User) -> Certification:
    """Start (first time) or resume (later) the candidate's test. Consumes the authorisation.

    Refused: finalised session, candidate not linked to this account, presence not confirmed,
    profile not certifiable (first start), test already finished.
    """
    with transaction.atomic():
        candidate = _lock_candidate(candidate)
        session = session_lock(candidate.session_id)
        ensure_center_can_change(session)
        if candidate.user_id != user.pk:
            raise DomainError("not_your_candidate", _("Cette inscription n'est pas rattachée à votre compte."))
        certification = _certification_of(candidate)
        if certification is not None and certification.is_finished:
            raise DomainError("test_finished", _("Votre test de certification est terminé."))
        now = timezone.now()
        if certification is not None:
            _ensure_can_resume(candidate, certification, now)
        elif not candidate.authorized_to_start:
            raise DomainError(
                "not_authorized",
                _(
                    "Votre surveillant n'a pas confirmé votre présence dans la salle de test. Vous ne pouvez donc "
                    "pas encore commencer votre test de certification. Merci de prévenir votre surveillant."
                ),
            )
        else:
            _ensure_first_start_possible(session, now)
            if clock.is_authorisation_expired(candidate.authorized_at, now):
                raise DomainError(
                    "authorisation_expired",
                    _(
                        "La confirmation de votre présence par votre surveillant a expiré (elle est valable "
                        "15 minutes). Prévenez votre surveillant : il doit cocher à nouveau votre nom."
                    ),
                )
        if certification is None:
            profile = CandidateProfile.objects.filter(user=user).first()
            levels = profile.levels if profile else {}
            if not is_certifiable(levels):
                raise DomainError(
                    "not_certifiable",
                    _(
                        "Votre profil Pix n'est pas certifiable : il faut avoir atteint au moins le niveau 1 dans "
                        "5 compétences. Prévenez votre surveillant."
                    ),
                )
            seed = secrets.randbits(48)
            drawn = draw_challenges(levels, seed, accessible_only=candidate.needs_adjustment)
            if not drawn:
                raise DomainError(
                    "no_challenges",
                    _("Aucune question n'est disponible pour votre test. Prévenez votre surveillant."),
                )
            certification = Certification.objects.create(
                candidate=candidate, user=user, started_at=now, seed=seed, challenge_count=len(drawn)
            )
            CertificationChallenge.objects.bulk_create(
                [
                    CertificationChallenge(
                        certification=certification, index=i, challenge=challenge, competence=challenge.competence
                    )
                    for i, challenge in enumerate(drawn)
                ]
            )
            action = "certification.started"
            if session.started_at is None:
                session.started_at = now
                session.save(update_fields=["started_at"])
        else:
            action = "certification.resumed"
            if certification.last_seen_at is not None:  # a new page: its heartbeat starts again
                certification.last_seen_at = None
                certification.save(update_fields=["last_seen_at"])
        candidate.authorized_to_start = False
        candidate.authorized_at = None
        candidate.changed_at = now
        candidate.save(update_fields=["authorized_to_start", "authorized_at", "changed_at"])
        audit_record(action=action, by=user, session=session, candidate=candidate)
        return certification


NO_MATCH_MESSAGE = gettext_lazy(
    "Nous n'avons trouvé aucun candidat inscrit à cette session avec ces informations. "
    "Vérifiez les informations avec votre surveillant : elles doivent être saisies telles qu'elles "
    "figurent sur la feuille d'émargement."
)


def candidate_join(*, session_id: int, first_name: str, last_name: str, birth_date: date, user: User) -> Candidate:
    """Link the account `user` to the one candidate of session `session_id` whose normalised
    first name, birth name and birth date match. Joining again with the same account is harmless.

    Refused (one message that never tells whether the session exists or who is enrolled): no
    session, no candidate or several matching. Also refused: a finalised session, a candidate
    already linked to another account, an account already linked to another candidate of the session.
    """
    wanted = (normalize_name(first_name), normalize_name(last_name))
    with transaction.atomic():
        session = Session.objects.filter(pk=session_id).first()
        if session is None:
            raise DomainError("no_match", NO_MATCH_MESSAGE)
        matches = [
            c
            for c in Candidate.objects.filter(session=session, birth_date=birth_date).order_by("pk")
            if (normalize_name(c.first_name), normalize_name(c.last_name)) == wanted
        ]
        if len(matches) != 1:
            raise DomainError("no_match", NO_MATCH_MESSAGE)
        candidate = _lock_candidate(matches[0])
        ensure_center_can_change(
            candidate.session, _("Cette session est finalisée : il n'est plus possible de la rejoindre.")
        )
        if candidate.user_id == user.pk:
            return candidate
        if candidate.user_id is not None:
            raise DomainError(
                "candidate_taken",
                _(
                    "Ce candidat a déjà rejoint la session avec un autre compte Pix. Vérifiez les informations avec "
                    "votre surveillant."
                ),
            )
        if Candidate.objects.filter(session=candidate.session, user=user).exclude(pk=candidate.pk).exists():
            raise DomainError(
                "account_already_linked",
                _(
                    "Votre compte Pix est déjà rattaché à un autre candidat de cette session. Vérifiez les "
                    "informations avec votre surveillant."
                ),
            )
        candidate.user = user
        candidate.linked_at = candidate.changed_at = timezone.now()
        candidate.save(update_fields=["user", "linked_at", "changed_at"])
        audit_record(action="candidate.joined", by=user, session=candidate.session, candidate=candidate)
        return candidate


def _ensure_can_answer(certification: Certification) -> None:
    ensure_center_can_change(certification.candidate.session)
    if certification.state == CertificationState.ENDED_BY_INVIGILATOR:
        raise DomainError(
            "ended_by_invigilator",
            _("Votre surveillant a mis fin à votre test de certification : vous ne pouvez plus répondre."),
        )
    if certification.is_finished:
        raise DomainError("test_finished", _("Votre test de certification est terminé : vous ne pouvez plus répondre."))


class InvalidAnswer(Exception):
    """Raised by an answer reader (see `certification_answer`) when the posted answer cannot be read
    for the challenge shown; `certification_answer` adds the certification and the question."""

    def __init__(self, detail: Any = None) -> None:
        super().__init__("invalid answer")
        self.detail = detail
        self.certification: Certification | None = None
        self.question: CertificationChallenge | None = None


AnswerReader = Callable[[Challenge], str]


@dataclass
class Answered:
    """What `certification_answer` leaves: the locked and updated certification, the question
    answered, and the question to show now (None when the test is over)."""

    certification: Certification
    question: CertificationChallenge
    next_question: CertificationChallenge | None
    replayed: bool = False


TEST_LEFT = gettext_lazy(
    "Votre page de test est restée fermée trop longtemps : votre surveillant doit autoriser la reprise de votre test."
)


def certification_answer(
    *,
    certification: Certification | int,
    user: User | session_login.Pending,
    index: int,
    answer: str | AnswerReader = "",
    skip: bool = False,
    check_presence: bool = False,
) -> Answered:
    """Record the answer to question `index` (0-based), or skip it ("Je passe": lost for good,
    counted wrong), then move to the next question; the last one completes the test.

    Only the current question can be answered. Posting again the answer already recorded for an
    earlier question changes nothing (a double click, a reloaded page, an answer re-sent after an
    outage); anything else for an earlier or a later index is refused, as are a finished test, a
    finalised session, another account's test, an answer while an alert is open and an answer
    longer than 500 characters. `answer` is in its stored form (see `sessions_app.answers`), or a
    reader that turns the posted form into it for the question's challenge (raising `InvalidAnswer`).
    `check_presence`: refuse a page that was left (its heartbeat fell silent, `presence.has_left`).
    `user`: the account, or a request's login (`session_login.Pending`), checked on the account row
    of the locked read before anything is written (DomainError "login_refused" / "account_gate").

    What it costs: one locked read of the test with its candidate, its session, the open-alert flag
    and the question rows it needs (`test_reads.locked_for_answer`; the challenges' content cached in
    memory), then one statement on PostgreSQL (`audit_records`): the UPDATE of the answer, the one
    of the test (position, last answer's time, the end on the last question) and the audit row(s);
    the session's and the candidate's rows are neither locked nor written, so a room's answers do
    not queue on them.
    """
    if isinstance(answer, str) and len(answer) > MAX_ANSWER_LENGTH:
        raise DomainError("answer_too_long", _("Votre réponse est trop longue (500 caractères au maximum)."))
    certification_id = certification if isinstance(certification, int) else certification.pk
    with transaction.atomic():
        # One query: the test locked, its candidate and session, the open-alert flag, and the question
        # rows at `index`, `index + 1` and `current_index` (a forged index reads none of its own).
        if isinstance(user, session_login.Pending):
            pending, login = user, user.login
        else:
            pending, login = None, session_login.known(user)
        found = test_reads.locked_for_answer(certification_id, index if 0 <= index < MAX_QUESTIONS else -1, login)
        if found is None:  # not this account's test (or, for a request's login, no such login)
            raise DomainError("not_your_certification", _("Ce test de certification n'est pas le vôtre."))
        certification, questions = found
        if pending is not None:  # a request's login, checked on the rows just read
            user = pending.checked(certification.user, certification.login_data)
        assert isinstance(user, User)
        if certification.user_id != user.pk or certification.candidate.user_id != user.pk:
            raise DomainError("not_your_certification", _("Ce test de certification n'est pas le vôtre."))
        test_reads.with_content(questions.values())
        replay = 0 <= index < certification.current_index
        shown_next = certification.current_index if replay else index + 1
        question = questions.get(index) if 0 <= index < certification.challenge_count else None
        if question is None:
            raise DomainError("invalid_index", _("Cette question ne fait pas partie de votre test."))
        if not isinstance(answer, str):
            try:
                answer = answer(question.challenge)
            except InvalidAnswer as error:
                if replay:
                    raise DomainError(
                        "no_going_back",
                        _("Vous avez déjà répondu à cette question : il n'est pas possible d'y revenir."),
                    ) from error
                error.certification, error.question = certification, question
                raise
            if len(answer) > MAX_ANSWER_LENGTH:
                raise DomainError("answer_too_long", _("Votre réponse est trop longue (500 caractères au maximum)."))
        if replay:
            same = question.result == CertificationChallenge.Result.SKIPPED if skip else question.answer == answer
            if same and question.result:
                return Answered(certification, question, questions.get(shown_next), replayed=True)
            raise DomainError(
                "no_going_back", _("Vous avez déjà répondu à cette question : il n'est pas possible d'y revenir.")
            )
        _ensure_can_answer(certification)
        if certification.has_open_alert:
            raise DomainError(
                "alert_open",
                _("Votre signalement est en cours de traitement : attendez la réponse de votre surveillant."),
            )
        if index != certification.current_index:
            raise DomainError("invalid_index", _("Répondez d'abord à la question affichée."))
        now = timezone.now()
        if check_presence and presence.has_left(certification.last_seen_at, now, certification.last_answered_at):
            raise DomainError("test_left", TEST_LEFT)
        if skip:
            question.answer = ""
            question.result = CertificationChallenge.Result.SKIPPED
        else:
            if not answer:
                raise DomainError(
                    "empty_answer",
                    _("Choisissez ou saisissez une réponse, ou cliquez sur « Je passe »."),
                )
            question.answer = answer
            question.result = (
                CertificationChallenge.Result.OK
                if is_correct(question.challenge, answer)
                else CertificationChallenge.Result.KO
            )
        question.answered_at = now
        # Time spent: since the previous answer (or the start); kept for the jury (E8: timed questions).
        seconds = int((now - (certification.last_answered_at or certification.started_at)).total_seconds())
        timer = question.challenge.timer_seconds
        session = certification.candidate.session
        candidate = certification.candidate
        events = [
            dict(
                action="certification.skipped" if skip else "certification.answered",
                by=user,
                session=session,
                candidate=candidate,
                question=question.number,
                seconds=seconds,
                over_time=bool(timer and seconds > timer),
            )
        ]
        certification.current_index = index + 1
        certification.last_answered_at = now
        fields = ["current_index", "last_answered_at"]
        if certification.current_index >= certification.challenge_count:
            certification.state = CertificationState.COMPLETED
            certification.ended_at = now
            fields += ["state", "ended_at"]
            events.append(dict(action="certification.completed", by=user, session=session, candidate=candidate))
        # Last, in one statement on PostgreSQL: the two UPDATEs and the audit row(s), whose append
        # lock is held from there to the commit only.
        audit_records(events, along=[(question, ["answer", "result", "answered_at"]), (certification, fields)])
        following = None if certification.is_finished else questions.get(shown_next)
        return Answered(certification, question, following)


def certification_skip(*, certification: Certification, user: User, index: int) -> Answered:
    """ "Je passe": the question is lost for good and counts as wrong (see `certification_answer`)."""
    return certification_answer(certification=certification, user=user, index=index, skip=True)
