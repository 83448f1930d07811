from django.urls import path

from sessions_app.views import certifications, live

app_name = "certifications"

urlpatterns = [
    path("certifications", certifications.join, name="join"),
    path("certifications/candidat/<int:candidate_id>", certifications.start, name="start"),
    path("certifications/<int:certification_id>", certifications.test, name="test"),
    path("certifications/<int:certification_id>/reponse", certifications.answer, name="answer"),
    path("certifications/<int:certification_id>/presence", live.heartbeat, name="heartbeat"),
    path("certifications/<int:certification_id>/signalement", live.report, name="report"),
]
