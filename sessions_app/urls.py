from django.urls import path

from sessions_app.views import mass_import, sessions

app_name = "sessions_app"

urlpatterns = [
    path("sessions/liste", sessions.session_list, name="list"),
    path("sessions/creation", sessions.session_create_view, name="create"),
    path("sessions/import", mass_import.mass_import_page, name="mass_import"),
    path("sessions/import/modele.csv", mass_import.template_csv_download, name="mass_import_template_csv"),
    path("sessions/import/modele.ods", mass_import.template_ods_download, name="mass_import_template_ods"),
    path("sessions/import/verification", mass_import.mass_import_check, name="mass_import_check"),
    path("sessions/import/<uuid:import_id>", mass_import.mass_import_summary, name="mass_import_summary"),
    path(
        "sessions/import/<uuid:import_id>/finalisation",
        mass_import.mass_import_finalise,
        name="mass_import_finalise",
    ),
    path("sessions/<int:session_id>", sessions.session_detail, name="detail"),
    path("sessions/<int:session_id>/modification", sessions.session_edit, name="edit"),
    path("sessions/<int:session_id>/suppression", sessions.session_delete_view, name="delete"),
]
