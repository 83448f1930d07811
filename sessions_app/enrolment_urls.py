from django.urls import path

from sessions_app.views import enrolment

app_name = "enrolment"

urlpatterns = [
    path("sessions/<int:session_id>/candidats", enrolment.candidate_list, name="candidates"),
]
