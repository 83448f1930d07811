from django.urls import path

from finalisation.results import views

app_name = "results"

urlpatterns = [
    path("sessions/<int:session_id>/resultats", views.session_results_view, name="session_results"),
    path("sessions/<int:session_id>/resultats.csv", views.session_results_csv, name="session_results_csv"),
    path("resultats/<str:token>", views.recipient_results, name="recipient"),
    path("mes-certifications", views.my_certifications, name="my_certifications"),
    path("mes-certifications/<int:certification_id>/attestation.pdf", views.certificate, name="certificate"),
    path("verification", views.verification, name="verification"),
]
