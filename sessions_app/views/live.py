"""The live part of the candidate's test: the page's heartbeat, and "Signaler un problème avec la
question" (a live alert, then a waiting screen until the invigilator handles it).

Like the rest of the candidate side, a test is only ever loaded with the request's user in the
lookup (anything else is a 404), and only the browser that started or resumed it may act on it.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from pixcertif.accounts import session_login
from pixcertif.accounts.session_login import login_in_query
from pixcertif.accounts.tenancy import AuthenticatedRequest
from pixcertif.core.errors import DomainError
from sessions_app import presence, test_reads
from sessions_app.live_alerts import PUPIL_LABELS
from sessions_app.models import Certification, CertificationChallenge, CertificationState
from sessions_app.services.live_alerts import live_alert_open, open_alert_of
from sessions_app.views import certifications as test_views


class LiveAlertForm(forms.Form):
    code = forms.ChoiceField(
        label=_("Quel est le problème ?"),
        choices=list(PUPIL_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez le problème rencontré dans la liste."),
            "invalid_choice": _("Choisissez le problème rencontré dans la liste."),
        },
    )
    index = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=32767)


@require_POST
@login_in_query
def heartbeat(request: AuthenticatedRequest, certification_id: int) -> HttpResponse:
    """The test page is still open. Answers the page's token: when it is not the one the page was
    drawn with, the page reloads. One read (with the account row the login is checked on:
    `session_login`), and a write at most every HEARTBEAT_WRITE_EVERY."""
    login = session_login.claim(request)
    row = test_reads.for_heartbeat(certification_id, login) if login is not None else None
    if login is None or row is None:
        if request.user.is_authenticated:  # Django's own check: not this account's test
            raise Http404
        return redirect_to_login(request.get_full_path())
    account, data, state, last_seen_at, last_answered_at, open_alert_id, session_status = row
    user = session_login.accept(request, login, account, data)
    if user is None:
        return redirect_to_login(request.get_full_path())
    if (gate := session_login.gate(request, user)) is not None:
        return gate
    token = presence.page_token(state, open_alert_id)
    if state == CertificationState.STARTED and session_status == "created":
        if not test_views.started_here(request, certification_id):
            token = "elsewhere"
        else:
            now = timezone.now()
            if presence.has_left(last_seen_at, now, last_answered_at):
                certification = Certification.objects.select_related("candidate__session").get(pk=certification_id)
                test_views.forget_here(request, certification, silent_since=last_seen_at)
                token = "left"
            elif presence.needs_write(last_seen_at, now, last_answered_at):
                presence.certification_seen(certification_id=certification_id, now=now)
    response = JsonResponse({"token": token})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def report(request: AuthenticatedRequest, certification_id: int) -> HttpResponse:
    """ "Signaler un problème avec la question": the candidate picks what is wrong and confirms."""
    certification = test_views.own_certification(request, certification_id)
    if (refusal := test_views.not_here(request, certification)) is not None:
        return refusal
    if open_alert_of(certification) is not None:
        return redirect("certifications:test", certification_id=certification.pk)
    question = get_object_or_404(
        CertificationChallenge.objects.only("pk", "index"),
        certification=certification,
        index=certification.current_index,
    )
    form = LiveAlertForm(request.POST or None, initial={"index": question.index})
    if request.method == "POST" and form.is_valid():
        try:
            live_alert_open(
                certification=certification,
                user=request.user,
                index=form.cleaned_data["index"],
                code=form.cleaned_data["code"],
            )
        except DomainError as error:
            if error.code != "not_current_question":
                form.add_error(None, error.message)
            else:
                return redirect("certifications:test", certification_id=certification.pk)
        else:
            return redirect("certifications:test", certification_id=certification.pk)
    return render(
        request,
        "certifications/report.html",
        {"certification": certification, "form": form, "number": question.index + 1},
        status=400 if form.errors else 200,
    )
