"""The question screen from frames: rendered by its templates once per challenge, then filled in.

A question page is the same for every candidate who draws that challenge, but for a few values: the
position ("Question 4 / 48"), the test's addresses, the candidate's name, the CSRF token, the page's
live token and its own address. Rendering the templates (base page, user box, footer, language
switcher, the form's widgets) cost more CPU than the rest of the request, hundreds of times a
second on an exam day. So the templates are rendered once with a marked hole for each such value
(a *frame*: the text between the holes), kept in this process's memory, bounded, keyed by what
the templates branch on (the challenge and its version, the language, whole page or htmx's
content of <main>), and each request only fills the holes, escaped as the templates would.

The templates stay the one source of the page: `tests/sessions_app/test_screens.py` checks that a
filled frame is, character for character, what the templates render for the same values. What
the frame cannot hold falls back to the templates: a form with errors, messages to show. Nothing
here is state another server needs (every server makes its own frames from the same templates).
Holes are for values the templates print as they are (`{{ number }}`), never for values they test
or filter.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import conditional_escape

# A hole: a name between two private-use characters, which no template, filter or escaping writes.
_OPEN, _CLOSE = "\ue000", "\ue001"
_HOLE = re.compile(f"{_OPEN}([a-z_]+){_CLOSE}")
MAX_FRAMES = 4096


def hole(name: str) -> str:
    return f"{_OPEN}{name}{_CLOSE}"


@dataclass(frozen=True)
class Frame:
    """Rendered text split at its holes: parts[0], holes[0], parts[1], holes[1]… parts[-1]."""

    parts: tuple[str, ...]
    holes: tuple[str, ...]

    @classmethod
    def of(cls, rendered: str) -> Frame:
        pieces = _HOLE.split(rendered)
        return cls(parts=tuple(pieces[0::2]), holes=tuple(pieces[1::2]))

    def fill(self, values: Mapping[str, Any]) -> str:
        """The text with each hole replaced by its value, escaped (an int as its digits)."""
        out = [self.parts[0]]
        for name, part in zip(self.holes, self.parts[1:], strict=True):
            out.append(str(conditional_escape(values[name])))
            out.append(part)
        return "".join(out)


_frames: OrderedDict[tuple, Frame] = OrderedDict()
_lock = threading.Lock()


def frame(key: tuple, build: Callable[[], str]) -> Frame:
    """The frame of `key`, rendered by `build()` the first time (the least recently used go first)."""
    with _lock:
        found = _frames.get(key)
        if found is not None:
            _frames.move_to_end(key)
            return found
    made = Frame.of(build())
    with _lock:
        _frames[key] = made
        while len(_frames) > MAX_FRAMES:
            _frames.popitem(last=False)
    return made


def clear() -> None:
    with _lock:
        _frames.clear()


_SENTINEL = 918273645  # a test's id that reverse() accepts, replaced by each test's own


def _url_format(name: str) -> str:
    return reverse(name, args=[_SENTINEL]).replace(str(_SENTINEL), "{}")


_URL_FORMATS: dict[str, str] = {}


def test_url(name: str, certification_id: int) -> str:
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
    return {"user_name": request.user.full_name, "path": request.get_full_path(), "csrf": get_token(request)}


def render_question(
    request, *, template: str, context: Callable[[], dict[str, Any]], values: dict[str, Any], key: tuple
) -> str:
    """The question screen (`template` with `context()`, its QUESTION_HOLES given as `values`), from
    its frame. `context()` returns only what is the same for every candidate of `key`."""

    def build() -> str:
        holes = {name: hole(name) for name in QUESTION_HOLES}
        return render_to_string(template, {**context(), **holes, **page_holes()})

    return frame((template, translation.get_language(), *key), build).fill({**values, **page_values(request)})
