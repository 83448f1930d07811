"""The question screen from frames (`pixcertif.core.frames`): rendered by its templates once per
challenge, then filled in.

A question page is the same for every candidate who draws that challenge, but for a few values: the
position ("Question 4 / 48"), the test's addresses, the candidate's name, the CSRF token, the page's
live token and its own address. Its frame is keyed by what the templates branch on (the challenge
and its version, the language, whole page or htmx's content of <main>);
`tests/sessions_app/test_screens.py` checks that a filled frame is, character for character, what
the templates render for the same values. What a frame cannot hold falls back to the templates: a
form with errors, messages to show.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from pixcertif.core.csrf import masked_token
from pixcertif.core.frames import clear, frame, hole

__all__ = ["QUESTION_HOLES", "clear", "hole", "render_question", "url_of"]

_SENTINEL = 918273645  # a test's id that reverse() accepts, replaced by each test's own


def _url_format(name: str) -> str:
    return reverse(name, args=[_SENTINEL]).replace(str(_SENTINEL), "{}")


_URL_FORMATS: dict[str, str] = {}


def url_of(name: str, certification_id: int) -> str:
    """reverse(`name`, args=[certification_id]) for the test's own addresses, without reverse()'s cost."""
    pattern = _URL_FORMATS.get(name)
    if pattern is None:
        pattern = _URL_FORMATS[name] = _url_format(name)
    return pattern.format(int(certification_id))


# ---------------------------------------------------------------- the question screen

QUESTION_HOLES = ("number", "total", "answered", "index", "answer_url", "report_url", "heartbeat_url", "live_token")


def page_holes() -> dict[str, Any]:
    """What the page around a screen prints for the request (base page, user box, footer)."""
    return {
        "user": SimpleNamespace(full_name=hole("user_name"), is_authenticated=True),
        "request": SimpleNamespace(get_full_path=hole("path"), path=hole("path")),
        "csrf_token": hole("csrf"),
        "messages": (),
    }


def page_values(request) -> dict[str, Any]:
    return {"user_name": request.user.full_name, "path": request.get_full_path(), "csrf": masked_token(request)}


def render_question(
    request, *, template: str, context: Callable[[], dict[str, Any]], values: dict[str, Any], key: tuple
) -> str:
    """The question screen (`template` with `context()`, its QUESTION_HOLES given as `values`), from
    its frame. `context()` returns only what is the same for every candidate of `key`."""

    def build() -> str:
        holes = {name: hole(name) for name in QUESTION_HOLES}
        return render_to_string(template, {**context(), **holes, **page_holes()})

    return frame(("question", template, translation.get_language(), *key), build).fill(
        {**values, **page_values(request)}
    )
