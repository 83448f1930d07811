"""The team services refuse on their own, whatever view calls them."""

import pytest

from pixcertif.accounts.models import Membership
from pixcertif.accounts.services import (
    invitation_accept,
    invitation_cancel,
    invitation_send,
    membership_change_role,
    membership_remove,
)
from pixcertif.core.errors import DomainError
from tests.factories import InvitationFactory, MembershipFactory, UserFactory


def test_a_member_cannot_send_invitations(center, member_user):
    with pytest.raises(DomainError) as error:
        invitation_send(center=center, emails=["x@example.org"], by=member_user)
    assert error.value.code == "not_admin"


def test_an_admin_of_another_centre_cannot_cancel_an_invitation(center, stranger_user):
    with pytest.raises(DomainError) as error:
        invitation_cancel(invitation=InvitationFactory(center=center), by=stranger_user)
    assert error.value.code == "not_admin"


def test_an_unknown_role_is_refused(center, admin_user):
    with pytest.raises(DomainError) as error:
        invitation_send(center=center, emails=["x@example.org"], role="OWNER", by=admin_user)
    assert error.value.code == "invalid_role"


def test_duplicate_addresses_are_invited_once(center, admin_user):
    outcome = invitation_send(center=center, emails=["x@example.org", "X@example.org"], by=admin_user)
    assert outcome.invited == ["x@example.org"]


def test_the_last_admin_cannot_be_demoted(center, admin_user):
    membership = Membership.objects.get(user=admin_user)
    with pytest.raises(DomainError) as error:
        membership_change_role(membership=membership, role=Membership.Role.MEMBER, by=admin_user)
    assert error.value.code == "last_admin"


def test_the_last_admin_cannot_be_removed(center, admin_user):
    with pytest.raises(DomainError) as error:
        membership_remove(membership=Membership.objects.get(user=admin_user), by=admin_user)
    assert error.value.code == "last_admin"


def test_a_member_cannot_remove_anybody(center, admin_user, member_user):
    with pytest.raises(DomainError) as error:
        membership_remove(membership=Membership.objects.get(user=admin_user), by=member_user)
    assert error.value.code == "not_admin"


def test_setting_the_same_role_changes_nothing(center, admin_user, member_user):
    membership = Membership.objects.get(user=member_user)
    assert membership_change_role(membership=membership, role="MEMBER", by=admin_user).role == "MEMBER"


def test_removing_an_already_removed_member_is_harmless(center, admin_user):
    membership = MembershipFactory(center=center)
    membership_remove(membership=membership, by=admin_user)
    membership_remove(membership=membership, by=admin_user)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_cancelled_invitation_cannot_be_accepted(center, admin_user):
    invitation = InvitationFactory(center=center)
    invitation_cancel(invitation=invitation, by=admin_user)
    with pytest.raises(DomainError) as error:
        invitation_accept(invitation=invitation, by=UserFactory())
    assert error.value.code == "invitation_cancelled"


def test_an_expired_invitation_cannot_be_accepted(center, time_machine):
    time_machine.move_to("2026-05-01 12:00 +02:00")
    invitation = InvitationFactory(center=center)
    time_machine.move_to("2026-05-08 12:00 +02:00")
    with pytest.raises(DomainError) as error:
        invitation_accept(invitation=invitation, by=UserFactory())
    assert error.value.code == "invitation_expired"


def test_a_used_invitation_cannot_be_accepted_by_somebody_else(center):
    invitation = InvitationFactory(center=center)
    invitation_accept(invitation=invitation, by=UserFactory())
    with pytest.raises(DomainError) as error:
        invitation_accept(invitation=invitation, by=UserFactory())
    assert error.value.code == "invitation_used"
