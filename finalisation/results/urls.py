from django.urls import path

from finalisation.results import views

app_name = "results"

urlpatterns = [
    path("sessions/<int:session_id>/resultats", views.session_results_view, name="session_results"),
    path("sessions/<int:session_id>/resultats.csv", views.session_results_csv, name="session_results_csv"),
    path("eleves/resultats", views.class_results, name="class_results"),
    path("eleves/resultats.csv", views.class_results_csv_view, name="class_results_csv"),
    path("eleves/resultats/attestations.pdf", views.class_certificates, name="class_certificates"),
    path(
        "eleves/resultats/attestations/preparation",
        views.class_certificates_preparation,
        name="class_certificates_preparation",
    ),
    path("resultats/<str:token>", views.recipient_results, name="recipient"),
    path("mes-certifications", views.my_certifications, name="my_certifications"),
    path("mes-certifications/<int:certification_id>/attestation.pdf", views.certificate, name="certificate"),
    path("verification", views.verification, name="verification"),
]
