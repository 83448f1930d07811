"""The routes do not overlap: each pattern's path resolves to that pattern, whatever the order of
the includes (pixcertif/urls.py puts the hot ones, the candidate's and the invigilator's, first)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from django.urls import URLPattern, URLResolver, get_resolver, resolve

SAMPLES = {"int": "7", "str": "abc", "slug": "abc", "uuid": "12345678-1234-5678-1234-567812345678", "path": "a/b"}


def _routes(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, Callable]]:
    for pattern in patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route == "admin/":  # Django's admin: its own catch-all, under its own prefix
                continue
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _routes(pattern.url_patterns, prefix + route, inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + route, namespace + (pattern.name or ""), pattern.callback


def test_every_route_resolves_to_itself():
    routes = list(_routes(get_resolver().url_patterns))
    assert len(routes) > 50
    for route, name, view in routes:
        assert "(?P" not in route and not route.startswith("admin/"), route  # path() only, none under admin/
        sample = "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES[m.group(1) or "str"], route)
        found = resolve(sample)
        assert (found.func, found.view_name) == (view, name), f"{sample} is {found.view_name}, not {name}"


def test_the_hot_routes_come_first():
    first = get_resolver().url_patterns[:2]
    assert [p.urlconf_module.__name__ for p in first] == ["sessions_app.certifications_urls", "invigilation.urls"]
