"""Frames: a template rendered once with marked holes, then filled in for each request.

Some pages are the same for thousands of requests but for a few values (a question card for every
candidate who draws that challenge, a row of the invigilator's live list for every candidate in
the same state). Rendering Django templates costs more CPU than the rest of such a request; so the
template is rendered once with a hole for each varying value (`hole(name)`: a name between two
private-use characters, which no template, filter or escaping writes), the result split at its
holes (a `Frame`), kept in this process's memory (bounded, least recently used out first), keyed
by everything the template branches on; each request only fills the holes, escaped as the
template would have escaped them.

The templates stay the one source of the markup: each user of frames has a test that a filled
frame is, character for character, what the template renders for the same values. Holes are for
values a template prints as they are (`{{ name }}`), never for values it tests, filters or counts
(those go in the key). Nothing here is state another server needs: every server makes its own
frames from the same templates.
"""

from __future__ import annotations

import html
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.html import conditional_escape

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
            out.append(escaped(values[name]))
            out.append(part)
        return "".join(out)


def escaped(value: Any) -> str:
    """`conditional_escape(value)`, as text: a plain str or int (most holes) without its lazy-aware
    wrapper, which cost a row of the live list more than the rest of its filling; anything else
    (safe strings, lazy translations, None…) through it."""
    kind = type(value)
    if kind is str:
        return html.escape(value)
    if kind is int:
        return str(value)
    return str(conditional_escape(value))


_frames: OrderedDict[tuple, Frame] = OrderedDict()
_lock = threading.Lock()


def frame(key: tuple, build: Callable[[], str]) -> Frame:
    """The frame of `key`, rendered by `build()` the first time."""
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


def keys(prefix: str) -> list[tuple]:
    """The keys of the frames held whose first element is `prefix` (for tests)."""
    with _lock:
        return [key for key in _frames if key and key[0] == prefix]


def held(key: tuple) -> Frame | None:
    with _lock:
        return _frames.get(key)
