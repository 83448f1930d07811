from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.i18n import JavaScriptCatalog

from pixcertif.accounts.language import set_language

admin.site.site_header = "Pix Certif — administration"
admin.site.site_title = "Pix Certif"
admin.site.index_title = gettext_lazy("Équipe Pix")

# Django tries the patterns in order: the candidate's test and the invigilator's live list, a
# thousand requests a second on an exam day, first (no route of one include matches another's:
# tests/pixcertif/test_urls.py).
urlpatterns = [
    path("", include("sessions_app.certifications_urls")),  # candidate side: join, test
    path("", include("invigilation.urls")),  # invigilator space
    path("admin/", admin.site.urls),
    # The footer's language switcher (a POST) and the JavaScript strings of the active language.
    path("i18n/setlang/", set_language, name="set_language"),
    # The page asks for ?v=<its language>: a browser keeps one copy per language for an hour.
    path(
        "i18n/js/",
        cache_control(max_age=3600, private=True)(JavaScriptCatalog.as_view(packages=["pixcertif.accounts"])),
        name="javascript-catalog",
    ),
    path("", include("pixcertif.accounts.urls")),  # login, sign-up, terms, password reset
    path("", include("pixcertif.accounts.team_urls")),  # team, invitations, documentation
    path("", include("sessions_app.urls")),  # sessions: list, create, edit, delete, details
    path("", include("sessions_app.enrolment_urls")),  # candidates, students, ODS / CSV imports
    path("", include("sessions_app.documents_urls")),  # attendance sheet, incident report, kit
    path("", include("finalisation.urls")),  # finalisation
    path("", include("finalisation.results.urls")),  # results, certificates, verification
]

# The database unreachable is a 503 with Retry-After (pixcertif/outage.py); anything else a 500.
handler500 = "pixcertif.outage.server_error"
