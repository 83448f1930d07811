"""The team page: members, invitations, roles, removal, and who may do what."""

import re
from html import unescape

import pytest
from django.core import mail

from pixcertif.accounts.models import Invitation, Membership
from pixcertif.core.models import AuditEvent
from tests.factories import InvitationFactory, MembershipFactory


def page_text(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def member_membership(center, member_user):
    return Membership.objects.get(center=center, user=member_user)


@pytest.fixture
def admin_membership(center, admin_user):
    return Membership.objects.get(center=center, user=admin_user)


# --- the list -------------------------------------------------------------------------------


def test_the_team_lists_the_members_of_the_current_centre(center_admin_client, member_user):
    page = page_text(center_admin_client.get("/equipe"))
    for heading in ("Nom", "Prénom", "Adresse e-mail", "Rôle"):
        assert f'<th scope="col">{heading}</th>' in page
    assert member_user.last_name in page
    assert member_user.email in page
    assert "Administrateur" in page


def test_the_team_does_not_show_members_of_another_centre(center_admin_client, stranger_user):
    assert stranger_user.email not in center_admin_client.get("/equipe").content.decode()


def test_a_member_sees_the_list_but_no_invitation_form_nor_actions(center_member_client, admin_user, center):
    InvitationFactory(center=center, email="attente@example.org")
    page = page_text(center_member_client.get("/equipe"))
    assert admin_user.email in page
    assert "Inviter des membres" not in page
    assert "attente@example.org" not in page
    assert "Retirer" not in page


def test_an_admin_sees_pending_invitations_only(center_admin_client, center):
    InvitationFactory(center=center, email="attente@example.org")
    InvitationFactory(center=center, email="annulee@example.org", status=Invitation.Status.CANCELLED)
    page = page_text(center_admin_client.get("/equipe"))
    assert "attente@example.org" in page
    assert "annulee@example.org" not in page


def test_the_team_page_runs_a_constant_number_of_queries(center_admin_client, center, django_assert_max_num_queries):
    for _ in range(15):
        MembershipFactory(center=center)
        InvitationFactory(center=center)
    with django_assert_max_num_queries(12):
        assert center_admin_client.get("/equipe").status_code == 200


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, db):
    assert client.get("/equipe")["Location"] == "/connexion?next=/equipe"


def test_an_account_of_no_centre_is_refused(client, invigilator_user):
    client.force_login(invigilator_user)
    assert client.get("/equipe").status_code == 403


# --- inviting -------------------------------------------------------------------------------


def test_an_admin_invites_several_addresses_at_once(center_admin_client, center):
    response = center_admin_client.post(
        "/equipe/invitations",
        {"emails": "un@example.org, Deux@example.org\ntrois@example.org  quatre@example.org", "role": "MEMBER"},
    )
    assert response["Location"] == "/equipe"
    emails = set(Invitation.objects.filter(center=center, status="pending").values_list("email", flat=True))
    assert emails == {"un@example.org", "deux@example.org", "trois@example.org", "quatre@example.org"}
    assert sorted(message.to[0] for message in mail.outbox) == sorted(emails)


def test_the_invitation_email_carries_the_link_and_the_centre(center_admin_client, center):
    center_admin_client.post("/equipe/invitations", {"emails": "un@example.org", "role": "MEMBER"})
    invitation = Invitation.objects.get(email="un@example.org")
    message = mail.outbox[0]
    assert center.name in message.subject
    assert f"/invitation/{invitation.token}" in message.body
    assert "7 jours" in message.body


def test_an_admin_may_invite_an_administrator(center_admin_client, center):
    center_admin_client.post("/equipe/invitations", {"emails": "chef@example.org", "role": "ADMIN"})
    assert Invitation.objects.get(email="chef@example.org").role == "ADMIN"


def test_an_invalid_address_is_a_field_error_naming_it_and_nothing_is_sent(center_admin_client, center):
    response = center_admin_client.post(
        "/equipe/invitations", {"emails": "bon@example.org, pas-une-adresse", "role": "MEMBER"}
    )
    assert response.status_code == 200
    assert response.context["invite_form"].has_error("emails", "invalid_email")
    assert "« pas-une-adresse »" in page_text(response)
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_empty_invitation_is_a_field_error(center_admin_client):
    response = center_admin_client.post("/equipe/invitations", {"emails": " , \n", "role": "MEMBER"})
    assert response.context["invite_form"].has_error("emails")
    assert not Invitation.objects.exists()


def test_an_unknown_role_is_a_field_error(center_admin_client):
    response = center_admin_client.post("/equipe/invitations", {"emails": "un@example.org", "role": "OWNER"})
    assert response.context["invite_form"].has_error("role")
    assert not Invitation.objects.exists()


def test_inviting_a_current_member_says_so_and_sends_nothing(center_admin_client, member_user):
    response = center_admin_client.post(
        "/equipe/invitations", {"emails": member_user.email.upper(), "role": "MEMBER"}, follow=True
    )
    assert f"{member_user.email} est déjà membre du centre" in page_text(response)
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_inviting_an_already_invited_address_sends_the_same_invitation_again(center_admin_client, center):
    first = InvitationFactory(center=center, email="attente@example.org")
    response = center_admin_client.post(
        "/equipe/invitations", {"emails": "attente@example.org", "role": "MEMBER"}, follow=True
    )
    assert "était déjà en attente pour attente@example.org : elle a été renvoyée" in page_text(response)
    assert list(Invitation.objects.filter(center=center)) == [first]
    assert f"/invitation/{first.token}" in mail.outbox[0].body


def test_inviting_again_after_expiry_replaces_the_expired_invitation(center_admin_client, center, time_machine):
    time_machine.move_to("2026-01-01 10:00 +01:00")
    old = InvitationFactory(center=center, email="tard@example.org")
    time_machine.move_to("2026-01-09 10:00 +01:00")
    center_admin_client.post("/equipe/invitations", {"emails": "tard@example.org", "role": "MEMBER"})
    old.refresh_from_db()
    assert old.status == Invitation.Status.CANCELLED
    new = Invitation.objects.get(email="tard@example.org", status="pending")
    assert f"/invitation/{new.token}" in mail.outbox[0].body


def test_an_invitation_is_recorded_in_the_audit_trail(center_admin_client, admin_user, center):
    center_admin_client.post("/equipe/invitations", {"emails": "un@example.org", "role": "MEMBER"})
    event = AuditEvent.objects.get(action="invitation_send")
    assert event.actor == admin_user
    assert event.center == center
    assert event.data["email"] == "un@example.org"


# --- cancelling -----------------------------------------------------------------------------


def test_an_admin_cancels_a_pending_invitation(center_admin_client, center):
    invitation = InvitationFactory(center=center)
    response = center_admin_client.post(f"/equipe/invitations/{invitation.pk}/annulation")
    assert response["Location"] == "/equipe"
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.CANCELLED
    assert AuditEvent.objects.filter(action="invitation_cancel", center=center).exists()


def test_cancelling_twice_is_harmless(center_admin_client, center):
    invitation = InvitationFactory(center=center)
    center_admin_client.post(f"/equipe/invitations/{invitation.pk}/annulation")
    response = center_admin_client.post(f"/equipe/invitations/{invitation.pk}/annulation")
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="invitation_cancel").count() == 1


def test_an_accepted_invitation_cannot_be_cancelled(center_admin_client, center):
    invitation = InvitationFactory(center=center, status=Invitation.Status.ACCEPTED)
    response = center_admin_client.post(f"/equipe/invitations/{invitation.pk}/annulation", follow=True)
    assert "Cette invitation a déjà été acceptée" in page_text(response)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED


# --- roles ----------------------------------------------------------------------------------


def test_an_admin_makes_a_member_an_administrator(center_admin_client, member_membership):
    response = center_admin_client.post(f"/equipe/membres/{member_membership.pk}/role", {"role": "ADMIN"})
    assert response["Location"] == "/equipe"
    member_membership.refresh_from_db()
    assert member_membership.role == "ADMIN"
    event = AuditEvent.objects.get(action="membership_change_role")
    assert event.data["previous"] == "MEMBER"


def test_the_last_administrator_cannot_be_made_a_member(center_admin_client, admin_membership):
    response = center_admin_client.post(f"/equipe/membres/{admin_membership.pk}/role", {"role": "MEMBER"}, follow=True)
    assert "Le centre doit garder au moins un administrateur" in page_text(response)
    admin_membership.refresh_from_db()
    assert admin_membership.role == "ADMIN"


def test_an_administrator_may_step_down_when_another_one_remains(center_admin_client, admin_membership, center):
    MembershipFactory(center=center, role="ADMIN")
    center_admin_client.post(f"/equipe/membres/{admin_membership.pk}/role", {"role": "MEMBER"})
    admin_membership.refresh_from_db()
    assert admin_membership.role == "MEMBER"
    assert (
        center_admin_client.post("/equipe/invitations", {"emails": "x@example.org", "role": "MEMBER"}).status_code
        == 403
    )


def test_an_unknown_role_is_refused_with_a_message(center_admin_client, member_membership):
    response = center_admin_client.post(f"/equipe/membres/{member_membership.pk}/role", {"role": "ROI"}, follow=True)
    assert "Ce rôle n'existe pas." in page_text(response)
    member_membership.refresh_from_db()
    assert member_membership.role == "MEMBER"


# --- removal --------------------------------------------------------------------------------


def test_an_admin_removes_a_member(center_admin_client, member_membership, member_user):
    response = center_admin_client.post(f"/equipe/membres/{member_membership.pk}/retrait", follow=True)
    assert "a été retiré(e) du centre" in page_text(response)
    assert not Membership.objects.filter(pk=member_membership.pk).exists()
    assert AuditEvent.objects.get(action="membership_remove").data["user_email"] == member_user.email


def test_the_last_administrator_cannot_be_removed(center_admin_client, admin_membership):
    response = center_admin_client.post(f"/equipe/membres/{admin_membership.pk}/retrait", follow=True)
    assert "Impossible de retirer le dernier administrateur du centre" in page_text(response)
    assert Membership.objects.filter(pk=admin_membership.pk).exists()


def test_an_administrator_who_leaves_goes_to_their_landing_page(center_admin_client, admin_membership, center):
    MembershipFactory(center=center, role="ADMIN")
    response = center_admin_client.post(f"/equipe/membres/{admin_membership.pk}/retrait")
    assert response["Location"] == "/"
    assert not Membership.objects.filter(pk=admin_membership.pk).exists()


# --- the permission matrix ------------------------------------------------------------------

ADMIN_ACTIONS = [
    ("invite", lambda objs: "/equipe/invitations", {"emails": "x@example.org", "role": "MEMBER"}),
    ("cancel", lambda objs: f"/equipe/invitations/{objs['invitation'].pk}/annulation", {}),
    ("role", lambda objs: f"/equipe/membres/{objs['membership'].pk}/role", {"role": "ADMIN"}),
    ("remove", lambda objs: f"/equipe/membres/{objs['membership'].pk}/retrait", {}),
]


@pytest.fixture
def objs(center, member_membership):
    return {"invitation": InvitationFactory(center=center), "membership": member_membership}


@pytest.mark.parametrize(("name", "url", "data"), ADMIN_ACTIONS, ids=[a[0] for a in ADMIN_ACTIONS])
def test_a_member_is_refused_admin_actions(center_member_client, objs, name, url, data):
    assert center_member_client.post(url(objs), data).status_code == 403
    assert Membership.objects.filter(pk=objs["membership"].pk, role="MEMBER").exists()
    assert Invitation.objects.filter(status="pending").count() == 1


@pytest.mark.parametrize(("name", "url", "data"), ADMIN_ACTIONS[1:], ids=[a[0] for a in ADMIN_ACTIONS[1:]])
def test_another_centres_ids_are_a_404(stranger_client, objs, name, url, data):
    assert stranger_client.post(url(objs), data).status_code == 404
    assert Membership.objects.filter(pk=objs["membership"].pk, role="MEMBER").exists()
    assert Invitation.objects.filter(status="pending").count() == 1


@pytest.mark.parametrize(("name", "url", "data"), ADMIN_ACTIONS, ids=[a[0] for a in ADMIN_ACTIONS])
def test_a_get_on_an_admin_action_is_a_405(center_admin_client, objs, name, url, data):
    assert center_admin_client.get(url(objs)).status_code == 405


@pytest.mark.parametrize(("name", "url", "data"), ADMIN_ACTIONS, ids=[a[0] for a in ADMIN_ACTIONS])
def test_an_anonymous_post_is_sent_to_the_login_page(client, objs, name, url, data):
    response = client.post(url(objs), data)
    assert response["Location"] == f"/connexion?next={url(objs)}"


def test_the_invitation_link_in_the_page_is_never_shown(center_admin_client, center):
    invitation = InvitationFactory(center=center)
    assert not re.search(invitation.token, center_admin_client.get("/equipe").content.decode())


def test_the_login_redirect_keeps_the_whole_query_string(client, db):
    assert client.get("/equipe?a=1&b=2")["Location"] == "/connexion?next=/equipe%3Fa%3D1%26b%3D2"


def test_when_the_mail_server_is_down_nothing_is_saved_and_the_admin_is_told(center_admin_client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # nothing listens on the discard port here
    settings.EMAIL_TIMEOUT = 2
    response = center_admin_client.post("/equipe/invitations", {"emails": "un@example.org", "role": "MEMBER"})
    assert response.status_code == 200
    assert "n'a pas pu être envoyé" in page_text(response)
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.filter(action="invitation_send").exists()
