"""The link of the invitation e-mail: log in or sign up, then join the centre."""

from html import unescape

import pytest

from pixcertif.accounts.models import Invitation, Membership
from pixcertif.core.models import AuditEvent
from tests.factories import InvitationFactory, MembershipFactory, UserFactory


def page_text(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def invitation(center, admin_user):
    return InvitationFactory(center=center, email="nouveau@example.org", invited_by=admin_user)


def test_an_anonymous_visitor_is_offered_to_log_in_or_create_an_account(client, invitation):
    response = client.get(f"/invitation/{invitation.token}")
    page = page_text(response)
    assert response.status_code == 200
    assert "Invitation à rejoindre Collège Jean Moulin" in page
    assert f'href="/connexion?next=/invitation/{invitation.token}"' in page
    assert f'href="/inscription?next=/invitation/{invitation.token}&email=nouveau%40example.org"' in page


def test_opening_the_link_changes_nothing(client, invitation):
    client.force_login(UserFactory())
    client.get(f"/invitation/{invitation.token}")
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    assert Membership.objects.filter(center=invitation.center).count() == 1


def test_a_logged_in_account_joins_the_centre_with_the_invited_role(client, invitation, center):
    invitation.role = Membership.Role.ADMIN
    invitation.save()
    user = UserFactory()
    client.force_login(user)
    response = client.post(f"/invitation/{invitation.token}")
    assert response["Location"] == "/sessions/liste"
    assert Membership.objects.get(center=center, user=user).role == Membership.Role.ADMIN
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_by == user
    assert AuditEvent.objects.filter(action="invitation_accept", actor=user, center=center).exists()


def test_joining_makes_the_new_centre_the_current_one(client, invitation, pro_center, admin_user, pro_admin_user):
    user = MembershipFactory(center=pro_center).user
    client.force_login(user)
    assert pro_admin_user.email in page_text(client.get("/equipe"))
    client.post(f"/invitation/{invitation.token}")
    page = page_text(client.get("/equipe"))
    assert admin_user.email in page
    assert pro_admin_user.email not in page


def test_accepting_twice_is_harmless(client, invitation, center):
    user = UserFactory()
    client.force_login(user)
    client.post(f"/invitation/{invitation.token}")
    response = client.post(f"/invitation/{invitation.token}")
    assert response["Location"] == "/sessions/liste"
    assert Membership.objects.filter(center=center, user=user).count() == 1


def test_an_anonymous_post_is_sent_to_the_login_page(client, invitation):
    response = client.post(f"/invitation/{invitation.token}")
    assert response["Location"] == f"/connexion?next=/invitation/{invitation.token}"
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_an_expired_link_says_so(client, center, time_machine):
    time_machine.move_to("2026-03-01 09:00 +01:00")
    invitation = InvitationFactory(center=center)
    time_machine.move_to("2026-03-08 09:00 +01:00")
    client.force_login(UserFactory())
    response = client.post(f"/invitation/{invitation.token}")
    assert response.status_code == 410
    assert "Cette invitation a expiré" in page_text(response)
    assert Membership.objects.filter(center=center).count() == 0


def test_a_link_is_still_valid_just_before_seven_days(client, center, time_machine):
    time_machine.move_to("2026-03-01 09:00 +01:00")
    invitation = InvitationFactory(center=center)
    time_machine.move_to("2026-03-08 08:59 +01:00")
    assert client.get(f"/invitation/{invitation.token}").status_code == 200


def test_a_cancelled_link_says_so(client, invitation):
    invitation.status = Invitation.Status.CANCELLED
    invitation.save()
    response = client.get(f"/invitation/{invitation.token}")
    assert response.status_code == 410
    assert "Cette invitation a été annulée" in page_text(response)


def test_a_used_link_says_so_to_somebody_else(client, invitation, center):
    first = UserFactory()
    client.force_login(first)
    client.post(f"/invitation/{invitation.token}")
    second = UserFactory()
    client.force_login(second)
    response = client.post(f"/invitation/{invitation.token}")
    assert response.status_code == 410
    assert "Cette invitation a déjà été utilisée." in page_text(response)
    assert not Membership.objects.filter(center=center, user=second).exists()


def test_a_removed_member_cannot_come_back_with_the_old_link(client, invitation, center):
    user = UserFactory()
    client.force_login(user)
    client.post(f"/invitation/{invitation.token}")
    Membership.objects.filter(center=center, user=user).delete()
    response = client.post(f"/invitation/{invitation.token}")
    assert response.status_code == 410
    assert not Membership.objects.filter(center=center, user=user).exists()


def test_a_current_member_keeps_their_role_and_uses_up_the_invitation(client, invitation, member_user, center):
    invitation.role = Membership.Role.ADMIN
    invitation.save()
    client.force_login(member_user)
    response = client.post(f"/invitation/{invitation.token}", follow=True)
    assert "Vous êtes déjà membre du centre" in page_text(response)
    assert Membership.objects.get(center=center, user=member_user).role == Membership.Role.MEMBER
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED


def test_an_unknown_link_is_a_404_with_a_french_message(client, db):
    response = client.get("/invitation/nimporte-quoi")
    assert response.status_code == 404
    assert "Ce lien d'invitation n'est pas valide." in page_text(response)


def test_an_account_that_must_accept_the_terms_sees_them_first(client, invitation):
    client.force_login(UserFactory(cgu_accepted_at=None))
    response = client.get(f"/invitation/{invitation.token}")
    assert response["Location"] == f"/cgu?next=%2Finvitation%2F{invitation.token}"


def test_signing_up_from_the_link_comes_back_to_it(client, invitation, center):
    response = client.post(
        f"/inscription?next=/invitation/{invitation.token}",
        {
            "first_name": "Nina",
            "last_name": "Nouveau",
            "email": "nouveau@example.org",
            "password": "un-mot-de-passe-solide",
            "cgu": "on",
            "next": f"/invitation/{invitation.token}",
        },
    )
    assert response["Location"] == f"/invitation/{invitation.token}"
    assert client.post(response["Location"])["Location"] == "/sessions/liste"
    assert Membership.objects.filter(center=center, user__email="nouveau@example.org").exists()


def test_logging_in_from_the_link_comes_back_to_it(client, invitation):
    UserFactory(email="nouveau@example.org")
    response = client.post(
        "/connexion",
        {"username": "nouveau@example.org", "password": "pixcertif", "next": f"/invitation/{invitation.token}"},
    )
    assert response["Location"] == f"/invitation/{invitation.token}"
