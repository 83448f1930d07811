"""Team page, invitations and documentation."""

from django.urls import path

from pixcertif.accounts import team_views

app_name = "team"

urlpatterns = [
    path("equipe", team_views.team, name="team"),
    path("documentation", team_views.documentation, name="documentation"),
]
