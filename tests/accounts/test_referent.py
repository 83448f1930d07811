"""The centre's "Référent Pix": designated on the team page, shown with a badge, gets the results
e-mail of every published session, and cannot leave the team while referent."""

import pytest
from django.core import mail

from finalisation.jury.resolution import auto_resolve_reports
from finalisation.jury.services import session_publish
from pixcertif.accounts.models import Membership
from pixcertif.accounts.services import center_designate_referent, membership_remove
from pixcertif.core.errors import DomainError
from pixcertif.core.models import AuditEvent
from tests.factories import CenterFactory, MembershipFactory, SessionFactory
from tests.finalisation.builders import mark_finalised, take_test

TEAM = "/equipe"
REFERENT = "/equipe/referent"


@pytest.fixture
def member(center, member_user):
    return Membership.objects.get(center=center, user=member_user)


@pytest.fixture
def admin_membership(center, admin_user):
    return Membership.objects.get(center=center, user=admin_user)


def test_an_admin_designates_a_referent(center_admin_client, member):
    response = center_admin_client.post(REFERENT, {"membership": member.pk})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_referent
    event = AuditEvent.objects.get(action="center.referent_designate")
    assert (event.data["user_email"], event.data["previous"]) == (member.user.email, "")


def test_the_team_page_offers_to_designate_then_to_change_the_referent(center_admin_client, member):
    body = center_admin_client.get(TEAM).content.decode()
    assert "Désigner un référent" in body and "Changer de référent" not in body
    center_admin_client.post(REFERENT, {"membership": member.pk})
    body = center_admin_client.get(TEAM).content.decode()
    assert "Changer de référent" in body and 'class="badge badge-success">Référent Pix</span>' in body


def test_changing_the_referent_leaves_one_referent(center_admin_client, member, admin_membership):
    center_admin_client.post(REFERENT, {"membership": member.pk})
    center_admin_client.post(REFERENT, {"membership": admin_membership.pk})
    assert list(Membership.objects.filter(is_referent=True)) == [admin_membership]
    assert AuditEvent.objects.filter(action="center.referent_designate").first().data["previous"] == member.user.email


def test_a_member_of_another_centre_cannot_be_designated(center_admin_client, center):
    other = MembershipFactory(center=CenterFactory())
    response = center_admin_client.post(REFERENT, {"membership": other.pk})
    assert response.status_code == 400
    assert "Le référent doit être un membre de l&#x27;équipe du centre." in response.content.decode()
    other.refresh_from_db()
    assert not other.is_referent and not Membership.objects.filter(is_referent=True).exists()


@pytest.mark.parametrize("value", ["", "999999", "abc"])
def test_a_non_member_cannot_be_designated(center_admin_client, center, value):
    response = center_admin_client.post(REFERENT, {"membership": value})
    assert response.status_code == 400
    assert not Membership.objects.filter(is_referent=True).exists()


def test_the_service_refuses_a_membership_of_another_centre(center, admin_user):
    other = MembershipFactory(center=CenterFactory())
    with pytest.raises(DomainError) as error:
        center_designate_referent(center=center, membership=other, by=admin_user)
    assert error.value.code == "not_a_member"


def test_a_member_who_is_not_admin_cannot_designate(center_member_client, member):
    assert center_member_client.post(REFERENT, {"membership": member.pk}).status_code == 403
    member.refresh_from_db()
    assert not member.is_referent


def test_a_member_sees_the_referent_but_no_form(center_member_client, member, admin_user, center):
    center_designate_referent(center=center, membership=member, by=admin_user)
    body = center_member_client.get(TEAM).content.decode()
    assert "Référent actuel" in body and REFERENT not in body


def test_the_referent_cannot_be_removed_before_another_is_designated(center, admin_user, member):
    center_designate_referent(center=center, membership=member, by=admin_user)
    with pytest.raises(DomainError) as error:
        membership_remove(membership=member, by=admin_user)
    assert error.value.code == "referent_member"
    assert "Changer de référent" in error.value.message
    assert Membership.objects.filter(pk=member.pk).exists()


def test_the_remove_button_explains_why_the_referent_stays(center_admin_client, center, admin_user, member):
    center_designate_referent(center=center, membership=member, by=admin_user)
    response = center_admin_client.post(f"/equipe/membres/{member.pk}/retrait", follow=True)
    assert "est le référent Pix du centre" in response.content.decode()
    assert Membership.objects.filter(pk=member.pk).exists()


def test_the_database_allows_one_referent_per_centre(center, member, admin_membership):
    from django.db import IntegrityError, transaction

    Membership.objects.filter(pk=member.pk).update(is_referent=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=admin_membership.pk).update(is_referent=True)


def test_the_referent_gets_the_results_email_at_publication(center, admin_user, member):
    center_designate_referent(center=center, membership=member, by=admin_user)
    session = mark_finalised(SessionFactory(center=center))
    take_test(session, result_recipient_email="parents@x.test")
    auto_resolve_reports(session=session)
    staff = type(admin_user).objects.create_user(email="jury@pix.test", is_staff=True)
    session_publish(session=session, by=staff)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(["parents@x.test", member.user.email])
    message = next(m for m in mail.outbox if m.to == [member.user.email])
    assert f"/sessions/{session.pk}/resultats" in message.body and "référent Pix" in message.body
    session_publish(session=session, by=staff)
    assert len(mail.outbox) == 2  # publishing again sends nothing


def test_without_a_referent_only_the_recipients_get_an_email(center, admin_user):
    session = mark_finalised(SessionFactory(center=center))
    take_test(session, result_recipient_email="parents@x.test")
    auto_resolve_reports(session=session)
    staff = type(admin_user).objects.create_user(email="jury@pix.test", is_staff=True)
    session_publish(session=session, by=staff)
    assert [m.to for m in mail.outbox] == [["parents@x.test"]]


def test_the_referent_panel_reads_in_english(client, pro_admin_user):
    type(pro_admin_user).objects.filter(pk=pro_admin_user.pk).update(language="en")
    client.force_login(pro_admin_user)
    body = client.get(TEAM, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Designate a referent" in body and "No referent has been designated yet." in body
    assert "Désigner un référent" not in body
