"""The live day on the invigilator's phone: "Gérer le signalement" (validate or refuse a
candidate's live alert) and "Saisir un incident" (a C report logged on the spot).

With JavaScript both open from the candidate's menu as dialogs of the session page that post here;
without it, the menu's links lead to these pages. A candidate or an alert of another session is a
404, whatever sessions the account may watch; an account that never entered the session's
password goes back to the entry form.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from invigilation import selectors
from invigilation.services import incident_log
from invigilation.views import ALERT_CHOICES, _name, _search_query, _session_page_url, _to_entry
from pixcertif.accounts.tenancy import AuthenticatedRequest
from pixcertif.core.errors import DomainError
from sessions_app.live_alerts import pupil_label
from sessions_app.models import Candidate, Certification, LiveAlert
from sessions_app.report_categories import CATEGORIES, DETAILS_MAX_LENGTH, GROUPS
from sessions_app.services.live_alerts import live_alert_refuse, live_alert_validate

# The C categories an invigilator logs during the session (E ones come from the candidate).
INCIDENT_GROUPS = [group for group in GROUPS if not any(c.needs_question for c in group.categories)]
INCIDENT_CHOICES = [(c.code, f"{c.code} {c.label}") for group in INCIDENT_GROUPS for c in group.categories]


class AlertDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("validate", "validate"), ("refuse", "refuse")])
    code = forms.ChoiceField(
        label=gettext_lazy("Sous-catégorie du signalement"),
        choices=ALERT_CHOICES,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Cette catégorie de signalement n'existe pas.")},
    )


class IncidentForm(forms.Form):
    code = forms.ChoiceField(
        label=gettext_lazy("Catégorie de l'incident"),
        choices=INCIDENT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Sélectionnez une catégorie d'incident."),
            "invalid_choice": gettext_lazy("Choisissez une catégorie d'incident de la liste."),
        },
    )
    description = forms.CharField(
        label=gettext_lazy("Détails"),
        required=False,
        max_length=DETAILS_MAX_LENGTH,
        widget=forms.Textarea(
            attrs={
                "rows": 4,
                "maxlength": DETAILS_MAX_LENGTH,
                "data-counter": "#incident-counter",
                "aria-describedby": "incident-help incident-counter",
            }
        ),
        error_messages={"max_length": gettext_lazy("Les détails ne peuvent pas dépasser 500 caractères.")},
    )

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data
        category = CATEGORIES.get(cleaned.get("code") or "")
        details = (cleaned.get("description") or "").strip()
        if category is not None and category.needs_details and not details and "description" not in self.errors:
            self.add_error("description", _("Précisez les détails de cet incident."))
        return cleaned


def _alert_of(session_id: int, alert_id: int) -> LiveAlert:
    return get_object_or_404(
        LiveAlert.objects.select_related("certification__candidate"),
        pk=alert_id,
        certification__candidate__session_id=session_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def alert_handle(request: AuthenticatedRequest, session_id: int, alert_id: int) -> HttpResponse:
    """ "Gérer le signalement": "Valider le signalement" (the sub-category may be changed) or
    "Refuser le signalement". Handling an alert already handled says what was decided."""
    session = selectors.watched_session(request.user, session_id)
    if session is None:
        return _to_entry(request, session_id)
    alert = _alert_of(session.pk, alert_id)
    candidate = alert.certification.candidate
    query = _search_query(request)
    form = AlertDecisionForm(request.POST or None, initial={"code": alert.code})
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, _("Cette catégorie de signalement n'existe pas."))
            return redirect(_session_page_url(session.pk, query))
        decision = form.cleaned_data["decision"]
        try:
            if decision == "validate":
                done = live_alert_validate(alert=alert, by=request.user, code=form.cleaned_data["code"])
                text = _("Le signalement de %(name)s est validé (%(code)s, question %(n)s).") % {
                    "name": _name(candidate),
                    "code": done.handled_code,
                    "n": done.question_number,
                }
            else:
                live_alert_refuse(alert=alert, by=request.user)
                text = _("Le signalement de %(name)s est refusé : le candidat reprend la question %(n)s.") % {
                    "name": _name(candidate),
                    "n": alert.question_number,
                }
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, text)
        return redirect(_session_page_url(session.pk, query))
    context = {
        "session": session,
        "alert": alert,
        "name": _name(candidate),
        "pupil_label": pupil_label(alert.code),
        "form": form,
        "query": query,
    }
    return render(request, "invigilation/alert.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def incident(request: AuthenticatedRequest, session_id: int, candidate_id: int) -> HttpResponse:
    """ "Saisir un incident": a C report (late arrival, left the room, computer shut down, suspected
    fraud…) with details, shown at finalisation as "saisi pendant la session"."""
    session = selectors.watched_session(request.user, session_id)
    if session is None:
        return _to_entry(request, session_id)
    candidate = get_object_or_404(Candidate, pk=candidate_id, session_id=session.pk)
    query = _search_query(request)
    if not Certification.objects.filter(candidate=candidate).exists():
        messages.error(
            request,
            _(
                "Ce candidat n'a pas encore commencé son test : l'incident pourra être saisi une fois son test "
                "commencé."
            ),
        )
        return redirect(_session_page_url(session.pk, query))
    form = IncidentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report = incident_log(
                    candidate=candidate,
                    code=form.cleaned_data["code"],
                    description=form.cleaned_data["description"],
                    by=request.user,
                )
            except DomainError as error:
                form.add_error("description" if error.code.startswith("description") else None, error.message)
            else:
                messages.success(
                    request,
                    _("L'incident %(code)s de %(name)s est enregistré : il apparaîtra à la finalisation de la session.")
                    % {"code": report.code, "name": _name(candidate)},
                )
                return redirect(_session_page_url(session.pk, query))
        status = 400
    context = {"session": session, "candidate": candidate, "name": _name(candidate), "form": form, "query": query}
    return render(request, "invigilation/incident.html", context, status=status)
