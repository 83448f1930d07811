"""The rows of the live candidate list, written out in Python.

The list is rendered for every invigilator each time anything changes in the session (the
fragment is polled every 5 s), so its cost is the cost of the invigilator space. Through the
Django template engine a row cost about 120 µs (40 rows: ~5 ms, more than a whole bare request);
written here with `str.format` on escaped values it costs a few µs. The markup is the same as the
rest of the page's: one `<li>` per candidate, classes from app.css, French labels translated once
per render. `templates/invigilation/_candidate_list.html` frames these rows.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from invigilation.selectors import CandidateRow
from sessions_app.live_alerts import pupil_label
from sessions_app.models import CertificationState

_HIDDEN = '<input type="hidden" name="{name}" value="{value}">'

_PRESENCE_ROW = (
    '<li id="candidate-{pk}" class="candidate-row{present}" data-search="{search}">'
    '<form method="post" action="{url}" class="presence-form" hx-post="{url}" hx-trigger="change" '
    'hx-target="#candidate-list" hx-swap="outerHTML">{hidden}'
    '<input type="checkbox" id="presence-{pk}" name="present" value="1"{checked}>'
    '<label for="presence-{pk}"><span class="candidate-name">{name}</span> '
    '<span class="candidate-birth">{birth}</span>{adjustment}{expired}</label>'
    '<noscript><button type="submit" class="button button-small button-secondary">{validate}'
    '<span class="visually-hidden"> — {name}</span></button></noscript>'
    "</form></li>"
)

_STATUS_ROW = (
    '<li id="candidate-{pk}" class="candidate-row{present}{alert_class}" data-search="{search}">'
    '<div class="candidate-identity"><span class="candidate-name">{name}</span> '
    '<span class="candidate-birth">{birth}</span>{adjustment}</div>'
    '<div class="candidate-status">{status}</div>{menu}</li>'
)

_BADGE = '<span class="badge{kind}">{label}</span>'

_ADJUSTMENT = ' <span class="badge badge-warning candidate-adjustment">{label}</span>'

_TIMES = '<span class="candidate-times">{start_label} {start} · {end_label} {end}{extra}</span>'

_MENU = (
    '<details class="candidate-menu"><summary><span aria-hidden="true">⋯</span>'
    '<span class="visually-hidden">{actions} {name}</span></summary><div class="candidate-menu-items">'
    "{items}</div></details>"
)

_ALERT_ITEM = (
    '<a class="menu-item menu-item-alert" href="{url}" data-alert-dialog="#dialog-alert" data-candidate-name="{name}" '
    'data-alert-action="{url}" data-alert-number="{number}" data-alert-code="{code}" data-alert-label="{label}">'
    "{text}</a>"
)
_RESUME_ITEM = (
    '<form method="post" action="{url}" data-confirm="#dialog-resume" data-candidate-name="{name}">{hidden}'
    '<button type="submit" class="menu-item">{text}</button></form>'
)
_END_ITEM = (
    '<form method="post" action="{url}" data-confirm="#dialog-end" data-candidate-name="{name}">{hidden}'
    '<button type="submit" class="menu-item menu-item-danger">{text}</button></form>'
)
_INCIDENT_ITEM = '<a class="menu-item" href="{url}">{text}</a>'


def _minutes_ago(minutes: int) -> str:
    if minutes == 0:
        return _("Dernière réponse à l'instant")
    return ngettext("Dernière réponse il y a %(n)s min", "Dernière réponse il y a %(n)s min", minutes) % {"n": minutes}


def _url_maker(name: str, session_id: int) -> Callable[[int], str]:
    """Reverse once, then build each candidate's URL from its id (reversing per row costs)."""
    prefix, suffix = reverse(name, args=[session_id, 0]).rsplit("/0/", 1)
    return lambda candidate_id: f"{prefix}/{candidate_id}/{suffix}"


def render_rows(
    rows: list[CandidateRow], *, session_id: int, csrf_token: str, query: str, finalized: bool
) -> SafeString:
    """One `<li>` per row: a presence box before the start, the test's state after it (with the
    open alert, the activity and the clock tags), and the menu while the session is open: handle
    the alert, resume, end (while in progress; only end once the 24 hours are over), log an
    incident. Nothing to act on in a finalised session."""
    presence_url = _url_maker("invigilation:presence", session_id)
    resume_url = _url_maker("invigilation:authorize_resume", session_id)
    end_url = _url_maker("invigilation:end_test", session_id)
    incident_url = _url_maker("invigilation:incident", session_id)
    alert_prefix = reverse("invigilation:alert", args=[session_id, 0])[:-1]  # ends with the alert's id
    labels = {
        "validate": escape(_("Valider")),
        "in_progress": escape(_("En cours")),
        "resume_authorized": escape(_("Reprise autorisée")),
        "completed": escape(_("Terminé")),
        "present": escape(_("Présent")),
        "absent": escape(_("Absent")),
        "start": escape(_("Début")),
        "end": escape(_("fin théorique")),
        "extra": escape(_("temps majoré")),
        "actions": escape(_("Actions pour")),
        "resume": escape(_("Autoriser la reprise du test")),
        "end_test": escape(_("Terminer le test")),
        "adjustment": escape(_("Besoin d'un aménagement")),
        "alert": escape(_("Signalement en cours")),
        "handle_alert": escape(_("Gérer le signalement")),
        "incident": escape(_("Saisir un incident")),
        "deadline": escape(_("Délai expiré")),
        "box_expired": escape(_("Autorisation expirée : cochez à nouveau")),
        "resume_expired": escape(_("Autorisation de reprise expirée")),
        "question": escape(_("question")),
    }
    suffix = f"?{urlencode({'q': query})}" if query else ""
    hidden = _HIDDEN.format(name="csrfmiddlewaretoken", value=escape(csrf_token))
    if query:
        hidden += _HIDDEN.format(name="q", value=escape(query))
    out = []
    for row in rows:
        name = escape(row.name)
        common = {
            "pk": row.pk,
            "present": " is-present" if row.is_present else "",
            "search": escape(row.search_text),
            "name": name,
            "birth": row.birth,
            "adjustment": _ADJUSTMENT.format(label=labels["adjustment"]) if row.needs_adjustment else "",
        }
        if not row.is_started and not finalized and not row.deadline_passed:
            expired = row.authorized_to_start and row.authorisation_expired
            out.append(
                _PRESENCE_ROW.format(
                    **common,
                    url=presence_url(row.pk),
                    hidden=hidden,
                    checked=" checked" if row.authorized_to_start and not expired else "",
                    expired=_BADGE.format(kind=" badge-warning", label=labels["box_expired"]) if expired else "",
                    validate=labels["validate"],
                )
            )
            continue
        items = []
        status = ""
        if row.has_alert:
            status += _BADGE.format(
                kind=" badge-error badge-alert",
                label=f'<span aria-hidden="true">⚠ </span>{labels["alert"]} — {labels["question"]} {row.alert_number}',
            )
            if not finalized:
                items.append(
                    _ALERT_ITEM.format(
                        url=f"{alert_prefix}{row.alert_id}{suffix}",
                        name=name,
                        number=row.alert_number,
                        code=escape(row.alert_code),
                        label=escape(f"{row.alert_code} — {pupil_label(row.alert_code)}"),
                        text=labels["handle_alert"],
                    )
                )
        if row.is_in_progress:
            extra = f" ({labels['extra']} {row.extra_time_percentage} %)" if row.extra_time_percentage else ""
            status += _BADGE.format(kind=" badge-warning", label=labels["in_progress"])
            if row.deadline_passed:
                status += _BADGE.format(kind=" badge-error", label=labels["deadline"])
            elif row.resume_authorized:
                status += _BADGE.format(kind="", label=labels["resume_authorized"])
            elif row.authorized_to_start and row.authorisation_expired:
                status += _BADGE.format(kind=" badge-neutral", label=labels["resume_expired"])
            if row.inactive_minutes is not None:
                inactive = _("Inactif depuis %(n)s min") % {"n": row.inactive_minutes}
                status += _BADGE.format(kind=" badge-warning badge-inactive", label=escape(inactive))
            status += _TIMES.format(
                start_label=labels["start"],
                start=row.started,
                end_label=labels["end"],
                end=row.theoretical_end,
                extra=extra,
            )
            if row.last_answer_minutes is not None:
                status += f'<span class="candidate-activity">{escape(_minutes_ago(row.last_answer_minutes))}</span>'
            if not finalized:
                if not row.deadline_passed:
                    items.append(
                        _RESUME_ITEM.format(url=resume_url(row.pk), name=name, hidden=hidden, text=labels["resume"])
                    )
                items.append(_END_ITEM.format(url=end_url(row.pk), name=name, hidden=hidden, text=labels["end_test"]))
        elif row.state == CertificationState.COMPLETED:
            status += _BADGE.format(kind=" badge-success", label=labels["completed"])
        elif row.is_started:
            status += _BADGE.format(kind=" badge-neutral", label=escape(row.state_label))
        elif row.deadline_passed and not finalized:
            status += _BADGE.format(kind=" badge-error", label=labels["deadline"])
        elif row.authorized_to_start:
            status += _BADGE.format(kind=" badge-neutral", label=labels["present"])
        else:
            status += _BADGE.format(kind=" badge-neutral", label=labels["absent"])
        if row.reports:
            logged = ngettext("%(n)s incident saisi", "%(n)s incidents saisis", row.reports) % {"n": row.reports}
            status += f'<span class="candidate-reports">{escape(logged)}</span>'
        if row.is_started and not finalized:
            items.append(_INCIDENT_ITEM.format(url=incident_url(row.pk) + suffix, text=labels["incident"]))
        menu = _MENU.format(actions=labels["actions"], name=name, items="".join(items)) if items else ""
        out.append(
            _STATUS_ROW.format(**common, alert_class=" has-alert" if row.has_alert else "", status=status, menu=menu)
        )
    return mark_safe("".join(out))
