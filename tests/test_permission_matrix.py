"""One parametrised permission matrix over every URL of the site (the admin excepted).

It walks the URL resolver, so a new page is covered the day it is added:
- anonymous visitors are sent to /connexion?next=… everywhere but on public pages;
- on every URL of one session, a member of another centre gets a 404 (never the data, never a
  hint that it exists), whatever the method;
- every POST-only view answers a GET with 405.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# URL names anyone may open without logging in.
PUBLIC = {
    "accounts:login",
    "accounts:logout",
    "accounts:cgu",
    "accounts:signup",
    "accounts:legal",
    "accounts:accessibility",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "team:invitation",
    "results:verification",
    "results:recipient",
    "results:recipient_results",
    "results:verification_result",
    "set_language",
    "javascript-catalog",
}


# Pages of one session that are not the centre's: the invigilator space sends a stranger to its
# entry form (an invigilator needs no membership), it does not answer 404. The kit and the day's
# other PDFs (notice, instructions, fraud report) are documents of the centre's that invigilators
# may download too: a stranger gets a 404 there.
def _is_invigilator_page(name: str) -> bool:
    return name.startswith("invigilation:") and not name.endswith("_pdf")


# Pages scoped to the certification staff or to the candidate's own account, not to a centre.
NOT_CENTRE_SCOPED_NAMESPACES = {"certifications", "invigilation", "results"}


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("admin/"):
                continue
            ns = entry.namespace or namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name, prefix + str(entry.pattern)


ROUTES = sorted(set(_walk(get_resolver().url_patterns)))


def _fill(route: str, session_id: int) -> str:
    def value(match: re.Match) -> str:
        converter, name = match.group(1) or "str", match.group(2)
        if name == "session_id":
            return str(session_id)
        if converter == "int":
            return "999999"
        if converter == "uuid":
            return "12345678-1234-5678-1234-567812345678"
        return "x" * 8

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


@pytest.mark.parametrize(("name", "route"), [r for r in ROUTES if r[0] not in PUBLIC], ids=lambda v: str(v))
def test_anonymous_visitors_are_sent_to_the_login_page(client, session, name, route):
    url = _fill(route, session.pk)
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    assert response.status_code == 302, f"{name} {url} answered {response.status_code}"
    assert response["Location"].startswith("/connexion?next="), f"{name} → {response['Location']}"


SESSION_ROUTES = [
    r for r in ROUTES if "<int:session_id>" in r[1] and not _is_invigilator_page(r[0]) and r[0] not in PUBLIC
]
INVIGILATOR_ROUTES = [r for r in ROUTES if "<int:session_id>" in r[1] and _is_invigilator_page(r[0])]


@pytest.mark.parametrize(("name", "route"), SESSION_ROUTES, ids=lambda v: str(v))
def test_a_member_of_another_centre_gets_a_404_on_every_session_url(stranger_client, session, name, route):
    url = _fill(route, session.pk)
    response = stranger_client.get(url)
    if response.status_code == 405:
        response = stranger_client.post(url)
    assert response.status_code == 404, f"{name} {url} answered {response.status_code}"


@pytest.mark.parametrize(("name", "route"), INVIGILATOR_ROUTES, ids=lambda v: str(v))
def test_an_account_without_invigilator_access_is_sent_to_the_entry_form(stranger_client, session, name, route):
    url = _fill(route, session.pk)
    response = stranger_client.get(url)
    if response.status_code == 405:
        response = stranger_client.post(url)
    assert response.status_code == 302, f"{name} {url} answered {response.status_code}"
    assert response["Location"].startswith("/connexion-espace-surveillant"), response["Location"]


def test_the_matrix_covers_the_session_pages():
    """Guard against a resolver walk that silently finds nothing."""
    names = {name for name, _ in SESSION_ROUTES}
    assert "sessions_app:detail" in names
    assert "enrolment:candidates" in names
    assert {name for name, _ in INVIGILATOR_ROUTES} >= {"invigilation:session", "invigilation:end_test"}
