"""Team page, invitations and documentation."""

from django.urls import path

from pixcertif.accounts import team_views

app_name = "team"

urlpatterns = [
    path("equipe", team_views.team, name="team"),
    path("equipe/invitations", team_views.invite, name="invite"),
    path("equipe/referent", team_views.referent_designate, name="referent"),
    path("equipe/invitations/<int:invitation_id>/annulation", team_views.invitation_cancel, name="invitation_cancel"),
    path("equipe/membres/<int:membership_id>/role", team_views.membership_change_role, name="change_role"),
    path("equipe/membres/<int:membership_id>/retrait", team_views.membership_remove, name="remove"),
    path("invitation/<str:token>", team_views.invitation, name="invitation"),
    path("documentation", team_views.documentation, name="documentation"),
]
