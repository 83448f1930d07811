from django.urls import path

from invigilation import day_views, views

app_name = "invigilation"

urlpatterns = [
    path("connexion-espace-surveillant", views.entry, name="entry"),
    path("sessions/<int:session_id>/surveiller", views.session_page, name="session"),
    path("sessions/<int:session_id>/surveiller/candidats", views.candidate_list, name="candidate_list"),
    path(
        "sessions/<int:session_id>/surveiller/candidats/<int:candidate_id>/presence",
        views.presence,
        name="presence",
    ),
    path(
        "sessions/<int:session_id>/surveiller/candidats/<int:candidate_id>/reprise",
        views.authorize_resume,
        name="authorize_resume",
    ),
    path("sessions/<int:session_id>/surveiller/candidats/<int:candidate_id>/fin", views.end_test, name="end_test"),
    path(
        "sessions/<int:session_id>/surveiller/candidats/<int:candidate_id>/incident",
        day_views.incident,
        name="incident",
    ),
    path(
        "sessions/<int:session_id>/surveiller/signalements/<int:alert_id>",
        day_views.alert_handle,
        name="alert",
    ),
    path("sessions/<int:session_id>/kit-surveillant.pdf", views.invigilator_kit_pdf, name="kit_pdf"),
    path("sessions/<int:session_id>/notice-candidat.pdf", views.candidate_notice_pdf, name="candidate_notice_pdf"),
    path(
        "sessions/<int:session_id>/consignes-candidats.pdf",
        views.candidate_instructions_pdf,
        name="candidate_instructions_pdf",
    ),
    path("sessions/<int:session_id>/pv-fraude.pdf", views.fraud_report_pdf, name="fraud_report_pdf"),
]
