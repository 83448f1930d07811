"""Content-Security-Policy and Permissions-Policy on every page family, and pages that need no inline code."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from finalisation.jury.resolution import auto_resolve_reports
from invigilation.models import InvigilatorAccess
from pixcertif.security_headers import CONTENT_SECURITY_POLICY
from tests.factories import CandidateFactory, UserFactory
from tests.finalisation.builders import mark_finalised, take_test


class InlineCode(HTMLParser):
    """Collects what a `script-src 'self'; style-src 'self'` policy would block."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script":
            self._in_script = "src" not in names
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name == "style":
                self.found.append(f"<{tag} style={value!r}>")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"<script>{data.strip()[:40]}")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


@pytest.fixture
def world(db, session, admin_user, invigilator_user):
    CandidateFactory(session=session)
    InvigilatorAccess.objects.create(user=invigilator_user, session=session)
    staff = UserFactory(is_staff=True, is_superuser=True)
    published = mark_finalised(take_test(mark_finalised(session), results=["ok"] * 15).candidate.session)
    auto_resolve_reports(session=published)
    return {"session": session, "admin": admin_user, "invigilator": invigilator_user, "staff": staff}


PAGES = [
    ("anonymous", lambda w: reverse("accounts:login")),
    ("anonymous", lambda w: reverse("results:verification")),
    ("admin", lambda w: reverse("sessions_app:list")),
    ("admin", lambda w: reverse("sessions_app:detail", args=[w["session"].pk])),
    ("admin", lambda w: reverse("enrolment:candidates", args=[w["session"].pk])),
    ("admin", lambda w: reverse("enrolment:students")),
    ("invigilator", lambda w: reverse("invigilation:entry")),
    ("invigilator", lambda w: reverse("invigilation:session", args=[w["session"].pk])),
    ("invigilator", lambda w: reverse("certifications:join")),
    ("staff", lambda w: reverse("admin:index")),
    ("staff", lambda w: reverse("admin:finalisation_jurysession_change", args=[w["session"].pk])),
    ("staff", lambda w: reverse("admin:accounts_user_change", args=[w["admin"].pk])),
    ("staff", lambda w: reverse("admin:core_auditevent_changelist")),
]


@pytest.mark.parametrize(("who", "page"), PAGES, ids=[f"{who}-{i}" for i, (who, _) in enumerate(PAGES)])
def test_every_page_family_has_the_policies_and_no_inline_code(client, world, who, page):
    if who != "anonymous":
        client.force_login(world[who])
    response = client.get(page(world))
    assert response.status_code == 200, page(world)
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert inline_code(response.content.decode()) == []


def test_htmx_is_told_not_to_inject_a_style_nor_to_eval(client, world):
    client.force_login(world["invigilator"])
    html = client.get(reverse("invigilation:session", args=[world["session"].pk])).content.decode()
    assert '"includeIndicatorStyles":false' in html.replace(" ", "")
    assert '"allowEval":false' in html.replace(" ", "")
    assert "every 5s [" not in html


def test_a_download_has_the_policies_too(client, world):
    client.force_login(world["admin"])
    response = client.get(reverse("documents:attendance_sheet_pdf", args=[world["session"].pk]))
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
