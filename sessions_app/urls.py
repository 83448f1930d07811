from django.urls import path

from sessions_app.views import sessions

app_name = "sessions_app"

urlpatterns = [
    path("sessions/liste", sessions.session_list, name="list"),
    path("sessions/<int:session_id>", sessions.session_detail, name="detail"),
]
