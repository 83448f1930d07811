"""The CSRF token of the hot pages (the candidate's question card, the invigilator's live list).

Django's `get_token` masks the cookie's secret afresh for each response (so that a compressed page
never repeats the same bytes: BREACH), drawing the 32 characters of the mask one by one from the
OS's random source: 32 reads of it, about a fifth of the CPU of filling a question card. Here the
mask is drawn from one read (`os.urandom`, the same source; rejection sampling keeps each
character uniform over the 62 allowed), then applied exactly as Django applies it, so
CsrfViewMiddleware checks the token as its own. No secret yet: Django's own `get_token` (a new
one and its cookie).

One difference: `get_token` also renews the cookie (a Set-Cookie on the response) each time it is
called, to push its expiry (CSRF_COOKIE_AGE, a year) back. These pages are answered many times a
minute (every answer, every poll of the live list) to a browser that has just sent the cookie, so
the token is drawn from that cookie's secret and the cookie is left as it is: the pages that
render `{% csrf_token %}` (every other page, the login's first) renew it as Django does.
"""

from __future__ import annotations

import os

from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token

_BASE = len(CSRF_ALLOWED_CHARS)  # 62
_INDEX = {char: position for position, char in enumerate(CSRF_ALLOWED_CHARS)}
_UNBIASED = 256 - 256 % _BASE  # bytes below this map evenly onto the characters (248 = 4 × 62)


def _mask() -> list[int]:
    drawn: list[int] = []
    while len(drawn) < CSRF_SECRET_LENGTH:
        drawn += [byte % _BASE for byte in os.urandom(2 * CSRF_SECRET_LENGTH) if byte < _UNBIASED]
    return drawn[:CSRF_SECRET_LENGTH]


def masked_token(request: HttpRequest) -> str:
    """`django.middleware.csrf.get_token(request)`, for a page that is filled rather than rendered
    and answered often: the cookie the browser sent is not sent back (see the module docstring)."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret or len(secret) != CSRF_SECRET_LENGTH or any(char not in _INDEX for char in secret):
        return get_token(request)  # no secret yet: Django mints one (and its cookie)
    mask = _mask()
    cipher = "".join(CSRF_ALLOWED_CHARS[(_INDEX[char] + m) % _BASE] for char, m in zip(secret, mask, strict=True))
    return "".join(CSRF_ALLOWED_CHARS[m] for m in mask) + cipher
