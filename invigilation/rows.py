"""The live list's rows from frames (`pixcertif.core.frames`): `_candidate_row.html` rendered once
per shape of row, then filled in for each candidate.

Every invigilator's list is rendered again whenever it changes (a delta for the changed rows, the
whole list once a minute while tests run); forty rows of a dense template cost ~12 ms of app CPU
where a bare request costs ~2. A row's markup depends on a handful of facts (its state, the ticked
box, the tags, whether it has an alert, the counted values shown with a plural) and otherwise only
prints values (name, birth date, times, addresses, CSRF token…): the frame is keyed by the facts,
the values are its holes. `tests/invigilation/test_row_frames.py` checks that a filled frame is,
character for character, what the template renders, for every shape the list can show.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from invigilation.selectors import CandidateRow
from pixcertif.core.frames import frame, hole

TEMPLATE = "invigilation/_candidate_row.html"
# Values the row prints as they are (holes); everything else it tests, or counts with a plural.
VALUES = (
    "pk",
    "name",
    "birth",
    "search_text",
    "alert_number",
    "alert_code",
    "alert_label",
    "inactive_minutes",
    "started",
    "theoretical_end",
    "extra_time_percentage",
    "state_label",
)
LINKS = ("presence", "resume", "end", "incident", "alert")
# What the template tests (or counts with a plural): the frame's key, given to it as they are.
FACTS = (
    "state",
    "authorized_to_start",
    "authorisation_expired",
    "deadline_passed",
    "needs_adjustment",
    "last_answer_minutes",
    "reports",
    "is_started",
    "is_in_progress",
    "is_present",
    "resume_authorized",
    "has_alert",
)


@dataclass(frozen=True, slots=True)
class RowLinks:
    """The addresses a row's forms and menu items post to or open."""

    presence: str
    resume: str
    end: str
    incident: str
    alert: str


def _shape(row: CandidateRow) -> tuple:
    """What the template branches on, besides the list's own flags: the facts, and whether the two
    values it also tests for being set are."""
    facts = tuple(getattr(row, name) for name in FACTS)
    return (*facts, row.inactive_minutes is None, bool(row.extra_time_percentage))


def _stand_in(row: CandidateRow) -> SimpleNamespace:
    """A row with the real facts and a hole for each value (the properties computed as the row's)."""
    values: dict[str, Any] = {name: hole(name) for name in VALUES}
    facts = {name: getattr(row, name) for name in FACTS}
    # Printed, and tested for being set: the hole only when set (the shape says which).
    if row.inactive_minutes is None:
        values["inactive_minutes"] = None
    if not row.extra_time_percentage:
        values["extra_time_percentage"] = row.extra_time_percentage
    return SimpleNamespace(**facts, **values)


def row_html(
    row: CandidateRow, links: RowLinks, *, csrf_token: str, query: str, finalized: bool, oob: bool
) -> SafeString:
    """The row's markup, as `_candidate_row.html` renders it with these values."""

    def build() -> str:
        context: dict[str, Any] = {
            "row": _stand_in(row),
            "links": SimpleNamespace(**{name: hole(f"link_{name}") for name in LINKS}),
            "csrf_token": hole("csrf"),
            "query": hole("query") if query else "",
            "finalized": finalized,
            "oob": oob,
        }
        return render_to_string(TEMPLATE, context)

    key = ("live-row", translation.get_language(), finalized, bool(query), oob, *_shape(row))
    values: dict[str, Any] = {name: getattr(row, name) for name in VALUES}
    values.update({f"link_{name}": getattr(links, name) for name in LINKS})
    values.update(csrf=csrf_token, query=query)
    return mark_safe(frame(key, build).fill(values))


DELTA_TEMPLATE = "invigilation/_candidate_delta.html"
COUNTS = ("present", "total", "in_progress", "finished", "open_alerts")


class _Count(int):
    """A count as the counters' template sees it: tested and pluralised by the value it stands for
    (0, 1 or 2: every plural form of the list's languages), printed as its hole."""

    name: str

    def __new__(cls, value: int, name: str) -> _Count:
        made = super().__new__(cls, value)
        made.name = name
        return made

    def __str__(self) -> str:
        return hole(self.name)


def delta_html(rows: list[SafeString], listing: Any) -> SafeString:
    """The delta's markup (`_candidate_delta.html`: the changed rows, then the counters), from its
    frame: keyed by the language and the plural form of each count."""

    def build() -> str:
        counts = {name: _Count(min(getattr(listing, name), 2), name) for name in COUNTS}
        return render_to_string(DELTA_TEMPLATE, {"rows": [hole("rows")], "listing": SimpleNamespace(**counts)})

    key = ("live-delta", translation.get_language(), *(min(getattr(listing, name), 2) for name in COUNTS[2:]))
    values: dict[str, Any] = {name: int(getattr(listing, name)) for name in COUNTS}
    values["rows"] = mark_safe("".join(rows))
    return mark_safe(frame(key, build).fill(values))
