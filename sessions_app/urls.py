from django.urls import path

from sessions_app.views import sessions

app_name = "sessions_app"

urlpatterns = [
    path("sessions/liste", sessions.session_list, name="list"),
    path("sessions/creation", sessions.session_create_view, name="create"),
    path("sessions/<int:session_id>", sessions.session_detail, name="detail"),
    path("sessions/<int:session_id>/modification", sessions.session_edit, name="edit"),
    path("sessions/<int:session_id>/suppression", sessions.session_delete_view, name="delete"),
]
