from django.urls import path

from sessions_app.views import enrolment

app_name = "enrolment"

urlpatterns = [
    path("sessions/<int:session_id>/candidats", enrolment.candidate_list, name="candidates"),
    path("sessions/<int:session_id>/candidats/ajout", enrolment.candidate_add_view, name="candidate_add"),
    path(
        "sessions/<int:session_id>/candidats/<int:candidate_id>/modification",
        enrolment.candidate_edit,
        name="candidate_edit",
    ),
    path(
        "sessions/<int:session_id>/candidats/<int:candidate_id>/suppression",
        enrolment.candidate_delete_view,
        name="candidate_delete",
    ),
    path("sessions/<int:session_id>/candidats/import", enrolment.candidates_import, name="candidates_import"),
    path("sessions/<int:session_id>/liste-candidats.ods", enrolment.candidates_ods_download, name="candidates_ods"),
    path("sessions/<int:session_id>/inscription-eleves", enrolment.enrol_students, name="enrol_students"),
    path(
        "sessions/<int:session_id>/inscription-eleves/ajout",
        enrolment.enrol_students_submit,
        name="enrol_students_submit",
    ),
    path("eleves", enrolment.student_list, name="students"),
    path("eleves/import", enrolment.students_import_view, name="students_import"),
    path("eleves/comptes", enrolment.students_create_accounts_view, name="students_create_accounts"),
    path(
        "eleves/<int:student_id>/mot-de-passe",
        enrolment.student_password_reset_view,
        name="student_password_reset",
    ),
]
