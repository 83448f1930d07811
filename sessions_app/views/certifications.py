"""Candidate side: join a session, read the instructions, enter the access code, take the test.

A candidate only ever sees their own enrolment and their own test: both are loaded with the
request's user in the lookup (anything else is a 404). The browser that started or resumed a test
remembers it in its (database-backed) Django session; any other browser or a new login must
enter the access code again, which needs the invigilator's "Autoriser la reprise du test".
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from pixcertif.accounts import session_login, throttle
from pixcertif.accounts.models import User
from pixcertif.accounts.session_login import login_in_query
from pixcertif.accounts.tenancy import AuthenticatedRequest, HtmxRequest
from pixcertif.core.errors import DomainError
from sessions_app import clock, presence, screens, test_reads
from sessions_app.competences import COMPETENCE_NAMES
from sessions_app.forms.certifications import AccessCodeForm, AnswerForm, JoinForm, quick_answer
from sessions_app.live_alerts import pupil_label
from sessions_app.models import (
    Candidate,
    CandidateProfile,
    Certification,
    CertificationChallenge,
    Challenge,
    LiveAlert,
    LiveAlertStatus,
)
from sessions_app.services.certification import (
    RESUME_NEEDS_INVIGILATOR,
    InvalidAnswer,
    candidate_join,
    certification_answer,
    certification_start,
    start_window_message,
)

ACCESS_KEY = "certifications_in_this_browser"
# A whole class may share one address: the account is the tight limit, the address a loose one.
ACCOUNT_LIMIT = 10
ADDRESS_LIMIT = 300
# Refusals of an answer that the end screen already explains.
END_SCREEN_CODES = {"ended_by_invigilator", "test_finished", "session_finalized"}
TOO_MANY = gettext_lazy(
    "Trop de tentatives infructueuses : patientez 15 minutes avant de réessayer, et vérifiez les "
    "informations avec votre surveillant."
)


def _keys(request: HttpRequest) -> tuple[list[str], list[str]]:
    keys = throttle.throttle_keys(request)
    return [k for k in keys if k.startswith("user:")], [k for k in keys if k.startswith("ip:")]


def _is_blocked(request: HttpRequest, scope: str) -> bool:
    account, address = _keys(request)
    return throttle.is_blocked(scope, account, limit=ACCOUNT_LIMIT) or throttle.is_blocked(
        scope, address, limit=ADDRESS_LIMIT
    )


def _remember(request: HttpRequest, certification: Certification) -> None:
    started_here = set(request.session.get(ACCESS_KEY, []))
    started_here.add(certification.pk)
    request.session[ACCESS_KEY] = sorted(started_here)


def _started_here(request: HttpRequest, certification: Certification) -> bool:
    return started_here(request, certification.pk)


def started_here(request: HttpRequest, certification_id: int) -> bool:
    return certification_id in request.session.get(ACCESS_KEY, [])


def forget_here(request: AuthenticatedRequest, certification: Certification, *, silent_since) -> None:
    """The test page was left (its heartbeat stopped): this browser must resume like any other."""
    request.session[ACCESS_KEY] = [pk for pk in request.session.get(ACCESS_KEY, []) if pk != certification.pk]
    presence.certification_left(certification=certification, by=request.user, silent_since=silent_since)


def own_certification(request: HttpRequest, certification_id: int) -> Certification:
    return get_object_or_404(
        Certification.objects.select_related("candidate__session"),
        pk=certification_id,
        user=request.user,
        candidate__user=request.user,
    )


_own_certification = own_certification


def not_here(request: AuthenticatedRequest, certification: Certification) -> HttpResponseRedirect | None:
    """Where to send a browser that may not go on with this test here: the end screen of a
    finished test, the (resume) start page for another browser or a test page that was left."""
    if certification.is_finished or certification.candidate.session.is_locked_for_center:
        return redirect("certifications:test", certification_id=certification.pk)
    if _started_here(request, certification) and presence.has_left(
        certification.last_seen_at, timezone.now(), certification.last_answered_at
    ):
        forget_here(request, certification, silent_since=certification.last_seen_at)
    if not _started_here(request, certification):
        # The start page, as a resume: "Votre surveillant doit autoriser la reprise de votre test".
        return redirect("certifications:start", candidate_id=certification.candidate_id)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def join(request: AuthenticatedRequest) -> HttpResponse:
    """Step 1: find one's own enrolment and link it to the account."""
    form = JoinForm(request.POST or None)
    blocked = False
    if request.method == "POST":
        blocked = _is_blocked(request, "certification-join")
        if blocked:
            form.is_valid()
            form.add_error(None, TOO_MANY)
        elif form.is_valid():
            try:
                candidate = candidate_join(
                    session_id=form.cleaned_data["session_number"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    birth_date=form.cleaned_data["birth_date"],
                    user=request.user,
                )
            except DomainError as error:
                throttle.record_failure("certification-join", throttle.throttle_keys(request))
                form.add_error(None, error.message)
            else:
                throttle.reset("certification-join", _keys(request)[0])
                return redirect("certifications:start", candidate_id=candidate.pk)
    status = 429 if blocked else 200
    return render(request, "certifications/join.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def start(request: AuthenticatedRequest, candidate_id: int) -> HttpResponse:
    """Step 2: instructions, consent, access code; "Commencer mon test" starts or resumes."""
    candidate = get_object_or_404(Candidate.objects.select_related("session"), pk=candidate_id, user=request.user)
    session = candidate.session
    certification = Certification.objects.filter(candidate=candidate).first()
    if certification is not None and (
        certification.is_finished or session.is_locked_for_center or _started_here(request, certification)
    ):
        return redirect("certifications:test", certification_id=certification.pk)
    profile = CandidateProfile.objects.filter(user=request.user).first()
    not_certifiable = certification is None and not (profile and profile.is_certifiable)
    form = AccessCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if session.is_locked_for_center:
            form.is_valid()
            form.add_error(None, _("Cette session est finalisée : il n'est plus possible de commencer le test."))
        elif _is_blocked(request, "certification-access-code"):
            form.is_valid()
            form.add_error(None, TOO_MANY)
            status = 429
        elif form.is_valid():
            if form.cleaned_data["access_code"] != session.access_code:
                throttle.record_failure("certification-access-code", throttle.throttle_keys(request))
                form.add_error("access_code", _("Ce code d'accès est incorrect. Vérifiez-le avec votre surveillant."))
            else:
                try:
                    certification = certification_start(candidate=candidate, user=request.user)
                except DomainError as error:
                    form.add_error(None, error.message)
                else:
                    throttle.reset("certification-access-code", _keys(request)[0])
                    _remember(request, certification)
                    return redirect("certifications:test", certification_id=certification.pk)
    resuming = certification is not None
    context = {
        "candidate": candidate,
        "session": session,
        "form": form,
        "resuming": resuming,
        "not_certifiable": not_certifiable,
        # Told before the code is typed: the wrong day or hour; a resume nobody authorised.
        "clock_refusal": "" if resuming or session.is_locked_for_center else start_window_message(session),
        "resume_refusal": RESUME_NEEDS_INVIGILATOR if resuming and not candidate.authorized_to_start else "",
    }
    return render(request, "certifications/start.html", context, status=status)


ALERT_OUTCOME_MESSAGES = {
    "replaced": gettext_lazy(
        "Votre surveillant a validé votre signalement : la question a été remplacée par une autre question."
    ),
    "neutralized": gettext_lazy(
        "Votre surveillant a validé votre signalement : la question ne sera pas comptée. Passez à la suite."
    ),
    "": gettext_lazy("Votre surveillant a validé votre signalement."),
    "refused": gettext_lazy("Votre surveillant a refusé votre signalement : reprenez la question."),
}
SEEN_ALERT_KEY = "live_alert_seen"


class _Elsewhere(Exception):
    """The request goes to another page first (the login, the terms of use…): `response`."""

    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def on_login_back_to_the_test(view):
    """`login_required` for the test's own addresses, the login checked on the account row the
    view's one query reads (`session_login`, through `_test_of` or the answer's locked read): back
    to the test's page after the login (the answer's address takes POST only), and for htmx a
    full-page redirect (`HX-Redirect`) instead of a login page swapped into the question card."""

    @wraps(view)
    def wrapper(request: HtmxRequest, certification_id: int, *args, **kwargs) -> HttpResponse:
        login = session_login.claim(request)
        if login is None:
            return _to_login(request, certification_id)
        try:
            return view(request, certification_id, login, *args, **kwargs)
        except _Elsewhere as elsewhere:
            return elsewhere.response

    return login_in_query(wrapper)


def _to_login(request: HtmxRequest, certification_id: int) -> HttpResponse:
    return _go(request, redirect_to_login(_test_url(certification_id)).url)


def _logged_in(
    request: HtmxRequest, login: session_login.Claim, row: User | None, data: str | None, certification_id: int
) -> User:
    """The request's account, checked on `row` and `data` (the test's account and the session's
    data as the view's query read them); else `_Elsewhere`: the login page, or what the account
    must do first."""
    checked = getattr(request, "_cached_user", None)  # never `request.user`: that would load the account
    if isinstance(checked, User):
        user: User | None = checked
    else:
        user = session_login.accept(request, login, row, data)
    if user is None:
        raise _Elsewhere(_to_login(request, certification_id))
    if (gate := session_login.gate(request, user)) is not None:
        raise _Elsewhere(_go(request, gate.url))
    return user


def _test_url(certification_id: int) -> str:
    return screens.url_of("certifications:test", certification_id)


def _go(request: HtmxRequest, url: str) -> HttpResponse:
    """Another page: a redirect, or for htmx a full-page navigation (nothing swapped into the card)."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _test_of(request: HtmxRequest, login: session_login.Claim, certification_id: int) -> Certification:
    """The request's user's test with its candidate and session, its latest live alert (id and
    state) and its current question: one query (`test_reads.for_page`), which reads the login too
    (the session row when the sessions are in the database, and the account row it is checked on)."""
    certification = test_reads.for_page(certification_id, login)
    if certification is None:
        if request.user.is_authenticated:  # Django's own check: not this account's test
            raise Http404
        raise _Elsewhere(_to_login(request, certification_id))
    _logged_in(request, login, certification.user, certification.login_data, certification_id)
    return certification


def _live_alert_screen(request: HtmxRequest, certification: Certification) -> HttpResponse | None:
    """The waiting screen while an alert is open; once it is handled, what the invigilator decided
    (told once, on the next question page). Reads the alert only when there is something to show."""
    alert_id = certification.latest_alert_id
    if alert_id is None:
        return None
    is_open = certification.latest_alert_status == LiveAlertStatus.OPEN
    if not is_open and request.session.get(SEEN_ALERT_KEY) == alert_id:
        return None
    latest = LiveAlert.objects.get(pk=alert_id)
    if latest.is_open:
        context = {
            "certification": certification,
            "alert": latest,
            "label": pupil_label(latest.code),
            "live_token": presence.page_token(certification.state, latest.pk),
            "poll_every": int(clock.setting("ALERT_POLL_EVERY").total_seconds() * 1000),
        }
        return _screen(request, certification, "waiting", context, title=_("Votre surveillant a été prévenu"))
    request.session[SEEN_ALERT_KEY] = latest.pk
    key = "refused" if latest.status == LiveAlertStatus.REFUSED else latest.outcome
    (messages.warning if key == "refused" else messages.success)(request, ALERT_OUTCOME_MESSAGES[key])
    return None


def _duration_label(seconds: int | None) -> str:
    """90 → "1 min 30 s"."""
    if not seconds:
        return ""
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest:02d} s" if rest else f"{minutes} min"


def _screen(
    request: HtmxRequest, certification: Certification, name: str, context: dict, *, title: str, status: int = 200
) -> HttpResponse:
    """A screen of the test ("question", "end", "waiting"): the whole page, or for htmx the content
    of <main> alone (its <title>, the messages, the card and the page's heartbeat form), swapped in
    place. The address stays the test's (what a reload shows): pushed only when the page shows another."""
    if not _swapped(request):  # a GET is a whole page (htmx restoring its history too)
        return render(request, f"certifications/{name}.html", context, status=status)
    context = {**context, "page_title": title, "screen": f"certifications/_{name}.html"}
    return _swap_headers(request, certification, render(request, "certifications/_screen.html", context, status=status))


def _swapped(request: HtmxRequest) -> bool:
    return bool(request.htmx) and request.method == "POST"


def _swap_headers(request: HtmxRequest, certification: Certification, response: HttpResponse) -> HttpResponse:
    test_url = _test_url(certification.pk)
    if request.htmx.current_url_abs_path != test_url:
        response["HX-Push-Url"] = test_url
    patch_vary_headers(response, ["HX-Request"])
    return response


def _end_screen(request: HtmxRequest, certification: Certification) -> HttpResponse:
    context = {"certification": certification, "session": certification.candidate.session}
    return _screen(request, certification, "end", context, title=_("Test de certification terminé"))


def _question_screen(
    request: HtmxRequest, certification: Certification, question: CertificationChallenge, form: AnswerForm | None = None
) -> HttpResponse:
    """The question card: from its frame (`sessions_app.screens`), or from the templates when the
    form has errors to show or messages are waiting."""
    challenge = question.challenge
    values = {
        "number": question.index + 1,
        "total": certification.challenge_count,
        "answered": question.index,
        "index": question.index,
        "answer_url": screens.url_of("certifications:answer", certification.pk),
        "report_url": screens.url_of("certifications:report", certification.pk),
        "heartbeat_url": screens.url_of("certifications:heartbeat", certification.pk),
        "live_token": presence.page_token(certification.state, None),
    }

    def shared(form: AnswerForm) -> dict:  # the same for every candidate of this challenge
        return {
            "timer_label": _duration_label(challenge.timer_seconds),
            "challenge": challenge,
            "competence_name": COMPETENCE_NAMES.get(challenge.competence, ""),
            "form": form,
            "heartbeat_every": int(clock.setting("HEARTBEAT_EVERY").total_seconds() * 1000),
        }

    def title(number, total) -> str:
        return _("Question %(number)s / %(total)s") % {"number": number, "total": total}

    if form is None and not len(messages.get_messages(request)):
        swapped = _swapped(request)
        template = "certifications/_screen.html" if swapped else "certifications/question.html"

        def frame_context() -> dict:
            page = {
                "page_title": title(screens.hole("number"), screens.hole("total")),
                "screen": "certifications/_question.html",
            }
            return {**shared(AnswerForm(challenge=challenge)), **(page if swapped else {})}

        html = screens.render_question(
            request, template=template, context=frame_context, values=values, key=(challenge.pk, challenge.updated_at)
        )
        response = HttpResponse(html)
        return _swap_headers(request, certification, response) if swapped else response
    context = {**shared(form or AnswerForm(challenge=challenge)), **values}
    return _screen(request, certification, "question", context, title=title(values["number"], values["total"]))


def _current_screen(request: AuthenticatedRequest, certification: Certification) -> HttpResponse:
    """What the test's page shows now: the end screen, the start page (this browser may not go on),
    the waiting screen of an open alert, or the current question (`certification` as `_test_of`
    reads it). Login aside: 1 query (the test with its question) when no alert has anything to say."""
    if certification.is_finished or certification.candidate.session.is_locked_for_center:
        return _end_screen(request, certification)
    if (refusal := not_here(request, certification)) is not None:
        return _go(request, refusal.url)
    if (live := _live_alert_screen(request, certification)) is not None:
        return live
    question = certification.current_question
    if question is None:
        raise Http404
    return _question_screen(request, certification, question)


@on_login_back_to_the_test
@require_http_methods(["GET"])
def test(request: AuthenticatedRequest, certification_id: int, login: session_login.Claim) -> HttpResponse:
    """The current question, or the end screen once the test is over."""
    return _current_screen(request, _test_of(request, login, certification_id))


@on_login_back_to_the_test
@require_POST
def answer(request: AuthenticatedRequest, certification_id: int, login: session_login.Claim) -> HttpResponse:
    """ "Valider" or "Je passe" for the question whose index is posted; then the next question: with
    htmx in the same response (the card swapped in place), without JavaScript by POST/redirect/GET.

    The service reads the test once, locked; the view reads nothing more (the next question comes
    with the answered one). Anything unusual (a refusal, the page left) shows what the page shows now."""
    try:
        index = int(request.POST.get("index", ""))
    except ValueError:
        index = -1

    def read(challenge: Challenge) -> str:
        if (quick := quick_answer(challenge, request.POST)) is not None:  # the form's answer, without the form
            return quick
        form = AnswerForm(request.POST, challenge=challenge)
        if not form.is_valid():
            raise InvalidAnswer(form)
        return form.cleaned_data["answer"]

    def record(user: User | session_login.Pending):
        return certification_answer(
            certification=certification_id,
            user=user,
            index=index,
            answer=read,
            skip=request.POST.get("action") == "skip",
            check_presence=True,
        )

    def here() -> bool:  # the browser started (or resumed) the test: else another browser, a new login
        return started_here(request, certification_id)

    try:
        try:
            # The login (and `here`, from the session it reads) is checked on the service's locked
            # read, before anything is written.
            done = record(session_login.Pending(request, login, here))
        except DomainError as refused:
            if refused.code != "login_refused":
                raise
            # The row did not verify as it stands: Django's own check, outside the transaction (or the login page).
            user = _logged_in(request, login, None, None, certification_id)
            if not here():
                raise DomainError("not_here", "") from refused
            done = record(user)
    except InvalidAnswer as invalid:
        # The current question again, with the form's error under it.
        assert invalid.certification is not None and invalid.question is not None  # certification_answer adds them
        return _question_screen(request, invalid.certification, invalid.question, invalid.detail)
    except DomainError as error:
        if error.code == "not_here":
            return _current_screen(request, _test_of(request, login, certification_id))
        if error.code == "not_your_certification":
            if not request.user.is_authenticated:  # Django's own check: the login is over
                return _to_login(request, certification_id)
            raise Http404 from error
        if error.code == "account_gate":
            _logged_in(request, login, None, None, certification_id)  # raises: what the account must do first
        certification = _test_of(request, login, certification_id)
        if error.code == "test_left":  # the page fell silent: this browser must resume like any other
            forget_here(request, certification, silent_since=certification.last_seen_at)
            return _go(request, reverse("certifications:start", args=[certification.candidate_id]))
        # A test ended meanwhile (by the invigilator, by finalisation) is no mistake of the candidate's:
        # the end screen says it once, in its own box, so no red message on top of it.
        if error.code not in END_SCREEN_CODES:
            messages.error(request, error.message)
        if request.htmx:
            return _current_screen(request, certification)
        return redirect("certifications:test", certification_id=certification_id)
    if not request.htmx:
        return redirect("certifications:test", certification_id=certification_id)
    certification = done.certification
    if certification.is_finished:
        return _end_screen(request, certification)
    if done.next_question is None or (done.replayed and certification.has_open_alert):
        return _current_screen(request, _test_of(request, login, certification_id))
    return _question_screen(request, certification, done.next_question)
