"""One parametrised permission matrix over every URL of the site.

The URLs come from the resolver; `PAGES` says, for each one, which methods it answers, who may
open it and for which kind of centre. A URL added without its line in `PAGES` fails
`test_every_url_has_a_line_in_the_matrix`. The axes:

- anonymous visitors are sent to /connexion?next=… everywhere but on public pages (to the admin's
  login on the admin site);
- another centre's objects are a 404, whichever side is wrong: a member of another centre opening
  our objects, and one of ours opening a URL whose nested ids (candidate, certification, report,
  alert, attachment, student, member, invitation, import) are REAL objects of another centre — a
  view that loads one by its id without scoping it serves it, and fails here;
- a method the page does not answer is a 405 (GET on a POST-only URL, POST on a GET-only one, PUT,
  PATCH and DELETE everywhere); a method it answers is never a 405;
- admin-only pages (team management, the referent, the school's student roster) are a 403 for a
  member; every other centre page lets a member in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from finalisation.models import SessionAttachment
from invigilation.models import InvigilatorAccess
from pixcertif.accounts.models import CertificationCenter, Membership
from sessions_app.models import IssueReport, LiveAlert, Session, SessionImport, SessionStatus
from tests.factories import (
    CenterFactory,
    CertificationFactory,
    ChallengeFactory,
    InvitationFactory,
    MembershipFactory,
    SessionFactory,
    UserFactory,
)

GET, POST = "GET", "POST"
OTHER_METHODS = ("PUT", "PATCH", "DELETE")

# Who may open a page.
PUBLIC = "public"  # anybody, logged in or not
ACCOUNT = "account"  # any logged-in account (its own things only)
CANDIDATE = "candidate"  # the account whose candidate / certification it is
CENTRE = "centre"  # a member (or admin) of the centre the objects belong to
ADMIN = "admin"  # an admin of that centre: a member gets a 403
INVIGILATOR = "invigilator"  # an account that entered the session's password
DAY_DOCUMENT = "day document"  # the centre's members and the session's invigilators
STAFF = "staff"  # Pix staff: the jury's admin site

SCO, PRO = CertificationCenter.Type.SCO, CertificationCenter.Type.PRO


@dataclass(frozen=True)
class Page:
    methods: tuple[str, ...]
    access: str
    kind: str = SCO  # the kind of centre the page is for (school-only, not-for-schools…)
    query: str = ""  # what the page needs in its query string to be more than a 404
    published: bool = False  # a page of a session's published results (a 404 before)
    # A removal answers "already removed" (and back to our page) for an id that is not the
    # session's, as for one deleted by a double click: nothing of the other centre is revealed.
    gone_is_done: bool = False


PAGES: dict[str, Page] = {
    "accounts:accessibility": Page((GET,), PUBLIC),
    "accounts:cgu": Page((GET, POST), PUBLIC),
    "accounts:choose_password": Page((GET, POST), ACCOUNT),
    "accounts:landing": Page((GET,), ACCOUNT),
    "accounts:legal": Page((GET,), PUBLIC),
    "accounts:login": Page((GET, POST), PUBLIC),
    "accounts:logout": Page((POST,), PUBLIC),
    "accounts:password_reset": Page((GET, POST), PUBLIC),
    "accounts:password_reset_complete": Page((GET,), PUBLIC),
    "accounts:password_reset_confirm": Page((GET, POST), PUBLIC),
    "accounts:password_reset_done": Page((GET,), PUBLIC),
    "accounts:signup": Page((GET, POST), PUBLIC),
    "accounts:switch_center": Page((POST,), ACCOUNT),
    "certifications:answer": Page((POST,), CANDIDATE),
    "certifications:heartbeat": Page((POST,), CANDIDATE),
    "certifications:join": Page((GET, POST), ACCOUNT),
    "certifications:report": Page((GET, POST), CANDIDATE),
    "certifications:start": Page((GET, POST), CANDIDATE),
    "certifications:test": Page((GET,), CANDIDATE),
    "documents:attendance_sheet_ods": Page((GET,), CENTRE),
    "documents:attendance_sheet_pdf": Page((GET,), CENTRE),
    "documents:incident_report_pdf": Page((GET,), CENTRE),
    "enrolment:candidate_add": Page((GET, POST), CENTRE, PRO),
    "enrolment:candidate_delete": Page((POST,), CENTRE),
    "enrolment:candidate_edit": Page((GET, POST), CENTRE),
    "enrolment:candidates": Page((GET,), CENTRE),
    "enrolment:candidates_import": Page((POST,), CENTRE, PRO),
    "enrolment:candidates_ods": Page((GET,), CENTRE),
    "enrolment:enrol_students": Page((GET,), CENTRE),
    "enrolment:enrol_students_submit": Page((POST,), CENTRE),
    "enrolment:student_password_reset": Page((POST,), ADMIN),
    "enrolment:students": Page((GET,), ADMIN),
    "enrolment:students_create_accounts": Page((POST,), ADMIN),
    "enrolment:students_import": Page((POST,), ADMIN),
    "finalisation:abort_reason": Page((POST,), CENTRE),
    "finalisation:attachment_add": Page((POST,), CENTRE),
    "finalisation:attachment_download": Page((GET,), CENTRE),
    "finalisation:attachment_remove": Page((POST,), CENTRE, gone_is_done=True),
    "finalisation:confirm": Page((GET,), CENTRE),
    "finalisation:finalise": Page((GET,), CENTRE),
    "finalisation:info": Page((POST,), CENTRE),
    "finalisation:report_add": Page((GET, POST), CENTRE),
    "finalisation:report_edit": Page((GET, POST), CENTRE),
    "finalisation:report_remove": Page((POST,), CENTRE, gone_is_done=True),
    "finalisation:submit": Page((POST,), CENTRE),
    "invigilation:alert": Page((GET, POST), INVIGILATOR),
    "invigilation:authorize_resume": Page((POST,), INVIGILATOR),
    "invigilation:candidate_instructions_pdf": Page((GET,), DAY_DOCUMENT),
    "invigilation:candidate_list": Page((GET,), INVIGILATOR),
    "invigilation:candidate_notice_pdf": Page((GET,), DAY_DOCUMENT),
    "invigilation:end_test": Page((POST,), INVIGILATOR),
    "invigilation:entry": Page((GET, POST), ACCOUNT),
    "invigilation:fraud_report_pdf": Page((GET,), DAY_DOCUMENT),
    "invigilation:incident": Page((GET, POST), INVIGILATOR),
    "invigilation:kit_pdf": Page((GET,), DAY_DOCUMENT),
    "invigilation:presence": Page((POST,), INVIGILATOR),
    "invigilation:session": Page((GET,), INVIGILATOR),
    "javascript-catalog": Page((GET,), PUBLIC),
    "results:certificate": Page((GET,), CANDIDATE),
    "results:class_certificates": Page((GET,), CENTRE, query="?classe=3EME+A"),
    "results:class_certificates_preparation": Page((GET,), CENTRE, query="?classe=3EME+A"),
    "results:class_results": Page((GET,), CENTRE),
    "results:class_results_csv": Page((GET,), CENTRE, query="?classe=3EME+A"),
    "results:my_certifications": Page((GET,), ACCOUNT),
    "results:recipient": Page((GET,), PUBLIC),
    "results:session_results": Page((GET,), CENTRE, published=True),
    "results:session_results_csv": Page((GET,), CENTRE, published=True),
    "results:verification": Page((GET, POST), PUBLIC),
    "sessions_app:create": Page((GET, POST), CENTRE),
    "sessions_app:delete": Page((POST,), CENTRE),
    "sessions_app:detail": Page((GET,), CENTRE),
    "sessions_app:edit": Page((GET, POST), CENTRE),
    "sessions_app:list": Page((GET,), CENTRE),
    "sessions_app:mass_import": Page((GET,), CENTRE, PRO),
    "sessions_app:mass_import_check": Page((POST,), CENTRE, PRO),
    "sessions_app:mass_import_finalise": Page((POST,), CENTRE, PRO),
    "sessions_app:mass_import_summary": Page((GET,), CENTRE, PRO),
    "sessions_app:mass_import_template_csv": Page((GET,), CENTRE, PRO),
    "sessions_app:mass_import_template_ods": Page((GET,), CENTRE, PRO),
    "set_language": Page((POST,), PUBLIC),
    "team:change_role": Page((POST,), ADMIN),
    "team:documentation": Page((GET,), ACCOUNT),
    "team:invitation": Page((GET, POST), PUBLIC),
    "team:invitation_cancel": Page((POST,), ADMIN),
    "team:invite": Page((POST,), ADMIN),
    "team:referent": Page((POST,), ADMIN),
    "team:remove": Page((POST,), ADMIN),
    "team:team": Page((GET,), CENTRE),
    # The jury's own pages on the admin site (Django's generated ones are below).
    "admin:finalisation_jurycertification_cancel": Page((POST,), STAFF),
    "admin:finalisation_jurycertification_cancel_certificate": Page((GET, POST), STAFF),
    "admin:finalisation_jurycertification_extra_time": Page((GET, POST), STAFF),
    "admin:finalisation_jurycertification_identity": Page((GET, POST), STAFF),
    "admin:finalisation_jurycertification_neutralise": Page((POST,), STAFF),
    "admin:finalisation_jurycertification_reinstate": Page((POST,), STAFF),
    "admin:finalisation_jurycertification_reject_for_fraud": Page((POST,), STAFF),
    "admin:finalisation_jurycertification_resolve": Page((POST,), STAFF),
    "admin:finalisation_jurycertification_restore_certificate": Page((GET, POST), STAFF),
    "admin:finalisation_jurycertification_timeline": Page((GET,), STAFF),
    "admin:finalisation_jurycertification_unneutralise": Page((POST,), STAFF),
    "admin:finalisation_jurysession_publish": Page((POST,), STAFF),
    "admin:finalisation_jurysession_rescore": Page((POST,), STAFF),
    "admin:finalisation_jurysession_take": Page((POST,), STAFF),
    "admin:finalisation_jurysession_unfinalise": Page((POST,), STAFF),
    "admin:finalisation_jurysession_unpublish": Page((POST,), STAFF),
}

# Django's own admin pages (AdminSite and every ModelAdmin's): staff only, by `admin_view`.
DJANGO_ADMIN_SITE = {"admin:index", "admin:password_change", "admin:password_change_done", "admin:autocomplete"}
DJANGO_ADMIN_SITE |= {"admin:jsi18n", "admin:view_on_site", "admin:app_list", "admin:auth_user_password_change"}
DJANGO_ADMIN_PUBLIC = {"admin:login", "admin:logout"}
DJANGO_MODEL_ADMIN = re.compile(r"^admin:\w+_(changelist|add|history|delete|change)$")


def _is_django_admin(name: str) -> bool:
    return name in DJANGO_ADMIN_SITE or name in DJANGO_ADMIN_PUBLIC or bool(DJANGO_MODEL_ADMIN.match(name))


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name, prefix + str(entry.pattern)


ROUTES = sorted(set(_walk(get_resolver().url_patterns)))
SITE = [(name, route) for name, route in ROUTES if not name.startswith("admin:")]
ADMIN_SITE = [(name, route) for name, route in ROUTES if name.startswith("admin:")]
PROTECTED_ADMIN = [r for r in ADMIN_SITE if r[0] not in DJANGO_ADMIN_PUBLIC and "(?P<" not in r[1]]


def test_every_url_has_a_line_in_the_matrix():
    """A new URL must say here which methods it answers and who may open it."""
    missing = {name for name, _ in ROUTES if name not in PAGES and not _is_django_admin(name)}
    assert not missing, f"URLs without a line in PAGES: {sorted(missing)}"
    stale = set(PAGES) - {name for name, _ in ROUTES}
    assert not stale, f"lines of PAGES for URLs that no longer exist: {sorted(stale)}"


def test_the_matrix_walks_the_whole_site():
    """Guard against a resolver walk that silently finds nothing."""
    assert len(SITE) > 80 and len(ADMIN_SITE) > 60
    assert {"sessions_app:detail", "invigilation:session", "admin:finalisation_jurysession_take"} <= set(PAGES)


# ---------------------------------------------------------------- the world: two centres of a kind


def _centre(kind: str, tag: str) -> SimpleNamespace:
    """One centre with one object of every kind a URL can name, all real and consistent."""
    center = CenterFactory(name=f"Centre {tag}", type=kind)
    admin = MembershipFactory(center=center, role=Membership.Role.ADMIN, user__email=f"admin@{tag}.test").user
    member = MembershipFactory(center=center, role=Membership.Role.MEMBER, user__email=f"membre@{tag}.test").user
    colleague = MembershipFactory(center=center, role=Membership.Role.MEMBER)
    session = SessionFactory(center=center)
    challenge = ChallengeFactory()
    certification = CertificationFactory(candidate__session=session, questions=[challenge])
    report = IssueReport.objects.create(certification=certification, code="C1", category="C1", description="Retard")
    alert = LiveAlert.objects.create(
        certification=certification, question_index=0, challenge=challenge, code="E1", created_at=timezone.now()
    )
    attachment = SessionAttachment(
        session=session, kind="attendance_sheet", original_name="scan.pdf", size=8, content_type="application/pdf"
    )
    attachment.file.save("scan.pdf", ContentFile(b"%PDF-1.4"))
    staged = SessionImport.objects.create(
        center=center, created_by=member, filename="import.csv", payload={"sessions": []}, session_count=0,
        empty_session_count=0, candidate_count=0,
    )  # fmt: skip
    invigilator = UserFactory(email=f"surveillant@{tag}.test")
    InvigilatorAccess.objects.create(user=invigilator, session=session)
    ids = {
        "session_id": session.pk,
        "candidate_id": certification.candidate_id,
        "certification_id": certification.pk,
        "report_id": report.pk,
        "alert_id": alert.pk,
        "attachment_id": attachment.pk,
        "student_id": certification.candidate.student_id,
        "membership_id": colleague.pk,
        "invitation_id": InvitationFactory(center=center).pk,
        "import_id": staged.pk,
        # The admin site: the jury's certification and session pages, a question and a report of it.
        "object_id": certification.pk,
        "row_id": certification.challenges.get().pk,
    }
    return SimpleNamespace(
        center=center,
        admin=admin,
        member=member,
        candidate=certification.user,
        invigilator=invigilator,
        ids=ids,
    )


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"

    def build(page: Page) -> tuple[SimpleNamespace, SimpleNamespace]:
        ours, theirs = _centre(page.kind, "nous"), _centre(page.kind, "eux")
        if page.published:
            now = timezone.now()
            Session.objects.update(status=SessionStatus.PUBLISHED, finalized_at=now, published_at=now)
        return ours, theirs

    return build


def _url(route: str, ids: dict, *, query: str = "", **nested: dict) -> str:
    """The URL with every id taken from `ids`, the session's from `nested["session"]` if given."""

    def value(match: re.Match) -> str:
        converter, name = match.group(1) or "str", match.group(2)
        source = nested.get("session", ids) if name == "session_id" else ids
        if name in source and source[name] is not None:
            return str(source[name])
        if converter == "int":
            raise AssertionError(f"no object for <{name}> in {route}: add one to the matrix's world")
        return "x" * 8

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route) + query


def _has_ids(route: str) -> bool:
    return bool(re.search(r"<(?:int|uuid):\w+>", route))


def _persona(side: SimpleNamespace, page: Page):
    return {
        CANDIDATE: side.candidate,
        ACCOUNT: side.member,
        CENTRE: side.member,
        ADMIN: side.admin,
        INVIGILATOR: side.invigilator,
        DAY_DOCUMENT: side.invigilator,
    }[page.access]


def _send(client, method: str, url: str):
    return getattr(client, method.lower())(url)


def _routes(*accesses: str, with_ids: bool | None = None) -> list[tuple[str, str]]:
    chosen = [r for r in ROUTES if r[0] in PAGES and PAGES[r[0]].access in accesses]
    if with_ids is not None:
        chosen = [r for r in chosen if _has_ids(r[1]) == with_ids]
    return chosen


# ---------------------------------------------------------------- anonymous visitors


@pytest.mark.parametrize(
    ("name", "route"), _routes(ACCOUNT, CANDIDATE, CENTRE, ADMIN, INVIGILATOR, DAY_DOCUMENT), ids=str
)
def test_anonymous_visitors_are_sent_to_the_login_page(client, world, name, route):
    ours, _theirs = world(PAGES[name])
    url = _url(route, ours.ids)
    for method in PAGES[name].methods:
        response = _send(client, method, url)
        assert response.status_code == 302, f"{method} {name} {url} answered {response.status_code}"
        assert response["Location"].startswith("/connexion?next="), f"{name} → {response['Location']}"


@pytest.mark.parametrize(("name", "route"), PROTECTED_ADMIN, ids=str)
def test_the_admin_site_sends_anonymous_visitors_and_centre_admins_to_its_login(client, world, name, route):
    ours, _theirs = world(Page((GET,), STAFF))
    url = _url(route, ours.ids)
    for account in (None, ours.admin):
        if account is not None:
            client.force_login(account)
        response = client.get(url)
        assert response.status_code == 302, f"{name} {url} answered {response.status_code}"
        assert response["Location"].startswith("/admin/login/?next="), f"{name} → {response['Location']}"


# ---------------------------------------------------------------- another centre's objects: 404


@pytest.mark.parametrize(("name", "route"), _routes(CENTRE, ADMIN, DAY_DOCUMENT, with_ids=True), ids=str)
def test_a_member_of_another_centre_gets_a_404_on_our_objects(client, world, name, route):
    ours, theirs = world(PAGES[name])
    client.force_login(theirs.admin)
    url = _url(route, ours.ids)
    for method in PAGES[name].methods:
        response = _send(client, method, url)
        assert response.status_code == 404, f"{method} {name} {url} answered {response.status_code}"


@pytest.mark.parametrize(("name", "route"), _routes(CANDIDATE, with_ids=True), ids=str)
def test_another_candidate_gets_a_404_on_our_candidates_test(client, world, name, route):
    ours, theirs = world(PAGES[name])
    client.force_login(theirs.candidate)
    url = _url(route, ours.ids)
    for method in PAGES[name].methods:
        response = _send(client, method, url)
        assert response.status_code == 404, f"{method} {name} {url} answered {response.status_code}"


NESTED = [
    r
    for r in _routes(CENTRE, ADMIN, CANDIDATE, INVIGILATOR, DAY_DOCUMENT, with_ids=True)
    if _has_ids(r[1].replace("<int:session_id>", ""))
]


@pytest.mark.parametrize(("name", "route"), NESTED, ids=str)
def test_our_session_with_another_centres_nested_objects_is_a_404(client, world, name, route):
    """Our own persona, our session in the URL, every other id a real object of another centre."""
    page = PAGES[name]
    ours, theirs = world(page)
    persona = _persona(ours, page)
    client.force_login(persona)
    url = _url(route, theirs.ids, session=ours.ids)
    for method in page.methods:
        response = _send(client, method, url)
        if page.gone_is_done:
            assert response.status_code == 302, f"{method} {name} {url} answered {response.status_code}"
            assert response["Location"].startswith(f"/sessions/{ours.ids['session_id']}/finalisation")
        else:
            assert response.status_code == 404, f"{method} {name} {url} answered {response.status_code}"
    assert IssueReport.objects.filter(pk=theirs.ids["report_id"]).exists()
    assert SessionAttachment.objects.filter(pk=theirs.ids["attachment_id"]).exists()


@pytest.mark.parametrize(("name", "route"), _routes(INVIGILATOR), ids=str)
def test_an_account_without_invigilator_access_is_sent_to_the_entry_form(client, world, name, route):
    ours, theirs = world(PAGES[name])
    client.force_login(theirs.invigilator)  # entered their session, not ours
    url = _url(route, ours.ids)
    for method in PAGES[name].methods:
        response = _send(client, method, url)
        assert response.status_code == 302, f"{method} {name} {url} answered {response.status_code}"
        assert response["Location"].startswith("/connexion-espace-surveillant"), response["Location"]


@pytest.mark.parametrize(("name", "route"), _routes(DAY_DOCUMENT), ids=str)
def test_another_sessions_invigilator_gets_a_404_on_the_days_documents(client, world, name, route):
    ours, theirs = world(PAGES[name])
    client.force_login(theirs.invigilator)
    response = client.get(_url(route, ours.ids))
    assert response.status_code == 404


# ---------------------------------------------------------------- methods: 405


def _method_persona(page: Page, ours: SimpleNamespace, staff: object):
    if page.access == STAFF:
        return staff
    if page.access == PUBLIC:
        return None
    return _persona(ours, page)


@pytest.mark.parametrize(("name", "route"), [r for r in ROUTES if r[0] in PAGES], ids=str)
def test_a_method_the_page_does_not_answer_is_a_405(client, world, name, route):
    page = PAGES[name]
    ours, _theirs = world(page)
    persona = _method_persona(page, ours, UserFactory(is_staff=True))
    if persona is not None:
        client.force_login(persona)
    url = _url(route, ours.ids)
    for method in ({GET, POST} - set(page.methods)) | set(OTHER_METHODS):
        response = _send(client, method, url)
        assert response.status_code == 405, f"{method} {name} {url} answered {response.status_code}"


@pytest.mark.parametrize(("name", "route"), [r for r in ROUTES if r[0] in PAGES], ids=str)
def test_a_method_the_page_answers_is_not_a_405(client, world, name, route):
    page = PAGES[name]
    ours, _theirs = world(page)
    persona = _method_persona(page, ours, UserFactory(is_staff=True))
    for method in page.methods:
        if persona is not None:
            client.force_login(persona)  # a POST may log out (logout) or switch the centre
        response = _send(client, method, _url(route, ours.ids))
        assert response.status_code != 405, f"{method} {name} answered 405"


# ---------------------------------------------------------------- member versus admin: 403


@pytest.mark.parametrize(("name", "route"), _routes(ADMIN), ids=str)
def test_a_member_gets_a_403_on_an_admin_only_page(client, world, name, route):
    ours, _theirs = world(PAGES[name])
    client.force_login(ours.member)
    url = _url(route, ours.ids)
    for method in PAGES[name].methods:
        response = _send(client, method, url)
        assert response.status_code == 403, f"{method} {name} {url} answered {response.status_code}"


@pytest.mark.parametrize(("name", "route"), _routes(CENTRE), ids=str)
def test_a_member_is_let_in_on_every_other_centre_page(client, world, name, route):
    ours, _theirs = world(PAGES[name])
    client.force_login(ours.member)
    url = _url(route, ours.ids, query=PAGES[name].query)
    for method in PAGES[name].methods:
        response = _send(client, method, url)
        assert response.status_code not in (403, 404, 405), f"{method} {name} {url} answered {response.status_code}"
        assert not response.get("Location", "").startswith("/connexion"), f"{name} → {response['Location']}"
