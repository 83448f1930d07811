from django.urls import path

from finalisation import views

app_name = "finalisation"

urlpatterns = [
    path("sessions/<int:session_id>/finalisation", views.finalise_page, name="finalise"),
    path(
        "sessions/<int:session_id>/finalisation/signalement/<int:certification_id>",
        views.report_add,
        name="report_add",
    ),
    path(
        "sessions/<int:session_id>/finalisation/signalements/<int:report_id>/modification",
        views.report_edit,
        name="report_edit",
    ),
    path(
        "sessions/<int:session_id>/finalisation/signalements/<int:report_id>/suppression",
        views.report_remove,
        name="report_remove",
    ),
    path(
        "sessions/<int:session_id>/finalisation/abandon/<int:certification_id>",
        views.abort_reason,
        name="abort_reason",
    ),
    path("sessions/<int:session_id>/finalisation/informations", views.info_update, name="info"),
    path("sessions/<int:session_id>/finalisation/pieces-jointes", views.attachment_add, name="attachment_add"),
    path(
        "sessions/<int:session_id>/finalisation/pieces-jointes/<int:attachment_id>",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "sessions/<int:session_id>/finalisation/pieces-jointes/<int:attachment_id>/suppression",
        views.attachment_remove,
        name="attachment_remove",
    ),
    path("sessions/<int:session_id>/finalisation/confirmation", views.finalise_confirm, name="confirm"),
    path("sessions/<int:session_id>/finalisation/finaliser", views.finalise_submit, name="submit"),
]
