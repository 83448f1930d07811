"""Browser journeys of the accounts feature: inviting a colleague, and accessibility of its pages."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from pixcertif.accounts.models import Invitation, Membership
from tests.factories import CenterFactory, InvitationFactory, MembershipFactory


@pytest.fixture
def college(transactional_db):
    center = CenterFactory(name="Collège Victor Hugo")
    MembershipFactory(center=center, role=Membership.Role.ADMIN, user__email="admin@hugo.test", user__first_name="Anne")
    return center


def test_an_admin_invites_a_colleague_who_signs_up_from_the_link_and_lands_as_a_member(
    college, live_server, page, login
):
    login(page, "admin@hugo.test")
    page.get_by_role("link", name="Équipe").first.click()
    page.get_by_label("Adresses e-mail des personnes à inviter").fill("nina@hugo.test")
    page.get_by_role("button", name="Inviter", exact=True).click()
    expect(page.get_by_text("Une invitation a été envoyée à nina@hugo.test.")).to_be_visible()
    expect(page.get_by_role("cell", name="nina@hugo.test", exact=True)).to_be_visible()

    link = re.search(r"https?://\S+(/invitation/\S+)", mail.outbox[-1].body).group(1)
    page.get_by_role("button", name="Se déconnecter").click()

    page.goto(live_server.url + link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitation à rejoindre Collège Victor Hugo")
    page.get_by_role("link", name="Créer un compte").click()
    expect(page.get_by_label("Adresse e-mail")).to_have_value("nina@hugo.test")
    page.get_by_label("Prénom").fill("Nina")
    page.get_by_label("Nom", exact=True).fill("Simone")
    page.get_by_label("Mot de passe").fill("un-mot-de-passe-solide")
    page.get_by_label("J'accepte les conditions générales d'utilisation de Pix Certif").check()
    page.get_by_role("button", name="Créer mon compte").click()

    expect(page).to_have_url(live_server.url + link)
    page.get_by_role("button", name="Rejoindre le centre").click()
    expect(page).to_have_url(f"{live_server.url}/sessions/liste")
    expect(page.get_by_text("Vous avez rejoint le centre Collège Victor Hugo.")).to_be_visible()
    membership = Membership.objects.get(user__email="nina@hugo.test")
    assert membership.center == college
    assert membership.role == Membership.Role.MEMBER
    assert Invitation.objects.get(email="nina@hugo.test").status == Invitation.Status.ACCEPTED


def test_the_signup_page_has_no_accessibility_violation(live_server, page, assert_accessible, transactional_db):
    page.goto(f"{live_server.url}/inscription")
    page.get_by_role("button", name="Créer mon compte").click()  # with its error messages shown
    expect(page.get_by_text("Veuillez indiquer votre prénom.")).to_be_visible()
    assert_accessible(page)


def test_the_team_page_of_an_admin_with_pending_invitations_has_no_accessibility_violation(
    college, live_server, page, login, assert_accessible
):
    MembershipFactory(center=college, user__email="membre@hugo.test")
    InvitationFactory(center=college, email="attente@hugo.test")
    login(page, "admin@hugo.test")
    page.goto(f"{live_server.url}/equipe")
    expect(page.get_by_role("cell", name="attente@hugo.test", exact=True)).to_be_visible()
    assert_accessible(page)


def test_the_documentation_has_no_accessibility_violation(college, live_server, page, login, assert_accessible):
    login(page, "admin@hugo.test")
    page.goto(f"{live_server.url}/documentation")
    expect(page.get_by_role("heading", level=1)).to_have_text("Documentation")
    assert_accessible(page)
