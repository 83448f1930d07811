from tests.factories import CandidateFactory


def test_the_session_pages_render_for_the_centre(center_admin_client, session):
    CandidateFactory(session=session, last_name="Zola")
    assert center_admin_client.get(f"/sessions/{session.pk}").status_code == 200
    response = center_admin_client.get(f"/sessions/{session.pk}/candidats")
    assert "Zola" in response.content.decode()


def test_another_centres_session_is_a_404(stranger_client, session):
    assert stranger_client.get(f"/sessions/{session.pk}").status_code == 404
    assert stranger_client.get(f"/sessions/{session.pk}/candidats").status_code == 404
