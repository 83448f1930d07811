import io

import pytest
from django.core.management import call_command


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def test_the_demo_admin_logs_in_and_lands_on_the_sessions_page(demo, live_server, page, login):
    login(page, "admin@college.example")
    assert page.url == f"{live_server.url}/sessions/liste"
    assert page.get_by_role("heading", level=1).inner_text() == "Sessions de certification"


def test_the_login_page_has_no_accessibility_violation(live_server, page, assert_accessible, db):
    page.goto(f"{live_server.url}/connexion")
    assert_accessible(page)
