from django.urls import path

from sessions_app.views import documents

app_name = "documents"

urlpatterns = [
    path(
        "sessions/<int:session_id>/feuille-emargement.pdf",
        documents.attendance_sheet_pdf,
        name="attendance_sheet_pdf",
    ),
    path(
        "sessions/<int:session_id>/feuille-emargement.ods",
        documents.attendance_sheet_ods,
        name="attendance_sheet_ods",
    ),
    path("sessions/<int:session_id>/pv-incident.pdf", documents.incident_report_pdf, name="incident_report_pdf"),
]
