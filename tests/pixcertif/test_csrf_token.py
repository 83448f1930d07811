"""The hot pages' CSRF token (pixcertif.core.csrf): Django's masking with one read of the random source."""

from __future__ import annotations

from collections import Counter

import pytest
from django.http import HttpResponse
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CsrfViewMiddleware,
    _unmask_cipher_token,
    get_token,
)
from django.test import RequestFactory

from pixcertif.core.csrf import masked_token

SECRET = "benchcsrfsecret0123456789abcdefg"


def _request(secret: str | None = SECRET):
    request = RequestFactory().get("/")
    if secret is not None:
        request.COOKIES["csrftoken"] = secret
    CsrfViewMiddleware(lambda r: HttpResponse()).process_request(request)
    return request


def test_the_token_unmasks_to_the_cookies_secret_and_is_new_each_time():
    request = _request()
    tokens = {masked_token(request) for _ in range(50)}
    assert len(tokens) == 50
    for token in tokens:
        assert len(token) == 64 and set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == SECRET
    # The browser has just sent the cookie: no Set-Cookie back (get_token would renew it).
    assert not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")


def test_without_a_secret_django_mints_one():
    request = _request(secret=None)
    token = masked_token(request)
    assert _unmask_cipher_token(token) == request.META["CSRF_COOKIE"]
    assert _unmask_cipher_token(get_token(request)) == request.META["CSRF_COOKIE"]
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True  # the new secret's cookie is sent


def test_the_masks_characters_are_uniform():
    request = _request()
    seen = Counter(char for _ in range(2000) for char in masked_token(request)[:32])
    assert set(seen) == set(CSRF_ALLOWED_CHARS)
    assert all(700 < count < 1400 for count in seen.values())  # 1,032 each on average


@pytest.mark.parametrize("tampered", [False, True])
def test_csrf_view_middleware_checks_it_as_its_own(tampered):
    token = masked_token(_request())
    if tampered:
        token = token[:40] + ("a" if token[40] != "a" else "b") + token[41:]
    request = RequestFactory().post("/", {"csrfmiddlewaretoken": token})
    request.COOKIES["csrftoken"] = SECRET
    request._dont_enforce_csrf_checks = False
    middleware = CsrfViewMiddleware(lambda r: HttpResponse())
    middleware.process_request(request)
    refused = middleware.process_view(request, lambda r: HttpResponse(), (), {})
    assert (refused is not None) is tampered
