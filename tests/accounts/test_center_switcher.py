from pixcertif.accounts.models import Membership
from tests.factories import CenterFactory, MembershipFactory


def test_a_user_of_several_centres_sees_the_switcher(client, admin_user, pro_center):
    MembershipFactory(user=admin_user, center=pro_center)
    client.force_login(admin_user)
    page = client.get("/equipe").content.decode()
    assert 'id="center-switch"' in page
    assert "Centre Pro" in page


def test_a_user_of_one_centre_sees_no_switcher(center_admin_client):
    assert 'id="center-switch"' not in center_admin_client.get("/equipe").content.decode()


def test_switching_centre_changes_the_team_shown(client, admin_user, pro_center, pro_admin_user):
    MembershipFactory(user=admin_user, center=pro_center, role=Membership.Role.MEMBER)
    client.force_login(admin_user)
    response = client.post("/centre", {"center": pro_center.pk})
    assert response["Location"] == "/sessions/liste"
    assert pro_admin_user.email in client.get("/equipe").content.decode()


def test_switching_to_a_centre_of_which_one_is_not_a_member_changes_nothing(client, admin_user, center):
    other = CenterFactory(name="Centre étranger")
    MembershipFactory(center=other, user__email="autre@example.org")
    client.force_login(admin_user)
    client.post("/centre", {"center": other.pk}, follow=True)
    page = client.get("/equipe").content.decode()
    assert "autre@example.org" not in page
    assert admin_user.email in page


def test_switching_with_garbage_does_not_fail(client, admin_user):
    client.force_login(admin_user)
    assert client.post("/centre", {"center": "abc"}).status_code == 302


def test_switching_refuses_a_get(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/centre").status_code == 405
