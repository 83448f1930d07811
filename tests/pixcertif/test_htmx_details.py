"""`request.htmx` (pixcertif.core.htmx) reads what django-htmx reads, from request.META."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails as DjangoHtmxDetails

from pixcertif.core.htmx import HtmxDetails, HtmxMiddleware, header

HEADERS = [
    {},
    {"HX-Request": "true"},
    {"HX-Request": "false"},
    {"hx-request": "true", "HX-Current-URL": "http://testserver/certifications/3"},
    {"HX-Request": "true", "HX-Target": "main", "HX-Trigger": "answer", "HX-Boosted": "true"},
    {
        "HX-Request": "true",
        "HX-Current-URL": "http%3A%2F%2Ftestserver%2Fa%20b",
        "HX-Current-URL-URI-AutoEncoded": "true",
    },
    {"HX-Request": "true", "HX-Prompt": "", "HX-Trigger-Name": "action"},
]


@pytest.mark.parametrize("headers", HEADERS)
def test_it_reads_what_django_htmx_reads(headers):
    ours, theirs = (RequestFactory().get("/", headers=headers) for _ in range(2))
    mine, reference = HtmxDetails(ours), DjangoHtmxDetails(theirs)
    for name in ("boosted", "current_url", "current_url_abs_path", "history_restore_request", "prompt"):
        assert getattr(mine, name) == getattr(reference, name), name
    for name in ("target", "trigger", "trigger_name"):
        assert getattr(mine, name) == getattr(reference, name), name
    assert bool(mine) == bool(reference)
    assert "headers" not in vars(ours)  # no dict of every header built


def test_header_reads_as_request_headers_does():
    request = RequestFactory().get("/", headers={"If-None-Match": 'W/"a-1"', "X-Pix-List-Copy": '"b-2"'})
    assert header(request, "If-None-Match") == request.headers.get("If-None-Match") == 'W/"a-1"'
    assert header(request, "x-pix-list-copy") == '"b-2"'
    assert header(request, "HX-Request") is None


def test_the_middleware_sets_request_htmx():
    request = RequestFactory().get("/", headers={"HX-Request": "true"})
    HtmxMiddleware(lambda request: None)(request)
    assert isinstance(request.htmx, HtmxDetails) and request.htmx
