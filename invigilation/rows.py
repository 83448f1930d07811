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

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from invigilation.selectors import CandidateRow
from sessions_app.models import CertificationState

_HIDDEN = '<input type="hidden" name="{name}" value="{value}">'

_PRESENCE_ROW = (
    '<li class="candidate-row{present}" data-search="{search}">'
    '<form method="post" action="{url}" class="presence-form" hx-post="{url}" hx-trigger="change" '
    'hx-target="#candidate-list" hx-swap="outerHTML">{hidden}'
    '<input type="checkbox" id="presence-{pk}" name="present" value="1"{checked}>'
    '<label for="presence-{pk}"><span class="candidate-name">{name}</span> '
    '<span class="candidate-birth">{birth}</span>{adjustment}</label>'
    '<noscript><button type="submit" class="button button-small button-secondary">{validate}'
    '<span class="visually-hidden"> — {name}</span></button></noscript>'
    "</form></li>"
)

_STATUS_ROW = (
    '<li class="candidate-row{present}" data-search="{search}">'
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
    '<form method="post" action="{resume_url}" data-confirm="#dialog-resume" data-candidate-name="{name}">{hidden}'
    '<button type="submit" class="menu-item">{resume}</button></form>'
    '<form method="post" action="{end_url}" data-confirm="#dialog-end" data-candidate-name="{name}">{hidden}'
    '<button type="submit" class="menu-item menu-item-danger">{end}</button></form>'
    "</div></details>"
)


def _url_maker(name: str, session_id: int) -> Callable[[int], str]:
    """Reverse once, then build each candidate's URL from its id (reversing per row costs)."""
    prefix, suffix = reverse(name, args=[session_id, 0]).rsplit("/0/", 1)
    return lambda candidate_id: f"{prefix}/{candidate_id}/{suffix}"


def render_rows(
    rows: list[CandidateRow], *, session_id: int, csrf_token: str, query: str, finalized: bool
) -> SafeString:
    """One `<li>` per row: a presence box before the start, the test's state after it, and the
    menu (resume, end) while the test is in progress. Nothing to act on in a finalised session."""
    presence_url = _url_maker("invigilation:presence", session_id)
    resume_url = _url_maker("invigilation:authorize_resume", session_id)
    end_url = _url_maker("invigilation:end_test", session_id)
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
    }
    hidden = _HIDDEN.format(name="csrfmiddlewaretoken", value=escape(csrf_token))
    if query:
        hidden += _HIDDEN.format(name="q", value=escape(query))
    out = []
    for row in rows:
        name = escape(row.name)
        common = {
            "present": " is-present" if row.is_present else "",
            "search": escape(row.search_text),
            "name": name,
            "birth": row.birth,
            "adjustment": _ADJUSTMENT.format(label=labels["adjustment"]) if row.needs_adjustment else "",
        }
        if not row.is_started and not finalized:
            out.append(
                _PRESENCE_ROW.format(
                    **common,
                    url=presence_url(row.pk),
                    hidden=hidden,
                    pk=row.pk,
                    checked=" checked" if row.authorized_to_start else "",
                    validate=labels["validate"],
                )
            )
            continue
        menu = ""
        if row.is_in_progress:
            extra = f" ({labels['extra']} {row.extra_time_percentage} %)" if row.extra_time_percentage else ""
            status = _BADGE.format(kind=" badge-warning", label=labels["in_progress"])
            if row.resume_authorized:
                status += _BADGE.format(kind="", label=labels["resume_authorized"])
            status += _TIMES.format(
                start_label=labels["start"],
                start=row.started,
                end_label=labels["end"],
                end=row.theoretical_end,
                extra=extra,
            )
            if not finalized:
                menu = _MENU.format(
                    actions=labels["actions"],
                    name=name,
                    resume_url=resume_url(row.pk),
                    end_url=end_url(row.pk),
                    hidden=hidden,
                    resume=labels["resume"],
                    end=labels["end_test"],
                )
        elif row.state == CertificationState.COMPLETED:
            status = _BADGE.format(kind=" badge-success", label=labels["completed"])
        elif row.is_started:
            status = _BADGE.format(kind=" badge-neutral", label=escape(row.state_label))
        elif row.authorized_to_start:
            status = _BADGE.format(kind=" badge-neutral", label=labels["present"])
        else:
            status = _BADGE.format(kind=" badge-neutral", label=labels["absent"])
        out.append(_STATUS_ROW.format(**common, status=status, menu=menu))
    return mark_safe("".join(out))
